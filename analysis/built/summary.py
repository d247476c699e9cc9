"""The summary of the plan against what was built: one paragraph each in Chinese and English."""

from __future__ import annotations

import pandas as pd

from longtu.analysis.built.problems import PROBLEM_KINDS
from longtu.layout.vocabulary import TECHNOLOGY_LABELS

SOLAR_WORDS = ("太阳能发电合计（光伏+光热）", "Solar total (PV + CSP)")


def _tech_words(tech: str) -> tuple[str, str]:
    return SOLAR_WORDS if tech == "solar_total" else TECHNOLOGY_LABELS[tech]


def _register_line(coverage: pd.DataFrame) -> tuple[str, str]:
    total = coverage.set_index("technology").loc["all"]
    years = total["years_present"]
    zh = (
        f"登记册共 {total['n_plants']} 座电站，甘肃省内 {total['n_in_gansu']} 座、省外 "
        f"{total['n_outside_gansu']} 座；有投产年份的 {total['n_with_year']} 座（{years}），"
        f"无容量 {total['n_no_capacity']} 座，无坐标 {total['n_no_location']} 座。"
    )
    en = (
        f"The register holds {total['n_plants']} plants, {total['n_in_gansu']} in Gansu and "
        f"{total['n_outside_gansu']} outside; {total['n_with_year']} give a year ({years}); "
        f"{total['n_no_capacity']} lack capacity, {total['n_no_location']} lack coordinates."
    )
    return zh, en


def _technology_line(row: pd.Series) -> tuple[str, str]:
    zh_name, en_name = _tech_words(str(row["technology"]))
    if row["n_plants_gansu"] == 0:
        zh, en = (
            f"{zh_name}：登记册中省内没有此类电站",
            f"{en_name}: no such plant in Gansu in the register",
        )
        if row["technology"] == "csp":
            zh += "（只写“太阳能/Solar”、名称不提光热的电站按光伏计）"
            en += " (a plant written only as Solar / 太阳能, its name not saying CSP, counts as PV)"
        return zh + "。", en + "."
    zh = f"{zh_name}：省内 {row['n_plants_gansu']} 座 {row['built_mw_gansu']:,.0f} MW"
    en = f"{en_name}: {row['n_plants_gansu']} plants, {row['built_mw_gansu']:,.0f} MW in Gansu"
    if pd.notna(row["plan_target_mw"]):
        share = row["built_share_of_target_pct"]
        year, target = row["plan_target_year"], row["plan_target_mw"]
        zh += f"，为规划 {year} 年目标 {target:,.0f} MW 的 {share:.0f}%"
        en += f", {share:.0f}% of the plan's {year} target of {target:,.0f} MW"
    zh += f"；其中 {row['built_mw_in_bases']:,.0f} MW 在规划基地区域内。"
    en += f"; {row['built_mw_in_bases']:,.0f} MW of it inside the plan's base regions."
    return zh, en


def _bases_line(bases: pd.DataFrame) -> tuple[str, str]:
    empty = bases[bases["n_plants"] == 0]
    zh = f"{len(bases)} 个风光基地中 {len(bases) - len(empty)} 个区域内有同类电站"
    en = (
        f"Of the plan's {len(bases)} wind, PV and CSP bases, {len(bases) - len(empty)} have "
        "plants of their kind in their region"
    )
    if len(empty):
        zh += "；没有的：" + "、".join(empty["name_zh"]) + "。"
        en += "; none in: " + ", ".join(empty["name_en"]) + "."
    else:
        zh, en = zh + "。", en + "."
    return zh, en


def _problems_line(problems: pd.DataFrame) -> tuple[str, str]:
    if problems.empty:
        return "未发现数据问题。", "No data problem found."
    pairs = list(zip(problems["plant_name"], problems["problem"], strict=True))
    zh = f"登记册数据问题 {len(problems)} 处，已计入并列于数据问题表：" + "；".join(
        f"{name}（{PROBLEM_KINDS[kind][0]}）" for name, kind in pairs
    )
    en = f"{len(problems)} data problems of the register, counted and listed in their table: "
    en += "; ".join(f"{name} ({PROBLEM_KINDS[kind][1]})" for name, kind in pairs)
    return zh + "。", en + "."


def summarise(tables: dict[str, pd.DataFrame]) -> tuple[str, str, dict[str, float | int | str]]:
    """The summary (Chinese, English) and the numbers behind it."""
    coverage, bases = tables["built_coverage"], tables["built_bases"]
    by_tech, problems = tables["built_by_technology"], tables["built_problems"]
    lines = [_register_line(coverage), _bases_line(bases)]
    lines += [_technology_line(row) for _, row in by_tech.iterrows()]
    lines.append(_problems_line(problems))
    lines.append(
        (
            "建成范围由登记电站推算，不是规划选址；规划基地以所在县、市州为区域计数。",
            "Built footprints come from the register's plants, not from the plan's sites; a "
            "plan base is counted over the county or prefecture the plan places it in.",
        )
    )
    total = coverage.set_index("technology").loc["all"]
    numbers: dict[str, float | int | str] = {
        "n_register_plants": int(total["n_plants"]),
        "n_register_plants_gansu": int(total["n_in_gansu"]),
        "n_register_plants_outside_gansu": int(total["n_outside_gansu"]),
        "n_register_plants_no_capacity": int(total["n_no_capacity"]),
        "n_register_plants_with_year": int(total["n_with_year"]),
        "register_years": str(total["years_present"]),
        "n_bases_compared": len(bases),
        "n_bases_without_plants": int((bases["n_plants"] == 0).sum()),
        "n_data_problems": len(problems),
        "n_footprints": len(tables["built_footprints"]),
    }
    for _, row in by_tech.iterrows():
        numbers[f"built_mw_gansu_{row['technology']}"] = float(row["built_mw_gansu"])
        numbers[f"built_mw_in_bases_{row['technology']}"] = float(row["built_mw_in_bases"])
    return " ".join(zh for zh, _ in lines), " ".join(en for _, en in lines), numbers
