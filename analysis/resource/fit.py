"""Resource fit of wind, PV and CSP sites: terrain, land cover, distances, zones, resource.

For every site: elevation, slope, IGBP land cover, geodesic distance to the nearest river and
town, the NDRC benchmark-tariff resource class of its prefecture (wind 2009, PV 2013: policy
classes, **not** measured resource), and the value of each resource raster the user supplies
(Global Solar Atlas, Global Wind Atlas, an interpolated station surface). No gridded resource
ships with Longtu, and a clear-sky irradiance model is never offered as one (it ranks the 68
Gansu stations' measured GHI at Spearman 0.15).

:func:`screen_sites` applies exclusions and penalties in the style of NREL reV / IRENA zoning from
an editable table (:func:`longtu.analysis.tables.screening_thresholds`, each row with its source)
and gives a 0-100 score with its reasons in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from longtu.analysis.distance import check_wgs84, nearest_distance_km
from longtu.analysis.io.rasters import UserRaster, read_notes, sample_raster
from longtu.analysis.resource.availability import check_layers_wgs84, resource_mean
from longtu.analysis.resource.screening import screen_sites
from longtu.analysis.resource.symbol_points import screen_group
from longtu.analysis.result import AnalysisResult
from longtu.analysis.tables import resource_zones, screening_thresholds

Technology = Literal["pv", "csp", "wind", "wind_solar"]
SCREENED_TECHNOLOGIES: tuple[str, ...] = ("wind", "pv", "csp", "wind_solar")
#: Layers :func:`run_resource_fit` reads from its `layers` mapping.
RESOURCE_LAYERS: tuple[str, ...] = (
    "energy_sites",
    "rivers",
    "towns",
    "terrain",
    "land_cover",
    "prefectures",
    "counties",
)
_PRECISION_NOTES: dict[str, tuple[str, str]] = {
    "county": ("数值取自县域代表点，非实测场址", "values at the county's symbol point, not a site"),
    "prefecture": (
        "数值取自市州代表点，非实测场址",
        "values at the prefecture's symbol point, not a site",
    ),
    "town": ("数值取自城镇点", "values at the town point"),
    "site": ("场址坐标", "site coordinates"),
}

__all__ = ["RESOURCE_LAYERS", "run_resource_fit", "screen_sites", "site_attributes"]


def _site_points(sites: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int, gpd.GeoDataFrame]:
    """One point per row part (MultiPoints exploded); areas at their representative point.

    Also returns the polygon of each part that is an area (None for points and lines), for the
    resource over the area.
    """
    placed = sites[~(sites.geometry.isna() | sites.geometry.is_empty)]
    n_unplaced = len(sites) - len(placed)
    points = placed.explode(index_parts=True)
    parts = points.index.get_level_values(-1)
    points = points.reset_index(drop=True)
    points["part"] = np.asarray(parts)
    is_polygon = points.geometry.geom_type == "Polygon"
    areas = gpd.GeoDataFrame(geometry=points.geometry.where(is_polygon, None), crs=points.crs)
    is_area = points.geometry.geom_type != "Point"
    points.loc[is_area, "geometry"] = points.geometry[is_area].representative_point()
    if "feature_id" not in points.columns:
        points["feature_id"] = [f"site_{i}" for i in range(len(points))]
    return points, n_unplaced, areas


def _site_values(
    raster: UserRaster, points: gpd.GeoDataFrame, areas: gpd.GeoDataFrame
) -> np.ndarray:
    """The raster at each site point; over an area site, the mean over its polygon."""
    values = sample_raster(raster, points)
    if areas.geometry.notna().any():
        over_area = resource_mean(raster, areas)
        values = np.where(np.isnan(over_area), values, over_area)
    return values


def _raster_columns(
    points: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, rasters: Sequence[UserRaster]
) -> None:
    """One column per raster (:attr:`UserRaster.column`) with :func:`_site_values`, in place."""
    for raster in rasters:
        points[raster.column] = _site_values(raster, points, areas)


def _join_polygons(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, columns: dict) -> None:
    """Copy `columns` (source -> target) of the polygon each point lies in, in place."""
    joined = gpd.sjoin(points[["geometry"]], polygons[[*columns, "geometry"]], how="left")
    joined = joined[~joined.index.duplicated(keep="first")]
    for source, target in columns.items():
        points[target] = joined[source].reindex(points.index)


def _zone_columns(points: gpd.GeoDataFrame, zones: pd.DataFrame) -> None:
    """Wind and PV resource class and tariff of each point's prefecture, in place."""
    for technology in ("wind", "pv"):
        table = zones[zones["technology"] == technology].set_index("prefecture_adcode")
        code = points["prefecture_adcode"]
        points[f"{technology}_zone_class"] = code.map(table["zone_class"]).fillna("unknown 未知")
        points[f"{technology}_tariff_cny_per_kwh"] = code.map(
            pd.to_numeric(table["tariff_cny_per_kwh"])
        )
    points["zone_note"] = (
        "policy tariff classes (发改价格〔2009〕1906号 wind, 〔2013〕1638号 PV), "
        "not measured resource 电价分区为政策分类，非实测资源"
    )


