"""Geodesic distances from points to layers (longtu.analysis.distance)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point

from longtu.analysis.distance import CRSError, nearest_distance_km


def _points(*xy):
    return gpd.GeoDataFrame(geometry=[Point(x, y) for x, y in xy], crs=4326)


def test_distance_to_a_line_is_geodesic():
    # 0.5 degree east of a meridian segment at 38 N: the geodesic distance along the parallel.
    line = gpd.GeoDataFrame(geometry=[LineString([(100, 37), (100, 39)])], crs=4326)
    expected_km = Geod(ellps="WGS84").inv(100.5, 38, 100, 38)[2] / 1000
    got = nearest_distance_km(_points((100.5, 38.0)), line)["distance_km"].iloc[0]
    assert got == pytest.approx(expected_km, rel=0.002)
    assert 43.0 < got < 45.0  # 0.5 degree of longitude at 38 N is about 43.9 km


def test_distance_refuses_projected_input():
    line = gpd.GeoDataFrame(geometry=[LineString([(0, 0), (1, 1)])], crs=3857)
    with pytest.raises(CRSError, match=r"`rivers`.*to_crs"):
        nearest_distance_km(_points((100, 38)), line, argument="rivers")
