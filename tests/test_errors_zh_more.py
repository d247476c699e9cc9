"""Errors a user can cause, in Chinese too: clustering, suitability, zonal statistics,
the constraint report and matching a planner's file (each caused on the real layers)."""

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from test_cli import longtu

from longtu.analysis.clustering import (
    clark_evans,
    location_quotients,
    moran_by_county,
    park_points,
    ripley_l,
)
from longtu.analysis.constraints import (
    builtin_constraints,
    check_constraint_files,
    write_conflict_report,
)
from longtu.analysis.suitability.criteria import criteria_table
from longtu.analysis.zonal import zonal_stats
from longtu.errors import (
    CRSError,
    ParameterError,
    PointPatternInputError,
    RasterInputError,
    ScenarioError,
)
from longtu.layout import load_base_raster, load_layer, plan_layers
from longtu.layout.scenarios import confirm_matches, propose_matches


def _chinese_line(stderr: str) -> str:
    """The CLI's Chinese line of a refusal (the last line of stderr)."""
    return stderr.strip().splitlines()[-1]


# --- through the command line ----------------------------------------------------------------


def test_a_dbscan_radius_that_is_not_positive_is_refused_in_chinese(tmp_path):
    run = longtu("analyze", "clustering", "--out", str(tmp_path / "c"), "--eps-km", "-1")
    assert run.returncode != 0
    assert _chinese_line(run.stderr) == (
        "longtu: 错误：DBSCAN 半径须大于 0 km（而不是 -1.0），每个集聚最少园区数须至少为 1"
        "（而不是 3）。"
    )


def test_criteria_without_any_weight_are_refused_in_chinese(tmp_path):
    criteria = tmp_path / "criteria.csv"
    criteria_table("pv").assign(weight=0.0).to_csv(criteria, index=False)
    run = longtu("suitability", "--industry", "pv", "--out", str(tmp_path / "s"),
                 "--criteria", str(criteria))  # fmt: skip
    assert run.returncode != 0
    assert _chinese_line(run.stderr) == (
        "longtu: 错误：准则表中没有可用的、权重大于 0 的评分准则；请至少给一个有数据的评分准则"
        "以正权重。"
    )


# --- through the public functions ------------------------------------------------------------


@pytest.fixture(scope="module")
def park_locations() -> gpd.GeoDataFrame:
    return park_points(load_layer("parks"))[0]


def test_point_pattern_arguments_are_refused_in_chinese(park_locations):
    province = load_layer("province")
    with pytest.raises(PointPatternInputError) as error:
        ripley_l(park_locations, distances_km=[-5, 10], study_area=province)
    assert error.value.message_zh == "距离（km）须为一列正数。"
    with pytest.raises(PointPatternInputError) as error:
        clark_evans(park_locations.iloc[:1], study_area=province)
    assert error.value.message_zh == "最近邻检验至少需要 2 个点。"
    with pytest.raises(PointPatternInputError) as error:
        clark_evans(park_locations, study_area=province.set_crs(None, allow_override=True))
    assert error.value.message_zh.startswith("研究区未注明坐标系；")


def test_an_unknown_region_kind_and_contiguity_are_refused_in_chinese():
    with pytest.raises(PointPatternInputError) as error:
        location_quotients(load_layer("parks"), by="county")
    assert error.value.message_zh == (
        "分区方式须为 prefecture（市州）或 zone（经济区），而不是 'county'。"
    )
    counties = load_layer("counties")
    with pytest.raises(PointPatternInputError) as error:
        moran_by_county(pd.Series(1.0, index=counties["adcode"]), counties, contiguity="bishop")
    assert "'bishop'" in error.value.message_zh and "邻接方式须为 queen" in error.value.message_zh


