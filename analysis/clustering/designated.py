"""Designated vs measured: the plan's named groupings against DBSCAN clusters of its parks.

The plan names groupings (economic zones and their sub-areas such as 酒嘉, 金武, 东部开发区 (平庆);
the six industrial bases). :func:`designated_groupings` lists the parks each contains,
:func:`summarize_clusters` describes measured DBSCAN clusters, and
:func:`designated_vs_measured` says which groupings are not clusters and which clusters the plan
does not name, in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from longtu import settings
from longtu.analysis.clustering.colocation import industry_membership
from longtu.analysis.clustering.geodesic import pair_distances_km
from longtu.analysis.clustering.point_pattern import (
    PointPatternInputError,
    lonlat_xy,
    projected_xy,
)
from longtu.layout.catalog import layer_title_zh
from longtu.layout.plan import split_list


def summarize_clusters(labelled: gpd.GeoDataFrame, *, min_samples: int) -> gpd.GeoDataFrame:
    """One row per DBSCAN cluster: size, distinct locations, members, centroid (EPSG:4326).

    ``needs_coincident_points`` is True when the cluster has fewer distinct locations than
    `min_samples`: it exists only because several parks share a placed point.

    Parameters
    ----------
    labelled
        Output of :func:`longtu.analysis.clustering.point_pattern.dbscan_clusters` with ``name_zh``.
    min_samples
        The DBSCAN parameter used.

    Returns
    -------
    geopandas.GeoDataFrame
        ``cluster_id``, ``n_parks``, ``n_distinct_locations``, ``needs_coincident_points``,
        ``max_distance_km`` (largest geodesic distance between two members), ``parks_zh``;
        Point geometry (mean of the members' equal-area coordinates, a symbol position).

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> rows = gpd.GeoDataFrame({"name_zh": ["甲", "乙", "丙"], "cluster_id": [0, 0, -1]},
    ...     geometry=[Point(103, 36)] * 2 + [Point(90, 40)], crs=4326)
    >>> table = summarize_clusters(rows, min_samples=2)
    >>> row = table.iloc[0]
    >>> int(row["n_parks"]), int(row["n_distinct_locations"]), bool(row["needs_coincident_points"])
    (2, 1, True)
    """
    rows = []
    for cluster_id, members in labelled[labelled["cluster_id"] >= 0].groupby("cluster_id"):
        xy = projected_xy(members, name="labelled")
        centre = gpd.GeoSeries(
            gpd.points_from_xy(*xy.mean(axis=0, keepdims=True).T), crs=settings.equal_area_crs
        )
        distinct = len(np.unique(xy.round(3), axis=0))
        spread = pair_distances_km(lonlat_xy(members, name="labelled")).max(initial=0.0)
        rows.append(
            {
                "cluster_id": int(cluster_id),
                "n_parks": len(members),
                "n_distinct_locations": distinct,
                "needs_coincident_points": distinct < min_samples,
                "max_distance_km": float(spread),
                "parks_zh": "；".join(members["name_zh"]),
                "geometry": centre.to_crs(labelled.crs).iloc[0],
            }
        )
    columns = [
        "cluster_id",
        "n_parks",
        "n_distinct_locations",
        "needs_coincident_points",
        "max_distance_km",
        "parks_zh",
        "geometry",
    ]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), crs=labelled.crs)


def _parks_named(parks: gpd.GeoDataFrame, name: str) -> pd.Index:
    aliases = parks["aliases_zh"].map(split_list) if "aliases_zh" in parks else None
    hit = parks["name_zh"] == name
    if aliases is not None:
        hit |= aliases.map(lambda items: name in items)
    return parks.index[hit]


def _parks_in_member(parks: gpd.GeoDataFrame, member: pd.Series) -> pd.Index:
    if member.get("place_method") == "park":
        return _parks_named(parks, member["place_ref"])
    geom = member.geometry
    if geom is None or geom.is_empty:
        return parks.index[:0]
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return parks.index[parks.within(geom)]
    return parks.index[parks.geometry.distance(geom) < 1e-9]


def _base_parks(
    parks: gpd.GeoDataFrame,
    members: gpd.GeoDataFrame,
    industry_groups: Mapping[str, Sequence[str]] | None,
) -> pd.Index:
    named = pd.Index([])
    in_area = pd.Index([])
    for _, member in members.iterrows():
        found = _parks_in_member(parks, member)
        if member.get("place_method") == "park":
            named = named.union(found)
        else:
            in_area = in_area.union(found)
    if industry_groups is not None and len(in_area):
        base = pd.DataFrame(
            {"lead_industries_zh": [";".join(members["lead_industries_zh"].dropna())]}
        )
        base_groups = industry_membership(base, industry_groups=industry_groups).iloc[0]
        park_groups = industry_membership(parks.loc[in_area], industry_groups=industry_groups)
        in_area = in_area[park_groups.loc[:, base_groups].any(axis=1).to_numpy()]
    return named.union(in_area)


def designated_groupings(
    economic_zones: gpd.GeoDataFrame,
    industrial_bases: gpd.GeoDataFrame,
    parks: gpd.GeoDataFrame,
    *,
    industry_groups: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """The plan's named groupings and the parks each contains.

    Zones and sub-areas contain the parks inside their polygons; an industrial base contains
    the parks it names (members placed by park name) and the parks inside its area members (a
    prefecture, say) that, when `industry_groups` is given, share an industry group with the
    base's lead industries (so the 石化 base does not take every park of 酒泉).

    Parameters
    ----------
    economic_zones, industrial_bases
        The plan layers (EPSG:4326).
    parks
        Park points (e.g. from :func:`longtu.analysis.clustering.run.park_points`), same CRS, with
        ``lead_industries_zh`` when `industry_groups` is given.
    industry_groups
        Industry grouping (:data:`longtu.analysis.clustering.colocation.INDUSTRY_GROUPS`), or
        ``None``: every park inside an area member belongs to the base.

    Returns
    -------
    pandas.DataFrame
        ``grouping_id``, ``name_zh``, ``name_en``, ``kind`` (``zone``, ``sub_area``,
        ``industrial_base``), ``park_ids`` (list of feature ids).

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> zones = gpd.GeoDataFrame({"feature_id": ["z"], "name_zh": ["区"], "name_en": ["Z"],
    ...     "level": ["zone"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    >>> bases = gpd.GeoDataFrame({"base_id": ["b"], "base_name_zh": ["基地"], "base_name_en": ["B"],
    ...     "place_method": ["park"], "place_ref": ["乙"]}, geometry=[Point(5, 5)], crs=4326)
    >>> parks = gpd.GeoDataFrame({"feature_id": ["p1", "p2"], "name_zh": ["甲", "乙"]},
    ...     geometry=[Point(0.5, 0.5), Point(5, 5)], crs=4326)
    >>> designated_groupings(zones, bases, parks)["park_ids"].tolist()
    [['p1'], ['p2']]
    """
    _check_same_crs(parks, economic_zones=economic_zones, industrial_bases=industrial_bases)
    rows = _zone_rows(economic_zones, parks) + _base_rows(industrial_bases, parks, industry_groups)
    return pd.DataFrame(rows)


def _check_same_crs(parks: gpd.GeoDataFrame, **layers: gpd.GeoDataFrame) -> None:
    """Refuse a plan layer whose CRS is not that of `parks`."""
    for name, frame in layers.items():
        if frame.crs != parks.crs:
            raise PointPatternInputError(
                f"`{name}` CRS {frame.crs} differs from `parks` CRS {parks.crs}; use `to_crs()`.",
                zh=f"{layer_title_zh(name)}的坐标系 {frame.crs} 与园区的坐标系 {parks.crs} 不同；"
                "请先转换到同一坐标系。",
            )


def _zone_rows(economic_zones: gpd.GeoDataFrame, parks: gpd.GeoDataFrame) -> list[dict]:
    """One grouping per zone or sub-area: the parks inside its polygon."""
    return [
        {
            "grouping_id": zone["feature_id"],
            "name_zh": zone["name_zh"],
            "name_en": zone["name_en"],
            "kind": zone["level"],
            "park_ids": parks.loc[parks.within(zone.geometry), "feature_id"].tolist(),
        }
        for _, zone in economic_zones.iterrows()
    ]


def _base_rows(
    industrial_bases: gpd.GeoDataFrame,
    parks: gpd.GeoDataFrame,
    industry_groups: Mapping[str, Sequence[str]] | None,
) -> list[dict]:
    """One grouping per industrial base (its member rows share a ``base_id``): its parks."""
    rows = []
    for base_id, members in industrial_bases.groupby("base_id", sort=False):
        index = _base_parks(parks, members, industry_groups)
        rows.append(
            {
                "grouping_id": base_id,
                "name_zh": members["base_name_zh"].iloc[0],
                "name_en": members["base_name_en"].iloc[0],
                "kind": "industrial_base",
                "park_ids": parks.loc[index, "feature_id"].tolist(),
            }
        )
    return rows


def _designated_row(grouping: pd.Series, labels: pd.Series, clusters: pd.DataFrame, xy) -> dict:
    ids = [pid for pid in grouping["park_ids"] if pid in labels.index]
    own = labels.loc[ids]
    row = {"n_parks": len(ids), "n_distinct_locations": len({xy[i] for i in ids})}
    if not ids:
        return row | {
            "verdict_zh": "无已定位园区，无法判断",
            "verdict_en": "no placed parks: cannot tell",
        }
    clustered = own[own >= 0]
    if clustered.empty:
        return row | {
            "verdict_zh": "不是测得的集聚：园区均为离散点",
            "verdict_en": "not a measured cluster: every park is isolated (DBSCAN noise)",
        }
    dominant = int(clustered.value_counts().idxmax())
    size = int(clusters.loc[clusters["cluster_id"] == dominant, "n_parks"].iloc[0])
    return row | {
        "cluster_id": dominant,
        "share_in_cluster": float((own == dominant).mean()),
        "cluster_share_inside": float((own == dominant).sum() / size),
        "n_other_clusters": int(clustered.nunique() - 1),
        "n_isolated_parks": int((own < 0).sum()),
    }


def _designated_verdict(row: dict, clusters: pd.DataFrame, min_share: float) -> dict:
    if "cluster_id" not in row:
        return row
    cid, share, others = row["cluster_id"], row["share_in_cluster"], row["n_other_clusters"]
    isolated = row["n_isolated_parks"]
    rest_zh = "其余园区：" + "，".join(
        part
        for part, n in ((f"分属另 {others} 个集聚", others), (f"{isolated} 个为离散点", isolated))
        if n
    )
    rest_en = "the rest: " + " and ".join(
        part
        for part, n in (
            (f"in {others} other cluster(s)", others),
            (f"{isolated} isolated", isolated),
        )
        if n
    )
    if share < min_share:
        zh = f"不是测得的集聚：最多 {share:.0%} 的园区在同一集聚（{cid}），{rest_zh}"
        en = f"not a measured cluster: at most {share:.0%} of its parks share a cluster ({cid}); "
        en += rest_en
    elif row["cluster_share_inside"] < min_share:
        zh = f"位于更大的测得集聚 {cid} 之内，本身不是独立集聚"
        en = f"lies inside the larger measured cluster {cid}, not a cluster of its own"
    elif share < 1:
        zh = f"大体是测得的集聚 {cid}（{share:.0%} 的园区），{rest_zh}"
        en = f"mostly measured cluster {cid} ({share:.0%} of its parks); {rest_en}"
    else:
        zh, en = f"是测得的集聚（集聚 {cid}）", f"is a measured cluster (cluster {cid})"
    if bool(clusters.set_index("cluster_id").loc[cid, "needs_coincident_points"]):
        zh, en = (
            zh + "（该集聚仅因园区共用点位而成）",
            en + " (that cluster exists only because parks share points)",
        )
    return row | {"verdict_zh": zh, "verdict_en": en}


def _measured_row(
    cluster: pd.Series, labels: pd.Series, namers: pd.DataFrame, min_share: float
) -> dict:
    members = set(labels.index[labels == cluster["cluster_id"]])
    covers = namers["park_ids"].map(lambda ids: len(members & set(ids)) >= min_share * len(members))
    hits = namers.loc[covers.astype(bool)]
    named_zh, named_en = "、".join(hits["name_zh"]), "; ".join(hits["name_en"])
    cid = int(cluster["cluster_id"])
    return {
        "row_type": "measured",
        "id": f"cluster_{cid}",
        "name_zh": f"测得集聚 {cid}",
        "name_en": f"measured cluster {cid}",
        "kind": "dbscan_cluster",
        "n_parks": cluster["n_parks"],
        "n_distinct_locations": cluster["n_distinct_locations"],
        "cluster_id": cid,
        "named_by": named_zh,
        "verdict_zh": f"规划已命名：{named_zh}" if len(hits) else "规划未命名的测得集聚",
        "verdict_en": f"named by the plan: {named_en}"
        if len(hits)
        else "a measured cluster the plan does not name",
    }


def designated_vs_measured(
    labelled: gpd.GeoDataFrame,
    groupings: pd.DataFrame,
    clusters: pd.DataFrame,
    *,
    min_share: float = 0.5,
) -> pd.DataFrame:
    """Compare the plan's designated groupings with measured DBSCAN clusters, both ways.

    A designated grouping *is a measured cluster* when at least `min_share` of its parks lie in
    one cluster and at least `min_share` of that cluster's parks lie in the grouping; it *lies
    inside a larger cluster* when only the first holds; otherwise it is *not a cluster*. A
    measured cluster is *named by the plan* when a sub-area or industrial base (zones are too
    large to name a cluster) holds at least `min_share` of its parks. `min_share` is this
    project's threshold, not the plan's.

    Parameters
    ----------
    labelled
        Parks with ``feature_id`` and ``cluster_id``
        (:func:`longtu.analysis.clustering.point_pattern.dbscan_clusters`).
    groupings
        :func:`designated_groupings` output.
    clusters
        :func:`summarize_clusters` output.
    min_share
        Share threshold (0-1).

    Returns
    -------
    pandas.DataFrame
        ``row_type`` (``designated`` / ``measured``), ``id``, ``name_zh``, ``name_en``, ``kind``,
        ``n_parks``, ``n_distinct_locations``, ``cluster_id`` (the cluster holding most of
        its parks), ``share_in_cluster``, ``cluster_share_inside``, ``n_other_clusters``,
        ``n_isolated_parks``, ``named_by``, ``verdict_zh``, ``verdict_en``.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> parks = gpd.GeoDataFrame({"feature_id": ["a", "b", "c"], "name_zh": ["甲", "乙", "丙"],
    ...     "cluster_id": [0, 0, -1]}, geometry=[Point(0, 0), Point(0, 0.1), Point(9, 9)], crs=4326)
    >>> groups = pd.DataFrame({"grouping_id": ["g1", "g2"], "name_zh": ["一", "二"],
    ...     "name_en": ["One", "Two"], "kind": ["sub_area"] * 2, "park_ids": [["a", "b"], ["c"]]})
    >>> table = designated_vs_measured(parks, groups, summarize_clusters(parks, min_samples=2))
    >>> for verdict in table["verdict_en"]:
    ...     print(verdict)
    is a measured cluster (cluster 0)
    not a measured cluster: every park is isolated (DBSCAN noise)
    named by the plan: One
    """
    _check_share(min_share)
    labels = labelled.set_index("feature_id")["cluster_id"]
    xy = {fid: (g.x, g.y) for fid, g in zip(labelled["feature_id"], labelled.geometry, strict=True)}
    rows = _designated_rows(groupings, labels, clusters, xy, min_share)
    namers = groupings[groupings["kind"] != "zone"]
    rows += [_measured_row(c, labels, namers, min_share) for _, c in clusters.iterrows()]
    return _comparison_table(rows)


def _check_share(min_share: float) -> None:
    """Refuse a `min_share` outside (0, 1]."""
    if not 0 < min_share <= 1:
        raise PointPatternInputError(
            f"`min_share` must be in (0, 1], got {min_share}.",
            zh=f"最小比例须大于 0 且不超过 1，而不是 {min_share}。",
        )


def _designated_rows(
    groupings: pd.DataFrame, labels: pd.Series, clusters: pd.DataFrame, xy: dict, min_share: float
) -> list[dict]:
    """One ``designated`` row per grouping, with its verdict."""
    rows = []
    for _, grouping in groupings.iterrows():
        row = _designated_row(grouping, labels, clusters, xy)
        row = _designated_verdict(row, clusters, min_share)
        rows.append({"row_type": "designated", "id": grouping["grouping_id"]} | row)
        rows[-1] |= {k: grouping[k] for k in ("name_zh", "name_en", "kind")}
    return rows


def _comparison_table(rows: list[dict]) -> pd.DataFrame:
    """The rows of :func:`designated_vs_measured` as its table: its columns, counts as Int64."""
    columns = [
        "row_type", "id", "name_zh", "name_en", "kind", "n_parks", "n_distinct_locations",
        "cluster_id", "share_in_cluster", "cluster_share_inside", "n_other_clusters",
        "n_isolated_parks", "named_by", "verdict_zh", "verdict_en",
    ]  # fmt: skip
    counts = {"cluster_id": "Int64", "n_other_clusters": "Int64", "n_isolated_parks": "Int64"}
    return pd.DataFrame(rows).reindex(columns=columns).astype(counts)
