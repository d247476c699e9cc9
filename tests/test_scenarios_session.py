"""A planner's session on the real plan data, through the command line, in a temporary workspace.

Creates a scenario, imports a boundary file of three parks (names written as planners write
them, polygons in the right counties) confirming the matches, moves one park, removes one, adds
one, accepts two edits; then the diff against the plan has exactly six rows: three ``reshaped``
(a county symbol point replaced by a site polygon counts as one reshape per park, not a move
and a reshape), one ``moved``, one ``removed``, one ``added``. Reviews change no layer.
"""

from __future__ import annotations

import shlex

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from longtu.cli import main as cli_main
from longtu.cli import scenario as scenario_cli
from longtu.layout import load_layer
from longtu.layout.scenarios import Workspace

#: name as the planner's file writes it -> (plan feature, county adcode it lies in)
IMPORTED = {
    "兰州经开区": ("park_lanzhou_etdz", "620105"),
    "国家级白银高新区（白银区）": ("park_baiyin_hitech_zone", "620402"),
    "甘肃酒泉经济技术开发区": ("park_jiuquan_etdz", "620902"),
}


@pytest.fixture
def longtu(monkeypatch):
    """``longtu ...`` in-process, with the scenario commands registered (until main does)."""
    if scenario_cli not in cli_main.COMMAND_GROUPS:
        monkeypatch.setattr(cli_main, "COMMAND_GROUPS", (*cli_main.COMMAND_GROUPS, scenario_cli))
    return cli_main.main


def site_polygon(county_adcode: str, half_side_deg: float = 0.02) -> shapely.Polygon:
    counties = load_layer("counties").set_index("adcode")
    point = counties.geometry[county_adcode].representative_point()
    return shapely.box(
        point.x - half_side_deg,
        point.y - half_side_deg,
        point.x + half_side_deg,
        point.y + half_side_deg,
    )


def write_boundaries(path) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {"名称": list(IMPORTED)},
        geometry=[site_polygon(county) for _, county in IMPORTED.values()],
        crs="EPSG:4326",
    )
    frame.to_file(path, driver="GPKG")
    return frame


