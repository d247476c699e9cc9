"""Water fit (以水定产) of the plan's parks: where water-intensive industry sits, and its ledger.

Water-intensive parks are found from their lead industries; each gets its basin (Hexi inland
疏勒河 / 黑河 / 石羊河, 黄河, 长江; :func:`longtu.analysis.tables.county_basins`), the distance to
the nearest mapped river and flags. With user capacities,
:func:`longtu.analysis.water.ledger.water_ledger` adds demand = output x water-use quota
(:func:`longtu.analysis.tables.water_coefficients`, GB/T 18916 parts; empty cells mean the user
must supply the quota) by basin and prefecture against caps (用水总量控制红线), which are user
input too: where none is given the ledger says "unknown 未知", never a number. The plans state
few capacities, so the default run lists the parks only.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from longtu import settings
from longtu.analysis.distance import check_wgs84, nearest_distance_km
from longtu.analysis.result import AnalysisResult
from longtu.analysis.tables import (
    capacities_template,
    caps_template,
    county_basins,
    water_coefficients,
    water_quota_reference,
)
from longtu.analysis.water.ledger import (
    OUTPUT_COLUMNS,
    UNKNOWN,
    checked_quotas,
    complete_coefficients,
    filled_capacity_rows,
    need_columns,
    on_unchecked_quota,
    water_ledger,
)
from longtu.errors import WaterInputError

#: Layers :func:`run_water_fit` reads from its `layers` mapping.
WATER_LAYERS: tuple[str, ...] = ("parks", "rivers", "counties", "prefectures")


def water_intensive_groups(lead_industries_zh: pd.Series, coefficients: pd.DataFrame) -> pd.Series:
    """Water-intensive industry groups named in each lead-industry list (`;`-separated).

    Examples
    --------
    >>> groups = water_intensive_groups(pd.Series(["煤化工;新能源", "软件", None]),
    ...                                 water_coefficients())
    >>> groups.tolist()
    ['coal_chemicals', '', '']
    """
    need_columns(coefficients, ["industry_group", "keywords_zh"], "coefficients")
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
        :func:`longtu.analysis.tables.water_coefficients`,
        :func:`longtu.analysis.tables.county_basins`.
    far_from_river_km
        A park farther than this from any mapped river is flagged (a screening parameter,
        not a standard; rivers are GSHHG intermediate resolution, major rivers only).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per water-intensive park: ``water_groups``, ``county_adcodes`` (``;``-joined
        when the park's points fall in several counties), ``basin_zh``, ``hexi_inland``,
        ``distance_to_river_km``, ``precision``, ``flags_zh``, ``flags_en``.

    Examples
    --------
    >>> from longtu.layout import load_layer
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
    per_park = _basin_and_river_per_park(placed, rivers=rivers, counties=counties, basins=basins)
    keep = ["feature_id", "name_zh", "name_en", "precision", "lead_industries_zh"]
    out = placed[[*keep, "water_groups", "geometry"]].merge(per_park, on="feature_id")
    out["flags_zh"], out["flags_en"] = _water_flags(out, far_from_river_km)
    out.attrs["n_unplaced"] = int(len(parks) - len(parks.dropna(subset=["geometry"])))
    return gpd.GeoDataFrame(out, geometry="geometry", crs=settings.storage_crs)


def _basin_and_river_per_park(
    placed: gpd.GeoDataFrame,
    *,
    rivers: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    basins: pd.DataFrame,
) -> pd.DataFrame:
    """Counties, basins and the nearest river distance of each park's points, one row per park."""
    points = placed.explode(index_parts=False)[["feature_id", "geometry"]].reset_index(drop=True)
    joined = gpd.sjoin(points, counties[["adcode", "geometry"]], how="left")
    points["county_adcode"] = joined[~joined.index.duplicated()]["adcode"]
    points = points.merge(basins, on="county_adcode", how="left")
    points["distance_to_river_km"] = nearest_distance_km(
        gpd.GeoDataFrame(points, crs=settings.storage_crs), rivers, argument="rivers"
    )["distance_km"].astype(float)
    return points.groupby("feature_id").agg(
        county_adcodes=("county_adcode", lambda s: ";".join(dict.fromkeys(s.dropna()))),
        basin_zh=("basin_zh", lambda s: ";".join(dict.fromkeys(s.dropna()))),
        hexi_inland=("hexi_inland", "any"),
        basin_uncertain=("uncertain", "any"),
        distance_to_river_km=("distance_to_river_km", "min"),
    )


