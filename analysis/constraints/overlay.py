"""The array core of the constraint overlay: projection, merged overlaps, nearest distances.

One rule for what an edge is: an edge is straight in the CRS the geometry is stored in
(longitude/latitude for EPSG:4326, as QGIS and GDAL take it). The overlay is made in that CRS;
before anything is measured in the equal-area CRS the edges are densified there
(:func:`densify`), so that a long edge (the 5°-wide side of a box along a parallel) keeps its
shape when projected instead of becoming the chord between its end vertices, which cut a
parallel by up to 2.8 km across 5° of longitude and put a point 6.0 km away at 3.3 km.

Plain NumPy arrays of shapely geometries in and out, no pandas:
:mod:`longtu.analysis.constraints.check` wraps these in tables. Every geometric step is a vectorised
shapely call; the heavy ones (union, intersection, validity) release the GIL, so :func:`in_parallel`
runs them on two threads when the arrays are large enough to pay for it.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

from longtu import settings

MAX_SEGMENT_DEGREES = 0.05
"""Longest edge (degrees) of lon/lat geometries when projected: ~5.5 km, whose chord leaves
the edge it stands for by under 0.5 m in the equal-area CRS over Gansu (sag ``L² / 8ρ``)."""
MAX_SEGMENT_METRES = 5_000.0
"""Longest edge (metres) of geometries in another projected CRS when reprojected."""

PARALLEL_MIN_SIZE = 2_000
"""Arrays shorter than this run on one thread (splitting them costs more than it saves)."""

_GEOD = Geod(ellps="WGS84")
_WORKERS = min(2, os.cpu_count() or 1)


@cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=_WORKERS)


def in_parallel(func, *arrays: np.ndarray) -> np.ndarray:
    """``func(*arrays)`` element-wise, split in two halves run on two threads when large.

    Examples
    --------
    >>> import shapely
    >>> boxes = shapely.box(np.arange(3000), 0, np.arange(3000) + 2, 1)
    >>> bool(in_parallel(shapely.is_valid, boxes).all())
    True
    """
    n = len(arrays[0])
    if n < PARALLEL_MIN_SIZE or _WORKERS < 2:
        return func(*arrays)
    half = n // 2
    first = _pool().submit(func, *[a[:half] for a in arrays])
    second = func(*[a[half:] for a in arrays])
    return np.concatenate([first.result(), second])


def repair(geometry: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Repair a layer's geometries: 2-D, valid; which are kept (not missing or empty).

    Returns the geometries (same length; invalid ones made valid, Z dropped when any has Z), the
    mask of those kept, the mask of those repaired, and whether any geometry changed.

    Examples
    --------
    >>> bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    >>> fixed, keep, invalid, changed = repair(np.array([bowtie, None], dtype=object))
    >>> keep.tolist(), invalid.tolist(), changed, float(shapely.area(fixed[0]))
    ([True, False], [True, False], True, 0.5)
    """
    keep = ~(shapely.is_missing(geometry) | shapely.is_empty(geometry))
    invalid = np.zeros(len(geometry), dtype=bool)
    invalid[keep] = ~in_parallel(shapely.is_valid, geometry[keep])
    changed = bool(invalid.any() or shapely.has_z(geometry[keep]).any())
    if changed:
        geometry = shapely.force_2d(geometry)
        geometry[invalid] = shapely.make_valid(geometry[invalid])
    return geometry, keep, invalid, changed


@cache
def _transformer(source: CRS, to: CRS) -> Transformer:
    return Transformer.from_crs(source, to, always_xy=True)


def densify(geometries: np.ndarray, crs) -> np.ndarray:
    """`geometries` with vertices added along their edges, straight in `crs`, before projecting.

    Edges of lon/lat geometries get a vertex at least every :data:`MAX_SEGMENT_DEGREES`;
    those of geometries in a projected CRS in metres every :data:`MAX_SEGMENT_METRES`; other
    units are left as they are. Existing vertices are kept, so the geometry is the same.

    Examples
    --------
    >>> edge = np.array([shapely.LineString([(100, 38), (105, 38)])])
    >>> int(shapely.get_num_coordinates(densify(edge, "EPSG:4326"))[0])
    101
    """
    source = CRS.from_user_input(crs)
    if source.is_geographic:
        step = MAX_SEGMENT_DEGREES
    elif source.axis_info and source.axis_info[0].unit_name in ("metre", "meter"):
        step = MAX_SEGMENT_METRES
    else:
        return geometries
    geometries = np.asarray(geometries, dtype=object)
    # Only geometries whose bounding box is longer than a step across can have a long edge.
    west, south, east, north = shapely.bounds(geometries).T
    with np.errstate(invalid="ignore"):
        long = np.hypot(east - west, north - south) > step
    if not long.any():
        return geometries
    geometries = geometries.copy()
    geometries[long] = shapely.segmentize(geometries[long], step)
    return geometries


