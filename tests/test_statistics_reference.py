"""Reference suite: each clustering statistic against an independent computation (issue 19).

Every statistic of :mod:`longtu.analysis.clustering` and the constraint distance is recomputed
here without Longtu's code: distances with ``pyproj.Geod(ellps="WGS84").inv`` pair by pair,
areas with the province's polygons in ``settings.equal_area_crs`` (Albers equal-area, so exact),
clusters with scikit-learn's DBSCAN on a geodesic matrix built here, Moran's I with esda. Cases
are the real plan data (``plan_layers()``, ``counties``, ``province``) and small constructed
layouts whose answer is known by hand. No network; runs in CI.

Tolerances and documented method differences
--------------------------------------------
- Distances: geodesic on the WGS84 ellipsoid, compared to 1e-9 relative (same algorithm,
  Karney's, different call path). The Albers CRS is kept for areas only: its distances are off
  by up to 1.8 % over Gansu, and the tests below show that this changed real answers.
- Clark-Evans: no edge correction (Clark & Evans 1954); study area = the province polygon.
  Compared to the hand formula to 1e-9 relative.
- Ripley's L: no edge correction, study area = the province polygon (pointpats takes the
  points' bounding box, so it is not used as the reference); observed L compared to a hand
  pair count to 1e-9; verdicts from 999 simulations compared across seeds.
- DBSCAN: identical labels to scikit-learn on the geodesic precomputed matrix.
- Global Moran: I and the normal-approximation p equal esda's to 1e-9; the permutation
  p-value (999 permutations, own generator) within Monte Carlo error of esda's
  ``Moran(permutations=999).p_sim`` (4 binomial standard errors of the difference).
- Local Moran: p-values equal a tie-counting recount (``np.isclose``) of esda's own kept
  simulations with the same seed, exactly; counties whose neighbourhood has no variation are
  not testable.
- Kernel density: Gaussian kernel, bandwidth = standard deviation, geodesic distances; one cell
  compared to a hand sum to 1e-9.
- Constraint distance: a point 6.0 km north of a 5°-wide lon/lat box, 6.0 ± 0.05 km.
"""

from __future__ import annotations

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from libpysal import weights
from pyproj import Geod
from scipy.stats import norm
from shapely.geometry import Point, box
from sklearn.cluster import DBSCAN

from longtu import settings
from longtu.analysis.clustering import (
    INDUSTRY_GROUPS,
    clark_evans,
    dbscan_clusters,
    designated_groupings,
    kernel_density,
    moran_by_county,
    park_points,
    ripley_l,
    run_clustering,
)
from longtu.analysis.clustering.moran import NOT_TESTABLE
from longtu.analysis.clustering.run import _county_park_density
from longtu.analysis.constraints import ConstraintLayer, check_constraints
from longtu.analysis.distance import nearest_distance_km
from longtu.layout import load_layer, plan_layers

GEOD = Geod(ellps="WGS84")
EA = settings.equal_area_crs


def _geodesic_matrix_km(points: gpd.GeoDataFrame) -> np.ndarray:
    """Pair by pair with Geod.inv: the independent reference for every distance."""
    lon, lat = points.geometry.x.to_numpy(), points.geometry.y.to_numpy()
    n = len(lon)
    out = np.zeros((n, n))
    for i in range(n):
        out[i] = GEOD.inv(np.full(n, lon[i]), np.full(n, lat[i]), lon, lat)[2] / 1e3
    return out


@pytest.fixture(scope="module")
def layers() -> dict[str, gpd.GeoDataFrame]:
    return {**plan_layers(), "province": load_layer("province"), "counties": load_layer("counties")}


@pytest.fixture(scope="module")
def parks(layers) -> gpd.GeoDataFrame:
    return park_points(layers["parks"])[0]


@pytest.fixture(scope="module")
def result(layers):
    return run_clustering(layers)  # the defaults: 999 simulations and permutations


# --- distances: the eps = 49 km case ------------------------------------------------------


def test_the_real_pair_at_49_40_km_is_not_joined_at_eps_49(parks):
    # 兰州新区 (drawn at Zhongchuan airport) and 白银高新区: the Albers CRS puts them under 49 km.
    pair = parks[parks["name_zh"].isin(["兰州新区", "白银高新技术产业开发区"])]
    (a, b) = pair.geometry
    geodesic_km = GEOD.inv(a.x, a.y, b.x, b.y)[2] / 1e3
    planar_km = pair.to_crs(EA).geometry.iloc[0].distance(pair.to_crs(EA).geometry.iloc[1]) / 1e3
    assert geodesic_km == pytest.approx(49.40, abs=0.005)
    assert planar_km == pytest.approx(48.51, abs=0.005)  # the Albers artefact: 1.8 % short
    labels = dbscan_clusters(pair, eps_km=49, min_samples=2)["cluster_id"].tolist()
    assert labels == [-1, -1]
    assert dbscan_clusters(pair, eps_km=50, min_samples=2)["cluster_id"].tolist() == [0, 0]


