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


@pytest.mark.parametrize("query", ["瓜州", "瓜州县", "guazhou", "玉门", "Yumen"])
def test_a_county_finds_the_features_placed_in_it(plan, query):
    sites = plan["energy_sites"]
    row = sites.loc[sites["feature_id"] == WIND_BASE].iloc[0]
    assert split_list(row["county_adcodes"]) == ["620922", "620981"]  # 瓜州县, 玉门市
    assert WIND_BASE in _found(sites, query)


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
