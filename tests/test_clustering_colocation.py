"""Location quotients, co-location quotients and Moran's I: hand-computed cases and real layers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from longtu import settings
from longtu.analysis.clustering.colocation import (
    INDUSTRY_GROUPS,
    colocation_quotients,
    industry_membership,
    location_quotients,
)
from longtu.analysis.clustering.moran import NOT_TESTABLE, moran_by_county
from longtu.analysis.clustering.point_pattern import PointPatternInputError
from longtu.layout import load_layer

EA = settings.equal_area_crs


@pytest.fixture(scope="module")
def parks() -> gpd.GeoDataFrame:
    return load_layer("parks")


@pytest.fixture(scope="module")
def counties() -> gpd.GeoDataFrame:
    return load_layer("counties")


def _lattice(n: int) -> gpd.GeoDataFrame:
    cells = [box(c, r, c + 1, r + 1) for r in range(n) for c in range(n)]
    return gpd.GeoDataFrame(
        {"adcode": [str(i) for i in range(n * n)], "name_zh": "格"}, geometry=cells, crs=EA
    )


def test_location_quotient_on_a_two_by_two_table():
    # R1 lists A, A, A, B; R2 lists A, B, B, B. Row and column totals 4, grand total 8.
    # LQ(R1, A) = (3 / 4) / (4 / 8) = 1.5; LQ(R1, B) = (1 / 4) / (4 / 8) = 0.5.
    rows = pd.DataFrame(
        {
            "prefecture_adcodes": ["R1"] * 4 + ["R2"] * 4,
            "lead_industries_zh": ["A", "A", "A", "B", "A", "B", "B", "B"],
        }
    )
    table = location_quotients(rows, by="prefecture").set_index(["region", "industry"])
    assert table["lq"].to_dict() == pytest.approx(
        {("R1", "A"): 1.5, ("R1", "B"): 0.5, ("R2", "A"): 0.5, ("R2", "B"): 1.5}
    )
    assert table.loc[("R1", "A"), "n_features"] == 3
    assert table["grand_total"].unique().tolist() == [8]


def test_location_quotient_splits_a_feature_over_its_regions():
    rows = pd.DataFrame({"zone_ids": ["z1;z2", "z1", None], "lead_industries_zh": ["A", "B", "A"]})
    table = location_quotients(rows, by="zone").set_index(["region", "industry"])
    assert table.loc[("z1", "A"), "n_features"] == 0.5
    assert table.loc[("z2", "A"), "n_features"] == 0.5
    assert table["n_features"].sum() == 2  # the row with no zone (unplaced) is left out
    # z2 holds only A: LQ = (0.5 / 0.5) / (1 / 2) = 2.
    assert table.loc[("z2", "A"), "lq"] == pytest.approx(2.0)


def test_location_quotients_rejects_unknown_grouping():
    with pytest.raises(PointPatternInputError, match="`by` must be"):
        location_quotients(pd.DataFrame({"x": []}), by="county")  # type: ignore[arg-type]


def test_industry_groups_match_by_keyword():
    rows = pd.DataFrame({"lead_industries_zh": ["石油（天然气）化工;煤电化冶材", "电子信息", ""]})
    member = industry_membership(rows, industry_groups=INDUSTRY_GROUPS)
    assert member.loc[0, "石油化工 petrochemicals"]
    assert member.loc[0, "煤炭、煤化工与火电 coal, coal chemicals, thermal power"]
    assert member.loc[1, "电子信息 electronics and ICT"]
    assert not member.loc[2].any()


def test_real_location_quotients_are_consistent(parks):
    table = location_quotients(parks, by="prefecture", industry_groups=INDUSTRY_GROUPS)
    by_region = table.groupby("region")
    assert (by_region["n_features"].sum() - by_region["region_total"].first()).abs().max() < 1e-9
    assert table["n_features"].sum() == pytest.approx(table["grand_total"].iloc[0])
    # Shares of a region's memberships sum to 1: sum_i LQ_ri * x_i / x = 1 for every region.
    # A region whose features list no industry has LQ NaN (0 / 0), not 0.
    listed = table[table["region_total"] > 0]
    weighted = listed["lq"] * listed["industry_total"] / listed["grand_total"]
    assert weighted.groupby(listed["region"]).sum().to_numpy() == pytest.approx(1.0)
    assert table.loc[table["region_total"] == 0, "lq"].isna().all()
    placed = parks[parks["prefecture_adcodes"].fillna("") != ""]
    membership = industry_membership(placed, industry_groups=INDUSTRY_GROUPS)
    assert table["grand_total"].iloc[0] == pytest.approx(membership.to_numpy().sum())
    regions = {code for codes in placed["prefecture_adcodes"] for code in codes.split(";")}
    assert set(table["region"]) == regions


def _line(labels: list[str], x: list[float]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"label": labels}, geometry=gpd.points_from_xy(x, [0.0] * len(x)), crs=EA
    )


def test_colocation_quotient_by_hand():
    # A at 0, B at 1, A at 1.5, C at 20. Nearest neighbours: A0 -> B1, B1 -> A2, A2 -> B1.
    # CLQ A->B = (2 / 2) / (1 / 3) = 3; CLQ B->A = (1 / 1) / (2 / 3) = 1.5.
    table = colocation_quotients(
        _line(["A", "B", "A", "C"], [0, 1, 1.5, 20]), "A", "B", column="label"
    )
    assert table["direction"].tolist() == ["A->B", "B->A"]
    assert table["clq"].tolist() == pytest.approx([3.0, 1.5])
    assert table[["n_from", "n_to"]].to_numpy().tolist() == [[2, 1], [1, 2]]


def test_colocation_quotient_shares_tied_neighbours():
    # A at 0 has B (at 1) and C (at -1) as tied nearest neighbours: B gets 1/2.
    # CLQ A->B = (0.5 / 1) / (1 / 2) = 1.0.
    table = colocation_quotients(_line(["C", "A", "B"], [-1, 0, 1]), "A", "B", column="label")
    assert table.loc[0, "clq"] == pytest.approx(1.0)


def test_colocation_permutation_p_values_are_reproducible():
    pts = _line(["A", "B"] * 5 + ["C"] * 10, list(range(10)) + [100 + i for i in range(10)])
    first = colocation_quotients(pts, "A", "B", column="label", n_permutations=99, seed=7)
    again = colocation_quotients(pts, "A", "B", column="label", n_permutations=99, seed=7)
    assert first.equals(again)
    assert first.loc[0, "p_value_greater"] < 0.05  # A and B sit together, away from C
    assert (
        (
            (first[["p_value_greater", "p_value_less"]] > 0)
            & (first[["p_value_greater", "p_value_less"]] <= 1)
        )
        .all()
        .all()
    )


def test_checkerboard_moran_is_strongly_negative():
    # Rook: every neighbour has the other value, so I = -1 exactly.
    lattice = _lattice(4)
    values = pd.Series(
        [(i // 4 + i % 4) % 2 for i in range(16)], index=lattice["adcode"], dtype=float
    )
    rook = moran_by_county(values, lattice, contiguity="rook")
    assert rook.moran_i == pytest.approx(-1.0)
    assert rook.expected_i == pytest.approx(-1 / 15)
    # Permutation test (999 permutations, two-sided): the smallest p it can give is 2 / 1000.
    assert rook.test == "permutation test, 999 permutations, two-sided"
    assert rook.p_value == pytest.approx(0.002)
    assert rook.p_value_normal < 1e-4
    # Queen adds same-valued diagonals: corners (-2 + 1) / 3, edges (-3 + 2) / 5, inside 0;
    # sum of w z z = 0.25 * (4 * -1/3 + 8 * -1/5) = -11/15, over sum z² = 4: I = -11/60.
    assert moran_by_county(values, lattice).moran_i == pytest.approx(-11 / 60)


def test_moran_of_a_gradient_is_positive_and_labels_quadrants():
    lattice = _lattice(5)
    values = pd.Series([float(i % 5) for i in range(25)], index=lattice["adcode"])
    result = moran_by_county(values, lattice, n_permutations=99, seed=1)
    assert result.moran_i > 0.5
    local = result.local
    assert set(local["quadrant"]) <= {"HH", "LL", "HL", "LH"}
    assert (local["q_value"] >= local["p_value"] - 1e-12).all()  # BH never lowers a p-value
    assert set(local["cluster"]) <= {"HH", "LL", "HL", "LH", "not significant", NOT_TESTABLE}
    assert local.loc[local["value"] == 4, "quadrant"].eq("HH").all()


def test_moran_leaves_out_islands_and_missing_values():
    lattice = _lattice(3)
    island = gpd.GeoDataFrame(
        {"adcode": ["far"], "name_zh": "岛"}, geometry=[box(10, 10, 11, 11)], crs=EA
    )
    units = pd.concat([lattice, island], ignore_index=True)
    values = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, np.nan, 9.0], index=units["adcode"])
    result = moran_by_county(values, units, n_permutations=9)
    labels = result.local.set_index("adcode")["cluster"]
    assert labels["far"] == "island"
    assert labels["8"] == "no data"
    assert result.n_units == 8


def test_moran_on_real_county_areas(counties):
    result = moran_by_county(counties.set_index("adcode")["area_km2"], counties, n_permutations=99)
    assert len(result.local) == len(counties) == 90
    assert result.n_units == 90  # the Tianditu units tile the province: no islands
    assert -1 < result.moran_i < 1
    assert str(result.local.crs) == "EPSG:4326"
