"""Suitability (MCDA): a weighted overlay of criteria with hard exclusions, per industry.

The criteria are scored on the 0.05-degree grid of :mod:`longtu.analysis.resource.availability`:
slope of the ~9 km terrain cell, IGBP land cover, distances to rivers, towns and planned sites of
the same industry (nearest vertex found in the equal-area CRS, distance to it geodesic), and any
resource raster the user supplies (GHI, DNI, wind speed). Each criterion is turned into a 0-1 score
by an editable transform, the scores are averaged with editable weights, and hard exclusions blank
cells out: for energy those of ``analysis/data/screening_thresholds.csv`` (NREL/IRENA), for every
industry water and permanent wetland. The score is a modelled planning index, not a measurement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from longtu.analysis.distance import check_wgs84
from longtu.analysis.io.rasters import (
    UserRaster,
    read_notes,
    unit_slug,
)
from longtu.analysis.resource.screening import ANNUAL_FACTORS
from longtu.analysis.result import AnalysisResult, RasterResult
from longtu.analysis.siting.verdict import resolve_industry
from longtu.analysis.suitability.candidates import (  # noqa: F401 - CANDIDATE_COLUMNS from here
    CANDIDATE_COLUMNS,
    candidate_areas,
    criterion_names,
)
from longtu.analysis.suitability.criteria import (
    EXCLUDING,
    SCORING,
    SuitabilityError,
    check_criteria,
    criteria_table,
    excluded_mask,
    transform_scores,
)
from longtu.analysis.suitability.grid import SuitabilityGrid
from longtu.analysis.zonal import raster_on_grid

#: Base layers :func:`suitability` reads (pass them in: the function does no I/O).
SUITABILITY_LAYERS: tuple[str, ...] = (
    "counties",
    "prefectures",
    "rivers",
    "towns",
    "terrain",
    "land_cover",
)
SUITABILITY_LAYERS += ("tibetan_plateau",)  # needed only with `exclude_plateau`
TRANSPORT_LAYER = "transport_lines"
"""Optional key of `base`: railways and expressways of a road network
(:func:`longtu.analysis.access.transport_lines`); without it the transport criterion drops."""
TRANSPORT_CRITERION = "distance_to_rail_or_expressway_km"


def _same_industry(parks: gpd.GeoDataFrame, spec: pd.Series) -> gpd.GeoDataFrame:
    """Planned parks or energy bases of the industry (energy: same technology or wind_solar)."""
    keywords = [k for k in spec["park_keywords_zh"].split(";") if k]
    empty = pd.Series("", index=parks.index)
    text = parks.get("lead_industries_zh", empty).fillna("").astype(str) + " "
    text = text + parks.get("name_zh", empty).fillna("").astype(str)
    hit = text.map(lambda t: any(k in t for k in keywords))
    if spec["technology"] and "technology" in parks.columns:
        hit |= parks["technology"].isin([spec["technology"], "wind_solar"])
    return parks.loc[hit.to_numpy(dtype=bool)]


def _resource_values(grid: SuitabilityGrid, raster: UserRaster, unit: object) -> np.ndarray:
    have, want = unit_slug(raster.unit), unit_slug(str(unit)) if pd.notna(unit) else None
    if want is None or have == want:
        factor = 1.0
    elif have in ANNUAL_FACTORS and want in ANNUAL_FACTORS:
        factor = ANNUAL_FACTORS[have] / ANNUAL_FACTORS[want]
    else:
        raise SuitabilityError(
            f"`resource_rasters` {raster.name!r} is in {raster.unit}, the criterion in {unit}; "
            "edit the criterion's `unit` and parameters, or supply the raster in that unit.",
            zh=f"资源栅格 {raster.name} 的单位是 {raster.unit}，准则的单位是 {unit}；"
            "请修改该准则的单位及其参数，或提供该单位的栅格。",
        )
    return raster_on_grid(raster, transform=grid.transform, shape=grid.shape) * factor


def _criterion_values(name, grid, parks, rasters, unit) -> np.ndarray | None:
    if name == "slope_deg":
        return grid.burn("terrain", "slope_deg")
    if name == "land_cover":
        return grid.burn("land_cover", "igbp_class")
    if name == "distance_to_river_km":
        return grid.distance_km(grid.base["rivers"])
    if name == "distance_to_town_km":
        return grid.distance_km(grid.base["towns"])
    if name == "distance_to_same_industry_park_km":
        return None if parks.geometry.notna().sum() == 0 else grid.distance_km(parks)
    if name == TRANSPORT_CRITERION:
        lines = grid.base.get(TRANSPORT_LAYER)
        return None if lines is None or lines.empty else grid.distance_km(lines)
    raster = rasters.get(name.removeprefix("resource:"))
    return None if raster is None else _resource_values(grid, raster, unit)


def _overlay(table, grid, parks, rasters, exclude_plateau):
    """Weighted score, exclusion mask, per-criterion values and scores, and the table as used."""
    inside = grid.county >= 0
    excluded, total = ~inside, np.zeros(grid.shape)
    if exclude_plateau:
        excluded |= grid.burn("tibetan_plateau", None) > 0
    values, scores, status = {}, {}, []
    for _, row in table.iterrows():
        name = row["criterion"]
        if name not in values and not (row["transform"] in SCORING and row["weight"] == 0):
            values[name] = _criterion_values(name, grid, parks, rasters, row["unit"])
        status.append(_criterion_status(row, values.get(name)))
        if status[-1] == "hard exclusion":
            excluded |= excluded_mask(values[name], row)
        elif status[-1] == "used":
            scores[name] = transform_scores(values[name], row)
            total = total + row["weight"] * scores[name]
    used = np.array([s == "used" for s in status])
    if not used.any():
        raise SuitabilityError(
            "`criteria` has no usable scoring criterion with weight > 0.",
            zh="准则表中没有可用的、权重大于 0 的评分准则；请至少给一个有数据的评分准则以正权重。",
        )
    weight_sum = table.loc[used, "weight"].sum()
    as_used = table.assign(status=status, weight_used=np.where(used, table["weight"], 0.0))
    as_used["weight_used"] = as_used["weight_used"] / weight_sum
    score = 100.0 * total / weight_sum
    score[excluded | np.isnan(score)] = np.nan
    return score, excluded & inside, values, scores, as_used


def _criterion_status(row, values: np.ndarray | None) -> str:
    """How a criterion row enters the score, in the words of the criteria table's status."""
    if row["transform"] in SCORING and row["weight"] == 0:
        return "weight 0: not used"
    if values is None:
        what = "no placed site"
        if row["criterion"].startswith("resource:"):
            what = "no raster supplied"
        elif row["criterion"] == TRANSPORT_CRITERION:
            what = "no road network given"
        return f"dropped ({what}): other weights renormalised"
    return "hard exclusion" if row["transform"] in EXCLUDING else "used"


