"""Plan layers: the authored tables of ``gis_data/plan`` turned into GeoDataFrames.

Each table row becomes one feature with its geometry fixed by :mod:`longtu.layout.places`, its
citations (``<table>_sources.csv``) attached, and the economic zones it lies in. Problems are
collected across all tables and raised once as :class:`longtu.layout.ValidationError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd
import shapely

from longtu import settings
from longtu.errors import InputFileError
from longtu.layout.places import PLACE_METHODS, PlaceContext, PlaceError, Placement, split_list
from longtu.layout.problems import Problems

SEED_FILE_PATTERN = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
MAX_QUOTE_CHARS = 40
COMMON_COLUMNS = (
    "feature_id",
    "name_zh",
    "name_en",
    "aliases_zh",
    "place_method",
    "place_ref",
    "notes",
)


class PlanTableMissingError(InputFileError, FileNotFoundError):
    """A plan table that is not in the plan folder (also a :class:`FileNotFoundError`)."""


@dataclass(frozen=True)
class TableRules:
    """What one authored table must contain.

    Attributes
    ----------
    shape : {"point", "area"}
        Whether county/prefecture placements become points or polygons.
    prefix : str
        Required ``feature_id`` prefix.
    extra : tuple of str
        Columns beyond :data:`COMMON_COLUMNS`.
    enums : dict
        Column -> allowed values.
    """

    shape: Literal["point", "area"]
    prefix: str
    extra: tuple[str, ...] = ()
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)


TECHNOLOGIES = (
    "wind",
    "pv",
    "csp",
    "wind_solar",
    "nuclear",
    "hydro",
    "pumped_storage",
    "coal_power",
    "gas",
    "biomass",
    "energy_chemicals",
    "other",
)
PARK_KINDS = (
    "new_area",
    "high_tech_zone",
    "etdz",
    "development_zone",
    "industrial_park",
    "industrial_concentration_area",
    "industry_cluster",
    "demonstration_base",
    "science_park",
    "agricultural_science_park",
    "logistics_park",
    "production_base",
    "bonded_zone",
    "other",
)

#: Table name -> rules, in build order (parks before the tables that refer to parks).
TABLES: dict[str, TableRules] = {
    "economic_zones": TableRules(
        "area",
        "zone_",
        ("level", "parent_id", "functions_zh", "lead_industries_zh"),
        {"level": ("zone", "sub_area")},
    ),
    "parks": TableRules(
        "point",
        "park_",
        (
            "level",
            "kind",
            "prefecture_adcode",
            "county_adcode",
            "lead_industries_zh",
            "lead_enterprises_zh",
        ),
        {"level": ("national", "provincial", "other", "unknown"), "kind": PARK_KINDS},
    ),
    "energy_sites": TableRules(
        "point",
        "energy_",
        (
            "technology",
            "capacity_class_zh",
            "capacity_mw_stated",
            "status",
            "prefecture_adcode",
            "county_adcode",
        ),
        {"technology": TECHNOLOGIES, "status": ("existing", "planned", "demonstration", "unknown")},
    ),
    "industrial_bases": TableRules(
        "area",
        "base_",
        ("base_id", "base_name_zh", "base_name_en", "lead_industries_zh", "lead_enterprises_zh"),
    ),
    "industry_chains": TableRules(
        "area",
        "chain_",
        ("document", "chain_group", "scale_class_zh", "industry_zh", "lead_enterprises_zh"),
        {"chain_group": ("circular_economy_003", "priority_371_004", "emerging_000", "other")},
    ),
    "other_features": TableRules(
        "area",
        "entity_",
        ("kind",),
        {
            "kind": (
                "corridor",
                "logistics_hub",
                "innovation_zone",
                "innovation_cluster",
                "demonstration_area",
                "other",
            )
        },
    ),
}
TARGET_COLUMNS = (
    "feature_id",
    "indicator_zh",
    "indicator_en",
    "value",
    "unit",
    "value_si",
    "unit_si",
    "year",
    "kind",
    "scope_zh",
    "scope_adcode",
    "technology",
    "comparator",
    "notes",
)


def read_table(name: str, folder: Path | None = None) -> pd.DataFrame:
    """Read an authored CSV as text (no type guessing: adcodes stay strings).

    Raises
    ------
    PlanTableMissingError
        Naming the missing file (a :class:`FileNotFoundError` too).
    """
    path = Path(folder or settings.plan_folder) / f"{name}.csv"
    if not path.exists():
        raise PlanTableMissingError(
            f"Plan table `{path}` is missing; see gis_data/plan/SCHEMA.md.",
            zh=f"规划文件夹 {path.parent} 中缺少规划表 {path.name}；"
            "请按 gis_data/plan/SCHEMA.md 补上此表。",
        )
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _row_label(table: str, index: int, frame: pd.DataFrame) -> str:
    fid = frame["feature_id"].iloc[index] if "feature_id" in frame else ""
    return f"{index + 2} ({fid})" if fid else str(index + 2)


def _check_columns(
    table: str, frame: pd.DataFrame, required: tuple[str, ...], problems: Problems
) -> bool:
    missing = [c for c in required if c not in frame.columns]
    for col in missing:
        problems.add(f"{table}.csv", "header", col, "required column is missing")
    return not missing


def _check_rows(table: str, frame: pd.DataFrame, rules: TableRules, problems: Problems) -> None:
    for i, row in enumerate(frame.itertuples(index=False)):
        label = _row_label(table, i, frame)
        if not row.feature_id.startswith(rules.prefix):
            problems.add(f"{table}.csv", label, "feature_id", f"must start with `{rules.prefix}`")
        if not row.name_zh.strip():
            problems.add(f"{table}.csv", label, "name_zh", "is empty")
        for col, allowed in rules.enums.items():
            value = getattr(row, col)
            if value not in allowed:
                problems.add(
                    f"{table}.csv", label, col, f"`{value}` is not one of {', '.join(allowed)}"
                )


def read_sources(name: str, folder: Path | None = None, *, problems: Problems) -> pd.DataFrame:
    """Read ``<name>_sources.csv`` and check its form (file name, line number, quote length)."""
    frame = read_table(f"{name}_sources", folder)
    table = f"{name}_sources.csv"
    if not _check_columns(
        name + "_sources", frame, ("feature_id", "seed_file", "line", "quote_zh"), problems
    ):
        return frame.iloc[0:0]
    for i, row in enumerate(frame.itertuples(index=False)):
        if not SEED_FILE_PATTERN.match(row.seed_file):
            problems.add(table, i + 2, "seed_file", f"`{row.seed_file}` is not a seed file name")
        if not row.line.isdigit() or int(row.line) < 1:
            problems.add(table, i + 2, "line", f"`{row.line}` is not a line number")
        if not row.quote_zh or len(row.quote_zh) > MAX_QUOTE_CHARS:
            problems.add(table, i + 2, "quote_zh", f"must be 1-{MAX_QUOTE_CHARS} characters")
    return frame


def _attach_sources(
    frame: pd.DataFrame, sources: pd.DataFrame, table: str, problems: Problems
) -> pd.DataFrame:
    known = set(frame["feature_id"])
    for i, fid in enumerate(sources["feature_id"]):
        if fid not in known:
            problems.add(
                f"{table}_sources.csv", i + 2, "feature_id", f"`{fid}` is not in {table}.csv"
            )
    refs = sources.assign(ref=sources["seed_file"] + ":" + sources["line"]).groupby("feature_id")
    out = frame.copy()
    ref_text = refs["ref"].agg(";".join).to_dict()
    quote_text = refs["quote_zh"].agg(" | ".join).to_dict()
    out["source_refs"] = [ref_text.get(f, "") for f in out["feature_id"]]
    out["source_quotes"] = [quote_text.get(f, "") for f in out["feature_id"]]
    for i, (fid, ref) in enumerate(zip(out["feature_id"], out["source_refs"], strict=True)):
        if not ref:
            problems.add(
                f"{table}.csv",
                _row_label(table, i, out),
                "source_refs",
                f"`{fid}` has no source row",
            )
    return out


def _place_rows(
    table: str,
    frame: pd.DataFrame,
    rules: TableRules,
    context: PlaceContext,
    problems: Problems,
) -> gpd.GeoDataFrame:
    """Place every row; rows that refer to a park come last.

    In ``parks`` itself a park may sit inside another (a sub-park of 兰州新区): the directly
    placed parks are registered with `context` before the rows that refer to them are placed.
    """
    placements: dict[int, Placement] = {}
    refers = frame["place_method"].eq("park").to_numpy()
    for second_pass in (False, True):
        if second_pass and table == "parks":
            done = sorted(placements)
            context.register_parks(_assemble(frame.iloc[done], [placements[i] for i in done]))
        for i in [i for i in range(len(frame)) if refers[i] == second_pass]:
            row = frame.iloc[i]
            try:
                placements[i] = context.place(
                    row["place_method"], row["place_ref"], shape=rules.shape
                )
            except PlaceError as exc:
                problems.add(f"{table}.csv", _row_label(table, i, frame), "place_ref", str(exc))
                placements[i] = context.place("unplaced", "", shape=rules.shape)
    return _assemble(frame, [placements[i] for i in range(len(frame))])


def _assemble(frame: pd.DataFrame, placements: list[Placement]) -> gpd.GeoDataFrame:
    records = pd.DataFrame(
        {
            "precision": [p.precision for p in placements],
            "location_basis": [p.location_basis for p in placements],
            "county_adcodes": [";".join(p.county_adcodes) for p in placements],
            "prefecture_adcodes": [";".join(p.prefecture_adcodes) for p in placements],
        }
    )
    placed = pd.concat([frame.reset_index(drop=True), records], axis=1)
    return gpd.GeoDataFrame(
        placed, geometry=[p.geometry for p in placements], crs=settings.storage_crs
    )


def build_plan_table(
    name: str, context: PlaceContext, *, folder: Path | None = None, problems: Problems
) -> gpd.GeoDataFrame:
    """Read, check, place and cite one authored table (see :data:`TABLES`)."""
    rules = TABLES[name]
    frame = read_table(name, folder)
    required = COMMON_COLUMNS + rules.extra
    if not _check_columns(name, frame, required, problems):
        # Reported; go on with empty cells so that the other checks still run.
        frame = frame.reindex(
            columns=list(dict.fromkeys([*frame.columns, *required])), fill_value=""
        )
    _check_rows(name, frame, rules, problems)
    frame = _attach_sources(frame, read_sources(name, folder, problems=problems), name, problems)
    return _place_rows(name, frame, rules, context, problems)


def attach_chain_links(
    chains: gpd.GeoDataFrame,
    context: PlaceContext,
    *,
    folder: Path | None = None,
    problems: Problems,
) -> gpd.GeoDataFrame:
    """Add ``park_ids`` (and linked enterprises) to the chains from ``chain_links.csv``."""
    links = read_table("chain_links", folder)
    required = ("chain_id", "member_type", "member_ref", "role_zh", "seed_file", "line")
    if not _check_columns("chain_links", links, required, problems):
        return chains.assign(park_ids="")
    known = set(chains["feature_id"])
    park_ids: dict[str, list[str]] = {}
    for i, row in enumerate(links.itertuples(index=False)):
        if row.chain_id not in known:
            problems.add("chain_links.csv", i + 2, "chain_id", f"`{row.chain_id}` is not a chain")
        if row.member_type == "park":
            if row.member_ref not in context.park_ids:
                problems.add(
                    "chain_links.csv",
                    i + 2,
                    "member_ref",
                    f"no park named `{row.member_ref}` in parks.csv",
                )
                continue
            ids = park_ids.setdefault(row.chain_id, [])
            if context.park_ids[row.member_ref] not in ids:
                ids.append(context.park_ids[row.member_ref])
        elif row.member_type not in ("energy_site", "enterprise"):
            problems.add(
                "chain_links.csv", i + 2, "member_type", "must be park, energy_site or enterprise"
            )
    out = chains.copy()
    out["park_ids"] = out["feature_id"].map(lambda f: ";".join(park_ids.get(f, [])))
    return out


def assign_zones(frame: gpd.GeoDataFrame, zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add ``zone_ids``: the economic zones (level ``zone``) each feature lies in.

    A point lies in the zone that contains it; a line or polygon in every zone holding more than
    1% of its length or area (equal-area CRS).
    """
    if frame.crs != zones.crs:
        raise ValueError("`frame` and `zones` must share a CRS; use `to_crs()` on one of them.")
    top = zones[zones["level"] == "zone"]
    top_ea = top.to_crs(settings.equal_area_crs)
    frame_ea = frame.to_crs(settings.equal_area_crs)
    ids = []
    for geom in frame_ea.geometry:
        if geom is None or geom.is_empty:
            ids.append("")
            continue
        inter = shapely.intersection(top_ea.geometry.values, geom)
        if geom.geom_type in ("Point", "MultiPoint"):
            hit = ~shapely.is_empty(inter)
        else:
            measure = shapely.area if geom.area > 0 else shapely.length
            hit = measure(inter) > 0.01 * measure(geom)
        ids.append(";".join(top["feature_id"].to_numpy()[hit]))
    out = frame.copy()
    out["zone_ids"] = ids
    return out


def build_targets(*, folder: Path | None = None, problems: Problems) -> pd.DataFrame:
    """The targets table (no geometry), with its citations and numeric values checked."""
    frame = read_table("targets", folder)
    if not _check_columns("targets", frame, TARGET_COLUMNS, problems):
        return frame
    for i, row in enumerate(frame.itertuples(index=False)):
        for col in ("value", "value_si"):
            cell = getattr(row, col)
            if cell and not _is_number(cell):
                problems.add(
                    "targets.csv", _row_label("targets", i, frame), col, f"`{cell}` is not a number"
                )
        if row.kind not in ("target", "baseline"):
            problems.add(
                "targets.csv", _row_label("targets", i, frame), "kind", "must be target or baseline"
            )
    frame = _attach_sources(
        frame, read_sources("targets", folder, problems=problems), "targets", problems
    )
    for col in ("value", "value_si"):
        frame[col] = pd.to_numeric(frame[col].replace("", None))
    return frame


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


__all__ = [
    "PLACE_METHODS",
    "TABLES",
    "build_plan_table",
    "build_targets",
    "read_table",
    "split_list",
]
