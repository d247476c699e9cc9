"""The workspace file: a GeoPackage (SQLite) holding scenarios, their edits and reviews.

Tables (besides the GeoPackage metadata of :mod:`longtu.layout.scenarios.gpkg`):

``scenarios``
    ``name``, ``parent`` and ``parent_version`` (the scenario and its version it started
    from), ``plan_dir`` (a plan version folder: relative to the workspace file's folder, ``/``
    separated, when it lies in or below it; absolute otherwise and in older workspaces),
    ``created_by``, ``created_at``, ``version``
    (raised by every save: the optimistic-concurrency counter).
``edits`` (features, geometry EPSG:4326)
    Append-only (triggers refuse UPDATE and DELETE): ``id``, ``scenario``, ``seq``,
    ``version``, ``kind``, ``feature_id``, ``layer``, ``attributes`` (JSON), ``geometry``,
    ``how``, ``author``, ``time``, ``reason``, ``source_file``, ``source_feature``, ``undoes``,
    ``status`` (as written: ``proposed``; ``accepted`` for undo records).
``reviews``
    Append-only: ``scenario``, ``edit_id`` or ``feature_id``, ``reviewer``, ``time``,
    ``verdict`` (``accept``, ``reject``, ``comment``), ``text``, ``version``.
``meta``
    ``schema_version``, ``writer_version`` (the Longtu that last wrote), ``created_with``.

Every write is one transaction (``BEGIN IMMEDIATE``, rollback journal, ``synchronous=FULL``):
a process killed during a save leaves the file as it was before or after that save. A new
file is written beside its final name and linked into place, so it exists whole or not at all.
The rollback journal (not WAL) keeps the workspace one file between saves, safe to copy.
The tables' definitions, the write transaction and the checks of a file are in
:mod:`longtu.layout.scenarios.schema`.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from longtu import settings
from longtu.errors import ScenarioError, WorkspaceConflictError, WorkspaceError
from longtu.layout.scenarios import gpkg
from longtu.layout.scenarios.edits import Edit, utc_now
from longtu.layout.scenarios.schema import (
    EDIT_COLUMNS,
    REVIEW_COLUMNS,
    check_header,
    check_workspace,
    create_file,
    immediate,
    writer_version,
)

ENV_VARIABLE = "LONGTU_WORKSPACE"
BUSY_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class ScenarioInfo:
    """A row of the ``scenarios`` table."""

    name: str
    parent: str
    parent_version: int
    plan_dir: str
    created_by: str
    created_at: str
    version: int


@dataclass(frozen=True)
class Review:
    """A row of the ``reviews`` table: a verdict or comment on an edit or a feature."""

    scenario: str
    edit_id: str
    feature_id: str
    reviewer: str
    verdict: str
    text: str = ""
    time: str = ""
    version: int = 0


def workspace_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Where the workspace is: `path`, else ``$LONGTU_WORKSPACE``, else the default one.

    The default is ``workspace.gpkg`` in ``settings.workspace_folder``; while there is none
    there, a workspace Longtu used to keep in its data folder (:func:`earlier_workspaces`,
    the newest) is used where it is: nothing is moved.

    Examples
    --------
    >>> workspace_path("plans/north.gpkg").name
    'north.gpkg'
    """
    if path:
        return Path(path).expanduser()
    if os.environ.get(ENV_VARIABLE):
        return Path(os.environ[ENV_VARIABLE]).expanduser()
    default = default_workspace()
    if default.exists():
        return default
    earlier = earlier_workspaces()
    return earlier[0] if earlier else default


def default_workspace() -> Path:
    """``workspace.gpkg`` in ``settings.workspace_folder`` (the user's data folder)."""
    return Path(settings.workspace_folder) / "workspace.gpkg"


def earlier_workspaces() -> list[Path]:
    """Workspaces where Longtu used to keep them (its data folders), newest first.

    That is ``workspace.gpkg`` in ``settings.data_folder`` and in each version's folder under
    ``settings.cache_folder``: a cache, which a clean-up may delete. A workspace without any
    scenario (the app made one whenever its scenarios page was opened) holds nothing to keep
    and is left out; one that cannot be read is kept in, so that its problem is shown.
    """
    folders = {Path(settings.data_folder), *Path(settings.cache_folder).glob("*")}
    found = [f / "workspace.gpkg" for f in folders if (f / "workspace.gpkg").is_file()]
    kept = [path for path in found if _has_scenarios(path)]
    return sorted(kept, key=lambda p: (-p.stat().st_mtime, str(p)))