def _check_inputs(base, parks, exclude_plateau: bool) -> None:
    needed = [n for n in SUITABILITY_LAYERS if n != "tibetan_plateau" or exclude_plateau]
    missing = [n for n in needed if n not in base]
    if missing:
        raise SuitabilityError(
            f"`base` lacks {', '.join(missing)}; pass load_layer(name) for each."
        )
    for name in needed:
        check_wgs84(base[name], f"base['{name}']")
    check_wgs84(parks, "parks")


def _summary(spec, score, excluded, grid, as_used, candidates, threshold) -> tuple[str, str, dict]:
    valid, n_out = score[~np.isnan(score)], int(np.count_nonzero(excluded))
    inside = int(np.count_nonzero(grid.county >= 0))
    dropped = as_used.loc[as_used["status"].str.startswith("dropped"), "criterion"].tolist()
    numbers = {
        "cells_in_gansu": inside,
        "cells_scored": int(valid.size),
        "cells_excluded": n_out,
        "cells_unknown": inside - n_out - int(valid.size),
        "excluded_share_pct": round(100.0 * n_out / max(inside, 1), 1),
        "score_median": round(float(np.median(valid)), 1) if valid.size else "unknown",
        "candidate_threshold_score": round(float(threshold), 1),
        "candidates": len(candidates),
        "criteria_dropped": ";".join(dropped) or "none",
    }
    first = candidates.iloc[0] if len(candidates) else {"county_zh": "无", "county_en": "none"}
    zh = (
        f"{spec['name_zh']}适宜性（建模指数，非实测）：甘肃 {inside} 个格网中 "
        f"{numbers['excluded_share_pct']}% 被硬约束排除，得分中位数 {numbers['score_median']}；"
        f"得分 ≥ {threshold:.1f} 的前 {len(candidates)} 个候选区，第一位在{first['county_zh']}。"
    )
    en = (
        f"{spec['name_en']} suitability (a modelled index, not a measurement): "
        f"{numbers['excluded_share_pct']}% of Gansu's {inside} cells hard-excluded, median score "
        f"{numbers['score_median']}; top {len(candidates)} candidate areas scoring >= "
        f"{threshold:.1f}, the first in {first['county_en']}."
    )
    if dropped:
        names = [criterion_names(c) for c in dropped]
        zh += f"缺少数据、已去除并重新归一化权重的准则：{'、'.join(z for z, _ in names)}。"
        en += (
            " Dropped for lack of data, other weights renormalised: "
            f"{', '.join(e for _, e in names)}."
        )
    return zh, en, numbers


