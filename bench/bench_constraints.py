"""Benchmark: `longtu constraints check` against QGIS's Overlap analysis, same files, same run.

Two kinds of constraint layer over Gansu's bounding box (fixed seeds), against two sets of
features, whole processes on the same files:

- counties: the 90 county polygons (``load_layer("counties")``), which tile Gansu;
- plan: the plan's 152 placed polygon features (zones, their sub-areas, bases and parks with an
  outline), which overlap each other (a park lies in its base, its sub-area and its zone): the
  default of ``longtu constraints check`` less its points and lines, which QGIS's Overlap
  analysis does not take in the same layer.

- boxes: random boxes, sides 0.005-0.05 degree (about 0.5-5 km), overlapping about four deep
  (the worst case: every cell a feature reaches must be merged);
- parcels: a Voronoi tessellation of random points, polygons that tile the land without
  overlapping, as the parcels of a land survey (三调图斑) or a farmland layer do.

- ours: ``longtu constraints check BOXES --features FEATURES --out ours.gpkg`` (read both
  files, overlay, write the report GeoPackage + CSV); a layer of over 2,000,000 boxes is
  overlaid by spatial partitions (Dask, two at a time);
- QGIS: ``qgis_process run native:calculatevectoroverlaps`` (Debian package ``qgis``; run
  offscreen), which writes the features with the overlap area and percentage;
- one polygon of 2,000,000 vertices (a ring 6° across) against the counties, ours alone.

Prints, per size, both times (best of ``--runs``, runs interleaved), their ratio (goal: ours
<= 1/4 of QGIS's), each process's peak memory (``/usr/bin/time``: maximum resident set size)
and how far the two overlap percentages differ (QGIS measures on the ellipsoid, we in
equal-area km², so they differ slightly). The boxes are written once to ``--cache`` (FlatGeobuf;
the 10,000,000 as GeoParquet in Hilbert order with a bounding-box column, ~1.5 GB) and reused.

    python bench/bench_constraints.py                  # 100k and 1M boxes and parcels, the ring
    python bench/bench_constraints.py --features plan --kinds parcels   # the plan's features
    python bench/bench_constraints.py --ten-million    # also 10,000,000 (run once: long)
    python bench/bench_constraints.py --sizes 1000000 10000000 --kinds boxes --no-qgis \
        --no-ring --partition-figures                  # Longtu alone, with pieces and rows read
    python bench/bench_constraints.py --sizes --runs 3  # the 2M-vertex polygon alone
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SEED = 20261123
SIZES = (100_000, 1_000_000)
TEN_MILLION = 10_000_000
CHUNK = 1_000_000
RING_VERTICES = 2_000_000
FEATURE_WORDS = {"counties": "90 counties", "plan": "plan's 152 polygons"}


def plan_file(folder: Path) -> Path:
    """The plan's placed polygon features, as a GeoPackage of multipolygons (one per run)."""
    import geopandas as gpd
    import pyogrio
    import shapely

    from longtu.analysis.constraints.report import plan_features

    plan = plan_features()
    polygons = plan[plan.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()]
    parts, owner = shapely.get_parts(polygons.geometry.to_numpy(), return_index=True)
    path = folder / "plan_polygons.gpkg"
    pyogrio.write_dataframe(
        gpd.GeoDataFrame(
            polygons[["feature_id", "name_zh"]].reset_index(drop=True),
            geometry=shapely.multipolygons(parts, indices=owner),
            crs=plan.crs,
        ),
        path,
        layer="plan",
    )
    return path


def counties_file(cache: Path) -> Path:
    import pyogrio

    from longtu.layout import load_layer

    path = cache / "counties.gpkg"
    if not path.exists():
        pyogrio.write_dataframe(load_layer("counties"), path, layer="counties")
    return path


def random_boxes(n: int, bounds, seed: int = SEED):
    """`n` boxes over `bounds`, the same for the same `n` and seed."""
    import geopandas as gpd
    import shapely

    west, south, east, north = bounds
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(west, east, n), rng.uniform(south, north, n)
    dx, dy = rng.uniform(0.005, 0.05, n), rng.uniform(0.005, 0.05, n)
    return gpd.GeoDataFrame(
        {"box_id": np.arange(n)}, geometry=shapely.box(x, y, x + dx, y + dy), crs=4326
    )


