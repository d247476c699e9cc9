"""Errors a user can cause in the readers and analyses say the same facts in Chinese.

Each test causes one error through a public function or the command line, on the real layers
of the data folder (counties, towns, parks) or a file made from them, and reads the Chinese
(:attr:`longtu.errors.LongtuError.message_zh`, or the CLI's ``longtu: 错误：`` line).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from longtu.analysis import AnalysisResult
from longtu.analysis.constraints import builtin_constraints, check_constraints
from longtu.analysis.distance import nearest_distance_km
from longtu.analysis.io import read_constraint_layer, read_vector_file, write_result
from longtu.analysis.resource import screen_sites
from longtu.analysis.resource.stations import station_surface
from longtu.analysis.siting import resolve_industry
from longtu.analysis.suitability import criteria_table
from longtu.cli.main import main
from longtu.errors import (
    ConstraintFileError,
    ConstraintInputError,
    CRSError,
    ParameterError,
    RasterInputError,
    ScreeningError,
    SuitabilityError,
    UnknownIndustryError,
)
from longtu.layout import load_layer

ASCII_PUNCTUATION = re.compile(r"[A-Za-z0-9)\]]\s*[;:,]\s|`")
"""Half-width punctuation after a word, or a backtick: not what the Chinese should carry."""


def _chinese_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run the CLI, expect the refusal (status 2), return its Chinese line without the prefix."""
    assert main(argv) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("longtu: error: ")
    assert lines[1].startswith("longtu: 错误：")
    return lines[1].removeprefix("longtu: 错误：")


def _plain_chinese(text: str | None) -> str:
    """`text`, checked to be a Chinese message without backticks or half-width separators."""
    assert text, "no Chinese"
    assert not ASCII_PUNCTUATION.search(text), text
    return text


@pytest.fixture(scope="module")
def counties() -> gpd.GeoDataFrame:
    return load_layer("counties")


# --- the command line ------------------------------------------------------------------------


def test_site_check_off_the_globe_says_so_in_chinese(capsys):
    zh = _chinese_line(capsys, ["site", "check", "--lon", "200", "--lat", "36", "--industry", "pv"])
    assert zh == (
        "经度 200.0、纬度 36.0：请以度为单位、用数字给出经纬度（经度 -180～180，纬度 -90～90；"
        "甘肃约在东经 92～109、北纬 32～43）。"
    )


def test_site_check_with_an_unknown_industry_lists_the_industries_in_chinese(capsys):
    zh = _chinese_line(
        capsys, ["site", "check", "--lon", "103.8", "--lat", "36.1", "--industry", "核聚变"]
    )
    assert zh.startswith("没有产业 核聚变；请用以下之一：光伏（pv）、风电（wind）、光热（csp）")
    assert zh.endswith("。") and "煤化工（coal_chemical）" in zh


def test_a_criteria_csv_with_bad_rows_is_refused_row_by_row_in_chinese(capsys, tmp_path):
    table = criteria_table("pv")
    first, second = table["criterion"].iloc[0], table["criterion"].iloc[1]
    table.loc[0, "transform"] = "bucket"
    table.loc[1, "weight"] = -1.0
    table.to_csv(tmp_path / "criteria.csv", index=False)
    argv = ["suitability", "--industry", "pv", "--criteria", str(tmp_path / "criteria.csv")]
    zh = _chinese_line(capsys, [*argv, "--out", str(tmp_path / "out")])
    assert zh == (
        f"准则表有以下问题：第 1 行数据（{first}）：没有变换 bucket（可用 lower_better、"
        "higher_better、class_scores、exclude_above、exclude_below、exclude_classes）；"
        f"第 2 行数据（{second}）：权重为负。请逐项改正。"
    )
    assert not (tmp_path / "out").exists()


# --- reading a user's layer ------------------------------------------------------------------


def test_an_unknown_format_names_the_file_and_the_formats(tmp_path):
    path = tmp_path / "县界.txt"
    path.write_text("not a layer", encoding="utf-8")
    with pytest.raises(ConstraintFileError) as refused:
        read_vector_file(path)
    assert refused.value.message_zh == (
        "县界.txt：不支持的格式 .txt；请用 GeoPackage、GeoJSON、Shapefile（zip）、KML/KMZ、"
        "FlatGeobuf 或 GeoTIFF 掩膜。"
    )


def test_a_geopackage_of_two_layers_asks_for_one_and_a_missing_one_is_named(counties, tmp_path):
    path = tmp_path / "区划.gpkg"
    counties.to_file(path, layer="counties")
    counties.head(3).to_file(path, layer="three")
    with pytest.raises(ConstraintFileError) as refused:
        read_vector_file(path)
    zh = _plain_chinese(refused.value.message_zh)
    assert zh.startswith("区划.gpkg 含 2 个图层（counties、three）；请选定一个")
    with pytest.raises(ConstraintFileError, match="has no layer `towns`") as missing:
        read_vector_file(path, layer="towns")
    assert missing.value.message_zh == "区划.gpkg 中没有图层 towns；其中的图层有：counties、three。"
    assert len(read_vector_file(path, layer="three")[0]) == 3


