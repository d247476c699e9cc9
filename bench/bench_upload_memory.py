"""Peak memory of the largest inputs the app accepts: the server must stay under 2 GB.

Each case runs in a fresh Python process what the app does with an upload (read the file as the
constraint page or the analyses do, then the constraint check with its map and report zip, or
the resource fit on the plan)
and reports the process's peak resident memory. Baseline, measured in the same run: the same
process doing everything but reading the input (imports, plan layers, base layers).

Cases: constraint layers of small polygons at the app's feature limit and below it; a resource
raster of 20,000 x 13,000 cells over Gansu (the size that took 7.3 GB before reads were capped).

    python bench/bench_upload_memory.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import shapely
from affine import Affine

REPO = Path(__file__).resolve().parents[1]
GOAL_GB = 2.0

_CHILD = """
import resource, sys
import geopandas as gpd, pandas as pd
from longtu.layout import plan_layers, load_layer
from longtu.analysis.constraints import check_constraints
from longtu.analysis.io.constraint_files import read_constraint_layer
from longtu.analysis.io.vector import APP_MAX_FEATURES
from longtu.analysis.io.rasters import read_user_raster
from longtu.analysis.resource import RESOURCE_LAYERS, run_resource_fit
kind, path = sys.argv[1], sys.argv[2]
layers = plan_layers()
load_layer("counties")
frames = [f for f in layers.values() if isinstance(f, gpd.GeoDataFrame) and "feature_id" in f]
features = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
if kind == "vector":
    layer = read_constraint_layer(path, category="ecological_red_line", buffer_km=1,
                                  max_features=APP_MAX_FEATURES)
    result = check_constraints(features, [layer], id_column="feature_id")
    # and then, as the constraint page does: its map, and the report zip when asked for
    import tempfile
    from pathlib import Path
    from longtu.analysis.io.results import result_zip_bytes
    from longtu.app_pages.constraints_maps import conflict_map
    from longtu.app_pages.map_component import render_map
    render_map(conflict_map(result, [layer]))
    with tempfile.TemporaryDirectory() as folder:
        result_zip_bytes(result, Path(folder))
elif kind == "raster":
    inputs = {n: load_layer(n) for n in RESOURCE_LAYERS}  # as the analysis page does
    run_resource_fit(inputs, resource_rasters=[read_user_raster(path, name="ghi")])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2)
"""


def _peak_gb(kind: str, path: Path) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, kind, str(path)],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    if done.returncode:
        return float("nan") if "more than" not in done.stderr else -1.0
    return float(done.stdout.strip().splitlines()[-1])


def _boxes(path: Path, n: int) -> Path:
    rng = np.random.default_rng(0)
    x = rng.uniform(93, 108, n)
    y = rng.uniform(33, 42, n)
    size = rng.uniform(0.002, 0.02, n)
    frame = gpd.GeoDataFrame(
        {"name": [f"图斑{i}" for i in range(n)]},
        geometry=shapely.box(x, y, x + size, y + size),
        crs=4326,
    )
    frame.to_file(path, driver="GPKG", engine="pyogrio")
    return path


def _raster(path: Path, rows: int = 13_000, cols: int = 20_000) -> Path:
    transform = Affine((108.9 - 92.1) / cols, 0, 92.1, 0, -(42.9 - 32.5) / rows, 42.9)
    profile = {
        "driver": "GTiff", "height": rows, "width": cols, "count": 1, "dtype": "float32",
        "crs": "EPSG:4326", "transform": transform, "tiled": True, "compress": "deflate",
        "blockxsize": 512, "blockysize": 512,
    }  # fmt: skip
    with rasterio.open(path, "w", **profile) as dst:
        for _, window in dst.block_windows(1):
            yy, xx = np.mgrid[0 : window.height, 0 : window.width]
            block = 1500 + (window.row_off + yy) * 0.01 + (window.col_off + xx) * 0.005
            dst.write(block.astype("float32"), 1, window=window)
    return path


def main() -> None:
    from longtu.analysis.io.vector import APP_MAX_FEATURES

    with tempfile.TemporaryDirectory() as folder:
        base = _peak_gb("none", Path(folder))
        print(f"baseline (imports, plan and base layers):     {base:5.2f} GB")
        rows = []
        for n in (APP_MAX_FEATURES // 2, APP_MAX_FEATURES, APP_MAX_FEATURES * 2):
            peak = _peak_gb("vector", _boxes(Path(folder) / f"boxes_{n}.gpkg", n))
            rows.append(peak)
            shown = "refused" if peak < 0 else f"{peak:5.2f} GB = {peak / base:.1f} x baseline"
            print(f"constraint layer, {n:>9,} small polygons:   {shown}")
        raster = _raster(Path(folder) / "ghi_20000x13000.tif")
        size_mb = raster.stat().st_size / 1e6
        peak = _peak_gb("raster", raster)
        rows.append(peak)
        print(
            f"resource raster 20,000 x 13,000 ({size_mb:.0f} MB file): "
            f"{peak:5.2f} GB = {peak / base:.1f} x baseline"
        )
    worst = max(rows)
    verdict = "met" if worst <= GOAL_GB else "NOT met"
    print(f"goal: every accepted input <= {GOAL_GB} GB -> {verdict}")


if __name__ == "__main__":
    main()
