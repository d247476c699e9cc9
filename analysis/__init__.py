"""Spatial analyses of the plan layers, one subpackage per concern.

Subpackages
-----------
clustering
    Is industry clustered where the plan says? Clark-Evans, Ripley's L, DBSCAN, kernel density,
    location and co-location quotients, Moran's I, designated against measured clusters.
resource
    Resource fit of the energy bases and parks: terrain, land cover, tariff zones, screening.
water
    Water fit (以水定产): basins, rivers and the water-use ledger.
constraints
    Constraint review: plan features against constraint layers (overlap, distance, severity).
siting
    The siting verdict (选址分析) for a point and an industry.
suitability
    Suitability (MCDA) score rasters and candidate areas.
energy
    The plans' energy targets reconciled with the mapped energy sites.
built
    The plan's wind, PV and CSP bases against a register of real plants.
access
    Transport access of parks and sites: network distances and travel times on OSM roads and
    railways, or straight-line estimates, and isochrones.
zonal
    Zonal statistics of user rasters over counties and plan features, read in windows.
io
    Users' files in (vector and raster layers, tables) and results out.

Every analysis is a plain function: GeoDataFrames in, an :class:`AnalysisResult` out.
"""

from longtu.analysis.result import AnalysisResult, RasterResult

__all__ = [
    "AnalysisResult",
    "RasterResult",
]
