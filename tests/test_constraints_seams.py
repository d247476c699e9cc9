"""Overlap pieces meet vertex for vertex along the cell lines, and merge into valid polygons.

A feature's overlap is measured cell by cell; its pieces are merged back by a coverage union,
which needs the edges they share along a cell line to match vertex for vertex
(:func:`~longtu.analysis.constraints.seams.match_seams`). Small cases with known answers, then
the real counties cut finely against the plan's economic zones and the prefectures, merged by
the coverage union alone (no full union allowed): the same polygons as shapely's union.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from longtu.analysis.constraints import merging
from longtu.analysis.constraints.overlay import measure_layer, project
from longtu.analysis.constraints.seams import match_seams
from longtu.layout import load_layer


def _merged(pieces: np.ndarray, owner: np.ndarray | None = None) -> object:
    owner = np.zeros(len(pieces), dtype=int) if owner is None else owner
    return merging.coverage_union(match_seams(pieces, owner, 1.0))


def test_a_cell_meeting_two_finer_cells_gets_their_corner_and_the_three_merge():
    coarse = shapely.box(0, 0, 0.5, 0.5)
    fine = shapely.box(0.5, np.array([0, 0.25]), 0.75, np.array([0.25, 0.5]))
    pieces = np.r_[[coarse], fine]
    assert merging.coverage_union(pieces) is None  # as cut: the shared edges do not match
    merged = _merged(pieces)
    assert merged is not None and shapely.is_valid(merged)
    assert shapely.equals(merged, shapely.box(0, 0, 0.75, 0.5))
    assert shapely.get_num_coordinates(match_seams(pieces, np.zeros(3, int), 1.0)).tolist() == [
        6,
        5,
        5,
    ]


def test_crossing_points_that_differ_in_their_last_bits_become_one():
    """A feature edge crossing the line x = 0.5, its crossing point computed on each side."""
    y, y_other = 0.3, np.nextafter(0.3, 1.0)
    left = shapely.Polygon([(0, 0), (0.5, 0), (0.5, y), (0, 0.6)])
    right = shapely.Polygon([(0.5, 0), (1, 0), (1, 0.1), (0.5, y_other)])
    pieces = np.array([left, right])
    assert merging.coverage_union(pieces) is None
    merged = _merged(pieces)
    assert merged is not None and shapely.get_type_id(merged) == shapely.GeometryType.POLYGON
    assert shapely.area(merged) == pytest.approx(shapely.area(pieces).sum(), rel=1e-12)


def test_a_vertex_rounded_off_the_line_is_put_back_on_it():
    """A cell merged by a coverage union has its vertices rounded to 1e-9 of its size."""
    left = shapely.box(0, 0, 0.5 + 3e-10, 1)
    right = shapely.box(0.5, 0, 1, 1)
    merged = _merged(np.array([left, right]))
    assert merged is not None and shapely.equals(merged, shapely.box(0, 0, 1, 1))


def test_pieces_of_different_features_are_not_matched_to_each_other():
    coarse = shapely.box(0, 0, 0.5, 0.5)
    fine = shapely.box(0.5, np.array([0, 0.25]), 0.75, np.array([0.25, 0.5]))
    pieces = match_seams(np.r_[[coarse], fine], np.array([0, 1, 1]), 1.0)
    assert shapely.get_num_coordinates(pieces).tolist() == [5, 5, 5]


def test_polygons_away_from_the_lattice_are_kept_as_they_are():
    inside = shapely.Polygon([(0.1, 0.1), (0.3, 0.1), (0.3, 0.3), (0.1, 0.1)])
    assert match_seams(np.array([inside]), np.zeros(1, int), 1.0)[0] is inside


@pytest.mark.parametrize(
    ("layer", "crs"), [("economic_zones", 4326), ("prefectures", 4326), ("economic_zones", 32648)]
)
def test_overlaps_of_real_features_over_finely_cut_counties_are_shapelys(layer, crs, monkeypatch):
    """The counties cut into cells of at most 300 vertices, overlaid with real features.

    In lon/lat (tiles of 1°) and in UTM zone 48N (tiles of 100 km, cell lines every
    24.4140625 m at the finest). The counties tile Gansu, so each feature's overlap is the
    feature within the province: shapely's intersection with their union. Every merge goes
    through the coverage union of matched edges (no full union, no pairwise union of small
    groups): the overlaps have shapely's area and its number of polygons, and are valid.
    """
    monkeypatch.setattr(merging, "MAX_MERGED_VERTICES", 0)
    monkeypatch.setattr(merging, "SMALL_GROUP", 1)
    counties = load_layer("counties").to_crs(crs).geometry.to_numpy()
    features = load_layer(layer).to_crs(crs).geometry.to_numpy()
    m = measure_layer(project(features, crs), features, counties, crs, max_vertices=300)
    expected = shapely.intersection(features, shapely.union_all(counties))
    assert shapely.is_valid(m["pieces"]).all()
    np.testing.assert_allclose(shapely.area(m["pieces"]), shapely.area(expected), rtol=1e-9)
    polygons = shapely.get_num_geometries
    assert polygons(m["pieces"]).tolist() == polygons(expected).tolist()
    assert shapely.get_num_coordinates(counties).sum() > 20 * 300  # cut into many cells
