"""Page 2: analyses (分析): clustering, resource fit and water fit, with maps, tables, downloads."""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from pyproj import CRS
from streamlit_folium import st_folium

from longtu import settings
from longtu.analysis.result import AnalysisResult
from longtu.app_pages.common import (
    EMPTY_CELL,
    cached_layer,
    cached_plan_layers,
    keep_made,
    language,
    made,
    plain_base_map,
    show_summary,
    t,
    zip_download,
)
from longtu.app_pages.problem_words import problem_line
from longtu.app_pages.water_inputs import labelled_columns
from longtu.layout.export import csv_bytes
from longtu.maps import labels
from longtu.maps.result_symbols import Context, ResultSymbols, result_symbols
from longtu.maps.style import ANALYSIS_LABELS
from longtu.maps.web import elements as web_elements
from longtu.maps.web.offline import localize_assets
from longtu.maps.web.streamlit_assets import ASSET_BASE_URL
from longtu.maps.words.values import VALUE_WORDS

#: The analyses this page runs (constraint conflicts have their own page).
ANALYSES = {
    k: ANALYSIS_LABELS[k]
    for k in ("clustering", "resource", "water", "suitability", "access", "built")
}


def _uploaded_rasters() -> list:
    from longtu.analysis.io.rasters import KNOWN_RESOURCES, read_user_raster

    files = st.file_uploader(
        t("资源栅格（GeoTIFF，可多选）", "Resource rasters (GeoTIFF, several allowed)"),
        type=["tif", "tiff"],
        accept_multiple_files=True,
        key="resource_rasters",
    )
    rasters = []
    for upload in files or []:
        name: str = st.selectbox(
            f"{upload.name}",
            list(KNOWN_RESOURCES),
            key=f"raster_name_{upload.name}",
            format_func=lambda k: (
                f"{KNOWN_RESOURCES[k][0]} {KNOWN_RESOURCES[k][1]} ({KNOWN_RESOURCES[k][2]})"
            ),
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            try:
                rasters.append(read_user_raster(path, name=name))
            except ValueError as exc:
                st.error(problem_line(upload.name, exc, language=language(), folder=folder))
    st.caption(
        t(
            "晴空辐射模型不是资源数据，不予接受；请上传实测或再分析资源栅格。",
            "Clear-sky irradiance is not a resource map and is refused.",
        )
    )
    return rasters


def _run(name: str) -> AnalysisResult | None:
    from longtu.layout import load_layer

    plan = cached_plan_layers()
    if name == "clustering":
        from longtu.analysis.clustering.run import run_clustering

        eps = st.slider(t("DBSCAN 半径 (km)", "DBSCAN radius (km)"), 10, 200, 50, key="eps_km")
        min_samples = st.slider(
            t("最少园区数", "Minimum parks per cluster"), 2, 10, 3, key="min_samples"
        )
        if st.button(t("运行", "Run"), key="run_clustering"):
            layers = {
                **plan,
                "province": cached_layer("province"),
                "counties": cached_layer("counties"),
            }
            with st.status(t("计算聚集指标…", "Computing clustering statistics…")):
                return run_clustering(layers, eps_km=eps, min_samples=min_samples)
    elif name == "resource":
        from longtu.analysis.resource.fit import RESOURCE_LAYERS, run_resource_fit

        rasters = _uploaded_rasters()
        if st.button(t("运行", "Run"), key="run_resource"):
            with st.status(t("筛查能源基地…", "Screening energy sites…")):
                layers = {n: load_layer(n) for n in RESOURCE_LAYERS}
                return run_resource_fit(layers, resource_rasters=rasters)
    elif name == "suitability":
        return _run_suitability()
    elif name == "access":
        from longtu.app_pages.access_inputs import run_access

        return run_access()
    elif name == "built":
        from longtu.app_pages.built_inputs import run_built

        return run_built()
    else:
        from longtu.app_pages.water_inputs import run_water

        return run_water()
    return None


#: The criteria's note not shown in each interface language (the other language's).
_OTHER_NOTE = {"zh": "note", "en": "note_zh"}
#: Columns of the criteria editor holding keys, shown as words and chosen from a list.
_CHOICE_COLUMNS = ("criterion", "transform", "unit")


def _choice_column(column: str, values: pd.Series):
    """A column of keys drawn as their words (``value_words``), chosen among the known ones."""
    lang = language()
    options = list(dict.fromkeys([*VALUE_WORDS.get(column, {}), *values.dropna().astype(str)]))
    return st.column_config.SelectboxColumn(
        labels.column_label(column, language=lang),
        options=options,
        format_func=lambda key: labels.value_words(column, key, language=lang),
    )


def _run_suitability() -> AnalysisResult | None:
    from longtu.analysis.siting.verdict import industries
    from longtu.analysis.suitability.score import SUITABILITY_LAYERS, criteria_table, suitability

    table = industries()
    industry = st.selectbox(
        t("产业", "Industry"),
        list(table["key"]),
        key="suit_industry",
        format_func=lambda k: t(*table.set_index("key").loc[k, ["name_zh", "name_en"]]),
    )
    st.caption(
        t(
            "准则、权重与变换可直接编辑（默认值注明来源或标为本工具默认）。",
            "Criteria, weights and transforms are editable; each default cites its source.",
        )
    )
    initial = criteria_table(industry)
    criteria = st.data_editor(
        initial,
        key=f"criteria_{industry}",
        placeholder=EMPTY_CELL,
        hide_index=True,
        column_order=[c for c in initial.columns if c != _OTHER_NOTE[language()]],
        column_config=labelled_columns(
            initial.columns, **{c: _choice_column(c, initial[c]) for c in _CHOICE_COLUMNS}
        ),
    )
    rasters = _uploaded_rasters()
    top_n = st.slider(t("候选区数量", "Candidate areas"), 3, 30, 10, key="suit_top_n")
    if st.button(t("运行", "Run"), key="run_suitability"):
        plan = cached_plan_layers()
        with st.status(t("叠加评价…", "Scoring…")):
            return suitability(
                industry,
                base={n: cached_layer(n) for n in SUITABILITY_LAYERS},
                parks=pd.concat([plan["parks"], plan["energy_sites"]], ignore_index=True),
                criteria=criteria,
                resource_rasters=rasters,
                top_n=top_n,
            )
    return None


def _add_raster(fmap: folium.Map, raster) -> str:
    """The first result raster as a coloured overlay (viridis); the HTML of its colour bar."""
    import matplotlib

    data = np.asarray(raster.data, dtype=float)
    valid = ~np.isnan(data)
    crs = CRS.from_user_input(raster.tags.get("crs", settings.storage_crs))
    if not valid.any() or crs != CRS.from_user_input(settings.storage_crs):
        return ""
    low, high = np.nanpercentile(data, [2, 98])
    scaled = np.clip((np.nan_to_num(data, nan=low) - low) / max(high - low, 1e-12), 0, 1)
    rgba = matplotlib.colormaps["viridis"](scaled)
    rgba[..., 3] = np.where(valid, 0.7, 0.0)
    tr = raster.transform
    rows, cols = data.shape
    bounds = [[tr.f + rows * tr.e, tr.c], [tr.f, tr.c + cols * tr.a]]
    folium.raster_layers.ImageOverlay(
        (rgba * 255).astype("uint8"), bounds=bounds, mercator_project=True, name=raster.band_name
    ).add_to(fmap)
    title, factor = labels.raster_legend(raster.band_name, language=language())
    return _colour_bar_html(title, low * factor, high * factor)


def _colour_bar_html(title: str, low: float, high: float) -> str:
    """A legend box of a viridis colour bar from `low` to `high` under its `title`."""
    import matplotlib

    stops = ", ".join(
        matplotlib.colors.to_hex(matplotlib.colormaps["viridis"](x)) for x in np.linspace(0, 1, 6)
    )
    bar = (
        f"<div style='width:160px;height:10px;background:linear-gradient(to right, {stops})'></div>"
    )
    ends = "".join(f"<span>{v:,.3g}</span>" if abs(v) >= 0.005 else "<span>0</span>"
                   for v in (low, high))  # fmt: skip
    scale = f"<div style='display:flex;justify-content:space-between'>{ends}</div>"
    return f"<div style='column-span:all'><b>{html.escape(title)}</b>{bar}{scale}</div>"


def _result_map(result: AnalysisResult) -> folium.Map | None:
    """The result's features on the plain base map, coloured as on paper (result_symbols)."""
    if result.name == "access":
        from longtu.app_pages.access_inputs import access_map

        return access_map(result)
    symbols = result_symbols(result, language=language())
    if symbols is None:
        return None
    fmap = plain_base_map()
    raster_legend = _add_raster(fmap, next(iter(result.rasters.values()))) if result.rasters else ""
    if symbols.context is not None:
        _add_context(fmap, symbols.context)
    shown = symbols.frame.copy()
    shown["label"] = _feature_labels(shown, symbols.column)
    shown["colour"] = symbols.colours
    folium.GeoJson(
        shown[["label", "colour", "geometry"]].to_json(),
        name=t("分析结果", "Result"),
        marker=folium.CircleMarker(radius=6, fill=True, fill_opacity=0.75),
        style_function=lambda f: {
            "color": f["properties"]["colour"],
            "fillColor": f["properties"]["colour"],
        },
        tooltip=folium.GeoJsonTooltip(["label"], labels=False),
    ).add_to(fmap)
    web_elements.add_legend(fmap, raster_legend + _symbols_legend_html(symbols))
    folium.LayerControl().add_to(fmap)
    return localize_assets(fmap, base_url=ASSET_BASE_URL)


def _add_context(fmap: folium.Map, context: Context) -> None:
    """The context table under the result: dashed outlines, the name (and finding) on hover."""
    lang = language()
    frame = context.frame.copy()
    frame["colour"] = context.colours
    name_col = "name_en" if lang == "en" and "name_en" in frame.columns else "name_zh"
    finding_col = "finding_en" if lang == "en" else "finding_zh"
    frame["label"] = frame[name_col].astype(str)
    if finding_col in frame.columns:
        frame["label"] += "：" + frame[finding_col].astype(str)
    folium.GeoJson(
        frame[["label", "colour", "geometry"]].to_json(),
        name=t("规划基地区域", "Plan base regions"),
        style_function=lambda f: {
            "color": f["properties"]["colour"],
            "weight": 1.5,
            "dashArray": "6 4",
            "fill": False,
        },
        tooltip=folium.GeoJsonTooltip(["label"], labels=False),
    ).add_to(fmap)


def _feature_labels(shown: gpd.GeoDataFrame, column: str | None) -> pd.Series:
    """Each feature's name, with its cluster, score or coloured value after it."""
    lang = language()
    name_col = "name_en" if lang == "en" and "name_en" in shown.columns else "name_zh"
    names = shown[name_col if name_col in shown.columns else shown.columns[0]].astype(str)
    if column == "cluster_id":
        return names + shown[column].map(
            lambda c: t(f"（集聚 {c}）", f" (cluster {c})") if c >= 0 else t("（离散）", " (noise)")
        )
    if column is None:
        return names
    values = shown[column].map(lambda v: labels.value_words(column, v, language=lang))
    return names + " — " + labels.column_label(column, language=lang) + "：" + values


def _symbols_legend_html(symbols: ResultSymbols) -> str:
    """The legend of the result's symbols: a colour bar, or a row per category with its count."""
    if symbols.ramp is not None:
        return _colour_bar_html(symbols.title, symbols.ramp.low, symbols.ramp.high)
    entries = [(colour, "fill", label) for colour, label in symbols.entries]
    if symbols.context is not None:
        entries.append(("", "heading", symbols.context.title))
        entries += [(colour, "dashed-area", label) for colour, label in symbols.context.entries]
    return web_elements.legend_html(entries, title=symbols.title or t("图例", "Legend"))


def _show(result: AnalysisResult) -> None:
    """What the result means first, then its map, key figures, chart and labelled tables."""
    lang = language()
    show_summary(result)
    fmap = _result_map(result)
    if fmap is not None:
        st_folium(
            fmap,
            height=480,
            use_container_width=True,
            returned_objects=[],
            key=f"map_{result.name}",
        )
    st.markdown("**" + t("主要数值", "Key figures") + "**")
    st.dataframe(labels.key_figures(result.numbers, language=lang), hide_index=True)
    with st.expander(t("分析参数", "Parameters")):
        st.dataframe(labels.key_figures(result.parameters, language=lang), hide_index=True)
    if "ripley_l" in result.tables:
        _ripley_chart(result.tables["ripley_l"])
    _result_tables(result)
    zip_download(
        t(
            "下载全部结果（GeoPackage、CSV、GeoTIFF；含全部字段）",
            "Download all outputs (GeoPackage, CSV, GeoTIFF; every field)",
        ),
        result,
        f"longtu_{result.name}.zip",
        key=f"zip_{result.name}",
    )


_RIPLEY_SERIES = {
    "l_observed_km": ("观测 L", "Observed L"),
    "l_envelope_low_km": ("随机包络下限", "Random envelope, low"),
    "l_envelope_high_km": ("随机包络上限", "Random envelope, high"),
}
"""Short names of the Ripley chart's lines (the axis gives the unit, km)."""


def _ripley_chart(ripley: pd.DataFrame) -> None:
    """Ripley's L against distance with the random envelope, one chart per point set."""
    lang = language()
    series = ["l_observed_km", "l_envelope_low_km", "l_envelope_high_km"]
    for points, part in ripley.groupby("points"):
        st.caption(
            t("Ripley L 函数", "Ripley's L function")
            + " — "
            + labels.value_words("points", str(points), language=lang)
        )
        chart = part.set_index("distance_km")[series]
        chart.index.name = labels.column_label("distance_km", language=lang)
        st.line_chart(
            chart.rename(columns={c: t(*_RIPLEY_SERIES[c]) for c in series}),
            x_label=labels.column_label("distance_km", language=lang),
            y_label=t("L（km）", "L (km)"),
        )


def _result_tables(result: AnalysisResult) -> None:
    """One tab per result table a person reads, its columns labelled; CSV of every column."""
    lang = language()
    names = [n for n in labels.TABLE_WORDS if n in result.tables and len(result.tables[n])]
    if not names:
        return
    tabs = st.tabs([labels.table_label(n, language=lang) for n in names])
    for tab, name in zip(tabs, names, strict=True):
        with tab:
            table = pd.DataFrame(result.tables[name].drop(columns="geometry", errors="ignore"))
            st.dataframe(labels.labelled_table(name, table, language=lang), hide_index=True)
            st.download_button(
                t("下载此表（CSV，全部字段）", "Download this table (CSV, every field)"),
                csv_bytes(table),
                file_name=f"{name}.csv",
                mime="text/csv",
                key=f"csv_{result.name}_{name}",
            )


def render() -> None:
    """Draw the analyses page."""
    st.subheader(t("空间分析", "Spatial analyses"))
    name: str = st.radio(
        t("分析", "Analysis"),
        list(ANALYSES),
        horizontal=True,
        key="analysis",
        format_func=lambda k: t(*ANALYSES[k]),
    )
    result = _run(name)
    if result is not None:
        keep_made(f"result_{name}", result)
    if (stored := made(f"result_{name}")) is not None:
        _show(stored)