def random_parcels(n: int, bounds, seed: int = SEED):
    """`n` Voronoi parcels tiling `bounds` (a valid coverage), the same for the same `n`."""
    import geopandas as gpd
    import shapely

    west, south, east, north = bounds
    rng = np.random.default_rng(seed)
    points = shapely.multipoints(rng.uniform((west, south), (east, north), (n, 2)))
    frame = shapely.box(west, south, east, north)
    cells = shapely.intersection(shapely.get_parts(shapely.voronoi_polygons(points)), frame)
    return gpd.GeoDataFrame({"parcel_id": np.arange(len(cells))}, geometry=cells, crs=4326)


def parcels_file(cache: Path, n: int) -> Path:
    """The `n` parcels as FlatGeobuf, written once."""
    import pyogrio

    from longtu.layout import load_layer

    path = cache / f"parcels_{n}.fgb"
    if not path.exists():
        bounds = load_layer("counties").total_bounds
        pyogrio.write_dataframe(random_parcels(n, bounds), path, use_arrow=True)
    return path


def boxes_file(cache: Path, n: int) -> Path:
    """The `n` boxes as FlatGeobuf (GeoParquet for ten million), written once."""
    import pyogrio

    from longtu.layout import load_layer

    bounds = load_layer("counties").total_bounds
    if n >= TEN_MILLION:
        return ten_million_file(cache, bounds)
    path = cache / f"boxes_{n}.fgb"
    if not path.exists():
        pyogrio.write_dataframe(random_boxes(n, bounds), path, use_arrow=True)
        pyogrio.write_dataframe(random_boxes(10, bounds), cache / "ten_boxes.fgb")
    return path


