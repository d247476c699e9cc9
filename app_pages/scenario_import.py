"""Importing a boundary file: its features matched to plan features by name, confirmed by hand.

Every row of the file is listed with its proposed plan feature, score and reason; unmatched rows
are shown, never dropped. The ticked matches take the file's geometry (precision ``site``, the
file named as their source).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from longtu.analysis.io.vector import read_vector_file
from longtu.app_pages.common import language, t
from longtu.app_pages.problem_words import problem_line
from longtu.app_pages.scenario_session import author, ready, reason_input, save
from longtu.app_pages.scenario_words import error_text, words
from longtu.errors import LongtuError, ScenarioError
from longtu.layout.scenarios import (
    Scenario,
    Workspace,
    confirm_matches,
    name_column_of,
    propose_matches,
)
from longtu.maps.print.change_words import MATCH_WORDS

IMPORT_TYPES = ["gpkg", "geojson", "json", "zip", "kml", "kmz", "fgb"]


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
            st.error(problem_line(upload.name, exc, language=language(), folder=folder))
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
        st.error(error_text(exc))
        return None


def proposal_table(proposals: pd.DataFrame) -> pd.DataFrame:
    """The proposed matches in words: row, name in the file, plan feature, score, status, why."""
    reason = "reason_zh" if language() == "zh" else "reason_en"
    return pd.DataFrame(
        {
            t("行", "Row"): proposals["row"],
            t("文件中名称", "Name in the file"): proposals["name"],
            t("规划要素", "Plan feature"): proposals["plan_name_zh"],
            t("得分", "Score"): proposals["score"],
            t("判断", "Status"): [words(s, MATCH_WORDS) for s in proposals["status"]],
            t("理由", "Reason"): proposals[reason],
        }
    )


def _choice_label(group: pd.DataFrame) -> Callable[[str], str]:
    """Plan feature id -> its name and score, for one file row's candidates."""
    labels = {
        f: f"{name}（{score:.2f}）"
        for f, name, score in zip(
            group["feature_id"], group["plan_name_zh"], group["score"], strict=True
        )
    }
    return labels.__getitem__


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


def _apply(
    ws: Workspace, scenario: Scenario, proposals: pd.DataFrame, chosen: dict[int, str], file: str
) -> None:
    reason = reason_input("scn_import_reason")
    if not st.button(t("应用所选匹配", "Apply the chosen matches"), key="scn_import_apply"):
        return
    by = author()
    if not ready(by, reason):
        return
    if not chosen:
        st.error(t("没有选中任何匹配，未保存。", "No match is ticked; nothing saved."))
        return
    picked = proposals[proposals["row"].isin(list(chosen))]
    try:
        edits = confirm_matches(
            picked, scenario.layers, author=by, reason=reason, source_file=file, choose=chosen
        )
    except ScenarioError as exc:
        st.error(error_text(exc))
        return
    done = t(f"已按 {file} 保存 {len(edits)} 处位置。", f"Saved {len(edits)} site(s) from {file}.")
    save(ws, scenario, edits, done)


def import_section(ws: Workspace, scenario: Scenario) -> None:
    """Upload a boundary file, see and confirm its matches, save them as edits."""
    read = _read_upload()
    if read is None:
        return
    frame, file_name = read
    proposals = _proposals(frame, scenario)
    if proposals is None:
        return
    st.dataframe(
        proposal_table(proposals),
        hide_index=True,
        key="scn_proposals",
        column_config={t("得分", "Score"): st.column_config.NumberColumn(format="%.2f")},
    )
    _apply(ws, scenario, proposals, _choices(proposals), file_name)
