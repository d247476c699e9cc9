"""The overlay of one partition of a constraint layer, and the sum of partitions.

:func:`measure_partition` is the one overlay: the features against the pieces of one partition
of a layer, cut into cells (:func:`~longtu.analysis.constraints.tiles.cut_to_cells`). A cell that
a feature reaches and whose pieces may overlap is merged (one ``union_all``, never across
cells); a cell whose polygons form a valid coverage (parcels that tile the land) or that no
feature reaches is not merged at all. Each feature is intersected with the merged groups it
meets, and the overlaps are measured in the equal-area
CRS. Its result, a :class:`Partial`, holds per-feature sums and lists that
:func:`combine_partials` adds up over partitions: since cells never overlap, areas and lengths
add, hit pairs are deduplicated, and the nearest constraint is the nearest of the partitions'.

A layer held in memory is the one-partition case
(:func:`~longtu.analysis.constraints.overlay.measure_layer`); a layer too large to hold is cut
into spatial partitions that Dask overlays in parallel with this same function
(:mod:`longtu.analysis.constraints.large`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import CRS

from longtu import settings
from longtu.analysis.constraints.tiles import Cells

__all__ = [
    "Partial",
    "combine_partials",
    "measure_partition",
    "nearest_in_partition",
    "nearest_of",
]

NEAREST_WINDOW = 2.0
"""Candidates for the nearest constraint lie within this many times the distance, in the
layer's CRS, of the nearest one there: a degree of longitude is at least half a degree of
latitude up to 60° N, so the nearest in metres is among them."""


MAX_MERGED_VERTICES = 20_000
"""Touching overlap pieces of a feature are merged into one polygon up to this many vertices."""


@dataclass
class Partial:
    """What one partition found, per feature (``n`` features).

    Attributes
    ----------
    measure : numpy.ndarray
        Overlap area (km²) or length (km) of each feature in this partition.
    rows, pieces : numpy.ndarray
        Overlap geometries (layer CRS) and the feature each belongs to.
    hit_rows, hit_sources : numpy.ndarray
        Distinct (feature, constraint) pairs that intersect.
    distance_km, nearest : numpy.ndarray
        Geodesic distance to the nearest constraint of this partition and its identifier, for
        the features that intersect none here (NaN and -1 elsewhere).
    """

    measure: np.ndarray
    rows: np.ndarray
    pieces: np.ndarray
    hit_rows: np.ndarray
    hit_sources: np.ndarray
    distance_km: np.ndarray
    nearest: np.ndarray


def measure_partition(
    features: np.ndarray,
    projected: np.ndarray,
    cells: Cells,
    crs,
    *,
    pool=None,
    find_nearest: bool = True,
) -> Partial:
    """Overlay `features` with the pieces of one partition of a layer.

    Parameters
    ----------
    features
        The features in the layer's `crs` (valid, prepared or not).
    projected
        The same features in ``settings.equal_area_crs``.
    cells
        The partition's pieces, cut along the lattice, with their source identifiers.
    crs
        The layer's CRS.
    pool
        An executor whose ``map`` merges the cells (e.g. two threads); default one thread.
    find_nearest
        Whether to find the nearest constraint of the features that meet none here. A layer
        read in many partitions says no, and asks :func:`nearest_in_partition` afterwards for
        the features that met none in any partition (a feature that meets one is 0 km away).

    Returns
    -------
    Partial

    Examples
    --------
    >>> from longtu.analysis.constraints.overlay import project
    >>> from longtu.analysis.constraints.tiles import cut_to_cells
    >>> square = np.array([shapely.box(104, 36, 104.1, 36.1)])
    >>> boxes = shapely.box(np.array([104.05, 104.06]), 35.9, 104.2, 36.2)
    >>> part = measure_partition(square, project(square, 4326), cut_to_cells(boxes, 4326), 4326)
    >>> part.hit_sources.tolist(), round(float(part.measure[0] / 100 * 2), 1)
    ([0, 1], 1.0)
    """
    n = len(features)
    empty = np.zeros(0, dtype=np.int64)
    distance_km, nearest = np.full(n, np.nan), np.full(n, -1, dtype=np.int64)
    if len(cells.pieces) == 0 or n == 0:
        nothing = np.zeros(0, dtype=object)
        return Partial(np.zeros(n), empty, nothing, empty, empty, distance_km, nearest)
    cells = _grouped(cells, features, pool)
    starts = cells.starts()
    merged = _merge_groups(cells.pieces, starts, pool)
    shapely.prepare(features)
    rows, group = shapely.STRtree(merged).query(features, predicate="intersects")
    inside = shapely.contains_properly(features[rows], merged[group])
    pieces = merged[group].copy()
    pieces[~inside] = shapely.intersection(features[rows[~inside]], merged[group[~inside]])
    measure = np.bincount(rows, weights=_sizes(pieces, projected, rows, crs), minlength=n)
    hit_rows, hit_sources = _hits(features, cells, starts, rows, group, inside)
    apart = np.flatnonzero(np.bincount(rows, minlength=n) == 0)
    if find_nearest and len(apart):
        distance_km[apart], nearest[apart] = _nearest(
            features[apart], projected[apart], cells, merged, starts, crs
        )
    return Partial(measure, rows, pieces, hit_rows, hit_sources, distance_km, nearest)


def _grouped(cells: Cells, features: np.ndarray, pool=None) -> Cells:
    """The pieces grouped for merging: a cell whose pieces may overlap is one group.

    Only cells that a feature reaches are merged (the others serve the nearest distance, for
    which the pieces themselves do). In a cell whose polygons form a valid coverage (no two
    overlap, as the parcels of a land survey), every piece is a group of its own and nothing
    is merged; a cell of one piece likewise. Any other cell (overlapping pieces, lines or
    points, a coverage whose shared edges do not match vertex for vertex) is merged whole.
    """
    starts = cells.starts()
    box = _cell_boxes(cells.pieces, starts)
    reached = np.zeros(len(box), dtype=bool)
    reached[shapely.STRtree(shapely.box(*box.T)).query(features, predicate="intersects")[1]] = True
    merge = _may_overlap(cells.pieces, starts, box, reached, pool)
    alone = ~merge[cells.cell]
    first = np.r_[True, cells.cell[1:] != cells.cell[:-1]] | alone
    return Cells(cells.pieces, cells.source, np.cumsum(first) - 1)


def _cell_boxes(pieces: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Bounds (west, south, east, north) of the pieces of each cell."""
    bounds = shapely.bounds(pieces)
    low = np.minimum.reduceat(bounds[:, :2], starts[:-1], axis=0)
    high = np.maximum.reduceat(bounds[:, 2:], starts[:-1], axis=0)
    return np.column_stack([low, high])


