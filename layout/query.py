"""Filtering and searching plan features (what the app's filters and search box call)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import geopandas as gpd
import pandas as pd

from longtu.layout.load import load_layer
from longtu.layout.places import split_list


def _has_any(cells: pd.Series, wanted: set[str]) -> pd.Series:
    return cells.map(lambda cell: bool(set(split_list(cell)) & wanted))


#: Columns of a plan layer holding a feature's names (whichever the layer has).
NAME_COLUMNS = ("name_zh", "name_en", "aliases_zh", "base_name_zh", "base_name_en", "feature_id")
#: Shortest query that is also looked up among place names (one character names nothing).
MIN_PLACE_QUERY_CHARS = 2


def _normal(text: object) -> str:
    """Text compared without case, spaces, hyphens or apostrophes ("Lanzhou New-Area")."""
    return re.sub(r"[\s\-'’·]+", "", str(text)).lower()


@functools.cache
def place_names() -> pd.DataFrame:
    """Every prefecture and county with its names, for finding the features in a place.

    Columns ``level`` (``prefecture`` or ``county``), ``adcode`` and ``names``: the Chinese
    full and short names and the English (pinyin) name, compared as :func:`_normal` makes them.
    """
    rows = []
    for level, layer in (("prefecture", "prefectures"), ("county", "counties")):
        frame = load_layer(layer)
        columns = [c for c in ("name_zh", "short_name_zh", "name_en") if c in frame.columns]
        for _, unit in frame.iterrows():
            names = tuple(dict.fromkeys(_normal(unit[c]) for c in columns if unit[c]))
            rows.append({"level": level, "adcode": str(unit["adcode"]), "names": names})
    return pd.DataFrame(rows, columns=["level", "adcode", "names"])


def matching_places(query: str, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """The prefectures and counties a query names: a name of theirs starts with it.

    Parameters
    ----------
    query
        Search text, e.g. ``"酒泉"``, ``"jiuquan"`` or ``"Jiuquan City"``.
    places
        Table as :func:`place_names` returns; default: Gansu's prefectures and counties.

    Examples
    --------
    >>> list(matching_places("酒泉")["adcode"])
    ['620900']
    >>> list(matching_places("dunhuang")["adcode"]), len(matching_places("市"))
    (['620982'], 0)
    """
    places = place_names() if places is None else places
    text = _normal(query)
    if len(text) < MIN_PLACE_QUERY_CHARS:
        return places.iloc[:0]
    hits = places["names"].map(lambda names: any(name.startswith(text) for name in names))
    return places[hits]


def search_mask(
    frame: pd.DataFrame, query: str, *, places: pd.DataFrame | None = None
) -> pd.Series:
    """Rows whose names or aliases contain `query`, or that lie in a place it names.

    Names are compared without case or spaces, so ``"lanzhou new area"`` finds
    "Lanzhou New Area"; a place is found by its Chinese, short or English (pinyin) name
    (:func:`matching_places`), and a row lies in it when its ``prefecture_adcodes`` /
    ``county_adcodes`` list the place.

    Examples
    --------
    >>> f = pd.DataFrame({"name_zh": ["兰州新区", "千万千瓦级大型风电基地"],
    ...                   "name_en": ["Lanzhou New Area", "Jiuquan wind base"],
    ...                   "prefecture_adcodes": ["620100", "620900"]})
    >>> [list(search_mask(f, q)) for q in ("lanzhou", "新区", "酒泉", "嘉峪关")]
    [[True, False], [True, False], [False, True], [False, False]]
    """
    text = _normal(query)
    if not text:
        return pd.Series(True, index=frame.index)
    hits = pd.Series(False, index=frame.index)
    for col in (c for c in NAME_COLUMNS if c in frame.columns):
        hits |= frame[col].map(_normal).str.contains(text, regex=False)
    found = matching_places(query, places)
    for level, column in (("prefecture", "prefecture_adcodes"), ("county", "county_adcodes")):
        codes = set(found.loc[found["level"] == level, "adcode"])
        if codes and column in frame.columns:
            hits |= _has_any(frame[column], codes)
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
        Search text, Chinese or pinyin/English: a name, an alias or a place (see
        :func:`search_mask`).
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
