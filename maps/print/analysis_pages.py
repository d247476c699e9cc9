"""The briefing book's analysis pages: what a result means, its figures as tables, its map.

For each :class:`~longtu.analysis.result.AnalysisResult`: a first page that opens with the
result's summary (what it means for the plan, in Chinese and English) and lists its key figures
and parameters as a labelled table; a page (or more) for each of its main tables, columns
labelled with units (:mod:`longtu.maps.labels`); and a map of its features with a legend, a
scale bar and a north arrow, in the colours of :mod:`longtu.maps.result_symbols`.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from longtu.analysis.result import AnalysisResult
from longtu.layout import load_layer
from longtu.maps import labels
from longtu.maps.print.furniture import draw_header, draw_north_arrow, draw_scale_bar, set_view
from longtu.maps.print.paths import add_lines, add_polygons, new_figure
from longtu.maps.print.projection import project_gdf
from longtu.maps.print.table_pages import table_pages
from longtu.maps.result_symbols import RAMP, ResultSymbols, result_symbols
from longtu.maps.style import ANALYSIS_LABELS

MAX_TABLES, MAX_ROWS, MAX_COLS, MAX_CELL_CHARS = 3, 30, 8, 60
"""Tables per analysis, rows and columns per table, characters per cell, on paper."""


def analysis_pages(result: AnalysisResult, figsize, date: dt.date) -> list[Figure]:
    """The summary page (meaning, key figures, parameters) and the table pages of `result`.

    Examples
    --------
    >>> r = AnalysisResult("clustering", "园区集聚", "Parks cluster", numbers={"eps_km": 50},
    ...     tables={"clark_evans": pd.DataFrame({"points": ["all parks"], "p_value": [1e-9]})})
    >>> len(analysis_pages(r, (8.27, 11.69), dt.date(2026, 1, 1)))
    2
    """
    title_zh, title_en = ANALYSIS_LABELS.get(result.name, (result.name, result.name))
    figures = labels.key_figures(result.numbers)
    params = labels.key_figures(result.parameters)
    rows = figures.to_numpy().tolist()
    if len(params):
        rows += [["参数 Parameters", ""], *params.to_numpy().tolist()]
    figs = table_pages(
        figsize,
        title_zh=f"分析结果：{title_zh}",
        title_en=f"Analysis: {title_en}",
        header=list(figures.columns),
        rows=[[_cut(str(c)) for c in row] for row in rows] or [["—", "—"]],
        col_widths=[0.55, 0.45],
        intro=f"{result.summary_zh}\n{result.summary_en}",
        date=date,
        notes="全部表格与字段见分析输出（longtu analyze）。Every table and field: longtu analyze.",
    )
    for name in _print_tables(result):
        figs += _table_pages(result, name, figsize, date, (title_zh, title_en))
    return figs


def _print_tables(result: AnalysisResult) -> list[str]:
    """The result's main tables, in the order of :data:`longtu.maps.labels.TABLE_WORDS`."""
    found = [n for n in labels.TABLE_WORDS if n in result.tables and len(result.tables[n])]
    return found[:MAX_TABLES]


def _table_pages(result: AnalysisResult, name: str, figsize, date: dt.date, title) -> list:
    frame = pd.DataFrame(result.tables[name]).drop(columns="geometry", errors="ignore")
    columns = labels.shown_columns(name, frame)[:MAX_COLS]
    shown = labels.labelled_table(name, frame.iloc[:MAX_ROWS], columns=columns)
    label = labels.table_label(name)
    notes = f"显示 shown {len(shown)}/{len(frame)} 行 rows；全部行与字段见分析输出。"
    return table_pages(
        figsize,
        title_zh=f"{title[0]}：{label.split(' ')[0]}",
        title_en=f"Analysis: {title[1]} — {labels.table_label(name, language='en')}",
        header=list(shown.columns),
        rows=[[_cut(str(v)) for v in row] for row in shown.itertuples(index=False)],
        col_widths=[1.0 / len(shown.columns)] * len(shown.columns),
        date=date,
        fontsize=6.5,
        notes=notes,
    )


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def analysis_map(result: AnalysisResult, figsize, date: dt.date) -> list[Figure]:
    """A map of the result's features with a legend, scale bar and north arrow (or none).

    What is drawn and in which colours is :func:`~longtu.maps.result_symbols.result_symbols`,
    the same as on the app's result map.

    Examples
    --------
    >>> r = AnalysisResult("x", "", "", tables={"t": pd.DataFrame({"a": [1]})})
    >>> analysis_map(r, (8.27, 11.69), dt.date(2026, 1, 1))
    []
    """
    symbols = result_symbols(result)
    if symbols is None:
        return []
    fig = new_figure(figsize)
    title_zh, title_en = ANALYSIS_LABELS.get(result.name, (result.name, result.name))
    map_of = labels.table_label(symbols.table, language="en")
    draw_header(fig, f"分析结果：{title_zh}（图）", f"Analysis: {title_en} — map: {map_of}", None)
    ax = province_axes(fig)
    _draw_result(ax, project_gdf(symbols.frame), symbols)
    draw_scale_bar(ax, fig)
    draw_north_arrow(ax)
    coloured = f"；颜色 colour：{symbols.title}" if symbols.column else ""
    fig.text(0.06, ax.get_position().y0 - 0.03, f"图中 shown：{labels.table_label(symbols.table)}，"
             f"{len(symbols.frame)} 个 features{coloured}。", fontsize=7, wrap=True)  # fmt: skip
    fig.text(
        0.94, 0.05, f"陇图 Longtu　{date.isoformat()}", fontsize=6, ha="right", color="#444444"
    )
    return [fig]


