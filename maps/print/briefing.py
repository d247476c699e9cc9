"""The briefing book: one PDF of the whole layout for officials.

Pages: a cover map of the whole layout; one page per economic zone; the six industrial bases
(map and member table); the energy sites (map) with the reconciliation of what is mapped against
the plans' targets, per technology and per prefecture; for each analysis result passed in, its
pages from :mod:`longtu.maps.print.analysis_pages` (meaning, figures, tables, map), or for
transport access its own from :mod:`longtu.maps.print.access_pages`. The PDF
carries bookmarks and metadata.

With a planning scenario (:class:`longtu.layout.scenarios.Scenario`) the map pages draw the
scenario's layers, a changes section follows the cover (redline map and change table) and an
appendix lists every edit with its status and every review opinion
(:mod:`longtu.maps.print.changes`).

Mapped capacity is never estimated (see :mod:`longtu.analysis.energy.targets`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

import pandas as pd

from longtu.analysis.energy.targets import TECH_NAMES, energy_reconciliation
from longtu.analysis.result import AnalysisResult
from longtu.errors import PageError
from longtu.layout import load_layer
from longtu.layout.places import split_list
from longtu.layout.scenarios import Scenario
from longtu.layout.vocabulary import source_label
from longtu.maps.print.access_pages import access_pages
from longtu.maps.print.analysis_pages import analysis_map, analysis_pages
from longtu.maps.print.change_tables import Section, scenario_sections
from longtu.maps.print.page import Orientation, Paper, figure_size_in, render_page
from longtu.maps.print.progress import Progress
from longtu.maps.print.sections import write_sections
from longtu.maps.print.table_pages import table_pages
from longtu.maps.style import ANALYSIS_LABELS

PAGE_LAYERS = ("economic_zones", "parks", "energy_sites")
BRIEFING_TITLE = ("甘肃省产业布局简报", "Gansu industrial layout: briefing book")


def _frames(layers: Mapping[str, pd.DataFrame] | Sequence[str] | None) -> dict[str, pd.DataFrame]:
    frames = dict(layers) if isinstance(layers, Mapping) else {}
    for name in ("economic_zones", "parks", "energy_sites", "industrial_bases", "targets"):
        if name not in frames:
            frames[name] = load_layer(name)
    return frames


def _page_names(layers: Mapping[str, pd.DataFrame] | Sequence[str] | None) -> list[str]:
    if layers is None or isinstance(layers, Mapping):
        return list(PAGE_LAYERS)
    return list(layers)


def _prefecture_names() -> dict[str, str]:
    pref = load_layer("prefectures")
    names = dict(zip(pref["adcode"], pref["name_zh"] + " " + pref["name_en"], strict=True))
    names["unplaced"] = "未落位 unplaced"
    return names


def _cited(refs: object) -> str:
    """Plan citations (``file:line``, ``;``-separated) named by their plans' titles and lines."""
    return "；".join(source_label(ref) for ref in split_list(refs))


#: Where the six industrial bases are listed: plan 003, chapter 4, section 2 (二、六大产业基地).
BASES_SOURCE = "003_559e7734bfa8ac9e.txt:186"


def _energy_tables(frames: dict, figsize, date: dt.date) -> list:
    recon = energy_reconciliation(frames["energy_sites"], frames["targets"])
    tech = recon["by_technology"]
    used = frames["targets"][frames["targets"]["technology"].fillna("") != ""]
    intro = "目标出处 sources of targets：" + "；".join(
        f"{r.indicator_zh} {r.value:g}{r.unit}（{r.year}，{_cited(r.source_refs)}）"
        for r in used.itertuples()
    )
    notes = (
        "“规模等级”照录规划原文；规划未写明单个基地的装机容量（MW），故图上容量为未知，"
        "与装机目标的差额不作计算。太阳能发电合计目标按指标名称含“太阳能”计入光伏+光热。"
        "来源：规划目标（逐条注明出处）与能源基地图层。"
    )
    figs = table_pages(
        figsize,
        title_zh="能源基地与规划目标核对（按技术）",
        title_en="Energy sites against the plans' targets, by technology",
        header=[
            "技术 technology",
            "图上要素 mapped",
            "规模等级（原文）classes",
            "注明容量 stated",
            "2015 基数 baseline",
            "2020 目标 target",
            "数量目标 count targets",
        ],
        rows=tech.drop(columns="technology").astype(str).to_numpy().tolist(),
        col_widths=[0.12, 0.13, 0.17, 0.14, 0.12, 0.12, 0.20],
        notes=notes,
        date=date,
        intro=intro,
    )
    pref = recon["by_prefecture"]
    names = _prefecture_names()
    pref["prefecture_adcode"] = (
        pref["prefecture_adcode"].map(names).fillna(pref["prefecture_adcode"])
    )
    header = ["市州 prefecture"] + [TECH_NAMES[c] for c in pref.columns[1:-2]]
    header += ["注明容量 stated", "市州目标 targets"]
    n_tech = len(pref.columns) - 3
    widths = [0.14] + [0.56 / max(n_tech, 1)] * n_tech + [0.15, 0.15]
    figs += table_pages(
        figsize,
        title_zh="能源基地与规划目标核对（按市州）",
        title_en="Energy sites by prefecture and technology (count and capacity class)",
        header=header,
        rows=pref.astype(str).to_numpy().tolist(),
        col_widths=widths,
        notes="跨市州的基地在所列每个市州各计一次。" + notes,
        date=date,
        fontsize=6.5,
    )
    return figs