def project(geometries: np.ndarray, crs, *, to: str | None = None) -> np.ndarray:
    """Geometries from `crs` to `to` (default the equal-area CRS); invalid results are repaired.

    Edges are densified in `crs` first (:func:`densify`), so that they stay the lines they are
    in `crs`: a distance or area measured in `to` is that of the geometry as stored.

    Examples
    --------
    >>> square = project(np.array([shapely.box(104, 36, 104.1, 36.1)]), "EPSG:4326")
    >>> round(float(shapely.area(square)[0]) / 1e6)
    100
    """
    source = CRS.from_user_input(crs)
    target = CRS.from_user_input(settings.equal_area_crs if to is None else to)
    if source.is_exact_same(target):
        return _valid(np.array(geometries, dtype=object))
    dense = densify(np.array(geometries, dtype=object), source)
    return _valid(_transform(dense, source, target))


def to_lonlat(geometries: np.ndarray, crs) -> np.ndarray:
    """Geometries from `crs` to EPSG:4326 (coordinates transformed, nothing repaired).

    Examples
    --------
    >>> square = project(np.array([shapely.Point(104, 36)]), "EPSG:4326")
    >>> xy = shapely.get_coordinates(to_lonlat(square, settings.equal_area_crs))[0]
    >>> [round(float(v), 6) for v in xy]
    [104.0, 36.0]
    """
    geometries = np.asarray(geometries, dtype=object)
    return _transform(geometries, CRS.from_user_input(crs), CRS(settings.storage_crs))


def _transform(geometries: np.ndarray, source: CRS, target: CRS) -> np.ndarray:
    if source.is_exact_same(target) or len(geometries) == 0:
        return geometries
    transformer = _transformer(source, target)

    def move(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geometries, move)


def measure_layer(
    projected: np.ndarray, features: np.ndarray, own: np.ndarray, crs, *, valid: bool = False
) -> dict[str, np.ndarray]:
    """Measure every feature against one constraint layer.

    `projected` are the features in the equal-area CRS, `features` the same in the layer's `crs`
    and `own` the layer's geometries (missing or empty ones are skipped). Returns arrays, one
    value per feature: ``n_hits``, ``measure`` (km² or km), ``pct``, ``distance_km``,
    ``nearest`` (position in `own` of the nearest geometry of a feature that touches none, else
    -1), ``dimension``, ``pieces`` (overlap geometry, in the layer's CRS, which ``crs`` holds),
    and the candidate pairs ``rows`` (feature) and ``hits`` (position in `own`).

    The overlay is made in the layer's CRS, in which its edges are straight (as GIS tools
    make it); the overlap is then measured in the equal-area CRS. Invalid geometries of
    `features` and `own` are overlaid as repaired copies, unless the caller says with `valid`
    that it repaired them already (:func:`repair`).

    Examples
    --------
    >>> square = np.array([shapely.box(104, 36, 104.1, 36.1)])
    >>> half = np.array([shapely.box(104.05, 35.9, 104.2, 36.2)])
    >>> m = measure_layer(project(square, 4326), square, half, 4326)
    >>> m["n_hits"].tolist(), round(float(m["pct"][0]))
    ([1], 50)
    """
    present = np.flatnonzero(~(shapely.is_missing(own) | shapely.is_empty(own)))
    own = own[present]
    # Candidate pairs and overlaps in the layer's own CRS, then measures in equal area.
    if not valid:
        features, own = _valid(features), _valid(own)
    shapely.prepare(features)
    rows, hits = _intersecting(shapely.STRtree(own), features)
    used, hits = np.unique(hits, return_inverse=True)
    n_hits = np.bincount(rows, minlength=len(projected))
    measure, pieces = overlaps(projected, features, own[used], crs, rows, hits)
    dimension = shapely.get_dimensions(projected)
    whole = np.where(dimension == 2, shapely.area(projected) / 1e6, shapely.length(projected) / 1e3)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(dimension > 0, 100 * measure / whole, np.nan)
    distance_km, nearest = nearest_km_index(projected, own, crs, n_hits)
    return {
        "rows": rows,
        "hits": present[used[hits]],
        "n_hits": n_hits,
        "measure": measure,
        "pct": pct,
        "distance_km": distance_km,
        "nearest": _positions(present, nearest),
        "dimension": dimension,
        "pieces": pieces,
        "crs": crs,
    }


def _positions(present: np.ndarray, index: np.ndarray) -> np.ndarray:
    """`index` into the present geometries as positions in the layer (-1 stays -1)."""
    out = np.full(len(index), -1, dtype=np.int64)
    found = index >= 0
    out[found] = present[index[found]]
    return out


def _valid(geometries: np.ndarray) -> np.ndarray:
    """`geometries`, with repaired copies in place of the invalid ones (the input is kept)."""
    invalid = ~in_parallel(shapely.is_valid, geometries)
    if not invalid.any():
        return geometries
    geometries = geometries.copy()
    geometries[invalid] = shapely.make_valid(geometries[invalid])
    return geometries


def _intersecting(tree: shapely.STRtree, features: np.ndarray) -> np.ndarray:
    """``tree.query(features, predicate="intersects")``, two halves of `features` in parallel."""
    if len(tree) < PARALLEL_MIN_SIZE or len(features) < 2 or _WORKERS < 2:
        return tree.query(features, predicate="intersects")
    half = len(features) // 2
    first = _pool().submit(tree.query, features[:half], predicate="intersects")
    second = tree.query(features[half:], predicate="intersects")
    second[0] += half
    return np.concatenate([first.result(), second], axis=1)


