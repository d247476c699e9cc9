"""The popup of a plan feature on the web map: its names, fields, placement and plan text."""

from __future__ import annotations

import html

import pandas as pd

from longtu.layout.plan import split_list
from longtu.layout.vocabulary import LIST_COLUMNS, VALUE_LABELS, source_label, value_label
from longtu.maps.style import PRECISION_LABELS, Language, bilingual

_LABEL_CSS = "color:#666;padding-right:6px;font-size:12px;vertical-align:top"
_NOTE_CSS = "font-size:11px;color:#444;margin-top:4px"
_LIST_CSS = "padding-left:16px;margin:2px"


def _value_text(column: str, value: str, language: Language) -> str:
    if column in LIST_COLUMNS:
        return "、".join(split_list(value))
    labels = VALUE_LABELS.get(column)
    return value_label(labels, value, language=language) if labels else value


def popup_html(row: pd.Series, fields: list[tuple[str, str, str]], language: Language) -> str:
    """A feature's popup, in `language`: its names, fields, placement and plan sentences.

    `fields`: (column, Chinese label, English label) of the fields shown when the row has them.
    """
    title = html.escape(str(row.get("name_zh", "")))
    subtitle = html.escape(str(row.get("name_en", "")))
    parts = [f"<b style='font-size:14px'>{title}</b><br><i>{subtitle}</i>", "<table>"]
    for col, zh, en in fields:
        value = row.get(col, "")
        if value in ("", None) or (isinstance(value, float) and pd.isna(value)):
            continue
        label = bilingual(zh, en, language=language)
        cell = html.escape(_value_text(col, str(value), language))
        parts.append(f"<tr><td style='{_LABEL_CSS}'>{label}</td><td>{cell}</td></tr>")
    parts.append("</table>")
    precision = PRECISION_LABELS.get(str(row.get("precision", "")), ("", ""))
    basis = html.escape(str(row.get("location_basis", "")))
    placed = bilingual("定位", "Placed", language=language)
    level = precision[0] if language == "zh" else precision[1]
    parts.append(f"<div style='{_NOTE_CSS}'>{placed}: {level}<br>{basis}</div>")
    refs = str(row.get("source_refs", "")).split(";")
    quotes = str(row.get("source_quotes", "")).split(" | ")
    cites = "".join(
        f"<li>“{html.escape(q)}” <span style='color:#888'>"
        f"({html.escape(source_label(r, language=language))})</span></li>"
        for r, q in zip(refs, quotes, strict=False)
        if r
    )
    heading = bilingual("规划原文", "Plan text", language=language)
    parts.append(f"<div style='{_NOTE_CSS}'>{heading}:<ul style='{_LIST_CSS}'>{cites}</ul></div>")
    return "<div style='max-width:340px;font-size:12px'>" + "".join(parts) + "</div>"


PARK_FIELDS = [
    ("level", "级别", "Level"),
    ("kind", "类型", "Kind"),
    ("lead_industries_zh", "主导产业", "Lead industries"),
    ("lead_enterprises_zh", "龙头企业", "Lead enterprises"),
    ("aliases_zh", "别名", "Aliases"),
    ("notes", "说明", "Notes"),
]
ENERGY_FIELDS = [
    ("technology", "技术", "Technology"),
    ("capacity_class_zh", "规模等级", "Capacity class"),
    ("capacity_mw_stated", "规划容量 MW", "Stated capacity, MW"),
    ("status", "状态", "Status"),
    ("notes", "说明", "Notes"),
]
AREA_FIELDS = [
    ("level", "层级", "Level"),
    ("functions_zh", "功能定位", "Functions"),
    ("lead_industries_zh", "主导产业", "Lead industries"),
    ("base_name_zh", "所属基地", "Base"),
    ("industry_zh", "产业", "Industry"),
    ("lead_enterprises_zh", "龙头企业", "Lead enterprises"),
    ("kind", "类型", "Kind"),
    ("notes", "说明", "Notes"),
]
