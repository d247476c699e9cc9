"""Candidate areas of a suitability score: connected high-scoring cells, their places and reasons.

Cells scoring at least the threshold are joined 4-neighbour into areas; the `top_n` by mean
score (then size) are kept as polygons, each with the counties and prefectures it lies in and
its criteria in words, the largest contribution (weight x score) first.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio.features
import shapely
from scipy import ndimage

from longtu import settings
from longtu.analysis.io.rasters import KNOWN_RESOURCES
from longtu.analysis.suitability.criteria import CRITERION_LABELS
from longtu.analysis.suitability.grid import SuitabilityGrid

CANDIDATE_COLUMNS = ["rank", "mean_score", "max_score", "n_cells", "county_zh", "county_en"]
CANDIDATE_COLUMNS += ["prefecture_zh", "prefecture_en", "reasons_zh", "reasons_en"]


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


def _places(cells: np.ndarray, grid: SuitabilityGrid) -> dict[str, str]:
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


def candidate_areas(score, grid, values, scores, as_used, threshold, top_n) -> gpd.GeoDataFrame:
    """The `top_n` connected areas scoring >= `threshold`: polygons, scores, places, reasons."""
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
