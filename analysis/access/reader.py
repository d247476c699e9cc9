"""Reading an OpenStreetMap extract (``.osm.pbf`` or ``.osm`` XML) with pyosmium.

One pass over the file keeps what transport access needs and nothing else (libosmium's key
filter hands only objects tagged ``highway``, ``railway`` or ``aeroway`` to Python; the node
locations of every way are still stored):

- roads (``highway`` of the classes in :data:`ROAD_SPEEDS_KMH`), each way as its node ids and
  coordinates;
- railways (``railway=rail`` and ``narrow_gauge``), as lines;
- targets: railway stations, halts and freight yards (not metro or tram stations), motorway
  junctions (interchanges) and aerodromes with an ICAO or IATA code.

A way that refers to a node the extract does not hold (a way clipped at the extract's border)
is dropped and counted, never fatal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import osmium

from longtu.errors import InputFileError

ROAD_SPEEDS_KMH: dict[str, float] = {
    "motorway": 100.0,
    "motorway_link": 60.0,
    "trunk": 80.0,
    "trunk_link": 50.0,
    "primary": 60.0,
    "primary_link": 40.0,
    "secondary": 50.0,
    "secondary_link": 40.0,
    "tertiary": 40.0,
    "tertiary_link": 30.0,
    "unclassified": 30.0,
    "residential": 25.0,
    "living_street": 10.0,
    "service": 20.0,
    "road": 30.0,
    "track": 15.0,
}
"""Travel speed by road class (our defaults, km/h), inside the design speeds of China's highway
standard JTG B01-2014 (expressway 80-120, class I 60-100, class II 60-80, class III 30-40,
class IV 20-30 km/h); tracks reach desert energy sites at a walking-pace-plus 15 km/h."""

RAIL_CLASSES = ("rail", "narrow_gauge")
STATION_VALUES = ("station", "halt", "yard")
NOT_MAINLINE = ("subway", "light_rail", "tram", "monorail", "funicular", "miniature")


@dataclass
class OsmContent:
    """What one pass over an OSM file found.

    Attributes
    ----------
    roads : list of tuple
        ``(node_ids, lon, lat, highway)`` per complete road way (NumPy arrays).
    railways : list of numpy.ndarray
        ``(n, 2)`` lon/lat arrays, one per complete railway way.
    targets : list of tuple
        ``(kind, osm_id, name, lon, lat)`` with kind ``station``, ``interchange`` or ``airport``.
    n_ways_dropped : int
        Road and railway ways left out because a node of theirs is not in the file.
    """

    roads: list[tuple[np.ndarray, np.ndarray, np.ndarray, str]] = field(default_factory=list)
    railways: list[np.ndarray] = field(default_factory=list)
    targets: list[tuple[str, int, str, float, float]] = field(default_factory=list)
    n_ways_dropped: int = 0


def _name(tags: Mapping[str, str] | osmium.osm.TagList) -> str:
    return str(tags.get("name:zh") or tags.get("name") or tags.get("name:en") or "")


def target_kind(tags: Mapping[str, str] | osmium.osm.TagList) -> str | None:
    """``station``, ``interchange``, ``airport`` or None for the tags of a node or a way."""
    railway = tags.get("railway")
    if railway in STATION_VALUES:
        if tags.get("station") in NOT_MAINLINE or tags.get("subway") == "yes":
            return None
        return "station"
    if tags.get("highway") == "motorway_junction":
        return "interchange"
    if tags.get("aeroway") == "aerodrome" and (tags.get("icao") or tags.get("iata")):
        return "airport"
    return None


class _Handler(osmium.SimpleHandler):
    """Collects roads, railways and targets; counts ways with missing nodes."""

    def __init__(self) -> None:
        super().__init__()
        self.content = OsmContent()

    def node(self, n: osmium.osm.Node) -> None:
        location = n.location
        if not location.valid():
            return
        kind = target_kind(n.tags)
        if kind is not None:
            self.content.targets.append((kind, n.id, _name(n.tags), location.lon, location.lat))

    def way(self, w: osmium.osm.Way) -> None:
        tags = w.tags
        highway = tags.get("highway")
        is_road = highway in ROAD_SPEEDS_KMH
        is_rail = tags.get("railway") in RAIL_CLASSES
        kind = target_kind(tags)
        if not (is_road or is_rail or kind):
            return
        nodes = w.nodes
        if not all(ref.location.valid() for ref in nodes) or len(nodes) < 1:
            if is_road or is_rail:
                self.content.n_ways_dropped += 1
            return
        lon = np.fromiter((ref.location.lon for ref in nodes), float, len(nodes))
        lat = np.fromiter((ref.location.lat for ref in nodes), float, len(nodes))
        if kind is not None:
            self.content.targets.append((kind, w.id, _name(tags), lon.mean(), lat.mean()))
        if len(nodes) < 2:
            return
        if is_road:
            ids = np.fromiter((ref.ref for ref in nodes), np.int64, len(nodes))
            self.content.roads.append((ids, lon, lat, str(highway)))
        elif is_rail:
            self.content.railways.append(np.column_stack([lon, lat]))


def read_osm(path: str | Path) -> OsmContent:
    """Roads, railways and targets of an OSM file (``.osm.pbf``, ``.osm``, ``.osm.bz2``).

    Parameters
    ----------
    path
        The extract.

    Returns
    -------
    OsmContent

    Raises
    ------
    InputFileError
        The file is missing, not OSM data, or damaged (a truncated download).

    Examples
    --------
    >>> from longtu.analysis.access.reader import read_osm
    >>> read_osm("no_such_file.osm.pbf")
    Traceback (most recent call last):
    ...
    longtu.errors.InputFileError: no_such_file.osm.pbf: no such file; give the path of ...
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(
            f"{path.name}: no such file; give the path of an OpenStreetMap extract (.osm.pbf).",
            zh=f"{path.name}：文件不存在；请给出 OpenStreetMap 路网数据（.osm.pbf）的路径。",
        )
    _check_looks_like_osm(path)
    handler = _Handler()
    try:
        handler.apply_file(
            str(path),
            locations=True,
            idx="flex_mem",
            filters=[osmium.filter.KeyFilter("highway", "railway", "aeroway")],
        )
    except RuntimeError as exc:
        raise InputFileError(
            f"{path.name}: not a readable OpenStreetMap extract (libosmium said: {_reason(exc)}); "
            "download the extract again (.osm.pbf, e.g. the Gansu extract of an OSM mirror).",
            zh=f"{path.name} 不是可读的 OpenStreetMap 路网数据（文件已损坏，可能下载不完整）；"
            "请重新下载（.osm.pbf，如 OSM 镜像站的甘肃数据）。",
        ) from exc
    return handler.content


def _check_looks_like_osm(path: Path) -> None:
    """Refuse a file whose first bytes are neither a PBF header nor OSM XML (or bzip2)."""
    with path.open("rb") as stream:
        head = stream.read(64)
    if b"OSMHeader" in head[:24] or head.startswith(b"BZh"):
        return
    if b"<?xml" in head or b"<osm" in head:
        return
    raise InputFileError(
        f"{path.name}: not an OpenStreetMap extract (no PBF header or OSM XML at its start); "
        "give a .osm.pbf or .osm file.",
        zh=f"{path.name} 不是 OpenStreetMap 路网数据（文件开头既无 PBF 头也无 OSM XML）；"
        "请改用 .osm.pbf 或 .osm 文件。",
    )


def _reason(exc: Exception) -> str:
    """The first line of a libosmium error, without the library's prefix."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text.replace("PBF error: ", "damaged PBF: ")
