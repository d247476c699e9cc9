"""Designated vs measured: groupings, cluster summaries and verdicts on tiny, checkable layouts."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import MultiPoint, Point, box

from longtu import settings
from longtu.analysis.clustering.designated import (
    designated_groupings,
    designated_vs_measured,
    summarize_clusters,
)
from longtu.analysis.clustering.point_pattern import PointPatternInputError, dbscan_clusters
from longtu.analysis.clustering.run import park_points

EA = settings.equal_area_crs


def _parks(xy_km: list[tuple[float, float]], industries: list[str] | None = None):
    n = len(xy_km)
    return gpd.GeoDataFrame(
        {
            "feature_id": [f"p{i}" for i in range(n)],
            "name_zh": [f"园{i}" for i in range(n)],
            "aliases_zh": [None] * n,
            "lead_industries_zh": industries or ["装备制造"] * n,
        },
        geometry=[Point(x * 1e3, y * 1e3) for x, y in xy_km],
        crs=EA,
    )


def _groupings(members: dict[str, list[str]], kind: str = "sub_area") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "grouping_id": list(members),
            "name_zh": list(members),
            "name_en": [name.upper() for name in members],
            "kind": kind,
            "park_ids": list(members.values()),
        }
    )


@pytest.fixture
def labelled() -> gpd.GeoDataFrame:
    # Cluster 0: p0-p2 within 2 km; cluster 1: p3-p5 at one shared point; p6 isolated.
    parks = _parks([(0, 0), (1, 0), (2, 0), (100, 0), (100, 0), (100, 0), (300, 0)])
    return dbscan_clusters(parks, eps_km=5, min_samples=3)


def test_summarize_clusters_flags_clusters_made_of_one_point(labelled):
    clusters = summarize_clusters(labelled, min_samples=3).set_index("cluster_id")
    assert clusters["n_parks"].tolist() == [3, 3]
    assert clusters["n_distinct_locations"].tolist() == [3, 1]
    assert clusters["needs_coincident_points"].tolist() == [False, True]
    # Geodesic spread of p0 and p2, drawn 2 km apart in the Albers plane near the equator.
    ends = gpd.GeoSeries([Point(0, 0), Point(2e3, 0)], crs=EA).to_crs(4326)
    spread_km = Geod(ellps="WGS84").inv(ends.x[0], ends.y[0], ends.x[1], ends.y[1])[2] / 1e3
    assert clusters.loc[0, "max_distance_km"] == pytest.approx(spread_km, rel=1e-9)


def test_verdicts_cover_every_case(labelled):
    clusters = summarize_clusters(labelled, min_samples=3)
    groups = _groupings(
        {
            "exact": ["p0", "p1", "p2"],  # is cluster 0
            "part": ["p0"],  # lies inside cluster 0
            "split": ["p0", "p3", "p6"],  # 1/3 in each: not a cluster
            "mostly": ["p0", "p1", "p2", "p6"],  # 75 % in cluster 0
            "lonely": ["p6"],  # noise only
            "empty": ["unplaced_park"],  # nothing placed
        }
    )
    table = designated_vs_measured(labelled, groups, clusters).set_index("id")
    en = table["verdict_en"]
    assert en["exact"] == "is a measured cluster (cluster 0)"
    assert en["part"].startswith("lies inside the larger measured cluster 0")
    assert en["split"].startswith("not a measured cluster: at most 33%")
    assert en["mostly"].startswith("mostly measured cluster 0 (75% of its parks)")
    assert en["lonely"].startswith("not a measured cluster: every park is isolated")
    assert en["empty"] == "no placed parks: cannot tell"
    assert table.loc["split", "n_isolated_parks"] == 1
    assert table["verdict_zh"].str.len().gt(0).all()
    # Cluster 0 is named by "exact" (and "mostly"); cluster 1 (p3-p5) by nobody.
    measured = table[table["row_type"] == "measured"]
    assert measured.loc["cluster_0", "verdict_en"].startswith("named by the plan: EXACT")
    assert measured.loc["cluster_1", "verdict_en"] == "a measured cluster the plan does not name"
    assert measured.loc["cluster_1", "verdict_zh"] == "规划未命名的测得集聚"


def test_coincident_clusters_are_reported_in_the_verdict(labelled):
    clusters = summarize_clusters(labelled, min_samples=3)
    table = designated_vs_measured(labelled, _groupings({"seat": ["p3", "p4", "p5"]}), clusters)
    assert "only because parks share points" in table.loc[0, "verdict_en"]
    assert "共用点位" in table.loc[0, "verdict_zh"]


def test_zones_do_not_name_clusters(labelled):
    clusters = summarize_clusters(labelled, min_samples=3)
    groups = _groupings({"zone": ["p0", "p1", "p2", "p3", "p4", "p5", "p6"]}, kind="zone")
    table = designated_vs_measured(labelled, groups, clusters)
    assert table.loc[table["row_type"] == "measured", "named_by"].eq("").all()


def test_min_share_must_be_a_share(labelled):
    with pytest.raises(PointPatternInputError, match="`min_share`"):
        designated_vs_measured(labelled, _groupings({}), pd.DataFrame(), min_share=1.5)


def test_base_takes_named_parks_and_parks_of_its_industry_in_its_areas():
    parks = _parks([(0, 0), (1, 1), (500, 500)], ["石油化工", "生物医药", "装备制造"]).to_crs(4326)
    area = gpd.GeoSeries([box(-5e3, -5e3, 5e3, 5e3)], crs=EA).to_crs(4326).iloc[0]
    zones = gpd.GeoDataFrame(
        {"feature_id": ["z"], "name_zh": ["区"], "name_en": ["Z"], "level": ["zone"]},
        geometry=[area],
        crs=4326,
    )
    bases = gpd.GeoDataFrame(
        {
            "base_id": ["b", "b"],
            "base_name_zh": ["石化基地"] * 2,
            "base_name_en": ["Petrochemical base"] * 2,
            "place_method": ["prefecture", "park"],
            "place_ref": ["620100", "园2"],
            "lead_industries_zh": ["炼化一体化", None],
        },
        geometry=[area, parks.geometry.iloc[2]],
        crs=4326,
    )
    plain = designated_groupings(zones, bases, parks).set_index("grouping_id")["park_ids"]
    assert plain["z"] == ["p0", "p1"]
    assert sorted(plain["b"]) == ["p0", "p1", "p2"]
    from longtu.analysis.clustering.colocation import INDUSTRY_GROUPS

    grouped = designated_groupings(zones, bases, parks, industry_groups=INDUSTRY_GROUPS)
    assert sorted(grouped.set_index("grouping_id").loc["b", "park_ids"]) == ["p0", "p2"]


def test_groupings_refuse_mixed_crs():
    parks = _parks([(0, 0)])
    zones = gpd.GeoDataFrame(
        {"feature_id": ["z"], "name_zh": ["区"], "name_en": ["Z"], "level": ["zone"]},
        geometry=[box(0, 0, 1, 1)],
        crs=4326,
    )
    with pytest.raises(PointPatternInputError, match="`economic_zones` CRS"):
        designated_groupings(zones, zones.iloc[:0], parks)


def test_park_points_reduce_multipoints_within_one_prefecture():
    parks = gpd.GeoDataFrame(
        {
            "feature_id": ["new_area", "collective"],
            "name_zh": ["新区", "多市"],
            "prefecture_adcodes": ["620100", "620100;620900"],
        },
        geometry=[MultiPoint([(103.0, 36.0), (104.0, 36.0)]), MultiPoint([(103, 36), (98, 40)])],
        crs=4326,
    )
    points, left_out = park_points(parks)
    assert points["point_basis"].tolist() == ["centroid of the park's county points"]
    assert points.geometry.iloc[0].x == pytest.approx(103.5, abs=0.01)
    assert left_out["feature_id"].tolist() == ["collective"]
    assert parks.geom_type.tolist() == ["MultiPoint", "MultiPoint"]  # input untouched
