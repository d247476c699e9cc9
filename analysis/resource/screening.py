"""Site screening in the style of NREL reV / IRENA zoning: exclusions, penalties, a score.

Rules come from an editable table (:func:`longtu.analysis.tables.screening_thresholds`): one row per
technology and criterion with ``value``, ``unit``, ``action`` (``exclude``, ``penalty`` or
``flag``), ``penalty_points`` and ``source``. A site that meets any exclusion scores 0;
otherwise it scores 100 minus its penalties. Every exclusion, penalty and flag is written out
in Chinese and English, so a score can always be explained.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Literal

import numpy as np
import pandas as pd

from longtu.analysis.tables import screening_thresholds
from longtu.errors import ScreeningError
from longtu.layout.vocabulary import TECHNOLOGY_LABELS

Technology = Literal["pv", "csp", "wind", "wind_solar"]

#: Resource rasters that count as assessing each technology's resource.
RESOURCE_NAMES: dict[str, tuple[str, ...]] = {
    "pv": ("ghi", "pvout"),
    "csp": ("dni",),
    "wind": ("wind_speed", "wind_power_density"),
    "wind_solar": ("ghi", "pvout", "wind_speed", "wind_power_density"),
}
#: The resources as read in the flags (Chinese, English).
RESOURCE_WORDS: dict[str, tuple[str, str]] = {
    "ghi": ("水平面总辐照", "global horizontal irradiance"),
    "dni": ("法向直射辐照", "direct normal irradiance"),
    "pvout": ("光伏发电量", "PV output"),
    "wind_speed": ("风速", "wind speed"),
    "wind_power_density": ("风功率密度", "wind power density"),
}
#: Factors that turn a resource unit (column suffix) into an annual total (kWh/m2/yr).
ANNUAL_FACTORS = {"kwh_m2_yr": 1.0, "kwh_m2_day": 365.0, "kwh_m2_d": 365.0}
#: GB/T 31155-2014 grades of annual GHI, kWh/m2/yr (6300, 5040, 3780 MJ/m2/yr).
_GHI_GRADES = [(1750.0, "A 最丰富"), (1400.0, "B 很丰富"), (1050.0, "C 较丰富"), (0.0, "D 一般")]


def _resource_column(columns: pd.Index, name: str) -> str | None:
    found = [c for c in columns if c.startswith(f"{name}_") and not c.endswith("_mean_available")]
    return found[0] if found else None


def _annual_kwh(values: pd.Series, column: str, name: str) -> pd.Series | None:
    """Values in kWh/m2/yr, or None when the unit suffix is not understood."""
    factor = ANNUAL_FACTORS.get(column.removeprefix(f"{name}_"))
    return None if factor is None else values * factor


def _rules(thresholds: pd.DataFrame, technology: str) -> dict[str, pd.Series]:
    if technology not in RESOURCE_NAMES:
        known = ", ".join(RESOURCE_NAMES)
        known_zh = "、".join(f"{TECHNOLOGY_LABELS[t][0]}（{t}）" for t in RESOURCE_NAMES)
        raise ScreeningError(
            f"`technology` {technology!r} is not screened; use one of {known}.",
            zh=f"技术 {technology} 不在资源筛选之列；请用以下之一：{known_zh}。",
        )
    rules = thresholds[thresholds["technology"] == technology]
    return {row["criterion"]: row for _, row in rules.iterrows()}


def _points(rule: pd.Series) -> float:
    return float(rule["penalty_points"]) if pd.notna(rule["penalty_points"]) else 0.0


class _Ledger:
    """Exclusions, penalties and flags of every row, collected criterion by criterion."""

    def __init__(self, index: pd.Index) -> None:
        self.excluded = pd.Series(False, index=index)
        self.penalty = pd.Series(0.0, index=index)
        self.zh: dict[Hashable, list[str]] = {i: [] for i in index}
        self.en: dict[Hashable, list[str]] = {i: [] for i in index}
        self.flags_zh: dict[Hashable, list[str]] = {i: [] for i in index}
        self.flags_en: dict[Hashable, list[str]] = {i: [] for i in index}

    def add(self, mask: pd.Series, rule: pd.Series | None, zh: pd.Series, en: pd.Series) -> None:
        action = "flag" if rule is None else rule["action"]
        for i in mask[mask].index:
            if action == "exclude":
                self.excluded[i] = True
            elif rule is not None:
                self.penalty[i] += _points(rule)
            target_zh, target_en = (
                (self.flags_zh, self.flags_en) if action == "flag" else (self.zh, self.en)
            )
            target_zh[i].append(zh[i])
            target_en[i].append(en[i])


def _terrain_rules(frame: pd.DataFrame, rules: dict, ledger: _Ledger) -> None:
    if "slope_max" in rules:
        rule, limit = rules["slope_max"], float(rules["slope_max"]["value"])
        slope = frame["slope_deg"]
        zh = slope.map(lambda s: f"坡度 {s:.1f}° > {limit}°（{rule['source'][:40]}）")
        en = slope.map(lambda s: f"slope {s:.1f}° > {limit}° ({rule['source'][:40]})")
        ledger.add(slope > limit, rule, zh, en)
        unknown = slope.isna()
        ledger.add(
            unknown, None, unknown.map(lambda _: "坡度未知"), unknown.map(lambda _: "slope unknown")
        )
    for criterion in ("land_cover_excluded", "land_cover_penalised"):
        if criterion in rules:
            rule = rules[criterion]
            codes = {int(c) for c in str(rule["value"]).split(";") if c.strip()}
            hit = frame["igbp_class"].isin(codes)
            verb_zh = "排除类" if rule["action"] == "exclude" else f"扣 {_points(rule):g} 分"
            verb_en = "excluded" if rule["action"] == "exclude" else f"-{_points(rule):g} points"
            zh = frame["igbp_name_zh"].map(lambda n, v=verb_zh: f"土地覆被 {n}：{v}")
            en = frame["igbp_name_en"].map(lambda n, v=verb_en: f"land cover {n}: {v}")
            ledger.add(hit, rule, zh, en)
    if "distance_to_town_min" in rules:
        rule, limit = rules["distance_to_town_min"], float(rules["distance_to_town_min"]["value"])
        dist = frame["distance_to_town_km"]
        zh = dist.map(lambda d: f"距城镇 {d:.1f} km < {limit:g} km")
        en = dist.map(lambda d: f"{d:.1f} km from a town < {limit:g} km")
        ledger.add(dist < limit, rule, zh, en)


def _resource_rule(
    frame: pd.DataFrame, rules: dict, ledger: _Ledger, criterion: str, name: str
) -> None:
    column = _resource_column(frame.columns, name)
    if criterion not in rules or column is None:
        return
    rule, limit = rules[criterion], float(rules[criterion]["value"])
    values = frame[column] if name == "wind_speed" else _annual_kwh(frame[column], column, name)
    name_zh, name_en = RESOURCE_WORDS[name]
    if values is None:
        every = pd.Series(True, index=frame.index)
        zh = every.map(lambda _: f"{name_zh}栅格（{column}）的单位无法识别：未评估")
        en = every.map(lambda _: f"{name_en} raster ({column}): unit not understood, not assessed")
        ledger.add(every, None, zh, en)
        return
    unit, source = rule["unit"], rule["source"][:40]
    digits = 1 if name == "wind_speed" else 0  # 5.4 m/s is not "5"
    zh = values.map(lambda v: f"{name_zh} {v:.{digits}f} < {limit:g} {unit}（{source}）")
    en = values.map(lambda v: f"{name_en} {v:.{digits}f} < {limit:g} {unit} ({source})")
    ledger.add(values < limit, rule, zh, en)


def _ghi_grade(frame: pd.DataFrame) -> pd.Series | None:
    column = _resource_column(frame.columns, "ghi")
    values = None if column is None else _annual_kwh(frame[column], column, "ghi")
    if values is None:
        return None
    bins = [floor for floor, _ in _GHI_GRADES]
    labels = [label for _, label in _GHI_GRADES]
    return values.map(
        lambda v: (
            "unknown 未知"
            if np.isnan(v)
            else next(lab for b, lab in zip(bins, labels, strict=True) if v >= b)
        )
    )


def screen_sites(
    attributes: pd.DataFrame,
    *,
    technology: Technology,
    thresholds: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Exclusions, penalties, flags and a 0-100 score for sites of one technology.

    Parameters
    ----------
    attributes
        Output of :func:`longtu.analysis.resource.fit.site_attributes` (``slope_deg``,
        ``igbp_class``, ``igbp_name_zh``, ``igbp_name_en``, ``distance_to_town_km`` and any
        resource columns such as ``dni_kwh_m2_yr``).
    technology
        ``"pv"``, ``"csp"``, ``"wind"`` or ``"wind_solar"``.
    thresholds
        Rule table; default :func:`longtu.analysis.tables.screening_thresholds`.

    Returns
    -------
    pandas.DataFrame
        A copy of `attributes` with ``screened_as``, ``excluded``, ``score`` (0-100),
        ``reasons_zh``, ``reasons_en``, ``flags_zh``, ``flags_en``, ``resource_assessed``,
        ``score_covers`` and, when GHI is given, ``ghi_grade_gbt31155``.

    Examples
    --------
    >>> sites = pd.DataFrame({"slope_deg": [0.5, 3.0], "igbp_class": [16, 16],
    ...     "igbp_name_zh": ["裸地", "裸地"], "igbp_name_en": ["Barren", "Barren"],
    ...     "distance_to_town_km": [10.0, 10.0], "dni_kwh_m2_yr": [2000.0, 1500.0]})
    >>> out = screen_sites(sites, technology="csp")
    >>> out["score"].tolist(), out["excluded"].tolist()
    ([100.0, 0.0], [False, True])
    """
    table = screening_thresholds() if thresholds is None else thresholds
    rules = _rules(table, technology)
    needed = {"slope_deg", "igbp_class", "igbp_name_zh", "igbp_name_en", "distance_to_town_km"}
    missing = sorted(needed - set(attributes.columns))
    if missing:
        raise ScreeningError(f"`attributes` lacks {', '.join(missing)}; use site_attributes().")
    out = attributes.copy()
    ledger = _Ledger(out.index)
    _terrain_rules(out, rules, ledger)
    _resource_rule(out, rules, ledger, "dni_min", "dni")
    _resource_rule(out, rules, ledger, "ghi_grade_c_or_d", "ghi")
    _resource_rule(out, rules, ledger, "wind_speed_min", "wind_speed")
    assessed = _note_unassessed(out, ledger, technology)
    _write_ledger(out, ledger, technology, assessed)
    grade = None if technology == "wind" else _ghi_grade(out)
    if grade is not None:
        out["ghi_grade_gbt31155"] = grade
    return out


