"""The water-fit inputs of the analysis page: quotas (with the transcribed picks), capacities, caps.

Every table is editable; nothing typed in is guessed at. Transcribed quota values are used only
when the user picks them, and each pick is marked "not checked against the standard" in the
coefficient table and in every ledger line built on it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from longtu.analysis.result import AnalysisResult
from longtu.app_pages.common import EMPTY_CELL, cached_layer, language, t
from longtu.app_pages.problem_words import problem_line
from longtu.maps.labels import column_label, value_words

#: Columns of the quota editor, in order: what the user reads, then what they type (the
#: industry's name and the note in the interface language: ``industry_en`` and ``note`` in
#: English; the industry key stays in the table, unseen).
_QUOTA_COLUMNS = [
    "industry_zh",
    "output_unit",
    "water_m3_per_t",
    "water_m3_per_mwh",
    "quota_tier",
    "value_source",
    "standard",
    "standard_title_zh",
    "note_zh",
]
#: Columns of the capacity editor, in order (the park's ``feature_id`` stays in the table, unseen).
_CAPACITY_COLUMNS = [
    "name_zh",
    "industry_group",
    "industry_key",
    "county_adcode",
    "output_t_per_yr",
    "output_mwh_per_yr",
    "source",
    "industry_key_choices",
    "county_adcode_choices",
]


@st.cache_data(show_spinner=False)
def _capacities_template() -> pd.DataFrame:
    """The capacity table to fill in: one row per water-intensive park and industry group."""
    from longtu.analysis.water.fit import WATER_LAYERS, run_water_fit
    from longtu.layout import load_layer

    result = run_water_fit({n: load_layer(n) for n in WATER_LAYERS})
    return result.tables["capacities_template"]


def labelled_columns(columns, **config) -> dict:
    """``column_config`` of a table: each column headed by its words and unit; `config` wins."""
    lang = language()
    return {
        str(c): st.column_config.Column(column_label(str(c), language=lang)) for c in columns
    } | config


def _prefecture_names() -> dict[str, str]:
    prefectures = cached_layer("prefectures")
    return dict(zip(prefectures["adcode"], prefectures["name_zh"], strict=True))


def _industry_names() -> dict[str, str]:
    """Industry key -> its name in the chosen language (what the editor's choices show)."""
    from longtu.analysis.tables import water_coefficients

    table = water_coefficients()
    return {
        key: t(zh, en)
        for key, zh, en in zip(
            table["industry_key"], table["industry_zh"], table["industry_en"], strict=True
        )
    }


def _industry_name(key: object) -> str:
    return _industry_names().get(str(key), str(key))


def _county_names() -> dict[str, str]:
    """County adcode -> name, and the prefecture-level cities without counties (嘉峪关市)."""
    counties = cached_layer("counties")
    names = _prefecture_names()
    names.update(zip(counties["adcode"].astype(str), counties["name_zh"], strict=True))
    return names


def _in_words(column: str, value: object) -> str:
    """A stored key of `column` as the interface reads it (``value_words``)."""
    return value_words(column, value, language=language())


def _choices_in_words(template: pd.DataFrame) -> pd.DataFrame:
    """The capacity template with its lists of choices (keys joined by ``;``) named in words."""
    counties = _county_names()

    def named(keys: object, name) -> str:
        return "、".join(name(k) for k in str(keys).split(";") if k)

    return template.assign(
        industry_key_choices=template["industry_key_choices"].map(
            lambda keys: named(keys, _industry_name)
        ),
        county_adcode_choices=template["county_adcode_choices"].map(
            lambda keys: named(keys, lambda k: counties.get(k, k))
        ),
    )


def _reference_label(row: pd.Series) -> str:
    value = row["water_m3_per_t"] if pd.notna(row["water_m3_per_t"]) else row["water_m3_per_mwh"]
    unit = "m³/t" if pd.notna(row["water_m3_per_t"]) else "m³/MWh"
    industry = _industry_names().get(row["industry_key"], row["industry_key"])
    parts = [industry, row["variant_zh"], row["quota_tier_zh"], f"{value:g} {unit}"]
    return " · ".join(parts)


def _reference_in_words(reference: pd.DataFrame) -> pd.DataFrame:
    """The transcribed quota values as read: industries named, in the interface language.

    The row keys and the reading trail (a repository path and commit, ``read_via``) stay in
    the table and the ledger, not on screen; "checked against the standard" reads as words.
    """
    lang = language()
    shown = reference.assign(industry_zh=reference["industry_key"].map(_industry_name))
    shown["checked_against_standard"] = shown["checked_against_standard"].map(
        lambda v: t("否", "no") if str(v).strip().lower() == "no" else t("是", "yes")
    )
    columns = ["industry_zh", f"variant_{lang}", f"quota_tier_{lang}", "water_m3_per_t"]
    columns += ["water_m3_per_mwh", "standard", "republished_in", "checked_against_standard"]
    return shown[[*columns, "note_zh" if lang == "zh" else "note"]]


def _coefficients() -> pd.DataFrame:
    from longtu.analysis.tables import water_coefficients, water_quota_reference
    from longtu.analysis.water.ledger import apply_quota_reference

    reference = water_quota_reference()
    labels = {row["reference_id"]: _reference_label(row) for _, row in reference.iterrows()}
    picks = st.multiselect(
        t(
            "采用转录定额值（第三方转录，未经标准原文核对）",
            "Use transcribed quota values (third-party transcription, not checked against the "
            "standard)",
        ),
        list(labels),
        format_func=labels.__getitem__,
        key="quota_picks",
        placeholder=t("不采用（默认）", "none (default)"),
        select_all=False,  # Streamlit words it in English only
    )
    with st.expander(t("转录定额值及其来源", "Transcribed quota values and their sources")):
        shown = _reference_in_words(reference)
        st.dataframe(
            shown, hide_index=True, placeholder="—", column_config=labelled_columns(shown.columns)
        )
    try:
        table = apply_quota_reference(water_coefficients(), picks)
    except ValueError as exc:
        st.error(problem_line(None, exc, language=language()))
        table = water_coefficients()
    return st.data_editor(
        table,
        key=f"water_coefficients_{'_'.join(picks)}",
        placeholder=EMPTY_CELL,
        num_rows="fixed",
        hide_index=True,
        column_order=[c for c in _quota_columns() if c in table.columns],
        disabled=["industry_key", "industry_zh", "industry_en", "output_unit"],
        column_config=labelled_columns(table.columns),
    )


def _quota_columns() -> list[str]:
    """The quota editor's columns in the interface language."""
    if language() == "zh":
        return _QUOTA_COLUMNS
    english = {"industry_zh": "industry_en", "note_zh": "note"}
    return [english.get(c, c) for c in _QUOTA_COLUMNS]


def _filled(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame | None:
    rows = table[table[columns].notna().any(axis=1)]
    return rows if len(rows) else None


def run_water() -> AnalysisResult | None:
    """Show the water-fit input tables and, on "Run", the ledger result (None before)."""
    st.markdown(
        t(
            "**取水定额**：按标准条文填写数值（注明档位与出处），未填者为未知。",
            "**Water-use quotas**: type the standard's values (with tier and source); blank "
            "stays unknown.",
        )
    )
    coefficients = _coefficients()
    capacities = _capacities()
    caps = _caps()
    if not st.button(t("运行", "Run"), key="run_water"):
        return None
    return _water_result(coefficients, capacities, caps)


def _capacities() -> pd.DataFrame:
    """The capacity editor under its heading, with the industry keys to choose from."""
    from longtu.analysis.tables import water_coefficients

    st.markdown(
        t(
            "**园区产能**：规划未写明，按需填写；园区跨县时请选定县代码。",
            "**Park capacities**: the plans state few; type them in (pick the county where a "
            "park spans several).",
        )
    )
    coefficients = water_coefficients()
    counties = _county_names()
    return st.data_editor(
        _choices_in_words(_capacities_template()),
        key="water_capacities",
        placeholder=EMPTY_CELL,
        num_rows="dynamic",
        hide_index=True,
        column_order=_CAPACITY_COLUMNS,
        disabled=["name_zh", "industry_key_choices", "county_adcode_choices"],
        column_config=labelled_columns(
            _CAPACITY_COLUMNS,
            industry_group=st.column_config.SelectboxColumn(
                column_label("industry_group", language=language()),
                options=list(dict.fromkeys(coefficients["industry_group"])),
                format_func=lambda group: _in_words("industry_group", group),
            ),
            industry_key=st.column_config.SelectboxColumn(
                column_label("industry_key", language=language()),
                options=list(coefficients["industry_key"]),
                format_func=_industry_name,
            ),
            county_adcode=st.column_config.SelectboxColumn(
                t("县区", "County"),
                options=sorted(counties),
                format_func=lambda code: counties.get(str(code), str(code)),
            ),
        ),
    )


def _caps() -> pd.DataFrame:
    """The editor of the water caps by basin and prefecture, under its heading."""
    from longtu.analysis.tables import caps_template, county_basins

    st.markdown(
        t(
            "**用水总量控制红线（万 m³/年）**：未知处留空，不作推测。",
            "**Water caps (10⁴ m³/yr)**: leave unknown ones empty.",
        )
    )
    caps_table = caps_template(county_basins(), _prefecture_names())
    return st.data_editor(
        caps_table,
        key="caps",
        placeholder=EMPTY_CELL,
        num_rows="fixed",
        hide_index=True,
        column_order=[c for c in caps_table.columns if c != "key"],
        disabled=["scope", "key", "name_zh"],
        column_config=labelled_columns(
            caps_table.columns,
            scope=st.column_config.SelectboxColumn(
                column_label("scope", language=language()),
                options=["basin", "prefecture"],
                format_func=lambda scope: _in_words("scope", scope),
            ),
        ),
    )


def _water_result(
    coefficients: pd.DataFrame, capacities: pd.DataFrame, caps: pd.DataFrame
) -> AnalysisResult | None:
    """The water fit of the tables as typed; None, the problem shown, if they cannot be used."""
    from longtu.analysis.water.fit import WATER_LAYERS, run_water_fit
    from longtu.analysis.water.ledger import filled_capacity_rows
    from longtu.layout import load_layer

    filled = filled_capacity_rows(capacities)
    with st.status(t("核算水资源…", "Building the water ledger…")):
        try:
            return run_water_fit(
                {n: load_layer(n) for n in WATER_LAYERS},
                capacities=filled if len(filled) else None,
                caps=_filled(caps, ["cap_1e4_m3_per_yr"]),
                coefficients=coefficients,
            )
        except ValueError as exc:
            st.error(problem_line(None, exc, language=language()))
    return None
