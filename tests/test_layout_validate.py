"""Validation of authored plan tables, on the tiny hand-checkable set in tests/data/plan_small."""

import shutil

import pandas as pd
import pytest
import shapely
from conftest import REPO

from longtu.layout import ValidationError, build_plan_layers, load_layer

SMALL = REPO / "tests" / "data" / "plan_small"


@pytest.fixture
def plan_copy(tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(SMALL, folder)
    return folder


def _edit(folder, table, row, column, value):
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    frame.to_csv(path, index=False)


def test_small_plan_builds_and_places_by_reference():
    layers = build_plan_layers(SMALL)
    parks = layers["parks"].set_index("feature_id")
    # park_b is placed by reference to park_a (by its alias) and inherits its geometry.
    assert parks.geometry["park_b"].equals(parks.geometry["park_a"])
    assert parks.loc["park_a", "precision"] == "county"
    # Anchored at the county seat from county_seats.csv (GeoNames Yuanquan, 瓜州县).
    towns = load_layer("towns").set_index("town_key")
    assert parks.geometry["park_a"].equals(towns.geometry["Yuanquan@620922"])
    assert "seat of 瓜州县" in parks.loc["park_a", "location_basis"]
    assert parks.loc["park_a", "zone_ids"] == "zone_b"
    assert layers["industry_chains"]["park_ids"].item() == "park_b"
    assert layers["industrial_bases"].geometry.item().equals(parks.geometry["park_a"])
    assert layers["targets"]["value_si"].item() == 25000


def test_area_and_line_placements():
    layers = build_plan_layers(SMALL)
    zones = layers["economic_zones"].set_index("feature_id")
    prefectures = load_layer("prefectures").set_index("adcode")
    expected = shapely.union_all(prefectures.geometry[["620900", "620200"]].values)
    assert zones.geometry["zone_b_jiujia"].equals(expected)
    line = layers["other_features"].geometry.item()
    assert line.geom_type == "LineString" and len(line.coords) == 3
    assert layers["other_features"]["precision"].item() == "schematic"


def test_unknown_county_names_row_and_field(plan_copy):
    _edit(plan_copy, "parks", 0, "place_ref", "629999")
    with pytest.raises(
        ValidationError, match=r"parks.csv row 2 \(park_a\), `place_ref`: unknown county adcode"
    ):
        build_plan_layers(plan_copy)


def test_point_outside_claimed_county(plan_copy):
    _edit(plan_copy, "energy_sites", 0, "place_ref", "620922")  # placed in 瓜州, claims 敦煌
    with pytest.raises(ValidationError, match="not inside the claimed county 620982"):
        build_plan_layers(plan_copy)


def test_zone_gap_is_reported(plan_copy):
    _edit(plan_copy, "economic_zones", 2, "place_ref", "620500;620800;621000")  # drop 陇南
    with pytest.raises(ValidationError, match=r"zones leave \d+\.\d+ km² of Gansu uncovered"):
        build_plan_layers(plan_copy)


def test_every_problem_is_reported_at_once(plan_copy):
    _edit(plan_copy, "parks", 0, "kind", "factory")
    _edit(plan_copy, "energy_sites", 0, "technology", "solar")
    sources = pd.read_csv(plan_copy / "targets_sources.csv", dtype=str).iloc[0:0]
    sources.to_csv(plan_copy / "targets_sources.csv", index=False)
    _edit(plan_copy, "chain_links", 0, "member_ref", "不存在的园区")
    with pytest.raises(ValidationError) as info:
        build_plan_layers(plan_copy)
    problems = info.value.problems
    assert set(problems["field"]) >= {"kind", "technology", "source_refs", "member_ref"}
    assert "`factory` is not one of" in " ".join(problems["problem"])


def test_bad_town_and_bad_seat(plan_copy):
    _edit(plan_copy, "parks", 0, "place_method", "town")
    _edit(plan_copy, "parks", 0, "place_ref", "Liugou@620922")  # the only Liugou is in Linxia
    _edit(plan_copy, "county_seats", 0, "geonames_key", "Yuanquan@620922")  # a 瓜州 town for 敦煌
    with pytest.raises(ValidationError) as info:
        build_plan_layers(plan_copy)
    text = str(info.value)
    assert "town `Liugou@620922` is not in the GeoNames gazetteer" in text
    assert "county_seats.csv row 620982" in text


def test_airport_places_a_park_and_a_wrong_county_is_named(plan_copy):
    # Dunhuang airport lies in 敦煌市: placed there, the park claims 敦煌, precision town.
    _edit(plan_copy, "parks", 0, "place_method", "airport")
    _edit(plan_copy, "parks", 0, "place_ref", "ZLDH@620982")
    _edit(plan_copy, "parks", 0, "county_adcode", "620982")
    _edit(plan_copy, "parks", 1, "county_adcode", "620982")
    parks = build_plan_layers(plan_copy)["parks"].set_index("feature_id")
    assert (parks.geometry["park_a"].x, parks.geometry["park_a"].y) == (94.8092, 40.1611)
    assert parks.loc["park_a", "precision"] == "town"
    basis = parks.loc["park_a", "location_basis"]
    assert "Dunhuang Airport (ICAO ZLDH, airportsdata register) in 敦煌市" in basis
    assert parks.geometry["park_b"].equals(parks.geometry["park_a"])
    _edit(plan_copy, "parks", 0, "place_ref", "ZLDH@620922")  # not in 瓜州
    with pytest.raises(
        ValidationError, match=r"row 2 \(park_a\), `place_ref`: airport `ZLDH@620922`"
    ):
        build_plan_layers(plan_copy)


def test_missing_column_and_long_quote(plan_copy):
    frame = pd.read_csv(plan_copy / "parks.csv", dtype=str, keep_default_na=False)
    frame.drop(columns="level").to_csv(plan_copy / "parks.csv", index=False)
    _edit(plan_copy, "energy_sites_sources", 0, "quote_zh", "长" * 41)
    with pytest.raises(ValidationError) as info:
        build_plan_layers(plan_copy)
    text = str(info.value)
    assert "parks.csv row header, `level`: required column is missing" in text
    assert "must be 1-40 characters" in text


def test_scenario_layers_with_sites_pass_the_layer_checks(tmp_path):
    from longtu.layout import plan_layers
    from longtu.layout.problems import Problems
    from longtu.layout.scenarios import apply_edits, move_feature, reshape_feature
    from longtu.layout.validate import check_layers

    plan = plan_layers()
    site = shapely.box(103.64, 36.20, 103.69, 36.23)  # in 安宁区, where 兰州经开区 is claimed
    edits = [
        reshape_feature(plan, "park_lanzhou_etdz", site, author="li", reason="survey",
                        how="imported", source_file=str(tmp_path / "sites.gpkg"),
                        source_feature=2),
        move_feature(plan, "park_zhangye_etdz", 100.45, 38.93, author="li", reason="agreed"),
    ]  # fmt: skip
    layers = apply_edits(plan, edits)
    parks = layers["parks"].set_index("feature_id")
    assert parks.loc["park_lanzhou_etdz", ["place_method", "precision", "place_ref"]].tolist() == [
        "site",
        "site",
        "sites.gpkg#2",
    ]
    counties, prefectures = load_layer("counties"), load_layer("prefectures")
    problems = Problems()
    check_layers(layers, counties, prefectures, problems)
    assert len(problems) == 0, problems.frame()

    broken = dict(layers)
    parks = layers["parks"].copy()
    parks.loc[parks["feature_id"] == "park_zhangye_etdz", ["place_ref", "precision"]] = ["", "town"]
    parks.loc[parks["feature_id"] == "park_jiuquan_etdz", "place_method"] = "guessed"
    broken["parks"] = parks
    check_layers(broken, counties, prefectures, problems)
    assert sorted(problems.frame()[["row", "field"]].itertuples(index=False, name=None)) == [
        ("park_jiuquan_etdz", "place_method"),
        ("park_zhangye_etdz", "place_ref"),
        ("park_zhangye_etdz", "precision"),
    ]
