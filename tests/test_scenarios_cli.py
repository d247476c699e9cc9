"""``longtu scenario``: every bad input is one clear message, and the workspace is unchanged."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from test_scenarios_diff import make_plan_version

from longtu.cli import main as cli_main
from longtu.cli import scenario as scenario_cli


@pytest.fixture
def longtu(monkeypatch):
    """``longtu ...`` in-process, with the scenario commands registered (until main does)."""
    if scenario_cli not in cli_main.COMMAND_GROUPS:
        monkeypatch.setattr(cli_main, "COMMAND_GROUPS", (*cli_main.COMMAND_GROUPS, scenario_cli))
    return cli_main.main


@pytest.fixture
def workspace(tmp_path, longtu) -> Path:
    path = tmp_path / "ws.gpkg"
    assert longtu(["scenario", "new", "north", "--by", "li", "--workspace", str(path)]) == 0
    edit = ["edit", "north", "park_zhangye_etdz", "--move", "100.45", "38.93"]
    assert longtu(["scenario", *edit, "--reason", "r", "--by", "li", "--workspace", str(path)]) == 0
    return path


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def write_features(path: Path, names: list[str]) -> Path:
    geometry = [shapely.box(103.70, 36.05, 103.72, 36.07)] * len(names)
    gpd.GeoDataFrame({"名称": names}, geometry=geometry, crs=4326).to_file(path)
    return path


ACCEPT = ["--accept-matches", "--reason", "r"]


def bad_inputs(tmp: Path) -> dict[str, tuple[list[str], str]]:
    return {
        "no match": (
            ["import", "north", str(write_features(tmp / "none.gpkg", ["某某物流中心"])), *ACCEPT],
            "no feature of `.*none.gpkg` matches a plan feature",
        ),
        "no match, proposing": (
            ["import", "north", str(tmp / "none.gpkg")],
            "no feature of `.*none.gpkg` matches",
        ),
        "two features": (
            [
                "import",
                "north",
                str(write_features(tmp / "two.gpkg", ["分散式风场"])),
                *ACCEPT,
            ],
            "fits two plan features equally .* choose the plan feature for row 1",
        ),
        "outside Gansu": (
            ["edit", "north", "park_jiuquan_etdz", "--move", "116.4", "39.9", "--reason", "r"],
            "the point 116.4, 39.9 lies outside Gansu",
        ),
        "no feature": (
            ["edit", "north", "park_nowhere", "--remove", "--reason", "r"],
            "no feature `park_nowhere` in this scenario",
        ),
        "bad value": (
            ["edit", "north", "park_jiuquan_etdz", "--set", "level=great", "--reason", "r"],
            "`level=great` is not one of national, provincial, other, unknown",
        ),
        "bad pair": (
            ["edit", "north", "park_jiuquan_etdz", "--set", "level", "--reason", "r"],
            "must look like --set KEY=VALUE",
        ),
        "empty reason": (
            ["edit", "north", "park_jiuquan_etdz", "--remove", "--reason", " "],
            "the reason is empty",
        ),
        "add outside": (
            ["add", "north", "--name", "新园", "--lon", "120", "--lat", "30", "--reason", "r"],
            "the new feature 新园 lies outside Gansu",
        ),
        "unknown scenario": (
            ["edit", "south", "park_jiuquan_etdz", "--remove", "--reason", "r"],
            "no scenario `south` in the workspace \\(scenarios: north\\)",
        ),
        "taken name": (["new", "north"], "a scenario named `north` already exists"),
        "review unknown": (["review", "north", "ed_x", "--accept"], "neither an edit"),
        "broken plan version": (
            ["new", "v2", "--plan-dir", str(tmp / "broken_plan")],
            "is not a valid plan version.*parks.csv row .*level.*`great` is not one of",
        ),
        "missing plan version": (["new", "v3", "--plan-dir", str(tmp / "nope")], "is not a folder"),
    }


def break_plan_version(folder: Path) -> None:
    make_plan_version(folder)
    text = (folder / "parks.csv").read_text(encoding="utf-8")
    (folder / "parks.csv").write_text(text.replace(",national,", ",great,", 1), encoding="utf-8")


def test_bad_input_is_one_message_and_the_workspace_is_unchanged(
    tmp_path, workspace, longtu, capsys
):
    break_plan_version(tmp_path / "broken_plan")
    capsys.readouterr()
    for label, (args, message) in bad_inputs(tmp_path).items():
        before = fingerprint(workspace)
        code = longtu(["scenario", *args, "--by", "li", "--workspace", str(workspace)])
        err = capsys.readouterr().err
        assert code == 2, label
        assert err.startswith("longtu: error: "), (label, err)
        assert re.search(message, err, flags=re.S), (label, err)
        assert fingerprint(workspace) == before, label


@pytest.mark.parametrize("kind", ["not a geopackage", "newer"])
def test_workspaces_it_cannot_use(tmp_path, longtu, capsys, kind):
    path = tmp_path / "ws.gpkg"
    if kind == "not a geopackage":
        path.write_text("hello", encoding="utf-8")
        message = "is not a GeoPackage"
    else:
        assert longtu(["scenario", "new", "north", "--by", "li", "--workspace", str(path)]) == 0
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        message = "was written by a newer Longtu"
    before = fingerprint(path)
    for args in (["list"], ["new", "south", "--by", "li"], ["show", "north"]):
        assert longtu(["scenario", *args, "--workspace", str(path)]) == 2
        assert message in capsys.readouterr().err
    assert fingerprint(path) == before


def test_scenario_from_a_plan_version_and_its_diff(tmp_path, longtu, capsys):
    folder = make_plan_version(tmp_path / "plan_v2")
    ws = ["--workspace", str(tmp_path / "ws.gpkg")]
    assert longtu(["scenario", "new", "v2", "--plan-dir", str(folder), "--by", "li", *ws]) == 0
    assert longtu(["scenario", "new", "v2b", "--from", "v2", "--by", "li", *ws]) == 0
    capsys.readouterr()
    out = tmp_path / "versions.gpkg"
    assert longtu(["scenario", "diff", "plan", str(folder), "--out", str(out), *ws]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("5 处变化：") and "\n5 change(s): " in printed
    assert out.exists() and out.with_suffix(".csv").exists()
    assert longtu(["scenario", "diff", "v2b", "--out", str(tmp_path / "v2b.gpkg"), *ws]) == 0
    assert capsys.readouterr().out.startswith("0 处变化。\n0 change(s).")  # its own plan version
    assert longtu(["scenario", "diff", "plan", "v2b", "--out", str(tmp_path / "x.gpkg"), *ws]) == 0
    assert capsys.readouterr().out.startswith("5 处变化：")


def test_a_plan_folder_beside_the_workspace_moves_with_it(tmp_path, longtu, capsys):
    office = tmp_path / "office"
    folder = make_plan_version(office / "versions" / "plan_v2")
    ws = office / "ws.gpkg"
    new = ["scenario", "new", "v2", "--plan-dir", str(folder), "--by", "li"]
    assert longtu([*new, "--workspace", str(ws)]) == 0
    with sqlite3.connect(ws) as conn:
        stored = conn.execute("SELECT plan_dir FROM scenarios WHERE name = 'v2'").fetchone()[0]
    assert stored == "versions/plan_v2"

    moved = tmp_path / "archive" / "office_2026"
    moved.parent.mkdir()
    office.rename(moved)
    capsys.readouterr()
    diff = ["scenario", "diff", "plan", "v2", "--out", str(tmp_path / "x.gpkg")]
    assert longtu([*diff, "--workspace", str(moved / "ws.gpkg")]) == 0
    assert capsys.readouterr().out.startswith("5 处变化：")

    (moved / "versions").rename(tmp_path / "elsewhere")
    assert longtu([*diff, "--overwrite", "--workspace", str(moved / "ws.gpkg")]) == 2
    err = capsys.readouterr().err
    assert f"the plan folder `{moved / 'versions' / 'plan_v2'}` that scenario `v2`" in err
    assert "is missing; put the folder back there" in err


def test_pdf_page_and_atlas_name_the_scenario(tmp_path, workspace, longtu):
    from pypdf import PdfReader

    ws = ["--scenario", "north", "--workspace", str(workspace)]
    page, atlas = tmp_path / "page.pdf", tmp_path / "atlas.pdf"
    assert longtu(["pdf", "page", "--extent", "zone:zone_hexi", "--out", str(page), *ws]) == 0
    assert longtu(["pdf", "atlas", "--by", "zone", "--out", str(atlas), *ws]) == 0
    label = "情景north（1项修改）Scenarionorth(1edit)"
    assert label in PdfReader(page).pages[0].extract_text().replace(" ", "").replace("\n", "")
    reader = PdfReader(atlas)
    assert len(reader.pages) == 1 + 2 + 3  # index, redline map, change table, three zones
    assert "规划情景变更图" in reader.pages[1].extract_text()


def test_diff_never_writes_over_the_workspace_or_a_file_unasked(
    workspace, tmp_path, longtu, capsys
):
    before = fingerprint(workspace)
    diff = ["scenario", "diff", "north", "--workspace", str(workspace)]
    # Onto the workspace itself: it was deleted and replaced by the change layer.
    assert longtu([*diff, "--out", str(workspace)]) == 2
    assert f"`--out` {workspace} is also an input file" in capsys.readouterr().err
    assert fingerprint(workspace) == before
    out = tmp_path / "changes.gpkg"
    assert longtu([*diff, "--out", str(out)]) == 0
    written = fingerprint(out)
    capsys.readouterr()
    assert longtu([*diff, "--out", str(out)]) == 2  # it exists: --overwrite to replace it
    assert "--overwrite" in capsys.readouterr().err
    assert fingerprint(out) == written
    assert longtu([*diff, "--out", str(out), "--overwrite"]) == 0
    assert fingerprint(workspace) == before


def test_diff_draws_the_comparison_pdf_of_two_scenarios(workspace, tmp_path, longtu, capsys):
    from pypdf import PdfReader

    ws = ["--workspace", str(workspace)]
    assert longtu(["scenario", "new", "south", "--by", "wang", *ws]) == 0
    pdf = tmp_path / "north_vs_south.pdf"
    diff = ["scenario", "diff", "north", "south", "--out", str(tmp_path / "c.gpkg")]
    assert longtu([*diff, "--pdf", str(pdf), *ws]) == 0
    assert f"、{pdf}\n" in capsys.readouterr().out  # 已写出 …、the PDF
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    # south has no edit: against north, north's move of 张掖经开区 is the difference
    assert "规划情景对比表" in text and "与情景「north」相比" in text
    assert "张掖经济技术开发区" in text
    assert not list(tmp_path.glob(".*partial*"))
    # a plan is not a scenario to draw: refused before anything is written
    plan = ["scenario", "diff", "plan", "north", "--out", str(tmp_path / "p.gpkg")]
    assert longtu([*plan, "--pdf", str(tmp_path / "p.pdf"), *ws]) == 2
    assert "`plan` is not a scenario" in capsys.readouterr().err
    assert not (tmp_path / "p.gpkg").exists() and not (tmp_path / "p.pdf").exists()


def test_a_scenarios_layer_is_exported_with_its_edits(workspace, tmp_path, longtu, capsys):
    import pyogrio

    ws = ["--workspace", str(workspace)]
    out = tmp_path / "parks_north.gpkg"
    assert longtu(["layers", "export", "parks", "--scenario", "north", "--out", str(out), *ws]) == 0
    assert "of scenario `north`" in capsys.readouterr().out
    assert longtu(["layers", "export", "parks", "--out", str(tmp_path / "parks_plan.gpkg")]) == 0
    north = pyogrio.read_dataframe(out).set_index("feature_id").geometry
    plan = pyogrio.read_dataframe(tmp_path / "parks_plan.gpkg").set_index("feature_id").geometry
    moved = north["park_zhangye_etdz"]
    assert shapely.get_coordinates(moved).round(6).tolist() == [[100.45, 38.93]]  # north's move
    assert not plan["park_zhangye_etdz"].equals(moved)
    others = north.index.drop("park_zhangye_etdz")
    same = north[others].geom_equals(plan[others]) | (north[others].isna() & plan[others].isna())
    assert same.all(), north[others][~same]  # every other park as in the plan (or unplaced)
