"""Seams: making the pieces of an overlap meet vertex for vertex along the lattice's cell lines.

A feature's overlap is measured cell by cell (:mod:`longtu.analysis.constraints.tiles`), in
pieces that meet along cell lines. Merging them back into one polygon by a coverage union
(shared edges cancel, nothing is noded: a fraction of a union's cost) needs the edges they share
to match vertex for vertex, which they do not quite: where a cell meets two finer cells, the
coarser one has no vertex at the finer ones' corner; where a feature's edge crosses a cell line,
each side computed the crossing point on its own (they differ in the last bits); and a cell
merged by a coverage union has its vertices rounded to a fine grid
(:data:`~longtu.analysis.constraints.merging.SNAP`).

:func:`match_seams` mends that: a vertex within :data:`SEAM_TOLERANCE` of a line of the
lattice is put on it exactly; vertices of one feature's pieces on one line that lie within the
tolerance of each other become one; and every edge that runs along a line gets the vertices
of the feature's other pieces on that line that fall within it. The pieces' shapes do not
change (by at most the tolerance: 0.2 mm at a 1° tile), and their shared edges then match.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from longtu.analysis.constraints.merging import distinct, size_chunks
from longtu.analysis.constraints.tiles import MAX_LEVEL

__all__ = ["SEAM_CHUNK_VERTICES", "SEAM_TOLERANCE", "match_seams"]

SEAM_TOLERANCE = 2e-9
"""A vertex this close to a line of the lattice, as a fraction of a tile's side, is on it (the
rounding of a coverage union's vertices moves them by at most half of 1e-9)."""
SEAM_CHUNK_VERTICES = 1_000_000
"""The pieces of features with this many vertices in all are matched at a time (a million boxes
against the plan's features, whose pieces hold 2.5 million vertices, peaked at 1.49 GB with all
of them matched at once after being copied, 1.42 GB a few features at a time, uncopied)."""


def match_seams(polygons: np.ndarray, owner: np.ndarray, tile: float) -> np.ndarray:
    """`polygons` whose edges along the lattice's lines match those of the same owner's others.

    Parameters
    ----------
    polygons
        Shapely polygons (not multi-part), the pieces of the overlaps of some features.
    owner
        The feature (int) each belongs to: pieces of different features are not matched.
    tile
        Side of a tile of the lattice (:func:`~longtu.analysis.constraints.tiles.tile_size`).

    Returns
    -------
    numpy.ndarray
        The polygons, in the same order.

    Examples
    --------
    A cell (left) meets two cells half its size (right): the coarser one gets the vertex where
    the finer ones meet, and the three then merge by a coverage union.

    >>> left = shapely.box(0, 0, 0.5, 0.5)
    >>> right = shapely.box(np.array([0.5, 0.5]), np.array([0, 0.25]), 0.75, np.array([0.25, 0.5]))
    >>> mended = match_seams(np.r_[[left], right], np.zeros(3, int), 1.0)
    >>> shapely.get_num_coordinates(mended).tolist()
    [6, 5, 5]
    >>> float(shapely.area(shapely.coverage_union_all(mended)))
    0.375
    """
    polygons = np.asarray(polygons, dtype=object).copy()
    step, tolerance = tile / 2.0**MAX_LEVEL, SEAM_TOLERANCE * tile
    # A piece lies in its cell: its vertices on the cell's sides are on its bounding box's.
    near = _on_lattice(shapely.bounds(polygons), step, tolerance)[1].any(axis=1)
    owner = np.asarray(owner)
    seam = np.flatnonzero(near)
    if len(seam) == 0:
        return polygons
    seam = seam[np.argsort(owner[seam], kind="stable")]
    # A few features at a time (their vertices' arrays are several times the pieces' size).
    first = np.flatnonzero(np.r_[True, owner[seam][1:] != owner[seam][:-1]])
    vertices = np.add.reduceat(shapely.get_num_coordinates(polygons[seam]), first)
    ends = np.r_[first, len(seam)]
    for chunk in size_chunks(vertices, SEAM_CHUNK_VERTICES):
        some = seam[ends[chunk.start] : ends[chunk.stop]]
        polygons[some] = _matched(polygons[some], owner[some], step, tolerance)
    return polygons


def _matched(polygons: np.ndarray, owner: np.ndarray, step: float, tolerance: float):
    """:func:`match_seams` of polygons that may touch a line of the lattice of spacing `step`."""
    _, xy, (ring_ends, polygon_ends) = shapely.to_ragged_array(polygons)
    ring_of = np.repeat(np.arange(len(ring_ends) - 1), np.diff(ring_ends))
    polygon_of_ring = np.repeat(np.arange(len(polygon_ends) - 1), np.diff(polygon_ends))
    vertex_owner = owner[polygon_of_ring[ring_of]]
    line, on = _snap_to_lattice(xy, step, tolerance)
    # Lines of each direction (x constant: across = 0; y constant: across = 1).
    inserts = [
        _edge_inserts(xy, _seam_points(xy, vertex_owner, line, on, across, tolerance), ring_ends)
        for across in (0, 1)
    ]
    return _rebuilt(xy, inserts, ring_ends, polygon_ends)


