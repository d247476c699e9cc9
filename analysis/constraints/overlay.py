"""The array core of the constraint overlay: projection, merged overlaps, nearest distances.

One rule for what an edge is: an edge is straight in the CRS the geometry is stored in
(longitude/latitude for EPSG:4326, as QGIS and GDAL take it). The overlay is made in that CRS;
before anything is measured in the equal-area CRS the edges are densified there
(:func:`densify`), so that a long edge (the 5°-wide side of a box along a parallel) keeps its
shape when projected instead of becoming the chord between its end vertices, which cut a
parallel by up to 2.8 km across 5° of longitude and put a point 6.0 km away at 3.3 km.

Plain NumPy arrays of shapely geometries in and out, no pandas:
:mod:`longtu.analysis.constraints.check` wraps these in tables. Every geometric step is a vectorised
shapely call; the heavy ones (union, intersection, validity) release the GIL, so
:func:`~longtu.analysis.constraints.threads.in_parallel` runs them on two threads when the
arrays are large enough to pay for it.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

from longtu import settings
from longtu.analysis.constraints.threads import in_parallel, thread_pool
from longtu.analysis.constraints.tiles import MAX_CELL_VERTICES, cut_to_cells

MAX_SEGMENT_DEGREES = 0.05
"""Longest edge (degrees) of lon/lat geometries when projected: ~5.5 km, whose chord leaves
the edge it stands for by under 0.5 m in the equal-area CRS over Gansu (sag ``L² / 8ρ``)."""
MAX_SEGMENT_METRES = 5_000.0
"""Longest edge (metres) of geometries in another projected CRS when reprojected."""

_GEOD = Geod(ellps="WGS84")


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
    long[long] = _longest_step(geometries[long]) > step
    if not long.any():
        return geometries
    geometries = geometries.copy()
    geometries[long] = segmentize(geometries[long], step)
    return geometries


def segmentize(geometries: np.ndarray, step: float) -> np.ndarray:
    """``shapely.segmentize(geometries, step)``, for lines and polygons in NumPy at once.

    Each edge longer than `step` is cut into ``ceil(length / step)`` equal parts, as GEOS's
    densifier cuts it, but all edges of all geometries of a type in a few array operations
    (GEOS took 10 to 20 ms per polygon piece of 4,000 vertices, most of them on short edges).
    Other geometry types, and geometries with Z, go to ``shapely.segmentize``.

    Examples
    --------
    >>> square = np.array([shapely.box(0, 0, 1, 1)])
    >>> dense = segmentize(square, 0.3)
    >>> int(shapely.get_num_coordinates(dense)[0]), bool(shapely.equals(dense, square)[0])
    (17, True)
    """
    out = np.array(geometries, dtype=object, copy=True)
    kinds = np.where(shapely.has_z(out), -2, shapely.get_type_id(out))  # 3-D ones to GEOS
    for kind in (1, 3, 5, 6):  # LineString, Polygon, MultiLineString, MultiPolygon
        mine = np.flatnonzero(kinds == kind)
        if len(mine):
            out[mine] = _segmentize_ragged(out[mine], step)
    other = np.flatnonzero(~np.isin(kinds, (1, 3, 5, 6, -1)))
    if len(other):
        out[other] = shapely.segmentize(out[other], step)
    return out


def _segmentize_ragged(geometries: np.ndarray, step: float) -> np.ndarray:
    """:func:`segmentize` of geometries of one type, through their ragged coordinate arrays."""
    kind, xy, offsets = shapely.to_ragged_array(geometries)
    rings = np.asarray(offsets[0])  # coordinate offsets of each line or ring
    ring = np.repeat(np.arange(len(rings) - 1), np.diff(rings))
    delta = np.diff(xy, axis=0)
    parts = np.ones(len(xy), dtype=np.int64)  # points each vertex stands for, itself included
    inner = ring[1:] == ring[:-1]
    length = np.sqrt(delta[:, 0] ** 2 + delta[:, 1] ** 2)  # as GEOS computes it
    parts[:-1][inner] = np.maximum(np.ceil(length[inner] / step), 1).astype(np.int64)
    owner = np.repeat(np.arange(len(xy)), parts)
    index = np.arange(len(owner)) - np.repeat(np.cumsum(parts) - parts, parts)
    fraction = index / parts[owner]
    moved = np.zeros((len(xy), 2))
    moved[:-1] = delta
    dense = xy[owner] + moved[owner] * fraction[:, None]
    counts = np.bincount(ring, weights=parts, minlength=len(rings) - 1).astype(np.int64)
    new_rings = np.r_[0, np.cumsum(counts)]
    return shapely.from_ragged_array(kind, dense, (new_rings, *offsets[1:]))


def _longest_step(geometries: np.ndarray) -> np.ndarray:
    """Longest distance between consecutive vertices of each geometry.

    That is its longest edge, or more where one ring or part ends and the next begins: never
    less than the longest edge, so a geometry with no long edge is never missed.
    """
    xy, owner = shapely.get_coordinates(geometries, return_index=True)
    step = np.hypot(*np.diff(xy, axis=0).T)
    longest = np.zeros(len(geometries))
    same = owner[1:] == owner[:-1]
    np.maximum.at(longest, owner[1:][same], step[same])
    return longest


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


def transform(geometries: np.ndarray, source: CRS, target: CRS) -> np.ndarray:
    """Coordinates of `geometries` from `source` to `target` (nothing densified or repaired)."""
    return _transform(geometries, source, target)


def measure_layer(
    projected: np.ndarray,
    features: np.ndarray,
    own: np.ndarray,
    crs,
    *,
    valid: bool = False,
    max_vertices: int = MAX_CELL_VERTICES,
) -> dict[str, np.ndarray]:
    """Measure every feature against one constraint layer.

    `projected` are the features in the equal-area CRS, `features` the same in the layer's `crs`
    and `own` the layer's geometries (missing or empty ones are skipped). Returns arrays, one
    value per feature: ``n_hits``, ``measure`` (km² or km), ``pct``, ``distance_km``,
    ``nearest`` (position in `own` of the nearest geometry of a feature that touches none, else
    -1), ``dimension``, ``pieces`` (overlap geometry, in the layer's CRS, which ``crs`` holds),
    and the distinct intersecting pairs ``rows`` (feature) and ``hits`` (position in `own`).

    The overlay is made in the layer's CRS, in which its edges are straight (as GIS tools
    make it); the overlap is then measured in the equal-area CRS. The layer is cut into cells
    of at most `max_vertices` vertices (:func:`.tiles.cut_to_cells`) and overlaid as one
    partition (:func:`.partitions.measure_partition`), as each partition of a layer too large
    to hold is. Invalid geometries of `features` and
    `own` are overlaid as repaired copies, unless the caller says with `valid` that it repaired
    them already (:func:`repair`).

    Examples
    --------
    >>> square = np.array([shapely.box(104, 36, 104.1, 36.1)])
    >>> half = np.array([shapely.box(104.05, 35.9, 104.2, 36.2)])
    >>> m = measure_layer(project(square, 4326), square, half, 4326)
    >>> m["n_hits"].tolist(), round(float(m["pct"][0]))
    ([1], 50)
    """
    from longtu.analysis.constraints.partitions import combine_partials, measure_partition

    present = np.flatnonzero(~(shapely.is_missing(own) | shapely.is_empty(own)))
    own = own[present]
    if not valid:
        features, own = _valid(features), _valid(own)
    cells = cut_to_cells(own, crs, source=present, max_vertices=max_vertices)
    partial = measure_partition(features, projected, cells, crs, pool=thread_pool())
    return finish_measures(
        combine_partials([partial], shapely.get_dimensions(projected), crs), projected, crs
    )


def finish_measures(
    combined: dict[str, np.ndarray], projected: np.ndarray, crs
) -> dict[str, np.ndarray]:
    """The combined partitions' measures with ``pct``, ``dimension`` and ``crs`` added."""
    dimension = shapely.get_dimensions(projected)
    measure = combined["measure"]
    whole = np.where(dimension == 2, shapely.area(projected) / 1e6, shapely.length(projected) / 1e3)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(dimension > 0, 100 * measure / whole, np.nan)
    return {**combined, "pct": pct, "dimension": dimension, "crs": crs}


def _valid(geometries: np.ndarray) -> np.ndarray:
    """`geometries`, with repaired copies in place of the invalid ones (the input is kept)."""
    invalid = ~in_parallel(shapely.is_valid, geometries)
    if not invalid.any():
        return geometries
    geometries = geometries.copy()
    geometries[invalid] = shapely.make_valid(geometries[invalid])
    return geometries


def geodesic_km(lines: np.ndarray) -> np.ndarray:
    """Geodesic length (km, WGS84) between the ends of two-point lines in the equal-area CRS.

    Examples
    --------
    >>> south, north = project(shapely.points([[104, 36], [104, 37]]), 4326)
    >>> round(float(geodesic_km(np.array([shapely.LineString([south, north])]))[0]), 1)
    111.0
    """
    xy = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    to_lonlat = _transformer(CRS(settings.equal_area_crs), CRS(settings.storage_crs))
    lon, lat = to_lonlat.transform(xy[:, :, 0], xy[:, :, 1])
    metres = _GEOD.inv(lon[:, 0], lat[:, 0], lon[:, 1], lat[:, 1])[2]
    return np.asarray(metres) / 1e3
