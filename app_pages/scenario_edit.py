"""Editing a scenario: move or redraw a feature, add one, change its attributes, remove it."""

from __future__ import annotations

from collections.abc import Callable

import shapely
import streamlit as st

from longtu.app_pages.common import language, t
from longtu.app_pages.scenario_attributes import attribute_form
from longtu.app_pages.scenario_draw import draw_map, geometry_input
from longtu.app_pages.scenario_session import author, ready, reason_input, save
from longtu.app_pages.scenario_words import (
    editable_features,
    error_text,
    feature_name,
    layer_title,
    words,
)
from longtu.errors import ScenarioError
from longtu.layout.scenarios import (
    Scenario,
    Workspace,
    add_feature,
    move_feature,
    remove_feature,
    reshape_feature,
)

Names = dict[str, tuple[str, str]]
ACTIONS = {
    "move": ("移动或重画要素", "Move or redraw a feature"),
    "add": ("新增要素", "Add a feature"),
    "set": ("修改属性", "Change attributes"),
    "remove": ("删除要素", "Remove a feature"),
}


def pick_feature(scenario: Scenario) -> tuple[str, str]:
    """A feature of the scenario chosen by its name; its id and layer."""
    table = editable_features(scenario.layers).set_index("feature_id")
    column = "name_zh" if language() == "zh" else "name_en"
    fid: str = st.selectbox(
        t("要素", "Feature"),
        list(table.index),
        key="scn_feature",
        format_func=lambda f: f"{table.loc[f, column]} · {layer_title(table.loc[f, 'layer'])}",
    )
    return fid, str(table.loc[fid, "layer"])


def _move(ws: Workspace, scenario: Scenario, names: Names) -> None:
    fid, _ = pick_feature(scenario)
    geometry, how = geometry_input()
    reason = reason_input("scn_move_reason")
    if not st.button(t("保存位置", "Save the position"), key="scn_move_save"):
        return
    by = author()
    if not ready(by, reason):
        return
    try:
        if isinstance(geometry, shapely.Point):
            edit = move_feature(
                scenario.layers, fid, geometry.x, geometry.y, author=by, reason=reason, how=how
            )
        else:
            edit = reshape_feature(scenario.layers, fid, geometry, author=by, reason=reason)
    except ScenarioError as exc:
        st.error(error_text(exc))
        return
    name = feature_name(names, fid)
    save(ws, scenario, [edit], t(f"已保存「{name}」的新位置。", f"Saved the new place of {name}."))


def _add(ws: Workspace, scenario: Scenario) -> None:
    layer: str = st.selectbox(
        t("图层", "Layer"), ["parks", "energy_sites"], key="scn_add_layer", format_func=layer_title
    )
    name = str(st.text_input(t("名称（中文）", "Name (Chinese)"), key="scn_add_name")).strip()
    geometry, how = geometry_input()
    reason = reason_input("scn_add_reason")
    if not st.button(t("新增", "Add"), key="scn_add_save"):
        return
    by = author()
    if not ready(by, reason):
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
            author=by,
            reason=reason,
            how=how,
        )
    except ScenarioError as exc:
        st.error(error_text(exc))
        return
    save(ws, scenario, [edit], t(f"已新增「{name}」。", f"Added {name}."))


def _set(ws: Workspace, scenario: Scenario, names: Names) -> None:
    fid, layer = pick_feature(scenario)
    attribute_form(ws, scenario, fid, layer, names)


def _remove(ws: Workspace, scenario: Scenario, names: Names) -> None:
    fid, _ = pick_feature(scenario)
    reason = reason_input("scn_remove_reason")
    if not st.button(t("从情景中删除", "Remove from the scenario"), key="scn_remove_save"):
        return
    by = author()
    if not ready(by, reason):
        return
    edit = remove_feature(scenario.layers, fid, author=by, reason=reason)
    name = feature_name(names, fid)
    save(ws, scenario, [edit], t(f"已删除「{name}」。", f"Removed {name}."))


def edit_section(ws: Workspace, scenario: Scenario, names: Names) -> None:
    """The action chosen (move, add, attributes, remove), with the drawing map to place sites."""
    action: str = st.radio(
        t("操作", "Action"),
        list(ACTIONS),
        key="scn_action",
        horizontal=True,
        format_func=lambda a: words(a, ACTIONS),
    )
    if action in ("move", "add"):
        st.caption(
            t(
                "在图上画点或多边形（左侧工具），或直接输入坐标。",
                "Draw a point or polygon on the map (tools on the left), or type coordinates.",
            )
        )
        draw_map(scenario)
    handlers: dict[str, Callable[[], None]] = {
        "move": lambda: _move(ws, scenario, names),
        "add": lambda: _add(ws, scenario),
        "set": lambda: _set(ws, scenario, names),
        "remove": lambda: _remove(ws, scenario, names),
    }
    handlers[action]()
