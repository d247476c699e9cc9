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

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio.features
import shapely
from pyproj import Geod, Transformer
from scipy import ndimage
from scipy.spatial import cKDTree

from longtu import settings
from longtu.analysis.distance import check_wgs84
from longtu.analysis.io.rasters import (
    KNOWN_RESOURCES,
    UserRaster,
    read_notes,
    unit_slug,
)
from longtu.analysis.resource.availability import burn_values, gansu_grid
from longtu.analysis.resource.screening import ANNUAL_FACTORS
from longtu.analysis.result import AnalysisResult, RasterResult
from longtu.analysis.siting.verdict import resolve_industry
from longtu.analysis.suitability.criteria import (
    CRITERION_LABELS,
    EXCLUDING,
    SCORING,
    SuitabilityError,
    check_criteria,
    criteria_table,
    excluded_mask,
    transform_scores,
)
from longtu.analysis.zonal import raster_on_grid

_GEOD = Geod(ellps="WGS84")
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
CANDIDATE_COLUMNS = ["rank", "mean_score", "max_score", "n_cells", "county_zh", "county_en"]
CANDIDATE_COLUMNS += ["prefecture_zh", "prefecture_en", "reasons_zh", "reasons_en"]


class _Grid:
    """Cell centres of the analysis grid, projected once, and the base layers burnt onto it."""

    def __init__(self, base: Mapping[str, gpd.GeoDataFrame], cell_deg: float) -> None:
        self.transform, self.shape = gansu_grid(cell_deg)
        rows, cols = np.indices(self.shape)
        self.lon = self.transform.c + (cols + 0.5) * self.transform.a
        self.lat = self.transform.f + (rows + 0.5) * self.transform.e
        self._to_ea = Transformer.from_crs(
            settings.storage_crs, settings.equal_area_crs, always_xy=True
        )
        self.xy = np.column_stack(self._to_ea.transform(self.lon.ravel(), self.lat.ravel()))
        counties = base["counties"]
        county = burn_values(
            counties, np.arange(len(counties), dtype=float), *gansu_grid(cell_deg), -1.0
        )
        self.county, self.base = county.astype(int), base

    def burn(self, layer: str, column: str | None) -> np.ndarray:
        """Values of `column` (1 if None) of the layer's polygons under each cell (else NaN)."""
        frame = self.base[layer]
        values = np.ones(len(frame)) if column is None else frame[column].to_numpy(float)
        return burn_values(frame, values, self.transform, self.shape, np.nan)

    def distance_km(self, frame: gpd.GeoDataFrame) -> np.ndarray:
        """Geodesic km from each cell centre to the nearest vertex (vertices ~2 km apart).

        The nearest vertex is found in the equal-area CRS (cKDTree); the distance to it is then
        measured on the WGS84 ellipsoid, as the Albers scale is off by up to ~2 % in Gansu.
        """
        geoms = frame.geometry[frame.geometry.notna() & ~frame.geometry.is_empty]
        if geoms.empty:
            return np.full(self.shape, np.nan)
        lonlat = shapely.get_coordinates(geoms.segmentize(0.02).to_numpy())
        tree = cKDTree(np.column_stack(self._to_ea.transform(lonlat[:, 0], lonlat[:, 1])))
        nearest = lonlat[tree.query(self.xy)[1]]
        metres = _GEOD.inv(self.lon.ravel(), self.lat.ravel(), nearest[:, 0], nearest[:, 1])[2]
        return (np.asarray(metres) / 1000.0).reshape(self.shape)


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


