import numpy as np
import pytest
import shapely
from pyproj import Geod

from longtu import settings
from longtu.gis_data.boundaries import amap_prefectures
from longtu.layout import load_layer

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def prefectures():
    return load_layer("prefectures")


def test_counts_and_names():
    counties = load_layer("counties")
    assert len(counties) == 90
    assert (counties["kind"] == "county").sum() == 87
    assert counties["adcode"].is_unique
    assert counties["name_en"].str.len().gt(0).all()
    assert counties.loc[counties["adcode"] == "620922", "name_en"].item() == "Guazhou County"


def test_fourteen_prefectures_absorb_the_special_units(prefectures):
    assert len(prefectures) == 14
    special = dict(zip(prefectures["name_zh"], prefectures["special_units_zh"], strict=True))
    assert special["张掖市"] == "中农发山丹马场"
    assert "莲花山风景林自然保护区" in special["甘南藏族自治州"] + special["临夏回族自治州"]


def test_province_area_matches_official_figure():
    # Official area of Gansu: 425,800 km²; our equal-area figure must be within 0.5 %.
    area = load_layer("province")["area_km2"].item()
    assert abs(area - 425_800) / 425_800 < 0.005


def test_counties_tile_the_province():
    counties = load_layer("counties").to_crs(settings.equal_area_crs)
    outline = load_layer("province").to_crs(settings.equal_area_crs).geometry.item()
    union = shapely.union_all(counties.geometry.values)
    assert outline.symmetric_difference(union).area / 1e6 < 0.01
    assert abs(counties.area.sum() - union.area) / 1e6 < 0.01  # no overlaps


def _border_distances_km(ours, theirs, step=40):
    """Geodesic distance from sampled vertices of our borders to the other source's borders."""
    out = []
    their = theirs.set_index("adcode").geometry
    for adcode, geom in zip(ours["adcode"], ours.geometry, strict=True):
        ring = shapely.get_coordinates(geom.boundary)[::step]
        other = their[adcode].boundary
        nearest = shapely.get_coordinates(
            shapely.shortest_line(shapely.points(ring), other)
        ).reshape(-1, 2, 2)[:, 1]
        _, _, d = GEOD.inv(ring[:, 0], ring[:, 1], nearest[:, 0], nearest[:, 1])
        out.append(d / 1000)
    return np.concatenate(out)


def test_tianditu_agrees_with_amap_converted_from_gcj02(prefectures):
    converted = _border_distances_km(prefectures, amap_prefectures(datum="wgs84"))
    raw = _border_distances_km(prefectures, amap_prefectures(datum="gcj02"))
    assert np.median(converted) < 0.5
    # The conversion matters: left in GCJ-02 the borders sit measurably further apart.
    assert np.median(raw) > np.median(converted)
