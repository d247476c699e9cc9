"""The layout page's sidebar filters: what the map is asked for and the plan layers they keep.

:class:`MapRequest` holds everything the layout map depends on; :func:`request_from_state`
reads it from the sidebar's widgets (drawn by :func:`sidebar_filters`), and
:func:`filtered_layers` applies it to the plan layers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

import geopandas as gpd
import pandas as pd
import streamlit as st

from longtu.app_pages.common import cached_layer, language, t
from longtu.app_pages.layer_boxes import LAYER_TREE
from longtu.layout.plan import split_list
from longtu.layout.query import filter_features
from longtu.maps.style import PARK_LEVEL_LABELS, TECHNOLOGY_LABELS, Language, bilingual
from longtu.maps.web.interactive import TileChoice


@dataclass(frozen=True)
class MapRequest:
    """Everything the layout map depends on (hashable: the built map is cached on it)."""

    layers: tuple[str, ...]
    zone_ids: tuple[str, ...]
    prefectures: tuple[str, ...]
    industry: str
    chain_id: str
    levels: tuple[str, ...]
    technologies: tuple[str, ...]
    query: str
    language: Language
    tiles: TileChoice
    tianditu_key: str
    tolerance_deg: float = 0.02
    view: tuple[float, float, float] | None = None


def request_from_state() -> MapRequest:
    """The map the session asks for, read from its widget state (the defaults at first).

    The sidebar's widgets hold these values under their keys; reading them before the widgets
    are drawn lets the page send the map first (:func:`longtu.app_pages.layout_page.render`).
    """
    state = st.session_state
    for key, _, _, default in LAYER_TREE:  # defaults set once; then the session's own
        state.setdefault(f"layer_{key}", default)
    return MapRequest(
        tuple(key for key, _, _, _ in LAYER_TREE if state[f"layer_{key}"]),
        tuple(state.get("zones", ())),
        tuple(state.get("prefs", ())),
        state.get("industry", ""),
        state.get("chain", ""),
        tuple(state.get("levels", ())),
        tuple(state.get("techs", ())),
        state.get("query", ""),
        language(),
        state.get("tiles", "none"),
        state.get("tianditu_key", ""),
    )


def sidebar_filters(plan: dict) -> None:
    """The sidebar's layer boxes and filters (their values: :func:`request_from_state`)."""
    lang = language()
    with st.sidebar.expander(t("图层", "Layers"), expanded=True):
        for key, zh, en, _ in LAYER_TREE:
            st.checkbox(bilingual(zh, en, language=lang), key=f"layer_{key}")
    st.sidebar.text_input(t("搜索（中文或拼音）", "Search (Chinese or pinyin)"), key="query")
    # In a popover: its widgets are drawn by the browser only when opened (a third of what a
    # browser spends on the page's first view went to drawing them in an expander).
    with st.sidebar.popover(t("筛选", "Filters"), icon=":material/filter_list:", width="stretch"):
        _filter_widgets(plan, lang)
    request = request_from_state()
    st.sidebar.caption(filter_summary(request))
    if any(getattr(request, field) for field, _, _ in _FILTER_NAMES):
        st.sidebar.button(
            t("清除筛选", "Clear the filters"),
            icon=":material/filter_list_off:",
            on_click=clear_filters,
            key="clear_filters",
        )


def _filter_widgets(plan: dict, lang: Language) -> None:
    """The filters of the popover: zone, prefecture, industry, chain, park level, technology."""
    zones = plan["economic_zones"]
    top = zones[zones["level"] == "zone"]
    prefectures = cached_layer("prefectures")
    chains = plan["industry_chains"]
    _choose_many(t("经济区", "Economic zone"), _labels(top, "feature_id", lang), "zones")
    _choose_many(t("市州", "Prefecture"), _labels(prefectures, "adcode", lang), "prefs")
    st.text_input(t("产业（如 煤化工、光伏）", "Industry (e.g. 煤化工)"), key="industry")
    chain_labels = {"": t("（全部）", "(all)")} | _labels(chains, "feature_id", lang)
    st.selectbox(
        t("产业链", "Industry chain"),
        ["", *chains.loc[chains["park_ids"] != "", "feature_id"]],
        format_func=chain_labels.__getitem__,
        key="chain",
    )
    for label, table, key in (
        (t("园区级别", "Park level"), PARK_LEVEL_LABELS, "levels"),
        (t("能源技术", "Energy technology"), TECHNOLOGY_LABELS, "techs"),
    ):
        words = {k: bilingual(zh, en, language=lang) for k, (zh, en) in table.items()}
        _choose_many(label, words, key)


