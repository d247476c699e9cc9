"""Fixing the geometry of an authored plan feature from its ``place_method`` and ``place_ref``.

No coordinate is ever authored: a feature is placed on a county or prefecture polygon (or a
representative point inside it), a GeoNames town, another park, or a schematic line through
places, and every result says how (``location_basis``) and how precisely (``precision``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import shapely

PLACE_METHODS = ("county", "prefecture", "town", "park", "line", "unplaced")
PRECISION_OF_METHOD = {
    "county": "county",
    "prefecture": "prefecture",
    "town": "town",
    "line": "schematic",
    "unplaced": "unplaced",
}


class PlaceError(ValueError):
    """A ``place_ref`` that cannot be resolved; the message says what to write instead."""


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
    """

    def __init__(
        self, counties: gpd.GeoDataFrame, prefectures: gpd.GeoDataFrame, towns: gpd.GeoDataFrame
    ) -> None:
        for name, frame in (("counties", counties), ("prefectures", prefectures), ("towns", towns)):
            if frame.crs is None or frame.crs.to_epsg() != 4326:
                raise ValueError(f"`{name}` must be EPSG:4326; use `to_crs(4326)` first.")
        self.counties = counties.set_index("adcode")
        self.prefectures = prefectures.set_index("adcode")
        self.towns = towns.set_index("town_key")
        self.county_points = self.counties.geometry.representative_point()
        self.prefecture_points = self.prefectures.geometry.representative_point()
        self.parks: dict[str, Placement] = {}
        self.park_ids: dict[str, str] = {}

    def register_parks(self, parks: gpd.GeoDataFrame) -> None:
        """Make the parks (by ``name_zh`` and every alias) available to the ``park`` method."""
        for row in parks.itertuples(index=False):
            placement = Placement(
                row.geometry,
                row.precision,
                row.location_basis,
                _split(row.county_adcodes),
                _split(row.prefecture_adcodes),
            )
            for name in [row.name_zh, *_split(row.aliases_zh)]:
                self.parks[name] = placement
                self.park_ids[name] = row.feature_id

    def _units(self, codes: list[str], level: Literal["county", "prefecture"]) -> gpd.GeoDataFrame:
        table = self.counties if level == "county" else self.prefectures
        missing = [c for c in codes if c not in table.index]
        if missing or not codes:
            layer = "counties" if level == "county" else "prefectures"
            raise PlaceError(
                f"unknown {level} adcode(s) {', '.join(missing) or '(none given)'}; "
                f"use the Tianditu codes of the `{layer}` layer"
            )
        return table.loc[codes]

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
        codes = _split(ref)
        if method in ("county", "prefecture"):
            units = self._units(codes, method)  # type: ignore[arg-type]
            names = "、".join(units["name_zh"])
            if shape == "area":
                geometry = shapely.union_all(units.geometry.values)
                basis = f"{method} polygon of {names} ({';'.join(codes)})"
            else:
                points = (self.county_points if method == "county" else self.prefecture_points).loc[
                    codes
                ]
                geometry = points.iloc[0] if len(points) == 1 else shapely.MultiPoint(list(points))
                basis = (
                    f"representative point inside the {method} polygon of {names} "
                    f"({';'.join(codes)}); the site within the {method} is not known"
                )
            if method == "county":
                return Placement(
                    geometry, "county", basis, codes, sorted(set(units["prefecture_adcode"]))
                )
            return Placement(geometry, "prefecture", basis, [], codes)
        if method == "town":
            if ref not in self.towns.index:
                raise PlaceError(
                    f"town `{ref}` is not in the GeoNames gazetteer inside that county; "
                    "write `<GeoNames name>@<county adcode>` as in the `towns` layer, "
                    "or use `county`"
                )
            town = self.towns.loc[ref]
            basis = (
                f"town point {town['name']} from GeoNames cities1000, in {town['county_name_zh']}"
            )
            return Placement(
                town.geometry, "town", basis, [town["county_adcode"]], [town["prefecture_adcode"]]
            )
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

    def _line(self, codes: list[str]) -> Placement:
        if len(codes) < 2:
            raise PlaceError("`line` needs at least two adcodes in order")
        points, names = [], []
        for code in codes:
            if code in self.prefectures.index:
                points.append(self.prefecture_points.loc[code])
                names.append(self.prefectures.loc[code, "name_zh"])
            elif code in self.counties.index:
                points.append(self.county_points.loc[code])
                names.append(self.counties.loc[code, "name_zh"])
            else:
                raise PlaceError(f"unknown adcode `{code}` in line")
        basis = "schematic line through representative points of " + " → ".join(names)
        prefs = [c for c in codes if c in self.prefectures.index]
        return Placement(shapely.LineString(points), "schematic", basis, [], prefs)


def _split(cell: object) -> list[str]:
    """Split a `;`-separated cell into its non-empty parts."""
    if not isinstance(cell, str):
        return []
    return [part.strip() for part in cell.split(";") if part.strip()]
