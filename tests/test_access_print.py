"""The briefing's access pages: words match the method, table figures equal the result's.

The network case uses the real Helsinki extract of ``tests/data/osm`` with parks placed on its
road nodes (one far off, so the page holds network paths and straight-line estimates); the
estimate case the plan's parks with no extract; the briefing is built by ``longtu pdf``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re

import matplotlib as mpl

mpl.use("Agg")

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from pypdf import PdfReader
from pyproj import Geod
from shapely.geometry import MultiPoint, Point

from longtu import settings
from longtu.analysis.access import ESTIMATE, NETWORK, access, load_network
from longtu.analysis.access import cache as access_cache
from longtu.analysis.access.tables import access_by_point, map_paths
from longtu.cli.main import main
from longtu.layout import load_layer
from longtu.layout.load import symbol_points
from longtu.maps.print.access_pages import (
    PATH_COLOUR,
    access_map,
    access_pages,
    point_row,
    points_with_prefecture,
)

OSM = REPO / "tests" / "data" / "osm"
A4 = (8.27, 11.69)
DATE = dt.date(2026, 12, 6)
FAR_OFF = Point(103.8, 36.1)  # in Lanzhou: no Helsinki road within reach, estimates only


@pytest.fixture(scope="module")
def network_result():
    network = load_network(OSM / "helsinki.osm.pbf", region_bounds=None, use_cache=False)
    picks = np.random.default_rng(3).choice(len(network.node_id), 8, replace=False)
    nodes = [Point(network.lon[i], network.lat[i]) for i in picks]
    parks = gpd.GeoDataFrame(
        {
            "feature_id": [f"p{i}" for i in range(7)],
            "name_zh": [f"园区{i}" for i in range(7)],
            "name_en": [f"Park {i}" for i in range(7)],
            "precision": "town",
            "prefecture_adcode": "620100",
        },
        geometry=[*nodes[:6], FAR_OFF],
        crs=4326,
    )
    site = parks.iloc[:1].assign(
        feature_id="s0", name_zh="基地", name_en="Site", geometry=[MultiPoint(nodes[6:])]
    )
    seat = gpd.GeoDataFrame(
        {"adcode": ["620100"], "name_zh": ["驻地"], "name_en": ["seat"], "basis": ["test"]},
        geometry=[Point(network.lon.mean(), network.lat.mean())],
        crs=4326,
    )
    layers = {"parks": parks, "energy_sites": site, "prefecture_seats": seat, "county_seats": seat}
    return access(layers, network, isochrone_at=(nodes[0].x, nodes[0].y))


@pytest.fixture(scope="module")
def estimate_result():
    layers = {n: load_layer(n) for n in ("parks", "energy_sites")}
    layers |= {
        "prefecture_seats": symbol_points("prefecture"),
        "county_seats": symbol_points("county"),
    }
    return access(layers)


def _texts(figs) -> list[str]:
    """Every text drawn on the pages (titles, intro, table cells, legend rows)."""
    texts = [t.get_text() for fig in figs for t in fig.texts]
    for fig in figs:
        for ax in fig.axes:
            texts += [t.get_text() for t in ax.texts]
            if ax.get_legend() is not None:
                texts += [t.get_text() for t in ax.get_legend().get_texts()]
    return texts


def _flat(text: str) -> str:
    return "".join(text.split())


def _table_cells(figs) -> set[str]:
    return {_flat(t) for t in _texts(figs)}


def _cell_figures(cell: str) -> tuple[float | None, float]:
    """(minutes or None, km) read back from a printed cell."""
    minutes = re.search(r"(\d+) min", cell)
    km = re.search(r"([\d.]+) km", cell)
    assert km, cell
    return (float(minutes.group(1)) if minutes else None), float(km.group(1))


def _expected_cells(paths: pd.DataFrame) -> dict[tuple[str, int, str], str]:
    """The cell of every (feature, point, kind), written here from the result's own values."""
    cells = {}
    rows = paths.assign(point=paths.groupby(["feature_id", "target_kind"]).cumcount() + 1)
    for r in rows.itertuples():
        if r.method == NETWORK:
            cell = f"{r.travel_time_min:.0f} min\n{r.distance_km:.1f} km"
        else:
            cell = f"≈ {r.distance_km:.1f} km"
        cells[(r.feature_id, r.point, r.target_kind)] = cell
    return cells


