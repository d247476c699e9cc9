"""Words for analysis results: tables, columns, statistics and values, with units and formats.

The analyses name their tables, columns and numbers with identifiers (``clark_evans_p_all``,
``l_envelope_high_km``); a person reads the words here, Chinese first with English beside (or
English only). The app's analysis and constraint pages and the briefing book's analysis pages
all label with this module, so that a table reads the same on screen and on paper.

Numbers are formatted for reading: a p-value below 0.001 as ``< 0.001``, kilometres with one
decimal, areas in whole km², counts as integers, yes/no as words; a missing value as ``—``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import cache

import pandas as pd

from longtu.analysis.constraints.check import LAND_COVER_GROUPS, SEVERITIES
from longtu.maps.words import access as access_words
from longtu.maps.words import built as built_words
from longtu.maps.words.numbers import (
    NUMBER_TEXT_PATTERNS,
    NUMBER_VALUE_WORDS,
    NUMBER_VOCABULARIES,
    NUMBER_WORDS,
    PARAMETER_WORDS,
    RASTER_WORDS,
)
from longtu.maps.words.tables import (
    COLUMN_WORDS,
    EN_TWINS,
    SHOWN_COLUMNS,
    TABLE_COLUMN_WORDS,
    TABLE_WORDS,
)
from longtu.maps.words.values import VALUE_WORDS, YES_NO

Words = tuple[str, str]
"""A label in Chinese and English."""


def _merge_analysis_words() -> None:
    """Add the words of the analyses kept in their own modules (:mod:`longtu.maps.words`)."""
    for module in ANALYSIS_WORD_MODULES:
        TABLE_WORDS.update(module.TABLE_WORDS)
        COLUMN_WORDS.update(module.COLUMN_WORDS)
        NUMBER_WORDS.update(module.NUMBER_WORDS)
        PARAMETER_WORDS.update(module.PARAMETER_WORDS)
        SHOWN_COLUMNS.update(getattr(module, "SHOWN_COLUMNS", {}))
        for column, values in module.VALUE_WORDS.items():
            VALUE_WORDS.setdefault(column, {}).update(values)


ANALYSIS_WORD_MODULES = (access_words, built_words)
"""Modules holding one analysis's words, in the same dictionaries as this module's."""
_merge_analysis_words()

_P_VALUE = re.compile(r"(^|_)[pq](_value)?($|_)")


def words(pair: Words, *, language: str = "zh") -> str:
    """A (Chinese, English) pair as read: Chinese with English beside, or English only.

    Examples
    --------
    >>> words(("园区", "Parks")), words(("园区", "Parks"), language="en")
    ('园区 Parks', 'Parks')
    """
    zh, en = pair
    if language == "en":
        return en
    return zh if zh == en else f"{zh} {en}"


def humanise(key: str) -> str:
    """An identifier as words, for a key no dictionary here names (never shown snake_case).

    Examples
    --------
    >>> humanise("n_layer_warnings")
    'n layer warnings'
    """
    return key.replace("_", " ").strip()


def table_label(name: str, *, language: str = "zh") -> str:
    """The name of a result table.

    Examples
    --------
    >>> table_label("ripley_l", language="en")
    "Ripley's L function"
    """
    return words(TABLE_WORDS[name], language=language) if name in TABLE_WORDS else humanise(name)


def column_label(column: str, *, language: str = "zh", table: str = "") -> str:
    """The heading of a result column (of result table `table`), with its unit.

    Examples
    --------
    >>> column_label("l_envelope_high_km")
    '随机模拟包络上限（km） Random envelope, high (km)'
    >>> column_label("value", table="moran_local", language="en")
    'Park density (parks per 10,000 km²)'
    """
    pair = TABLE_COLUMN_WORDS.get((table, column)) or COLUMN_WORDS.get(column)
    return words(pair, language=language) if pair else humanise(column)


def number_label(key: str, *, language: str = "zh") -> str:
    """The name of a statistic of ``AnalysisResult.numbers`` (or a parameter).

    Examples
    --------
    >>> number_label("clark_evans_p_all", language="en")
    'Clark-Evans p-value (all parks)'
    """
    pair = NUMBER_WORDS.get(key) or PARAMETER_WORDS.get(key)
    return words(pair, language=language) if pair else humanise(key)


def is_p_value(name: str) -> bool:
    """Whether a column or statistic holds a p-value or q-value (by its name).

    Examples
    --------
    >>> is_p_value("clark_evans_p_all"), is_p_value("q_value_greater"), is_p_value("n_points")
    (True, True, False)
    """
    return bool(_P_VALUE.search(name))


def format_number(name: str, value: object, *, language: str = "zh") -> str:
    """`value` of column or statistic `name`, formatted for reading.

    Examples
    --------
    >>> format_number("clark_evans_p_all", 3.747e-27), format_number("p_value", 0.2783)
    ('< 0.001', '0.278')
    >>> format_number("max_distance_km", 57.0971), format_number("area_km2", 425531.5)
    ('57.1', '425,532')
    >>> format_number("capacity_mw", 408.9), format_number("capacity_mw", 50.0)
    ('408.9', '50')
    >>> format_number("hexi_inland", True, language="en"), format_number("x", float("nan"))
    ('yes', '—')
    """
    if isinstance(value, bool):
        return words(YES_NO[value], language=language)
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return _format_float(name, value)
    if isinstance(value, list | tuple):
        return "、".join(format_number(name, v, language=language) for v in value)
    return _format_text(str(value), language=language)


def _format_float(name: str, value: float) -> str:
    if is_p_value(name):
        return "< 0.001" if value < 0.001 else f"{value:.3f}"
    if name.endswith(("_km2", "_m")) or abs(value) >= 1000:
        return f"{value:,.0f}"
    if name.endswith("_mw"):
        return f"{value:,.1f}".removesuffix(".0")
    if name.endswith("_km") or "_km_" in name or name.endswith("_pct") or "score" in name:
        return f"{value:,.1f}"
    if value.is_integer():
        return str(int(value))
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def _format_text(text: str, *, language: str) -> str:
    if text in NUMBER_VALUE_WORDS:
        return words(NUMBER_VALUE_WORDS[text], language=language)
    for pattern, (zh, en) in NUMBER_TEXT_PATTERNS:
        if match := pattern.match(text):
            found = match.groups()
            return words((zh.format(*found), en.format(*found)), language=language)
    if ";" in text and all(part.replace(".", "").isdigit() for part in text.split(";")):
        return "、".join(text.split(";"))
    return text


def value_words(column: str, value: object, *, language: str = "zh") -> str:
    """A cell of `column` as read: a vocabulary value named, a number formatted.

    Examples
    --------
    >>> value_words("severity", "conflict"), value_words("points", "all parks", language="en")
    ('冲突 conflict', 'all parks')
    >>> value_words("constraint_category", "ecological_red_line")
    '生态保护红线 Ecological protection red line'
    """
    vocabulary = _vocabulary(column)
    if vocabulary is not None and isinstance(value, str):
        if value in vocabulary:
            return words(vocabulary[value], language=language)
        if ";" in value:
            return "；".join(value_words(column, v, language=language) for v in value.split(";"))
    if isinstance(value, str):
        return value
    return format_number(column, _python(value), language=language)


@cache
def _industry_words() -> dict[str, Words]:
    from longtu.analysis.siting.verdict import industries

    table = industries()
    return {r.key: (r.name_zh, r.name_en) for r in table.itertuples()}


def _vocabulary(column: str) -> Mapping[str, Words] | None:
    """The names of the stored values of `column` (the industries from their table)."""
    return _industry_words() if column == "industry_key" else VALUE_WORDS.get(column)


def _python(value: object) -> object:
    """A NumPy scalar as the Python value it holds (bool, int, float)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def shown_columns(table: str, frame: pd.DataFrame, *, language: str = "zh") -> list[str]:
    """The columns of result table `table` a person reads, in the chosen language.

    Examples
    --------
    >>> frame = pd.DataFrame(columns=["name_zh", "name_en", "verdict_zh", "verdict_en", "id"])
    >>> shown_columns("designated_vs_measured", frame, language="en")
    ['name_en', 'verdict_en']
    """
    wanted = SHOWN_COLUMNS.get(table) or [c for c in frame.columns if c != "geometry"]
    out = []
    for column in wanted:
        twin = EN_TWINS.get(column) or (column[:-3] + "_en" if column.endswith("_zh") else "")
        use = twin if language == "en" and twin in frame.columns else column
        if use in frame.columns:
            out.append(use)
    return out


