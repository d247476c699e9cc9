"""Refusals of layout, scenarios and print come in Chinese too (``message_zh``), same facts.

Each error is caused through the command line (``longtu.cli.main.main``, whose stderr reads
``longtu: error: <English>`` then ``longtu: 错误：<Chinese>``) or through the public function a
page calls, on the real plan and base layers. The Chinese line is checked exactly for several
and for the facts (file, value, what to do) for the others; no Chinese line carries backticks,
Python hints or the temporary folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import shapely

from longtu import settings
from longtu.cli.main import main
from longtu.errors import LongtuError, MissingGlyphError, ParameterError, ScenarioError
from longtu.gis_data.gcj02 import to_wgs84
from longtu.layout import ValidationError, build_plan_layers, plan_layers
from longtu.layout.scenarios import Workspace, add_feature, move_feature
from longtu.maps.print.fonts import check_glyphs


def refusal(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """The English and the Chinese line of a refused ``longtu`` command (exit status 2)."""
    assert main(argv) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    english = [line for line in lines if line.startswith("longtu: error: ")]
    chinese = [line for line in lines if line.startswith("longtu: 错误：")]
    assert len(english) == 1 and len(chinese) == 1, lines
    assert lines[-1] == chinese[0] and lines[0] == english[0]  # English first, then Chinese
    zh = chinese[0].removeprefix("longtu: 错误：")
    assert "`" not in zh and "=" not in zh.replace("--out", "")
    return english[0].removeprefix("longtu: error: "), zh


@pytest.fixture
def workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "ws.gpkg"
    assert main(["scenario", "new", "north", "--by", "li", "--workspace", str(path)]) == 0
    capsys.readouterr()
    return path


def scenario(workspace: Path, *args: str) -> list[str]:
    return ["scenario", *args, "--workspace", str(workspace)]


def test_unknown_layer_is_named_with_the_chinese_titles(tmp_path, capsys):
    english, zh = refusal(["layers", "export", "nosuch", "--out", str(tmp_path / "a.csv")], capsys)
    assert english.startswith("No layer `nosuch`; valid layers: province, prefectures,")
    assert zh.startswith("没有名为 nosuch 的图层。可用的图层：甘肃省界、市州、县区、河流、")
    assert "园区、能源基地、产业链、其他规划要素、规划目标；" in zh
    assert zh.endswith("运行 longtu layers 可列出全部图层及其在命令中使用的名称。")


def test_export_refusals_name_the_file_and_the_layer(tmp_path, capsys):
    out = str(tmp_path / "parks.xyz")
    assert refusal(["layers", "export", "parks", "--out", out], capsys)[1] == (
        "无法从文件名 parks.xyz 判断导出格式；请用以 .gpkg、.geojson 或 .csv 结尾的文件名"
        "（地形与土地覆被还可用 .tif）。"
    )
    out = str(tmp_path / "parks.tif")
    assert refusal(["layers", "export", "parks", "--out", out], capsys)[1] == (
        "只有地形与土地覆被可导出为 GeoTIFF（.tif），园区不能；请改用 .gpkg、.geojson 或 .csv。"
    )
    out = str(tmp_path / "targets.gpkg")
    english, zh = refusal(["layers", "export", "targets", "--out", out], capsys)
    assert english == "`targets` has no geometry; export it as .csv."
    assert zh == "规划目标没有几何图形；请导出为 .csv。"
    assert not list(tmp_path.iterdir())  # nothing written


def test_scenario_names_refused_in_chinese(workspace, capsys):
    english, zh = refusal(scenario(workspace, "new", "plan", "--by", "li"), capsys)
    assert "cannot name a scenario" in english
    assert zh == "情景名称“plan”不可用：不能含 /、\\ 或控制字符，也不能叫 plan。"
    zh = refusal(scenario(workspace, "new", "north", "--by", "li"), capsys)[1]
    assert zh == "已有名为 north 的情景；请换一个名称（longtu scenario list 可列出现有情景）。"
    zh = refusal(scenario(workspace, "show", "south"), capsys)[1]
    assert (
        zh == "工作区中没有情景 south（现有情景：north）；可用 longtu scenario new 情景名称 新建。"
    )


def test_scenario_options_typed_wrong_are_refused_in_chinese(workspace, capsys, tmp_path):
    """The option's own syntax (KEY=VALUE) is what the user types, so it stays in the line."""
    edit = ["edit", "north", "park_zhangye_etdz", "--set", "level", "--reason", "r", "--by", "li"]
    assert main(scenario(workspace, *edit)) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "longtu: 错误：--set level 的写法应为 --set 属性=值。"
    )
    gpkg = tmp_path / "sites.gpkg"
    gpkg.write_bytes(b"")
    imported = ["import", "north", str(gpkg), "--accept-matches", "--by", "li"]
    zh = refusal(scenario(workspace, *imported), capsys)[1]
    assert zh == "保存匹配须给出理由：--reason 理由（为何采用这些选址）。未保存。"


