"""Drawing of base and plan layers on a page (page CRS), with their legend entries.

Styling rules: zones as transparent fills; parks as circles sized and coloured by level; energy
sites by technology, each with its own marker; the six bases as coloured stars around the
member's point. Precision is visible: town-level points are filled, county-level
representative points are hollow, prefecture-level ones hollow and lighter. Unplaced features
(no geometry) are never drawn; they are counted for the footnote.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from longtu.layout import load_layer
from longtu.maps.print.labels import Label
from longtu.maps.print.paths import add_lines, add_polygons
from longtu.maps.print.projection import project_gdf
from longtu.maps.style import (
    PARK_LEVEL_COLOURS,
    PARK_LEVEL_LABELS,
    TECHNOLOGY_COLOURS,
    TECHNOLOGY_LABELS,
    ZONE_COLOURS,
    legend_label,
)

ZONE_COLORS = ZONE_COLOURS  # one palette for the app and the print maps (maps/style.py)
_PARK_SIZES = {"national": 6.0, "provincial": 5.0, "other": 4.2, "unknown": 4.2}
PARK_LEVELS = {
    level: (legend_label(zh + "园区", en), PARK_LEVEL_COLOURS[level], _PARK_SIZES[level])
    for level, (zh, en) in PARK_LEVEL_LABELS.items()
}
_TECH_MARKERS = {
    "wind": "^",
    "pv": "s",
    "csp": "D",
    "wind_solar": "P",
    "hydro": "v",
    "coal_power": "h",
    "nuclear": "X",
    "energy_chemicals": "p",
    "other": "o",
}
TECHNOLOGIES = {
    tech: (legend_label(*TECHNOLOGY_LABELS[tech]), marker, TECHNOLOGY_COLOURS[tech])
    for tech, marker in _TECH_MARKERS.items()
}
BASE_COLORS = ("#c0392b", "#2471a3", "#7d3c98", "#17a589", "#b9770e", "#5d6d7e")
PRECISION_STYLE = {
    "site": ("filled", 1.0),
    "town": ("filled", 1.0),
    "county": ("hollow", 1.0),
    "prefecture": ("hollow", 0.55),
    "schematic": ("hollow", 0.55),
}
PRECISION_NAMES = {
    "town": "实心：乡镇定位 town point",
    "county": "空心：县级代表点 county point",
    "prefecture": "浅空心：市州代表点 prefecture point",
}


@dataclass
class Drawn:
    """What a page shows: legend handles (in order), labels to place, unplaced names."""

    handles: list = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    unplaced: dict[str, str] = field(default_factory=dict)
    """feature_id -> name_zh of every feature the plans give no place for."""
    precisions: set[str] = field(default_factory=set)
    markers: list[tuple[float, float, float]] = field(default_factory=list)
    """(x, y, size in points) of every drawn symbol: labels avoid them."""
    base_handles: list = field(default_factory=list)


def in_view(gdf: gpd.GeoDataFrame, view) -> gpd.GeoDataFrame:
    """Rows of a page-CRS frame that intersect the view box."""
    return gdf[gdf.intersects(view)]


def _points(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    pts = gdf.copy()
    pts["geometry"] = [
        g if g.geom_type in ("Point", "MultiPoint") else g.representative_point()
        for g in pts.geometry
    ]
    return pts.explode(index_parts=False)


def _scatter(ax: Axes, pts, *, marker, color, size, precision, drawn, zorder=20) -> None:
    drawn.markers += [(x, y, size) for x, y in zip(pts.geometry.x, pts.geometry.y, strict=True)]
    fill, alpha = PRECISION_STYLE.get(precision, ("hollow", 0.55))
    face = color if fill == "filled" else "white"
    ax.scatter(
        pts.geometry.x,
        pts.geometry.y,
        s=size**2,
        marker=marker,
        facecolors=face,
        edgecolors=color,
        linewidths=0.9,
        alpha=alpha,
        zorder=zorder,
    )


def _unplaced(frame: pd.DataFrame, drawn: Drawn) -> None:
    missing = frame[frame.geometry.isna()] if "geometry" in frame else frame.iloc[0:0]
    ids = missing["feature_id"] if "feature_id" in missing else missing.index.astype(str)
    drawn.unplaced.update(zip(ids.astype(str), missing["name_zh"].astype(str), strict=True))


def draw_zones(ax: Axes, zones: gpd.GeoDataFrame, view, drawn: Drawn) -> None:
    """Zones as transparent fills, sub-areas as dashed outlines in the zone's colour."""
    _unplaced(zones, drawn)
    proj = in_view(project_gdf(zones), view)
    for _, row in proj[proj["level"] == "zone"].iterrows():
        color = ZONE_COLORS.get(row["feature_id"], "#888888")
        add_polygons(ax, [row.geometry], facecolor=color, alpha=0.2, zorder=3)
        add_lines(ax, [row.geometry], color=color, linewidth=1.2, zorder=9)
        drawn.handles.append(
            Patch(
                facecolor=color,
                alpha=0.35,
                edgecolor=color,
                label=f"{row['name_zh']} {row['name_en']}",
            )
        )
    subs = proj[proj["level"] == "sub_area"]
    for _, row in subs.iterrows():
        color = ZONE_COLORS.get(row["parent_id"], "#888888")
        add_lines(ax, [row.geometry], color=color, linewidth=0.8, linestyle=(0, (4, 2)), zorder=9)
    if len(subs):
        drawn.handles.append(
            Line2D([], [], color="#666666", linestyle=(0, (4, 2)), label="片区界 sub-area boundary")
        )


