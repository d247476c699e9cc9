"""Checks of the ledger's user tables (capacities, caps): every bad column, cell or key named.

The checks run before any merge, so a message gives the row of the file the user typed;
:func:`longtu.analysis.water.ledger.water_ledger` calls them in turn and then computes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from longtu.analysis.io.tables import numeric_column
from longtu.errors import WaterInputError

#: Output column of the capacity table -> quota column of the coefficient table (units in names).
OUTPUT_COLUMNS = {"output_t_per_yr": "water_m3_per_t", "output_mwh_per_yr": "water_m3_per_mwh"}

#: The user tables of the ledger, by argument name, as a person calls them in Chinese.
TABLES_ZH = {"capacities": "产能表", "coefficients": "用水定额表", "caps": "用水总量红线表"}


def need_columns(frame: pd.DataFrame, columns: list[str], argument: str) -> None:
    """Raise :class:`WaterInputError` naming `argument` when `frame` lacks any of `columns`.

    Examples
    --------
    >>> need_columns(pd.DataFrame({"key": []}), ["key", "cap_1e4_m3_per_yr"], "caps")
    Traceback (most recent call last):
    ...
    longtu.errors.WaterInputError: `caps` lacks column(s) cap_1e4_m3_per_yr.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise WaterInputError(
            f"`{argument}` lacks column(s) {', '.join(missing)}.",
            zh=f"{TABLES_ZH.get(argument, argument)}缺少列 {'、'.join(missing)}；"
            "请从模板表格开始填写。",
        )


def table_numbers(frame: pd.DataFrame, column: str, table: str) -> pd.Series:
    """A column of the user table `table` as numbers, the cells that are not numbers named."""
    return numeric_column(
        frame, column, table=table, table_zh=TABLES_ZH.get(table), error=WaterInputError
    )


def check_capacity_table(capacities: pd.DataFrame) -> None:
    """Refuse a capacity table without its key columns, an output column or any data row."""
    need_columns(capacities, ["feature_id", "industry_key", "county_adcode"], "capacities")
    if not set(OUTPUT_COLUMNS) & set(capacities.columns):
        raise WaterInputError(
            "`capacities` needs `output_t_per_yr` or `output_mwh_per_yr` (units in the name).",
            zh="产能表须有产量列 output_t_per_yr 或 output_mwh_per_yr（列名含单位）。",
        )
    if capacities.empty:
        raise WaterInputError(
            "`capacities` has a header row but no data rows; start from capacities_template.csv "
            "(`longtu analyze water --out DIR` writes it) and fill in the outputs you know.",
            zh="产能表只有表头、没有数据行；请从产能模板表格开始，填入已知的产量。",
        )


def filled_capacity_rows(capacities: pd.DataFrame) -> pd.DataFrame:
    """The rows of a capacity table with an output typed in (template rows left blank dropped).

    Examples
    --------
    >>> t = pd.DataFrame({"feature_id": ["a", "b"], "output_t_per_yr": ["", "10"]})
    >>> filled_capacity_rows(t)["feature_id"].tolist()
    ['b']
    """
    outputs = [c for c in OUTPUT_COLUMNS if c in capacities.columns]
    typed = np.zeros(len(capacities), dtype=bool)
    for column in outputs:
        text = capacities[column].astype("string").str.strip().fillna("")
        typed |= (text != "").to_numpy(dtype=bool)
    return capacities[typed]


def _check_keys(capacities: pd.DataFrame, coefficients: pd.DataFrame) -> None:
    """Every filled row has an industry_key, and every key is in the coefficient table."""
    keys = capacities["industry_key"].astype("string").str.strip().fillna("")
    blank = keys.index[keys == ""]
    if len(blank):
        row = capacities.loc[blank[0]]
        group = row.get("industry_group", "")
        if "industry_group" in coefficients.columns:
            choices = coefficients.loc[coefficients["industry_group"] == group, "industry_key"]
            keys = list(choices)
            hint = f" of group {group}: {', '.join(choices)}" if len(choices) else ""
        else:
            keys = list(coefficients["industry_key"].astype(str))
            hint = f": {', '.join(keys)}"
        hint_zh = f"：{'、'.join(keys)}" if keys else ""
        raise WaterInputError(
            f"`capacities` data row {blank[0] + 1} ({row['feature_id']}) has an output but no "
            f"industry_key; choose one{hint}.",
            zh=f"产能表第 {blank[0] + 1} 行数据（{row['feature_id']}）填了产量却没有产业类别；"
            f"请选择一个{hint_zh}。",
        )
    unknown = sorted(set(keys) - set(coefficients["industry_key"].astype(str)))
    if unknown:
        raise WaterInputError(
            f"`capacities` has industry_key(s) {', '.join(unknown)} not in "
            "`coefficients`; add rows to the coefficient table or fix the keys.",
            zh=f"产能表中的产业类别 {'、'.join(unknown)} 不在用水定额表中；请在定额表中添加这些行，"
            "或改正类别。",
        )


