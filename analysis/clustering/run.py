"""Is industry clustered where the plan says it is? Measured clusters against designated ones.

:func:`run_clustering` ties together the statistics of
:mod:`longtu.analysis.clustering.point_pattern` (Clark-Evans, Ripley's L, DBSCAN, kernel density),
:mod:`longtu.analysis.clustering.colocation` (location and co-location quotients, Moran's I) and
:mod:`longtu.analysis.clustering.designated` (the plan's named groupings against measured clusters)
on the plan layers.

Every distance is geodesic (WGS84 ellipsoid), every area equal-area; every p-value from
simulations or permutations counts ties, and the summaries say which test and how many
permutations or simulations.

Precision limits everything here: most parks are placed at a county or prefecture point, not a
site, so many parks share one point. Coincident points are never jittered or merged; they are
counted, and statistics are reported both for all parks and for their distinct locations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import stats

from longtu import settings
from longtu.analysis.clustering.colocation import (
    INDUSTRY_GROUPS,
    colocation_quotients,
    industry_membership,
    location_quotients,
)
from longtu.analysis.clustering.designated import (
    designated_groupings,
    designated_vs_measured,
    summarize_clusters,
)
from longtu.analysis.clustering.moran import moran_by_county
from longtu.analysis.clustering.point_pattern import (
    PointPatternInputError,
    clark_evans,
    dbscan_clusters,
    kernel_density,
    projected_xy,
    ripley_l,
)
from longtu.analysis.clustering.summary import clustering_numbers, clustering_summaries
from longtu.analysis.result import AnalysisResult
from longtu.layout.catalog import layer_title_zh
from longtu.layout.plan import split_list


def park_points(parks: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """One point per placed park, and the parks left out with the reason.

    A Point is kept as placed. A MultiPoint (a park placed in several counties of one
    prefecture, e.g. 兰州新区 in 永登县 and 皋兰县) becomes the centroid of its points, computed in
    the equal-area CRS. Rows with no geometry (unplaced) or whose points span several prefectures
    (collective rows such as "酒泉、武威、天水、平凉省级应急产业示范基地") are left out.

    Parameters
    ----------
    parks
        The ``parks`` layer (EPSG:4326).

    Returns
    -------
    points : geopandas.GeoDataFrame
        A copy of the kept rows with Point geometry and ``point_basis`` (``placed point`` or
        ``centroid of the park's county points``).
    left_out : pandas.DataFrame
        ``feature_id``, ``name_zh``, ``reason``.

    Examples
    --------
    >>> from shapely.geometry import MultiPoint, Point
    >>> rows = gpd.GeoDataFrame({"feature_id": ["a", "b", "c"], "name_zh": ["甲", "乙", "丙"],
    ...     "prefecture_adcodes": ["620100", "620100", "620100;620400"]},
    ...     geometry=[Point(103, 36), None, MultiPoint([(103, 36), (104, 36.5)])], crs=4326)
    >>> points, left_out = park_points(rows)
    >>> points["feature_id"].tolist(), left_out["reason"].str[:8].tolist()
    (['a'], ['unplaced', 'spans 2 '])
    """
    if parks.crs is None:
        raise PointPatternInputError(
            f"`parks` has no CRS; pass the `parks` layer ({settings.storage_crs}).",
            zh=f"园区图层未注明坐标系；请使用规划的园区图层（{settings.storage_crs}）。",
        )
    geoms = parks.geometry
    n_prefectures = parks["prefecture_adcodes"].map(lambda v: len(split_list(v)))
    unplaced = geoms.isna() | geoms.is_empty
    multi = ~unplaced & (geoms.geom_type == "MultiPoint")
    spans = multi & (n_prefectures > 1)
    reasons = pd.Series("", index=parks.index)
    reasons[unplaced] = "unplaced: the plans give no place / 规划未给出位置"
    reasons[spans] = (
        "spans " + n_prefectures[spans].astype(str) + " prefectures: a collective row / 跨多个市州"
    )
    left_out = parks.loc[reasons != "", ["feature_id", "name_zh"]].assign(reason=reasons)
    points = parks[reasons == ""].copy()
    centroids = points.geometry.to_crs(settings.equal_area_crs).centroid.to_crs(parks.crs)
    is_multi = points.geom_type == "MultiPoint"
    points["point_basis"] = np.where(
        is_multi, "centroid of the park's county points", "placed point"
    )
    points.loc[is_multi, "geometry"] = centroids[is_multi]
    return points, left_out.reset_index(drop=True)


REQUIRED_LAYERS = ("parks", "economic_zones", "industrial_bases", "province", "counties")


def _location_counts(points: gpd.GeoDataFrame) -> pd.Series:
    keys = pd.Series([tuple(xy) for xy in projected_xy(points).round(0)], index=points.index)
    return keys.map(keys.value_counts())


def _point_sets(points: gpd.GeoDataFrame) -> tuple[tuple[str, gpd.GeoDataFrame], ...]:
    return (("all parks", points), ("distinct locations", points.drop_duplicates("geometry")))


def _clark_evans_table(points: gpd.GeoDataFrame, province: gpd.GeoDataFrame) -> pd.DataFrame:
    rows = [
        {"points": label} | vars(clark_evans(subset, study_area=province))
        for label, subset in _point_sets(points)
    ]
    return pd.DataFrame(rows)


def _ripley_table(
    points: gpd.GeoDataFrame,
    province: gpd.GeoDataFrame,
    *,
    distances_km: Sequence[float],
    n_simulations: int,
    seed: int,
) -> pd.DataFrame:
    tables = [
        ripley_l(
            subset, study_area=province, distances_km=list(distances_km),
            n_simulations=n_simulations, seed=seed,
        ).assign(points=label)
        for label, subset in _point_sets(points)
    ]  # fmt: skip
    table = pd.concat(tables, ignore_index=True)
    return table[["points", *table.columns[:-1]]]


def _colocation_table(points: gpd.GeoDataFrame, *, n_permutations: int, seed: int) -> pd.DataFrame:
    counts = points["industry_groups"].map(split_list).explode().value_counts()
    groups = sorted(counts[counts >= 3].index)
    tables = [
        colocation_quotients(
            points, a, b, column="industry_groups", n_permutations=n_permutations, seed=seed
        )
        for i, a in enumerate(groups)
        for b in groups[i + 1 :]
    ]
    if not tables:
        return pd.DataFrame()
    table = pd.concat(tables, ignore_index=True)
    # Many pairs are tested at once: Benjamini-Hochberg q-values across the whole table.
    for side in ("greater", "less"):
        table[f"q_value_{side}"] = stats.false_discovery_control(table[f"p_value_{side}"])
    return table


def _county_park_density(parks: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> pd.Series:
    """County-precision parks per 10,000 km² of county area (a park in k counties: 1/k each)."""
    at_county = parks[parks["precision"] == "county"]
    share = at_county["county_adcodes"].map(split_list)
    weights = pd.Series(
        [1 / len(items) for items in share for _ in items],
        index=[code for items in share for code in items],
        dtype=float,
    )
    count = weights.groupby(level=0).sum().reindex(counties["adcode"], fill_value=0.0)
    return count / counties.set_index("adcode")["area_km2"] * 1e4


def _check_layers(layers: Mapping[str, pd.DataFrame]) -> None:
    missing = [name for name in REQUIRED_LAYERS if name not in layers]
    if missing:
        raise PointPatternInputError(
            f"`layers` lacks {', '.join(missing)}; pass "
            "`{**plan_layers(), 'province': load_layer('province'), "
            "'counties': load_layer('counties')}`."
        )
    crs = {name: str(layers[name].crs) for name in REQUIRED_LAYERS}
    if len(set(crs.values())) != 1:
        raise PointPatternInputError(
            f"`layers` mix CRSs {crs}; reproject with `to_crs()`.",
            zh="各图层的坐标系不一致（"
            + "，".join(f"{layer_title_zh(n)} {c}" for n, c in crs.items())
            + "）；请先转换到同一坐标系。",
        )


def _select_parks(
    parks: gpd.GeoDataFrame,
    groups: Mapping[str, Sequence[str]],
    industry_group: str | None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    points, left_out = park_points(parks)
    member = industry_membership(points, industry_groups=groups)
    points["industry_groups"] = member.apply(lambda row: ";".join(row.index[row]), axis=1)
    if industry_group is not None:
        if industry_group not in member.columns:
            raise PointPatternInputError(
                f"`industry_group` {industry_group!r} is not one of {list(member.columns)}.",
                zh=f"没有产业组 {industry_group!r}；请从 {'、'.join(member.columns)} 中选择。",
            )
        points = points[member[industry_group]].copy()
    points["n_parks_at_location"] = _location_counts(points)
    return points, left_out


def _region_names(layers: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    zones, counties = layers["economic_zones"], layers["counties"]
    names = dict(zip(zones["feature_id"], zones["name_zh"], strict=True))
    names |= dict(zip(counties["prefecture_adcode"], counties["prefecture_name_zh"], strict=True))
    return names


def run_clustering(
    layers: Mapping[str, pd.DataFrame],
    *,
    eps_km: float = 50.0,
    min_samples: int = 3,
    distances_km: Sequence[float] = (10, 25, 50, 100, 200, 300),
    bandwidth_km: float = 50.0,
    cell_km: float = 10.0,
    n_simulations: int = 999,
    n_permutations: int = 999,
    seed: int = 0,
    min_share: float = 0.5,
    industry_groups: Mapping[str, Sequence[str]] = INDUSTRY_GROUPS,
    industry_group: str | None = None,
) -> AnalysisResult:
    """Clustering of the plan's parks: point pattern, clusters, LQ, CLQ, Moran, plan vs measured.

    Defaults are this project's choices, not the plan's; each is a parameter recorded in the result.

    Parameters
    ----------
    layers
        ``parks``, ``economic_zones``, ``industrial_bases`` (plan layers), ``province`` (study
        area) and ``counties`` (Moran's I), all EPSG:4326.
    eps_km, min_samples
        DBSCAN radius (km) and minimum points.
    distances_km, n_simulations
        Ripley's L distances and CSR simulations (:func:`~.point_pattern.ripley_l`).
    bandwidth_km, cell_km
        Kernel density bandwidth and cell size.
    n_permutations, seed
        Permutations for CLQ and for global and local Moran, and the seed of every random draw.
    min_share
        Share threshold of :func:`designated_vs_measured`.
    industry_groups, industry_group
        Industry grouping (:data:`~.colocation.INDUSTRY_GROUPS`), and one group to which
        point-pattern statistics, DBSCAN, density and the comparison are restricted (LQ, CLQ and
        Moran always use every park).

    Returns
    -------
    AnalysisResult
        Tables ``parks``, ``parks_left_out``, ``clusters``, ``clark_evans``, ``ripley_l``,
        ``designated_vs_measured``, ``location_quotients_prefecture``, ``location_quotients_zone``,
        ``colocation_quotients``, ``moran_local``; raster ``park_density``.

    Examples
    --------
    >>> from longtu.layout import load_layer, plan_layers
    >>> layers = {**plan_layers(), **{n: load_layer(n) for n in ("province", "counties")}}
    >>> result = run_clustering(layers, n_simulations=9, n_permutations=9)
    >>> result.numbers["n_distinct_locations"] < result.numbers["n_parks_used"]
    True
    """
    parameters = {
        "eps_km": eps_km, "min_samples": min_samples, "distances_km": list(distances_km),
        "bandwidth_km": bandwidth_km, "cell_km": cell_km, "n_simulations": n_simulations,
        "n_permutations": n_permutations, "seed": seed, "min_share": min_share,
    }  # fmt: skip
    return _clustering(layers, parameters, industry_groups, industry_group)


def _clustering(
    layers: Mapping[str, pd.DataFrame],
    parameters: dict[str, Any],
    groups: Mapping[str, Sequence[str]],
    industry_group: str | None,
) -> AnalysisResult:
    """Check `layers`; then every table, the density raster, the numbers and the summary."""
    _check_layers(layers)
    p = parameters | {
        "industry_group": industry_group or "all",
        "parameter_basis": "Longtu defaults for county-level placement, not from the plan",
    }
    points, left_out = _select_parks(layers["parks"], groups, industry_group)
    tables = _cluster_tables(
        layers, points, eps_km=p["eps_km"], min_samples=p["min_samples"],
        min_share=p["min_share"], industry_groups=groups,
    )  # fmt: skip
    study, seed = layers["province"], p["seed"]
    tables |= {
        "parks_left_out": left_out,
        "clark_evans": _clark_evans_table(points, study),
        "ripley_l": _ripley_table(
            points, study, distances_km=p["distances_km"], n_simulations=p["n_simulations"],
            seed=seed,
        ),
    }  # fmt: skip
    tables |= _industry_tables(layers, groups, n_permutations=p["n_permutations"], seed=seed)
    density_by_county = _county_park_density(layers["parks"], layers["counties"])
    moran = moran_by_county(
        density_by_county, layers["counties"], n_permutations=p["n_permutations"], seed=seed
    )
    tables["moran_local"] = moran.local
    density = kernel_density(
        points, bandwidth_km=p["bandwidth_km"], cell_km=p["cell_km"], study_area=study
    )
    numbers = clustering_numbers(
        tables,
        moran,
        p,
        n_parks_total=len(layers["parks"]),
        n_county_parks=int((layers["parks"]["precision"] == "county").sum()),
    )
    zh, en = clustering_summaries(numbers)
    return AnalysisResult(
        name="clustering", summary_zh=zh, summary_en=en, numbers=numbers, tables=tables,
        rasters={"park_density": density}, parameters=p,
    )  # fmt: skip


def _cluster_tables(
    layers: Mapping[str, pd.DataFrame],
    points: gpd.GeoDataFrame,
    *,
    eps_km: float,
    min_samples: int,
    min_share: float,
    industry_groups: Mapping[str, Sequence[str]],
) -> dict[str, pd.DataFrame]:
    labelled = dbscan_clusters(points, eps_km=eps_km, min_samples=min_samples)
    clusters = summarize_clusters(labelled, min_samples=min_samples)
    groupings = designated_groupings(
        layers["economic_zones"],
        layers["industrial_bases"],
        labelled,
        industry_groups=industry_groups,
    )
    compared = designated_vs_measured(labelled, groupings, clusters, min_share=min_share)
    return {"parks": labelled, "clusters": clusters, "designated_vs_measured": compared}


def _industry_tables(
    layers: Mapping[str, pd.DataFrame],
    groups: Mapping[str, Sequence[str]],
    *,
    n_permutations: int,
    seed: int,
) -> dict[str, pd.DataFrame]:
    parks, names = layers["parks"], _region_names(layers)
    tables = {}
    for by in ("prefecture", "zone"):
        table = location_quotients(parks, by=by, industry_groups=groups)
        table.insert(1, "region_name_zh", table["region"].map(names))
        tables[f"location_quotients_{by}"] = table
    points, _ = _select_parks(parks, groups, None)
    tables["colocation_quotients"] = _colocation_table(
        points, n_permutations=n_permutations, seed=seed
    )
    return tables