def province_axes(fig: Figure) -> Axes:
    """The axes of a result map: Gansu in white with its prefectures' borders, under the title."""
    province = load_layer("province")
    ax = fig.add_axes(map_rect(fig, tuple(project_gdf(province).total_bounds)))
    set_view(ax, province.geometry.iloc[0], fig)
    add_polygons(ax, project_gdf(province).geometry, facecolor="white", zorder=1)
    add_lines(ax, project_gdf(load_layer("prefectures")).geometry, color="#9a9a9a",
              linewidth=0.5, zorder=2)  # fmt: skip
    return ax


def map_rect(fig: Figure, bounds: tuple[float, ...]) -> tuple[float, float, float, float]:
    """Figure-fraction rectangle of the map: the province's shape, just under the title.

    As wide as the page allows (or as tall, on landscape paper), so no band of empty page is
    left between the title and the map.
    """
    x0, y0, x1, y1 = bounds
    aspect = (x1 - x0) / (y1 - y0)  # width / height of the province, projected
    width_in, height_in = 0.88 * fig.get_figwidth(), 0.72 * fig.get_figheight()
    width_in = min(width_in, height_in * aspect)
    height_in = width_in / aspect
    width, height = width_in / fig.get_figwidth(), height_in / fig.get_figheight()
    return ((1 - width) / 2, 0.88 - height, width, height)


def _draw_result(ax, proj: gpd.GeoDataFrame, symbols: ResultSymbols) -> None:
    """The features in their colours, with a legend of categories or a labelled colour bar.

    A context table (:class:`~longtu.maps.result_symbols.Context`) is drawn under them, as
    dashed outlines in its colours, with a legend row of its own.
    """
    context = symbols.context
    if context is not None:
        outlines = project_gdf(context.frame).geometry
        style = {"linewidth": 0.8, "linestyle": "--", "zorder": 3}
        add_polygons(ax, outlines, facecolor="none", edgecolor=context.colours, **style)
    _draw_features(ax, proj, symbols.colours)
    if symbols.ramp is not None:
        norm = Normalize(symbols.ramp.low, symbols.ramp.high)
        bar = ax.figure.colorbar(ScalarMappable(norm=norm, cmap=RAMP), ax=ax, shrink=0.45)
        bar.set_label(symbols.title)
        return
    handles = [legend_dot(colour, label) for colour, label in symbols.entries]
    if context is not None:
        handles.append(Line2D([], [], linestyle="", label=context.title))  # the group's heading
        handles += [
            Line2D([], [], color=colour, linestyle="--", linewidth=0.8, label=label)
            for colour, label in context.entries
        ]
    map_legend(ax, handles, symbols.title or None)


def _draw_features(ax, proj: gpd.GeoDataFrame, colours: list) -> None:
    """Polygons filled and points as dots, each in its colour."""
    polys = proj.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    if polys.any():
        add_polygons(ax, proj.geometry[polys], facecolor=[c for c, p in zip(colours, polys,
                     strict=True) if p], edgecolor="#555555", linewidth=0.3, zorder=4)  # fmt: skip
    points = proj[~polys].assign(_colour=[c for c, p in zip(colours, polys, strict=True) if not p])
    points = points.explode(index_parts=False)
    if len(points):
        ax.scatter(points.geometry.x, points.geometry.y, s=22, c=list(points["_colour"]),
                   edgecolors="#333333", linewidths=0.3, zorder=5)  # fmt: skip


def map_legend(ax, handles: list[Line2D], title: str | None = None) -> None:
    """The map's legend: under the map on portrait pages, in its lower right corner on landscape.

    Under the map it hides no feature and fills the page below the wide province.
    """
    fig = ax.figure
    below = fig.get_figheight() > fig.get_figwidth()
    place = (
        {"loc": "upper left", "bbox_to_anchor": (0.0, -0.07), "frameon": False,
         "ncol": 3 if len(handles) > 6 else 2}
        if below
        else {"loc": "lower right", "frameon": True, "ncol": 2 if len(handles) > 8 else 1}
    )  # fmt: skip
    ax.legend(handles=handles, title=title, fontsize=7, title_fontsize=7,
              alignment="left", **place)  # fmt: skip


def legend_dot(colour: str, label: str, *, marker: str = "o") -> Line2D:
    """A legend row of a point symbol: `marker` filled in `colour`, under `label`."""
    return Line2D([], [], marker=marker, linestyle="", markersize=6, markerfacecolor=colour,
                  markeredgecolor="#333333", markeredgewidth=0.3, label=label)  # fmt: skip