PRECISION_ZH = {
    "town": "乡镇 town",
    "county": "县级 county",
    "prefecture": "市州 prefecture",
    "schematic": "示意 schematic",
    "unplaced": "未落位 unplaced",
}


def _shorten(text: str, n_chars: int) -> str:
    return text if len(text) <= n_chars else text[: n_chars - 1] + "…"


def _bases_table(frames: dict, figsize, date: dt.date) -> list:
    bases = frames["industrial_bases"]
    names = _prefecture_names()
    rows = [
        [
            r.base_name_zh,
            r.name_zh,
            PRECISION_ZH.get(r.precision, r.precision),
            "、".join(
                names.get(a, a).split(" ")[0] for a in str(r.prefecture_adcodes).split(";") if a
            ),
            _shorten("、".join(split_list(r.lead_industries_zh)), 60),
        ]
        for r in bases.itertuples()
    ]
    return table_pages(
        figsize,
        title_zh="六大产业基地成员",
        title_en="Members of the six industrial bases",
        header=[
            "基地 base",
            "成员 member",
            "定位精度 precision",
            "市州 prefecture",
            "主导产业 lead industries",
        ],
        rows=rows,
        col_widths=[0.2, 0.2, 0.1, 0.15, 0.35],
        date=date,
        notes=f"来源：产业基地图层（{_cited(BASES_SOURCE)}起，第四章第二节“六大产业基地”，陇图整理）。",
    )


