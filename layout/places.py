"""Fixing the geometry of an authored plan feature from its ``place_method`` and ``place_ref``.

No coordinate is ever authored: a feature is placed on a county or prefecture polygon (or a
representative point inside it), a GeoNames town, an airport of the ``airportsdata`` registry
(for an area the gazetteers lack, such as 兰州新区), another park, or a schematic line through
places, and every result says how (``location_basis``) and how precisely (``precision``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import CRS

from longtu import settings
from longtu.errors import PlaceError

PLACE_METHODS = ("county", "prefecture", "town", "airport", "park", "line", "unplaced")
PRECISION_OF_METHOD = {
    "county": "county",
    "prefecture": "prefecture",
    "town": "town",
    "airport": "town",
    "line": "schematic",
    "unplaced": "unplaced",
}


@dataclass
class Placement:
    """Where a feature is and how we know it.

    Attributes
    ----------
    geometry : shapely.Geometry or None
        EPSG:4326 geometry; None for unplaced features.
    precision : str
        ``town``, ``county``, ``prefecture``, ``schematic`` or ``unplaced``.
    location_basis : str
        How the geometry was fixed, in words a reviewer can check.
    county_adcodes, prefecture_adcodes : list of str
        Administrative units the placement rests on.
    """

    geometry: shapely.Geometry | None
    precision: str
    location_basis: str
    county_adcodes: list[str] = field(default_factory=list)
    prefecture_adcodes: list[str] = field(default_factory=list)


class PlaceContext:
    """The base layers a placement needs, indexed for look-up.

    Parameters
    ----------
    counties, prefectures, towns
        The base layers of the same names (EPSG:4326).
    seats
        Optional table of seats of government (``adcode``, ``seat_zh``, ``geonames_key``), as in
        ``gis_data/plan/county_seats.csv``. Point-shaped features placed on a county or a
        prefecture are drawn at its seat, the conventional symbol point of a unit on Chinese
        maps; units without a matched seat fall back to a representative point inside them.
        Either way the precision stays ``county`` / ``prefecture``.
    airports
        Optional airports (``airport_key``, ``name``, ``county_adcode``, ``county_name_zh``,
        ``prefecture_adcode``), as :func:`longtu.gis_data.build.airport_points` gives them, for
        the ``airport`` method.
    """

    def __init__(
        self,
        counties: gpd.GeoDataFrame,
        prefectures: gpd.GeoDataFrame,
        towns: gpd.GeoDataFrame,
        seats: pd.DataFrame | None = None,
        airports: gpd.GeoDataFrame | None = None,
    ) -> None:
        storage = CRS.from_user_input(settings.storage_crs)
        for name, frame in (("counties", counties), ("prefectures", prefectures), ("towns", towns)):
            if frame.crs is None or CRS.from_user_input(frame.crs) != storage:
                raise ValueError(
                    f"`{name}` must be {settings.storage_crs}; "
                    f"use `to_crs('{settings.storage_crs}')` first."
                )
        self.counties = counties.set_index("adcode")
        self.prefectures = prefectures.set_index("adcode")
        self.towns = towns.set_index("town_key")
        self.airports = airports.set_index("airport_key") if airports is not None else None
        self.units = self._unit_table()
        self.seat_problems: list[tuple[str, str]] = []
        self.anchors, self.anchor_basis = self._anchors(seats)
        self.parks: dict[str, Placement] = {}
        self.park_ids: dict[str, str] = {}

    def _unit_table(self) -> gpd.GeoDataFrame:
        """Counties and prefectures in one table indexed by (level, adcode).

        嘉峪关 is both (620200), and Tianditu's special units (629700 …), dissolved into their host
        prefectures here, are accepted at both levels under their own codes.
        """
        columns = ["name_zh", "prefecture_adcode", "geometry"]
        counties = self.counties[columns].assign(level="county")
        prefectures = self.prefectures.assign(prefecture_adcode=self.prefectures.index)
        special = self.counties[self.counties["kind"] == "special_unit"]
        table = pd.concat(
            [
                counties,
                prefectures[columns].assign(level="prefecture"),
                special[columns].assign(level="prefecture"),
            ]
        )
        table = table.set_index("level", append=True).swaplevel()
        table.index.names = ["level", "adcode"]
        return gpd.GeoDataFrame(table, geometry="geometry", crs=self.counties.crs)

    def _anchors(
        self, seats: pd.DataFrame | None
    ) -> tuple[gpd.GeoSeries, dict[tuple[str, str], str]]:
        points = self.units.geometry.representative_point()
        basis = {
            key: f"representative point inside the {key[0]} polygon of {name}"
            for key, name in zip(self.units.index, self.units["name_zh"], strict=True)
        }
        for row in (seats if seats is not None else pd.DataFrame()).itertuples(index=False):
            key = (row.level, row.adcode)
            if not row.geonames_key:
                continue
            if key not in self.units.index or row.geonames_key not in self.towns.index:
                problem = f"`{row.geonames_key}` is not a town of {row.level} `{row.adcode}`"
                self.seat_problems.append((row.adcode, problem))
                continue
            town = self.towns.loc[row.geonames_key]
            if not self.units.geometry[key].covers(town.geometry):
                self.seat_problems.append(
                    (row.adcode, f"`{row.geonames_key}` lies outside the unit")
                )
                continue
            name = self.units.loc[key, "name_zh"]
            points[key] = town.geometry
            basis[key] = f"seat of {name} ({row.seat_zh}; GeoNames point {town['name']})"
        return points, basis

    def register_parks(self, parks: gpd.GeoDataFrame) -> None:
        """Make the parks (by ``name_zh`` and every alias) available to the ``park`` method."""
        for row in parks.itertuples(index=False):
            placement = Placement(
                row.geometry,
                row.precision,
                row.location_basis,
                split_list(row.county_adcodes),
                split_list(row.prefecture_adcodes),
            )
            for name in [row.name_zh, *split_list(row.aliases_zh)]:
                self.parks[name] = placement
                self.park_ids[name] = row.feature_id

    def _units(self, codes: list[str], level: Literal["county", "prefecture"]) -> gpd.GeoDataFrame:
        known = self.units.loc[level]
        missing = [c for c in codes if c not in known.index]
        if missing or not codes:
            layer = "counties" if level == "county" else "prefectures"
            raise PlaceError(
                f"unknown {level} adcode(s) {', '.join(missing) or '(none given)'}; "
                f"use the Tianditu codes of the `{layer}` layer"
            )
        return known.loc[codes]

    def place(self, method: str, ref: str, *, shape: Literal["point", "area"]) -> Placement:
        """Resolve one feature's placement.

        Parameters
        ----------
        method
            One of :data:`PLACE_METHODS`.
        ref
            The ``place_ref`` cell.
        shape
            ``"point"``: counties and prefectures give representative points inside them;
            ``"area"``: they give the union of their polygons.

        Raises
        ------
        PlaceError
            If the method is unknown or the reference does not resolve.
        """
        codes = split_list(ref)
        if method == "county":
            return self._place_on_units(codes, "county", shape)
        if method == "prefecture":
            return self._place_on_units(codes, "prefecture", shape)
        if method == "town":
            return self._town(ref)
        if method == "airport":
            return self._airport(ref)
        if method == "park":
            if ref not in self.parks:
                raise PlaceError(f"no park named `{ref}` in parks.csv (name_zh or aliases_zh)")
            park = self.parks[ref]
            return Placement(
                park.geometry,
                park.precision,
                f"location of park {ref}: {park.location_basis}",
                park.county_adcodes,
                park.prefecture_adcodes,
            )
        if method == "line":
            return self._line(codes)
        if method == "unplaced":
            if ref:
                raise PlaceError("`unplaced` takes an empty place_ref")
            return Placement(None, "unplaced", "not placed: the plans give no location for it")
        raise PlaceError(f"unknown place_method `{method}`; use one of {', '.join(PLACE_METHODS)}")

    def _town(self, ref: str) -> Placement:
        if ref not in self.towns.index:
            raise PlaceError(
                f"town `{ref}` is not in the GeoNames gazetteer inside that county; "
                "write `<GeoNames name>@<county adcode>` as in the `towns` layer, or use `county`"
            )
        town = self.towns.loc[ref]
        basis = f"town point {town['name']} from GeoNames cities1000, in {town['county_name_zh']}"
        return Placement(
            town.geometry, "town", basis, [town["county_adcode"]], [town["prefecture_adcode"]]
        )

    def _airport(self, ref: str) -> Placement:
        if self.airports is None or ref not in self.airports.index:
            raise PlaceError(
                f"airport `{ref}` is not an airport of the airportsdata registry inside that "
                "county; write `<ICAO code>@<county adcode>`, e.g. `ZLLL@620121`, or use `county`"
            )
        airport = self.airports.loc[ref]
        basis = (
            f"point of {airport['name']} (ICAO {airport['icao']}, airportsdata register) in "
            f"{airport['county_name_zh']}: stands for the area around it; the site within that "
            "area is not known"
        )
        return Placement(
            airport.geometry,
            "town",
            basis,
            [airport["county_adcode"]],
            [airport["prefecture_adcode"]],
        )

    def _place_on_units(
        self, codes: list[str], level: Literal["county", "prefecture"], shape: str
    ) -> Placement:
        units = self._units(codes, level)
        names = "、".join(units["name_zh"])
        if shape == "area":
            geometry = shapely.union_all(units.geometry.values)
            basis = f"{level} polygon of {names} ({';'.join(codes)})"
        else:
            points = [self.anchors[(level, c)] for c in codes]
            geometry = points[0] if len(points) == 1 else shapely.MultiPoint(points)
            anchors = "; ".join(self.anchor_basis[(level, c)] for c in codes)
            basis = f"{anchors}: stands for the {level}, the site within it is not known"
        counties = codes if level == "county" else []
        return Placement(geometry, level, basis, counties, sorted(set(units["prefecture_adcode"])))

    def _line(self, codes: list[str]) -> Placement:
        if len(codes) < 2:
            raise PlaceError("`line` needs at least two adcodes in order")
        keys = []
        for code in codes:
            level = "prefecture" if ("prefecture", code) in self.units.index else "county"
            if (level, code) not in self.units.index:
                raise PlaceError(f"unknown adcode `{code}` in line")
            keys.append((level, code))
        names = " → ".join(self.units.loc[k, "name_zh"] for k in keys)
        points = "; ".join(self.anchor_basis[k] for k in keys)
        prefs = sorted({self.units.loc[k, "prefecture_adcode"] for k in keys})
        line = shapely.LineString([self.anchors[k] for k in keys])
        return Placement(line, "schematic", f"schematic line through {names} ({points})", [], prefs)


def split_list(cell: object) -> list[str]:
    """Split a `;`-separated cell of a plan table into its non-empty parts.

    Examples
    --------
    >>> split_list("620121; 620122;")
    ['620121', '620122']
    >>> split_list(None)
    []
    """
    if not isinstance(cell, str):
        return []
    return [part.strip() for part in cell.split(";") if part.strip()]


def typed_list(text: str) -> str:
    """A list as a person types it (parts between 、，；, ; or ,) as a plan cell: joined by ";".

    Examples
    --------
    >>> typed_list("新材料、化工；装备制造, 物流")
    '新材料;化工;装备制造;物流'
    """
    return ";".join(part.strip() for part in re.split(r"[、，；;,]", text) if part.strip())
