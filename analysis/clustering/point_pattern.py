"""Point-pattern statistics in a projected CRS: Clark-Evans, Ripley's L, DBSCAN, kernel density.

Every function takes points (a GeoDataFrame or GeoSeries of Points with a CRS) and, where the
statistic needs one, the study area (a GeoDataFrame or GeoSeries of polygons, e.g. the ``province``
layer). Both are projected to :data:`longtu.settings.equal_area_crs` (Albers equal-area for
China, metres) before anything is measured, so areas are true areas and distances are planar
distances in metres. Over Gansu the Albers scale factors lie between 0.982 (along parallels) and
1.019 (along meridians), so distances are within 2 % of geodesic ones: ample for clustering at
county scale. Nothing is measured in degrees.

Coincident points (several features placed at the same county point) are kept, never jittered:
each function counts them, and the callers report that placement precision limits the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine
from pyproj import CRS
from scipy import stats
from scipy.spatial import cKDTree
from scipy.spatial.distance import pdist
from shapely.geometry.base import BaseGeometry
from sklearn.cluster import DBSCAN

from longtu import settings
from longtu.analysis.result import RasterResult
from longtu.errors import PointPatternInputError

#: Kilometres per degree of latitude (WGS84 mean, 111.32 km); used only to size KDE grid cells.
KM_PER_DEGREE = 111.32


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


def projected_xy(points: gpd.GeoDataFrame | gpd.GeoSeries, *, name: str = "points") -> np.ndarray:
    """Coordinates (m) of Point geometries in the equal-area CRS, shape ``(n, 2)``.

    Parameters
    ----------
    points
        Points with a CRS; no missing, empty or non-Point geometry.
    name
        Argument name used in error messages.

    Returns
    -------
    numpy.ndarray
        ``x, y`` in metres in :data:`longtu.settings.equal_area_crs`.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> pts = gpd.GeoSeries([Point(105, 0)], crs="EPSG:4326")
    >>> projected_xy(pts).round(1).tolist()
    [[0.0, 0.0]]
    """
    geoms = _check_geo(points, name)
    missing = geoms.isna() | geoms.is_empty
    if missing.any() or not (geoms.geom_type == "Point").all():
        raise PointPatternInputError(
            f"`{name}` must hold only Point geometries; found {int(missing.sum())} missing/empty "
            f"and {int((~missing & (geoms.geom_type != 'Point')).sum())} non-Point rows. Drop "
            "unplaced rows and reduce MultiPoints first (e.g. `park_points`)."
        )
    projected = geoms.to_crs(settings.equal_area_crs)
    return shapely.get_coordinates(projected.to_numpy())


def study_polygon(study_area: gpd.GeoDataFrame | gpd.GeoSeries) -> BaseGeometry:
    """The union of `study_area` in the equal-area CRS (metres).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> area = gpd.GeoSeries([box(0, 0, 1000, 2000)], crs=settings.equal_area_crs)
    >>> study_polygon(area).area
    2000000.0
    """
    geoms = _check_geo(study_area, "study_area")
    polygon = shapely.union_all(geoms.to_crs(settings.equal_area_crs).to_numpy())
    if polygon.is_empty or polygon.area <= 0:
        raise PointPatternInputError("`study_area` has no area; pass polygons such as `province`.")
    return polygon


def clark_evans(
    points: gpd.GeoDataFrame | gpd.GeoSeries, *, study_area: gpd.GeoDataFrame | gpd.GeoSeries
) -> ClarkEvansResult:
    """Clark-Evans nearest-neighbour index of `points` in `study_area`, with its z and p-value.

    Own implementation of the standard formula without edge correction (Clark & Evans 1954):
    expected mean distance ``0.5 / sqrt(rho)``, standard error ``0.26136 / sqrt(n * rho)``,
    ``rho = n / area``. Coincident points are kept (their nearest-neighbour distance is 0) and
    counted in ``n_coincident_points``.

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
    >>> from shapely.geometry import box
    >>> crs = settings.equal_area_crs
    >>> x, y = np.meshgrid(np.arange(10.0), np.arange(10.0))
    >>> grid = gpd.GeoSeries(gpd.points_from_xy(x.ravel(), y.ravel()), crs=crs)
    >>> area = gpd.GeoSeries([box(-0.5, -0.5, 9.5, 9.5)], crs=crs)
    >>> round(clark_evans(grid, study_area=area).r_index, 3)
    2.0
    """
    xy = projected_xy(points)
    if len(xy) < 2:
        raise PointPatternInputError(
            "`points` needs at least 2 points for a nearest-neighbour test."
        )
    area_m2 = study_polygon(study_area).area
    nn_m = cKDTree(xy).query(xy, k=2)[0][:, 1]
    n = len(xy)
    rho = n / area_m2
    expected_m = 0.5 / np.sqrt(rho)
    se_m = 0.26136 / np.sqrt(n * rho)
    z = (nn_m.mean() - expected_m) / se_m
    return ClarkEvansResult(
        r_index=float(nn_m.mean() / expected_m),
        z_score=float(z),
        p_value=float(2 * stats.norm.sf(abs(z))),
        n_points=n,
        n_coincident_points=int((nn_m == 0).sum()),
        area_km2=float(area_m2 / 1e6),
        mean_nn_distance_km=float(nn_m.mean() / 1e3),
        expected_nn_distance_km=float(expected_m / 1e3),
    )


def sample_uniform_xy(polygon: BaseGeometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` points uniform in `polygon` (rejection sampling in its bounds), shape ``(n, 2)``.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> xy = sample_uniform_xy(box(0, 0, 2, 1), 50, np.random.default_rng(0))
    >>> xy.shape, bool((xy[:, 0] <= 2).all() and (xy[:, 1] <= 1).all())
    ((50, 2), True)
    """
    west, south, east, north = polygon.bounds
    shapely.prepare(polygon)
    found = np.empty((0, 2))
    while len(found) < n:
        batch = rng.uniform((west, south), (east, north), size=(max(2 * n, 64), 2))
        found = np.vstack([found, batch[shapely.contains_xy(polygon, batch[:, 0], batch[:, 1])]])
    return found[:n]