def _snap_to_lattice(xy: np.ndarray, step: float, tolerance: float) -> tuple[np.ndarray, ...]:
    """Each coordinate within `tolerance` of a line of the lattice put on it (in place).

    Returns the index of the nearest line of each coordinate and whether it is on it.
    """
    line, on = _on_lattice(xy, step, tolerance)
    np.copyto(xy, line * step, where=on)
    return line.astype(np.int64), on


def _on_lattice(values: np.ndarray, step: float, tolerance: float) -> tuple[np.ndarray, ...]:
    """The nearest lattice line to each of `values` and whether it is within `tolerance`.

    Lines are multiples of `step`; their indices are returned as floats.
    """
    line = np.rint(values / step)
    return line, np.abs(values - line * step) <= tolerance


@dataclass
class _SeamPoints:
    """The distinct points of each owner on the lattice's lines of one direction.

    Attributes
    ----------
    across : int
        The coordinate that is constant along these lines (0: x, lines running north-south).
    point : numpy.ndarray
        The point each vertex is (-1 for vertices on no line of this direction). Points are
        numbered in the order of (owner, line, position along it).
    line : numpy.ndarray
        The (owner, line) group of each point.
    along : numpy.ndarray
        Each point's position along its line.
    """

    across: int
    point: np.ndarray
    line: np.ndarray
    along: np.ndarray


def _seam_points(xy, owner, line, on, across: int, tolerance: float) -> _SeamPoints:
    """The vertices on lines of direction `across` as points, close ones made one (in place).

    A vertex of an owner on a line within `tolerance` of the one before it along the line
    takes its position: a crossing point computed on each side of a cell line differs in its
    last bits; made one, the two sides' edges end at the same vertex.
    """
    along = 1 - across
    at = np.flatnonzero(on[:, across])
    position = xy[at, along]
    rank = np.empty(len(at), dtype=np.int64)
    rank[np.argsort(position)] = np.arange(len(at))
    line_key = (owner[at].astype(np.int64) << 32) + (line[at, across] + 2**31)
    group = np.searchsorted(distinct(line_key), line_key)
    order = np.argsort(group * len(at) + rank)
    at, position, group = at[order], position[order], group[order]
    new = np.ones(len(at), dtype=bool)
    new[1:] = (group[1:] != group[:-1]) | (np.diff(position) > tolerance)
    position = position[np.maximum.accumulate(np.where(new, np.arange(len(at)), 0))]
    xy[at, along] = position
    point = np.full(len(xy), -1, dtype=np.int64)
    point[at] = np.cumsum(new) - 1
    return _SeamPoints(across, point, group[new], position[new])


def _edge_inserts(xy, points: _SeamPoints, ring_ends) -> tuple[np.ndarray, np.ndarray]:
    """Vertices to insert in the edges that run along a line: ``(after, xy)``, in ring order.

    An edge from vertex k to k + 1, both on the same line, gets the points of its owner on
    that line strictly between its ends (the points numbered between theirs), ordered from
    k to k + 1.
    """
    point = points.point
    start = np.flatnonzero((point[:-1] >= 0) & (point[1:] >= 0))
    start = start[~np.isin(start + 1, ring_ends)]  # no edge from a ring's last vertex
    start = start[points.line[point[start]] == points.line[point[start + 1]]]
    begin, end = point[start], point[start + 1]
    count = np.maximum(np.abs(end - begin) - 1, 0)
    after = np.repeat(start, count)
    offset = np.arange(len(after)) - np.repeat(np.cumsum(count) - count, count) + 1
    new = np.empty((len(after), 2))
    new[:, points.across] = xy[after, points.across]
    chosen = np.repeat(begin, count) + np.repeat(np.sign(end - begin), count) * offset
    new[:, 1 - points.across] = points.along[chosen]
    return after, new


def _rebuilt(xy, inserts, ring_ends, polygon_ends) -> np.ndarray:
    """The polygons with the inserted vertices, each after its edge's first vertex."""
    after = np.concatenate([a for a, _ in inserts])
    new = np.concatenate([p for _, p in inserts])
    # Both lists are in ring order; an edge lies on one line only, so no edge is in both.
    order = np.argsort(after, kind="stable")
    after, new = after[order], new[order]
    count = np.bincount(after, minlength=len(xy))
    shift = np.r_[0, np.cumsum(count)]
    out = np.empty((len(xy) + len(after), 2))
    out[np.arange(len(xy)) + shift[:-1]] = xy
    # Inserted vertex t, after vertex v: at v + shift[v] + 1 + (t - shift[v]).
    out[after + 1 + np.arange(len(after))] = new
    rings = ring_ends + shift[ring_ends]
    return shapely.from_ragged_array(shapely.GeometryType.POLYGON, out, (rings, polygon_ends))