@pytest.mark.parametrize(("distance_km", "joined"), [(50.78, False), (49.95, True)])
def test_pairs_straddling_eps_are_decided_by_their_geodesic_distance(distance_km, joined):
    # Built east-west at 36.5 N with Geod.fwd: where the Albers CRS is most wrong.
    lon, lat, _ = GEOD.fwd(103.6, 36.5, 90, distance_km * 1e3)
    pair = gpd.GeoDataFrame(geometry=[Point(103.6, 36.5), Point(lon, lat)], crs="EPSG:4326")
    labels = dbscan_clusters(pair, eps_km=50, min_samples=2)["cluster_id"]
    assert (labels >= 0).all() == joined


def test_dbscan_equals_sklearn_on_a_geodesic_matrix(parks):
    for eps_km, min_samples in ((50, 3), (25, 2), (100, 5)):
        ours = dbscan_clusters(parks, eps_km=eps_km, min_samples=min_samples)
        reference = DBSCAN(eps=eps_km, min_samples=min_samples, metric="precomputed")
        labels = reference.fit(_geodesic_matrix_km(parks)).labels_
        assert ours["cluster_id"].tolist() == labels.tolist()


def test_clark_evans_equals_the_hand_formula(parks, layers):
    area_km2 = layers["province"].to_crs(EA).union_all().area / 1e6
    for points in (parks, parks.drop_duplicates("geometry")):
        distance = _geodesic_matrix_km(points)
        np.fill_diagonal(distance, np.inf)
        nn = distance.min(axis=1)
        n = len(points)
        expected = 0.5 / np.sqrt(n / area_km2)
        z = (nn.mean() - expected) / (0.26136 / np.sqrt(n * n / area_km2))
        got = clark_evans(points, study_area=layers["province"])
        assert got.area_km2 == pytest.approx(area_km2, rel=1e-9)
        assert got.r_index == pytest.approx(nn.mean() / expected, rel=1e-9)
        assert got.z_score == pytest.approx(z, rel=1e-9)
        assert got.p_value == pytest.approx(2 * norm.sf(abs(z)), rel=1e-9)  # two-sided


def test_ripley_l_counts_geodesic_pairs(parks, layers):
    points = parks.drop_duplicates("geometry")
    area_km2 = layers["province"].to_crs(EA).union_all().area / 1e6
    distance = _geodesic_matrix_km(points)
    n = len(points)
    d = np.array([10.0, 25, 50, 100, 200, 300])
    pairs = np.array([((distance <= x).sum() - n) for x in d])  # ordered pairs i != j
    expected = np.sqrt(area_km2 * pairs / (n * (n - 1)) / np.pi)
    table = ripley_l(points, study_area=layers["province"], distances_km=d, n_simulations=19)
    assert table["l_observed_km"].to_numpy() == pytest.approx(expected, rel=1e-9)


def test_ripley_verdicts_do_not_depend_on_the_seed_at_999_simulations(parks, layers):
    kwargs = {"study_area": layers["province"], "distances_km": [25, 50, 100, 200]}
    points = parks.drop_duplicates("geometry")
    first = ripley_l(points, seed=0, **kwargs)
    second = ripley_l(points, seed=1, **kwargs)
    assert first["pattern"].tolist() == second["pattern"].tolist()
    assert (first["n_simulations"] == 999).all()
    # Pointwise p-values differ between seeds by Monte Carlo error only.
    assert first["p_value_clustered"].to_numpy() == pytest.approx(
        second["p_value_clustered"].to_numpy(), abs=0.03
    )


def test_kernel_density_equals_a_hand_sum(parks, layers):
    raster = kernel_density(parks, bandwidth_km=50, cell_km=20, study_area=layers["province"])
    row, col = np.argwhere(np.isfinite(raster.data))[len(parks)]
    t = raster.transform
    lon, lat = t.c + (col + 0.5) * t.a, t.f + (row + 0.5) * t.e
    lons, lats = parks.geometry.x.to_numpy(), parks.geometry.y.to_numpy()
    d_km = GEOD.inv(np.full(len(lons), lon), np.full(len(lons), lat), lons, lats)[2] / 1e3
    expected = np.exp(-(d_km**2) / (2 * 50**2)).sum() / (2 * np.pi * 50**2)
    assert raster.data[row, col] == pytest.approx(expected, rel=1e-9)


# --- Moran's I: permutation tests that count ties ---------------------------------------------


