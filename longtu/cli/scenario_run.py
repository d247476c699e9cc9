"""Running ``longtu scenario`` commands: each ``run_*`` takes the parsed options of one.

The options are in :mod:`longtu.cli.scenario`, which lists the commands.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import TYPE_CHECKING

from longtu.cli import scenario_words
from longtu.cli.common import check_outputs, open_workspace, table_text

if TYPE_CHECKING:
    import pandas as pd

    from longtu.layout.scenarios import Scenario, Workspace
    from longtu.layout.scenarios.edits import PlanLayers


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        return ""


def _workspace(args: argparse.Namespace, *, create: bool = False) -> Workspace:
    return open_workspace(args.workspace, create=create)


def _by(args: argparse.Namespace) -> str:
    from longtu.errors import ScenarioError

    by = (args.by or _default_user()).strip()
    if not by:
        raise ScenarioError(
            "no user name; give `--by NAME`.", zh="没有操作人姓名；请用 --by 姓名 给出。"
        )
    return by


def _saved(scenario: Scenario, zh: str, en: str) -> int:
    """Say what was saved, in Chinese then in English, and the scenario's new version."""
    print(f"{zh}；情景 {scenario.name} 现为第 {scenario.version} 版。")
    print(f"{en}; scenario `{scenario.name}` is now at version {scenario.version}.")
    return 0


