"""The workspace file: a GeoPackage, append-only, safe from conflicts; refuses what it can't use."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from longtu import settings
from longtu.errors import ScenarioError, WorkspaceConflictError, WorkspaceError
from longtu.layout.scenarios import (
    Workspace,
    add_feature,
    default_workspace,
    diff_layers,
    earlier_workspaces,
    move_feature,
    remove_feature,
    set_attributes,
    store,
    workspace_path,
)
from longtu.layout.scenarios.gpkg import blob_to_geometry, geometry_to_blob


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    ws = Workspace(tmp_path / "ws.gpkg", create=True)
    yield ws
    ws.close()


def count_edits(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM edits").fetchone()[0]


def test_new_workspace_is_a_geopackage(workspace):
    path = workspace.path
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 10400
        contents = dict(conn.execute("SELECT table_name, data_type FROM gpkg_contents"))
        geometry = conn.execute("SELECT * FROM gpkg_geometry_columns").fetchall()
        srs = {r[0] for r in conn.execute("SELECT srs_id FROM gpkg_spatial_ref_sys")}
    assert contents == {
        "scenarios": "attributes",
        "edits": "features",
        "reviews": "attributes",
        "meta": "attributes",
    }
    assert geometry == [("edits", "geometry", "GEOMETRY", 4326, 0, 0)]
    assert srs == {-1, 0, 4326}
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"scenarios", "edits", "reviews", "meta"}
    assert pyogrio.read_info(path, layer="edits")["crs"] == "EPSG:4326"


@pytest.mark.parametrize(
    "geometry",
    [
        shapely.Point(103.8, 36.1),
        shapely.box(103, 36, 104, 37),
        shapely.MultiPolygon([shapely.box(103, 36, 104, 37), shapely.box(105, 36, 106, 37)]),
        shapely.LineString([(100, 38), (101, 39)]),
    ],
)
def test_geopackage_geometry_blob_round_trip(geometry):
    blob = geometry_to_blob(geometry)
    assert blob[:4] == b"GP\x00\x03"  # version 0, little-endian, xy envelope
    assert shapely.equals_exact(blob_to_geometry(blob), geometry, tolerance=0)
    assert blob_to_geometry(None) is None and geometry_to_blob(None) is None


def test_history_is_append_only(workspace):
    north = workspace.new_scenario("north", by="li")
    edit = remove_feature(north.layers, "park_lingtai_ica", author="li", reason="merged")
    workspace.save(north, [edit])
    with sqlite3.connect(workspace.path) as conn:
        for sql in ("UPDATE edits SET status = 'accepted'", "DELETE FROM edits"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)
    assert count_edits(workspace.path) == 1


def test_save_states_its_version_and_a_stale_one_conflicts(tmp_path):
    path = tmp_path / "ws.gpkg"
    with Workspace(path, create=True) as setup:
        setup.new_scenario("north", by="li")
    first, second = Workspace(path), Workspace(path)
    mine, theirs = first.load("north"), second.load("north")
    second.save(
        theirs,
        [
            move_feature(
                theirs.layers, "park_zhangye_etdz", 100.45, 38.93, author="wang", reason="site"
            )
        ],
    )
    before = fingerprint(path)
    edit = remove_feature(mine.layers, "park_lingtai_ica", author="li", reason="merged")
    with pytest.raises(WorkspaceConflictError, match="changed under you: reload"):
        first.save(mine, [edit])
    assert fingerprint(path)[0] == before[0]
    reloaded = first.save(first.load("north"), [edit])
    assert reloaded.version == 2 and count_edits(path) == 2
    first.close()
    second.close()


def test_a_workspace_locked_by_another_writer_is_a_clear_error(workspace, monkeypatch):
    north = workspace.new_scenario("north", by="li")
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.1)
    with Workspace(workspace.path) as other:
        other_north = other.load("north")
        holder = sqlite3.connect(workspace.path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process in the middle of its save
        edit = remove_feature(other_north.layers, "park_lingtai_ica", author="li", reason="r")
        with pytest.raises(WorkspaceError, match="another session may be saving"):
            other.save(other_north, [edit])
        holder.execute("ROLLBACK")
        holder.close()
        assert other.save(other_north, [edit]).version == north.version + 1


def test_two_scenarios_compare(workspace):
    plan = workspace.new_scenario("a", by="li").layers
    a = workspace.save(
        workspace.load("a"),
        [move_feature(plan, "park_zhangye_etdz", 100.45, 38.93, author="li", reason="r")],
    )
    b = workspace.new_scenario("b", by="wang")
    b = workspace.save(b, [remove_feature(plan, "park_lingtai_ica", author="wang", reason="r")])
    changes = diff_layers(a.layers, b.layers)
    edited = changes[changes["followed_park"] == ""]
    assert sorted(zip(edited["kind"], edited["feature_id"], strict=True)) == [
        ("moved", "park_zhangye_etdz"),  # back to the plan's seat symbol in b
        ("removed", "park_lingtai_ica"),
    ]
    # 灵台工业集中区 carries the Pingliang chain (003:198): b's chain no longer lists it.
    followed = changes[changes["followed_park"] != ""]
    assert followed[["kind", "feature_id", "fields", "followed_park"]].values.tolist() == [
        ["attributes", "chain_ce_pingliang_coal_power_chem_metal", "park_ids", "灵台工业集中区"]
    ]


def test_save_applies_as_a_reload_does(workspace):
    north = workspace.new_scenario("north", by="li")
    layers = north.layers
    edits = [
        set_attributes(
            layers,
            "park_zhangye_etdz",
            {"zone_ids": "zone_lanbai"},
            author="li",
            reason="serves Lanbai",
        ),
        add_feature(
            layers,
            layer="parks",
            name_zh="新园",
            geometry=shapely.Point(103.7, 36.0),
            author="li",
            reason="new",
            attributes={"level": "provincial"},
        ),
    ]
    saved = workspace.save(workspace.save(north, edits[:1]), edits[1:])
    moved = workspace.save(
        saved,
        [move_feature(saved.layers, "park_jiuquan_etdz", 98.5, 39.7, author="li", reason="site")],
    )
    loaded = workspace.load("north")
    assert_geodataframe_equal(moved.layers["parks"], loaded.layers["parks"])
    parks = loaded.layers["parks"].set_index("feature_id")
    assert parks.loc["park_zhangye_etdz", "zone_ids"] == "zone_lanbai"  # kept: set by an edit
    assert parks.loc[edits[1].feature_id, ["level", "prefecture_adcode"]].tolist() == [
        "provincial",
        "620100",
    ]


def test_undo_and_reject_stay_in_the_history(workspace):
    north = workspace.new_scenario("north", by="li")
    add = add_feature(
        north.layers,
        layer="parks",
        name_zh="新园",
        author="li",
        reason="new",
        geometry=shapely.Point(103.7, 36.0),
    )
    north = workspace.save(north, [add])
    move = move_feature(north.layers, add.feature_id, 103.75, 36.05, author="li", reason="nudge")
    north = workspace.save(north, [move])
    north = workspace.review(north, add.id, verdict="reject", by="wang", text="not agreed")
    assert [e.status for e in north.edits] == ["rejected", "proposed"]
    assert [(e.id, reason) for e, reason in north.skipped] == [
        (move.id, f"feature `{add.feature_id}` is not in the layers (removed or never added)")
    ]
    assert add.feature_id not in set(north.layers["parks"]["feature_id"])
    north = workspace.undo(north, by="li")
    assert [(e.kind, e.status) for e in north.edits] == [
        ("add", "rejected"),
        ("move", "undone"),
        ("undo", "accepted"),
    ]
    assert north.skipped == ()
    with pytest.raises(ScenarioError, match="nothing to undo"):
        workspace.undo(north, by="li")
    with pytest.raises(ScenarioError, match="was undone; there is nothing to accept"):
        workspace.review(north, "2", verdict="accept", by="wang")
    assert count_edits(workspace.path) == 3


def test_review_checks_its_target(workspace):
    north = workspace.new_scenario("north", by="li")
    with pytest.raises(ScenarioError, match="neither an edit"):
        workspace.review(north, "ed_nonexistent", verdict="accept", by="wang")
    with pytest.raises(ScenarioError, match="features take comments"):
        workspace.review(north, "park_zhangye_etdz", verdict="reject", by="wang")
    with pytest.raises(ScenarioError, match="needs its text"):
        workspace.review(north, "park_zhangye_etdz", verdict="comment", by="wang")
    north = workspace.review(
        north, "park_zhangye_etdz", verdict="comment", by="wang", text="boundary still missing"
    )
    assert [(r.feature_id, r.reviewer, r.verdict) for r in north.reviews] == [
        ("park_zhangye_etdz", "wang", "comment")
    ]
    assert north.reviews[0].time.endswith("Z")


def test_a_child_scenario_takes_its_parent_as_it_stood(workspace):
    parent = workspace.new_scenario("base", by="li")
    parent = workspace.save(
        parent, [remove_feature(parent.layers, "park_lingtai_ica", author="li", reason="r")]
    )
    child = workspace.new_scenario("variant", by="wang", parent="base")
    workspace.save(
        parent, [remove_feature(parent.layers, "park_chongxin_ica", author="li", reason="r")]
    )
    ids = set(workspace.load("variant").layers["parks"]["feature_id"])
    assert "park_lingtai_ica" not in ids and "park_chongxin_ica" in ids
    assert child.info.parent_version == 1
    with pytest.raises(ScenarioError, match="no scenario `nope`"):
        workspace.new_scenario("x", by="li", parent="nope")


def test_scenario_names_are_checked(workspace):
    workspace.new_scenario("河西-2030", by="li")
    for bad in ("", " padded", "a/b", "plan", "-x"):
        with pytest.raises(ScenarioError, match="cannot name a scenario"):
            workspace.new_scenario(bad, by="li")
    with pytest.raises(ScenarioError, match="already exists"):
        workspace.new_scenario("河西-2030", by="li")
    assert workspace.scenarios()["name"].tolist() == ["河西-2030"]


def test_workspace_location(tmp_path, monkeypatch):
    monkeypatch.delenv("LONGTU_WORKSPACE", raising=False)
    monkeypatch.setattr(settings, "data_folder", tmp_path / "cache" / "0.1.0")
    monkeypatch.setattr(settings, "cache_folder", tmp_path / "cache")
    monkeypatch.setattr(settings, "workspace_folder", tmp_path / "share" / "longtu")
    assert workspace_path() == tmp_path / "share" / "longtu" / "workspace.gpkg"
    monkeypatch.setenv("LONGTU_WORKSPACE", str(tmp_path / "env.gpkg"))
    assert workspace_path() == tmp_path / "env.gpkg"
    assert workspace_path(tmp_path / "given.gpkg") == tmp_path / "given.gpkg"
    with pytest.raises(WorkspaceError, match="no workspace at"):
        Workspace()
    with Workspace(create=True) as ws:
        assert ws.path == tmp_path / "env.gpkg" and ws.path.exists()


def _not_sqlite(path: Path) -> None:
    path.write_text("name,lon,lat\n兰州,103.8,36.1\n", encoding="utf-8")


def _plain_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")


def _other_geopackage(path: Path) -> None:
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(103, 36)], crs=4326).to_file(path)


def _newer(path: Path) -> None:
    Workspace(path, create=True).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")


def _damaged(path: Path) -> None:
    with Workspace(path, create=True) as ws:
        north = ws.new_scenario("north", by="li")
        big = shapely.Point(103.8, 36.1).buffer(0.1, quad_segs=2000)
        ws.save(
            north,
            [
                add_feature(
                    north.layers,
                    layer="parks",
                    name_zh=f"园{i}",
                    author="li",
                    reason="r",
                    geometry=big,
                )
                for i in range(20)
            ],
        )
    data = bytearray(path.read_bytes())
    data[8192:16384] = b"\xff" * 8192  # two pages of garbage
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_not_sqlite, "is not a GeoPackage \\(not an SQLite database\\)"),
        (lambda p: p.write_bytes(b""), "is not a GeoPackage"),
        (_plain_sqlite, "is an SQLite database but not a GeoPackage"),
        (_other_geopackage, "is a GeoPackage but not a Longtu workspace"),
        (_newer, "written by a newer Longtu .* schema 99"),
        (_damaged, "is damaged"),
    ],
)
def test_files_it_cannot_use_are_refused_untouched(tmp_path, make, message):
    path = tmp_path / "ws.gpkg"
    make(path)
    before = fingerprint(path)
    with pytest.raises(WorkspaceError, match=message):
        Workspace(path, create=True)
    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws.gpkg"]


def test_plan_folders_are_stored_relative_when_inside_the_workspace_folder(tmp_path):
    from test_scenarios_diff import make_plan_version

    near = make_plan_version(tmp_path / "office" / "plan_v2")
    far = shutil.copytree(near, tmp_path / "other" / "plan_v2")
    with Workspace(tmp_path / "office" / "ws.gpkg", create=True) as ws:
        ws.new_scenario("near", by="li", plan_dir=near)
        ws.new_scenario("far", by="li", plan_dir=far)
        infos = {n: ws.info(n).plan_dir for n in ("near", "far")}
        listed = dict(zip(ws.scenarios()["name"], ws.scenarios()["plan_dir"], strict=True))
    with sqlite3.connect(tmp_path / "office" / "ws.gpkg") as conn:
        stored = dict(conn.execute("SELECT name, plan_dir FROM scenarios"))
    assert stored == {"near": "plan_v2", "far": str(far)}
    assert infos == listed == {"near": str(near), "far": str(far)}


def test_an_old_workspace_with_an_absolute_plan_folder_still_opens(tmp_path):
    from test_scenarios_diff import make_plan_version

    folder = make_plan_version(tmp_path / "plan_v2")
    with Workspace(tmp_path / "ws.gpkg", create=True) as ws:
        ws.new_scenario("old", by="li", plan_dir=folder)
    with sqlite3.connect(tmp_path / "ws.gpkg") as conn:  # as workspaces stored it before
        conn.execute("UPDATE scenarios SET plan_dir = ? WHERE name = 'old'", (str(folder),))
    with Workspace(tmp_path / "ws.gpkg") as ws:
        old = ws.load("old")
        assert ws.info("old").plan_dir == str(folder)
        assert "park_test_new_zone" in set(old.layers["parks"]["feature_id"])
        shutil.rmtree(folder)
        with pytest.raises(WorkspaceError, match=r"plan folder `.*plan_v2` that scenario `old`"):
            ws.load("old")


@pytest.fixture
def cached_workspace(tmp_path, monkeypatch) -> Path:
    """A workspace with one scenario where Longtu 0.1.0 kept it; the running version is 0.2.0."""
    monkeypatch.delenv("LONGTU_WORKSPACE", raising=False)
    monkeypatch.setattr(settings, "cache_folder", tmp_path / "cache")
    monkeypatch.setattr(settings, "data_folder", tmp_path / "cache" / "0.2.0")
    monkeypatch.setattr(settings, "workspace_folder", tmp_path / "share" / "longtu")
    old = tmp_path / "cache" / "0.1.0" / "workspace.gpkg"
    old.parent.mkdir(parents=True)
    with Workspace(old, create=True) as ws:
        ws.new_scenario("河西-2030", by="li")
    return old


def test_a_workspace_longtu_kept_in_its_cache_is_used_where_it_is(tmp_path, cached_workspace):
    """Upgrading (a new version, so a new cache folder) does not hide the planners' scenarios.

    Longtu used to keep the workspace in its versioned data folder under ``~/.cache/longtu``;
    the newest such file is used in place (nothing moved) until one exists in the user's data
    folder, which every version then uses.
    """
    old = cached_workspace
    older = tmp_path / "cache" / "0.0.9" / "workspace.gpkg"
    older.parent.mkdir(parents=True)
    with Workspace(older, create=True) as ws:
        ws.new_scenario("陇东", by="li")
    os.utime(older, (1_600_000_000, 1_600_000_000))
    empty = tmp_path / "cache" / "0.1.1" / "workspace.gpkg"  # the app made it; nothing in it
    empty.parent.mkdir(parents=True)
    Workspace(empty, create=True).close()
    damaged = tmp_path / "cache" / "0.0.1" / "workspace.gpkg"
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"not a workspace")
    os.utime(damaged, (1_500_000_000, 1_500_000_000))
    assert earlier_workspaces() == [old, older, damaged]
    assert workspace_path() == old
    with Workspace() as ws:
        assert ws.scenarios()["name"].tolist() == ["河西-2030"]
    default = default_workspace()
    assert default == tmp_path / "share" / "longtu" / "workspace.gpkg" and not default.exists()
    default.parent.mkdir(parents=True)
    with Workspace(default, create=True):
        pass
    assert workspace_path() == default
    assert old.exists() and older.exists()


def test_the_cli_opens_a_workspace_left_in_the_cache_and_says_to_move_it(
    tmp_path, cached_workspace, capsys
):
    from longtu.cli.main import main

    old = cached_workspace
    assert main(["scenario", "list"]) == 0
    out, err = capsys.readouterr()
    assert "河西-2030" in out
    assert f"工作区 {old} 在缓存文件夹中" in err and str(tmp_path / "share" / "longtu") in err
    assert main(["scenario", "list", "--workspace", str(old)]) == 0  # named: no note
    assert "缓存" not in capsys.readouterr().err


def test_a_list_typed_with_chinese_separators_is_stored_as_the_plan_stores_lists():
    """The CLI and the app both go through set_attributes: 、 and ； become the plan's ';'."""
    from longtu.layout import plan_layers

    layers = plan_layers()
    edit = set_attributes(
        layers,
        "park_lanzhou_new_area",
        {"lead_industries_zh": "新材料、化工；装备制造", "name_en": "Lanzhou New Area, west"},
        author="li",
        reason="产业调整",
    )
    assert edit.attributes["lead_industries_zh"] == "新材料;化工;装备制造"
    assert edit.attributes["name_en"] == "Lanzhou New Area, west"  # not a list: kept as typed
