"""Water fit: a 以水定产 ledger of water-intensive industry by river basin and prefecture.

Demand = output x water-use coefficient (:func:`analysis.tables.water_coefficients`, GB/T 18916
parts; empty cells mean the user must supply the quota), summed by basin (Hexi inland
疏勒河 / 黑河 / 石羊河, 黄河, 长江; :func:`analysis.tables.county_basins`) and by prefecture.
Supply and caps (用水总量控制红线) are user input: where none is given the ledger says
"unknown 未知", never a number. The plans state few capacities, so without a capacity table
the analysis lists the water-intensive parks with their basin, distance to a river and flags.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis._result import AnalysisResult
from analysis.distance import check_wgs84, nearest_distance_km
from analysis.tables import capacities_template, caps_template, county_basins, water_coefficients

#: Layers :func:`run_water_fit` reads from its `layers` mapping.
WATER_LAYERS: tuple[str, ...] = ("parks", "rivers", "counties")
UNKNOWN = "unknown 未知"
#: Output column -> coefficient column (units in the names).
_OUTPUT_COLUMNS = {"output_t_per_yr": "water_m3_per_t", "output_mwh_per_yr": "water_m3_per_mwh"}


class WaterInputError(ValueError):
    """A capacity, coefficient or cap table is missing columns or has bad values."""


def _need(frame: pd.DataFrame, columns: list[str], argument: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise WaterInputError(f"`{argument}` lacks column(s) {', '.join(missing)}.")


def water_intensive_groups(lead_industries_zh: pd.Series, coefficients: pd.DataFrame) -> pd.Series:
    """Water-intensive industry groups named in each lead-industry list (`;`-separated).

    Examples
    --------
    >>> groups = water_intensive_groups(pd.Series(["煤化工;新能源", "软件", None]),
    ...                                 water_coefficients())
    >>> groups.tolist()
    ['coal_chemicals', '', '']
    """
    _need(coefficients, ["industry_group", "keywords_zh"], "coefficients")
    keywords = coefficients.dropna(subset=["keywords_zh"])
    pairs = [
        (group, word.strip())
        for group, words in zip(keywords["industry_group"], keywords["keywords_zh"], strict=True)
        for word in str(words).split(";")
        if word.strip()
    ]

    def groups_of(text: object) -> str:
        if not isinstance(text, str):
            return ""
        found = {group for group, word in pairs if word in text}
        return ";".join(sorted(found))

    return lead_industries_zh.map(groups_of)


def _demand_lines(capacities: pd.DataFrame, coefficients: pd.DataFrame) -> pd.DataFrame:
    lines = capacities.merge(
        coefficients[["industry_key", "industry_zh", "standard", *_OUTPUT_COLUMNS.values()]],
        on="industry_key",
        how="left",
        validate="many_to_one",
    )
    unknown_keys = lines.loc[lines["industry_zh"].isna(), "industry_key"].unique()
    if len(unknown_keys):
        raise WaterInputError(
            f"`capacities` has industry_key(s) {', '.join(map(str, unknown_keys))} not in "
            "`coefficients`; add rows to the coefficient table or fix the keys."
        )
    demand = pd.Series(np.nan, index=lines.index)
    for output, coefficient in _OUTPUT_COLUMNS.items():
        if output in lines.columns:
            product = pd.to_numeric(lines[output]) * pd.to_numeric(lines[coefficient])
            demand = demand.fillna(product)
    lines["demand_m3_per_yr"] = demand
    lines["demand_1e4_m3_per_yr"] = demand / 1e4
    lines["demand_status"] = np.where(
        demand.isna(), "unknown 未知: coefficient or output missing 用水定额或产量缺失", "computed"
    )
    return lines


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
        _need(caps, ["scope", "key", "cap_1e4_m3_per_yr"], "caps")
        mine = caps[caps["scope"] == scope].set_index("key")
        cap = out[key].astype(str).map(pd.to_numeric(mine["cap_1e4_m3_per_yr"]))
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
        unit in the column name: ``output_t_per_yr`` and/or ``output_mwh_per_yr``.
    coefficients
        :func:`analysis.tables.water_coefficients` or an edited copy (``water_m3_per_t``,
        ``water_m3_per_mwh``; empty = unknown).
    county_basins
        :func:`analysis.tables.county_basins` (``county_adcode``, ``basin_zh``,
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
    _need(capacities, ["feature_id", "industry_key", "county_adcode"], "capacities")
    if not set(_OUTPUT_COLUMNS) & set(capacities.columns):
        raise WaterInputError(
            "`capacities` needs `output_t_per_yr` or `output_mwh_per_yr` (units in the name)."
        )
    _need(coefficients, ["industry_key", *_OUTPUT_COLUMNS.values()], "coefficients")
    basins = county_basins[["county_adcode", "prefecture_adcode", "basin_zh", "hexi_inland"]]
    table = capacities.astype({"county_adcode": str}).merge(basins, on="county_adcode", how="left")
    if table["basin_zh"].isna().any():
        bad = table.loc[table["basin_zh"].isna(), "county_adcode"].unique()
        raise WaterInputError(f"`capacities` has county_adcode(s) {', '.join(bad)} not in Gansu.")
    lines = _demand_lines(table, coefficients)
    return {
        "lines": lines,
        "by_basin": _compare_caps(_totals(lines, "basin_zh"), caps, "basin", "basin_zh"),
        "by_prefecture": _compare_caps(
            _totals(lines, "prefecture_adcode"), caps, "prefecture", "prefecture_adcode"
        ),
    }


def park_water_context(
    parks: gpd.GeoDataFrame,
    *,
    rivers: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    coefficients: pd.DataFrame,
    basins: pd.DataFrame,
    far_from_river_km: float = 20.0,
) -> gpd.GeoDataFrame:
    """Water-intensive parks with basin, distance to the nearest mapped river and flags.

    Parameters
    ----------
    parks
        Parks layer (EPSG:4326) with ``lead_industries_zh``; unplaced rows are skipped,
        MultiPoints are measured at each point (basins joined, nearest distance kept).
    rivers, counties
        Base layers.
    coefficients, basins
        :func:`analysis.tables.water_coefficients`, :func:`analysis.tables.county_basins`.
    far_from_river_km
        A park farther than this from any mapped river is flagged (a screening parameter,
        not a standard; rivers are GSHHG intermediate resolution, major rivers only).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per water-intensive park: ``water_groups``, ``basin_zh``, ``hexi_inland``,
        ``distance_to_river_km``, ``precision``, ``flags_zh``, ``flags_en``.

    Examples
    --------
    >>> from layout import load_layer
    >>> ctx = park_water_context(load_layer("parks"), rivers=load_layer("rivers"),
    ...     counties=load_layer("counties"), coefficients=water_coefficients(),
    ...     basins=county_basins())
    >>> ctx.set_index("feature_id").loc["park_guazhou_liugou_coal_chemical_park", "basin_zh"]
    '疏勒河'
    """
    for name, frame in {"parks": parks, "rivers": rivers, "counties": counties}.items():
        check_wgs84(frame, name)
    placed = parks[~(parks.geometry.isna() | parks.geometry.is_empty)].copy()
    placed["water_groups"] = water_intensive_groups(placed["lead_industries_zh"], coefficients)
    placed = placed[placed["water_groups"] != ""]
    points = placed.explode(index_parts=False)[["feature_id", "geometry"]].reset_index(drop=True)
    joined = gpd.sjoin(points, counties[["adcode", "geometry"]], how="left")
    points["county_adcode"] = joined[~joined.index.duplicated()]["adcode"]
    points = points.merge(basins, on="county_adcode", how="left")
    points["distance_to_river_km"] = nearest_distance_km(
        gpd.GeoDataFrame(points, crs=4326), rivers, argument="rivers"
    )["distance_km"].astype(float)
    per_park = points.groupby("feature_id").agg(
        basin_zh=("basin_zh", lambda s: ";".join(dict.fromkeys(s.dropna()))),
        hexi_inland=("hexi_inland", "any"),
        basin_uncertain=("uncertain", "any"),
        distance_to_river_km=("distance_to_river_km", "min"),
    )
    keep = ["feature_id", "name_zh", "name_en", "precision", "lead_industries_zh"]
    out = placed[[*keep, "water_groups", "geometry"]].merge(per_park, on="feature_id")
    far = out["distance_to_river_km"] > far_from_river_km
    out["flags_zh"] = [
        "；".join(
            t
            for t, on in [("河西内陆河缺水流域", h), (f"距河流超过 {far_from_river_km:g} km", f)]
            if on
        )
        for h, f in zip(out["hexi_inland"], far, strict=True)
    ]
    out["flags_en"] = [
        "; ".join(
            t
            for t, on in [
                ("scarce Hexi inland basin", h),
                (f"over {far_from_river_km:g} km from a mapped river", f),
            ]
            if on
        )
        for h, f in zip(out["hexi_inland"], far, strict=True)
    ]
    out.attrs["n_unplaced"] = int(len(parks) - len(parks.dropna(subset=["geometry"])))
    return gpd.GeoDataFrame(out, geometry="geometry", crs=4326)


def run_water_fit(
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    capacities: pd.DataFrame | None = None,
    caps: pd.DataFrame | None = None,
    coefficients: pd.DataFrame | None = None,
    far_from_river_km: float = 20.0,
) -> AnalysisResult:
    """Water fit of the plan's parks: water-intensive parks, and the ledger when capacities exist.

    Parameters
    ----------
    layers
        Mapping with the layers in :data:`WATER_LAYERS`.
    capacities, caps
        User tables for :func:`water_ledger`; without capacities no demand is computed.
    coefficients
        Coefficient table; default :func:`analysis.tables.water_coefficients`.
    far_from_river_km
        Distance flag of :func:`park_water_context`.

    Returns
    -------
    AnalysisResult
        Tables ``parks`` (GeoDataFrame), ``coefficients``, ``county_basins``; with
        capacities ``ledger_lines``, ``by_basin``, ``by_prefecture``; without capacities or
        caps, blank ``capacities_template`` / ``caps_template`` to fill in.

    Examples
    --------
    >>> from layout import load_layer
    >>> result = run_water_fit({n: load_layer(n) for n in WATER_LAYERS})
    >>> result.numbers["total_demand_1e4_m3_per_yr"]
    'unknown 未知'
    """
    missing = [name for name in WATER_LAYERS if name not in layers]
    if missing:
        raise KeyError(f"`layers` lacks {', '.join(missing)}; pass load_layer(name) for each.")
    coef = water_coefficients() if coefficients is None else coefficients
    basins = county_basins()
    parks = park_water_context(
        layers["parks"],
        rivers=layers["rivers"],
        counties=layers["counties"],
        coefficients=coef,
        basins=basins,
        far_from_river_km=far_from_river_km,
    )
    tables: dict[str, pd.DataFrame] = {
        "parks": parks,
        "coefficients": coef,
        "county_basins": basins,
    }
    if capacities is None:  # blank tables for the user to fill in and pass back
        tables["capacities_template"] = capacities_template(parks)
    if caps is None:
        tables["caps_template"] = caps_template(basins)
    total: float | str = UNKNOWN
    n_over = 0
    if capacities is not None:
        ledger = water_ledger(capacities, coef, basins, caps=caps)
        tables |= {
            "ledger_lines": ledger["lines"],
            "by_basin": ledger["by_basin"],
            "by_prefecture": ledger["by_prefecture"],
        }
        known = ledger["lines"]["demand_1e4_m3_per_yr"]
        total = round(float(known.sum()), 1) if known.notna().all() else UNKNOWN
        n_over = int((ledger["by_basin"]["flag_en"] != "").sum())
    numbers = {
        "n_water_intensive_parks": len(parks),
        "n_in_hexi_inland_basins": int(parks["hexi_inland"].sum()),
        "n_far_from_river": int((parks["distance_to_river_km"] > far_from_river_km).sum()),
        "n_unplaced_parks_skipped": parks.attrs.get("n_unplaced", 0),
        "total_demand_1e4_m3_per_yr": total,
        "n_basins_over_cap": n_over if capacities is not None else UNKNOWN,
        "n_coefficients_known": int(coef[list(_OUTPUT_COLUMNS.values())].notna().any(axis=1).sum()),
    }
    return AnalysisResult(
        name="water",
        tables=tables,
        numbers=numbers,
        parameters={
            "far_from_river_km": far_from_river_km,
            "capacities_supplied": capacities is not None,
            "caps_supplied": caps is not None,
        },
        **_water_summary(numbers, capacities is not None),
    )


def _water_summary(numbers: dict, with_capacities: bool) -> dict[str, str]:
    n, hexi, far = (
        numbers[k]
        for k in ("n_water_intensive_parks", "n_in_hexi_inland_basins", "n_far_from_river")
    )
    demand = numbers["total_demand_1e4_m3_per_yr"]
    if with_capacities:
        tail_zh = f"需水合计 {demand} 万m³/年"
        tail_en = f"total demand {demand} 10^4 m3/yr"
    else:
        tail_zh = "规划未给出产能：需水量需用户补充产能后计算（未知）"
        tail_en = "the plans give no capacities: demand needs user-supplied capacities (unknown)"
    return {
        "summary_zh": f"{n} 个高耗水园区中 {hexi} 个位于河西内陆河缺水流域、"
        f"{far} 个远离河流；{tail_zh}。",
        "summary_en": f"{n} water-intensive parks, {hexi} in the scarce Hexi inland basins, "
        f"{far} far from a mapped river; {tail_en}.",
    }
