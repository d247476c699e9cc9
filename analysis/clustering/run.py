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
from longtu.analysis.clustering.moran import MoranResult, moran_by_county
from longtu.analysis.clustering.point_pattern import (
    PointPatternInputError,
    clark_evans,
    dbscan_clusters,
    kernel_density,
    projected_xy,
    ripley_l,
)
from longtu.analysis.result import AnalysisResult
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
            f"`parks` has no CRS; pass the `parks` layer ({settings.storage_crs})."
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
        raise PointPatternInputError(f"`layers` mix CRSs {crs}; reproject with `to_crs()`.")


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
                f"`industry_group` {industry_group!r} is not one of {list(member.columns)}."
            )
        points = points[member[industry_group]].copy()
    points["n_parks_at_location"] = _location_counts(points)
    return points, left_out


def _region_names(layers: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    zones, counties = layers["economic_zones"], layers["counties"]
    names = dict(zip(zones["feature_id"], zones["name_zh"], strict=True))
    names |= dict(zip(counties["prefecture_adcode"], counties["prefecture_name_zh"], strict=True))
    return names


def _p(p: float) -> str:
    """A p-value as read in a summary: ``p<0.001`` or three decimals.

    Examples
    --------
    >>> _p(4.08e-27), _p(0.2781)
    ('p<0.001', 'p=0.278')
    """
    return "p<0.001" if p < 0.001 else f"p={p:.3f}"


def _distances(listed: str, sep: str) -> str:
    """``10;25;50`` as ``10、25、50`` (or ``10, 25, 50``); ``none`` as a word."""
    parts = [d for d in str(listed).split(";") if d and d != "none"]
    if not parts:
        return "无距离" if sep == "、" else "no distance"
    return sep.join(parts)


def _summaries(n: dict) -> tuple[str, str]:
    zh = (
        f"{n['n_parks_used']} 个已定位园区只落在 {n['n_distinct_locations']} 个点位"
        "（县或市州代表点，非厂址）；距离均按 WGS84 椭球面测地线计算。"
        f"Clark-Evans R={n['clark_evans_r_all']:.2f}（正态检验 {_p(n['clark_evans_p_all'])}），"
        f"按不同点位 R={n['clark_evans_r_distinct']:.2f}（{_p(n['clark_evans_p_distinct'])}）；"
        f"Ripley L 函数（{n['n_simulations']} 次随机模拟，逐距离检验）在 "
        f"{_distances(n['ripley_l_clustered_distances_km_all'], '、')} km 呈集聚；"
        f"DBSCAN（{n['eps_km']:g} km，{n['min_samples']} 个）测得 {n['n_clusters']} 个集聚，"
        f"其中 {n['n_clusters_needing_coincident_points']} 个仅因共用点位而成；"
        f"规划分组 {n['n_designated']} 个中 {n['n_designated_not_clusters']} 个不是测得集聚，"
        f"{n['n_measured_unnamed']} 个测得集聚规划未命名；"
        f"按县定位的园区密度 Moran's I={n['moran_i']:.2f}"
        f"（置换检验 {n['n_permutations']} 次，双侧 {_p(n['moran_p'])}）；"
        f"局部 Moran：{n['n_counties_not_testable']} 个县与相邻县取值相同、无法检验，"
        f"其余经 FDR 校正后 {n['n_counties_significant']} 个显著。"
        "定位精度限制了本分析。"
    )
    en = (
        f"{n['n_parks_used']} placed parks sit on only {n['n_distinct_locations']} points (county "
        "or prefecture points, not sites); all distances are geodesic on the WGS84 ellipsoid. "
        f"Clark-Evans R={n['clark_evans_r_all']:.2f} (normal test {_p(n['clark_evans_p_all'])}),"
        f" R={n['clark_evans_r_distinct']:.2f} over distinct locations "
        f"({_p(n['clark_evans_p_distinct'])}); Ripley's L ({n['n_simulations']} CSR "
        "simulations, pointwise test) is clustered at "
        f"{_distances(n['ripley_l_clustered_distances_km_all'], ', ')} km; "
        f"DBSCAN ({n['eps_km']:g} km, "
        f"{n['min_samples']} points) finds {n['n_clusters']} clusters, "
        f"{n['n_clusters_needing_coincident_points']} only because parks share points; "
        f"{n['n_designated_not_clusters']} of {n['n_designated']} designated groupings are not "
        f"measured clusters and {n['n_measured_unnamed']} measured clusters are not named by the "
        "plan; density of county-placed parks "
        f"Moran's I={n['moran_i']:.2f} ({n['moran_test']}: {_p(n['moran_p'])}); local "
        f"Moran: {n['n_counties_not_testable']} counties equal all their neighbours and cannot "
        f"be tested, {n['n_counties_significant']} of the rest significant after FDR. "
        "Placement precision limits this analysis."
    )
    return zh, en


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

    Defaults (`eps_km`, `min_samples`, `bandwidth_km`, `min_share`…) are this project's choices,
    not the plan's; every one is a parameter and is recorded in the result.

    Parameters
    ----------
    layers
        ``parks``, ``economic_zones``, ``industrial_bases`` (plan layers), ``province`` (study
        area) and ``counties`` (Moran's I), all EPSG:4326.
    eps_km, min_samples
        DBSCAN radius (km) and minimum points.
    distances_km, n_simulations
        Ripley's L distances and CSR simulations (pointwise p-values; 999 keep the verdicts
        stable across seeds, 99 did not).
    bandwidth_km, cell_km
        Kernel density bandwidth and cell size.
    n_permutations, seed
        Permutations for CLQ and for global and local Moran, and the seed of every random draw.
    min_share
        Share threshold of :func:`designated_vs_measured`.
    industry_groups
        Industry grouping (:data:`longtu.analysis.clustering.colocation.INDUSTRY_GROUPS`).
    industry_group
        Restrict point-pattern statistics, DBSCAN, density and the comparison to the parks of one
        group (LQ, CLQ and Moran always use every park).

    Returns
    -------
    AnalysisResult
        Tables ``parks``, ``parks_left_out``, ``clusters``, ``clark_evans``, ``ripley_l``,
        ``designated_vs_measured``, ``location_quotients_prefecture``,
        ``location_quotients_zone``, ``colocation_quotients``, ``moran_local``; raster
        ``park_density``.

    Examples
    --------
    >>> from longtu.layout import load_layer, plan_layers
    >>> layers = {**plan_layers(), "province": load_layer("province"),
    ...           "counties": load_layer("counties")}
    >>> result = run_clustering(layers, n_simulations=9, n_permutations=9)
    >>> result.numbers["n_distinct_locations"] < result.numbers["n_parks_used"]
    True
    """
    _check_layers(layers)
    points, left_out = _select_parks(layers["parks"], industry_groups, industry_group)
    tables = _cluster_tables(
        layers, points, eps_km=eps_km, min_samples=min_samples, min_share=min_share,
        industry_groups=industry_groups,
    )  # fmt: skip
    study = layers["province"]
    tables |= {
        "parks_left_out": left_out,
        "clark_evans": _clark_evans_table(points, study),
        "ripley_l": _ripley_table(
            points, study, distances_km=distances_km, n_simulations=n_simulations, seed=seed
        ),
    }  # fmt: skip
    tables |= _industry_tables(layers, industry_groups, n_permutations=n_permutations, seed=seed)
    density_by_county = _county_park_density(layers["parks"], layers["counties"])
    moran = moran_by_county(
        density_by_county, layers["counties"], n_permutations=n_permutations, seed=seed
    )
    tables["moran_local"] = moran.local
    density = kernel_density(points, bandwidth_km=bandwidth_km, cell_km=cell_km, study_area=study)
    parameters = {
        "eps_km": eps_km, "min_samples": min_samples, "distances_km": list(distances_km),
        "bandwidth_km": bandwidth_km, "cell_km": cell_km, "n_simulations": n_simulations,
        "n_permutations": n_permutations, "seed": seed, "min_share": min_share,
        "industry_group": industry_group or "all",
        "parameter_basis": "Longtu defaults for county-level placement, not from the plan",
    }  # fmt: skip
    numbers = _numbers(
        tables,
        moran,
        parameters,
        n_parks_total=len(layers["parks"]),
        n_county_parks=int((layers["parks"]["precision"] == "county").sum()),
    )
    zh, en = _summaries(numbers)
    return AnalysisResult(
        name="clustering", summary_zh=zh, summary_en=en, numbers=numbers, tables=tables,
        rasters={"park_density": density}, parameters=parameters,
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


def _clustered_at(ripley: pd.DataFrame, points: str) -> str:
    rows = ripley[(ripley["points"] == points) & (ripley["pattern"] == "clustered")]
    return ";".join(f"{d:g}" for d in rows["distance_km"]) or "none"


def _numbers(
    tables: dict, moran: MoranResult, parameters: dict, *, n_parks_total: int, n_county_parks: int
) -> dict:
    parks, clusters = tables["parks"], tables["clusters"]
    ce = tables["clark_evans"].set_index("points")
    compared = tables["designated_vs_measured"]
    designated = compared[compared["row_type"] == "designated"]
    local = moran.local
    return {
        "n_parks_total": n_parks_total,
        "n_parks_used": len(parks),
        "n_parks_left_out": len(tables["parks_left_out"]),
        "n_distinct_locations": int(parks.geometry.to_wkb().nunique()),
        "n_parks_at_shared_locations": int((parks["n_parks_at_location"] > 1).sum()),
        "max_parks_at_one_location": int(parks["n_parks_at_location"].max()),
        "clark_evans_r_all": float(ce.loc["all parks", "r_index"]),
        "clark_evans_p_all": float(ce.loc["all parks", "p_value"]),
        "clark_evans_r_distinct": float(ce.loc["distinct locations", "r_index"]),
        "clark_evans_p_distinct": float(ce.loc["distinct locations", "p_value"]),
        "eps_km": parameters["eps_km"],
        "min_samples": parameters["min_samples"],
        "n_clusters": len(clusters),
        "n_clusters_needing_coincident_points": int(clusters["needs_coincident_points"].sum()),
        "n_noise_parks": int((parks["cluster_id"] < 0).sum()),
        "n_designated": len(designated),
        "n_designated_not_clusters": int(designated["verdict_en"].str.startswith("not").sum()),
        "n_designated_cannot_tell": int(designated["verdict_en"].str.contains("cannot").sum()),
        "n_measured_unnamed": int(compared["verdict_en"].str.contains("does not name").sum()),
        "ripley_l_clustered_distances_km_all": _clustered_at(tables["ripley_l"], "all parks"),
        "ripley_l_clustered_distances_km_distinct": _clustered_at(
            tables["ripley_l"], "distinct locations"
        ),
        "moran_i": moran.moran_i,
        "moran_p": moran.p_value,
        "moran_test": moran.test,
        "moran_p_one_sided": moran.p_value_one_sided,
        "moran_p_normal_approximation": moran.p_value_normal,
        "moran_n_counties": moran.n_units,
        "moran_measure": "county-precision parks per 10,000 km2 (a park in k counties: 1/k each)",
        "moran_n_parks_county_precision": n_county_parks,
        "n_counties_hh": int((local["cluster"] == "HH").sum()),
        "n_counties_significant": int(local["cluster"].isin(["HH", "LL", "HL", "LH"]).sum()),
        "n_counties_not_testable": moran.n_not_testable,
        "n_simulations": parameters["n_simulations"],
        "n_permutations": parameters["n_permutations"],
        "distance_method": "geodesic, WGS84 ellipsoid (pyproj.Geod); areas in the Albers "
        "equal-area CRS (settings.equal_area_crs)",
    }