def overlaps(projected, features, constraint, crs, rows, hits) -> tuple[np.ndarray, np.ndarray]:
    """Overlap measure (km² or km) and geometry of each feature with the union of the layer.

    Touching constraints are grouped into clusters and each cluster is merged once (pairwise,
    vectorised); separate clusters never overlap, so their overlaps simply add up. The overlay
    is made in the layer's `crs` (`features` and `constraint`); each overlap is measured in the
    equal-area CRS (`projected` are the features there) and returned in `crs`.
    """
    n = len(projected)
    cluster = clusters(constraint)
    unions = union_groups(constraint, cluster)
    pair = np.unique(rows.astype(np.int64) * len(unions) + cluster[hits])
    prow, pcl = pair // len(unions), pair % len(unions)
    inside = in_parallel(shapely.contains_properly, features[prow], unions[pcl])
    pieces = unions[pcl].copy()
    cut = ~inside
    pieces[cut] = in_parallel(shapely.intersection, features[prow[cut]], unions[pcl[cut]])
    dimension = shapely.get_dimensions(projected)[prow]
    # Measured only: a projected piece is not overlaid again, so it needs no repair. Its edges
    # are straight in `crs`, as the overlay made them: densified before projecting.
    source = CRS.from_user_input(crs)
    flat = _transform(densify(pieces, source), source, CRS(settings.equal_area_crs))
    size = np.where(dimension == 2, shapely.area(flat) / 1e6, shapely.length(flat) / 1e3)
    measure = np.bincount(prow, weights=size, minlength=n)
    return measure, _collect(projected, pieces, prow, dimension)


def _collect(projected, pieces, prow, dimension) -> np.ndarray:
    """One multi-geometry per feature from its overlap pieces (of the feature's own dimension)."""
    n = len(projected)
    parts, index = shapely.get_parts(pieces, return_index=True)
    keep = shapely.get_dimensions(parts) == dimension[index]
    parts, owner = parts[keep], prow[index[keep]]
    out = np.full(n, None, dtype=object)
    for dim, build in ((2, shapely.multipolygons), (1, shapely.multilinestrings)):
        mine = shapely.get_dimensions(projected)[owner] == dim
        if mine.any():
            ids, compact = np.unique(owner[mine], return_inverse=True)
            out[ids] = build(parts[mine], indices=compact)
    return out


def clusters(geometries: np.ndarray) -> np.ndarray:
    """Label of each geometry's connected group of geometries whose boxes overlap (0..k-1).

    Examples
    --------
    >>> clusters(shapely.box(np.array([0, 1.5, 5]), 0, np.array([2, 3, 6]), 1)).tolist()
    [0, 0, 1]
    """
    left, right = shapely.STRtree(geometries).query(geometries)
    label = np.arange(len(geometries))
    while True:
        new = label.copy()
        np.minimum.at(new, left, label[right])
        new = new[new]
        if np.array_equal(new, label):
            return np.unique(label, return_inverse=True)[1]
        label = new


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
        geometries[merge] = in_parallel(shapely.union, geometries[merge], geometries[merge + 1])
        geometries, group = geometries[even], group[even]
    return geometries


def nearest_km(projected, own, crs, n_hits) -> np.ndarray:
    """Geodesic distance (km) between each feature and its nearest constraint; 0 when touching.

    As :func:`nearest_km_index`, without the positions of the nearest constraints.
    """
    return nearest_km_index(projected, own, crs, n_hits)[0]


def nearest_km_index(projected, own, crs, n_hits) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic distance (km) to the nearest constraint, and its position in `own` (-1: touching).

    The nearest points are found in the equal-area CRS between geometries projected with
    densified edges (:func:`project`), and the distance between them is measured on the WGS84
    ellipsoid: a point 6.0 km north of a 5°-wide lon/lat box is 6.0 km away (3.3 km when the
    box's edges were projected vertex by vertex).
    """
    distance_km = np.zeros(len(projected))
    position = np.full(len(projected), -1, dtype=np.int64)
    apart = np.flatnonzero(n_hits == 0)
    distance_km[apart] = np.nan  # stays unknown when the layer has no geometry at all
    if len(apart) == 0 or len(own) == 0:
        return distance_km, position
    constraint = project(own, crs)
    rows, nearest = shapely.STRtree(constraint).query_nearest(projected[apart])
    position[apart[rows]] = nearest  # one of the nearest when several are equally near
    lines = shapely.shortest_line(projected[apart[rows]], constraint[nearest])
    xy = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    to_lonlat = _transformer(CRS(settings.equal_area_crs), CRS(settings.storage_crs))
    lon, lat = to_lonlat.transform(xy[:, :, 0], xy[:, :, 1])
    metres = _GEOD.inv(lon[:, 0], lat[:, 0], lon[:, 1], lat[:, 1])[2]
    distance_km[apart[rows]] = np.asarray(metres) / 1e3
    return distance_km, position