def run_new(args: argparse.Namespace) -> int:
    """``longtu scenario new NAME``."""
    by = _by(args)
    with _workspace(args, create=True) as ws:
        scenario = ws.new_scenario(args.name, by=by, parent=args.parent, plan_dir=args.plan_dir)
        info = scenario.info
        start = scenario_words.start_words(info.parent, info.parent_version, info.plan_dir)
        print(f"已新建情景 {scenario.name}（起点：{start}），工作区 {ws.path}。")
        print(f"Created scenario `{scenario.name}` from {start} in {ws.path}.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """``longtu scenario list``: each scenario's name, start, version, edits, author and time."""
    with _workspace(args) as ws:
        frame = ws.scenarios()
        print(f"工作区 {ws.path} 中有 {len(frame)} 个情景 / {len(frame)} scenario(s) in {ws.path}")
    if len(frame):
        print(table_text(scenario_words.scenario_table(frame)))
    return 0


def run_show(args: argparse.Namespace) -> int:
    """``longtu scenario show NAME``: its start, edits, reviews and edits that cannot apply."""
    with _workspace(args) as ws:
        scenario = ws.load(args.name)
    info = scenario.info
    start = scenario_words.start_words(info.parent, info.parent_version, info.plan_dir)
    print(
        f"情景 {info.name}（第 {info.version} 版），起点：{start}，创建人 {info.created_by} / "
        f"Scenario {info.name} (version {info.version}), by {info.created_by}"
    )
    print(f"{len(scenario.edits)} 条修改 / {len(scenario.edits)} edit(s)")
    if scenario.edits:
        print(table_text(scenario_words.history_table(scenario)))
    if scenario.reviews:
        print(f"{len(scenario.reviews)} 条审阅意见 / {len(scenario.reviews)} review(s)")
        print(table_text(scenario_words.review_table(scenario)))
    for edit, reason in scenario.skipped:
        print(
            f"未能应用 not applied：第 {edit.seq} 条 no. {edit.seq}（{edit.feature_id}）：{reason}"
        )
    return 0


def _parse_pairs(items: list[str], option: str) -> dict[str, str]:
    from longtu.errors import ScenarioError

    pairs = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ScenarioError(
                f"`{option} {item}` must look like {option} KEY=VALUE.",
                zh=f"{option} {item} 的写法应为 {option} 属性=值。",
            )
        pairs[key.strip()] = value.strip()
    return pairs


def _choices(items: list[str]) -> dict[int, str]:
    from longtu.errors import ScenarioError

    pairs = _parse_pairs(items, "--match")
    if not all(key.isdigit() for key in pairs):
        raise ScenarioError(
            "`--match` takes ROW=FEATURE_ID with ROW the number of the row.",
            zh="--match 的写法为 行号=要素编号（行号是表中的数字）。",
        )
    return {int(key): value for key, value in pairs.items()}


def run_import(args: argparse.Namespace) -> int:
    """``longtu scenario import NAME FILE``: the proposed matches; saved with --accept-matches."""
    from longtu.analysis.io.vector import read_vector_file
    from longtu.errors import ScenarioError
    from longtu.layout.scenarios import confirm_matches, propose_matches

    by = _by(args)
    choose = _choices(args.match)
    if args.accept_matches and not args.reason.strip():
        raise ScenarioError(
            "give `--reason TEXT` to save the matches (why these sites).",
            zh="保存匹配须给出理由：--reason 理由（为何采用这些选址）。未保存。",
        )
    features, _ = read_vector_file(args.file)
    with _workspace(args) as ws:
        scenario = ws.load(args.name)
        layers = tuple(args.layer) or ("parks", "energy_sites")
        proposals = propose_matches(
            features, name_column=args.name_column, layers=scenario.layers, match_layers=layers
        )
        print(table_text(scenario_words.proposal_table(proposals)))
        if not args.accept_matches:
            return _proposed_only(proposals, args.file, choose)
        source = str(Path(args.file).resolve())
        edits = confirm_matches(
            proposals,
            scenario.layers,
            author=by,
            reason=args.reason,
            source_file=source,
            choose=choose,
        )
        scenario = ws.save(scenario, edits)
    name = Path(args.file).name
    return _saved(
        scenario,
        f"已保存来自 {name} 的 {len(edits)} 处选址",
        f"Saved {len(edits)} site(s) from {name}",
    )


def _proposed_only(proposals: pd.DataFrame, file: str, choose: dict[int, str]) -> int:
    from longtu.errors import ScenarioError

    matched = proposals["status"].eq("best")
    if not matched.any() and not choose:
        raise ScenarioError(
            f"no feature of `{file}` matches a plan feature; check `--name-column`, or choose "
            "with `--match ROW=FEATURE_ID`. Nothing was saved.",
            zh=f"{file} 中没有要素能与规划要素匹配；请检查 --name-column（名称列），"
            "或用 --match 行号=要素编号 自选。未保存。",
        )
    n = int(matched.sum())
    print(
        f"未保存：提出了 {n} 处匹配。加 --accept-matches --reason 理由 再运行即保存"
        "（用 --match 行号=要素编号 自选）。"
    )
    print(
        f"Nothing saved: {n} match(es) proposed. Run again with "
        "--accept-matches --reason TEXT to save them (--match ROW=FEATURE_ID to choose)."
    )
    return 0


def run_edit(args: argparse.Namespace) -> int:
    """``longtu scenario edit NAME FEATURE_ID --move/--remove/--set``."""
    from longtu.layout.scenarios import move_feature, remove_feature, set_attributes

    by = _by(args)
    with _workspace(args) as ws:
        scenario = ws.load(args.name)
        if args.move:
            lon, lat = args.move
            edit = move_feature(
                scenario.layers, args.feature_id, lon, lat, author=by, reason=args.reason
            )
        elif args.remove:
            edit = remove_feature(scenario.layers, args.feature_id, author=by, reason=args.reason)
        else:
            values = _parse_pairs(args.set, "--set")
            edit = set_attributes(
                scenario.layers, args.feature_id, values, author=by, reason=args.reason
            )
        scenario = ws.save(scenario, [edit])
    zh, en = scenario_words.edit_words(scenario)
    return _saved(scenario, f"已保存{zh}", f"Saved {en}")


def run_add(args: argparse.Namespace) -> int:
    """``longtu scenario add NAME --layer parks --name TEXT --lon X --lat Y``."""
    import shapely

    from longtu.layout.scenarios import add_feature

    by = _by(args)
    with _workspace(args) as ws:
        scenario = ws.load(args.name)
        edit = add_feature(
            scenario.layers,
            layer=args.layer,
            name_zh=args.feature_name,
            geometry=shapely.Point(args.lon, args.lat),
            author=by,
            reason=args.reason,
            attributes=_parse_pairs(args.set, "--set"),
        )
        scenario = ws.save(scenario, [edit])
    zh, en = scenario_words.edit_words(scenario)
    return _saved(scenario, f"已保存{zh}，要素编号 {edit.feature_id}", f"Saved {en}")


def run_undo(args: argparse.Namespace) -> int:
    """``longtu scenario undo NAME``: the last edit in effect is undone (and stays listed)."""
    by = _by(args)
    with _workspace(args) as ws:
        scenario = ws.undo(ws.load(args.name), by=by, reason=args.reason)
    undone = {e.id: e.seq for e in scenario.edits}.get(scenario.edits[-1].undoes, "?")
    return _saved(
        scenario,
        f"已撤销第 {undone} 条修改（仍保留在记录中）",
        f"Took back edit no. {undone} (kept in the history)",
    )


def run_review(args: argparse.Namespace) -> int:
    """``longtu scenario review NAME EDIT_ID --accept/--reject/--comment-only``."""
    by = _by(args)
    with _workspace(args) as ws:
        scenario = ws.review(
            ws.load(args.name), args.target, verdict=args.verdict, by=by, text=args.comment
        )
    zh, en = scenario_words.verdict_words(args.verdict)
    return _saved(
        scenario,
        f"已记录 {by} 对 {args.target} 的意见：{zh}",
        f"Recorded {by}'s {en} on {args.target}",
    )


def _layers_of(name: str, args: argparse.Namespace) -> PlanLayers:
    from longtu.layout import plan_layers
    from longtu.layout.scenarios import plan_version_layers

    if name == "plan":
        return plan_layers()
    if Path(name).is_dir():
        return plan_version_layers(name)
    with _workspace(args) as ws:
        return ws.load(name).layers


def run_diff(args: argparse.Namespace) -> int:
    """``longtu scenario diff NAME [OTHER] --out changes.gpkg [--pdf FILE]``: GeoPackage, CSV."""
    from longtu.analysis.io.results import replacing
    from longtu.layout.scenarios import diff_layers, write_changes

    gpkg = args.out if args.out.suffix.lower() == ".gpkg" else args.out.with_suffix(".gpkg")
    outputs = [gpkg, gpkg.with_suffix(".csv"), *([args.pdf] if args.pdf else [])]
    check_outputs(outputs, inputs=_diff_inputs(args), overwrite=args.overwrite)
    if args.pdf is not None:
        _check_pdf_sides(args)
    changes = diff_layers(*_diff_sides(args))
    with replacing(outputs) as temporary:  # nothing half-written is left (Ctrl-C, errors)
        write_changes(changes, temporary[0])  # its CSV: the CSV's temporary name
        if args.pdf is not None:
            _comparison_pdf(args, temporary[2])
    scenario_words.print_changes(changes)
    written = [str(path) for path in outputs]
    print(f"已写出 {'、'.join(written)}")
    print(f"Wrote {', '.join(written)}")
    return 0


def _diff_sides(args: argparse.Namespace) -> tuple[PlanLayers, PlanLayers]:
    """(old, new) layers: NAME's plan and NAME, or NAME and OTHER."""
    from longtu.layout import plan_layers

    if args.other is not None:
        return _layers_of(args.name, args), _layers_of(args.other, args)
    if args.name == "plan" or Path(args.name).is_dir():
        return plan_layers(), _layers_of(args.name, args)
    with _workspace(args) as ws:
        old = ws.plan_of(args.name)
    return old, _layers_of(args.name, args)


def _diff_inputs(args: argparse.Namespace) -> list[Path]:
    """The files a diff reads: the workspace (never to be written over)."""
    from longtu.layout.scenarios import workspace_path

    return [workspace_path(args.workspace)]


def _check_pdf_sides(args: argparse.Namespace) -> None:
    """``--pdf`` compares scenarios: refuse `plan` or a plan folder before any work."""
    from longtu.errors import ParameterError

    for side in (args.name, args.other):
        if side is not None and (side == "plan" or Path(side).is_dir()):
            raise ParameterError(
                f"`--pdf` draws a scenario against its plan or another scenario; `{side}` is "
                "not a scenario: give scenario names (or leave out `--pdf`).",
                zh=f"--pdf 绘制情景与其规划或另一情景的对比；{side} 不是情景："
                "请给出情景名称（或去掉 --pdf）。",
            )


def _comparison_pdf(args: argparse.Namespace, out: Path) -> Path:
    """The comparison PDF at `out`: OTHER against NAME, or NAME against its plan."""
    from longtu.maps.print.comparison import comparison_pdf

    with _workspace(args) as ws:
        if args.other is None:
            new, old = ws.load(args.name), None
        else:
            new, old = ws.load(args.other), ws.load(args.name)
    return comparison_pdf(new, out, other=old)
