"""Placing sites: Chinese names normalised and matched to plan features, with place as evidence."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from longtu.errors import ScenarioError
from longtu.layout import load_layer, plan_layers
from longtu.layout.scenarios import confirm_matches, normalize_name, propose_matches


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("兰州经济技术开发区", "兰州经开区"),
        ("兰州经开区", "兰州经开区"),
        ("国家级兰州经济技术开发区", "兰州经开区"),
        ("白银高新技术产业开发区（白银区）", "白银高新区"),
        ("白银高新区 (白银区)", "白银高新区"),
        ("ＸＸ高新技术开发区", "XX高新区"),
        ("华亭省级工业园区", "华亭工业园"),
        ("甘肃省 西峰 工业园区", "西峰工业园"),
        ("兰州新区【永登】", "兰州新区"),
        ("兰州国家级新区", "兰州新区"),
    ],
)
def test_names_are_normalised(written, canonical):
    assert normalize_name(written).core == canonical


def test_brackets_give_context_and_loose_forms_are_marked():
    name = normalize_name("平凉经济开发区（崆峒）")
    assert (name.core, name.context, name.loose) == ("平凉经开区", ("崆峒",), True)


def box_in(county_adcode: str, half_side_deg: float = 0.01) -> shapely.Polygon:
    point = load_layer("counties").set_index("adcode").geometry[county_adcode]
    point = point.representative_point()
    return shapely.box(
        point.x - half_side_deg,
        point.y - half_side_deg,
        point.x + half_side_deg,
        point.y + half_side_deg,
    )


def user_features(rows: list[tuple[str, str]], column: str = "名称") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {column: [name for name, _ in rows]},
        geometry=[box_in(county) for _, county in rows],
        crs="EPSG:4326",
    )


def best(proposals: gpd.GeoDataFrame, row: int):
    return proposals[(proposals["row"] == row) & (proposals["rank"] == 1)].iloc[0]


def test_a_name_in_the_right_place_scores_higher_than_elsewhere():
    features = user_features([("兰州经开区", "620105"), ("兰州经开区", "620902")])
    proposals = propose_matches(features, layers=plan_layers())
    right, wrong = best(proposals, 1), best(proposals, 2)
    assert right["feature_id"] == wrong["feature_id"] == "park_lanzhou_etdz"
    assert right["score"] == 1.0 and right["place_score"] == 1.0
    assert wrong["score"] < right["score"] and wrong["place_score"] == 0.0
    assert "安宁区" in right["reason_zh"] and "outside the plan's 安宁区" in wrong["reason_en"]
    assert proposals["status"].isin(["duplicate"]).sum() == 2  # two rows claim one park


def test_a_bare_short_name_is_placed_by_its_context():
    features = user_features([("经开区（兰州）", "620105")])
    top = best(propose_matches(features, layers=plan_layers()), 1)
    assert (top["feature_id"], top["status"]) == ("park_lanzhou_etdz", "best")


def test_every_row_is_listed_ambiguous_and_unmatched_flagged():
    features = user_features(
        [("不存在的园区", "620123"), ("分散式风场", "620123"), ("白银", "620402")]
    )
    proposals = propose_matches(features, layers=plan_layers())
    assert sorted(set(proposals["row"])) == [1, 2, 3]
    assert best(proposals, 1)["status"] == "unmatched"
    # 000:61 "推动平凉、天水等地分散式风场": the bare name fits both; 榆中 is in neither
    tied = proposals[(proposals["row"] == 2) & (proposals["status"] == "ambiguous")]
    assert set(tied["feature_id"]) == {
        "energy_pingliang_distributed_wind",
        "energy_tianshui_distributed_wind",
    }
    assert tied["score"].nunique() == 1
    assert best(proposals, 3)["status"] == "unmatched"  # a place name alone is no match

    with pytest.raises(ScenarioError, match="row 2 `分散式风场` fits two plan features"):
        confirm_matches(proposals, plan_layers(), author="li", reason="r", source_file="f.gpkg")
    edits = confirm_matches(
        proposals,
        plan_layers(),
        author="li",
        reason="r",
        source_file="f.gpkg",
        choose={2: "energy_tianshui_distributed_wind"},
    )
    assert [(e.kind, e.feature_id, e.source_feature, e.how) for e in edits] == [
        ("reshape", "energy_tianshui_distributed_wind", 2, "imported")
    ]


def test_no_match_at_all_is_an_error():
    proposals = propose_matches(user_features([("某某物流中心", "620102")]), layers=plan_layers())
    with pytest.raises(ScenarioError, match=r"no feature of `f\.gpkg` matches a plan feature"):
        confirm_matches(proposals, plan_layers(), author="li", reason="r", source_file="f.gpkg")


def test_points_become_moves_and_columns_are_found_or_asked_for():
    features = gpd.GeoDataFrame(
        {"NAME": ["张掖经济技术开发区"]}, geometry=[shapely.Point(100.45, 38.93)], crs=4326
    )
    proposals = propose_matches(features, layers=plan_layers())
    edits = confirm_matches(proposals, plan_layers(), author="li", reason="r", source_file="a.kml")
    assert [(e.kind, e.feature_id) for e in edits] == [("move", "park_zhangye_etdz")]
    with pytest.raises(ScenarioError, match=r"the name column `mc` is not a column.*NAME"):
        propose_matches(features, name_column="mc", layers=plan_layers())
    with pytest.raises(ScenarioError, match="cannot tell which column holds the names"):
        propose_matches(features.rename(columns={"NAME": "x"}), layers=plan_layers())
    with pytest.raises(ScenarioError, match="EPSG:4326"):
        propose_matches(features.to_crs(3857), layers=plan_layers())
