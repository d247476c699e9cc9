"""GCJ-02 / BD-09 conversions checked against published reference values.

The references come from four public projects, copied with their source:

* googollee/eviltransform: WGS84 -> GCJ-02 pairs for Shanghai, Shenzhen and Beijing, file
  ``go/transform_test.go`` lines 15-17 as added in the first commit 57e199b (2013-09-23), when the
  library still used the Krasovsky semi-major axis 6378245 m. The same numbers are at HEAD
  03ba58d in ``python/test.py`` lines 11-13. (In 2016 the library moved to 6378137 m (commit
  547f9fc), which changes the forward result by ~1 cm. Its BD-09 vectors (``python/test.py`` lines
  16-20) are not used here: they come from a variant that writes ``sin(y*pi)``/``cos(x*pi)`` where
  the published Baidu formula has ``x_pi = pi*3000/180``, followed by a one-step approximate
  inverse, so they differ from the standard conversion by 10-40 m.)
* wandergis/coordtransform: the example results in ``test/app.js`` lines 19 and 21 (commit
  2423246, 2015-11-17; unchanged at HEAD 606c6f3) for input (116.404, 39.915).
* hujiulong/gcoord: fixture ``test/fixtures/china-cities.json`` (commit fedbaa1, 2018-12-29;
  unchanged at HEAD fa43556): WGS84, GCJ-02 and BD-09 of city centres to 7 decimals. Used here:
  all 14 prefecture-level cities of Gansu, plus Beijing and Shanghai.
* cran/geoChina (R package by Jun Cai, version 1.1.1, commit 1a2ea91): Beijing railway station in
  WGS-84, GCJ-02 and BD-09, to 5 decimals, ``R/cst.R`` lines 37-38, 170-171 and 282-283. Its
  ``R/conv.R`` says the Baidu Maps API gives the same results as the local formulas.

Tolerances, in degrees (1e-5 deg is about 1.1 m north-south, 0.9 m east-west here):

* 1e-9 deg (0.1 mm) against eviltransform and wandergis. They use the same closed forward formula in
  float64, so only rounding differs. A wrong semi-major axis (6378137 instead of 6378245) moves the
  result by ~1e-7 deg (~1 cm), so this tolerance catches it.
* 1e-8 deg (1 mm) for ``gcj02_to_wgs84`` applied to the exact eviltransform pairs. The module's
  fixed-point inverse converges far below that. Many libraries (wandergis, eviltransform's
  ``gcj2wgs``) use a one-step approximation that can be metres off, so their inverse *outputs* are
  not used as references; their forward pairs are used backwards instead.
* 1e-5 deg (~1 m) for WGS84 <-> GCJ-02 against gcoord's fixture. Its GCJ-02 and BD-09 columns agree
  with the standard BD-09 formula to 1e-7, but its WGS84 column differs from the exact GCJ-02
  formula by up to 7.3e-6 deg (0.73 m over the fixture, 0.6 m in Gansu). The fixture does not say
  how it was made.
* 2.5e-6 deg (~0.25 m) for BD-09 -> GCJ-02 against gcoord. Its BD-09 column is the forward Baidu
  formula (GCJ-02 -> BD-09) of its GCJ-02 column, rounded to 1e-7. The published BD-09 -> GCJ-02
  formula that the module and every library use is only an approximate inverse of that formula.
  Going there and back differs by up to 2e-6 deg (0.2 m) over China (9.9e-7 on these 16 cities).
  Swapping the 0.0065/0.006 offsets or writing ``pi`` for ``x_pi`` gives errors of metres or more.
* 1.5e-5 deg (~1.7 m) against geoChina: input and output were both rounded to 1e-5 deg.

Not tested: points outside China being returned unchanged. The reference libraries do that (a box of
roughly 72-138 E, 0.8-55.8 N), but this module has no such test and shifts every point. That does
not matter for Gansu.
"""

import numpy as np
import pytest
from pyproj import Geod
from shapely import LineString

from longtu.gis_data.gcj02 import (
    bd09_to_gcj02,
    gcj02_to_wgs84,
    geometry_gcj02_to_wgs84,
    to_wgs84,
    wgs84_to_gcj02,
)

GEOD = Geod(ellps="WGS84")

