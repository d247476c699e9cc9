"""The redline map of a planning scenario.

The redline map shows what a scenario changes against the layers it started from: added
features green, removed ones red and hollow (dashed outlines for areas), moved points orange
with a thin line from the old place to the new one, reshaped features as an orange outline;
features left unchanged are small grey dots for orientation. The pages say everything in words
(Chinese and English): the kind of change, the feature's name, the layer's title, the status of
each edit and the verdict of each review, never the identifiers stored in the workspace (the
words are in :mod:`longtu.maps.print.change_words`; the tables are in
:mod:`longtu.maps.print.change_tables`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import geopandas as gpd
import matplotlib as mpl
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox
from shapely.geometry import LineString

from longtu.layout.scenarios import Scenario, diff_layers
from longtu.maps.print import furniture
from longtu.maps.print.change_words import UNNAMED, change_titles
from longtu.maps.print.draw_layers import Drawn
from longtu.maps.print.fonts import print_rc
from longtu.maps.print.labels import Label, place_labels
from longtu.maps.print.page import Orientation, Paper, render_page
from longtu.maps.print.paths import add_lines, add_polygons, page_of, page_renderer
from longtu.maps.print.projection import project_gdf

__all__ = [
    "NATIONAL_BORDER",
    "REDLINE",
    "render_changes_page",
    "scenario_changes",
]

REDLINE = {
    "added": "#1e8449",
    "removed": "#c0392b",
    "moved": "#e67e22",
    "reshaped": "#e67e22",
    "other": "#7d3c98",
}
NATIONAL_BORDER = Line2D(
    [],
    [],
    color="#222222",
    linewidth=1.4,
    linestyle=(0, (7, 2, 1.5, 2, 1.5, 2)),
    label="国界 national border",
)
"""The national border's legend entry (drawn on every province page, see draw_layers)."""


def scenario_changes(scenario: Scenario) -> gpd.GeoDataFrame:
    """What `scenario` changes against the layers it started from (:func:`diff_layers`)."""
    return diff_layers(scenario.base, scenario.layers)


def render_changes_page(
    scenario: Scenario,
    changes: gpd.GeoDataFrame,
    *,
    paper: Paper = "A4",
    orientation: Orientation = "portrait",
    approval_no: str | None = None,
    date: dt.date | None = None,
    against: str | None = None,
) -> Figure:
    """The redline map of `changes` over the province, with its legend, scale bar and arrow.

    The old side is ``scenario.base``: the plan it started from, or, named `against`, another
    scenario (see :func:`longtu.maps.print.comparison.comparison_pdf`).
    """
    title_zh, title_en = change_titles(scenario.name, against, map_page=True)
    subtitle = f"情景 scenario：{scenario.name}（第 {scenario.version} 版 version）"
    if against is not None:
        subtitle += f"，对比情景 compared with：{against}"
    fig = render_page(
        extent="province",
        layers=[],
        paper=paper,
        orientation=orientation,
        title_zh=title_zh,
        title_en=title_en,
        subtitle=subtitle,
        approval_no=approval_no,
        date=date,
    )
    map_ax, legend_ax = fig.axes[0], fig.axes[1]
    drawn = Drawn(base_handles=[NATIONAL_BORDER])
    with mpl.rc_context(print_rc()):
        _draw_unchanged(map_ax, scenario.layers, changes, drawn)
        _draw_redline(map_ax, changes, scenario.base, drawn)
        rect = legend_ax.get_position().bounds
        legend_ax.remove()
        furniture.draw_legend(fig, rect, drawn)
        _place_change_labels(map_ax, drawn)
    return fig


def _draw_unchanged(ax: Axes, layers: Mapping[str, pd.DataFrame], changes, drawn: Drawn) -> None:
    changed = set(changes["feature_id"])
    frames = [layers[n] for n in ("parks", "energy_sites") if n in layers]
    if not frames:
        return
    both = pd.concat([f[["feature_id", "geometry"]] for f in frames], ignore_index=True)
    both = gpd.GeoDataFrame(both, geometry="geometry", crs=frames[0].crs)
    rest = both[~both["feature_id"].isin(changed) & both.geometry.notna()]
    pts = project_gdf(rest).representative_point()
    ax.scatter(pts.x, pts.y, s=9, c="#9e9e9e", linewidths=0, zorder=15)
    drawn.handles.append(
        _marker("#9e9e9e", "未变更的园区与能源基地 unchanged parks and energy sites", size=3)
    )


