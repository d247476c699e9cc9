"""The 以水定产 ledger: demand = output x water-use quota, summed by basin and prefecture.

Capacities, quotas and caps are user tables (:mod:`longtu.analysis.io.tables` reads them from CSV);
every number in them is checked and every bad cell named
(:mod:`longtu.analysis.water.ledger_checks`). A blank quota or output gives "unknown 未知",
never zero; a cap that is not given is "unknown 未知", never a guess. Every ledger line carries
the quota's standard, tier and source; lines on a transcribed quota
(:func:`apply_quota_reference`) say that it was not checked against the standard text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from longtu.analysis.tables import water_coefficients, water_quota_reference
from longtu.analysis.water.ledger_checks import (
    OUTPUT_COLUMNS,
    capacities_with_basins,
    check_capacity_table,
    check_caps,
    checked_capacities,
    need_columns,
    table_numbers,
)
from longtu.analysis.water.ledger_checks import (
    filled_capacity_rows as filled_capacity_rows,  # public here, as it always was
)
from longtu.errors import WaterInputError

UNKNOWN = "unknown 未知"

#: Coefficient columns carried into every ledger line, so each demand cites its quota.
_PROVENANCE_COLUMNS = ("standard", "quota_tier", "value_source")


def complete_coefficients(
    coefficients: pd.DataFrame, base: pd.DataFrame | None = None
) -> pd.DataFrame:
    """A quota table with only ``industry_key`` and quota columns, completed from `base`.

    The rows given come first (so messages keep their row numbers), their missing columns taken
    from `base` (default :func:`longtu.analysis.tables.water_coefficients`) by key; the
    industries of `base` not given follow unchanged. A full table comes back as it is.

    Examples
    --------
    >>> t = complete_coefficients(pd.DataFrame({"industry_key": ["steel"],
    ...                                         "water_m3_per_t": ["3.2"]}))
    >>> t.loc[0, ["industry_key", "industry_group", "water_m3_per_t"]].tolist()
    ['steel', 'steel', '3.2']
    >>> int(t["water_m3_per_mwh"].notna().sum()), len(t) == len(water_coefficients())
    (0, True)
    """
    base = water_coefficients() if base is None else base
    need_columns(coefficients, ["industry_key"], "coefficients")
    if not set(OUTPUT_COLUMNS.values()) & set(coefficients.columns):
        raise WaterInputError(
            "`coefficients` needs a quota column, water_m3_per_t or water_m3_per_mwh (units "
            "in the name), beside industry_key.",
            zh="用水定额表除 industry_key 外，还须有一列定额：water_m3_per_t 或 "
            "water_m3_per_mwh（列名含单位）。",
        )
    lacking = [c for c in base.columns if c not in coefficients.columns]
    given = coefficients["industry_key"].astype("string").str.strip()
    if not lacking and set(base["industry_key"]) <= set(given.dropna()):
        return coefficients
    filled = coefficients.assign(industry_key=given).merge(
        base[["industry_key", *lacking]], on="industry_key", how="left"
    )
    rest = base.loc[~base["industry_key"].isin(given.dropna()), base.columns]
    extra = [c for c in filled.columns if c not in base.columns]
    return pd.concat([filled[[*base.columns, *extra]], rest], ignore_index=True)


def checked_quotas(coefficients: pd.DataFrame) -> pd.DataFrame:
    """The coefficient table with its quota columns as numbers, one row per industry_key.

    Raises
    ------
    WaterInputError
        A column is missing, a quota is not a number or negative (its row named), or an
        industry_key has two rows.

    Examples
    --------
    >>> t = pd.DataFrame({"industry_key": ["a"], "water_m3_per_t": ["1,5"],
    ...                   "water_m3_per_mwh": [None]})
    >>> checked_quotas(t)
    Traceback (most recent call last):
    ...
    longtu.errors.WaterInputError: `coefficients` column water_m3_per_t ...
    >>> float(checked_quotas(t.assign(water_m3_per_t="1.5"))["water_m3_per_t"].iloc[0])
    1.5
    """
    need_columns(coefficients, ["industry_key", *OUTPUT_COLUMNS.values()], "coefficients")
    keys = coefficients["industry_key"]
    twice = keys[keys.duplicated()].unique()
    if len(twice):
        raise WaterInputError(
            f"`coefficients` has more than one row for {', '.join(map(str, twice))}; keep one "
            "quota per industry_key (add a new key for another tier or feedstock).",
            zh=f"用水定额表中 {'、'.join(map(str, twice))} 有不止一行；每个产业类别只保留一个定额"
            "（另一档位或原料请新增一个类别）。",
        )
    out = coefficients.copy()
    for column in OUTPUT_COLUMNS.values():
        out[column] = table_numbers(out, column, "coefficients")
    return out


UNCHECKED = "转录值，未经标准原文核对 transcribed, not checked against the standard text"


def apply_quota_reference(
    coefficients: pd.DataFrame,
    reference_ids: list[str] | tuple[str, ...],
    *,
    reference: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A copy of the coefficient table with the picked transcribed quota values filled in.

    Each picked row sets its industry's coefficient, ``quota_tier`` (e.g. 新建和改扩建企业),
    ``standard`` and a ``value_source`` that starts with :data:`UNCHECKED` and names where the
    value was republished and read, so every ledger line built on it says so.

    Parameters
    ----------
    coefficients
        :func:`longtu.analysis.tables.water_coefficients` or an edited copy.
    reference_ids
        ``reference_id`` values of :func:`longtu.analysis.tables.water_quota_reference`, at most one
        per industry (one tier, one unit size).
    reference
        The reference table; default :func:`longtu.analysis.tables.water_quota_reference`.

    Raises
    ------
    WaterInputError
        An id is not in the reference table, two ids pick the same industry, or an industry
        is not in ``coefficients``.

    Examples
    --------
    >>> from longtu.analysis.tables import water_coefficients
    >>> coef = apply_quota_reference(water_coefficients(), ["coal_to_methanol_new"])
    >>> row = coef.set_index("industry_key").loc["coal_to_methanol"]
    >>> float(row["water_m3_per_t"]), row["quota_tier"], row["standard"]
    (11.0, '新建和改扩建企业 (以煤为原料)', 'GB/T 18916.35-2018（煤制甲醇 coal to methanol）')
    """
    picked = _picked_references(reference_ids, reference)
    out = _with_provenance_columns(checked_quotas(coefficients))
    keys = out["industry_key"].astype(str)
    for ref_id, row in picked.iterrows():
        at = keys == row["industry_key"]
        if not at.any():
            raise WaterInputError(
                f"`coefficients` has no row for {row['industry_key']}.",
                zh=f"用水定额表中没有产业类别 {row['industry_key']} 的行。",
            )
        for column in OUTPUT_COLUMNS.values():
            out.loc[at, column] = row[column]
        out.loc[at, "quota_tier"] = f"{row['quota_tier_zh']} ({row['variant_zh']})"
        out.loc[at, "standard"] = row["standard"]
        out.loc[at, "value_source"] = (
            f"{UNCHECKED}: {ref_id}; republished in {row['republished_in']}; "
            f"read via {row['read_via']}"
        )
    return out