def test_a_swapped_point_is_outside_gansu_in_chinese(workspace, capsys):
    argv = ["edit", "north", "park_zhangye_etdz", "--move", "38.93", "100.45", "--reason", "r"]
    english, zh = refusal(scenario(workspace, *argv, "--by", "li"), capsys)
    assert "lies outside Gansu (longitude and latitude look swapped" in english
    assert zh == (
        "点（经度 38.93，纬度 100.45）在甘肃省界之外（经度与纬度似乎填反了：请经度在前）；"
        "请给出省内的 WGS84 坐标（约东经 92.3～108.7、北纬 32.6～42.8）。工作区未改动。"
    )


def test_unknown_feature_and_bad_values_in_chinese(workspace, capsys):
    argv = ["edit", "north", "park_zhangye_etdzz", "--remove", "--reason", "r", "--by", "li"]
    zh = refusal(scenario(workspace, *argv), capsys)[1]
    assert zh.startswith(
        "此情景中没有要素 park_zhangye_etdzz（规划中从未有过，或已被之前的编辑删除）。"
    )
    assert "您要找的是否是 park_zhangye_etdz" in zh
    argv = ["edit", "north", "park_zhangye_etdz", "--set", "level=huge"]
    argv += ["--set", "colour=red", "--reason", "r", "--by", "li"]
    english, zh = refusal(scenario(workspace, *argv), capsys)
    assert english.startswith("cannot set the values for parks: `level=huge` is not one of")
    assert zh.startswith(
        "无法为园区设置这些值：level 的值 huge 不可用，可选：national、provincial、other、unknown；"
        "colour 不是园区的列（可用列：aliases_zh、"
    )


def test_review_and_undo_refusals_in_chinese(workspace, capsys):
    zh = refusal(scenario(workspace, "undo", "north", "--by", "li"), capsys)[1]
    assert zh == "情景 north 中没有可撤销的编辑。"
    argv = ["review", "north", "park_zhangye_etdz", "--accept", "--by", "wang"]
    zh = refusal(scenario(workspace, *argv), capsys)[1]
    assert zh == "park_zhangye_etdz 是要素：要素只能评论；请改为接受或驳回它的编辑。"


def test_a_file_that_is_not_a_workspace_named_by_its_name(tmp_path, capsys):
    text = tmp_path / "notes.gpkg"
    text.write_text("not a database", encoding="utf-8")
    before = text.read_bytes()
    english, zh = refusal(["scenario", "list", "--workspace", str(text)], capsys)
    assert str(text) in english
    assert zh == (
        "notes.gpkg 不是 GeoPackage（不是 SQLite 数据库），因此不是陇图工作区；"
        "请另选工作区文件（此文件未被改动）。"
    )
    assert text.read_bytes() == before


def test_plan_folders_missing_a_table_or_with_errors(tmp_path, workspace, capsys):
    folder = tmp_path / "plan_v2"
    shutil.copytree(settings.plan_folder, folder)
    (folder / "targets.csv").unlink()
    argv = scenario(workspace, "new", "v2", "--plan-dir", str(folder), "--by", "li")
    english, zh = refusal(argv, capsys)
    assert "targets.csv` is missing" in english
    assert "中缺少规划表 targets.csv；请按 gis_data/plan/SCHEMA.md 补上此表。" in zh
    shutil.copy(Path(settings.plan_folder) / "targets.csv", folder / "targets.csv")
    parks = pd.read_csv(folder / "parks.csv", dtype=str, keep_default_na=False)
    parks.loc[2, "place_method"] = "guess"
    parks.to_csv(folder / "parks.csv", index=False, encoding="utf-8")
    english, zh = refusal(argv, capsys)
    assert "is not a valid plan version" in english
    assert zh.startswith(
        f"规划文件夹 {folder} 不是有效的规划版本：问题在 parks.csv 第 4 行（"
        f"{parks.loc[2, 'feature_id']}）的 place_ref 列，共 1 处"
    )
    assert zh.endswith(
        "（各处问题见英文说明）；请按 gis_data/plan/SCHEMA.md 改正这些表格后再运行。"
    )
    with pytest.raises(ValidationError) as caught:
        build_plan_layers(folder)
    assert caught.value.message_zh == (
        f"规划表未通过校验：问题在 parks.csv 第 4 行（{parks.loc[2, 'feature_id']}）的 "
        "place_ref 列，共 1 处（各处问题见英文说明）；请按 gis_data/plan/SCHEMA.md 改正后再运行。"
    )


