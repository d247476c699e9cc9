"""Benchmark: zonal statistics, Longtu against rasterstats and exactextract, same raster, same run.

Rasters (made once into a cache folder outside the repository, ``$LONGTU_BENCH_CACHE`` or
``~/.cache/longtu-bench``, ``zonal/``): the elevation band of Longtu's own terrain layer (the
~9 km SRTM-derived grid the package ships), warped bilinear onto an Albers equal-area grid over
Gansu (the counties' bounds plus 10 km), nodata outside the terrain's coverage:

- 250 m, float32, 512 x 512 tiles, deflate: 5,681 x 4,786 = 27.2 million cells (~109 MB of data);
- 30 m, int16 (metres), 512 x 512 tiles, uncompressed: the 250 m raster interpolated bilinear
  (numpy, strip by strip) onto 30 m cells over the same extent: 47,342 x 39,884 = 1.89 billion
  cells, 3.8 GB on disk: read by Longtu in windows only.

Zones: the 90 counties plus every polygon of the plan layers (industrial bases, economic zones,
other features), which overlap the counties. Each tool computes mean, min, max and count with
the cell-centre rule. Times are best of ``RUNS`` in this process (rasters warm in the page
cache), runs interleaved; peak memory of each tool is measured in a fresh process (peak RSS
above the process's RSS before the call). Prints Longtu/rasterstats (goal <= 0.2), Longtu's
time (goal <= 3 s) and how far the means are from exactextract's area-weighted ones.

    python bench/bench_zonal.py            # 250 m and 30 m
    python bench/bench_zonal.py --no-30m   # 250 m only
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

RUNS = 3
CELL_250_M = 250.0
CELL_30_M = 30.0
BUFFER_M = 10_000.0


def cache_folder() -> Path:
    root = Path(os.environ.get("LONGTU_BENCH_CACHE", Path.home() / ".cache" / "longtu-bench"))
    folder = root / "zonal"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def make_elevation_raster(path: Path, *, cell_m: float, dtype: str, compress: str | None) -> Path:
    """Longtu's terrain elevation warped onto an Albers grid of `cell_m`, written strip by strip."""
    import rasterio
    import rasterio.warp
    from affine import Affine

    from longtu import settings
    from longtu.layout import load_layer

    if path.exists():
        return path
    with rasterio.open(settings.data_folder / "terrain.tif") as src:
        elevation, src_transform, src_crs = src.read(1), src.transform, src.crs
    counties = load_layer("counties").to_crs(settings.equal_area_crs)
    west, south, east, north = counties.total_bounds + np.array([-1, -1, 1, 1]) * BUFFER_M
    width, height = int(np.ceil((east - west) / cell_m)), int(np.ceil((north - south) / cell_m))
    transform = Affine(cell_m, 0, west, 0, -cell_m, north)
    nodata = -9999
    profile = {
        "driver": "GTiff", "width": width, "height": height, "count": 1, "dtype": dtype,
        "crs": settings.equal_area_crs, "transform": transform, "nodata": nodata,
        "tiled": True, "blockxsize": 512, "blockysize": 512, "BIGTIFF": "YES",
    }  # fmt: skip
    if compress:
        profile.update(compress=compress, predictor=2 if dtype == "int16" else 3)
    partial = path.with_suffix(".partial.tif")
    with rasterio.open(partial, "w", **profile) as dst:
        for row in range(0, height, 512):
            rows = min(512, height - row)
            strip = np.full((rows, width), nodata, dtype=np.float32)
            rasterio.warp.reproject(
                elevation, strip, src_transform=src_transform, src_crs=src_crs,
                src_nodata=-9999.0, dst_transform=transform @ Affine.translation(0, row),
                dst_crs=settings.equal_area_crs, dst_nodata=nodata,
                resampling=rasterio.warp.Resampling.bilinear,
            )  # fmt: skip
            window = rasterio.windows.Window(0, row, width, rows)
            cells = np.round(strip).astype(dtype) if dtype == "int16" else strip
            dst.write(cells, 1, window=window)
    partial.rename(path)
    return path


def _axis_weights(n_fine: int, factor: float, n_coarse: int) -> tuple[np.ndarray, np.ndarray]:
    """Lower coarse index and weight of the upper one for each fine cell centre (bilinear)."""
    position = np.clip((np.arange(n_fine) + 0.5) / factor - 0.5, 0, n_coarse - 1)
    lower = np.minimum(np.floor(position).astype(np.int64), n_coarse - 2)
    return lower, (position - lower).astype(np.float32)


def make_fine_raster(path: Path, coarse: Path, *, cell_m: float) -> Path:
    """`coarse` interpolated bilinear onto `cell_m` cells (int16 metres), strip by strip."""
    import rasterio
    from affine import Affine

    if path.exists():
        return path
    with rasterio.open(coarse) as src:
        data, profile = src.read(1), src.profile
    factor = profile["transform"].a / cell_m
    height, width = (int(np.ceil(n * factor)) for n in data.shape)
    col, col_w = _axis_weights(width, factor, data.shape[1])
    row, row_w = _axis_weights(height, factor, data.shape[0])
    nodata = -9999
    west, north = profile["transform"].c, profile["transform"].f
    for key in ("compress", "predictor"):
        profile.pop(key, None)  # uncompressed: the file is as large as its cells
    profile.update(
        width=width, height=height, dtype="int16", nodata=nodata, BIGTIFF="YES",
        transform=Affine(cell_m, 0, west, 0, -cell_m, north),
    )  # fmt: skip
    partial = path.with_suffix(".partial.tif")
    with rasterio.open(partial, "w", **profile) as dst:
        for top in range(0, height, 512):
            rows = slice(top, min(height, top + 512))
            upper, lower = data[row[rows]][:, col], data[row[rows] + 1][:, col]
            upper = upper + (data[row[rows]][:, col + 1] - upper) * col_w
            lower = lower + (data[row[rows] + 1][:, col + 1] - lower) * col_w
            strip = upper + (lower - upper) * row_w[rows, None]
            cells = np.where(strip < -1000, nodata, np.round(strip)).astype("int16")
            window = rasterio.windows.Window(0, top, width, cells.shape[0])
            dst.write(cells, 1, window=window)
    partial.rename(path)
    return path