SITE_LAYERS = ("rivers", "towns", "terrain", "land_cover", "prefectures")
"""The base layers :func:`site_attributes` reads, under the names of its parameters."""


def site_layers(layers: Mapping[str, gpd.GeoDataFrame]) -> dict[str, gpd.GeoDataFrame]:
    """The :data:`SITE_LAYERS` of `layers`, as keyword arguments of :func:`site_attributes`."""
    return {name: layers[name] for name in SITE_LAYERS}


def site_attributes(
    sites: gpd.GeoDataFrame,
    *,
    rivers: gpd.GeoDataFrame,
    towns: gpd.GeoDataFrame,
    terrain: gpd.GeoDataFrame,
    land_cover: gpd.GeoDataFrame,
    prefectures: gpd.GeoDataFrame | None = None,
    resource_rasters: Sequence[UserRaster] | None = None,
    zones: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Terrain, land cover, distances, NDRC zone and resource values of each site.

    Parameters
    ----------
    sites
        Sites (EPSG:4326), e.g. ``load_layer("energy_sites")``; rows without geometry are
        skipped (their count is in ``attrs["n_unplaced"]``), MultiPoints give one row per point.
    rivers, towns, terrain, land_cover
        The base layers of the same names (``terrain`` cells with ``elevation_m``,
        ``slope_deg``; ``land_cover`` polygons with ``igbp_class``, ``name_zh``, ``name_en``).
    prefectures
        Prefecture polygons with ``adcode``; without them, the first code of the sites'
        ``prefecture_adcodes`` is used.
    resource_rasters
        User rasters; each adds a column named ``<name>_<unit>`` (e.g. ``ghi_kwh_m2_yr``): the
        value at a site point, the mean over an area site's polygon (zonal statistics at the
        raster's resolution, :func:`longtu.analysis.resource.availability.resource_mean`).
    zones
        Resource-zone table; default :func:`longtu.analysis.tables.resource_zones`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per site point with ``elevation_m``, ``slope_deg``, ``igbp_class``,
        ``igbp_name_zh``, ``igbp_name_en``, ``distance_to_river_km``, ``distance_to_town_km``,
        ``nearest_town``, ``prefecture_adcode``, ``wind_zone_class``,
        ``wind_tariff_cny_per_kwh``, ``pv_zone_class``, ``pv_tariff_cny_per_kwh``, one column
        per raster, ``precision`` and ``precision_note_zh`` / ``_en``.

    Examples
    --------
    >>> from longtu.layout import load_layer
    >>> base = {n: load_layer(n) for n in ("rivers", "towns", "terrain", "land_cover")}
    >>> sites = load_layer("energy_sites").query("feature_id == 'energy_minqin_pv_base'")
    >>> a = site_attributes(sites, prefectures=load_layer("prefectures"), **base)
    >>> a[["wind_zone_class", "pv_zone_class", "precision"]].values.tolist()
    [['III', 'I', 'county']]
    """
    check_layers_wgs84(
        sites=sites, rivers=rivers, towns=towns, terrain=terrain, land_cover=land_cover
    )
    points, n_unplaced, areas = _site_points(sites)
    _ground_columns(points, terrain, land_cover)
    _distance_columns(points, rivers, towns)
    _prefecture_columns(points, prefectures, zones)
    _raster_columns(points, areas, resource_rasters or ())
    _precision_columns(points)
    points.attrs["n_unplaced"] = n_unplaced
    return points


def _ground_columns(
    points: gpd.GeoDataFrame, terrain: gpd.GeoDataFrame, land_cover: gpd.GeoDataFrame
) -> None:
    """Elevation and slope of the terrain cell, IGBP class and names of the land cover, in place."""
    _join_polygons(points, terrain, {"elevation_m": "elevation_m", "slope_deg": "slope_deg"})
    _join_polygons(
        points,
        land_cover,
        {"igbp_class": "igbp_class", "name_zh": "igbp_name_zh", "name_en": "igbp_name_en"},
    )


def _distance_columns(
    points: gpd.GeoDataFrame, rivers: gpd.GeoDataFrame, towns: gpd.GeoDataFrame
) -> None:
    """Geodesic km to the nearest river and town, and the town's name, in place."""
    points["distance_to_river_km"] = nearest_distance_km(points, rivers, argument="rivers")[
        "distance_km"
    ].astype(float)
    to_town = nearest_distance_km(points, towns, argument="towns")
    points["distance_to_town_km"] = to_town["distance_km"].astype(float)
    points["nearest_town"] = towns["name"].reindex(to_town["target_index"]).to_numpy()


def _prefecture_columns(
    points: gpd.GeoDataFrame, prefectures: gpd.GeoDataFrame | None, zones: pd.DataFrame | None
) -> None:
    """Each point's prefecture (without polygons, its first listed code) and zones, in place."""
    if prefectures is not None:
        check_wgs84(prefectures, "prefectures")
        _join_polygons(points, prefectures, {"adcode": "prefecture_adcode"})
    else:
        codes = points.get("prefecture_adcodes", pd.Series("", index=points.index))
        points["prefecture_adcode"] = codes.fillna("").astype(str).str.split(";").str[0]
    _zone_columns(points, resource_zones() if zones is None else zones)


def _precision_columns(points: gpd.GeoDataFrame) -> None:
    """How precisely each point is placed (``site`` if not said), with a note in both languages."""
    precision = points.get("precision", pd.Series("site", index=points.index)).fillna("site")
    points["precision"] = precision
    points["precision_note_zh"] = precision.map(lambda p: _PRECISION_NOTES.get(p, ("", ""))[0])
    points["precision_note_en"] = precision.map(lambda p: _PRECISION_NOTES.get(p, ("", ""))[1])


def _raster_table(rasters: Sequence[UserRaster]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "column": r.column,
                "name": r.name,
                "unit": r.unit,
                "kind": r.kind,
                "source": r.source,
                "resampling": r.tags.get("resampling", ""),
            }
            for r in rasters
        ],
        columns=["column", "name", "unit", "kind", "source", "resampling"],
    )


