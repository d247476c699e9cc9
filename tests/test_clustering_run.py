"""run_clustering on the real plan layers: documented tables, consistent numbers, honest caveats."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from longtu.analysis.clustering.point_pattern import PointPatternInputError
from longtu.analysis.clustering.run import park_points, run_clustering
from longtu.analysis.result import AnalysisResult
from longtu.layout import load_layer, plan_layers

TABLE_COLUMNS = {
    "parks": ["feature_id", "name_zh", "precision", "point_basis", "industry_groups",
              "n_parks_at_location", "cluster_id", "core_point"],
    "parks_left_out": ["feature_id", "name_zh", "reason"],
    "clusters": ["cluster_id", "n_parks", "n_distinct_locations", "needs_coincident_points",
                 "max_distance_km", "parks_zh"],
    "clark_evans": ["points", "r_index", "z_score", "p_value", "n_points", "n_coincident_points",
                    "area_km2", "mean_nn_distance_km", "expected_nn_distance_km"],
    "ripley_l": ["points", "distance_km", "l_observed_km", "l_envelope_low_km",
                 "l_envelope_high_km", "l_minus_d_km", "p_value_clustered", "p_value_dispersed",
                 "n_simulations", "pattern"],
    "designated_vs_measured": ["row_type", "id", "name_zh", "name_en", "kind", "n_parks",
                               "cluster_id", "share_in_cluster", "verdict_zh", "verdict_en"],
    "location_quotients_prefecture": ["region", "region_name_zh", "industry", "n_features",
                                      "region_total", "industry_total", "grand_total", "lq"],
    "location_quotients_zone": ["region", "region_name_zh", "industry", "lq"],
    "colocation_quotients": ["direction", "from_label", "to_label", "clq", "p_value_greater",
                             "q_value_greater"],
    "moran_local": ["adcode", "name_zh", "value", "local_i", "p_value", "q_value", "quadrant",
                    "cluster", "cluster_zh"],
}  # fmt: skip


@pytest.fixture(scope="module")
def layers() -> dict:
    return {**plan_layers(), "province": load_layer("province"), "counties": load_layer("counties")}


@pytest.fixture(scope="module")
def result(layers) -> AnalysisResult:
    return run_clustering(layers, n_simulations=19, n_permutations=19, seed=3)


def test_tables_have_their_documented_columns(result):
    assert result.name == "clustering"
    for name, columns in TABLE_COLUMNS.items():
        assert set(columns) <= set(result.tables[name].columns), name
    for name in ("parks", "clusters", "moran_local"):
        assert isinstance(result.tables[name], gpd.GeoDataFrame)
        assert str(result.tables[name].crs) == "EPSG:4326"


def test_every_park_is_used_or_left_out_with_a_reason(result, layers):
    numbers = result.numbers
    assert numbers["n_parks_total"] == len(layers["parks"])
    assert numbers["n_parks_used"] + numbers["n_parks_left_out"] == numbers["n_parks_total"]
    assert result.tables["parks_left_out"]["reason"].str.len().gt(0).all()
    unplaced = layers["parks"].geometry.isna().sum()
    assert result.tables["parks_left_out"]["reason"].str.startswith("unplaced").sum() == unplaced
    assert (result.tables["parks"].geom_type == "Point").all()


def test_coincident_points_are_counted_not_jittered(result, layers):
    parks = result.tables["parks"]
    numbers = result.numbers
    assert numbers["n_distinct_locations"] == parks.geometry.to_wkb().nunique()
    assert numbers["n_distinct_locations"] < numbers["n_parks_used"]
    placed = park_points(layers["parks"])[0]
    assert parks.geometry.geom_equals(placed.geometry.loc[parks.index]).all()  # same points
    shared = parks.groupby(parks.geometry.to_wkb())["feature_id"].transform("size")
    assert parks["n_parks_at_location"].tolist() == shared.tolist()
    ce = result.tables["clark_evans"].set_index("points")
    assert ce.loc["all parks", "n_coincident_points"] == numbers["n_parks_at_shared_locations"]
    assert ce.loc["distinct locations", "n_points"] == numbers["n_distinct_locations"]


def test_designated_groupings_named_in_the_plan_get_a_verdict(result):
    table = result.tables["designated_vs_measured"]
    designated = table[table["row_type"] == "designated"]
    for name in ("酒嘉", "金武", "东部开发区", "兰白中部开发区", "石化产业基地"):
        assert name in set(designated["name_zh"]), name
    assert table["verdict_zh"].str.len().gt(0).all()
    assert table["verdict_en"].str.len().gt(0).all()
    measured = table[table["row_type"] == "measured"]
    assert len(measured) == result.numbers["n_clusters"] == len(result.tables["clusters"])
    assert (
        result.numbers["n_designated_not_clusters"]
        == designated["verdict_en"].str.startswith("not").sum()
    )


def test_clusters_match_the_labels(result):
    parks, clusters = result.tables["parks"], result.tables["clusters"]
    sizes = parks[parks["cluster_id"] >= 0]["cluster_id"].value_counts().sort_index()
    assert clusters.set_index("cluster_id")["n_parks"].to_dict() == sizes.to_dict()
    assert result.numbers["n_noise_parks"] == (parks["cluster_id"] == -1).sum()


def test_location_quotient_tables_are_consistent(result):
    for by in ("prefecture", "zone"):
        table = result.tables[f"location_quotients_{by}"]
        sums = table.groupby("region")["n_features"].sum()
        assert sums.to_numpy() == pytest.approx(table.groupby("region")["region_total"].first())
        assert table["region_name_zh"].notna().all()
    zones = result.tables["location_quotients_zone"]
    assert set(zones["region_name_zh"]) == {"兰白经济区", "河西走廊经济区", "陇东南经济区"}


def test_colocation_gives_both_directions(result):
    table = result.tables["colocation_quotients"]
    assert len(table) % 2 == 0
    assert (table["direction"].iloc[::2] == "A->B").all()
    assert (
        table["from_label"].iloc[::2].to_numpy() == table["to_label"].iloc[1::2].to_numpy()
    ).all()
    assert (table["q_value_greater"] >= table["p_value_greater"] - 1e-12).all()


def test_density_raster_and_summary(result):
    raster = result.rasters["park_density"]
    assert raster.band_name == "points_per_km2"
    assert raster.tags["crs"] == "EPSG:4326"
    assert np.isnan(raster.data).any() and np.nanmax(raster.data) > 0
    numbers = result.numbers
    assert f"{numbers['n_parks_used']} 个已定位园区" in result.summary_zh
    assert f"{numbers['n_parks_used']} placed parks" in result.summary_en
    assert "precision" in result.summary_en
    assert result.parameters["n_simulations"] == 19


def test_summaries_say_which_test_and_how_many_draws(result):
    numbers = result.numbers
    assert numbers["moran_test"] == "permutation test, 19 permutations, two-sided"
    assert numbers["moran_p"] == pytest.approx(min(1.0, 2 * numbers["moran_p_one_sided"]))
    assert "moran_p_normal_approximation" in numbers
    assert "permutation test, 19 permutations, two-sided" in result.summary_en
    assert "19 CSR simulations" in result.summary_en
    assert "置换检验 19 次" in result.summary_zh and "19 次随机模拟" in result.summary_zh
    assert f"{numbers['n_counties_not_testable']} 个县与相邻县取值相同" in result.summary_zh


def test_defaults_are_999_permutations_and_simulations():
    import inspect

    defaults = inspect.signature(run_clustering).parameters
    assert defaults["n_simulations"].default == defaults["n_permutations"].default == 999


def test_subset_by_industry_group(layers):
    sub = run_clustering(
        layers,
        n_simulations=9,
        n_permutations=9,
        industry_group="煤炭、煤化工与火电 coal, coal chemicals, thermal power",
    )
    assert 0 < sub.numbers["n_parks_used"] < 64
    assert sub.tables["parks"]["industry_groups"].str.contains("煤炭").all()
    with pytest.raises(PointPatternInputError, match="`industry_group`"):
        run_clustering(layers, industry_group="no such group")


def test_missing_layers_and_inputs_untouched(layers):
    with pytest.raises(PointPatternInputError, match="`layers` lacks province, counties"):
        run_clustering(
            {name: layers[name] for name in ("parks", "economic_zones", "industrial_bases")}
        )
    before = layers["parks"].copy()
    run_clustering(layers, n_simulations=9, n_permutations=9)
    pd.testing.assert_frame_equal(layers["parks"], before)