def _water_flags(parks: pd.DataFrame, far_from_river_km: float) -> tuple[list[str], list[str]]:
    """The Chinese and English flags of each park: scarce Hexi basin, far from a river."""
    hexi_inland = parks["hexi_inland"]
    far = parks["distance_to_river_km"] > far_from_river_km
    flags_zh = [
        "；".join(
            t
            for t, on in [("河西内陆河缺水流域", h), (f"距河流超过 {far_from_river_km:g} km", f)]
            if on
        )
        for h, f in zip(hexi_inland, far, strict=True)
    ]
    flags_en = [
        "; ".join(
            t
            for t, on in [
                ("scarce Hexi inland basin", h),
                (f"over {far_from_river_km:g} km from a mapped river", f),
            ]
            if on
        )
        for h, f in zip(hexi_inland, far, strict=True)
    ]
    return flags_zh, flags_en


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
        Coefficient table; default :func:`longtu.analysis.tables.water_coefficients`.
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
    >>> from longtu.layout import load_layer
    >>> result = run_water_fit({n: load_layer(n) for n in WATER_LAYERS})
    >>> result.numbers["total_demand_1e4_m3_per_yr"]
    'unknown 未知'
    """
    coef, basins = _checked_inputs(layers, coefficients)
    parks = park_water_context(
        layers["parks"],
        rivers=layers["rivers"],
        counties=layers["counties"],
        coefficients=coef,
        basins=basins,
        far_from_river_km=far_from_river_km,
    )
    tables = _input_tables(parks, coef, basins, layers["prefectures"], capacities, caps)
    ledger = None
    if capacities is not None:
        check_park_ids(capacities, layers["parks"])
        ledger = water_ledger(capacities, coef, basins, caps=caps)
    return _water_result(
        parks, coef, tables, ledger, far_from_river_km=far_from_river_km, caps=caps
    )


def _checked_inputs(
    layers: Mapping[str, gpd.GeoDataFrame], coefficients: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The checked quota table and the county basins, once every layer needed is there."""
    missing = [name for name in WATER_LAYERS if name not in layers]
    if missing:
        raise KeyError(f"`layers` lacks {', '.join(missing)}; pass load_layer(name) for each.")
    given = water_coefficients() if coefficients is None else complete_coefficients(coefficients)
    return checked_quotas(given), county_basins()


def _input_tables(
    parks: gpd.GeoDataFrame,
    coef: pd.DataFrame,
    basins: pd.DataFrame,
    prefectures: gpd.GeoDataFrame,
    capacities: pd.DataFrame | None,
    caps: pd.DataFrame | None,
) -> dict[str, pd.DataFrame]:
    """The parks and reference tables, with blank templates for the user tables not given."""
    tables: dict[str, pd.DataFrame] = {
        "parks": parks,
        "coefficients": coef,
        "quota_reference": water_quota_reference(),
        "county_basins": basins,
    }
    if capacities is None:  # blank tables for the user to fill in and pass back
        tables["capacities_template"] = capacities_template(parks)
    if caps is None:
        names = dict(zip(prefectures["adcode"], prefectures["name_zh"], strict=True))
        tables["caps_template"] = caps_template(basins, names)
    return tables


def _water_numbers(
    parks: gpd.GeoDataFrame,
    coef: pd.DataFrame,
    ledger: Mapping[str, pd.DataFrame] | None,
    far_from_river_km: float,
) -> dict[str, float | int | str]:
    """The result's numbers; the ledger's are unknown (or none unchecked) without a ledger."""
    total: float | str = UNKNOWN
    n_over = n_unchecked = 0
    if ledger is not None:
        known = ledger["lines"]["demand_1e4_m3_per_yr"]
        total = round(float(known.sum()), 1) if known.notna().all() else UNKNOWN
        n_over = int((ledger["by_basin"]["flag_en"] != "").sum())
        n_unchecked = int(on_unchecked_quota(ledger["lines"]).sum())
    return {
        "n_water_intensive_parks": len(parks),
        "n_in_hexi_inland_basins": int(parks["hexi_inland"].sum()),
        "n_far_from_river": int((parks["distance_to_river_km"] > far_from_river_km).sum()),
        "n_unplaced_parks_skipped": parks.attrs.get("n_unplaced", 0),
        "total_demand_1e4_m3_per_yr": total,
        "n_basins_over_cap": n_over if ledger is not None else UNKNOWN,
        "n_coefficients_known": int(coef[list(OUTPUT_COLUMNS.values())].notna().any(axis=1).sum()),
        "n_ledger_lines_on_unchecked_quota": n_unchecked,
    }


