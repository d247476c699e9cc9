"""The edit list of a scenario (undone and rejected edits stay listed) and undoing the last one."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from longtu.app_pages.common import t
from longtu.app_pages.scenario_session import author, write
from longtu.app_pages.scenario_words import (
    EDIT_KIND_LABELS,
    EDIT_STATUS_LABELS,
    TIME_HEADING,
    Labels,
    beijing_minute,
    feature_name,
    words,
)
from longtu.layout.scenarios import Scenario, Workspace

HOW_LABELS: Labels = {
    "drawn": ("图上绘制", "drawn"),
    "typed": ("输入坐标", "typed"),
    "imported": ("文件导入", "imported"),
    "": ("", ""),
}


def edit_rows(scenario: Scenario, names: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """One row in words per edit: number, edit, feature, status, how, author, time, reason."""
    by_id = {e.id: e for e in scenario.edits}
    rows = []
    for e in scenario.edits:
        what = words(e.kind, EDIT_KIND_LABELS)
        if e.kind == "undo" and e.undoes in by_id:
            what += f" #{by_id[e.undoes].seq}"
        rows.append(
            {
                t("序号", "No."): e.seq,
                t("操作", "Edit"): what,
                t("要素", "Feature"): feature_name(names, e.feature_id),
                t("状态", "Status"): words(e.status, EDIT_STATUS_LABELS),
                t("方式", "How"): words(e.how, HOW_LABELS),
                t("作者", "Author"): e.author,
                t(*TIME_HEADING): beijing_minute(e.time),
                t("理由", "Reason"): e.reason,
            }
        )
    return pd.DataFrame(rows)


def _undo(ws: Workspace, scenario: Scenario) -> None:
    by = author()
    if not by:
        return
    done = t("已撤销上一条编辑（仍保留在记录中）。", "Undid the last edit (kept in the list).")
    if write(ws, scenario.name, lambda: ws.undo(scenario, by=by), done):
        st.rerun()


def edit_list(ws: Workspace, scenario: Scenario, names: dict[str, tuple[str, str]]) -> None:
    """The scenario's edits, the ones that cannot apply, and the undo button."""
    st.markdown("#### " + t("编辑记录", "Edits"))
    if not scenario.edits:
        st.info(t("此情景尚无编辑。", "No edit in this scenario yet."))
        return
    st.dataframe(edit_rows(scenario, names), hide_index=True, key="scn_edit_table")
    for edit, _why in scenario.skipped:
        st.warning(
            t(
                f"第 {edit.seq} 条编辑无法应用（其要素已不在情景中）。",
                f"Edit {edit.seq} cannot apply (its feature is no longer in the scenario).",
            )
        )
    if st.button(t("撤销上一条编辑", "Undo the last edit"), key="scn_undo"):
        _undo(ws, scenario)
