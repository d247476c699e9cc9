"""Page 5: planning scenarios (规划情景): edit the plan with real sites, review, compare.

A scenario lives in the workspace file (:mod:`longtu.layout.scenarios`). SQLite connections
belong to the thread that opened them and Streamlit may rerun the script in another thread, so
each run opens the :class:`~longtu.layout.scenarios.Workspace` afresh (cheap) and keeps the
loaded :class:`~longtu.layout.scenarios.Scenario` (plain data) in ``st.session_state``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
import shapely
import shapely.geometry
import streamlit as st
from shapely.geometry.base import BaseGeometry
from streamlit_folium import st_folium

from longtu.analysis.io.vector import read_vector_file
from longtu.app_pages.common import language, plain_base_map, t
from longtu.errors import LongtuError, ScenarioError, WorkspaceConflictError, WorkspaceError
from longtu.layout.catalog import LAYERS
from longtu.layout.scenarios import (
    Edit,
    Scenario,
    Workspace,
    add_feature,
    confirm_matches,
    diff_layers,
    move_feature,
    name_column_of,
    propose_matches,
    remove_feature,
    reshape_feature,
    set_attributes,
    workspace_path,
    write_changes,
)
from longtu.layout.scenarios.edits import How
from longtu.layout.vocabulary import PARK_LEVEL_LABELS, TECHNOLOGY_LABELS
from longtu.maps.web import interactive
from longtu.maps.web.offline import localize_assets
from longtu.maps.web.streamlit_assets import ASSET_BASE_URL

EDIT_LAYERS = ("parks", "energy_sites", "industrial_bases", "other_features")
IMPORT_TYPES = ["gpkg", "geojson", "json", "zip", "kml", "kmz", "fgb"]
ACTIONS = {
    "move": ("移动或重画要素", "Move or redraw a feature"),
    "add": ("新增要素", "Add a feature"),
    "set": ("修改属性", "Change attributes"),
    "remove": ("删除要素", "Remove a feature"),
}
REDLINE = {"added": "#1a9641", "removed": "#d7191c", "moved": "#f28e2b", "reshaped": "#f28e2b"}
#: Words for the errors the workspace raises, found by a phrase of the English message.
ERROR_WORDS: tuple[tuple[str, str, str], ...] = (
    (
        "outside Gansu",
        "位置在甘肃省界之外，请在省内选点（WGS84 坐标，经度在前）。未保存。",
        "The location lies outside Gansu; choose a place inside the province (WGS84, "
        "longitude first). Nothing was saved.",
    ),
    (
        "already exists",
        "已有同名情景，请换一个名称。",
        "A scenario of that name exists; choose another.",
    ),
    (
        "cannot name a scenario",
        "情景名称不可用：1–64 个字符，首尾无空格，不含 / \\，不能叫 plan。",
        "That name cannot be used: 1-64 characters, no leading or trailing space, no / or \\, "
        "not 'plan'.",
    ),
    ("nothing to undo", "没有可撤销的编辑。", "There is no edit to undo."),
    (
        "all unmatched",
        "文件中没有要素与规划要素名称相符；请换一列名称，或在下表中手动指定。未保存。",
        "No feature of the file matches a plan feature by name; pick another name column or "
        "choose the plan feature by hand. Nothing was saved.",
    ),
    (
        "not a valid geometry",
        "图形无效（如自相交），请修复后再试。未保存。",
        "The shape is not valid (e.g. it crosses itself); repair it and try again.",
    ),
    ("was undone", "该编辑已撤销，无需审阅。", "That edit was undone; there is nothing to review."),
)


# --- words ---------------------------------------------------------------------------------


def _words(key: str, table: dict[str, tuple[str, str]]) -> str:
    zh, en = table.get(key, (key, key))
    return t(zh, en)


def _error_text(exc: Exception) -> str:
    """The message for an error the workspace raised, in the interface language."""
    message = str(exc)
    for phrase, zh, en in ERROR_WORDS:
        if phrase in message:
            return t(zh, en)
    if isinstance(exc, WorkspaceError):
        return t(
            "无法读写工作区文件（可能另一会话正在保存，或文件只读、磁盘已满）。未保存。",
            "The workspace file cannot be written (another session saving, read-only, or disk "
            "full). Nothing was saved.",
        ) + (f"（{message}）" if language() == "zh" else f" ({message})")
    return t("未完成，原因（英文）：", "Not done: ") + message


def _flash(kind: str, text: str) -> None:
    """Show `text` after the rerun that follows a successful save."""
    st.session_state["scn_flash"] = (kind, text)


def _show_flash() -> None:
    kind, text = st.session_state.pop("scn_flash", ("", ""))
    if kind == "success":
        st.success(text)
    elif kind == "warning":
        st.warning(text)


def _feature_names(scenario: Scenario) -> dict[str, tuple[str, str]]:
    """Feature id -> (Chinese, English) name, over the scenario and the layers it started from."""
    names: dict[str, tuple[str, str]] = {}
    for layers in (scenario.base, scenario.layers):
        for frame in layers.values():
            if "name_zh" in frame.columns and "feature_id" in frame.columns:
                english = frame["name_en"] if "name_en" in frame.columns else frame["name_zh"]
                for fid, zh, en in zip(
                    frame["feature_id"], frame["name_zh"], english.fillna(""), strict=True
                ):
                    names[str(fid)] = (str(zh), str(en) or str(zh))
    return names


def _name(names: dict[str, tuple[str, str]], feature_id: str) -> str:
    zh, en = names.get(feature_id, (feature_id, feature_id))
    return zh if language() == "zh" else en


def _layer_title(layer: str) -> str:
    spec = LAYERS.get(layer)
    return t(spec.title_zh, spec.title_en) if spec else layer


# --- workspace and scenario ----------------------------------------------------------------


def _open_workspace() -> Workspace | None:
    path = workspace_path()
    st.caption(t(f"工作区文件：{path}", f"Workspace file: {path}"))
    try:
        return Workspace(path, create=True)
    except WorkspaceError as exc:
        st.error(_error_text(exc))
        return None


def _reload(ws: Workspace, name: str) -> Scenario:
    scenario = ws.load(name)
    st.session_state["scenario"] = scenario
    return scenario


def _new_scenario_form(ws: Workspace) -> None:
    with st.expander(t("新建情景", "New scenario"), expanded=ws.scenarios().empty):
        with st.form("scn_new_form", clear_on_submit=False):
            name = st.text_input(t("情景名称", "Scenario name"), key="scn_new_name")
            made = st.form_submit_button(t("从规划新建", "Create from the plan"))
        if not made:
            return
        author = _author()
        if not author:
            return
        try:
            scenario = ws.new_scenario(name.strip(), by=author)
        except ScenarioError as exc:
            st.error(_error_text(exc))
            return
        st.session_state["scenario"] = scenario
        st.session_state["scn_pick"] = scenario.name
        _flash("success", t(f"已新建情景「{scenario.name}」。", f"Created «{scenario.name}»."))
        st.rerun()


def _author() -> str:
    author = str(st.session_state.get("scn_author", "")).strip()
    if not author:
        st.error(
            t(
                "请先填写您的姓名（记录在每次编辑中）。",
                "Type your name first (kept with every edit).",
            )
        )
    return author


def _pick_scenario(ws: Workspace) -> Scenario | None:
    st.text_input(t("您的姓名", "Your name"), key="scn_author")
    names = list(ws.scenarios()["name"])
    _new_scenario_form(ws)
    if not names:
        st.info(
            t("工作区中还没有情景，请先新建。", "No scenario in the workspace yet: create one.")
        )
        return None
    if st.session_state.get("scn_pick") not in names:
        st.session_state["scn_pick"] = names[0]
    name: str = st.selectbox(t("情景", "Scenario"), names, key="scn_pick")
    # a plain key (not the widget's): widget state is dropped on pages that do not draw it
    st.session_state["scn_on_map"] = st.checkbox(
        t(
            "在其他页面（布局图、分析、约束、导出）使用此情景",
            "Use this scenario on the other pages",
        ),
        value=bool(st.session_state.get("scn_on_map", False)),
        key="scn_on_map_box",
        help=t(
            "不勾选时，其他页面显示规划本身。", "Unticked, the other pages show the plan itself."
        ),
    )
    held = st.session_state.get("scenario")
    if isinstance(held, Scenario) and held.name == name:
        return held
    return _reload(ws, name)


def _conflict(ws: Workspace, name: str) -> None:
    """Another session saved first: reload the scenario and say so (typed inputs are kept)."""
    _reload(ws, name)
    _flash(
        "warning",
        t(
            "该情景已被其他会话修改，已重新载入；请检查后再保存。",
            "The scenario changed under you (another session saved); it was reloaded: "
            "check and save again.",
        ),
    )
    st.rerun()


def _save(ws: Workspace, scenario: Scenario, edits: list[Edit], done: str) -> None:
    """Save `edits`; on a conflict say so and reload; on success rerun with `done` shown."""
    try:
        st.session_state["scenario"] = ws.save(scenario, edits)
    except WorkspaceConflictError:
        _conflict(ws, scenario.name)
    except LongtuError as exc:
        st.error(_error_text(exc))
        return
    # a fresh drawing map: the saved drawing is now part of the scenario's layers
    st.session_state["scn_map_round"] = st.session_state.get("scn_map_round", 0) + 1
    st.session_state.pop("scn_drawn", None)
    _flash("success", done)
    st.rerun()


# --- editing -------------------------------------------------------------------------------


def _editable(scenario: Scenario) -> pd.DataFrame:
    frames = [
        pd.DataFrame(scenario.layers[n][["feature_id", "name_zh", "name_en"]]).assign(layer=n)
        for n in EDIT_LAYERS
        if n in scenario.layers
    ]
    return pd.concat(frames, ignore_index=True)


def _pick_feature(scenario: Scenario) -> tuple[str, str]:
    table = _editable(scenario).set_index("feature_id")
    column = "name_zh" if language() == "zh" else "name_en"
    fid: str = st.selectbox(
        t("要素", "Feature"),
        list(table.index),
        key="scn_feature",
        format_func=lambda f: f"{table.loc[f, column]} · {_layer_title(table.loc[f, 'layer'])}",
    )
    return fid, str(table.loc[fid, "layer"])


def _edit_map(scenario: Scenario) -> None:
    """The scenario's parks and energy sites with Leaflet.draw; a drawing sets the coordinates."""
    fmap = plain_base_map()
    interactive.add_parks(fmap, scenario.layers["parks"], language=language())
    interactive.add_energy_sites(fmap, scenario.layers["energy_sites"], language=language())
    folium.plugins.Draw(
        draw_options={
            "polyline": False,
            "rectangle": False,
            "circle": False,
            "circlemarker": {"color": "#d7191c", "radius": 8},  # a vector point: no image
            "marker": False,
            "polygon": True,
        },
        edit_options={"edit": False},
    ).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    out = st_folium(
        localize_assets(fmap, base_url=ASSET_BASE_URL),
        height=420,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        key=f"scn_draw_map_{st.session_state.get('scn_map_round', 0)}",  # new after a save
    )
    drawing = (out or {}).get("last_active_drawing")
    if drawing and drawing != st.session_state.get("scn_drawing_used"):
        geometry = shapely.geometry.shape(drawing["geometry"])
        point = geometry.representative_point()
        st.session_state.update(
            scn_lon=round(point.x, 5),
            scn_lat=round(point.y, 5),
            scn_drawing_used=drawing,
            scn_drawn=geometry,
            scn_drawn_at=(round(point.x, 5), round(point.y, 5)),
        )