def _density_and_weights(layers):
    counties = layers["counties"]
    density = _county_park_density(layers["parks"], counties)
    y = counties["adcode"].map(density).to_numpy()
    w = weights.Queen.from_dataframe(counties, use_index=False, silence_warnings=True)
    w.transform = "r"
    return counties, density, y, w


def test_global_moran_permutation_p_agrees_with_esda(layers):
    counties, density, y, w = _density_and_weights(layers)
    ours = moran_by_county(density, counties)
    # esda's Moran draws from NumPy's legacy global generator: seeded here, then restored.
    state = np.random.get_state()  # noqa: NPY002
    try:
        np.random.seed(12345)  # noqa: NPY002
        reference = esda.Moran(y, w, transformation="r", permutations=999)
    finally:
        np.random.set_state(state)  # noqa: NPY002
    assert ours.moran_i == pytest.approx(reference.I, rel=1e-9)
    assert ours.p_value_normal == pytest.approx(reference.p_rand, rel=1e-9)
    p = (ours.p_value_one_sided + reference.p_sim) / 2
    monte_carlo_error = 4 * np.sqrt(2 * p * (1 - p) / 999) + 2 / 1000
    assert abs(ours.p_value_one_sided - reference.p_sim) < monte_carlo_error
    assert ours.test == "permutation test, 999 permutations, two-sided"
    assert ours.p_value == pytest.approx(2 * ours.p_value_one_sided)
    # The normal approximation (0.083) overstates the evidence on this zero-inflated measure
    # (18 of 90 counties non-zero): the permutation p is about 0.14 (two-sided); neither is
    # significant at 0.05, and the normal one would be read as "weak evidence" at 0.1.
    assert 0.09 < ours.p_value < 0.2 and 0.05 < ours.p_value_normal < 0.1


def test_local_moran_recounts_esda_simulations_with_ties(layers):
    counties, density, y, w = _density_and_weights(layers)
    ours = moran_by_county(density, counties, seed=7).local
    with np.errstate(divide="ignore", invalid="ignore"):
        lisa = esda.Moran_Local(y, w, permutations=999, seed=7, keep_simulations=True)
    close = np.isclose(lisa.sim, lisa.Is, rtol=1e-9, atol=1e-12)
    greater = ((lisa.sim > lisa.Is) | close).sum(axis=0)
    less = ((lisa.sim < lisa.Is) | close).sum(axis=0)
    reference = (np.minimum(greater, less) + 1) / 1000
    testable = ours["cluster"] != NOT_TESTABLE
    assert ours.loc[testable, "p_value"].to_numpy() == pytest.approx(reference[testable], abs=1e-12)
    assert ours["local_i"].to_numpy() == pytest.approx(lisa.Is, rel=1e-9)


def test_no_county_is_significant_and_zero_neighbourhoods_are_not_testable(result, layers):
    local = result.tables["moran_local"]
    assert not local["cluster"].isin(["HH", "LL", "HL", "LH"]).any()
    flat = local["cluster"] == NOT_TESTABLE
    assert (local.loc[flat, "value"] == 0).all() and flat.sum() == 48
    assert local.loc[flat, "p_value"].isna().all() and local.loc[flat, "q_value"].isna().all()
    assert (local.loc[flat, "cluster_zh"] == "无法检验：本县与相邻县取值相同").all()
    assert result.numbers["n_counties_significant"] == 0


def _grid_with_three_corners() -> tuple[gpd.GeoDataFrame, pd.Series]:
    cells = [box(c, r, c + 1, r + 1) for r in range(8) for c in range(8)]
    units = gpd.GeoDataFrame(
        {"adcode": [f"{i:02d}" for i in range(64)], "name_zh": "格"},
        geometry=cells,
        crs="EPSG:4326",
    )
    values = pd.Series(0.0, index=units["adcode"])
    values[["00", "07", "56"]] = [3.0, 2.0, 1.0]  # three corners non-zero
    return units, values


def test_eight_by_eight_grid_has_no_significant_cell_and_no_edge_artefact():
    units, values = _grid_with_three_corners()
    local = moran_by_county(values, units, seed=0).local.set_index("adcode")
    assert not local["cluster"].isin(["HH", "LL", "HL", "LH"]).any()
    # Zero cells among zeros: not testable, on the edge (5 neighbours) as inside (8): the
    # artefact (edge p = 0.01, inside 0.33 with esda's p_sim) is gone.
    assert local.loc["03", "cluster"] == NOT_TESTABLE  # edge
    assert local.loc["27", "cluster"] == NOT_TESTABLE  # inside
    # A non-zero corner has 3 zero neighbours; conditional permutations draw 3 of the other
    # 63 cells (61 zeros): all zero with probability C(61,3) / C(63,3) = 0.9063, and those
    # draws tie with the observed local I. So p = 0.906 within Monte Carlo error.
    expected = (61 * 60 * 59) / (63 * 62 * 61)
    assert local.loc["00", "p_value"] == pytest.approx(expected, abs=4 * np.sqrt(0.09 / 999))