def zones_file(folder: Path) -> Path:
    """Counties and every plan polygon, in one GeoPackage (EPSG:4326), written anew each run."""
    import geopandas as gpd
    import pandas as pd

    from longtu.layout import load_layer

    path = folder / "zones.gpkg"
    frames = [load_layer("counties").assign(layer="counties")[["layer", "name_zh", "geometry"]]]
    for name in ("industrial_bases", "economic_zones", "other_features"):
        frame = load_layer(name)
        frame = frame[frame.geom_type.isin(["Polygon", "MultiPolygon"])]
        frames.append(frame.assign(layer=name)[["layer", "name_zh", "geometry"]])
    zones = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=4326)
    zones.to_file(path, driver="GPKG", mode="w")
    return path


def run_tool(tool: str, raster: str, zones: str) -> dict:
    """One timed call of `tool` in this process: seconds, peak RSS growth, means, counts."""
    import geopandas as gpd

    frame = gpd.read_file(zones)
    import rasterio

    with rasterio.open(raster) as src:
        crs = src.crs
    projected = frame.to_crs(crs.to_wkt())  # same input for every tool: zones in raster CRS
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if tool == "longtu":
        from longtu.analysis.zonal import zonal_stats

        out = zonal_stats(raster, projected, stats=("mean", "min", "max", "count"))
        means, counts = out["mean"].to_numpy(), out["n_cells"].to_numpy()
        extra = out.attrs["zonal"]
    elif tool == "rasterstats":
        from rasterstats import zonal_stats as rs_zonal

        rows = rs_zonal(projected, raster, stats=["mean", "min", "max", "count"])
        means = np.array([np.nan if r["mean"] is None else r["mean"] for r in rows])
        counts, extra = np.array([r["count"] for r in rows]), {}
    else:
        from exactextract import exact_extract

        table = exact_extract(raster, projected, ["mean", "min", "max", "count"], output="pandas")
        means, counts, extra = table["mean"].to_numpy(), table["count"].to_numpy(), {}
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "peak_gb": peak_kb / 1e6,
        "growth_gb": (peak_kb - before) / 1e6,
        "means": np.nan_to_num(means, nan=-1).tolist(),
        "counts": np.asarray(counts, dtype=float).tolist(),
        "extra": extra,
    }


def in_fresh_process(tool: str, raster: Path, zones: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--one", tool, str(raster), str(zones)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"{tool} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(raster: Path, zones: Path, tools: tuple[str, ...], runs: int = RUNS) -> None:
    results = {tool: in_fresh_process(tool, raster, zones) for tool in tools}
    best = {tool: results[tool]["seconds"] for tool in tools}
    for _ in range(runs - 1):  # interleaved repeats, each in a fresh process
        for tool in tools:
            best[tool] = min(best[tool], in_fresh_process(tool, raster, zones)["seconds"])
    for tool in tools:
        r = results[tool]
        print(
            f"  {tool:12s} {best[tool]:7.2f} s (best of {runs})   peak RSS {r['peak_gb']:.2f} GB "
            f"(+{r['growth_gb']:.2f} GB in the call)"
        )
    ours = np.array(results["longtu"]["means"])
    print(f"  longtu windows: {results['longtu']['extra']}")
    if "rasterstats" in results:
        print(f"  longtu / rasterstats: {best['longtu'] / best['rasterstats']:.3f} (goal <= 0.2)")
        same = np.array_equal(results["rasterstats"]["counts"], results["longtu"]["counts"])
        print(f"  cell counts equal to rasterstats' (cell-centre rule): {same}")
    if "exactextract" in results:
        exact = np.array(results["exactextract"]["means"])
        rel = np.abs(ours - exact) / np.abs(exact)
        print(
            f"  mean vs exactextract (area-weighted): median rel. diff {np.median(rel):.2e}, "
            f"max {rel.max():.2e} over {len(rel)} zones"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-30m", action="store_true", help="skip the 30 m windowed case")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_tool(*args.one)))
        return
    folder = cache_folder()
    start = time.perf_counter()
    fine = make_elevation_raster(
        folder / "elevation_250m.tif", cell_m=CELL_250_M, dtype="float32", compress="deflate"
    )
    zones = zones_file(folder)
    print(f"cache {folder} ready in {time.perf_counter() - start:.0f} s")
    import rasterio

    with rasterio.open(fine) as src:
        print(f"250 m raster: {src.width:,} x {src.height:,} = {src.width * src.height:,} cells")
    compare(fine, zones, ("longtu", "rasterstats", "exactextract"))
    if args.no_30m:
        return
    start = time.perf_counter()
    huge = make_fine_raster(folder / "elevation_30m.tif", fine, cell_m=CELL_30_M)
    print(f"30 m raster ready in {time.perf_counter() - start:.0f} s")
    with rasterio.open(huge) as src:
        size_gb = src.width * src.height * 2 / 1e9
        print(f"30 m raster: {src.width * src.height:,} cells, {size_gb:.1f} GB of int16")
    compare(huge, zones, ("longtu",), runs=1)


if __name__ == "__main__":
    main()