def ten_million_file(cache: Path, bounds) -> Path:
    """Ten million boxes as one GeoParquet, rows in Hilbert order of 1° tiles, written in chunks."""
    import geopandas as gpd
    import pyarrow.parquet as pq
    import shapely

    path = cache / f"boxes_{TEN_MILLION}.parquet"
    if path.exists():
        return path
    rng = np.random.default_rng(SEED)
    west, south, east, north = bounds
    x, y = rng.uniform(west, east, TEN_MILLION), rng.uniform(south, north, TEN_MILLION)
    tile = np.floor(x).astype(np.int64) * 1000 + np.floor(y).astype(np.int64)
    tiles = np.unique(tile)
    centres = gpd.GeoSeries(shapely.points(tiles // 1000 + 0.5, tiles % 1000 + 0.5))
    rank = np.argsort(np.argsort(centres.hilbert_distance().to_numpy()))
    order = np.argsort(rank[np.searchsorted(tiles, tile)], kind="stable")
    x, y = x[order], y[order]
    partial = path.with_suffix(".partial")
    writer = None
    try:
        for start in range(0, TEN_MILLION, CHUNK):
            part = slice(start, start + CHUNK)
            n = len(x[part])
            dx, dy = rng.uniform(0.005, 0.05, n), rng.uniform(0.005, 0.05, n)
            frame = gpd.GeoDataFrame(
                {"box_id": np.arange(start, start + n)},
                geometry=shapely.box(x[part], y[part], x[part] + dx, y[part] + dy),
                crs=4326,
            )
            buffer = io.BytesIO()
            frame.to_parquet(buffer, write_covering_bbox=True, index=False)
            table = pq.read_table(buffer)
            if writer is None:
                writer = pq.ParquetWriter(partial, table.schema)
            writer.write_table(table, row_group_size=100_000)
    finally:
        if writer is not None:
            writer.close()
    partial.replace(path)
    return path


def ring_file(cache: Path) -> Path:
    """One valid polygon of 2,000,000 vertices: a wavy ring 6° across, centred in Gansu."""
    import geopandas as gpd
    import shapely

    path = cache / "ring_2m_vertices.fgb"
    if not path.exists():
        t = np.linspace(0, 2 * np.pi, RING_VERTICES, endpoint=False)
        r = 3.0 * (1 + 0.05 * np.sin(40 * t)) + np.random.default_rng(SEED).uniform(
            0, 0.002, RING_VERTICES
        )
        ring = shapely.Polygon(np.column_stack([100.5 + r * np.cos(t), 37.5 + r * np.sin(t)]))
        gpd.GeoDataFrame({"name": ["ring"]}, geometry=[ring], crs=4326).to_file(path)
    return path


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Seconds, peak memory (GB, whole process) and stdout of `command`."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as told:
        start = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", told.name, *command],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        seconds = time.perf_counter() - start
        peak_gb = int(told.read().strip().splitlines()[-1]) / 1024**2
    if done.returncode != 0:
        sys.exit(f"{command[0]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, peak_gb, done.stdout


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


def qgis_env() -> dict[str, str]:
    """QGIS embeds the system Python; a virtualenv/pyenv Python first on PATH breaks it."""
    path = os.pathsep.join(
        p for p in os.environ["PATH"].split(os.pathsep) if not p.startswith(sys.prefix)
    )
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PATH": path}


def ours_command(boxes: Path, counties: Path, out: Path) -> list[str]:
    return [
        longtu_command(),
        "constraints",
        "check",
        str(boxes),
        "--features",
        str(counties),
        "--out",
        str(out),
        "--overwrite",
    ]


def qgis_run(qgis: list[str], boxes: Path, counties: Path, out: Path) -> list[str]:
    return [
        *qgis,
        "run",
        "native:calculatevectoroverlaps",
        f"--INPUT={counties}",
        f"--LAYERS={boxes}",
        f"--OUTPUT={out}",
        "--ELLIPSOID=EPSG:7030",  # WGS84: areas in m², comparable with ours
    ]


def bench_size(
    n: int,
    cache: Path,
    folder: Path,
    runs: int,
    qgis: list[str] | None,
    kind: str = "boxes",
    feature_set: tuple[str, Path] | None = None,
) -> dict:
    """Both tools on one layer against one set of features (its key and file; the counties)."""
    made = parcels_file if kind == "parcels" else boxes_file
    boxes = made(cache, n)
    against, features = feature_set or ("counties", counties_file(cache))
    name = f"{kind}_{n}_{against}"
    ours_out, qgis_out = folder / f"ours_{name}.gpkg", folder / f"qgis_{name}.gpkg"
    row: dict = {"n": n, "kind": kind, "features": against, "ours": [], "ours_gb": []}
    row |= {"qgis": [], "qgis_gb": []}
    for _ in range(runs):
        seconds, peak, _ = timed(ours_command(boxes, features, ours_out))
        row["ours"].append(seconds)
        row["ours_gb"].append(peak)
        if qgis is not None and n < TEN_MILLION:  # QGIS reads no GeoParquet here
            qgis_out.unlink(missing_ok=True)
            seconds, peak, _ = timed(qgis_run(qgis, boxes, features, qgis_out), qgis_env())
            row["qgis"].append(seconds)
            row["qgis_gb"].append(peak)
    if row["qgis"]:
        row["max_diff"] = overlap_difference(ours_out, qgis_out)
    return row


def overlap_difference(ours: Path, theirs: Path) -> float:
    import pandas as pd
    import pyogrio

    mine = pd.read_csv(ours.with_suffix(".csv"), dtype={"feature_id": str})
    q = pyogrio.read_dataframe(theirs, read_geometry=False)
    layer = next(c for c in q.columns if c.endswith("_pc"))
    both = mine.merge(q.rename(columns={"adcode": "feature_id"}), on="feature_id")
    assert len(both) == len(q), "every feature of QGIS's report is in ours"
    return float((both["overlap_pct"] - both[layer]).abs().max())


def print_table(rows: list[dict], ring: tuple[float, float] | None) -> None:
    print(
        "| constraint polygons | layer | features | Longtu | QGIS | ratio | Longtu peak memory "
        "| QGIS peak memory |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        ours, gb = min(row["ours"]), max(row["ours_gb"])
        if row["qgis"]:
            qgis, qgb = min(row["qgis"]), max(row["qgis_gb"])
            ratio = f"{ours / qgis:.2f}"
            theirs, their_gb = f"{qgis:.1f} s", f"{qgb:.2f} GB"
        else:
            ratio, theirs, their_gb = "-", "-", "-"
        kind = "overlapping boxes" if row["kind"] == "boxes" else "parcels (no overlaps)"
        against = FEATURE_WORDS[row["features"]]
        print(
            f"| {row['n']:,} | {kind} | {against} | {ours:.1f} s | {theirs} | {ratio} "
            f"| {gb:.2f} GB | {their_gb} |"
        )
    if ring is not None:
        print(
            f"| 1 | one polygon of {RING_VERTICES:,} vertices | 90 counties | {ring[0]:.1f} s "
            "| - | - | "
            f"{ring[1]:.2f} GB | - |"
        )
    for row in rows:
        if "max_diff" in row:
            print(
                f"{row['n']:,} {row['kind']}: overlap % vs QGIS, {FEATURE_WORDS[row['features']]}: "
                "max |difference| "
                f"{row['max_diff']:.3f} points; runs ours "
                + ", ".join(f"{t:.1f}" for t in row["ours"])
                + " s; QGIS "
                + ", ".join(f"{t:.1f}" for t in row["qgis"])
                + " s"
            )


def partition_figures(path: Path, sample: int = 5) -> str:
    """Pieces per feature and rows read per partition, in this process (not timed with the runs).

    A layer read by partitions: `sample` partitions spread over the run order; a smaller one:
    the whole layer cut into cells as the in-memory check cuts it.
    """
    import pyogrio
    import shapely

    from longtu.analysis.constraints.large import LARGE_LAYER_FEATURES, layer_partitions
    from longtu.analysis.constraints.layer_files import _read_tiles, layer_info, read_partition
    from longtu.analysis.constraints.tiles import cut_to_cells, tile_size

    info = layer_info(path)
    if info.features <= LARGE_LAYER_FEATURES:
        geometry = pyogrio.read_dataframe(path, use_arrow=True).geometry.to_numpy()
        cells = cut_to_cells(geometry, info.crs)
        pieces = len(cells.pieces) / len(geometry)
        return (
            f"{path.name}: in memory, {pieces:.2f} pieces per feature, {cells.cell[-1] + 1} cells"
        )
    runs = layer_partitions(info.bounds, info.crs, info.features)
    picked = np.unique(np.linspace(0, len(runs) - 1, sample).round().astype(int))
    lines = [f"{path.name}: {len(runs)} partitions; sampled {picked.tolist()}"]
    for k in picked.tolist():
        started = time.perf_counter()
        rows = len(_read_tiles(path, runs[k], tile_size(info.crs), None, info.name_column))
        part = read_partition(path, runs[k], info.crs, layer=None, name_column=info.name_column)
        kept = part["source"].nunique()
        lines.append(
            f"  partition {k}: {len(runs[k])} tiles, rows read {rows:,}, features kept {kept:,}, "
            f"pieces per feature {len(part) / kept:.2f}, cells {part['cell'].nunique()}, "
            f"vertices {int(shapely.get_num_coordinates(part.geometry.to_numpy()).sum()):,}, "
            f"read twice in {time.perf_counter() - started:.1f} s"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per size (best is shown)")
    parser.add_argument("--ten-million", action="store_true", help="also 10,000,000 boxes")
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        help="layer sizes to run instead of 100,000 and 1,000,000 (none: the ring alone)",
    )
    parser.add_argument(
        "--kinds",
        nargs="+",
        choices=("boxes", "parcels"),
        default=("boxes", "parcels"),
        help="layer kinds (10,000,000: boxes only)",
    )
    parser.add_argument(
        "--features",
        nargs="+",
        choices=("counties", "plan"),
        default=("counties", "plan"),
        help="features checked: the 90 counties, the plan's polygon features",
    )
    parser.add_argument("--no-qgis", action="store_true", help="Longtu alone, even with QGIS")
    parser.add_argument("--no-ring", action="store_true", help="leave out the 2M-vertex polygon")
    parser.add_argument(
        "--partition-figures",
        action="store_true",
        help="also print pieces per feature and rows read per partition of each box layer",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path.home() / ".cache" / "longtu_bench",
        help="folder for the generated files (outside the repository)",
    )
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    qgis = None if args.no_qgis else qgis_command()
    if qgis is None and not args.no_qgis:
        print("QGIS is not installed: Longtu's own times only, no ratio. Install QGIS with")
        print("    apt-get update && apt-get install -y qgis")
    sizes = tuple(SIZES if args.sizes is None else args.sizes)
    sizes = (*sizes, TEN_MILLION) if args.ten_million else sizes
    ring = None
    with tempfile.TemporaryDirectory(prefix="longtu_bench_") as tmp:
        folder = Path(tmp)
        rows = []
        made = {"counties": counties_file, "plan": lambda _: plan_file(folder)}
        feature_sets = [(key, made[key](args.cache)) for key in args.features]
        for n in sizes:
            runs = 1 if n >= TEN_MILLION else args.runs
            for feature_set in feature_sets:
                for kind in args.kinds:
                    if kind == "boxes" or n < TEN_MILLION:
                        row = bench_size(n, args.cache, folder, runs, qgis, kind, feature_set)
                        rows.append(row)
        if not args.no_ring:
            ring_path = ring_file(args.cache)
            best = min(
                (
                    timed(ours_command(ring_path, counties_file(args.cache), folder / "ring.gpkg"))
                    for _ in range(args.runs)
                ),
                key=lambda run: run[0],
            )
            ring = (best[0], best[1])
    print(f"{os.cpu_count()} CPU cores; whole processes, best of {args.runs} runs (10M: one)")
    print(f"load average after the runs: {Path('/proc/loadavg').read_text().strip()}")
    print_table(rows, ring)
    if args.partition_figures:
        for n in sizes:
            if "boxes" in args.kinds:
                print(partition_figures(boxes_file(args.cache, n)))


if __name__ == "__main__":
    main()
