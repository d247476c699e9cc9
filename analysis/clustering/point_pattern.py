"""Point-pattern statistics on the ellipsoid: Clark-Evans, Ripley's L, DBSCAN, kernel density.

Every function takes points (a GeoDataFrame or GeoSeries of Points with a CRS) and, where the
statistic needs one, the study area (a GeoDataFrame or GeoSeries of polygons, e.g. the ``province``
layer). Every distance is geodesic on the WGS84 ellipsoid
(:mod:`longtu.analysis.clustering.geodesic`); every area is taken in
:data:`longtu.settings.equal_area_crs` (Albers equal-area, so areas are true). A planar
distance in that Albers CRS would be off by up to 1.8 % over Gansu (scale 0.982 along parallels,
1.019 along meridians): enough to change which parks DBSCAN joins at ``eps = 50 km`` and
Ripley's L by 8.6 % at 50 km, so no distance is taken there. Nothing is measured in degrees.

Coincident points (several features placed at the same county point) are kept, never jittered:
each function counts them, and the callers report that placement precision limits the analysis.

Ripley's L is an own implementation (:mod:`longtu.analysis.clustering.csr`): pointpats 2.5
``k()`` takes its area from the points' bounding box, not the study polygon, and planar
distances. With the default 999 simulations its verdicts no longer change with the seed (with
99, the min-max envelope did).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import stats
from sklearn.cluster import DBSCAN

from longtu import settings
from longtu.analysis.clustering.csr import (  # noqa: F401 - sample_uniform_xy imported from here
    l_function_km,
    sample_uniform_xy,
    simulated_l_km,
)
from longtu.analysis.clustering.density import (  # noqa: F401 - KM_PER_DEGREE imported from here
    KM_PER_DEGREE,
    density_at_centres,
    density_tags,
    lonlat_grid,
)
from longtu.analysis.clustering.geodesic import distance_matrix_km, pair_distances_km
from longtu.analysis.clustering.inference import monte_carlo_p_values
from longtu.analysis.clustering.points import (  # noqa: F401 - projected_xy imported from here
    geo_series,
    lonlat_xy,
    projected_xy,
    study_polygon,
)
from longtu.analysis.result import RasterResult
from longtu.errors import PointPatternInputError


@dataclass(frozen=True)
class ClarkEvansResult:
    """Clark-Evans nearest-neighbour index (Clark & Evans 1954, Ecology 35(4): 445-453).

    Attributes
    ----------
    r_index : float
        Observed over expected mean nearest-neighbour distance: ~1 random, <1 clustered,
        up to 2.15 for a perfectly regular (hexagonal) pattern.
    z_score, p_value : float
        Normal test of the observed mean against CSR, two-sided.
    n_points : int
        Points used.
    n_coincident_points : int
        Points whose nearest neighbour is at distance 0 (same location as another point).
    area_km2 : float
        Study-area area (equal-area CRS).
    mean_nn_distance_km, expected_nn_distance_km : float
        Observed mean and CSR expectation ``0.5 / sqrt(n / area)``.
    """

    r_index: float
    z_score: float
    p_value: float
    n_points: int
    n_coincident_points: int
    area_km2: float
    mean_nn_distance_km: float
    expected_nn_distance_km: float


def clark_evans(
    points: gpd.GeoDataFrame | gpd.GeoSeries, *, study_area: gpd.GeoDataFrame | gpd.GeoSeries
) -> ClarkEvansResult:
    """Clark-Evans nearest-neighbour index of `points` in `study_area`, with its z and p-value.

    Own implementation of the standard formula without edge correction (Clark & Evans 1954):
    expected mean distance ``0.5 / sqrt(rho)``, standard error ``0.26136 / sqrt(n * rho)``,
    ``rho = n / area``. Nearest-neighbour distances are geodesic (WGS84); the area is that of
    the study polygon in the equal-area CRS. Coincident points are kept (their
    nearest-neighbour distance is 0) and counted in ``n_coincident_points``.

    Parameters
    ----------
    points
        At least two Points with a CRS.
    study_area
        Polygons whose union is the study area (not the bounding box).

    Returns
    -------
    ClarkEvansResult

    Examples
    --------
    Two points 10 km apart in a 100 km² square: R = 10 / (0.5 * sqrt(100 / 2)) = 2.83.

    >>> from pyproj import Geod
    >>> from shapely.geometry import Point, box
    >>> lon, lat, _ = Geod(ellps="WGS84").fwd(104.0, 36.0, 90, 10_000)
    >>> pts = gpd.GeoSeries([Point(104, 36), Point(lon, lat)], crs="EPSG:4326")
    >>> area = gpd.GeoSeries([box(0, 0, 1e4, 1e4)], crs=settings.equal_area_crs)
    >>> round(clark_evans(pts, study_area=area).r_index, 3)
    2.828
    """
    lonlat = lonlat_xy(points)
    if len(lonlat) < 2:
        raise PointPatternInputError(
            "`points` needs at least 2 points for a nearest-neighbour test.",
            zh="最近邻检验至少需要 2 个点。",
        )
    area_km2 = study_polygon(study_area).area / 1e6
    nn_km = nearest_neighbour_km(lonlat)
    n = len(lonlat)
    rho = n / area_km2
    expected_km = 0.5 / np.sqrt(rho)
    z = (nn_km.mean() - expected_km) / (0.26136 / np.sqrt(n * rho))
    return ClarkEvansResult(
        r_index=float(nn_km.mean() / expected_km),
        z_score=float(z),
        p_value=float(2 * stats.norm.sf(abs(z))),
        n_points=n,
        n_coincident_points=int((nn_km == 0).sum()),
        area_km2=float(area_km2),
        mean_nn_distance_km=float(nn_km.mean()),
        expected_nn_distance_km=float(expected_km),
    )


def nearest_neighbour_km(lonlat: np.ndarray) -> np.ndarray:
    """Geodesic distance (km) from each point to its nearest other point (0 if coincident).

    Examples
    --------
    >>> nearest_neighbour_km(np.array([[104.0, 36.0], [104.0, 36.0], [105.0, 36.0]])).round(1)
    array([ 0. ,  0. , 90.2])
    """
    distance = distance_matrix_km(lonlat)
    np.fill_diagonal(distance, np.inf)
    return distance.min(axis=1)


def ripley_l(
    points: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    study_area: gpd.GeoDataFrame | gpd.GeoSeries,
    distances_km: np.ndarray | list[float],
    n_simulations: int = 999,
    seed: int = 0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Ripley's L function of `points` with pointwise Monte Carlo p-values against CSR.

    ``K(d) = area * #{ordered pairs i != j with d_ij <= d} / (n (n - 1))``, ``L = sqrt(K / pi)``,
    with geodesic pair distances and the study polygon's equal-area area, without edge
    correction. `n_simulations` patterns of the same size are drawn uniformly in the study
    polygon (not its bounding box) and measured the same way, so the missing edge correction
    biases observed and simulated L alike. At each distance,
    ``p_value_clustered = (1 + #{L_sim >= L_obs}) / (N + 1)`` and ``p_value_dispersed`` likewise
    with ``<=``, ties counted (:func:`~longtu.analysis.clustering.inference.monte_carlo_p_values`).
    The pattern is ``clustered`` (``dispersed``) where that p-value is at most ``alpha / 2``
    (two-sided test at `alpha`, pointwise: not a global envelope test). The envelope columns are
    the ``alpha / 2`` and ``1 - alpha / 2`` quantiles of the simulated L. Why an own
    implementation, and why 999 simulations: the module docstring.

    Parameters
    ----------
    points
        At least two Points with a CRS.
    study_area
        Polygons whose union is the study area.
    distances_km
        Distances at which to evaluate L, km.
    n_simulations, seed
        Number of CSR patterns, and the seed of their random generator (results reproducible).
    alpha
        Two-sided pointwise significance level.

    Returns
    -------
    pandas.DataFrame
        ``distance_km``, ``l_observed_km``, ``l_envelope_low_km``, ``l_envelope_high_km``,
        ``l_minus_d_km``, ``p_value_clustered``, ``p_value_dispersed``, ``n_simulations`` and
        ``pattern`` (``clustered``, ``dispersed`` or ``csr``).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> crs = settings.equal_area_crs
    >>> x0, y0 = 0.0, 4.0e6  # about 36 N, 105 E
    >>> pts = gpd.GeoSeries(gpd.points_from_xy([x0, x0 + 10, x0 + 20, x0 + 5e4],
    ...     [y0, y0, y0 + 10, y0 + 5e4]), crs=crs)
    >>> area = gpd.GeoSeries([box(x0, y0, x0 + 1e5, y0 + 1e5)], crs=crs)
    >>> table = ripley_l(pts, study_area=area, distances_km=[1], n_simulations=99)
    >>> table["pattern"].tolist(), float(table["p_value_clustered"].iloc[0])
    (['clustered'], 0.01)
    """
    lonlat, distances = _ripley_inputs(points, distances_km, n_simulations, alpha)
    polygon = study_polygon(study_area)
    observed = l_function_km(pair_distances_km(lonlat), len(lonlat), polygon.area / 1e6, distances)
    simulated = simulated_l_km(polygon, len(lonlat), distances, n_simulations, seed)
    return _l_table(distances, observed, simulated, n_simulations, alpha)


