"""Zonal statistics of user rasters over counties and plan features, read in windows.

Public API
----------
zonal_stats
    Count, sum, mean, min, max, standard deviation of a raster's cells in each zone (cell-centre
    or all-touched rule), the raster read in windows of whole blocks (a GeoTIFF of several GB is
    never held whole), the zones reprojected to the raster's CRS.
STAT_COLUMNS, DEFAULT_STATS
    The statistics offered, the result column of each and what it holds; the default ones.
raster_on_grid
    Mean of a fine raster's cells in each cell of a coarser analysis grid (the 0.05-degree grid
    of suitability and availability), by arithmetic, not burning.
"""

from longtu.analysis.zonal.grid import raster_on_grid
from longtu.analysis.zonal.stats import DEFAULT_STATS, STAT_COLUMNS, zonal_stats

__all__ = ["DEFAULT_STATS", "STAT_COLUMNS", "raster_on_grid", "zonal_stats"]