def _marker(color: str, label: str, *, size: float = 6, face: str | None = None, **kw) -> Line2D:
    return Line2D(
        [],
        [],
        marker=kw.pop("marker", "o"),
        linestyle="none",
        markersize=size,
        markeredgecolor=color,
        markerfacecolor=face or color,
        label=label,
        **kw,
    )


def _draw_redline(ax: Axes, changes: gpd.GeoDataFrame, base, drawn: Drawn) -> None:
    proj = project_gdf(changes[changes.geometry.notna()])
    old = _old_geometries(changes, base)
    for kind, draw in (
        ("added", _draw_added),
        ("removed", _draw_removed),
        ("moved", _draw_moved),
        ("reshaped", _draw_moved),
    ):
        part = proj[proj["kind"] == kind]
        if len(part):
            draw(ax, part, old, drawn)
    other = proj[~proj["kind"].isin(["added", "removed", "moved", "reshaped"])]
    if len(other):
        _draw_other(ax, other, drawn)
    for _, row in proj.drop_duplicates("feature_id").iterrows():
        pt = row.geometry.representative_point()
        color = REDLINE.get(row["kind"], REDLINE["other"])
        name = row["name_zh"] or UNNAMED
        drawn.labels.append(Label(pt.x, pt.y, name, size=6.5, required=True, color=color))


def _old_geometries(changes: gpd.GeoDataFrame, base: Mapping[str, pd.DataFrame]) -> gpd.GeoSeries:
    """(layer, feature_id) -> the geometry before the change, in the page CRS."""
    rows = []
    for layer, fid in zip(changes["layer"], changes["feature_id"], strict=True):
        frame = base.get(layer)
        hit = frame[frame["feature_id"] == fid] if frame is not None else None
        geometry = hit.geometry.iloc[0] if hit is not None and len(hit) else None
        rows.append(((layer, fid), geometry))
    index = pd.MultiIndex.from_tuples([k for k, _ in rows], names=["layer", "feature_id"])
    series = gpd.GeoSeries([g for _, g in rows], index=index, crs="EPSG:4326")
    return project_gdf(series.to_frame("geometry").set_geometry("geometry")).geometry


def _split(part: gpd.GeoDataFrame) -> tuple[gpd.GeoSeries, gpd.GeoSeries]:
    polys = part.geom_type.isin(["Polygon", "MultiPolygon", "LineString", "MultiLineString"])
    return part.geometry[polys], part.geometry[~polys].representative_point()


def _points_of(geoms: gpd.GeoSeries, drawn: Drawn, size: float) -> tuple[list, list]:
    xs, ys = list(geoms.x), list(geoms.y)
    drawn.markers += [(x, y, size) for x, y in zip(xs, ys, strict=True)]
    return xs, ys


def _draw_added(ax: Axes, part, old, drawn: Drawn) -> None:
    color, (areas, points) = REDLINE["added"], _split(part)
    add_polygons(ax, areas, facecolor=color, alpha=0.35, edgecolor=color, linewidth=1.0, zorder=30)
    ax.scatter(
        *_points_of(points, drawn, 8),
        s=64,
        c=color,
        edgecolors="#0b3d20",
        linewidths=0.6,
        zorder=32,
    )
    drawn.handles.append(_marker(color, f"新增 added（{len(part)}）", size=7))


def _draw_removed(ax: Axes, part, old, drawn: Drawn) -> None:
    color, (areas, points) = REDLINE["removed"], _split(part)
    add_lines(
        ax,
        [g.boundary for g in areas],
        color=color,
        linewidth=1.2,
        linestyle=(0, (3, 2)),
        zorder=30,
    )
    ax.scatter(
        *_points_of(points, drawn, 9),
        s=81,
        facecolors="white",
        edgecolors=color,
        linewidths=1.4,
        zorder=32,
    )
    ax.scatter(points.x, points.y, s=30, marker="x", c=color, linewidths=1.2, zorder=33)
    drawn.handles.append(
        _marker(color, f"删除 removed（{len(part)}）", size=7, face="white", markeredgewidth=1.4)
    )