def _picked_references(
    reference_ids: list[str] | tuple[str, ...], reference: pd.DataFrame | None
) -> pd.DataFrame:
    """The picked rows of the reference table; unknown ids or two per industry refused."""
    ref = (water_quota_reference() if reference is None else reference).set_index("reference_id")
    unknown = [r for r in reference_ids if r not in ref.index]
    if unknown:
        raise WaterInputError(
            f"unknown quota reference id(s) {', '.join(unknown)}; choose from "
            f"{', '.join(ref.index)}.",
            zh=f"没有转录定额 {'、'.join(unknown)}；请从 {'、'.join(ref.index)} 中选择。",
        )
    picked = ref.loc[list(reference_ids)]
    twice = picked["industry_key"][picked["industry_key"].duplicated()].unique()
    if len(twice):
        raise WaterInputError(
            f"pick one quota per industry; {', '.join(twice)} was picked more than once.",
            zh=f"每个产业只能选一个定额；{'、'.join(twice)} 被选了不止一次。",
        )
    return picked


def _with_provenance_columns(coefficients: pd.DataFrame) -> pd.DataFrame:
    """A copy of the quota table whose ``quota_tier``, ``value_source``, ``standard`` hold text."""
    out = coefficients.copy()
    for column in ("quota_tier", "value_source"):
        if column not in out.columns:
            out[column] = ""
        out[column] = out[column].astype(object)
    out["standard"] = out["standard"].astype(object)
    return out


