"""The workspace file's schema: its tables, how a new file is made and how one is checked.

:mod:`longtu.layout.scenarios.store` describes the tables and reads and writes their rows;
this module holds their definitions (``TABLE_DDL``), the write transaction
(:func:`immediate`), the making of a new file (:func:`create_file`) and the checks that a file
is a Longtu workspace this version can read (:func:`check_header`, :func:`check_workspace`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from longtu.errors import WorkspaceError
from longtu.layout.scenarios import gpkg

SCHEMA_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
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


def writer_version() -> str:
    """The installed Longtu's version (written into ``meta``)."""
    try:
        return metadata.version("longtu")
    except metadata.PackageNotFoundError:
        return "unknown"


def _unwritable(exc: sqlite3.OperationalError) -> WorkspaceError:
    """The refusal to write, said in both languages."""
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


def create_file(path: Path) -> None:
    """Write a new, empty workspace at `path`: made beside it, then linked into place."""
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


def check_header(path: Path) -> None:
    """Refuse a folder or a file that does not start as an SQLite database."""
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


def check_workspace(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not a GeoPackage, not a Longtu workspace, newer or damaged."""
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
