"""Energy sites against the plans' targets: the reconciliation table of the briefing book.

The plans give capacity classes (e.g. 百万千瓦级, "million-kW class") and no MW for individual
sites; so mapped capacity is summed only where a MW figure is stated, is reported as unknown
(未知) otherwise, and the gap to a MW target is never computed. Classes are copied as written.
"""

from __future__ import annotations

import pandas as pd

from longtu.layout.vocabulary import TECHNOLOGY_LABELS, legend_label

TECH_NAMES = {
    tech: legend_label(*TECHNOLOGY_LABELS[tech])
    for tech in (
        "wind",
        "pv",
        "csp",
        "wind_solar",
        "hydro",
        "coal_power",
        "nuclear",
        "energy_chemicals",
        "other",
    )
}
SOLAR_TOTAL = "solar_total"
"""Row of targets for all solar power: a target whose indicator names 太阳能 counts PV + CSP."""
UNKNOWN_MW = "未知 unknown（规划未写明MW）"


def _classes(frame: pd.DataFrame) -> str:
    classes = frame["capacity_class_zh"].fillna("").astype(str).replace("", "未注明")
    return "；".join(f"{k}×{v}" for k, v in classes.value_counts(sort=False).items()) or "—"


def _stated_mw(frame: pd.DataFrame) -> str:
    mw = pd.to_numeric(frame["capacity_mw_stated"], errors="coerce")
    if frame.empty:
        return "—"
    if mw.notna().sum() == 0:
        return UNKNOWN_MW
    missing = int(mw.isna().sum())
    text = f"{mw.sum():,.0f} MW（{int(mw.notna().sum())} 处注明）"
    return text + (f"；另 {missing} 处未知" if missing else "")


def _target_mw(targets: pd.DataFrame, kind: str) -> str:
    rows = targets[(targets["kind"] == kind) & (targets["unit_si"] == "MW")]
    return "; ".join(f"{r.value_si:,.0f} MW ({r.year})" for r in rows.itertuples()) or "—"


def _count_targets(targets: pd.DataFrame, sites: pd.DataFrame) -> str:
    rows = targets[(targets["kind"] == "target") & (targets["unit_si"].fillna("") == "")]
    out = []
    for r in rows.itertuples():
        classes = sites["capacity_class_zh"].fillna("").astype(str)
        hits = [c for c in classes.unique() if c and c in r.indicator_zh]
        mapped = int(classes.isin(hits).sum()) if hits else len(sites)
        out.append(f"{r.indicator_zh} {r.value:g}{r.unit}；图上 {mapped} 处")
    return "；".join(out) or "—"


def _tech_targets(targets: pd.DataFrame, tech: str) -> pd.DataFrame:
    if tech == SOLAR_TOTAL:
        return targets[targets["indicator_zh"].astype(str).str.contains("太阳能")]
    solar = targets["indicator_zh"].astype(str).str.contains("太阳能")
    return targets[(targets["technology"] == tech) & ~solar]


def energy_reconciliation(sites: pd.DataFrame, targets: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Mapped energy sites against the plans' targets, per technology and per prefecture.

    Parameters
    ----------
    sites
        The ``energy_sites`` layer (``technology``, ``capacity_class_zh``,
        ``capacity_mw_stated``, ``precision``, ``prefecture_adcode``).
    targets
        The ``targets`` layer (``technology``, ``kind``, ``value_si``, ``unit_si``…).

    Returns
    -------
    dict
        ``"by_technology"`` and ``"by_prefecture"`` DataFrames of display strings. Stated MW is
        summed only where the plans state it; otherwise the cell says unknown (未知).

    Examples
    --------
    >>> sites = pd.DataFrame({"technology": ["pv", "pv", "wind"],
    ...     "capacity_class_zh": ["百万千瓦级", "百万千瓦级", ""],
    ...     "capacity_mw_stated": [None, None, 200.0], "precision": ["county"] * 3,
    ...     "prefecture_adcode": ["620900", "620900;620200", "620900"]})
    >>> targets = pd.DataFrame({"technology": ["pv", "pv"], "kind": ["target", "target"],
    ...     "indicator_zh": ["光伏发电装机", "百万千瓦级大型光伏发电基地数量"],
    ...     "value": [990.0, 8.0], "unit": ["万千瓦", "个"], "value_si": [9900.0, None],
    ...     "unit_si": ["MW", ""], "year": [2020, 2020], "scope_adcode": ["620000"] * 2})
    >>> out = energy_reconciliation(sites, targets)
    >>> out["by_technology"].set_index("technology").loc["pv", "mapped_sites"]
    '2 处已落位'
    >>> out["by_technology"].set_index("technology").loc["wind", "stated_mw"]
    '200 MW（1 处注明）'
    >>> out["by_prefecture"].set_index("prefecture_adcode").loc["620200", "pv"]
    '1（百万千瓦级×1）'
    """
    techs = [t for t in TECH_NAMES if t in set(sites["technology"])]
    if _tech_targets(targets, SOLAR_TOTAL).shape[0]:
        techs.append(SOLAR_TOTAL)
    rows = []
    for tech in techs:
        chosen = ["pv", "csp"] if tech == SOLAR_TOTAL else [tech]
        sub = sites[sites["technology"].isin(chosen)]
        tt = _tech_targets(targets, tech)
        unplaced = int((sub["precision"] == "unplaced").sum())
        mapped = f"{len(sub) - unplaced} 处已落位" + (f" + {unplaced} 处未落位" if unplaced else "")
        rows.append(
            {
                "technology": tech,
                "technology_name": TECH_NAMES.get(tech, "太阳能发电合计 solar total (PV+CSP)"),
                "mapped_sites": mapped,
                "capacity_classes": _classes(sub),
                "stated_mw": _stated_mw(sub),
                "baseline_mw": _target_mw(tt, "baseline"),
                "target_mw": _target_mw(tt, "target"),
                "count_targets": _count_targets(tt, sub),
            }
        )
    return {"by_technology": pd.DataFrame(rows), "by_prefecture": _by_prefecture(sites, targets)}


def _by_prefecture(sites: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    exploded = sites.assign(
        prefecture_adcode=sites["prefecture_adcode"].fillna("").astype(str).str.split(";")
    ).explode("prefecture_adcode")
    exploded.loc[exploded["precision"] == "unplaced", "prefecture_adcode"] = "unplaced"
    exploded = exploded[exploded["prefecture_adcode"] != ""]
    techs = [t for t in TECH_NAMES if t in set(sites["technology"])]
    rows = []
    for adcode, group in exploded.groupby("prefecture_adcode", sort=True):
        row = {"prefecture_adcode": adcode}
        for tech in techs:
            sub = group[group["technology"] == tech]
            row[tech] = f"{len(sub)}（{_classes(sub)}）" if len(sub) else "—"
        row["stated_mw"] = _stated_mw(group)
        scoped = targets[
            (targets["scope_adcode"].astype(str) == adcode)
            & (targets["technology"].fillna("") != "")
        ]
        row["prefecture_targets"] = (
            f"{len(scoped)} 项" if len(scoped) else "规划未分解到市州 not broken down"
        )
        rows.append(row)
    return pd.DataFrame(rows)