def _raster(score: np.ndarray, grid: SuitabilityGrid, spec: pd.Series, as_used) -> RasterResult:
    used = as_used[as_used["weight_used"] > 0]
    tags = {
        "method": "weighted linear combination of 0-1 criterion scores x 100; exclusions NaN",
        "industry": spec["key"],
        "weights": ";".join(
            f"{c}={w:.3f}" for c, w in zip(used.criterion, used.weight_used, strict=True)
        ),
        "caveat": "modelled planning index on ~5.5 km cells (terrain ~9 km); not a site survey",
    }
    return RasterResult(score, grid.transform, "suitability_score_0_100", tags)


def suitability(
    industry: str,
    *,
    base: Mapping[str, gpd.GeoDataFrame],
    parks: gpd.GeoDataFrame,
    criteria: pd.DataFrame | None = None,
    resource_rasters: Sequence[UserRaster] | None = None,
    exclude_plateau: bool = False,
    min_score: float | None = None,
    top_n: int = 10,
    cell_deg: float = 0.05,
) -> AnalysisResult:
    """Suitability score (0-100) over Gansu for an industry, and its top-N candidate areas.

    Parameters
    ----------
    industry
        Key, Chinese or English name (``"pv"``, ``"光伏"``, ``"煤化工"``...).
    base
        Base layers named in :data:`SUITABILITY_LAYERS` (``load_layer`` of each; the Tibetan
        Plateau is needed only with `exclude_plateau`), and optionally ``transport_lines``
        (:func:`longtu.analysis.access.transport_lines` of a road network) for the criterion
        "distance to a railway or an expressway", dropped and said without it.
    parks
        Planned sites: the ``parks`` layer, with ``energy_sites`` appended for energy. Rows of
        the same industry (plan keywords; energy: same technology or ``wind_solar``) give the
        distance criterion; unplaced rows (no geometry) are skipped and counted.
    criteria
        Criteria table; default :func:`criteria_table` of `industry`.
    resource_rasters
        User rasters; a ``resource:<name>`` criterion uses the raster called `name` and is
        dropped (other weights renormalised) without one.
    exclude_plateau
        Also exclude the Tibetan Plateau.
    min_score
        Candidate threshold; default the 95th percentile of the scored cells.
    top_n
        Number of candidate areas.
    cell_deg
        Grid cell size, degrees (a grid spacing, not a distance).

    Returns
    -------
    AnalysisResult
        Raster ``suitability_score`` (NaN where excluded, unknown or outside Gansu); tables
        ``criteria`` (as used: ``status``, ``weight_used``) and ``candidates`` (polygons with
        ``rank``, ``mean_score``, ``max_score``, ``area_km2``, counties, prefectures, reasons).

    Examples
    --------
    >>> from longtu.layout import load_layer
    >>> base = {name: load_layer(name) for name in SUITABILITY_LAYERS}
    >>> result = suitability("pv", base=base, parks=load_layer("energy_sites"), top_n=3)
    >>> result.rasters["suitability_score"].data.shape, len(result.tables["candidates"])
    ((212, 340), 3)
    """
    spec, table = _checked_inputs(industry, base, parks, criteria, exclude_plateau)
    parameters = {"industry": spec["key"], "exclude_plateau": exclude_plateau, "top_n": top_n}
    parameters.update(min_score=min_score, cell_deg=cell_deg)
    return _suitability(spec, table, base, parks, resource_rasters or (), parameters)


