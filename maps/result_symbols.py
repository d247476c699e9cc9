"""How an analysis result is drawn: which table, coloured by what, with which legend.

One style for the briefing's result maps (:mod:`longtu.maps.print.analysis_pages`) and the
app's (:mod:`longtu.app_pages.analysis_page`): both ask :func:`result_symbols` and draw what it
says, so a cluster, a technology or a score has the same colour on paper and on screen.

- clusters (``cluster_id``): one categorical colour each, isolated parks grey;
- yes/no columns (``hexi_inland``): two colours;
- technologies (``technology``): the layout map's technology colours;
- numbers (``mean_score``, ``score``): viridis from the lowest to the highest value, with a
  colour ramp in the legend (one value: one legend row instead);
- anything else: one colour, "features analysed".

Some results are read against another of their tables, drawn under the features as dashed
outlines in the same colours (:data:`CONTEXT_TABLES`): the built view's footprints over the plan
bases' regions, so that what was built is seen beside where the plan put it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import geopandas as gpd
import matplotlib as mpl
import pandas as pd
from matplotlib.colors import Normalize, to_hex

from longtu.analysis.result import AnalysisResult
from longtu.maps import labels
from longtu.maps.style import TECHNOLOGY_COLOURS, YES_NO_COLOURS, Language

COLOUR_COLUMNS = ("cluster_id", "hexi_inland", "mean_score", "score", "technology")
"""Columns a result map is coloured by, in order of preference."""
CLUSTER_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
                   "#1f78b4", "#b15928", "#6a3d9a")  # fmt: skip
"""Categorical colours of clusters (ColorBrewer Dark2, then Paired); isolated parks grey."""
NOISE_COLOUR = "#9a9a9a"
PLAIN_COLOUR = "#c0392b"
"""The one colour of features when nothing colours them."""
MISSING_COLOUR = "#cccccc"
"""A feature whose value is missing, on a colour ramp."""
RAMP = "viridis"
"""The colour ramp of numeric columns (perceptually uniform, readable in grey)."""
CONTEXT_TABLES: dict[str, tuple[str, tuple[str, str]]] = {
    "built_footprints": ("built_bases", ("规划基地计数区域（虚线）", "Plan base regions (dashed)")),
}
"""Drawn table -> (table drawn under it as dashed outlines, its legend words)."""


@dataclass(frozen=True)
class Context:
    """A table drawn under the result's features, as dashed outlines.

    Attributes
    ----------
    table : str
        Its name among the result's tables.
    frame : geopandas.GeoDataFrame
        Its rows that have a geometry.
    colours : list of str
        A hex outline colour per row (by the drawn column when it has it, else grey).
    title : str
        What it is, the heading of its legend rows, in the language asked.
    entries : list of (str, str)
        Its legend rows, (colour, label with its count), in the language asked.
    """

    table: str
    frame: gpd.GeoDataFrame
    colours: list[str]
    title: str
    entries: list[tuple[str, str]]


@dataclass(frozen=True)
class Ramp:
    """A continuous colour scale of a numeric column.

    Attributes
    ----------
    low, high : float
        The lowest and highest value, drawn in the ramp's first and last colour.
    low_text, high_text : str
        Those values formatted with their unit, as a legend shows them.
    colours : tuple of str
        Five hex colours from low to high, for a legend's gradient.
    """

    low: float
    high: float
    low_text: str
    high_text: str
    colours: tuple[str, ...]


@dataclass(frozen=True)
class ResultSymbols:
    """What a result map draws and how.

    Attributes
    ----------
    table : str
        The name of the result table drawn.
    frame : geopandas.GeoDataFrame
        Its rows that have a geometry, in the table's order.
    column : str or None
        The column the features are coloured by (None: one colour).
    colours : list of str
        A hex colour per row of `frame`.
    entries : list of (str, str)
        Legend rows, (colour, label with its count), in the language asked; empty with a ramp.
    title : str
        The legend's title (the column's label), in the language asked.
    ramp : Ramp or None
        The colour scale of a numeric column.
    """

    table: str
    frame: gpd.GeoDataFrame
    column: str | None
    colours: list[str]
    entries: list[tuple[str, str]] = field(default_factory=list)
    title: str = ""
    ramp: Ramp | None = None
    context: Context | None = None


def result_symbols(result: AnalysisResult, *, language: Language = "zh") -> ResultSymbols | None:
    """The table of `result` a map draws, its colours and legend (None: nothing to draw).

    The first table with a colour column (:data:`COLOUR_COLUMNS`, in that order) is drawn;
    else the first table with a geometry, in one colour.

    Examples
    --------
    >>> import shapely
    >>> frame = gpd.GeoDataFrame({"technology": ["pv", "wind", "pv"]},
    ...     geometry=[shapely.Point(100, 38)] * 3, crs=4326)
    >>> result = AnalysisResult("built", "", "", tables={"built_footprints": frame})
    >>> symbols = result_symbols(result, language="en")
    >>> symbols.column, symbols.entries
    ('technology', [('#ff7f00', 'PV (2)'), ('#1f78b4', 'Wind (1)')])
    """
    found = _table(result)
    if found is None:
        return None
    symbols = _symbols(*found, language)
    context = _context(result, symbols, language)
    return symbols if context is None else replace(symbols, context=context)


def _symbols(
    name: str, frame: gpd.GeoDataFrame, column: str | None, language: Language
) -> ResultSymbols:
    """The colours and legend of `frame` by `column`."""
    if column is None:
        label = _words("分析对象", "Features analysed", language) + _count(len(frame), language)
        entry = (PLAIN_COLOUR, label)
        return ResultSymbols(name, frame, None, [PLAIN_COLOUR] * len(frame), [entry])
    title = labels.column_label(column, language=language)
    if column == "cluster_id":
        colours, entries = _clusters(frame[column], language)
        title += " (parks)" if language == "en" else "（园区数 parks）"
    elif column == "technology":
        colours, entries = _technologies(frame[column], language)
    elif pd.api.types.is_bool_dtype(frame[column]):
        colours, entries = _yes_no(frame[column], language)
    else:
        return _numeric(name, frame, column, title, language)
    return ResultSymbols(name, frame, column, colours, entries, title)


def _context(result: AnalysisResult, symbols: ResultSymbols, language: Language) -> Context | None:
    """The table drawn under the features, if the drawn table has one (:data:`CONTEXT_TABLES`)."""
    if symbols.table not in CONTEXT_TABLES:
        return None
    name, (zh, en) = CONTEXT_TABLES[symbols.table]
    table = result.tables.get(name)
    if not isinstance(table, gpd.GeoDataFrame) or not table.geometry.notna().any():
        return None
    frame = table[table.geometry.notna()]
    title = _words(zh, en, language)
    if symbols.column == "technology" and "technology" in frame.columns:
        colours, entries = _technologies(frame["technology"], language)
        return Context(name, frame, colours, title, entries)
    entries = [(NOISE_COLOUR, title + _count(len(frame), language))]
    return Context(name, frame, [NOISE_COLOUR] * len(frame), title, entries)


def cluster_colour(cluster_id: int) -> str:
    """The colour of a cluster (grey for isolated parks, id below 0).

    Examples
    --------
    >>> cluster_colour(0), cluster_colour(-1)
    ('#1b9e77', '#9a9a9a')
    """
    return NOISE_COLOUR if cluster_id < 0 else CLUSTER_COLOURS[cluster_id % len(CLUSTER_COLOURS)]


def _table(result: AnalysisResult) -> tuple[str, gpd.GeoDataFrame, str | None] | None:
    frames = [
        (name, table)
        for name, table in result.tables.items()
        if isinstance(table, gpd.GeoDataFrame) and table.geometry.notna().any()
    ]
    for column in COLOUR_COLUMNS:
        for name, table in frames:
            if column in table.columns:
                return name, table[table.geometry.notna()], column
    if frames:
        name, table = frames[0]
        return name, table[table.geometry.notna()], None
    return None


def _clusters(values: pd.Series, language: Language) -> tuple[list[str], list[tuple[str, str]]]:
    ids = pd.to_numeric(values, errors="coerce").fillna(-1).astype(int)
    counts = ids.value_counts()
    order = sorted(i for i in counts.index if i >= 0) + [i for i in counts.index if i < 0]
    entries = []
    for i in order:
        zh, en = (f"集聚 {i}", f"Cluster {i}") if i >= 0 else ("离散园区", "Isolated parks")
        entries.append((cluster_colour(i), _words(zh, en, language) + _count(counts[i], language)))
    return [cluster_colour(i) for i in ids], entries


def _technologies(values: pd.Series, language: Language) -> tuple[list[str], list[tuple[str, str]]]:
    techs = values.fillna("other").astype(str)
    colour = {t: TECHNOLOGY_COLOURS.get(t, TECHNOLOGY_COLOURS["other"]) for t in set(techs)}
    counts = techs.value_counts()
    entries = []
    for tech in sorted(counts.index):
        label = labels.value_words("technology", tech, language=language)
        entries.append((colour[tech], label + _count(counts[tech], language)))
    return [colour[t] for t in techs], entries


def _yes_no(values: pd.Series, language: Language) -> tuple[list[str], list[tuple[str, str]]]:
    flags = values.fillna(False).astype(bool)
    entries = []
    for flag, zh, en in ((True, "是", "Yes"), (False, "否", "No")):
        count = _count(int((flags == flag).sum()), language)
        entries.append((YES_NO_COLOURS[flag], _words(zh, en, language) + count))
    return [YES_NO_COLOURS[bool(f)] for f in flags], entries


def _numeric(
    name: str, frame: gpd.GeoDataFrame, column: str, title: str, language: Language
) -> ResultSymbols:
    values = pd.to_numeric(frame[column], errors="coerce")
    cmap = mpl.colormaps[RAMP]
    if not values.max() > values.min():  # one value: a legend row, not a one-colour ramp
        colour = to_hex(cmap(0.5))
        value = labels.format_number(column, float(values.max()), language=language)
        entry = (colour, value + _count(len(frame), language, every=True))
        return ResultSymbols(name, frame, column, [colour] * len(frame), [entry], title)
    norm = Normalize(float(values.min()), float(values.max()))
    colours = [to_hex(cmap(norm(v))) if pd.notna(v) else MISSING_COLOUR for v in values]
    ramp = Ramp(
        float(values.min()),
        float(values.max()),
        labels.format_number(column, float(values.min()), language=language),
        labels.format_number(column, float(values.max()), language=language),
        tuple(to_hex(cmap(x)) for x in (0.0, 0.25, 0.5, 0.75, 1.0)),
    )
    return ResultSymbols(name, frame, column, colours, [], title, ramp)


def _words(zh: str, en: str, language: Language) -> str:
    return en if language == "en" else f"{zh} {en}"


def _count(n: int, language: Language, *, every: bool = False) -> str:
    if language == "en":
        return f" (all {n})" if every else f" ({n})"
    return f"（全部 all {n}）" if every else f"（{n}）"
