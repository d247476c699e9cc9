"""Resource fit: site attributes, NDRC zones, screening, available area, and a real GHI check."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from raster_helpers import write_geotiff
from scipy.stats import mannwhitneyu
from shapely.geometry import Point, box

from longtu.analysis.io.rasters import UserRaster, read_user_raster, sample_raster
from longtu.analysis.resource.availability import available_area
from longtu.analysis.resource.fit import RESOURCE_LAYERS, run_resource_fit, site_attributes
from longtu.analysis.resource.screening import ScreeningError, screen_sites
from longtu.analysis.resource.stations import interpolate_stations, leave_one_out
from longtu.analysis.tables import resource_zones, screening_thresholds
from longtu.layout import load_layer


@pytest.fixture(scope="module")
def layers():
    return {name: load_layer(name) for name in RESOURCE_LAYERS}


@pytest.fixture(scope="module")
def base(layers):
    return {k: layers[k] for k in ("rivers", "towns", "terrain", "land_cover", "prefectures")}


def _site(lon, lat, **columns):
    return gpd.GeoDataFrame(
        {"feature_id": ["s1"], "precision": ["site"], **{k: [v] for k, v in columns.items()}},
        geometry=[Point(lon, lat)],
        crs=4326,
    )


# --- tables -------------------------------------------------------------------------------


def test_resource_zones_follow_the_ndrc_documents():
    zones = resource_zones()
    assert len(zones) == 28 and zones["document"].str.contains("发改价格").all()
    wind = zones[zones["technology"] == "wind"].set_index("prefecture_adcode")["zone_class"]
    # 1906号: 张掖、嘉峪关、酒泉 class II (0.54), the rest of Gansu class III (0.58).
    assert sorted(wind[wind == "II"].index) == ["620200", "620700", "620900"]
    assert (wind.drop(["620200", "620700", "620900"]) == "III").all()
    pv = zones[zones["technology"] == "pv"].set_index("prefecture_adcode")
    # 1638号: 嘉峪关、武威、张掖、酒泉（含敦煌）、金昌 class I (0.90); other Gansu class II (0.95).
    assert sorted(pv.index[pv["zone_class"] == "I"]) == [
        "620200",
        "620300",
        "620600",
        "620700",
        "620900",
    ]
    assert set(pv["tariff_cny_per_kwh"]) == {0.90, 0.95}


def test_every_threshold_has_a_source():
    table = screening_thresholds()
    assert table["source"].notna().all()
    slope = table.query("criterion == 'slope_max'").set_index("technology")["value"].astype(float)
    # NREL's 3 % and 20 % grades, in degrees.
    assert slope["pv"] == pytest.approx(np.degrees(np.arctan(0.03)), abs=0.01)
    assert slope["wind"] == pytest.approx(np.degrees(np.arctan(0.20)), abs=0.01)


# --- screening on hand-made rows ----------------------------------------------------------


def _rows(**overrides):
    row = {
        "slope_deg": 0.5,
        "igbp_class": 16,
        "igbp_name_zh": "裸地",
        "igbp_name_en": "Barren",
        "distance_to_town_km": 10.0,
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_screen_excludes_steep_cropland_and_near_town():
    assert screen_sites(_rows(), technology="pv")["score"].item() == 100.0
    for bad in (
        {"slope_deg": 2.0},
        {"igbp_class": 12, "igbp_name_en": "Cropland"},
        {"distance_to_town_km": 1.0},
    ):
        out = screen_sites(_rows(**bad), technology="pv")
        assert out["excluded"].item() and out["score"].item() == 0.0
    # Wind tolerates 2 degrees and cropland.
    ok = screen_sites(_rows(slope_deg=2.0, igbp_class=12), technology="wind")
    assert not ok["excluded"].item()


def test_screen_penalises_mosaic_and_says_why():
    out = screen_sites(
        _rows(igbp_class=14, igbp_name_en="Cropland/natural mosaic"), technology="pv"
    )
    assert out["score"].item() == 80.0
    assert "Cropland/natural mosaic: -20 points" in out["reasons_en"].item()
    assert "resource not assessed" in out["flags_en"].item()


def test_csp_on_low_dni_is_flagged_only_when_dni_is_given():
    low = screen_sites(_rows(dni_kwh_m2_yr=1500.0), technology="csp")
    assert "direct normal irradiance 1500 < 1825" in low["flags_en"].item()
    assert "法向直射辐照 1500 < 1825" in low["flags_zh"].item() and low["score"].item() == 70.0
    wind = screen_sites(_rows(wind_speed_m_s=5.44), technology="wind")
    assert "风速 5.4 < " in wind["flags_zh"].item()  # one decimal: 5.44 m/s is not "5"
    daily = screen_sites(_rows(dni_kwh_m2_day=6.0), technology="csp")  # 2190 kWh/m2/yr
    assert daily["score"].item() == 100.0 and daily["resource_assessed"].item()
    none = screen_sites(_rows(), technology="csp")
    assert not none["resource_assessed"].item()
    assert "未提供法向直射辐照栅格" in none["flags_zh"].item()
    assert none["score_covers"].item().startswith("siting constraints only")


def test_ghi_grade_follows_gbt_31155():
    out = screen_sites(_rows(ghi_kwh_m2_yr=1800.0), technology="pv")
    assert out["ghi_grade_gbt31155"].item() == "A 最丰富"
    out = screen_sites(_rows(ghi_kwh_m2_yr=1300.0), technology="pv")
    assert out["ghi_grade_gbt31155"].item() == "C 较丰富" and out["score"].item() == 80.0


def test_screen_rejects_unknown_technology_and_missing_columns():
    with pytest.raises(ScreeningError, match="`technology` 'nuclear'"):
        screen_sites(_rows(), technology="nuclear")
    with pytest.raises(ScreeningError, match="lacks slope_deg"):
        screen_sites(_rows().drop(columns="slope_deg"), technology="pv")


# --- site attributes on real layers -------------------------------------------------------


def test_site_attributes_of_a_point_in_dunhuang(base):
    attrs = site_attributes(_site(94.66, 40.14), **base)
    row = attrs.iloc[0]
    assert row["prefecture_adcode"] == "620900"
    assert (row["wind_zone_class"], row["pv_zone_class"]) == ("II", "I")
    assert 1000 < row["elevation_m"] < 1300  # Dunhuang oasis ~1,140 m
    assert row["distance_to_town_km"] < 10 and row["distance_to_river_km"] >= 0
    assert row["igbp_name_en"] in {"Cropland", "Barren", "Urban and built-up", "Grassland"}


def test_site_attributes_skip_unplaced_and_explode_multipoints(layers, base):
    sites = layers["energy_sites"]
    attrs = site_attributes(sites, **base)
    assert attrs.attrs["n_unplaced"] == int(sites.geometry.isna().sum()) > 0
    assert len(attrs) > int(sites.geometry.notna().sum())  # MultiPoints give one row per point
    county = attrs[attrs["precision"] == "county"]
    assert county["precision_note_en"].str.contains("not a site").all()


def test_an_area_site_takes_the_mean_over_its_polygon(base):
    # 0.01-degree raster: 10 west of 94.6 E, 0 east of it. The box 94.5-94.8 E has a third of its
    # cells west of 94.6 (mean 3.33); its representative point lies east of it (value 0).
    lon = 94.0 + (np.arange(150) + 0.5) * 0.01
    data = np.tile(np.where(lon < 94.6, 10.0, 0.0), (150, 1))
    raster = UserRaster(data, Affine(0.01, 0, 94.0, 0, -0.01, 41.0), "probe", "1")
    area = gpd.GeoDataFrame(
        {"feature_id": ["area", "point"], "precision": ["site", "site"]},
        geometry=[box(94.5, 40.0, 94.8, 40.3), Point(94.55, 40.1)],
        crs=4326,
    )
    attrs = site_attributes(area, resource_rasters=[raster], **base)
    assert attrs["probe_1"].tolist() == [pytest.approx(10 / 3), 10.0]


def test_input_layers_are_not_mutated(layers, base):
    sites = layers["energy_sites"].copy()
    before = sites.copy()
    site_attributes(sites, **base)
    pd.testing.assert_frame_equal(pd.DataFrame(sites), pd.DataFrame(before))


def test_projected_sites_are_refused(base):
    with pytest.raises(ValueError, match=r"`sites`.*to_crs"):
        site_attributes(_site(94.66, 40.14).to_crs(3857), **base)


def test_available_area_tiles_the_counties(layers):
    counties = layers["counties"]
    out = available_area(
        counties,
        technology="pv",
        terrain=layers["terrain"],
        land_cover=layers["land_cover"],
        towns=layers["towns"],
    )
    # The 0.05-degree grid reproduces the province's area to about 1 %.
    assert out["grid_area_km2"].sum() == pytest.approx(counties["area_km2"].sum(), rel=0.015)
    share = out["available_share_pct"].set_axis(counties["name_zh"])
    assert share["敦煌市"] > 90 and share["秦安县"] < 5  # Gobi vs. loess farmland


def test_resource_over_the_available_area_is_taken_at_the_raster_resolution(layers):
    # A 0.01-degree raster that is 1 only in the cell under each 0.05-degree grid centre and 0
    # elsewhere: sampling at the grid centres would say 1; the raster's mean is 1/25.
    rows, cols = np.indices((1060, 1700))
    data = ((rows % 5 == 2) & (cols % 5 == 2)).astype(float)
    raster = UserRaster(data, Affine(0.01, 0, 92.0, 0, -0.01, 43.0), "probe", "1")
    counties = layers["counties"].query("name_zh in ['敦煌市', '秦安县']")
    out = available_area(
        counties,
        technology="pv",
        terrain=layers["terrain"],
        land_cover=layers["land_cover"],
        towns=layers["towns"],
        resource_rasters=[raster],
    ).set_axis(counties["name_zh"])
    assert out.loc["敦煌市", "probe_1_mean_available"] == pytest.approx(1 / 25, abs=0.005)
    assert np.isnan(out.loc["秦安县", "probe_1_mean_available"])  # no available area


def test_run_resource_fit_on_the_plan(layers):
    result = run_resource_fit(layers)
    sites = result.tables["sites"]
    assert result.numbers["resource_rasters"] == "none"
    assert set(sites["screened_as"]) == {"wind", "pv", "csp", "wind_solar"}
    assert sites["score"].between(0, 100).all()
    assert (sites["score_covers"].str.contains("resource not assessed")).all()
    symbol = sites[sites["precision"].isin(["county", "prefecture"])]
    assert symbol["unit_available_km2"].notna().all()
    assert "未提供资源栅格" in result.summary_zh


# --- real data: an interpolated GHI surface through the user-raster path ------------------


@pytest.fixture(scope="module")
def ghi_stations(reference_dir):
    table = pd.read_csv(reference_dir / "solar" / "gansu_cdsrd_station_longterm_ghi.csv")
    return gpd.GeoDataFrame(
        table,
        geometry=gpd.points_from_xy(table["longitude(deg)"], table["latitude(deg)"]),
        crs=4326,
    )


@pytest.fixture(scope="module")
def ghi_raster(ghi_stations, tmp_path_factory):
    data, transform, crs = interpolate_stations(
        ghi_stations, "GHI_kWh_m2_yr_mean", name="ghi", unit="kWh/m2/yr", cell_km=10
    )
    path = tmp_path_factory.mktemp("ghi") / "ghi_idw_albers.tif"
    write_geotiff(path, data.astype("float32"), transform, crs, nodata=-9999.0)
    return read_user_raster(path, name="ghi")


@pytest.mark.reference
def test_interpolated_ghi_leave_one_out_error(ghi_stations):
    errors = leave_one_out(ghi_stations, "GHI_kWh_m2_yr_mean")["error"].abs()
    # Measured: median 39 kWh/m2/yr (about 2.5 % of Gansu's 1,221-1,749 range), max 215.
    assert len(errors) == 68
    assert errors.median() < 60
    assert errors.max() < 300


@pytest.mark.reference
def test_real_pv_plants_sit_on_higher_ghi_than_random_points(ghi_raster, reference_dir, layers):
    plants = pd.read_csv(reference_dir / "power" / "gansu_gppd_v130_with_capacity.csv")
    plants = plants[(plants["primary_fuel"] == "Solar") & plants["in_gansu"]]
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(plants["longitude"], plants["latitude"]), crs=4326
    )
    province = load_layer("province")
    random_points = province.sample_points(300, rng=np.random.default_rng(7)).explode()
    random_frame = gpd.GeoDataFrame(geometry=random_points.to_numpy(), crs=4326)
    at_plants = sample_raster(ghi_raster, points)
    at_random = sample_raster(ghi_raster, random_frame)
    assert not np.isnan(at_plants).any() and not np.isnan(at_random).any()
    # Measured: plants 1,670 vs random 1,612 kWh/m2/yr (means), one-sided Mann-Whitney p ~ 1e-10.
    assert at_plants.mean() - at_random.mean() > 30
    assert mannwhitneyu(at_plants, at_random, alternative="greater").pvalue < 1e-4


@pytest.mark.reference
def test_ghi_raster_flows_through_run_resource_fit(ghi_raster, layers):
    result = run_resource_fit(layers, resource_rasters=[ghi_raster])
    sites = result.tables["sites"]
    pv = sites[sites["screened_as"] == "pv"]
    assert pv["ghi_kwh_m2_yr"].between(1200, 1800).all()
    assert pv["resource_assessed"].all() and "ghi_grade_gbt31155" in pv.columns
    assert result.tables["rasters"]["column"].tolist() == ["ghi_kwh_m2_yr"]


def test_symbol_point_in_a_county_with_no_available_area_is_excluded(layers):
    county = layers["counties"].query("name_zh == '秦安县'")
    site = gpd.GeoDataFrame(
        {"feature_id": ["pv_qinan"], "technology": ["pv"], "precision": ["county"]},
        geometry=county.representative_point().to_numpy(),
        crs=4326,
    )
    result = run_resource_fit({**layers, "energy_sites": site})
    row = result.tables["sites"].iloc[0]
    assert row["unit_adcode"] == county["adcode"].item()
    assert row["unit_available_km2"] == 0 and row["excluded"] and row["score"] == 0
    assert row["reasons_en"].startswith("symbol point: screened over the county, 0 km²")
