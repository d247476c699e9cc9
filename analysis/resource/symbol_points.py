"""Screening of sites placed at a county's or prefecture's symbol point, by the unit's area.

Most plan energy sites are placed at their county's or prefecture's symbol point (its seat),
where slope, land cover and the distance to a town describe the seat, not a site. Such sites
are screened by the area of their unit that passes the exclusions
(:func:`longtu.analysis.resource.availability.available_area`): a unit with none left excludes
the site, and a resource raster counts by its mean over the available area, the value at the
point kept beside it as ``<column>_at_symbol_point``. Sites placed on the ground are screened
at their point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from longtu.analysis.io.rasters import UserRaster
from longtu.analysis.resource.availability import available_area
from longtu.analysis.resource.screening import Technology, screen_sites

#: Criteria that describe the ground at a point; at a symbol point they are replaced by the
#: unit's available area (:func:`longtu.analysis.resource.availability.available_area`).
_POINT_CRITERIA = (
    "slope_max",
    "land_cover_excluded",
    "land_cover_penalised",
    "distance_to_town_min",
)


def _unit_availability(
    technology: str, layers: Mapping, table: pd.DataFrame, rasters: Sequence[UserRaster]
) -> dict[str, pd.DataFrame]:
    """Available area per county and per prefecture (county results summed)."""
    counties = layers["counties"]
    county = available_area(
        counties,
        technology=technology,
        terrain=layers["terrain"],
        land_cover=layers["land_cover"],
        towns=layers["towns"],
        thresholds=table,
        resource_rasters=rasters,
    )
    county["adcode"] = counties["adcode"].to_numpy()
    county["prefecture_adcode"] = counties["prefecture_adcode"].to_numpy()
    means = [c for c in county.columns if c.endswith("_mean_available")]
    weighted = (
        county[means]
        .mul(county["available_km2"], axis=0)
        .assign(
            available_km2=county["available_km2"],
            grid_area_km2=county["grid_area_km2"],
            prefecture_adcode=county["prefecture_adcode"],
        )
    )
    prefecture = weighted.groupby("prefecture_adcode").sum()
    for column in means:
        prefecture[column] = prefecture[column] / prefecture["available_km2"].replace(0, np.nan)
    prefecture["available_share_pct"] = (
        100 * prefecture["available_km2"] / prefecture["grid_area_km2"]
    )
    return {"county": county.set_index("adcode"), "prefecture": prefecture}


def screen_group(
    group: gpd.GeoDataFrame,
    technology: Technology,
    layers: Mapping,
    table: pd.DataFrame,
    rasters: Sequence[UserRaster],
) -> pd.DataFrame:
    """Screen points on the ground; screen symbol points by their unit's available area."""
    symbol = group["precision"].isin(["county", "prefecture"])
    parts = []
    if (~symbol).any():
        on_ground = screen_sites(group[~symbol], technology=technology, thresholds=table)
        parts.append(on_ground.assign(screening_basis="site point 场址点"))
    if symbol.any():
        rows = group[symbol].copy()
        units = _unit_availability(technology, layers, table, rasters)
        county_code = _county_of(rows, layers["counties"])
        rows["unit_adcode"] = np.where(
            rows["precision"] == "county", county_code, rows["prefecture_adcode"]
        )
        for kind in ("county", "prefecture"):
            mask = rows["precision"] == kind
            unit = units[kind].reindex(rows.loc[mask, "unit_adcode"])
            for column in ["available_km2", "available_share_pct"]:
                rows.loc[mask, f"unit_{column}"] = unit[column].to_numpy()
            for raster in rasters:  # the resource over the available area replaces the point
                if f"{raster.column}_at_symbol_point" not in rows.columns:
                    rows[f"{raster.column}_at_symbol_point"] = rows[raster.column]
                mean = unit[f"{raster.column}_mean_available"].to_numpy()
                rows.loc[mask, raster.column] = mean
        if rasters:
            rows["resource_basis"] = "mean over the unit's available area 县/市州可用面积均值"
        resource_rules = table[~table["criterion"].isin(_POINT_CRITERIA)]
        screened = screen_sites(rows, technology=technology, thresholds=resource_rules)
        parts.append(_apply_unit_exclusion(screened))
    return pd.concat(parts)


def _county_of(points: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> np.ndarray:
    joined = gpd.sjoin(points[["geometry"]], counties[["adcode", "geometry"]], how="left")
    return joined[~joined.index.duplicated()]["adcode"].reindex(points.index).to_numpy()


def _apply_unit_exclusion(screened: pd.DataFrame) -> pd.DataFrame:
    out = screened.copy()
    none_left = out["unit_available_km2"].fillna(0) <= 0
    share = out["unit_available_share_pct"]
    km2 = out["unit_available_km2"]
    zh = [
        f"代表点：按{'县' if p == 'county' else '市州'}域筛选，可用面积 {a:,.0f} km²（{s:.0f}%）"
        for p, a, s in zip(out["precision"], km2, share, strict=True)
    ]
    en = [
        f"symbol point: screened over the {p}, {a:,.0f} km² ({s:.0f}%) passes the exclusions"
        for p, a, s in zip(out["precision"], km2, share, strict=True)
    ]
    out["reasons_zh"] = [f"{a}；{b}" for a, b in zip(zh, out["reasons_zh"], strict=True)]
    out["reasons_en"] = [f"{a}; {b}" for a, b in zip(en, out["reasons_en"], strict=True)]
    out.loc[none_left, "excluded"] = True
    out.loc[none_left, "score"] = 0.0
    out["screening_basis"] = "unit available area 县/市州可用面积"
    return out
