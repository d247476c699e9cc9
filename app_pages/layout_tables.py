"""The layout page's words under the map: the clicked feature's details, the feature tables.

:func:`feature_details` shows the clicked feature's names, how it was placed and the plan
sentences citing it; :func:`tables_on_demand` the parks and energy sites as tables, with names,
places and sources in words, when the person asks for them.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from longtu.app_pages.common import cached_layer, language, t
from longtu.layout.plan import split_list
from longtu.layout.vocabulary import (
    LIST_COLUMNS,
    PRECISION_LABELS,
    VALUE_LABELS,
    source_label,
    value_label,
)
from longtu.maps.style import bilingual


def _labels(frame: pd.DataFrame, key: str) -> dict[str, str]:
    """Key -> name in the chosen language (a prefecture's or county's adcode -> its name)."""
    lang = language()
    return {
        k: bilingual(zh, en, language=lang)
        for k, zh, en in zip(frame[key], frame["name_zh"], frame["name_en"], strict=True)
    }


_DETAIL_LAYERS = (
    "parks",
    "energy_sites",
    "industrial_bases",
    "economic_zones",
    "industry_chains",
    "other_features",
)


def feature_details(plan: dict, name: str) -> None:
    """The clicked feature: its names, how it was placed and the plan sentences citing it."""
    lang = language()
    for key in _DETAIL_LAYERS:
        frame = plan[key]
        hit = frame[(frame["name_zh"] == name) | (frame["name_en"] == name)]
        if len(hit):
            row = hit.iloc[0]
            st.markdown(f"#### {row['name_zh']}  \n*{row['name_en']}*")
            precision = value_label(PRECISION_LABELS, row["precision"], language=lang)
            st.caption(f"{t('定位', 'Placed')}: {precision} — {row['location_basis']}")
            quotes = zip(
                split_list(row["source_refs"]), row["source_quotes"].split(" | "), strict=False
            )
            for ref, quote in quotes:
                st.markdown(f"> “{quote}”  \n> — {source_label(ref, language=lang)}")
            return


#: Table columns of each layer: column, Chinese and English heading.
_TABLE_COLUMNS: dict[str, list[tuple[str, str, str]]] = {
    "parks": [
        ("level", "级别", "Level"),
        ("kind", "类型", "Kind"),
        ("lead_industries_zh", "主导产业", "Lead industries"),
    ],
    "energy_sites": [
        ("technology", "技术", "Technology"),
        ("capacity_class_zh", "规模等级", "Capacity class"),
    ],
}


def _places(adcodes: str, names: dict[str, str]) -> str:
    return "、".join(names.get(code, code) for code in split_list(adcodes))


def feature_table(frame: gpd.GeoDataFrame, layer: str) -> pd.DataFrame:
    """A layer as a person reads it: names, places and sources in words, headings in words."""
    lang = language()
    prefectures = _labels(cached_layer("prefectures"), "adcode")
    counties = _labels(cached_layer("counties"), "adcode")
    columns = [
        ("name_zh", "名称", "Name"),
        ("name_en", "英文名", "English name"),
        ("precision", "定位精度", "Placed to"),
        *_TABLE_COLUMNS[layer],
    ]
    table = pd.DataFrame({t(zh, en): frame[col].astype(str) for col, zh, en in columns})
    for col, zh, en in columns:
        if col in LIST_COLUMNS:  # stored joined by ";", read as a list: 石油化工、装备制造
            table[t(zh, en)] = ["、".join(split_list(v)) for v in frame[col]]
    for col, zh, en in columns:
        if col in VALUE_LABELS:
            labels = VALUE_LABELS[col]
            table[t(zh, en)] = [value_label(labels, v, language=lang) for v in frame[col]]
    table[t("市州", "Prefecture")] = [_places(v, prefectures) for v in frame["prefecture_adcodes"]]
    table[t("县区", "County")] = [_places(v, counties) for v in frame["county_adcodes"]]
    table[t("规划出处", "Plan source")] = [
        "；".join(source_label(r, language=lang) for r in split_list(v))
        for v in frame["source_refs"]
    ]
    return table


def tables_on_demand(layers: dict[str, gpd.GeoDataFrame]) -> None:
    """The parks and energy sites as tables, drawn when the person asks for them.

    A table grid costs a browser about 2.5 s to set up (bench/bench_browser.py), more than
    the map itself, so the page opens without them.
    """
    shown = st.toggle(
        t("列出园区与能源基地（表格）", "List the parks and energy sites (tables)"),
        key="show_tables",
    )
    if not shown:
        return
    tabs = st.tabs([t("园区", "Parks"), t("能源基地", "Energy sites")])
    with tabs[0]:
        st.dataframe(feature_table(layers["parks"], "parks"), hide_index=True)
    with tabs[1]:
        st.dataframe(feature_table(layers["energy_sites"], "energy_sites"), hide_index=True)
