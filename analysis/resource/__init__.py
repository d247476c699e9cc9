"""Resource fit of energy bases and parks: terrain, land cover, tariff zones and screening.

Public API
----------
run_resource_fit, RESOURCE_LAYERS, site_attributes
    The analysis on the plan layers, the base layers it needs, the attributes of one site.
screen_sites
    NREL/IRENA-style screening of sites against the thresholds of ``analysis/data``.
available_area
    Land left for a technology in an area after the exclusions.
"""

from longtu.analysis.resource.availability import available_area
from longtu.analysis.resource.fit import RESOURCE_LAYERS, run_resource_fit, site_attributes
from longtu.analysis.resource.screening import screen_sites

__all__ = [
    "RESOURCE_LAYERS",
    "available_area",
    "run_resource_fit",
    "screen_sites",
    "site_attributes",
]
