"""User rasters (solar or wind resource, any GeoTIFF) on the analysis grid: EPSG:4326.

No gridded wind or solar resource ships with Longtu. A user brings one (Global Solar Atlas GHI,
DNI or PVOUT; Global Wind Atlas speed or power density; an interpolated station surface) and
every analysis reads it through one path:

``read_user_raster`` (the only function here that opens a file) -> :func:`warp_to_wgs84`
(checks CRS and overlap with Gansu, reprojects with :mod:`rasterio.warp`: bilinear for
continuous data, nearest for classes) -> :func:`sample_raster` (value of the pixel under each
point).

A raster too large to hold (a 30 m provincial file of several GB) is not read whole:
:func:`open_raster` opens it, checked, for reading in windows (zonal statistics,
:mod:`longtu.analysis.zonal`).
"""

from __future__ import annotations

import re
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
from longtu.errors import RasterInputError

_NO_CRS_ZH = "栅格未注明坐标系；请在 GIS 中为其指定坐标系（如 WGS84 经纬度）后重新导出。"
"""What a person reads, in Chinese, about a raster that names no coordinate system."""


def _unreadable_zh(file: str) -> str:
    """The Chinese message for a file that is not a readable GeoTIFF.

    Examples
    --------
    >>> _unreadable_zh("a.tif")
    'a.tif 无法作为 GeoTIFF 读取：文件可能不完整，或并非 GeoTIFF；请重新导出为 GeoTIFF。'
    """
    return f"{file} 无法作为 GeoTIFF 读取：文件可能不完整，或并非 GeoTIFF；请重新导出为 GeoTIFF。"


def _check_overlap(bounds_wgs84: tuple[float, float, float, float], argument: str) -> None:
    west, south, east, north = bounds_wgs84
    g_west, g_south, g_east, g_north = settings.gansu_bounds
    if east <= g_west or west >= g_east or north <= g_south or south >= g_north:
        raise RasterInputError(
            f"`{argument}` covers lon {west:.2f}..{east:.2f}, lat {south:.2f}..{north:.2f}, "
            f"which does not overlap Gansu ({g_west}..{g_east} E, {g_south}..{g_north} N); "
            "supply a raster that covers Gansu, or check that its CRS is declared correctly.",
            zh=f"栅格范围为东经 {west:.2f}～{east:.2f}、北纬 {south:.2f}～{north:.2f}，与甘肃省"
            f"（东经 {g_west}～{g_east}、北纬 {g_south}～{g_north}）不重叠；请改用覆盖甘肃的栅格，"
            "或检查其坐标系是否标注正确。",
        )


def warp_to_wgs84(
    data: np.ndarray,
    *,
    transform: Affine,
    crs: CRS | str | None,
    name: str,
    unit: str,
    kind: RasterKind = "continuous",
    nodata: float | None = None,
    source: str = "",
    resolution_deg: float | None = None,
) -> UserRaster:
    """Reproject a 2-D array to EPSG:4326 (bilinear if continuous, nearest if categorical).

    Parameters
    ----------
    data
        2-D array in `crs`.
    transform
        Its affine transform.
    crs
        Its CRS; ``None`` raises (a raster without CRS cannot be placed).
    name, unit
        What the pixels hold, e.g. ``"ghi"``, ``"kWh/m2/yr"``.
    kind
        ``"continuous"`` (irradiation, wind speed) or ``"categorical"`` (classes).
    nodata
        Value meaning no data; NaN always does.
    source
        Provenance written into the result.
    resolution_deg
        Output pixel size in degrees; default: rasterio's estimate keeping the pixel count.

    Returns
    -------
    UserRaster

    Raises
    ------
    RasterInputError
        If `crs` is missing, `data` is not 2-D, or the raster does not overlap Gansu.

    Examples
    --------
    >>> from affine import Affine
    >>> grid = np.arange(16.0).reshape(4, 4)
    >>> r = warp_to_wgs84(grid, transform=Affine(0.5, 0, 100, 0, -0.5, 38), crs="EPSG:4326",
    ...                   name="ghi", unit="kWh/m2/yr", resolution_deg=0.5)
    >>> r.data.shape, r.column
    ((4, 4), 'ghi_kwh_m2_yr')
    """
    array = _checked_array(data, crs=crs, name=name, source=source)
    src_crs = CRS.from_user_input(crs)
    height, width = array.shape
    west, south, east, north = rasterio.transform.array_bounds(height, width, transform)
    _check_overlap(
        rasterio.warp.transform_bounds(src_crs, settings.storage_crs, west, south, east, north),
        name,
    )
    if nodata is not None:
        array = np.where(array == nodata, np.nan, array)
    resampling = Resampling.bilinear if kind == "continuous" else Resampling.nearest
    out, dst_transform = _reproject(array, transform, src_crs, resampling, resolution_deg)
    if np.isnan(out).all():
        raise RasterInputError(
            f"`{name}` has no value over Gansu: every pixel there is nodata; check the file "
            "(and its nodata value) or supply one that covers Gansu.",
            zh="在甘肃范围内没有任何有值像元（全部为无数据）；请检查文件及其无数据值，"
            "或改用覆盖甘肃的栅格。",
        )
    tags = {"source_crs": src_crs.to_string(), "resampling": resampling.name}
    return UserRaster(out, dst_transform, name, unit, kind, source, tags)


