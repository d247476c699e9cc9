"""Cutting a constraint layer into cells, so that every overlay stays small and local.

A layer of millions of polygons, or one polygon of millions of vertices, is never overlaid
whole. It is cut along a fixed lattice anchored at the CRS origin: tiles of
:data:`TILE_DEGREES` (lon/lat) or :data:`TILE_METRES` (projected), each split in four, again and
again, while a cell holds more than :data:`MAX_CELL_VERTICES` vertices (an adaptive quadtree),
but not into cells too small for the geometries in them (:data:`MIN_CELL_EXTENTS`): cutting a
dense layer of small polygons finer only cuts each polygon into more pieces, whereas a polygon
larger than its cell loses vertices with every split.
A geometry that crosses a cell line is clipped to each cell it crosses (``clip_by_rect``, fast
but not guaranteed valid: the rare invalid piece is repaired where pieces are merged,
:func:`~longtu.analysis.constraints.partitions.measure_partition`); one inside a cell is kept
as it is. The pieces of a geometry cover exactly the geometry, and pieces
of different cells never overlap, so overlap areas measured cell by cell simply add up, and work
grows linearly with the layer.

The lattice does not depend on the data: the same polygon is cut the same way whether the layer
is checked in memory or tile by tile in partitions
(:mod:`longtu.analysis.constraints.partitions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import shapely
from pyproj import CRS

from longtu.analysis.constraints.threads import each_in_halves, in_parallel, thread_pool

TILE_DEGREES = 1.0
"""Side of a tile of the lattice, lon/lat layers (degrees)."""
TILE_METRES = 100_000.0
"""Side of a tile of the lattice, projected layers (CRS units, metres)."""
MAX_CELL_VERTICES = 4_096
"""A cell holding more vertices than this is split in four."""
MAX_LEVEL = 12
"""Most splits of a tile (a cell of a 1° tile is then about 27 m across)."""
MIN_CELL_EXTENTS = 8.0
"""A heavy cell is not split into cells narrower than this many times the extent of the
geometries its pieces come from (vertex-weighted mean of their bounding boxes' longer side),
unless those are at least as wide as the new cells: a box then lies in one cell or, across a
cell line, in a few pieces, whatever the layer's density (10,000,000 boxes of 0.005-0.05° over
Gansu were cut into 2.0 pieces each at the plain vertex cap, 1.12-1.19 with this rule; 1,000,000
into 1.11)."""
DENSE_CELL_FACTOR = 16
"""A cell holding more than this many times `max_vertices` is split whatever its geometries'
extent (bounds a cell of very many small geometries)."""

__all__ = [
    "MAX_CELL_VERTICES",
    "MIN_CELL_EXTENTS",
    "Cells",
    "cut_to_cells",
    "tile_size",
    "tiles_crossed",
]


@dataclass
class Cells:
    """Pieces of a layer's geometries, each in one cell of the lattice.

    Attributes
    ----------
    pieces : numpy.ndarray
        Shapely geometries, sorted by cell.
    source : numpy.ndarray
        Position (int64) of the geometry each piece was cut from.
    cell : numpy.ndarray
        Cell label of each piece, 0..k-1 (non-decreasing).
    """

    pieces: np.ndarray
    source: np.ndarray
    cell: np.ndarray

    def starts(self) -> np.ndarray:
        """Position of the first piece of each cell, and the number of pieces at the end."""
        return np.searchsorted(self.cell, np.arange(self.cell[-1] + 2 if len(self.cell) else 1))


def tile_size(crs) -> float:
    """Side of a lattice tile in the units of `crs`.

    Examples
    --------
    >>> tile_size("EPSG:4326"), tile_size("EPSG:6933")
    (1.0, 100000.0)
    """
    return TILE_DEGREES if CRS.from_user_input(crs).is_geographic else TILE_METRES


def tiles_crossed(bounds: np.ndarray, size: float) -> tuple[np.ndarray, ...]:
    """First and last column and row (``i0, i1, j0, j1``) of the cells of side `size` crossed.

    A geometry that only touches a cell line from one side is not in the next cell.

    Examples
    --------
    >>> [v.tolist() for v in tiles_crossed(np.array([[0.5, 0.5, 1.0, 2.5]]), 1.0)]
    [[0], [0], [0], [2]]
    """
    west, south, east, north = (bounds[:, k] / size for k in range(4))
    i0, j0 = np.floor(west), np.floor(south)
    i1 = np.maximum(np.ceil(east) - 1, i0)
    j1 = np.maximum(np.ceil(north) - 1, j0)
    return tuple(v.astype(np.int64) for v in (i0, i1, j0, j1))


def cut_to_cells(
    geometries: np.ndarray,
    crs,
    *,
    source: np.ndarray | None = None,
    max_vertices: int = MAX_CELL_VERTICES,
) -> Cells:
    """Cut `geometries` along the lattice into cells of at most `max_vertices` vertices.

    Parameters
    ----------
    geometries
        Valid shapely geometries, none missing or empty, in `crs`.
    crs
        Their CRS; sets the tile size (:func:`tile_size`).
    source
        Identifier (int64) of each geometry, carried to its pieces; default its position.
    max_vertices
        A cell with more vertices is split in four, down to :data:`MAX_LEVEL` splits.

    Returns
    -------
    Cells
        The pieces, sorted by cell.

    Examples
    --------
    >>> cells = cut_to_cells(np.array([shapely.box(0.5, 0.5, 2.5, 1.5)]), "EPSG:4326")
    >>> len(cells.pieces), cells.cell.tolist(), float(shapely.area(cells.pieces).sum())
    (6, [0, 1, 2, 3, 4, 5], 2.0)
    """
    ids = np.arange(len(geometries)) if source is None else np.asarray(source, dtype=np.int64)
    bounds = shapely.bounds(geometries)
    extent = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
    vertices = shapely.get_num_coordinates(geometries)
    start = _start_level(bounds, vertices, extent, crs, max_vertices)
    size = tile_size(crs) / 2**start
    i0, i1, j0, j1 = tiles_crossed(bounds, size)
    position = np.arange(len(geometries))  # pieces carry their geometry's position until the end
    parts, owner, i0, i1, j0, j1 = _halve_large(geometries, position, i0, i1, j0, j1, size)
    pieces, owner, i, j = _spread(parts, owner, i0, i1, j0, j1, size)
    pieces, owner, i, j, level = _split_heavy(
        (pieces, owner, i, j), start, extent, crs, max_vertices
    )
    key = _cell_keys(level, i, j)
    order = np.argsort(key, kind="stable")
    cell = np.unique(key[order], return_inverse=True)[1].astype(np.int64)
    return Cells(pieces=pieces[order], source=ids[owner[order]], cell=cell)


def _split_heavy(
    items: tuple[np.ndarray, ...], start: int, extent: np.ndarray, crs, max_vertices: int
) -> tuple[np.ndarray, ...]:
    """Pieces ``(pieces, owner, i, j)`` at level `start`, heavy cells split in four, recursively.

    A cell is heavy when it holds more than `max_vertices` vertices and its geometries (of
    `extent`, by owner) are worth splitting it for (:func:`_worth_splitting`), or more than
    :data:`DENSE_CELL_FACTOR` times as many. Returns the pieces, owners, columns, rows and levels.
    """
    pieces, owner, i, j = items
    level = np.full(len(pieces), start, dtype=np.int64)
    for depth in range(start + 1, MAX_LEVEL + 1):
        label = np.unique(_cell_keys(level, i, j), return_inverse=True)[1].ravel()
        vertices = shapely.get_num_coordinates(pieces)
        load = np.bincount(label, weights=vertices * ~_fills_cell(pieces, vertices, level, crs))
        total = np.bincount(label, weights=vertices)
        typical = np.bincount(label, weights=vertices * extent[owner]) / total
        cell_level = np.zeros(len(load), dtype=np.int64)
        cell_level[label] = level
        heavy = (load > max_vertices) & _worth_splitting(
            tile_size(crs) / 2.0 ** (cell_level + 1), typical
        )
        heavy |= load > DENSE_CELL_FACTOR * max_vertices
        # A cell kept at its level is kept again (same pieces): heavy cells are at depth - 1.
        heavy = heavy[label] & (level == depth - 1)
        child = tile_size(crs) / 2.0**depth
        if not heavy.any():
            break
        h = np.flatnonzero(heavy)
        ci0, ci1, cj0, cj1 = tiles_crossed(shapely.bounds(pieces[h]), child)
        # Children of the heavy cell only: a piece touching the cell's edge stays inside it.
        ci0, cj0 = np.maximum(ci0, 2 * i[h]), np.maximum(cj0, 2 * j[h])
        ci1, cj1 = np.minimum(ci1, 2 * i[h] + 1), np.minimum(cj1, 2 * j[h] + 1)
        split = _spread(pieces[h], owner[h], ci0, ci1, cj0, cj1, child)
        keep = ~heavy
        pieces = np.concatenate([pieces[keep], split[0]])
        owner = np.concatenate([owner[keep], split[1]])
        i, j = np.concatenate([i[keep], split[2]]), np.concatenate([j[keep], split[3]])
        level = np.concatenate([level[keep], np.full(len(split[0]), depth)])
    return pieces, owner, i, j, level


def _fills_cell(pieces: np.ndarray, vertices: np.ndarray, level: np.ndarray, crs) -> np.ndarray:
    """Whether each piece is its whole cell (a rectangle of the cell's area).

    Such pieces weigh the same in every child cell: splitting a cell for them would never end
    (two polygons overlapping a whole tile would be cut down to :data:`MAX_LEVEL`).
    """
    full = np.zeros(len(pieces), dtype=bool)
    rectangle = np.flatnonzero(vertices == 5)
    side = tile_size(crs) / 2.0 ** level[rectangle]
    area = shapely.area(pieces[rectangle])
    full[rectangle] = np.abs(area - side**2) <= 1e-9 * side**2
    return full


def _worth_splitting(child: float | np.ndarray, typical: float | np.ndarray) -> np.ndarray:
    """Whether cells of geometries `typical` wide may be split into cells `child` wide.

    Yes when the geometries stay small in the child cells (at most 1/:data:`MIN_CELL_EXTENTS`
    of their side: few are cut) or are at least as wide as them (each split clips them, and
    their pieces lose vertices); no in between, where a split cuts most geometries for nothing.

    Examples
    --------
    >>> _worth_splitting(0.125, np.array([0.01, 0.03, 0.2])).tolist()
    [True, False, True]
    """
    return np.asarray((child >= MIN_CELL_EXTENTS * typical) | (typical >= child))


def _start_level(
    bounds: np.ndarray, vertices: np.ndarray, extent: np.ndarray, crs, max_vertices: int
) -> int:
    """The level at which the average occupied cell holds about `max_vertices` vertices.

    The nearest level, not the coarser one: a million parcels (ten times `max_vertices` per
    tile, 1.66 levels) start two levels down and are clipped once, not twice. Starting there
    saves clipping the same pieces at every coarser level; heavier cells are
    still split further. The tiles are counted by the south-west corner of each geometry. The
    level is no deeper than the geometries' extent (vertex-weighted mean) makes worth splitting
    for (:func:`_worth_splitting`).
    """
    if len(bounds) == 0:
        return 0
    size = tile_size(crs)
    corner = np.floor(bounds[:, :2] / size).astype(np.int64)
    tiles = len(np.unique(((corner[:, 0] + 2**30) << 32) | (corner[:, 1] + 2**30)))
    load = float(vertices.sum()) / tiles / max_vertices
    level = int(min(MAX_LEVEL, max(0.0, np.floor(np.log(max(load, 1.0)) / np.log(4) + 0.5))))
    typical = float((vertices * extent).sum() / max(float(vertices.sum()), 1.0))
    while level > 0 and not _worth_splitting(size / 2.0**level, typical):
        level -= 1
    return level


def _cell_keys(level: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """One sortable int64 per cell: its tile (column, row), then its level, column and row.

    Bits: tile column and row 16 each (offset by 2**15), level 5, column and row within the
    tile 13 each (levels up to :data:`MAX_LEVEL` = 12).
    """
    tile_i, tile_j = i >> level, j >> level
    local_i, local_j = i - (tile_i << level), j - (tile_j << level)
    return (
        ((tile_i + 2**15) << 47)
        | ((tile_j + 2**15) << 31)
        | (level << 26)
        | (local_i << 13)
        | local_j
    )


LARGE_VERTICES = 1_024
"""A geometry with more vertices than this that spans more than four cells is cut in halves
(quadrants of its span of cells) until it spans at most four, before it is spread over its
cells: a polygon of two million vertices is then clipped about log₂ times, never once per cell."""


def _halve_large(geometries, ids, i0, i1, j0, j1, size) -> tuple[np.ndarray, ...]:
    """Large geometries spanning many cells, cut into quadrants of their span, recursively."""
    done: list[tuple[np.ndarray, ...]] = []
    items: tuple[np.ndarray, ...] = (geometries, ids, i0, i1, j0, j1)
    while len(items[0]):
        spans = (items[3] - items[2] + 1) * (items[5] - items[4] + 1)
        big = (shapely.get_num_coordinates(items[0]) > LARGE_VERTICES) & (spans > 4)
        done.append(tuple(v[~big] for v in items))
        items = _quarters(tuple(v[big] for v in items), size)
    return tuple(np.concatenate([d[n] for d in done]) for n in range(6))


def _quarters(items: tuple[np.ndarray, ...], size: float) -> tuple[np.ndarray, ...]:
    """Geometries ``(geometries, sources, i0, i1, j0, j1)`` cut to the quadrants of their span.

    The clips run on two threads (:func:`~longtu.analysis.constraints.threads.each_in_halves`):
    the first cuts of a polygon of two million vertices are four clips of the whole of it.
    """
    geometries, sources, i0, i1, j0, j1 = items
    mid_i, mid_j = (i0 + i1 + 1) // 2, (j0 + j1 + 1) // 2
    # Per geometry its four quadrants in turn: west-south, west-north, east-south, east-north.
    c0 = np.stack([i0, i0, mid_i, mid_i], axis=1).ravel()
    c1 = np.stack([mid_i - 1, mid_i - 1, i1, i1], axis=1).ravel()
    r0 = np.stack([j0, mid_j, j0, mid_j], axis=1).ravel()
    r1 = np.stack([mid_j - 1, j1, mid_j - 1, j1], axis=1).ravel()
    owner = np.repeat(np.arange(len(geometries)), 4)
    kept = (c0 <= c1) & (r0 <= r1)
    owner, c0, c1, r0, r1 = (v[kept] for v in (owner, c0, c1, r0, r1))

    def clip(k: int) -> object:
        west, south = c0[k] * size, r0[k] * size
        east, north = (c1[k] + 1) * size, (r1[k] + 1) * size
        return shapely.clip_by_rect(geometries[owner[k]], west, south, east, north)

    parts = each_in_halves(clip, np.arange(len(owner)), thread_pool())
    kept = ~shapely.is_empty(parts)
    return parts[kept], sources[owner[kept]], c0[kept], c1[kept], r0[kept], r1[kept]


def _spread(geometries, ids, i0, i1, j0, j1, size) -> tuple[np.ndarray, ...]:
    """Each geometry once per cell of ``[i0..i1] x [j0..j1]``, clipped to the cell if it crosses."""
    width, height = i1 - i0 + 1, j1 - j0 + 1
    count = width * height
    owner = np.repeat(np.arange(len(geometries)), count)
    offset = np.arange(len(owner)) - np.repeat(np.cumsum(count) - count, count)
    i = i0[owner] + offset % width[owner]
    j = j0[owner] + offset // width[owner]
    pieces = geometries[owner]
    crossing = count[owner] > 1
    if crossing.any():
        pieces = pieces.copy()
        pieces[crossing] = _clipped(pieces[crossing], i[crossing], j[crossing], size)
        kept = ~shapely.is_empty(pieces)
        pieces, owner, i, j = pieces[kept], owner[kept], i[kept], j[kept]
    return pieces, ids[owner], i, j


def _clipped(pieces: np.ndarray, i: np.ndarray, j: np.ndarray, size: float) -> np.ndarray:
    """Each piece clipped to its cell (column `i`, row `j`), one rectangle clip per cell.

    The pieces, sorted by cell, are clipped in two halves on two threads
    (:func:`~longtu.analysis.constraints.threads.in_parallel`: GEOS clips without Python's
    lock; the 1.1 million pieces of a million parcels took 0.5 s on one thread).
    """
    order = np.lexsort((j, i))
    out = np.empty(len(pieces), dtype=object)
    out[order] = in_parallel(partial(_clip_runs, size=size), pieces[order], i[order], j[order])
    return out


def _clip_runs(pieces: np.ndarray, i: np.ndarray, j: np.ndarray, size: float) -> np.ndarray:
    """Pieces sorted by cell (column `i`, row `j`), each run of one cell clipped to it."""
    starts = np.flatnonzero(np.r_[True, (i[1:] != i[:-1]) | (j[1:] != j[:-1])])
    out = np.empty(len(pieces), dtype=object)
    for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(pieces)], strict=True):
        west, south = i[start] * size, j[start] * size
        out[start:end] = shapely.clip_by_rect(
            pieces[start:end], west, south, west + size, south + size
        )
    return out
