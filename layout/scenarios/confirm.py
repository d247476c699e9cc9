"""Confirming matches: the accepted proposals of a planner's file turned into placing edits.

:func:`confirm_matches` takes the table of
:func:`~longtu.layout.scenarios.matching.propose_matches`: each row's best proposal, or the plan
feature chosen for it, becomes a ``reshape`` (polygons, lines) or ``move`` (points) edit with the
file and row as its source. Every problem (an unresolved row, two rows on one feature, a
geometry outside Gansu) is collected and all are refused together: nothing is saved.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from longtu.errors import ScenarioError
from longtu.layout.scenarios.edits import Edit, PlanLayers, reshape_feature

Problem = tuple[str, str]
"""One problem of a row, in English and in Chinese."""


def _chosen(group: pd.DataFrame, choice: str | None) -> tuple[str | None, Problem | None]:
    """The feature id confirmed for one user feature, or the problem that stops it."""
    row, name = int(group["row"].iloc[0]), group["name"].iloc[0]
    if choice:
        return choice, None
    best = group.loc[group["status"].eq("best"), "feature_id"]
    if len(best):
        return str(best.iloc[0]), None
    unresolved = group.loc[group["status"].isin(["ambiguous", "duplicate"]), "feature_id"]
    if len(unresolved):
        ambiguous = group["status"].eq("ambiguous").any()
        kind = "fits two plan features equally" if ambiguous else "has another row's best match"
        kind_zh = "与两个规划要素同样相符" if ambiguous else "的最佳匹配与另一行相同"
        ids = ", ".join(dict.fromkeys(unresolved))
        return None, (
            f"row {row} `{name}` {kind} ({ids}); choose the plan feature for row {row}",
            f"第 {row} 行（{name}）{kind_zh}（{'、'.join(dict.fromkeys(unresolved))}）；"
            f"请为第 {row} 行选定规划要素",
        )
    return None, None


def confirm_matches(
    proposals: gpd.GeoDataFrame,
    layers: PlanLayers,
    *,
    author: str,
    reason: str,
    source_file: str,
    choose: Mapping[int, str] | None = None,
) -> list[Edit]:
    """Edits placing the matched plan features on the user's geometries.

    Parameters
    ----------
    proposals
        The table of :func:`~longtu.layout.scenarios.matching.propose_matches`.
    layers
        The layers the edits will apply to (the scenario's).
    author, reason, source_file
        Recorded on every edit (the file and each feature's row are its source).
    choose
        Row (1-based) -> feature id, for ambiguous or duplicate rows (or to override a match).

    Returns
    -------
    list of Edit
        One edit per confirmed row, in row order: ``move`` for a point, else ``reshape``, with
        ``how="imported"`` and the file and row (1-based) as its source.

    Raises
    ------
    ScenarioError
        An ambiguous or duplicate row not resolved by `choose`, two rows confirmed onto one
        feature, a geometry outside Gansu, or no match at all (every problem listed).

    Examples
    --------
    >>> import shapely
    >>> from longtu.layout import plan_layers
    >>> from longtu.layout.scenarios import propose_matches
    >>> site = gpd.GeoDataFrame({"NAME": ["张掖经济技术开发区"]},
    ...                         geometry=[shapely.Point(100.45, 38.93)], crs=4326)
    >>> proposals = propose_matches(site, layers=plan_layers())
    >>> edits = confirm_matches(proposals, plan_layers(), author="li", reason="r",
    ...                         source_file="a.kml")
    >>> [(e.kind, e.feature_id, e.source_feature) for e in edits]
    [('move', 'park_zhangye_etdz', 1)]
    """
    choose = dict(choose or {})
    problems = _unknown_rows(choose, proposals)
    edits, row_problems = _placing_edits(
        proposals, layers, choose, author=author, reason=reason, source_file=source_file
    )
    _refuse_unconfirmed([*problems, *row_problems], edits, proposals, source_file)
    return edits


def _unknown_rows(choose: Mapping[int, str], proposals: gpd.GeoDataFrame) -> list[Problem]:
    """A problem for each row of `choose` that the proposals do not have."""
    return [
        (
            f"a plan feature was chosen for row {r}, but there is no row {r}",
            f"为第 {r} 行选定了规划要素，但没有第 {r} 行",
        )
        for r in choose
        if r not in set(proposals["row"])
    ]


def _placing_edits(
    proposals: gpd.GeoDataFrame,
    layers: PlanLayers,
    choose: Mapping[int, str],
    *,
    author: str,
    reason: str,
    source_file: str,
) -> tuple[list[Edit], list[Problem]]:
    """An edit for each row whose plan feature is settled, and each row's problem, in row order."""
    edits: list[Edit] = []
    problems: list[Problem] = []
    taken: dict[str, int] = {}
    for row, group in proposals.groupby("row", sort=True):
        fid, problem = _chosen(group, choose.get(int(row)))
        if problem:
            problems.append(problem)
        if fid is None:
            continue
        if fid in taken:
            problems.append(
                (
                    f"rows {taken[fid]} and {row} both match {fid}; keep one (or dissolve them)",
                    f"第 {taken[fid]} 行与第 {row} 行都匹配 {fid}；请只保留一行（或将两者合并）",
                )
            )
            continue
        taken[fid] = int(row)
        name = group["name"].iloc[0]
        try:
            edits.append(
                reshape_feature(
                    layers,
                    fid,
                    group.geometry.iloc[0],
                    author=author,
                    reason=reason,
                    how="imported",
                    source_file=source_file,
                    source_feature=int(row),
                    what=f"row {row} `{name}` of {source_file}",
                    what_zh=f"{source_file} 第 {row} 行（{name}）",
                )
            )
        except ScenarioError as exc:
            zh = (exc.message_zh or str(exc)).split("工作区未改动。")[0].rstrip("。")
            problems.append((str(exc).split(" The workspace is unchanged.")[0].rstrip("."), zh))
    return edits, problems


def _refuse_unconfirmed(
    problems: list[Problem], edits: list[Edit], proposals: gpd.GeoDataFrame, source_file: str
) -> None:
    """Refuse with every problem listed, or when no row matched at all; nothing is saved."""
    if problems:
        raise ScenarioError(
            "cannot confirm the matches: " + "; ".join(en for en, _ in problems) + ". Nothing was "
            "saved.",
            zh="无法确认匹配。" + "。".join(zh for _, zh in problems) + "。未保存任何改动。",
        )
    if not edits:
        n_rows = proposals["row"].nunique()
        raise ScenarioError(
            f"no feature of `{source_file}` matches a plan feature ({n_rows} "
            "rows, all unmatched); check which column holds the names, or choose the plan "
            "feature of each row. Nothing was saved.",
            zh=f"{source_file} 中没有一个要素与规划要素匹配（共 {n_rows} 行，全部未匹配）；"
            "请检查哪一列是名称，或为每一行选定规划要素。未保存任何改动。",
        )
