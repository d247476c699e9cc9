"""Edges densified in NumPy (:func:`~longtu.analysis.constraints.overlay.segmentize`) as by GEOS."""

from __future__ import annotations

import numpy as np
import shapely

from longtu.analysis.constraints.overlay import segmentize


def _mixed() -> np.ndarray:
    """Lines, polygons with holes, multi-parts, a point, a 3-D polygon, an empty, a missing one."""
    rng = np.random.default_rng(5)
    wavy = shapely.Point(100.0, 37.0).buffer(0.6, quad_segs=64)
    holed = shapely.box(101, 36, 102.3, 37.1).difference(shapely.box(101.2, 36.2, 101.25, 37.0))
    boxes = shapely.box(*rng.uniform(95, 96, (2, 50)), *rng.uniform(96.01, 96.4, (2, 50)))
    parts = shapely.union(shapely.box(90, 30, 90.4, 30.1), shapely.box(91, 31, 91.02, 31.5))
    return np.array(
        [
            shapely.LineString([(100, 38), (105, 38), (105, 39.07)]),
            shapely.MultiLineString([[(0, 0), (1, 1)], [(2, 2), (2, 2.01)]]),
            wavy,
            holed,
            parts,
            shapely.Point(1, 1),
            shapely.Polygon([(0, 0, 1), (1, 0, 2), (1, 1, 3), (0, 0, 1)]),
            shapely.Polygon(),
            None,
            *boxes,
        ],
        dtype=object,
    )


def test_segmentize_gives_the_vertices_geos_gives():
    geometries = _mixed()
    ours, theirs = segmentize(geometries, 0.05), shapely.segmentize(geometries, 0.05)
    assert shapely.get_type_id(ours).tolist() == shapely.get_type_id(theirs).tolist()
    counts = shapely.get_num_coordinates(ours)
    assert counts.tolist() == shapely.get_num_coordinates(theirs).tolist()
    assert counts.sum() > 2 * shapely.get_num_coordinates(geometries).sum()  # edges were cut
    np.testing.assert_allclose(
        shapely.get_coordinates(ours, include_z=True),
        shapely.get_coordinates(theirs, include_z=True),
        rtol=0,
        atol=1e-12,
    )
    assert bool(shapely.equals(ours[2:5], geometries[2:5]).all())  # the same shapes
