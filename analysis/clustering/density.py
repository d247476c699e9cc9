"""Gaussian kernel density on a lon/lat grid, from geodesic distances.

The pieces of :func:`longtu.analysis.clustering.point_pattern.kernel_density`: a grid regular
in longitude/latitude whose cells are about `cell_km` at the middle latitude, the density at
each cell centre inside the study polygon, and the raster's tags.
"""

from __future__ import annotations

import numpy as np
import shapely
from affine import Affine
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from longtu import settings
from longtu.analysis.clustering.geodesic import distance_matrix_km

#: Kilometres per degree of latitude (WGS84 mean, 111.32 km); used only to size KDE grid cells.
KM_PER_DEGREE = 111.32


def lonlat_grid(polygon_lonlat: BaseGeometry, cell_km: float) -> tuple[np.ndarray, Affine]:
    """Cell centres (lon, lat stacked, shape ``(2, rows, cols)``) and transform of the grid."""
    west, south, east, north = polygon_lonlat.bounds
    dlat = cell_km / KM_PER_DEGREE
    dlon = cell_km / (KM_PER_DEGREE * np.cos(np.radians((south + north) / 2)))
    n_cols, n_rows = int(np.ceil((east - west) / dlon)), int(np.ceil((north - south) / dlat))
    transform = Affine(dlon, 0.0, west, 0.0, -dlat, north)
    lon, lat = np.meshgrid(
        west + (np.arange(n_cols) + 0.5) * dlon, north - (np.arange(n_rows) + 0.5) * dlat
    )
    return np.stack([lon, lat]), transform


def density_at_centres(
    lonlat: np.ndarray, polygon_lonlat: BaseGeometry, points_lonlat: np.ndarray, bandwidth_km: float
) -> np.ndarray:
    """Gaussian density (points per km²) at the grid's cell centres inside the polygon, else NaN."""
    centres = np.column_stack([lonlat[0].ravel(), lonlat[1].ravel()])
    inside = shapely.contains_xy(polygon_lonlat, centres[:, 0], centres[:, 1])
    squared = distance_matrix_km(centres[inside], points_lonlat) ** 2
    data = np.full(len(centres), np.nan)
    data[inside] = np.exp(-squared / (2 * bandwidth_km**2)).sum(axis=1)
    return data.reshape(lonlat.shape[1:]) / (2 * np.pi * bandwidth_km**2)


def density_tags(bandwidth_km: float, cell_km: float, *, n_points: int) -> dict[str, str]:
    """The density raster's tags: CRS, unit, kernel, bandwidth, cell size, method, points."""
    return {
        "crs": CRS.from_user_input(settings.storage_crs).to_string(),
        "unit": "points per km2",
        "kernel": "gaussian, bandwidth = standard deviation",
        "bandwidth_km": str(bandwidth_km),
        "cell_km_nominal": str(cell_km),
        "method": "density at each lon/lat cell centre from geodesic (WGS84) distances; "
        "no edge correction",
        "n_points": str(n_points),
    }