def _water_result(
    parks: gpd.GeoDataFrame,
    coef: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    ledger: Mapping[str, pd.DataFrame] | None,
    *,
    far_from_river_km: float,
    caps: pd.DataFrame | None,
) -> AnalysisResult:
    """The result: tables (with the ledger's when there is one), numbers and summaries."""
    if ledger is not None:
        tables |= {
            "ledger_lines": ledger["lines"],
            "by_basin": ledger["by_basin"],
            "by_prefecture": ledger["by_prefecture"],
        }
    numbers = _water_numbers(parks, coef, ledger, far_from_river_km)
    summary_zh, summary_en = _water_summary(numbers, ledger is not None)
    return AnalysisResult(
        name="water",
        summary_zh=summary_zh,
        summary_en=summary_en,
        tables=tables,
        numbers=numbers,
        parameters={
            "far_from_river_km": far_from_river_km,
            "capacities_supplied": ledger is not None,
            "caps_supplied": caps is not None,
        },
    )


def check_park_ids(capacities: pd.DataFrame, parks: gpd.GeoDataFrame) -> None:
    """Refuse capacity rows (with an output typed in) for a park that is not in the plan.

    Examples
    --------
    >>> parks = gpd.GeoDataFrame({"feature_id": ["p1"]}, geometry=[None])
    >>> check_park_ids(pd.DataFrame({"feature_id": ["p1", "nowhere"],
    ...                              "output_t_per_yr": ["1", "2"]}), parks)
    Traceback (most recent call last):
    ...
    longtu.errors.WaterInputError: `capacities` data row 2 has feature_id 'nowhere', which is ...
    """
    if "feature_id" not in capacities.columns or "feature_id" not in parks.columns:
        return
    filled = filled_capacity_rows(capacities.reset_index(drop=True))
    ids = filled["feature_id"].astype("string").str.strip()
    unknown = ids[~ids.isin(parks["feature_id"].astype(str))]
    if len(unknown):
        shown = "; ".join(f"data row {i + 1} has feature_id {v!r}" for i, v in unknown[:5].items())
        shown_zh = "；".join(f"第 {i + 1} 行数据的要素编号 {v!r}" for i, v in unknown[:5].items())
        raise WaterInputError(
            f"`capacities` {shown}, which is not a park of the plan (its demand would be counted "
            "into the totals); use the feature_id of capacities_template.csv.",
            zh=f"产能表{shown_zh}不是规划中的园区（其需水量会被计入合计）；请使用产能模板表格中的"
            "要素编号。",
        )


def _water_summary(numbers: Mapping[str, object], with_capacities: bool) -> tuple[str, str]:
    """The Chinese and English summary lines."""
    n, hexi, far = (
        numbers[k]
        for k in ("n_water_intensive_parks", "n_in_hexi_inland_basins", "n_far_from_river")
    )
    demand = numbers["total_demand_1e4_m3_per_yr"]
    if with_capacities:
        tail_zh = f"需水合计 {demand} 万m³/年"
        tail_en = f"total demand {demand} 10^4 m3/yr"
        unchecked = numbers["n_ledger_lines_on_unchecked_quota"]
        if unchecked:
            tail_zh += f"（其中 {unchecked} 条采用未经标准原文核对的转录定额）"
            tail_en += (
                f" ({unchecked} line(s) on transcribed quotas not checked against the standard)"
            )
    else:
        tail_zh = "规划未给出产能：需水量需用户补充产能后计算（未知）"
        tail_en = "the plans give no capacities: demand needs user-supplied capacities (unknown)"
    summary_zh = (
        f"{n} 个高耗水园区中 {hexi} 个位于河西内陆河缺水流域、{far} 个远离河流；{tail_zh}。"
    )
    summary_en = (
        f"{n} water-intensive parks, {hexi} in the scarce Hexi inland basins, "
        f"{far} far from a mapped river; {tail_en}."
    )
    return summary_zh, summary_en
