"""Shared pieces of the app pages: cached loaders, language, labels."""

from __future__ import annotations

import importlib.util
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st

from longtu.analysis.io.repairs import NOTE_KINDS
from longtu.analysis.io.results import result_zip_bytes
from longtu.analysis.result import AnalysisResult
from longtu.layout import load_base_raster, load_layer, plan_layers
from longtu.layout.base import Raster
from longtu.layout.load import symbol_points
from longtu.layout.scenarios import Scenario, edits_in_effect
from longtu.maps.style import Language, bilingual
from longtu.maps.web import elements, fonts, interactive
from longtu.maps.web.streamlit_assets import APP_IMAGES, IMAGE_FOLDER


@st.cache_resource(show_spinner="载入图层 Loading layers…")
def _plan_layers_once() -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    return plan_layers()


def shown_scenario() -> Scenario | None:
    """The scenario the other pages use instead of the plan, or None for the plan itself.

    The scenarios page keeps the loaded scenario in ``st.session_state["scenario"]``; with
    "use this scenario on the other pages" ticked (``scn_on_map``), every page uses it.
    """
    scenario = st.session_state.get("scenario")
    return scenario if scenario is not None and st.session_state.get("scn_on_map") else None


def cached_plan_layers() -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """All plan layers (validated once per process), or those of :func:`shown_scenario`."""
    scenario = shown_scenario()
    return _plan_layers_once() if scenario is None else dict(scenario.layers)


def plan_key() -> str:
    """What :func:`cached_plan_layers` returns now, as a key for caches shared by sessions.

    ``"plan"`` for the bundled plan; for a scenario shown on the map, its name, version and
    the ids and statuses of its edits (two workspaces never share edit ids).
    """
    scenario = shown_scenario()
    if scenario is None:
        return "plan"
    edits = ",".join(f"{edit.id}:{edit.status}" for edit in scenario.edits)
    return f"scenario:{scenario.name}@{scenario.version}:{edits}"


def keep_made(key: str, value: object) -> None:
    """Keep `value` (a result, a PDF) in the session with what the pages used to make it."""
    st.session_state[key] = (plan_key(), value)


def made(key: str) -> Any:
    """What :func:`keep_made` kept under `key` if made from what the pages use now, else None.

    A result or PDF made from the plan is not shown once a scenario is in use, nor the reverse,
    nor one made from a scenario edited since: the user makes it again.
    """
    kept = st.session_state.get(key)
    return kept[1] if kept is not None and kept[0] == plan_key() else None


def scenario_in_use_note() -> None:
    """Say at the top of a page that it uses a scenario, not the plan (nothing otherwise)."""
    scenario = shown_scenario()
    if scenario is None:
        return
    n = len(edits_in_effect(scenario.edits))
    st.info(
        t(
            f"本页使用情景「{scenario.name}」（{n} 项修改），而非规划本身；"
            "在“规划情景”页取消勾选即回到规划。",
            f"This page uses the scenario «{scenario.name}» ({n} edit{'s' * (n != 1)}), not "
            "the plan itself; untick it on the Scenarios page to return to the plan.",
        ),
        icon=":material/alt_route:",
    )


#: Packages whose files hold the words the app shows (labels in code, plan tables, titles).
_TEXT_PACKAGES = (
    "longtu.app_pages",
    "longtu.maps",
    "longtu.layout",
    "longtu.analysis",
    "longtu.gis_data",
    "longtu",
)
_TEXT_SUFFIXES = frozenset({".py", ".csv", ".json", ".txt", ".toml"})
_TEXT_MAX_BYTES = 5_000_000


def _package_texts() -> Iterator[str]:
    """The text files of :data:`_TEXT_PACKAGES` (without importing them)."""
    seen: set[Path] = set()
    for package in _TEXT_PACKAGES:
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            for path in Path(folder).rglob("*"):
                if (
                    path.suffix in _TEXT_SUFFIXES
                    and path not in seen
                    and path.stat().st_size < _TEXT_MAX_BYTES
                ):
                    seen.add(path)
                    yield path.read_text(encoding="utf-8", errors="ignore")


