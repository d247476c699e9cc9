"""The attribute form of a feature: level, kind, industries, technology, status, capacity."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from longtu.app_pages.common import t
from longtu.app_pages.scenario_session import author, ready, reason_input, save
from longtu.app_pages.scenario_words import Labels, error_text, feature_name, words
from longtu.errors import ScenarioError
from longtu.layout.places import split_list, typed_list
from longtu.layout.scenarios import Scenario, Workspace, set_attributes
from longtu.layout.vocabulary import (
    KIND_LABELS,
    LIST_COLUMNS,
    PARK_LEVEL_LABELS,
    STATUS_LABELS,
    TECHNOLOGY_LABELS,
)

#: A value the form's choices do not hold (e.g. empty) is offered as it is, in these words.
NOT_STATED: Labels = {"": ("未载明", "Not stated")}
Field = tuple[str, str, str, Labels | None]
#: Layer -> (column, Chinese, English, choices or None for free text) offered in the form.
FORM_FIELDS: dict[str, tuple[Field, ...]] = {
    "parks": (
        ("name_en", "英文名称", "English name", None),
        ("level", "级别", "Level", PARK_LEVEL_LABELS),
        ("kind", "类型", "Kind", KIND_LABELS),
        ("lead_industries_zh", "主导产业（以、分隔）", "Lead industries (separated by ;)", None),
    ),
    "energy_sites": (
        ("name_en", "英文名称", "English name", None),
        ("technology", "技术", "Technology", TECHNOLOGY_LABELS),
        ("status", "状态", "Status", STATUS_LABELS),
        ("capacity_class_zh", "规模（中文）", "Capacity class (Chinese)", None),
    ),
}


def _text(row: pd.Series, column: str) -> str:
    """The stored value of `column` as the form shows it (a list joined by 、)."""
    value = "" if pd.isna(row.get(column)) else str(row.get(column))
    return "、".join(split_list(value)) if column in LIST_COLUMNS else value


def _stored(column: str, text: str) -> str:
    """What the form's `text` stores (a list as the plan's tables hold it: joined by ";")."""
    return typed_list(text) if column in LIST_COLUMNS else text.strip()


def _form_field(row: pd.Series, field: Field) -> str:
    column, zh, en, choices = field
    current = _text(row, column)
    key = f"scn_set_{column}"
    if choices is None:
        return str(st.text_input(t(zh, en), value=current, key=key))
    options = list(choices)
    if current not in options:  # kept as it is unless another is chosen
        options.insert(0, current)
    labels = {**NOT_STATED, **choices}
    value: str = st.selectbox(
        t(zh, en),
        options,
        index=options.index(current),
        key=key,
        format_func=lambda v: words(v, labels),
    )
    return value


def attribute_form(
    ws: Workspace, scenario: Scenario, fid: str, layer: str, names: dict[str, tuple[str, str]]
) -> None:
    """The form of feature `fid`'s attributes; the changed ones are saved as one edit."""
    fields = FORM_FIELDS.get(layer, (("name_en", "英文名称", "English name", None),))
    row = scenario.layers[layer].set_index("feature_id").loc[fid]
    with st.form(f"scn_set_form_{fid}"):
        values = {field[0]: _form_field(row, field) for field in fields}
        reason = reason_input("scn_set_reason")
        submitted = st.form_submit_button(t("保存属性", "Save the attributes"))
    if not submitted:
        return
    by = author()
    if not ready(by, reason):
        return
    changed = {
        c: _stored(c, v) for c, v in values.items() if _stored(c, v) != _stored(c, _text(row, c))
    }
    if not changed:
        st.info(t("属性没有变化，未保存。", "No attribute changed; nothing saved."))
        return
    try:
        edit = set_attributes(scenario.layers, fid, changed, author=by, reason=reason)
    except ScenarioError as exc:
        st.error(error_text(exc))
        return
    name = feature_name(names, fid)
    save(ws, scenario, [edit], t(f"已保存「{name}」的属性。", f"Saved the attributes of {name}."))