def make_briefing(
    out_pdf: str | Path,
    *,
    layers: Mapping[str, pd.DataFrame] | Sequence[str] | None = None,
    analyses: Sequence[AnalysisResult] | None = None,
    paper: Paper = "A4",
    orientation: Orientation = "portrait",
    approval_no: str | None = None,
    date: dt.date | None = None,
    scenario: Scenario | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the briefing book of the whole layout to `out_pdf`.

    Parameters
    ----------
    out_pdf
        Output PDF path.
    layers
        Plan layers drawn on the cover and zone pages: a list of names (default zones, parks,
        energy sites), or a mapping name -> frame to print edited layers instead of the stored
        ones.
    analyses
        :class:`longtu.analysis.result.AnalysisResult` objects; one summary page (summary lines,
        numbers, parameters, first table) each.
    paper, orientation, approval_no, date
        As for :func:`longtu.maps.print.page.render_page`.
    scenario
        A planning scenario (``Workspace(path).load(name)``): its layers are drawn instead of
        the plan's, and the book gains the changes section (redline map, change table) and the
        appendix of edits and review opinions. `layers` may then only name layers.
    progress
        Called before each section is drawn with (sections done, sections in all, the
        section's title), and once more with (all, all, ``FINISHING``) while fonts are embedded.

    Returns
    -------
    pathlib.Path
        `out_pdf`, with bookmarks and metadata (Title, Author 陇图 Longtu, Subject, CreationDate).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from pypdf import PdfReader
    >>> out = make_briefing(pathlib.Path(tempfile.mkdtemp()) / "b.pdf")
    >>> reader = PdfReader(out)
    >>> reader.metadata["/Author"], [o.title for o in reader.outline if not isinstance(o, list)][0]
    ('陇图 Longtu', '封面 Cover')
    """
    frames, names = _frames(_plan_of(layers, scenario)), _page_names(layers)
    date = date or dt.date.today()
    common = {"paper": paper, "orientation": orientation, "approval_no": approval_no,
              "date": date, "plan": frames}  # fmt: skip
    figsize = figure_size_in(paper, orientation)
    sections = list(_sections(frames, names, analyses or [], common, figsize))
    if scenario is not None:
        sections = _with_scenario(sections, scenario, common, figsize, names)
    return _write_book(Path(out_pdf), sections, progress)


def _write_book(out: Path, sections: list[Section], progress: Progress | None) -> Path:
    """Draw `sections` in order into `out`, bookmarked; then finish the PDF."""
    return write_sections(
        out,
        sections,
        title=f"{BRIEFING_TITLE[0]} {BRIEFING_TITLE[1]}",
        subject="甘肃省2016—2020年产业布局规划要素 Gansu industrial layout",
        progress=progress,
    )


def _plan_of(layers, scenario: Scenario | None):
    if scenario is None:
        return layers
    if isinstance(layers, Mapping):
        raise PageError(
            "`layers` gives frames and `scenario` gives the scenario's own; pass one of them "
            "(with `scenario`, `layers` may only name the layers to draw)."
        )
    return scenario.layers


def _with_scenario(
    sections: list, scenario: Scenario, common: dict, figsize, names: list[str]
) -> list:
    """The plan's sections with the changes after the cover and the appendix at the end."""
    title, level, _ = sections[0]
    subtitle = f"规划情景“{scenario.name}”（第 {scenario.version} 版）Scenario {scenario.name}"
    cover = (title, level, lambda: [render_page(
        extent="province", layers=names, title_zh=BRIEFING_TITLE[0],
        title_en=BRIEFING_TITLE[1], subtitle=subtitle, **common)])  # fmt: skip
    page_options = {k: common[k] for k in ("paper", "orientation", "approval_no", "date")}
    changes, appendix = scenario_sections(scenario, figsize=figsize, **page_options)
    return [cover, *changes, *sections[1:], *appendix]


def _sections(frames: dict, names: list[str], analyses: Sequence[AnalysisResult], common: dict,
              figsize: tuple[float, float]):  # fmt: skip
    """(bookmark, level, figure maker) of every section, in page order; makers run lazily."""
    date = common["date"]

    def page(**kwargs):
        return lambda: [render_page(**kwargs, **common)]

    yield "封面 Cover", 0, page(
        extent="province", layers=names, title_zh=BRIEFING_TITLE[0], title_en=BRIEFING_TITLE[1],
        subtitle="2016—2020年规划：三大经济区、园区与能源基地总图 Overview",
    )  # fmt: skip
    yield "三大经济区 Economic zones", 0, None
    zones = frames["economic_zones"]
    for zone in zones[zones["level"] == "zone"].itertuples():
        yield f"{zone.name_zh} {zone.name_en}", 1, page(
            extent=f"zone:{zone.feature_id}", layers=[*names, "industrial_bases"],
            subtitle="经济区 Economic zone",
        )  # fmt: skip
    yield "六大产业基地 Six industrial bases", 0, page(
        extent="province", layers=["industrial_bases"], title_zh="六大产业基地",
        title_en="The six industrial bases", subtitle="各基地成员所在市州/县区（代表点）",
    )  # fmt: skip
    yield None, 0, lambda: _bases_table(frames, figsize, date)
    yield "能源基地与目标核对 Energy sites and targets", 0, page(
        extent="province", layers=["energy_sites"], title_zh="能源基地", title_en="Energy bases",
        subtitle="风电、光伏、光热及其他能源基地",
    )  # fmt: skip
    yield None, 0, lambda: _energy_tables(frames, figsize, date)
    if analyses:
        yield "分析结果 Analyses", 0, None
    for result in analyses:
        zh, en = ANALYSIS_LABELS.get(result.name, (result.name, result.name))
        title = f"分析 {zh} Analysis: {en}"
        if result.name == "access":  # its own pages: meaning, a row per park, a readable map
            yield title, 1, partial(access_pages, result, figsize, date)
            continue
        yield title, 1, partial(analysis_pages, result, figsize, date)
        yield None, 0, partial(analysis_map, result, figsize, date)