def _draw_moved(ax: Axes, part, old, drawn: Drawn) -> None:
    """Moved or reshaped features: lines from where they were, then their new outlines and spots."""
    color, (areas, points) = REDLINE["moved"], _split(part)
    _draw_move_lines(ax, part, old, color)
    add_lines(ax, [g.boundary for g in areas], color=color, linewidth=1.4, zorder=30)
    centres = areas.representative_point()
    ax.scatter(
        *_points_of(centres, drawn, 10),
        s=100,
        marker="s",
        facecolors="none",
        edgecolors=color,
        linewidths=1.0,
        zorder=31,
    )
    ax.scatter(
        *_points_of(points, drawn, 8),
        s=64,
        c=color,
        edgecolors="#6e3b0c",
        linewidths=0.6,
        zorder=32,
    )
    drawn.handles += _moved_handles(part["kind"].iloc[0], len(part), color)


def _draw_move_lines(ax: Axes, part, old, color: str) -> None:
    """A line from each feature's old spot (a white dot) to its new one, where it had one."""
    before = [old.get((r.layer, r.feature_id)) for r in part.itertuples()]
    starts = [g.representative_point() for g in before if g is not None and not g.is_empty]
    ends = [
        g.representative_point()
        for g, b in zip(part.geometry, before, strict=True)
        if b is not None and not b.is_empty
    ]
    add_lines(
        ax,
        [_segment(a, b) for a, b in zip(starts, ends, strict=True)],
        color=color,
        linewidth=0.7,
        zorder=29,
    )
    ax.scatter(
        [p.x for p in starts],
        [p.y for p in starts],
        s=20,
        facecolors="white",
        edgecolors=color,
        linewidths=0.8,
        zorder=31,
    )


def _moved_handles(kind: str, count: int, color: str) -> list[Line2D]:
    """The legend entries of `count` moved features, or of reshaped ones (their new outline)."""
    if kind == "moved":
        return [
            _marker(color, f"移动后位置 new position（{count}）", size=7),
            Line2D(
                [],
                [],
                color=color,
                linewidth=0.7,
                marker="o",
                markersize=4,
                markerfacecolor="white",
                markevery=[0],
                label="原位置与移动线 old position",
            ),
        ]
    return [
        _marker(
            color,
            f"形状改变：新边界 new outline（{count}）",
            marker="s",
            face="none",
            size=7,
        )
    ]


def _segment(a, b) -> LineString:
    return LineString([(a.x, a.y), (b.x, b.y)])


def _draw_other(ax: Axes, part, drawn: Drawn) -> None:
    color = REDLINE["other"]
    points = part.geometry.representative_point()
    ax.scatter(
        *_points_of(points, drawn, 8),
        s=50,
        marker="D",
        facecolors="white",
        edgecolors=color,
        linewidths=1.2,
        zorder=32,
    )
    drawn.handles.append(
        _marker(
            color,
            f"级别或属性修改 level or details changed（{len(part)}）",
            marker="D",
            face="white",
        )
    )


def _place_change_labels(ax: Axes, drawn: Drawn) -> None:
    """Name the changed features; move the page's place names that a change symbol covers."""
    renderer = page_renderer(page_of(ax))
    symbols = furniture.marker_boxes(ax, drawn.markers)
    covered = _covered_place_names(ax, symbols, renderer)
    taken = [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]
    scale = furniture.page_scale(page_of(ax))
    for label in drawn.labels:
        label.size *= scale
    place_labels(ax, drawn.labels + covered, obstacles=taken + symbols)


def _covered_place_names(ax: Axes, symbols: list[Bbox], renderer) -> list[Label]:
    """Remove the place-name labels (Chinese + English pair) under `symbols`; return them."""
    pairs: dict[tuple[float, float], list[Annotation]] = {}
    for text in ax.texts:
        if isinstance(text, Annotation) and text.get_text():
            x, y = text.xy
            pairs.setdefault((float(x), float(y)), []).append(text)
    covered = []
    for (x, y), texts in pairs.items():
        boxes = [t.get_window_extent(renderer) for t in texts]
        if not any(b.overlaps(s) for b in boxes for s in symbols):
            continue
        main, *sub = sorted(texts, key=lambda t: -float(t.get_fontsize()))
        covered.append(Label(x, y, main.get_text(), sub[0].get_text() if sub else "",
                             size=float(main.get_fontsize()), kind="area", required=True,
                             color=str(main.get_color())))  # fmt: skip
        for t in texts:
            t.remove()
    return covered
