"""The scenarios page's session: who is editing, saving to the workspace, messages after a save.

SQLite connections belong to the thread that opened them and Streamlit may rerun the script in
another thread, so each run opens the :class:`~longtu.layout.scenarios.Workspace` afresh and
keeps the loaded :class:`~longtu.layout.scenarios.Scenario` (plain data) in
``st.session_state["scenario"]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from longtu.app_pages.common import t
from longtu.app_pages.scenario_words import error_text
from longtu.errors import LongtuError, WorkspaceConflictError
from longtu.layout.scenarios import Edit, Scenario, Workspace

#: Inputs emptied after a successful save, so that a reason or comment is not carried over to
#: the next edit by mistake (coordinates and choices stay).
CLEARED_AFTER_SAVE = (
    "scn_move_reason",
    "scn_add_name",
    "scn_add_reason",
    "scn_set_reason",
    "scn_remove_reason",
    "scn_import_reason",
    "scn_review_text",
    "scn_comment_text",
)


def flash(kind: str, text: str) -> None:
    """Show `text` (``success`` or ``warning``) after the rerun that follows a save."""
    st.session_state["scn_flash"] = (kind, text)


def show_flash() -> None:
    """The message left by :func:`flash` before the last rerun, once; inputs emptied after a save.

    Always in a container of its own, shown or not, so that the elements below keep their
    place: Streamlit would otherwise take the tabs for new ones and open the first tab again.
    """
    if st.session_state.pop("scn_clear_inputs", False):
        # set, not deleted: the browser shows a value the script sets, keeps one it deletes
        st.session_state.update(dict.fromkeys(CLEARED_AFTER_SAVE, ""))
    kind, text = st.session_state.pop("scn_flash", ("", ""))
    slot = st.container()
    if kind == "success":
        slot.success(text)
    elif kind == "warning":
        slot.warning(text)


def author() -> str:
    """The name typed in "your name", or "" with an error asking for it."""
    name = str(st.session_state.get("scn_author", "")).strip()
    if not name:
        st.error(
            t(
                "请先填写您的姓名（记录在每次编辑中）。",
                "Type your name first (kept with every edit).",
            )
        )
    return name


def reason_input(key: str) -> str:
    """A "reason" text box; its text, stripped."""
    return str(st.text_input(t("理由", "Reason"), key=key)).strip()


def ready(name: str, reason: str) -> bool:
    """Whether an edit has its author and its reason (an error says which is missing)."""
    if not name:
        return False
    if not reason:
        st.error(t("请填写理由（为何作此修改）。", "Give a reason (why this edit is made)."))
        return False
    return True


def reload(ws: Workspace, name: str) -> Scenario:
    """Scenario `name` as saved now, kept in the session."""
    scenario = ws.load(name)
    st.session_state["scenario"] = scenario
    return scenario


def conflict(ws: Workspace, name: str) -> None:
    """Another session saved first: reload the scenario and say so (typed inputs are kept)."""
    reload(ws, name)
    flash(
        "warning",
        t(
            "该情景已被其他会话修改，已重新载入；请检查后再保存。",
            "The scenario changed under you (another session saved); it was reloaded: "
            "check and save again.",
        ),
    )
    st.rerun()


def write(ws: Workspace, name: str, change: Callable[[], Scenario], done: str) -> bool:
    """Run `change` (a save, an undo, a review); on success keep its scenario and flash `done`.

    Returns False (with the error shown) if the workspace refused; on a conflict the scenario is
    reloaded and the page reruns.
    """
    try:
        st.session_state["scenario"] = change()
    except WorkspaceConflictError:
        conflict(ws, name)
    except LongtuError as exc:
        st.error(error_text(exc))
        return False
    st.session_state["scn_clear_inputs"] = True  # done by the next run, before the widgets
    flash("success", done)
    return True


def save(ws: Workspace, scenario: Scenario, edits: Sequence[Edit], done: str) -> None:
    """Save `edits`; on a conflict say so and reload; on success rerun with `done` shown."""
    if not write(ws, scenario.name, lambda: ws.save(scenario, edits), done):
        return
    # a fresh drawing map: the saved drawing is now part of the scenario's layers
    st.session_state["scn_map_round"] = st.session_state.get("scn_map_round", 0) + 1
    st.session_state.pop("scn_drawn", None)
    st.rerun()
