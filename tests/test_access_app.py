"""The access analysis on the analyses page (streamlit.testing): estimate, upload, bad upload."""

from __future__ import annotations

import json
import re

import pytest
from conftest import REPO
from streamlit.testing.v1 import AppTest

APP = str(REPO / "app.py")
OSM = REPO / "tests" / "data" / "osm"
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


@pytest.fixture
def page():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.radio(key="page").set_value("analyses").run()
    at.radio(key="analysis").set_value("access").run()
    assert not at.exception, at.exception
    return at


def _texts(at) -> list[str]:
    texts = [e.value for kind in ("success", "caption", "error", "info") for e in at.get(kind)]
    texts += [tab.label for tab in at.tabs]
    texts += [b.label for b in at.get("button")]
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        texts += [(config.get(str(c)) or {}).get("label") or str(c) for c in frame.value.columns]
    return texts


def test_estimate_runs_and_reads_as_words(page):
    page.button(key="run_access").click().run()
    assert not page.exception, page.exception
    assert "直线距离估算" in page.success[0].value
    labels = [tab.label for tab in page.tabs]
    assert labels[:3] == [
        "交通可达性（到最近目标） Transport access (to the nearest target)",
        "交通可达性汇总 Transport access summary",
        "可达性目标（车站、互通、机场、驻地） Access targets",
    ]
    hits = [h for text in _texts(page) for h in IDENTIFIER.findall(text)]
    assert hits == []


def test_extract_of_another_region_is_one_line_and_the_estimate_still_runs(page):
    data = (OSM / "helsinki.osm.pbf").read_bytes()
    page.file_uploader(key="access_osm").set_value(
        [("helsinki.osm.pbf", data, "application/octet-stream")]
    ).run()
    assert not page.exception, page.exception
    assert page.error[0].value == (
        "helsinki.osm.pbf：无法使用。范围为东经 24.94～24.95、北纬 60.16～60.18，在甘肃省"
        "（东经 92～109、北纬 32.4～43）之外；请改用甘肃的 OpenStreetMap 路网数据。"
    )  # the default interface: the Chinese line
    assert "Straight-line estimates" in page.info[-1].value or "直线距离估算" in page.info[-1].value
    page.button(key="run_access").click().run()
    assert not page.exception, page.exception
    assert "直线距离估算" in page.success[0].value


def test_text_named_pbf_is_refused_in_the_interface_language(page):
    """In Chinese, the default (AppTest cannot run this page in English: it formats a choice
    of analysis with the Chinese labels only; tests/test_bad_input_app.py has the English)."""
    page.file_uploader(key="access_osm").set_value(
        [("gansu.osm.pbf", b"<html>not found</html>", "application/octet-stream")]
    ).run()
    assert not page.exception, page.exception
    assert page.error[0].value == (
        "gansu.osm.pbf：无法使用。不是 OpenStreetMap 路网数据（文件开头既无 PBF 头也无 OSM XML）；"
        "请改用 .osm.pbf 或 .osm 文件。"
    )


def test_result_map_draws_points_by_class_and_paths_to_the_nearest_station_only():
    import folium
    import geopandas as gpd
    import numpy as np
    from shapely.geometry import Point

    from longtu.analysis.access import access, load_network
    from longtu.analysis.access.tables import map_paths
    from longtu.app_pages.access_inputs import access_map

    network = load_network(OSM / "helsinki.osm.pbf", region_bounds=None, use_cache=False)
    picks = np.random.default_rng(5).choice(len(network.node_id), 5, replace=False)
    parks = gpd.GeoDataFrame(
        {"feature_id": [f"p{i}" for i in range(5)], "name_zh": [f"园区{i}" for i in range(5)],
         "name_en": [f"Park {i}" for i in range(5)]},
        geometry=[Point(network.lon[i], network.lat[i]) for i in picks],
        crs=4326,
    )  # fmt: skip
    seat = gpd.GeoDataFrame(
        {"adcode": ["620100"], "name_zh": ["驻地"], "name_en": ["seat"], "basis": ["test"]},
        geometry=[Point(network.lon.mean(), network.lat.mean())],
        crs=4326,
    )
    layers = {"parks": parks, "energy_sites": parks.iloc[:0],
              "prefecture_seats": seat, "county_seats": seat}  # fmt: skip
    result = access(layers, network)
    fmap = access_map(result)
    layers_by_name = {
        child.layer_name: child
        for child in fmap._children.values()
        if isinstance(child, folium.GeoJson)
    }
    paths = json.loads(json.dumps(layers_by_name["路网路径 Network paths"].data))["features"]
    expected = map_paths(result.tables["access_paths"])
    assert len(paths) == len(expected) == 5  # one to the station each, none to the seats
    points = layers_by_name["园区与能源基地 Parks and energy sites"].data["features"]
    labels = [p["properties"]["label"] for p in points]
    minutes = (
        result.tables["access_paths"].query("target_kind == 'station'")["travel_time_min"].round()
    )
    assert [int(re.search(r"(\d+) 分钟", label).group(1)) for label in labels] == [
        int(m) for m in minutes
    ]
    html = fmap.get_root().render()
    assert "到最近火车站或高速互通的行车时间" in html
