"""``longtu scenario``: the planning workspace (scenarios of the plan with real sites).

Commands (each takes ``--workspace FILE``; default ``$LONGTU_WORKSPACE``, else
``workspace.gpkg`` in ``settings.workspace_folder``, the user's data folder; ``--by`` defaults
to the operating-system user)::

    longtu scenario new NAME [--from SCENARIO | --plan-dir DIR] --by NAME
    longtu scenario list | show NAME
    longtu scenario import NAME FILE [--name-column COL] [--match ROW=FEATURE_ID]
        [--accept-matches] --by NAME --reason TEXT
    longtu scenario edit NAME FEATURE_ID (--move LON LAT | --remove | --set KEY=VALUE ...)
        --reason TEXT --by NAME
    longtu scenario add NAME --layer parks --name TEXT --lon X --lat Y --reason TEXT --by NAME
    longtu scenario undo NAME --by NAME
    longtu scenario diff NAME [OTHER] --out changes.gpkg
    longtu scenario review NAME EDIT_ID (--accept | --reject | --comment-only) --by NAME
        [--comment TEXT]

Bad input raises :class:`longtu.errors.ScenarioError` or :class:`~longtu.errors.WorkspaceError`
(one message saying what was wrong and what to do); the workspace is then unchanged.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from longtu.cli.common import add_overwrite
from longtu.cli.help_text import add_command, zh_en
from longtu.cli.scenario_run import (
    run_add,
    run_diff,
    run_edit,
    run_import,
    run_list,
    run_new,
    run_review,
    run_show,
    run_undo,
)

NAME_HELP = zh_en("情景名称", "scenario name")
REASON_HELP = zh_en("理由（为何作此修改）", "why (kept with the edit)")
SET_HELP = zh_en("设置属性（可重复）", "set an attribute (repeatable)")


def _common(parser: argparse.ArgumentParser, *, by: bool = True) -> None:
    parser.add_argument(
        "--workspace",
        default=None,
        help=zh_en("工作区 GeoPackage 文件", "workspace GeoPackage file"),
    )
    if by:
        parser.add_argument(
            "--by",
            default=None,
            help=zh_en("操作人（默认：系统用户名）", "who does it (default: the OS user)"),
        )


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``scenario`` and its commands to the ``longtu`` sub-commands."""
    group = add_command(
        sub,
        "scenario",
        "规划情景工作区：含真实点位的情景",
        "planning workspace: scenarios with real sites",
    )
    commands = group.add_subparsers(dest="scenario_command", required=True)
    for add in (_new, _list, _show, _import, _edit, _add, _undo, _diff, _review):
        add(commands)


def _new(commands: argparse._SubParsersAction) -> None:
    p = add_command(
        commands,
        "new",
        "新建情景：从规划、某情景或规划版本文件夹",
        "a scenario from the plan, a scenario or a plan folder",
    )
    p.add_argument("name", help=NAME_HELP)
    start = p.add_mutually_exclusive_group()
    start.add_argument(
        "--from", dest="parent", default="", help=zh_en("从此情景开始", "start from this scenario")
    )
    start.add_argument(
        "--plan-dir",
        default="",
        help=zh_en("从规划版本文件夹开始", "start from a plan version folder"),
    )
    _common(p)
    p.set_defaults(func=run_new)


def _list(commands: argparse._SubParsersAction) -> None:
    p = add_command(commands, "list", "工作区中的情景", "the scenarios of the workspace")
    _common(p, by=False)
    p.set_defaults(func=run_list)


def _show(commands: argparse._SubParsersAction) -> None:
    p = add_command(commands, "show", "情景的编辑与审阅记录", "a scenario's edits and reviews")
    p.add_argument("name", help=NAME_HELP)
    _common(p, by=False)
    p.set_defaults(func=run_show)


def _import(commands: argparse._SubParsersAction) -> None:
    p = add_command(
        commands,
        "import",
        "按名称将文件中的要素与规划要素匹配",
        "match a file's features to plan features by name",
    )
    p.add_argument("name", help=NAME_HELP)
    p.add_argument(
        "file",
        help=zh_en(
            "GeoPackage、GeoJSON、Shapefile（.zip）、KML 或 FlatGeobuf 文件", "the file of sites"
        ),
    )
    p.add_argument(
        "--name-column",
        default=None,
        help=zh_en("名称列（默认：常见名称列）", "column of names (default: a usual one)"),
    )
    p.add_argument(
        "--layer",
        action="append",
        default=[],
        help=zh_en(
            "要匹配的规划图层（可重复；默认 parks、energy_sites）",
            "plan layer to match (repeatable)",
        ),
    )
    p.add_argument(
        "--match",
        action="append",
        default=[],
        help=zh_en("手动指定匹配 ROW=FEATURE_ID（可重复）", "choose a match (repeatable)"),
    )
    p.add_argument(
        "--accept-matches",
        action="store_true",
        help=zh_en("将匹配保存为编辑", "save the matches as edits"),
    )
    p.add_argument("--reason", default="", help=zh_en("理由（保存时必填）", "why (to save)"))
    _common(p)
    p.set_defaults(func=run_import)


