"""The planning workspace: scenarios made, loaded, edited, undone and reviewed.

A :class:`Workspace` is one GeoPackage file (:mod:`longtu.layout.scenarios.store`). A
:class:`Scenario` loaded from it holds the layers with its edits applied and the version it was
loaded at; :meth:`Workspace.save` states that version, so a save made after another session
changed the scenario raises :class:`longtu.errors.WorkspaceConflictError` and writes nothing.

A scenario starts from the bundled plan, from a plan version folder (``plan_dir``: tables in
the schema of ``gis_data/plan/``; stored relative to the workspace file's folder when it lies
in that folder or below it, so the two can be moved together, else as an absolute path:
:mod:`longtu.layout.scenarios.plan_versions`), or from another scenario *as it stood then*
(its version at that moment: later edits to the parent do not flow into it). Edits are
applied when saved (status ``proposed``); reviewers accept or reject them; rejected and undone
edits stay in the history and no longer apply. Every save, undo and review raises the
scenario's version.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from longtu.errors import ScenarioError, WorkspaceError
from longtu.layout.load import plan_layers
from longtu.layout.scenarios import store
from longtu.layout.scenarios.apply import apply_edits
from longtu.layout.scenarios.edits import Edit, PlanLayers
from longtu.layout.scenarios.plan_versions import (
    plan_version_layers,
    resolved_plan_dir,
    stored_plan_dir,
)
from longtu.layout.scenarios.store import Review, ScenarioInfo

VERDICTS = ("accept", "reject", "comment")
_VERDICT_STATUS = {"accept": "accepted", "reject": "rejected"}
_BAD_NAME = re.compile(r"[\x00-\x1f/\\]")


@dataclass(frozen=True)
class Scenario:
    """A scenario as loaded: its layers with the edits applied, and its history.

    Attributes
    ----------
    info : ScenarioInfo
        Name, parent, plan folder, author, and the version it was loaded at.
    layers : dict
        Layer name -> GeoDataFrame (``targets``: DataFrame), like
        :func:`longtu.layout.plan_layers`.
    edits : tuple of Edit
        This scenario's own edits in order, with their status after reviews and undos.
    reviews : tuple of Review
        Its reviews in order.
    skipped : tuple
        ``(edit, reason)`` of edits in effect that could not apply (e.g. a move of a feature
        whose adding edit was rejected).
    base : dict
        The layers it started from (the plan, the plan version, or the parent scenario).
    """

    info: ScenarioInfo
    layers: dict[str, pd.DataFrame]
    edits: tuple[Edit, ...]
    reviews: tuple[Review, ...]
    skipped: tuple[tuple[Edit, str], ...]
    base: PlanLayers

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.info.name

    @property
    def version(self) -> int:
        """The version it was loaded at (the base of the next save)."""
        return self.info.version


def with_statuses(edits: Sequence[Edit], reviews: Sequence[Review]) -> list[Edit]:
    """The edits with their status after undo records and accept/reject reviews (latest wins).

    Examples
    --------
    >>> a = Edit("remove", "park_x", "parks", "me", "why", id="ed_a")
    >>> [e.status for e in with_statuses([a], [Review("s", "ed_a", "", "li", "reject")])]
    ['rejected']
    """
    undone = {e.undoes for e in edits if e.kind == "undo"}
    verdicts = {r.edit_id: _VERDICT_STATUS[r.verdict] for r in reviews if r.verdict != "comment"}
    return [
        e.with_status("undone" if e.id in undone else verdicts.get(e.id, e.status)) for e in edits
    ]


def check_scenario_name(name: str) -> str:
    """`name` if it can name a scenario, else :class:`ScenarioError` saying why.

    Examples
    --------
    >>> check_scenario_name("河西-2030")
    '河西-2030'
    """
    if not name or name != name.strip() or len(name) > 64 or name.startswith("-"):
        raise ScenarioError(
            f"`{name}` cannot name a scenario: use 1-64 characters, no leading or trailing "
            "space and no leading `-`.",
            zh=f"情景名称“{name}”不可用：须为 1–64 个字符，首尾无空格，不以 - 开头。",
        )
    if _BAD_NAME.search(name) or name == "plan":
        raise ScenarioError(
            f"`{name}` cannot name a scenario: no `/`, `\\` or control characters, and not `plan`.",
            zh=f"情景名称“{name}”不可用：不能含 /、\\ 或控制字符，也不能叫 plan。",
        )
    return name


class Workspace:
    """A workspace file of scenarios (a GeoPackage), open for reading and saving.

    Parameters
    ----------
    path
        The file; default :func:`~longtu.layout.scenarios.store.workspace_path`'s
        (``$LONGTU_WORKSPACE``, else ``workspace.gpkg`` in ``settings.workspace_folder``).
    create
        Make the file if it does not exist.

    Raises
    ------
    WorkspaceError
        The file is missing (without `create`), not a GeoPackage, not a Longtu workspace,
        damaged or from a newer Longtu; it is left untouched.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = False):
        self.path = store.workspace_path(path)
        self._conn = store.connect(self.path, create=create)
        self._snapshots: dict[tuple[str, int], PlanLayers] = {}

    def close(self) -> None:
        """Close the file."""
        self._conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ------------------------------------------------------------------------

    def scenarios(self) -> pd.DataFrame:
        """Every scenario with its parent, plan folder, author, time, version and edit count."""
        rows = [vars(self._resolved(s)) for s in store.read_scenarios(self._conn)]
        counts = dict(
            self._conn.execute(
                "SELECT scenario, COUNT(*) FROM edits WHERE kind != 'undo' GROUP BY scenario"
            ).fetchall()
        )
        frame = pd.DataFrame(rows, columns=list(ScenarioInfo.__dataclass_fields__))
        return frame.assign(edits=[int(counts.get(n, 0)) for n in frame["name"]])

    def info(self, name: str) -> ScenarioInfo:
        """The ``scenarios`` row of `name` (:class:`ScenarioError` if there is none).

        Its ``plan_dir`` is the absolute folder (stored relative to the workspace file when
        it lies beside or below it).
        """
        return self._resolved(store.read_scenario(self._conn, name))

    def _resolved(self, info: ScenarioInfo) -> ScenarioInfo:
        return replace(info, plan_dir=resolved_plan_dir(info.plan_dir, self.path))

    def _plan_version(self, info: ScenarioInfo) -> PlanLayers:
        """The layers of the plan folder `info` starts from; a clear error when it is gone."""
        if not Path(info.plan_dir).is_dir():
            raise WorkspaceError(
                f"the plan folder `{info.plan_dir}` that scenario `{info.name}` starts from "
                "is missing; put the folder back there (a plan folder kept beside or below the "
                f"workspace file `{self.path.name}` moves with it), or start a new scenario "
                "from the folder where it is now.",
                zh=f"情景 {info.name} 所依据的规划文件夹 {info.plan_dir} 已不存在；"
                "请把文件夹放回原处"
                f"（放在工作区文件 {self.path.name} 旁边或其下级的规划文件夹会随之移动），"
                "或从文件夹现在的位置新建情景。",
            )
        return plan_version_layers(info.plan_dir)

    def load(self, name: str) -> Scenario:
        """The scenario `name` with its edits applied, at its current version."""
        return self._build(self.info(name), None)

    def plan_of(self, name: str) -> PlanLayers:
        """The plan a scenario rests on, past all its parents: the bundled plan or a plan_dir."""
        info = self.info(name)
        while info.parent:
            info = self.info(info.parent)
        return self._plan_version(info) if info.plan_dir else plan_layers()

    def _build(self, info: ScenarioInfo, max_version: int | None) -> Scenario:
        version = info.version if max_version is None else max_version
        base = self._base_layers(info)
        reviews = store.read_reviews(self._conn, info.name, max_version=version)
        edits = with_statuses(store.read_edits(self._conn, info.name, max_version=version), reviews)
        skipped: list[tuple[Edit, str]] = []
        layers = apply_edits(base, edits, skipped=skipped)
        return Scenario(
            replace(info, version=version),
            layers,
            tuple(edits),
            tuple(reviews),
            tuple(skipped),
            base,
        )

    def _base_layers(self, info: ScenarioInfo) -> PlanLayers:
        if info.parent:
            key = (info.parent, info.parent_version)
            if key not in self._snapshots:
                parent = self._build(self.info(info.parent), info.parent_version)
                self._snapshots[key] = parent.layers
            return self._snapshots[key]
        if info.plan_dir:
            return self._plan_version(info)
        return plan_layers()

    # --- writing ------------------------------------------------------------------------

    def new_scenario(
        self, name: str, *, by: str, parent: str = "", plan_dir: str | os.PathLike[str] = ""
    ) -> Scenario:
        """Make a scenario from the plan, from `parent` (as it is now) or from `plan_dir`.

        Raises
        ------
        ScenarioError
            A bad or taken name, both `parent` and `plan_dir`, an unknown parent, or a plan
            folder with errors (listed); nothing is written.
        """
        check_scenario_name(name)
        if not by.strip():
            raise ScenarioError(
                "the author is empty; say who creates the scenario.",
                zh="未填写作者；请注明由谁新建此情景。",
            )
        if parent and plan_dir:
            raise ScenarioError(
                "start from a scenario or from a plan folder, not both.",
                zh="请从一个情景或一个规划文件夹新建，不能同时指定两者。",
            )
        folder = ""
        if plan_dir:
            plan_version_layers(plan_dir)
            folder = stored_plan_dir(plan_dir, self.path)
        if parent:
            self.info(parent)
        store.insert_scenario(self._conn, name, by=by, parent=parent, plan_dir=folder)
        return self.load(name)

    def save(self, scenario: Scenario, edits: Sequence[Edit]) -> Scenario:
        """Save `edits` to `scenario` (one transaction); the scenario with them applied.

        Raises
        ------
        WorkspaceConflictError
            The scenario changed since `scenario` was loaded; nothing is written.
        """
        if not edits:
            raise ScenarioError("no edit to save.", zh="没有要保存的编辑。")
        first = len(scenario.edits) + 1
        version = store.append(self._conn, scenario.name, scenario.version, edits=edits)
        saved = [
            replace(e, scenario=scenario.name, seq=first + i, version=version)
            for i, e in enumerate(edits)
        ]
        skipped: list[tuple[Edit, str]] = []
        layers = apply_edits(scenario.layers, saved, skipped=skipped)
        return replace(
            scenario,
            info=replace(scenario.info, version=version),
            layers=layers,
            edits=scenario.edits + tuple(saved),
            skipped=scenario.skipped + tuple(skipped),
        )

    def undo(self, scenario: Scenario, *, by: str, reason: str = "") -> Scenario:
        """Take back the last edit in effect (an ``undo`` record is appended; it stays listed).

        Raises
        ------
        ScenarioError
            Nothing to undo.
        """
        target = next(
            (
                e
                for e in reversed(scenario.edits)
                if e.kind != "undo" and e.status in ("proposed", "accepted")
            ),
            None,
        )
        if target is None:
            raise ScenarioError(
                f"nothing to undo in scenario `{scenario.name}`.",
                zh=f"情景 {scenario.name} 中没有可撤销的编辑。",
            )
        record = Edit(
            "undo",
            target.feature_id,
            target.layer,
            by,
            reason or f"undo {target.kind} of {target.feature_id}",
            undoes=target.id,
            status="accepted",
        )
        store.append(self._conn, scenario.name, scenario.version, edits=[record])
        return self.load(scenario.name)

    def review(
        self, scenario: Scenario, target: str, *, verdict: str, by: str, text: str = ""
    ) -> Scenario:
        """Accept, reject or comment on an edit (id or seq number), or comment on a feature.

        Raises
        ------
        ScenarioError
            Unknown target, a verdict on a feature or on an undone edit, an empty comment.
        WorkspaceConflictError
            The scenario changed since it was loaded.
        """
        if verdict not in VERDICTS:
            raise ScenarioError(
                f"verdict `{verdict}` is not one of {', '.join(VERDICTS)}.",
                zh=f"审阅意见 {verdict} 不可用；请用 accept（接受）、reject（驳回）"
                "或 comment（评论）。",
            )
        if not by.strip():
            raise ScenarioError(
                "the reviewer is empty; say who reviews.", zh="未填写审阅人；请注明由谁审阅。"
            )
        if verdict == "comment" and not text.strip():
            raise ScenarioError("a comment needs its text.", zh="请填写评论内容。")
        edit = find_edit(scenario, target)
        if edit is None:
            row = Review(scenario.name, "", _feature_target(scenario, target, verdict), by, verdict)
        else:
            _check_reviewable(edit, verdict)
            row = Review(scenario.name, edit.id, edit.feature_id, by, verdict)
        row = replace(row, text=text.strip())
        store.append(self._conn, scenario.name, scenario.version, reviews=[row])
        return self.load(scenario.name)


