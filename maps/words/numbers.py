"""Names of the analyses' key figures, parameters and raster bands, and their text values."""

from __future__ import annotations

import re

Words = tuple[str, str]

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
