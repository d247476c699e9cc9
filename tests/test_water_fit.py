"""Water fit: coefficient and basin tables, the 以水定产 ledger, and the parks on real layers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.tables import caps_template, county_basins, water_coefficients
from analysis.water_fit import (
    UNKNOWN,
    WATER_LAYERS,
    WaterInputError,
    run_water_fit,
    water_intensive_groups,
    water_ledger,
)
from layout import load_layer


@pytest.fixture(scope="module")
def layers():
    return {name: load_layer(name) for name in WATER_LAYERS}


def _coef(m3_per_t=5.0, m3_per_mwh=2.0):
    return pd.DataFrame(
        {
            "industry_key": ["coal_to_olefins", "thermal_power_air_cooled"],
            "industry_zh": ["煤制烯烃", "火力发电（空气冷却）"],
            "standard": ["test", "test"],
            "water_m3_per_t": [m3_per_t, np.nan],
            "water_m3_per_mwh": [np.nan, m3_per_mwh],
        }
    )


def _capacities():
    return pd.DataFrame(
        {
            "feature_id": ["a", "b", "c"],
            "industry_key": ["coal_to_olefins", "coal_to_olefins", "thermal_power_air_cooled"],
            "county_adcode": ["620922", "620982", "621022"],  # 瓜州, 敦煌 (疏勒河); 环县 (黄河)
            "output_t_per_yr": [600_000.0, 400_000.0, np.nan],
            "output_mwh_per_yr": [np.nan, np.nan, 1_000_000.0],
        }
    )


# --- tables -------------------------------------------------------------------------------


def test_every_county_has_one_basin_with_its_basis():
    basins = county_basins()
    counties = load_layer("counties")
    assert sorted(basins["county_adcode"]) == sorted(counties["adcode"])
    assert basins["basis"].notna().all() and basins["note"].notna().all()
    by = basins.set_index("county_adcode")["basin_zh"]
    assert by["620982"] == "疏勒河" and by["620921"] == "黑河" and by["620621"] == "石羊河"
    assert by["621202"] == "长江" and by["620102"] == "黄河"
    hexi = basins[basins["hexi_inland"]]
    assert set(hexi["basin_zh"]) == {"疏勒河", "黑河", "石羊河"}
    assert basins["uncertain"].sum() >= 5  # split counties say so


def test_coefficients_cite_a_standard_and_invent_nothing():
    coef = water_coefficients()
    assert coef["standard"].notna().all()
    unknown = coef[["water_m3_per_t", "water_m3_per_mwh"]].isna().all(axis=1)
    assert coef.loc[unknown, "note"].str.contains("user to supply").all()
    assert coef.loc[coef["industry_key"] == "thermal_power_recirculating", "standard"].item() == (
        "GB/T 18916.1-2021"
    )


def test_water_intensive_groups_from_lead_industries():
    text = pd.Series(["石油化工;装备制造", "煤炭;火电;煤化工", "软件和信息技术服务业", "不锈钢"])
    groups = water_intensive_groups(text, water_coefficients()).tolist()
    assert groups == ["petrochemicals", "coal_chemicals;thermal_power", "", "steel"]


# --- the ledger, by hand ------------------------------------------------------------------


def test_ledger_sums_demand_by_basin_and_prefecture():
    ledger = water_ledger(_capacities(), _coef(), county_basins())
    lines = ledger["lines"].set_index("feature_id")
    # 600,000 t x 5 m3/t = 3,000,000 m3 = 300 万m3; 1,000,000 MWh x 2 m3/MWh = 200 万m3.
    assert lines.loc["a", "demand_1e4_m3_per_yr"] == pytest.approx(300.0)
    assert lines.loc["c", "demand_1e4_m3_per_yr"] == pytest.approx(200.0)
    basin = ledger["by_basin"].set_index("basin_zh")
    assert basin.loc["疏勒河", "demand_1e4_m3_per_yr"] == pytest.approx(500.0)
    assert basin.loc["黄河", "demand_1e4_m3_per_yr"] == pytest.approx(200.0)
    prefecture = ledger["by_prefecture"].set_index("prefecture_adcode")
    assert prefecture.loc["620900", "demand_1e4_m3_per_yr"] == pytest.approx(500.0)
    assert (basin["cap_display"] == UNKNOWN).all()  # no caps given: never a number


def test_demand_above_cap_is_flagged():
    caps = pd.DataFrame(
        {
            "scope": ["basin", "basin"],
            "key": ["疏勒河", "黄河"],
            "cap_1e4_m3_per_yr": [400.0, 1000.0],
            "source": ["test cap", "test cap"],
        }
    )
    basin = water_ledger(_capacities(), _coef(), county_basins(), caps=caps)["by_basin"]
    basin = basin.set_index("basin_zh")
    assert basin.loc["疏勒河", "flag_en"] == "demand above cap"
    assert basin.loc["黄河", "flag_en"] == ""
    assert basin.loc["疏勒河", "cap_display"] == "400"


def test_missing_coefficient_gives_unknown_not_zero():
    ledger = water_ledger(_capacities(), _coef(m3_per_t=np.nan), county_basins())
    basin = ledger["by_basin"].set_index("basin_zh")
    assert np.isnan(basin.loc["疏勒河", "demand_1e4_m3_per_yr"])
    assert basin.loc["疏勒河", "demand_display"] == UNKNOWN
    assert basin.loc["疏勒河", "n_lines_unknown"] == 2


def test_ledger_errors_name_the_argument():
    with pytest.raises(WaterInputError, match="`capacities` lacks column"):
        water_ledger(_capacities().drop(columns="county_adcode"), _coef(), county_basins())
    bad = _capacities().assign(industry_key="unobtainium")
    with pytest.raises(WaterInputError, match="unobtainium"):
        water_ledger(bad, _coef(), county_basins())
    outside = _capacities().assign(county_adcode="110101")
    with pytest.raises(WaterInputError, match="not in Gansu"):
        water_ledger(outside, _coef(), county_basins())


# --- real layers --------------------------------------------------------------------------


def test_run_water_fit_lists_water_intensive_parks(layers):
    result = run_water_fit(layers)
    parks = result.tables["parks"].set_index("feature_id")
    assert result.numbers["total_demand_1e4_m3_per_yr"] == UNKNOWN
    assert "需用户补充产能" in result.summary_zh
    liugou = parks.loc["park_guazhou_liugou_coal_chemical_park"]
    assert liugou["basin_zh"] == "疏勒河" and liugou["hexi_inland"]
    assert "scarce Hexi inland basin" in liugou["flags_en"]
    assert parks.loc["park_lanzhou_new_area", "basin_zh"] == "黄河"
    assert "steel" in parks.loc["park_jiayuguan_industrial_park", "water_groups"]
    assert result.numbers["n_in_hexi_inland_basins"] == int(parks["hexi_inland"].sum()) > 5
    assert parks["distance_to_river_km"].notna().all()


def test_run_water_fit_with_user_capacities(layers):
    capacities = pd.DataFrame(
        {
            "feature_id": ["park_guazhou_liugou_coal_chemical_park"],
            "industry_key": ["coal_to_olefins"],
            "county_adcode": ["620922"],
            "output_t_per_yr": [600_000.0],
        }
    )
    coef = water_coefficients()  # the shipped table with one quota filled in by the user
    coef.loc[coef["industry_key"] == "coal_to_olefins", "water_m3_per_t"] = 5.0
    result = run_water_fit(layers, capacities=capacities, coefficients=coef)
    assert result.numbers["total_demand_1e4_m3_per_yr"] == 300.0
    assert result.numbers["n_basins_over_cap"] == 0
    assert result.tables["by_basin"]["cap_display"].tolist() == [UNKNOWN]


def test_filled_caps_template_drives_the_ledger():
    caps = caps_template(county_basins())
    assert len(caps) == 5 + 14  # five basins, fourteen prefectures
    caps.loc[caps["key"] == "620900", ["cap_1e4_m3_per_yr", "source"]] = [450.0, "user"]
    ledger = water_ledger(_capacities(), _coef(), county_basins(), caps=caps)
    prefecture = ledger["by_prefecture"].set_index("prefecture_adcode")
    assert prefecture.loc["620900", "flag_zh"] == "需水超过用水总量控制指标"  # 500 > 450
    assert prefecture.loc["621000", "cap_display"] == UNKNOWN
