"""An array in any CRS, checked and reprojected onto the analysis grid (EPSG:4326), in memory.

:func:`warp_to_wgs84` refuses what cannot be used (no CRS, a clear-sky model, more than one
band, nothing over Gansu) and reprojects with :mod:`rasterio.warp`: bilinear for continuous
data, nearest for classes. It opens no file; :func:`longtu.analysis.io.rasters.read_user_raster`
reads one and calls it (and the names stay importable from :mod:`longtu.analysis.io.rasters`).
"""

from __future__ import annotations

import re

import numpy as np
import rasterio.transform
import rasterio.warp
from affine import Affine
from rasterio.crs import CRS
from rasterio.enums import Resampling

from longtu import settings
from longtu.analysis.io.raster_types import RasterKind, UserRaster
from longtu.errors import RasterInputError

NO_CRS_ZH = "栅格未注明坐标系；请在 GIS 中为其指定坐标系（如 WGS84 经纬度）后重新导出。"
"""What a person reads, in Chinese, about a raster that names no coordinate system."""


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
    array, src_crs = _checked_array(data, transform=transform, crs=crs, name=name, source=source)
    array = _nodata_to_nan(array, nodata)
    resampling = Resampling.bilinear if kind == "continuous" else Resampling.nearest
    out, dst_transform = _reproject(array, transform, src_crs, resampling, resolution_deg)
    _check_has_values(out, name)
    tags = {"source_crs": src_crs.to_string(), "resampling": resampling.name}
    return UserRaster(out, dst_transform, name, unit, kind, source, tags)


def _checked_array(
    data: np.ndarray, *, transform: Affine, crs: CRS | str | None, name: str, source: str
) -> tuple[np.ndarray, CRS]:
    """`data` as a 2-D float array and its CRS, or :class:`RasterInputError` saying why not.

    Refused, in this order: no CRS, a clear-sky model (not a resource map), anything but one
    2-D band, a raster that does not overlap Gansu.
    """
    if crs is None:
        raise RasterInputError(
            f"`{name}` has no CRS; declare it "
            f"(e.g. `gdal_edit.py -a_srs {settings.storage_crs} FILE`) "
            "before using the raster.",
            zh=NO_CRS_ZH,
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
    src_crs = CRS.from_user_input(crs)
    height, width = array.shape
    west, south, east, north = rasterio.transform.array_bounds(height, width, transform)
    _check_overlap(
        rasterio.warp.transform_bounds(src_crs, settings.storage_crs, west, south, east, north),
        name,
    )
    return array, src_crs


def _check_overlap(bounds_wgs84: tuple[float, float, float, float], argument: str) -> None:
    """Refuse a raster whose bounds (lon/lat) do not overlap Gansu, saying where it lies."""
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


def _nodata_to_nan(array: np.ndarray, nodata: float | None) -> np.ndarray:
    """`array` with its `nodata` cells NaN (`array` itself when there is no nodata value)."""
    return array if nodata is None else np.where(array == nodata, np.nan, array)


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


def _check_has_values(out: np.ndarray, name: str) -> None:
    """Refuse a warped raster with no value over Gansu (every cell NaN)."""
    if np.isnan(out).all():
        raise RasterInputError(
            f"`{name}` has no value over Gansu: every pixel there is nodata; check the file "
            "(and its nodata value) or supply one that covers Gansu.",
            zh="在甘肃范围内没有任何有值像元（全部为无数据）；请检查文件及其无数据值，"
            "或改用覆盖甘肃的栅格。",
        )
