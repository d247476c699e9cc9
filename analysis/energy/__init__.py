"""The plans' energy targets reconciled with the mapped energy sites.

Public API
----------
energy_reconciliation, UNKNOWN_MW
    Targets against mapped sites by technology; a site's capacity the plans do not state is
    :data:`UNKNOWN_MW`, never estimated.
"""

from longtu.analysis.energy.targets import UNKNOWN_MW, energy_reconciliation

__all__ = [
    "UNKNOWN_MW",
    "energy_reconciliation",
]
