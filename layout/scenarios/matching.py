"""Placing sites: matching a planner's features (real boundaries) to the plan's features by name.

:func:`propose_matches` compares each user feature's name with every plan feature's name and
aliases, after Chinese name normalisation (:mod:`longtu.layout.scenarios.names`), and weighs in
where things are:

- name (75%): 1 for the same canonical name (兰州经开区 = 兰州经济技术开发区); 0.9 for the same
  name apart from a place prefix the other lacks (庆阳西峰工业园区 = 西峰工业园区); else 0.85 x
  the string similarity. Names that differ only in their place (兰州经开区 / 酒泉经开区) get at most
  0.3; a bare place name (``白银``) at most 0.5; 经济开发区 read as 经开区 loses 5%;
- place (25%): 1 if the user feature lies in the plan feature's county (or in its prefecture
  when the plan names only that), 0.6 in its prefecture but another county, 0 outside;
  0.5 when the plan gives no place;
- context: a place named in the user's name (a prefix, or brackets like ``（安宁）``) adds 0.05
  if it is the plan feature's, and takes 0.15 off if it is another prefecture's.

Each user feature gets its best proposal (score >= 0.6 and name >= 0.75: a place alone never
makes a match) and up to two alternatives (score >= 0.4); two plan
features scoring within 0.02 of each other are both flagged ``ambiguous``; two user features
whose best is the same plan feature are flagged ``duplicate``; a feature with no proposal is
``unmatched``. No row of the file is dropped. :func:`confirm_matches`
(:mod:`longtu.layout.scenarios.confirm`) turns the accepted proposals into ``reshape``
(polygons, lines) or ``move`` (points) edits with the file and row as their source.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from longtu.errors import ScenarioError
from longtu.layout.catalog import layer_title_zh
from longtu.layout.places import split_list
from longtu.layout.scenarios.confirm import (
    confirm_matches as confirm_matches,  # public here, as it always was
)
from longtu.layout.scenarios.edits import PlanLayers
from longtu.layout.scenarios.geography import claimed_units, gansu
from longtu.layout.scenarios.names import NormalName, PlaceNames, normalize_name

MATCH_THRESHOLD = 0.6
MATCH_NAME_THRESHOLD = 0.75
ALTERNATIVE_THRESHOLD = 0.4
AMBIGUITY_MARGIN = 0.02
MAX_ALTERNATIVES = 2
NAME_WEIGHT, PLACE_WEIGHT = 0.75, 0.25
DEFAULT_LAYERS = ("parks", "energy_sites")
NAME_COLUMNS = ("name_zh", "name", "名称", "园区名称", "NAME", "Name", "MC", "mc", "YQMC", "yqmc")
PROPOSAL_COLUMNS = (
    "row",
    "name",
    "rank",
    "status",
    "feature_id",
    "layer",
    "plan_name_zh",
    "score",
    "name_score",
    "place_score",
    "reason_zh",
    "reason_en",
)
Reason = tuple[str, str]


@dataclass(frozen=True)
class _Candidate:
    feature_id: str
    layer: str
    name_zh: str
    names: tuple[NormalName, ...]
    counties: frozenset[str]
    prefectures: frozenset[str]


@dataclass(frozen=True)
class _User:
    row: int
    name: str
    normal: NormalName
    counties: frozenset[str]
    prefectures: frozenset[str]
    context: tuple[str, ...]
    geometry: BaseGeometry | None


def name_column_of(features: pd.DataFrame, name_column: str | None = None) -> str:
    """The column holding the names: `name_column`, else the first usual one present.

    Raises
    ------
    ScenarioError
        The column is missing (the message lists the columns there are).
    """
    columns = [c for c in features.columns if c != "geometry"]
    columns_zh = "、".join(map(str, columns))
    if name_column:
        if name_column not in features.columns:
            raise ScenarioError(
                f"the name column `{name_column}` is not a column of the file; "
                f"its columns: {', '.join(map(str, columns))}.",
                zh=f"名称列 {name_column} 不是该文件的列；文件的列有：{columns_zh}。",
            )
        return name_column
    found = next((c for c in NAME_COLUMNS if c in features.columns), None)
    if found is None:
        raise ScenarioError(
            "cannot tell which column holds the names; name that column "
            f"(columns: {', '.join(map(str, columns))}).",
            zh=f"无法判断哪一列是名称；请指定名称列（文件的列有：{columns_zh}）。",
        )
    return found


def _candidates(layers: PlanLayers, match_layers: tuple[str, ...]) -> list[_Candidate]:
    out = []
    for layer in match_layers:
        for row in layers[layer].to_dict(orient="records"):
            raw = [str(row["name_zh"]), *split_list(row.get("aliases_zh"))]
            counties, prefectures = claimed_units(row)
            out.append(
                _Candidate(
                    str(row["feature_id"]),
                    layer,
                    str(row["name_zh"]),
                    tuple(normalize_name(n) for n in raw),
                    frozenset(counties),
                    frozenset(prefectures),
                )
            )
    return out


def _user(row: int, name: object, geometry: BaseGeometry | None, places: PlaceNames) -> _User:
    normal = normalize_name(name)
    leading, _ = places.split_leading(normal.core)
    counties: list[str] = []
    prefectures: list[str] = []
    if geometry is not None and not geometry.is_empty:
        counties, prefectures = gansu().units_of(shapely.point_on_surface(geometry))
    return _User(
        row,
        str(name if isinstance(name, str) else ""),
        normal,
        frozenset(counties),
        frozenset(prefectures),
        (*normal.context, *leading),
        geometry,
    )


def _same_but_place(user: str, plan: str, places: PlaceNames) -> bool | None:
    """True: same apart from a place prefix; False: differ in their places; None: neither."""
    lu, ru = places.split_leading(user)
    lp, rp = places.split_leading(plan)
    if ru != rp or len(ru) < 3:
        return None
    return set(lu) <= set(lp) or set(lp) <= set(lu)


_NAME_REASONS = {
    "same": ("名称一致（{core}）", "same name ({core})"),
    "same_but_place": ("除地名外名称一致（{core}）", "same name but for a place ({core})"),
    "other_place": ("地名不同（{core}）", "another place's ({core})"),
    "similar": ("名称相近 {ratio:.0%}（{core}）", "similar name {ratio:.0%} ({core})"),
}


def _one_name_score(user: NormalName, plan: NormalName, places: PlaceNames) -> tuple[float, Reason]:
    ratio = difflib.SequenceMatcher(None, user.core, plan.core).ratio()
    same = None if user.core == plan.core else _same_but_place(user.core, plan.core, places)
    if user.core == plan.core:
        score, key = 1.0, "same"
    elif same:
        score, key = 0.9, "same_but_place"
    elif same is False:
        score, key = min(0.3, 0.85 * ratio), "other_place"
    else:
        score, key = 0.85 * ratio, "similar"
    zh, en = (t.format(core=plan.core, ratio=ratio) for t in _NAME_REASONS[key])
    if places.is_place(plan.core) or places.is_place(user.core):
        score = min(score, 0.5)
    if user.loose != plan.loose and score >= 0.9:
        score *= 0.95
        zh, en = zh + "，经济开发区按经开区", en + ", 经济开发区 read as 经开区"
    return score, (zh, en)


def _name_score(user: _User, cand: _Candidate, places: PlaceNames) -> tuple[float, Reason]:
    return max((_one_name_score(user.normal, n, places) for n in cand.names), key=lambda sr: sr[0])


def _place_score(user: _User, cand: _Candidate) -> tuple[float, Reason]:
    names = gansu().county_names
    if not (cand.counties or cand.prefectures):
        return 0.5, ("规划未给出位置", "the plan gives no place")
    if user.geometry is None:
        return 0.5, ("无几何", "no geometry")
    where = "、".join(names.get(c, c) for c in sorted(cand.counties or cand.prefectures))
    if user.counties & cand.counties or (not cand.counties and user.prefectures & cand.prefectures):
        return 1.0, (f"位于规划所在的{where}", f"lies in the plan's {where}")
    if user.prefectures & cand.prefectures:
        return 0.6, (f"在同一市州但不在{where}", f"in the plan's prefecture, not in {where}")
    return 0.0, (f"不在规划所在的{where}", f"outside the plan's {where}")


def _context_adjustment(user: _User, cand: _Candidate, places: PlaceNames) -> tuple[float, Reason]:
    found = [p for token in user.context for p in places.lookup(token)]
    if not found:
        return 0.0, ("", "")
    place = found[0].name_zh
    if any(p.adcode in cand.counties or p.adcode in cand.prefectures for p in found):
        return 0.05, (f"名称中的地名{place}相符", f"the name's place {place} fits")
    if cand.prefectures and not any(p.prefecture_adcode in cand.prefectures for p in found):
        return -0.15, (f"名称中的地名{place}不符", f"the name's place {place} does not fit")
    return 0.0, ("", "")


@dataclass(frozen=True)
class _Scored:
    cand: _Candidate
    score: float
    name: float
    place: float
    reasons: tuple[Reason, ...]

    @property
    def good(self) -> bool:
        """Good enough to propose: a place alone never makes a match."""
        return self.score >= MATCH_THRESHOLD and self.name >= MATCH_NAME_THRESHOLD

    def row(self, rank: int, status: str) -> dict[str, object]:
        return {
            "rank": rank,
            "status": status,
            "feature_id": self.cand.feature_id,
            "layer": self.cand.layer,
            "plan_name_zh": self.cand.name_zh,
            "score": round(self.score, 3),
            "name_score": round(self.name, 3),
            "place_score": self.place,
            "reason_zh": "；".join(r[0] for r in self.reasons),
            "reason_en": "; ".join(r[1] for r in self.reasons),
        }


def _score(user: _User, cand: _Candidate, places: PlaceNames) -> _Scored | None:
    name, name_why = _name_score(user, cand, places)
    if name < 0.3:
        return None
    place, place_why = _place_score(user, cand)
    context, context_why = _context_adjustment(user, cand, places)
    score = max(0.0, min(1.0, NAME_WEIGHT * name + PLACE_WEIGHT * place + context))
    reasons = tuple(r for r in (name_why, place_why, context_why) if r[0])
    return _Scored(cand, score, name, place, reasons)


def _unmatched_row(closest: _Scored | None) -> dict[str, object]:
    near_zh = f"最接近：{closest.cand.name_zh} {closest.score:.2f}" if closest else "无"
    near_en = f"closest: {closest.cand.name_zh} {closest.score:.2f}" if closest else "none"
    return {
        "rank": 1,
        "status": "unmatched",
        "feature_id": "",
        "layer": "",
        "plan_name_zh": "",
        "score": 0.0,
        "name_score": 0.0,
        "place_score": 0.0,
        "reason_zh": f"没有名称足够接近的规划要素（{near_zh}）",
        "reason_en": f"no plan feature's name is close enough ({near_en})",
    }


def _rows_for(user: _User, candidates: list[_Candidate], places: PlaceNames) -> list[dict]:
    scored = [s for c in candidates if (s := _score(user, c, places)) is not None]
    scored.sort(key=lambda s: -s.score)
    good = [s for s in scored if s.good]
    tied = [s for s in good if s.score >= good[0].score - AMBIGUITY_MARGIN] if good else []
    if tied:
        status = "ambiguous" if len(tied) > 1 else "best"
        rows = [s.row(i + 1, status) for i, s in enumerate(tied)]
    else:
        rows = [_unmatched_row(scored[0] if scored else None)]
    others = [s for s in scored if s not in tied and s.score >= ALTERNATIVE_THRESHOLD]
    rows += [
        s.row(len(rows) + i + 1, "alternative") for i, s in enumerate(others[:MAX_ALTERNATIVES])
    ]
    head = {"row": user.row, "name": user.name, "geometry": user.geometry}
    return [head | r for r in rows]


def propose_matches(
    features: gpd.GeoDataFrame,
    *,
    name_column: str | None = None,
    layers: PlanLayers,
    match_layers: tuple[str, ...] = DEFAULT_LAYERS,
) -> gpd.GeoDataFrame:
    """Propose which plan feature each user feature is (see the module for the score).

    Parameters
    ----------
    features
        The user's features in EPSG:4326 (e.g. read with
        ``longtu.analysis.io.vector.read_vector_file``).
    name_column
        Column with the names; default the first of :data:`NAME_COLUMNS` present.
    layers
        Plan (or scenario) layers to match against.
    match_layers
        Which of `layers` hold the candidates.

    Returns
    -------
    geopandas.GeoDataFrame
        One or more rows per user feature (``row``: 1-based position in `features`):
        ``rank``, ``status`` (``best``, ``ambiguous``, ``duplicate``, ``alternative``,
        ``unmatched``), ``feature_id``, ``layer``, ``plan_name_zh``, ``score`` (0-1),
        ``name_score``, ``place_score``, ``reason_zh``, ``reason_en``; the user's geometry.

    Raises
    ------
    ScenarioError
        Not EPSG:4326, no name column, or an unknown layer.
    """
    if features.crs is None or features.crs.to_epsg() != 4326:
        raise ScenarioError(
            "the features must be in EPSG:4326; use `to_crs(4326)` first.",
            zh="要素须为 EPSG:4326（WGS84 经纬度）；请先转换到该坐标系。",
        )
    column = name_column_of(features, name_column)
    unknown = [m for m in match_layers if m not in layers]
    if unknown:
        raise ScenarioError(
            f"no layer {', '.join(unknown)} to match; use {sorted(layers)}.",
            zh=f"没有可匹配的图层 {'、'.join(unknown)}；请从 "
            + "、".join(f"{layer_title_zh(n)}（{n}）" for n in sorted(layers))
            + "中选择。",
        )
    places = gansu().places
    candidates = _candidates(layers, match_layers)
    rows: list[dict] = []
    for i, (name, geometry) in enumerate(zip(features[column], features.geometry, strict=True)):
        rows += _rows_for(_user(i + 1, name, geometry, places), candidates, places)
    frame = pd.DataFrame(rows, columns=[*PROPOSAL_COLUMNS, "geometry"])
    frame = _flag_duplicates(frame)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=features.crs)


def _flag_duplicates(frame: pd.DataFrame) -> pd.DataFrame:
    best = frame["status"].eq("best")
    counts = frame.loc[best, "feature_id"].value_counts()
    twice = best & frame["feature_id"].isin(counts[counts > 1].index)
    return frame.assign(status=frame["status"].where(~twice, "duplicate"))
