"""Inputs and run of the transport access analysis on the analyses page.

With no extract the page measures straight-line estimates to the airports and seats that ship
with Longtu. An uploaded OpenStreetMap extract (``.osm.pbf``, at most
:data:`~longtu.app_pages.constraints_page.MAX_UPLOAD_MB` MB, the cap of every upload) is read
once into a road network, kept in memory for the session's reruns and cached on disk by its
bytes; a bad extract is one line, and the estimate still runs.

:func:`access_map` is the result's map (for the analyses page): points coloured by their time
to the nearest station or interchange, paths only to those two.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import folium
import pandas as pd
import streamlit as st

from longtu.app_pages.common import (
    cached_plan_layers,
    cached_symbol_points,
    language,
    plain_base_map,
    t,
)
from longtu.app_pages.constraints_page import MAX_UPLOAD_MB
from longtu.app_pages.problem_words import problem_line
from longtu.errors import InputFileError
from longtu.maps.print.access_pages import (
    CLASS_COLOURS,
    PATH_COLOUR,
    TARGET_SYMBOLS,
    UNMEASURED_COLOUR,
)
from longtu.maps.web import elements as web_elements
from longtu.maps.web.offline import localize_assets
from longtu.maps.web.streamlit_assets import ASSET_BASE_URL

if TYPE_CHECKING:
    from longtu.analysis.access import AccessNetwork
    from longtu.analysis.result import AnalysisResult


@st.cache_resource(max_entries=1, show_spinner=False)
def _network(digest: str, _data: bytes, name: str) -> AccessNetwork:
    """The network of an uploaded extract (one kept; keyed by the bytes' hash and name)."""
    from longtu.analysis.access import load_network

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(_data)
        os.utime(path, (0, 0))  # the disk cache is keyed by size, time and hash: fix the time
        return load_network(path)


def _uploaded_network() -> AccessNetwork | None:
    upload = st.file_uploader(
        t(
            f"OpenStreetMap 路网数据（.osm.pbf，不超过 {MAX_UPLOAD_MB} MB；可不传）",
            f"OpenStreetMap extract (.osm.pbf, at most {MAX_UPLOAD_MB} MB; optional)",
        ),
        type=["pbf", "osm"],
        key="access_osm",
    )
    if upload is None:
        return None
    if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
        st.error(
            t(
                f"{upload.name}：文件超过 {MAX_UPLOAD_MB} MB，未读取；"
                "请用 longtu analyze access --osm。",
                f"{upload.name}: over {MAX_UPLOAD_MB} MB, not read; use the command line "
                "instead: longtu analyze access --osm.",
            )
        )
        return None
    data = upload.getvalue()
    try:
        with st.spinner(t("读取路网…", "Reading the road network…")):
            return _network(hashlib.blake2b(data, digest_size=16).hexdigest(), data, upload.name)
    except InputFileError as exc:
        st.error(problem_line(upload.name, exc, language=language()))
        st.info(t("以下为直线距离估算。", "Straight-line estimates are shown instead."))
        return None


def run_access() -> AnalysisResult | None:
    """The transport access inputs; the result when the user runs it, else None."""
    st.caption(
        t(
            "不上传路网时，到机场与市县驻地的距离为直线距离估算（无行车时间）；"
            "上传甘肃的 OpenStreetMap 路网后，按道路等级车速计算最短时间路径。",
            "Without an extract, distances to airports and seats are straight-line estimates "
            "(no travel time); with an OpenStreetMap extract of Gansu, fastest paths by road "
            "class speeds.",
        )
    )
    network = _uploaded_network()
    if not st.button(t("运行", "Run"), key="run_access"):
        return None
    from longtu.analysis.access import access

    plan = cached_plan_layers()
    layers = {
        "parks": plan["parks"],
        "energy_sites": plan["energy_sites"],
        "prefecture_seats": cached_symbol_points("prefecture"),
        "county_seats": cached_symbol_points("county"),
    }
    with st.status(t("计算交通可达性…", "Computing transport access…")):
        return access(layers, network)


def access_map(result: AnalysisResult) -> folium.Map:
    """The result map of transport access: points by class, paths to station and interchange.

    Each park (circle) and energy site (square, drawn as a circle with a thicker ring) is
    coloured by its time to the nearest station or interchange (or, with no network time, its
    straight-line distance to the nearest airport); paths are drawn thin and only to the
    nearest station and interchange, not to Lanzhou from every park.
    """
    from longtu.analysis.access.tables import (
        access_by_point,
        map_measure,
        map_paths,
        measure_class,
    )

    by_point = access_by_point(result.tables["access_paths"])
    values, unit, measure = map_measure(by_point)
    classes = measure_class(values)
    fmap = plain_base_map()
    paths = map_paths(result.tables["access_paths"])
    if len(paths):
        folium.GeoJson(
            paths[["geometry"]].to_json(),
            name=t("路网路径", "Network paths"),
            style_function=lambda _f: {"color": PATH_COLOUR, "weight": 1.5, "opacity": 0.8},
        ).add_to(fmap)
    _add_targets(fmap, result.tables["access_targets"])
    _add_points(fmap, by_point, values, classes, unit)
    kinds = [k for k in TARGET_SYMBOLS if (result.tables["access_targets"]["kind"] == k).any()]
    web_elements.add_legend(fmap, _legend_html(classes, unit, measure, kinds, bool(len(paths))))
    folium.LayerControl().add_to(fmap)
    return localize_assets(fmap, base_url=ASSET_BASE_URL)


def _add_points(fmap: folium.Map, by_point, values, classes, unit: str) -> None:
    """Parks and energy sites as circles in their class colour, named in the tooltip."""
    shown = by_point[["name_zh", "name_en", "feature_kind", "geometry"]].copy()
    what = (
        t("到最近火车站或高速互通", "to the nearest station or interchange")
        if unit == "min"
        else t("到最近机场（直线估算）≈", "to the nearest airport (straight line) ≈")
    )
    unit_words = t("分钟", "min") if unit == "min" else "km"
    shown["label"] = [
        f"{t(zh, en)} — {what} {v:.0f} {unit_words}"
        if pd.notna(v)
        else t(f"{zh} — 路网未达", f"{en} — not reached on the network")
        for zh, en, v in zip(shown["name_zh"], shown["name_en"], values, strict=True)
    ]
    shown["colour"] = [CLASS_COLOURS[c] if c >= 0 else UNMEASURED_COLOUR for c in classes]
    shown["ring"] = [3 if k == "energy_site" else 1 for k in shown["feature_kind"]]
    folium.GeoJson(
        shown[["label", "colour", "ring", "geometry"]].to_json(),
        name=t("园区与能源基地", "Parks and energy sites"),
        marker=folium.CircleMarker(radius=6, fill=True, fill_opacity=0.85),
        style_function=lambda f: {
            "color": "#333333",
            "weight": f["properties"]["ring"],
            "fillColor": f["properties"]["colour"],
        },
        tooltip=folium.GeoJsonTooltip(["label"], labels=False),
    ).add_to(fmap)


def _add_targets(fmap: folium.Map, targets) -> None:
    """Stations, interchanges and airports as small dots of their colour."""
    from longtu.maps.words.access import KIND_SHORT

    for kind, (_marker, colour) in TARGET_SYMBOLS.items():
        of_kind = targets[targets["kind"] == kind]
        if of_kind.empty:
            continue
        frame = of_kind[["name_zh", "geometry"]].assign(kind=t(*KIND_SHORT[kind]))
        folium.GeoJson(
            frame.to_json(),
            name=t(*KIND_SHORT[kind]),
            marker=folium.CircleMarker(radius=3, fill=True, fill_opacity=1.0, weight=0),
            style_function=lambda _f, colour=colour: {"color": colour, "fillColor": colour},
            tooltip=folium.GeoJsonTooltip(["kind", "name_zh"], labels=False),
        ).add_to(fmap)


def _legend_html(classes, unit: str, measure: str, kinds: list[str], with_paths: bool) -> str:
    """The classes with their counts, the targets and the paths, under what the colour means."""
    from longtu.analysis.access.tables import BANDS
    from longtu.maps.words.access import KIND_SHORT, MEASURE_WORDS, band_words, beyond_words

    counts = classes.value_counts()
    uppers: list[int | None] = [None, *BANDS]
    lang = language()
    names = [band_words(b, unit, p, language=lang) for b, p in zip(BANDS, uppers, strict=False)]
    names.append(beyond_words(unit, language=lang))
    entries = [
        (CLASS_COLOURS[i], "fill", f"{name}（{counts.get(i, 0)}）") for i, name in enumerate(names)
    ]
    if counts.get(-1, 0):
        entries.append(
            (UNMEASURED_COLOUR, "fill", t("路网未达", "Not reached") + f"（{counts[-1]}）")
        )
    entries.append(("#333333", "hollow", t("能源基地（粗边）", "Energy site (thick ring)")))
    entries += [(TARGET_SYMBOLS[k][1], "fill", t(*KIND_SHORT[k])) for k in kinds]
    if with_paths:
        entries.append(
            (
                PATH_COLOUR,
                "thin",
                t("到最近火车站、高速互通的路径", "Paths to the nearest station, interchange"),
            )
        )
    return web_elements.legend_html(entries, title=t(*MEASURE_WORDS[measure]))