def _geometry_input() -> tuple[BaseGeometry, How]:
    """The drawn shape if the coordinates are still the drawing's, else the typed point."""
    cols = st.columns(2)
    lon = cols[0].number_input(
        t("经度（WGS84）", "Longitude (WGS84)"), 92.0, 109.0, 103.8, format="%.5f", key="scn_lon"
    )
    lat = cols[1].number_input(
        t("纬度（WGS84）", "Latitude (WGS84)"), 32.0, 43.0, 36.06, format="%.5f", key="scn_lat"
    )
    drawn = st.session_state.get("scn_drawn")
    if drawn is not None and st.session_state.get("scn_drawn_at") == (round(lon, 5), round(lat, 5)):
        point = drawn.geom_type == "Point"
        zh, en = ("点", "point") if point else ("多边形", "polygon")
        st.caption(t(f"使用图上所画的{zh}", f"Using the {en} drawn on the map"))
        return drawn, "drawn"
    return shapely.Point(lon, lat), "typed"


def _reason(key: str) -> str:
    return str(st.text_input(t("理由", "Reason"), key=key)).strip()


def _needs(author: str, reason: str) -> bool:
    if not author:
        return False
    if not reason:
        st.error(t("请填写理由（为何作此修改）。", "Give a reason (why this edit is made)."))
        return False
    return True


