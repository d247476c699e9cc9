"""Map furniture of a page: view, graticule, scale bar, north arrow, legend, header, footer."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox
from shapely.geometry import box

from longtu import settings
from longtu.maps.print.draw_layers import PRECISION_NAMES, Drawn
from longtu.maps.print.paths import add_lines, add_polygons, fit_limits, page_of, page_renderer
from longtu.maps.print.projection import lonlat_to_map, map_to_lonlat, north_angle_deg, project_gdf
from longtu.maps.print.table_pages import text_width_em

BACKING = {"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.6}
"""A white backing behind the furniture's words, so a line under them does not cross them (a
box, not a halo: text drawn with a halo becomes outlines and can no longer be searched)."""


def page_scale(fig: Figure) -> float:
    """Text scale of a page: 1 on A4, about 1.19 on A3 (square root of the size ratio).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure(figsize=(11.69, 16.54))
    >>> round(page_scale(fig), 2)
    1.19
    >>> plt.close(fig)
    """
    return float(np.sqrt(min(fig.get_figwidth(), fig.get_figheight()) / 8.27))


SCALE_STEPS_KM = (5, 10, 20, 25, 50, 100, 150, 200, 250, 300, 400, 500)


def set_view(ax: Axes, geometry, fig: Figure, *, pad: float = 0.06):
    """Fit the axes to `geometry` (EPSG:4326) with a margin, at the axes' aspect; return box."""
    proj = project_gdf(gpd.GeoDataFrame(geometry=[geometry], crs=settings.storage_crs))
    fit_limits(ax, tuple(proj.total_bounds), pad=pad)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#fbfbf8")
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return box(x0, y0, x1, y1)


def fade_outside(ax: Axes, geometry, view) -> None:
    """Veil everything outside the page's unit and outline the unit."""
    unit = project_gdf(
        gpd.GeoDataFrame(geometry=[geometry], crs=settings.storage_crs)
    ).geometry.iloc[0]
    add_polygons(ax, [view.difference(unit)], facecolor="white", alpha=0.55, zorder=11)
    add_lines(ax, [unit], color="#111111", linewidth=1.6, zorder=12)


def _graticule_step(span_deg: float) -> float:
    return 2.0 if span_deg > 9 else 1.0 if span_deg > 3.5 else 0.5


def draw_graticule(ax: Axes) -> None:
    """Meridians and parallels with degree labels on the bottom and left edges."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    ex = np.linspace(x0, x1, 25)
    ey = np.linspace(y0, y1, 25)
    lon, lat = map_to_lonlat(
        np.r_[ex, ex, [x0] * 25, [x1] * 25], np.r_[[y0] * 25, [y1] * 25, ey, ey]
    )
    step = _graticule_step(float(lon.max() - lon.min()))
    lats = np.linspace(lat.min() - 1, lat.max() + 1, 200)
    for lo in np.arange(np.ceil(lon.min() / step) * step, lon.max() + 1e-9, step):
        xs, ys = lonlat_to_map(np.full_like(lats, lo), lats)
        ax.plot(xs, ys, color="#9aa5b1", linewidth=0.3, zorder=7)
        if ys.min() < y0 < ys.max():
            xb = float(np.interp(y0, ys, xs))
            if x0 < xb < x1:
                ax.text(
                    xb,
                    y0,
                    f"{_fmt(lo)}°E",
                    fontsize=6 * page_scale(page_of(ax)),
                    ha="center",
                    va="top",
                    transform=ax.transData,
                    clip_on=False,
                    color="#444444",
                )
    lons = np.linspace(lon.min() - 2, lon.max() + 2, 200)
    for la in np.arange(np.ceil(lat.min() / step) * step, lat.max() + 1e-9, step):
        xs, ys = lonlat_to_map(lons, np.full_like(lons, la))
        ax.plot(xs, ys, color="#9aa5b1", linewidth=0.3, zorder=7)
        order = np.argsort(xs)
        if xs.min() < x0 < xs.max():
            yl = float(np.interp(x0, xs[order], ys[order]))
            if y0 < yl < y1:
                ax.text(
                    x0,
                    yl,
                    f"{_fmt(la)}°N ",
                    fontsize=6 * page_scale(page_of(ax)),
                    ha="right",
                    va="center",
                    clip_on=False,
                    color="#444444",
                )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _nice_length_km(width_m: float) -> int:
    target = width_m / 1000 * 0.22
    return max(s for s in SCALE_STEPS_KM if s <= max(target, SCALE_STEPS_KM[0]))


def draw_scale_bar(ax: Axes, fig: Figure) -> Bbox:
    """Alternating scale bar in the lower left, with the representative fraction; its box."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    length_km = _nice_length_km(x1 - x0)
    seg = length_km * 1000 / 4
    bx, by, hgt = x0 + 0.04 * (x1 - x0), y0 + 0.045 * (y1 - y0), 0.008 * (y1 - y0)
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (bx + i * seg, by),
                seg,
                hgt,
                facecolor="black" if i % 2 == 0 else "white",
                edgecolor="black",
                linewidth=0.5,
                zorder=40,
            )
        )
    for frac, text in ((0, "0"), (0.5, f"{length_km / 2:g}"), (1, f"{length_km} km")):
        ax.text(
            bx + frac * 4 * seg,
            by - hgt * 0.6,
            text,
            fontsize=6 * page_scale(fig),
            ha="center",
            va="top",
            zorder=40,
            bbox=BACKING,
        )
    width_paper_m = ax.get_position().width * fig.get_figwidth() * 0.0254
    scale = (x1 - x0) / width_paper_m
    ax.text(
        bx,
        by + hgt * 1.8,
        f"比例尺 1:{_round_scale(scale):,}".replace(",", " "),
        fontsize=6.5 * page_scale(fig),
        ha="left",
        va="bottom",
        zorder=40,
        bbox=BACKING,
    )
    lo = ax.transData.transform((bx - seg * 0.3, by - hgt * 4))
    hi = ax.transData.transform((bx + 4.6 * seg, by + hgt * 5))
    return Bbox([lo, hi])