def test_planning_session(tmp_path, longtu, capsys):
    ws = ["--workspace", str(tmp_path / "ws.gpkg")]
    boundaries = write_boundaries(tmp_path / "boundaries.gpkg")
    assert longtu(["scenario", "new", "north", "--by", "li", *ws]) == 0

    # proposing saves nothing
    assert longtu(["scenario", "import", "north", str(tmp_path / "boundaries.gpkg"), *ws]) == 0
    printed = capsys.readouterr().out
    assert "未保存：提出了 3 处匹配" in printed and "Nothing saved" in printed
    assert "最佳匹配 best match" in printed and "status" not in printed.split("\n")[0]
    with Workspace(tmp_path / "ws.gpkg") as w:
        assert w.load("north").version == 0

    boundary_file = shlex.quote(str(tmp_path / "boundaries.gpkg"))
    steps = [
        f"import north {boundary_file} --accept-matches --reason '2023 boundary survey'",
        "edit north park_zhangye_etdz --move 100.45 38.93 --reason 'site agreed'",
        "edit north park_dunhuang_software_park --remove --reason 'merged'",
        "add north --layer parks --name 金昌新材料产业园 --lon 102.19 --lat 38.52 --reason new",
        "review north 1 --accept --comment 'boundary checked' --by wang",
        "review north 4 --accept --by wang",
    ]
    for step in steps:
        by = [] if "--by" in step else ["--by", "li"]
        assert longtu(["scenario", *shlex.split(step), *ws, *by]) == 0, step
    out = capsys.readouterr().out
    assert "已保存来自 boundaries.gpkg 的 3 处选址；情景 north 现为第 1 版。" in out
    assert "Saved 3 site(s) from boundaries.gpkg" in out
    assert "已保存第 4 条修改（移动 张掖经济技术开发区）" in out  # after the three imported
    assert "已记录 wang 对 1 的意见：接受" in out

    assert longtu(["scenario", "diff", "north", "--out", str(tmp_path / "changes.gpkg"), *ws]) == 0
    changes = pyogrio.read_dataframe(tmp_path / "changes.gpkg", layer="changes")
    edited = changes[changes["followed_park"].fillna("") == ""]
    found = sorted(zip(edited["kind"], edited["feature_id"], strict=True))
    added = changes.loc[changes["kind"] == "added", "feature_id"].item()
    assert found == sorted(
        [
            ("reshaped", "park_lanzhou_etdz"),
            ("reshaped", "park_baiyin_hitech_zone"),
            ("reshaped", "park_jiuquan_etdz"),
            ("moved", "park_zhangye_etdz"),
            ("removed", "park_dunhuang_software_park"),
            ("added", added),
        ]
    )
    assert added.startswith("user_")
    # Features the plan places on the three reshaped parks took their new outlines with them,
    # and say so; they are not counted as edits.
    followed = changes[changes["followed_park"].fillna("") != ""]
    assert sorted(zip(followed["feature_id"], followed["followed_park"], strict=True)) == [
        ("base_equipment_jiuquan_etdz", "酒泉经济技术开发区"),
        ("entity_lanbai_part_baiyin_hitech", "白银高新技术产业开发区"),
        ("entity_lanbai_part_lanzhou_etdz", "兰州经济技术开发区"),
        ("entity_lanzhou_international_port_area", "兰州经济技术开发区"),
    ]
    assert set(followed["kind"]) == {"reshaped"}
    assert followed["details_en"].str.startswith("followed its park ").all()
    csv = pd.read_csv(tmp_path / "changes.csv", encoding="utf-8-sig")
    assert len(csv) == 10 and "geometry_wkt" in csv.columns
    printed = capsys.readouterr().out
    assert "10 处变化，其中 4 处随所在园区" in printed
    assert "10 change(s), 4 of them following their park" in printed
    assert "变化 change" in printed and "kind" not in printed

    with Workspace(tmp_path / "ws.gpkg") as w:
        north = w.load("north")
    statuses = [(e.seq, e.kind, e.status) for e in north.edits]
    assert statuses == [
        (1, "reshape", "accepted"),
        (2, "reshape", "proposed"),
        (3, "reshape", "proposed"),
        (4, "move", "accepted"),
        (5, "remove", "proposed"),
        (6, "add", "proposed"),
    ]
    parks = north.layers["parks"].set_index("feature_id")
    for row, (name, (fid, _)) in enumerate(IMPORTED.items(), start=1):
        park = parks.loc[fid]
        assert park["precision"] == "site"
        assert shapely.equals_exact(park.geometry, boundaries.geometry[row - 1], tolerance=0)
        assert f"imported from boundaries.gpkg feature {row}" in park["location_basis"]
        assert park["source_refs"].endswith(f"edit:{north.edits[row - 1].id}"), name
        assert park["place_method"] == "site" and park["place_ref"] == f"boundaries.gpkg#{row}"
    assert "park_dunhuang_software_park" not in parks.index
    assert parks.loc[added, "name_zh"] == "金昌新材料产业园"
    assert parks.loc[added, "county_adcodes"] == "620302"
    assert parks.loc["park_zhangye_etdz", "precision"] == "site"

    # QGIS/GDAL read the history as a layer
    edits = pyogrio.read_dataframe(tmp_path / "ws.gpkg", layer="edits")
    assert edits["kind"].tolist() == ["reshape"] * 3 + ["move", "remove", "add"]
    assert str(edits.crs) == "EPSG:4326"
    reviews = pyogrio.read_dataframe(tmp_path / "ws.gpkg", layer="reviews", read_geometry=False)
    assert reviews[["reviewer", "verdict"]].to_numpy().tolist() == [["wang", "accept"]] * 2

    # The constraint check on the scenario uses the imported outline, not the county seat:
    # a red line over the western half of 兰州经开区's boundary overlaps half of it.
    site = boundaries.geometry[0]
    minx, miny, _, maxy = site.bounds
    west = shapely.box(minx - 0.01, miny - 0.01, site.centroid.x, maxy)
    red = gpd.GeoDataFrame({"名称": ["红线A"]}, geometry=[west], crs=4326)
    red.to_file(tmp_path / "red.geojson")
    report = tmp_path / "conflicts.gpkg"
    check = ["constraints", "check", str(tmp_path / "red.geojson"), "--out", str(report)]
    assert longtu([*check, "--scenario", "north", *ws]) == 0
    conflicts = pyogrio.read_dataframe(report, layer="conflicts").set_index("feature_id")
    lanzhou = conflicts.loc["park_lanzhou_etdz"]
    assert lanzhou["precision"] == "site" and lanzhou["constraint_names"] == "红线A"
    by_hand = gpd.GeoSeries([site.intersection(west), site], crs=4326).to_crs("EPSG:6933").area
    assert lanzhou["overlap_pct"] == pytest.approx(100 * by_hand[0] / by_hand[1], abs=0.01)


def test_show_and_list_print_the_history(tmp_path, longtu, capsys):
    ws = ["--workspace", str(tmp_path / "ws.gpkg")]
    assert longtu(["scenario", "new", "south", "--by", "li", *ws]) == 0
    edit = ["edit", "south", "park_zhangye_etdz", "--set", "level=provincial", "--reason", "x"]
    assert longtu(["scenario", *edit, "--by", "li", *ws]) == 0
    assert longtu(["scenario", "undo", "south", "--by", "li", *ws]) == 0
    capsys.readouterr()
    assert longtu(["scenario", "show", "south", *ws]) == 0
    out = capsys.readouterr().out
    assert "已撤销 undone" in out and "撤销 undo 第 1 条" in out and "张掖经济技术开发区" in out
    assert "时间（北京时间）" in out  # not UTC, and no field names as headings
    for raw in ("feature_id", "time (UTC)", "proposed"):
        assert raw not in out, raw
    assert out.count("undone") == out.count("已撤销 undone")  # the status in both words
    assert longtu(["scenario", "list", *ws]) == 0
    out = capsys.readouterr().out
    assert "south" in out and "规划 the plan" in out and "created_by" not in out