NO_SOURCE = "未注明来源 source not given"


def on_unchecked_quota(lines: pd.DataFrame) -> pd.Series:
    """True for ledger lines whose quota is a transcription not checked against the standard.

    Examples
    --------
    >>> lines = pd.DataFrame({"value_source": [UNCHECKED + ": x", "用户 user", None]})
    >>> on_unchecked_quota(lines).tolist()
    [True, False, False]
    """
    if "value_source" not in lines.columns:
        return pd.Series(False, index=lines.index)
    return lines["value_source"].astype("string").fillna("").str.startswith(UNCHECKED)


def _demand_lines(capacities: pd.DataFrame, coefficients: pd.DataFrame) -> pd.DataFrame:
    coef = coefficients  # already through checked_quotas (water_ledger)
    carried = [c for c in ("industry_zh", *_PROVENANCE_COLUMNS) if c in coef.columns]
    lines = capacities.merge(
        coef[["industry_key", *carried, *OUTPUT_COLUMNS.values()]],
        on="industry_key",
        how="left",
        validate="many_to_one",
    )
    demand = pd.Series(np.nan, index=lines.index)
    for output, coefficient in OUTPUT_COLUMNS.items():
        if output in lines.columns:
            demand = demand.fillna(lines[output] * lines[coefficient])
    if "value_source" in lines.columns:
        unsourced = lines["value_source"].astype("string").fillna("").str.strip() == ""
        typed = lines[list(OUTPUT_COLUMNS.values())].notna().any(axis=1)
        lines["value_source"] = lines["value_source"].astype(object)
        lines.loc[unsourced & typed, "value_source"] = NO_SOURCE
    _refuse_overflow(lines, demand)
    lines["demand_m3_per_yr"] = demand
    lines["demand_1e4_m3_per_yr"] = demand / 1e4
    lines["demand_status"] = np.where(
        demand.isna(), "unknown 未知: coefficient or output missing 用水定额或产量缺失", "computed"
    )
    return lines


def _refuse_overflow(lines: pd.DataFrame, demand: pd.Series) -> None:
    """Refuse a demand that overflows to infinity (output x quota beyond any real number)."""
    huge = np.isinf(demand.to_numpy(dtype=float))
    if huge.any():
        ids = ", ".join(map(str, lines.loc[huge, "feature_id"].head(5)))
        raise WaterInputError(
            f"`capacities` output x quota is too large to be a number for {ids}; check the "
            "output and the quota typed (units: t/yr or MWh/yr, m³/t or m³/MWh).",
            zh=f"产能表中 {ids} 的产量乘以定额大到无法成为数字；请检查所填产量与定额"
            "（单位：t/年或 MWh/年，m³/t 或 m³/MWh）。",
        )
    if np.isinf(demand.sum()):
        raise WaterInputError(
            "`capacities`: the demands add up to more than any real number; check the outputs "
            "and quotas typed (units: t/yr or MWh/yr, m³/t or m³/MWh).",
            zh="产能表的需水量合计超出任何实数；请检查所填产量与定额"
            "（单位：t/年或 MWh/年，m³/t 或 m³/MWh）。",
        )


def _totals(lines: pd.DataFrame, key: str) -> pd.DataFrame:
    grouped = lines.groupby(key, dropna=False)
    return pd.DataFrame(
        {
            "demand_1e4_m3_per_yr": grouped["demand_1e4_m3_per_yr"].sum(min_count=1),
            "n_lines": grouped.size(),
            "n_lines_unknown": grouped["demand_m3_per_yr"].apply(lambda s: int(s.isna().sum())),
        }
    ).reset_index()


