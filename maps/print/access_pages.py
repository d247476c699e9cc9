"""The briefing's pages of transport access: what it means, a table per park, the map.

The first page says in plain words how many parks lie within 30/60/120 minutes of a railway
station, an expressway interchange and an airport (or, with no road network, within that many
km in a straight line, said so), which parks are farthest and how the figures were measured.
Then one row per park (and per energy site): prefecture, how it is placed, minutes and km to
the nearest target of each kind, the method in words; straight-line estimates are marked ≈.
Last the map: each park coloured by its time to the nearest station or interchange, the
paths to those two only (thin), the targets, a legend, a scale bar and a north arrow.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from longtu import settings
from longtu.analysis.access.run import ESTIMATE, KINDS, NETWORK
from longtu.analysis.access.tables import (
    BANDS,
    access_by_point,
    counts_within,
    kind_method,
    map_measure,
    map_paths,
    measure_class,
)
from longtu.analysis.result import AnalysisResult
from longtu.layout import load_layer
from longtu.maps.print.analysis_pages import legend_dot, map_legend, province_axes
from longtu.maps.print.furniture import draw_header, draw_north_arrow, draw_scale_bar
from longtu.maps.print.paths import add_lines, add_polygons, new_figure
from longtu.maps.print.projection import project_gdf
from longtu.maps.print.table_pages import table_pages
from longtu.maps.words import access as words

CLASS_COLOURS = ("#1a9850", "#a6d96a", "#fdae61", "#d73027")
"""Colours of the classes up to 30, 60, 120 and beyond (ColorBrewer RdYlGn, reversed)."""
UNMEASURED_COLOUR = "#bdbdbd"
PATH_COLOUR = "#2c7fb8"
TARGET_SYMBOLS = {"station": ("^", "#252525"), "interchange": ("D", "#6a51a3"),
                  "airport": ("P", "#08519c")}  # fmt: skip
"""Marker and colour of each target kind the map draws."""
PLACED_AT = {
    "town": ("乡镇", "town"),
    "county": ("县城", "county seat"),
    "prefecture": ("市州驻地", "prefecture seat"),
    "schematic": ("示意", "schematic"),
}
"""How a point is placed (its precision), in a table cell."""
TITLE = ("交通可达性", "Transport access")


def access_pages(result: AnalysisResult, figsize, date: dt.date) -> list[Figure]:
    """The access section of the briefing: meaning, tables per park and energy site, map.

    Parameters
    ----------
    result
        The result of :func:`longtu.analysis.access.access`.
    figsize
        Page size in inches.
    date
        The date printed on each page.

    Returns
    -------
    list of matplotlib.figure.Figure
        The pages, in order.
    """
    by_point = points_with_prefecture(access_by_point(result.tables["access_paths"]))
    figs = meaning_pages(result, by_point, figsize, date)
    for kind, (zh, en) in (
        ("park", ("园区", "parks")),
        ("energy_site", ("能源基地", "energy sites")),
    ):
        rows = by_point[by_point["feature_kind"] == kind]
        if len(rows):
            figs += point_table_pages(rows, figsize, date, title=(zh, en))
    return figs + access_map(result, figsize, date, by_point=by_point)


def points_with_prefecture(by_point: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`by_point` with the prefecture each point lies in (``prefecture``, ``prefecture_en``).

    A point outside every prefecture keeps the names of its feature's prefectures. Sorted by
    prefecture, then as the plan lists the features.
    """
    prefectures = load_layer("prefectures")[["adcode", "name_zh", "name_en", "geometry"]]
    joined = gpd.sjoin(by_point, prefectures, how="left", predicate="within")
    joined = joined[~joined.index.duplicated()]
    out = by_point.copy()
    for column, language in (("prefecture", "name_zh"), ("prefecture_en", "name_en")):
        names = dict(zip(prefectures["adcode"], prefectures[language], strict=True))
        listed = by_point["prefecture_adcode"].map(
            lambda codes, names=names: "、".join(names.get(c, c) for c in str(codes).split(";"))
        )
        out[column] = joined[f"{language}_right"].fillna(listed)
    out["order"] = joined["adcode"].fillna(by_point["prefecture_adcode"].astype(str))
    return out.sort_values(["order", "feature_id", "point"], kind="stable").drop(columns="order")


