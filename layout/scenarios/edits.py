"""Edits of a scenario: what changes, who changed it, when and why, each checked before saving.

An :class:`Edit` is one change to the plan layers: ``add`` a feature, ``remove`` one, ``move``
it to a point, ``reshape`` it (a polygon or line), or ``set`` attributes. ``undo`` records
(written by :meth:`longtu.layout.scenarios.Workspace.undo`) take back an earlier edit. The
constructors below check an edit against the layers it will apply to (the feature exists, the
geometry is valid and inside Gansu, the values are allowed) and raise
:class:`longtu.errors.ScenarioError` naming what was wrong and what to do; nothing is saved
until :meth:`~longtu.layout.scenarios.Workspace.save`.
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Literal

import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from longtu.errors import ScenarioError
from longtu.layout.catalog import layer_title_zh
from longtu.layout.places import split_list, typed_list
from longtu.layout.plan import TABLES
from longtu.layout.scenarios.geography import gansu
from longtu.layout.vocabulary import LIST_COLUMNS

EditKind = Literal["add", "remove", "move", "reshape", "set", "undo"]
How = Literal["drawn", "typed", "imported", ""]
EDIT_KINDS: tuple[str, ...] = ("add", "remove", "move", "reshape", "set", "undo")
STATUSES: tuple[str, ...] = ("proposed", "accepted", "rejected", "undone")
#: Columns an edit never sets directly: identity, provenance and what geometry decides.
PROTECTED_COLUMNS = frozenset(
    {
        "feature_id",
        "geometry",
        "precision",
        "location_basis",
        "source_refs",
        "source_quotes",
        "place_method",
        "place_ref",
        "county_adcodes",
        "prefecture_adcodes",
        "park_ids",
    }
)
NUMERIC_COLUMNS = frozenset({"capacity_mw_stated"})
GEOMETRY_TYPES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
)
#: Values of enumerated columns an added feature gets unless told otherwise.
ADD_DEFAULTS = {"level": "unknown", "kind": "other", "technology": "other", "status": "planned"}

PlanLayers = Mapping[str, pd.DataFrame]


def utc_now() -> str:
    """The time now in UTC, ISO 8601 with milliseconds (GeoPackage DATETIME form)."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


BEIJING = timezone(timedelta(hours=8))
"""Beijing time, UTC+8 all year (China has kept no summer time since 1991)."""


def beijing_time(iso: str) -> datetime | None:
    """A stored UTC time (ISO 8601) in Beijing time; None for an empty one.

    Examples
    --------
    >>> beijing_time("2026-12-06T13:27:42.773Z").strftime("%Y-%m-%d %H:%M")
    '2026-12-06 21:27'
    """
    if not iso:
        return None
    utc = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if utc.tzinfo is None:
        utc = utc.replace(tzinfo=timezone.utc)
    return utc.astimezone(BEIJING)


def new_edit_id() -> str:
    """A new edit id: ``ed_`` and ten hexadecimal digits."""
    return "ed_" + uuid.uuid4().hex[:10]


@dataclass(frozen=True)
class Edit:
    """One change to the plan layers, with its author, time, reason and source.

    Attributes
    ----------
    kind : str
        ``add``, ``remove``, ``move``, ``reshape``, ``set`` or ``undo``.
    feature_id, layer : str
        The feature changed and its layer (for ``add``: the new ``user_...`` id).
    author, reason : str
        Who made the edit and why (both required).
    attributes : dict
        ``set``: column -> new value; ``add``: the new feature's values.
    geometry : BaseGeometry or None
        ``add``, ``move``, ``reshape``: the new geometry (EPSG:4326).
    how : str
        How a geometry was given: ``drawn``, ``typed`` (coordinates) or ``imported``.
    source_file, source_feature
        For imported geometry: the file and the feature's row in it (1-based).
    undoes : str
        ``undo``: the id of the edit taken back.
    id, time : str
        Edit id (``ed_...``) and UTC time (ISO 8601).
    scenario, seq, version, status
        Set when saved: the scenario, the edit's position in it (1-based), the scenario version
        the save made, and its status (``proposed``, ``accepted``, ``rejected``, ``undone``:
        in a loaded scenario, the status after every review and undo).
    """

    kind: EditKind
    feature_id: str
    layer: str
    author: str
    reason: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    geometry: BaseGeometry | None = None
    how: How = ""
    source_file: str = ""
    source_feature: int | None = None
    undoes: str = ""
    id: str = field(default_factory=new_edit_id)
    time: str = field(default_factory=utc_now)
    scenario: str = ""
    seq: int = 0
    version: int = 0
    status: str = "proposed"

    def with_status(self, status: str) -> Edit:
        """A copy with another status."""
        return replace(self, status=status)