def test_network_page_words_and_figures_equal_the_result(network_result):
    paths = network_result.tables["access_paths"]
    assert {NETWORK, ESTIMATE} <= set(paths["method"])  # both, so the words must tell them apart
    figs = access_pages(network_result, A4, DATE)
    drawn = _table_cells(figs)
    for (feature, point, kind), cell in _expected_cells(paths).items():
        assert _flat(cell) in drawn, (feature, point, kind, cell)
        minutes, km = _cell_figures(cell)
        row = paths[(paths["feature_id"] == feature) & (paths["target_kind"] == kind)]
        row = row.iloc[point - 1]
        assert km == pytest.approx(row["distance_km"], abs=0.05)
        if row["method"] == NETWORK:
            assert minutes == pytest.approx(row["travel_time_min"], abs=0.5)
        else:
            assert minutes is None and np.isnan(row["travel_time_min"])
    text = "\n".join(_texts(figs))
    n_network = int((paths["method"] == NETWORK).sum())
    n_estimate = int((paths["method"] == ESTIMATE).sum())
    assert (
        f"{n_network} figures are fastest paths on the road network, {n_estimate} straight-line "
        "estimates (marked ≈" in _flat_spaces(text)
    )
    assert "Every figure is a straight-line estimate" not in text
    # Stations by road: counted here from the long table, each park by its nearest point.
    parks = paths[(paths["feature_kind"] == "park") & (paths["target_kind"] == "station")]
    minutes = parks.groupby("feature_id")["travel_time_min"].min()
    within = [int((minutes <= m).sum()) for m in (30, 60, 120)]
    missed = int(minutes.isna().sum())
    assert missed == 1  # the park in Lanzhou
    sentence = (
        f"Station: {within[0]}, {within[1]} and {within[2]} of {len(minutes)} parks within 30, "
        f"60 and 120 min by road; {missed} not reached on the network (estimates)."
    )
    assert sentence in _flat_spaces(text)
    # Rows say their method in words: the far park is an estimate, the others on the network.
    assert "基地（点 point 2/2）" in text
    by_point = points_with_prefecture(access_by_point(paths))
    kinds = sorted(set(paths["target_kind"]))
    for row in by_point.itertuples():
        methods = set(paths.loc[paths["feature_id"] == row.feature_id, "method"])
        said = point_row(row, kinds)[-1]
        assert _flat(said) in drawn
        if methods == {ESTIMATE}:
            assert said == "直线估算 straight-line estimate"
        else:
            assert said == "路网，≈ 为直线估算 network; ≈ straight-line estimate"
    far = by_point[by_point["feature_id"] == "p6"].iloc[0]
    assert point_row(far, kinds)[:2] == ["园区6\nPark 6", "兰州市\nLanzhou City"]


def _flat_spaces(text: str) -> str:
    return " ".join(text.split())


def test_no_extract_page_says_every_figure_is_an_estimate(estimate_result):
    paths = estimate_result.tables["access_paths"]
    figs = access_pages(estimate_result, A4, DATE)
    text = _flat_spaces("\n".join(_texts(figs)))
    assert "Every figure is a straight-line estimate: no road network (OSM extract) was given" in (
        text
    )
    assert "Station: not measured" in text and "Interchange: not measured" in text
    assert "fastest paths on the road network" not in text
    assert "No paths drawn" in text
    assert re.search(r"\d+ min\b", text) is None  # no travel time anywhere
    drawn = _table_cells(figs)
    for key, cell in _expected_cells(paths).items():
        assert cell.startswith("≈ ")
        assert _flat(cell) in drawn, key
    # The airports sentence counts parks within 30/60/120 km, each by its nearest point.
    airport = paths[(paths["feature_kind"] == "park") & (paths["target_kind"] == "airport")]
    km = airport.groupby("feature_id")["distance_km"].min()
    a, b, c = (int((km <= band).sum()) for band in (30, 60, 120))
    assert (
        f"Airport: {a}, {b} and {c} of {len(km)} parks within 30, 60 and 120 km in a straight "
        "line (estimate)." in text
    )
    identifiers = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
    assert identifiers.findall(text) == []