def meaning_pages(
    result: AnalysisResult, by_point: gpd.GeoDataFrame, figsize, date: dt.date
) -> list[Figure]:
    """The first page: the meaning for the plan in words, then the counts per target kind."""
    rows = []
    for kind in KINDS:
        if f"{kind}_km" not in by_point.columns:
            continue
        counts, unit, n_parks, _ = counts_within(by_point, kind)
        far = farthest_parks(by_point, f"{kind}_{unit}", unit, n=1)
        rows.append([
            " ".join(words.KIND_SHORT[kind]),
            " ".join(words.METHOD_SHORT[kind_method(by_point, kind)]),
            "分钟 min" if unit == "min" else "直线 km straight-line km",
            *[str(c) for c in counts],
            str(n_parks),
            "\n".join(far[0]) if far else "—",
        ])  # fmt: skip
    lines = meaning_words(result, by_point)
    return table_pages(
        figsize,
        title_zh=f"分析结果：{TITLE[0]}",
        title_en=f"Analysis: {TITLE[1]}",
        header=[
            "目标 target",
            "方法 method",
            "单位 unit",
            "≤ 30",
            "≤ 60",
            "≤ 120",
            "园区 parks",
            "最远的园区 farthest park",
        ],
        rows=rows,
        col_widths=[0.14, 0.16, 0.12, 0.07, 0.07, 0.07, 0.08, 0.29],
        # A last empty line: table_pages reserves too little height per line on landscape pages.
        intro="\n".join(f"{zh}\n{en}" for zh, en in lines) + "\n",
        date=date,
        notes="表中为园区个数（多点位园区按其最近点位计）。全部字段见分析输出（longtu analyze "
        "access）。Counts of parks (a park with several points by its nearest). Every field: "
        "longtu analyze access.",
    )


def meaning_words(result: AnalysisResult, by_point: gpd.GeoDataFrame) -> list[tuple[str, str]]:
    """What the result means for the plan, sentence by sentence (Chinese, English).

    How many parks are placed; how many within 30/60/120 min (or km) of a station, an
    interchange, an airport; the farthest parks; how the figures were measured; the parks
    placed at a seat.
    """
    parks = by_point[by_point["feature_kind"] == "park"]
    n_sites = by_point.loc[by_point["feature_kind"] == "energy_site", "feature_id"].nunique()
    unplaced = int(result.numbers.get("n_features_unplaced", 0))
    n_parks = parks["feature_id"].nunique()
    lines = [(
        f"已落位的 {n_parks} 个园区与 {n_sites} 个能源基地逐一计算；"
        f"另有 {unplaced} 个园区与基地未落位，不在其中。",
        f"Measured for the {n_parks} parks and {n_sites} energy sites placed on the map; "
        f"{unplaced} parks and sites not placed are left out.",
    )]  # fmt: skip
    for kind in ("station", "interchange", "airport"):
        if f"{kind}_km" in by_point.columns:
            lines.append(words.within_words(kind, *counts_within(by_point, kind)))
        else:
            lines.append(words.not_measured_words(kind))
    values, unit, measure = map_measure(parks)
    far = farthest_parks(parks.assign(measure=values), "measure", unit, n=3)
    measure_zh, measure_en = words.MEASURE_WORDS[measure]
    far_zh, far_en = "、".join(z for z, _ in far), "; ".join(e for _, e in far)
    lines.append(
        (f"最远（{measure_zh}）：{far_zh}。", f"Farthest ({measure_en.lower()}): {far_en}.")
    )
    network = result.parameters.get("network", ESTIMATE)
    lines.append(words.method_words(
        int(result.numbers.get("n_paths_network", 0)),
        int(result.numbers.get("n_paths_estimate", 0)),
        None if network == ESTIMATE else str(network),
        snap_limit_km=float(result.parameters.get("snap_limit_km", 5.0)),  # type: ignore[arg-type]
    ))  # fmt: skip
    if "isochrones" in result.tables:
        iso = result.tables["isochrones"]
        lines.append(words.isochrone_words(
            str(result.parameters.get("isochrone_at", "")), list(iso["minutes"]),
            list(isochrone_areas_km2(iso)),
        ))  # fmt: skip
    seats = parks.loc[parks["precision"].isin(["county", "prefecture"]), "feature_id"].nunique()
    lines.append((
        f"{seats} 个园区按县城或市州驻地示意点定位，其距离为近似，到该驻地的距离无意义。",
        f"{seats} parks are placed at a county or prefecture seat: their distances are "
        "approximate, and the distance to that seat says nothing.",
    ))  # fmt: skip
    return lines


