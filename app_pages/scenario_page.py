"""Page 5: planning scenarios (规划情景): edit the plan with real sites, review, compare.

A scenario lives in the workspace file (:mod:`longtu.layout.scenarios`). The page is assembled
from one module per concern:

* :mod:`~longtu.app_pages.scenario_pick`: choose or create the scenario;
* :mod:`~longtu.app_pages.scenario_edit` (with ``scenario_draw`` and ``scenario_attributes``):
  move, redraw, add, remove a feature, change its attributes;
* :mod:`~longtu.app_pages.scenario_history`: the edit list and undo;
* :mod:`~longtu.app_pages.scenario_import`: a boundary file matched to plan features;
* :mod:`~longtu.app_pages.scenario_review`: accept, reject or comment on edits and features;
* :mod:`~longtu.app_pages.scenario_compare`: redline map, change table, downloads;
* ``scenario_session`` (saving, messages) and ``scenario_words`` (labels) serve them all.
"""

from __future__ import annotations

import streamlit as st

from longtu.app_pages.common import t
from longtu.app_pages.scenario_compare import compare_section
from longtu.app_pages.scenario_edit import edit_section
from longtu.app_pages.scenario_history import edit_list
from longtu.app_pages.scenario_import import import_section
from longtu.app_pages.scenario_pick import open_workspace, pick_scenario
from longtu.app_pages.scenario_review import review_section
from longtu.app_pages.scenario_session import show_flash
from longtu.app_pages.scenario_words import feature_names


def render() -> None:
    """Draw the scenarios page: pick, edit, import, review, compare with the plan."""
    st.subheader(t("规划情景", "Scenarios"))
    show_flash()
    ws = open_workspace()
    if ws is None:
        return
    try:
        scenario = pick_scenario(ws)
        if scenario is None:
            return
        names = feature_names(scenario)
        tabs = st.tabs(
            [t("编辑", "Edit"), t("导入边界", "Import boundaries"), t("审阅", "Review")],
            key="scn_tabs",
        )
        with tabs[0]:
            edit_section(ws, scenario, names)
            edit_list(ws, scenario, names)
        with tabs[1]:
            import_section(ws, scenario)
        with tabs[2]:
            review_section(ws, scenario, names)
        # not a tab: a map laid out in a hidden tab opens zoomed out to the whole world
        st.divider()
        st.markdown("#### " + t("对比", "Comparison"))
        compare_section(ws, scenario)
    finally:
        ws.close()