def _ripley_inputs(
    points: gpd.GeoDataFrame | gpd.GeoSeries,
    distances_km: np.ndarray | list[float],
    n_simulations: int,
    alpha: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The points' lon/lat and the distances as an array, once every argument is checked."""
    lonlat = lonlat_xy(points)
    if len(lonlat) < 2:
        raise PointPatternInputError(
            "`points` needs at least 2 points for Ripley's L.",
            zh="Ripley L 函数至少需要 2 个点。",
        )
    distances = np.asarray(distances_km, dtype=float)
    if distances.ndim != 1 or (distances <= 0).any():
        raise PointPatternInputError(
            "`distances_km` must be a 1-D list of positive distances.",
            zh="距离（km）须为一列正数。",
        )
    if n_simulations < 1 or not 0 < alpha < 1:
        raise PointPatternInputError(
            "`n_simulations` must be >= 1 and `alpha` in (0, 1).",
            zh=f"模拟次数须至少为 1（而不是 {n_simulations}），显著性水平须在 0 与 1 之间"
            f"（而不是 {alpha}）。",
        )
    return lonlat, distances


def _l_table(
    distances: np.ndarray,
    observed: np.ndarray,
    simulated: np.ndarray,
    n_simulations: int,
    alpha: float,
) -> pd.DataFrame:
    """Observed L, its CSR envelope, p-values and verdict at each distance."""
    p_clustered, p_dispersed = monte_carlo_p_values(observed, simulated)
    low, high = np.quantile(simulated, [alpha / 2, 1 - alpha / 2], axis=0)
    clustered, dispersed = p_clustered <= alpha / 2, p_dispersed <= alpha / 2
    return pd.DataFrame(
        {
            "distance_km": distances,
            "l_observed_km": observed,
            "l_envelope_low_km": low,
            "l_envelope_high_km": high,
            "l_minus_d_km": observed - distances,
            "p_value_clustered": p_clustered,
            "p_value_dispersed": p_dispersed,
            "n_simulations": n_simulations,
            "pattern": np.where(clustered, "clustered", np.where(dispersed, "dispersed", "csr")),
        }
    )


def dbscan_clusters(
    points: gpd.GeoDataFrame, *, eps_km: float, min_samples: int
) -> gpd.GeoDataFrame:
    """DBSCAN clusters of `points` (scikit-learn) on geodesic distances in km.

    scikit-learn's DBSCAN runs on the precomputed matrix of WGS84 geodesic distances (not on
    projected coordinates, whose scale error over Gansu reaches 1.8 %; nor on the haversine
    metric, whose sphere differs from the ellipsoid by up to ~0.3 %). A point is in another's
    neighbourhood when their geodesic distance is at most `eps_km`. Coincident points each count
    towards `min_samples`, as DBSCAN defines it; callers should
    report clusters that exist only because several features share one placed point.

    Parameters
    ----------
    points
        Points with a CRS.
    eps_km
        Neighbourhood radius, km.
    min_samples
        Points (the point itself included) a core point needs within `eps_km`.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of `points` with ``cluster_id`` (-1 = noise) and ``core_point`` (bool).

    Examples
    --------
    >>> lon = [104.0, 104.01, 104.02, 110.0]  # 0.01 degree of longitude at 36 N: 0.90 km
    >>> pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, [36.0] * 4), crs="EPSG:4326")
    >>> dbscan_clusters(pts, eps_km=1.5, min_samples=2)["cluster_id"].tolist()
    [0, 0, 0, -1]
    """
    if eps_km <= 0 or min_samples < 1:
        raise PointPatternInputError(
            "`eps_km` must be > 0 and `min_samples` >= 1.",
            zh=f"DBSCAN 半径须大于 0 km（而不是 {eps_km}），每个集聚最少园区数须至少为 1"
            f"（而不是 {min_samples}）。",
        )
    distance = distance_matrix_km(lonlat_xy(points))
    model = DBSCAN(eps=eps_km, min_samples=min_samples, metric="precomputed").fit(distance)
    out = points.copy()
    out["cluster_id"] = model.labels_.astype(int)
    core = np.zeros(len(distance), dtype=bool)
    core[model.core_sample_indices_] = True
    out["core_point"] = core
    return out


def kernel_density(
    points: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    bandwidth_km: float,
    cell_km: float,
    study_area: gpd.GeoDataFrame | gpd.GeoSeries,
) -> RasterResult:
    """Gaussian kernel density of `points`, points per km², on a lon/lat grid (EPSG:4326).

    The grid is regular in longitude/latitude (cells ~`cell_km` at the study area's middle
    latitude); each cell holds the density at its centre, computed with geodesic distances
    on the WGS84 ellipsoid: ``sum_i exp(-d_i² / 2h²) / (2 pi h²)`` with ``h = bandwidth_km``
    (the planar Gaussian kernel, applied to geodesic distances). Each point integrates to 1, so
    the surface integrates to the number of points (less what spills over
    the border: no edge correction). Cells whose centre is outside the study area are NaN.

    Parameters
    ----------
    points
        Points with a CRS.
    bandwidth_km
        Standard deviation of the Gaussian kernel, km.
    cell_km
        Nominal cell size, km.
    study_area
        Polygons whose union is the study area.

    Returns
    -------
    RasterResult
        Band ``points_per_km2``; tags give CRS, kernel, bandwidth and caveats.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> pts = gpd.GeoSeries([Point(104, 36)], crs="EPSG:4326")
    >>> area = gpd.GeoSeries([box(103, 35, 105, 37)], crs="EPSG:4326")
    >>> result = kernel_density(pts, bandwidth_km=20, cell_km=10, study_area=area)
    >>> peak = float(np.nanmax(result.data)) * 2 * np.pi * 20**2  # peak is ~1 / (2 pi h²)
    >>> result.data.shape, bool(0.9 < peak <= 1.0)
    ((23, 19), True)
    """
    if bandwidth_km <= 0 or cell_km <= 0:
        raise PointPatternInputError(
            "`bandwidth_km` and `cell_km` must be positive.",
            zh=f"核密度带宽与格网边长须为正数（km），而不是 {bandwidth_km} 与 {cell_km}。",
        )
    lonlat_points = lonlat_xy(points)
    study_polygon(study_area)  # checks CRS and area
    study_lonlat = geo_series(study_area, "study_area").to_crs(settings.storage_crs)
    polygon_lonlat = shapely.union_all(study_lonlat.to_numpy())
    lonlat, transform = lonlat_grid(polygon_lonlat, cell_km)
    data = density_at_centres(lonlat, polygon_lonlat, lonlat_points, bandwidth_km)
    tags = density_tags(bandwidth_km, cell_km, n_points=len(lonlat_points))
    return RasterResult(data=data, transform=transform, band_name="points_per_km2", tags=tags)
