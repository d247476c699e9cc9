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
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from longtu import settings
from longtu.errors import ScenarioError, WorkspaceConflictError, WorkspaceError
from longtu.layout.scenarios import gpkg
from longtu.layout.scenarios.edits import Edit, utc_now

SCHEMA_VERSION = 1
ENV_VARIABLE = "LONGTU_WORKSPACE"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30.0
EDIT_COLUMNS = (
    "id",
    "scenario",
    "seq",
    "version",
    "kind",
    "feature_id",
    "layer",
    "attributes",
    "geometry",
    "how",
    "author",
    "time",
    "reason",
    "source_file",
    "source_feature",
    "undoes",
    "status",
)
REVIEW_COLUMNS = (
    "scenario",
    "edit_id",
    "feature_id",
    "reviewer",
    "time",
    "verdict",
    "text",
    "version",
)
TABLE_DDL = (
    """CREATE TABLE scenarios (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, parent TEXT,
        parent_version INTEGER, plan_dir TEXT, created_by TEXT NOT NULL,
        created_at DATETIME NOT NULL, version INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE edits (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
        scenario TEXT NOT NULL REFERENCES scenarios(name), seq INTEGER NOT NULL,
        version INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('add','remove','move','reshape','set','undo')),
        feature_id TEXT NOT NULL, layer TEXT NOT NULL, attributes TEXT NOT NULL DEFAULT '{}',
        geometry GEOMETRY, how TEXT, author TEXT NOT NULL, time DATETIME NOT NULL,
        reason TEXT NOT NULL, source_file TEXT, source_feature INTEGER, undoes TEXT,
        status TEXT NOT NULL CHECK (status IN ('proposed','accepted','rejected','undone')),
        UNIQUE (scenario, seq))""",
    """CREATE TABLE reviews (
        fid INTEGER PRIMARY KEY AUTOINCREMENT,
        scenario TEXT NOT NULL REFERENCES scenarios(name), edit_id TEXT, feature_id TEXT,
        reviewer TEXT NOT NULL, time DATETIME NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('accept','reject','comment')),
        text TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL)""",
    """CREATE TABLE meta (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, value TEXT NOT NULL)""",
    "CREATE INDEX edits_by_scenario ON edits (scenario, seq)",
    "CREATE INDEX reviews_by_scenario ON reviews (scenario)",
    *(
        f"CREATE TRIGGER {table}_append_only_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END"
        for table in ("edits", "reviews")
        for op in ("UPDATE", "DELETE")
    ),
)
TABLE_DESCRIPTIONS = {
    "scenarios": "Longtu scenarios: the plan or another scenario plus ordered edits",
    "edits": "Longtu scenario edits (append-only history)",
    "reviews": "Longtu reviews of edits and features (append-only)",
    "meta": "Longtu workspace schema and writer versions",
}


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


def writer_version() -> str:
    """The installed Longtu's version (written into ``meta``)."""
    try:
        return metadata.version("longtu")
    except metadata.PackageNotFoundError:
        return "unknown"


def workspace_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Where the workspace is: `path`, else ``$LONGTU_WORKSPACE``, else the data folder's.

    Examples
    --------
    >>> workspace_path("plans/north.gpkg").name
    'north.gpkg'
    """
    if path:
        return Path(path).expanduser()
    if os.environ.get(ENV_VARIABLE):
        return Path(os.environ[ENV_VARIABLE]).expanduser()
    return Path(settings.data_folder) / "workspace.gpkg"


def _unwritable(exc: sqlite3.OperationalError) -> WorkspaceError:
    return WorkspaceError(
        f"cannot write the workspace ({exc}): another session may be saving (try again), or "
        "the file or its folder is read-only, or the disk is full. Nothing was saved.",
        zh="无法写入工作区文件：可能另一会话正在保存（请重试），或文件及其文件夹只读，或磁盘已满。"
        "未保存。",
    )


@contextlib.contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (``BEGIN IMMEDIATE``): committed whole or rolled back.

    Raises
    ------
    WorkspaceError
        The file cannot be written (locked by another writer past the busy timeout,
        read-only, disk full); nothing is written.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise _unwritable(exc) from exc
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError):
            raise _unwritable(exc) from exc
        raise


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(str(tmp), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
        with immediate(conn):
            gpkg.create_core_tables(conn)
            for statement in TABLE_DDL:
                conn.execute(statement)
            for table, description in TABLE_DESCRIPTIONS.items():
                column = "geometry" if table == "edits" else ""
                gpkg.register_table(conn, table, description, geometry_column=column)
            meta = {
                "schema_version": str(SCHEMA_VERSION),
                "writer_version": writer_version(),
                "created_with": writer_version(),
                "application": "longtu",
            }
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
    finally:
        conn.close()
    try:
        os.link(tmp, path)  # no-clobber: a workspace made meanwhile by another process wins
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links
        if not path.exists():
            tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _check_header(path: Path) -> None:
    if path.is_dir():
        raise WorkspaceError(
            f"workspace `{path}` is a folder; give a .gpkg file.",
            zh=f"工作区 {path.name} 是文件夹；请给出 .gpkg 文件。",
        )
    with path.open("rb") as handle:
        head = handle.read(100)
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise WorkspaceError(
            f"`{path}` is not a GeoPackage (not an SQLite database), so it is not a Longtu "
            "workspace; choose another workspace file (it is left untouched).",
            zh=f"{path.name} 不是 GeoPackage（不是 SQLite 数据库），因此不是陇图工作区；"
            "请另选工作区文件（此文件未被改动）。",
        )


def _check_workspace(conn: sqlite3.Connection, path: Path) -> None:
    if conn.execute("PRAGMA application_id").fetchone()[0] != gpkg.APPLICATION_ID:
        raise WorkspaceError(
            f"`{path}` is an SQLite database but not a GeoPackage; choose another workspace "
            "file (it is left untouched).",
            zh=f"{path.name} 是 SQLite 数据库，但不是 GeoPackage；"
            "请另选工作区文件（此文件未被改动）。",
        )
    found = conn.execute("SELECT name FROM sqlite_master WHERE name = 'meta'").fetchone()
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall()) if found else {}
    if meta.get("application") != "longtu" or "schema_version" not in meta:
        raise WorkspaceError(
            f"`{path}` is a GeoPackage but not a Longtu workspace (no Longtu `meta` table); "
            "choose another workspace file (it is left untouched).",
            zh=f"{path.name} 是 GeoPackage，但不是陇图工作区（没有陇图的 meta 表）；"
            "请另选工作区文件（此文件未被改动）。",
        )
    if int(meta["schema_version"]) > SCHEMA_VERSION:
        raise WorkspaceError(
            f"`{path}` was written by a newer Longtu ({meta.get('writer_version')}, workspace "
            f"schema {meta['schema_version']}; this Longtu {writer_version()} reads schema "
            f"{SCHEMA_VERSION}); upgrade Longtu to open it (the file is left untouched).",
            zh=f"{path.name} 由更新版本的陇图写入（{meta.get('writer_version')}，工作区格式 "
            f"{meta['schema_version']}；本陇图 {writer_version()} 只能读格式 {SCHEMA_VERSION}）；"
            "请升级陇图后再打开（此文件未被改动）。",
        )
    check = conn.execute("PRAGMA quick_check").fetchall()
    if check != [("ok",)]:
        raise sqlite3.DatabaseError("; ".join(str(r[0]) for r in check[:3]))


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
        _create(path)
    _check_header(path)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        _check_workspace(conn, path)
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
