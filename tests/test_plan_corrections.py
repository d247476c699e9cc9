"""The corrections of the plan layers that an audit of the five texts asked for (issue 14).

Each test holds one correction on the real plan tables and the real base layers.
"""

import re

import pytest
from pyproj import Geod

from longtu.gis_data.build import airport_points
from longtu.layout import load_layer, plan_layers
from longtu.layout.load import symbol_points
from longtu.layout.places import split_list

GEOD = Geod(ellps="WGS84")
POINT_LAYERS = ("parks", "energy_sites", "other_features")
#: What 003:177 states for the three national zones of 兰白中部开发区 together.
LANBAI_JOINT = {"石油化工", "有色冶金", "装备制造"}


@pytest.fixture(scope="module")
def layers():
    return plan_layers()


def _row(layers, layer, feature_id):
    frame = layers[layer].set_index("feature_id")
    return frame.loc[feature_id]


def _km(a, b):
    return GEOD.inv(a.x, a.y, b.x, b.y)[2] / 1000


def test_jointly_stated_industries_stay_with_the_group(layers):
    parks = layers["parks"].set_index("name_zh")
    for name in ("兰州高新技术产业开发区", "兰州经济技术开发区", "白银高新技术产业开发区"):
        own = set(split_list(parks.loc[name, "lead_industries_zh"]))
        assert not own & LANBAI_JOINT, name
    assert "软件和信息技术服务业" in parks.loc["兰州高新技术产业开发区", "lead_industries_zh"]
    assert "航空航天工业" in parks.loc["兰州经济技术开发区", "lead_industries_zh"]
    zones = layers["economic_zones"].set_index("name_zh")
    assert set(split_list(zones.loc["兰白中部开发区", "lead_industries_zh"])) >= LANBAI_JOINT
    # The 平凉 chain's carriers (003:198) and the 东部开发区 parks (003:183) likewise.
    for name in ("泾川工业集中区", "灵台工业集中区", "崇信工业集中区", "平凉工业园区"):
        assert parks.loc[name, "lead_industries_zh"] == "", name


def test_zhangye_etdz_has_its_agricultural_processing(layers):
    parks = layers["parks"].set_index("name_zh")
    industries = split_list(parks.loc["张掖经济技术开发区", "lead_industries_zh"])
    assert "农产品精深加工" in industries
    assert "能源化工" not in industries  # stated for the three 河西 national zones jointly


def test_longdong_energy_chemical_base_is_not_coal_power(layers):
    base = _row(layers, "energy_sites", "energy_longdong_energy_chemical_base")
    assert base["name_zh"] == "陇东能源化工基地"
    assert base["technology"] == "energy_chemicals"
    assert "石油化工" in base["notes"] and "新型煤化工" in base["notes"]


def test_jiuquan_wind_base_named_placed_and_existing(layers):
    base = _row(layers, "energy_sites", "energy_jiuquan_wind_base")
    assert "酒泉" in base["name_zh"]
    assert base["status"] == "existing"
    assert (base["precision"], base["prefecture_adcodes"]) == ("prefecture", "620900")
    seat = load_layer("towns").set_index("town_key").geometry["Jiuquan@620902"]
    assert base.geometry.equals(seat)  # drawn at 酒泉's seat, not on counties chosen outside
    assert "12.52 GW" in base["notes"]


def test_a_feature_is_one_row_of_one_layer(layers):
    """A park is not also an energy site; other layers refer to it (place_method park)."""
    owners = {}
    for layer in ("parks", "energy_sites"):
        for row in layers[layer].itertuples(index=False):
            for name in [row.name_zh, *split_list(row.aliases_zh)]:
                if len(name) > 3:  # bare places (民勤, 敦煌) are list forms, not names
                    owners.setdefault(name, set()).add(row.feature_id)
    shared = {name: ids for name, ids in owners.items() if len(ids) > 1}
    assert shared == {}
    parks = layers["parks"]
    park_names = set(parks["name_zh"]) | {a for c in parks["aliases_zh"] for a in split_list(c)}
    for layer in ("energy_sites", "other_features", "industrial_bases"):
        frame = layers[layer]
        same = frame[frame["name_zh"].isin(park_names)]
        assert (same["place_method"] == "park").all(), list(same["name_zh"])
    assert "中核甘肃核技术产业园" not in set(layers["energy_sites"]["name_zh"])


