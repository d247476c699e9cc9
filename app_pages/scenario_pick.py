"""Choosing the scenario to work on, or creating one, and showing it on the other pages."""

from __future__ import annotations

import streamlit as st

from longtu.app_pages.common import language, t
from longtu.app_pages.scenario_session import author, flash, reload
from longtu.app_pages.scenario_words import error_text
from longtu.errors import ScenarioError, WorkspaceError
from longtu.layout.scenarios import (
    Scenario,
    Workspace,
    default_workspace,
    left_in_cache,
    workspace_path,
)


def open_workspace() -> Workspace | None:
    """The workspace file (created if missing), its path shown; None with an error if unusable."""
    path = workspace_path()
    colon = "：" if language() == "zh" else ": "
    st.caption(f"{t('工作区文件', 'Workspace file')}{colon}{path}")
    if left_in_cache(path):
        home = default_workspace().parent
        st.warning(
            t(
                f"这个工作区在缓存文件夹中（陇图以前放工作区的地方），清理缓存会删除它。"
                f"请关闭陇图后把它（连同放在它旁边的规划文件夹）移到 {home}。",
                "This workspace is in a cache folder (where Longtu used to keep workspaces): "
                f"clearing the cache deletes it. Close Longtu and move it (with any plan folders "
                f"beside it) to {home}.",
            )
        )
    try:
        return Workspace(path, create=True)
    except WorkspaceError as exc:
        st.error(error_text(exc))
        return None


def new_scenario_form(ws: Workspace) -> None:
    """A form creating a scenario from the plan or from another scenario; the new one is picked."""
    existing = list(ws.scenarios()["name"])
    with st.expander(t("新建情景", "New scenario"), expanded=not existing):
        with st.form("scn_new_form", clear_on_submit=False):
            name = st.text_input(t("情景名称", "Scenario name"), key="scn_new_name")
            parent = ""
            if existing:  # a variant of a scenario: its edits so far, then edited on its own
                plan = t("规划", "The plan")
                parent = st.selectbox(
                    t("起点", "Start from"),
                    ["", *existing],
                    format_func=lambda n: (
                        t(f"情景「{n}」（含其现有修改）", f"«{n}» as it is now") if n else plan
                    ),
                    key="scn_new_parent",
                )
            made = st.form_submit_button(
                t("新建", "Create") if existing else t("从规划新建", "Create from the plan")
            )
        if not made:
            return
        by = author()
        if not by:
            return
        try:
            scenario = ws.new_scenario(name.strip(), by=by, parent=parent)
        except ScenarioError as exc:
            st.error(error_text(exc))
            return
        st.session_state["scenario"] = scenario
        st.session_state["scn_pick"] = scenario.name
        flash("success", t(f"已新建情景「{scenario.name}」。", f"Created «{scenario.name}»."))
        st.rerun()


def _use_on_other_pages() -> None:
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


def pick_scenario(ws: Workspace) -> Scenario | None:
    """The user's name, the scenario chosen (loaded once per save), or None if there is none."""
    st.text_input(t("您的姓名", "Your name"), key="scn_author")
    names = list(ws.scenarios()["name"])
    new_scenario_form(ws)
    if not names:
        st.info(
            t("工作区中还没有情景，请先新建。", "No scenario in the workspace yet: create one.")
        )
        return None
    if st.session_state.get("scn_pick") not in names:
        st.session_state["scn_pick"] = names[0]
    name: str = st.selectbox(t("情景", "Scenario"), names, key="scn_pick")
    _use_on_other_pages()
    held = st.session_state.get("scenario")
    if isinstance(held, Scenario) and held.name == name:
        return held
    return reload(ws, name)
