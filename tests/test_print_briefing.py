"""The briefing book and the atlas: pages, bookmarks, metadata, text, fonts, reconciliation."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pdf_helpers import outline_titles, pdf_fonts, render_png
from PIL import Image
from pypdf import PdfReader
from shapely.geometry import Point

from longtu.analysis.energy.targets import UNKNOWN_MW, energy_reconciliation
from longtu.analysis.result import AnalysisResult
from longtu.layout import load_layer
from longtu.maps.print.atlas import atlas_units, make_atlas
from longtu.maps.print.briefing import make_briefing
from longtu.maps.print.fonts import print_rc
from longtu.maps.print.page import PageError
from longtu.maps.print.progress import FINISHING

DATA = Path(__file__).parent / "data" / "print"
DATE = dt.date(2026, 11, 23)
MAX_MEAN_DIFF = 1.0  # grey levels at 50 dpi; see tests/test_print_page.py


@pytest.fixture(scope="module")
def analysis_result() -> AnalysisResult:
    table = pd.DataFrame({"cluster": [1, 2], "n_parks": [12, 7], "share": [0.176, float("nan")]})
    centres = gpd.GeoDataFrame(
        {"cluster": [1, 2]}, geometry=[Point(103.8, 36.1), Point(98.5, 39.7)], crs="EPSG:4326"
    )
    return AnalysisResult(
        "clustering",
        "兰白地区园区集聚：12 个",
        "Parks cluster: 12 near Lanzhou",
        numbers={"n_parks_used": 19, "clark_evans_p_all": 3.747e-27},
        tables={"clusters": table, "centres": centres},
        parameters={"eps_km": 50},
    )


#: The progress reports of the two print jobs below: (steps done, steps in all, what is drawn).
PROGRESS: dict[str, list[tuple[int, int, str]]] = {"briefing": [], "atlas": []}


@pytest.fixture(scope="module")
def briefing(tmp_path_factory, analysis_result) -> Path:
    out = tmp_path_factory.mktemp("briefing") / "briefing.pdf"
    calls = PROGRESS["briefing"]
    return make_briefing(
        out, analyses=[analysis_result], date=DATE, progress=lambda *c: calls.append(c)
    )


@pytest.fixture(scope="module")
def atlas(tmp_path_factory) -> Path:
    calls = PROGRESS["atlas"]
    return make_atlas(
        tmp_path_factory.mktemp("atlas") / "atlas.pdf",
        by="prefecture",
        date=DATE,
        progress=lambda *c: calls.append(c),
    )


def _steps_counted_up(calls: list[tuple[int, int, str]]) -> None:
    total = calls[0][1]
    assert [c[0] for c in calls] == list(range(total + 1)), calls
    assert {c[1] for c in calls} == {total}
    assert calls[-1][2] == FINISHING


def test_briefing_reports_progress_section_by_section(briefing):
    calls = PROGRESS["briefing"]
    _steps_counted_up(calls)
    drawn = [c[2] for c in calls]
    assert drawn[0] == "封面 Cover"
    # Every bookmarked section is named while it is drawn, in the order of the book.
    titles = [m[0] for m in outline_titles(PdfReader(briefing))]
    assert [d for d in dict.fromkeys(drawn) if d in titles] == titles


def test_atlas_reports_progress_page_by_page(atlas):
    calls = PROGRESS["atlas"]
    _steps_counted_up(calls)
    names = load_layer("prefectures").sort_values("adcode")["name_zh"].tolist()
    assert calls[0][2] == "目录 Index"
    assert [c[2].split(" ")[0] for c in calls[1:-1]] == names


def test_reconciliation_by_hand():
    sites = pd.DataFrame(
        {
            "technology": ["wind", "wind", "pv", "nuclear"],
            "capacity_class_zh": ["千万千瓦级", "", "百万千瓦级", ""],
            "capacity_mw_stated": [None, 300.0, None, None],
            "precision": ["county", "prefecture", "county", "unplaced"],
            "prefecture_adcode": ["620900", "620800;621000", "620900", ""],
        }
    )
    targets = pd.DataFrame(
        {
            "technology": ["wind", "other"],
            "kind": ["target", "target"],
            "indicator_zh": ["风电装机", "太阳能发电装机"],
            "value": [2500.0, 1100.0],
            "unit": ["万千瓦", "万千瓦"],
            "value_si": [25000.0, 11000.0],
            "unit_si": ["MW", "MW"],
            "year": [2020, 2020],
            "scope_adcode": ["620000", "620000"],
        }
    )
    out = energy_reconciliation(sites, targets)
    tech = out["by_technology"].set_index("technology")
    assert tech.loc["wind", "mapped_sites"] == "2 处已落位"
    assert tech.loc["wind", "stated_mw"] == "300 MW（1 处注明）；另 1 处未知"
    assert tech.loc["wind", "target_mw"] == "25,000 MW (2020)"
    assert tech.loc["pv", "stated_mw"] == UNKNOWN_MW
    assert tech.loc["nuclear", "mapped_sites"] == "0 处已落位 + 1 处未落位"
    # The solar target (太阳能) is set against PV + CSP, not against "other".
    assert tech.loc["solar_total", "target_mw"] == "11,000 MW (2020)"
    assert tech.loc["solar_total", "mapped_sites"] == "1 处已落位"
    pref = out["by_prefecture"].set_index("prefecture_adcode")
    # A site spanning two prefectures counts once in each.
    assert pref.loc["620800", "wind"] == pref.loc["621000", "wind"] == "1（未注明×1）"
    assert pref.loc["620900", "wind"] == "1（千万千瓦级×1）"
    assert pref.loc["unplaced", "nuclear"] == "1（未注明×1）"


def test_reconciliation_on_the_plans_never_invents_capacity():
    sites, targets = load_layer("energy_sites"), load_layer("targets")
    tech = energy_reconciliation(sites, targets)["by_technology"].set_index("technology")
    assert tech.loc["wind", "target_mw"].startswith("25,000 MW (2020)")
    assert tech.loc["solar_total", "target_mw"] == "11,000 MW (2020)"
    stated = pd.to_numeric(sites["capacity_mw_stated"], errors="coerce")
    for name, group in sites.groupby("technology"):
        if stated[group.index].isna().all():
            assert tech.loc[name, "stated_mw"] == UNKNOWN_MW
    n_pv = int((sites["technology"] == "pv").sum())
    assert f"图上 {n_pv} 处" in tech.loc["pv", "count_targets"]


def test_briefing_pages_bookmarks_and_metadata(briefing):
    reader = PdfReader(briefing)
    meta = reader.metadata
    assert meta["/Author"] == "陇图 Longtu"
    assert meta["/Title"].startswith("甘肃省产业布局简报")
    assert meta["/Subject"] and meta["/CreationDate"].startswith("D:")
    marks = outline_titles(reader)
    titles = [m[0] for m in marks]
    assert titles[0] == "封面 Cover"
    zones = load_layer("economic_zones")
    n_zones = int((zones["level"] == "zone").sum())
    assert sum(1 for m in marks if m[2] == 1 and "经济区" in m[0]) == n_zones
    assert "六大产业基地 Six industrial bases" in titles
    assert "分析 产业集聚 Analysis: Clustering" in titles
    pages = [m[1] for m in marks]
    # The analysis ends the book: a page for each of its two tables, then the map of `centres`.
    assert pages == sorted(pages) and pages[-1] == len(reader.pages) - 3
    # Cover, one page per zone, bases map, energy map, at least one page per table, analysis.
    assert len(reader.pages) >= 1 + n_zones + 2 + 3 + 1


def test_briefing_text_and_fonts(briefing):
    reader = PdfReader(briefing)
    # Text extraction is slow on map pages: read the cover and every table page.
    map_pages = {page for title, page, _ in outline_titles(reader) if "分析" not in title}
    chosen = [0] + [i for i in range(len(reader.pages)) if i not in map_pages]
    text = "\n".join(reader.pages[i].extract_text() for i in chosen)
    for expected in (
        "甘肃省产业布局简报",
        "兰白经济区",
        "六大产业基地",
        "风电 wind",
        "25,000 MW",
        "未知 unknown",
        "规划未分解到市州",
        "兰白地区园区集聚",
        "DBSCAN 半径（km） DBSCAN radius (km)",
        "Clark-Evans p 值（全部园区） Clark-Evans p-value (all parks)",
        "< 0.001",
        "分析结果：产业集聚（图）",
    ):
        assert expected in text, expected
    for identifier in ("eps_km", "clark_evans_p_all", "3.747e-27", "n_parks_used", " = "):
        assert identifier not in text, identifier
    # No layer or column name, no seed file's hash, no list with its stored ";" on paper.
    assert re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", text) == []
    assert re.findall(r"[0-9a-f]{16}", text) == []
    assert re.findall(r"[\u4e00-\u9fff];[\u4e00-\u9fff]", text) == []
    assert "《甘肃省“十三五”工业转型升级规划》第186行起" in text  # the bases' source, by title
    for font in pdf_fonts(briefing):
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


def test_atlas_by_prefecture_has_index_and_fourteen_pages(atlas):
    reader = PdfReader(atlas)
    assert len(reader.pages) == 14 + 1
    marks = outline_titles(reader)
    prefectures = load_layer("prefectures").sort_values("adcode")
    names = prefectures["name_zh"].tolist()
    # One bookmark per page: the index, then every prefecture in adcode order.
    assert [m[1] for m in marks] == list(range(15))
    assert [m[0].split(" ")[0] for m in marks[1:]] == [f"{i}." for i in range(1, 15)]
    assert [m[0].split(" ")[1] for m in marks[1:]] == names
    index_text = reader.pages[0].extract_text()
    assert all(name in index_text for name in names)
    # Text extraction is slow on map pages: check the first and the last one.
    for i in (1, 14):
        text = reader.pages[i].extract_text()
        assert names[i - 1] in text and f"第 {i}/14 幅" in text and "图例 Legend" in text


def test_atlas_index_matches_reference_picture(atlas, tmp_path):
    got = render_png(atlas, tmp_path, dpi=50, page=1)
    ref = np.asarray(Image.open(DATA / "atlas_index_50dpi.png").convert("L"), dtype=float)
    assert got.shape == ref.shape
    assert np.abs(got - ref).mean() < MAX_MEAN_DIFF


def test_atlas_units_and_errors():
    assert [u.key for u in atlas_units("zone")] == ["zone_lanbai", "zone_hexi", "zone_longdongnan"]
    assert len(atlas_units("base")) == 6
    with pytest.raises(PageError, match="`by`"):
        atlas_units("county")


def test_cluster_map_has_categorical_legend_scale_bar_and_north_arrow():
    """Issue 12: clusters in distinct colours with a legend row each, not a colour bar."""
    from matplotlib.colors import to_hex

    from longtu.maps.print.analysis_pages import analysis_map
    from longtu.maps.result_symbols import cluster_colour

    parks = gpd.GeoDataFrame(
        {"name_zh": ["甲", "乙", "丙", "丁"], "cluster_id": [0, 0, 1, -1]},
        geometry=[Point(103.8, 36.1), Point(103.9, 36.0), Point(98.5, 39.7), Point(105.7, 34.6)],
        crs="EPSG:4326",
    )
    result = AnalysisResult("clustering", "集聚", "Clusters", tables={"parks": parks})
    with mpl.rc_context(print_rc()):  # as the briefing makes it: with the CJK print font
        (fig,) = analysis_map(result, (8.27, 11.69), DATE)
    assert len(fig.axes) == 1  # no colour-bar axes
    ax = fig.axes[0]
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "集聚 0 Cluster 0（2）",
        "集聚 1 Cluster 1（1）",
        "离散园区 Isolated parks（1）",
    ]
    assert legend.get_title().get_text() == "集聚编号 Cluster（园区数 parks）"
    drawn = {to_hex(c) for c in ax.collections[-1].get_facecolors()}
    assert drawn == {cluster_colour(0), cluster_colour(1), cluster_colour(-1)}
    assert len(drawn) == 3
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("比例尺 1:") for t in texts) and "300 km" in " ".join(texts)
    assert "北\nN" in texts
    # The map starts under the title (no band of empty page above it) and, on a portrait page,
    # its legend sits under the map, where it covers no feature.
    box = ax.get_position()
    assert box.y1 == pytest.approx(0.88) and box.width == pytest.approx(0.88)
    renderer = fig.canvas.get_renderer()
    assert legend.get_window_extent(renderer).y1 < ax.get_window_extent(renderer).y0
