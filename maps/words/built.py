"""Words of the plan against what was built (:mod:`longtu.analysis.built`)."""

from __future__ import annotations

Words = tuple[str, str]

TABLE_WORDS: dict[str, Words] = {}
COLUMN_WORDS: dict[str, Words] = {}
NUMBER_WORDS: dict[str, Words] = {}
PARAMETER_WORDS: dict[str, Words] = {}
VALUE_WORDS: dict[str, dict[str, Words]] = {}