def _compare_caps(
    totals: pd.DataFrame, caps: pd.DataFrame | None, scope: str, key: str
) -> pd.DataFrame:
    out = totals.copy()
    cap = pd.Series(np.nan, index=out.index)
    source = pd.Series("", index=out.index)
    if caps is not None:
        need_columns(caps, ["scope", "key", "cap_1e4_m3_per_yr"], "caps")
        mine = caps[caps["scope"] == scope].set_index("key")
        cap = out[key].astype(str).map(table_numbers(mine, "cap_1e4_m3_per_yr", "caps"))
        given = mine["source"] if "source" in mine.columns else pd.Series("", index=mine.index)
        source = out[key].astype(str).map(given.astype(object)).astype(object).fillna("")
    out["cap_1e4_m3_per_yr"] = cap
    out["cap_display"] = [UNKNOWN if np.isnan(c) else f"{c:,.0f}" for c in cap]
    out["cap_source"] = source
    demand = out["demand_1e4_m3_per_yr"]
    out["demand_display"] = [
        UNKNOWN if np.isnan(d) else f"{d:,.1f}" + (" (partial 部分)" if u else "")
        for d, u in zip(demand, out["n_lines_unknown"], strict=True)
    ]
    over = (demand > cap).fillna(False)
    out["flag_zh"] = np.where(over, "需水超过用水总量控制指标", "")
    out["flag_en"] = np.where(over, "demand above cap", "")
    return out


def water_ledger(
    capacities: pd.DataFrame,
    coefficients: pd.DataFrame,
    county_basins: pd.DataFrame,
    *,
    caps: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """Water demand of each capacity line, and totals by basin and prefecture against caps.

    Parameters
    ----------
    capacities
        User table: ``feature_id``, ``industry_key``, ``county_adcode`` and output with its
        unit in the column name: ``output_t_per_yr`` and/or ``output_mwh_per_yr``. Numbers may
        be typed as text (``"1,000"``); rows with no output typed in are template rows and are
        left out.
    coefficients
        :func:`longtu.analysis.tables.water_coefficients` or an edited copy (``water_m3_per_t``,
        ``water_m3_per_mwh``; empty = unknown). Its ``standard``, ``quota_tier`` and
        ``value_source`` columns, where present, are carried into each ledger line.
    county_basins
        :func:`longtu.analysis.tables.county_basins` (``county_adcode``, ``basin_zh``,
        ``prefecture_adcode``, ``hexi_inland``).
    caps
        Optional: ``scope`` (``"basin"`` or ``"prefecture"``), ``key`` (basin name or
        prefecture adcode), ``cap_1e4_m3_per_yr`` (万m³/a), ``source``.

    Returns
    -------
    dict
        ``lines``, ``by_basin``, ``by_prefecture`` DataFrames; demand in m³/yr and 万m³/yr,
        ``cap_display`` is ``"unknown 未知"`` where no cap was given.

    Examples
    --------
    Two parks making 1,000 t each at 5 m³/t need 10,000 m³ = 1 万m³ in their basin:

    >>> from longtu.analysis.tables import county_basins
    >>> coef = pd.DataFrame({"industry_key": ["x"], "industry_zh": ["某"], "standard": ["-"],
    ...                      "water_m3_per_t": [5.0], "water_m3_per_mwh": [np.nan]})
    >>> caps_ = pd.DataFrame({"scope": ["basin"], "key": ["石羊河"], "cap_1e4_m3_per_yr": [0.5]})
    >>> cap = pd.DataFrame({"feature_id": ["a", "b"], "industry_key": ["x", "x"],
    ...                     "county_adcode": ["620621", "620602"],
    ...                     "output_t_per_yr": [1000.0, 1000.0]})
    >>> ledger = water_ledger(cap, coef, county_basins(), caps=caps_)
    >>> ledger["by_basin"][["basin_zh", "demand_1e4_m3_per_yr", "flag_en"]].values.tolist()
    [['石羊河', 1.0, 'demand above cap']]
    """
    check_capacity_table(capacities)
    coefficients = checked_quotas(coefficients)
    table = capacities_with_basins(checked_capacities(capacities, coefficients), county_basins)
    if caps is not None:
        check_caps(caps, county_basins)
    return _ledger_tables(_demand_lines(table, coefficients), caps)


def _ledger_tables(lines: pd.DataFrame, caps: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """The ledger lines, and their totals by basin and by prefecture against the caps."""
    return {
        "lines": lines,
        "by_basin": _compare_caps(_totals(lines, "basin_zh"), caps, "basin", "basin_zh"),
        "by_prefecture": _compare_caps(
            _totals(lines, "prefecture_adcode"), caps, "prefecture", "prefecture_adcode"
        ),
    }