def _l_function_km(xy: np.ndarray, area_m2: float, distances_m: np.ndarray) -> np.ndarray:
    pair_m = np.sort(pdist(xy))
    n = len(xy)
    # pdist lists each unordered pair once; K counts ordered pairs i != j.
    counts = 2 * np.searchsorted(pair_m, distances_m, side="right")
    k_m2 = area_m2 * counts / (n * (n - 1))
    return np.sqrt(k_m2 / np.pi) / 1e3


def ripley_l(
    points: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    study_area: gpd.GeoDataFrame | gpd.GeoSeries,
    distances_km: np.ndarray | list[float],
    n_simulations: int = 99,
    seed: int = 0,
) -> pd.DataFrame:
    """Ripley's L function of `points` with a CSR simulation envelope inside `study_area`.

    ``K(d) = area * #{ordered pairs i != j with d_ij <= d} / (n (n - 1))``, ``L = sqrt(K / pi)``,
    without edge correction (own implementation: pointpats 2.5 ``k()`` takes its area from the
    points' bounding box, not the study polygon). The envelope is the pointwise minimum and
    maximum of L over `n_simulations` patterns of the same size drawn uniformly in the study
    polygon (not its bounding box) and measured the same way, so the missing edge correction
    biases observed and simulated L alike. Pointwise, a value outside the envelope has a
    two-sided significance of ``2 / (n_simulations + 1)``.

    Parameters
    ----------
    points
        At least two Points with a CRS.
    study_area
        Polygons whose union is the study area.
    distances_km
        Distances at which to evaluate L, km.
    n_simulations
        Number of CSR patterns.
    seed
        Seed of the random generator (results are reproducible).

    Returns
    -------
    pandas.DataFrame
        ``distance_km``, ``l_observed_km``, ``l_envelope_low_km``, ``l_envelope_high_km``,
        ``l_minus_d_km`` and ``pattern`` (``clustered`` above the envelope, ``dispersed`` below,
        ``csr`` inside).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> crs = settings.equal_area_crs
    >>> pts = gpd.GeoSeries(gpd.points_from_xy([0, 10, 20, 5e4], [0, 0, 10, 5e4]), crs=crs)
    >>> area = gpd.GeoSeries([box(0, 0, 1e5, 1e5)], crs=crs)
    >>> table = ripley_l(pts, study_area=area, distances_km=[1], n_simulations=19)
    >>> table["pattern"].tolist()
    ['clustered']
    """
    xy = projected_xy(points)
    if len(xy) < 2:
        raise PointPatternInputError("`points` needs at least 2 points for Ripley's L.")
    distances = np.asarray(distances_km, dtype=float)
    if distances.ndim != 1 or (distances <= 0).any():
        raise PointPatternInputError("`distances_km` must be a 1-D list of positive distances.")
    polygon = study_polygon(study_area)
    rng = np.random.default_rng(seed)
    observed = _l_function_km(xy, polygon.area, distances * 1e3)
    simulated = np.array(
        [
            _l_function_km(sample_uniform_xy(polygon, len(xy), rng), polygon.area, distances * 1e3)
            for _ in range(n_simulations)
        ]
    )
    low, high = simulated.min(axis=0), simulated.max(axis=0)
    pattern = np.where(observed > high, "clustered", np.where(observed < low, "dispersed", "csr"))
    return pd.DataFrame(
        {
            "distance_km": distances,
            "l_observed_km": observed,
            "l_envelope_low_km": low,
            "l_envelope_high_km": high,
            "l_minus_d_km": observed - distances,
            "pattern": pattern,
        }
    )


