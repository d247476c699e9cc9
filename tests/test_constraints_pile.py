"""Constraint polygons piled many deep are merged largest first, the covered ones left out.

Ten million boxes over Gansu lie about forty deep; :func:`union_pile` merges the largest pieces
first and of the others only those their union does not cover. These tests hold its union equal
to a known one (nested buffers of the real counties: the union is that of the widest buffers),
and a check of plan features against a pile equal to shapely's union of the whole layer.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from longtu.analysis.constraints import merging
from longtu.analysis.constraints.overlay import measure_layer, project
from longtu.layout import load_layer

WIDTHS_DEG = np.linspace(0.0, 0.09, 10)


@pytest.fixture(scope="module")
def lanzhou() -> np.ndarray:
    """The real outlines of the counties of 兰州 (Lanzhou, prefecture code 6201)."""
    counties: gpd.GeoDataFrame = load_layer("counties")
    near = counties[counties["adcode"].astype(str).str.startswith("6201")]
    assert len(near) >= 5
    return near.geometry.to_numpy()


def _nested_buffers(outlines: np.ndarray) -> np.ndarray:
    """Each outline grown by each of :data:`WIDTHS_DEG`, shuffled (ten deep over each county)."""
    grown = np.concatenate([shapely.buffer(outlines, w, quad_segs=4) for w in WIDTHS_DEG])
    return grown[np.random.default_rng(3).permutation(len(grown))]


def test_a_pile_of_nested_buffers_merges_to_its_widest_buffers(lanzhou):
    pile = _nested_buffers(lanzhou)
    widest = shapely.union_all(shapely.buffer(lanzhou, WIDTHS_DEG[-1], quad_segs=4))
    for depth in (8.0, 30.0):  # the first pieces cover the ground three or a tenth times over
        merged = merging.union_pile(pile, depth=depth)
        assert shapely.is_valid(merged)
        assert shapely.area(shapely.symmetric_difference(merged, widest)) < 1e-9
        assert shapely.area(merged) == pytest.approx(shapely.area(widest), rel=1e-12)


def test_pieces_the_first_ones_do_not_cover_are_kept(lanzhou):
    """A small polygon off the pile and one crossing its edge both count in the union.

    Through :func:`merging.union_pieces` too, which takes the pile for one (deep enough).
    """
    pile = _nested_buffers(lanzhou)
    off = shapely.box(105.5, 37.5, 105.6, 37.6)  # well east of Lanzhou's counties
    _, south, east, _ = shapely.total_bounds(pile)
    across = shapely.box(east - 0.05, south, east + 0.2, south + 0.1)
    pieces = np.concatenate([pile, [off, across]])
    expected = shapely.union_all(pieces)
    for merged in (merging.union_pile(pieces, depth=30.0), merging.union_pieces(pieces)):
        assert shapely.area(shapely.symmetric_difference(merged, expected)) < 1e-9
        assert shapely.covers(merged, off) and shapely.covers(merged, across)


def test_a_check_against_a_deep_pile_equals_the_union_of_the_whole_layer(lanzhou, monkeypatch):
    """Counties around a pile of real outlines and boxes: overlaps as with one union_all.

    The pile is more than :data:`merging.PILE_DEPTH` deep in the cells the check merges, so
    they go through :func:`union_pile` (counted); the reference is shapely's union of the whole
    layer, intersected with each feature and projected, as in the other overlap tests.
    """
    rng = np.random.default_rng(17)
    west, south, east, north = shapely.total_bounds(lanzhou)
    x, y = rng.uniform(west, east - 0.1, 3_000), rng.uniform(south, north - 0.1, 3_000)
    side = rng.uniform(0.05, 0.3, (2, 3_000))
    boxes = shapely.box(x, y, x + side[0], y + side[1])
    layer = np.concatenate([_nested_buffers(lanzhou), boxes])
    counties = load_layer("counties").geometry.to_numpy()
    # Lanzhou's counties (covered whole) and their neighbours (covered in part).
    features = counties[shapely.intersects(counties, shapely.box(west, south, east, north))]
    piles: list[int] = []

    def counted(pieces: np.ndarray, depth: float) -> object:
        piles.append(len(pieces))
        return pile_union(pieces, depth)

    pile_union = merging.union_pile
    monkeypatch.setattr(merging, "union_pile", counted)
    m = measure_layer(project(features, 4326), features, layer, 4326, max_vertices=4_096)
    assert piles and sum(piles) > len(layer) / 2  # most pieces were merged as piles
    union = shapely.union_all(layer)
    expected_km2 = shapely.area(project(shapely.intersection(features, union), 4326)) / 1e6
    np.testing.assert_allclose(m["measure"], expected_km2, rtol=1e-5, atol=0.01)
    assert len(features) > 15 and (m["measure"] > 0).all()
    assert (m["measure"] < shapely.area(project(features, 4326)) / 1e6 - 1).sum() >= 5
