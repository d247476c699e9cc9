"""Reviewing a scenario: accept, reject or comment on its edits, comment on its features.

Every review is kept with the reviewer's name and the time (the workspace's ``reviews`` layer is
append-only); the history lists edits' reviews and features' comments together.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import pandas as pd
import streamlit as st

from longtu.app_pages.common import language, t
from longtu.app_pages.scenario_session import author, write
from longtu.app_pages.scenario_words import (
    EDIT_KIND_LABELS,
    EDIT_STATUS_LABELS,
    TIME_HEADING,
    Labels,
    beijing_minute,
    editable_features,
    feature_name,
    layer_title,
    words,
)
from longtu.layout.scenarios import Review, Scenario, Workspace

Names = dict[str, tuple[str, str]]
VERDICT_LABELS: Labels = {
    "accept": ("接受", "Accept"),
    "reject": ("驳回", "Reject"),
    "comment": ("仅评论", "Comment only"),
}
#: A verdict as the history shows it (a feature's comment is no "comment only").
HISTORY_VERDICT_LABELS: Labels = {**VERDICT_LABELS, "comment": ("评论", "Comment")}


def _submit(ws: Workspace, scenario: Scenario, target: str, verdict: str, text: str) -> None:
    if verdict == "comment" and not text.strip():
        st.error(t("仅评论时请填写意见。", "A comment needs its text."))
        return
    by = author()
    if not by:
        return
    change = partial(ws.review, scenario, target, verdict=verdict, by=by, text=text)
    if write(ws, scenario.name, change, t("审阅已记录。", "Review recorded.")):
        st.rerun()


def _edit_review(ws: Workspace, scenario: Scenario, names: Names) -> None:
    st.markdown("##### " + t("审阅编辑", "Review an edit"))
    open_edits = [e for e in scenario.edits if e.kind != "undo" and e.status != "undone"]
    if not open_edits:
        st.info(t("没有可审阅的编辑。", "No edit to review."))
        return
    labels = {
        e.id: f"#{e.seq} {words(e.kind, EDIT_KIND_LABELS)} · {feature_name(names, e.feature_id)}"
        f" · {words(e.status, EDIT_STATUS_LABELS)}"
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
            format_func=lambda v: words(v, VERDICT_LABELS),
        )
        text = st.text_area(t("意见", "Comment"), key="scn_review_text")
        submitted = st.form_submit_button(t("提交审阅", "Submit the review"))
    if submitted:
        _submit(ws, scenario, target, verdict, text)


def commentable_features(scenario: Scenario) -> pd.DataFrame:
    """Features of the scenario and those it removed, edited ones first; ``removed`` flags them."""
    now = editable_features(scenario.layers).assign(removed=False)
    before = editable_features(scenario.base).assign(removed=True)
    table = pd.concat([now, before], ignore_index=True).drop_duplicates("feature_id")
    edited = {e.feature_id for e in scenario.edits}
    table["edited"] = table["feature_id"].isin(edited)
    return table.sort_values("edited", ascending=False, kind="stable").set_index("feature_id")


def _feature_label(table: pd.DataFrame) -> dict[str, str]:
    column = "name_zh" if language() == "zh" else "name_en"
    gone = " " + t("（已删除）", "(removed)")
    return {
        str(fid): f"{row[column] or row['name_zh']} · {layer_title(row['layer'])}"
        + (gone if row["removed"] else "")
        for fid, row in table.iterrows()
    }


def _feature_comment(ws: Workspace, scenario: Scenario) -> None:
    st.markdown("##### " + t("评论要素", "Comment on a feature"))
    labels = _feature_label(commentable_features(scenario))
    with st.form("scn_comment_form"):
        target: str = st.selectbox(
            t("要素（已编辑的在前）", "Feature (edited ones first)"),
            list(labels),
            key="scn_comment_feature",
            format_func=labels.__getitem__,
        )
        text = st.text_area(t("评论", "Comment"), key="scn_comment_text")
        submitted = st.form_submit_button(t("提交评论", "Submit the comment"))
    if submitted:
        _submit(ws, scenario, target, "comment", text)


def _about(review: Review, edits: Mapping[str, tuple[int, str]]) -> str:
    if not review.edit_id:
        return t("要素", "Feature")
    seq, kind = edits.get(review.edit_id, (0, ""))
    return t("编辑", "Edit") + f" #{seq} {words(kind, EDIT_KIND_LABELS)}"


def review_rows(scenario: Scenario, names: Names) -> pd.DataFrame:
    """One row in words per review: what it is about, feature, reviewer, verdict, text, time."""
    edits = {e.id: (e.seq, e.kind) for e in scenario.edits}
    return pd.DataFrame(
        [
            {
                t("对象", "About"): _about(r, edits),
                t("要素", "Feature"): feature_name(names, r.feature_id),
                t("审阅人", "Reviewer"): r.reviewer,
                t("结论", "Verdict"): words(r.verdict, HISTORY_VERDICT_LABELS),
                t("意见", "Comment"): r.text,
                t(*TIME_HEADING): beijing_minute(r.time),
            }
            for r in scenario.reviews
        ]
    )


def review_section(ws: Workspace, scenario: Scenario, names: Names) -> None:
    """Review an edit, comment on a feature, and the history of both."""
    cols = st.columns(2, gap="large")
    with cols[0]:
        _edit_review(ws, scenario, names)
    with cols[1]:
        _feature_comment(ws, scenario)
    st.markdown("##### " + t("审阅记录", "Review history"))
    if not scenario.reviews:
        st.info(t("尚无审阅或评论。", "No review or comment yet."))
        return
    st.dataframe(review_rows(scenario, names), hide_index=True, key="scn_review_table")
