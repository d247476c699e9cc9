"""Words of the plan against what was built (:mod:`longtu.analysis.built`)."""

from __future__ import annotations

from longtu.analysis.built.problems import PROBLEM_KINDS
from longtu.analysis.built.regions import REGION_KINDS
from longtu.layout.vocabulary import STATUS_LABELS

Words = tuple[str, str]

TABLE_WORDS: dict[str, Words] = {
    "built_bases": ("规划基地与实际建成", "Plan bases against what was built"),
    "built_by_technology": (
        "分技术：建成装机与规划目标",
        "By technology: built MW against the plan's targets",
    ),
    "built_problems": ("登记册数据问题", "Data problems of the register"),
    "built_footprints": (
        "实际建成范围（由登记电站推算，非规划选址）",
        "Built footprints (from the register's plants, not the plan's sites)",
    ),
    "built_coverage": ("登记册覆盖情况", "Coverage of the register"),
    "built_plants": ("登记册电站", "Plants of the register"),
}  # fmt: skip
"""Tables in the order shown (paper shows the first three)."""

SHOWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "built_bases": ("name_zh", "technology", "placement_region_zh", "n_plants", "built_mw",
                    "flagged_mw", "finding_zh", "region_kind", "capacity_class_zh",
                    "plan_status", "n_plants_no_capacity"),
    "built_by_technology": ("technology", "n_bases", "n_plants_gansu", "built_mw_gansu",
                            "plan_target_mw", "plan_target_year", "built_share_of_target_pct",
                            "built_mw_in_bases", "n_plants_in_bases", "plan_baseline_mw",
                            "plan_baseline_year"),
    "built_problems": ("plant_name", "problem", "problem_zh", "technology", "built_mw",
                       "county_zh"),
    "built_footprints": ("name_zh", "technology", "n_plants", "built_mw", "area_km2",
                         "bases_zh", "plant_names"),
    "built_coverage": ("technology", "n_plants", "n_in_gansu", "n_outside_gansu", "n_no_location",
                       "n_no_capacity", "built_mw_gansu", "n_with_year", "years_present"),
    "built_plants": ("row", "plant_name", "technology", "built_mw", "year", "county_zh",
                     "prefecture_zh", "in_gansu", "bases_zh", "fuel_as_written"),
}  # fmt: skip
"""Columns a person reads, in order (paper shows the first eight); ``_zh`` ones swap to ``_en``
in English. Every column is in the CSV and GeoPackage outputs."""

