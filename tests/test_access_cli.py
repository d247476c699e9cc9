"""``longtu analyze access``: estimates with no extract, the network with one, bad options."""

from __future__ import annotations

import contextlib
import io
import json

import pandas as pd
import pytest
from conftest import REPO

from longtu import settings
from longtu.cli.main import main

OSM = REPO / "tests" / "data" / "osm"


def _longtu(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


def test_without_an_extract_every_row_is_a_straight_line_estimate(tmp_path):
    code, _ = _longtu("analyze", "access", "--out", str(tmp_path / "out"))
    assert code == 0
    paths = pd.read_csv(tmp_path / "out" / "access_paths.csv", encoding="utf-8-sig")
    assert set(paths["method"]) == {"straight-line estimate"}
    assert paths["travel_time_min"].isna().all()
    assert set(paths["target_kind"]) == {"airport", "prefecture_seat", "capital", "county_seat"}
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert "straight-line estimate" in summary["summary_en"]
    assert (tmp_path / "out" / "access.gpkg").is_file()


def test_an_extract_outside_gansu_is_one_line_in_each_language(tmp_path):
    code, err = _longtu(
        "analyze", "access", "--out", str(tmp_path / "o"), "--osm", str(OSM / "helsinki.osm.pbf")
    )
    assert code == 2
    english, chinese = err.splitlines()
    assert english.startswith("longtu: error: helsinki.osm.pbf: the extract covers")
    assert "outside Gansu" in english
    assert chinese.startswith("longtu: 错误：helsinki.osm.pbf 的范围为东经 24.94～24.95")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--osm", "x.osm.pbf", "--online"], "not both"),
        (["--isochrone", "103.8,36.1"], "needs a road network"),
        (["--osm", str(OSM / "helsinki.osm.pbf"), "--isochrone", "east"], "e.g. 103.8,36.1"),
    ],
)
def test_bad_options_are_one_line(tmp_path, extra, message):
    code, err = _longtu("analyze", "access", "--out", str(tmp_path / "o"), *extra)
    assert code == 2
    assert message in err


def test_network_run_with_isochrones(tmp_path, monkeypatch):
    # Helsinki stands in for Gansu: the region check reads settings.gansu_bounds when called.
    monkeypatch.setattr(settings, "gansu_bounds", (24.9, 60.1, 25.0, 60.2))
    monkeypatch.setattr(settings, "data_folder", tmp_path / "data")
    code, err = _longtu(
        "analyze", "access", "--out", str(tmp_path / "o"),
        "--osm", str(OSM / "helsinki.osm.pbf"), "--isochrone", "24.945,60.165",
    )  # fmt: skip
    assert code == 0, err
    iso = pd.read_csv(tmp_path / "o" / "isochrones.csv", encoding="utf-8-sig")
    assert list(iso["minutes"]) == [30, 60, 120]
    paths = pd.read_csv(tmp_path / "o" / "access_paths.csv", encoding="utf-8-sig")
    # Gansu's parks are far from Helsinki's roads: estimates, each saying so.
    assert set(paths["method"]) == {"straight-line estimate"}
    assert "station" in set(paths["target_kind"])
