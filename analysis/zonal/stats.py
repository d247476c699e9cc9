"""Zonal statistics of a raster over polygons (counties, plan features), read in windows.

:func:`zonal_stats` checks its inputs, reprojects the zones to the raster's CRS (never the
raster), then reads the raster window by window (:mod:`longtu.analysis.zonal.windows`): in each
window the zones are burnt once as integer labels and the cells are summed per label with numpy
(runs of equal labels along rows reduced with ``ufunc.reduceat``), with no Python loop over
zones or cells. Memory is bounded by the window, not the raster: a 30 m provincial raster of
several GB is never held whole.

Which cells belong to a zone
----------------------------
``coverage="centre"`` (default, as rasterstats and GDAL): a cell counts, whole, when its centre
lies inside the zone; a point zone takes the cell it falls in, a line the cells it crosses.
``coverage="all_touched"``: every cell the zone touches counts, whole. Neither weights cells by
the share of them inside the zone (exactextract does): the mean is the plain mean of the cells
counted; along a zone's border it differs from the area-weighted mean by at most the value range
times the share of border cells (the tests check this bound against exactextract).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pyproj
import rasterio
import rasterio.errors
import rasterio.windows
import shapely
from affine import Affine
from rasterio.crs import CRS
from rasterio.windows import Window

from longtu.analysis.io.rasters import UserRaster, open_raster
from longtu.analysis.zonal.windows import (
    DEFAULT_WINDOW_CELLS,
    pixel_bounds,
    window_grid,
    window_labels,
    zone_blocks,
    zone_layers,
)
from longtu.errors import CRSError, ParameterError, RasterInputError

Statistic = Literal["count", "nodata_count", "sum", "mean", "min", "max", "std"]
Coverage = Literal["centre", "all_touched"]

#: Statistic -> result column (before the prefix) and what it holds.
STAT_COLUMNS: dict[str, tuple[str, str]] = {
    "count": ("n_cells", "cells with a value counted in the zone"),
    "nodata_count": ("n_nodata_cells", "cells of the zone that hold no data"),
    "sum": ("sum", "sum of the cells' values (raster unit)"),
    "mean": ("mean", "mean of the cells' values (raster unit); NaN without cells"),
    "min": ("min", "smallest value (raster unit)"),
    "max": ("max", "largest value (raster unit)"),
    "std": ("std", "population standard deviation (ddof 0, raster unit)"),
}
DEFAULT_STATS: tuple[str, ...] = ("mean", "min", "max", "count")
#: GDAL's block cache while a file is read (64 MiB): blocks are read once, a larger cache only
#: holds memory.
GDAL_CACHE_BYTES = 64 * 2**20

Reader = Callable[[Window], np.ndarray]


class _Totals:
    """Running count, sum, sum of squares, min and max per zone label (0 is 'no zone')."""

    def __init__(self, n_zones: int, wanted: Sequence[str]) -> None:
        size = n_zones + 1
        self.wanted = set(wanted)
        self.count = np.zeros(size)
        self.nodata = np.zeros(size)
        self.sum = np.zeros(size)
        self.sum_sq = np.zeros(size)
        self.min = np.full(size, np.inf)
        self.max = np.full(size, -np.inf)

    def add(self, labels: np.ndarray, values: np.ndarray, has_value: np.ndarray) -> None:
        """Add one block of cells: in row order, so a zone's cells come in runs along rows."""
        if "nodata_count" in self.wanted:
            np.add.at(self.nodata, labels[(labels != 0) & ~has_value], 1.0)
        keep = labels != 0
        keep &= has_value
        ids, vals = labels[keep], values[keep]
        if ids.size == 0:
            return
        starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
        run_ids = ids[starts]
        np.add.at(self.count, run_ids, np.diff(np.append(starts, ids.size)))
        np.add.at(self.sum, run_ids, np.add.reduceat(vals, starts, dtype=np.float64))
        if "std" in self.wanted:
            squares = np.square(vals, dtype=np.float64)
            np.add.at(self.sum_sq, run_ids, np.add.reduceat(squares, starts))
        if "min" in self.wanted:
            np.minimum.at(self.min, run_ids, np.minimum.reduceat(vals, starts))
        if "max" in self.wanted:
            np.maximum.at(self.max, run_ids, np.maximum.reduceat(vals, starts))

    def table(self) -> dict[str, np.ndarray]:
        """Each statistic per zone (label 0 dropped), NaN where a zone has no cell."""
        n = self.count[1:]
        has = n > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(has, self.sum[1:] / n, np.nan)
            var = np.where(has, self.sum_sq[1:] / n - mean * mean, np.nan)
        return {
            "count": n.astype(np.int64),
            "nodata_count": self.nodata[1:].astype(np.int64),
            "sum": np.where(has, self.sum[1:], np.nan),
            "mean": mean,
            "min": np.where(has, self.min[1:], np.nan),
            "max": np.where(has, self.max[1:], np.nan),
            "std": np.sqrt(np.maximum(var, 0.0)),
        }