def _summary(screened: gpd.GeoDataFrame, n_unplaced: int, rasters: Sequence[UserRaster]) -> dict:
    n_sites, n_excluded = len(screened), int(screened["excluded"].sum())
    n_approx = int(screened["precision"].isin(["county", "prefecture"]).sum())
    assessed = ", ".join(r.column for r in rasters) if rasters else "none"
    numbers: dict[str, float | int | str] = {
        "n_site_points": n_sites,
        "n_excluded": n_excluded,
        "n_at_county_or_prefecture_symbol_point": n_approx,
        "n_unplaced_skipped": n_unplaced,
        "mean_score_0_100": round(float(screened["score"].mean()), 1) if n_sites else "unknown",
        "resource_rasters": assessed,
    }
    for tech, group in screened.groupby("screened_as"):
        numbers[f"mean_score_{tech}_0_100"] = round(float(group["score"].mean()), 1)
    resource_zh = "已评估资源栅格 " + assessed if rasters else "未提供资源栅格：资源未评估"
    resource_en = "resource rasters: " + assessed if rasters else "no resource raster supplied: "
    resource_en += "" if rasters else "resource not assessed"
    zh = (
        f"{n_sites} 个风光热场址点中 {n_excluded} 个被排除（坡度、土地覆被、距城镇）；"
        f"{n_approx} 个为县/市代表点而非实际场址，按其县/市域可用面积筛选；{resource_zh}。"
    )
    en = (
        f"{n_excluded} of {n_sites} wind/PV/CSP site points excluded (slope, land cover, "
        f"distance to towns); {n_approx} are county/prefecture symbol points, not sites, "
        f"screened by the available area of their unit; {resource_en}."
    )
    note_zh, note_en = read_notes(rasters)
    return {"numbers": numbers, "summary_zh": zh + note_zh, "summary_en": en + note_en}