# --- designated vs measured, on today's data ---------------------------------------------------


def _reference_share(parks, park_ids: list[str]) -> float:
    """Share of `park_ids` in their commonest cluster, with scikit-learn's DBSCAN (50 km, 3)."""
    reference = DBSCAN(eps=50, min_samples=3, metric="precomputed")
    labels = pd.Series(reference.fit(_geodesic_matrix_km(parks)).labels_, index=parks["feature_id"])
    own = labels.loc[park_ids]
    return float((own == own[own >= 0].value_counts().idxmax()).mean())


def test_designated_verdicts_with_geodesic_dbscan(result, layers, parks):
    table = result.tables["designated_vs_measured"].set_index("name_zh")
    zones = layers["economic_zones"].set_index("name_zh").geometry
    for zone, verdict in (("兰白中部开发区", "is a measured cluster"), ("兰白经济区", "mostly")):
        inside = parks.loc[parks.within(zones[zone]), "feature_id"].tolist()
        assert table.loc[zone, "share_in_cluster"] == pytest.approx(_reference_share(parks, inside))
        assert table.loc[zone, "verdict_en"].startswith(verdict), zone
    assert table.loc["兰白中部开发区", "share_in_cluster"] == 1.0
    assert table.loc["兰白经济区", "share_in_cluster"] == pytest.approx(33 / 39)
    nonferrous = table.loc["有色金属深加工及新材料产业基地"]
    assert nonferrous["verdict_en"].startswith("not a measured cluster")
    groupings = designated_groupings(
        layers["economic_zones"],
        layers["industrial_bases"],
        parks,
        industry_groups=INDUSTRY_GROUPS,
    ).set_index("name_zh")
    petrochemical = groupings.loc["石化产业基地", "park_ids"]
    assert table.loc["石化产业基地", "share_in_cluster"] == pytest.approx(7 / 10)
    assert _reference_share(parks, petrochemical) == pytest.approx(7 / 10)


def test_summaries_name_the_tests_and_their_sizes(result):
    for summary in (result.summary_en, result.summary_zh):
        assert "999" in summary
    assert "permutation test, 999 permutations, two-sided" in result.summary_en
    assert "999 CSR simulations" in result.summary_en
    assert "置换检验 999 次" in result.summary_zh and "999 次随机模拟" in result.summary_zh
    assert "geodesic" in result.numbers["distance_method"]


# --- constraint distances: edges straight in lon/lat ---------------------------------------


def _probe_north_of_a_wide_box() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    lon, lat, _ = GEOD.fwd(102.5, 38.0, 0, 6_000)  # 6.0 km north of the box's north edge
    point = gpd.GeoDataFrame({"feature_id": ["probe"]}, geometry=[Point(lon, lat)], crs=4326)
    wide = gpd.GeoDataFrame(geometry=[box(100.0, 36.0, 105.0, 38.0)], crs=4326)
    return point, wide


def test_point_north_of_a_long_edge_is_6_km_away_through_check_constraints():
    point, wide = _probe_north_of_a_wide_box()
    result = check_constraints(point, [ConstraintLayer(wide, "wide", buffer_km=5)])
    hit = result.tables["conflicts_table"].iloc[0]
    assert hit["distance_km"] == pytest.approx(6.0, abs=0.05)  # was 3.3 km
    assert hit["severity"] == "clear"  # not "near" at 5 km


def test_point_north_of_a_long_edge_is_6_km_away_through_nearest_distance():
    point, wide = _probe_north_of_a_wide_box()
    got = nearest_distance_km(point, wide)["distance_km"].iloc[0]
    assert got == pytest.approx(6.0, abs=0.05)


def test_overlap_of_a_wide_box_is_its_ellipsoidal_area():
    # The box covering itself: 100 %, and the area of the polygon whose edges are straight in
    # lon/lat, computed independently by Geod on the densified ring (0.01 degree steps).
    _, wide = _probe_north_of_a_wide_box()
    feature = wide.assign(feature_id=["box"])
    result = check_constraints(feature, [ConstraintLayer(wide, "same")])
    hit = result.tables["conflicts_table"].iloc[0]
    ring = shapely.segmentize(wide.geometry.iloc[0], 0.01).exterior
    lon, lat = np.asarray(ring.xy)
    area_km2 = abs(GEOD.polygon_area_perimeter(lon, lat)[0]) / 1e6
    assert hit["overlap_km2"] == pytest.approx(area_km2, rel=1e-5)
    assert hit["overlap_pct"] == pytest.approx(100.0, rel=1e-9)