def _note_unassessed(out: pd.DataFrame, ledger: _Ledger, technology: Technology) -> bool:
    """Whether a resource raster of `technology` was given; if not, say so on every site."""
    assessed = any(_resource_column(out.columns, n) for n in RESOURCE_NAMES[technology])
    if not assessed:
        names_zh = "或".join(RESOURCE_WORDS[n][0] for n in RESOURCE_NAMES[technology])
        names_en = " or ".join(RESOURCE_WORDS[n][1] for n in RESOURCE_NAMES[technology])
        none = pd.Series(True, index=out.index)
        zh = none.map(lambda _: f"未提供{names_zh}栅格：资源未评估")
        en = none.map(lambda _: f"no {names_en} raster supplied: resource not assessed")
        ledger.add(none, None, zh, en)
    return assessed


def _write_ledger(out: pd.DataFrame, ledger: _Ledger, technology: str, assessed: bool) -> None:
    """The ledger's exclusions, score, reasons and flags as columns of `out`."""
    out["screened_as"] = technology
    out["excluded"] = ledger.excluded
    out["score"] = np.where(ledger.excluded, 0.0, np.clip(100.0 - ledger.penalty, 0.0, 100.0))
    out["reasons_zh"] = [("；".join(ledger.zh[i]) or "通过全部筛选") for i in out.index]
    out["reasons_en"] = [("; ".join(ledger.en[i]) or "passes every screen") for i in out.index]
    out["flags_zh"] = ["；".join(ledger.flags_zh[i]) for i in out.index]
    out["flags_en"] = ["; ".join(ledger.flags_en[i]) for i in out.index]
    out["resource_assessed"] = assessed
    out["score_covers"] = (
        "siting constraints and resource 选址约束与资源"
        if assessed
        else "siting constraints only, resource not assessed 仅选址约束，资源未评估"
    )