def run_resource_fit(
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    resource_rasters: Sequence[UserRaster] | None = None,
    thresholds: pd.DataFrame | None = None,
) -> AnalysisResult:
    """Resource fit of the plan's wind, PV, CSP and wind-solar sites.

    Parameters
    ----------
    layers
        Mapping with the layers named in :data:`RESOURCE_LAYERS`
        (``{n: load_layer(n) for n in RESOURCE_LAYERS}``).
    resource_rasters
        User rasters (:func:`longtu.analysis.io.rasters.read_user_raster`); none ship with Longtu.
    thresholds
        Screening table; default :func:`longtu.analysis.tables.screening_thresholds`.

    Returns
    -------
    AnalysisResult
        Tables ``sites`` (GeoDataFrame, screened), ``resource_zones``, ``thresholds`` and
        ``rasters``; numbers and a one-line summary in Chinese and English. Sites at a
        county or prefecture symbol point are screened by the unit's available area
        (``unit_available_km2``, ``unit_available_share_pct``); their resource columns hold
        the mean over that area, the value at the point is kept as ``<column>_at_symbol_point``.

    Examples
    --------
    >>> from longtu.layout import load_layer
    >>> result = run_resource_fit({n: load_layer(n) for n in RESOURCE_LAYERS})
    >>> result.numbers["resource_rasters"], result.name
    ('none', 'resource')
    """
    _check_layers(layers)
    resource_rasters = list(resource_rasters or ())
    table = screening_thresholds() if thresholds is None else thresholds
    zones = resource_zones()
    all_sites = layers["energy_sites"]
    sites = all_sites[all_sites["technology"].isin(SCREENED_TECHNOLOGIES)]
    screened, n_unplaced = _screened_sites(sites, layers, zones, table, resource_rasters)
    info = _summary(screened, n_unplaced, resource_rasters)
    info["numbers"]["n_other_energy_sites_not_screened"] = len(all_sites) - len(sites)
    return AnalysisResult(
        name="resource",
        **info,
        tables={
            "sites": screened,
            "resource_zones": zones,
            "thresholds": table,
            "rasters": _raster_table(resource_rasters),
        },
        parameters={
            "technologies": list(SCREENED_TECHNOLOGIES),
            "resource_rasters": [r.column for r in resource_rasters],
        },
    )


def _check_layers(layers: Mapping[str, gpd.GeoDataFrame]) -> None:
    """Refuse `layers` that lack any of :data:`RESOURCE_LAYERS`, naming every one missing."""
    missing = [name for name in RESOURCE_LAYERS if name not in layers]
    if missing:
        raise KeyError(f"`layers` lacks {', '.join(missing)}; pass load_layer(name) for each.")


def _screened_sites(
    sites: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    zones: pd.DataFrame,
    table: pd.DataFrame,
    rasters: Sequence[UserRaster],
) -> tuple[gpd.GeoDataFrame, int]:
    """The sites' attributes screened per technology (in site order), and how many unplaced."""
    attrs = site_attributes(sites, **site_layers(layers), resource_rasters=rasters, zones=zones)
    parts = [
        screen_group(group, tech, layers, table, rasters)
        for tech, group in attrs.groupby("technology")
    ]
    screened = gpd.GeoDataFrame(pd.concat(parts), crs=attrs.crs).sort_index()
    return screened, attrs.attrs.get("n_unplaced", 0)