def _check_arguments(zones: gpd.GeoDataFrame, stats: Sequence[str], coverage: str) -> None:
    """Every problem with the arguments at once (the osmnx ``_validate`` way)."""
    problems, problems_zh = [], []
    if not isinstance(zones, gpd.GeoDataFrame):
        problems.append(f"`zones` must be a GeoDataFrame, got {type(zones).__name__}")
        problems_zh.append("分区须为地理数据表")
    unknown = [s for s in stats if s not in STAT_COLUMNS]
    if unknown or not stats:
        problems.append(
            f"`stats` {', '.join(map(repr, unknown)) or '(none)'} not known; choose from "
            f"{', '.join(STAT_COLUMNS)}"
        )
        given_zh = f"统计量 {'、'.join(map(repr, unknown))} 无法识别" if unknown else "未选统计量"
        problems_zh.append(f"{given_zh}，请从 {'、'.join(STAT_COLUMNS)} 中选择")
    if coverage not in ("centre", "all_touched"):
        problems.append(f"`coverage` {coverage!r} not known; choose 'centre' or 'all_touched'")
        problems_zh.append(
            f"像元归属方式 {coverage!r} 无法识别，请选 centre（像元中心在分区内）"
            "或 all_touched（分区触及的所有像元）"
        )
    if problems:
        raise ParameterError("; ".join(problems) + ".", zh="；".join(problems_zh) + "。")
    if zones.crs is None:
        raise CRSError(
            "`zones` has no CRS; set the one its coordinates are in, e.g. "
            "`zones.set_crs('EPSG:4326')`.",
            zh="分区未注明坐标系；请设定其坐标实际所用的坐标系，如 EPSG:4326。",
        )


def _zone_window(geoms: np.ndarray, transform: Affine, shape: tuple[int, int]) -> Window | None:
    """Pixel window of the zones' bounding box within the raster (None: no overlap)."""
    west, south, east, north = shapely.total_bounds(geoms)
    if not np.isfinite([west, south, east, north]).all():
        return None
    window = rasterio.windows.from_bounds(west, south, east, north, transform=transform)
    col, row = math.floor(window.col_off), math.floor(window.row_off)
    width = max(1, math.ceil(window.col_off + window.width) - col)
    height = max(1, math.ceil(window.row_off + window.height) - row)
    try:
        return Window(col, row, width, height).intersection(Window(0, 0, shape[1], shape[0]))
    except rasterio.errors.WindowError:
        return None


def _zones_in(zones: gpd.GeoDataFrame, source: _Source) -> np.ndarray:
    """The zones' geometries in the raster's CRS (missing ones empty), as a numpy array."""
    if source.transform.b != 0 or source.transform.d != 0:
        raise RasterInputError(
            f"`{source.name}` is rotated; warp it north-up (gdalwarp) first.",
            zh=f"{source.name}：栅格是旋转的；请先用 gdalwarp 把它重采样为正北朝上。",
        )
    target = pyproj.CRS.from_user_input(source.crs.to_wkt())
    series = zones.geometry
    if not series.crs.equals(target, ignore_axis_order=True):
        series = series.to_crs(target)
    geoms = np.array(series.to_numpy(), dtype=object)  # a copy: the input is not changed
    geoms[shapely.is_missing(geoms)] = shapely.Point()
    return geoms


