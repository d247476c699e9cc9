"""Filtering and searching plan features (what the app's filters and search box call)."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import pandas as pd

from longtu.layout.places import split_list


def _has_any(cells: pd.Series, wanted: set[str]) -> pd.Series:
    return cells.map(lambda cell: bool(set(split_list(cell)) & wanted))


def search_mask(frame: pd.DataFrame, query: str) -> pd.Series:
    """Rows whose Chinese name, aliases or English/pinyin name contain `query` (any case).

    Examples
    --------
    >>> f = pd.DataFrame({"name_zh": ["兰州新区"], "name_en": ["Lanzhou New Area"]})
    >>> [search_mask(f, q).item() for q in ("lanzhou", "新区", "酒泉")]
    [True, True, False]
    """
    text = query.strip().lower()
    if not text:
        return pd.Series(True, index=frame.index)
    columns = [c for c in ("name_zh", "name_en", "aliases_zh", "feature_id") if c in frame.columns]
    hits = pd.Series(False, index=frame.index)
    for col in columns:
        hits |= frame[col].astype(str).str.lower().str.contains(text, regex=False)
    return hits


def filter_features(
    frame: gpd.GeoDataFrame,
    *,
    zone_ids: Iterable[str] = (),
    prefecture_adcodes: Iterable[str] = (),
    industry: str = "",
    feature_ids: Iterable[str] | None = None,
    levels: Iterable[str] = (),
    technologies: Iterable[str] = (),
    query: str = "",
) -> gpd.GeoDataFrame:
    """Features matching every given filter (an empty filter does not restrict).

    Parameters
    ----------
    frame
        A plan layer.
    zone_ids, prefecture_adcodes
        Keep features lying in any of these economic zones / prefectures.
    industry
        Text that ``lead_industries_zh`` (or ``industry_zh``) must contain, e.g. ``"煤化工"``.
    feature_ids
        Keep only these features (e.g. the parks of one industry chain); None: no restriction.
    levels, technologies
        Allowed park levels / energy technologies (applied where the column exists).
    query
        Search text, Chinese or pinyin/English (see :func:`search_mask`).
    """
    keep = pd.Series(True, index=frame.index)
    if zones := set(zone_ids):
        keep &= _has_any(frame["zone_ids"], zones)
    if prefs := set(prefecture_adcodes):
        keep &= _has_any(frame["prefecture_adcodes"], prefs)
    if industry.strip():
        columns = [
            c for c in ("lead_industries_zh", "industry_zh", "name_zh") if c in frame.columns
        ]
        found = pd.Series(False, index=frame.index)
        for col in columns:
            found |= frame[col].astype(str).str.contains(industry.strip(), regex=False)
        keep &= found
    if feature_ids is not None:
        keep &= frame["feature_id"].isin(set(feature_ids))
    if (wanted := set(levels)) and "level" in frame.columns and "kind" in frame.columns:
        keep &= frame["level"].isin(wanted)
    if (techs := set(technologies)) and "technology" in frame.columns:
        keep &= frame["technology"].isin(techs)
    keep &= search_mask(frame, query)
    return frame[keep]