def _move(ws: Workspace, scenario: Scenario, names: dict[str, tuple[str, str]]) -> None:
    fid, _ = _pick_feature(scenario)
    geometry, how = _geometry_input()
    reason = _reason("scn_move_reason")
    if not st.button(t("保存位置", "Save the position"), key="scn_move_save"):
        return
    author = _author()
    if not _needs(author, reason):
        return
    try:
        if isinstance(geometry, shapely.Point):
            edit = move_feature(
                scenario.layers, fid, geometry.x, geometry.y, author=author, reason=reason, how=how
            )
        else:
            edit = reshape_feature(scenario.layers, fid, geometry, author=author, reason=reason)
    except ScenarioError as exc:
        st.error(_error_text(exc))
        return
    done = t(
        f"已保存「{_name(names, fid)}」的新位置。", f"Saved the new place of {_name(names, fid)}."
    )
    _save(ws, scenario, [edit], done)


def _add(ws: Workspace, scenario: Scenario) -> None:
    layer: str = st.selectbox(
        t("图层", "Layer"), ["parks", "energy_sites"], key="scn_add_layer", format_func=_layer_title
    )
    name = str(st.text_input(t("名称（中文）", "Name (Chinese)"), key="scn_add_name")).strip()
    geometry, how = _geometry_input()
    reason = _reason("scn_add_reason")
    if not st.button(t("新增", "Add"), key="scn_add_save"):
        return
    author = _author()
    if not _needs(author, reason):
        return
    if not name:
        st.error(t("请填写名称。", "Give the feature a name."))
        return
    try:
        edit = add_feature(
            scenario.layers,
            layer=layer,
            name_zh=name,
            geometry=geometry,
            author=author,
            reason=reason,
            how=how,
        )
    except ScenarioError as exc:
        st.error(_error_text(exc))
        return
    _save(ws, scenario, [edit], t(f"已新增「{name}」。", f"Added {name}."))