COLUMN_WORDS: dict[str, Words] = {
    "placement_region_zh": ("计数区域", "Region counted"),
    "placement_region_en": ("计数区域（英文）", "Region counted"),
    "region_kind": ("区域依据", "Region from"),
    "capacity_class_zh": ("规划规模等级", "Plan's capacity class"),
    "plan_status": ("规划状态", "Status in the plan"),
    "n_plants": ("电站数", "Plants"),
    "built_mw": ("装机（MW）", "Capacity (MW)"),
    "n_plants_no_capacity": ("无容量电站数", "Plants without capacity"),
    "flagged_mw": ("其中存疑数据（MW）", "Of which questionable (MW)"),
    "built_mix_zh": ("分技术", "By technology"),
    "built_mix_en": ("分技术（英文）", "By technology"),
    "finding_zh": ("结论", "Finding"),
    "finding_en": ("结论（英文）", "Finding"),
    "n_bases": ("规划基地数", "Plan bases"),
    "n_plants_gansu": ("省内电站数", "Plants in Gansu"),
    "built_mw_gansu": ("省内装机（MW）", "Capacity in Gansu (MW)"),
    "n_plants_in_bases": ("基地区域内电站数", "Plants inside base regions"),
    "built_mw_in_bases": ("基地区域内装机（MW）", "Capacity inside base regions (MW)"),
    "plan_baseline_mw": ("规划基期装机（MW）", "Plan's baseline (MW)"),
    "plan_baseline_year": ("基期年份", "Baseline year"),
    "plan_target_mw": ("规划目标装机（MW）", "Plan's target (MW)"),
    "plan_target_year": ("目标年份", "Target year"),
    "built_share_of_target_pct": ("省内装机占目标（%）", "Gansu capacity as share of target (%)"),
    "plant_name": ("电站名称", "Plant"),
    "problem": ("问题类型", "Problem"),
    "problem_zh": ("问题说明", "What is wrong"),
    "problem_en": ("问题说明（英文）", "What is wrong"),
    "n_in_gansu": ("省内", "In Gansu"),
    "n_outside_gansu": ("省外", "Outside Gansu"),
    "n_no_location": ("无坐标", "Without coordinates"),
    "n_no_capacity": ("无容量", "Without capacity"),
    "n_with_year": ("有投产年份", "With a year"),
    "years_present": ("投产年份范围", "Years present"),
    "plant_names": ("所含电站", "Plants in it"),
    "bases_zh": ("所在规划基地区域", "Plan base regions it lies in"),
    "row": ("登记册行号", "Register row"),
    "fuel_as_written": ("登记册所写类型", "Type as written in the register"),
    "in_gansu": ("在甘肃省内", "In Gansu"),
}
NUMBER_WORDS: dict[str, Words] = {
    "n_register_plants": ("登记册电站数", "Plants in the register"),
    "n_register_plants_gansu": ("其中省内", "Of which in Gansu"),
    "n_register_plants_outside_gansu": ("其中省外", "Of which outside Gansu"),
    "n_register_plants_no_capacity": ("无容量电站数", "Plants without capacity"),
    "n_register_plants_with_year": ("有投产年份的电站数", "Plants with a year"),
    "register_years": ("登记册投产年份范围", "Years present in the register"),
    "n_bases_compared": ("对照的规划风光基地数", "Plan wind, PV and CSP bases compared"),
    "n_bases_without_plants": ("区域内无同类电站的基地数", "Bases with no plant of their kind"),
    "n_data_problems": ("数据问题数", "Data problems"),
    "n_footprints": ("建成范围数", "Built footprints"),
    "built_mw_gansu_wind": ("省内风电装机（MW）", "Wind capacity in Gansu (MW)"),
    "built_mw_in_bases_wind": ("风电基地区域内装机（MW）", "Wind capacity inside wind bases (MW)"),
    "built_mw_gansu_pv": ("省内光伏装机（MW）", "PV capacity in Gansu (MW)"),
    "built_mw_in_bases_pv": ("光伏基地区域内装机（MW）", "PV capacity inside PV bases (MW)"),
    "built_mw_gansu_csp": ("省内光热装机（MW）", "CSP capacity in Gansu (MW)"),
    "built_mw_in_bases_csp": ("光热基地区域内装机（MW）", "CSP capacity inside CSP bases (MW)"),
    "built_mw_gansu_solar_total": ("省内太阳能发电装机（MW）", "Solar capacity in Gansu (MW)"),
    "built_mw_in_bases_solar_total": (
        "太阳能基地区域内装机（MW）",
        "Solar capacity inside PV and CSP bases (MW)",
    ),
}
PARAMETER_WORDS: dict[str, Words] = {
    "register": ("电站登记册", "Plant register"),
    "footprint_radius_km": ("建成范围缓冲半径（km）", "Footprint buffer radius (km)"),
    "large_point_mw": ("单点容量上限（MW）", "Largest single point (MW)"),
    "place_tolerance_km": ("名称地点容差（km）", "Named-place tolerance (km)"),
}
VALUE_WORDS: dict[str, dict[str, Words]] = {
    "technology": {
        "solar_total": ("太阳能发电合计（光伏+光热）", "Solar total (PV + CSP)"),
        "all": ("全部", "All"),
    },
    "region_kind": REGION_KINDS,
    "plan_status": STATUS_LABELS,
    "problem": PROBLEM_KINDS,
}
