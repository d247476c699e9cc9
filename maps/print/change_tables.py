"""The tables of a planning scenario in the briefing book: changes, edits, review opinions.

Every cell is in words (see :mod:`longtu.maps.print.changes`): kinds, statuses and verdicts in
Chinese and English, features by name, layers by title, times in Beijing time with UTC beside
them, source files by base name; never an id of the workspace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import geopandas as gpd
import pandas as pd
from matplotlib.figure import Figure

from longtu.layout import load_layer
from longtu.layout.scenarios import Edit, Review, Scenario
from longtu.layout.vocabulary import (
    KIND_LABELS,
    PARK_LEVEL_LABELS,
    STATUS_LABELS,
    TECHNOLOGY_LABELS,
)
from longtu.maps.print.change_words import (
    CHANGE_WORDS,
    EDIT_WORDS,
    STATUS_WORDS,
    UNNAMED,
    VERDICT_WORDS,
    change_titles,
    feature_names,
    layer_words,
    readable_time,
    source_words,
    words,
)
from longtu.maps.print.changes import render_changes_page, scenario_changes
from longtu.maps.print.page import Orientation, Paper
from longtu.maps.print.table_pages import table_pages

Section = tuple[str | None, int, Callable[[], list[Figure]] | None]
FIELD_WORDS = {
    "name_zh": ("名称", "name"),
    "name_en": ("英文名称", "English name"),
    "aliases_zh": ("别名", "other names"),
    "notes": ("备注", "notes"),
    "level": ("级别", "level"),
    "kind": ("类型", "kind"),
    "status": ("状态", "status"),
    "technology": ("技术", "technology"),
    "lead_industries_zh": ("主导产业", "lead industries"),
    "lead_enterprises_zh": ("龙头企业", "lead enterprises"),
    "capacity_class_zh": ("规模等级", "capacity class"),
    "capacity_mw_stated": ("注明容量（MW）", "stated capacity (MW)"),
    "prefecture_adcode": ("所属市州", "prefecture"),
    "county_adcode": ("所属县区", "county"),
    "prefecture_adcodes": ("所在市州", "prefectures"),
    "county_adcodes": ("所在县区", "counties"),
    "zone_ids": ("所在经济区", "economic zones"),
    "park_ids": ("载体园区", "carrier parks"),
}


def change_rows(changes: gpd.GeoDataFrame, scenario: Scenario) -> list[list[str]]:
    """Rows of the change table: number, kind, feature, layer, details (words, no ids).

    A change that came with a park (``followed_park``: a feature placed on a moved or removed
    park, a chain that lost a removed park) is told in the diff's own words, which say so.
    """
    values = _value_words(scenario)
    return [
        [
            str(i),
            words(CHANGE_WORDS, r.kind),
            f"{r.name_zh} {r.name_en}".strip() or UNNAMED,
            layer_words(r.layer),
            _attribute_details(r, scenario, values)
            if r.kind == "attributes" and not getattr(r, "followed_park", "")
            else f"{r.details_zh}\n{r.details_en}",
        ]
        for i, r in enumerate(changes.itertuples(), start=1)
    ]  # fmt: skip


def _value_words(scenario: Scenario) -> dict[str, dict[str, str]]:
    """Column -> stored value -> words, for the columns whose values are codes."""

    def both(table: dict[str, tuple[str, str]]) -> dict[str, str]:
        return {k: f"{zh} {en}" for k, (zh, en) in table.items()}

    units: dict[str, str] = {}
    for name in ("prefectures", "counties"):
        frame = load_layer(name)
        units |= dict(zip(frame["adcode"], frame["name_zh"], strict=True))
    features = feature_names(scenario.base, scenario.layers)
    return {"level": both(PARK_LEVEL_LABELS), "technology": both(TECHNOLOGY_LABELS),
            "kind": both(KIND_LABELS), "status": both(STATUS_LABELS),
            "prefecture_adcode": units, "county_adcode": units, "prefecture_adcodes": units,
            "county_adcodes": units, "zone_ids": features, "park_ids": features}  # fmt: skip


def _attribute_details(row, scenario: Scenario, values: dict[str, dict[str, str]]) -> str:
    """Each changed field in words: its name, the old and the new value."""
    old = _feature(scenario.base, row.layer, row.feature_id)
    new = _feature(scenario.layers, row.layer, row.feature_id)
    lines = []
    for field in str(row.fields).split(";"):
        zh, en = FIELD_WORDS.get(field, ("其他属性", "other detail"))
        before, after = (_value(field, f.get(field), values) for f in (old, new))
        lines.append(f"{zh} {en}：{before} → {after}")
    return "\n".join(lines)


def _feature(layers: Mapping[str, pd.DataFrame], layer: str, feature_id: str) -> dict:
    frame = layers.get(layer)
    if frame is None or "feature_id" not in frame.columns:
        return {}
    hit = frame[frame["feature_id"] == feature_id]
    return hit.iloc[0].to_dict() if len(hit) else {}


def _value(field: str, value: object, values: dict[str, dict[str, str]]) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    if not text:
        return "（空 empty）"
    table = values.get(field)
    parts = [part for part in text.split(";") if part]  # lists are stored joined by ";"
    return "、".join(parts if table is None else (table.get(p, "其他 other") for p in parts))


def change_table_pages(
    scenario: Scenario,
    changes: gpd.GeoDataFrame,
    figsize: tuple[float, float],
    date: dt.date,
    *,
    against: str | None = None,
) -> list[Figure]:
    """The change table, over as many pages as needed (against another scenario if named)."""
    rows = change_rows(changes, scenario) or [["—", "无变更 no change", "", "", ""]]
    title_zh, title_en = change_titles(scenario.name, against, map_page=False)
    return table_pages(
        figsize,
        title_zh=title_zh,
        title_en=title_en,
        header=["序号 No.", "变更 change", "要素 feature", "图层 layer", "说明 details"],
        rows=rows,
        col_widths=[0.06, 0.16, 0.24, 0.16, 0.38],
        intro=_intro(changes, against),
        notes="移动距离按WGS84椭球面计算；面积按等积投影计算。来源：规划情景工作区（陇图 Longtu）。"
        " Distances geodesic (WGS84); areas in an equal-area projection.",
        date=date,
    )


def _intro(changes: gpd.GeoDataFrame, against: str | None = None) -> str:
    """The count of changes, and how many of them came with a park rather than an edit.

    Examples
    --------
    >>> _intro(pd.DataFrame({"followed_park": ["", "兰州新区"]})).split("。")[0]
    '与起始规划相比共 2 处变更，其中 1 处随所在园区变动、并非直接修改'
    >>> _intro(pd.DataFrame({"followed_park": [""]}), "陇东").split(" ")[0]
    '与情景「陇东」相比共'
    """
    n = len(changes)
    following = int((changes["followed_park"] != "").sum()) if "followed_park" in changes else 0
    zh, en = "与起始规划相比", "against the plan the scenario started from"
    if against is not None:
        zh, en = f"与情景「{against}」相比", f"against the scenario «{against}»"
    if not following:
        return f"{zh}共 {n} 处变更 {n} change(s) {en}."
    return (
        f"{zh}共 {n} 处变更，其中 {following} 处随所在园区变动、并非直接修改。 "
        f"{n} change(s) {en}, {following} of them with its park, not edited itself."
    )


def edit_rows(scenario: Scenario) -> list[list[str]]:
    """Rows of the edit log: number, kind, feature, author, time, reason, source, status."""
    names = feature_names(scenario.layers, scenario.base)
    return [
        [
            str(e.seq or i),
            words(EDIT_WORDS, e.kind),
            _edit_feature(e, names),
            e.author,
            readable_time(e.time),
            e.reason,
            source_words(e),
            words(STATUS_WORDS, e.status),
        ]
        for i, e in enumerate(scenario.edits, start=1)
    ]


def _edit_feature(edit: Edit, names: Mapping[str, str]) -> str:
    if edit.kind == "add":
        return str(edit.attributes.get("name_zh", "")) or names.get(edit.feature_id, UNNAMED)
    return names.get(edit.feature_id, UNNAMED)


def review_rows(scenario: Scenario) -> list[list[str]]:
    """Rows of the review opinions: reviewer, time, subject, verdict, comment."""
    names = feature_names(scenario.layers, scenario.base)
    numbers = {e.id: e.seq for e in scenario.edits}
    return [
        [
            r.reviewer,
            readable_time(r.time),
            _review_subject(r, numbers, names),
            words(VERDICT_WORDS, r.verdict),
            r.text or "—",
        ]
        for r in scenario.reviews
    ]


def _review_subject(review: Review, numbers: Mapping[str, int], names: Mapping[str, str]) -> str:
    name = names.get(review.feature_id, UNNAMED)
    if review.edit_id in numbers:
        n = numbers[review.edit_id]
        return f"第 {n} 条修改 edit {n}：{name}"
    return name


def edit_log_pages(scenario: Scenario, figsize: tuple[float, float], date: dt.date) -> list[Figure]:
    """The appendix: every edit with its status, then every review opinion."""
    note = "时间为北京时间（UTC+8），括号内为协调世界时 UTC。来源文件只列文件名。"
    figs = table_pages(
        figsize,
        title_zh="附录：修改记录",
        title_en=f'Appendix: edits of the scenario "{scenario.name}"',
        header=[
            "序号 No.",
            "修改 edit",
            "要素 feature",
            "作者 author",
            "时间 time",
            "理由 reason",
            "来源 source",
            "状态 status",
        ],
        rows=edit_rows(scenario) or [["—", "无修改 no edit", "", "", "", "", "", ""]],
        col_widths=[0.06, 0.1, 0.18, 0.09, 0.14, 0.18, 0.13, 0.12],
        notes=note + " Times in Beijing time, UTC in brackets; source files by name only.",
        date=date,
        fontsize=6.5,
    )
    return figs + table_pages(
        figsize,
        title_zh="附录：审查意见",
        title_en=f'Appendix: review opinions on the scenario "{scenario.name}"',
        header=["审查人 reviewer", "时间 time", "对象 subject", "结论 verdict", "意见 comment"],
        rows=review_rows(scenario) or [["—", "", "", "尚无审查意见 no review yet", ""]],
        col_widths=[0.13, 0.17, 0.27, 0.14, 0.29],
        notes=note + " Times in Beijing time, UTC in brackets.",
        date=date,
        fontsize=6.5,
    )


def scenario_sections(
    scenario: Scenario,
    *,
    figsize: tuple[float, float],
    paper: Paper,
    orientation: Orientation,
    approval_no: str | None,
    date: dt.date,
) -> tuple[list[Section], list[Section]]:
    """(bookmark, level, figure maker) of the changes section and of the appendix.

    The changes section (redline map, change table) goes after the cover, the appendix (edits,
    review opinions) at the end of the book.
    """
    changes = scenario_changes(scenario)

    def redline() -> list[Figure]:
        return [render_changes_page(scenario, changes, paper=paper, orientation=orientation,
                                    approval_no=approval_no, date=date)]  # fmt: skip

    changes_section: list[Section] = [
        ("规划情景变更 Changes", 0, None),
        ("变更图 Redline map", 1, redline),
        ("变更表 Change table", 1, lambda: change_table_pages(scenario, changes, figsize, date)),
    ]
    appendix: list[Section] = [
        ("修改记录与审查意见 Edits and review opinions", 0,
         lambda: edit_log_pages(scenario, figsize, date)),
    ]  # fmt: skip
    return changes_section, appendix