def _checked_array(
    data: np.ndarray, *, crs: CRS | str | None, name: str, source: str
) -> np.ndarray:
    """`data` as a 2-D float array, or :class:`RasterInputError` saying why it cannot be used.

    Refused: no CRS, a clear-sky model (not a resource map), anything but one 2-D band.
    """
    if crs is None:
        raise RasterInputError(
            f"`{name}` has no CRS; declare it "
            f"(e.g. `gdal_edit.py -a_srs {settings.storage_crs} FILE`) "
            "before using the raster.",
            zh=_NO_CRS_ZH,
        )
    if re.search(r"clear[\s_-]*sky", f"{name} {source}", flags=re.IGNORECASE):
        raise RasterInputError(
            f"`{name}` looks like a clear-sky irradiance model; it is not a resource map (it "
            "ranks Gansu's 68 stations' measured GHI at Spearman 0.15). Supply measured or "
            "satellite-derived GHI/DNI (e.g. Global Solar Atlas) instead.",
            zh="看来是晴空辐射模型，不是资源数据（它与甘肃 68 个气象站实测总辐射的秩相关仅 0.15）；"
            "请改用实测或卫星反演的总辐射或直接辐射栅格（如 Global Solar Atlas）。",
        )
    array = np.asarray(data, dtype=np.float64)
    if array.ndim != 2:
        raise RasterInputError(
            f"`{name}` must be one 2-D band, got shape {array.shape}.",
            zh=f"栅格应为单个二维波段，实际形状为 {array.shape}；请导出单波段 GeoTIFF。",
        )
    return array


def _reproject(
    array: np.ndarray,
    transform: Affine,
    src_crs: CRS,
    resampling: Resampling,
    resolution_deg: float | None,
) -> tuple[np.ndarray, Affine]:
    """`array` reprojected to the storage CRS (NaN where nothing maps), and its transform."""
    height, width = array.shape
    west, south, east, north = rasterio.transform.array_bounds(height, width, transform)
    dst_transform, dst_width, dst_height = rasterio.warp.calculate_default_transform(
        src_crs,
        settings.storage_crs,
        width,
        height,
        west,
        south,
        east,
        north,
        resolution=resolution_deg,
    )
    out = np.full((dst_height, dst_width), np.nan)
    rasterio.warp.reproject(
        array,
        out,
        src_transform=transform,
        src_crs=src_crs,
        src_nodata=np.nan,
        dst_transform=dst_transform,
        dst_crs=settings.storage_crs,
        dst_nodata=np.nan,
        resampling=resampling,
    )
    return out, dst_transform


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
    FileNotFoundError: `path` missing.tif does not exist; give the path of a GeoTIFF.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"`path` {path} does not exist; give the path of a GeoTIFF.")
    if unit is None:
        if name not in KNOWN_RESOURCES:
            raise RasterInputError(
                f"`unit` is needed for a raster named `{name}` (known names: "
                f"{', '.join(KNOWN_RESOURCES)}).",
                zh=f"栅格 {name} 不是已知的资源名称（已知：{'、'.join(KNOWN_RESOURCES)}），"
                "须注明其数值单位。",
            )
        unit = KNOWN_RESOURCES[name][2]
    try:
        return _read_window(path, name=name, unit=unit, kind=kind, band=band, max_cells=max_cells)
    except rasterio.errors.RasterioIOError as error:
        raise RasterInputError(
            f"`{path.name}` could not be read as a GeoTIFF (GDAL said: {str(error)[:160]}); "
            "it may be truncated or another kind of file: export it again as GeoTIFF.",
            zh=_unreadable_zh(path.name),
        ) from None


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
    FileNotFoundError: `path` missing.tif does not exist; give the path of a GeoTIFF.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"`path` {path} does not exist; give the path of a GeoTIFF.")
    try:
        src = rasterio.open(path)
    except rasterio.errors.RasterioIOError as error:
        raise RasterInputError(
            f"`{path.name}` could not be read as a GeoTIFF (GDAL said: {str(error)[:160]}); "
            "it may be truncated or another kind of file: export it again as GeoTIFF.",
            zh=_unreadable_zh(path.name),
        ) from None
    with src:
        if src.crs is None:
            raise RasterInputError(
                f"`{path.name}` has no CRS; declare it "
                f"(e.g. `gdal_edit.py -a_srs {settings.storage_crs}`).",
                zh=f"{path.name}：{_NO_CRS_ZH}",
            )
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
            raise RasterInputError(
                f"`{path.name}` has no CRS; declare it "
                f"(e.g. `gdal_edit.py -a_srs {settings.storage_crs}`).",
                zh=f"{path.name}：{_NO_CRS_ZH}",
            )
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
