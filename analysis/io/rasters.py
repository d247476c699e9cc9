"""User rasters (solar or wind resource, any GeoTIFF) on the analysis grid: EPSG:4326.

No gridded wind or solar resource ships with Longtu. A user brings one (Global Solar Atlas GHI,
DNI or PVOUT; Global Wind Atlas speed or power density; an interpolated station surface) and
every analysis reads it through one path:

``read_user_raster`` (the only function here that opens a file) -> :func:`warp_to_wgs84`
(in :mod:`longtu.analysis.io.raster_warp`, importable from here too: checks CRS and overlap
with Gansu, reprojects with :mod:`rasterio.warp`: bilinear for continuous data, nearest for
classes) -> :func:`sample_raster` (value of the pixel under each point).

A raster too large to hold (a 30 m provincial file of several GB) is not read whole:
:func:`open_raster` opens it, checked, for reading in windows (zonal statistics,
:mod:`longtu.analysis.zonal`).
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import rasterio.errors
import rasterio.warp
import rasterio.windows
from affine import Affine
from rasterio.crs import CRS
from rasterio.enums import Resampling

from longtu import settings
from longtu.analysis.io.raster_types import (  # noqa: F401 - the names users import from here
    DEFAULT_MAX_CELLS,
    KNOWN_RESOURCES,
    RasterKind,
    UserRaster,
    unit_slug,
)
from longtu.analysis.io.raster_warp import NO_CRS_ZH, warp_to_wgs84
from longtu.errors import RasterInputError


def _unreadable_zh(file: str) -> str:
    """The Chinese message for a file that is not a readable GeoTIFF.

    Examples
    --------
    >>> _unreadable_zh("a.tif")
    'a.tif 无法作为 GeoTIFF 读取：文件可能不完整，或并非 GeoTIFF；请重新导出为 GeoTIFF。'
    """
    return f"{file} 无法作为 GeoTIFF 读取：文件可能不完整，或并非 GeoTIFF；请重新导出为 GeoTIFF。"


def read_user_raster(
    path: str | Path,
    *,
    name: str,
    unit: str | None = None,
    kind: RasterKind = "continuous",
    band: int = 1,
    max_cells: int = DEFAULT_MAX_CELLS,
) -> UserRaster:
    """Read band `band` of a GeoTIFF over Gansu and reproject it to EPSG:4326.

    The only file access of the analyses: it reads just the window covering Gansu (so a
    global Global Solar Atlas file is fine), then calls :func:`warp_to_wgs84`.

    Parameters
    ----------
    path
        GeoTIFF (any CRS, declared in the file).
    name
        Short name, e.g. ``"ghi"``, ``"dni"``, ``"pvout"``, ``"wind_speed"``.
    unit
        Unit of the values; default the usual unit of a known `name`
        (:data:`KNOWN_RESOURCES`). Global Solar Atlas daily totals are ``"kWh/m2/day"``.
    kind
        ``"continuous"`` (bilinear) or ``"categorical"`` (nearest).
    band
        1-based band number.
    max_cells
        Most cells read over Gansu; a finer raster is read averaged down by an integer factor
        (classes: their mode), which its ``tags["read_note_en"]`` and the summaries say.

    Returns
    -------
    UserRaster

    Examples
    --------
    >>> read_user_raster("missing.tif", name="ghi")
    Traceback (most recent call last):
    ...
    FileNotFoundError: [Errno 2] No such GeoTIFF file: 'missing.tif'
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(errno.ENOENT, "No such GeoTIFF file", str(path))
    unit = _unit_or_usual(unit, name=name)
    try:
        return _read_window(path, name=name, unit=unit, kind=kind, band=band, max_cells=max_cells)
    except rasterio.errors.RasterioIOError as error:
        raise _unreadable(path, error) from None


def _unit_or_usual(unit: str | None, *, name: str) -> str:
    """`unit`, or the usual unit of a known resource `name`; refused for another name."""
    if unit is not None:
        return unit
    if name not in KNOWN_RESOURCES:
        raise RasterInputError(
            f"`unit` is needed for a raster named `{name}` (known names: "
            f"{', '.join(KNOWN_RESOURCES)}).",
            zh=f"栅格 {name} 不是已知的资源名称（已知：{'、'.join(KNOWN_RESOURCES)}），"
            "须注明其数值单位。",
        )
    return KNOWN_RESOURCES[name][2]


