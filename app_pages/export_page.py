"""Page 4: export (导出) — the current view as a print-quality PDF, the briefing book, an atlas."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from longtu.analysis.result import AnalysisResult
from longtu.app_pages.common import (
    cached_layer,
    cached_plan_layers,
    keep_made,
    made,
    shown_scenario,
    t,
)

if TYPE_CHECKING:
    from longtu.maps.print.atlas import AtlasBy
    from longtu.maps.print.page import Paper

PAPERS: list[Paper] = ["A4", "A3"]
ORIENTATIONS = {"landscape": ("横向", "landscape"), "portrait": ("纵向", "portrait")}


def _current_view() -> tuple[str, list[str]]:
    """Extent and layers handed over from the layout page's filters."""
    zones = st.session_state.get("zones") or []
    prefs = st.session_state.get("prefs") or []
    extent = (
        f"zone:{zones[0]}"
        if len(zones) == 1
        else (f"prefecture:{prefs[0]}" if len(prefs) == 1 else "province")
    )
    chosen = [
        key.removeprefix("layer_")
        for key, on in st.session_state.items()
        if isinstance(key, str) and key.startswith("layer_") and on
    ]
    return extent, chosen


def _extent_options() -> list[str]:
    plan = cached_plan_layers()
    zones = plan["economic_zones"]
    options = ["province"] + [
        f"zone:{f}" for f in zones.loc[zones["level"] == "zone", "feature_id"]
    ]
    options += [f"zone:{f}" for f in zones.loc[zones["level"] == "sub_area", "feature_id"]]
    options += [f"prefecture:{a}" for a in cached_layer("prefectures")["adcode"]]
    options += [f"base:{b}" for b in sorted(set(plan["industrial_bases"]["base_id"]))]
    return options


def _extent_label(spec: str) -> str:
    from longtu.maps.print.page import resolve_extent

    if spec == "province":
        return t("全省", "Whole province")
    extent = resolve_extent(spec)
    return t(extent.name_zh, getattr(extent, "name_en", extent.name_zh))


def _page_pdf(options: dict) -> tuple[bytes, bytes]:
    """The page as PDF (fonts embedded as TrueType, metadata set) and a PNG preview of it."""
    from longtu.maps.print.page import page_pdf_with_preview

    scenario = shown_scenario()  # drawn and named in the title block
    plan = cached_plan_layers() if scenario is None else None
    return page_pdf_with_preview(plan=plan, scenario=scenario, **options)


def _progress_bar(label: str) -> Callable[[int, int, str], None]:
    """A progress bar under the button; the returned callback moves it and names the step."""
    bar = st.progress(0.0, text=label)

    def report(done: int, total: int, drawing: str) -> None:
        bar.progress(
            min(done / max(total, 1), 1.0),
            text=t(f"{label}：第 {done + 1}/{total + 1} 步，{drawing}",
                   f"{label}: step {done + 1} of {total + 1}, {drawing}"),
        )  # fmt: skip

    return report


def render() -> None:
    """Draw the export page: the current view as a page, then the briefing book and the atlas."""
    st.subheader(t("导出地图与简报", "Export maps and briefings"))
    paper, approval = _page_section()
    st.divider()
    cols = st.columns(2)
    with cols[0]:
        _briefing_section(paper, approval)
    with cols[1]:
        _atlas_section(paper, approval)


def _page_section() -> tuple[Paper, str | None]:
    """The current view as one PDF page with a preview; returns the paper and approval number."""
    from longtu.maps.print.page import MAP_LAYERS

    extent, chosen = _current_view()
    options = _extent_options()
    cols = st.columns(4)
    spec = cols[0].selectbox(
        t("范围", "Extent"),
        options,
        index=options.index(extent) if extent in options else 0,
        format_func=_extent_label,
        key="export_extent",
    )
    paper: Paper = cols[1].selectbox(t("纸张", "Paper"), PAPERS, key="export_paper")
    orientation = cols[2].selectbox(
        t("方向", "Orientation"),
        list(ORIENTATIONS),
        key="export_orientation",
        format_func=lambda o: t(*ORIENTATIONS[o]),
    )
    approval = cols[3].text_input(t("审图号", "Map approval no."), key="export_approval") or None
    layers = st.multiselect(
        t("图层", "Layers"),
        list(MAP_LAYERS),
        default=[c for c in chosen if c in MAP_LAYERS] or None,
        key="export_layers",
        placeholder=t("未选：按默认图层", "None chosen: the default layers"),
        select_all=False,  # Streamlit words it in English only
        format_func=_layer_label,
    )
    if st.button(t("生成当前视图 PDF", "Make the PDF of this view"), key="run_page"):
        with st.spinner(t("排版中…", "Laying out…")):
            pdf, png = _page_pdf(
                {
                    "extent": spec,
                    "layers": layers or None,
                    "paper": paper,
                    "orientation": orientation,
                    "approval_no": approval,
                }
            )
        keep_made("export_page", (pdf, png))
    if (page := made("export_page")) is not None:
        st.image(page[1], caption=t("预览", "Preview"))
        st.download_button(
            t("下载 PDF", "Download the PDF"),
            page[0],
            file_name="longtu_map.pdf",
            mime="application/pdf",
            key="download_page",
        )
    return paper, approval


