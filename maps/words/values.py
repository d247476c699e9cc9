"""Stored values of result columns as words (Chinese, English): categories, verdicts, yes/no."""

from __future__ import annotations

from longtu.analysis.constraints.check import CATEGORIES, LAND_COVER_GROUP_WORDS
from longtu.layout.vocabulary import PRECISION_LABELS, TECHNOLOGY_LABELS

Words = tuple[str, str]

YES_NO: dict[bool, Words] = {True: ("是", "yes"), False: ("否", "no")}

VALUE_WORDS: dict[str, dict[str, Words]] = {
    "points": {
        "all parks": ("全部园区", "all parks"),
        "distinct locations": ("不同点位", "distinct locations"),
    },
    "pattern": {
        "clustered": ("集聚", "clustered"),
        "dispersed": ("离散", "dispersed"),
        "csr": ("与随机无异", "like random"),
    },
    "row_type": {
        "designated": ("规划分组", "plan grouping"),
        "measured": ("测得集聚", "measured cluster"),
    },
    "industry_group": {
        "thermal_power": ("火电", "thermal power"),
        "steel": ("钢铁", "iron and steel"),
        "petrochemicals": ("石油化工", "petrochemicals"),
        "coal_chemicals": ("煤化工", "coal chemicals"),
        "nonferrous_smelting": ("有色冶金", "nonferrous metallurgy"),
    },
    "scope": {
        "basin": ("流域", "basin"),
        "prefecture": ("市州", "prefecture"),
    },
    "technology": TECHNOLOGY_LABELS,
    "precision": PRECISION_LABELS,
    "action": {
        "exclude": ("排除", "exclude"),
        "penalty": ("扣分", "penalty"),
        "flag": ("提示", "flag"),
    },
    "criterion": {
        "slope_max": ("最大坡度", "largest slope"),
        "land_cover_excluded": ("排除的土地覆被", "land cover excluded"),
        "land_cover_penalised": ("扣分的土地覆被", "land cover penalised"),
        "distance_to_town_min": ("距城镇最小距离", "least distance to a town"),
        "dni_min": ("最低直射辐照", "least direct irradiance"),
        "ghi_grade_c_or_d": ("总辐照 C/D 级", "GHI grade C or D"),
        "wind_speed_min": ("最低风速", "least wind speed"),
        "land_cover": ("土地覆被", "land cover"),
        "slope_deg": ("坡度", "slope"),
        "distance_to_town_km": ("距城镇距离", "distance to a town"),
        "distance_to_river_km": ("距河流距离", "distance to a river"),
        "distance_to_same_industry_park_km": (
            "距同类产业园区距离",
            "distance to a park of the same industry",
        ),
        "distance_to_rail_or_expressway_km": (
            "距铁路或高速公路距离",
            "distance to a railway or expressway",
        ),
        "elevation_m": ("海拔", "elevation"),
        "resource:ghi": ("资源：水平面总辐照", "resource: global horizontal irradiance"),
        "resource:dni": ("资源：法向直射辐照", "resource: direct normal irradiance"),
        "resource:pvout": ("资源：光伏发电量", "resource: PV output"),
        "resource:wind_speed": ("资源：风速", "resource: wind speed"),
        "resource:wind_power_density": ("资源：风功率密度", "resource: wind power density"),
    },
    "transform": {
        "exclude_classes": ("排除所列类别", "exclude the classes listed"),
        "exclude_above": ("高于上限排除", "exclude above the limit"),
        "exclude_below": ("低于下限排除", "exclude below the limit"),
        "lower_better": ("越低越好", "lower is better"),
        "higher_better": ("越高越好", "higher is better"),
        "class_scores": ("按类别评分", "score by class"),
    },
    "status": {
        "hard exclusion": ("硬约束排除", "hard exclusion"),
        "used": ("采用", "used"),
        "weight 0: not used": ("权重为 0：未采用", "weight 0: not used"),
        "dropped (no raster supplied): other weights renormalised": (
            "缺少栅格已去除，其余权重重新归一化",
            "dropped (no raster supplied): other weights renormalised",
        ),
    },
    "unit": {
        "deg": ("°", "°"),
        "igbp_class": ("IGBP 土地覆被类别", "IGBP land-cover class"),
        "km": ("km", "km"),
        "kWh/m2/yr": ("kWh/m²/年", "kWh/m²/yr"),
        "m/s": ("m/s", "m/s"),
    },
    "severity": {
        "conflict": ("冲突", "conflict"),
        "near": ("邻近", "near"),
        "clear": ("无冲突", "clear"),
    },
    "constraint_category": CATEGORIES,
    "category": CATEGORIES,
    "land_cover_group": LAND_COVER_GROUP_WORDS,
}
"""Column -> stored value -> (Chinese, English); other values are shown as they are."""
