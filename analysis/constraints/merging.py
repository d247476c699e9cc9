"""Merging the pieces of the cells of a partition that the features reach.

A cell of the lattice (:mod:`longtu.analysis.constraints.tiles`) that a feature reaches is
merged into one geometry: by a coverage union where its polygons form a valid coverage (parcels
that tile the land: :func:`coverage_union`, a fraction of a union's cost), else by a union
(:func:`merge_groups`). A cell of one piece, or that no feature reaches, is not merged
(:func:`group_cells`). The pieces of one feature's overlap, which never overlap each other, are
merged by :func:`union_touching`. Used by :mod:`longtu.analysis.constraints.partitions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import shapely

from longtu.analysis.constraints.threads import each_in_halves, in_parallel
from longtu.analysis.constraints.tiles import Cells

__all__ = [
    "Groups",
    "coverage_union",
    "distinct",
    "group_cells",
    "members_by_key",
    "merge_groups",
    "size_chunks",
    "touching_pairs",
    "union_groups",
    "union_pieces",
    "union_pile",
    "union_touching",
]


@dataclass
class Groups:
    """A partition's pieces grouped for merging (:func:`group_cells`).

    Attributes
    ----------
    cells : Cells
        The pieces, their ``cell`` now the group of each (0..k-1, non-decreasing).
    reached : numpy.ndarray
        Whether a feature reaches each group's cell (bool per group): the others are never
        overlaid, and serve only the nearest distance.
    unions : numpy.ndarray
        The union of each group merged already (a coverage's), None for the others.
    """

    cells: Cells
    reached: np.ndarray
    unions: np.ndarray


def group_cells(cells: Cells, features: np.ndarray, pool=None) -> Groups:
    """The pieces grouped for merging, and the groups merged already (coverage unions).

    Only cells that a feature reaches are merged (the others serve the nearest distance, for
    which the pieces themselves do). A reached cell of more than one piece is one group. One
    whose polygons form a valid coverage (no two overlap, as the parcels of a land survey) is
    merged here by a coverage union (shared edges cancel, nothing is noded: a fraction of a
    union's cost); the returned array holds it, and None for the groups :func:`merge_groups`
    is to merge (overlapping pieces, lines or points, a coverage whose shared edges do not
    match vertex for vertex). Every piece of an unreached cell is a group of its own.
    """
    starts = cells.starts()
    box = _cell_boxes(cells.pieces, starts)
    reached = np.zeros(len(box), dtype=bool)
    reached[shapely.STRtree(shapely.box(*box.T)).query(features, predicate="intersects")[1]] = True
    whole = reached & (np.diff(starts) > 1)
    coverage_unions = _coverage_unions(cells.pieces, starts, box, whole, pool)
    alone = ~whole[cells.cell]
    first = np.r_[True, cells.cell[1:] != cells.cell[:-1]] | alone
    grouped = Cells(cells.pieces, cells.source, np.cumsum(first) - 1)
    return Groups(grouped, reached[cells.cell[first]], coverage_unions[cells.cell[first]])


def _cell_boxes(pieces: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Bounds (west, south, east, north) of the pieces of each cell."""
    bounds = shapely.bounds(pieces)
    low = np.minimum.reduceat(bounds[:, :2], starts[:-1], axis=0)
    high = np.maximum.reduceat(bounds[:, 2:], starts[:-1], axis=0)
    return np.column_stack([low, high])


def _coverage_unions(pieces: np.ndarray, starts: np.ndarray, box, whole, pool) -> np.ndarray:
    """Coverage union of each `whole` cell whose polygons form a valid coverage; None elsewhere.

    A cell whose pieces' areas add up to clearly more than their bounding box `box` overlaps,
    as does one holding lines or points; the others are merged by a coverage union
    (:func:`coverage_union`) on vertices rounded to a grid of :data:`SNAP` times the largest
    cell, kept when it shows them a valid coverage.
    """
    count = np.diff(starts)
    cell = np.repeat(np.arange(len(count)), count)
    width, height = box[:, 2] - box[:, 0], box[:, 3] - box[:, 1]
    area = np.bincount(cell, weights=shapely.area(pieces), minlength=len(count))
    flat = np.bincount(cell, weights=shapely.get_dimensions(pieces) < 2, minlength=len(count))
    # Rounding lets a cell's exact cover add up to a hair over its box: only a clear excess counts.
    overlaps = (area > (1 + 1e-9) * width * height) | (flat > 0)
    check = np.flatnonzero(whole & ~overlaps)
    grid = SNAP * np.maximum(width, height).max(initial=0.0)

    out = np.full(len(count), None, dtype=object)
    out[check] = each_in_halves(
        lambda c: _coverage_union(pieces[starts[c] : starts[c + 1]], grid), check, pool
    )
    return out


def _coverage_union(polygons: np.ndarray, grid: float) -> object:
    """Union of `polygons` if they form a valid coverage (no overlaps; shared edges matching).

    Vertices are rounded to `grid` first: two neighbours clipped along the same cell line get
    the same cut point up to the last bits of a float, which would otherwise count as edges
    that do not match. None when they are no valid coverage.
    """
    return coverage_union(shapely.set_precision(polygons, grid, "pointwise"))


def coverage_union(polygons: np.ndarray) -> object:
    """The coverage union of `polygons` if it shows them a valid coverage, else None.

    ``shapely.coverage_union_all`` cancels the edges two polygons share and nodes nothing
    (a fraction of a union's cost), and assumes the polygons overlap nowhere. Its result is
    kept when it is valid and its area is the sum of theirs: polygons that overlap add up to
    more than any polygon drawn from their edges, and edges that do not match vertex for vertex
    are left crossing or doubled inside it (invalid). Tested against
    ``shapely.coverage_is_valid`` (which took five times the union's time) on land-survey-like
    parcels, whole and with one parcel grown, moved, turned or doubled: the same answer for
    every cell.

    Examples
    --------
    >>> halves = shapely.box(np.array([0, 1]), 0, np.array([1, 2]), 1)
    >>> float(shapely.area(coverage_union(halves)))
    2.0
    >>> coverage_union(shapely.box(np.array([0, 0.5]), 0, np.array([1, 2]), 1)) is None
    True
    """
    try:
        union = shapely.coverage_union_all(polygons)
    except shapely.errors.GEOSException:
        return None
    if not shapely.is_valid(union):
        return None
    area, parts = float(shapely.area(union)), float(shapely.area(polygons).sum())
    return union if abs(area - parts) <= 1e-9 * parts else None


SNAP = 1e-9
"""Vertices are rounded to this fraction of the largest cell's size (1e-9 degree of a 1° tile,
0.1 mm of a 100 km tile) before a cell's coverage union; an overlap thinner than that is not
looked for (its area is below a square millimetre per metre of edge)."""
PAIR_CHUNK = 200_000
"""Pieces whose overlapping neighbours are looked up at a time (bounds the pairs in memory)."""
PARALLEL_UNIONS = 64
"""Pairwise unions are split over two threads from this many (a union of two merged cells of a
feature's overlap can take milliseconds: 900 of them took 2.3 s on one thread)."""
SMALL_GROUP = 16
"""Groups of at most this many pieces are merged pairwise in vectorised rounds; larger ones
with one ``union_all`` each (faster for many overlapping pieces)."""


def distinct(values: np.ndarray, *, overwrite: bool = False) -> np.ndarray:
    """The distinct `values`, sorted: ``np.unique(values)`` by a sort.

    NumPy 2.4's ``np.unique`` without ``return_*`` options counts distinct values in a hash
    table, which took 7.9 s for six million distinct int64 (the hit pairs of a million parcels
    against the plan) where a sort takes 0.3 s. With `overwrite`, `values` (an array) is
    sorted in place, saving its copy.

    Examples
    --------
    >>> distinct(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    if overwrite:
        values.sort()
        ordered = values
    else:
        ordered = np.sort(np.asarray(values))
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def size_chunks(sizes: np.ndarray, limit: int) -> list[slice]:
    """Consecutive slices of items whose `sizes` add up to at most `limit` (or of one item).

    Examples
    --------
    >>> size_chunks(np.array([5, 5, 5, 5, 20]), 12)
    [slice(0, 2, None), slice(2, 4, None), slice(4, 5, None)]
    """
    ends = np.cumsum(sizes)
    chunks, first = [], 0
    while first < len(ends):
        before = ends[first - 1] if first else 0
        last = max(int(np.searchsorted(ends, before + limit, side="right")), first + 1)
        chunks.append(slice(first, last))
        first = last
    return chunks


def members_by_key(key: np.ndarray) -> list[np.ndarray]:
    """The positions holding each distinct `key`, keys in order, positions in their own order.

    Examples
    --------
    >>> [m.tolist() for m in members_by_key(np.array([3, 1, 3, 1, 2]))]
    [[1, 3], [4], [0, 2]]
    """
    order = np.argsort(key, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(key[order])) + 1)


def touching_pairs(pieces: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``left < right`` of pieces with the same `key` whose boxes overlap (int32 if fits).

    One tree per key: the pieces of features that overlap each other (a zone, its sub-areas,
    the bases and parks in them) lie on the same ground, and one tree over all of them returned
    every such pair only to drop it (100,000 parcels against the plan: 11.6 s, now 0.75 s).

    Examples
    --------
    >>> boxes = shapely.box(np.array([0, 1, 0, 5]), 0, np.array([1, 2, 1, 6]), 1)
    >>> [v.tolist() for v in touching_pairs(boxes, np.array([0, 0, 1, 0]))]
    [[0], [1]]
    """
    kind = np.int32 if len(pieces) < 2**31 else np.int64
    lefts, rights = [], []
    for members in members_by_key(key):
        if len(members) < 2:
            continue
        group = pieces[members]
        tree = shapely.STRtree(group)
        for start in range(0, len(members), PAIR_CHUNK):
            left, right = tree.query(group[start : start + PAIR_CHUNK])
            left += start
            keep = left < right
            a, b = members[left[keep]], members[right[keep]]
            lefts.append(np.minimum(a, b).astype(kind))
            rights.append(np.maximum(a, b).astype(kind))
    return np.concatenate([*lefts, np.zeros(0, kind)]), np.concatenate([*rights, np.zeros(0, kind)])


def union_groups(geometries: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Union of the geometries of each group 0..k-1, merged pairwise in vectorised rounds.

    Examples
    --------
    >>> boxes = shapely.box(np.array([0, 1, 5]), 0, np.array([2, 3, 6]), 1)
    >>> shapely.area(union_groups(boxes, np.array([0, 0, 1]))).tolist()
    [3.0, 1.0]
    """
    # West to east within a group, so that neighbours (likely overlapping) merge first.
    order = np.lexsort((shapely.bounds(geometries)[:, 0], group))
    geometries, group = geometries[order], group[order]
    while len(group) and (group[1:] == group[:-1]).any():
        index = np.arange(len(group))
        start = np.r_[True, group[1:] != group[:-1]]
        position = index - np.maximum.accumulate(np.where(start, index, 0))
        even = position % 2 == 0
        merge = np.flatnonzero(even & np.r_[group[1:] == group[:-1], False])
        geometries = geometries.copy()
        pair = (geometries[merge], geometries[merge + 1])
        geometries[merge] = in_parallel(shapely.union, *pair, min_size=PARALLEL_UNIONS)
        geometries, group = geometries[even], group[even]
    return geometries


def merge_groups(
    pieces: np.ndarray, starts: np.ndarray, pool, union=None, unions: np.ndarray | None = None
) -> np.ndarray:
    """The union of the pieces of each group (a group of one piece is that piece).

    Groups of more than :data:`SMALL_GROUP` pieces are merged by `union` (default
    :func:`union_pieces`), in two halves on `pool` when given. Groups whose union `unions` holds
    already (not None) are taken from it.
    """
    union = union_pieces if union is None else union
    merged = pieces[starts[:-1]].copy()
    size = np.diff(starts)
    if unions is not None:
        ready = np.flatnonzero(shapely.is_geometry(unions))
        merged[ready], size = unions[ready], size.copy()
        size[ready] = 1
    few = np.flatnonzero((size > 1) & (size <= SMALL_GROUP))
    if len(few):
        member = np.concatenate([np.arange(starts[g], starts[g + 1]) for g in few])
        group = np.repeat(np.arange(len(few)), size[few])
        merged[few] = union_groups(pieces[member], group)
    many = np.flatnonzero(size > SMALL_GROUP)
    if len(many) == 0:
        return merged
    merged[many] = each_in_halves(lambda g: union(pieces[starts[g] : starts[g + 1]]), many, pool)
    return merged


def union_pieces(pieces: np.ndarray, *, joined: bool = False) -> object:
    """Union of `pieces`; pieces a rectangle clip left invalid are repaired first if it fails.

    Pieces that are `joined` (touching parts of one feature's overlap) or pile up (their areas
    add up to more than their bounding box) are merged in one ``union_all``, or by
    :func:`union_pile` where they lie more than :data:`PILE_DEPTH` deep; sparser ones by
    GEOS's disjoint-subset union, which merges each connected subset on its own (three times
    faster for 100,000 boxes over Gansu, a third slower for a million).
    """
    bounds = shapely.bounds(pieces)
    west, south = bounds[:, :2].min(axis=0)
    east, north = bounds[:, 2:].max(axis=0)
    depth = shapely.area(pieces).sum() / max((east - west) * (north - south), 1e-300)
    if joined or 1 < depth <= PILE_DEPTH:
        union = shapely.union_all
    elif depth > PILE_DEPTH:
        union = partial(union_pile, depth=depth)
    else:
        union = shapely.disjoint_subset_union_all
    try:
        return union(pieces)
    except shapely.errors.GEOSException:
        return union(shapely.make_valid(pieces))


PILE_COVER = 3.0
"""How many times over the first pieces of a pile (:func:`union_pile`) cover its ground."""
PILE_DEPTH = 4.0
"""Pieces deeper than this (their areas over their bounding box) are merged as a pile."""


def union_pile(pieces: np.ndarray, depth: float) -> object:
    """Union of `pieces` that pile up `depth` deep: the largest first, then what they leave.

    The largest pieces that cover the ground :data:`PILE_COVER` times over are merged first;
    of the others only those this union does not cover (``shapely.covers``, on the prepared
    union) are merged with it. The union is the same; piled 40 deep (ten million boxes over
    Gansu), nine in ten pieces are covered and the merge takes a third of the time of one
    ``union_all``.

    Examples
    --------
    >>> boxes = shapely.box(np.array([0, 0, 1, 2]), 0, np.array([4, 1, 2, 5]), 1)
    >>> float(shapely.area(union_pile(boxes, depth=6.0)))
    5.0
    """
    area = shapely.area(pieces)
    order = np.argsort(-area, kind="stable")
    first_count = max(1, int(len(pieces) * PILE_COVER / depth))
    first = shapely.union_all(pieces[order[:first_count]])
    shapely.prepare(first)
    rest = pieces[order[first_count:]]
    left = rest[~shapely.covers(first, rest)]
    return shapely.union_all(np.concatenate([np.array([first], dtype=object), left]))


def union_touching(pieces: np.ndarray) -> object:
    """Union of touching pieces of one feature's overlap (their interiors never overlap).

    Polygons whose shared edges match vertex for vertex (as
    :func:`~longtu.analysis.constraints.seams.match_seams` makes them along the cell lines)
    are merged by a coverage union (:func:`coverage_union`: shared edges cancel, nothing is
    noded). Otherwise (lines, or edges that still do not match) by a full union, up to
    :data:`MAX_MERGED_VERTICES`; beyond it the pieces are kept as the parts of a collection
    (merging them would rebuild the huge geometry the cells cut up).
    """
    if (shapely.get_dimensions(pieces) == 2).all():
        merged = coverage_union(pieces)
        if merged is not None:
            return merged
    if shapely.get_num_coordinates(pieces).sum() > MAX_MERGED_VERTICES:
        return shapely.geometrycollections(pieces)
    return union_pieces(pieces, joined=True)


MAX_MERGED_VERTICES = 20_000
"""Touching pieces of a feature's overlap that a coverage union cannot merge are merged by a
full union up to this many vertices."""