def find_edit(scenario: Scenario, target: str) -> Edit | None:
    """The edit of `scenario` with id `target`, or at position `target` (``3``); else None."""
    for edit in scenario.edits:
        if target in (edit.id, str(edit.seq)):
            return edit
    return None


def _feature_target(scenario: Scenario, target: str, verdict: str) -> str:
    known = any(
        "feature_id" in frame.columns and target in set(frame["feature_id"])
        for layers in (scenario.layers, scenario.base)
        for frame in layers.values()
    )
    if not known:
        raise ScenarioError(
            f"`{target}` is neither an edit of scenario `{scenario.name}` (id or number, see "
            "`longtu scenario show NAME`) nor a feature id.",
            zh=f"{target} 既不是情景 {scenario.name} 的编辑（编号或序号，运行 longtu scenario show "
            "情景名称 可查看），也不是要素编号。",
        )
    if verdict != "comment":
        raise ScenarioError(
            f"`{target}` is a feature: features take comments only; accept or "
            "reject its edits instead.",
            zh=f"{target} 是要素：要素只能评论；请改为接受或驳回它的编辑。",
        )
    return target


def _check_reviewable(edit: Edit, verdict: str) -> None:
    if verdict == "comment":
        return
    if edit.kind == "undo":
        raise ScenarioError(
            f"{edit.id} is an undo record; it takes comments only.",
            zh=f"{edit.id} 是撤销记录，只能评论。",
        )
    if edit.status == "undone":
        raise ScenarioError(
            f"{edit.id} was undone; there is nothing to {verdict}.",
            zh=f"编辑 {edit.id} 已撤销，无需审阅。",
        )
