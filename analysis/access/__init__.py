"""Transport access of parks and sites: network distances and travel times (OSM).

Modules
-------
reader
    One pass of pyosmium over a user's ``.osm.pbf``: roads, railways, stations, interchanges,
    airports; ways with missing nodes dropped and counted.
network
    :class:`AccessNetwork`: the routable road graph (NetworkX on demand) with its targets.
cache
    :func:`load_network`: the network of an extract, cached as a GeoPackage in the data folder.
online
    :func:`network_from_overpass`: the network fetched with OSMnx (an option, never the default).
targets
    What ships: Gansu's airports (``airportsdata``), prefecture and county seats.
routing
    :class:`Router`: snapping, one multi-source Dijkstra per target kind, isochrones.
run
    :func:`access`: the analysis (an :class:`~longtu.analysis.result.AnalysisResult`).
"""

from longtu.analysis.access.cache import load_network
from longtu.analysis.access.network import AccessNetwork, transport_lines
from longtu.analysis.access.routing import Router
from longtu.analysis.access.run import (
    ACCESS_LAYERS,
    ESTIMATE,
    KINDS,
    NETWORK,
    access,
    site_access,
)
from longtu.analysis.access.targets import gansu_airports

__all__ = [
    "ACCESS_LAYERS",
    "ESTIMATE",
    "KINDS",
    "NETWORK",
    "AccessNetwork",
    "Router",
    "access",
    "gansu_airports",
    "load_network",
    "site_access",
    "transport_lines",
]
