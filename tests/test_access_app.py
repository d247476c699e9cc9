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
    assert "outside Gansu" in page.error[0].value
    assert "Straight-line estimates" in page.info[-1].value or "直线距离估算" in page.info[-1].value
    page.button(key="run_access").click().run()
    assert not page.exception, page.exception
    assert "直线距离估算" in page.success[0].value


def test_text_named_pbf_is_refused(page):
    page.file_uploader(key="access_osm").set_value(
        [("gansu.osm.pbf", b"<html>not found</html>", "application/octet-stream")]
    ).run()
    assert not page.exception, page.exception
    assert "gansu.osm.pbf: not an OpenStreetMap extract" in page.error[0].value
