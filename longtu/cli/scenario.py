"""``longtu scenario``: the planning workspace (scenarios of the plan with real sites).

Commands (each takes ``--workspace FILE``; default ``$LONGTU_WORKSPACE``, else
``<data folder>/workspace.gpkg``; ``--by`` defaults to the operating-system user)::

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
import getpass
from pathlib import Path
from typing import TYPE_CHECKING

from longtu.cli.common import table_text

if TYPE_CHECKING:
    import pandas as pd

    from longtu.layout.scenarios import Scenario, Workspace
    from longtu.layout.scenarios.edits import PlanLayers


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        return ""


def _common(parser: argparse.ArgumentParser, *, by: bool = True) -> None:
    parser.add_argument("--workspace", default=None, help="workspace GeoPackage file")
    if by:
        parser.add_argument("--by", default=None, help="who does it (default: the OS user)")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``scenario`` and its commands to the ``longtu`` sub-commands."""
    group = sub.add_parser("scenario", help="planning workspace: scenarios with real sites")
    commands = group.add_subparsers(dest="scenario_command", required=True)
    for add in (_new, _list, _show, _import, _edit, _add, _undo, _diff, _review):
        add(commands)


def _new(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("new", help="a scenario from the plan, a scenario or a plan folder")
    p.add_argument("name")
    start = p.add_mutually_exclusive_group()
    start.add_argument("--from", dest="parent", default="", help="start from this scenario")
    start.add_argument("--plan-dir", default="", help="start from a plan version folder")
    _common(p)
    p.set_defaults(func=run_new)


def _list(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("list", help="the scenarios of the workspace")
    _common(p, by=False)
    p.set_defaults(func=run_list)


def _show(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("show", help="a scenario's edits and reviews")
    p.add_argument("name")
    _common(p, by=False)
    p.set_defaults(func=run_show)


def _import(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("import", help="match a file's features to plan features by name")
    p.add_argument("name")
    p.add_argument("file", help="GeoPackage, GeoJSON, Shapefile (.zip), KML, FlatGeobuf")
    p.add_argument("--name-column", default=None)
    p.add_argument("--layer", action="append", default=[], help="plan layer to match (repeat)")
    p.add_argument("--match", action="append", default=[], help="ROW=FEATURE_ID (repeat)")
    p.add_argument("--accept-matches", action="store_true", help="save the matches as edits")
    p.add_argument("--reason", default="")
    _common(p)
    p.set_defaults(func=run_import)


def _edit(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("edit", help="move, remove or set attributes of a feature")
    p.add_argument("name")
    p.add_argument("feature_id")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--move", nargs=2, type=float, metavar=("LON", "LAT"))
    what.add_argument("--remove", action="store_true")
    what.add_argument("--set", action="append", metavar="KEY=VALUE")
    p.add_argument("--reason", required=True)
    _common(p)
    p.set_defaults(func=run_edit)


def _add(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("add", help="add a feature at typed coordinates")
    p.add_argument("name")
    p.add_argument("--layer", default="parks")
    p.add_argument("--name", dest="feature_name", required=True, help="name_zh of the feature")
    p.add_argument("--lon", type=float, required=True)
    p.add_argument("--lat", type=float, required=True)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--reason", required=True)
    _common(p)
    p.set_defaults(func=run_add)


def _undo(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("undo", help="take back the last edit (kept in the history)")
    p.add_argument("name")
    p.add_argument("--reason", default="")
    _common(p)
    p.set_defaults(func=run_undo)


def _diff(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("diff", help="changes: plan -> NAME, or NAME -> OTHER")
    p.add_argument("name", help="a scenario, `plan`, or a plan version folder")
    p.add_argument("other", nargs="?", default=None)
    p.add_argument("--out", required=True, type=Path, help="changes.gpkg (CSV beside it)")
    _common(p, by=False)
    p.set_defaults(func=run_diff)


def _review(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("review", help="accept, reject or comment on an edit or a feature")
    p.add_argument("name")
    p.add_argument("target", metavar="EDIT_ID", help="edit id or number, or a feature id")
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--accept", dest="verdict", action="store_const", const="accept")
    verdict.add_argument("--reject", dest="verdict", action="store_const", const="reject")
    verdict.add_argument("--comment-only", dest="verdict", action="store_const", const="comment")
    p.add_argument("--comment", default="")
    _common(p)
    p.set_defaults(func=run_review)


# --- running ------------------------------------------------------------------------------


def _workspace(args: argparse.Namespace, *, create: bool = False) -> Workspace:
    from longtu.layout.scenarios import Workspace

    return Workspace(args.workspace, create=create)


def _by(args: argparse.Namespace) -> str:
    from longtu.errors import ScenarioError

    by = (args.by or _default_user()).strip()
    if not by:
        raise ScenarioError("no user name; give `--by NAME`.")
    return by


def _saved(scenario: Scenario, what: str) -> int:
    print(f"{what}; scenario `{scenario.name}` is now at version {scenario.version}.")
    return 0


def run_new(args: argparse.Namespace) -> int:
    """``longtu scenario new NAME``."""
    by = _by(args)
    with _workspace(args, create=True) as ws:
        scenario = ws.new_scenario(args.name, by=by, parent=args.parent, plan_dir=args.plan_dir)
        start = (
            f"scenario `{args.parent}` at version {scenario.info.parent_version}"
            if args.parent
            else f"plan version {scenario.info.plan_dir}"
            if args.plan_dir
            else "the plan"
        )
        print(f"Created scenario `{scenario.name}` from {start} in {ws.path}.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """``longtu scenario list``."""
    with _workspace(args) as ws:
        frame = ws.scenarios().astype({"parent_version": object})
        frame.loc[frame["parent"] == "", "parent_version"] = ""
        print(f"{len(frame)} scenario(s) in {ws.path}")
        if len(frame):
            print(table_text(frame.fillna("")))
    return 0


def _history(scenario: Scenario) -> pd.DataFrame:
    import pandas as pd

    names = {
        fid: name
        for layers in (scenario.base, scenario.layers)
        for frame in layers.values()
        if "name_zh" in frame.columns
        for fid, name in zip(frame["feature_id"], frame["name_zh"], strict=True)
    }
    rows = [
        {
            "seq": e.seq,
            "id": e.id,
            "kind": e.kind if e.kind != "undo" else f"undo {e.undoes}",
            "feature_id": e.feature_id,
            "name_zh": names.get(e.feature_id, ""),
            "status": e.status,
            "author": e.author,
            "time": e.time[:16].replace("T", " "),
            "reason": e.reason,
        }
        for e in scenario.edits
    ]
    return pd.DataFrame(rows)


def run_show(args: argparse.Namespace) -> int:
    """``longtu scenario show NAME``: its start, edits, reviews and edits that cannot apply."""
    import pandas as pd

    with _workspace(args) as ws:
        scenario = ws.load(args.name)
    info = scenario.info
    start = f"{info.parent} v{info.parent_version}" if info.parent else info.plan_dir or "plan"
    print(f"Scenario `{info.name}` (version {info.version}), from {start}, by {info.created_by}")
    print(f"{len(scenario.edits)} edit(s)")
    if scenario.edits:
        print(table_text(_history(scenario)))
    if scenario.reviews:
        reviews = pd.DataFrame([vars(r) for r in scenario.reviews])
        print(f"{len(reviews)} review(s)")
        print(table_text(reviews[["edit_id", "feature_id", "reviewer", "verdict", "text"]]))
    for edit, reason in scenario.skipped:
        print(f"not applied: {edit.id} ({edit.kind} {edit.feature_id}): {reason}")
    return 0


def _parse_pairs(items: list[str], option: str) -> dict[str, str]:
    from longtu.errors import ScenarioError

    pairs = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ScenarioError(f"`{option} {item}` must look like {option} KEY=VALUE.")
        pairs[key.strip()] = value.strip()
    return pairs


def _choices(items: list[str]) -> dict[int, str]:
    from longtu.errors import ScenarioError

    pairs = _parse_pairs(items, "--match")
    if not all(key.isdigit() for key in pairs):
        raise ScenarioError("`--match` takes ROW=FEATURE_ID with ROW the number of the row.")
    return {int(key): value for key, value in pairs.items()}


def run_import(args: argparse.Namespace) -> int:
    """``longtu scenario import NAME FILE``: the proposed matches; saved with --accept-matches."""
    from longtu.analysis.io.vector import read_vector_file
    from longtu.errors import ScenarioError
    from longtu.layout.scenarios import confirm_matches, propose_matches

    by = _by(args)
    choose = _choices(args.match)
    if args.accept_matches and not args.reason.strip():
        raise ScenarioError("give `--reason TEXT` to save the matches (why these sites).")
    features, _ = read_vector_file(args.file)
    with _workspace(args) as ws:
        scenario = ws.load(args.name)
        layers = tuple(args.layer) or ("parks", "energy_sites")
        proposals = propose_matches(
            features, name_column=args.name_column, layers=scenario.layers, match_layers=layers
        )
        shown = ["row", "name", "rank", "status", "feature_id", "plan_name_zh", "score"]
        print(table_text(proposals[[*shown, "reason_zh"]]))
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
    return _saved(scenario, f"Saved {len(edits)} site(s) from {Path(args.file).name}")


def _proposed_only(proposals: pd.DataFrame, file: str, choose: dict[int, str]) -> int:
    from longtu.errors import ScenarioError

    matched = proposals["status"].eq("best")
    if not matched.any() and not choose:
        raise ScenarioError(
            f"no feature of `{file}` matches a plan feature; check `--name-column`, or choose "
            "with `--match ROW=FEATURE_ID`. Nothing was saved."
        )
    print(
        f"Nothing saved: {int(matched.sum())} match(es) proposed. Run again with "
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
    return _saved(scenario, f"Saved edit {edit.id} ({edit.kind} {edit.feature_id})")


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
    return _saved(scenario, f"Added {edit.feature_id} ({args.feature_name}), edit {edit.id}")


def run_undo(args: argparse.Namespace) -> int:
    """``longtu scenario undo NAME``: the last edit in effect is undone (and stays listed)."""
    by = _by(args)
    with _workspace(args) as ws:
        scenario = ws.undo(ws.load(args.name), by=by, reason=args.reason)
    undone = scenario.edits[-1]
    return _saved(scenario, f"Undid {undone.undoes} ({undone.feature_id}), kept in the history")


def run_review(args: argparse.Namespace) -> int:
    """``longtu scenario review NAME EDIT_ID --accept/--reject/--comment-only``."""
    by = _by(args)
    with _workspace(args) as ws:
        scenario = ws.review(
            ws.load(args.name), args.target, verdict=args.verdict, by=by, text=args.comment
        )
    return _saved(scenario, f"Recorded {by}'s {args.verdict} on {args.target}")


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
    """``longtu scenario diff NAME [OTHER] --out changes.gpkg``: GeoPackage and CSV."""
    from longtu.layout import plan_layers
    from longtu.layout.scenarios import diff_layers, write_changes

    old: PlanLayers
    if args.other is None:
        if args.name == "plan" or Path(args.name).is_dir():
            old = plan_layers()
        else:
            with _workspace(args) as ws:
                old = ws.plan_of(args.name)
        new = _layers_of(args.name, args)
    else:
        old, new = _layers_of(args.name, args), _layers_of(args.other, args)
    changes = diff_layers(old, new)
    gpkg, csv = write_changes(changes, args.out)
    counts = changes["kind"].value_counts()
    following = int((changes["followed_park"] != "").sum())
    of_them = f", {following} of them following their park" if following else ""
    print(f"{len(changes)} change(s){of_them}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    if len(changes):
        print(table_text(changes[["kind", "layer", "feature_id", "name_zh", "details_zh"]]))
    print(f"Wrote {gpkg} and {csv}")
    return 0