def left_in_cache(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is a workspace where Longtu used to keep them (a cache: to be moved).

    Examples
    --------
    >>> left_in_cache(Path(settings.cache_folder) / "0.1.0" / "workspace.gpkg")
    True
    >>> left_in_cache(default_workspace())
    False
    """
    path = Path(path)
    in_cache = path.parent == Path(settings.data_folder) or path.parent.parent == Path(
        settings.cache_folder
    )
    return path.name == "workspace.gpkg" and in_cache and path != default_workspace()


def _has_scenarios(path: Path) -> bool:
    """Whether the workspace at `path` holds a scenario (True if it cannot be read)."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            return conn.execute("SELECT EXISTS (SELECT 1 FROM scenarios)").fetchone()[0] == 1
    except sqlite3.Error:
        return True


def connect(path: Path, *, create: bool = False) -> sqlite3.Connection:
    """Open (or, with `create`, make) the workspace file and check what it is.

    Raises
    ------
    WorkspaceError
        No file (without `create`), not a GeoPackage, not a Longtu workspace, damaged, or
        written by a newer schema; the file is left as it was.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise WorkspaceError(
                f"no workspace at `{path}`; create a scenario first (it creates the workspace), "
                f"or choose another workspace file (or set ${ENV_VARIABLE}).",
                zh=f"{path} 处没有工作区；请先新建情景（会同时新建工作区），"
                f"或另选工作区文件（或设置环境变量 {ENV_VARIABLE}）。",
            )
        create_file(path)
    check_header(path)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        check_workspace(conn, path)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise WorkspaceError(
            f"`{path}` is damaged ({exc}); restore it from a backup or choose another "
            "workspace file (it is left untouched).",
            zh=f"{path.name} 已损坏；请从备份恢复，或另选工作区文件（此文件未被改动）。",
        ) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _info(row: Sequence[object]) -> ScenarioInfo:
    name, parent, parent_version, plan_dir, by, at, version = row
    return ScenarioInfo(
        str(name),
        str(parent or ""),
        int(str(parent_version or 0)),
        str(plan_dir or ""),
        str(by),
        str(at),
        int(str(version)),
    )


_INFO_SQL = (
    "SELECT name, parent, parent_version, plan_dir, created_by, created_at, version FROM scenarios"
)


def read_scenarios(conn: sqlite3.Connection) -> list[ScenarioInfo]:
    """Every scenario, in the order they were made."""
    return [_info(r) for r in conn.execute(_INFO_SQL + " ORDER BY fid").fetchall()]


def read_scenario(conn: sqlite3.Connection, name: str) -> ScenarioInfo:
    """One scenario; :class:`ScenarioError` naming the existing ones if there is none."""
    row = conn.execute(_INFO_SQL + " WHERE name = ?", (name,)).fetchone()
    if row is None:
        names = [s.name for s in read_scenarios(conn)]
        raise ScenarioError(
            f"no scenario `{name}` in the workspace (scenarios: {', '.join(names) or 'none'}); "
            "create it with `longtu scenario new NAME`.",
            zh=f"工作区中没有情景 {name}（现有情景：{'、'.join(names) or '无'}）；"
            "可用 longtu scenario new 情景名称 新建。",
        )
    return _info(row)


def insert_scenario(
    conn: sqlite3.Connection, name: str, *, by: str, parent: str = "", plan_dir: str = ""
) -> ScenarioInfo:
    """Add a scenario (version 0), started from `parent` as it is now, or from `plan_dir`."""
    with immediate(conn):
        if conn.execute("SELECT 1 FROM scenarios WHERE name = ?", (name,)).fetchone():
            raise ScenarioError(
                f"a scenario named `{name}` already exists; choose another name "
                "(`longtu scenario list` shows them).",
                zh=f"已有名为 {name} 的情景；请换一个名称（longtu scenario list 可列出现有情景）。",
            )
        parent_version = read_scenario(conn, parent).version if parent else None
        conn.execute(
            "INSERT INTO scenarios (name, parent, parent_version, plan_dir, created_by, "
            "created_at, version) VALUES (?, ?, ?, ?, ?, ?, 0)",
            (name, parent or None, parent_version, plan_dir or None, by, utc_now()),
        )
        _touch(conn, "scenarios")
    return read_scenario(conn, name)


def _edit_row(edit: Edit, scenario: str, seq: int, version: int) -> tuple[object, ...]:
    return (
        edit.id,
        scenario,
        seq,
        version,
        edit.kind,
        edit.feature_id,
        edit.layer,
        json.dumps(dict(edit.attributes), ensure_ascii=False, sort_keys=True),
        gpkg.geometry_to_blob(edit.geometry),
        edit.how or None,
        edit.author,
        edit.time,
        edit.reason,
        edit.source_file or None,
        edit.source_feature,
        edit.undoes or None,
        edit.status,
    )


def _review_row(review: Review, scenario: str, version: int) -> tuple[object, ...]:
    return (
        scenario,
        review.edit_id or None,
        review.feature_id or None,
        review.reviewer,
        review.time or utc_now(),
        review.verdict,
        review.text,
        version,
    )


def _touch(conn: sqlite3.Connection, *tables: str) -> None:
    marks = ", ".join("?" for _ in tables)
    conn.execute(
        f"UPDATE gpkg_contents SET last_change = ? WHERE table_name IN ({marks})",
        (utc_now(), *tables),
    )
    conn.execute("UPDATE meta SET value = ? WHERE key = 'writer_version'", (writer_version(),))


def append(
    conn: sqlite3.Connection,
    scenario: str,
    base_version: int,
    *,
    edits: Sequence[Edit] = (),
    reviews: Sequence[Review] = (),
) -> int:
    """Append edits and reviews to `scenario` in one transaction; the new version.

    Raises
    ------
    WorkspaceConflictError
        The scenario's version is not `base_version` any more (another session saved since);
        nothing is written.
    """
    with immediate(conn):
        version = read_scenario(conn, scenario).version
        if version != base_version:
            raise WorkspaceConflictError(
                f"the scenario `{scenario}` changed under you: reload it (version {version} now, "
                f"yours {base_version}), then make your edit again. Nothing was saved.",
                zh=f"情景 {scenario} 已被其他会话修改（现为版本 {version}，您打开的是版本 "
                f"{base_version}）；请重新载入后再编辑。未保存。",
            )
        version += 1
        seq = conn.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM edits WHERE scenario = ?", (scenario,)
        ).fetchone()[0]
        marks = ", ".join("?" for _ in EDIT_COLUMNS)
        conn.executemany(
            f"INSERT INTO edits ({', '.join(EDIT_COLUMNS)}) VALUES ({marks})",
            [_edit_row(e, scenario, seq + i + 1, version) for i, e in enumerate(edits)],
        )
        conn.executemany(
            f"INSERT INTO reviews ({', '.join(REVIEW_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [_review_row(r, scenario, version) for r in reviews],
        )
        conn.execute("UPDATE scenarios SET version = ? WHERE name = ?", (version, scenario))
        _touch(conn, "edits", "reviews", "scenarios")
    return version


def _edit(row: sqlite3.Row) -> Edit:
    return Edit(
        row["kind"],
        row["feature_id"],
        row["layer"],
        row["author"],
        row["reason"],
        json.loads(row["attributes"] or "{}"),
        gpkg.blob_to_geometry(row["geometry"]),
        row["how"] or "",
        row["source_file"] or "",
        row["source_feature"],
        row["undoes"] or "",
        id=row["id"],
        time=row["time"],
        scenario=row["scenario"],
        seq=row["seq"],
        version=row["version"],
        status=row["status"],
    )


def read_edits(
    conn: sqlite3.Connection, scenario: str, *, max_version: int | None = None
) -> list[Edit]:
    """The edits of `scenario` in order (those saved up to `max_version`, if given)."""
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            "SELECT * FROM edits WHERE scenario = ? AND version <= ? ORDER BY seq",
            (scenario, max_version if max_version is not None else 2**62),
        ).fetchall()
    finally:
        conn.row_factory = None
    return [_edit(r) for r in rows]


def read_reviews(
    conn: sqlite3.Connection, scenario: str, *, max_version: int | None = None
) -> list[Review]:
    """The reviews of `scenario` in the order they were written."""
    rows = conn.execute(
        "SELECT scenario, edit_id, feature_id, reviewer, verdict, text, time, version "
        "FROM reviews WHERE scenario = ? AND version <= ? ORDER BY fid",
        (scenario, max_version if max_version is not None else 2**62),
    ).fetchall()
    return [
        Review(s, e or "", f or "", who, verdict, text, time, v)
        for s, e, f, who, verdict, text, time, v in rows
    ]