KIND_LABELS: dict[str, tuple[str, str]] = {
    "new_area": ("国家级新区", "New area"),
    "high_tech_zone": ("高新区", "High-tech zone"),
    "etdz": ("经济技术开发区", "ETDZ"),
    "development_zone": ("开发区", "Development zone"),
    "industrial_park": ("工业园区", "Industrial park"),
    "industrial_concentration_area": ("工业集中区", "Industrial concentration area"),
    "industry_cluster": ("产业聚集区", "Industry cluster"),
    "demonstration_base": ("示范基地", "Demonstration base"),
    "science_park": ("科技园", "Science park"),
    "agricultural_science_park": ("农业科技园", "Agricultural science park"),
    "logistics_park": ("物流园", "Logistics park"),
    "other": ("其他", "Other"),
}
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "existing": ("已建", "Existing"),
    "planned": ("规划", "Planned"),
    "demonstration": ("示范", "Demonstration"),
    "unknown": ("未载明", "Not stated"),
}
#: Layer -> (column, Chinese, English, choices or None for free text) offered in the form.
FORM_FIELDS: dict[str, tuple[tuple[str, str, str, dict[str, tuple[str, str]] | None], ...]] = {
    "parks": (
        ("name_en", "英文名称", "English name", None),
        ("level", "级别", "Level", PARK_LEVEL_LABELS),
        ("kind", "类型", "Kind", KIND_LABELS),
        ("lead_industries_zh", "主导产业（以；分隔）", "Lead industries (separated by ;)", None),
    ),
    "energy_sites": (
        ("name_en", "英文名称", "English name", None),
        ("technology", "技术", "Technology", TECHNOLOGY_LABELS),
        ("status", "状态", "Status", STATUS_LABELS),
        ("capacity_class_zh", "规模（中文）", "Capacity class (Chinese)", None),
    ),
}


def _form_field(row: pd.Series, column: str, zh: str, en: str, choices: dict | None) -> str:
    current = "" if pd.isna(row.get(column)) else str(row.get(column))
    key = f"scn_set_{column}"
    if choices is None:
        return str(st.text_input(t(zh, en), value=current, key=key))
    options = list(choices)
    index = options.index(current) if current in options else 0
    value: str = st.selectbox(
        t(zh, en), options, index=index, key=key, format_func=lambda v: _words(v, choices)
    )
    return value


def _set(ws: Workspace, scenario: Scenario, names: dict[str, tuple[str, str]]) -> None:
    fid, layer = _pick_feature(scenario)
    fields = FORM_FIELDS.get(layer, (("name_en", "英文名称", "English name", None),))
    row = scenario.layers[layer].set_index("feature_id").loc[fid]
    with st.form(f"scn_set_form_{fid}"):
        values = {c: _form_field(row, c, zh, en, ch) for c, zh, en, ch in fields}
        reason = _reason("scn_set_reason")
        submitted = st.form_submit_button(t("保存属性", "Save the attributes"))
    if not submitted:
        return
    author = _author()
    if not _needs(author, reason):
        return
    current = {c: "" if pd.isna(row.get(c)) else str(row.get(c)) for c in values}
    changed = {c: v.strip() for c, v in values.items() if v.strip() != current[c]}
    if not changed:
        st.info(t("属性没有变化，未保存。", "No attribute changed; nothing saved."))
        return
    try:
        edit = set_attributes(scenario.layers, fid, changed, author=author, reason=reason)
    except ScenarioError as exc:
        st.error(_error_text(exc))
        return
    done = t(
        f"已保存「{_name(names, fid)}」的属性。", f"Saved the attributes of {_name(names, fid)}."
    )
    _save(ws, scenario, [edit], done)