def test_a_zip_of_two_layers_and_a_zip_leaving_its_folder_are_refused(counties, tmp_path):
    for name in ("a", "b"):
        counties.head(2).to_file(tmp_path / f"{name}.geojson")
    two = tmp_path / "两层.zip"
    with zipfile.ZipFile(two, "w") as archive:
        for name in ("a", "b"):
            archive.write(tmp_path / f"{name}.geojson", arcname=f"{name}.geojson")
    with pytest.raises(ConstraintFileError) as refused:
        read_vector_file(two)
    assert "两层.zip 应只含一个图层文件" in refused.value.message_zh
    assert "实际有 2 个：a.geojson、b.geojson。请每个图层单独压缩。" in refused.value.message_zh
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.write(tmp_path / "a.geojson", arcname="../a.geojson")
    with pytest.raises(ConstraintFileError) as unsafe:
        read_vector_file(evil)
    assert unsafe.value.message_zh == (
        "evil.zip 中的 ../a.geojson 指向压缩包以外的路径，已拒绝，未解压任何文件。"
    )


def test_metres_declared_as_degrees_are_refused_with_the_extent(counties, tmp_path):
    metres = counties.head(5).to_crs(3857).set_crs(4326, allow_override=True)
    path = tmp_path / "米.gpkg"
    metres.to_file(path)
    with pytest.raises(ConstraintFileError, match="out of the range of degrees") as refused:
        read_vector_file(path)
    zh = _plain_chinese(refused.value.message_zh)
    assert zh.startswith("米.gpkg 的坐标超出经纬度范围（x 1.1")
    assert "而声明的坐标系 EPSG:4326 是经纬度" in zh and zh.endswith("（坐标系）。")


def test_a_layer_over_the_feature_limit_gives_both_numbers(counties, tmp_path):
    path = tmp_path / "县.fgb"
    counties.to_file(path)
    with pytest.raises(ConstraintFileError) as refused:
        read_constraint_layer(path, max_features=50)
    zh = _plain_chinese(refused.value.message_zh)
    assert zh.startswith("县.fgb 有 90 个要素，超过此处一次读取的上限 50 个")
    assert "longtu constraints check" in zh


# --- the analyses ----------------------------------------------------------------------------


def test_built_in_constraints_that_need_a_value_or_know_no_class_say_so():
    with pytest.raises(ConstraintInputError) as width:
        builtin_constraints("rivers", width_km=0)
    assert width.value.message_zh == (
        "内置河流约束须给出河流缓冲宽度（km，正数）；请按适用的法规或规划取值，本工具不作假定。"
    )
    with pytest.raises(ConstraintInputError) as classes:
        builtin_constraints("land_cover", classes=["desert"])
    assert classes.value.message_zh == (
        "土地覆被类别 desert 不存在；请用 water、wetland、forest、cropland、urban "
        "或 IGBP 代码 0–16。"
    )


def test_repeated_feature_ids_and_a_negative_buffer_are_refused(counties):
    parks = load_layer("parks")
    twice = pd.concat([parks.head(3), parks.head(1)], ignore_index=True)
    plateau = builtin_constraints("tibetan_plateau")
    with pytest.raises(ConstraintInputError) as repeated:
        check_constraints(twice, [plateau])
    assert repeated.value.message_zh == (
        "要检查的要素的编号（feature_id 列）有重复；请选用每个要素各不相同的编号列。"
    )
    plateau.buffer_km = -2.0
    with pytest.raises(ConstraintInputError) as negative:
        check_constraints(parks.head(3), [plateau])
    assert negative.value.message_zh == (
        "图层 青藏高原（甘肃境内） Tibetan Plateau (in Gansu) 的缓冲距离为 -2.0 km；"
        "请给出不小于 0 的距离。"
    )


def test_unknown_industry_and_unscreened_technology_list_what_there_is():
    with pytest.raises(UnknownIndustryError) as industry:
        resolve_industry("chips")
    assert _plain_chinese(industry.value.message_zh).startswith("没有产业 chips；请用以下之一：")
    with pytest.raises(ScreeningError) as technology:
        screen_sites(pd.DataFrame(), technology="nuclear")
    assert technology.value.message_zh == (
        "技术 nuclear 不在资源筛选之列；请用以下之一：光伏（pv）、光热（csp）、风电（wind）、"
        "风光互补（wind_solar）。"
    )


def test_a_layer_in_another_crs_and_too_few_stations_are_refused(counties):
    towns = load_layer("towns")
    with pytest.raises(CRSError) as crs:
        nearest_distance_km(counties.head(2), towns.to_crs(3857), argument="towns")
    assert crs.value.message_zh == (
        "城镇的坐标系为 EPSG:3857，应为 EPSG:4326（经纬度）；请先转换坐标系。"
    )
    stations = towns.head(2).assign(ghi=[1500.0, 1600.0])
    with pytest.raises(RasterInputError) as few:
        station_surface(stations, "ghi", name="ghi", unit="kWh/m2/yr")
    assert few.value.message_zh == "有值的站点只有 2 个；插值至少需要 3 个。"


def test_a_criteria_table_without_columns_and_an_unknown_layer_format(tmp_path):
    from longtu.analysis.suitability.criteria import check_criteria

    with pytest.raises(SuitabilityError) as columns:
        check_criteria(criteria_table("pv").drop(columns=["weight"]))
    assert columns.value.message_zh == (
        "准则表缺少列 权重（weight）；请从默认准则表（某次运行输出的 criteria.csv）开始编辑。"
    )
    result = AnalysisResult("demo", "", "", tables={"t": pd.DataFrame({"a": [1]})})
    with pytest.raises(ParameterError) as layer_format:
        write_result(result, Path(tmp_path), layer_format="shp")
    assert layer_format.value.message_zh == "图层格式 shp：不支持；请用 gpkg、parquet 之一。"
