"""Clustering: whether industry is clustered where the plan says it is.

Public API
----------
run_clustering, park_points
    The whole analysis on the plan layers, and the park points it uses.
clark_evans, ClarkEvansResult, ripley_l, dbscan_clusters, kernel_density
    Point-pattern statistics.
location_quotients, colocation_quotients, moran_by_county, MoranResult, INDUSTRY_GROUPS
    Industry mix by area and its spatial autocorrelation (NOT_TESTABLE: the local Moran label
    of a county whose neighbourhood has no variation).
designated_groupings, designated_vs_measured, summarize_clusters
    The plan's named groupings against measured clusters.

Every distance is geodesic on the WGS84 ellipsoid (:mod:`.geodesic`); every Monte Carlo
p-value counts ties (:mod:`.inference`).
"""

from longtu.analysis.clustering.colocation import (
    INDUSTRY_GROUPS,
    colocation_quotients,
    location_quotients,
)
from longtu.analysis.clustering.designated import (
    designated_groupings,
    designated_vs_measured,
    summarize_clusters,
)
from longtu.analysis.clustering.moran import NOT_TESTABLE, MoranResult, moran_by_county
from longtu.analysis.clustering.point_pattern import (
    ClarkEvansResult,
    clark_evans,
    dbscan_clusters,
    kernel_density,
    ripley_l,
)
from longtu.analysis.clustering.run import park_points, run_clustering

__all__ = [
    "INDUSTRY_GROUPS",
    "NOT_TESTABLE",
    "ClarkEvansResult",
    "MoranResult",
    "clark_evans",
    "colocation_quotients",
    "dbscan_clusters",
    "designated_groupings",
    "designated_vs_measured",
    "kernel_density",
    "location_quotients",
    "moran_by_county",
    "park_points",
    "ripley_l",
    "run_clustering",
    "summarize_clusters",
]