def _layer_texts() -> Iterator[str]:
    """Every word of the plan layers and the names of prefectures and counties."""
    frames = [*_plan_layers_once().values(), cached_layer("prefectures"), cached_layer("counties")]
    for frame in frames:
        for column in frame.columns:
            if frame[column].dtype == object:
                yield " ".join(str(value) for value in frame[column])


@st.cache_resource(show_spinner=False)
def _web_font_name() -> str:
    """File name of the CJK web font holding every character the app shows (cut once)."""
    characters = fonts.cjk_characters([*_package_texts(), *_layer_texts()])
    return fonts.web_font_url(characters, (IMAGE_FOLDER, ""))


def web_font_url(*, in_map: bool = False) -> str:
    """URL of the app's CJK web font, from the page (default) or from inside a map's frame.

    Examples
    --------
    >>> web_font_url().startswith("component/") and web_font_url(in_map=True).startswith("../")
    True
    """
    base = APP_IMAGES[1] if in_map else APP_IMAGES[1].replace("../", "component/", 1)
    return base + _web_font_name()


def page_font_css() -> str:
    """CSS giving the page's own font (Streamlit's Source Sans) the CJK glyphs of the web font.

    A second ``@font-face`` under the page's family adds the CJK characters to it, so the
    page needs no CJK font on the computer; Latin text is unchanged.
    """
    url = web_font_url()
    return fonts.font_face_css(url, family="Source Sans") + fonts.font_face_css(url)


EMPTY_CELL = ""
"""What an editable table shows in an empty cell: nothing, a value still to be typed in (Streamlit
would write "None", which a planner reads as a value)."""
#: Where Streamlit's file uploader writes its own word on its button (no setting to change it).
_UPLOAD_BUTTON = (
    '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
)
#: The line beside the button: "200MB per file • GPKG, ..." (the limit and the formats).
_UPLOAD_LIMIT = '[data-testid="stFileUploaderDropzoneInstructions"] span'


def uploader_css(lang: Language) -> str:
    """CSS that puts the uploaders' button in the interface language ("上传 Upload" in Chinese).

    Streamlit writes "Upload" on every file uploader's button and "200MB per file" beside it
    whatever the page's language; in Chinese the word is hidden and the bilingual one drawn in
    its place, at its size, and the size limit (the app's own, ``server.maxUploadSize``) is
    written in Chinese before Streamlit's English line.

    Examples
    --------
    >>> "上传 Upload" in uploader_css("zh"), uploader_css("en")
    (True, '')
    """
    if lang != "zh":
        return ""
    limit_mb = st.get_option("server.maxUploadSize")
    return (
        f"{_UPLOAD_BUTTON}{{font-size:0}}"
        f'{_UPLOAD_BUTTON}::after{{content:"上传 Upload";font-size:14px}}'
        f'{_UPLOAD_LIMIT}::before{{content:"每个文件不超过 {limit_mb} MB · "}}'
    )


#: Streamlit's hint under a text or number box being typed in ("Press Enter to apply").
_HINT = '[data-testid="InputInstructions"]>span:first-child::before'
#: The hint's words in Chinese, by the box it is under: Streamlit writes them in English only.
_HINT_WORDS = (
    ('[data-testid="stTextInput"]', "按回车键确认 "),
    ('[data-testid="stNumberInput"]', "按回车键确认 "),
    ('[data-testid="stTextArea"]', "按 Ctrl+回车键确认（Mac 为 ⌘+回车键） "),
    ('[data-testid="stForm"] [data-testid="stTextInput"]', "按回车键提交 "),
    ('[data-testid="stForm"] [data-testid="stNumberInput"]', "按回车键提交 "),
    ('[data-testid="stForm"] [data-testid="stTextArea"]', "按 Ctrl+回车键提交（Mac 为 ⌘+回车键） "),
)


