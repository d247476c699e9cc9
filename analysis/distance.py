"""Geodesic distance from points to the nearest feature of another layer, and CRS checks.

The nearest feature and the nearest point on it are found in the Albers equal-area CRS
(:data:`longtu.settings.equal_area_crs`); the distance to that point is then measured on the
WGS84 ellipsoid, so the kilometres reported are geodesic, never degrees.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Geod, Transformer

from longtu import settings
from longtu.errors import CRSError

_GEOD = Geod(ellps="WGS84")


def check_wgs84(frame: gpd.GeoDataFrame, argument: str) -> None:
    """Raise :class:`CRSError` unless `frame` is a GeoDataFrame in EPSG:4326.

    Examples
    --------
    >>> check_wgs84(gpd.GeoDataFrame(geometry=[], crs=3857), "towns")
    Traceback (most recent call last):
    ...
    longtu.errors.CRSError: `towns` is in EPSG:3857, expected EPSG:4326; use ...
    """
    if not isinstance(frame, gpd.GeoDataFrame):
        raise CRSError(f"`{argument}` must be a GeoDataFrame, got {type(frame).__name__}.")
    if frame.crs is None:
        raise CRSError(
            f"`{argument}` has no CRS; set it with `{argument}.set_crs('{settings.storage_crs}')`.",
            zh=f"{_named_zh(argument)}未注明坐标系；请设定为 {settings.storage_crs}（经纬度）。",
        )
    if CRS.from_user_input(frame.crs) != CRS.from_user_input(settings.storage_crs):
        raise CRSError(
            f"`{argument}` is in {frame.crs}, expected {settings.storage_crs}; "
            f"use `{argument}.to_crs('{settings.storage_crs}')`.",
            zh=f"{_named_zh(argument)}的坐标系为 {frame.crs}，应为 {settings.storage_crs}"
            "（经纬度）；请先转换坐标系。",
        )


_ARGUMENTS_ZH = {
    "parks": "园区",
    "sites": "点位",
    "points": "点",
    "prefectures": "市州",
    "towns": "城镇",
}
"""Chinese names of the layers the analyses check by their argument's name."""


def _named_zh(argument: str) -> str:
    """The layer `argument` names (``parks``, ``base['towns']``) in Chinese, for a message.

    Examples
    --------
    >>> _named_zh("parks"), _named_zh("base['towns']"), _named_zh("rivers")
    ('园区', '基础图层 towns ', '图层 rivers ')
    """
    if argument in _ARGUMENTS_ZH:
        return _ARGUMENTS_ZH[argument]
    name = argument.removeprefix("base['").removesuffix("']")
    return f"基础图层 {name} " if name != argument else f"图层 {argument} "


def nearest_distance_km(
    points: gpd.GeoDataFrame, targets: gpd.GeoDataFrame, *, argument: str = "targets"
) -> pd.DataFrame:
    """Geodesic distance (km) from each point to the nearest geometry of `targets`.

    Parameters
    ----------
    points
        Point GeoDataFrame, EPSG:4326.
    targets
        Any geometries, EPSG:4326 (lines for rivers, points for towns).
    argument
        Name of `targets` used in error messages.

    Returns
    -------
    pandas.DataFrame
        Indexed like `points`: ``distance_km`` and ``target_index`` (index label of the nearest
        target); NaN for empty points.

    Examples
    --------
    A point 1 degree of latitude north of an east-west line is about 111 km away:

    >>> from shapely.geometry import LineString, Point
    >>> pts = gpd.GeoDataFrame(geometry=[Point(100, 37)], crs=4326)
    >>> line = gpd.GeoDataFrame(geometry=[LineString([(99, 36), (101, 36)])], crs=4326)
    >>> round(float(nearest_distance_km(pts, line)["distance_km"].iloc[0]), 1)
    111.0
    """
    check_wgs84(points, "points")
    check_wgs84(targets, argument)
    out = pd.DataFrame({"distance_km": np.nan, "target_index": None}, index=points.index)
    valid_targets = targets[~(targets.geometry.isna() | targets.geometry.is_empty)]
    ok = ~(points.geometry.isna() | points.geometry.is_empty)
    if valid_targets.empty or not ok.any():
        return out
    src = points.loc[ok, ["geometry"]].to_crs(settings.equal_area_crs)
    # Vertices every ~2 km, so straight lon/lat segments keep their shape when projected.
    dense = valid_targets[["geometry"]].set_geometry(valid_targets.geometry.segmentize(0.02))
    dst = dense.to_crs(settings.equal_area_crs)
    joined = gpd.sjoin_nearest(src, dst, how="left")
    joined = joined[~joined.index.duplicated(keep="first")]
    nearest_geom = dst.geometry.loc[joined["index_right"]].to_numpy()
    lines = shapely.shortest_line(src.geometry.to_numpy(), nearest_geom)
    start = shapely.get_coordinates(shapely.get_point(lines, 0))
    end = shapely.get_coordinates(shapely.get_point(lines, 1))
    back = Transformer.from_crs(settings.equal_area_crs, settings.storage_crs, always_xy=True)
    lon0, lat0 = back.transform(start[:, 0], start[:, 1])
    lon1, lat1 = back.transform(end[:, 0], end[:, 1])
    _, _, metres = _GEOD.inv(lon0, lat0, lon1, lat1)
    out.loc[src.index, "distance_km"] = np.asarray(metres) / 1000.0
    out.loc[src.index, "target_index"] = joined["index_right"].to_numpy()
    return out
