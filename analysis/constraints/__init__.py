"""Constraint review: which plan features hit which constraint layers, by how much, how near.

Public API
----------
ConstraintLayer, CATEGORIES, SEVERITIES, LAND_COVER_GROUPS
    A constraint layer with its meaning, and the vocabularies of the report.
check_constraints
    Features against constraint layers: overlap, nearest distance and severity.
builtin_constraints
    Constraint layers built from the bundled real data (rivers, plateau, terrain, land cover).
check_constraint_files
    The check from files: constraint files read safely, built-in layers added, features from a
    file or the plan; writes nothing.
write_conflict_report
    A check's report: a GeoPackage and CSV files (UTF-8 with BOM) beside it.
"""

from longtu.analysis.constraints.builtin_layers import builtin_constraints
from longtu.analysis.constraints.check import (
    CATEGORIES,
    LAND_COVER_GROUPS,
    SEVERITIES,
    ConstraintLayer,
    check_constraints,
)
from longtu.analysis.constraints.report import check_constraint_files, write_conflict_report

__all__ = [
    "CATEGORIES",
    "LAND_COVER_GROUPS",
    "SEVERITIES",
    "ConstraintLayer",
    "builtin_constraints",
    "check_constraint_files",
    "check_constraints",
    "write_conflict_report",
]