def _choose_many(label: str, options: dict[str, str], key: str) -> None:
    """A multiselect of `options` (key -> words) that filters nothing while none is chosen."""
    st.multiselect(
        label,
        list(options),
        format_func=options.__getitem__,
        key=key,
        placeholder=t("全部（未筛选）", "All (no filter)"),
        select_all=False,  # Streamlit words its "Select all" in English only
    )


def clear_filters() -> None:
    """Set the popover's filters back to none (the button's callback; the search is kept)."""
    for key, empty in _FILTER_KEYS.items():
        st.session_state[key] = empty


#: Session key of each filter of the popover and its value when it filters nothing.
_FILTER_KEYS: dict[str, list | str] = {
    "zones": [],
    "prefs": [],
    "industry": "",
    "chain": "",
    "levels": [],
    "techs": [],
}
#: The filters of the popover, in its order: request field, Chinese and English name.
_FILTER_NAMES = (
    ("zone_ids", "经济区", "economic zone"),
    ("prefectures", "市州", "prefecture"),
    ("industry", "产业", "industry"),
    ("chain_id", "产业链", "industry chain"),
    ("levels", "园区级别", "park level"),
    ("technologies", "能源技术", "energy technology"),
)


def filter_summary(request: MapRequest) -> str:
    """What the popover's filters narrow, in words (shown under it, while it is closed).

    Examples
    --------
    >>> from dataclasses import replace
    >>> blank = MapRequest((), (), (), "", "", (), (), "", "en", "none", "")
    >>> filter_summary(blank)
    'No filter'
    >>> filter_summary(replace(blank, levels=("national",), industry="光伏"))
    'Filtered by industry, park level'
    """
    lang = request.language
    used = [(zh, en) for field, zh, en in _FILTER_NAMES if getattr(request, field)]
    if not used:
        return bilingual("未筛选", "No filter", language=lang)
    return bilingual(
        "已按" + "、".join(zh for zh, _ in used) + "筛选",
        "Filtered by " + ", ".join(en for _, en in used),
        language=lang,
    )


def _labels(frame: pd.DataFrame, key: str, lang: Language) -> dict[str, str]:
    """Key -> name in the chosen language, for the options of a filter."""
    return {
        k: bilingual(zh, en, language=lang)
        for k, zh, en in zip(frame[key], frame["name_zh"], frame["name_en"], strict=True)
    }


class _CommonFilters(TypedDict):
    """The filters every plan layer takes (arguments of :func:`filter_features`)."""

    zone_ids: tuple[str, ...]
    prefecture_adcodes: tuple[str, ...]
    query: str


def filtered_layers(plan: dict, request: MapRequest) -> dict[str, gpd.GeoDataFrame]:
    """The plan layers after the sidebar filters."""
    chain_parks = None
    if request.chain_id:
        chains = plan["industry_chains"]
        chain_parks = split_list(
            chains.loc[chains["feature_id"] == request.chain_id, "park_ids"].item()
        )
    common = _CommonFilters(
        zone_ids=request.zone_ids, prefecture_adcodes=request.prefectures, query=request.query
    )
    parks = filter_features(
        plan["parks"],
        industry=request.industry,
        feature_ids=chain_parks,
        levels=request.levels,
        **common,
    )
    sites = filter_features(plan["energy_sites"], technologies=request.technologies, **common)
    zones = plan["economic_zones"]
    return {
        "parks": parks,
        "energy_sites": sites,
        "economic_zones": zones[zones["level"] == "zone"],
        "sub_areas": filter_features(zones[zones["level"] == "sub_area"], **common),
        "industrial_bases": filter_features(
            plan["industrial_bases"], industry=request.industry, **common
        ),
        "industry_chains": filter_features(
            plan["industry_chains"],
            industry=request.industry,
            feature_ids=[request.chain_id] if request.chain_id else None,
            **common,
        ),
        "other_features": filter_features(plan["other_features"], **common),
    }


def is_filtered(request: MapRequest) -> bool:
    """Whether any filter or search narrows what the map shows."""
    return any(
        (
            request.zone_ids,
            request.prefectures,
            request.industry,
            request.chain_id,
            request.levels,
            request.technologies,
            request.query.strip(),
        )
    )


#: Layers the filters narrow (the economic zones stay drawn whatever the filters).
HIT_LAYERS = ("parks", "energy_sites", "sub_areas", "industrial_bases", "other_features")


def hits_bounds(layers: dict[str, gpd.GeoDataFrame]) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the features the filters kept, or None if none."""
    kept = [layers[key].geometry.dropna() for key in HIT_LAYERS]
    geometries = pd.concat([g for g in kept if len(g)]) if any(len(g) for g in kept) else None
    if geometries is None:
        return None
    west, south, east, north = gpd.GeoSeries(geometries).total_bounds
    pad = 0.15
    return [[south - pad, west - pad], [north + pad, east + pad]]