def _layer_label(key: str) -> str:
    """A map layer's name as the layout page's layer tree gives it."""
    from longtu.app_pages.layer_boxes import LAYER_TREE

    names = {k: (zh, en) for k, zh, en, _ in LAYER_TREE}
    return t(*names.get(key, (key, key)))


def _session_analyses() -> list[AnalysisResult]:
    """The analyses run in this session (and the constraint check), for the briefing book."""
    keys = [k for k in st.session_state if isinstance(k, str) and k.startswith("result_")]
    analyses = [made(k) for k in [*keys, "constraint_result"]]
    return [a for a in analyses if a is not None]


def briefing_note(count: int) -> tuple[str, str]:
    """What the briefing book will hold of the analyses run so far (Chinese, English).

    Examples
    --------
    >>> briefing_note(1)[1]
    'The briefing book includes the 1 analysis run so far.'
    >>> briefing_note(0)[1]
    'No analysis run yet: run one on the Analyses or Constraint review page to include it.'
    """
    if count == 0:
        return (
            "尚未运行分析：在「空间分析」或「约束审查」页运行后，其结果将编入简报册。",
            "No analysis run yet: run one on the Analyses or Constraint review page to include it.",
        )
    noun = "analysis" if count == 1 else "analyses"
    return (
        f"简报册将包含已运行的 {count} 项分析。",
        f"The briefing book includes the {count} {noun} run so far.",
    )


def _briefing_section(paper: Paper, approval: str | None) -> None:
    from longtu.maps.print.briefing import make_briefing

    analyses = _session_analyses()
    st.caption(t(*briefing_note(len(analyses))))
    if st.button(t("生成简报册", "Make the briefing book"), key="run_briefing"):
        progress = _progress_bar(t("生成简报册", "Making the briefing book"))
        with tempfile.TemporaryDirectory() as folder:
            path = make_briefing(
                Path(folder) / "briefing.pdf",
                analyses=analyses,
                paper=paper,
                approval_no=approval,
                scenario=shown_scenario(),
                progress=progress,
            )
            keep_made("export_briefing", path.read_bytes())
    if (book := made("export_briefing")) is not None:
        st.download_button(
            t("下载简报册", "Download the briefing book"),
            book,
            file_name="longtu_briefing.pdf",
            mime="application/pdf",
            key="download_briefing",
        )


ATLAS_UNITS: dict[AtlasBy, tuple[str, str]] = {
    "prefecture": ("市州", "prefecture"),
    "zone": ("经济区", "zone"),
    "base": ("产业基地", "base"),
}


def _atlas_section(paper: Paper, approval: str | None) -> None:
    from longtu.maps.print.atlas import make_atlas

    by: AtlasBy = st.selectbox(
        t("图集单元", "Atlas by"),
        list(ATLAS_UNITS),
        key="atlas_by",
        format_func=lambda b: t(*ATLAS_UNITS[b]),
    )
    if st.button(t("生成图集", "Make the atlas"), key="run_atlas"):
        progress = _progress_bar(t("生成图集", "Making the atlas"))
        with tempfile.TemporaryDirectory() as folder:
            path = make_atlas(
                Path(folder) / "atlas.pdf", by=by, paper=paper, approval_no=approval,
                scenario=shown_scenario(), progress=progress,
            )  # fmt: skip
            keep_made("export_atlas", path.read_bytes())
    if (atlas := made("export_atlas")) is not None:
        st.download_button(
            t("下载图集", "Download the atlas"),
            atlas,
            file_name=f"longtu_atlas_{by}.pdf",
            mime="application/pdf",
            key="download_atlas",
        )
