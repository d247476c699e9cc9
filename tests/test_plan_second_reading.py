"""A second reading of the five plan texts against the plan layers (issue 14): what it corrected.

Each test holds one finding on the real plan tables and the real base layers; the full listing
of features per document is in test_plan_features.py.
"""

import pytest

from longtu.layout import load_layer, plan_layers
from longtu.layout.places import split_list
from longtu.layout.plan import read_table

S000, S001, S003, S004 = (
    "000_691dab9d9ef2ee9c.txt",
    "001_6b2e073c2b0c20ec.txt",
    "003_559e7734bfa8ac9e.txt",
    "004_5be4a3ea6465b74f.txt",
)


@pytest.fixture(scope="module")
def layers():
    return plan_layers()


@pytest.fixture(scope="module")
def prefectures():
    """Prefecture outlines: other_features is an area layer, drawn as the units it names."""
    return load_layer("prefectures").set_index("adcode").geometry


def _by_name(layers, layer):
    return layers[layer].set_index("name_zh")


def _refs(row):
    return set(split_list(row["source_refs"]))


def test_the_three_provincial_parks_of_001_101(layers):
    """001:101 '以平凉、庆阳、华亭省级工业园区…为载体' names the parks 003:183 names in full."""
    parks = _by_name(layers, "parks")
    for name in ("平凉工业园区", "庆阳西峰工业园区", "华亭工业园区"):
        assert f"{S001}:101" in _refs(parks.loc[name]), name
        assert parks.loc[name, "level"] == "provincial", name
    for name in ("平凉工业园区", "华亭工业园区"):  # 003:198 '以平凉、华亭2个省级工业园区'
        assert f"{S003}:198" in _refs(parks.loc[name]), name
    assert parks.loc["庆阳西峰工业园区", "county_adcodes"] == "621002"


def test_lanzhou_and_tianshui_electronics_clusters_of_000_83(layers, prefectures):
    other = _by_name(layers, "other_features")
    lanzhou = other.loc["兰州电子信息产品制造产业集群"]
    assert f"{S000}:83" in _refs(lanzhou)
    assert (lanzhou["precision"], lanzhou["prefecture_adcodes"]) == ("prefecture", "620100")
    assert lanzhou.geometry.equals(prefectures["620100"])
    # The 天水 half of the sentence is the 天水 innovation cluster of 001:101, not a second row.
    tianshui = other.loc["天水电子信息产业创新集群"]
    assert {f"{S000}:83", f"{S001}:101"} <= _refs(tianshui)
    assert not other.index.str.startswith("天水电子信息产品").any()


def test_the_refineries_of_the_petrochemical_chain_004_14(layers):
    sites = _by_name(layers, "energy_sites")
    for name in ("兰州石化环保搬迁改造项目", "庆阳石化公司炼厂扩能改造"):
        assert f"{S004}:14" in _refs(sites.loc[name]), name
    yumen = sites.loc["玉门石化特种润滑产品扩产项目"]
    assert (yumen["technology"], yumen["status"]) == ("energy_chemicals", "existing")
    assert (yumen["precision"], yumen["county_adcodes"]) == ("county", "620981")
    counties = load_layer("counties").set_index("adcode")
    assert counties.geometry["620981"].covers(yumen.geometry)  # 玉门市, the place in its name
    links = read_table("chain_links")
    chain = links[links["chain_id"] == "chain_371_petrochem_synthetic_fine_chem"]
    on_sites = set(chain.loc[chain["member_type"] == "energy_site", "member_ref"])
    assert on_sites == {
        "energy_lanzhou_petrochem_relocation",
        "energy_qingyang_petrochem_refinery",
        "energy_yumen_petrochem_lubricants",
    }


