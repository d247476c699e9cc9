"""Words of a siting verdict (选址分析): aspects, effects and sources of its findings.

Shared by the app's constraint review page (as Markdown) and ``longtu site check`` (as lines).
"""

from __future__ import annotations

from typing import NamedTuple

from longtu.layout.vocabulary import source_label

Words = tuple[str, str]

ASPECT_WORDS: dict[str, Words] = {
    "location": ("位置", "Location"),
    "plan": ("规划", "Plan"),
    "cluster": ("产业集聚", "Clusters"),
    "terrain": ("地形与土地覆被", "Terrain and land cover"),
    "resource": ("资源", "Resource"),
    "water": ("水资源", "Water"),
    "constraints": ("约束", "Constraints"),
    "access": ("交通可达性", "Transport access"),
}
"""Aspects of a siting verdict."""

EFFECT_MARKS: dict[str, Words] = {
    "ok": ("✓ 符合", "✓ fits"),
    "condition": ("△ 有条件", "△ condition"),
    "block": ("× 不符合", "× does not fit"),
    "info": ("ℹ 说明", "ℹ note"),
}
"""How each effect of a finding is marked (glyphs the bundled CJK font has, no emoji)."""

DATA_SOURCES: dict[str, Words] = {
    "analysis/data/county_basins.csv": (
        "县区所属流域表（陇图整理）",
        "county basins table (Longtu)",
    ),
    "analysis/data/screening_thresholds.csv": (
        "资源与地形筛选阈值表（陇图整理）",
        "resource and terrain screening thresholds (Longtu)",
    ),
    "gis_data/plan/county_seats.csv": (
        "县区与市州驻地表（GeoNames）",
        "county and prefecture seats (GeoNames)",
    ),
}
"""Bundled tables cited as the source of a finding, by path."""


class Reason(NamedTuple):
    """A finding of a verdict in words: its mark, aspect, sentence and source."""

    mark: str
    aspect: str
    finding: str
    source: str


def source_words(source: str, language: str) -> str:
    """The source of a finding: a plan by its title and line, a bundled table by its name.

    Examples
    --------
    >>> source_words("003_559e7734bfa8ac9e.txt:173;airportsdata", "en")
    'Industrial transformation plan 2016-2020, line 173; airportsdata'
    """
    sep = "; " if language == "en" else "；"
    return sep.join(_source_part(part.strip(), language) for part in source.split(";") if part)


def _source_part(part: str, language: str) -> str:
    if part in DATA_SOURCES:
        return _words(DATA_SOURCES[part], language)
    return source_label(part, language=language)


def reason_words(row, *, language: str) -> Reason:
    """One finding (a row of ``SiteVerdict.reasons``) in words, in the chosen language.

    Examples
    --------
    >>> import pandas as pd
    >>> row = next(pd.DataFrame({"aspect": ["plan"], "effect": ["ok"], "finding_zh": ["规划在此。"],
    ...     "finding_en": ["the plan names it."], "source": [""]}).itertuples(index=False))
    >>> reason_words(row, language="en")
    Reason(mark='✓ fits', aspect='Plan', finding='the plan names it', source='')
    """
    aspect = ASPECT_WORDS.get(str(row.aspect), (str(row.aspect), str(row.aspect)))
    mark = EFFECT_MARKS.get(str(row.effect), ("", ""))
    finding = str(row.finding_en if language == "en" else row.finding_zh).rstrip("。. ")
    return Reason(
        mark=_words(mark, language, bilingual=False),
        aspect=_words(aspect, language),
        finding=finding,
        source=source_words(str(row.source or ""), language),
    )


def _words(pair: Words, language: str, *, bilingual: bool = True) -> str:
    zh, en = pair
    if language == "en":
        return en
    return f"{zh} {en}" if bilingual and zh != en else zh