def _accumulate(
    source: _Source,
    geoms: np.ndarray,
    *,
    stats: Sequence[str],
    all_touched: bool,
    window_cells: int,
) -> tuple[_Totals, dict[str, int]]:
    """Read the windows the zones meet; burn each layer of zones; add the cells per label."""
    transform, nodata = source.transform, source.nodata
    totals = _Totals(len(geoms), stats)
    reads = {"n_windows_read": 0, "largest_window_cells": 0}
    within = _zone_window(geoms, transform, source.shape)
    if within is None:
        return totals, reads
    cell_diagonal = math.hypot(transform.a, transform.e)
    layers = zone_layers(geoms, cell_diagonal=cell_diagonal, all_touched=all_touched)
    boxes = pixel_bounds(geoms, transform)
    tree = shapely.STRtree(geoms)
    labels = np.arange(1, len(geoms) + 1)
    windows = window_grid(
        source.shape, source.block_shape, window_cells=window_cells, within=within
    )
    for window in windows:
        hits = tree.query(shapely.box(*rasterio.windows.bounds(window, transform)))
        if hits.size == 0:
            continue
        values = source.read(window)
        reads["n_windows_read"] += 1
        reads["largest_window_cells"] = max(reads["largest_window_cells"], values.size)
        has_value = ~np.isnan(values) if values.dtype.kind == "f" else np.ones(values.shape, bool)
        if nodata is not None and not np.isnan(nodata):
            has_value &= values != nodata
        for zones, part in zone_blocks(boxes, hits, layers, window):
            burnt = window_labels(
                geoms[zones],
                labels[zones],
                window=part,
                transform=transform,
                all_touched=all_touched,
            )
            inner = part.toslices()
            rows = slice(inner[0].start - int(window.row_off), inner[0].stop - int(window.row_off))
            cols = slice(inner[1].start - int(window.col_off), inner[1].stop - int(window.col_off))
            totals.add(burnt, values[rows, cols], has_value[rows, cols])
    return totals, reads


@dataclass(frozen=True)
class _Source:
    """What the accumulation needs of a raster: a window reader and the grid."""

    read: Reader
    crs: CRS
    transform: Affine
    shape: tuple[int, int]
    block_shape: tuple[int, int]
    nodata: float | None
    name: str


@contextmanager
def _raster_source(raster: str | Path | UserRaster, band: int) -> Iterator[_Source]:
    """The raster as a :class:`_Source`: a file opened checked, or an array in memory."""
    if isinstance(raster, UserRaster):
        data = raster.data
        yield _Source(
            read=lambda window: data[window.toslices()],
            crs=CRS.from_user_input("EPSG:4326"),
            transform=raster.transform,
            shape=(data.shape[0], data.shape[1]),
            block_shape=(1, data.shape[1]),
            nodata=None,
            name=raster.name,
        )
        return
    # Each block is read once: GDAL's block cache (default 5 % of the RAM) would only hold
    # memory, so it is kept to GDAL_CACHE_BYTES while the raster is read.
    with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_BYTES), open_raster(raster, band=band) as src:
        block_h, block_w = src.block_shapes[band - 1]
        yield _Source(
            read=lambda window: src.read(band, window=window),
            crs=src.crs,
            transform=src.transform,
            shape=(src.height, src.width),
            block_shape=(block_h, block_w),
            nodata=src.nodata,
            name=Path(raster).name,
        )