def _resource_values(grid: _Grid, raster: UserRaster, unit: object) -> np.ndarray:
    have, want = unit_slug(raster.unit), unit_slug(str(unit)) if pd.notna(unit) else None
    if want is None or have == want:
        factor = 1.0
    elif have in ANNUAL_FACTORS and want in ANNUAL_FACTORS:
        factor = ANNUAL_FACTORS[have] / ANNUAL_FACTORS[want]
    else:
        raise SuitabilityError(
            f"`resource_rasters` {raster.name!r} is in {raster.unit}, the criterion in {unit}; "
            "edit the criterion's `unit` and parameters, or supply the raster in that unit."
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
        raise SuitabilityError("`criteria` has no usable scoring criterion with weight > 0.")
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


def _regions(score: np.ndarray, threshold: float, top_n: int) -> tuple[np.ndarray, list[int]]:
    """Connected cells (4-neighbour) scoring >= threshold; the top-N labels by mean score."""
    labels, count = ndimage.label(np.nan_to_num(score, nan=-1.0) >= threshold)
    if count == 0:
        return labels, []
    ids = np.arange(1, count + 1)
    means = ndimage.mean(np.nan_to_num(score), labels, ids)
    sizes = ndimage.sum_labels(np.ones_like(score), labels, ids)
    order = np.lexsort((-sizes, -np.asarray(means)))
    return labels, [int(ids[i]) for i in order[:top_n]]


def _polygons(labels: np.ndarray, keep: list[int], transform) -> dict[int, shapely.Geometry]:
    parts: dict[int, list] = {k: [] for k in keep}
    mask = np.isin(labels, keep)
    for geom, value in rasterio.features.shapes(
        labels.astype("int32"), mask=mask, transform=transform
    ):
        parts[int(value)].append(shapely.geometry.shape(geom))
    return {k: shapely.union_all(v) for k, v in parts.items()}


def criterion_names(name: str) -> tuple[str, str]:
    """A criterion in words (Chinese, English); a resource raster criterion by what it holds.

    Examples
    --------
    >>> criterion_names("resource:ghi")
    ('水平面总辐射栅格', 'global horizontal irradiation raster')
    >>> criterion_names("slope_deg")
    ('坡度', 'slope')
    """
    if name.startswith("resource:"):
        key = name.removeprefix("resource:")
        zh, en, _ = KNOWN_RESOURCES.get(key, (key, key, ""))
        return f"{zh}栅格", f"{en} raster"
    zh, en, _ = CRITERION_LABELS.get(name, (name, name, ""))
    return zh, en


def _value_text(name: str, value: float, unit: object, land_names: Mapping) -> tuple[str, str]:
    if name.startswith("resource:"):
        key = name.removeprefix("resource:")
        zh, en, _ = KNOWN_RESOURCES.get(key, (key, key, ""))
        unit = unit if pd.notna(unit) else ""
        return f"{zh} {value:.4g} {unit}".strip(), f"{en} {value:.4g} {unit}".strip()
    zh, en, fmt = CRITERION_LABELS[name]
    if name == "land_cover":
        names = land_names.get(int(value), ("未知", "unknown"))
        return f"{zh} {names[0]}", f"{en} {names[1]}"
    text = fmt.format(value)
    return f"{zh} {text}", (f"{text} {en}" if "km" in fmt else f"{en} {text}")


def _reasons(cells, values, scores, as_used, land_names) -> tuple[str, str]:
    """Criteria of one region, largest contribution (weight x score) first."""
    used = as_used[as_used["status"] == "used"]
    items = []
    for row in used.itertuples(index=False):
        v = values[row.criterion][cells]
        typical = (
            float(np.bincount(v.astype(int)).argmax())
            if row.criterion == "land_cover"
            else float(np.mean(v))
        )
        s = float(np.mean(scores[row.criterion][cells]))
        items.append(
            (row.weight_used * s, *_value_text(row.criterion, typical, row.unit, land_names), s)
        )
    items.sort(key=lambda item: -item[0])
    zh = "；".join(f"{z}（得分 {s:.2f}）" for _, z, _, s in items)
    en = "; ".join(f"{e} (score {s:.2f})" for _, _, e, s in items)
    return zh, en


def _places(cells: np.ndarray, grid: _Grid) -> dict[str, str]:
    """Counties (most cells first) and prefectures of a region, in Chinese and English."""
    counties = grid.base["counties"]
    counts = np.bincount(grid.county[cells], minlength=len(counties))
    present = np.flatnonzero(counts)
    hit = counties.iloc[present[np.argsort(-counts[present], kind="stable")]]
    prefectures = grid.base["prefectures"].set_index("adcode")["name_en"]
    prefecture_en = prefectures.reindex(hit["prefecture_adcode"]).fillna("unknown")
    return {
        "county_zh": "、".join(hit["name_zh"]),
        "county_en": "; ".join(hit["name_en"]),
        "prefecture_zh": "、".join(dict.fromkeys(hit["prefecture_name_zh"])),
        "prefecture_en": "; ".join(dict.fromkeys(prefecture_en)),
    }


def _candidates(score, grid, values, scores, as_used, threshold, top_n) -> gpd.GeoDataFrame:
    labels, keep = _regions(score, threshold, top_n)
    shapes = _polygons(labels, keep, grid.transform)
    land = grid.base["land_cover"].drop_duplicates("igbp_class").set_index("igbp_class")
    land_names = {int(k): (r.name_zh, r.name_en) for k, r in land.iterrows()}
    rows = []
    for rank, label in enumerate(keep, start=1):
        cells = labels == label
        zh, en = _reasons(cells, values, scores, as_used, land_names)
        rows.append(
            {"rank": rank, "mean_score": float(np.mean(score[cells]))}
            | {"max_score": float(np.max(score[cells])), "n_cells": int(cells.sum())}
            | _places(cells, grid)
            | {"reasons_zh": zh, "reasons_en": en}
        )
    frame = pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)
    frame = gpd.GeoDataFrame(frame, geometry=[shapes[k] for k in keep], crs=settings.storage_crs)
    frame.insert(3, "area_km2", frame.geometry.to_crs(settings.equal_area_crs).area / 1e6)
    return frame


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


