"""Water fit: coefficient and basin tables, the 以水定产 ledger, and the parks on real layers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from longtu.analysis.tables import (
    caps_template,
    county_basins,
    water_coefficients,
    water_quota_reference,
)
from longtu.analysis.water.fit import WATER_LAYERS, run_water_fit, water_intensive_groups
from longtu.analysis.water.ledger import (
    NO_SOURCE,
    UNCHECKED,
    UNKNOWN,
    WaterInputError,
    apply_quota_reference,
    water_ledger,
)
from longtu.layout import load_layer


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
    twice = pd.concat([_coef(), _coef().iloc[:1]], ignore_index=True)
    with pytest.raises(WaterInputError, match="more than one row for coal_to_olefins"):
        water_ledger(_capacities(), twice, county_basins())
    bare = _coef()[["industry_key", "water_m3_per_t", "water_m3_per_mwh"]]  # a minimal user file
    assert (
        water_ledger(_capacities(), bare, county_basins())["lines"]["demand_m3_per_yr"]
        .notna()
        .all()
    )
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


# --- transcribed quotas: shown with their provenance, used only when picked ------------------


def test_transcribed_quotas_carry_provenance_and_are_consistent():
    ref = water_quota_reference()
    assert ref["reference_id"].is_unique
    assert set(ref["checked_against_standard"]) == {"no"}
    for column in ("standard", "republished_in", "read_via", "quota_tier_zh", "variant_zh"):
        assert ref[column].str.len().gt(0).all(), column
    assert ref["read_via"].str.contains(r"@[0-9a-f]{40}").all()  # the commit that was read
    assert set(ref["industry_key"]) <= set(water_coefficients()["industry_key"])
    one_unit = ref[["water_m3_per_t", "water_m3_per_mwh"]].notna().sum(axis=1)
    assert (one_unit == 1).all()
    by = ref.set_index("reference_id")
    # the tiers of one standard tighten: existing > new or expanded > advanced plants
    methanol = by.loc[
        ["coal_to_methanol_existing", "coal_to_methanol_new", "coal_to_methanol_advanced"],
        "water_m3_per_t",
    ]
    assert methanol.is_monotonic_decreasing and methanol.is_unique
    for size in ("lt300", "300", "600", "1000"):  # air cooling needs far less than towers
        air = by.loc[f"thermal_air_cooled_{size}", "water_m3_per_mwh"]
        assert air < by.loc[f"thermal_recirculating_{size}", "water_m3_per_mwh"] / 2
    for feed in ("bituminous", "gas", "anthracite"):
        general = by.loc[f"synthetic_ammonia_{feed}_general", "water_m3_per_t"]
        assert by.loc[f"synthetic_ammonia_{feed}_advanced", "water_m3_per_t"] < general


def test_a_picked_quota_drives_the_ledger_and_says_it_is_unchecked():
    coef = apply_quota_reference(water_coefficients(), ["coal_to_methanol_new"])
    capacities = pd.DataFrame(
        {
            "feature_id": ["park_jiuquan_etdz", "park_jinchang_etdz"],
            "industry_key": ["coal_to_methanol", "coal_to_olefins"],
            "county_adcode": ["620902", "620302"],
            "output_t_per_yr": ["600,000", "100000"],
        }
    )
    lines = water_ledger(capacities, coef, county_basins())["lines"].set_index("feature_id")
    # 600,000 t x 11 m3/t (新建和改扩建企业) = 6.6 million m3 = 660 万m3
    assert lines.loc["park_jiuquan_etdz", "demand_1e4_m3_per_yr"] == pytest.approx(660.0)
    assert lines.loc["park_jiuquan_etdz", "value_source"].startswith(UNCHECKED)
    assert "北京市行业用水定额汇编" in lines.loc["park_jiuquan_etdz", "value_source"]
    assert lines.loc["park_jiuquan_etdz", "quota_tier"].startswith("新建和改扩建企业")
    assert np.isnan(lines.loc["park_jinchang_etdz", "demand_1e4_m3_per_yr"])  # not picked
    with pytest.raises(WaterInputError, match=r"unknown quota reference id.*choose from"):
        apply_quota_reference(water_coefficients(), ["coal_to_methanol_newest"])
    with pytest.raises(WaterInputError, match="one quota per industry"):
        apply_quota_reference(
            water_coefficients(), ["thermal_air_cooled_300", "thermal_air_cooled_600"]
        )


def test_a_quota_typed_without_its_source_says_so():
    coef = water_coefficients()
    coef.loc[coef["industry_key"] == "coal_to_olefins", "water_m3_per_t"] = 5.0
    lines = water_ledger(_capacities().iloc[:1], coef, county_basins())["lines"]
    assert lines["value_source"].tolist() == [NO_SOURCE]


def test_template_rows_left_blank_are_skipped_and_bad_rows_named():
    template = _capacities().astype(object)
    template.loc[3] = ["d", "", "620922", None, None]  # a template row nobody filled in
    ledger = water_ledger(template, _coef(), county_basins())
    assert sorted(ledger["lines"]["feature_id"]) == ["a", "b", "c"]
    with pytest.raises(WaterInputError, match="no row with an output typed in"):
        water_ledger(template.loc[[3]], _coef(), county_basins())
    no_key = template.copy()
    no_key.loc[1, "industry_key"] = ""
    with pytest.raises(
        WaterInputError, match="data row 2 \\(b\\) has an output but no industry_key"
    ):
        water_ledger(no_key, _coef(), county_basins())
    typo = template.copy()
    typo.loc[2, "output_mwh_per_yr"] = "一百万"
    with pytest.raises(WaterInputError, match=r"output_mwh_per_yr .* data row 3 '一百万'"):
        water_ledger(typo, _coef(), county_basins())


def test_capacity_template_names_the_county_and_the_keys_to_choose(layers):
    template = run_water_fit(layers).tables["capacities_template"]
    # On the plan every water-intensive park lies in one county: it is filled in.
    assert not template["county_adcode_choices"].str.contains(";").any()
    assert (template["county_adcode"] == template["county_adcode_choices"]).all()
    zhangye = template.set_index(["feature_id", "industry_group"]).loc[
        ("park_zhangye_coal_chemical_park", "coal_chemicals")
    ]
    assert zhangye["county_adcode"] == "620702"  # 甘州区
    assert "coal_to_methanol" in zhangye["industry_key_choices"].split(";")


def test_a_park_at_sites_in_two_counties_leaves_the_county_to_choose(layers):
    # A plan version drawing 张掖煤化工产业园 at two sites, in 甘州区 and in 山丹县: the user
    # picks the county (the real plan has no such park today).
    parks = layers["parks"].copy()
    zhangye = parks.index[parks["feature_id"] == "park_zhangye_coal_chemical_park"]
    shandan = layers["counties"].set_index("adcode").geometry["620725"].representative_point()
    first = parks.geometry[zhangye[0]]
    parks.loc[zhangye, "geometry"] = shapely.MultiPoint([first, shandan])
    template = run_water_fit({**layers, "parks": parks}).tables["capacities_template"]
    rows = template[template["feature_id"] == "park_zhangye_coal_chemical_park"]
    assert rows["county_adcode_choices"].tolist() == ["620702;620725"]
    assert rows["county_adcode"].tolist() == [""]
    others = template[template["feature_id"] != "park_zhangye_coal_chemical_park"]
    assert (others["county_adcode"] == others["county_adcode_choices"]).all() and len(others)


def test_a_bad_quota_is_named_even_without_capacities(layers):
    coef = water_coefficients().astype({"water_m3_per_t": object})
    coef.loc[coef["industry_key"] == "steel", "water_m3_per_t"] = "约4.8"
    with pytest.raises(WaterInputError, match=r"water_m3_per_t .* data row 3 '约4.8'"):
        run_water_fit(layers, coefficients=coef)
