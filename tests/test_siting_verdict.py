import re

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod

from longtu.analysis.constraints.check import ConstraintLayer
from longtu.analysis.siting.verdict import SITING_LAYERS, UnknownIndustryError, site_check
from longtu.gis_data.gcj02 import wgs84_to_gcj02
from longtu.layout import load_layer, plan_layers

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def layers():
    return plan_layers(), {name: load_layer(name) for name in SITING_LAYERS}


def check(layers, *args, **kwargs):
    plan, base = layers
    return site_check(*args, plan=plan, base=base, **kwargs)


def test_outside_gansu_does_not_fit(layers):
    verdict = check(layers, 110.0, 40.0, "pv")
    assert verdict.verdict == "does_not_fit"
    assert verdict.reasons["finding_zh"].str.contains("不在甘肃省境内").any()


def test_pv_in_dunhuang_meets_the_planned_base(layers):
    verdict = check(layers, 94.80, 40.10, "光伏")
    plan_rows = verdict.reasons[verdict.reasons["aspect"] == "plan"]
    assert plan_rows["finding_zh"].str.contains("敦煌百万千瓦级").any()
    assert verdict.location["county"] == "敦煌市"
    # No resource raster: the resource is not assessed, so at best a conditional fit.
    assert verdict.verdict == "fits_with_conditions"
    assert verdict.reasons["finding_zh"].str.contains("资源未评估").any()


def test_coal_chemicals_near_liugou_flagged_for_water(layers):
    verdict = check(layers, 95.9, 40.3, "coal_chemical")
    cluster = verdict.reasons[verdict.reasons["aspect"] == "cluster"].iloc[0]
    assert "柳沟" in cluster["finding_zh"] and cluster["effect"] == "ok"
    water = verdict.reasons[verdict.reasons["aspect"] == "water"].iloc[0]
    assert water["effect"] == "condition" and "疏勒河" in water["finding_zh"]


def test_gcj02_input_is_converted(layers):
    lon, lat = 103.70, 36.50
    glon, glat = (float(v) for v in wgs84_to_gcj02(lon, lat))
    verdict = check(layers, glon, glat, "石油化工", datum="gcj02")
    error_m = GEOD.inv(lon, lat, verdict.lon, verdict.lat)[2]
    assert error_m < 0.01
    assert GEOD.inv(lon, lat, glon, glat)[2] > 100  # the shift that was undone


def test_constraint_conflict_blocks(layers):
    reserve = gpd.GeoDataFrame(geometry=[shapely.box(103.6, 36.4, 103.8, 36.6)], crs=4326)
    layer = ConstraintLayer(reserve, "测试保护区", category="nature_reserve", buffer_km=2)
    verdict = check(layers, 103.70, 36.50, "石油化工", constraints=[layer])
    assert verdict.verdict == "does_not_fit"
    blocked = verdict.reasons[verdict.reasons["effect"] == "block"]
    assert blocked["finding_zh"].str.contains("测试保护区").any()
    # The category in words in both languages, not its key (it read "(nature_reserve)").
    assert blocked["finding_zh"].str.contains("测试保护区（自然保护区）：冲突").any()
    assert blocked["finding_en"].str.contains(r"测试保护区 \(Nature reserve\): conflict").any()


def test_unknown_industry_lists_the_choices(layers):
    expected = r"Unknown industry `钢琴`; use one of: pv \(光伏\)"
    with pytest.raises(UnknownIndustryError, match=expected):
        check(layers, 103.7, 36.5, "钢琴")


def test_a_verdict_names_the_plans_industries_as_a_list_read_in_words(layers):
    """The site the app's browser test checks (武威, PV): the zone's industries joined by 、."""
    verdict = check(layers, 102.47222, 37.32022, "pv")
    plan_rows = verdict.reasons[verdict.reasons["aspect"] == "plan"]
    assert plan_rows["finding_zh"].str.contains("新能源及其装备制造、冶金").any()
    for text in verdict.reasons["finding_zh"]:
        assert not re.search(r"[\u4e00-\u9fff];[\u4e00-\u9fff]", text), text
