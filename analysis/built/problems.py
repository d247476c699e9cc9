"""Data problems of a plant register, shown beside the result rather than hidden in it.

Two faults a register of real plants is known to have (both in the Global Power Plant Database):
a whole base recorded as one point (GPPD's 6,000 MW "Gansu Wind Farm" stands for the Jiuquan wind
base), and a plant whose coordinates lie far from the place its name or place column names
("Minqin Hongshagang ... Wind" at 34.79 N, in Gannan, some 380 km from Minqin County).
Plants without a location are listed too. Each problem is a row with words; the plant is
kept in the counts.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from longtu import settings

LARGE_POINT_TECHNOLOGIES = ("wind", "pv", "csp")
"""Technologies whose single points are checked against the large-point limit."""
PROBLEM_KINDS: dict[str, tuple[str, str]] = {
    "large_single_point": ("单点记录整个基地", "one point for a whole base"),
    "named_place_elsewhere": ("坐标与名称地点不符", "coordinates far from the named place"),
    "no_location": ("无坐标", "no coordinates"),
}
"""Kinds of data problem -> (Chinese, English)."""


def _short_zh(name: str) -> str:
    for suffix in ("回族自治州", "藏族自治州", "自治州", "市", "县", "区"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _short_en(name: str) -> str:
    """``Minqin County`` -> ``Minqin``; a first word under five letters stays whole."""
    first = name.split(" ")[0]
    return first if len(first) >= 5 else name


def place_gazetteer(counties: gpd.GeoDataFrame, prefectures: gpd.GeoDataFrame) -> pd.DataFrame:
    """Place names a register may write (Chinese and pinyin), each with its polygon.

    Examples
    --------
    >>> from longtu.layout import load_layer
    >>> g = place_gazetteer(load_layer("counties"), load_layer("prefectures"))
    >>> g.set_index("token").loc["Minqin", "place_zh"], "Huan County" in set(g["token"])
    ('民勤县', True)
    """
    units = pd.concat(
        [counties[counties.get("kind", "county") == "county"], prefectures], ignore_index=True
    )
    rows = []
    for unit in units.itertuples():
        tokens = {unit.name_zh, _short_zh(str(unit.name_zh)), _short_en(str(unit.name_en))}
        rows += [(token, unit.name_zh, unit.name_en, unit.geometry) for token in tokens if token]
    return pd.DataFrame(rows, columns=["token", "place_zh", "place_en", "geometry"])


class _PlaceFinder:
    """Finds the gazetteer rows a text names: pinyin as whole words, Chinese as substrings."""

    def __init__(self, gazetteer: pd.DataFrame) -> None:
        self.rows: dict[str, list[int]] = {}
        for position, token in enumerate(gazetteer["token"]):
            self.rows.setdefault(str(token), []).append(position)
        ascii_tokens = sorted((t for t in self.rows if t.isascii()), key=len, reverse=True)
        alternatives = "|".join(re.escape(t) for t in ascii_tokens)
        self.pinyin = re.compile(rf"(?<![A-Za-z])({alternatives})(?![a-z])")
        self.chinese = [t for t in self.rows if not t.isascii()]

    def positions(self, text: str) -> list[int]:
        """Gazetteer row positions of every place `text` names."""
        tokens = set(self.pinyin.findall(text)) | {t for t in self.chinese if t in text}
        return sorted({p for token in tokens for p in self.rows[token]})


def place_contradictions(
    plants: gpd.GeoDataFrame, gazetteer: pd.DataFrame, *, tolerance_km: float
) -> pd.DataFrame:
    """Plants lying farther than `tolerance_km` from every place their name or place column names.

    Returns
    -------
    pandas.DataFrame
        ``plant_index``, ``named_place_zh``, ``named_place_en``, ``distance_km`` (from the
        nearest named place's polygon, in an equal-area projection).
    """
    finder = _PlaceFinder(gazetteer)
    places = gpd.GeoSeries(list(gazetteer["geometry"]), crs=settings.storage_crs)
    places_m = places.to_crs(settings.equal_area_crs).to_numpy()
    located = plants[plants.geometry.notna()]
    points_m = located.geometry.to_crs(settings.equal_area_crs).to_numpy()
    texts = (located["plant_name"].astype(str) + " " + located["named_place"].astype(str)).tolist()
    rows = []
    for index, text, point in zip(located.index, texts, points_m, strict=True):
        named = finder.positions(text)
        if not named:
            continue
        distances_km = shapely.distance(places_m[named], point) / 1000.0
        nearest = int(np.argmin(distances_km))
        if distances_km[nearest] > tolerance_km:
            place = gazetteer.iloc[named[nearest]]
            rows.append((index, place["place_zh"], place["place_en"], distances_km[nearest]))
    return pd.DataFrame(
        rows, columns=["plant_index", "named_place_zh", "named_place_en", "distance_km"]
    )


def data_problems(
    plants: gpd.GeoDataFrame,
    gazetteer: pd.DataFrame,
    *,
    large_point_mw: float,
    tolerance_km: float,
) -> gpd.GeoDataFrame:
    """Every data problem of the register found, one row each with words (zh and en).

    Parameters
    ----------
    plants
        The register (:data:`~longtu.analysis.built.register.PLANT_COLUMNS`, ``county_zh``,
        ``county_en``).
    gazetteer
        :func:`place_gazetteer`.
    large_point_mw
        A single wind, PV or CSP point of this capacity or more is reported as a likely base.
    tolerance_km
        How far a plant may lie outside the place it names before it is reported.

    Returns
    -------
    geopandas.GeoDataFrame
        ``plant_name``, ``technology``, ``built_mw``, ``problem`` (``large_single_point``,
        ``named_place_elsewhere``, ``no_location``), ``problem_zh``, ``problem_en``,
        ``plant_index`` (the plant's row in `plants`); geometry the plant's point.
    """
    parts = [
        _large_points(plants, large_point_mw),
        _misplaced(plants, gazetteer, tolerance_km),
        _unlocated(plants),
    ]
    frame = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else pd.DataFrame(columns=["plant_index", "problem", "problem_zh", "problem_en"])
    )
    index = frame["plant_index"].astype(int).to_numpy()
    table = plants.iloc[0:0] if not len(index) else plants.loc[index]
    out = pd.DataFrame(
        {
            "plant_name": table["plant_name"].to_numpy(),
            "technology": table["technology"].to_numpy(),
            "built_mw": table["built_mw"].to_numpy(dtype=float),
            "county_zh": table["county_zh"].to_numpy(),
            "problem": frame["problem"].to_numpy(),
            "problem_zh": frame["problem_zh"].to_numpy(),
            "problem_en": frame["problem_en"].to_numpy(),
            "plant_index": index,
        }
    )
    return gpd.GeoDataFrame(out, geometry=list(table.geometry), crs=plants.crs)


def _large_points(plants: gpd.GeoDataFrame, large_point_mw: float) -> pd.DataFrame:
    big = plants[
        plants["technology"].isin(LARGE_POINT_TECHNOLOGIES) & (plants["built_mw"] >= large_point_mw)
    ]
    return pd.DataFrame(
        {
            "plant_index": big.index,
            "problem": "large_single_point",
            "problem_zh": [
                f"单点记录 {mw:,.0f} MW（≥{large_point_mw:,.0f} MW）："
                "很可能是整个基地记在一个点上，其范围不明；容量按该点所在位置计入"
                for mw in big["built_mw"]
            ],
            "problem_en": [
                f"one point of {mw:,.0f} MW (≥ {large_point_mw:,.0f} MW): most likely a whole "
                "base recorded at one place, its extent unknown; its MW is counted where the "
                "point lies"
                for mw in big["built_mw"]
            ],
        }
    )


def _misplaced(plants: gpd.GeoDataFrame, gazetteer: pd.DataFrame, tolerance_km: float):
    found = place_contradictions(plants, gazetteer, tolerance_km=tolerance_km)
    counties = plants.loc[found["plant_index"], "county_zh"].fillna("甘肃省外").to_numpy()
    counties_en = plants.loc[found["plant_index"], "county_en"].fillna("outside Gansu")
    return pd.DataFrame(
        {
            "plant_index": found["plant_index"],
            "problem": "named_place_elsewhere",
            "problem_zh": [
                f"名称指{zh}，坐标却在{county}，距{zh} {km:,.0f} km：坐标或名称有误，按坐标计入"
                for zh, county, km in zip(
                    found["named_place_zh"], counties, found["distance_km"], strict=True
                )
            ],
            "problem_en": [
                f"its name says {en}, its coordinates lie in {county}, {km:,.0f} km from {en}: "
                "coordinates or name wrong; counted where the coordinates are"
                for en, county, km in zip(
                    found["named_place_en"], counties_en, found["distance_km"], strict=True
                )
            ],
        }
    )


def _unlocated(plants: gpd.GeoDataFrame) -> pd.DataFrame:
    missing = plants[plants.geometry.isna()]
    return pd.DataFrame(
        {
            "plant_index": missing.index,
            "problem": "no_location",
            "problem_zh": [f"第 {r} 行无经纬度：未计入任何区域" for r in missing["row"]],
            "problem_en": [
                f"data row {r} has no longitude/latitude: counted in no region"
                for r in missing["row"]
            ],
        }
    )