def _checked_inputs(
    industry: str,
    base: Mapping[str, gpd.GeoDataFrame],
    parks: gpd.GeoDataFrame,
    criteria: pd.DataFrame | None,
    exclude_plateau: bool,
) -> tuple[pd.Series, pd.DataFrame]:
    """The industry's specification and the checked criteria table, once the layers are checked."""
    spec = resolve_industry(industry)
    _check_inputs(base, parks, exclude_plateau)
    table = check_criteria(criteria_table(spec["key"]) if criteria is None else criteria)
    return spec, table


def _suitability(
    spec: pd.Series,
    table: pd.DataFrame,
    base: Mapping[str, gpd.GeoDataFrame],
    parks: gpd.GeoDataFrame,
    resource_rasters: Sequence[UserRaster],
    parameters: dict[str, Any],
) -> AnalysisResult:
    """Overlay the criteria on the grid, find the candidate areas, and assemble the result."""
    grid = SuitabilityGrid(base, parameters["cell_deg"])
    rasters = {r.name: r for r in resource_rasters}
    same = _same_industry(parks, spec)
    overlay = _overlay(table, grid, same, rasters, parameters["exclude_plateau"])
    score, excluded, values, scores, as_used = overlay
    threshold = _threshold(score, parameters["min_score"])
    candidates = candidate_areas(
        score, grid, values, scores, as_used, threshold, parameters["top_n"]
    )
    zh, en, numbers = _summary(spec, score, excluded, grid, as_used, candidates, threshold)
    note_zh, note_en = _raster_notes(rasters, table)
    numbers["same_industry_sites_placed"] = int(same.geometry.notna().sum())
    numbers["same_industry_sites_unplaced"] = int(same.geometry.isna().sum())
    sources = "; ".join(f"{n}: {r.source or 'unknown'}" for n, r in rasters.items())
    return AnalysisResult(
        name="suitability",
        summary_zh=zh + note_zh,
        summary_en=en + note_en,
        numbers=numbers,
        tables={"criteria": as_used, "candidates": candidates},
        rasters={"suitability_score": _raster(score, grid, spec, as_used)},
        parameters=parameters | {"rasters": sources or "none"},
    )


def _threshold(score: np.ndarray, min_score: float | None) -> float:
    """The candidate threshold: `min_score`, else the 95th percentile of the scored cells."""
    valid = score[~np.isnan(score)]
    if not valid.size:
        raise SuitabilityError(
            "No cell of Gansu has a score: every criterion is missing (no data) or excludes it; "
            "check the rasters given (nodata over Gansu?) and the criteria.",
            zh="甘肃没有一个像元得分：每条准则或无数据，或将其排除；请检查所给栅格"
            "（在甘肃范围内是否为无数据值？）与准则。",
        )
    return float(np.percentile(valid, 95)) if min_score is None else min_score


def _raster_notes(rasters: Mapping[str, UserRaster], table: pd.DataFrame) -> tuple[str, str]:
    """Rasters no criterion uses, then the notes the rasters carry, in Chinese and English."""
    unused = sorted(set(rasters) - {str(c).removeprefix("resource:") for c in table.criterion})
    zh = en = ""
    if unused:
        zh = f"栅格 {'、'.join(unused)} 未被任何准则使用（可在准则表加 resource:名称 行）。"
        en = f" Raster(s) {', '.join(unused)} unused: add a resource:NAME criterion row."
    note_zh, note_en = read_notes(rasters.values())
    return zh + note_zh, en + note_en