def dbscan_clusters(
    points: gpd.GeoDataFrame, *, eps_km: float, min_samples: int
) -> gpd.GeoDataFrame:
    """DBSCAN clusters of `points` (scikit-learn) on equal-area coordinates in metres.

    Coincident points each count towards `min_samples`, as DBSCAN defines it; callers should
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
    >>> crs = settings.equal_area_crs
    >>> pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy([0, 1e3, 2e3, 9e5], [0] * 4), crs=crs)
    >>> dbscan_clusters(pts, eps_km=1.5, min_samples=2)["cluster_id"].tolist()
    [0, 0, 0, -1]
    """
    if eps_km <= 0 or min_samples < 1:
        raise PointPatternInputError("`eps_km` must be > 0 and `min_samples` >= 1.")
    xy = projected_xy(points)
    model = DBSCAN(eps=eps_km * 1e3, min_samples=min_samples).fit(xy)
    out = points.copy()
    out["cluster_id"] = model.labels_.astype(int)
    core = np.zeros(len(xy), dtype=bool)
    core[model.core_sample_indices_] = True
    out["core_point"] = core
    return out


def _lonlat_grid(polygon_lonlat: BaseGeometry, cell_km: float) -> tuple[np.ndarray, Affine]:
    west, south, east, north = polygon_lonlat.bounds
    dlat = cell_km / KM_PER_DEGREE
    dlon = cell_km / (KM_PER_DEGREE * np.cos(np.radians((south + north) / 2)))
    n_cols, n_rows = int(np.ceil((east - west) / dlon)), int(np.ceil((north - south) / dlat))
    transform = Affine(dlon, 0.0, west, 0.0, -dlat, north)
    lon, lat = np.meshgrid(
        west + (np.arange(n_cols) + 0.5) * dlon, north - (np.arange(n_rows) + 0.5) * dlat
    )
    return np.stack([lon, lat]), transform


def kernel_density(
    points: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    bandwidth_km: float,
    cell_km: float,
    study_area: gpd.GeoDataFrame | gpd.GeoSeries,
) -> RasterResult:
    """Gaussian kernel density of `points`, points per km², on a lon/lat grid (EPSG:4326).

    The grid is regular in longitude/latitude (cells ~`cell_km` at the study area's middle
    latitude); each cell holds the density at its centre, computed with distances in the
    equal-area CRS: ``sum_i exp(-d_i² / 2h²) / (2 pi h²)`` with ``h = bandwidth_km``. Each point
    integrates to 1, so the surface integrates to the number of points (less what spills over
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
        raise PointPatternInputError("`bandwidth_km` and `cell_km` must be positive.")
    xy_km = projected_xy(points) / 1e3
    study_polygon(study_area)  # checks CRS and area
    study_lonlat = _check_geo(study_area, "study_area").to_crs(settings.storage_crs)
    polygon_lonlat = shapely.union_all(study_lonlat.to_numpy())
    lonlat, transform = _lonlat_grid(polygon_lonlat, cell_km)
    centres = gpd.GeoSeries(
        gpd.points_from_xy(lonlat[0].ravel(), lonlat[1].ravel()), crs=settings.storage_crs
    )
    centres_km = shapely.get_coordinates(centres.to_crs(settings.equal_area_crs).to_numpy()) / 1e3
    squared = ((centres_km[:, None, :] - xy_km[None, :, :]) ** 2).sum(axis=2)
    density = np.exp(-squared / (2 * bandwidth_km**2)).sum(axis=1) / (2 * np.pi * bandwidth_km**2)
    inside = shapely.contains_xy(polygon_lonlat, lonlat[0].ravel(), lonlat[1].ravel())
    data = np.where(inside, density, np.nan).reshape(lonlat.shape[1:])
    tags = {
        "crs": CRS.from_user_input(settings.storage_crs).to_string(),
        "unit": "points per km2",
        "kernel": "gaussian, bandwidth = standard deviation",
        "bandwidth_km": str(bandwidth_km),
        "cell_km_nominal": str(cell_km),
        "method": "density at each lon/lat cell centre from equal-area distances "
        f"({settings.equal_area_crs}); no edge correction",
        "n_points": str(len(xy_km)),
    }
    return RasterResult(data=data, transform=transform, band_name="points_per_km2", tags=tags)


def _check_geo(obj: object, name: str) -> gpd.GeoSeries:
    if isinstance(obj, gpd.GeoDataFrame):
        geoms = obj.geometry
    elif isinstance(obj, gpd.GeoSeries):
        geoms = obj
    else:
        raise PointPatternInputError(
            f"`{name}` must be a GeoDataFrame or GeoSeries, got {type(obj).__name__}."
        )
    if geoms.crs is None:
        raise PointPatternInputError(
            f"`{name}` has no CRS; set one with `set_crs()` "
            f"(plan layers are {settings.storage_crs})."
        )
    return geoms