def _remove(ws: Workspace, scenario: Scenario, names: dict[str, tuple[str, str]]) -> None:
    fid, _ = _pick_feature(scenario)
    reason = _reason("scn_remove_reason")
    if not st.button(t("从情景中删除", "Remove from the scenario"), key="scn_remove_save"):
        return
    author = _author()
    if not _needs(author, reason):
        return
    edit = remove_feature(scenario.layers, fid, author=author, reason=reason)
    done = t(f"已删除「{_name(names, fid)}」。", f"Removed {_name(names, fid)}.")
    _save(ws, scenario, [edit], done)


def _edit_tab(ws: Workspace, scenario: Scenario, names: dict[str, tuple[str, str]]) -> None:
    action: str = st.radio(
        t("操作", "Action"),
        list(ACTIONS),
        key="scn_action",
        horizontal=True,
        format_func=lambda a: _words(a, ACTIONS),
    )
    if action in ("move", "add"):
        st.caption(
            t(
                "在图上画点或多边形（左侧工具），或直接输入坐标。",
                "Draw a point or polygon on the map (tools on the left), or type coordinates.",
            )
        )
        _edit_map(scenario)
    handlers: dict[str, Callable[[], None]] = {
        "move": lambda: _move(ws, scenario, names),
        "add": lambda: _add(ws, scenario),
        "set": lambda: _set(ws, scenario, names),
        "remove": lambda: _remove(ws, scenario, names),
    }
    handlers[action]()


# --- the edit list, undo and review --------------------------------------------------------

EDIT_KIND_LABELS: dict[str, tuple[str, str]] = {
    "add": ("新增", "Added"),
    "remove": ("删除", "Removed"),
    "move": ("移动", "Moved"),
    "reshape": ("改形", "Reshaped"),
    "set": ("改属性", "Attributes"),
    "undo": ("撤销", "Undo"),
}
EDIT_STATUS_LABELS: dict[str, tuple[str, str]] = {
    "proposed": ("待审", "Proposed"),
    "accepted": ("已接受", "Accepted"),
    "rejected": ("已驳回", "Rejected"),
    "undone": ("已撤销", "Undone"),
}
HOW_LABELS: dict[str, tuple[str, str]] = {
    "drawn": ("图上绘制", "drawn"),
    "typed": ("输入坐标", "typed"),
    "imported": ("文件导入", "imported"),
    "": ("", ""),
}
VERDICT_LABELS: dict[str, tuple[str, str]] = {
    "accept": ("接受", "Accept"),
    "reject": ("驳回", "Reject"),
    "comment": ("仅评论", "Comment only"),
}


def _edit_rows(scenario: Scenario, names: dict[str, tuple[str, str]]) -> pd.DataFrame:
    by_id = {e.id: e for e in scenario.edits}
    rows = []
    for e in scenario.edits:
        what = _words(e.kind, EDIT_KIND_LABELS)
        if e.kind == "undo" and e.undoes in by_id:
            what += f" #{by_id[e.undoes].seq}"
        rows.append(
            {
                t("序号", "No."): e.seq,
                t("操作", "Edit"): what,
                t("要素", "Feature"): _name(names, e.feature_id),
                t("状态", "Status"): _words(e.status, EDIT_STATUS_LABELS),
                t("方式", "How"): _words(e.how, HOW_LABELS),
                t("作者", "Author"): e.author,
                t("时间（UTC）", "Time (UTC)"): e.time[:16].replace("T", " "),
                t("理由", "Reason"): e.reason,
            }
        )
    return pd.DataFrame(rows)


def _edit_list(ws: Workspace, scenario: Scenario, names: dict[str, tuple[str, str]]) -> None:
    st.markdown("#### " + t("编辑记录", "Edits"))
    if not scenario.edits:
        st.info(t("此情景尚无编辑。", "No edit in this scenario yet."))
        return
    st.dataframe(_edit_rows(scenario, names), hide_index=True, key="scn_edit_table")
    for edit, _why in scenario.skipped:
        st.warning(
            t(
                f"第 {edit.seq} 条编辑无法应用（其要素已不在情景中）。",
                f"Edit {edit.seq} cannot apply (its feature is no longer in the scenario).",
            )
        )
    if st.button(t("撤销上一条编辑", "Undo the last edit"), key="scn_undo"):
        author = _author()
        if not author:
            return
        try:
            st.session_state["scenario"] = ws.undo(scenario, by=author)
        except WorkspaceConflictError:
            _conflict(ws, scenario.name)
        except LongtuError as exc:
            st.error(_error_text(exc))
            return
        _flash(
            "success",
            t("已撤销上一条编辑（仍保留在记录中）。", "Undid the last edit (kept in the list)."),
        )
        st.rerun()


