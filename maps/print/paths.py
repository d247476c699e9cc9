"""Shapely geometries as Matplotlib collections (fast; no pyplot state, unlike GeoSeries.plot)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure, SubFigure
from matplotlib.path import Path


def new_figure(figsize: tuple[float, float]) -> Figure:
    """A figure outside pyplot's global state (safe in Streamlit's threads), with an Agg canvas.

    Examples
    --------
    >>> new_figure((8.27, 11.69)).canvas.get_renderer() is not None
    True
    """
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    return fig


def page_of(ax: Axes) -> Figure:
    """The page (Figure) `ax` is drawn on; page axes never sit in a SubFigure.

    Examples
    --------
    >>> fig = new_figure((8.27, 11.69))
    >>> page_of(fig.add_axes((0, 0, 1, 1))) is fig
    True
    """
    fig = ax.figure
    if not isinstance(fig, Figure):
        raise TypeError("page axes must be on a Figure, not on a SubFigure")
    return fig


@runtime_checkable
class _RendererCanvas(Protocol):
    """A canvas that can hand out its renderer (Agg, pyplot's Agg-based ones, Cairo, PGF)."""

    def get_renderer(self) -> RendererBase: ...


def page_renderer(fig: Figure | SubFigure) -> RendererBase:
    """The renderer of `fig`'s canvas, to measure text before the page is saved.

    Examples
    --------
    >>> page_renderer(new_figure((8.27, 11.69))) is not None
    True
    """
    canvas = fig.canvas
    if not isinstance(canvas, _RendererCanvas):
        raise TypeError(
            f"{type(canvas).__name__} has no renderer to measure text; draw pages on new_figure()"
        )
    return canvas.get_renderer()


def _ring_codes(n: int) -> np.ndarray:
    codes = np.full(n, Path.LINETO, dtype=Path.code_type)
    codes[0] = Path.MOVETO
    codes[-1] = Path.CLOSEPOLY
    return codes


def polygon_path(geom) -> Path:
    """One compound path of a Polygon or MultiPolygon (holes included).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> len(polygon_path(box(0, 0, 1, 1)).vertices)
    5
    """
    verts, codes = [], []
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            verts.append(xy)
            codes.append(_ring_codes(len(xy)))
    if not verts:
        return Path(np.empty((0, 2)))
    return Path(np.concatenate(verts), np.concatenate(codes))


def line_segments(geoms: Iterable) -> list[np.ndarray]:
    """Vertex arrays of every line (boundaries of polygons included)."""
    out = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            geom = geom.boundary
        for part in getattr(geom, "geoms", [geom]):
            out.append(np.asarray(part.coords)[:, :2])
    return out


def add_polygons(ax: Axes, geoms: Iterable, **style) -> PathCollection:
    """Fill polygons (style: facecolor, edgecolor, linewidth, alpha, zorder, hatch…).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from shapely.geometry import box
    >>> fig, ax = plt.subplots()
    >>> len(add_polygons(ax, [box(0, 0, 1, 1)], facecolor="red").get_paths())
    1
    >>> plt.close(fig)
    """
    paths = [polygon_path(g) for g in geoms if g is not None and not g.is_empty]
    style.setdefault("edgecolor", "none")
    coll = PathCollection(paths, **style)
    ax.add_collection(coll, autolim=False)
    return coll


def add_lines(ax: Axes, geoms: Iterable, **style) -> LineCollection:
    """Draw lines and polygon outlines (style: color, linewidth, linestyle, alpha, zorder).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from shapely.geometry import box
    >>> fig, ax = plt.subplots()
    >>> len(add_lines(ax, [box(0, 0, 1, 1)], color="k").get_segments())
    1
    >>> plt.close(fig)
    """
    coll = LineCollection(line_segments(geoms), **style)
    coll.set_capstyle("round")
    coll.set_joinstyle("round")
    ax.add_collection(coll, autolim=False)
    return coll


def fit_limits(ax: Axes, bounds: tuple[float, float, float, float], *, pad: float = 0.0) -> None:
    """Set equal-aspect limits showing `bounds` (x0, y0, x1, y1) and filling the axes box.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure(figsize=(4, 2))
    >>> ax = fig.add_axes((0, 0, 1, 1))
    >>> fit_limits(ax, (0, 0, 1, 1))
    >>> [float(v) for v in (*ax.get_xlim(), *ax.get_ylim())]
    [-0.5, 1.5, 0.0, 1.0]
    >>> plt.close(fig)
    """
    x0, y0, x1, y1 = bounds
    w, h = (x1 - x0) * (1 + 2 * pad), (y1 - y0) * (1 + 2 * pad)
    pos, fig = ax.get_position(), page_of(ax)
    aspect = (pos.height * fig.get_figheight()) / (pos.width * fig.get_figwidth())
    if h / w > aspect:
        w = h / aspect
    else:
        h = w * aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax.set_xlim(cx - w / 2, cx + w / 2)
    ax.set_ylim(cy - h / 2, cy + h / 2)
    ax.set_aspect("equal", adjustable="box")