def test_named_centres_and_projects_with_a_place(layers, prefectures):
    other = _by_name(layers, "other_features")
    gene = other.loc["国家（兰州）基因检测技术应用示范中心"]  # 004:30
    assert f"{S004}:30" in _refs(gene) and gene.geometry.equals(prefectures["620100"])
    cas = other.loc["中科院西北科技创新集群"]  # 003:176, a project of 兰州新区
    assert f"{S003}:176" in _refs(cas)
    assert (cas["place_method"], cas["place_ref"]) == ("park", "兰州新区")
    assert cas.geometry.equals(_by_name(layers, "parks").loc["兰州新区"].geometry)


def test_platforms_of_the_lanbai_layout_drawn_at_their_zones(layers):
    """专栏3 (001:97): 兰州经济区 builds 国际港务区; 兰州高新区 its 总部经济园区."""
    other = _by_name(layers, "other_features")
    parks = _by_name(layers, "parks")
    for name, zone in (
        ("国际港务区", "兰州经济技术开发区"),
        ("兰州高新区总部经济园区", "兰州高新技术产业开发区"),
    ):
        row = other.loc[name]
        assert (row["place_method"], row["place_ref"]) == ("park", zone), name
        assert f"{S001}:97" in _refs(row), name
        assert row.geometry.equals(parks.loc[zone].geometry), name
        assert row["precision"] == "county", name  # the zone's, finer than 兰州's seat


def test_gannan_is_the_fourth_herb_area_of_004_29(layers, prefectures):
    other = _by_name(layers, "other_features")
    listed = [
        name for name, refs in other["source_refs"].items() if f"{S004}:29" in split_list(refs)
    ]
    assert sorted(listed) == sorted(
        [
            "定西道地药材标准化种植基地",
            "陇南道地药材标准化种植基地",
            "河西道地药材标准化种植基地",
            "甘南中药材主产区",
        ]
    )
    gannan = other.loc["甘南中药材主产区"]
    assert gannan["prefecture_adcodes"] == "623000" and gannan.geometry.equals(
        prefectures["623000"]
    )


def test_bases_of_the_demonstration_areas_and_of_jinwu(layers):
    """001:105 names a base in the 甘南 and 临夏 items as in the 定西 one; 003:180 one for 金武."""
    parks = _by_name(layers, "parks")
    for name, refs, codes in (
        ("甘南生态经济产业基地和创新基地", f"{S001}:105", "623000"),
        ("临夏绿色农畜产品生产和加工基地", f"{S001}:105", "622900"),
        ("金武绿色生态农产品生产加工出口基地", f"{S003}:180", "620300;620600"),
    ):
        base = parks.loc[name]
        assert refs in _refs(base), name
        assert (base["precision"], base["prefecture_adcodes"]) == ("prefecture", codes), name
    assert parks.loc["金武绿色生态农产品生产加工出口基地"].geometry.geom_type == "MultiPoint"


def test_one_equipment_base_per_place_of_003_191(layers):
    bases = layers["industrial_bases"]
    equipment = bases[bases["base_id"] == "base_equipment"].set_index("name_zh")
    for place in ("兰州", "天水", "酒泉"):
        base = equipment.loc[f"{place}先进装备制造业基地"]
        assert place in split_list(base["aliases_zh"])
        assert f"{S003}:191" in _refs(base)
    tianshui = equipment.loc["天水先进装备制造业基地"]
    assert "西部先进装备制造基地" in split_list(tianshui["aliases_zh"])  # 003:182
    assert f"{S003}:182" in _refs(tianshui)
    parks = _by_name(layers, "parks")
    for place, zone in (("天水", "天水经济技术开发区"), ("酒泉", "酒泉经济技术开发区")):
        base = equipment.loc[f"{place}先进装备制造业基地"]
        assert (base["place_method"], base["place_ref"]) == ("park", zone)
        assert base.geometry.equals(parks.loc[zone].geometry)


