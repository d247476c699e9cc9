"""Where to read and what to burn: raster windows, zone layers and zone labels per window.

A raster is read in windows of whole blocks (tiles, or strips of rows for a striped file) of
about ``window_cells`` cells, and only the windows that some zone's bounding box touches. In each
window the zones are burnt as integer labels (:func:`rasterio.features.rasterize`), one label
array per *layer*: zones that could share a cell (overlapping plan features and counties) go to
different layers, so every zone gets all of its cells, as if it had been rasterised alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import rasterio.features
import rasterio.windows
import shapely
from affine import Affine
from rasterio.windows import Window

#: Cells read at once by default: 4 Mi cells, 16 MB as float32 (plus as much for the labels).
DEFAULT_WINDOW_CELLS = 4_194_304

_POLYGONAL = (3, 6)  # shapely type ids of Polygon and MultiPolygon


def window_grid(
    shape: tuple[int, int],
    block_shape: tuple[int, int],
    *,
    window_cells: int = DEFAULT_WINDOW_CELLS,
    within: Window | None = None,
) -> Iterator[Window]:
    """Windows of whole blocks covering `within` (default the raster), each ~`window_cells`.

    Parameters
    ----------
    shape
        Raster (height, width) in cells.
    block_shape
        The file's (block height, block width): a tile, or a strip of rows.
    window_cells
        Cells per window to aim at; a window is never smaller than one block.
    within
        Only windows that meet this one (e.g. the zones' bounding box) are given.

    Yields
    ------
    rasterio.windows.Window
        Windows aligned to blocks, clipped to the raster, row by row.

    Examples
    --------
    >>> [tuple(w.flatten()) for w in window_grid((5, 10), (2, 10), window_cells=40)]
    [(0, 0, 10, 4), (0, 4, 10, 1)]
    >>> len(list(window_grid((1000, 1000), (256, 256), window_cells=262_144)))
    4
    """
    height, width = shape
    block_h, block_w = (max(1, int(b)) for b in block_shape)
    win_w = max(block_w, int(math.sqrt(window_cells)) // block_w * block_w)
    win_w = min(win_w, math.ceil(width / block_w) * block_w)
    win_h = max(block_h, (window_cells // win_w) // block_h * block_h)
    area = Window(0, 0, width, height) if within is None else within
    row0 = int(area.row_off) // win_h * win_h
    col0 = int(area.col_off) // win_w * win_w
    row_end = min(height, math.ceil(area.row_off + area.height))
    col_end = min(width, math.ceil(area.col_off + area.width))
    for row in range(max(0, row0), row_end, win_h):
        for col in range(max(0, col0), col_end, win_w):
            yield Window(col, row, min(win_w, width - col), min(win_h, height - row))


def zone_layers(
    geoms: np.ndarray, *, cell_diagonal: float, all_touched: bool = False
) -> np.ndarray:
    """Layer number of each zone, such that zones of one layer never share a cell.

    Two polygons conflict when their interiors meet (the cell-centre rule gives a cell on a shared
    border to one side only); with ``all_touched``, or for points and lines, any two zones closer
    than a cell's diagonal may share a cell and conflict. Greedy colouring, zones in order.

    Parameters
    ----------
    geoms
        Zone geometries in the raster's CRS (missing or empty ones get layer 0).
    cell_diagonal
        Length of a cell's diagonal, in the raster CRS's units.
    all_touched
        Whether every cell a zone touches counts (else the cell-centre rule).

    Returns
    -------
    numpy.ndarray
        One int per zone, from 0.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> zone_layers(np.array([box(0, 0, 2, 2), box(2, 0, 4, 2), box(1, 1, 3, 3)]),
    ...             cell_diagonal=1.4).tolist()
    [0, 0, 1]
    """
    tree = shapely.STRtree(geoms)
    polygonal = np.isin(shapely.get_type_id(geoms), _POLYGONAL)
    if all_touched or not polygonal.all():
        left, right = tree.query(geoms, predicate="dwithin", distance=cell_diagonal)
    else:  # polygons under the cell-centre rule: only those that meet can conflict
        left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if not all_touched:
        both = polygonal[left] & polygonal[right]
        meet = _interiors_meet(geoms, left[both], right[both])
        conflict = ~both
        conflict[np.flatnonzero(both)[meet]] = True
        left, right = left[conflict], right[conflict]
    neighbours: list[list[int]] = [[] for _ in range(len(geoms))]
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        neighbours[j].append(i)
    layers = np.zeros(len(geoms), dtype=np.int64)
    for j, before in enumerate(neighbours):
        taken = {int(layers[i]) for i in before}
        layers[j] = next(k for k in range(len(taken) + 1) if k not in taken)
    return layers


def _interiors_meet(geoms: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Whether the interiors of polygons ``geoms[left]`` and ``geoms[right]`` meet, pairwise.

    A polygon's representative point inside the other settles most pairs (a plan feature inside
    its county) cheaply; only the rest need the full DE-9IM test (``touches``).
    """
    a, b = geoms[left], geoms[right]
    shapely.prepare(geoms)
    inner = shapely.point_on_surface(geoms)
    quick = shapely.contains(b, inner[left]) | shapely.contains(a, inner[right])
    unsure = ~quick & shapely.intersects(a, b)
    meet = quick.copy()
    meet[unsure] = ~shapely.touches(a[unsure], b[unsure])
    return meet


def pixel_bounds(geoms: np.ndarray, transform: Affine) -> np.ndarray:
    """Each zone's bounding box in cells (col0, row0, col1, row1), one cell wider all round.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> pixel_bounds(np.array([box(1, 1, 2, 2), Point(0.5, 2.5)]),
    ...              Affine(1, 0, 0, 0, -1, 3)).tolist()
    [[0, 0, 3, 3], [-1, -1, 2, 2]]
    """
    west, south, east, north = shapely.bounds(geoms).T  # north-up raster: no rotation terms
    col0, col1 = (west - transform.c) / transform.a, (east - transform.c) / transform.a
    row0, row1 = (north - transform.f) / transform.e, (south - transform.f) / transform.e
    box = np.column_stack(
        [np.floor(col0) - 1, np.floor(row0) - 1, np.ceil(col1) + 1, np.ceil(row1) + 1]
    )
    return np.nan_to_num(box, nan=0).astype(np.int64)


def zone_blocks(
    boxes: np.ndarray, hits: np.ndarray, layers: np.ndarray, window: Window
) -> Iterator[tuple[np.ndarray, Window]]:
    """Zones to burn together in `window`, and the part of the window they cover.

    The zones of one layer are burnt together over their joint box; when that box is mostly
    empty (a few small plan features far apart), each zone is burnt over its own box instead,
    so the work follows the zones' area, not the window's.

    Parameters
    ----------
    boxes
        :func:`pixel_bounds` of every zone.
    hits
        Indices of the zones meeting the window.
    layers
        :func:`zone_layers` of every zone.
    window
        The window read.

    Yields
    ------
    tuple of (numpy.ndarray, rasterio.windows.Window)
        Zone indices and the sub-window (in raster cells) to burn them on.
    """
    col_off, row_off = int(window.col_off), int(window.row_off)
    col_end, row_end = col_off + int(window.width), row_off + int(window.height)
    for layer in np.unique(layers[hits]):
        mine = hits[layers[hits] == layer]
        c0, r0 = np.maximum(boxes[mine, 0], col_off), np.maximum(boxes[mine, 1], row_off)
        c1, r1 = np.minimum(boxes[mine, 2], col_end), np.minimum(boxes[mine, 3], row_end)
        cells = (c1 - c0) * (r1 - r0)
        joint = (c1.max() - c0.min()) * (r1.max() - r0.min())
        if len(mine) == 1 or 2 * cells.sum() >= joint:
            yield mine, Window(c0.min(), r0.min(), c1.max() - c0.min(), r1.max() - r0.min())
            continue
        for i in range(len(mine)):
            yield mine[i : i + 1], Window(c0[i], r0[i], c1[i] - c0[i], r1[i] - r0[i])


def window_labels(
    geoms: np.ndarray,
    labels: np.ndarray,
    *,
    window: Window,
    transform: Affine,
    all_touched: bool = False,
) -> np.ndarray:
    """Label of the zone covering each cell of `window` (0: none), for zones of one layer.

    Each geometry is first clipped to the window (plus one cell), so that the burning costs the
    window's share of a zone's vertices, not all of them in every window.

    Parameters
    ----------
    geoms
        Geometries (raster CRS) of zones of one layer that meet the window.
    labels
        Their labels, ints >= 1.
    window
        The raster window.
    transform
        The raster's transform (not the window's).
    all_touched
        Burn every cell a zone touches (else cells whose centre is inside).

    Returns
    -------
    numpy.ndarray
        Array of the window's shape: uint16 when every label fits (less memory to fill and
        scan), else int32.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> window_labels(np.array([box(0, 0, 2, 2)]), np.array([7]), window=Window(0, 0, 3, 3),
    ...               transform=Affine(1, 0, 0, 0, -1, 3)).tolist()
    [[0, 0, 0], [7, 7, 0], [7, 7, 0]]
    """
    win_transform = rasterio.windows.transform(window, transform)
    shape = (int(window.height), int(window.width))
    left, bottom, right, top = rasterio.windows.bounds(window, transform)
    cell_x, cell_y = abs(transform.a), abs(transform.e)
    clipped = shapely.clip_by_rect(
        geoms, left - cell_x, bottom - cell_y, right + cell_x, top + cell_y
    )
    keep = ~shapely.is_empty(clipped)
    dtype = "uint16" if labels.size == 0 or labels.max() < 2**16 else "int32"
    if not keep.any():
        return np.zeros(shape, dtype=dtype)
    return rasterio.features.rasterize(
        zip(clipped[keep], labels[keep].tolist(), strict=True),
        out_shape=shape,
        transform=win_transform,
        fill=0,
        all_touched=all_touched,
        dtype=dtype,
    )