def _review_tab(ws: Workspace, scenario: Scenario, names: dict[str, tuple[str, str]]) -> None:
    open_edits = [e for e in scenario.edits if e.kind != "undo" and e.status != "undone"]
    if not open_edits:
        st.info(t("没有可审阅的编辑。", "No edit to review."))
        return
    labels = {
        e.id: f"#{e.seq} {_words(e.kind, EDIT_KIND_LABELS)} · {_name(names, e.feature_id)} · "
        f"{_words(e.status, EDIT_STATUS_LABELS)}"
        for e in open_edits
    }
    with st.form("scn_review_form"):
        target: str = st.selectbox(
            t("编辑", "Edit"), list(labels), key="scn_review_edit", format_func=labels.__getitem__
        )
        verdict: str = st.radio(
            t("结论", "Verdict"),
            list(VERDICT_LABELS),
            key="scn_review_verdict",
            horizontal=True,
            format_func=lambda v: _words(v, VERDICT_LABELS),
        )
        text = st.text_area(t("意见", "Comment"), key="scn_review_text")
        submitted = st.form_submit_button(t("提交审阅", "Submit the review"))
    if submitted and _author():
        _submit_review(ws, scenario, target, verdict, text)
    _review_list(scenario, names)


def _submit_review(ws: Workspace, scenario: Scenario, target: str, verdict: str, text: str) -> None:
    if verdict == "comment" and not text.strip():
        st.error(t("仅评论时请填写意见。", "A comment needs its text."))
        return
    try:
        st.session_state["scenario"] = ws.review(
            scenario, target, verdict=verdict, by=_author(), text=text
        )
    except WorkspaceConflictError:
        _conflict(ws, scenario.name)
    except LongtuError as exc:
        st.error(_error_text(exc))
        return
    _flash("success", t("审阅已记录。", "Review recorded."))
    st.rerun()


def _review_list(scenario: Scenario, names: dict[str, tuple[str, str]]) -> None:
    if not scenario.reviews:
        return
    seq = {e.id: e.seq for e in scenario.edits}
    rows = [
        {
            t("编辑", "Edit"): f"#{seq.get(r.edit_id, '')}" if r.edit_id else "",
            t("要素", "Feature"): _name(names, r.feature_id),
            t("审阅人", "Reviewer"): r.reviewer,
            t("结论", "Verdict"): _words(r.verdict, VERDICT_LABELS),
            t("意见", "Comment"): r.text,
            t("时间（UTC）", "Time (UTC)"): r.time[:16].replace("T", " "),
        }
        for r in scenario.reviews
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="scn_review_table")


# --- importing boundaries ------------------------------------------------------------------

MATCH_STATUS_LABELS: dict[str, tuple[str, str]] = {
    "best": ("最佳匹配", "best match"),
    "ambiguous": ("难以区分", "ambiguous"),
    "duplicate": ("与另一行重复", "same as another row"),
    "alternative": ("备选", "alternative"),
    "unmatched": ("未匹配", "no match"),
}


def _read_upload() -> tuple[gpd.GeoDataFrame, str] | None:
    upload = st.file_uploader(
        t("上传边界文件", "Upload a boundary file"),
        type=IMPORT_TYPES,
        key="scn_import_file",
        help=t(
            "GeoPackage、GeoJSON、Shapefile（zip）、KML、FlatGeobuf；按名称与规划要素匹配",
            "GeoPackage, GeoJSON, zipped Shapefile, KML, FlatGeobuf; matched to the plan by name",
        ),
    )
    if upload is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            frame, _ = read_vector_file(path)
        except (LongtuError, ValueError) as exc:
            st.error(t(f"无法读取 {upload.name}：", f"Cannot read {upload.name}: ") + str(exc))
            return None
    if frame.empty:
        st.error(t(f"{upload.name} 中没有要素。", f"{upload.name} holds no feature."))
        return None
    return frame, upload.name


def _proposals(frame: gpd.GeoDataFrame, scenario: Scenario) -> gpd.GeoDataFrame | None:
    try:
        column = name_column_of(frame)
    except ScenarioError:
        columns = [str(c) for c in frame.columns if c != frame.geometry.name]
        st.warning(t("请选择保存名称的列。", "Choose the column that holds the names."))
        column = st.selectbox(t("名称列", "Name column"), columns, key="scn_name_column")
    try:
        return propose_matches(frame, name_column=column, layers=scenario.layers)
    except ScenarioError as exc:
        st.error(_error_text(exc))
        return None


