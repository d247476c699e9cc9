"""The plan against what was built (analysis.built): a hand-made register and GPPD's extract.

The small register (tests/data/built/register_zh.csv, its README gives every answer) checks the
reading of Chinese headers, 万千瓦, GBK and the words; the Global Power Plant Database extract in
../shared/reference/power is checked base by base against an independent spatial join.
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest
from conftest import REPO

from longtu.analysis.built import BUILT_LAYERS, built_view, read_plant_register
from longtu.analysis.built.register import plants_from_table
from longtu.errors import CRSError, UserTableError
from longtu.layout import load_layer, plan_layers
from longtu.layout.places import split_list
from longtu.maps import labels

SMALL = REPO / "tests" / "data" / "built" / "register_zh.csv"
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


@pytest.fixture(scope="module")
def layers():
    plan = plan_layers()
    return {name: plan[name] if name in plan else load_layer(name) for name in BUILT_LAYERS}


@pytest.fixture(scope="module")
def small(layers):
    return built_view(layers, read_plant_register(SMALL), register_name=SMALL.name)


def _base(result, feature_id: str) -> pd.Series:
    """The row of the base `feature_id` of the energy-sites layer (found by its name)."""
    sites = plan_layers()["energy_sites"].set_index("feature_id")
    bases = result.tables["built_bases"]
    return bases[bases["name_zh"] == sites.loc[feature_id, "name_zh"]].iloc[0]


def test_register_in_chinese_headers_gbk_and_wan_kilowatt_is_read():
    plants = read_plant_register(SMALL)
    assert plants["plant_name"].iloc[0] == "民勤风电一期"
    assert plants["built_mw"].iloc[:3].tolist() == [49.5, 50.0, 10.0]  # 万千瓦 x 10
    assert plants["technology"].tolist()[:5] == ["wind", "wind", "pv", "csp", "wind"]
    assert plants["year"].iloc[:3].tolist() == [2012.0, 2015.0, 2013.0]
    assert plants.geometry.isna().tolist() == [False] * 8 + [True]


def test_a_register_lacking_fields_names_all_of_them_at_once():
    table = pd.DataFrame({"名称": ["A"], "经度": ["100"]})
    with pytest.raises(UserTableError, match=r"lacks technology.*capacity.*location.*It has: 名称"):
        plants_from_table(table, source="电站.csv")


def test_capacity_unit_comes_from_the_header():
    table = pd.DataFrame(
        {"name": ["A"], "type": ["Wind"], "capacity (kW)": ["49,500"], "lon": [102], "lat": [38]}
    )
    assert plants_from_table(table)["built_mw"].tolist() == [49.5]


def test_plants_in_another_crs_are_refused(layers):
    plants = read_plant_register(SMALL).to_crs(3857)
    with pytest.raises(CRSError, match="to_crs"):
        built_view(layers, plants)


def test_each_base_counts_the_plants_of_its_kind_in_its_region(small):
    minqin = _base(small, "energy_minqin_wind_base")
    assert (minqin["n_plants"], minqin["built_mw"]) == (2, 99.5)
    jiuquan = _base(small, "energy_jiuquan_wind_base")
    assert (jiuquan["n_plants"], jiuquan["built_mw"], jiuquan["flagged_mw"]) == (1, 6000.0, 6000.0)
    assert "存疑" in jiuquan["finding_zh"] and "questionable" in jiuquan["finding_en"]
    assert _base(small, "energy_dunhuang_pv_base")["built_mw"] == 10.0
    assert _base(small, "energy_dunhuang_csp_demo")["built_mw"] == 100.0
    jinchuan = _base(small, "energy_jinchuan_pv_base")
    assert (jinchuan["n_plants"], jinchuan["n_plants_no_capacity"]) == (1, 1)
    hybrid = _base(small, "energy_jinchang_wuwei_wind_solar_base")  # wind, PV and CSP
    assert (hybrid["n_plants"], hybrid["built_mw"]) == (3, 99.5)
    assert hybrid["placement_region_zh"] == "金昌市、武威市"
    assert hybrid["region_kind"] == "prefecture"


def test_a_base_with_no_plant_of_its_kind_says_so(small):
    tongwei = _base(small, "energy_tongwei_wind_base")
    assert tongwei["n_plants"] == 0
    assert tongwei["finding_zh"] == "登记册在其区域（通渭县）内没有风电电站"
    assert "no Wind plant" in tongwei["finding_en"]
    minqin_pv = _base(small, "energy_minqin_pv_base")  # the wind plants there are not PV
    assert minqin_pv["n_plants"] == 0


def test_mapped_mw_against_the_plans_targets(small, layers):
    table = small.tables["built_by_technology"].set_index("technology")
    wind = table.loc["wind"]
    assert (wind["n_plants_gansu"], wind["built_mw_gansu"]) == (4, 6148.5)
    assert wind["built_mw_in_bases"] == 6099.5  # the plant at 34.79 N is in no wind base
    targets = layers["targets"]
    target = targets[(targets["technology"] == "wind") & (targets["kind"] == "target")]
    assert wind["plan_target_mw"] == float(target["value_si"].iloc[0]) == 25000.0
    assert wind["built_share_of_target_pct"] == pytest.approx(100 * 6148.5 / 25000)
    assert table.loc["solar_total", "built_mw_gansu"] == 110.0
    assert table.loc["solar_total", "plan_target_mw"] == 11000.0  # 太阳能发电装机 1100万千瓦


def test_vintage_coverage_and_data_problems_are_stated(small):
    coverage = small.tables["built_coverage"].set_index("technology").loc["all"]
    assert coverage[["n_plants", "n_in_gansu", "n_outside_gansu"]].tolist() == [9, 7, 1]
    assert coverage[["n_no_location", "n_no_capacity", "n_with_year"]].tolist() == [1, 1, 7]
    assert coverage["years_present"] == "2010–2018"
    problems = small.tables["built_problems"].set_index("plant_name")["problem"].to_dict()
    assert problems == {
        "酒泉风电基地": "large_single_point",
        "民勤红沙岗风电": "named_place_elsewhere",
        "无坐标光伏": "no_location",
    }
    assert "民勤红沙岗风电（坐标与名称地点不符）" in small.summary_zh
    assert "2010–2018" in small.summary_zh and "2010–2018" in small.summary_en


def test_footprints_are_their_own_layer_drawn_from_plants(small):
    footprints = small.tables["built_footprints"]
    assert next(iter(small.tables)) == "built_footprints"  # the result map draws them
    wind = footprints[footprints["technology"] == "wind"]
    minqin = wind[wind["n_plants"] == 2].iloc[0]  # the two Minqin plants, 5.5 km apart
    assert minqin["built_mw"] == 99.5
    assert "武威民勤百万千瓦级风电基地" in minqin["bases_zh"]
    assert footprints.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert footprints["name_zh"].str.contains("建成范围").all()


def test_every_table_column_number_and_value_has_words(small):
    for name, table in small.tables.items():
        assert name in labels.TABLE_WORDS
        for column in table.columns.drop("geometry", errors="ignore"):
            assert column in labels.COLUMN_WORDS, column
            shown = labels.labelled_table(name, table, language="en").to_numpy().ravel()
            assert not [c for c in shown if SNAKE_CASE.search(str(c))], name
    for key in [*small.numbers, *small.parameters]:
        assert key in labels.NUMBER_WORDS or key in labels.PARAMETER_WORDS, key


REFERENCE = REPO.parent / "shared" / "reference" / "power"
GPPD = REFERENCE / "gansu_gppd_v130_with_capacity.csv"
needs_gppd = pytest.mark.skipif(not GPPD.is_file(), reason="../shared/reference is absent")


@pytest.fixture(scope="module")
def gppd(layers):
    return built_view(layers, read_plant_register(GPPD), register_name=GPPD.name)


def _independent_counts(layers) -> dict[str, tuple[int, float]]:
    """Per base: plants and MW found by a plain spatial join of GPPD with counties/prefectures."""
    raw = pd.read_csv(GPPD)
    points = gpd.GeoDataFrame(
        raw, geometry=gpd.points_from_xy(raw["longitude"], raw["latitude"]), crs=4326
    )
    points["tech"] = raw["primary_fuel"].map({"Wind": "wind", "Solar": "pv"})
    for level in ("counties", "prefectures"):
        units = layers[level][["adcode", "geometry"]].rename(columns={"adcode": level})
        joined = gpd.sjoin(points, units, predicate="within", how="left")
        points[level] = joined[level].groupby(level=0).first()
    sites = layers["energy_sites"]
    kinds = {"wind": {"wind"}, "pv": {"pv"}, "csp": {"csp"}, "wind_solar": {"wind", "pv", "csp"}}
    counts = {}
    for site in sites[sites["technology"].isin(list(kinds))].itertuples():
        level = "counties" if site.precision == "county" else "prefectures"
        codes = split_list(site.county_adcodes if level == "counties" else site.prefecture_adcodes)
        chosen = points[points["tech"].isin(kinds[site.technology]) & points[level].isin(codes)]
        counts[site.name_zh] = (len(chosen), float(chosen["capacity_mw_best"].sum()))
    return counts


@pytest.mark.reference
@needs_gppd
def test_gppd_per_base_plants_and_mw_match_an_independent_join(gppd, layers):
    bases = gppd.tables["built_bases"]
    found = {r.name_zh: (r.n_plants, pytest.approx(r.built_mw)) for r in bases.itertuples()}
    expected = _independent_counts(layers)
    assert found == expected
    assert sum(n for n, _ in expected.values()) > 100  # the comparison is not empty


@pytest.mark.reference
@needs_gppd
def test_gppd_known_faults_are_reported_as_data_problems(gppd):
    problems = gppd.tables["built_problems"].set_index("plant_name")
    single = problems.loc["Gansu Wind Farm"]
    assert (single["problem"], single["built_mw"]) == ("large_single_point", 6000.0)
    misplaced = problems.loc["Minqin Hongshagang Chenjiaqianjing Nanjing Wind"]
    assert misplaced["problem"] == "named_place_elsewhere"
    assert misplaced.geometry.y == pytest.approx(34.79)
    assert "民勤县" in misplaced["problem_zh"] and "Minqin County" in misplaced["problem_en"]
    jiuquan = _base(gppd, "energy_jiuquan_wind_base")
    assert jiuquan["flagged_mw"] == 6000.0


@pytest.mark.reference
@needs_gppd
def test_gppd_coverage_matches_the_reference_readme(gppd):
    """../shared/reference/README.md: inside Gansu solar 190 / 8,520 MW, wind 9 / 6,391 MW."""
    table = gppd.tables["built_by_technology"].set_index("technology")
    assert table.loc["pv", "n_plants_gansu"] == 190
    assert table.loc["pv", "built_mw_gansu"] == pytest.approx(8520, abs=1)
    assert table.loc["wind", "n_plants_gansu"] == 9
    assert table.loc["wind", "built_mw_gansu"] == pytest.approx(6391, abs=1)
    assert table.loc["csp", "n_plants_gansu"] == 0  # GPPD says only "Solar": read as PV
    assert "光热：登记册中省内没有此类电站" in gppd.summary_zh
    assert gppd.numbers["register_years"] == "1968–2017"
    assert gppd.numbers["n_register_plants_with_year"] == 29


@pytest.mark.reference
@needs_gppd
def test_gppd_geojson_gives_the_same_answer_as_the_csv(gppd, layers):
    geojson = built_view(layers, read_plant_register(GPPD.with_suffix(".geojson")))
    for name in ("built_bases", "built_by_technology", "built_problems"):
        left = pd.DataFrame(gppd.tables[name]).drop(columns="geometry", errors="ignore")
        right = pd.DataFrame(geojson.tables[name]).drop(columns="geometry", errors="ignore")
        pd.testing.assert_frame_equal(left, right)


def test_region_is_the_sites_polygon_the_county_of_its_point_or_none(layers):
    """A scenario may draw a base's outline or pin it to a site; an unplaced base is said."""
    import shapely

    sites = layers["energy_sites"]
    minqin = sites[sites["feature_id"] == "energy_minqin_wind_base"].iloc[[0, 0, 0]].copy()
    minqin["name_zh"] = ["画出的范围", "落到地块", "未落位"]
    minqin["precision"] = ["site", "site", "unplaced"]
    outline = shapely.box(103.0, 38.55, 103.2, 38.7)  # holds both Minqin plants of the register
    minqin["geometry"] = [outline, shapely.Point(103.1, 38.6), None]
    result = built_view({**layers, "energy_sites": minqin}, read_plant_register(SMALL))
    bases = result.tables["built_bases"].set_index("name_zh")
    assert bases.loc["画出的范围", ["region_kind", "n_plants", "built_mw"]].tolist() == [
        "polygon",
        2,
        99.5,
    ]
    assert bases.loc["落到地块", ["region_kind", "placement_region_zh"]].tolist() == [
        "point_county",
        "民勤县",
    ]
    assert bases.loc["未落位", "n_plants"] == 0
    assert bases.loc["未落位", "finding_zh"] == "规划未给出位置，无法对照"