def _may_overlap(pieces: np.ndarray, starts: np.ndarray, box, reached, pool) -> np.ndarray:
    """Whether each `reached` cell's pieces may overlap (and are to be merged).

    A cell whose pieces' areas add up to clearly more than their bounding box `box` overlaps;
    one of one piece does not; the others are overlapping unless their polygons are a valid
    coverage (``shapely.coverage_is_valid``). Cells not `reached` are not merged.
    """
    count = np.diff(starts)
    cell = np.repeat(np.arange(len(count)), count)
    width, height = box[:, 2] - box[:, 0], box[:, 3] - box[:, 1]
    area = np.bincount(cell, weights=shapely.area(pieces), minlength=len(count))
    flat = np.bincount(cell, weights=shapely.get_dimensions(pieces) < 2, minlength=len(count))
    # Rounding lets a cell's exact cover add up to a hair over its box: only a clear excess counts.
    merge = reached & (count > 1) & ((area > (1 + 1e-9) * width * height) | (flat > 0))
    check = np.flatnonzero(reached & (count > 1) & ~merge)
    grid = SNAP * np.maximum(width, height).max(initial=0.0)

    def overlapping(cells_: np.ndarray) -> list[bool]:
        return [not _is_coverage(pieces[starts[c] : starts[c + 1]], grid) for c in cells_.tolist()]

    halves = np.array_split(check, 2 if pool is not None and len(check) > 1 else 1)
    done = list(map(overlapping, halves) if pool is None else pool.map(overlapping, halves))
    merge[np.concatenate(halves)] = np.array([*(v for half in done for v in half), False])[:-1]
    return merge


