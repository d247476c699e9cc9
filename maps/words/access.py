"""Words of transport access (:mod:`longtu.analysis.access`)."""

from __future__ import annotations

Words = tuple[str, str]

TABLE_WORDS: dict[str, Words] = {}
COLUMN_WORDS: dict[str, Words] = {}
NUMBER_WORDS: dict[str, Words] = {}
PARAMETER_WORDS: dict[str, Words] = {}
VALUE_WORDS: dict[str, dict[str, Words]] = {}
