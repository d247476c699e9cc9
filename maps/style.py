"""Colours, markers and labels shared by the interactive and print maps (Chinese first)."""

from __future__ import annotations

from typing import Literal

# The names of the plan's vocabularies belong to the data model; the maps label with them.
from longtu.layout.vocabulary import (
    PARK_LEVEL_LABELS,
    PRECISION_LABELS,
    TECHNOLOGY_LABELS,
    legend_label,
)

Language = Literal["zh", "en"]
"""Display language: Chinese with English beside (``zh``) or English only (``en``)."""

ZONE_COLOURS: dict[str, str] = {
    "zone_lanbai": "#e6a157",
    "zone_hexi": "#d9c96b",
    "zone_longdongnan": "#8fbf7f",
}
TECHNOLOGY_COLOURS: dict[str, str] = {
    "wind": "#1f78b4",
    "pv": "#ff7f00",
    "csp": "#e31a1c",
    "wind_solar": "#6a3d9a",
    "nuclear": "#b15928",
    "hydro": "#a6cee3",
    "pumped_storage": "#1b9e9e",
    "coal_power": "#4d4d4d",
    "gas": "#999999",
    "biomass": "#33a02c",
    "energy_chemicals": "#8c510a",
    "other": "#c7a17a",
}
PARK_LEVEL_COLOURS: dict[str, str] = {
    "national": "#b2182b",
    "provincial": "#ef8a62",
    "other": "#67a9cf",
    "unknown": "#8c8c8c",
}
#: Marker radius (px) and fill opacity by precision: the vaguer, the larger and the paler.
PRECISION_MARKER: dict[str, tuple[int, float, str]] = {
    "site": (6, 0.95, ""),
    "town": (6, 0.85, ""),
    "county": (8, 0.35, "4 3"),
    "prefecture": (11, 0.15, "2 4"),
}
#: Display names of the analyses (Chinese, English), for the app and the briefing book.
ANALYSIS_LABELS: dict[str, tuple[str, str]] = {
    "clustering": ("产业集聚", "Clustering"),
    "resource": ("资源与地形适宜性", "Resource fit"),
    "water": ("以水定产", "Water fit"),
    "suitability": ("适宜性评价（多准则）", "Suitability (MCDA)"),
    "constraints": ("约束冲突", "Constraint conflicts"),
    "access": ("交通可达性", "Transport access"),
    "built": ("规划与建成对照", "Plan against what was built"),
}
#: Readable names of result columns that maps colour by (Chinese, English).
COLUMN_LABELS: dict[str, str] = {
    "hexi_inland": "河西内陆河缺水流域 Hexi inland basin",
    "score": "得分 score (0-100)",
    "cluster_id": "集聚编号 cluster",
}
#: Colours of a yes/no column on a result map.
YES_NO_COLOURS: dict[bool, str] = {True: "#d7301f", False: "#2b8cbe"}

RIVER_COLOUR = "#4a90c8"
BOUNDARY_COLOUR = "#555555"


def bilingual(zh: str, en: str, *, language: str = "zh") -> str:
    """A label with Chinese first and English beside (or English only).

    Examples
    --------
    >>> bilingual("园区", "Parks")
    '园区 Parks'
    >>> bilingual("园区", "Parks", language="en")
    'Parks'
    """
    return en if language == "en" else f"{zh} {en}"


#: The usual MODIS IGBP land-cover colours, by class code.
IGBP_COLOURS: dict[int, str] = {
    0: "#1c0dff",
    1: "#05450a",
    2: "#086a10",
    3: "#54a708",
    4: "#78d203",
    5: "#009900",
    6: "#c6b044",
    7: "#dcd159",
    8: "#dade48",
    9: "#fbff13",
    10: "#b6ff05",
    11: "#27ff87",
    12: "#c24f44",
    13: "#a5a5a5",
    14: "#ff6d4c",
    15: "#69fff8",
    16: "#f9ffa4",
}

__all__ = [
    "ANALYSIS_LABELS",
    "BOUNDARY_COLOUR",
    "COLUMN_LABELS",
    "IGBP_COLOURS",
    "PARK_LEVEL_COLOURS",
    "PARK_LEVEL_LABELS",
    "PRECISION_LABELS",
    "PRECISION_MARKER",
    "RIVER_COLOUR",
    "TECHNOLOGY_COLOURS",
    "TECHNOLOGY_LABELS",
    "YES_NO_COLOURS",
    "ZONE_COLOURS",
    "Language",
    "bilingual",
    "legend_label",
]