def draw_parks(ax: Axes, parks: gpd.GeoDataFrame, view, drawn: Drawn, *, label: bool) -> None:
    """Parks as circles by level; hollow where placed at a county or prefecture point."""
    _unplaced(parks, drawn)
    pts = in_view(_points(project_gdf(parks)), view)
    for level, (name, color, size) in PARK_LEVELS.items():
        sub = pts[pts["level"].fillna("unknown") == level]
        if sub.empty:
            continue
        for precision, group in sub.groupby("precision"):
            _scatter(
                ax, group, marker="o", color=color, size=size, precision=precision, drawn=drawn
            )
            drawn.precisions.add(str(precision))
        drawn.handles.append(
            Line2D([], [], marker="o", linestyle="none", color=color, markersize=size, label=name)
        )
    if label:
        drawn.labels += _point_labels(pts.drop_duplicates("feature_id"), size=5.5)


def draw_energy(ax: Axes, sites: gpd.GeoDataFrame, view, drawn: Drawn, *, label: bool) -> None:
    """Energy sites, one marker per technology; hollow where placed at a representative point."""
    _unplaced(sites, drawn)
    pts = in_view(_points(project_gdf(sites)), view)
    for tech, (name, marker, color) in TECHNOLOGIES.items():
        sub = pts[pts["technology"].fillna("other") == tech]
        if sub.empty:
            continue
        for precision, group in sub.groupby("precision"):
            _scatter(
                ax,
                group,
                marker=marker,
                color=color,
                size=6.5,
                precision=precision,
                drawn=drawn,
                zorder=22,
            )
            drawn.precisions.add(str(precision))
        drawn.handles.append(
            Line2D([], [], marker=marker, linestyle="none", color=color, markersize=6, label=name)
        )
    if label:
        drawn.labels += _point_labels(pts.drop_duplicates("feature_id"), size=5.5)