def zonal_stats(
    raster: str | Path | UserRaster,
    zones: gpd.GeoDataFrame,
    *,
    stats: Sequence[Statistic | str] = DEFAULT_STATS,
    band: int = 1,
    coverage: Coverage = "centre",
    prefix: str = "",
    window_cells: int = DEFAULT_WINDOW_CELLS,
) -> gpd.GeoDataFrame:
    """Statistics of a raster's cells in each zone, the raster read window by window.

    Parameters
    ----------
    raster, band
        A GeoTIFF of any size and CRS (read in windows, never whole) and its 1-based band, or a
        :class:`~longtu.analysis.io.rasters.UserRaster` already in memory.
    zones
        Polygons (also points, lines) with a CRS; reprojected to the raster's CRS, not changed.
        Zones may overlap (counties and the plan features on them): each gets all its cells.
    stats
        Any of ``count``, ``nodata_count``, ``sum``, ``mean``, ``min``, ``max``, ``std``.
    coverage
        ``"centre"``: cells whose centre lies in the zone; ``"all_touched"``: every cell the
        zone touches (module docstring).
    prefix
        Put before every statistic's column name, e.g. ``"ghi_kwh_m2_yr_"``.
    window_cells
        Cells read at once (rounded to whole blocks of the file).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of `zones` (same index and CRS) with one column per statistic (:data:`STAT_COLUMNS`:
        ``n_cells``, ``n_nodata_cells`` as counts of cells; ``sum``, ``mean``, ``min``, ``max``,
        ``std`` in the raster's unit, NaN for a zone without cells). ``attrs["zonal"]`` holds
        the raster's name, the coverage rule, the cell size in raster CRS units, the windows read
        and the largest window in cells.

    Raises
    ------
    ParameterError
        For unknown `stats` or `coverage` (all listed at once).
    CRSError
        If `zones` has no CRS.
    RasterInputError
        If the raster cannot be read, has no CRS, is rotated, or no zone lies on it.

    Examples
    --------
    >>> from affine import Affine
    >>> from shapely.geometry import box
    >>> r = UserRaster(np.arange(16.0).reshape(4, 4), Affine(1, 0, 100, 0, -1, 40), "demo", "m")
    >>> zones = gpd.GeoDataFrame(geometry=[box(100, 38, 102, 40)], crs="EPSG:4326")
    >>> zonal_stats(r, zones)[["n_cells", "mean", "min", "max"]].values.tolist()
    [[4.0, 2.5, 0.0, 5.0]]
    """
    _check_arguments(zones, stats, coverage)
    with _raster_source(raster, band) as source:
        return _zonal_table(source, zones, stats, coverage, prefix, window_cells)


def _zonal_table(
    source: _Source,
    zones: gpd.GeoDataFrame,
    stats: Sequence[str],
    coverage: Coverage,
    prefix: str,
    window_cells: int,
) -> gpd.GeoDataFrame:
    """A copy of `zones` with the statistics read from `source`; what was read in its attrs."""
    geoms = _zones_in(zones, source)
    # Equal geometries (a plan region named by several features) are counted once.
    _, first, same_as = np.unique(shapely.to_wkb(geoms), return_index=True, return_inverse=True)
    totals, reads = _accumulate(
        source,
        geoms[first],
        stats=stats,
        all_touched=coverage == "all_touched",
        window_cells=window_cells,
    )
    if reads["n_windows_read"] == 0 and len(zones):
        raise RasterInputError(
            f"no zone of `zones` lies on `{source.name}` (zones in {zones.crs.name}, raster in "
            f"{source.crs}); check that both CRSs are declared and the raster covers the zones.",
            zh=f"{source.name}：没有一个分区落在栅格上（分区为 {zones.crs.name}，栅格为 "
            f"{source.crs}）；请检查两者的坐标系是否都已注明、栅格是否覆盖这些分区。",
        )
    table = totals.table()
    out = zones.copy()
    for stat in stats:
        out[prefix + STAT_COLUMNS[stat][0]] = table[stat][same_as.ravel()]
    out.attrs["zonal"] = {
        "raster": source.name,
        "coverage": coverage,
        "cell_size": (abs(source.transform.a), abs(source.transform.e)),
        **reads,
    }
    return out