def find_feature(layers: PlanLayers, feature_id: str) -> str:
    """The layer holding `feature_id`; :class:`ScenarioError` (with near ids) if none does."""
    for name, frame in layers.items():
        if "feature_id" in frame.columns and feature_id in set(frame["feature_id"]):
            return name
    known = [f for frame in layers.values() if "feature_id" in frame for f in frame["feature_id"]]
    near = difflib.get_close_matches(feature_id, known, n=3)
    hint = f" Did you mean {', '.join(near)}?" if near else ""
    hint_zh = f"您要找的是否是 {'、'.join(near)}？" if near else ""
    raise ScenarioError(
        f"no feature `{feature_id}` in this scenario (never in the plan, or removed by an "
        f"earlier edit).{hint} Feature ids are in `longtu layers export parks --out parks.csv`.",
        zh=f"此情景中没有要素 {feature_id}（规划中从未有过，或已被之前的编辑删除）。{hint_zh}"
        "要素编号见 longtu layers export parks --out parks.csv 导出的表。",
    )


def _check_who(author: str, reason: str) -> None:
    if not author.strip():
        raise ScenarioError(
            "the author is empty; say who makes the edit.", zh="未填写作者；请注明由谁编辑。"
        )
    if not reason.strip():
        raise ScenarioError(
            "the reason is empty; say why the edit is made.", zh="未填写理由；请说明编辑的原因。"
        )


_INVALID_ZH = {
    "Self-intersection": "自相交",
    "Ring Self-intersection": "边界环自相交",
    "Hole lies outside shell": "洞在外环之外",
    "Nested shells": "外环相互嵌套",
    "Nested holes": "洞相互嵌套",
    "Interior is disconnected": "内部不连通",
    "Too few points": "点数太少",
    "Invalid Coordinate": "坐标无效",
    "Ring is not closed": "边界环未闭合",
}


def _invalid_reason_zh(geometry: BaseGeometry) -> str:
    """Why `geometry` is invalid, in Chinese, with the place GEOS gives (``自相交，位于 x y``).

    Examples
    --------
    >>> _invalid_reason_zh(shapely.from_wkt("POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))"))
    '自相交，位于 0.5 0.5'
    """
    reason = str(shapely.is_valid_reason(geometry))
    kind, _, where = reason.partition("[")
    words = _INVALID_ZH.get(kind.strip(), "图形无效")
    return f"{words}，位于 {where.rstrip(']')}" if where else words


def check_geometry(geometry: object, *, what: str, what_zh: str = "") -> BaseGeometry:
    """A valid 2-D geometry inside Gansu, or :class:`ScenarioError` saying what is wrong.

    `what` names the input in the English message, `what_zh` in the Chinese (default 所给图形).
    """
    what_zh = what_zh or "所给图形"
    if not isinstance(geometry, BaseGeometry) or geometry.is_empty:
        raise ScenarioError(
            f"{what} has no geometry; give a point, line or polygon.",
            zh=f"{what_zh}没有几何图形；请给出点、线或面。",
        )
    if geometry.geom_type not in GEOMETRY_TYPES:
        raise ScenarioError(
            f"{what} is a {geometry.geom_type}; give a point, line or polygon (or multi-).",
            zh=f"{what_zh}是 {geometry.geom_type}；请给出点、线或面（或多点、多线、多面）。",
        )
    flat: BaseGeometry = shapely.force_2d(geometry)
    if not flat.is_valid:
        raise ScenarioError(
            f"{what} is not a valid geometry ({shapely.is_valid_reason(flat)}); "
            "repair it (e.g. QGIS 'Fix geometries') and try again.",
            zh=f"{what_zh}不是有效的图形（{_invalid_reason_zh(flat)}）；"
            "请修复后再试（如用 QGIS 的“修复几何”）。",
        )
    gansu().check_inside(flat, what=what, what_zh=what_zh)
    return flat


