"""Water fit (以水定产): where water-intensive industry sits, and the water-use ledger.

Public API
----------
run_water_fit, WATER_LAYERS, water_intensive_groups, park_water_context
    The analysis on the plan's parks and what it needs.
water_ledger, checked_quotas, apply_quota_reference, filled_capacity_rows
    Demand = output x quota, by basin and prefecture against caps.
complete_coefficients, check_park_ids
    A minimal quota table (key and values) completed; capacity rows of unknown parks refused.
"""

from longtu.analysis.water.fit import (
    WATER_LAYERS,
    check_park_ids,
    park_water_context,
    run_water_fit,
    water_intensive_groups,
)
from longtu.analysis.water.ledger import (
    apply_quota_reference,
    checked_quotas,
    complete_coefficients,
    filled_capacity_rows,
    water_ledger,
)

__all__ = [
    "WATER_LAYERS",
    "apply_quota_reference",
    "check_park_ids",
    "checked_quotas",
    "complete_coefficients",
    "filled_capacity_rows",
    "park_water_context",
    "run_water_fit",
    "water_intensive_groups",
    "water_ledger",
]
