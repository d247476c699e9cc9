"""Suitability criteria: the editable weights-and-transforms table and the scoring transforms.

Defaults live in ``analysis/data/suitability_criteria.csv`` (each row says where its value comes
from, or that it is our default); the hard exclusions of the energy technologies come from
``analysis/data/screening_thresholds.csv`` with their sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources

import numpy as np
import pandas as pd

from longtu.analysis.io.tables import numeric_column
from longtu.analysis.siting.verdict import resolve_industry
from longtu.analysis.tables import screening_thresholds
from longtu.errors import SuitabilityError

#: Criterion -> (Chinese label, English label, format of its value) for reasons and checks.
CRITERION_LABELS: dict[str, tuple[str, str, str]] = {
    "slope_deg": ("坡度", "slope", "{:.1f}°"),
    "land_cover": ("土地覆被", "land cover", "{:.0f}"),
    "distance_to_river_km": ("距河流", "to a river", "{:.0f} km"),
    "distance_to_town_km": ("距城镇", "to a town", "{:.0f} km"),
    "distance_to_same_industry_park_km": (
        "距同类规划园区或基地",
        "to a planned site of the industry",
        "{:.0f} km",
    ),
    "distance_to_rail_or_expressway_km": (
        "距铁路或高速公路",
        "to a railway or an expressway",
        "{:.0f} km",
    ),
}

COLUMNS = ["criterion", "weight", "transform", "param_low", "param_high", "classes", "unit"]


SCORING = ("lower_better", "higher_better", "class_scores")


EXCLUDING = ("exclude_above", "exclude_below", "exclude_classes")


_SCREEN_RULES = {  # screening_thresholds criterion -> (our criterion, transform, param column)
    "slope_max": ("slope_deg", "exclude_above", "param_high"),
    "land_cover_excluded": ("land_cover", "exclude_classes", "classes"),
    "distance_to_town_min": ("distance_to_town_km", "exclude_below", "param_low"),
}


def _group(spec: pd.Series) -> str:
    if spec["key"] in ("pv", "csp", "wind"):
        return spec["key"]
    return "water_intensive" if spec["water_group"] else "general"


def _screening_rows(technology: str) -> list[dict]:
    table = screening_thresholds()
    rows = []
    for rule in table[table["technology"] == technology].itertuples(index=False):
        if rule.criterion not in _SCREEN_RULES or rule.action != "exclude":
            continue
        criterion, transform, column = _SCREEN_RULES[rule.criterion]
        row = dict(criterion=criterion, weight=0.0, transform=transform, unit=rule.unit)
        row[column] = rule.value if column == "classes" else float(rule.value)
        row["source"] = rule.source
        row["note"] = f"hard exclusion; {rule.note}" if isinstance(rule.note, str) else ""
        row["note_zh"] = f"硬约束排除；{rule.note_zh}" if isinstance(rule.note_zh, str) else ""
        rows.append(row)
    return rows


def criteria_table(industry: str) -> pd.DataFrame:
    """The default, editable criteria table (weights, transforms, exclusions) of an industry.

    Parameters
    ----------
    industry
        Key, Chinese or English name of an industry of ``analysis/data/industries.csv``.

    Returns
    -------
    pandas.DataFrame
        ``criterion``, ``weight``, ``transform`` (``lower_better`` / ``higher_better``: linear
        between ``param_low`` and ``param_high``; ``class_scores`` from ``classes`` such as
        ``"16:1;10:0.8"``; ``exclude_above``, ``exclude_below``, ``exclude_classes``),
        ``param_low``, ``param_high``, ``classes``, ``unit``, ``source``, ``note`` (and its
        Chinese, ``note_zh``).

    Examples
    --------
    >>> table = criteria_table("光伏")
    >>> table.loc[table["criterion"] == "resource:ghi", ["weight", "param_low"]].values.tolist()
    [[0.4, 1400.0]]
    >>> sorted(table.loc[table["transform"] == "exclude_above", "param_high"])
    [1.72]
    """
    spec = resolve_industry(industry)
    path = resources.files("longtu.analysis") / "data" / "suitability_criteria.csv"
    with path.open("rb") as handle:
        table = pd.read_csv(handle, dtype={"classes": str}, keep_default_na=False, na_values=[""])
    rows = table[table["group"].isin(["*", _group(spec)])].drop(columns="group")
    if spec["technology"] in ("pv", "csp", "wind"):
        rows = pd.concat([rows, pd.DataFrame(_screening_rows(spec["technology"]))])
    return rows.reset_index(drop=True)[[*COLUMNS, "source", "note", "note_zh"]]


def _parse_classes(text: object, *, scored: bool) -> dict[int, float]:
    pairs = [p.split(":") for p in str(text).split(";") if p.strip()]
    return {int(float(p[0])): float(p[1]) if scored else 1.0 for p in pairs}


#: Columns of the criteria table as its heading reads in Chinese (maps/words/tables.py).
_COLUMNS_ZH = {
    "criterion": "准则",
    "weight": "权重",
    "transform": "变换",
    "param_low": "参数下限",
    "param_high": "参数上限",
    "classes": "类别",
    "unit": "单位",
}


def _row_problems(i: int, row: pd.Series, scored: pd.Series) -> list[tuple[str, str]]:
    """What is wrong with data row ``i + 1`` of the criteria table, each in (English, Chinese)."""
    name, how = str(row["criterion"]), row["transform"]
    try:
        classes_ok = bool(_parse_classes(row["classes"], scored=how == "class_scores"))
    except (ValueError, IndexError):
        classes_ok = False
    linear, uses_classes = how in SCORING[:2], how in ("class_scores", "exclude_classes")
    bad = {
        (f"unknown criterion {name!r}", f"没有准则 {name}"): name not in CRITERION_LABELS
        and not name.startswith("resource:"),
        (
            f"unknown transform {how!r} (use {', '.join(SCORING + EXCLUDING)})",
            f"没有变换 {how}（可用 {'、'.join(SCORING + EXCLUDING)}）",
        ): how not in SCORING + EXCLUDING,
        ("needs param_low < param_high", "参数下限须小于参数上限"): linear
        and not row["param_low"] < row["param_high"],
        ("needs param_high", "须填参数上限"): how == "exclude_above" and pd.isna(row["param_high"]),
        ("needs param_low", "须填参数下限"): how == "exclude_below" and pd.isna(row["param_low"]),
        (
            "`classes` must look like '16:1;10:0.8' or '0;11'",
            "类别须写成 16:1;10:0.8 或 0;11 的形式",
        ): uses_classes and not classes_ok,
        ("negative weight", "权重为负"): row["weight"] < 0,
        ("scored twice: keep one scoring row", "重复评分：只保留一行评分"): how in SCORING
        and (scored == name).sum() > 1,
    }
    return [
        (f"data row {i + 1} ({name}): {en}", f"第 {i + 1} 行数据（{name}）：{zh}")
        for (en, zh), hit in bad.items()
        if hit
    ]


def check_criteria(criteria: pd.DataFrame) -> pd.DataFrame:
    """`criteria` checked (columns, numbers typed by people, one scoring row per criterion).

    Raises :class:`~longtu.errors.SuitabilityError` listing every problem; returns a copy with
    numeric columns as numbers.
    """
    missing = sorted(set(COLUMNS) - set(criteria.columns))
    if missing:
        raise SuitabilityError(
            f"`criteria` lacks the columns {', '.join(missing)}; start from criteria_table().",
            zh=f"准则表缺少列 {'、'.join(f'{_COLUMNS_ZH[c]}（{c}）' for c in missing)}；"
            "请从默认准则表（某次运行输出的 criteria.csv）开始编辑。",
        )
    table = criteria.copy().reset_index(drop=True)
    for column in ("weight", "param_low", "param_high"):
        table[column] = numeric_column(
            table,
            column,
            table="criteria",
            table_zh="准则表",
            nonnegative=False,
            error=SuitabilityError,
        )
    table["weight"] = table["weight"].fillna(0.0)
    scored = table.loc[table["transform"].isin(SCORING), "criterion"]
    problems = [p for i, row in table.iterrows() for p in _row_problems(i, row, scored)]
    if problems:
        raise SuitabilityError(
            "`criteria` has problems: " + "; ".join(en for en, _ in problems) + ".",
            zh="准则表有以下问题：" + "；".join(zh for _, zh in problems) + "。请逐项改正。",
        )
    return table


def transform_scores(values: np.ndarray, row: Mapping) -> np.ndarray:
    """Score (0-1) of criterion values by a scoring transform of the criteria table.

    Examples
    --------
    >>> row = {"transform": "lower_better", "param_low": 2.0, "param_high": 50.0}
    >>> transform_scores(np.array([0.0, 26.0, 80.0]), row).tolist()
    [1.0, 0.5, 0.0]
    >>> transform_scores(np.array([16.0, 12.0]), {"transform": "class_scores",
    ...     "classes": "16:1;10:0.8"}).tolist()
    [1.0, 0.0]
    """
    how = row["transform"]
    if how == "class_scores":
        out = np.zeros_like(values, dtype=float)
        for code, score in _parse_classes(row["classes"], scored=True).items():
            out[values == code] = score
        return np.where(np.isnan(values), np.nan, out)
    low, high = float(row["param_low"]), float(row["param_high"])
    share = (values - low) / (high - low)
    return np.clip(1.0 - share if how == "lower_better" else share, 0.0, 1.0)


def excluded_mask(values: np.ndarray, row: Mapping) -> np.ndarray:
    """True where `values` are excluded by the criterion `row` (classes, above or below).

    Examples
    --------
    >>> excluded_mask(np.array([1.0, 30.0]), {"transform": "exclude_above", "param_high": 25})
    array([False,  True])
    """
    how = row["transform"]
    if how == "exclude_classes":
        return np.isin(values, list(_parse_classes(row["classes"], scored=False)))
    if how == "exclude_above":
        return values > float(row["param_high"])
    return values < float(row["param_low"])