def _is_number(value: str) -> bool:
    try:
        return float(value) >= 0
    except ValueError:
        return False


def _problems_of_value(
    column: str, value: str, layer: str, layers: PlanLayers, columns: set[str]
) -> tuple[str, str] | None:
    """What is wrong with `column` = `value` (English, Chinese), or None."""
    if column in PROTECTED_COLUMNS:
        return (
            f"`{column}` is set by the edit itself (move, reshape), not by hand",
            f"{column} 由编辑本身（移动、改形）设定，不能手动修改",
        )
    if column not in columns and column != "zone_ids":
        return (
            f"`{column}` is not a column of {layer} ({', '.join(sorted(columns))})",
            f"{column} 不是{layer_title_zh(layer)}的列（可用列：{'、'.join(sorted(columns))}）",
        )
    allowed = TABLES[layer].enums.get(column) if layer in TABLES else None
    if allowed and value not in allowed:
        return (
            f"`{column}={value}` is not one of {', '.join(allowed)}",
            f"{column} 的值 {value} 不可用，可选：{'、'.join(allowed)}",
        )
    numeric = column in NUMERIC_COLUMNS or (
        column in layers[layer].columns and pd.api.types.is_numeric_dtype(layers[layer][column])
    )
    if numeric and value and not _is_number(value):
        return f"`{column}={value}` is not a number >= 0", f"{column} 的值 {value} 不是 ≥ 0 的数"
    if column == "zone_ids":
        zones = set(layers["economic_zones"]["feature_id"]) if "economic_zones" in layers else set()
        unknown = [z for z in split_list(value) if z not in zones]
        if unknown:
            return (
                f"`zone_ids`: {', '.join(unknown)} are not economic zones of the plan",
                f"zone_ids 中的 {'、'.join(unknown)} 不是规划中的经济区",
            )
    return None


def check_values(layers: PlanLayers, layer: str, values: Mapping[str, str]) -> dict[str, str]:
    """The values as strings, or one :class:`ScenarioError` listing every bad one.

    A list (:data:`~longtu.layout.vocabulary.LIST_COLUMNS`) typed with 、，；or , is stored as
    the plan's tables store lists: joined by ``;``.
    """
    columns = set(layers[layer].columns) - PROTECTED_COLUMNS
    clean = {str(k).strip(): str(v).strip() for k, v in values.items()}
    clean = {k: typed_list(v) if k in LIST_COLUMNS else v for k, v in clean.items()}
    problems = [
        p
        for k, v in clean.items()
        if (p := _problems_of_value(k, v, layer, layers, columns)) is not None
    ]
    if problems:
        raise ScenarioError(
            f"cannot set the values for {layer}: " + "; ".join(en for en, _ in problems) + ".",
            zh=f"无法为{layer_title_zh(layer)}设置这些值："
            + "；".join(zh for _, zh in problems)
            + "。",
        )
    return clean


