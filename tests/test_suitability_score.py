"""Suitability (MCDA): transforms, exclusions, weights, candidate areas; real Gansu data."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from pyproj import Geod
from scipy.stats import mannwhitneyu
from shapely.geometry import LineString, Point, box

from longtu import settings
from longtu.analysis.io.rasters import UserRaster, sample_raster
from longtu.analysis.resource.stations import station_surface
from longtu.analysis.suitability.score import (
    SUITABILITY_LAYERS,
    SuitabilityError,
    criteria_table,
    suitability,
    transform_scores,
)
from longtu.analysis.tables import screening_thresholds
from longtu.layout import load_layer, plan_layers

GEOD = Geod(ellps="WGS84")
SQUARE = box(100.0, 38.0, 101.0, 39.0)  # the whole "province" of the tiny cases
NO_PARKS = gpd.GeoDataFrame({"name_zh": [], "lead_industries_zh": []}, geometry=[], crs=4326)


def _frame(rows: list[dict], geoms: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)


def _tiny_base(land: list[tuple[int, object]], towns: list[Point]) -> dict:
    """One square county; land-cover polygons burnt in order (later ones win)."""
    county = {"adcode": "629901", "name_zh": "甲县", "name_en": "Jia County"}
    county |= {"prefecture_adcode": "629900", "prefecture_name_zh": "甲市"}
    names = {0: ("水体", "Water"), 10: ("草地", "Grassland"), 16: ("裸地", "Barren")}
    return {
        "counties": _frame([county], [SQUARE]),
        "prefectures": _frame([{"adcode": "629900", "name_en": "Jia City"}], [SQUARE]),
        "rivers": _frame([{}], [LineString([(100.0, 38.9), (101.0, 38.9)])]),
        "towns": _frame([{}] * len(towns), towns),
        "terrain": _frame([{"slope_deg": 0.5}], [SQUARE]),
        "land_cover": _frame(
            [{"igbp_class": c, "name_zh": names[c][0], "name_en": names[c][1]} for c, _ in land],
            [g for _, g in land],
        ),
        "tibetan_plateau": _frame([{}], [box(100.0, 38.0, 100.2, 38.2)]),
    }


def _rows(*rows: tuple) -> pd.DataFrame:
    columns = ["criterion", "weight", "transform", "param_low", "param_high", "classes", "unit"]
    return pd.DataFrame(rows, columns=columns)


def _cell(score, lon: float, lat: float) -> float:
    col, row = int((lon - 92.0) / 0.05), int((43.0 - lat) / 0.05)
    return float(score[row, col])


# --- hand-checkable cases -----------------------------------------------------------------


def test_one_criterion_score_is_the_transform_of_the_distance():
    base = _tiny_base([(16, SQUARE)], [Point(99.0, 38.5)])
    criteria = _rows(("distance_to_town_km", 1.0, "lower_better", 0, 200, None, "km"))
    score = suitability("pv", base=base, parks=NO_PARKS, criteria=criteria).rasters
    data = score["suitability_score"].data
    for lon, lat in [(100.025, 38.525), (100.975, 38.025), (100.475, 38.975)]:
        km = GEOD.inv(99.0, 38.5, lon, lat)[2] / 1000
        assert _cell(data, lon, lat) == pytest.approx(100 * (1 - km / 200), abs=1e-6)
    assert np.isnan(_cell(data, 101.5, 38.5))  # outside the county: no score


def test_transform_scores_by_hand():
    lower = {"transform": "lower_better", "param_low": 10.0, "param_high": 30.0}
    higher = {"transform": "higher_better", "param_low": 1400.0, "param_high": 1750.0}
    classes = {"transform": "class_scores", "classes": "16:1;10:0.8"}
    assert transform_scores(np.array([5.0, 20.0, 40.0]), lower).tolist() == [1.0, 0.5, 0.0]
    assert transform_scores(np.array([1575.0, 1800.0]), higher).tolist() == [0.5, 1.0]
    assert transform_scores(np.array([10.0, 12.0, np.nan]), classes)[:2].tolist() == [0.8, 0.0]


def test_weights_are_normalised_and_combined():
    west, east = box(100.0, 38.0, 100.5, 39.0), box(100.5, 38.0, 101.0, 39.0)
    base = _tiny_base([(16, west), (10, east)], [Point(99.0, 38.5)])
    criteria = _rows(
        ("land_cover", 3.0, "class_scores", None, None, "16:1;10:0.5", "igbp_class"),
        ("slope_deg", 1.0, "lower_better", 0, 1, None, "deg"),  # slope 0.5: score 0.5
    )
    result = suitability("pv", base=base, parks=NO_PARKS, criteria=criteria)
    assert result.tables["criteria"]["weight_used"].tolist() == [0.75, 0.25]
    data = result.rasters["suitability_score"].data
    assert _cell(data, 100.225, 38.525) == pytest.approx(100 * (0.75 * 1 + 0.25 * 0.5))
    assert _cell(data, 100.775, 38.525) == pytest.approx(100 * (0.75 * 0.5 + 0.25 * 0.5))


def test_a_resource_without_raster_is_dropped_and_said():
    base = _tiny_base([(16, SQUARE)], [Point(99.0, 38.5)])
    result = suitability("pv", base=base, parks=NO_PARKS)
    used = result.tables["criteria"].set_index("criterion")
    ghi = used.loc["resource:ghi"]
    assert ghi["weight_used"] == 0 and ghi["status"].startswith("dropped (no raster supplied)")
    assert used["weight_used"].sum() == pytest.approx(1.0)
    # slope, land cover and town distance share 0.45 of the default weights: 1/3 each now.
    assert used.loc["slope_deg", "weight_used"].max() == pytest.approx(1 / 3)
    assert "水平面总辐射栅格" in result.summary_zh and "renormalised" in result.summary_en
    assert "resource:" not in result.summary_zh + result.summary_en  # words, not keys
    with_ghi = suitability("pv", base=base, parks=NO_PARKS, resource_rasters=[_flat(4.8)])
    table = with_ghi.tables["criteria"].set_index("criterion")
    assert table.loc["resource:ghi", "weight_used"] == pytest.approx(0.4 / 0.85)
    # 4.8 kWh/m2/day = 1752 kWh/m2/yr, above the 1750 of GB/T 31155 grade A: resource score 1.
    assert "1752 kWh/m2/yr" in with_ghi.tables["candidates"]["reasons_en"].iloc[0]


def _flat(value: float) -> UserRaster:
    """A constant daily-GHI raster over the tiny square (converted to kWh/m2/yr by the tool)."""
    return UserRaster(
        np.full((20, 20), value), Affine(0.2, 0, 99, 0, -0.2, 40), "ghi", "kWh/m2/day"
    )


def test_hard_exclusions_blank_cells():
    water = box(100.5, 38.5, 100.6, 38.6)
    base = _tiny_base([(16, SQUARE), (0, water)], [Point(100.32, 38.32)])
    score = suitability("pv", base=base, parks=NO_PARKS).rasters["suitability_score"].data
    assert np.isnan(_cell(score, 100.525, 38.525))  # open water (IGBP 0)
    assert np.isnan(_cell(score, 100.325, 38.325))  # < 2 km from a town (screening_thresholds)
    assert not np.isnan(_cell(score, 100.725, 38.725))
    plain = suitability("pv", base=base, parks=NO_PARKS)
    plateau = suitability("pv", base=base, parks=NO_PARKS, exclude_plateau=True)
    blank = plateau.rasters["suitability_score"].data
    assert np.isnan(_cell(blank, 100.125, 38.125)) and not np.isnan(_cell(score, 100.125, 38.125))
    # 2 x 2 water cells + the town's own cell (its neighbours' centres are > 3.9 km away);
    # the plateau box adds 4 x 4 cells.
    assert (plain.numbers["cells_excluded"], plateau.numbers["cells_excluded"]) == (5, 21)
    assert plain.numbers["cells_in_gansu"] == 400 and plain.numbers["cells_scored"] == 395


def test_energy_exclusions_come_from_the_screening_thresholds():
    table = criteria_table("wind")
    rules = screening_thresholds().query("technology == 'wind' and action == 'exclude'")
    excluded = table[table["transform"].str.startswith("exclude")]
    slope = excluded[excluded["criterion"] == "slope_deg"]["param_high"].item()
    assert slope == float(rules.query("criterion == 'slope_max'")["value"].item()) == 11.31
    classes = set(excluded["classes"].dropna())
    assert {"0;11", rules.query("criterion == 'land_cover_excluded'")["value"].item()} == classes
    assert (
        excluded[excluded["criterion"] != "distance_to_town_km"]["source"]
        .str.contains("NREL")
        .all()
    )
    general = criteria_table("电子信息")
    assert general[general["transform"].str.startswith("exclude")]["classes"].tolist() == ["0;11"]
    assert general["source"].str.contains("our default").any()


def test_top_candidates_are_polygons_ordered_by_score():
    west, east = box(100.0, 38.0, 100.5, 39.0), box(100.5, 38.0, 101.0, 39.0)
    towns = [Point(100.2, 38.2), Point(100.8, 38.8)]  # one in each half
    base = _tiny_base([(16, west), (10, east)], towns)
    criteria = _rows(
        ("land_cover", 1.0, "class_scores", None, None, "16:1;10:0.5", "igbp_class"),
        ("distance_to_town_km", 1.0, "lower_better", 0, 30, None, "km"),
    )
    result = suitability("pv", base=base, parks=NO_PARKS, criteria=criteria, min_score=60)
    top = result.tables["candidates"]
    assert top["rank"].tolist() == [1, 2] and top["mean_score"].is_monotonic_decreasing
    assert top.geometry.iloc[0].contains(towns[0]) and top.geometry.iloc[1].contains(towns[1])
    assert (top["max_score"] >= top["mean_score"]).all() and (top["mean_score"] >= 60).all()
    cell_km2 = abs(GEOD.geometry_area_perimeter(box(100.0, 38.15, 100.05, 38.2))[0]) / 1e6
    assert top["area_km2"].iloc[0] == pytest.approx(top["n_cells"].iloc[0] * cell_km2, rel=0.01)
    assert (
        top["county_zh"].tolist() == ["甲县", "甲县"] and top["prefecture_en"].iloc[0] == "Jia City"
    )
    assert top["reasons_zh"].iloc[0].startswith("土地覆被 裸地（得分 1.00）")
    assert "km to a town (score" in top["reasons_en"].iloc[1]


def test_bad_criteria_list_every_problem():
    base = _tiny_base([(16, SQUARE)], [Point(99.0, 38.5)])
    criteria = _rows(
        ("elevation", 1.0, "lower_better", 0, 1, None, "m"),
        ("slope_deg", 1.0, "lower_better", 5, 1, None, "deg"),
        ("land_cover", 1.0, "bucket", None, None, None, ""),
    )
    with pytest.raises(
        SuitabilityError,
        match=r"unknown criterion 'elevation'.*param_low < param_high.*unknown transform 'bucket'",
    ):
        suitability("pv", base=base, parks=NO_PARKS, criteria=criteria)
    with pytest.raises(ValueError, match=r"`base\['towns'\]` is in EPSG:3857"):
        suitability("pv", base={**base, "towns": base["towns"].to_crs(3857)}, parks=NO_PARKS)


def test_an_edited_criteria_csv_round_trips(tmp_path):
    base = _tiny_base([(16, SQUARE)], [Point(99.0, 38.5)])
    table = criteria_table("pv")
    table.loc[table["criterion"] == "distance_to_town_km", "weight"] = 0.0
    table.to_csv(tmp_path / "criteria.csv", index=False)
    edited = pd.read_csv(tmp_path / "criteria.csv")
    result = suitability("pv", base=base, parks=NO_PARKS, criteria=edited)
    used = result.tables["criteria"]
    assert used.loc[used["weight_used"] > 0, "criterion"].tolist() == ["slope_deg", "land_cover"]
    # slope 0.5 deg on 0-1.72: 1 - 0.5/1.72; barren scores 1; equal weights.
    expected = 100 * (0.5 * (1 - 0.5 / 1.72) + 0.5 * 1.0)
    assert _cell(result.rasters["suitability_score"].data, 100.5, 38.5) == pytest.approx(expected)


def test_a_raster_in_the_wrong_unit_is_refused():
    base = _tiny_base([(16, SQUARE)], [Point(99.0, 38.5)])
    wind = UserRaster(np.full((20, 20), 7.0), Affine(0.2, 0, 99, 0, -0.2, 40), "ghi", "m/s")
    with pytest.raises(SuitabilityError, match="`resource_rasters` 'ghi' is in m/s"):
        suitability("pv", base=base, parks=NO_PARKS, resource_rasters=[wind])


def test_no_cell_above_the_threshold_gives_no_candidates():
    base = _tiny_base([(16, SQUARE)], [Point(99.0, 38.5)])
    result = suitability("pv", base=base, parks=NO_PARKS, min_score=100.5)
    assert result.tables["candidates"].empty and result.numbers["candidates"] == 0
    assert "前 0 个候选区" in result.summary_zh
    dni = UserRaster(np.full((2, 2), 2000.0), Affine(1, 0, 99, 0, -1, 40), "dni", "kWh/m2/yr")
    unused = suitability("pv", base=base, parks=NO_PARKS, resource_rasters=[dni])
    assert "Raster(s) dni unused" in unused.summary_en


# --- real Gansu data ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base():
    return {name: load_layer(name) for name in SUITABILITY_LAYERS}


@pytest.fixture(scope="module")
def energy_sites():
    return plan_layers()["energy_sites"]


def test_real_pv_candidates_lie_in_gansu_and_avoid_water_and_wetland(base, energy_sites):
    result = suitability("光伏", base=base, parks=energy_sites)
    top = result.tables["candidates"]
    assert len(top) == 10 and top["rank"].tolist() == list(range(1, 11))
    province = load_layer("province").to_crs(settings.equal_area_crs).geometry.iloc[0]
    projected = top.to_crs(settings.equal_area_crs)
    inside = projected.intersection(province).area / projected.area
    # Cells are in Gansu when their centre is: edge cells overhang the border by < half a cell.
    assert (inside > 0.9).all()
    wet = base["land_cover"][base["land_cover"]["igbp_class"].isin([0, 11])]
    overlap = gpd.overlay(top[["geometry"]], wet[["geometry"]], how="intersection")
    assert overlap.to_crs(settings.equal_area_crs).area.sum() < 1e6  # shared edges only, < 1 km²
    # The plan's 8 PV bases, the wind-solar base and 河西新能源基地 (keyword 新能源).
    assert result.numbers["same_industry_sites_placed"] == 10
    score = result.rasters["suitability_score"].data
    assert np.nanmin(score) >= 0 and np.nanmax(score) <= 100
    assert result.numbers["cells_in_gansu"] == 17455


def test_real_coal_chemicals_exclude_only_water_and_wetland(base):
    result = suitability("煤化工", base=base, parks=plan_layers()["parks"])
    # Measured: 10 of Gansu's 17,455 cells are open water or permanent wetland (MODIS 2019).
    assert result.numbers["cells_excluded"] == 10 and result.numbers["cells_unknown"] == 0
    used = result.tables["criteria"].set_index("criterion")
    assert used.loc["distance_to_river_km", "weight_used"].max() == pytest.approx(0.3)
    plateau = suitability("煤化工", base=base, parks=plan_layers()["parks"], exclude_plateau=True)
    # The plateau layer covers 93,555 km² of Gansu: about 3,800 cells of ~25 km².
    assert 3700 < plateau.numbers["cells_excluded"] < 3900


@pytest.mark.reference
def test_real_pv_plants_score_above_random_points(base, energy_sites, reference_dir):
    table = pd.read_csv(reference_dir / "solar" / "gansu_cdsrd_station_longterm_ghi.csv")
    stations = gpd.GeoDataFrame(
        table,
        geometry=gpd.points_from_xy(table["longitude(deg)"], table["latitude(deg)"]),
        crs=4326,
    )
    ghi = station_surface(stations, "GHI_kWh_m2_yr_mean", name="ghi", unit="kWh/m2/yr")
    result = suitability("pv", base=base, parks=energy_sites, resource_rasters=[ghi])
    assert result.tables["criteria"].set_index("criterion").loc["resource:ghi", "status"] == "used"
    plants = pd.read_csv(reference_dir / "power" / "gansu_gppd_v130_with_capacity.csv")
    plants = plants[(plants["primary_fuel"] == "Solar") & plants["in_gansu"]]
    at_plants = _score_at(result, gpd.points_from_xy(plants["longitude"], plants["latitude"]))
    random = load_layer("province").sample_points(300, rng=np.random.default_rng(7)).explode()
    at_random = _score_at(result, random.to_numpy())
    # Measured: 190 plants mean 60.7 vs 300 random points 37.6 (excluded cells count as 0);
    # one-sided Mann-Whitney p ~ 1.5e-26. 18 % of plants sit in excluded cells (town setback,
    # cropland on ~5.5 km cells), 36 % of random points.
    assert at_plants.mean() - at_random.mean() > 15
    assert mannwhitneyu(at_plants, at_random, alternative="greater").pvalue < 1e-12


def _score_at(result, points) -> np.ndarray:
    raster = result.rasters["suitability_score"]
    grid = UserRaster(raster.data, raster.transform, "score", "-")
    values = sample_raster(grid, gpd.GeoDataFrame(geometry=list(points), crs=4326))
    return np.nan_to_num(values, nan=0.0)