def isochrone_areas_km2(isochrones: gpd.GeoDataFrame) -> pd.Series:
    """Area (km²) of each isochrone, measured in the equal-area CRS of the settings."""
    return isochrones.geometry.to_crs(settings.equal_area_crs).area / 1e6


def farthest_parks(
    by_point: pd.DataFrame, value: str, unit: str, *, n: int
) -> list[tuple[str, str]]:
    """The `n` parks farthest by `value` (at their nearest point): ``名称（市州，95 分钟）``."""
    parks = by_point[(by_point["feature_kind"] == "park") & by_point[value].notna()]
    nearest = parks.sort_values(value).groupby("feature_id", sort=False).head(1)
    top = nearest.sort_values(value, ascending=False).head(n)
    unit_zh = "分钟" if unit == "min" else "km"
    return [
        (f"{r.name_zh}（{r.prefecture}，{getattr(r, value):.0f} {unit_zh}）",
         f"{r.name_en} ({r.prefecture_en}, {getattr(r, value):.0f} {unit})")
        for r in top.itertuples()
    ]  # fmt: skip


def point_table_pages(
    rows: gpd.GeoDataFrame, figsize, date: dt.date, *, title: tuple[str, str]
) -> list[Figure]:
    """One row per point: name, prefecture, placement, minutes and km per kind, method."""
    kinds = [k for k in KINDS if f"{k}_km" in rows.columns]
    header = ["名称 name", "市州 prefecture", "定位 placed at"]
    header += [f"{' '.join(words.KIND_SHORT[k])}" for k in kinds] + ["方法 method"]
    width = 0.53 / len(kinds)
    return table_pages(
        figsize,
        title_zh=f"{TITLE[0]}：各{title[0]}",
        title_en=f"{TITLE[1]}: {title[1]}, one by one",
        header=header,
        rows=[point_row(row, kinds) for row in rows.itertuples()],
        col_widths=[0.2, 0.08, 0.08] + [width] * len(kinds) + [0.11],
        date=date,
        fontsize=6.0,
        notes="每格为到最近目标的行车时间与路网距离（分钟 min、km）；≈ 为直线距离估算，无行车时间。"
        "Each cell: travel time and road distance to the nearest target; ≈ marks a "
        "straight-line estimate (no travel time).",
    )


def point_row(row, kinds: list[str]) -> list[str]:
    """The cells of one point: name (and which of its points), prefecture, placement, kinds."""
    name = f"{row.name_zh}\n{row.name_en}"
    if row.n_points > 1:
        name = f"{row.name_zh}（点 point {row.point}/{row.n_points}）\n{row.name_en}"
    placed = " ".join(PLACED_AT.get(row.precision, (row.precision, "")))
    methods = {getattr(row, f"{k}_method") for k in kinds}
    method = "mixed" if len(methods) > 1 else methods.pop()
    cells = [access_cell(getattr(row, f"{k}_km"), getattr(row, f"{k}_min"),
                         getattr(row, f"{k}_method")) for k in kinds]  # fmt: skip
    prefecture = f"{row.prefecture}\n{row.prefecture_en}"
    return [name, prefecture, placed.strip(), *cells, " ".join(words.METHOD_SHORT[method])]


def access_cell(distance_km: float, travel_time_min: float, method: str) -> str:
    r"""``"25 min\n31.2 km"`` on the network, ``"≈ 31.2 km"`` for a straight-line estimate.

    Examples
    --------
    >>> access_cell(31.24, 25.4, "network"), access_cell(31.2, float("nan"), "estimate")
    ('25 min\n31.2 km', '≈ 31.2 km')
    """
    if pd.isna(distance_km):
        return "—"
    if method == NETWORK and pd.notna(travel_time_min):
        return f"{travel_time_min:.0f} min\n{distance_km:.1f} km"
    return f"≈ {distance_km:.1f} km"


