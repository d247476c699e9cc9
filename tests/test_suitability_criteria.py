"""The default criteria and screening thresholds carry their notes in Chinese as in English."""

from __future__ import annotations

import pandas as pd
import pytest

from longtu.analysis.siting.verdict import industries
from longtu.analysis.suitability.criteria import criteria_table
from longtu.analysis.tables import screening_thresholds


def test_every_note_of_the_screening_thresholds_has_its_chinese():
    table = screening_thresholds()
    english = table["note"].fillna("").astype(str).str.strip() != ""
    chinese = table["note_zh"].fillna("").astype(str).str.strip() != ""
    assert (english == chinese).all()


@pytest.mark.parametrize("industry", list(industries()["key"]))
def test_every_default_criterion_has_its_note_in_chinese(industry):
    table = criteria_table(industry)
    for english, chinese in zip(table["note"], table["note_zh"], strict=True):
        assert pd.isna(english) == pd.isna(chinese) or not str(english).strip()
        if isinstance(english, str) and english.strip():
            assert any("\u4e00" <= ch <= "\u9fff" for ch in str(chinese)), (english, chinese)
    hard = table[table["note"].fillna("").str.startswith("hard exclusion")]
    assert hard["note_zh"].str.startswith("硬约束排除").all()
