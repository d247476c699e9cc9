"""Surfaces interpolated from station measurements (longtu.analysis.resource.stations)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import Point

from longtu import settings
from longtu.analysis.resource.stations import interpolate_stations, leave_one_out, station_surface


def _points(*xy):
    return gpd.GeoDataFrame(geometry=[Point(x, y) for x, y in xy], crs=4326)


def test_interpolation_reproduces_a_linear_field_between_stations():
    stations = gpd.GeoDataFrame(
        {"v": [1.0, 1.0, 1.0, 1.0, 1.0]},
        geometry=[Point(96, 40), Point(104, 40), Point(96, 34), Point(104, 34), Point(100, 37)],
        crs=4326,
    )
    errors = leave_one_out(stations, "v", method="thin_plate")["error"]
    assert np.abs(errors).max() < 1e-6
    data, transform, crs = interpolate_stations(stations, "v", name="v", unit="-", cell_km=50)
    assert crs == settings.equal_area_crs and transform.a == 50_000.0
    assert np.allclose(data, 1.0)


def test_station_surface_says_it_is_modelled():
    stations = _points((96, 40), (104, 36), (106, 34)).assign(ghi=[1700.0, 1500.0, 1300.0])
    surface = station_surface(stations, "ghi", name="ghi", unit="kWh/m2/yr", cell_km=50)
    assert surface.source.startswith("modelled: idw interpolation of 3 stations")
    assert surface.column == "ghi_kwh_m2_yr"