# (wgs_lon, wgs_lat, gcj_lon, gcj_lat) produced by the exact forward formula (full float64).
# eviltransform go/transform_test.go @57e199b lines 15-17 (stored there as lat, lng, lat, lng).
EVILTRANSFORM_WGS_GCJ = [
    (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),  # Shanghai
    (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),  # Shenzhen
    (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),  # Beijing
]
# wandergis/coordtransform test/app.js @2423246 line 21: wgs84togcj02(116.404, 39.915).
WANDERGIS_WGS_GCJ = (116.404, 39.915, 116.41024449916938, 39.91640428150164)
# ... line 19: bd09togcj02(116.404, 39.915).
WANDERGIS_BD_GCJ = (116.404, 39.915, 116.39762729119315, 39.90865673957631)

# hujiulong/gcoord test/fixtures/china-cities.json @fedbaa1; each entry starts at line: Lanzhou
# 2738, Jiuquan 562, Jinchang 594, Linxia 1746, Longnan 1794, Baiyin 1970, Wuwei 2818, Gannan 3074,
# Jiayuguan 3490, Tianshui 3506, Dingxi 4082, Pingliang 4274, Qingyang 4354, Zhangye 4418,
# Beijing 2802, Shanghai 1618 (the file lists every city twice).
# city: WGS84 lon, lat, GCJ-02 lon, lat, BD-09 lon, lat
GCOORD_CITIES = {
    "Lanzhou": (103.8318968, 36.0614117, 103.8343102, 36.0610935, 103.8408333, 36.0670234),
    "Jiuquan": (98.4937175, 39.7319946, 98.4943595, 39.7328234, 98.5008441, 39.7388949),
    "Jinchang": (102.1860478, 38.5196469, 102.1880474, 38.5200925, 102.194653, 38.5258128),
    "Linxia": (103.2082965, 35.6015376, 103.2105463, 35.6011854, 103.2169385, 35.6074432),
    "Longnan": (104.9189684, 33.4026391, 104.9218492, 33.4006882, 104.9284236, 33.4065103),
    "Baiyin": (104.1357665, 36.5449176, 104.1385932, 36.5450174, 104.1450406, 36.5511515),
    "Wuwei": (102.6364857, 37.9279842, 102.6382042, 37.928272, 102.6447595, 37.9341467),
    "Gannan": (102.9093053, 34.9845245, 102.9110314, 34.9833914, 102.9176159, 34.9891316),
    "Jiayuguan": (98.2885558, 39.7722974, 98.2891596, 39.7731334, 98.2955603, 39.7793976),
    "Tianshui": (105.7210143, 34.5821848, 105.7249504, 34.5808683, 105.731367, 34.5871804),
    "Dingxi": (104.6236174, 35.5812079, 104.6262874, 35.5806662, 104.6327064, 35.5869024),
    "Pingliang": (106.66092, 35.5435335, 106.6651364, 35.5430642, 106.6715782, 35.549298),
    "Qingyang": (107.6388966, 35.7094792, 107.6436363, 35.7090804, 107.6500225, 35.7153946),
    "Zhangye": (100.4481151, 38.9252357, 100.4498264, 38.9258813, 100.4562373, 38.9321486),
    "Beijing": (116.4011517, 39.9028057, 116.4074002, 39.9042136, 116.4137852, 39.9105355),
    "Shanghai": (121.4691633, 31.2323443, 121.4737061, 31.2304194, 121.4802435, 31.2363541),
}
_GCOORD = np.array(list(GCOORD_CITIES.values())).reshape(-1, 3, 2)  # (city, datum, lon/lat)
GC_WGS, GC_GCJ, GC_BD = _GCOORD[:, 0], _GCOORD[:, 1], _GCOORD[:, 2]

# cran/geoChina R/cst.R @1a2ea91: Beijing railway station (lon, lat), 5 decimals.
GEOCHINA_STATION_WGS = (116.42079, 39.90105)
GEOCHINA_STATION_GCJ = (116.42703, 39.90245)
GEOCHINA_STATION_BD = (116.43351, 39.90851)


def _max_abs_diff(got: tuple, expected: np.ndarray) -> float:
    return float(np.abs(np.column_stack(got) - np.asarray(expected).reshape(-1, 2)).max())


