"""The map projection of printed pages: an Albers equal-area conic fitted to Gansu.

Gansu spans 32.6-42.8 N; standard parallels at 33 N and 41 N with the central meridian at
103 E keep the scale error within about ±1 % over the whole province (the usual one-sixth rule
for conic standard parallels), and areas are true. Stored layers stay in EPSG:4326; pages are
drawn in this CRS (metres).
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
from numpy.typing import ArrayLike
from pyproj import CRS, Transformer

from longtu import settings
from longtu.errors import ProjectionError

GANSU_ALBERS = (
    "+proj=aea +lat_0=37 +lon_0=103 +lat_1=33 +lat_2=41 +x_0=0 +y_0=0 "
    "+datum=WGS84 +units=m +no_defs"
)
"""PROJ string of the page projection (Albers equal-area, 33 N / 41 N, 103 E)."""


@lru_cache(maxsize=1)
def map_crs() -> CRS:
    """The page CRS as a :class:`pyproj.CRS`.

    Examples
    --------
    >>> map_crs().is_projected
    True
    """
    return CRS.from_proj4(GANSU_ALBERS)


@lru_cache(maxsize=4)
def _transformer(inverse: bool, lonlat_crs: str) -> Transformer:
    if inverse:
        return Transformer.from_crs(map_crs(), lonlat_crs, always_xy=True)
    return Transformer.from_crs(lonlat_crs, map_crs(), always_xy=True)


def project_gdf(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of `gdf` in the page CRS; rows without geometry are dropped.

    Raises
    ------
    ProjectionError
        If `gdf` has no CRS.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> g = gpd.GeoDataFrame(geometry=[Point(103, 37), None], crs="EPSG:4326")
    >>> p = project_gdf(g)
    >>> len(p), round(p.geometry.x.iloc[0]), round(p.geometry.y.iloc[0])
    (1, 0, 0)
    """
    if gdf.crs is None:
        raise ProjectionError(
            f"`gdf` has no CRS; set it with `gdf.set_crs('{settings.storage_crs}')` before drawing."
        )
    kept = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    return kept.to_crs(map_crs())


def lonlat_to_map(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Project longitudes and latitudes (degrees) to page metres.

    Examples
    --------
    >>> x, y = lonlat_to_map(103.0, 37.0)
    >>> float(x), float(y)
    (0.0, 0.0)
    """
    x, y = _transformer(False, settings.storage_crs).transform(
        np.asarray(lon, float), np.asarray(lat, float)
    )
    return np.asarray(x), np.asarray(y)


def map_to_lonlat(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`lonlat_to_map`.

    Examples
    --------
    >>> lon, lat = map_to_lonlat(0.0, 0.0)
    >>> round(float(lon), 6), round(float(lat), 6)
    (103.0, 37.0)
    """
    lon, lat = _transformer(True, settings.storage_crs).transform(
        np.asarray(x, float), np.asarray(y, float)
    )
    return np.asarray(lon), np.asarray(lat)


def north_angle_deg(lon: float, lat: float) -> float:
    """Angle of true north at (`lon`, `lat`), degrees clockwise from the page's up direction.

    On a conic projection meridians converge towards the pole: the angle is
    ``-n * (lon - 103)`` with the cone constant ``n = (sin 33° + sin 41°) / 2 ≈ 0.600``, so
    north leans right west of 103 E and left east of it.

    Examples
    --------
    >>> north_angle_deg(103.0, 37.0)
    0.0
    >>> north_angle_deg(106.0, 34.0) < 0 < north_angle_deg(95.0, 40.0)
    True
    """
    x, y = lonlat_to_map([lon, lon], [lat, lat + 0.01])
    angle = float(np.degrees(np.arctan2(x[1] - x[0], y[1] - y[0])))
    return round(angle, 6) + 0.0