def _unreadable(path: Path, error: rasterio.errors.RasterioIOError) -> RasterInputError:
    """The refusal of a file GDAL could not open as a raster, with what GDAL said."""
    return RasterInputError(
        f"`{path.name}` could not be read as a GeoTIFF (GDAL said: {str(error)[:160]}); "
        "it may be truncated or another kind of file: export it again as GeoTIFF.",
        zh=_unreadable_zh(path.name),
    )


def _no_crs(path: Path) -> RasterInputError:
    """The refusal of a raster file that declares no CRS."""
    return RasterInputError(
        f"`{path.name}` has no CRS; declare it "
        f"(e.g. `gdal_edit.py -a_srs {settings.storage_crs}`).",
        zh=f"{path.name}：{NO_CRS_ZH}",
    )


@contextmanager
def open_raster(path: str | Path, *, band: int = 1) -> Iterator[rasterio.DatasetReader]:
    """Open a GeoTIFF, checked, for reading band `band` in windows (never whole).

    Parameters
    ----------
    path
        GeoTIFF (any CRS, declared in the file), of any size.
    band
        1-based band number that will be read.

    Yields
    ------
    rasterio.DatasetReader
        The open dataset; closed when the ``with`` block ends.

    Raises
    ------
    FileNotFoundError
        If `path` does not exist.
    RasterInputError
        If the file is not a readable raster, has no CRS, or has no band `band`.

    Examples
    --------
    >>> with open_raster("missing.tif") as src:
    ...     pass
    Traceback (most recent call last):
    ...
    FileNotFoundError: [Errno 2] No such GeoTIFF file: 'missing.tif'
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(errno.ENOENT, "No such GeoTIFF file", str(path))
    try:
        src = rasterio.open(path)
    except rasterio.errors.RasterioIOError as error:
        raise _unreadable(path, error) from None
    with src:
        if src.crs is None:
            raise _no_crs(path)
        if not 1 <= band <= src.count:
            raise RasterInputError(
                f"`band` {band} is not in {path.name}, which has {src.count} band(s); "
                f"choose a band from 1 to {src.count}.",
                zh=f"{path.name} 只有 {src.count} 个波段，没有第 {band} 波段；"
                f"请选择第 1 至 {src.count} 波段。",
            )
        yield src


def _read_window(
    path: Path,
    *,
    name: str,
    unit: str,
    kind: RasterKind,
    band: int,
    max_cells: int = DEFAULT_MAX_CELLS,
) -> UserRaster:
    """The part of the raster at `path` over Gansu, on the analysis grid.

    A window of more than `max_cells` cells is read averaged down (by an integer factor, so
    every cell read is the mean, or for classes the mode, of whole source cells); the raster's
    ``tags["read_note_zh"]`` / ``["read_note_en"]`` say so.
    """
    with rasterio.open(path) as src:
        if src.crs is None:
            raise _no_crs(path)
        window = _gansu_window(src)
        factor = _reduction(int(window.width) * int(window.height), max_cells)
        shape = (max(1, int(window.height) // factor), max(1, int(window.width) // factor))
        resampling = Resampling.average if kind == "continuous" else Resampling.mode
        data = src.read(
            band, window=window, out_shape=shape, resampling=resampling, masked=False
        ).astype(np.float32)
        scale = Affine.scale(window.width / shape[1], window.height / shape[0])
        raster = warp_to_wgs84(
            data,
            transform=src.transform @ Affine.translation(window.col_off, window.row_off) @ scale,
            crs=src.crs,
            name=name,
            unit=unit,
            kind=kind,
            nodata=src.nodata,
            source=str(path),
        )
    if factor > 1:
        raster.tags.update(
            _reduction_notes(path.name, factor, int(window.width * window.height), kind)
        )
    return raster


def _gansu_window(src: rasterio.DatasetReader) -> rasterio.windows.Window:
    west, south, east, north = settings.gansu_bounds
    bounds = rasterio.warp.transform_bounds(settings.storage_crs, src.crs, west, south, east, north)
    window = rasterio.windows.from_bounds(*bounds, transform=src.transform)
    full = rasterio.windows.Window(0, 0, src.width, src.height)
    try:
        return window.round_offsets().round_lengths().intersection(full)
    except rasterio.errors.WindowError:
        return full  # no overlap: warp_to_wgs84 reports it with the raster's bounds


def _reduction(cells: int, max_cells: int) -> int:
    """The smallest integer factor per axis that brings `cells` within `max_cells`.

    Examples
    --------
    >>> _reduction(100, 100), _reduction(101, 100), _reduction(260_000_000, 25_000_000)
    (1, 2, 4)
    """
    factor = 1
    while cells / factor**2 > max_cells:
        factor += 1
    return factor


def _reduction_notes(file: str, factor: int, cells: int, kind: RasterKind) -> dict[str, str]:
    how_zh, how_en = (
        ("取平均", "averaged") if kind == "continuous" else ("取众数", "commonest class")
    )
    return {
        "read_note_zh": f"{file} 在甘肃范围内有 {cells:,} 个像元，超过一次读取上限 "
        f"{DEFAULT_MAX_CELLS:,}：按 {factor}×{factor} 像元合并（{how_zh}）后读取，分辨率为原来的 "
        f"1/{factor}。需要原分辨率时请先裁剪到研究区。",
        "read_note_en": f"{file} has {cells:,} cells over Gansu, more than the "
        f"{DEFAULT_MAX_CELLS:,} read at once: read over {factor}x{factor} cells ({how_en}), "
        f"1/{factor} of its resolution. Clip it to the study area to use it at full resolution.",
    }


def read_notes(rasters: Iterable[UserRaster]) -> tuple[str, str]:
    """What a summary must say about how its rasters were read (Chinese, English; may be empty).

    Examples
    --------
    >>> read_notes([])
    ('', '')
    """
    kept = [r for r in rasters if "read_note_en" in r.tags]
    zh = "".join(r.tags["read_note_zh"] for r in kept)
    en = " ".join(r.tags["read_note_en"] for r in kept)
    return zh, (" " + en if en else "")


def sample_raster(raster: UserRaster, points: gpd.GeoDataFrame) -> np.ndarray:
    """Value of the pixel under each point (NaN outside the raster or on no data).

    Parameters
    ----------
    raster
        A :class:`UserRaster` (EPSG:4326).
    points
        Point GeoDataFrame in EPSG:4326; empty geometries give NaN.

    Returns
    -------
    numpy.ndarray
        One float per row of `points`.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> r = UserRaster(np.array([[1.0, 2.0], [3.0, 4.0]]), Affine(1, 0, 100, 0, -1, 40),
    ...                "ghi", "kWh/m2/yr")
    >>> pts = gpd.GeoDataFrame(geometry=[Point(101.5, 38.5), Point(120, 30)], crs="EPSG:4326")
    >>> sample_raster(r, pts).tolist()
    [4.0, nan]
    """
    if points.crs is None or CRS.from_user_input(points.crs) != CRS.from_user_input(
        settings.storage_crs
    ):
        raise RasterInputError(
            f"`points` must be in {settings.storage_crs} (got {points.crs}); "
            f"use `points.to_crs('{settings.storage_crs}')`."
        )
    geoms = points.geometry
    if not geoms.is_empty.all() and not (geoms[~geoms.is_empty].geom_type == "Point").all():
        raise RasterInputError(
            "`points` must hold Point geometries; use `.representative_point()` for areas."
        )
    values = np.full(len(points), np.nan)
    ok = ~(geoms.isna() | geoms.is_empty).to_numpy()
    if not ok.any():
        return values
    x, y = geoms[ok].x.to_numpy(), geoms[ok].y.to_numpy()
    inv = ~raster.transform
    cols = np.floor(inv.a * x + inv.b * y + inv.c).astype(int)
    rows = np.floor(inv.d * x + inv.e * y + inv.f).astype(int)
    height, width = raster.data.shape
    inside = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
    picked = np.full(ok.sum(), np.nan)
    picked[inside] = raster.data[rows[inside], cols[inside]]
    values[ok] = picked
    return values