# --- WGS84 -> GCJ-02 ---------------------------------------------------------------------------


@pytest.mark.parametrize("wlon, wlat, glon, glat", [*EVILTRANSFORM_WGS_GCJ, WANDERGIS_WGS_GCJ])
def test_forward_matches_full_precision_references(wlon, wlat, glon, glat):
    got = wgs84_to_gcj02(wlon, wlat)
    assert _max_abs_diff(got, [glon, glat]) < 1e-9


def test_forward_matches_gcoord_cities_in_gansu_beijing_shanghai():
    got = wgs84_to_gcj02(GC_WGS[:, 0], GC_WGS[:, 1])
    assert _max_abs_diff(got, GC_GCJ) < 1e-5


def test_forward_matches_geochina_beijing_station():
    got = wgs84_to_gcj02(*GEOCHINA_STATION_WGS)
    assert _max_abs_diff(got, GEOCHINA_STATION_GCJ) < 1.5e-5


# --- GCJ-02 -> WGS84 ---------------------------------------------------------------------------


def test_inverse_recovers_eviltransform_wgs84():
    ref = np.array(EVILTRANSFORM_WGS_GCJ)
    got = gcj02_to_wgs84(ref[:, 2], ref[:, 3])
    assert _max_abs_diff(got, ref[:, :2]) < 1e-8
    assert _max_abs_diff(to_wgs84(ref[:, 2], ref[:, 3], datum="GCJ-02"), ref[:, :2]) < 1e-8


def test_inverse_matches_gcoord_cities_in_gansu_beijing_shanghai():
    got = gcj02_to_wgs84(GC_GCJ[:, 0], GC_GCJ[:, 1])
    assert _max_abs_diff(got, GC_WGS) < 1e-5
    _, _, err_m = GEOD.inv(got[0], got[1], GC_WGS[:, 0], GC_WGS[:, 1])
    assert err_m.max() < 1.0


def test_inverse_matches_geochina_beijing_station():
    got = gcj02_to_wgs84(*GEOCHINA_STATION_GCJ)
    assert _max_abs_diff(got, GEOCHINA_STATION_WGS) < 1.5e-5


def test_geometry_conversion_matches_gcoord_gansu_cities():
    gansu = [i for i, name in enumerate(GCOORD_CITIES) if name not in ("Beijing", "Shanghai")]
    assert len(gansu) == 14  # every prefecture-level division of Gansu
    got = np.asarray(geometry_gcj02_to_wgs84(LineString(GC_GCJ[gansu])).coords)
    assert got.shape == (14, 2)
    assert np.abs(got - GC_WGS[gansu]).max() < 1e-5


# --- BD-09 -> GCJ-02 / WGS84 -------------------------------------------------------------------


def test_bd09_to_gcj02_matches_wandergis():
    blon, blat, glon, glat = WANDERGIS_BD_GCJ
    assert _max_abs_diff(bd09_to_gcj02(blon, blat), [glon, glat]) < 1e-9


def test_bd09_to_gcj02_matches_gcoord_cities():
    got = bd09_to_gcj02(GC_BD[:, 0], GC_BD[:, 1])
    assert _max_abs_diff(got, GC_GCJ) < 2.5e-6


def test_bd09_to_wgs84_matches_gcoord_cities():
    got = to_wgs84(GC_BD[:, 0], GC_BD[:, 1], datum="bd09")
    assert _max_abs_diff(got, GC_WGS) < 1e-5


def test_bd09_matches_geochina_beijing_station():
    assert _max_abs_diff(bd09_to_gcj02(*GEOCHINA_STATION_BD), GEOCHINA_STATION_GCJ) < 1.5e-5
    got = to_wgs84(*GEOCHINA_STATION_BD, datum="BD-09")
    assert _max_abs_diff(got, GEOCHINA_STATION_WGS) < 1.5e-5


# --- properties --------------------------------------------------------------------------------


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


def test_wgs84_datum_is_passed_through_and_unknown_datum_refused():
    lon, lat = to_wgs84(103.8318968, 36.0614117, datum="WGS84")
    assert (float(lon), float(lat)) == (103.8318968, 36.0614117)
    with pytest.raises(ValueError, match="datum"):
        to_wgs84(103.8, 36.0, datum="cgcs2000")