def _proposal_table(proposals: pd.DataFrame) -> pd.DataFrame:
    reason = "reason_zh" if language() == "zh" else "reason_en"
    return pd.DataFrame(
        {
            t("行", "Row"): proposals["row"],
            t("文件中名称", "Name in the file"): proposals["name"],
            t("规划要素", "Plan feature"): proposals["plan_name_zh"],
            t("得分", "Score"): proposals["score"],
            t("判断", "Status"): [_words(s, MATCH_STATUS_LABELS) for s in proposals["status"]],
            t("理由", "Reason"): proposals[reason],
        }
    )


def _choice_label(group: pd.DataFrame) -> Callable[[str], str]:
    """Plan feature id -> its name and score, for one file row's candidates."""
    words = {
        f: f"{name}（{score:.2f}）"
        for f, name, score in zip(
            group["feature_id"], group["plan_name_zh"], group["score"], strict=True
        )
    }
    return words.__getitem__


def _choices(proposals: pd.DataFrame) -> dict[int, str]:
    """Row -> chosen plan feature id, for the rows left ticked."""
    chosen: dict[int, str] = {}
    for row, group in proposals.groupby("row", sort=True):
        options = [f for f in group["feature_id"] if f]
        if not options:
            continue
        best = group["status"].eq("best").any()
        cols = st.columns([1, 3])
        use = cols[0].checkbox(
            f"{t('采用', 'Use')} {row}: {group['name'].iloc[0]}", value=best, key=f"scn_use_{row}"
        )
        fid: str = cols[1].selectbox(
            t("对应规划要素", "Plan feature"),
            options,
            key=f"scn_choice_{row}",
            format_func=_choice_label(group),
            label_visibility="collapsed",
        )
        if use:
            chosen[int(str(row))] = fid
    return chosen


def _import_tab(ws: Workspace, scenario: Scenario) -> None:
    read = _read_upload()
    if read is None:
        return
    frame, file_name = read
    proposals = _proposals(frame, scenario)
    if proposals is None:
        return
    st.dataframe(_proposal_table(proposals), hide_index=True, key="scn_proposals")
    chosen = _choices(proposals)
    reason = _reason("scn_import_reason")
    if not st.button(t("应用所选匹配", "Apply the chosen matches"), key="scn_import_apply"):
        return
    author = _author()
    if not _needs(author, reason):
        return
    if not chosen:
        st.error(t("没有选中任何匹配，未保存。", "No match is ticked; nothing saved."))
        return
    picked = proposals[proposals["row"].isin(list(chosen))]
    try:
        edits = confirm_matches(
            picked,
            scenario.layers,
            author=author,
            reason=reason,
            source_file=file_name,
            choose=chosen,
        )
    except ScenarioError as exc:
        st.error(_error_text(exc))
        return
    done = t(
        f"已按 {file_name} 保存 {len(edits)} 处位置。",
        f"Saved {len(edits)} site(s) from {file_name}.",
    )
    _save(ws, scenario, edits, done)


# --- comparing with the plan ---------------------------------------------------------------

CHANGE_LABELS: dict[str, tuple[str, str]] = {
    "added": ("新增", "Added"),
    "removed": ("删除", "Removed"),
    "moved": ("移动", "Moved"),
    "reshaped": ("改形", "Reshaped"),
    "upgraded": ("级别提升", "Upgraded"),
    "downgraded": ("级别降低", "Downgraded"),
    "attributes": ("属性变更", "Attributes"),
}


def _change_table(changes: gpd.GeoDataFrame) -> pd.DataFrame:
    details = "details_zh" if language() == "zh" else "details_en"
    names = "name_zh" if language() == "zh" else "name_en"
    return pd.DataFrame(
        {
            t("变化", "Change"): [_words(k, CHANGE_LABELS) for k in changes["kind"]],
            t("图层", "Layer"): [_layer_title(layer) for layer in changes["layer"]],
            t("名称", "Name"): changes[names].where(changes[names] != "", changes["name_zh"]),
            t("说明", "Details"): changes[details],
            t("距离 km", "Distance, km"): changes["distance_km"].round(2),
        }
    )


def _style(colour: str, *, dashed: bool = False) -> dict[str, Any]:
    style: dict[str, Any] = {
        "color": colour,
        "fillColor": colour,
        "weight": 3,
        "fillOpacity": 0.3,
        "radius": 7,
    }
    if dashed:
        style["dashArray"] = "6 4"
    return style