def test_print_page_options_in_chinese(tmp_path, capsys):
    out = str(tmp_path / "p.pdf")
    zh = refusal(["pdf", "page", "--out", out, "--extent", "zone:nosuch"], capsys)[1]
    assert zh == (
        "范围 zone:nosuch 无法识别；请用 province（全省）、zone:经济区要素编号、"
        "prefecture:市州代码或名称，或 base:产业基地编号（运行 longtu layers 可查看图层）。"
    )
    zh = refusal(["pdf", "page", "--out", out, "--layers", "parks,rivers"], capsys)[1]
    assert zh.startswith("图层 rivers 不能绘制；请从三大经济区及片区（economic_zones）、")
    assert not Path(out).exists()


def test_functions_the_pages_call_refuse_in_chinese():
    layers = plan_layers()
    with pytest.raises(ScenarioError) as caught:
        add_feature(
            layers,
            layer="parks",
            name_zh="测试园",
            geometry=shapely.from_wkt("POLYGON ((103 36, 104 37, 104 36, 103 37, 103 36))"),
            author="li",
            reason="r",
        )
    assert caught.value.message_zh == (
        "新要素“测试园”不是有效的图形（自相交，位于 103.5 36.5）；"
        "请修复后再试（如用 QGIS 的“修复几何”）。"
    )
    with pytest.raises(ScenarioError) as caught:
        move_feature(layers, "park_zhangye_etdz", 100.45, 38.93, author=" ", reason="r")
    assert caught.value.message_zh == "未填写作者；请注明由谁编辑。"
    with pytest.raises(MissingGlyphError) as glyphs:
        check_glyphs("兰州新区 \U0001f600")
    assert glyphs.value.message_zh is not None
    assert glyphs.value.message_zh.startswith("文字“兰州新区 \U0001f600”中的字符 \U0001f600 无法用")
    with pytest.raises(ParameterError, match="`datum` must be") as datum:
        to_wgs84(100.45, 38.93, datum="utm")
    assert (
        datum.value.message_zh
        == "坐标系 utm 不可用；请用 wgs84、gcj02（高德、腾讯）或 bd09（百度）。"
    )


def test_a_session_behind_the_workspace_is_told_in_chinese(workspace):
    with Workspace(workspace) as ws:
        first, second = ws.load("north"), ws.load("north")
        edit = move_feature(
            first.layers, "park_zhangye_etdz", 100.45, 38.93, author="li", reason="r"
        )
        ws.save(first, [edit])
        with pytest.raises(LongtuError) as caught:
            ws.save(second, [edit])
    assert caught.value.message_zh == (
        "情景 north 已被其他会话修改（现为版本 1，您打开的是版本 0）；请重新载入后再编辑。未保存。"
    )


def _show_error_text(lang: str, path: str) -> None:
    """A page that shows, through the scenario page's words, the refusal of a real edit."""
    import streamlit as st

    from longtu.app_pages.scenario_words import error_text
    from longtu.layout.scenarios import Workspace

    st.session_state["language"] = lang
    try:
        Workspace(path).load("nosuch")
    except Exception as exc:  # the page shows every refusal through error_text
        st.error(error_text(exc))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_scenario_page_shows_a_refusal_in_the_interface_language(workspace, lang):
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(_show_error_text, args=(lang, str(workspace))).run()
    assert not app.exception, app.exception
    (shown,) = [e.value for e in app.error]
    if lang == "zh":
        said = (
            "工作区中没有情景 nosuch（现有情景：north）；可用 longtu scenario new 情景名称 新建。"
        )
        assert shown == "未完成：" + said
    else:
        assert shown.startswith("Not done: ") and "nosuch" in shown and "情景" not in shown
