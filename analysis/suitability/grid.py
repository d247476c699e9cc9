"""The suitability analysis grid: cell centres projected once, and the base layers burnt onto it.

The grid is the 0.05-degree lon/lat grid of :func:`longtu.analysis.resource.availability.gansu_grid`
by default. A distance criterion finds each cell's nearest vertex in the equal-area CRS and
measures the distance to it on the WGS84 ellipsoid.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod, Transformer
from scipy.spatial import cKDTree

from longtu import settings
from longtu.analysis.resource.availability import burn_values, gansu_grid

_GEOD = Geod(ellps="WGS84")


class SuitabilityGrid:
    """Cell centres of the analysis grid, projected once, and the base layers burnt onto it."""

    def __init__(self, base: Mapping[str, gpd.GeoDataFrame], cell_deg: float) -> None:
        self.transform, self.shape = gansu_grid(cell_deg)
        rows, cols = np.indices(self.shape)
        self.lon = self.transform.c + (cols + 0.5) * self.transform.a
        self.lat = self.transform.f + (rows + 0.5) * self.transform.e
        self._to_ea = Transformer.from_crs(
            settings.storage_crs, settings.equal_area_crs, always_xy=True
        )
        self.xy = np.column_stack(self._to_ea.transform(self.lon.ravel(), self.lat.ravel()))
        counties = base["counties"]
        county = burn_values(
            counties, np.arange(len(counties), dtype=float), *gansu_grid(cell_deg), -1.0
        )
        self.county, self.base = county.astype(int), base

    def burn(self, layer: str, column: str | None) -> np.ndarray:
        """Values of `column` (1 if None) of the layer's polygons under each cell (else NaN)."""
        frame = self.base[layer]
        values = np.ones(len(frame)) if column is None else frame[column].to_numpy(float)
        return burn_values(frame, values, self.transform, self.shape, np.nan)

    def distance_km(self, frame: gpd.GeoDataFrame) -> np.ndarray:
        """Geodesic km from each cell centre to the nearest vertex (vertices ~2 km apart).

        The nearest vertex is found in the equal-area CRS (cKDTree); the distance to it is then
        measured on the WGS84 ellipsoid, as the Albers scale is off by up to ~2 % in Gansu.
        """
        geoms = frame.geometry[frame.geometry.notna() & ~frame.geometry.is_empty]
        if geoms.empty:
            return np.full(self.shape, np.nan)
        lonlat = shapely.get_coordinates(geoms.segmentize(0.02).to_numpy())
        tree = cKDTree(np.column_stack(self._to_ea.transform(lonlat[:, 0], lonlat[:, 1])))
        nearest = lonlat[tree.query(self.xy)[1]]
        metres = _GEOD.inv(self.lon.ravel(), self.lat.ravel(), nearest[:, 0], nearest[:, 1])[2]
        return (np.asarray(metres) / 1000.0).reshape(self.shape)