def input_hint_css(lang: Language) -> str:
    """CSS that puts the Chinese of Streamlit's typing hint before its English.

    Under a box being typed in Streamlit writes "Press Enter to apply" ("to submit form" in a
    form, "Ctrl+Enter" under a text area) in English whatever the page's language; in Chinese
    the hint reads 按回车键确认 Press Enter to apply. Later rules win: a box in a form says 提交.

    Examples
    --------
    >>> "按回车键提交" in input_hint_css("zh"), input_hint_css("en")
    (True, '')
    """
    if lang != "zh":
        return ""
    return "".join(f'{box} {_HINT}{{content:"{words}"}}' for box, words in _HINT_WORDS)


@st.cache_resource(show_spinner=False)
def cached_layer(name: str) -> gpd.GeoDataFrame:
    """A base layer (cached per process)."""
    return load_layer(name)


@st.cache_resource(show_spinner=False)
def cached_raster(name: str) -> Raster:
    """A raster base layer (``terrain`` or ``land_cover``)."""
    return load_base_raster(name)


def cached_terrain() -> Raster:
    """The terrain raster."""
    return cached_raster("terrain")


@st.cache_resource(show_spinner=False)
def cached_symbol_points(level: str) -> gpd.GeoDataFrame:
    """Seats of prefectures or counties, for map labels."""
    return symbol_points(level)


def language() -> Language:
    """The language chosen in the sidebar: ``"zh"`` (Chinese with English) or ``"en"``."""
    return st.session_state.get("language", "zh")


def t(zh: str, en: str) -> str:
    """A UI label in the chosen language (Chinese first with English beside by default)."""
    return bilingual(zh, en, language=language())


def show_summary(result: AnalysisResult, *, warn: bool = False) -> None:
    """A result's summary boxed, the English under the Chinese (or the English alone).

    `warn` boxes it as a warning (a layer that does not overlap Gansu, say) instead of a success.
    """
    box = st.warning if warn else st.success
    if language() == "zh":
        box(result.summary_zh)
        st.caption(result.summary_en)
    else:
        box(result.summary_en)


def upload_note(name: str, kind: str, note: str, folder: str = "") -> str:
    """One note about an uploaded layer (a warning, a repair, a dropped row), file named.

    Examples
    --------
    >>> upload_note("a.geojson", "dropped", "1 feature(s) (rows 2) with no geometry")
    'a.geojson：已删除 dropped: 1 feature(s) (rows 2) with no geometry'
    """
    zh, en = NOTE_KINDS.get(kind, (kind, kind))
    detail = note.replace(folder.rstrip("/") + "/", "").replace(folder, "") if folder else note
    return f"{name}：{t(zh, en)}: {detail}"


def plain_base_map() -> folium.Map:
    """The offline base map (boundaries, rivers) in the chosen language, for result maps."""
    fmap = interactive.base_map(
        province=cached_layer("province"),
        prefectures=cached_layer("prefectures"),
        counties=None,
        rivers=cached_layer("rivers"),
        terrain=None,
        language=language(),
    )
    elements.add_web_font(fmap, web_font_url(in_map=True))
    return fmap


def zip_download(
    label: str, result: AnalysisResult, file_name: str, *, key: str | None = None
) -> None:
    """A button downloading `result`'s outputs as a zip, written only when it is clicked.

    Writing the GeoPackage, CSVs and rasters of a large result takes seconds; done at the click
    (a deferred download), the page's other runs do not wait for it, and the click does not run
    the page again.
    """

    def archive() -> bytes:
        with tempfile.TemporaryDirectory(prefix="longtu_zip_") as folder:
            return result_zip_bytes(result, Path(folder))

    st.download_button(
        label, archive, file_name=file_name, mime="application/zip", key=key, on_click="ignore"
    )