def labelled_table(
    table: str,
    frame: pd.DataFrame,
    *,
    language: str = "zh",
    columns: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Result table `table` as a person reads it: chosen columns, labelled, cells as text.

    Examples
    --------
    >>> frame = pd.DataFrame({"points": ["all parks"], "p_value": [4e-27], "r_index": [0.2954]})
    >>> labelled_table("clark_evans", frame, language="en").iloc[0].tolist()
    ['all parks', '0.295', '< 0.001']
    """
    chosen = (
        list(columns) if columns is not None else shown_columns(table, frame, language=language)
    )
    out = pd.DataFrame(index=range(len(frame)))
    for column in chosen:
        cells = frame[column].tolist()
        out[column_label(column, language=language, table=table)] = [
            value_words(column, v, language=language) for v in cells
        ]
    return out


def key_figures(numbers: Mapping[str, object], *, language: str = "zh") -> pd.DataFrame:
    """The numbers (or parameters) of a result as a two-column table: statistic, value.

    Examples
    --------
    >>> key_figures({"clark_evans_p_all": 3.7e-27, "eps_km": 50}, language="en").values.tolist()
    [['Clark-Evans p-value (all parks)', '< 0.001'], ['DBSCAN radius (km)', '50']]
    """
    heads = (words(("指标", "Statistic"), language=language),
             words(("数值", "Value"), language=language))  # fmt: skip
    rows = [
        (number_label(k, language=language), _figure(k, _python(v), language=language))
        for k, v in numbers.items()
        if not isinstance(v, dict | list) or all(not isinstance(x, dict) for x in v)
    ]
    return pd.DataFrame(rows, columns=list(heads))


def _figure(key: str, value: object, *, language: str) -> str:
    """One number or parameter as read (vocabulary values named, an empty list as ``—``)."""
    vocabulary = NUMBER_VOCABULARIES.get(key)
    if isinstance(value, list | tuple) and not value:
        return "—"
    if vocabulary is None:
        return format_number(key, value, language=language)
    parts = value if isinstance(value, list | tuple) else str(value).split(";")
    return "、".join(value_words(vocabulary, str(p), language=language) for p in parts)


def raster_legend(band: str, *, language: str = "zh") -> tuple[str, float]:
    """The legend title of a result raster band and the factor its values are shown at.

    Examples
    --------
    >>> raster_legend("points_per_km2", language="en")
    ('Park density (parks per 10,000 km²)', 10000.0)
    """
    if band not in RASTER_WORDS:
        return humanise(band), 1.0
    zh, en, factor = RASTER_WORDS[band]
    return words((zh, en), language=language), factor


def land_cover_group_label(group: str, *, language: str = "zh") -> str:
    """The name of a land-cover group of the built-in constraint.

    Examples
    --------
    >>> land_cover_group_label("wetland")
    '湿地 wetland'
    """
    return value_words("land_cover_group", group, language=language)


def severity_label(severity: str, *, language: str = "zh") -> str:
    """A severity of the constraint check as a word.

    Examples
    --------
    >>> severity_label("near", language="en")
    'near'
    """
    return value_words("severity", severity, language=language)


SEVERITY_ORDER: tuple[str, ...] = tuple(SEVERITIES)
"""Severities, worst first (conflict, near, clear)."""

__all__ = [
    "COLUMN_WORDS",
    "LAND_COVER_GROUPS",
    "NUMBER_WORDS",
    "PARAMETER_WORDS",
    "SEVERITY_ORDER",
    "SHOWN_COLUMNS",
    "TABLE_WORDS",
    "VALUE_WORDS",
    "Words",
    "column_label",
    "format_number",
    "humanise",
    "is_p_value",
    "key_figures",
    "labelled_table",
    "land_cover_group_label",
    "number_label",
    "raster_legend",
    "severity_label",
    "shown_columns",
    "table_label",
    "value_words",
    "words",
]