def add_feature(
    layers: PlanLayers,
    *,
    layer: str,
    name_zh: str,
    geometry: BaseGeometry,
    author: str,
    reason: str,
    attributes: Mapping[str, str] | None = None,
    how: How = "typed",
    source_file: str = "",
    source_feature: int | None = None,
) -> Edit:
    """An edit adding a new feature (id ``user_...``) to a plan layer.

    Raises
    ------
    ScenarioError
        Unknown layer, empty name, bad values, or a geometry that is invalid or outside Gansu.
    """
    _check_who(author, reason)
    if layer not in layers or "geometry" not in layers[layer].columns:
        drawable = [n for n, f in layers.items() if "geometry" in f.columns]
        raise ScenarioError(
            f"`{layer}` is not a plan layer; use one of {drawable}.",
            zh=f"{layer_title_zh(layer)}不是可新增要素的规划图层；请从"
            f"{'、'.join(f'{layer_title_zh(n)}（{n}）' for n in drawable)}中选择。",
        )
    if not name_zh.strip():
        raise ScenarioError(
            "the new feature has no name; give it one.", zh="新要素没有名称；请填写名称。"
        )
    values = {k: v for k, v in ADD_DEFAULTS.items() if k in layers[layer].columns}
    values |= check_values(layers, layer, dict(attributes or {}))
    values["name_zh"] = name_zh.strip()
    geometry = check_geometry(
        geometry, what=f"the new feature {name_zh}", what_zh=f"新要素“{name_zh}”"
    )
    edit_id = new_edit_id()
    return Edit(
        "add",
        "user_" + edit_id[3:],
        layer,
        author,
        reason,
        values,
        geometry,
        how,
        source_file,
        source_feature,
        id=edit_id,
    )


def move_feature(
    layers: PlanLayers,
    feature_id: str,
    lon: float,
    lat: float,
    *,
    author: str,
    reason: str,
    how: How = "typed",
) -> Edit:
    """An edit moving a feature to the point (`lon`, `lat`), WGS84 degrees.

    Raises
    ------
    ScenarioError
        Unknown feature, or a point outside Gansu.
    """
    return reshape_feature(
        layers,
        feature_id,
        shapely.Point(lon, lat),
        author=author,
        reason=reason,
        how=how,
        what=f"the point {lon:g}, {lat:g}",
        what_zh=f"点（经度 {lon:g}，纬度 {lat:g}）",
    )


def reshape_feature(
    layers: PlanLayers,
    feature_id: str,
    geometry: BaseGeometry,
    *,
    author: str,
    reason: str,
    how: How = "drawn",
    source_file: str = "",
    source_feature: int | None = None,
    what: str = "",
    what_zh: str = "",
) -> Edit:
    """An edit giving a feature a new geometry: ``move`` for a point, else ``reshape``.

    Raises
    ------
    ScenarioError
        Unknown feature, or a geometry that is invalid or outside Gansu.
    """
    _check_who(author, reason)
    layer = find_feature(layers, feature_id)
    geometry = check_geometry(
        geometry,
        what=what or f"the new geometry of {feature_id}",
        what_zh=what_zh or f"要素 {feature_id} 的新图形",
    )
    kind: EditKind = "move" if geometry.geom_type == "Point" else "reshape"
    return Edit(
        kind, feature_id, layer, author, reason, {}, geometry, how, source_file, source_feature
    )


def remove_feature(layers: PlanLayers, feature_id: str, *, author: str, reason: str) -> Edit:
    """An edit removing a feature from the scenario (the plan itself is never changed)."""
    _check_who(author, reason)
    return Edit("remove", feature_id, find_feature(layers, feature_id), author, reason)


def set_attributes(
    layers: PlanLayers,
    feature_id: str,
    values: Mapping[str, str],
    *,
    author: str,
    reason: str,
) -> Edit:
    """An edit changing attributes (``level``, ``lead_industries_zh``, ``status``, ...).

    ``zone_ids`` may be set too: the economic zones the feature serves (``;``-separated
    feature ids), kept even if the feature is later moved.

    Raises
    ------
    ScenarioError
        Unknown feature, no values, or a value the layer does not allow (all listed at once).
    """
    _check_who(author, reason)
    layer = find_feature(layers, feature_id)
    if not values:
        raise ScenarioError(
            "no attribute to set; name one and its value (e.g. level = provincial).",
            zh="没有要修改的属性；请给出属性及其值（如 level = provincial）。",
        )
    return Edit("set", feature_id, layer, author, reason, check_values(layers, layer, values))
