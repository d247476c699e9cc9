"""Words for analysis results: tables, columns, statistics and values, with units and formats.

The analyses name their tables, columns and numbers with identifiers (``clark_evans_p_all``,
``l_envelope_high_km``); a person reads the words here, Chinese first with English beside (or
English only). The app's analysis and constraint pages and the briefing book's analysis pages
all label with this module, so that a table reads the same on screen and on paper.

Numbers are formatted for reading: a p-value below 0.001 as ``< 0.001``, kilometres with one
decimal, areas in whole km², counts as integers, yes/no as words; a missing value as ``—``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import cache

import pandas as pd

from longtu.analysis.constraints.check import CATEGORIES, LAND_COVER_GROUPS, SEVERITIES
from longtu.layout.vocabulary import PRECISION_LABELS, TECHNOLOGY_LABELS
from longtu.maps.words import access as access_words
from longtu.maps.words import built as built_words

Words = tuple[str, str]
"""A label in Chinese and English."""

TABLE_WORDS: dict[str, Words] = {
    "clusters": ("测得的集聚", "Measured clusters"),
    "clark_evans": ("Clark-Evans 最近邻检验", "Clark-Evans nearest-neighbour test"),
    "ripley_l": ("Ripley L 函数", "Ripley's L function"),
    "designated_vs_measured": ("规划分组与测得集聚", "Plan groupings against measured clusters"),
    "moran_local": ("局部 Moran 指数（按县）", "Local Moran's I by county"),
    "location_quotients_prefecture": ("区位熵（按市州）", "Location quotients by prefecture"),
    "location_quotients_zone": ("区位熵（按经济区）", "Location quotients by economic zone"),
    "colocation_quotients": ("产业共位熵", "Co-location quotients"),
    "parks": ("园区", "Parks"),
    "parks_left_out": ("未纳入分析的园区", "Parks left out"),
    "sites": ("能源基地筛选", "Energy sites screened"),
    "resource_zones": ("风光资源区（电价分区）", "Wind and PV resource zones (tariff classes)"),
    "thresholds": ("筛选阈值", "Screening thresholds"),
    "criteria": ("评价准则与权重", "Criteria and weights"),
    "candidates": ("候选区", "Candidate areas"),
    "coefficients": ("取水定额", "Water-use quotas"),
    "ledger": ("水资源账", "Water ledger"),
    "basins": ("流域用水", "Water use by basin"),
    "conflicts_table": ("冲突表", "Conflicts"),
    "unplaced": ("未落位要素", "Unplaced features"),
}
"""Result tables shown to a person, in the order they are shown."""

SHOWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "clusters": ("cluster_id", "n_parks", "n_distinct_locations", "needs_coincident_points",
                 "max_distance_km", "parks_zh"),
    "clark_evans": ("points", "r_index", "z_score", "p_value", "n_points", "n_coincident_points",
                    "mean_nn_distance_km", "expected_nn_distance_km", "area_km2"),
    "ripley_l": ("points", "distance_km", "l_observed_km", "l_envelope_low_km",
                 "l_envelope_high_km", "p_value_clustered", "pattern"),
    "designated_vs_measured": ("row_type", "name_zh", "n_parks", "n_distinct_locations",
                               "cluster_id", "share_in_cluster", "verdict_zh"),
    "moran_local": ("name_zh", "value", "local_i", "p_value", "q_value", "cluster_zh"),
    "location_quotients_prefecture": ("region_name_zh", "industry", "n_features", "lq"),
    "location_quotients_zone": ("region_name_zh", "industry", "n_features", "lq"),
    "colocation_quotients": ("from_label", "to_label", "n_from", "n_to", "clq",
                             "p_value_greater", "q_value_greater"),
    "parks": ("name_zh", "precision", "cluster_id", "n_parks_at_location", "basin_zh",
              "hexi_inland", "distance_to_river_km", "flags_zh"),
    "parks_left_out": ("name_zh", "reason"),
    "sites": ("name_zh", "technology", "precision", "elevation_m", "slope_deg", "igbp_name_zh",
              "distance_to_river_km", "unit_available_km2", "excluded", "score", "reasons_zh",
              "flags_zh"),
    "resource_zones": ("prefecture_name_zh", "technology", "zone_class", "tariff_cny_per_kwh",
                       "document"),
    "thresholds": ("technology", "criterion", "value", "unit", "action", "penalty_points",
                   "source"),
    "criteria": ("criterion", "weight", "weight_used", "transform", "param_low", "param_high",
                 "unit", "status", "source"),
    "candidates": ("rank", "county_zh", "prefecture_zh", "mean_score", "max_score", "area_km2",
                   "n_cells", "reasons_zh"),
    "coefficients": ("industry_zh", "product_zh", "output_unit", "water_m3_per_t",
                     "water_m3_per_mwh", "standard"),
    "conflicts_table": ("severity", "name_zh", "constraint_label", "constraint_category",
                        "constraint_names", "nearest_name", "overlap_km2", "overlap_length_km",
                        "overlap_pct", "distance_km", "buffer_km", "location_note"),
    "unplaced": ("name_zh", "precision"),
}  # fmt: skip
"""The columns of each result table a person reads (every column stays in the downloads).

