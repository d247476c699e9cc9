"""The authored plan layers on real geography (gis_data/plan)."""

import pytest
import shapely

from longtu.layout import load_layer, plan_layers
from longtu.layout.plan import split_list
from longtu.layout.problems import Problems
from longtu.layout.validate import PARTITION_TOLERANCE_KM2, check_zone_partition

PV_BASE_COUNTIES = {"620982", "620921", "620902", "620200", "620302", "620602", "620621", "620724"}


@pytest.fixture(scope="module")
def layers():
    return plan_layers()


def test_three_zones_partition_gansu(layers):
    zones = layers["economic_zones"]
    problems = Problems()
    result = check_zone_partition(zones, load_layer("province"), problems)
    assert len(problems) == 0
    assert result["gap_km2"] < PARTITION_TOLERANCE_KM2
    assert result["overlap_km2"] < PARTITION_TOLERANCE_KM2
    top = zones[zones["level"] == "zone"]
    assert set(top["name_zh"]) == {"兰白经济区", "河西走廊经济区", "陇东南经济区"}
    subs = zones[zones["level"] == "sub_area"]
    assert set(subs["parent_id"]) <= set(top["feature_id"])
    assert {"兰州新区", "酒嘉", "金武"} <= set(subs["name_zh"]) | {
        a for cell in subs["aliases_zh"] for a in split_list(cell)
    }


def test_parks_cover_all_five_documents(layers):
    parks = layers["parks"]
    assert len(parks) > 60
    docs = {ref.split(":")[0][:3] for cell in parks["source_refs"] for ref in split_list(cell)}
    assert docs == {"000", "001", "002", "003", "004"}
    assert set(parks["level"]) <= {"national", "provincial", "other", "unknown"}


def test_aliases_resolve_to_one_park(layers):
    parks = layers["parks"]
    xifeng = parks[parks["aliases_zh"].str.contains("西峰工业集中区")]
    assert len(xifeng) == 1
    new_area = parks[parks["name_zh"] == "兰州新区"].iloc[0]
    # The new area spans 永登 and 皋兰; its symbol point (Zhongchuan airport) lies in 永登.
    assert set(split_list(new_area["county_adcode"])) == {"620121", "620122"}
    assert split_list(new_area["county_adcodes"]) == ["620121"]


def test_eight_pv_bases_and_jinchuan_is_in_jinchang(layers):
    sites = layers["energy_sites"]
    pv = sites[(sites["technology"] == "pv") & sites["capacity_class_zh"].str.contains("百万千瓦")]
    counties = {c for cell in pv["county_adcodes"] for c in split_list(cell)}
    assert counties == PV_BASE_COUNTIES
    jinchuan = pv[pv["county_adcodes"] == "620302"]
    assert len(jinchuan) == 1 and jinchuan["prefecture_adcodes"].item() == "620300"
    csp = sites[sites["technology"] == "csp"]
    assert len(csp) == 4


def test_wind_bases_where_the_plan_puts_them(layers):
    wind = layers["energy_sites"].query("technology == 'wind'")
    counties = {c for cell in wind["county_adcodes"] for c in split_list(cell)}
    assert {"620621", "621022", "621121"} <= counties  # 民勤, 环县, 通渭
    jiuquan = wind[wind["capacity_class_zh"] == "千万千瓦级"]
    assert len(jiuquan) == 1 and jiuquan["prefecture_adcodes"].item() == "620900"


def test_unplaced_features_are_listed_not_drawn(layers):
    for name in ("parks", "energy_sites", "other_features"):
        frame = layers[name]
        unplaced = frame["precision"] == "unplaced"
        assert frame.loc[unplaced].geometry.isna().all()
        assert frame.loc[~unplaced].geometry.notna().all()
    nuclear = layers["energy_sites"].query("technology == 'nuclear'")
    assert (nuclear["precision"] == "unplaced").any()


def test_every_feature_cited_and_located_in_words(layers):
    for name, frame in layers.items():
        assert frame["source_refs"].str.len().gt(0).all(), name
        if name != "targets":
            assert frame["location_basis"].str.len().gt(0).all(), name
            assert set(frame["precision"]) <= {
                "town",
                "county",
                "prefecture",
                "schematic",
                "unplaced",
            }


def test_points_lie_in_their_stated_counties(layers):
    counties = load_layer("counties").set_index("adcode")
    checked = 0
    for name in ("parks", "energy_sites"):
        frame = layers[name]
        for codes, geom in zip(frame["county_adcode"], frame.geometry, strict=True):
            if geom is None or not codes:
                continue
            area = shapely.union_all(counties.geometry[split_list(codes)].values)
            assert area.covers(geom)
            checked += 1
    assert checked > 30


def test_targets_equal_the_plan_figures(layers):
    targets = layers["targets"]

    def mw(tech, year, kind):
        rows = targets[
            (targets["technology"] == tech)
            & (targets["year"] == str(year))
            & (targets["kind"] == kind)
            & (targets["unit_si"] == "MW")
            & (targets["scope_adcode"].isin(["620000", ""]))
        ]
        return set(rows["value_si"])

    assert 25000 in mw("wind", 2020, "target")
    assert 9900 in mw("pv", 2020, "target")
    assert 1100 in mw("csp", 2020, "target")
    assert 12520 in mw("wind", 2015, "baseline")
    assert 6100 in mw("pv", 2015, "baseline")
    solar = targets[(targets["value_si"] == 11000) & (targets["year"] == "2020")]
    assert len(solar) >= 1
