"""Features placed on a park follow it in a scenario; a removed park leaves the chains.

On the real plan, 兰州新区 carries the rows of parks.csv, industrial_bases.csv,
other_features.csv and energy_sites.csv placed on it (place_method ``park``, place_ref
``兰州新区``; read from the tables below: fourteen sub-parks and bases, the equipment base member,
four parts and projects, the Lanzhou Petrochemical relocation), and, through its sub-park
兰州新区石油化工产业园, the petrochemical base member of that name; chain_links.csv links it to
the Lanzhou petrochemical chain (003:202).
"""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from longtu import settings
from longtu.layout import plan_layers
from longtu.layout.places import split_list
from longtu.layout.scenarios import (
    Workspace,
    apply_edits,
    diff_layers,
    move_feature,
    remove_feature,
)
from longtu.layout.scenarios.apply import orphaned_features

PLACED_LAYERS = ("parks", "industrial_bases", "other_features", "energy_sites")


def placed_on(park_names: set[str]) -> set[tuple[str, str]]:
    """(layer, feature_id) of the plan-table rows placed on a park named in `park_names`."""
    found: set[tuple[str, str]] = set()
    for layer in PLACED_LAYERS:
        path = settings.plan_folder / f"{layer}.csv"
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        on = table[table["place_method"].eq("park") & table["place_ref"].isin(park_names)]
        found |= {(layer, fid) for fid in on["feature_id"]}
    return found


NEW_AREA = "park_lanzhou_new_area"
ON_NEW_AREA = placed_on({"兰州新区"})
ON_SUB_PARK = ("industrial_bases", "base_petrochem_lanzhou_new_area_park")
SITE = (103.70, 36.50)  # in 永登县, Lanzhou


def feature(layers, layer: str, fid: str):
    return layers[layer].set_index("feature_id").loc[fid]


@pytest.fixture(scope="module")
def plan():
    return plan_layers()


@pytest.fixture(scope="module")
def moved(plan):
    edit = move_feature(plan, NEW_AREA, *SITE, author="li", reason="site agreed")
    return edit, apply_edits(plan, [edit])


def test_the_plan_places_these_features_on_the_new_area(plan):
    per_layer = pd.Series([layer for layer, _ in ON_NEW_AREA]).value_counts().to_dict()
    assert per_layer == {"parks": 14, "other_features": 5, "industrial_bases": 1, "energy_sites": 1}
    parks = plan["parks"]
    on_area = parks[parks["feature_id"].isin({fid for _, fid in ON_NEW_AREA})]
    aliases = {alias for cell in on_area["aliases_zh"] for alias in split_list(cell)}
    sub_park_names = set(on_area["name_zh"]) | aliases
    assert placed_on(sub_park_names) == {ON_SUB_PARK}  # the only row on a sub-park
    park = feature(plan, "parks", NEW_AREA).geometry
    for layer, fid in [*ON_NEW_AREA, ON_SUB_PARK]:
        assert feature(plan, layer, fid).geometry.equals(park), fid


def test_features_on_a_moved_park_follow_it(moved):
    edit, layers = moved
    park = feature(layers, "parks", NEW_AREA)
    assert park.geometry.equals(shapely.Point(*SITE))
    for layer, fid in [*ON_NEW_AREA, ON_SUB_PARK]:
        row = feature(layers, layer, fid)
        assert row.geometry.equals(park.geometry), fid
        assert row["precision"] == "site"
        assert row["place_method"] == "park"  # still placed on the park, not a site of its own
        assert row["county_adcodes"] == park["county_adcodes"] == "620121"
        assert row["zone_ids"] == "zone_lanbai"
        assert edit.id in row["location_basis"]
    sub_park = feature(layers, *ON_SUB_PARK)
    assert sub_park["location_basis"].startswith(
        "location of park 兰州新区石油化工产业园: location of park 兰州新区: site typed"
    )


def test_a_feature_given_its_own_site_stops_following(plan, moved):
    _, layers = moved
    own = move_feature(layers, "park_lzna_iot_park", 103.68, 36.52, author="li", reason="own")
    again = move_feature(layers, NEW_AREA, 103.75, 36.45, author="li", reason="moved again")
    out = apply_edits(plan, [moved[0], own, again])
    assert feature(out, "parks", "park_lzna_iot_park").geometry.equals(shapely.Point(103.68, 36.52))
    assert feature(out, "parks", "park_lzna_sci_tech_city").geometry.equals(
        shapely.Point(103.75, 36.45)
    )


def test_diff_reports_the_followers_apart_from_the_edit(plan, moved):
    changes = diff_layers(plan, moved[1]).set_index("feature_id")
    assert set(changes["kind"]) == {"moved"}
    assert changes.loc[NEW_AREA, "followed_park"] == ""
    followers = changes[changes["followed_park"] != ""]
    assert set(zip(followers["layer"], followers.index, strict=True)) == {*ON_NEW_AREA, ON_SUB_PARK}
    assert followers.loc["park_lzna_iot_park", "followed_park"] == "兰州新区"
    assert followers.loc[ON_SUB_PARK[1], "followed_park"] == "兰州新区石油化工产业园"
    distance_km = changes.loc[NEW_AREA, "distance_km"]
    assert (followers["distance_km"] == distance_km).all()
    assert followers.loc["park_lzna_iot_park", "details_zh"] == (
        f"随所在园区“兰州新区”代表点移动 {distance_km:.1f} km"
    )


