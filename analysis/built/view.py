"""The plan against what was built: each wind, PV and CSP base against a register of real plants.

:func:`built_view` sets every wind, PV, CSP and wind-solar base of the plan (``energy_sites``)
against the register's plants of its technology inside its placement region
(:mod:`~longtu.analysis.built.regions`), sets the register's MW per technology against the plan's
targets (the ``targets`` layer; never a number of its own), draws the built footprints as their
own layer (:mod:`~longtu.analysis.built.footprint`) and states the register's vintage, coverage
and data problems (:mod:`~longtu.analysis.built.problems`).
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from longtu import settings
from longtu.analysis.built.footprint import built_footprints
from longtu.analysis.built.problems import data_problems, place_gazetteer
from longtu.analysis.built.regions import COMPARED_TECHNOLOGIES, placement_regions
from longtu.analysis.built.register import PLANT_COLUMNS
from longtu.analysis.built.summary import summarise
from longtu.analysis.result import AnalysisResult
from longtu.errors import CRSError, ParameterError
from longtu.layout.vocabulary import TECHNOLOGY_LABELS

BUILT_LAYERS = ("energy_sites", "targets", "counties", "prefectures", "province")
"""Layers :func:`built_view` reads from its `layers` argument."""
PLANT_TECHNOLOGIES = ("wind", "pv", "csp")
"""Technologies of plants set against the plan (wind_solar bases take all three)."""
SOLAR_TOTAL = "solar_total"
"""Row of PV and CSP together, against the plan's solar (太阳能) target."""
BASE_COLUMNS = ["name_zh", "technology", "placement_region_zh", "n_plants", "built_mw",
                "flagged_mw", "finding_zh", "finding_en", "name_en", "placement_region_en",
                "precision", "region_kind", "capacity_class_zh", "plan_status",
                "n_plants_no_capacity", "built_mix_zh", "built_mix_en"]  # fmt: skip
"""Columns of the per-base table, what a reader needs first (paper shows the first eight)."""
PROBLEM_COLUMNS = ["plant_name", "problem", "problem_zh", "technology", "built_mw", "county_zh",
                   "problem_en", "geometry"]  # fmt: skip
TECHNOLOGY_COLUMNS = ["technology", "n_bases", "n_plants_gansu", "built_mw_gansu",
                      "plan_target_mw", "plan_target_year", "built_share_of_target_pct",
                      "built_mw_in_bases", "n_plants_in_bases", "plan_baseline_mw",
                      "plan_baseline_year"]  # fmt: skip


def _check(layers: Mapping[str, object], plants: gpd.GeoDataFrame) -> None:
    missing = [name for name in BUILT_LAYERS if name not in layers]
    if missing:
        raise ParameterError(
            f"`layers` lacks {', '.join(missing)}; pass {', '.join(BUILT_LAYERS)}."
        )
    absent = [c for c in PLANT_COLUMNS if c not in plants.columns]
    if absent:
        raise ParameterError(
            f"`plants` lacks {', '.join(absent)}; read the register with read_plant_register()."
        )
    if plants.crs is None or CRS.from_user_input(plants.crs) != CRS(settings.storage_crs):
        raise CRSError(
            f"`plants` is in {plants.crs}, not {settings.storage_crs}; use `to_crs()` first."
        )


