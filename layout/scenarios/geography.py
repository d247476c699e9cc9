"""Gansu's outline and units, indexed once, for checking and locating user geometry."""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from longtu.errors import ScenarioError
from longtu.layout.load import load_layer
from longtu.layout.places import split_list
from longtu.layout.scenarios.names import PlaceNames

#: Largest share of a polygon's area that may lie outside the province polygon (border
#: digitising differs between sources by a few hundred metres).
OUTSIDE_AREA_TOLERANCE = 0.01
#: Farthest a point may lie outside the province polygon, in degrees (about 500 m).
OUTSIDE_POINT_TOLERANCE_DEG = 0.005


class Gansu:
    """The province polygon and its prefectures and counties, with spatial indexes.

    Built once per process by :func:`gansu`; read-only.
    """

    def __init__(
        self,
        province: gpd.GeoDataFrame,
        prefectures: gpd.GeoDataFrame,
        counties: gpd.GeoDataFrame,
    ) -> None:
        self.outline = shapely.union_all(province.geometry.to_numpy())
        shapely.prepare(self.outline)
        self.prefectures = prefectures.reset_index(drop=True)
        self.counties = counties.reset_index(drop=True)
        self.county_names = dict(zip(counties["adcode"], counties["name_zh"], strict=True))
        self.county_names.update(zip(prefectures["adcode"], prefectures["name_zh"], strict=True))
        units = [
            ("prefecture", code, code, name)
            for code, name in zip(prefectures["adcode"], prefectures["name_zh"], strict=True)
        ]
        units += [
            ("county", code, pref, name)
            for code, pref, name, kind in zip(
                counties["adcode"],
                counties["prefecture_adcode"],
                counties["name_zh"],
                counties["kind"],
                strict=True,
            )
            if kind == "county"
        ]
        self.places = PlaceNames(units)

    def units_of(self, geometry: BaseGeometry | None) -> tuple[list[str], list[str]]:
        """County and prefecture adcodes a geometry lies in.

        A point (or the representative point of a line) lies in the unit that contains it; a
        polygon in every unit holding more than 1% of its area.
        """
        if geometry is None or geometry.is_empty:
            return [], []
        return self._hits(self.counties, geometry), self._hits(self.prefectures, geometry)

    def _hits(self, units: gpd.GeoDataFrame, geometry: BaseGeometry) -> list[str]:
        if geometry.area == 0:
            candidates = units.sindex.query(geometry, predicate="intersects")
            return sorted(units["adcode"].to_numpy()[candidates].tolist())
        candidates = units.sindex.query(geometry, predicate="intersects")
        shares = shapely.area(shapely.intersection(units.geometry.to_numpy()[candidates], geometry))
        keep = candidates[shares > 0.01 * geometry.area]
        return sorted(units["adcode"].to_numpy()[keep].tolist())

    def check_inside(self, geometry: BaseGeometry, *, what: str, what_zh: str = "") -> None:
        """Raise :class:`ScenarioError` unless `geometry` lies in Gansu.

        `what` names the input in the message, e.g. ``"--move 116.4 39.9"``; `what_zh` in
        the Chinese message (default 所给位置, the location given).
        """
        if self.outline.covers(geometry):
            return
        if geometry.area > 0:
            outside = shapely.difference(geometry, self.outline).area / geometry.area
            if outside <= OUTSIDE_AREA_TOLERANCE:
                return
        elif shapely.distance(self.outline, geometry) <= OUTSIDE_POINT_TOLERANCE_DEG:
            return
        hint = hint_zh = ""
        swapped = shapely.transform(geometry, lambda xy: xy[:, ::-1])
        if self.outline.intersects(swapped):
            hint = " (longitude and latitude look swapped: give longitude first)"
            hint_zh = "（经度与纬度似乎填反了：请经度在前）"
        west, south, east, north = (round(v, 1) for v in self.outline.bounds)
        raise ScenarioError(
            f"{what} lies outside Gansu{hint}; give WGS84 coordinates inside the province "
            f"(about {west}-{east} E, {south}-{north} N). The workspace is unchanged.",
            zh=f"{what_zh or '所给位置'}在甘肃省界之外{hint_zh}；请给出省内的 WGS84 坐标"
            f"（约东经 {west}～{east}、北纬 {south}～{north}）。工作区未改动。",
        )


@lru_cache(maxsize=1)
def gansu() -> Gansu:
    """The shared :class:`Gansu` of the built base layers (built on first use)."""
    return Gansu(load_layer("province"), load_layer("prefectures"), load_layer("counties"))


def claimed_units(row: dict[str, object]) -> tuple[set[str], set[str]]:
    """Counties and prefectures a plan feature rests on (its placement and its claims)."""
    counties, prefectures = set(), set()
    for column in ("county_adcodes", "county_adcode"):
        counties |= set(split_list(row.get(column)))
    for column in ("prefecture_adcodes", "prefecture_adcode"):
        prefectures |= set(split_list(row.get(column)))
    return counties, prefectures
