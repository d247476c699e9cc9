"""The scenarios page (规划情景) through streamlit.testing, on a workspace in a temporary folder."""

from __future__ import annotations

import datetime as dt
import io
import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import REPO
from streamlit.testing.v1 import AppTest

from longtu.app_pages.scenario_compare import change_table, changes_csv, layers_gpkg
from longtu.layout.scenarios import Workspace, add_feature, diff_layers

APP = str(REPO / "app.py")


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("LONGTU_WORKSPACE", str(tmp_path / "ws.gpkg"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.radio(key="page").set_value("scenarios").run()
    assert not at.exception, at.exception
    return at


def _submit(at: AppTest, label: str) -> None:
    button = next(b for b in at.button if label in b.label)
    button.click().run()
    assert not at.exception, at.exception


def _table(at: AppTest, column: str):
    """The shown table with `column` (dataframes carry no key in streamlit.testing)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _boundary_file(tmp_path) -> bytes:
    path = tmp_path / "sites.gpkg"
    gpd.GeoDataFrame(
        {"名称": ["张掖经开区"]}, geometry=[shapely.box(100.40, 38.90, 100.48, 38.96)], crs=4326
    ).to_file(path, driver="GPKG")
    return path.read_bytes()


def _create(at: AppTest, name: str = "河西试点") -> None:
    at.text_input(key="scn_author").set_value("李工")
    at.text_input(key="scn_new_name").set_value(name)
    _submit(at, "从规划新建")
    assert at.selectbox(key="scn_pick").value == name
    assert any(name in s.value for s in at.success)


def _move_typed(at: AppTest, fid: str, lon: float, lat: float) -> None:
    at.radio(key="scn_action").set_value("move").run()
    at.selectbox(key="scn_feature").set_value(fid)
    at.number_input(key="scn_lon").set_value(lon)
    at.number_input(key="scn_lat").set_value(lat)
    at.text_input(key="scn_move_reason").set_value("选址已与市里商定")
    at.button(key="scn_move_save").click().run()
    assert not at.exception, at.exception


def test_the_workspace_path_is_shown_and_every_label_has_words(app, tmp_path):
    assert any(str(tmp_path / "ws.gpkg") in c.value for c in app.caption)
    assert any("请先新建" in i.value for i in app.info)


def test_a_planner_session_ends_in_exactly_its_changes(app, tmp_path):
    _create(app)
    _move_typed(app, "park_jiuquan_etdz", 98.52, 39.75)
    assert any("已保存" in s.value for s in app.success)
    table = _table(app, "方式 How")
    assert list(table["操作 Edit"]) == ["移动 Relocate"]
    assert list(table["方式 How"]) == ["输入坐标 typed"]
    assert list(table["要素 Feature"]) == ["酒泉经济技术开发区"]

    # an attribute in the form, then undone (it stays listed)
    app.radio(key="scn_action").set_value("set").run()
    app.selectbox(key="scn_feature").set_value("park_lanzhou_new_area").run()
    app.selectbox(key="scn_set_level").set_value("national")
    app.text_input(key="scn_set_reason").set_value("国务院批复")
    _submit(app, "保存属性")
    table = _table(app, "方式 How")
    assert list(table["操作 Edit"]) == ["移动 Relocate", "改属性 Change details"]
    app.button(key="scn_undo").click().run()
    table = _table(app, "方式 How")
    assert list(table["状态 Status"]) == [
        "待审 Awaiting review",
        "已撤销 Undone",
        "已接受 Accepted",
    ]
    assert table["操作 Edit"].iloc[-1] == "撤销 Undo #2"

    # a boundary file: one polygon named in the short form of a plan park
    app.file_uploader(key="scn_import_file").set_value(
        [("园区边界.gpkg", _boundary_file(tmp_path), "application/geopackage+sqlite3")]
    ).run()
    assert not app.exception, app.exception
    proposals = _table(app, "文件中名称 Name in the file")
    best = proposals[proposals["判断 Status"] == "最佳匹配 best match"]
    assert list(best["规划要素 Plan feature"]) == ["张掖经济技术开发区"]
    assert best["得分 Score"].iloc[0] >= 0.9
    assert "名称一致" in best["理由 Reason"].iloc[0]
    assert app.checkbox(key="scn_use_1").value is True
    app.text_input(key="scn_import_reason").set_value("张掖市提供的四至范围")
    app.button(key="scn_import_apply").click().run()
    assert not app.exception, app.exception
    table = _table(app, "方式 How")
    assert table["操作 Edit"].iloc[-1] == "改形 New outline"
    assert table["方式 How"].iloc[-1] == "文件导入 imported"

    # review: accept the move
    app.selectbox(key="scn_review_edit").set_value(
        next(e.id for e in app.session_state["scenario"].edits if e.kind == "move")
    )
    app.radio(key="scn_review_verdict").set_value("accept")
    app.text_area(key="scn_review_text").set_value("同意")
    _submit(app, "提交审阅")
    reviews = _table(app, "审阅人 Reviewer")
    assert list(reviews["结论 Verdict"]) == ["接受 Accept"]
    assert list(reviews["审阅人 Reviewer"]) == ["李工"]
    table = _table(app, "方式 How")
    assert table["状态 Status"].iloc[0] == "已接受 Accepted"

    changes = _table(app, "变化 Change")
    assert sorted(zip(changes["变化 Change"], changes["名称 Name"], strict=True)) == [
        ("位置移动 Relocated", "酒泉经济技术开发区"),
        ("形状改变 New outline", "张掖经济技术开发区"),
    ]
    labels = [b.label for b in app.get("download_button")]
    assert any("CSV" in label for label in labels) and any(
        "GeoPackage" in label for label in labels
    )

    with Workspace(tmp_path / "ws.gpkg") as ws:  # what the page saved is in the file
        assert [e.kind for e in ws.load("河西试点").edits] == ["move", "set", "undo", "reshape"]


def test_errors_are_words_and_nothing_is_lost(app, tmp_path):
    _create(app)
    _move_typed(app, "park_jiuquan_etdz", 108.9, 42.5)  # Inner Mongolia, not Gansu
    assert any("甘肃省界之外" in e.value for e in app.error)
    assert any("尚无编辑" in i.value for i in app.info)
    assert app.number_input(key="scn_lon").value == 108.9  # the typed value is kept

    app.file_uploader(key="scn_import_file").set_value(
        [("broken.geojson", b'{"type": "FeatureCollection", "features": [', "application/json")]
    ).run()
    assert not app.exception, app.exception
    assert any(e.value.startswith("broken.geojson：无法使用。") for e in app.error)

    path = tmp_path / "nothing.gpkg"
    gpd.GeoDataFrame(
        {"名称": ["某某物流中心"]}, geometry=[shapely.box(103.6, 36.0, 103.7, 36.1)], crs=4326
    ).to_file(path, driver="GPKG")
    app.file_uploader(key="scn_import_file").set_value(
        [("nothing.gpkg", path.read_bytes(), "application/geopackage+sqlite3")]
    ).run()
    proposals = _table(app, "文件中名称 Name in the file")
    assert set(proposals["判断 Status"]) == {"未匹配 no match"}

    app.text_input(key="scn_new_name").set_value("河西试点")  # the same name again
    _submit(app, "新建 Create")
    assert any("已有同名情景" in e.value for e in app.error)


def test_a_conflict_reloads_and_says_so(app, tmp_path):
    _create(app)
    with Workspace(tmp_path / "ws.gpkg") as ws:  # another session saves first
        from longtu.layout.scenarios import move_feature

        other = ws.load("河西试点")
        ws.save(
            other,
            [
                move_feature(
                    other.layers,
                    "park_jinchang_etdz",
                    102.19,
                    38.5,
                    author="王工",
                    reason="另一会话",
                )
            ],
        )
    _move_typed(app, "park_jiuquan_etdz", 98.52, 39.75)
    assert any("已被其他会话修改" in w.value for w in app.warning)
    table = _table(app, "方式 How")
    assert list(table["要素 Feature"]) == ["金昌经济技术开发区"]


def test_english_interface_has_words_only_in_english(tmp_path, monkeypatch):
    monkeypatch.setenv("LONGTU_WORKSPACE", str(tmp_path / "ws.gpkg"))
    # the labels' format functions also run in the test process, outside a script run, where
    # the sidebar's language is not known: the language is fixed here for both
    monkeypatch.setattr("longtu.app_pages.common.language", lambda: "en")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["page"] = "scenarios"
    at.run()
    at.text_input(key="scn_author").set_value("Li")
    at.text_input(key="scn_new_name").set_value("north")
    _submit(at, "Create from the plan")
    assert any("Created" in s.value for s in at.success)
    assert at.radio(key="scn_action").options == [
        "Move or redraw a feature",
        "Add a feature",
        "Change attributes",
        "Remove a feature",
    ]
    _move_typed(at, "park_jiuquan_etdz", 108.9, 42.5)
    assert [e.value for e in at.error] == [
        "The location lies outside Gansu; choose a place inside the province (WGS84, "
        "longitude first). Nothing was saved."
    ]


def test_the_other_pages_show_the_scenario_when_asked(app):
    _create(app)
    _move_typed(app, "park_jiuquan_etdz", 98.52, 39.75)
    app.radio(key="page").set_value("layout").run()
    app.toggle(key="show_tables").set_value(True).run()  # the tables are shown on demand
    parks = app.dataframe[0].value.set_index("名称 Name")  # the layout page's parks, in words
    assert parks.loc["酒泉经济技术开发区", "定位精度 Placed to"] == (
        "精确到县（县城示意） county (seat symbol)"  # unticked: the plan itself
    )
    assert not any("本页使用情景" in i.value for i in app.info)
    app.radio(key="page").set_value("constraints").run()  # a check of the plan
    app.checkbox(key="bi_plateau").check().run()
    app.button(key="run_constraints").click().run()
    assert len(app.dataframe) == 1
    app.radio(key="page").set_value("export").run()
    app.button(key="run_page").click().run()  # a PDF of the plan, made before the scenario
    assert len(app.get("download_button")) == 1
    app.radio(key="page").set_value("scenarios").run()
    app.checkbox(key="scn_on_map_box").check().run()
    app.radio(key="page").set_value("layout").run()
    app.text_input(key="query").set_value("酒泉").run()  # a second run on the layout page
    assert not app.exception, app.exception
    parks = app.dataframe[0].value.set_index("名称 Name")
    assert parks.loc["酒泉经济技术开发区", "定位精度 Placed to"] == "精确到地块 site"
    # Every other page says it uses the scenario, not the plan.
    assert any("本页使用情景「河西试点」（1 项修改）" in i.value for i in app.info)
    # The plan's conflict check is not shown as the scenario's; nor the plan's PDF offered.
    app.radio(key="page").set_value("constraints").run()
    assert len(app.dataframe) == 0 and not app.success
    # The PDF made from the plan is not offered for the scenario; a new one names it.
    app.radio(key="page").set_value("export").run()
    assert any("本页使用情景「河西试点」" in i.value for i in app.info)
    assert len(app.get("download_button")) == 0
    app.button(key="run_page").click().run()
    assert not app.exception, app.exception
    text = _pdf_text(app.session_state["export_page"][1][0])
    assert "情景 河西试点（1 项修改）" in text, text


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_reviewers_comment_on_features_picked_by_name(app, tmp_path):
    _create(app)
    _move_typed(app, "park_jiuquan_etdz", 98.52, 39.75)
    app.radio(key="scn_action").set_value("remove").run()
    app.selectbox(key="scn_feature").set_value("park_huating_industrial_park")
    app.text_input(key="scn_remove_reason").set_value("并入平凉工业园区")
    app.button(key="scn_remove_save").click().run()
    assert not app.exception, app.exception

    box = app.selectbox(key="scn_comment_feature")
    # the edited features first, by name and layer; a removed one says so; no ids on screen
    assert box.options[:2] == [
        "酒泉经济技术开发区 · 园区 Parks and development zones",
        "华亭工业园区 · 园区 Parks and development zones （已删除） (removed)",
    ]
    assert not [o for o in box.options if re.search(r"[a-z0-9]+_[a-z0-9_]+", o)]
    box.set_value("park_huating_industrial_park")
    _submit(app, "提交评论")  # no text: nothing saved
    assert any("请填写" in e.value for e in app.error)
    assert not app.session_state["scenario"].reviews
    app.text_area(key="scn_comment_text").set_value("华亭煤电项目仍在园区内，删除前请核实")
    _submit(app, "提交评论")
    assert any("审阅已记录" in s.value for s in app.success)

    reviews = _table(app, "审阅人 Reviewer")
    assert reviews.to_dict("records") == [
        {
            "对象 About": "要素 Feature",
            "要素 Feature": "华亭工业园区",
            "审阅人 Reviewer": "李工",
            "结论 Verdict": "评论 Comment",
            "意见 Comment": "华亭煤电项目仍在园区内，删除前请核实",
            "时间（北京时间） Time (Beijing, UTC+8)": reviews[
                "时间（北京时间） Time (Beijing, UTC+8)"
            ].iloc[0],
        }
    ]
    with Workspace(tmp_path / "ws.gpkg") as ws:
        (review,) = ws.load("河西试点").reviews
    # Stored in UTC, shown in Beijing time (eight hours on).
    stored = dt.datetime.strptime(review.time[:16], "%Y-%m-%dT%H:%M")
    shown = reviews["时间（北京时间） Time (Beijing, UTC+8)"].iloc[0]
    assert shown == f"{stored + dt.timedelta(hours=8):%Y-%m-%d %H:%M}"
    assert (review.edit_id, review.feature_id, review.verdict, review.reviewer) == (
        "",
        "park_huating_industrial_park",
        "comment",
        "李工",
    )
    # edits are still reviewed in the form beside it
    assert len(app.selectbox(key="scn_review_edit").options) == 2


def test_the_change_csv_is_the_table_shown_with_formulas_defused(tmp_path):
    with Workspace(tmp_path / "ws.gpkg", create=True) as ws:
        scenario = ws.new_scenario("csv", by="李工")
        edit = add_feature(
            scenario.layers,
            layer="parks",
            name_zh='=HYPERLINK("http://example.org")',
            geometry=shapely.Point(103.62, 36.52),
            author="李工",
            reason="公式注入检查",
        )
        scenario = ws.save(scenario, [edit])
        changes = diff_layers(dict(ws.plan_of("csv")), scenario.layers)
    data = changes_csv(change_table(changes))
    assert data.startswith("\ufeff".encode())  # a byte-order mark: Excel reads UTF-8
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(table.columns)[:3] == ["变化 Change", "图层 Layer", "名称 Name"]
    assert table.loc[0, "名称 Name"] == '\'=HYPERLINK("http://example.org")'
    assert table.loc[0, "变化 Change"] == "新增 Added"


def test_a_workspace_left_in_the_cache_is_opened_and_the_planner_told_to_move_it(
    tmp_path, monkeypatch
):
    """The scenarios made before the workspace moved out of the cache are still there."""
    from longtu import settings

    monkeypatch.delenv("LONGTU_WORKSPACE", raising=False)
    monkeypatch.setattr(settings, "cache_folder", tmp_path / "cache")
    monkeypatch.setattr(settings, "workspace_folder", tmp_path / "share" / "longtu")
    old = tmp_path / "cache" / "0.1.0" / "workspace.gpkg"
    old.parent.mkdir(parents=True)
    with Workspace(old, create=True) as ws:
        ws.new_scenario("河西-2030", by="li")
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.radio(key="page").set_value("scenarios").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="scn_pick").value == "河西-2030"
    assert f"工作区文件 Workspace file：{old}" in [c.value for c in at.caption]  # said once
    warning = " ".join(w.value for w in at.warning)
    assert "缓存" in warning and str(tmp_path / "share" / "longtu") in warning
    assert not (tmp_path / "share" / "longtu" / "workspace.gpkg").exists()


def test_lead_industries_read_and_typed_as_a_list(app, tmp_path):
    """The form shows 石油化工、装备制造…; typed with 、 or ；, the edit stores the plan's ';'."""
    _create(app)
    app.radio(key="scn_action").set_value("set").run()
    app.selectbox(key="scn_feature").set_value("park_lanzhou_new_area").run()
    shown = app.text_input(key="scn_set_lead_industries_zh").value
    assert shown.startswith("石油化工、装备制造") and ";" not in shown
    app.text_input(key="scn_set_lead_industries_zh").set_value("新材料、化工；装备制造")
    app.text_input(key="scn_set_reason").set_value("产业调整")
    _submit(app, "保存属性")
    with Workspace(tmp_path / "ws.gpkg") as ws:
        parks = ws.load("河西试点").layers["parks"].set_index("feature_id")
    assert parks.loc["park_lanzhou_new_area", "lead_industries_zh"] == "新材料;化工;装备制造"


def test_a_scenario_is_compared_with_the_plan_or_another_scenario(app, tmp_path):
    _create(app, "河西试点")
    assert "scn_compare_with" not in app.session_state  # one scenario: only the plan to compare
    _move_typed(app, "park_jiuquan_etdz", 98.52, 39.75)
    app.text_input(key="scn_new_name").set_value("陇东试点")
    assert app.selectbox(key="scn_new_parent").value == ""  # from the plan unless told
    _submit(app, "新建 Create")
    _move_typed(app, "park_zhangye_etdz", 100.50, 38.95)

    def moved() -> list[str]:
        changes = _table(app, "变化 Change")
        return sorted(changes.loc[changes["变化 Change"] == "位置移动 Relocated", "名称 Name"])

    box = app.selectbox(key="scn_compare_with")
    plan = "规划（本情景的起点） The plan (where this scenario started)"
    assert box.options == [plan, "河西试点"]
    assert moved() == ["张掖经济技术开发区"]  # against the plan: its own move only
    box.set_value("河西试点").run()
    assert not app.exception, app.exception
    # against 河西试点: its own move, and 酒泉 where 河西试点 moved it and this one did not
    assert moved() == ["张掖经济技术开发区", "酒泉经济技术开发区"]
    assert any("「河西试点」" in c.value for c in app.caption)
    # and on paper: the comparison's PDF is made on request, then offered for download
    assert not [b for b in app.get("download_button") if "PDF" in b.proto.label]
    app.button(key="scn_make_pdf").click().run()
    assert not app.exception, app.exception
    assert [b.proto.label for b in app.get("download_button") if "PDF" in b.proto.label] == [
        "下载对比 PDF Download the comparison PDF"
    ]
    # 河西试点 edited meanwhile (another session): the PDF drawn before is no longer offered
    from longtu.layout.scenarios import move_feature

    with Workspace(tmp_path / "ws.gpkg") as ws:
        other = ws.load("河西试点")
        move = move_feature(
            other.layers, "park_jinchang_etdz", 102.19, 38.5, author="王工", reason="另一会话"
        )
        ws.save(other, [move])
    app.run()
    assert not [b for b in app.get("download_button") if "PDF" in b.proto.label]


def test_a_scenarios_layers_download_holds_its_edits(tmp_path):
    import pyogrio
    import shapely

    from longtu.layout.scenarios import move_feature

    with Workspace(tmp_path / "ws.gpkg", create=True) as ws:
        scenario = ws.new_scenario("河西试点", by="李工")
        edit = move_feature(
            scenario.layers, "park_jiuquan_etdz", 98.52, 39.75, author="李工", reason="r"
        )
        scenario = ws.save(scenario, [edit])
    path = tmp_path / "layers.gpkg"
    path.write_bytes(layers_gpkg(scenario))
    names = [name for name, _ in pyogrio.list_layers(path)]
    spatial = [n for n, f in scenario.layers.items() if isinstance(f, gpd.GeoDataFrame)]
    assert names == spatial and "parks" in names and "energy_sites" in names
    parks = pyogrio.read_dataframe(path, layer="parks").set_index("feature_id")
    assert len(parks) == len(scenario.layers["parks"])
    moved = shapely.get_coordinates(parks.geometry["park_jiuquan_etdz"]).round(6).tolist()
    assert moved == [[98.52, 39.75]]


def test_a_variant_starts_from_another_scenario_with_its_edits(app, tmp_path):
    _create(app, "河西试点")
    _move_typed(app, "park_jiuquan_etdz", 98.52, 39.75)
    app.text_input(key="scn_new_name").set_value("河西试点乙")
    app.selectbox(key="scn_new_parent").set_value("河西试点")
    _submit(app, "新建 Create")
    assert app.selectbox(key="scn_pick").value == "河西试点乙"
    changes = _table(app, "变化 Change")  # against the plan: the move it started with
    assert "酒泉经济技术开发区" in set(changes["名称 Name"])
    with Workspace(tmp_path / "ws.gpkg") as ws:
        assert ws.info("河西试点乙").parent == "河西试点"


def test_comparing_with_a_scenario_whose_plan_folder_is_gone_says_so(app, tmp_path):
    from test_scenarios_diff import make_plan_version

    _create(app, "河西试点")
    folder = make_plan_version(tmp_path / "plan_v2")
    with Workspace(tmp_path / "ws.gpkg") as ws:  # made meanwhile, from a plan version folder
        ws.new_scenario("二版", by="李工", plan_dir=folder)
    folder.rename(tmp_path / "moved_away")
    app.run()
    app.selectbox(key="scn_compare_with").set_value("二版").run()
    assert not app.exception, app.exception
    said = " ".join(e.value for e in app.error)
    assert said.startswith("未完成：情景 二版 所依据的规划文件夹") and "请把文件夹放回原处" in said
    assert "未保存" not in said  # a comparison saves nothing: not said to have failed to save
    assert not [d for d in app.dataframe if "变化 Change" in d.value.columns]