def draw_bases(ax: Axes, bases: gpd.GeoDataFrame, view, drawn: Drawn, *, radius_m: float) -> None:
    """Members of the six bases as coloured stars, offset around the member point by base."""
    _unplaced(bases, drawn)
    pts = in_view(_points(project_gdf(bases)), view)
    # Colours and offsets follow the order of the full layer, so a base looks the same on
    # every page even when only some bases are drawn.
    order = list(dict.fromkeys([*load_layer("industrial_bases")["base_id"], *bases["base_id"]]))
    for i, base_id in enumerate(order):
        sub = pts[pts["base_id"] == base_id]
        if sub.empty:
            continue
        angle = np.pi / 2 - 2 * np.pi * i / max(len(order), 1)
        shifted = sub.copy()
        shifted["geometry"] = sub.geometry.translate(
            radius_m * np.cos(angle), radius_m * np.sin(angle)
        )
        color = BASE_COLORS[i % len(BASE_COLORS)]
        for precision, group in shifted.groupby("precision"):
            _scatter(
                ax,
                group,
                marker="*",
                color=color,
                size=7.5,
                precision=precision,
                drawn=drawn,
                zorder=24,
            )
            drawn.precisions.add(str(precision))
        name = f"{sub['base_name_zh'].iloc[0]} {sub['base_name_en'].iloc[0]}"
        drawn.handles.append(
            Line2D([], [], marker="*", linestyle="none", color=color, markersize=8, label=name)
        )


def draw_other(ax: Axes, frame: gpd.GeoDataFrame, view, drawn: Drawn, *, title: str) -> None:
    """Other plan features: outlines, schematic lines and small diamonds, in one colour."""
    _unplaced(frame, drawn)
    proj = in_view(project_gdf(frame), view)
    color = "#6c7a89"
    polys = proj[proj.geom_type.isin(["Polygon", "MultiPolygon"])]
    lines = proj[proj.geom_type.isin(["LineString", "MultiLineString"])]
    pts = proj[proj.geom_type.isin(["Point", "MultiPoint"])]
    if len(polys):
        add_lines(ax, polys.geometry, color=color, linewidth=0.6, linestyle=":", zorder=8)
    if len(lines):
        add_lines(ax, lines.geometry, color=color, linewidth=1.4, linestyle=(0, (6, 2)), zorder=8)
    if len(pts):
        ax.scatter(
            _points(pts).geometry.x,
            _points(pts).geometry.y,
            marker="d",
            s=16,
            facecolors="white",
            edgecolors=color,
            zorder=19,
        )
    if len(proj):
        drawn.handles.append(
            Line2D(
                [], [], color=color, linestyle=":", marker="d", markerfacecolor="white", label=title
            )
        )


def _point_labels(pts: gpd.GeoDataFrame, *, size: float) -> list[Label]:
    return [
        Label(g.x, g.y, str(name), size=size, color="#333333")
        for g, name in zip(pts.geometry, pts["name_zh"], strict=True)
    ]


def draw_base_geography(ax: Axes, base: dict[str, gpd.GeoDataFrame], view, drawn: Drawn) -> None:
    """Neighbours, province, counties (faint), prefectures, rivers: the ground of every page."""
    ax.set_facecolor("#fbfbf8")
    add_polygons(
        ax,
        base["neighbours"].geometry,
        facecolor="#eeeeee",
        edgecolor="#bdbdbd",
        linewidth=0.4,
        zorder=1,
    )
    add_polygons(ax, base["province"].geometry, facecolor="white", zorder=2)
    add_lines(ax, base["counties"].geometry, color="#d5d5d5", linewidth=0.25, zorder=4)
    add_lines(ax, base["prefectures"].geometry, color="#8c8c8c", linewidth=0.55, zorder=5)
    rivers = base["rivers"]
    major = rivers["network_rank"] <= 3
    add_lines(ax, rivers.geometry[major], color="#4a90c2", linewidth=0.9, zorder=6)
    add_lines(ax, rivers.geometry[~major], color="#4a90c2", linewidth=0.45, zorder=6)
    add_lines(ax, base["province"].geometry, color="#3d3d3d", linewidth=1.1, zorder=10)
    border = base["border"].clip(view)
    if len(border) and not border.geometry.is_empty.all():
        colour, width, dashes = "#222222", 1.4, (0, (7, 2, 1.5, 2, 1.5, 2))
        add_lines(ax, border.geometry, zorder=11, color=colour, linewidth=width, linestyle=dashes)
        drawn.base_handles.append(
            Line2D(
                [],
                [],
                label="国界 national border",
                color=colour,
                linewidth=width,
                linestyle=dashes,
            )
        )