def _raster(score: np.ndarray, grid: _Grid, spec: pd.Series, as_used) -> RasterResult:
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
    spec = resolve_industry(industry)
    _check_inputs(base, parks, exclude_plateau)
    table = check_criteria(criteria_table(spec["key"]) if criteria is None else criteria)
    grid = _Grid(base, cell_deg)
    rasters = {r.name: r for r in resource_rasters or ()}
    same = _same_industry(parks, spec)
    score, excluded, values, scores, as_used = _overlay(table, grid, same, rasters, exclude_plateau)
    valid = score[~np.isnan(score)]
    if not valid.size:
        raise SuitabilityError(
            "No cell of Gansu has a score: every criterion is missing (no data) or excludes it; "
            "check the rasters given (nodata over Gansu?) and the criteria."
        )
    threshold = min_score if min_score is not None else np.nan
    if min_score is None and valid.size:
        threshold = float(np.percentile(valid, 95))
    candidates = _candidates(score, grid, values, scores, as_used, threshold, top_n)
    zh, en, numbers = _summary(spec, score, excluded, grid, as_used, candidates, threshold)
    unused = sorted(set(rasters) - {str(c).removeprefix("resource:") for c in table.criterion})
    if unused:
        zh += f"栅格 {'、'.join(unused)} 未被任何准则使用（可在准则表加 resource:名称 行）。"
        en += f" Raster(s) {', '.join(unused)} unused: add a resource:NAME criterion row."
    note_zh, note_en = read_notes(rasters.values())
    zh, en = zh + note_zh, en + note_en
    numbers["same_industry_sites_placed"] = int(same.geometry.notna().sum())
    numbers["same_industry_sites_unplaced"] = int(same.geometry.isna().sum())
    parameters = {"industry": spec["key"], "exclude_plateau": exclude_plateau, "top_n": top_n}
    parameters.update(min_score=min_score, cell_deg=cell_deg)
    parameters["rasters"] = (
        "; ".join(f"{n}: {r.source or 'unknown'}" for n, r in rasters.items()) or "none"
    )
    return AnalysisResult(
        name="suitability",
        summary_zh=zh,
        summary_en=en,
        numbers=numbers,
        tables={"criteria": as_used, "candidates": candidates},
        rasters={"suitability_score": _raster(score, grid, spec, as_used)},
        parameters=parameters,
    )
