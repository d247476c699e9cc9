"""The planning workspace: scenarios of the plan with real sites, saved losslessly, compared.

A scenario is the plan (or a plan version folder, or another scenario) plus an ordered list of
edits, each with its author, UTC time, reason and, for imported geometry, its source file and
feature. The base plan is never modified. Everything is kept in one GeoPackage workspace file
that QGIS and GDAL can open (the ``edits`` layer).

Public API
----------
Workspace(path=None, *, create=False)
    The workspace file: ``new_scenario``, ``scenarios``, ``load``, ``save``, ``undo``,
    ``review``, ``plan_of``.
Scenario, ScenarioInfo, Review, Edit
    A loaded scenario (layers with its edits applied, history, version) and the records.
add_feature, move_feature, reshape_feature, remove_feature, set_attributes
    Make an edit, checked against the scenario's layers (nothing saved until ``save``).
apply_edits(layers, edits)
    Plan layers with edits applied (same shape as :func:`longtu.layout.plan_layers`).
propose_matches(features, *, name_column, layers), confirm_matches(proposals, layers, ...)
    Match a planner's features to plan features by name and place; turn matches into edits.
diff_layers(a, b), write_changes(changes, out)
    Changes between two sets of layers as a GeoDataFrame; written as GeoPackage + CSV.
plan_version_layers(folder), workspace_path(path=None), normalize_name(text)
    A validated plan version; where the workspace is; canonical Chinese park names.
default_workspace(), earlier_workspaces(), left_in_cache(path)
    Where a workspace is kept by default (the user's data folder); where Longtu used to keep
    them (a cache folder), and whether a path is one of those.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "ws.gpkg"
>>> with Workspace(path, create=True) as ws:
...     north = ws.new_scenario("north", by="li")
...     edit = move_feature(north.layers, "park_zhangye_etdz", 100.45, 38.93,
...                         author="li", reason="site agreed with Zhangye")
...     north = ws.save(north, [edit])
...     park = north.layers["parks"].set_index("feature_id").loc["park_zhangye_etdz"]
>>> north.version, park["precision"], park.geometry.wkt
(1, 'site', 'POINT (100.45 38.93)')
"""

from longtu.layout.scenarios.apply import apply_edits, edits_in_effect
from longtu.layout.scenarios.diff import diff_layers, write_changes
from longtu.layout.scenarios.edits import (
    Edit,
    add_feature,
    move_feature,
    remove_feature,
    reshape_feature,
    set_attributes,
)
from longtu.layout.scenarios.matching import confirm_matches, name_column_of, propose_matches
from longtu.layout.scenarios.names import normalize_name
from longtu.layout.scenarios.plan_versions import plan_version_layers
from longtu.layout.scenarios.store import (
    Review,
    ScenarioInfo,
    default_workspace,
    earlier_workspaces,
    left_in_cache,
    workspace_path,
)
from longtu.layout.scenarios.workspace import Scenario, Workspace, find_edit

__all__ = [
    "Edit",
    "Review",
    "Scenario",
    "ScenarioInfo",
    "Workspace",
    "add_feature",
    "apply_edits",
    "confirm_matches",
    "default_workspace",
    "diff_layers",
    "earlier_workspaces",
    "edits_in_effect",
    "find_edit",
    "left_in_cache",
    "move_feature",
    "name_column_of",
    "normalize_name",
    "plan_version_layers",
    "propose_matches",
    "remove_feature",
    "reshape_feature",
    "set_attributes",
    "workspace_path",
    "write_changes",
]
