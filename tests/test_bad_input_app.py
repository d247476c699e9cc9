"""Issue 17: the same bad files uploaded in the app get the same messages, in its language.

Each case makes a real error with the reader (or page function) a page calls, on a real bad
file, and words it with :func:`longtu.app_pages.problem_words.problem_line`, as every page does.
Both lines must name the file (or the table typed on the page), say what is wrong in words of
the interface language, and show no temporary path, backtick, library text or snake_case key.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine
from conftest import REPO
from test_bad_input import _raster_corpus, _table_corpus

from longtu.analysis.access import load_network
from longtu.analysis.io.constraint_files import read_constraint_layer
from longtu.analysis.io.rasters import read_user_raster
from longtu.analysis.io.tables import read_user_csv
from longtu.analysis.io.vector import read_vector_file
from longtu.analysis.water.fit import WATER_LAYERS, run_water_fit
from longtu.analysis.water.ledger import complete_coefficients
from longtu.app_pages.built_inputs import built_result
from longtu.app_pages.constraints_words import upload_problem
from longtu.app_pages.problem_words import problem_line
from longtu.layout import load_layer

OSM = REPO / "tests" / "data" / "osm"
CJK = re.compile(r"[\u4e00-\u9fff]")
#: A snake_case key; file names (followed by their extension) and quoted cells are not keys.
SNAKE = re.compile(r"(?<![\w.'])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w.'])")


@dataclass
class Upload:
    """A bad file as a page gets it: its name, and where the page wrote it."""

    name: str
    path: Path


def _upload(folder: Path, name: str, data: bytes) -> Upload:
    path = folder / name
    path.write_bytes(data)
    return Upload(name, path)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    _raster_corpus(folder)
    _table_corpus(folder)
    france = Affine(0.5, 0, 2.0, 0, -0.5, 48.0)  # in degrees
    _plain_tif(folder / "nocrs.tif", crs=None, transform=Affine(0.5, 0, 100.0, 0, -0.5, 38.0))
    _plain_tif(folder / "france.tif", crs="EPSG:4326", transform=france)
    return folder


def _plain_tif(path: Path, *, crs: str | None, transform: Affine) -> None:
    """A 4 x 4 GeoTIFF of ones with `crs` (None: no CRS at all) and `transform`."""
    profile = {"driver": "GTiff", "dtype": "float32", "count": 1, "height": 4, "width": 4}
    with rasterio.open(path, "w", crs=crs, transform=transform, **profile) as dst:
        dst.write(np.ones((4, 4), dtype="float32"), 1)


# --- the pages' calls ------------------------------------------------------------------------


def access_page(corpus: Path, upload: Upload) -> tuple[Exception, str | None, str]:
    """The access page: ``load_network`` of the uploaded extract."""
    with pytest.raises(ValueError) as refused:
        load_network(upload.path, use_cache=False)
    return refused.value, upload.name, ""


def raster_page(corpus: Path, upload: Upload) -> tuple[Exception, str | None, str]:
    """The analyses page: ``read_user_raster`` of a resource raster, read from a temp folder."""
    with pytest.raises(ValueError) as refused:
        read_user_raster(upload.path, name="ghi")
    return refused.value, upload.name, str(upload.path.parent)


def built_page(corpus: Path, upload: Upload) -> tuple[Exception, str | None, str]:
    """The built page: ``built_result`` of the uploaded register; the page words its error."""
    with pytest.raises(ValueError) as refused:
        built_result(upload.name, upload.path.read_bytes())
    return refused.value, None, ""


def import_page(corpus: Path, upload: Upload) -> tuple[Exception, str | None, str]:
    """The scenario import: ``read_vector_file`` of the uploaded boundaries."""
    with pytest.raises(ValueError) as refused:
        read_vector_file(upload.path)
    return refused.value, upload.name, str(upload.path.parent)


def water_page(table: str) -> Callable[[Path, Upload], tuple[Exception, str | None, str]]:
    """The water page: ``run_water_fit`` on the table `table` (the others as shipped)."""

    def run(corpus: Path, upload: Upload) -> tuple[Exception, str | None, str]:
        frame = read_user_csv(upload.path)
        given = {"capacities": read_user_csv(corpus / "cap_good.csv")}  # caps need them
        with pytest.raises(ValueError) as refused:
            given[table] = complete_coefficients(frame) if table == "coefficients" else frame
            run_water_fit({n: load_layer(n) for n in WATER_LAYERS}, **given)
        return refused.value, None, ""

    return run


def _corpus_file(name: str) -> Callable[[Path, Path], Upload]:
    return lambda corpus, folder: Upload(name, Path(shutil.copy(corpus / name, folder / name)))


def _bytes(name: str, data: bytes) -> Callable[[Path, Path], Upload]:
    return lambda corpus, folder: _upload(folder, name, data)


def _cut(name: str, source: Path, *, fraction: float = 1 / 3) -> Callable[[Path, Path], Upload]:
    """The first `fraction` of file `source` (a download cut short), uploaded as `name`."""
    data = source.read_bytes()
    return lambda corpus, folder: _upload(folder, name, data[: round(len(data) * fraction)])


PLANTS_NO_CAPACITY = "名称,类型,经度,纬度\n红沙岗,风电,102.9,38.9\n".encode()
PLANTS_PROJECTED = "名称,类型,装机容量（MW）,经度,纬度\n红沙岗,风电,49.5,4300000,600000\n".encode()
PLANTS_TWICE = "名称,类型,装机容量（MW）,经度,纬度,经度\n红沙岗,风电,49.5,102.9,38.9,103\n".encode()
PLANTS_TEXT_CAPACITY = "名称,类型,装机容量（MW）,经度,纬度\n红沙岗,风电,五十,102.9,38.9\n".encode()

#: id -> (the bad file, the page's call, what both lines name (or the Chinese and the English
#: name of a table typed on the page), Chinese words, English words).
CASES = {
    "osm_not_osm": (
        _bytes("路网.osm.pbf", b"<html>not found</html>\n" * 10),
        access_page,
        "路网.osm.pbf",
        "路网.osm.pbf：无法使用。不是 OpenStreetMap 路网数据（文件开头既无 PBF 头也无 OSM XML）",
        "路网.osm.pbf: cannot be used. Not an OpenStreetMap extract (no PBF header",
    ),
    "osm_truncated": (
        _cut("gansu-latest.osm.pbf", OSM / "helsinki.osm.pbf"),
        access_page,
        "gansu-latest.osm.pbf",
        "不是可读的 OpenStreetMap 路网数据（文件已损坏，可能下载不完整）；请重新下载",
        "Not a readable OpenStreetMap extract; download the extract again",
    ),
    "osm_outside_gansu": (
        _cut("helsinki.osm.pbf", OSM / "helsinki.osm.pbf", fraction=1),
        access_page,
        "helsinki.osm.pbf",
        "：无法使用。范围为东经 24.94～24.95、北纬 60.16～60.18，"
        "在甘肃省（东经 92～109、北纬 32.4～43）之外",
        "The extract covers 24.94-24.95 E, 60.16-60.18 N, outside Gansu (92-109 E, 32.4-43 N)",
    ),
    "raster_text": (
        _corpus_file("text.tif"),
        raster_page,
        "text.tif",
        "text.tif：无法使用。无法作为 GeoTIFF 读取：文件可能不完整，或并非 GeoTIFF",
        "text.tif: cannot be used. Could not be read as a GeoTIFF; it may be truncated",
    ),
    "raster_truncated": (
        _corpus_file("truncated.tif"),
        raster_page,
        "truncated.tif",
        "无法作为 GeoTIFF 读取：文件可能不完整",
        "Could not be read as a GeoTIFF; it may be truncated",
    ),
    "raster_all_nodata": (
        _corpus_file("allnodata.tif"),
        raster_page,
        "allnodata.tif",
        "在甘肃范围内没有任何有值像元（全部为无数据）",
        "Ghi has no value over Gansu: every pixel there is nodata",
    ),
    "raster_no_crs": (
        _corpus_file("nocrs.tif"),
        raster_page,
        "nocrs.tif",
        "栅格未注明坐标系；请在 GIS 中为其指定坐标系",
        "Has no CRS; declare it.",
    ),
    "raster_outside_gansu": (
        _corpus_file("france.tif"),
        raster_page,
        "france.tif",
        "栅格范围为东经 2.00～4.00、北纬 46.00～48.00，"
        "与甘肃省（东经 92.0～109.0、北纬 32.4～43.0）不重叠",
        "covers lon 2.00..4.00, lat 46.00..48.00, which does not overlap Gansu (92.0..109.0 E",
    ),
    "register_no_capacity": (
        _bytes("电站登记册.csv", PLANTS_NO_CAPACITY),
        built_page,
        "电站登记册.csv",
        "电站登记册.csv：无法使用。缺少装机容量（MW）或装机容量（万千瓦）。现有列：名称、类型",
        "电站登记册.csv: cannot be used. Lacks capacity in MW",
    ),
    "register_projected": (
        _bytes("plants.csv", PLANTS_PROJECTED),
        built_page,
        "plants.csv",
        "第 1 行数据的坐标不是经纬度（WGS84 度）；请检查经度与纬度是否填反",
        "Data rows 1 have coordinates that are not longitude/latitude degrees",
    ),
    "register_text_capacity": (
        _bytes("plants.csv", PLANTS_TEXT_CAPACITY),
        built_page,
        "plants.csv",
        "plants.csv：无法使用。列 装机容量（MW） 中有不是数字的值：第 1 行数据 '五十'；"
        "请填入数字。",
        "Column 装机容量（MW） has values that are not numbers: data row 1 '五十'.",
    ),
    "register_binary": (
        _bytes("plants.csv", b"PK\x03\x04\x00\x00binary"),
        built_page,
        "plants.csv",
        "不是文本表格（含二进制数据）；请在 Excel 中另存为“CSV UTF-8”",
        "Is not a text table (it holds binary data)",
    ),
    "register_empty": (
        _bytes("plants.csv", b""),
        built_page,
        "plants.csv",
        "是空文件（0 字节）",
        "Is empty (0 bytes).",
    ),
    "register_not_geojson": (
        _bytes("plants.geojson", b"this is not GeoJSON"),
        built_page,
        "plants.geojson",
        "plants.geojson：无法使用。无法读取：文件已损坏，或不是其扩展名所示的格式。",
        "plants.geojson: cannot be used. Could not be read: the file is damaged",
    ),
    "import_not_geojson": (
        _bytes("边界.geojson", b"this is not GeoJSON"),
        import_page,
        "边界.geojson",
        "边界.geojson：无法使用。无法读取：文件已损坏，或不是其扩展名所示的格式。",
        "边界.geojson: cannot be used. Could not be read: the file is damaged",
    ),
    "capacities_header_only": (
        _corpus_file("cap_header.csv"),
        water_page("capacities"),
        ("产能表", "Capacities"),
        "产能表只有表头、没有数据行；请从产能模板表格开始，填入已知的产量。",
        "Capacities has a header row but no data rows; start from capacities_template.csv and",
    ),
    "capacities_unknown_park": (
        _corpus_file("cap_unknown_park.csv"),
        water_page("capacities"),
        ("产能表", "Capacities"),
        "产能表第 1 行数据的要素编号 'nowhere_park'不是规划中的园区",
        "Capacities data row 1 has Feature number 'nowhere_park', which is not a park",
    ),
    "capacities_nan": (
        _corpus_file("cap_nan.csv"),
        water_page("capacities"),
        ("产能表", "Capacities"),
        "产能表的列 产量（t/年） 中有不是数字的值：第 1 行数据 'NaN'；请填入数字。",
        "column Output (t/yr) has values that are not numbers: data row 1 'NaN'.",
    ),
    "caps_bad_scope": (
        _corpus_file("caps_bad_scope.csv"),
        water_page("caps"),
        ("用水总量红线表", "Caps"),
        "用水总量红线表第 1 行数据的范围为 'county'；请填 basin（流域）或 prefecture（市州）。",
        "Caps data row 1 has scope 'county'; write basin (流域) or prefecture (市州).",
    ),
    "quotas_no_value": (
        _corpus_file("quota_no_value.csv"),
        water_page("coefficients"),
        ("用水定额表", "Coefficients"),
        "用水定额表除 产业类别 外，还须有一列定额：取水定额（m³/t） 或 取水定额（m³/MWh）",
        "needs a quota column, Water quota (m³/t) or Water quota (m³/MWh) (units in the name)",
    ),
    "register_duplicated_column": (
        _bytes("电站.csv", PLANTS_TWICE),
        built_page,
        "电站.csv",
        "电站.csv：无法使用。列 经度 出现了不止一次；每列只保留一个（删除或改名重复的列）。",
        "电站.csv: cannot be used. Has the column(s) 经度 more than once; keep one of each",
    ),
}


def _no_code(line: str, named: str) -> None:
    """No backtick, library text, temporary path or snake_case key in `line`."""
    assert "`" not in line and "said:" not in line and "/tmp" not in line, line
    quoted = re.sub(r"'[^']*'", "", line.replace(named, ""))
    assert not SNAKE.search(quoted.replace("capacities_template.csv", "")), line


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_file_gets_one_line_in_each_language(corpus, tmp_path, case):
    make, page, named, zh_words, en_words = CASES[case]
    named_zh, named_en = (named, named) if isinstance(named, str) else named
    upload = make(corpus, tmp_path)
    error, name, folder = page(corpus, upload)
    zh = problem_line(name, error, language="zh", folder=folder)
    en = problem_line(name, error, language="en", folder=folder)
    assert named_zh in zh and zh_words in zh, zh
    assert named_en in en and en_words in en, en
    assert CJK.search(zh) and len(CJK.findall(zh)) > len(CJK.findall(en)), (zh, en)
    _no_code(zh, named_zh)
    _no_code(en, named_en)
    assert str(tmp_path) not in zh + en and str(corpus) not in zh + en


def test_the_constraint_page_words_its_refusals_by_the_same_function(tmp_path):
    """A constraint layer with only NaN coordinates: the reader's text has no Chinese."""
    path = tmp_path / "红线.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
        '"geometry":{"type":"Polygon","coordinates":[[[NaN,39],[99,39],[99,41],[NaN,39]]]}}]}'
    )
    with pytest.raises(ValueError) as refused:
        read_constraint_layer(path)
    kind, zh = upload_problem(path.name, refused.value, str(tmp_path), language="zh")
    same = problem_line(path.name, refused.value, language="zh", folder=str(tmp_path))
    assert kind == "no_coordinates" and zh == same
    assert zh == (
        "红线.geojson：无法使用。没有一个要素的坐标可用（NaN 坐标或破损的环）；"
        "请在 GIS 中重新导出。"
    )


def test_an_error_with_no_words_gets_an_honest_fallback_not_its_text():
    error = RuntimeError("/srv/uploads/a.gpkg: sqlite3_exec(PRAGMA) failed: `disk I/O error`")
    assert (
        problem_line("a.gpkg", error, language="zh")
        == "a.gpkg：无法使用。请在 GIS 中检查后重新导出。"
    )
    assert problem_line("a.gpkg", error, language="en") == (
        "a.gpkg: cannot be used. Check it in a GIS and export it again."
    )


def test_the_same_error_reads_the_same_on_the_command_line(corpus, tmp_path):
    """The CLI prints the English message, then the same Chinese the app shows (file named)."""
    from test_bad_input import longtu

    result = longtu(
        "analyze", "water", "--out", tmp_path, "--capacities", corpus / "cap_unknown_park.csv"
    )
    english, chinese = result.stderr.splitlines()
    assert english.startswith("longtu: error: `capacities` data row 1 has feature_id")
    assert chinese == (
        "longtu: 错误：产能表第 1 行数据的要素编号 'nowhere_park'不是规划中的园区（其需水量会被"
        "计入合计）；请使用产能模板表格中的要素编号。"
    )
