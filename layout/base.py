"""Loading the built base layers (building them first when they are missing)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
import shapely.geometry
from affine import Affine
from pyproj import CRS

from longtu import settings
from longtu.errors import InputFileError, LayerNotFoundError
from longtu.gis_data.build import BASE_LAYERS, base_layers_are_built, build_base_layers
from longtu.gis_data.rasters import IGBP_CLASSES
from longtu.layout.catalog import layer_title_zh

_BUILD_LOCK = threading.Lock()


@dataclass(frozen=True)
class Raster:
    """A loaded raster layer.

    Attributes
    ----------
    data : numpy.ndarray
        (bands, rows, cols), float64, NaN where no data.
    transform : affine.Affine
        Pixel-to-lon/lat transform (EPSG:4326).
    band_names : tuple of str
        Name and unit of each band, e.g. ``("elevation_m", "slope_deg")``.
    tags : dict
        Source and caveats from the GeoTIFF.
    path : pathlib.Path
        The GeoTIFF on disk.
    """

    data: np.ndarray
    transform: Affine
    band_names: tuple[str, ...]
    tags: dict[str, str]
    path: Path

    def band(self, name: str) -> np.ndarray:
        """The 2-D array of band `name`."""
        if name not in self.band_names:
            raise KeyError(f"No band `{name}`; bands are {', '.join(self.band_names)}.")
        return self.data[self.band_names.index(name)]


def ensure_built() -> Path:
    """Build the base layers into the data folder if they are not there; return the folder."""
    folder = Path(settings.data_folder)
    with _BUILD_LOCK:
        if not base_layers_are_built(folder):
            build_base_layers(folder)
    return folder


@lru_cache(maxsize=16)
def _read_vector(path: Path, mtime: float) -> gpd.GeoDataFrame:
    frame = gpd.read_parquet(path)
    storage = CRS.from_user_input(settings.storage_crs)
    if frame.crs is None or CRS.from_user_input(frame.crs) != storage:
        raise InputFileError(
            f"`{path}` is not {settings.storage_crs} ({frame.crs}); "
            "rebuild with `longtu build --force`.",
            zh=f"数据文件夹中的 {path.name} 不是 {settings.storage_crs} 坐标系；"
            "请运行 longtu build --force 重新构建基础图层。",
        )
    # GeoParquet stores the CRS as PROJJSON; restore the plain EPSG code for a readable `.crs`.
    return frame.set_crs(settings.storage_crs, allow_override=True)


@lru_cache(maxsize=8)
def _read_raster(path: Path, mtime: float) -> Raster:
    import rasterio  # here: a command that reads no raster need not import it (0.1 s)

    with rasterio.open(path) as src:
        data = src.read().astype(np.float64)
        if src.nodata is not None:
            data[data == src.nodata] = np.nan
        names = tuple(d or f"band_{i}" for i, d in enumerate(src.descriptions, start=1))
        return Raster(data, src.transform, names, dict(src.tags()), path)


def _path(name: str) -> Path:
    if name not in BASE_LAYERS:
        raise LayerNotFoundError(
            f"`{name}` is not a base layer; base layers: {', '.join(BASE_LAYERS)}.",
            zh=f"{name} 不是基础图层；基础图层有：{'、'.join(map(layer_title_zh, BASE_LAYERS))}。",
        )
    return ensure_built() / BASE_LAYERS[name][1]


def load_base_raster(name: str) -> Raster:
    """Load the raster base layer `name` (``"terrain"`` or ``"land_cover"``)."""
    if BASE_LAYERS.get(name, ("",))[0] != "raster":
        raise LayerNotFoundError(
            f"`{name}` is not a raster layer; raster layers: terrain, land_cover.",
            zh=f"{layer_title_zh(name)}不是栅格图层；栅格图层只有地形（terrain）与土地覆被"
            "（land_cover）。",
        )
    path = _path(name)
    return _read_raster(path, path.stat().st_mtime)


def load_base_vector(name: str) -> gpd.GeoDataFrame:
    """Load the vector base layer `name` (a copy: callers may modify it)."""
    path = _path(name)
    if BASE_LAYERS[name][0] != "vector":
        raise KeyError(f"`{name}` is a raster layer; use `load_base_raster`.")
    return _read_vector(path, path.stat().st_mtime).copy()


def terrain_cells() -> gpd.GeoDataFrame:
    """The terrain raster as one polygon per valid grid cell with ``elevation_m``, ``slope_deg``."""
    raster = load_base_raster("terrain")
    elevation = raster.band("elevation_m")
    rows, cols = np.nonzero(~np.isnan(elevation))
    t = raster.transform
    west = t.c + cols * t.a
    north = t.f + rows * t.e
    boxes = shapely.box(west, north + t.e, west + t.a, north)
    return gpd.GeoDataFrame(
        {"elevation_m": elevation[rows, cols], "slope_deg": raster.band("slope_deg")[rows, cols]},
        geometry=boxes,
        crs=settings.storage_crs,
    )


def land_cover_polygons() -> gpd.GeoDataFrame:
    """The land-cover raster as polygons of one IGBP class each, clipped to Gansu, with area."""
    raster = load_base_raster("land_cover")
    classes = raster.band("igbp_class")
    valid = ~np.isnan(classes)
    codes = np.where(valid, classes, 255).astype(np.uint8)
    import rasterio.features

    shapes = rasterio.features.shapes(codes, mask=valid, transform=raster.transform)
    records = [(int(v), shapely_shape) for shapely_shape, v in shapes]
    frame = gpd.GeoDataFrame(
        {"igbp_class": [c for c, _ in records]},
        geometry=[shapely.geometry.shape(g) for _, g in records],
        crs=settings.storage_crs,
    )
    frame = frame.dissolve(by="igbp_class", as_index=False)
    province = load_base_vector("province").geometry.iloc[0]
    frame["geometry"] = frame.geometry.intersection(province)
    frame = frame[~frame.geometry.is_empty].reset_index(drop=True)
    frame["name_zh"] = frame["igbp_class"].map(lambda c: IGBP_CLASSES[c][0])
    frame["name_en"] = frame["igbp_class"].map(lambda c: IGBP_CLASSES[c][1])
    frame["area_km2"] = frame.to_crs(settings.equal_area_crs).area / 1e6
    return frame[["igbp_class", "name_zh", "name_en", "area_km2", "geometry"]]