def test_zonal_statistics_refusals_are_in_chinese():
    terrain = load_base_raster("terrain").path
    counties = load_layer("counties")
    with pytest.raises(ParameterError) as error:
        zonal_stats(terrain, counties, stats=("median",), coverage="middle")
    chinese = error.value.message_zh
    assert chinese.startswith("统计量 'median' 无法识别，请从 count、")  # both problems at once
    assert "像元归属方式 'middle' 无法识别" in chinese and chinese.endswith("。")
    with pytest.raises(CRSError) as error:
        zonal_stats(terrain, counties.set_crs(None, allow_override=True))
    assert error.value.message_zh.startswith("分区未注明坐标系；")
    atlantic = counties.set_geometry(counties.translate(-150, 0))  # lon -57 to -41: off the raster
    with pytest.raises(RasterInputError) as error:
        zonal_stats(terrain, atlantic)
    assert error.value.message_zh.startswith(f"{terrain.name}：没有一个分区落在栅格上")


def test_a_report_name_of_another_format_is_refused_in_chinese(tmp_path):
    result = check_constraint_files([], builtins=[builtin_constraints("tibetan_plateau")])[0]
    with pytest.raises(ParameterError) as error:
        write_conflict_report(result, tmp_path / "report.shp")
    assert (
        error.value.message_zh
        == "报告文件（--out）须以 .gpkg 或 .parquet 结尾，而不是 report.shp。"
    )
    assert not list(tmp_path.iterdir())  # nothing written


# --- matching a planner's file ---------------------------------------------------------------


def _sites(rows: list[tuple[str, float, float]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"NAME": [name for name, _, _ in rows]},
        geometry=[shapely.Point(lon, lat) for _, lon, lat in rows],
        crs=4326,
    )


def test_a_name_column_or_layer_that_is_not_there_is_refused_in_chinese():
    sites = _sites([("张掖经济技术开发区", 100.45, 38.93)])
    with pytest.raises(ScenarioError) as error:
        propose_matches(sites, name_column="mc", layers=plan_layers())
    assert error.value.message_zh == "名称列 mc 不是该文件的列；文件的列有：NAME。"
    with pytest.raises(ScenarioError) as error:
        propose_matches(sites, layers=plan_layers(), match_layers=("nosuch",))
    assert error.value.message_zh.startswith("没有可匹配的图层 nosuch；请从 ")
    assert "园区（parks）" in error.value.message_zh


def test_every_problem_of_confirming_is_said_in_chinese():
    layers = plan_layers()
    two = propose_matches(
        _sites([("张掖经济技术开发区", 100.45, 38.93), ("张掖经开区", 100.46, 38.93)]),
        layers=layers,
    )
    with pytest.raises(ScenarioError) as error:
        choose = {1: "park_zhangye_etdz", 2: "park_zhangye_etdz", 5: "park_zhangye_etdz"}
        confirm_matches(two, layers, author="li", reason="r", source_file="a.kml", choose=choose)
    assert error.value.message_zh == (
        "无法确认匹配。为第 5 行选定了规划要素，但没有第 5 行。第 1 行与第 2 行都匹配 "
        "park_zhangye_etdz；请只保留一行（或将两者合并）。未保存任何改动。"
    )
    beijing = propose_matches(_sites([("张掖经济技术开发区", 116.4, 39.9)]), layers=layers)
    with pytest.raises(ScenarioError) as error:
        confirm_matches(beijing, layers, author="li", reason="r", source_file="a.kml",
                        choose={1: "park_zhangye_etdz"})  # fmt: skip
    assert error.value.message_zh.startswith(
        "无法确认匹配。a.kml 第 1 行（张掖经济技术开发区）在甘肃省界之外；请给出省内的 WGS84 坐标"
    )
    assert str(error.value).count("..") == 0  # one full stop before "Nothing was saved."
    unmatched = propose_matches(_sites([("某某物流中心", 103.8, 36.06)]), layers=layers)
    with pytest.raises(ScenarioError) as error:
        confirm_matches(unmatched, layers, author="li", reason="r", source_file="a.kml")
    assert error.value.message_zh == (
        "a.kml 中没有一个要素与规划要素匹配（共 1 行，全部未匹配）；请检查哪一列是名称，"
        "或为每一行选定规划要素。未保存任何改动。"
    )
