"""The plan against what was built: energy bases set against a register of real plants.

Public API
----------
read_plant_register, plants_from_table
    A register of real plants (CSV with lon/lat, GeoPackage, GeoJSON...) with its columns
    recognised in Chinese and English, capacity in MW and fuel words mapped to technologies.
built_view, BUILT_LAYERS
    Each wind, PV and CSP base of the plan against the register's plants in its placement
    region, the register's MW against the plan's targets, built footprints, vintage, coverage
    and data problems, as an :class:`~longtu.analysis.result.AnalysisResult` named ``built``.
"""

from longtu.analysis.built.register import plants_from_table, read_plant_register
from longtu.analysis.built.view import BUILT_LAYERS, built_view

__all__ = ["BUILT_LAYERS", "built_view", "plants_from_table", "read_plant_register"]
