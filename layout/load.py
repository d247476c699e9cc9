"""One call for any layer: :func:`load_layer`.

The plan layers take seconds to build and validate from the authored tables, so they are
kept on disk in the data folder (:func:`plan_cache_folder`), keyed by the content of the
tables, the package version and the code that builds them (:func:`plan_cache_key`): a fresh
process (the app's server after a restart) reads them instead of building them again, and any
change to the tables builds them anew.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import threading
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from longtu import settings
from longtu.gis_data.build import airport_points
from longtu.layout import base, validate
from longtu.layout.catalog import LAYERS, layer_spec
from longtu.layout.places import PlaceContext
from longtu.layout.plan import (
    TABLES,
    assign_zones,
    attach_chain_links,
    build_plan_table,
    build_targets,
    read_table,
)
from longtu.layout.problems import Problems

_LOCK = threading.Lock()


def _plan_signature(folder: Path) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((p.name, p.stat().st_mtime) for p in folder.glob("*.csv")))


def build_plan_layers(folder: Path | None = None) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """Build and validate every plan layer from the authored tables in `folder`.

    Parameters
    ----------
    folder
        Folder of the authored CSVs; default :data:`longtu.settings.plan_folder`.

    Returns
    -------
    dict
        Layer name -> GeoDataFrame (``targets``: a DataFrame).

    Raises
    ------
    longtu.layout.ValidationError
        Listing every problem found in every table (table, row, field, problem).
    """
    folder = Path(folder or settings.plan_folder)
    problems = Problems()
    counties = base.load_base_vector("counties")
    prefectures = base.load_base_vector("prefectures")
    seats = read_table("county_seats", folder) if (folder / "county_seats.csv").exists() else None
    towns = base.load_base_vector("towns")
    context = PlaceContext(counties, prefectures, towns, seats, airport_points(counties))
    for adcode, problem in context.seat_problems:
        problems.add("county_seats.csv", adcode, "geonames_key", problem)
    layers: dict[str, gpd.GeoDataFrame] = {}
    for name in TABLES:
        layers[name] = build_plan_table(name, context, folder=folder, problems=problems)
        if name == "parks":
            context.register_parks(layers[name])
    layers["industry_chains"] = attach_chain_links(
        layers["industry_chains"], context, folder=folder, problems=problems
    )
    zones = layers["economic_zones"]
    validate.check_zone_partition(zones, base.load_base_vector("province"), problems)
    validate.check_unique_ids(layers, problems)
    for name, frame in layers.items():
        validate.check_crs_and_geometry(name, frame, problems)
        if "county_adcode" in frame.columns:
            validate.check_within_claimed_units(name, frame, counties, prefectures, problems)
        layers[name] = assign_zones(frame, zones)
    out: dict[str, gpd.GeoDataFrame | pd.DataFrame] = dict(layers)
    out["targets"] = build_targets(folder=folder, problems=problems)
    problems.raise_if_any()
    return out


#: Packages whose code builds the plan layers: a change to them builds the layers anew.
_BUILDING_PACKAGES = ("longtu.layout", "longtu.gis_data")


def _code_files() -> list[Path]:
    files: list[Path] = []
    for package in _BUILDING_PACKAGES:
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            files.extend(Path(folder).rglob("*.py"))
    return sorted(files)


def plan_cache_key(folder: Path) -> str:
    """Digest of what the plan layers are built from: tables, base data, version, code.

    The authored tables of `folder` (every CSV, by name and content), the base data's
    manifest in the data folder, the package version and the source of the packages that build
    the layers; two folders of identical tables share a key.
    """
    digest = hashlib.sha256(importlib.metadata.version("longtu").encode())
    manifest = Path(settings.data_folder) / "manifest.json"
    inputs = sorted(Path(folder).glob("*.csv")) + [manifest] * manifest.exists()
    for path in [*inputs, *_code_files()]:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def plan_cache_folder() -> Path:
    """Where built plan layers are kept: ``plan-layers/`` in the data folder."""
    return Path(settings.data_folder) / "plan-layers"


def _read_cached(path: Path) -> dict[str, gpd.GeoDataFrame | pd.DataFrame] | None:
    """The layers kept in folder `path`, or None if there are none (or they are unreadable).

    One GeoParquet (or Parquet) file per layer, in the order ``layers.json`` lists them with
    their CRS as it was given (a GeoParquet file keeps it as PROJJSON): data only, nothing in
    them is run when they are read.
    """
    try:
        order = json.loads((path / "layers.json").read_text(encoding="utf-8"))
        return {name: _read_layer(path / f"{name}.parquet", crs) for name, crs in order}
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _crs_text(layer: gpd.GeoDataFrame | pd.DataFrame) -> str | None:
    """The CRS of a spatial layer as given (e.g. ``EPSG:4326``); None for a plain table."""
    if not isinstance(layer, gpd.GeoDataFrame):
        return None
    return layer.crs.to_string() if layer.crs is not None else ""


def _read_layer(path: Path, crs: str | None) -> gpd.GeoDataFrame | pd.DataFrame:
    """One kept layer, with the CRS it was built with (None: a plain table)."""
    if crs is None:
        return pd.read_parquet(path)
    return gpd.read_parquet(path).set_crs(crs or None, allow_override=True)


def _write_cached(path: Path, layers: dict[str, gpd.GeoDataFrame | pd.DataFrame]) -> None:
    """Keep `layers` in folder `path` (written whole, then moved: a reader never sees half).

    Layers kept for other tables are removed: only the current ones are ever read again.
    """
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for name, layer in layers.items():
        layer.to_parquet(partial / f"{name}.parquet")
    order = [[name, _crs_text(layer)] for name, layer in layers.items()]
    (partial / "layers.json").write_text(json.dumps(order), encoding="utf-8")
    shutil.rmtree(path, ignore_errors=True)
    try:
        partial.rename(path)
    except OSError:  # another process kept the same layers first
        shutil.rmtree(partial, ignore_errors=True)
    for old in path.parent.iterdir():
        if old == path or old.name.endswith(".part"):
            continue
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


@lru_cache(maxsize=4)
def _cached_plan_layers(
    folder: Path, signature: tuple
) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    path = plan_cache_folder() / plan_cache_key(folder)
    layers = _read_cached(path)
    if layers is None:
        layers = build_plan_layers(folder)
        _write_cached(path, layers)
    return layers


def plan_layers() -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """All plan layers, built once per change of the authored tables (kept on disk too).

    See :func:`plan_cache_key` for what a change is.
    """
    folder = Path(settings.plan_folder)
    with _LOCK:
        return _cached_plan_layers(folder, _plan_signature(folder))


def load_layer(name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    """Return layer `name` as a GeoDataFrame in EPSG:4326 (``targets``: a DataFrame).

    Base layers are built from the shipped datasets on first use. Columns are documented in
    :data:`longtu.layout.catalog.LAYERS`. The result is a copy: change it freely.

    Parameters
    ----------
    name
        A name from :data:`longtu.layout.catalog.LAYERS`, e.g. ``"parks"`` or ``"counties"``.

    Raises
    ------
    longtu.layout.LayerNotFoundError
        For an unknown name (the message lists the valid ones).
    longtu.layout.ValidationError
        If the authored plan tables fail validation.

    Examples
    --------
    >>> counties = load_layer("counties")
    >>> len(counties), str(counties.crs)
    (90, 'EPSG:4326')
    """
    spec = layer_spec(name)
    if spec.group == "plan":
        return plan_layers()[name].copy()
    if name == "terrain":
        return base.terrain_cells()
    if name == "land_cover":
        return base.land_cover_polygons()
    return base.load_base_vector(name)


def symbol_points(level: str = "prefecture") -> gpd.GeoDataFrame:
    """Symbol point (seat, else a point inside) of every prefecture or county, for labels.

    Columns ``adcode``, ``name_zh``, ``name_en``, ``basis``; EPSG:4326.
    """
    if level not in ("prefecture", "county"):
        raise ValueError(f"`level` must be 'prefecture' or 'county', got {level!r}.")
    units = base.load_base_vector("prefectures" if level == "prefecture" else "counties")
    folder = Path(settings.plan_folder)
    seats = read_table("county_seats", folder) if (folder / "county_seats.csv").exists() else None
    context = PlaceContext(
        base.load_base_vector("counties"),
        base.load_base_vector("prefectures"),
        base.load_base_vector("towns"),
        seats,
    )
    points = [context.anchors[(level, code)] for code in units["adcode"]]
    basis = [context.anchor_basis[(level, code)] for code in units["adcode"]]
    frame = pd.DataFrame(
        {
            "adcode": units["adcode"],
            "name_zh": units["name_zh"],
            "name_en": units["name_en"],
            "basis": basis,
        }
    )
    return gpd.GeoDataFrame(frame, geometry=points, crs=settings.storage_crs)


def layer_names() -> list[str]:
    """Names of every layer, base layers first."""
    return list(LAYERS)