def test_map_draws_paths_to_the_nearest_station_only(network_result):
    paths = network_result.tables["access_paths"]
    (fig,) = access_map(network_result, A4, DATE)
    drawn = map_paths(paths)
    assert set(drawn["target_kind"]) == {"station"}  # Helsinki has no interchange
    assert set(drawn["method"]) == {NETWORK}
    path_lines = [
        c
        for ax in fig.axes
        for c in ax.collections
        if isinstance(c, LineCollection) and to_hex(c.get_color()[0]) == PATH_COLOUR
    ]
    # One line per path to a station, none to Lanzhou, the seats or the airports.
    assert [len(c.get_segments()) for c in path_lines] == [len(drawn)]
    assert len(drawn) < (paths["method"] == NETWORK).sum()
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    counts = [int(m) for row in legend for m in re.findall(r"（(\d+)）", row)]
    assert sum(counts) == len(access_by_point(paths))  # every point in one class
    assert any("路网未达 not reached（1）" in row for row in legend)


@pytest.mark.slow
def test_briefing_from_the_test_extract_has_the_access_pages(tmp_path, monkeypatch):
    # Helsinki stands in for Gansu's extract: the region check reads settings.gansu_bounds.
    monkeypatch.setattr(settings, "gansu_bounds", (24.9, 60.1, 25.0, 60.2))
    monkeypatch.setattr(access_cache, "cache_folder", lambda: tmp_path / "cache")
    out = tmp_path / "book.pdf"
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["pdf", "--analysis", "access", "--osm", str(OSM / "helsinki.osm.pbf"),
                     "--out", str(out)])  # fmt: skip
    assert code == 0, err.getvalue()
    reader = PdfReader(out)
    titles = [o.title for o in reader.outline[-1]] if isinstance(reader.outline[-1], list) else []
    assert titles == ["分析 交通可达性 Analysis: Transport access"]
    first = reader.get_destination_page_number(reader.outline[-1][0])
    pages = [_flat_spaces(p.extract_text()) for p in reader.pages[first:]]
    assert "reaches no park or energy site" in pages[0]  # the plan's parks are far from it
    assert "helsinki.osm.pbf" in pages[0]
    assert any("交通可达性：各园区" in p for p in pages)
    assert "交通可达性（图）" in pages[-1]


def test_isochrone_areas_in_words_and_on_the_map(network_result):
    iso = network_result.tables["isochrones"]
    geod = Geod(ellps="WGS84")
    areas = [abs(geod.geometry_area_perimeter(g)[0]) / 1e6 for g in iso.geometry]
    assert areas[0] > 0
    figs = access_pages(network_result, A4, DATE)
    text = _flat_spaces("\n".join(_texts(figs)))
    at = network_result.parameters["isochrone_at"]
    said = re.search(rf"From the chosen site \({at}\), the roads reach ([\d,.]+), ([\d,.]+) and "
                     r"([\d,.]+) km² within 30, 60 and 120 min", text)  # fmt: skip
    assert said, text
    for printed, area in zip(said.groups(), areas, strict=True):
        assert float(printed.replace(",", "")) == pytest.approx(area, abs=0.06 + 0.005 * area)
    legend = [t.get_text() for t in figs[-1].axes[0].get_legend().get_texts()]
    assert "等时圈 30 分钟 isochrone 30 min" in legend