def access_map(
    result: AnalysisResult, figsize, date: dt.date, *, by_point: gpd.GeoDataFrame | None = None
) -> list[Figure]:
    """The map: points coloured by class, paths to the nearest station and interchange."""
    if by_point is None:
        by_point = access_by_point(result.tables["access_paths"])
    fig = new_figure(figsize)
    draw_header(fig, f"分析结果：{TITLE[0]}（图）", f"Analysis: {TITLE[1]} (map)", None)
    ax = province_axes(fig)
    paths = map_paths(result.tables["access_paths"])
    if len(paths):
        add_lines(ax, project_gdf(paths).geometry, color=PATH_COLOUR, linewidth=0.4,
                  alpha=0.8, zorder=3)  # fmt: skip
    handles = _draw_targets(ax, result.tables["access_targets"])
    if "isochrones" in result.tables:
        handles += _draw_isochrones(ax, result.tables["isochrones"])
    values, unit, measure = map_measure(by_point)
    classes = measure_class(values)
    handles = _draw_points(ax, project_gdf(by_point), classes, unit) + handles
    if len(paths):
        label = "路网路径（到最近火车站、高速互通）paths to the nearest station, interchange"
        handles.append(Line2D([], [], color=PATH_COLOUR, linewidth=0.8, label=label))
    title = " ".join(words.MEASURE_WORDS[measure]) + "；（）内为点位数 (points)"
    map_legend(ax, handles, title)
    draw_scale_bar(ax, fig)
    draw_north_arrow(ax)
    shown = (
        "路径只画到最近的火车站与高速互通（路网）；到机场、驻地与兰州的距离见表。"
        "Paths to the nearest station and interchange only; the rest in the tables."
    )
    if not len(paths):
        shown = (
            "未画路径：无路网路径（直线距离估算）。No paths drawn: no network paths (estimates)."
        )
    fig.text(0.06, ax.get_position().y0 - 0.03, shown, fontsize=7)
    fig.text(0.94, 0.05, f"陇图 Longtu　{date.isoformat()}", fontsize=6, ha="right",
             color="#444444")  # fmt: skip
    return [fig]


def _draw_points(ax, proj: gpd.GeoDataFrame, classes: pd.Series, unit: str) -> list:
    """Parks as circles and energy sites as squares, coloured by class; legend rows."""
    colours = [CLASS_COLOURS[c] if c >= 0 else UNMEASURED_COLOUR for c in classes]
    for kind, marker in (("park", "o"), ("energy_site", "s")):
        mask = (proj["feature_kind"] == kind).to_numpy()
        if mask.any():
            ax.scatter(proj.geometry.x[mask], proj.geometry.y[mask], s=20, marker=marker,
                       c=[c for c, m in zip(colours, mask, strict=True) if m],
                       edgecolors="#333333", linewidths=0.3, zorder=5)  # fmt: skip
    counts = classes.value_counts()
    uppers: list[int | None] = [None, *BANDS]
    labels_ = [words.band_words(b, unit, p) for b, p in zip(BANDS, uppers, strict=False)]
    labels_.append(words.beyond_words(unit))
    handles = [
        legend_dot(CLASS_COLOURS[i], f"{label}（{counts.get(i, 0)}）")
        for i, label in enumerate(labels_)
    ]
    if counts.get(-1, 0):
        handles.append(legend_dot(UNMEASURED_COLOUR, f"路网未达 not reached（{counts[-1]}）"))
    handles.append(legend_dot("#ffffff", "园区 park", marker="o"))
    handles.append(legend_dot("#ffffff", "能源基地 energy site", marker="s"))
    return handles


def _draw_isochrones(ax, isochrones: gpd.GeoDataFrame) -> list:
    """The areas reached within each time, as outlines from dark (30 min) to light (120 min)."""
    handles = []
    greys = ("#08306b", "#4292c6", "#9ecae1")
    for row, colour in zip(project_gdf(isochrones).itertuples(), greys, strict=False):
        if row.geometry.geom_type not in ("Polygon", "MultiPolygon"):
            continue  # too few roads reached to enclose an area
        add_polygons(ax, [row.geometry], facecolor="none", edgecolor=colour, linewidth=0.9,
                     linestyle="--", zorder=3)  # fmt: skip
        label = f"等时圈 {row.minutes:g} 分钟 isochrone {row.minutes:g} min"
        handles.append(Line2D([], [], color=colour, linewidth=0.9, linestyle="--", label=label))
    return handles


def _draw_targets(ax, targets: gpd.GeoDataFrame) -> list:
    """Stations, interchanges and airports in Gansu as small symbols; a legend row per kind."""
    west, south, east, north = load_layer("province").total_bounds
    in_view = targets.cx[west:east, south:north]
    handles = []
    for kind, (marker, colour) in TARGET_SYMBOLS.items():
        of_kind = in_view[in_view["kind"] == kind]
        if of_kind.empty:
            continue
        proj = project_gdf(of_kind)
        ax.scatter(proj.geometry.x, proj.geometry.y, s=10, marker=marker, c=colour,
                   linewidths=0, zorder=4)  # fmt: skip
        handles.append(legend_dot(colour, " ".join(words.KIND_SHORT[kind]), marker=marker))
    return handles