def _round_scale(scale: float) -> int:
    magnitude = 10 ** int(np.floor(np.log10(scale)) - 1)
    return int(round(scale / magnitude) * magnitude)


def draw_north_arrow(ax: Axes) -> Bbox:
    """North arrow in the upper right, turned to true north at the map centre; its box."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    lon, lat = map_to_lonlat((x0 + x1) / 2, (y0 + y1) / 2)
    angle = np.radians(north_angle_deg(float(lon), float(lat)))
    cx, cy, r = x1 - 0.06 * (x1 - x0), y1 - 0.09 * (y1 - y0), 0.035 * (y1 - y0)
    tip = (cx + r * np.sin(angle), cy + r * np.cos(angle))
    tail = (cx - r * np.sin(angle), cy - r * np.cos(angle))
    ax.annotate(
        "",
        xy=tip,
        xytext=tail,
        zorder=40,
        arrowprops={
            "arrowstyle": "-|>,head_width=0.5,head_length=1.0",
            "color": "black",
            "linewidth": 1.2,
            "path_effects": [patheffects.withStroke(linewidth=3.2, foreground="white")],
        },
    )
    ax.text(
        tip[0],
        tip[1] + r * 0.25,
        "北\nN",
        fontsize=7 * page_scale(page_of(ax)),
        ha="center",
        va="bottom",
        linespacing=0.9,
        zorder=40,
        bbox=BACKING,
    )
    lo = ax.transData.transform((cx - 1.6 * r, cy - 1.3 * r))
    hi = ax.transData.transform((cx + 1.6 * r, cy + 2.4 * r))
    return Bbox([lo, hi])


def draw_map_furniture(ax: Axes, fig: Figure, *, paper: str) -> list[Bbox]:
    """Graticule, scale bar and north arrow; return the boxes labels must avoid."""
    ax.set_xlabel("")
    ax.set_ylabel("")
    draw_graticule(ax)
    return [draw_scale_bar(ax, fig), draw_north_arrow(ax)]


def marker_boxes(ax: Axes, markers: list[tuple[float, float, float]]) -> list[Bbox]:
    """Display boxes of drawn symbols ((x, y, size in points) each), for label placement."""
    if not markers:
        return []
    xy = ax.transData.transform([(x, y) for x, y, _ in markers])
    scale = ax.figure.dpi / 72 / 2
    return [
        Bbox([[px - s * scale, py - s * scale], [px + s * scale, py + s * scale]])
        for (px, py), (_, _, s) in zip(xy, markers, strict=True)
    ]


def _base_handles() -> list:
    return [
        Line2D([], [], color="#3d3d3d", linewidth=1.1, label="省界 province boundary"),
        Line2D([], [], color="#8c8c8c", linewidth=0.6, label="市州界 prefecture boundary"),
        Line2D([], [], color="#c8c8c8", linewidth=0.4, label="县界 county boundary"),
        Line2D([], [], color="#4a90c2", linewidth=0.9, label="河流 river"),
    ]


def _precision_handles(precisions: set[str]) -> list:
    handles = []
    for precision, alpha, face in (
        ("town", 1, "#555555"),
        ("county", 1, "white"),
        ("prefecture", 0.55, "white"),
    ):
        if precision in precisions:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="none",
                    markersize=5,
                    alpha=alpha,
                    markerfacecolor=face,
                    markeredgecolor="#555555",
                    label=PRECISION_NAMES[precision],
                )
            )
    return handles


def _two_lines(handle, width_em: float):
    """Put the English part of a long legend label on its own line."""
    label = handle.get_label()
    zh, _, en = label.partition(" ")
    if en and text_width_em(label) > width_em:
        handle.set_label(f"{zh}\n{en}")
    return handle


def draw_legend(fig: Figure, rect, drawn: Drawn):
    """Legend of exactly what the map shows, in its own panel, shrunk until it fits."""
    lax = fig.add_axes(rect)
    lax.axis("off")
    handles = drawn.handles + _precision_handles(drawn.precisions) + drawn.base_handles
    handles += _base_handles()
    portrait = fig.get_figheight() > fig.get_figwidth()
    renderer = page_renderer(fig)
    target = lax.get_window_extent(renderer)
    scale = page_scale(fig)
    tries = (
        ((2, 6.5), (2, 6.0), (2, 5.5), (1, 6.0), (2, 5.0), (1, 5.0), (2, 4.5))
        if portrait
        else ((1, 7.5), (1, 7.0), (1, 6.5), (1, 6.0), (2, 5.5), (2, 5.0), (2, 4.5))
    )
    for ncol, size in tries:
        width_em = target.width / ncol / (size * scale * fig.dpi / 72) - 4
        for h in handles:
            _two_lines(h, width_em)
        legend = lax.legend(
            handles=handles,
            loc="upper left",
            ncol=ncol,
            fontsize=size * scale,
            title="图例 Legend",
            title_fontsize=8 * scale,
            frameon=True,
            framealpha=1,
            edgecolor="#999999",
            borderaxespad=0,
            handlelength=1.8,
            columnspacing=1.0,
            alignment="left",
        )
        box_ = legend.get_window_extent(renderer)
        if box_.width <= target.width + 1 and box_.height <= target.height + 1:
            break
        for h in handles:
            h.set_label(h.get_label().replace("\n", " "))
    return legend


def draw_header(fig: Figure, title_zh: str, title_en: str, subtitle: str | None) -> None:
    """Title (Chinese, then English) and subtitle at the top of the page."""
    portrait = fig.get_figheight() > fig.get_figwidth()
    top = 0.965 if portrait else 0.955
    k = page_scale(fig)
    fig.text(0.5, top, title_zh, fontsize=18 * k, ha="center", va="top", color="#111111")
    fig.text(
        0.5,
        top - 0.03 * (1 if portrait else 1.35),
        title_en,
        fontsize=10 * k,
        ha="center",
        va="top",
        color="#444444",
    )
    if subtitle:
        fig.text(
            0.5,
            top - 0.052 * (1 if portrait else 1.35),
            subtitle,
            fontsize=8 * k,
            ha="center",
            va="top",
            color="#555555",
        )


def footnote(drawn: Drawn) -> str:
    """The footnote on unplaced features (listed, never drawn) and on hollow symbols.

    Examples
    --------
    Features are counted by id; a name two layers share (a park that is also an energy site)
    is listed once.

    >>> footnote(Drawn(unplaced={"e1": "五○四", "e2": "四○四", "p9": "五○四"}))
    '注：未落位要素 3 个（规划未给出位置，未绘制）：五○四、四○四。'
    """
    parts = []
    names = list(dict.fromkeys(drawn.unplaced.values()))
    if names:
        shown = "、".join(names[:6]) + ("等" if len(names) > 6 else "")
        n = len(drawn.unplaced)
        parts.append(f"未落位要素 {n} 个（规划未给出位置，未绘制）：{shown}。")
    if drawn.precisions & {"county", "prefecture"}:
        parts.append("空心符号为县/市州代表点，表示规划所述行政单元，不是实际厂址。")
    return ("注：" + "".join(parts)) if parts else ""


def draw_footer(
    fig: Figure, sources: str, drawn: Drawn, *, approval_no: str | None, date: dt.date, legend
) -> None:
    """Footnote, sources, approval-number field, date and credit at the bottom of the page."""
    fig.add_artist(Line2D([0.04, 0.96], [0.058, 0.058], color="#999999", linewidth=0.5))
    note = footnote(drawn)
    k = page_scale(fig)
    width_pt = 0.70 * fig.get_figwidth() * 72
    note_chars, source_chars = int(width_pt / (5.8 * k)), int(width_pt / (5 * k))
    fig.text(0.04, 0.052, _wrap(note, note_chars), fontsize=5.8 * k, va="top", color="#333333")
    fig.text(0.04, 0.022, _wrap(sources, source_chars), fontsize=5 * k, va="top", color="#555555")
    approval = approval_no or "＿＿＿＿＿＿"
    fig.text(0.96, 0.052, f"审图号：{approval}", fontsize=7 * k, ha="right", va="top")
    fig.text(
        0.96,
        0.034,
        f"制图：陇图 Longtu　{date.isoformat()}",
        fontsize=6 * k,
        ha="right",
        va="top",
        color="#444444",
    )


def _wrap(text: str, width: int) -> str:
    """Wrap by character count (CJK text has no spaces to break at)."""
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))