A ``*_zh`` column is shown as its ``*_en`` twin in English; a column a frame lacks is skipped.
"""

EN_TWINS: dict[str, str] = {"cluster_zh": "cluster"}
"""Chinese columns whose English twin is not named ``*_en``."""

COLUMN_WORDS: dict[str, Words] = {
    # clustering
    "cluster_id": ("集聚编号", "Cluster"),
    "n_parks": ("园区数", "Parks"),
    "n_distinct_locations": ("不同点位数", "Distinct locations"),
    "needs_coincident_points": ("仅因共用点位而成", "Only from shared points"),
    "max_distance_km": ("最大间距（km）", "Largest distance (km)"),
    "parks_zh": ("园区", "Parks"),
    "parks_en": ("园区", "Parks"),
    "points": ("点集", "Points"),
    "r_index": ("最近邻指数 R", "Nearest-neighbour index R"),
    "z_score": ("Z 值", "Z score"),
    "p_value": ("p 值", "p-value"),
    "n_points": ("点数", "Points"),
    "n_coincident_points": ("重合点数", "Coincident points"),
    "mean_nn_distance_km": ("平均最近邻距离（km）", "Mean nearest-neighbour distance (km)"),
    "expected_nn_distance_km": ("随机分布期望距离（km）", "Expected distance if random (km)"),
    "area_km2": ("面积（km²）", "Area (km²)"),
    "distance_km": ("距离（km）", "Distance (km)"),
    "l_observed_km": ("观测 L（km）", "Observed L (km)"),
    "l_envelope_low_km": ("随机模拟包络下限（km）", "Random envelope, low (km)"),
    "l_envelope_high_km": ("随机模拟包络上限（km）", "Random envelope, high (km)"),
    "p_value_clustered": ("集聚检验 p 值", "p-value, clustered"),
    "pattern": ("格局", "Pattern"),
    "row_type": ("类型", "Row"),
    "name_zh": ("名称", "Name"),
    "name_en": ("名称", "Name"),
    "share_in_cluster": ("落在主要集聚内的比例", "Share in its main cluster"),
    "verdict_zh": ("判断", "Verdict"),
    "verdict_en": ("判断", "Verdict"),
    "value": ("数值", "Value"),
    "local_i": ("局部 Moran I", "Local Moran's I"),
    "q_value": ("FDR 校正 q 值", "q-value (FDR)"),
    "cluster_zh": ("局部集聚类型", "Local cluster type"),
    "cluster": ("局部集聚类型", "Local cluster type"),
    "region_name_zh": ("区域", "Region"),
    "industry": ("产业", "Industry"),
    "n_features": ("要素数", "Features"),
    "lq": ("区位熵", "Location quotient"),
    "from_label": ("产业 A", "Industry A"),
    "to_label": ("产业 B", "Industry B"),
    "n_from": ("A 的园区数", "Parks of A"),
    "n_to": ("B 的园区数", "Parks of B"),
    "clq": ("共位熵", "Co-location quotient"),
    "p_value_greater": ("共位检验 p 值", "p-value, co-located"),
    "q_value_greater": ("共位检验 q 值（FDR）", "q-value, co-located (FDR)"),
    "n_parks_at_location": ("同一点位园区数", "Parks at the same point"),
    "reason": ("原因", "Reason"),
    # resource fit
    "technology": ("技术", "Technology"),
    "precision": ("定位精度", "Placed to"),
    "elevation_m": ("海拔（m）", "Elevation (m)"),
    "slope_deg": ("坡度（°）", "Slope (°)"),
    "igbp_name_zh": ("土地覆被", "Land cover"),
    "igbp_name_en": ("土地覆被", "Land cover"),
    "distance_to_river_km": ("距河流（km）", "Distance to a river (km)"),
    "distance_to_town_km": ("距城镇（km）", "Distance to a town (km)"),
    "unit_available_km2": ("县/市可用面积（km²）", "Available area of the unit (km²)"),
    "excluded": ("排除", "Excluded"),
    "score": ("得分（0–100）", "Score (0-100)"),
    "reasons_zh": ("理由", "Reasons"),
    "reasons_en": ("理由", "Reasons"),
    "flags_zh": ("提示", "Flags"),
    "flags_en": ("提示", "Flags"),
    "prefecture_name_zh": ("市州", "Prefecture"),
    "zone_class": ("资源区类别", "Resource zone class"),
    "tariff_cny_per_kwh": ("标杆电价（元/kWh）", "Benchmark tariff (CNY/kWh)"),
    "document": ("文件", "Document"),
    "criterion": ("准则", "Criterion"),
    "unit": ("单位", "Unit"),
    "action": ("处理", "Action"),
    "penalty_points": ("扣分", "Penalty (points)"),
    "source": ("出处", "Source"),
    # suitability
    "weight": ("权重", "Weight"),
    "weight_used": ("实际权重", "Weight used"),
    "transform": ("变换", "Transform"),
    "param_low": ("参数下限", "Lower parameter"),
    "param_high": ("参数上限", "Upper parameter"),
    "status": ("状态", "Status"),
    "rank": ("名次", "Rank"),
    "county_zh": ("县区", "Counties"),
    "county_en": ("县区", "Counties"),
    "prefecture_zh": ("市州", "Prefectures"),
    "prefecture_en": ("市州", "Prefectures"),
    "mean_score": ("平均得分（0–100）", "Mean score (0-100)"),
    "max_score": ("最高得分（0–100）", "Highest score (0-100)"),
    "n_cells": ("格网数", "Cells"),
    # water fit
    "basin_zh": ("流域", "Basin"),
    "basin_en": ("流域", "Basin"),
    "hexi_inland": ("河西内陆河缺水流域", "Hexi inland basin"),
    "industry_zh": ("产业", "Industry"),
    "industry_en": ("产业", "Industry"),
    "product_zh": ("产品", "Product"),
    "output_unit": ("产量单位", "Output unit"),
    "water_m3_per_t": ("取水定额（m³/t）", "Water quota (m³/t)"),
    "water_m3_per_mwh": ("取水定额（m³/MWh）", "Water quota (m³/MWh)"),
    "standard": ("标准", "Standard"),
    "classes": ("类别（IGBP 代码[:得分]）", "Classes (IGBP code[:score])"),
    "note": ("说明", "Note"),
    # water inputs
    "industry_key": ("产业类别", "Industry"),
    "industry_group": ("产业组", "Industry group"),
    "industry_key_choices": ("可选产业类别", "Industries to choose from"),
    "county_adcode": ("县区代码", "County code"),
    "county_adcode_choices": ("可选县区代码", "County codes to choose from"),
    "output_t_per_yr": ("产量（t/年）", "Output (t/yr)"),
    "output_mwh_per_yr": ("发电量（MWh/年）", "Output (MWh/yr)"),
    "feature_id": ("要素编号", "Feature number"),
    "quota_tier": ("定额档位", "Quota tier"),
    "value_source": ("数值出处", "Source of the value"),
    "standard_title_zh": ("标准名称", "Title of the standard"),
    "keywords_zh": ("关键词", "Keywords"),
    "scope": ("范围", "Scope"),
    "key": ("代码", "Code"),
    "cap_1e4_m3_per_yr": ("用水总量红线（万 m³/年）", "Water cap (10⁴ m³/yr)"),
    "year": ("年份", "Year"),
    "reference_id": ("转录值编号", "Transcribed value"),
    "variant_zh": ("工艺", "Variant"),
    "variant_en": ("工艺", "Variant"),
    "quota_tier_zh": ("档位", "Tier"),
    "quota_tier_en": ("档位", "Tier"),
    "republished_in": ("转载于", "Republished in"),
    "read_via": ("读取途径", "Read via"),
    "checked_against_standard": ("已与标准原文核对", "Checked against the standard"),
    # constraints
    "severity": ("冲突程度", "Severity"),
    "constraint_label": ("约束图层", "Constraint layer"),
    "constraint_category": ("约束类别", "Category"),
    "constraint_names": ("相交的约束要素", "Constraint features hit"),
    "nearest_name": ("最近的约束要素", "Nearest constraint feature"),
    "overlap_km2": ("重叠面积（km²）", "Overlap (km²)"),
    "overlap_length_km": ("重叠长度（km）", "Overlap length (km)"),
    "overlap_pct": ("重叠比例（%）", "Overlap (%)"),
    "buffer_km": ("缓冲距离（km）", "Buffer (km)"),
    "location_note": ("位置说明", "Location note"),
    "layer": ("图层", "Layer"),
    "file": ("文件", "File"),
    "category": ("类别", "Category"),
}
"""Column -> (Chinese, English), with the unit in brackets."""

TABLE_COLUMN_WORDS: dict[tuple[str, str], Words] = {
    ("moran_local", "value"): ("园区密度（个/万 km²）", "Park density (parks per 10,000 km²)"),
    ("thresholds", "value"): ("阈值", "Threshold"),
}
"""Headings of a column that means something particular in one table: (table, column) -> words."""

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
    "land_cover_group": {
        "water": ("水体", "water"),
        "wetland": ("湿地", "wetland"),
        "forest": ("森林", "forest"),
        "cropland": ("农田", "cropland"),
        "urban": ("城镇建设用地", "urban and built-up"),
    },
}
"""Column -> stored value -> (Chinese, English); other values are shown as they are."""

NUMBER_WORDS: dict[str, Words] = {
    # clustering
    "n_parks_total": ("园区总数", "Parks in the plan"),
    "n_parks_used": ("纳入分析的园区", "Parks analysed"),
    "n_parks_left_out": ("未纳入的园区", "Parks left out"),
    "n_distinct_locations": ("不同点位数", "Distinct locations"),
    "n_parks_at_shared_locations": ("与他园共用点位的园区", "Parks sharing a point"),
    "max_parks_at_one_location": ("同一点位最多园区数", "Most parks at one point"),
    "clark_evans_r_all": ("Clark-Evans R（全部园区）", "Clark-Evans R (all parks)"),
    "clark_evans_p_all": ("Clark-Evans p 值（全部园区）", "Clark-Evans p-value (all parks)"),
    "clark_evans_r_distinct": ("Clark-Evans R（不同点位）", "Clark-Evans R (distinct locations)"),
    "clark_evans_p_distinct": (
        "Clark-Evans p 值（不同点位）",
        "Clark-Evans p-value (distinct locations)",
    ),
    "eps_km": ("DBSCAN 半径（km）", "DBSCAN radius (km)"),
    "min_samples": ("每个集聚最少园区数", "Least parks per cluster"),
    "n_clusters": ("测得集聚数", "Measured clusters"),
    "n_clusters_needing_coincident_points": (
        "仅因共用点位而成的集聚",
        "Clusters only from shared points",
    ),
    "n_noise_parks": ("离散园区数", "Isolated parks"),
    "n_designated": ("规划分组数", "Plan groupings"),
    "n_designated_not_clusters": ("不是测得集聚的规划分组", "Groupings that are not clusters"),
    "n_designated_cannot_tell": ("无法判断的规划分组", "Groupings that cannot be told"),
    "n_measured_unnamed": ("规划未命名的测得集聚", "Clusters the plan does not name"),
    "ripley_l_clustered_distances_km_all": (
        "Ripley L 呈集聚的距离（全部园区，km）",
        "Ripley's L clustered at (all parks, km)",
    ),
    "ripley_l_clustered_distances_km_distinct": (
        "Ripley L 呈集聚的距离（不同点位，km）",
        "Ripley's L clustered at (distinct locations, km)",
    ),
    "moran_i": ("全局 Moran I", "Global Moran's I"),
    "moran_p": ("Moran I 双侧 p 值", "Moran's I p-value (two-sided)"),
    "moran_test": ("Moran I 检验方法", "Moran's I test"),
    "moran_p_one_sided": ("Moran I 单侧 p 值", "Moran's I p-value (one-sided)"),
    "moran_p_normal_approximation": ("Moran I 正态近似 p 值", "Moran's I p-value (normal)"),
    "moran_n_counties": ("参与 Moran 检验的县", "Counties in the Moran test"),
    "moran_measure": ("Moran 检验的变量", "Variable of the Moran test"),
    "moran_n_parks_county_precision": ("按县定位的园区", "County-placed parks"),
    "n_counties_hh": ("高-高集聚县", "High-high counties"),
    "n_counties_significant": ("局部显著的县", "Locally significant counties"),
    "n_counties_not_testable": ("无法检验的县", "Counties that cannot be tested"),
    "n_simulations": ("随机模拟次数", "Random simulations"),
    "n_permutations": ("置换次数", "Permutations"),
    "distance_method": ("距离算法", "Distance method"),
    # resource fit
    "n_site_points": ("风光热场址点", "Wind, PV and CSP site points"),
    "n_excluded": ("被排除", "Excluded"),
    "n_at_county_or_prefecture_symbol_point": (
        "位于县/市代表点（非场址）",
        "At a county or prefecture point (not a site)",
    ),
    "n_unplaced_skipped": ("未落位、未筛选", "Unplaced, not screened"),
    "mean_score_0_100": ("平均得分（0–100）", "Mean score (0-100)"),
    "resource_rasters": ("资源栅格", "Resource rasters"),
    "mean_score_csp_0_100": ("光热平均得分（0–100）", "Mean score, CSP (0-100)"),
    "mean_score_pv_0_100": ("光伏平均得分（0–100）", "Mean score, PV (0-100)"),
    "mean_score_wind_0_100": ("风电平均得分（0–100）", "Mean score, wind (0-100)"),
    "mean_score_wind_solar_0_100": ("风光互补平均得分（0–100）", "Mean score, wind-solar (0-100)"),
    "n_other_energy_sites_not_screened": (
        "其他能源基地（未筛选）",
        "Other energy sites (not screened)",
    ),
    # water fit
    "n_water_intensive_parks": ("高耗水园区", "Water-intensive parks"),
    "n_in_hexi_inland_basins": ("位于河西内陆河缺水流域", "In the scarce Hexi inland basins"),
    "n_far_from_river": ("远离河流", "Far from a mapped river"),
    "n_unplaced_parks_skipped": ("未落位园区（未检查）", "Unplaced parks (not checked)"),
    "total_demand_1e4_m3_per_yr": ("需水总量（万 m³/年）", "Total demand (10⁴ m³/yr)"),
    "n_basins_over_cap": ("超出红线的流域", "Basins over their cap"),
    "n_coefficients_known": ("已填写的取水定额", "Quotas typed in"),
    "n_ledger_lines_on_unchecked_quota": (
        "采用未核对定额的账目行",
        "Ledger lines on unchecked quotas",
    ),
    # suitability
    "cells_in_gansu": ("甘肃境内格网", "Cells in Gansu"),
    "cells_scored": ("已评分格网", "Cells scored"),
    "cells_excluded": ("被排除格网", "Cells excluded"),
    "cells_unknown": ("缺数据格网", "Cells without data"),
    "excluded_share_pct": ("被排除比例（%）", "Excluded (%)"),
    "score_median": ("得分中位数（0–100）", "Median score (0-100)"),
    "candidate_threshold_score": ("候选区最低得分", "Least score of a candidate"),
    "candidates": ("候选区数", "Candidate areas"),
    "criteria_dropped": ("缺数据而去除的准则", "Criteria dropped for lack of data"),
    "same_industry_sites_placed": ("已落位的同类基地", "Same-industry sites placed"),
    "same_industry_sites_unplaced": ("未落位的同类基地", "Same-industry sites unplaced"),
    # constraints
    "n_features": ("规划要素", "Plan features"),
    "n_checked": ("已检查（已落位）", "Checked (placed)"),
    "n_unplaced": ("未落位（未检查）", "Unplaced (not checked)"),
    "n_layers": ("约束图层", "Constraint layers"),
    "n_conflict": ("冲突", "In conflict"),
    "n_near": ("邻近", "Near"),
    "n_clear": ("无冲突", "Clear"),
    "n_layer_warnings": ("图层警告", "Layer warnings"),
}
"""Keys of ``AnalysisResult.numbers`` -> (Chinese, English), units in brackets."""

PARAMETER_WORDS: dict[str, Words] = {
    "eps_km": ("DBSCAN 半径（km）", "DBSCAN radius (km)"),
    "min_samples": ("每个集聚最少园区数", "Least parks per cluster"),
    "distances_km": ("Ripley L 检验距离（km）", "Ripley's L distances (km)"),
    "bandwidth_km": ("核密度带宽（km）", "Kernel bandwidth (km)"),
    "cell_km": ("格网边长（km）", "Cell size (km)"),
    "n_simulations": ("随机模拟次数", "Random simulations"),
    "n_permutations": ("置换次数", "Permutations"),
    "seed": ("随机种子", "Random seed"),
    "min_share": ("“大体是”集聚的最低比例", "Least share for “mostly a cluster”"),
    "industry_group": ("产业组", "Industry group"),
    "parameter_basis": ("参数依据", "Basis of the parameters"),
    "technologies": ("技术", "Technologies"),
    "resource_rasters": ("资源栅格", "Resource rasters"),
    "far_from_river_km": ("“远离河流”的距离（km）", "“Far from a river” beyond (km)"),
    "capacities_supplied": ("已填写产能", "Capacities supplied"),
    "caps_supplied": ("已填写用水红线", "Water caps supplied"),
    "industry": ("产业", "Industry"),
    "exclude_plateau": ("排除青藏高原", "Tibetan Plateau excluded"),
    "top_n": ("候选区数量", "Candidate areas asked for"),
    "min_score": ("最低得分", "Least score"),
    "cell_deg": ("格网边长（°）", "Cell size (°)"),
    "rasters": ("栅格", "Rasters"),
}
"""Keys of ``AnalysisResult.parameters`` -> (Chinese, English)."""

RASTER_WORDS: dict[str, tuple[str, str, float]] = {
    "points_per_km2": ("园区核密度（个/万 km²）", "Park density (parks per 10,000 km²)", 1e4),
    "suitability_score_0_100": ("适宜性得分（0–100）", "Suitability score (0-100)", 1.0),
}
"""Raster band -> (Chinese, English, factor from the stored unit to the unit named)."""

NUMBER_VALUE_WORDS: dict[str, Words] = {
    "none": ("未提供", "none"),
    "all": ("全部", "all"),
    "unknown 未知": ("未知", "unknown"),
    "county-precision parks per 10,000 km2 (a park in k counties: 1/k each)": (
        "按县定位的园区密度（个/万 km²；跨 k 个县的园区各计 1/k）",
        "county-placed parks per 10,000 km² (a park in k counties counts 1/k in each)",
    ),
    "geodesic, WGS84 ellipsoid (pyproj.Geod); areas in the Albers equal-area CRS "
    "(settings.equal_area_crs)": (
        "WGS84 椭球面测地线距离；面积按 Albers 等积投影计算",
        "geodesic distances on the WGS84 ellipsoid; areas in an Albers equal-area projection",
    ),
    "Longtu defaults for county-level placement, not from the plan": (
        "陇图按县级定位设定的默认值，非规划给定",
        "Longtu's defaults for county-level placement, not the plan's",
    ),
}
"""Text values of numbers and parameters -> (Chinese, English)."""

NUMBER_TEXT_PATTERNS: tuple[tuple[re.Pattern[str], Words], ...] = (
    (
        re.compile(r"^permutation test, (\d+) permutations, two-sided$"),
        ("置换检验，{0} 次置换，双侧", "permutation test, {0} permutations, two-sided"),
    ),
)
"""Text values with a number in them: pattern -> (Chinese, English) with ``{0}`` for the number."""

NUMBER_VOCABULARIES: dict[str, str] = {
    "criteria_dropped": "criterion",
    "technologies": "technology",
    "industry": "industry_key",
}
"""Numbers and parameters whose text values come from a vocabulary of :data:`VALUE_WORDS`."""


def _merge_analysis_words() -> None:
    """Add the words of the analyses kept in their own modules (:mod:`longtu.maps.words`)."""
    for module in ANALYSIS_WORD_MODULES:
        TABLE_WORDS.update(module.TABLE_WORDS)
        COLUMN_WORDS.update(module.COLUMN_WORDS)
        NUMBER_WORDS.update(module.NUMBER_WORDS)
        PARAMETER_WORDS.update(module.PARAMETER_WORDS)
        SHOWN_COLUMNS.update(getattr(module, "SHOWN_COLUMNS", {}))
        for column, values in module.VALUE_WORDS.items():
            VALUE_WORDS.setdefault(column, {}).update(values)


ANALYSIS_WORD_MODULES = (access_words, built_words)
"""Modules holding one analysis's words, in the same dictionaries as this module's."""
_merge_analysis_words()

_P_VALUE = re.compile(r"(^|_)[pq](_value)?($|_)")


def words(pair: Words, *, language: str = "zh") -> str:
    """A (Chinese, English) pair as read: Chinese with English beside, or English only.

    Examples
    --------
    >>> words(("园区", "Parks")), words(("园区", "Parks"), language="en")
    ('园区 Parks', 'Parks')
    """
    zh, en = pair
    if language == "en":
        return en
    return zh if zh == en else f"{zh} {en}"


def humanise(key: str) -> str:
    """An identifier as words, for a key no dictionary here names (never shown snake_case).

    Examples
    --------
    >>> humanise("n_layer_warnings")
    'n layer warnings'
    """
    return key.replace("_", " ").strip()


def table_label(name: str, *, language: str = "zh") -> str:
    """The name of a result table.

    Examples
    --------
    >>> table_label("ripley_l", language="en")
    "Ripley's L function"
    """
    return words(TABLE_WORDS[name], language=language) if name in TABLE_WORDS else humanise(name)


def column_label(column: str, *, language: str = "zh", table: str = "") -> str:
    """The heading of a result column (of result table `table`), with its unit.

    Examples
    --------
    >>> column_label("l_envelope_high_km")
    '随机模拟包络上限（km） Random envelope, high (km)'
    >>> column_label("value", table="moran_local", language="en")
    'Park density (parks per 10,000 km²)'
    """
    pair = TABLE_COLUMN_WORDS.get((table, column)) or COLUMN_WORDS.get(column)
    return words(pair, language=language) if pair else humanise(column)


def number_label(key: str, *, language: str = "zh") -> str:
    """The name of a statistic of ``AnalysisResult.numbers`` (or a parameter).

    Examples
    --------
    >>> number_label("clark_evans_p_all", language="en")
    'Clark-Evans p-value (all parks)'
    """
    pair = NUMBER_WORDS.get(key) or PARAMETER_WORDS.get(key)
    return words(pair, language=language) if pair else humanise(key)


def is_p_value(name: str) -> bool:
    """Whether a column or statistic holds a p-value or q-value (by its name).

    Examples
    --------
    >>> is_p_value("clark_evans_p_all"), is_p_value("q_value_greater"), is_p_value("n_points")
    (True, True, False)
    """
    return bool(_P_VALUE.search(name))


def format_number(name: str, value: object, *, language: str = "zh") -> str:
    """`value` of column or statistic `name`, formatted for reading.

    Examples
    --------
    >>> format_number("clark_evans_p_all", 3.747e-27), format_number("p_value", 0.2783)
    ('< 0.001', '0.278')
    >>> format_number("max_distance_km", 57.0971), format_number("area_km2", 425531.5)
    ('57.1', '425,532')
    >>> format_number("hexi_inland", True, language="en"), format_number("x", float("nan"))
    ('yes', '—')
    """
    if isinstance(value, bool):
        return words(YES_NO[value], language=language)
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return _format_float(name, value)
    if isinstance(value, list | tuple):
        return "、".join(format_number(name, v, language=language) for v in value)
    return _format_text(str(value), language=language)


def _format_float(name: str, value: float) -> str:
    if is_p_value(name):
        return "< 0.001" if value < 0.001 else f"{value:.3f}"
    if name.endswith(("_km2", "_m")) or abs(value) >= 1000:
        return f"{value:,.0f}"
    if name.endswith("_km") or "_km_" in name or name.endswith("_pct") or "score" in name:
        return f"{value:,.1f}"
    if value.is_integer():
        return str(int(value))
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def _format_text(text: str, *, language: str) -> str:
    if text in NUMBER_VALUE_WORDS:
        return words(NUMBER_VALUE_WORDS[text], language=language)
    for pattern, (zh, en) in NUMBER_TEXT_PATTERNS:
        if match := pattern.match(text):
            found = match.groups()
            return words((zh.format(*found), en.format(*found)), language=language)
    if ";" in text and all(part.replace(".", "").isdigit() for part in text.split(";")):
        return "、".join(text.split(";"))
    return text


def value_words(column: str, value: object, *, language: str = "zh") -> str:
    """A cell of `column` as read: a vocabulary value named, a number formatted.

    Examples
    --------
    >>> value_words("severity", "conflict"), value_words("points", "all parks", language="en")
    ('冲突 conflict', 'all parks')
    >>> value_words("constraint_category", "ecological_red_line")
    '生态保护红线 Ecological protection red line'
    """
    vocabulary = _vocabulary(column)
    if vocabulary is not None and isinstance(value, str):
        if value in vocabulary:
            return words(vocabulary[value], language=language)
        if ";" in value:
            return "；".join(value_words(column, v, language=language) for v in value.split(";"))
    if isinstance(value, str):
        return value
    return format_number(column, _python(value), language=language)


@cache
def _industry_words() -> dict[str, Words]:
    from longtu.analysis.siting.verdict import industries

    table = industries()
    return {r.key: (r.name_zh, r.name_en) for r in table.itertuples()}


def _vocabulary(column: str) -> Mapping[str, Words] | None:
    """The names of the stored values of `column` (the industries from their table)."""
    return _industry_words() if column == "industry_key" else VALUE_WORDS.get(column)


def _python(value: object) -> object:
    """A NumPy scalar as the Python value it holds (bool, int, float)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def shown_columns(table: str, frame: pd.DataFrame, *, language: str = "zh") -> list[str]:
    """The columns of result table `table` a person reads, in the chosen language.

    Examples
    --------
    >>> frame = pd.DataFrame(columns=["name_zh", "name_en", "verdict_zh", "verdict_en", "id"])
    >>> shown_columns("designated_vs_measured", frame, language="en")
    ['name_en', 'verdict_en']
    """
    wanted = SHOWN_COLUMNS.get(table) or [c for c in frame.columns if c != "geometry"]
    out = []
    for column in wanted:
        twin = EN_TWINS.get(column) or (column[:-3] + "_en" if column.endswith("_zh") else "")
        use = twin if language == "en" and twin in frame.columns else column
        if use in frame.columns:
            out.append(use)
    return out