def locate_plants(
    plants: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, province: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """The plants with the county and prefecture their coordinates fall in, and ``in_gansu``."""
    out = plants.copy()
    points = out.geometry.to_numpy()
    has_point = ~pd.isna(points)
    gansu = shapely.union_all(province.geometry.to_numpy())
    out["in_gansu"] = has_point & shapely.covers(gansu, np.where(has_point, points, None))
    units = counties[counties["kind"] == "county"] if "kind" in counties else counties
    joined = gpd.sjoin(
        out[has_point][["geometry"]],
        units[["name_zh", "name_en", "prefecture_name_zh", "geometry"]],
        predicate="within",
        how="left",
    )
    joined = joined[~joined.index.duplicated(keep="first")]
    out["county_zh"] = joined["name_zh"].reindex(out.index)
    out["county_en"] = joined["name_en"].reindex(out.index)
    out["prefecture_zh"] = joined["prefecture_name_zh"].reindex(out.index)
    return out


def _inside(
    region: BaseGeometry | float | None, plants: gpd.GeoDataFrame, techs: tuple[str, ...]
) -> pd.Series:
    """Which located plants of `techs` lie in `region` (covered, so a border point counts)."""
    if not isinstance(region, BaseGeometry):  # no region (a missing geometry reads as NaN)
        return pd.Series(False, index=plants.index)
    points = plants.geometry.to_numpy()
    located = ~pd.isna(points)
    covered = np.zeros(len(plants), dtype=bool)
    covered[located] = shapely.covers(region, points[located])
    return pd.Series(covered, index=plants.index) & plants["technology"].isin(techs)


def _mix(chosen: gpd.GeoDataFrame) -> tuple[str, str]:
    """The plants of a base by technology, in words: ``风电 2 座 97 MW；光伏 …``."""
    zh, en = [], []
    for tech, group in chosen.groupby("technology", sort=True):
        words = TECHNOLOGY_LABELS.get(str(tech), (str(tech), str(tech)))
        mw = group["built_mw"].sum()
        zh.append(f"{words[0]} {len(group)} 座 {mw:,.0f} MW")
        en.append(f"{words[1]}: {len(group)} plants, {mw:,.0f} MW")
    return "；".join(zh), "; ".join(en)


def base_counts(
    regions: gpd.GeoDataFrame, plants: gpd.GeoDataFrame, problems: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, dict[int, list[str]]]:
    """Per base: plants and MW of its technology inside its region, with a finding in words.

    Returns the table and, per plant index, the names of the bases whose region holds it.
    """
    rows: list[dict[str, object]] = []
    holders: dict[int, list[str]] = {}
    flagged = set(problems["plant_index"].astype(int))
    for _, base in regions.iterrows():
        techs = COMPARED_TECHNOLOGIES[base["technology"]]
        chosen = plants[_inside(base.geometry, plants, techs)]
        for index in chosen.index:
            holders.setdefault(int(index), []).append(str(base["name_zh"]))
        mix_zh, mix_en = _mix(chosen)
        rows.append(
            {
                "n_plants": len(chosen),
                "built_mw": float(chosen["built_mw"].sum()),
                "n_plants_no_capacity": int(chosen["built_mw"].isna().sum()),
                "flagged_mw": float(chosen.loc[chosen.index.isin(flagged), "built_mw"].sum()),
                "built_mix_zh": mix_zh or "—",
                "built_mix_en": mix_en or "—",
            }
        )
    counts = pd.DataFrame(rows, index=regions.index)
    table = pd.concat([regions.drop(columns="geometry"), counts], axis=1)
    table[["finding_zh", "finding_en"]] = [_finding(r) for r in table.to_dict("records")]
    table = table.rename(columns={"status": "plan_status"})[BASE_COLUMNS]
    return gpd.GeoDataFrame(table, geometry=regions.geometry, crs=regions.crs), holders


def _finding(row: dict) -> tuple[str, str]:
    kind_zh, kind_en = TECHNOLOGY_LABELS[row["technology"]]
    where_zh, where_en = row["placement_region_zh"], row["placement_region_en"]
    if row["region_kind"] == "none":
        return "规划未给出位置，无法对照", "the plan gives no place: nothing to compare"
    if row["n_plants"] == 0:
        return (
            f"登记册在其区域（{where_zh}）内没有{kind_zh}电站",
            f"the register has no {kind_en} plant in its region ({where_en})",
        )
    zh = f"区域（{where_zh}）内有 {row['built_mix_zh']}"
    en = f"in its region ({where_en}): {row['built_mix_en']}"
    if row["flagged_mw"] > 0:
        zh += f"；其中 {row['flagged_mw']:,.0f} MW 属存疑数据（见数据问题）"
        en += f"; {row['flagged_mw']:,.0f} MW of it is questionable (see data problems)"
    return zh, en


def _targets(targets: pd.DataFrame, tech: str, kind: str) -> tuple[float, str]:
    """The plan's latest MW figure of `kind` (target / baseline) for `tech`, and its year."""
    solar = targets["indicator_zh"].astype(str).str.contains("太阳能")
    scope = solar if tech == SOLAR_TOTAL else (targets["technology"] == tech) & ~solar
    rows = targets[scope & (targets["kind"] == kind) & (targets["unit_si"] == "MW")]
    if rows.empty:
        return np.nan, ""
    latest = rows.sort_values("year").iloc[-1]
    return float(latest["value_si"]), str(int(latest["year"]))


def technology_table(
    plants: gpd.GeoDataFrame, bases: gpd.GeoDataFrame, targets: pd.DataFrame
) -> pd.DataFrame:
    """Per technology (and PV + CSP): the register's MW in Gansu and in the bases vs the plan."""
    rows = []
    for tech in (*PLANT_TECHNOLOGIES, SOLAR_TOTAL):
        techs = ("pv", "csp") if tech == SOLAR_TOTAL else (tech,)
        ours = plants[plants["in_gansu"] & plants["technology"].isin(techs)]
        compared = bases["technology"].map(
            lambda t, ts=techs: bool(set(COMPARED_TECHNOLOGIES[t]) & set(ts))
        )
        regions = bases.geometry[compared & bases.geometry.notna()].to_numpy()
        union = shapely.union_all(regions) if len(regions) else None
        in_bases = ours[_inside(union, ours, techs)]
        target_mw, target_year = _targets(targets, tech, "target")
        baseline_mw, baseline_year = _targets(targets, tech, "baseline")
        built = float(ours["built_mw"].sum())
        rows.append(
            {
                "technology": tech,
                "n_bases": int(compared.sum()),
                "n_plants_gansu": len(ours),
                "built_mw_gansu": built,
                "n_plants_in_bases": len(in_bases),
                "built_mw_in_bases": float(in_bases["built_mw"].sum()),
                "plan_baseline_mw": baseline_mw,
                "plan_baseline_year": baseline_year,
                "plan_target_mw": target_mw,
                "plan_target_year": target_year,
                "built_share_of_target_pct": 100.0 * built / target_mw if target_mw else np.nan,
            }
        )
    return pd.DataFrame(rows)[TECHNOLOGY_COLUMNS]


def coverage_table(plants: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per technology of the register: plants, in and outside Gansu, without capacity or year."""
    groups = [(str(t), g) for t, g in plants.groupby("technology", sort=True)]
    rows = []
    for tech, group in [*groups, ("all", plants)]:
        years = group["year"].dropna()
        rows.append(
            {
                "technology": tech,
                "n_plants": len(group),
                "n_in_gansu": int(group["in_gansu"].sum()),
                "n_outside_gansu": int((~group["in_gansu"] & group.geometry.notna()).sum()),
                "n_no_location": int(group.geometry.isna().sum()),
                "n_no_capacity": int(group["built_mw"].isna().sum()),
                "built_mw_gansu": float(group.loc[group["in_gansu"], "built_mw"].sum()),
                "n_with_year": len(years),
                "years_present": f"{int(years.min())}–{int(years.max())}" if len(years) else "—",
            }
        )
    return pd.DataFrame(rows)


def _plants_table(plants: gpd.GeoDataFrame, holders: dict[int, list[str]]) -> gpd.GeoDataFrame:
    year = plants["year"].map(lambda y: str(int(y)) if pd.notna(y) else "")
    table = plants.assign(year=year, bases_zh=[
        "、".join(holders.get(int(i), [])) or "—" for i in plants.index
    ])  # fmt: skip
    keep = ["row", "plant_name", "technology", "fuel_as_written", "built_mw", "year", "county_zh",
            "prefecture_zh", "in_gansu", "bases_zh", "geometry"]  # fmt: skip
    return table[keep]


def _footprint_bases(footprints: gpd.GeoDataFrame, bases: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Names the footprint in words and the plan bases of its technology whose region it meets."""
    touched_zh, names_zh, names_en = [], [], []
    for number, row in enumerate(footprints.itertuples(), start=1):
        same = bases[
            bases["technology"].map(lambda t, r=row: r.technology in COMPARED_TECHNOLOGIES[t])
        ]
        hit = same[same.geometry.notna() & same.geometry.intersects(row.geometry)]
        touched_zh.append("、".join(hit["name_zh"]) or "不在任何规划基地区域内")
        zh, en = TECHNOLOGY_LABELS[row.technology]
        names_zh.append(f"{zh}建成范围 {number}")
        names_en.append(f"{en} built footprint {number}")
    out = footprints.copy()
    out.insert(0, "name_zh", names_zh)
    out.insert(1, "name_en", names_en)
    out["bases_zh"] = touched_zh
    return out


def built_view(
    layers: Mapping[str, gpd.GeoDataFrame | pd.DataFrame],
    plants: gpd.GeoDataFrame,
    *,
    footprint_radius_km: float = 5.0,
    large_point_mw: float = 1000.0,
    place_tolerance_km: float = 20.0,
    register_name: str = "",
) -> AnalysisResult:
    """The plan's wind, PV and CSP bases against a register of real plants.

    Parameters
    ----------
    layers
        :data:`BUILT_LAYERS` (the plan's, or a scenario's, energy sites and targets; base layers).
    plants
        The register, as :func:`~longtu.analysis.built.register.read_plant_register` returns it.
    footprint_radius_km
        Buffer of each plant for the built footprints (plants within twice this share one).
    large_point_mw
        A single wind, PV or CSP point this large or larger is reported as a data problem.
    place_tolerance_km
        How far a plant may lie from the place its name names before it is reported.
    register_name
        The register's file name, for the parameters.

    Returns
    -------
    AnalysisResult
        ``name="built"``; tables ``built_footprints`` (map), ``built_bases`` (per base; geometry
        the placement region), ``built_by_technology``, ``built_problems``, ``built_coverage``,
        ``built_plants``.
    """
    _check(layers, plants)
    located = locate_plants(plants, layers["counties"], layers["province"])
    gazetteer = place_gazetteer(layers["counties"], layers["prefectures"])
    problems = data_problems(
        located, gazetteer, large_point_mw=large_point_mw, tolerance_km=place_tolerance_km
    )
    regions = placement_regions(layers["energy_sites"], layers["counties"], layers["prefectures"])
    bases, holders = base_counts(regions, located, problems)
    footprints = built_footprints(
        located, radius_km=footprint_radius_km, technologies=PLANT_TECHNOLOGIES
    )
    tables = {
        "built_footprints": _footprint_bases(footprints, bases),
        "built_bases": bases,
        "built_by_technology": technology_table(located, bases, layers["targets"]),
        "built_problems": problems[PROBLEM_COLUMNS],
        "built_coverage": coverage_table(located),
        "built_plants": _plants_table(located, holders),
    }
    parameters = {
        "register": register_name or "—",
        "footprint_radius_km": footprint_radius_km,
        "large_point_mw": large_point_mw,
        "place_tolerance_km": place_tolerance_km,
    }
    summary_zh, summary_en, numbers = summarise(tables)
    return AnalysisResult("built", summary_zh, summary_en, numbers, tables, {}, parameters)
