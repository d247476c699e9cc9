"""Loading a user's OSM extract as an :class:`AccessNetwork`, cached in the data folder.

The first run reads the extract (seconds to minutes for a province); the graph is then written
as a GeoPackage (layers ``nodes`` (points), ``edges`` (a table of node positions, length,
time and class), ``targets``, ``railways``) with a small JSON of
counts in ``<data folder>/access_cache/``, named by the file's size, modification time and a
BLAKE2 hash of its bytes, so that the next run with the same file reads the graph back and an
edited or replaced file is read afresh.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from longtu import settings
from longtu.analysis.access.network import AccessNetwork, check_overlap, network_from_content
from longtu.analysis.access.reader import read_osm

CACHE_VERSION = 1
"""Bumped when the cached layout changes, so old caches are not read."""


def cache_key(path: Path) -> str:
    """``<size>-<mtime ns>-<blake2b of the bytes, 16 hex>`` of the file at `path`."""
    stat = path.stat()
    digest = hashlib.blake2b(digest_size=8)
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return f"v{CACHE_VERSION}-{stat.st_size}-{stat.st_mtime_ns}-{digest.hexdigest()}"


def cache_folder() -> Path:
    """Where cached networks are kept: ``<settings.data_folder>/access_cache``."""
    return Path(settings.data_folder) / "access_cache"


def load_network(
    path: str | Path,
    *,
    region_bounds: tuple[float, float, float, float] | Literal["gansu"] | None = "gansu",
    use_cache: bool = True,
) -> AccessNetwork:
    """The road network of the OSM extract at `path`, from the cache when it is there.

    Parameters
    ----------
    path
        An ``.osm.pbf`` (or ``.osm`` XML) extract.
    region_bounds
        (west, south, east, north) the extract must overlap; ``"gansu"`` (the default) for
        :data:`longtu.settings.gansu_bounds` as it is when called, None to accept any region
        (tests on extracts elsewhere).
    use_cache
        Read and write the cache in :func:`cache_folder`.

    Returns
    -------
    AccessNetwork

    Raises
    ------
    InputFileError
        Not OSM, damaged, no roads, or no overlap with `region_bounds`.
    """
    path = Path(path)
    target = None
    if use_cache and path.is_file():
        target = cache_folder() / f"{cache_key(path)}.gpkg"
        if target.is_file() and target.with_suffix(".json").is_file():
            network = read_cached(target)
            _check(network, region_bounds, path.name)
            return network
    network = network_from_content(read_osm(path), source=path.name)
    _check(network, region_bounds, path.name)
    if target is not None:
        write_cached(network, target)
    return network


def _check(network: AccessNetwork, bounds: tuple | str | None, name: str) -> None:
    if bounds == "gansu":
        bounds = settings.gansu_bounds
    if isinstance(bounds, tuple):
        check_overlap(network, bounds, name=name)


def write_cached(network: AccessNetwork, target: Path) -> None:
    """Write `network` as a GeoPackage at `target` and its counts beside it (``.json``)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.stem + ".partial.gpkg")
    partial.unlink(missing_ok=True)
    crs = settings.storage_crs
    nodes = gpd.GeoDataFrame(
        {"node_id": network.node_id}, geometry=gpd.points_from_xy(network.lon, network.lat), crs=crs
    )
    edges = pd.DataFrame(  # a table without geometry: four times faster to write than lines
        {
            "u": network.edge_u,
            "v": network.edge_v,
            "length_m": network.length_m,
            "travel_time_s": network.travel_time_s,
            "highway": network.highway.astype(str),
        }
    )
    for layer, frame in (
        ("nodes", nodes),
        ("edges", edges),
        ("targets", network.targets),
        ("railways", network.railways),
    ):
        pyogrio.write_dataframe(frame, partial, layer=layer, promote_to_multi=False)
    about = {"source": network.source, "n_ways_dropped": network.n_ways_dropped}
    target.with_suffix(".json").write_text(json.dumps(about), encoding="utf-8")
    partial.replace(target)


def read_cached(target: Path) -> AccessNetwork:
    """The network written by :func:`write_cached` at `target`."""
    about = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
    nodes = pyogrio.read_dataframe(target, layer="nodes")
    edges = pyogrio.read_dataframe(target, layer="edges", read_geometry=False)
    targets = pyogrio.read_dataframe(target, layer="targets")
    railways = pyogrio.read_dataframe(target, layer="railways")
    return AccessNetwork(
        node_id=nodes["node_id"].to_numpy(np.int64),
        lon=shapely.get_x(nodes.geometry.values),
        lat=shapely.get_y(nodes.geometry.values),
        edge_u=edges["u"].to_numpy(np.int64),
        edge_v=edges["v"].to_numpy(np.int64),
        length_m=edges["length_m"].to_numpy(float),
        travel_time_s=edges["travel_time_s"].to_numpy(float),
        highway=edges["highway"].to_numpy(object),
        targets=gpd.GeoDataFrame(pd.DataFrame(targets), geometry="geometry"),
        railways=railways,
        source=str(about["source"]),
        n_ways_dropped=int(about["n_ways_dropped"]),
    )
