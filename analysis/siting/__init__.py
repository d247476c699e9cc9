"""The siting verdict (选址分析): does an industry fit at a point, and why.

Public API
----------
site_check, SiteVerdict, SITING_LAYERS
    The verdict with every reason, and the base layers it needs.
industries, resolve_industry
    The industries the verdict knows, and a name (Chinese, English, key) resolved to one.
"""

from longtu.analysis.siting.verdict import (
    SITING_LAYERS,
    SiteVerdict,
    industries,
    resolve_industry,
    site_check,
)

__all__ = [
    "SITING_LAYERS",
    "SiteVerdict",
    "industries",
    "resolve_industry",
    "site_check",
]
