"""Geometry as it is drawn on a web map: thinned for the screen, coordinates rounded.

Nothing is measured on these geometries; they are what the browser draws, at the detail a
Leaflet zoom level shows.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
import shapely.geometry
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from longtu import settings

#: Display simplification by zoom level: (lowest zoom, tolerance in degrees), coarse to fine.
ZOOM_TOLERANCES: tuple[tuple[float, float], ...] = ((0, 0.02), (7, 0.005), (9, 0.001))


def tolerance_for_zoom(zoom: float) -> float:
    """Display tolerance (degrees) for a Leaflet zoom level: finer as the user zooms in.

    Examples
    --------
    >>> tolerance_for_zoom(5), tolerance_for_zoom(8), tolerance_for_zoom(11)
    (0.02, 0.005, 0.001)
    """
    return [tol for low, tol in ZOOM_TOLERANCES if zoom >= low][-1]


def simplify_for_display(frame: gpd.GeoDataFrame, *, tolerance_deg: float) -> gpd.GeoDataFrame:
    """Polygons simplified as one coverage (shared borders stay shared), for drawing only.

    The tolerance is in degrees because it only thins vertices for the screen; nothing is
    measured on the result.
    """
    storage = CRS.from_user_input(settings.storage_crs)
    if frame.crs is None or CRS.from_user_input(frame.crs) != storage:
        raise ValueError(
            f"`frame` must be {settings.storage_crs}; use `to_crs('{settings.storage_crs}')` first."
        )
    out = frame.copy()
    out["geometry"] = rounded(shapely.coverage_simplify(out.geometry.values, tolerance_deg))
    return out


#: Decimals of the coordinates sent to the browser: 1e-5 degrees is about 1 m, finer than any
#: boundary or plan feature is drawn (and half the size of full float precision).
DISPLAY_DECIMALS = 5


def rounded(geometries: np.ndarray) -> np.ndarray:
    """Geometries with coordinates rounded to :data:`DISPLAY_DECIMALS`, for drawing only.

    Examples
    --------
    >>> rounded(np.array([shapely.Point(103.123456789, 36.1)]))[0].wkt
    'POINT (103.12346 36.1)'
    """
    return shapely.transform(geometries, lambda xy: np.round(xy, DISPLAY_DECIMALS))


def _parts(geom: BaseGeometry) -> list[BaseGeometry]:
    """A multi-place geometry as its places, one each (a Leaflet layer cannot hold several)."""
    if isinstance(geom, shapely.MultiPoint | shapely.GeometryCollection):
        return list(geom.geoms)
    return [geom]


def feature_collection(frame: gpd.GeoDataFrame, properties: list[dict]) -> dict:
    """GeoJSON of `frame`; a feature drawn at several places is one Feature per place.

    Leaflet draws a MultiPoint as a group of markers that carry no feature of their own, so
    their tooltip and popup found no properties; each place now carries the feature's.
    """
    features = [
        {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(part)}
        for geom, props in zip(rounded(frame.geometry.values), properties, strict=True)
        for part in _parts(geom)
    ]
    return {"type": "FeatureCollection", "features": features}