def labelled_table(
    table: str,
    frame: pd.DataFrame,
    *,
    language: str = "zh",
    columns: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Result table `table` as a person reads it: chosen columns, labelled, cells as text.

    Examples
    --------
    >>> frame = pd.DataFrame({"points": ["all parks"], "p_value": [4e-27], "r_index": [0.2954]})
    >>> labelled_table("clark_evans", frame, language="en").iloc[0].tolist()
    ['all parks', '0.295', '< 0.001']
    """
    chosen = (
        list(columns) if columns is not None else shown_columns(table, frame, language=language)
    )
    out = pd.DataFrame(index=range(len(frame)))
    for column in chosen:
        cells = frame[column].tolist()
        out[column_label(column, language=language, table=table)] = [
            value_words(column, v, language=language) for v in cells
        ]
    return out


def key_figures(numbers: Mapping[str, object], *, language: str = "zh") -> pd.DataFrame:
    """The numbers (or parameters) of a result as a two-column table: statistic, value.

    Examples
    --------
    >>> key_figures({"clark_evans_p_all": 3.7e-27, "eps_km": 50}, language="en").values.tolist()
    [['Clark-Evans p-value (all parks)', '< 0.001'], ['DBSCAN radius (km)', '50']]
    """
    heads = (words(("指标", "Statistic"), language=language),
             words(("数值", "Value"), language=language))  # fmt: skip
    rows = [
        (number_label(k, language=language), _figure(k, _python(v), language=language))
        for k, v in numbers.items()
        if not isinstance(v, dict | list) or all(not isinstance(x, dict) for x in v)
    ]
    return pd.DataFrame(rows, columns=list(heads))


def _figure(key: str, value: object, *, language: str) -> str:
    """One number or parameter as read (vocabulary values named, an empty list as ``—``)."""
    vocabulary = NUMBER_VOCABULARIES.get(key)
    if isinstance(value, list | tuple) and not value:
        return "—"
    if vocabulary is None:
        return format_number(key, value, language=language)
    parts = value if isinstance(value, list | tuple) else str(value).split(";")
    return "、".join(value_words(vocabulary, str(p), language=language) for p in parts)


def raster_legend(band: str, *, language: str = "zh") -> tuple[str, float]:
    """The legend title of a result raster band and the factor its values are shown at.

    Examples
    --------
    >>> raster_legend("points_per_km2", language="en")
    ('Park density (parks per 10,000 km²)', 10000.0)
    """
    if band not in RASTER_WORDS:
        return humanise(band), 1.0
    zh, en, factor = RASTER_WORDS[band]
    return words((zh, en), language=language), factor


def land_cover_group_label(group: str, *, language: str = "zh") -> str:
    """The name of a land-cover group of the built-in constraint.

    Examples
    --------
    >>> land_cover_group_label("wetland")
    '湿地 wetland'
    """
    return value_words("land_cover_group", group, language=language)


def severity_label(severity: str, *, language: str = "zh") -> str:
    """A severity of the constraint check as a word.

    Examples
    --------
    >>> severity_label("near", language="en")
    'near'
    """
    return value_words("severity", severity, language=language)


SEVERITY_ORDER: tuple[str, ...] = tuple(SEVERITIES)
"""Severities, worst first (conflict, near, clear)."""

__all__ = [
    "COLUMN_WORDS",
    "LAND_COVER_GROUPS",
    "NUMBER_WORDS",
    "PARAMETER_WORDS",
    "SEVERITY_ORDER",
    "SHOWN_COLUMNS",
    "TABLE_WORDS",
    "VALUE_WORDS",
    "Words",
    "column_label",
    "format_number",
    "humanise",
    "is_p_value",
    "key_figures",
    "labelled_table",
    "land_cover_group_label",
    "number_label",
    "raster_legend",
    "severity_label",
    "shown_columns",
    "table_label",
    "value_words",
    "words",
]