@pytest.fixture(scope="module")
def removed(plan, moved):
    edit = remove_feature(moved[1], NEW_AREA, author="wang", reason="merged into 兰州市")
    return edit, apply_edits(plan, [moved[0], edit])


def test_features_on_a_removed_park_stay_where_it_last_was_and_say_so(removed):
    edit, layers = removed
    assert NEW_AREA not in set(layers["parks"]["feature_id"])
    orphans = orphaned_features(layers)
    assert set(zip(orphans["layer"], orphans["feature_id"], strict=True)) == ON_NEW_AREA
    assert set(orphans["park"]) == {"兰州新区"}
    for layer, fid in ON_NEW_AREA:
        row = feature(layers, layer, fid)
        assert row.geometry.equals(shapely.Point(*SITE)), fid
        assert row["location_basis"].startswith(
            f"park 兰州新区 was removed in scenario edit {edit.id}"
        )
    # on a sub-park that is still there: it follows that sub-park, which says why it is there
    sub = feature(layers, *ON_SUB_PARK)
    assert sub["location_basis"].startswith(
        "location of park 兰州新区石油化工产业园: park 兰州新区"
    )


def test_diff_of_a_removal_names_the_features_left_on_the_park(plan, removed):
    changes = diff_layers(plan, removed[1])
    edited = changes[changes["followed_park"] == ""]
    assert sorted(zip(edited["kind"], edited["feature_id"], strict=True)) == [("removed", NEW_AREA)]
    followed = changes[changes["followed_park"] != ""].set_index("feature_id")
    left = followed[followed["layer"] != "industry_chains"]
    assert set(zip(left["layer"], left.index, strict=True)) == {*ON_NEW_AREA, ON_SUB_PARK}
    row = followed.loc["park_lzna_iot_park"]  # moved, then its park removed
    assert row["kind"] == "moved"
    assert row["details_en"].endswith("the park was then removed, this is its last location")


def test_removal_alone_flags_without_moving(plan):
    edit = remove_feature(plan, NEW_AREA, author="wang", reason="merged")
    layers = apply_edits(plan, [edit])
    changes = diff_layers(plan, layers).set_index("feature_id")
    row = changes.loc["entity_lanbai_part_lanzhou_new_area"]
    assert (row["kind"], row["fields"], row["followed_park"]) == (
        "attributes",
        "location_basis",
        "兰州新区",
    )
    assert (
        row["details_zh"] == "所在园区“兰州新区”已删除：仍显示在该园区最后的位置，请重新定位或删除"
    )
    assert ON_SUB_PARK[1] not in changes.index  # its own park is still there, unmoved


def test_a_removed_park_leaves_the_industry_chains(plan):
    chains = plan["industry_chains"].set_index("feature_id")["park_ids"]
    park = "park_lanzhou_jinchuan_sci_park"  # 兰州金川科技园, carrier of three chains
    carried = {fid for fid, ids in chains.items() if park in ids.split(";")}
    assert len(carried) == 3
    layers = apply_edits(plan, [remove_feature(plan, park, author="li", reason="closed")])
    after = layers["industry_chains"].set_index("feature_id")["park_ids"]
    for fid in carried:
        assert after[fid].split(";") == [p for p in chains[fid].split(";") if p != park]
    assert (after.drop(index=list(carried)) == chains.drop(index=list(carried))).all()
    known = set(layers["parks"]["feature_id"])
    assert all(p in known for ids in after for p in ids.split(";") if p)
    changes = diff_layers(plan, layers)
    rows = changes[changes["layer"] == "industry_chains"]
    assert set(rows["feature_id"]) == carried
    assert set(rows["followed_park"]) == {"兰州金川科技园"}
    assert set(rows["fields"]) == {"park_ids"}


def test_the_new_area_leaves_its_chain_and_saving_matches_reloading(tmp_path, plan):
    with Workspace(tmp_path / "ws.gpkg", create=True) as ws:
        north = ws.new_scenario("north", by="li")
        north = ws.save(north, [move_feature(plan, NEW_AREA, *SITE, author="li", reason="r")])
        north = ws.save(north, [remove_feature(north.layers, NEW_AREA, author="li", reason="r")])
        reloaded = ws.load("north")
    chain = feature(north.layers, "industry_chains", "chain_ce_lanzhou_petrochem_synthetic")
    assert chain["park_ids"] == ""
    for name in ("parks", "industrial_bases", "other_features", "industry_chains"):
        saved = north.layers[name].set_index("feature_id").sort_index()
        again = reloaded.layers[name].set_index("feature_id").sort_index()
        assert saved.drop(columns="geometry").equals(again.drop(columns="geometry")), name
        same = saved.geometry.geom_equals_exact(again.geometry, tolerance=0)
        assert (same | (saved.geometry.isna() & again.geometry.isna())).all(), name