def _redline_map(changes: gpd.GeoDataFrame, plan: dict[str, pd.DataFrame]) -> folium.Map:
    fmap = plain_base_map()
    old = {
        fid: geom
        for frame in plan.values()
        if isinstance(frame, gpd.GeoDataFrame)
        for fid, geom in zip(frame["feature_id"], frame.geometry, strict=True)
    }
    for row in changes[changes.geometry.notna()].itertuples():
        colour = REDLINE.get(str(row.kind))
        if colour is None:
            continue
        label = f"{_words(str(row.kind), CHANGE_LABELS)}：{row.name_zh}"
        _draw(fmap, row.geometry, label, _style(colour, dashed=row.kind == "removed"))
        before = old.get(row.feature_id)
        if row.kind in ("moved", "reshaped") and before is not None:
            _draw(fmap, before, label, _style("#888888", dashed=True))
            a, b = shapely.point_on_surface(before), shapely.point_on_surface(row.geometry)
            folium.PolyLine(
                [(a.y, a.x), (b.y, b.x)], color=colour, weight=2, dash_array="4 4", tooltip=label
            ).add_to(fmap)
    west, south, east, north = changes.total_bounds
    fmap.fit_bounds([[south - 0.2, west - 0.2], [north + 0.2, east + 0.2]], max_zoom=9)
    return localize_assets(fmap, base_url=ASSET_BASE_URL)


def _draw(fmap: folium.Map, geometry: BaseGeometry, label: str, style: dict[str, Any]) -> None:
    """One geometry: points as circles (never Leaflet's image markers), others as shapes."""
    if geometry.geom_type in ("Point", "MultiPoint"):
        for point in getattr(geometry, "geoms", [geometry]):
            folium.CircleMarker((point.y, point.x), tooltip=label, fill=True, **style).add_to(fmap)
        return
    folium.GeoJson(
        shapely.geometry.mapping(geometry),
        style_function=lambda _: style,
        marker=folium.CircleMarker(radius=6, fill=True),
        tooltip=label,
    ).add_to(fmap)


def _downloads(changes: gpd.GeoDataFrame, scenario: Scenario) -> None:
    with tempfile.TemporaryDirectory() as folder:
        gpkg, csv = write_changes(changes, Path(folder) / "changes.gpkg")
        gpkg_bytes, csv_bytes = gpkg.read_bytes(), csv.read_bytes()
    cols = st.columns(2)
    cols[0].download_button(
        t("下载变化表 CSV", "Download the changes (CSV)"),
        csv_bytes,
        file_name=f"{scenario.name}_changes.csv",
        mime="text/csv",
        key="scn_dl_csv",
    )
    cols[1].download_button(
        t("下载变化图层 GeoPackage", "Download the changes (GeoPackage)"),
        gpkg_bytes,
        file_name=f"{scenario.name}_changes.gpkg",
        mime="application/geopackage+sqlite3",
        key="scn_dl_gpkg",
    )


def _compare_tab(ws: Workspace, scenario: Scenario) -> None:
    plan = dict(ws.plan_of(scenario.name))
    changes = diff_layers(plan, scenario.layers)
    if changes.empty:
        st.info(t("与规划相比没有变化。", "No change from the plan."))
        return
    st.caption(
        t(
            "绿色：新增；红色虚线：删除；橙色：移动或改形（灰色虚线为原位置，细线连接新旧位置）。",
            "Green: added; red dashed: removed; orange: moved or reshaped (grey dashed: the old "
            "place, a thin line joins old and new).",
        )
    )
    st_folium(
        _redline_map(changes, plan),
        height=420,
        use_container_width=True,
        returned_objects=[],
        key="scn_redline_map",
    )
    st.dataframe(_change_table(changes), hide_index=True, key="scn_changes")
    _downloads(changes, scenario)


# --- the page ------------------------------------------------------------------------------


def render() -> None:
    """Draw the scenarios page: pick, edit, import, review, compare with the plan."""
    st.subheader(t("规划情景", "Scenarios"))
    _show_flash()
    ws = _open_workspace()
    if ws is None:
        return
    try:
        scenario = _pick_scenario(ws)
        if scenario is None:
            return
        names = _feature_names(scenario)
        tabs = st.tabs(
            [
                t("编辑", "Edit"),
                t("导入边界", "Import boundaries"),
                t("审阅", "Review"),
            ]
        )
        with tabs[0]:
            _edit_tab(ws, scenario, names)
            _edit_list(ws, scenario, names)
        with tabs[1]:
            _import_tab(ws, scenario)
        with tabs[2]:
            _review_tab(ws, scenario, names)
        # not a tab: a map laid out in a hidden tab opens zoomed out to the whole world
        st.divider()
        st.markdown("#### " + t("与规划对比", "Compared with the plan"))
        _compare_tab(ws, scenario)
    finally:
        ws.close()
