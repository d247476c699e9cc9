"""The inputs of the point-pattern statistics: points and a study area, checked.

Every statistic of :mod:`longtu.analysis.clustering.point_pattern` takes its points through
:func:`lonlat_xy` or :func:`projected_xy` and its study area through :func:`study_polygon`, so
that a layer without CRS, a row that is not a Point or an area without area is refused once,
in English and Chinese, with the layer named.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from longtu import settings
from longtu.errors import PointPatternInputError


def projected_xy(points: gpd.GeoDataFrame | gpd.GeoSeries, *, name: str = "points") -> np.ndarray:
    """Coordinates (m) of Point geometries in the equal-area CRS, shape ``(n, 2)``.

    Parameters
    ----------
    points
        Points with a CRS; no missing, empty or non-Point geometry.
    name
        Argument name used in error messages.

    Returns
    -------
    numpy.ndarray
        ``x, y`` in metres in :data:`longtu.settings.equal_area_crs`.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> pts = gpd.GeoSeries([Point(105, 0)], crs="EPSG:4326")
    >>> projected_xy(pts).round(1).tolist()
    [[0.0, 0.0]]
    """
    projected = _point_geoms(points, name).to_crs(settings.equal_area_crs)
    return shapely.get_coordinates(projected.to_numpy())


def lonlat_xy(points: gpd.GeoDataFrame | gpd.GeoSeries, *, name: str = "points") -> np.ndarray:
    """Longitude/latitude (degrees, WGS84) of Point geometries, shape ``(n, 2)``.

    The coordinates every geodesic distance is computed from; same checks as
    :func:`projected_xy`.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> pts = gpd.GeoSeries([Point(0, 0)], crs=settings.equal_area_crs)
    >>> lonlat_xy(pts).round(6).tolist()
    [[105.0, 0.0]]
    """
    lonlat = _point_geoms(points, name).to_crs(settings.storage_crs)
    return shapely.get_coordinates(lonlat.to_numpy())


def _point_geoms(points: gpd.GeoDataFrame | gpd.GeoSeries, name: str) -> gpd.GeoSeries:
    geoms = geo_series(points, name)
    missing = geoms.isna() | geoms.is_empty
    if missing.any() or not (geoms.geom_type == "Point").all():
        raise PointPatternInputError(
            f"`{name}` must hold only Point geometries; found {int(missing.sum())} missing/empty "
            f"and {int((~missing & (geoms.geom_type != 'Point')).sum())} non-Point rows. Drop "
            "unplaced rows and reduce MultiPoints first (e.g. `park_points`).",
            zh=f"{_name_zh(name)}须全为点几何；其中 {int(missing.sum())} 行缺少或为空几何，"
            f"{int((~missing & (geoms.geom_type != 'Point')).sum())} 行不是点；"
            "请先去掉未落位的行，并把多点要素化为单点。",
        )
    return geoms


def study_polygon(study_area: gpd.GeoDataFrame | gpd.GeoSeries) -> BaseGeometry:
    """The union of `study_area` in the equal-area CRS (metres).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> area = gpd.GeoSeries([box(0, 0, 1000, 2000)], crs=settings.equal_area_crs)
    >>> study_polygon(area).area
    2000000.0
    """
    geoms = geo_series(study_area, "study_area")
    polygon = shapely.union_all(geoms.to_crs(settings.equal_area_crs).to_numpy())
    if polygon.is_empty or polygon.area <= 0:
        raise PointPatternInputError(
            "`study_area` has no area; pass polygons such as `province`.",
            zh="研究区没有面积；请使用面图层，如全省边界。",
        )
    return polygon


def _name_zh(name: str) -> str:
    """The argument `name` as a person reads it in Chinese (the layer it stands for)."""
    return {"points": "点图层", "study_area": "研究区", "labelled": "集聚结果"}.get(name, "图层")


def geo_series(obj: object, name: str) -> gpd.GeoSeries:
    """The geometries of `obj` (a GeoDataFrame or GeoSeries), refused without a CRS."""
    if isinstance(obj, gpd.GeoDataFrame):
        geoms = obj.geometry
    elif isinstance(obj, gpd.GeoSeries):
        geoms = obj
    else:
        raise PointPatternInputError(
            f"`{name}` must be a GeoDataFrame or GeoSeries, got {type(obj).__name__}."
        )
    if geoms.crs is None:
        raise PointPatternInputError(
            f"`{name}` has no CRS; set one with `set_crs()` "
            f"(plan layers are {settings.storage_crs}).",
            zh=f"{_name_zh(name)}未注明坐标系；请为其设定坐标系（规划图层为 "
            f"{settings.storage_crs}）。",
        )
    return geoms