def test_kind_or_technology_other_says_why(layers):
    parks = layers["parks"]
    assert not (parks["kind"] == "other").any()  # every park has a kind the plans name
    bases = parks[parks["kind"] == "production_base"]
    assert len(bases) == 16 and bases["name_zh"].str.contains("基地").all()
    assert bases["notes"].str.contains("Kind production base").all()
    (bonded,) = parks.loc[parks["kind"] == "bonded_zone", "name_zh"]
    assert bonded == "兰州新区综合保税区"
    sites = layers["energy_sites"]
    (hexi,) = sites.loc[sites["technology"] == "other", "notes"]
    assert "kept as other" in hexi
    chemicals = sites[sites["technology"] == "energy_chemicals"]
    assert len(chemicals) == 11
    # The notes say the technology the row has, in words (they said 'technology other').
    assert not chemicals["notes"].str.contains("echnology other|energy_chemicals").any()
    assert chemicals["notes"].str.contains("能源化工").all()


def _near_level_word(line: str, names: list[str]) -> bool:
    """国家级 or 省级 within 25 characters of one of `names` on `line`."""
    for name in names:
        at = line.find(name)
        window = line[max(0, at - 25) : at + len(name) + 25] if at >= 0 else ""
        if "国家级" in window or "省级" in window:
            return True
    return False


def test_levels_left_unknown_were_read_next_to_their_level_words(layers, seeds_dir):
    """A park of unknown level whose cited line has 国家级/省级 near its name: each read, kept."""
    parks = layers["parks"]
    texts = {p.name: p.read_text(encoding="utf-8").split("\n") for p in seeds_dir.glob("*.txt")}
    near = set()
    for row in parks[parks["level"] == "unknown"].itertuples(index=False):
        names = [row.name_zh, *split_list(row.aliases_zh)]
        for ref in split_list(row.source_refs):
            seed, line = ref.split(":")
            if _near_level_word(texts[seed][int(line) - 1], names):
                near.add(row.name_zh)
    assert near == {
        "兰州新区",  # 003:165 the level is its emergency base's; 003:173 lists 国家级开发区 apart
        "泾川工业集中区",  # 001:101, 003:198: 省级 qualifies the 平凉、庆阳、华亭 parks only
        "灵台工业集中区",
        "崇信工业集中区",
        "白银市工业集中区（6个，未具名）",  # 003:175: 国家级 qualifies the 兰州、白银 zones
        "丝绸之路甘肃酒泉水科技国际合作园区",  # 001:200: 国家级 is the next item's
        "兰州新区工业化与信息化融合的产业化示范基地",  # 003:176: 国家级 is the cloud platform's
    }


def _stem(name: str) -> str:
    """县/区/市 and autonomy suffixes off a county name (环县 stays 环县)."""
    for suffix in ("哈萨克族自治县", "蒙古族自治县", "自治县", "县", "区", "市"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name.removesuffix(suffix)
    return name


def test_a_point_named_by_a_county_is_drawn_in_that_county(layers):
    """A site whose name holds a county's name lies in that county; the exceptions are words."""
    counties = load_layer("counties").set_index("adcode")
    # 嘉峪关 (620200) is a prefecture and its own county; the special units have no seat town.
    county_codes = [c for c in counties.index if not c.endswith("00") and not c.startswith("629")]
    stems = {_stem(counties.loc[code, "name_zh"]): code for code in county_codes}
    outside = set()
    for layer in ("parks", "energy_sites", "industrial_bases"):
        frame = layers[layer]
        points = frame[frame.geom_type.isin(["Point", "MultiPoint"])]
        for name, geometry in zip(points["name_zh"], points.geometry, strict=True):
            parts = getattr(geometry, "geoms", [geometry])
            for stem, code in stems.items():
                polygon = counties.geometry[code]
                if stem in name and not any(polygon.covers(part) for part in parts):
                    outside.add((name, stem))
    assert outside == {
        ("兰州金川科技园", "金川"),  # the company 金川集团 (金昌), the park is in 兰州
        ("丝绸之路甘肃酒泉水科技国际合作园区", "合作"),  # 国际合作 (co-operation), not 合作市
        ("临夏清真食品工业基地", "临夏"),  # 临夏州's seat 临夏市, not 临夏县
        ("临夏清真民族用品生产加工基地", "临夏"),
        ("临夏绿色农畜产品生产和加工基地", "临夏"),
    }
