"""Point-pattern statistics: hand-checkable patterns, CRS handling, and the real parks."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import MultiPoint, Point, Polygon, box

from longtu import settings
from longtu.analysis.clustering.point_pattern import (
    PointPatternInputError,
    clark_evans,
    dbscan_clusters,
    kernel_density,
    projected_xy,
    ripley_l,
    sample_uniform_xy,
    study_polygon,
)
from longtu.analysis.clustering.run import park_points
from longtu.layout import load_layer

EA = settings.equal_area_crs
# Patterns drawn in metres in the equal-area CRS are drawn near Lanzhou, offset by (X0, Y0):
# distances are geodesic, and there the Albers scale is within 2 % of 1 (0.982 along parallels).
X0, Y0 = Transformer.from_crs("EPSG:4326", EA, always_xy=True).transform(103.8, 36.0)


def _points(x, y, crs=EA) -> gpd.GeoDataFrame:
    if crs == EA:
        x, y = np.asarray(x, dtype=float) + X0, np.asarray(y, dtype=float) + Y0
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=crs)


def _square(side_m: float, crs=EA) -> gpd.GeoSeries:
    return gpd.GeoSeries([box(X0, Y0, X0 + side_m, Y0 + side_m)], crs=crs)


@pytest.fixture(scope="module")
def province() -> gpd.GeoDataFrame:
    return load_layer("province")


@pytest.fixture(scope="module")
def park_pts() -> gpd.GeoDataFrame:
    return park_points(load_layer("parks"))[0]


def test_regular_grid_gives_clark_evans_near_two():
    # 10 x 10 grid, spacing 1 km (in the Albers plane), each point owning a 1 km² cell: expected
    # NN distance 0.5 / sqrt(1 per km²) = 0.5 km, observed ~1 km geodesic (the east-west
    # neighbour, 0.982 km at the Albers scale of Lanzhou), so R ~ 2.
    x, y = np.meshgrid(np.arange(10) * 1e3 + 500, np.arange(10) * 1e3 + 500)
    result = clark_evans(_points(x.ravel(), y.ravel()), study_area=_square(10e3))
    assert result.r_index == pytest.approx(2.0, rel=0.02)
    assert result.mean_nn_distance_km == pytest.approx(1.0, rel=0.02)
    assert result.expected_nn_distance_km == pytest.approx(0.5)
    # z = (mean NN - 0.5) / (0.26136 / sqrt(100 * 100 / 100 km²))
    expected_z = (result.mean_nn_distance_km - 0.5) / 0.026136
    assert result.z_score == pytest.approx(expected_z, rel=1e-6)
    assert result.p_value < 1e-10


def test_tight_cluster_gives_clark_evans_near_zero():
    rng = np.random.default_rng(1)
    xy = 50e3 + rng.uniform(-100, 100, size=(50, 2))  # 50 points within 100 m, in 100 km x 100 km
    result = clark_evans(_points(xy[:, 0], xy[:, 1]), study_area=_square(100e3))
    assert result.r_index < 0.3
    assert result.z_score < 0
    assert result.p_value < 1e-6


def test_clark_evans_counts_coincident_points_and_uses_polygon_area():
    # An L-shaped study area of 3 km² whose bounding box is 4 km².
    ell = gpd.GeoSeries([Polygon([(0, 0), (2e3, 0), (2e3, 1e3), (1e3, 1e3), (1e3, 2e3), (0, 2e3)])])
    ell = ell.translate(X0, Y0)
    pts = _points([100, 100, 100, 1500, 500], [100, 100, 100, 500, 1500])
    result = clark_evans(pts, study_area=ell.set_crs(EA))
    assert result.area_km2 == pytest.approx(3.0)
    assert result.n_coincident_points == 3
    assert result.n_points == 5


def test_clark_evans_measures_lonlat_input_geodesically():
    # Two points 0.1 degree of latitude apart: 11.09 km geodesic, never 0.1 "units" and not
    # the Albers planar distance (meridian scale 1.0185 at 36 N).
    pts = _points([104.0, 104.0], [36.0, 36.1], crs="EPSG:4326")
    area = gpd.GeoSeries([box(103, 35, 105, 37)], crs="EPSG:4326")
    geodesic_km = Geod(ellps="WGS84").inv(104, 36, 104, 36.1)[2] / 1e3
    measured_km = clark_evans(pts, study_area=area).mean_nn_distance_km
    assert measured_km == pytest.approx(geodesic_km, rel=1e-9)


def test_inputs_without_crs_or_with_multipoints_raise_helpfully():
    with pytest.raises(PointPatternInputError, match="`points` has no CRS"):
        clark_evans(gpd.GeoSeries([Point(0, 0), Point(1, 1)]), study_area=_square(10))
    multi = gpd.GeoSeries([MultiPoint([(0, 0), (1, 1)]), Point(2, 2)], crs=EA)
    with pytest.raises(PointPatternInputError, match="`points` must hold only Point"):
        clark_evans(multi, study_area=_square(10))
    with pytest.raises(PointPatternInputError, match="`study_area` must be a GeoDataFrame"):
        clark_evans(_points([0, 1], [0, 1]), study_area=box(0, 0, 1, 1))


def test_ripley_l_of_two_points_by_hand():
    # Two points ~1 km apart (1.018 km geodesic: 1 km in the Albers plane east-west near
    # Lanzhou) in 100 km²: K(d >= 1.018 km) = 100 * 2 / (2 * 1) = 100 km²,
    # L = sqrt(100 / pi) = 5.642 km; K(d < 1.018 km) = 0.
    table = ripley_l(
        _points([0, 1e3], [0, 0]),
        study_area=_square(10e3),
        distances_km=[0.5, 1.0, 1.5],
        n_simulations=9,
    )
    assert table["l_observed_km"].tolist() == pytest.approx([0, 0, np.sqrt(100 / np.pi)], abs=1e-4)
    assert list(table.columns) == [
        "distance_km",
        "l_observed_km",
        "l_envelope_low_km",
        "l_envelope_high_km",
        "l_minus_d_km",
        "p_value_clustered",
        "p_value_dispersed",
        "n_simulations",
        "pattern",
    ]
    assert (table["n_simulations"] == 9).all()


def test_ripley_l_separates_clustered_from_random():
    square = _square(100e3)
    rng = np.random.default_rng(3)
    clustered = 20e3 + rng.uniform(0, 2e3, size=(40, 2))
    random_xy = sample_uniform_xy(study_polygon(square), 40, np.random.default_rng(4))
    random_xy -= (X0, Y0)  # _points adds the offset back
    kwargs = {"study_area": square, "distances_km": [5, 10, 20], "n_simulations": 39, "seed": 5}
    assert set(ripley_l(_points(*clustered.T), **kwargs)["pattern"]) == {"clustered"}
    assert (ripley_l(_points(*random_xy.T), **kwargs)["pattern"] == "csr").sum() >= 2
    again = ripley_l(_points(*clustered.T), **kwargs)
    assert again.equals(ripley_l(_points(*clustered.T), **kwargs))  # fixed seed


def test_uniform_samples_stay_inside_the_polygon(province):
    polygon = study_polygon(province)
    xy = sample_uniform_xy(polygon, 500, np.random.default_rng(0))
    assert shapely.contains_xy(polygon, xy[:, 0], xy[:, 1]).all()


def test_dbscan_eps_is_in_kilometres_not_degrees():
    # 0.01 degree of latitude at 36 N is ~1.11 km.
    pts = _points([104.0, 104.0, 104.0], [36.0, 36.01, 36.02], crs="EPSG:4326")
    assert dbscan_clusters(pts, eps_km=1.2, min_samples=2)["cluster_id"].tolist() == [0, 0, 0]
    assert dbscan_clusters(pts, eps_km=1.0, min_samples=2)["cluster_id"].tolist() == [-1, -1, -1]


def test_dbscan_returns_a_copy_with_core_flags():
    pts = _points([0, 1e3, 2e3, 5e5], [0, 0, 0, 0])
    out = dbscan_clusters(pts, eps_km=1.5, min_samples=3)
    assert out["cluster_id"].tolist() == [0, 0, 0, -1]
    assert out["core_point"].tolist() == [False, True, False, False]
    assert "cluster_id" not in pts.columns


def test_kernel_density_integrates_to_the_number_of_points():
    pts = _points([104.0, 104.3], [36.0, 36.2], crs="EPSG:4326")
    area = gpd.GeoSeries([box(102, 34, 106, 38)], crs="EPSG:4326")
    result = kernel_density(pts, bandwidth_km=15, cell_km=5, study_area=area)
    rows, cols = result.data.shape
    t = result.transform
    cells = [
        box(t.c + c * t.a, t.f + (r + 1) * t.e, t.c + (c + 1) * t.a, t.f + r * t.e)
        for r in range(rows)
        for c in range(cols)
    ]
    area_km2 = gpd.GeoSeries(cells, crs="EPSG:4326").to_crs(EA).area.to_numpy() / 1e6
    total = np.nansum(result.data.ravel() * area_km2)
    assert total == pytest.approx(2.0, rel=0.02)  # each point contributes 1
    assert result.band_name == "points_per_km2"
    assert result.tags["crs"] == "EPSG:4326"


def test_kernel_density_is_nan_outside_the_study_area():
    tri = gpd.GeoSeries([Polygon([(102, 34), (106, 34), (102, 38)])], crs="EPSG:4326")
    result = kernel_density(
        _points([103.0], [35.0], crs="EPSG:4326"), bandwidth_km=20, cell_km=20, study_area=tri
    )
    assert np.isnan(result.data[0, -1])  # north-east corner lies outside the triangle
    # The grid covers the bounds in whole cells: its last row lies just south of 34 N.
    assert np.isnan(result.data[-1, 0])
    assert np.isfinite(result.data[-2, 0])


def test_real_parks_are_clustered_mostly_through_shared_points(province, park_pts):
    every = clark_evans(park_pts, study_area=province)
    distinct = clark_evans(park_pts.drop_duplicates(subset="geometry"), study_area=province)
    assert every.n_coincident_points > 0
    assert distinct.n_coincident_points == 0
    assert every.r_index < distinct.r_index
    assert every.area_km2 == pytest.approx(province["area_km2"].sum(), rel=1e-3)


def test_projected_xy_uses_the_equal_area_crs():
    xy = projected_xy(_points([105.0], [0.0], crs="EPSG:4326"))
    assert xy.ravel().tolist() == pytest.approx([0.0, 0.0], abs=1e-6)
