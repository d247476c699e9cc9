"""Where each energy base of the plan is placed, as a region to count real plants in.

The plans place most bases on a county or a prefecture, not on a site: the map's symbol is the
seat, and the base is somewhere in the unit. So a base is set against the plants inside the
polygon it is placed on: its own polygon when the plan layer gives one, else the union of its
counties (precision ``county``) or prefectures (``prefecture``); a base placed to a site or town
(a point) is counted in the county that holds it. Each region says which it is, in words.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from longtu.layout.places import split_list

COMPARED_TECHNOLOGIES: dict[str, tuple[str, ...]] = {
    "wind": ("wind",),
    "pv": ("pv",),
    "csp": ("csp",),
    "wind_solar": ("wind", "pv", "csp"),
}
"""Technology of a plan base -> the plant technologies it is set against."""

REGION_KINDS: dict[str, tuple[str, str]] = {
    "polygon": ("规划范围", "the plan's own outline"),
    "county": ("所在县区", "its counties"),
    "prefecture": ("所在市州", "its prefectures"),
    "point_county": ("点位所在县区", "the county holding its point"),
    "none": ("无（规划未给出位置）", "none (the plan gives no place)"),
}
"""How a base's region was chosen -> (Chinese, English)."""


def _units(codes: list[str], units: gpd.GeoDataFrame) -> tuple[object, str, str]:
    chosen = units[units["adcode"].astype(str).isin(codes)]
    geometry = shapely.union_all(chosen.geometry.to_numpy()) if len(chosen) else None
    names_zh = "、".join(chosen["name_zh"].astype(str))
    names_en = ", ".join(chosen["name_en"].astype(str))
    return geometry, names_zh, names_en


def _region(site: pd.Series, counties: gpd.GeoDataFrame, prefectures: gpd.GeoDataFrame):
    """(geometry, kind, names_zh, names_en) of one base's placement region."""
    geom = site.geometry if isinstance(site.geometry, BaseGeometry) else None
    if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom, "polygon", str(site.get("name_zh", "")), str(site.get("name_en", ""))
    precision = str(site.get("precision", ""))
    if precision in ("county", "prefecture"):
        field = "county_adcodes" if precision == "county" else "prefecture_adcodes"
        units = counties if precision == "county" else prefectures
        region, zh, en = _units(split_list(site.get(field, "")), units)
        return region, precision, zh, en
    if geom is not None and not geom.is_empty:
        holding = counties[counties.geometry.covers(geom.representative_point())]
        region, zh, en = _units(holding["adcode"].astype(str).tolist(), counties)
        return region, "point_county", zh, en
    return None, "none", "", ""


def placement_regions(
    sites: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, prefectures: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """The wind, PV and CSP bases of the plan with the region each is counted in.

    Parameters
    ----------
    sites
        The ``energy_sites`` layer (``technology``, ``precision``, ``county_adcodes``,
        ``prefecture_adcodes``, geometry).
    counties, prefectures
        The base layers (``adcode``, ``name_zh``, ``name_en``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per base compared: the site's ``name_zh``, ``name_en``, ``technology``,
        ``precision``, ``capacity_class_zh``, ``status``, ``region_kind`` and the region's names
        (``placement_region_zh``, ``placement_region_en``); geometry is the region (None when
        the plan gives no place).

    Examples
    --------
    >>> from longtu.layout import load_layer
    >>> sites = gpd.GeoDataFrame({"name_zh": ["民勤风电"], "name_en": ["Minqin wind"],
    ...     "technology": ["wind"], "precision": ["county"], "county_adcodes": ["620621"],
    ...     "prefecture_adcodes": ["620600"]}, geometry=[shapely.Point(103.1, 38.6)], crs=4326)
    >>> out = placement_regions(sites, load_layer("counties"), load_layer("prefectures"))
    >>> out[["region_kind", "placement_region_zh"]].values.tolist()
    [['county', '民勤县']]
    """
    compared = sites[sites["technology"].isin(list(COMPARED_TECHNOLOGIES))]
    rows = [_region(site, counties, prefectures) for _, site in compared.iterrows()]
    keep = ["name_zh", "name_en", "technology", "precision", "capacity_class_zh", "status"]
    frame = pd.DataFrame(compared.reindex(columns=keep)).reset_index(drop=True)
    frame["region_kind"] = [kind for _, kind, _, _ in rows]
    frame["placement_region_zh"] = [zh for _, _, zh, _ in rows]
    frame["placement_region_en"] = [en for _, _, _, en in rows]
    return gpd.GeoDataFrame(frame, geometry=[g for g, _, _, _ in rows], crs=sites.crs)
