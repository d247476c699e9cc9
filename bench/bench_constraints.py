"""Benchmark: `longtu constraints check` against QGIS's Overlap analysis, same files, same run.

Generates 100,000 random boxes over Gansu's bounding box (fixed seed; sides 0.005-0.05 degree,
about 0.5-5 km) into a GeoPackage, writes the 90 county polygons (``load_layer("counties")``) to
another, then times whole processes on the same two files:

- ours: the command ``longtu constraints check BOXES --features COUNTIES --out ours.gpkg`` (read
  both files, overlay, write the report GeoPackage + CSV);
- QGIS: ``qgis_process run native:calculatevectoroverlaps`` (Debian package ``qgis``; run
  offscreen), which writes the counties with the overlap area and percentage.

Prints both times (best of 5, runs interleaved), their ratio (goal: ours <= 1/4 of QGIS's) and
how far the two overlap percentages differ (QGIS measures on the ellipsoid, we in equal-area km²,
so they differ slightly). Without QGIS it prints Longtu's own time alone, and says so.

    python bench/bench_constraints.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

N_BOXES = 100_000
SEED = 20261123
RUNS = 5


def make_files(folder: Path) -> tuple[Path, Path]:
    import geopandas as gpd
    import pyogrio
    import shapely

    from longtu.layout import load_layer

    counties = load_layer("counties")
    west, south, east, north = counties.total_bounds
    rng = np.random.default_rng(SEED)
    x, y = rng.uniform(west, east, N_BOXES), rng.uniform(south, north, N_BOXES)
    dx, dy = rng.uniform(0.005, 0.05, N_BOXES), rng.uniform(0.005, 0.05, N_BOXES)
    boxes = gpd.GeoDataFrame(
        {"box_id": np.arange(N_BOXES)}, geometry=shapely.box(x, y, x + dx, y + dy), crs=4326
    )
    paths = folder / "boxes.gpkg", folder / "counties.gpkg"
    pyogrio.write_dataframe(boxes, paths[0], layer="boxes")
    pyogrio.write_dataframe(counties, paths[1], layer="counties")
    pyogrio.write_dataframe(boxes.iloc[:10], folder / "ten_boxes.gpkg", layer="boxes")
    return paths


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{command[0]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def longtu_command() -> str:
    """The ``longtu`` console script of this Python (installed with ``pip install -e .``)."""
    script = Path(sys.executable).with_name("longtu")
    if not script.exists():
        sys.exit(f"`longtu` is not installed beside {sys.executable}; run `pip install -e .`.")
    return str(script)


def qgis_command() -> list[str] | None:
    for name in ("qgis_process.bin", "qgis_process"):
        if found := shutil.which(name):
            return [found]
    return None


def main() -> None:
    qgis = qgis_command()
    if qgis is None:
        print("QGIS is not installed: Longtu's own time only, no ratio. Install QGIS with")
        print("    apt-get update && apt-get install -y qgis")
        print("and run this script again to compare.")
    with tempfile.TemporaryDirectory(prefix="longtu_bench_") as tmp:
        folder = Path(tmp)
        boxes, counties = make_files(folder)
        ours_cmd = [
            longtu_command(),
            "constraints",
            "check",
            str(boxes),
            "--features",
            str(counties),
            "--out",
            str(folder / "ours.gpkg"),
        ]
        # Start-up: the interpreter and every module the command loads, nothing run.
        start_cmd = [sys.executable, "-c", "import longtu, longtu.analysis.constraints.report"]
        if qgis is None:
            ours, ours_start = [], []
            for _ in range(RUNS):
                seconds, stdout = timed(ours_cmd)
                ours.append(seconds)
                ours_start.append(timed(start_cmd)[0])
            print(stdout.strip())
            runs = ", ".join(f"{t:.2f}" for t in ours)
            print(f"{N_BOXES:,} constraint boxes x 90 counties, whole process, best of {RUNS}:")
            print(f"  {'longtu constraints check:':30s} {min(ours):.2f} s  (runs: {runs})")
            print(f"  context: Python + imports alone {min(ours_start):.2f} s")
            return
        qgis_cmd = [
            *qgis,
            "run",
            "native:calculatevectoroverlaps",
            f"--INPUT={counties}",
            f"--LAYERS={boxes}",
            f"--OUTPUT={folder / 'qgis.gpkg'}",
            "--ELLIPSOID=EPSG:7030",  # WGS84: areas in m², comparable with ours
        ]
        # QGIS embeds the system Python; a virtualenv/pyenv Python first on PATH breaks it.
        path = os.pathsep.join(
            p for p in os.environ["PATH"].split(os.pathsep) if not p.startswith(sys.prefix)
        )
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PATH": path}
        ours, theirs, ours_start, qgis_start = [], [], [], []
        tiny_cmd = [
            c.replace(str(boxes), str(folder / "ten_boxes.gpkg")).replace("qgis.gpkg", "tiny.gpkg")
            for c in qgis_cmd
        ]
        for _ in range(RUNS):
            seconds, stdout = timed(ours_cmd)
            ours.append(seconds)
            theirs.append(timed(qgis_cmd, env)[0])
            ours_start.append(timed(start_cmd)[0])
            qgis_start.append(timed(tiny_cmd, env)[0])
        print(stdout.strip())
        report(ours, theirs, folder)
        print(
            f"  context: Python + imports alone {min(ours_start):.2f} s; QGIS on 10 boxes "
            f"(start-up and I/O) {min(qgis_start):.2f} s"
        )


def report(ours: list[float], theirs: list[float], folder: Path) -> None:
    import pandas as pd
    import pyogrio

    best, qgis = min(ours), min(theirs)
    print(f"{N_BOXES:,} constraint boxes x 90 counties, whole process, best of {RUNS}:")
    for name, times in (("longtu constraints check", ours), ("QGIS overlap analysis", theirs)):
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"  {name + ':':30s} {min(times):.2f} s  (runs: {runs})")
    ratio = best / qgis
    verdict = "met" if ratio <= 0.25 else "NOT met"
    print(f"  ratio ours / QGIS: {ratio:.2f}  (goal <= 0.25: {verdict})")
    mine = pd.read_csv(folder / "ours.csv", dtype={"feature_id": str})
    q = pyogrio.read_dataframe(folder / "qgis.gpkg", read_geometry=False)
    both = mine.merge(q.rename(columns={"adcode": "feature_id"}), on="feature_id")
    diff = (both["overlap_pct"] - both["boxes_pc"]).abs()
    print(f"  overlap % vs QGIS, {len(both)} counties: max |difference| {diff.max():.3f} points")


if __name__ == "__main__":
    main()