def test_no_feature_is_named_by_a_city_alone(layers):
    counties = load_layer("counties")
    prefectures = load_layer("prefectures")
    units = set(counties["name_zh"]) | set(counties["short_name_zh"])
    units |= set(prefectures["name_zh"]) | {
        re.sub(r"(市|回族自治州|藏族自治州)$", "", n) for n in prefectures["name_zh"]
    }
    for layer in (*POINT_LAYERS, "industrial_bases", "economic_zones", "industry_chains"):
        bare = sorted(set(layers[layer]["name_zh"]) & units)
        assert bare == [], layer
    hubs = layers["other_features"].set_index("feature_id")
    assert hubs.loc["entity_logistics_hub_tianshui", "name_zh"] == "天水物流枢纽"


def test_one_feature_per_place_of_a_listing_sentence(layers):
    parks = layers["parks"]
    for suffix, count in (("省级应急产业示范基地", 4), ("应急物流园区", 5)):
        rows = parks[parks["name_zh"].str.endswith(suffix)]
        assert len(rows) == count, suffix
        assert (rows["prefecture_adcodes"].map(lambda c: len(split_list(c))) == 1).all()
        assert rows["prefecture_adcodes"].is_unique
    # No point feature is named by a list of places ("酒泉、武威、天水…基地").
    short = [
        re.sub(r"(市|回族自治州|藏族自治州)$", "", n) for n in load_layer("prefectures")["name_zh"]
    ]
    listed = re.compile(rf"(?:{'|'.join(short)})、(?:{'|'.join(short)})")
    for layer in POINT_LAYERS:
        assert not layers[layer]["name_zh"].str.contains(listed).any(), layer
    seed = layers["other_features"].set_index("name_zh").loc["河西玉米制种基地"]
    assert (
        seed["precision"] == "prefecture" and "000_691dab9d9ef2ee9c.txt:77" in seed["source_refs"]
    )


def test_lanzhou_new_area_drawn_at_the_new_area(layers):
    airport = airport_points(load_layer("counties")).set_index("airport_key")
    zhongchuan = airport.geometry["ZLLL@620121"]
    towns = load_layer("towns").set_index("town_key").geometry
    parks = layers["parks"].set_index("name_zh")
    new_area = parks.loc["兰州新区"]
    assert new_area.geometry.equals(zhongchuan)
    assert new_area["precision"] == "town"
    for seat in ("Yongdeng Chengguanzhen@620121", "Gaolan Chengguanzhen@620122"):
        assert _km(new_area.geometry, towns[seat]) > 30
    # Parks inside the new area follow it; so does the 兰白 core innovation area (its south).
    for name in (
        "兰州新区水性科技产业园",
        "兰州新区新能源汽车生产基地",
        "兰州新区真空装备研发制造基地",
    ):
        assert parks.loc[name].geometry.equals(zhongchuan), name
    core = layers["other_features"].set_index("name_zh").loc["核心创新区"]
    assert core.geometry.equals(zhongchuan)


def test_qingyang_drawn_at_its_seat_xifeng(layers):
    counties = load_layer("counties").set_index("adcode")
    anchor = symbol_points("prefecture").set_index("adcode").geometry["621000"]
    assert counties.geometry["621002"].covers(anchor)  # 西峰区, not a point in 华池
    sites = layers["energy_sites"]
    on_qingyang = sites[(sites["place_method"] == "prefecture") & (sites["place_ref"] == "621000")]
    assert len(on_qingyang) >= 2
    for geometry in on_qingyang.geometry:
        assert geometry.equals(anchor)


def test_seats_without_a_gazetteer_point_are_known_and_said():
    """Units whose seat has no GeoNames point: drawn at a point inside, and the basis says so."""
    missing = {}
    for level in ("county", "prefecture"):
        points = symbol_points(level)
        inside = points[points["basis"].str.startswith("representative point inside")]
        missing[level] = set(inside["name_zh"])
    assert missing == {
        "county": {
            "七里河区",
            "西固区",
            "武山县",
            "灵台县",
            "庄浪县",
            "阿克塞哈萨克族自治县",
            "漳县",
            "岷县",
            "武都区",
            "康县",
            "礼县",
            "碌曲县",
            "中农发山丹马场",
            "莲花山风景林自然保护区",
            "太子山天然林保护区",
        },
        "prefecture": {"陇南市"},
    }
    # A feature drawn on such a unit says in words that the point is only inside it.
    parks = plan_layers()["parks"]
    on_longnan = parks[parks["place_ref"] == "621200"]
    assert len(on_longnan) >= 3
    assert on_longnan["location_basis"].str.contains("representative point inside").all()
