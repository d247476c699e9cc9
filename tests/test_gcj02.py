import numpy as np
from pyproj import Geod

from longtu.gis_data.gcj02 import gcj02_to_wgs84, wgs84_to_gcj02

GEOD = Geod(ellps="WGS84")


def test_round_trip_over_gansu_is_sub_millimetre():
    lon, lat = np.meshgrid(np.linspace(92.5, 108.5, 17), np.linspace(32.7, 42.7, 11))
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    _, _, err_m = GEOD.inv(lon.ravel(), lat.ravel(), back_lon.ravel(), back_lat.ravel())
    assert err_m.max() < 1e-3


def test_shift_in_gansu_is_hundreds_of_metres():
    # GCJ-02 moves points in Gansu by roughly 100-700 m; a shift of 0 or of kilometres is a bug.
    lon, lat = np.array([103.83, 94.66, 106.67]), np.array([36.06, 40.14, 35.54])
    glon, glat = wgs84_to_gcj02(lon, lat)
    _, _, shift_m = GEOD.inv(lon, lat, glon, glat)
    assert ((shift_m > 100) & (shift_m < 800)).all()
