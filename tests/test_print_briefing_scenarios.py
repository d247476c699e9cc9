"""The briefing book of a planning scenario: redline map, change table, edits and reviews."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import pytest
import shapely
from matplotlib.text import Text
from pdf_helpers import outline_titles, pdf_fonts, render_png
from pypdf import PdfReader

from longtu.errors import PageError
from longtu.layout.scenarios import (
    Scenario,
    Workspace,
    add_feature,
    move_feature,
    remove_feature,
    reshape_feature,
    set_attributes,
)
from longtu.maps.print import briefing
from longtu.maps.print.atlas import make_atlas
from longtu.maps.print.briefing import make_briefing
from longtu.maps.print.change_tables import edit_log_pages
from longtu.maps.print.changes import render_changes_page, scenario_changes
from longtu.maps.print.page import render_page, scenario_label
from longtu.maps.print.paths import new_figure

DATE = dt.date(2026, 12, 6)
RAW_KEYS = ("added", "removed", "moved", "reshaped", "proposed", "accept", "reject", "comment")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Scenario:
    folder = tmp_path_factory.mktemp("scenario")
    with Workspace(folder / "ws.gpkg", create=True) as ws:
        north = ws.new_scenario("north", by="李明")
        layers = north.layers
        edits = [
            add_feature(layers, layer="parks", name_zh="金昌新材料园",
                        geometry=shapely.Point(102.2, 38.5), author="王工",
                        reason="新材料项目选址已定"),
            remove_feature(layers, "park_zhangye_etdz", author="李明", reason="并入其他园区"),
            move_feature(layers, "park_baiyin_hitech_zone", 103.9, 36.05, author="李明",
                         reason="实际园区位于兰州"),
            reshape_feature(layers, "park_jiuquan_etdz",
                            shapely.box(98.45, 39.70, 98.60, 39.80), author="王工",
                            reason="园区四至图导入", how="imported",
                            source_file=str(folder / "四至" / "sites_2026.gpkg"),
                            source_feature=3),
            set_attributes(layers, "park_lanzhou_etdz",
                           {"kind": "industrial_park", "lead_industries_zh": "新材料"},
                           author="王工", reason="园区类型调整"),
        ]  # fmt: skip
        north = ws.save(north, edits)
        north = ws.review(north, "1", verdict="accept", by="赵处长", text="同意新增")
        return ws.review(north, "3", verdict="comment", by="钱科长", text="请核实移动距离")


@pytest.fixture(scope="module")
def book(tmp_path_factory, scenario) -> Path:
    out = tmp_path_factory.mktemp("book") / "scenario.pdf"
    return make_briefing(out, scenario=scenario, date=DATE)


def _pages_of(reader: PdfReader, title: str, n: int = 1) -> list[int]:
    page = next(p for t, p, _ in outline_titles(reader) if t.startswith(title))
    return list(range(page, page + n))


def test_bookmarks_put_changes_after_the_cover_and_the_appendix_last(book):
    reader = PdfReader(book)
    marks = outline_titles(reader)
    titles = [t for t, _, _ in marks]
    assert titles[:4] == [
        "封面 Cover",
        "规划情景变更 Changes",
        "变更图 Redline map",
        "变更表 Change table",
    ]
    assert titles[-1] == "修改记录与审查意见 Edits and review opinions"
    assert marks[2][1:] == (1, 1) and marks[3][1:] == (2, 1)
    assert marks[-1][1] == len(reader.pages) - 2  # edits page, then the review page


def test_changes_page_says_everything_in_words(book):
    reader = PdfReader(book)
    text = "\n".join(reader.pages[i].extract_text() for i in _pages_of(reader, "变更图", 2))
    for expected in (
        "规划情景变更图",
        "金昌新材料园",
        "张掖经济技术开发区",
        "白银高新技术产业开发区",
        "酒泉经济技术开发区",
        "新增 added",
        "删除 removed",
        "位置移动 relocated",
        "形状改变 new outline",
        "属性修改 details changed",
        "类型 kind：经济技术开发区 Economic and technological development zone → 工业园区 "
        "Industrial park",
        "主导产业 lead industries：",
        "主导产业 lead industries：航空航天工业、有色新材料",  # a list joined by 、, not ";"
        "园区 Parks and development zones",
        "比例尺",
        "图例 Legend",
    ):
        assert expected in text.replace("\n", " "), expected
    for raw in ("park_", "user_", "feature_id", "ed_", "details_", "lead_industries", "etdz"):
        assert raw not in text, raw
    cells = {line.strip() for line in text.splitlines()}
    assert not cells & set(RAW_KEYS), cells & set(RAW_KEYS)


def test_appendix_lists_edits_and_review_opinions_in_words(book):
    reader = PdfReader(book)
    pages = _pages_of(reader, "修改记录与审查意见", 2)
    text = "\n".join(reader.pages[i].extract_text() for i in pages)
    for expected in (
        "附录：修改记录",
        "附录：审查意见",
        "王工",
        "李明",
        "赵处长",
        "钱科长",
        "新材料项目选址已定",
        "实际园区位于兰州",
        "sites_2026.gpkg",
        "已接受 accepted",  # the words of the app's review buttons and the CLI's options
        "待审 awaiting review",
        "接受 accept",
        "意见 comment",
        "请核实移动距离",
        "第 3 条修改 edit 3",
        "北京时间",
        "UTC",
    ):
        assert expected in text.replace("\n", " "), expected
    for raw in ("park_", "user_", "ed_", "/tmp", "四至/", "pytest", "proposed", "采纳", "approve"):
        assert raw not in text, raw
    assert not re.search(r"\d{4}-\d\d-\d\dT", text)  # no raw ISO times


def test_map_pages_draw_the_scenario(scenario, tmp_path, monkeypatch):
    # Map labels are drawn as outlines (no extractable text): record what each page is given.
    plans = []

    def fake_page(**options):
        plans.append(options["plan"])
        return new_figure((8.27, 11.69))

    monkeypatch.setattr(briefing, "render_page", fake_page)
    make_briefing(tmp_path / "b.pdf", scenario=scenario, date=DATE)
    assert len(plans) >= 6  # cover, three zones, bases, energy sites
    for plan in plans:
        names = set(plan["parks"]["name_zh"])
        assert "金昌新材料园" in names
        assert "张掖经济技术开发区" not in names


def test_fonts_embedded(book):
    for font in pdf_fonts(book):
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


def test_pages_render(book, tmp_path):
    reader = PdfReader(book)
    for page in [*_pages_of(reader, "变更图", 2), *_pages_of(reader, "修改记录", 2)]:
        grey = render_png(book, tmp_path, page=page + 1)
        assert grey.min() < 100 and grey.mean() > 200  # drawn on, mostly paper


def test_frames_and_scenario_together_are_refused(scenario, tmp_path):
    with pytest.raises(PageError, match="`layers`"):
        make_briefing(tmp_path / "x.pdf", layers=dict(scenario.layers), scenario=scenario)


def test_redline_page_alone_uses_the_print_font_and_names_the_border(scenario):
    fig = render_changes_page(scenario, scenario_changes(scenario), orientation="landscape")
    texts = [t for ax in fig.axes for t in ax.findobj(Text) if t.get_text().strip()]
    assert {t.get_fontname() for t in texts} == {"Noto Sans CJK SC"}
    legend = next(ax.get_legend() for ax in fig.axes if ax.get_legend() is not None)
    labels = [t.get_text().replace("\n", " ") for t in legend.get_texts()]
    assert "国界 national border" in labels
    assert any(label.startswith("删除 removed") for label in labels)


def test_long_edit_logs_run_over_pages(scenario):
    long = dataclasses.replace(scenario, edits=scenario.edits * 15, reviews=scenario.reviews * 40)
    figs = edit_log_pages(long, (8.27, 11.69), DATE)
    titles = [fig.texts[0].get_text() for fig in figs]
    assert len(figs) >= 4
    assert any(t.startswith("附录：修改记录（续 continued") for t in titles)
    assert any(t.startswith("附录：审查意见（续 continued") for t in titles)


def test_a_scenario_without_edits_says_so(tmp_path):
    with Workspace(tmp_path / "ws.gpkg", create=True) as ws:
        empty = ws.new_scenario("empty", by="李明")
    changes = scenario_changes(empty)
    assert len(changes) == 0
    render_changes_page(empty, changes)  # the province with nothing marked, no error
    figs = edit_log_pages(empty, (8.27, 11.69), DATE)
    text = " ".join(t.get_text() for fig in figs for ax in fig.axes for t in ax.texts)
    text = text.replace("\n", " ")
    assert "无修改 no edit" in text and "尚无审查意见 no review yet" in text


LABEL = "情景 north（5 项修改）Scenario north (5 edits)"


def test_a_map_page_names_the_scenario_and_its_edits_in_effect(scenario):
    assert scenario_label(scenario) == LABEL
    fig = render_page(extent="zone:zone_hexi", scenario=scenario, date=DATE)
    texts = [t.get_text() for t in fig.texts]
    assert LABEL in texts  # the subtitle line of the title block
    fig = render_page(extent="zone:zone_hexi", subtitle="经济区", scenario=scenario, date=DATE)
    assert f"经济区 · {LABEL}" in [t.get_text() for t in fig.texts]
    rejected = dataclasses.replace(
        scenario, edits=tuple(dataclasses.replace(e, status="rejected") for e in scenario.edits[:2])
        + scenario.edits[2:]
    )  # fmt: skip
    assert scenario_label(rejected) == "情景 north（3 项修改）Scenario north (3 edits)"
    plain = render_page(extent="zone:zone_hexi", date=DATE)
    assert not any("情景" in t.get_text() for t in plain.texts)


@pytest.fixture(scope="module")
def atlas(tmp_path_factory, scenario) -> Path:
    out = tmp_path_factory.mktemp("atlas") / "atlas.pdf"
    return make_atlas(out, by="zone", scenario=scenario, date=DATE)


def test_atlas_of_a_scenario_has_its_changes_after_the_index(atlas, tmp_path):
    reader = PdfReader(atlas)
    marks = outline_titles(reader)
    titles = [t for t, _, _ in marks]
    assert titles[:4] == [
        "目录 Index — 甘肃省三大经济区产业布局图集",
        "规划情景变更 Changes",
        "变更图 Redline map",
        "变更表 Change table",
    ]
    first_map = marks[4][1]
    assert marks[4][:1] == ("图幅 Maps — 甘肃省三大经济区产业布局图集",) and marks[4][2] == 0
    assert [m[1:] for m in marks[5:]] == [(first_map + i, 1) for i in range(3)]
    assert len(reader.pages) == first_map + 3 and first_map >= 3  # index, redline, table(s)
    index = reader.pages[0].extract_text()
    assert LABEL.replace(" ", "") in index.replace(" ", "").replace("\n", "")
    rows = re.findall(r"^([123]) .*?(\d+)$", index, flags=re.MULTILINE)
    assert rows == [(str(i), str(first_map + i)) for i in range(1, 4)], index
    changes = "\n".join(reader.pages[i].extract_text() for i in range(1, first_map))
    assert "规划情景变更图" in changes and "规划情景变更表" in changes
    for raw in ("park_", "user_", "ed_", "followed_park"):
        assert raw not in changes, raw
    for page in range(first_map, len(reader.pages)):
        text = reader.pages[page].extract_text().replace("\n", "").replace(" ", "")
        assert LABEL.replace(" ", "") in text, page
    assert render_png(atlas, tmp_path, page=2).std() > 10  # the redline map is drawn
