"""Names of the plan's vocabularies in Chinese and English (technologies, park levels, precision).

The keys are the values stored in the plan layers (``technology``, ``level``, ``precision``);
what a person reads is the pair of names. Maps, analyses and the app take their labels here.
"""

from __future__ import annotations

TECHNOLOGY_LABELS: dict[str, tuple[str, str]] = {
    "wind": ("风电", "Wind"),
    "pv": ("光伏", "PV"),
    "csp": ("光热", "CSP"),
    "wind_solar": ("风光互补", "Wind-solar"),
    "nuclear": ("核能", "Nuclear"),
    "hydro": ("水电", "Hydro"),
    "pumped_storage": ("抽水蓄能", "Pumped storage"),
    "coal_power": ("煤电/能源化工", "Coal power & chemicals"),
    "gas": ("燃气", "Gas"),
    "biomass": ("生物质", "Biomass"),
    "other": ("其他能源基地", "Other energy base"),
}
PARK_LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "national": ("国家级", "National"),
    "provincial": ("省级", "Provincial"),
    "other": ("其他", "Other"),
    "unknown": ("级别未载明", "Level not stated"),
}
PRECISION_LABELS: dict[str, tuple[str, str]] = {
    "site": ("精确到地块", "site"),
    "town": ("精确到乡镇", "town"),
    "county": ("精确到县（县城示意）", "county (seat symbol)"),
    "prefecture": ("精确到市州（驻地示意）", "prefecture (seat symbol)"),
    "schematic": ("示意线", "schematic"),
    "unplaced": ("规划未给出位置", "not placed by the plan"),
}


def legend_label(zh: str, en: str) -> str:
    """A print-legend label: Chinese, then English starting lower-case unless an acronym.

    Examples
    --------
    >>> legend_label("风电", "Wind"), legend_label("光伏", "PV")
    ('风电 wind', '光伏 PV')
    """
    english = en if en[:2].isupper() else en[:1].lower() + en[1:]
    return f"{zh} {english}"
