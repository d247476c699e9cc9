"""Source data for 陇图 Longtu: authored plan tables and the builders of the base layers.

The base geography (boundaries, rivers, terrain, land cover, context and gazetteer layers) is
derived from datasets that registry packages ship; :func:`build_base_layers` (``longtu build``)
writes it to :data:`longtu.settings.data_folder`. Everything stored is in
:data:`longtu.settings.storage_crs` (WGS84 longitude/latitude).

Public API
----------
build_base_layers, base_layers_are_built
    Build the base layers offline into the data folder; whether they are built.
gcj02_to_wgs84, wgs84_to_gcj02, bd09_to_gcj02, to_wgs84, geometry_gcj02_to_wgs84
    China's shifted datums (GCJ-02, BD-09) to and from WGS84 (:mod:`longtu.gis_data.gcj02`).

The authored plan tables live in ``plan/`` (CSV, schema in ``plan/SCHEMA.md``), each with a
``*_sources.csv`` citing the seed file and line; the MODIS land-cover GeoTIFF in ``modis/``.
"""

from longtu.gis_data.build import base_layers_are_built, build_base_layers
from longtu.gis_data.gcj02 import (
    bd09_to_gcj02,
    gcj02_to_wgs84,
    geometry_gcj02_to_wgs84,
    to_wgs84,
    wgs84_to_gcj02,
)

__all__ = [
    "base_layers_are_built",
    "bd09_to_gcj02",
    "build_base_layers",
    "gcj02_to_wgs84",
    "geometry_gcj02_to_wgs84",
    "to_wgs84",
    "wgs84_to_gcj02",
]
