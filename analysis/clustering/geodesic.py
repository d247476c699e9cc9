"""Distances on the WGS84 ellipsoid for every clustering statistic (pyproj ``Geod``).

Every distance a clustering statistic uses (nearest neighbours, Ripley's pair distances, DBSCAN
neighbourhoods, co-location neighbours, kernel distances, cluster spreads) is a geodesic on the
WGS84 ellipsoid computed by :class:`pyproj.Geod` (Karney's algorithm, accurate to nanometres).
No planar projection is used for a distance: the Albers equal-area CRS of
:data:`longtu.settings.equal_area_crs` scales east-west distances over Gansu by about 0.982,
enough to join two parks 50.78 km apart at ``eps = 50 km``. Areas stay in that CRS, which is
equal-area, so they are exact.

The point sets are small (tens to a few hundred points), so full pairwise matrices are cheap:
about 1.7 µs per pair.
"""

from __future__ import annotations

import numpy as np
from pyproj import Geod, Transformer

from longtu import settings

_GEOD = Geod(ellps="WGS84")


def pair_distances_km(lonlat: np.ndarray) -> np.ndarray:
    """Geodesic distance (km) of every unordered pair of `lonlat` points, ``pdist`` order.

    Parameters
    ----------
    lonlat
        Longitude and latitude in degrees, shape ``(n, 2)``.

    Returns
    -------
    numpy.ndarray
        ``n (n - 1) / 2`` distances, pairs ``(0, 1), (0, 2), …, (n - 2, n - 1)``.

    Examples
    --------
    One degree of latitude at the equator is 110.574 km on the WGS84 ellipsoid:

    >>> pair_distances_km(np.array([[0.0, 0.0], [0.0, 1.0]])).round(3).tolist()
    [110.574]
    """
    first, second = np.triu_indices(len(lonlat), k=1)
    return _inverse_km(lonlat[first], lonlat[second])


def distance_matrix_km(lonlat: np.ndarray, other: np.ndarray | None = None) -> np.ndarray:
    """Geodesic distances (km) from each point of `lonlat` to each of `other` (default itself).

    Examples
    --------
    >>> m = distance_matrix_km(np.array([[103.0, 36.0], [104.0, 36.0]]))
    >>> m.shape, float(m[0, 0]), bool(m[0, 1] == m[1, 0])
    ((2, 2), 0.0, True)
    """
    if other is None:
        square = np.zeros((len(lonlat), len(lonlat)))
        first, second = np.triu_indices(len(lonlat), k=1)
        square[first, second] = square[second, first] = pair_distances_km(lonlat)
        return square
    rows = np.repeat(np.arange(len(lonlat)), len(other))
    cols = np.tile(np.arange(len(other)), len(lonlat))
    return _inverse_km(lonlat[rows], other[cols]).reshape(len(lonlat), len(other))


def paired_distances_km(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Geodesic distance (km) from each point of `start` to the point in the same row of `end`.

    Examples
    --------
    >>> paired_distances_km(np.array([[0.0, 0.0]]), np.array([[0.0, 1.0]])).round(3).tolist()
    [110.574]
    """
    return _inverse_km(start, end)


def lonlat_from_equal_area(xy: np.ndarray) -> np.ndarray:
    """Longitude/latitude (degrees) of `xy` given in :data:`longtu.settings.equal_area_crs`.

    Examples
    --------
    >>> lonlat_from_equal_area(np.array([[0.0, 0.0]])).round(6).tolist()
    [[105.0, 0.0]]
    """
    to_lonlat = Transformer.from_crs(settings.equal_area_crs, settings.storage_crs, always_xy=True)
    lon, lat = to_lonlat.transform(xy[..., 0], xy[..., 1])
    return np.stack([np.asarray(lon), np.asarray(lat)], axis=-1)


def _inverse_km(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    if len(start) == 0:
        return np.zeros(0)
    metres = _GEOD.inv(start[:, 0], start[:, 1], end[:, 0], end[:, 1])[2]
    return np.asarray(metres, dtype=float) / 1e3
