"""Search and filters of the plan layers, on the real plan: a name, an alias or a place finds
what it names (Chinese, pinyin, English)."""

from __future__ import annotations

import pytest

from longtu.layout import load_layer, plan_layers
from longtu.layout.places import split_list
from longtu.layout.query import filter_features, matching_places, search_mask

pytestmark = pytest.mark.slow

WIND_BASE = "energy_jiuquan_wind_base"  # 千万千瓦级大型风电基地: its name names no place


@pytest.fixture(scope="module")
def plan():
    return plan_layers()


def _found(frame, query) -> set[str]:
    return set(frame.loc[search_mask(frame, query), "feature_id"])


@pytest.mark.parametrize("query", ["酒泉", "酒泉市", "jiuquan", "Jiuquan City", "JIUQUAN"])
def test_a_prefecture_in_any_script_finds_the_jiuquan_wind_base(plan, query):
    assert WIND_BASE in _found(plan["energy_sites"], query)


RELOCATION = "energy_lanzhou_petrochem_relocation"  # drawn at 兰州新区, which lies in 永登县


@pytest.mark.parametrize("query", ["永登", "永登县", "yongdeng", "Yongdeng County"])
def test_a_county_finds_a_feature_placed_in_it_whose_name_names_another_place(plan, query):
    sites = plan["energy_sites"]
    row = sites.loc[sites["feature_id"] == RELOCATION].iloc[0]
    assert split_list(row["county_adcodes"]) == ["620121"]  # 永登县
    assert "永登" not in row["name_zh"] + str(row["aliases_zh"])
    assert "yongdeng" not in row["name_en"].lower()
    assert RELOCATION in _found(sites, query)


@pytest.mark.parametrize(
    ("query", "layer", "feature_id", "adcode"),
    [
        ("瓜州", "parks", "park_guazhou_liugou_coal_chemical_park", "620922"),
        ("瓜州县", "parks", "park_guazhou_liugou_coal_chemical_park", "620922"),
        ("guazhou", "parks", "park_guazhou_liugou_coal_chemical_park", "620922"),
        ("玉门", "energy_sites", "energy_yumen_csp_demo", "620981"),
        ("Yumen", "energy_sites", "energy_yumen_csp_demo", "620981"),
    ],
)
def test_a_county_finds_the_features_placed_in_it(plan, query, layer, feature_id, adcode):
    frame = plan[layer]
    row = frame.loc[frame["feature_id"] == feature_id].iloc[0]
    assert split_list(row["county_adcodes"]) == [adcode]
    found = _found(frame, query)
    assert feature_id in found
    in_county = frame["county_adcodes"].map(lambda cell: adcode in split_list(cell))
    assert set(frame.loc[in_county, "feature_id"]) <= found


def test_a_place_finds_only_features_in_it_or_named_after_it(plan):
    for key in ("parks", "energy_sites", "industrial_bases"):
        frame = plan[key]
        hits = frame[search_mask(frame, "嘉峪关")]
        assert len(hits)
        for _, row in hits.iterrows():
            named = "嘉峪关" in row["name_zh"] + str(row.get("aliases_zh", ""))
            assert named or "620200" in split_list(row["prefecture_adcodes"]), row["name_zh"]


def test_names_and_aliases_match_without_case_or_spaces(plan):
    parks = plan["parks"]
    assert "park_lanzhou_new_area" in _found(parks, "lanzhou new area")
    assert "park_lanzhou_new_area" in _found(parks, "LanzhouNewArea")
    alias = parks.loc[parks["aliases_zh"].str.contains("兰州高新区"), "feature_id"]
    assert len(alias) == 1 and set(alias) <= _found(parks, "兰州高新区")


def test_one_character_names_no_place_and_nonsense_finds_nothing(plan):
    assert matching_places("市").empty and matching_places("a").empty
    parks = plan["parks"]
    assert _found(parks, "市") == set(parks.loc[parks["name_zh"].str.contains("市"), "feature_id"])
    assert _found(parks, "xyzzy") == set()
    assert search_mask(parks, "  ").all()  # an empty search keeps everything


def test_places_are_found_by_chinese_short_and_english_names():
    counties = load_layer("counties")
    jishishan = counties.loc[counties["short_name_zh"] == "积石山县", "adcode"].item()
    assert list(matching_places("积石山")["adcode"]) == [jishishan]
    assert set(matching_places("Linxia")["adcode"]) == {"622900", "622901", "622921"}
    assert list(matching_places("甘南")["level"]) == ["prefecture"]


def test_filter_features_searches_places_with_the_other_filters(plan):
    sites = filter_features(plan["energy_sites"], query="酒泉", technologies=["wind"])
    assert WIND_BASE in set(sites["feature_id"])
    assert set(sites["technology"]) == {"wind"}