def checked_capacities(capacities: pd.DataFrame, coefficients: pd.DataFrame) -> pd.DataFrame:
    """The rows with an output typed in, keys known and outputs numeric.

    Checked before any merge, so messages give the rows of the user's file.
    """
    if not pd.api.types.is_integer_dtype(capacities.index):
        capacities = capacities.reset_index(drop=True)  # row numbers in messages
    filled = filled_capacity_rows(capacities)
    _check_keys(filled, coefficients)
    out = filled.copy()
    out["industry_key"] = out["industry_key"].astype(str).str.strip()
    for output in OUTPUT_COLUMNS:
        if output in out.columns:
            out[output] = table_numbers(out, output, "capacities")
    if out.empty:
        raise WaterInputError(
            "`capacities` has no row with an output typed in; fill output_t_per_yr or "
            "output_mwh_per_yr for the parks whose capacity you know.",
            zh="产能表中没有一行填了产量；请为已知产能的园区填写产量。",
        )
    return out


def capacities_with_basins(filled: pd.DataFrame, county_basins: pd.DataFrame) -> pd.DataFrame:
    """The capacity rows with their basin and prefecture; a county not in Gansu is refused."""
    basins = county_basins[["county_adcode", "prefecture_adcode", "basin_zh", "hexi_inland"]]
    adcodes = filled["county_adcode"].astype("string").str.strip().str.removesuffix(".0")
    table = filled.assign(county_adcode=adcodes.fillna("")).merge(
        basins, on="county_adcode", how="left"
    )
    if table["basin_zh"].isna().any():
        bad = table.loc[table["basin_zh"].isna(), "county_adcode"].unique()
        raise WaterInputError(
            f"`capacities` has county_adcode(s) {', '.join(map(repr, bad))} not in Gansu; give "
            "the six-digit code of the county (区县) where the capacity is, e.g. 620902.",
            zh=f"产能表中的区县代码 {'、'.join(map(repr, bad))} 不在甘肃；请填写产能所在区县的"
            "六位代码，如 620902。",
        )
    return table


def check_caps(caps: pd.DataFrame, county_basins: pd.DataFrame) -> None:
    """Every filled cap row names a scope and a basin or prefecture of Gansu, or the row is named.

    A cap whose key matches nothing would otherwise be left out of every comparison unseen.
    """
    need_columns(caps, ["scope", "key", "cap_1e4_m3_per_yr"], "caps")
    known = {
        "basin": set(county_basins["basin_zh"].dropna().astype(str)),
        "prefecture": set(county_basins["prefecture_adcode"].dropna().astype(str)),
    }
    for number, (scope, key, cap) in enumerate(
        zip(caps["scope"], caps["key"], caps["cap_1e4_m3_per_yr"], strict=True), start=1
    ):
        if pd.isna(cap) or str(cap).strip() == "":
            continue  # a template row left blank
        scope_text, key_text = str(scope).strip(), str(key).strip().removesuffix(".0")
        if scope_text not in known:
            raise WaterInputError(
                f"`caps` data row {number} has scope {scope_text!r}; write `basin` (流域) or "
                "`prefecture` (市州).",
                zh=f"用水总量红线表第 {number} 行数据的范围为 {scope_text!r}；请填 basin（流域）"
                "或 prefecture（市州）。",
            )
        if key_text not in known[scope_text]:
            choices = "、".join(sorted(known[scope_text]))
            raise WaterInputError(
                f"`caps` data row {number} names {scope_text} {key_text!r}, which is not in "
                f"Gansu, so its cap would compare with nothing; use one of: {choices}.",
                zh=f"用水总量红线表第 {number} 行数据的 {key_text!r} 不在甘肃，其红线无从比较；"
                f"请使用以下之一：{choices}。",
            )