def _is_coverage(polygons: np.ndarray, grid: float) -> bool:
    """Whether `polygons` form a valid coverage (no overlaps; shared edges matching).

    Vertices are rounded to `grid` for the test only: two neighbours clipped along the same cell
    line get the same cut point up to the last bits of a float, which would otherwise count as
    edges that do not match.
    """
    try:
        return bool(shapely.coverage_is_valid(shapely.set_precision(polygons, grid, "pointwise")))
    except shapely.errors.GEOSException:
        return False


SNAP = 1e-9
"""Vertices are rounded to this fraction of the largest cell's size (1e-9 degree of a 1° tile,
0.1 mm of a 100 km tile) when a cell is tested for overlaps; an overlap thinner than that is
not looked for (its area is below a square millimetre per metre of edge)."""
PAIR_CHUNK = 200_000
"""Pieces whose overlapping neighbours are looked up at a time (bounds the pairs in memory)."""
SMALL_GROUP = 16
"""Groups of at most this many pieces are merged pairwise in vectorised rounds; larger ones
with one ``union_all`` each (faster for many overlapping pieces)."""


def _touching_pairs(pieces: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``left < right`` of pieces with the same `key` whose boxes overlap (int32 if fits)."""
    tree = shapely.STRtree(pieces)
    kind = np.int32 if len(pieces) < 2**31 else np.int64
    lefts, rights = [], []
    for start in range(0, len(pieces), PAIR_CHUNK):
        left, right = tree.query(pieces[start : start + PAIR_CHUNK])
        left += start
        keep = (left < right) & (key[left] == key[right])
        lefts.append(left[keep].astype(kind))
        rights.append(right[keep].astype(kind))
    return np.concatenate([*lefts, np.zeros(0, kind)]), np.concatenate([*rights, np.zeros(0, kind)])


def union_groups(geometries: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Union of the geometries of each group 0..k-1, merged pairwise in vectorised rounds.

    Examples
    --------
    >>> boxes = shapely.box(np.array([0, 1, 5]), 0, np.array([2, 3, 6]), 1)
    >>> shapely.area(union_groups(boxes, np.array([0, 0, 1]))).tolist()
    [3.0, 1.0]
    """
    from longtu.analysis.constraints.overlay import in_parallel

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
        geometries[merge] = in_parallel(shapely.union, geometries[merge], geometries[merge + 1])
        geometries, group = geometries[even], group[even]
    return geometries


def _merge_groups(pieces: np.ndarray, starts: np.ndarray, pool, union=None) -> np.ndarray:
    """The union of the pieces of each group (a group of one piece is that piece).

    Groups of more than :data:`SMALL_GROUP` pieces are merged by `union` (default
    :func:`_union`), in two halves on `pool` when given.
    """
    union = _union if union is None else union
    merged = pieces[starts[:-1]].copy()
    size = np.diff(starts)
    few = np.flatnonzero((size > 1) & (size <= SMALL_GROUP))
    if len(few):
        member = np.concatenate([np.arange(starts[g], starts[g + 1]) for g in few])
        group = np.repeat(np.arange(len(few)), size[few])
        merged[few] = union_groups(pieces[member], group)
    many = np.flatnonzero(size > SMALL_GROUP)
    if len(many) == 0:
        return merged
    halves = np.array_split(many, 2 if pool is not None and len(many) > 1 else 1)

    def merge(groups: np.ndarray) -> list:
        return [union(pieces[starts[g] : starts[g + 1]]) for g in groups.tolist()]

    done = list(map(merge, halves) if pool is None else pool.map(merge, halves))
    flat = [geometry for half in done for geometry in half]
    merged[np.concatenate(halves)] = np.array([*flat, None], dtype=object)[:-1]
    return merged


def _union(pieces: np.ndarray, *, joined: bool = False) -> object:
    """Union of `pieces`; pieces a rectangle clip left invalid are repaired first if it fails.

    Pieces that are `joined` (touching parts of one feature's overlap) or pile up (their areas
    add up to more than their bounding box) are merged in one ``union_all``; sparser ones by
    GEOS's disjoint-subset union, which merges each connected subset on its own (three times
    faster for 100,000 boxes over Gansu, a third slower for a million).
    """
    bounds = shapely.bounds(pieces)
    west, south = bounds[:, :2].min(axis=0)
    east, north = bounds[:, 2:].max(axis=0)
    dense = joined or shapely.area(pieces).sum() > (east - west) * (north - south)
    union = shapely.union_all if dense else shapely.disjoint_subset_union_all
    try:
        return union(pieces)
    except shapely.errors.GEOSException:
        return union(shapely.make_valid(pieces))


def _union_disjoint(pieces: np.ndarray) -> object:
    """Union of polygons whose interiors do not overlap (one feature's overlap pieces).

    A coverage union (``shapely.coverage_union_all``: shared edges cancel, nothing is noded)
    when its result is valid and keeps the pieces' whole area; else (edges that do not match
    vertex for vertex, as along a cell line) the full union.
    """
    if (shapely.get_dimensions(pieces) == 2).all():
        try:
            merged = shapely.coverage_union_all(pieces)
        except shapely.errors.GEOSException:
            merged = None
        if merged is not None and shapely.is_valid(merged):
            area, parts = float(shapely.area(merged)), float(shapely.area(pieces).sum())
            if abs(area - parts) <= 1e-9 * parts:
                return merged
    return _union(pieces, joined=True)


def _sizes(pieces: np.ndarray, projected: np.ndarray, rows: np.ndarray, crs) -> np.ndarray:
    """Area (km²) or length (km) of each overlap piece, by its feature's dimension."""
    from longtu.analysis.constraints.overlay import densify, transform

    source = CRS.from_user_input(crs)
    flat = transform(densify(pieces, source), source, CRS(settings.equal_area_crs))
    dimension = shapely.get_dimensions(projected)[rows]
    return np.where(dimension == 2, shapely.area(flat) / 1e6, shapely.length(flat) / 1e3)


def _hits(features, cells: Cells, starts, rows, group, inside) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (feature, source) pairs: every piece of a group inside the feature, else tested."""
    count = starts[group + 1] - starts[group]
    pair_row = np.repeat(rows, count)
    piece = np.arange(len(pair_row)) - np.repeat(np.cumsum(count) - count, count)
    piece += np.repeat(starts[group], count)
    tested = ~np.repeat(inside, count)
    keep = np.ones(len(pair_row), dtype=bool)
    keep[tested] = shapely.intersects(features[pair_row[tested]], cells.pieces[piece[tested]])
    return split_pairs(np.unique(pair_keys(pair_row[keep], cells.source[piece[keep]])))


def nearest_in_partition(
    features: np.ndarray, projected: np.ndarray, cells: Cells, crs
) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic distance (km) to the nearest piece of one partition, and its source.

    For features that meet no constraint anywhere; arguments as for :func:`measure_partition`.

    Examples
    --------
    >>> from longtu.analysis.constraints.overlay import project
    >>> from longtu.analysis.constraints.tiles import cut_to_cells
    >>> point = shapely.points([[104.0, 36.0]])
    >>> cells = cut_to_cells(np.array([shapely.box(104.0, 36.1, 104.2, 36.2)]), 4326)
    >>> km, source = nearest_in_partition(point, project(point, 4326), cells, 4326)
    >>> round(float(km[0]), 1), source.tolist()
    (11.1, [0])
    """
    if len(features) == 0 or len(cells.pieces) == 0:
        return np.full(len(features), np.nan), np.full(len(features), -1, dtype=np.int64)
    starts = np.arange(len(cells.pieces) + 1)
    distance_km, source = _nearest(features, projected, cells, cells.pieces, starts, crs)
    return distance_km, source


def _nearest(features, projected, cells: Cells, merged, starts, crs) -> tuple[np.ndarray, ...]:
    """Geodesic distance (km) to the nearest piece, and its source, of each feature."""
    from longtu.analysis.constraints.overlay import densify, geodesic_km, transform

    tree = shapely.STRtree(merged)
    _, degrees = tree.query_nearest(features, return_distance=True, all_matches=False)
    window = np.maximum(degrees * NEAREST_WINDOW, 1e-9)
    near = np.unique(tree.query(features, predicate="dwithin", distance=window)[1])
    candidate = np.concatenate([np.arange(starts[g], starts[g + 1]) for g in near])
    # Distances need no repair: a projected piece is measured, never overlaid again.
    source_crs = CRS.from_user_input(crs)
    flat = transform(
        densify(cells.pieces[candidate], source_crs), source_crs, CRS(settings.equal_area_crs)
    )
    rows, best = shapely.STRtree(flat).query_nearest(projected, all_matches=False)
    distance_km = np.full(len(features), np.nan)
    distance_km[rows] = geodesic_km(shapely.shortest_line(projected[rows], flat[best]))
    source = np.full(len(features), -1, dtype=np.int64)
    source[rows] = cells.source[candidate[best]]
    return distance_km, source


def combine_partials(partials: list[Partial], dimension: np.ndarray) -> dict[str, np.ndarray]:
    """The partitions' findings as one measure per feature, as ``measure_layer`` returns them.

    `dimension` is that of each feature (0, 1, 2). Returns ``measure``, ``pieces`` (one
    overlap geometry per feature, merged over cells, of the feature's dimension; layer CRS),
    ``rows`` and ``hits`` (distinct intersecting pairs, by feature), ``n_hits``,
    ``distance_km`` and ``nearest`` (of the features that intersect none).

    Examples
    --------
    >>> empty = np.zeros(0, dtype=np.int64)
    >>> a = Partial(np.array([1.0]), empty, np.zeros(0, dtype=object), np.array([0]),
    ...             np.array([7]), np.array([np.nan]), np.array([-1]))
    >>> b = Partial(np.array([2.0]), empty, np.zeros(0, dtype=object), np.array([0]),
    ...             np.array([7]), np.array([np.nan]), np.array([-1]))
    >>> m = combine_partials([a, b], np.array([2]))
    >>> m["measure"].tolist(), m["n_hits"].tolist()
    ([3.0], [1])
    """
    n = len(dimension)
    measure = np.sum([p.measure for p in partials], axis=0) if partials else np.zeros(n)
    keys = [pair_keys(p.hit_rows, p.hit_sources) for p in partials]
    rows, hits = split_pairs(np.unique(np.concatenate([*keys, np.zeros(0, np.int64)])))
    n_hits = np.bincount(rows, minlength=n)
    distance_km, nearest = _nearest_of(partials, n)
    distance_km[n_hits > 0], nearest[n_hits > 0] = 0.0, -1
    owner = np.concatenate([p.rows for p in partials] + [np.zeros(0, np.int64)])
    pieces = np.concatenate([p.pieces for p in partials] + [np.zeros(0, dtype=object)])
    return {
        "measure": measure,
        "pieces": merge_by_feature(pieces, owner, dimension),
        "rows": rows,
        "hits": hits,
        "n_hits": n_hits,
        "distance_km": distance_km,
        "nearest": nearest,
    }


_SOURCE_BITS = 40


def pair_keys(rows: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """(feature, source) pairs as one int64 each, sorting by feature then source.

    Sources up to 2**40 (a trillion rows), features up to 2**23 (eight million).
    """
    return (np.asarray(rows, dtype=np.int64) << _SOURCE_BITS) | np.asarray(sources, np.int64)


def split_pairs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The features and sources of :func:`pair_keys`."""
    return keys >> _SOURCE_BITS, keys & ((1 << _SOURCE_BITS) - 1)


def _nearest_of(partials: list[Partial], n: int) -> tuple[np.ndarray, np.ndarray]:
    distance_km, source = nearest_of([(p.distance_km, p.nearest) for p in partials], n)
    return distance_km, source


def nearest_of(found: list[tuple[np.ndarray, np.ndarray]], n: int) -> tuple[np.ndarray, ...]:
    """The nearest of the partitions' nearest constraints: ``(distance_km, source)`` each.

    `found` holds, per partition, the distance (NaN where none) and source of `n` features.

    Examples
    --------
    >>> a = (np.array([5.0, np.nan]), np.array([1, -1]))
    >>> b = (np.array([3.0, np.nan]), np.array([2, -1]))
    >>> [v.tolist() for v in nearest_of([a, b], 2)]
    [[3.0, nan], [2, -1]]
    """
    if not found:
        return np.full(n, np.nan), np.full(n, -1, dtype=np.int64)
    distance = np.vstack([d for d, _ in found])
    source = np.vstack([s for _, s in found])
    known = ~np.isnan(distance).all(axis=0)
    best = np.zeros(n, dtype=np.int64)
    best[known] = np.nanargmin(distance[:, known], axis=0)
    columns = np.arange(n)
    nearest = np.where(known, source[best, columns], -1)
    return np.where(known, distance[best, columns], np.nan), nearest


def merge_by_feature(pieces: np.ndarray, owner: np.ndarray, dimension: np.ndarray) -> np.ndarray:
    """One geometry per feature from its pieces, of the feature's own dimension.

    Pieces of a feature that touch (across a cell line) are merged, unless together they have
    more than :data:`MAX_MERGED_VERTICES` vertices (merging those would rebuild the huge
    geometry the cells cut up): such pieces stay parts of the multi-geometry, joined along the
    cell lines. Line and point slivers of a polygon's overlap are dropped.

    Examples
    --------
    >>> halves = shapely.box(np.array([0, 1, 5]), 0, np.array([1, 2, 6]), 1)
    >>> merged = merge_by_feature(halves, np.array([0, 0, 0]), np.array([2, 2]))
    >>> shapely.area(merged).tolist(), shapely.get_num_geometries(merged).tolist()
    ([3.0, nan], [2, 0])
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    out = np.full(len(dimension), None, dtype=object)
    if len(pieces) == 0:
        return out
    left, right = _touching_pairs(pieces, owner)
    m = len(pieces)
    graph = coo_matrix((np.ones(len(left), bool), (left, right)), shape=(m, m))
    label = connected_components(graph, directed=False)[1]
    vertices = np.bincount(label, weights=shapely.get_num_coordinates(pieces))
    label = np.where(vertices[label] > MAX_MERGED_VERTICES, label.max() + 1 + np.arange(m), label)
    order = np.argsort(label, kind="stable")
    starts = np.searchsorted(label[order], np.unique(label[order]))
    starts = np.r_[starts, m]
    merged = _merge_groups(pieces[order], starts, None, _union_disjoint)
    return _collect(merged, owner[order][starts[:-1]], dimension)


def _collect(parts: np.ndarray, owner: np.ndarray, dimension: np.ndarray) -> np.ndarray:
    """One multi-geometry per feature from its parts of the feature's own dimension."""
    parts, index = shapely.get_parts(parts, return_index=True)
    owner = owner[index]
    keep = shapely.get_dimensions(parts) == dimension[owner]
    parts, owner = parts[keep], owner[keep]
    order = np.argsort(owner, kind="stable")  # the builders take sorted indices
    parts, owner = parts[order], owner[order]
    out = np.full(len(dimension), None, dtype=object)
    builders = ((2, shapely.multipolygons), (1, shapely.multilinestrings), (0, shapely.multipoints))
    for dim, build in builders:
        mine = dimension[owner] == dim
        if mine.any():
            ids, compact = np.unique(owner[mine], return_inverse=True)
            out[ids] = build(parts[mine], indices=compact.ravel())
    return out
