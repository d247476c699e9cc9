"""Plan version folders: their layers (cached while unchanged) and how a workspace stores them.

A scenario may start from a plan version folder (tables in the schema of ``gis_data/plan/``).
The workspace stores its path relative to the workspace file's folder when it lies in that
folder or below it (:func:`stored_plan_dir`), so the two can be moved together, and absolute
otherwise; :func:`resolved_plan_dir` reads it back.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from longtu.errors import ScenarioError, ValidationError
from longtu.layout.load import build_plan_layers
from longtu.layout.problems import places_zh
from longtu.layout.scenarios.edits import PlanLayers


def _signature(folder: Path) -> tuple[tuple[str, float, int], ...]:
    """Name, modification time and size of each table: the cache key of a folder."""
    return tuple(
        sorted((p.name, p.stat().st_mtime, p.stat().st_size) for p in folder.glob("*.csv"))
    )


@lru_cache(maxsize=4)
def _plan_version(folder: Path, signature: tuple[tuple[str, float, int], ...]) -> PlanLayers:
    """The layers of `folder`, cached by its `signature`."""
    return build_plan_layers(folder)


def plan_version_layers(folder: str | os.PathLike[str]) -> PlanLayers:
    """The plan layers built and validated from a plan version folder (cached while unchanged).

    Raises
    ------
    ScenarioError
        The folder is missing, lacks a table, or its tables have errors (every one listed).
    """
    path = Path(folder).expanduser().resolve()
    if not path.is_dir():
        raise ScenarioError(
            f"the plan folder `{folder}` is not a folder; give a folder of plan tables in the "
            "schema of gis_data/plan/ (SCHEMA.md).",
            zh=f"规划文件夹 {folder} 不是文件夹；请给出按 gis_data/plan/SCHEMA.md 格式存放规划表的"
            "文件夹。",
        )
    try:
        return _plan_version(path, _signature(path))
    except FileNotFoundError as exc:
        raise ScenarioError(
            f"the plan folder `{folder}`: {exc}",
            zh=getattr(exc, "message_zh", None)
            or f"规划文件夹 {folder} 中缺少文件（见英文说明）；请按 gis_data/plan/SCHEMA.md 补齐。",
        ) from exc
    except ValidationError as exc:
        raise ScenarioError(
            f"the plan folder `{folder}` is not a valid plan version; fix these tables "
            f"(schema: gis_data/plan/SCHEMA.md), then run again. {exc}",
            zh=f"规划文件夹 {folder} 不是有效的规划版本：{places_zh(exc.problems)}"
            "请按 gis_data/plan/SCHEMA.md 改正这些表格后再运行。",
        ) from exc


def stored_plan_dir(folder: str | os.PathLike[str], workspace: str | os.PathLike[str]) -> str:
    """How a plan folder is written in the workspace: relative to it if inside its folder.

    Relative (``/``-separated) to the workspace file's folder when the plan folder lies in
    that folder or below it, so the two move together; absolute otherwise.

    Examples
    --------
    >>> stored_plan_dir("/data/gansu/plan_v2", "/data/gansu/ws.gpkg")
    'plan_v2'
    >>> stored_plan_dir("/elsewhere/plan_v2", "/data/gansu/ws.gpkg")
    '/elsewhere/plan_v2'
    """
    path = Path(folder).expanduser().resolve()
    try:
        return path.relative_to(Path(workspace).expanduser().resolve().parent).as_posix()
    except ValueError:
        return str(path)


def resolved_plan_dir(stored: str, workspace: str | os.PathLike[str]) -> str:
    """The absolute plan folder of a stored ``plan_dir``; empty for the bundled plan.

    A relative one is taken from the workspace file's folder; an absolute one (as older
    workspaces wrote them all) is kept as it is.

    Examples
    --------
    >>> resolved_plan_dir("plan_v2", "/data/gansu/ws.gpkg")
    '/data/gansu/plan_v2'
    >>> resolved_plan_dir("", "/data/gansu/ws.gpkg")
    ''
    """
    if not stored:
        return ""
    path = Path(stored).expanduser()
    if not path.is_absolute():
        path = Path(workspace).expanduser().resolve().parent / path
    return str(path)