def _edit(commands: argparse._SubParsersAction) -> None:
    p = add_command(
        commands,
        "edit",
        "移动、删除要素或修改其属性",
        "move, remove or set attributes of a feature",
    )
    p.add_argument("name", help=NAME_HELP)
    p.add_argument("feature_id", help=zh_en("要素编号", "the feature's id"))
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--move",
        nargs=2,
        type=float,
        metavar=("LON", "LAT"),
        help=zh_en("移到此经纬度", "move to this longitude and latitude"),
    )
    what.add_argument("--remove", action="store_true", help=zh_en("删除要素", "remove the feature"))
    what.add_argument("--set", action="append", metavar="KEY=VALUE", help=SET_HELP)
    p.add_argument("--reason", required=True, help=REASON_HELP)
    _common(p)
    p.set_defaults(func=run_edit)


def _add(commands: argparse._SubParsersAction) -> None:
    p = add_command(commands, "add", "在输入的坐标处新增要素", "add a feature at typed coordinates")
    p.add_argument("name", help=NAME_HELP)
    p.add_argument(
        "--layer",
        default="parks",
        help=zh_en("规划图层（默认 parks）", "plan layer (default parks)"),
    )
    p.add_argument(
        "--name",
        dest="feature_name",
        required=True,
        help=zh_en("要素的中文名称（name_zh）", "name_zh of the feature"),
    )
    p.add_argument("--lon", type=float, required=True, help=zh_en("经度，度", "longitude, degrees"))
    p.add_argument("--lat", type=float, required=True, help=zh_en("纬度，度", "latitude, degrees"))
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help=SET_HELP)
    p.add_argument("--reason", required=True, help=REASON_HELP)
    _common(p)
    p.set_defaults(func=run_add)


def _undo(commands: argparse._SubParsersAction) -> None:
    p = add_command(
        commands,
        "undo",
        "撤销上一条编辑（仍保留在记录中）",
        "take back the last edit (kept in the history)",
    )
    p.add_argument("name", help=NAME_HELP)
    p.add_argument("--reason", default="", help=zh_en("理由", "why"))
    _common(p)
    p.set_defaults(func=run_undo)


def _diff(commands: argparse._SubParsersAction) -> None:
    p = add_command(
        commands,
        "diff",
        "变化：规划 -> NAME，或 NAME -> OTHER",
        "changes: plan -> NAME, or NAME -> OTHER",
    )
    p.add_argument(
        "name",
        help=zh_en("情景、plan 或规划版本文件夹", "a scenario, `plan`, or a plan version folder"),
    )
    p.add_argument(
        "other",
        nargs="?",
        default=None,
        help=zh_en(
            "与 NAME 相比的情景或文件夹（可省）", "the scenario or folder to compare with NAME"
        ),
    )
    p.add_argument(
        "--out",
        required=True,
        type=Path,
        help=zh_en("变化图层 changes.gpkg（CSV 写在旁边）", "changes.gpkg (CSV beside it)"),
    )
    p.add_argument(
        "--pdf",
        type=Path,
        default=None,
        help=zh_en(
            "另写对比图与变化表 PDF（NAME 与 OTHER 须为情景）",
            "also write the redline map and change table as a PDF (NAME and OTHER: scenarios)",
        ),
    )
    add_overwrite(p)
    _common(p, by=False)
    p.set_defaults(func=run_diff)


def _review(commands: argparse._SubParsersAction) -> None:
    p = add_command(
        commands,
        "review",
        "接受、驳回或评论一条编辑或一个要素",
        "accept, reject or comment on an edit or a feature",
    )
    p.add_argument("name", help=NAME_HELP)
    p.add_argument(
        "target",
        metavar="EDIT_ID",
        help=zh_en("编辑编号或序号，或要素编号", "edit id or number, or a feature id"),
    )
    verdict = p.add_mutually_exclusive_group(required=True)
    for option, const, zh in (("accept", "accept", "接受"), ("reject", "reject", "驳回")):
        verdict.add_argument(
            f"--{option}", dest="verdict", action="store_const", const=const, help=zh_en(zh, option)
        )
    verdict.add_argument(
        "--comment-only",
        dest="verdict",
        action="store_const",
        const="comment",
        help=zh_en("仅评论", "comment only"),
    )
    p.add_argument("--comment", default="", help=zh_en("评论内容", "comment text"))
    _common(p)
    p.set_defaults(func=run_review)
