"""Comparing layers: two plan versions, a plan and a scenario; written as GeoPackage and CSV."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import Geod

from longtu import settings
from longtu.layout import plan_layers
from longtu.layout.scenarios import (
    add_feature,
    apply_edits,
    diff_layers,
    move_feature,
    plan_version_layers,
    reshape_feature,
    set_attributes,
    write_changes,
)

#: The five changes :func:`make_plan_version` makes, as (kind, feature_id).
PLAN_VERSION_CHANGES = [
    ("added", "park_test_new_zone"),
    ("attributes", "park_gannan_eco_livestock_park"),
    ("moved", "park_dunhuang_software_park"),
    ("removed", "park_lanshi_smart_equipment_park"),
    ("upgraded", "park_emergency_base_jiuquan"),
]


def make_plan_version(folder: Path) -> Path:
    """A copy of gis_data/plan with five rows of parks.csv changed (PLAN_VERSION_CHANGES)."""
    shutil.copytree(settings.plan_folder, folder)
    parks = pd.read_csv(folder / "parks.csv", dtype=str, keep_default_na=False)
    sources = pd.read_csv(folder / "parks_sources.csv", dtype=str, keep_default_na=False)
    by_id = parks.set_index("feature_id", drop=False)
    gone = {feature_id for _, feature_id in PLAN_VERSION_CHANGES[1:]} - set(by_id.index)
    assert not gone, f"rows to change are not in the plan: {gone}"  # .loc would add them
    by_id.loc["park_emergency_base_jiuquan", "level"] = "national"
    by_id.loc["park_dunhuang_software_park", ["place_ref", "county_adcode"]] = "620981"
    by_id.loc["park_gannan_eco_livestock_park", "lead_industries_zh"] = "畜产品加工;乳制品"
    by_id = by_id.drop(index="park_lanshi_smart_equipment_park")
    new = by_id.loc["park_dunhuang_software_park"].copy()
    new[["feature_id", "name_zh", "name_en", "aliases_zh", "notes"]] = [
        "park_test_new_zone",
        "测试新区",
        "Test New Area",
        "",
        "a row of a test plan version",
    ]
    new[["place_ref", "prefecture_adcode", "county_adcode"]] = ["620102", "620100", "620102"]
    parks = pd.concat([by_id, new.to_frame().T], ignore_index=True)
    parks.to_csv(folder / "parks.csv", index=False, encoding="utf-8")
    cite = sources[sources["feature_id"] == "park_dunhuang_software_park"].head(1)
    sources = sources[sources["feature_id"] != "park_lanshi_smart_equipment_park"]
    sources = pd.concat([sources, cite.assign(feature_id="park_test_new_zone")])
    sources.to_csv(folder / "parks_sources.csv", index=False, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def plan_version(tmp_path_factory) -> Path:
    return make_plan_version(tmp_path_factory.mktemp("versions") / "plan_v2")


def test_diff_of_two_plan_versions(plan_version):
    changes = diff_layers(plan_layers(), plan_version_layers(plan_version))
    assert sorted(zip(changes["kind"], changes["feature_id"], strict=True)) == (
        PLAN_VERSION_CHANGES
    )
    by_kind = changes.set_index("kind")
    assert by_kind.loc["upgraded", "details_en"] == "upgraded: Provincial -> National"
    assert by_kind.loc["upgraded", "details_zh"] == "级别提升：省级 → 国家级"
    assert by_kind.loc["attributes", "fields"] == "lead_industries_zh"
    assert "乳制品" in by_kind.loc["attributes", "details_en"]
    old = plan_layers()["parks"].set_index("feature_id").geometry["park_dunhuang_software_park"]
    new = by_kind.loc["moved", "geometry"]
    _, _, metres = Geod(ellps="WGS84").inv(old.x, old.y, new.x, new.y)
    assert by_kind.loc["moved", "distance_km"] == pytest.approx(metres / 1000)
    assert 150 < metres / 1000 < 300  # the seats of 敦煌 and 玉门
    assert by_kind.loc["removed", "name_zh"] == "兰石高端装备智能制造产业园"
    assert changes.crs == "EPSG:4326"


def test_identical_layers_have_no_changes(tmp_path):
    changes = diff_layers(plan_layers(), plan_layers())
    assert changes.empty
    gpkg, csv = write_changes(changes, tmp_path / "none.gpkg")
    assert pyogrio.read_info(gpkg, layer="changes")["features"] == 0
    assert pd.read_csv(csv, encoding="utf-8-sig").empty


def test_diff_of_a_scenario_and_its_files(tmp_path):
    plan = plan_layers()
    polygon = shapely.box(103.60, 36.08, 103.66, 36.12)
    edits = [
        reshape_feature(plan, "park_lanzhou_etdz", polygon, author="li", reason="survey"),
        move_feature(plan, "park_zhangye_etdz", 100.45, 38.93, author="li", reason="site"),
        set_attributes(plan, "park_jiuquan_etdz", {"level": "provincial"}, author="li", reason="r"),
        set_attributes(
            plan, "energy_dunhuang_pv_base", {"status": "existing"}, author="li", reason="built"
        ),
    ]
    changes = diff_layers(plan, apply_edits(plan, edits))
    assert sorted(zip(changes["kind"], changes["feature_id"], strict=True)) == [
        ("attributes", "energy_dunhuang_pv_base"),
        ("downgraded", "park_jiuquan_etdz"),
        ("moved", "park_zhangye_etdz"),
        ("reshaped", "entity_lanbai_part_lanzhou_etdz"),  # placed on 兰州经开区 by the plan
        ("reshaped", "entity_lanzhou_international_port_area"),  # built by 兰州经开区
        ("reshaped", "park_lanzhou_etdz"),
    ]
    assert changes.set_index("feature_id")["followed_park"].to_dict() == {
        "energy_dunhuang_pv_base": "",
        "park_jiuquan_etdz": "",
        "park_zhangye_etdz": "",
        "entity_lanbai_part_lanzhou_etdz": "兰州经济技术开发区",
        "entity_lanzhou_international_port_area": "兰州经济技术开发区",
        "park_lanzhou_etdz": "",
    }
    reshaped = changes[changes["followed_park"] == ""].set_index("kind").loc["reshaped"]
    area_km2 = 0.06 * 0.04 * 111.32**2 * 0.80  # about 0.06 x 0.04 degrees at 36 N
    assert reshaped["area_change_km2"] == pytest.approx(area_km2, rel=0.03)
    assert reshaped.geometry.equals(polygon)
    # 兰州经开区 was a point in the plan: given an outline, not "area 0.00 -> ...".
    assert reshaped["details_zh"].startswith(
        f"由点改为边界：面积 {reshaped['area_change_km2']:.2f} km²"
    )
    assert reshaped["details_en"].startswith("from a point to an outline: area")
    assert "status: Planned → Existing" in changes.set_index("kind").loc["attributes", "details_en"]

    gpkg, csv = write_changes(changes, tmp_path / "out" / "changes.gpkg")
    back = pyogrio.read_dataframe(gpkg, layer="changes")
    assert back["kind"].tolist() == changes["kind"].tolist()
    assert set(back.geometry.geom_type) == {"Polygon", "Point"}
    table = pd.read_csv(csv, encoding="utf-8-sig")
    assert table["feature_id"].tolist() == changes["feature_id"].tolist()
    assert table["geometry_wkt"].str.startswith(("POINT", "POLYGON", "MULTIPOINT")).all()


def test_change_table_csv_defuses_formulas(tmp_path):
    plan = plan_layers()
    edit = add_feature(
        plan,
        layer="parks",
        name_zh="=HYPERLINK(1)",
        geometry=shapely.Point(103.8, 36.06),
        author="li",
        reason="+a reason a spreadsheet would read as a formula",
    )
    changes = diff_layers(plan, apply_edits(plan, [edit]))
    assert changes["name_zh"].tolist() == ["=HYPERLINK(1)"]
    gpkg, csv = write_changes(changes, tmp_path / "changes.gpkg")
    table = pd.read_csv(csv, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert table["name_zh"].tolist() == ["'=HYPERLINK(1)"]
    assert table["details_zh"].tolist() == ["新增园区：=HYPERLINK(1)"]  # not at the start
    assert pyogrio.read_dataframe(gpkg, layer="changes")["name_zh"].tolist() == ["=HYPERLINK(1)"]
