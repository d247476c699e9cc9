"""Complete spatial randomness (CSR) for Ripley's L: uniform patterns and the L function.

:func:`longtu.analysis.clustering.point_pattern.ripley_l` measures the observed points and
`n_simulations` CSR patterns of the same size the same way: patterns drawn uniformly in the
study polygon (equal-area CRS, not its bounding box), distances between points geodesic on the
WGS84 ellipsoid, and ``L = sqrt(K / pi)`` without edge correction.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from longtu.analysis.clustering.geodesic import lonlat_from_equal_area, paired_distances_km


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


def l_function_km(
    pair_km: np.ndarray, n: int, area_km2: float, distances_km: np.ndarray
) -> np.ndarray:
    """L (km) at `distances_km` from the geodesic pair distances (last axis) of `n` points.

    Examples
    --------
    Two points 1 km apart in 1 km²: at 2 km both ordered pairs count, ``L = sqrt(1 / pi)``.

    >>> l_function_km(np.array([1.0]), 2, 1.0, np.array([0.5, 2.0])).round(4).tolist()
    [0.0, 0.5642]
    """
    # pair_km lists each unordered pair once; K counts ordered pairs i != j.
    counts = 2 * (pair_km[..., None] <= distances_km).sum(axis=-2)
    return np.sqrt(area_km2 * counts / (n * (n - 1)) / np.pi)


def simulated_l_km(
    polygon: BaseGeometry, n: int, distances_km: np.ndarray, n_simulations: int, seed: int
) -> np.ndarray:
    """L of `n_simulations` CSR patterns of `n` points in `polygon` (equal-area CRS)."""
    rng = np.random.default_rng(seed)
    xy = sample_uniform_xy(polygon, n * n_simulations, rng).reshape(n_simulations, n, 2)
    lonlat = lonlat_from_equal_area(xy)
    first, second = np.triu_indices(n, k=1)
    start, end = lonlat[:, first].reshape(-1, 2), lonlat[:, second].reshape(-1, 2)
    pair_km = paired_distances_km(start, end).reshape(n_simulations, len(first))
    return l_function_km(pair_km, n, polygon.area / 1e6, distances_km)
