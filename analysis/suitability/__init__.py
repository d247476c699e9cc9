"""Suitability (MCDA): a score raster for an industry and its top candidate areas.

Public API
----------
suitability, SUITABILITY_LAYERS
    The analysis and the base layers it needs.
criteria_table
    The default criteria and weights for an industry, to edit.
"""

from longtu.analysis.suitability.criteria import criteria_table
from longtu.analysis.suitability.score import SUITABILITY_LAYERS, suitability

__all__ = [
    "SUITABILITY_LAYERS",
    "criteria_table",
    "suitability",
]
