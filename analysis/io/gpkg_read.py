"""A lean, read-only GeoPackage geometry reader: SQLite and shapely, no GDAL, no pandas.

``longtu constraints check`` reads the geometries of plain GeoPackages with it while pandas,
geopandas and GDAL load on another thread (their import is most of a short run's time). It
reads only the simple, common case and says so by returning None for anything else: more or
fewer than one feature layer, a layer not named in ``gpkg_contents``, GeoPackage extended
geometry types, a CRS other than EPSG:4326, or anything SQLite refuses. The caller then reads
the file the ordinary way (:func:`longtu.analysis.io.vector.read_vector_file`), so the checks and
messages are the same.

The file is opened read-only and immutable, with ``trusted_schema`` off, and only ``SELECT``
statements on the GeoPackage's own tables run, so nothing in the file is executed. File-size
limits are checked by the caller before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

_ENVELOPE_BYTES = (0, 32, 48, 48, 64)
"""Bytes of the envelope for the GeoPackage header's envelope codes 0-4."""


@dataclass
class GpkgGeometries:
    """Geometries of one GeoPackage layer, in feature-id order.

    Attributes
    ----------
    geometry : numpy.ndarray
        shapely geometries (None where the geometry is NULL).
    fids : numpy.ndarray
        Feature ids, ascending.
    layer : str
        The layer (table) read.
    columns : dict
        Every attribute column of the layer -> its declared SQLite type (upper case).
    attributes : dict
        The columns asked for (those present) -> object array of their values.
    """

    geometry: np.ndarray
    fids: np.ndarray
    layer: str
    columns: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, np.ndarray] = field(default_factory=dict)


def read_gpkg_geometries(
    path: str | Path, *, layer: str | None = None, columns: Sequence[str] = ()
) -> GpkgGeometries | None:
    """Geometries of a single-layer EPSG:4326 GeoPackage, or None when not that simple case.

    The attribute `columns` asked for are read too, those the layer has (others are ignored).

    Examples
    --------
    >>> import tempfile, geopandas as gpd
    >>> path = f"{tempfile.mkdtemp()}/a.gpkg"
    >>> gpd.GeoDataFrame(geometry=[shapely.box(103, 36, 104, 37)], crs=4326).to_file(path)
    >>> read = read_gpkg_geometries(path)
    >>> read.fids.tolist(), float(shapely.area(read.geometry[0]))
    ([1], 1.0)
    """
    try:
        uri = Path(path).resolve().as_uri().replace("file://", "file:", 1)
        connection = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)
    except (sqlite3.Error, ValueError):
        return None
    try:
        connection.execute("PRAGMA trusted_schema = OFF")
        return _read(connection, layer, columns)
    except (sqlite3.Error, ValueError, shapely.errors.GEOSException):
        return None
    finally:
        connection.close()


def split_layer(raw: str) -> tuple[str, str | None]:
    """``"FILE.gpkg:LAYER"`` -> ``("FILE.gpkg", "LAYER")``; anything else -> ``(raw, None)``.

    Examples
    --------
    >>> split_layer("zones.gpkg:red"), split_layer("C:/data/zones.geojson")
    (('zones.gpkg', 'red'), ('C:/data/zones.geojson', None))
    """
    head, sep, tail = raw.rpartition(":")
    if sep and head.lower().endswith(".gpkg") and tail:
        return head, tail
    return raw, None


def _read(
    connection: sqlite3.Connection, layer: str | None, asked: Sequence[str]
) -> GpkgGeometries | None:
    found = connection.execute(
        "SELECT g.table_name, g.column_name, s.organization, s.organization_coordsys_id "
        "FROM gpkg_geometry_columns g JOIN gpkg_contents c ON c.table_name = g.table_name "
        "JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id WHERE c.data_type = 'features'"
    ).fetchall()
    if layer is not None:
        found = [row for row in found if row[0] == layer]
    elif connection.execute("SELECT count(*) FROM gpkg_contents").fetchone()[0] != 1:
        return None  # several tables: the ordinary reader asks which one
    if len(found) != 1:
        return None
    table, column, organization, code = found[0]
    if str(organization).upper() != "EPSG" or code != 4326:
        return None
    fid = _primary_key(connection, table)
    if fid is None:
        return None
    declared = {
        row[1]: str(row[2]).upper()
        for row in connection.execute("SELECT * FROM pragma_table_info(?)", (table,))
        if row[1] not in (fid, column)
    }
    wanted = [name for name in dict.fromkeys(asked) if name in declared]
    quoted_table, quoted_geom, quoted_fid = (_quote(n) for n in (table, column, fid))
    fids = _fids(connection, quoted_table, quoted_fid)
    heads = connection.execute(
        f"SELECT DISTINCT substr({quoted_geom}, 1, 4) FROM {quoted_table} "
        f"WHERE {quoted_geom} IS NOT NULL"
    ).fetchall()
    starts = {head: _wkb_offset(head) for (head,) in heads}
    if None in starts.values():
        return None  # a header this reader does not handle
    order = f"FROM {quoted_table} ORDER BY {quoted_fid}"
    if len(starts) <= 1:  # one header for all (the usual case): SQLite strips it
        start = next(iter(starts.values()), 8)
        wkb = [
            row[0]
            for row in connection.execute(f"SELECT substr({quoted_geom}, {start + 1}) {order}")
        ]
    else:  # e.g. points (no envelope) and polygons in one layer
        blobs = [row[0] for row in connection.execute(f"SELECT {quoted_geom} {order}")]
        wkb = [None if b is None else b[starts[b[:4]] :] for b in blobs]
    attributes = _attributes(connection, wanted, order)
    if len(wkb) != len(fids) or any(len(v) != len(fids) for v in attributes.values()):
        return None
    geometry = shapely.from_wkb(np.array(wkb, dtype=object))
    return GpkgGeometries(geometry, fids, table, declared, attributes)


def _attributes(connection: sqlite3.Connection, names: list[str], order: str) -> dict:
    if not names:
        return {}
    rows = connection.execute(f"SELECT {', '.join(map(_quote, names))} {order}").fetchall()
    values = np.empty((len(rows), len(names)), dtype=object)
    values[:] = rows if rows else values
    return {name: values[:, i] for i, name in enumerate(names)}


def _fids(connection: sqlite3.Connection, table: str, fid: str) -> np.ndarray:
    """The feature ids in ascending order (without a Python object each when consecutive)."""
    count, low, high = connection.execute(
        f"SELECT count(*), min({fid}), max({fid}) FROM {table}"
    ).fetchone()
    if count and high - low + 1 == count:
        return np.arange(low, high + 1, dtype=np.int64)
    rows = connection.execute(f"SELECT {fid} FROM {table} ORDER BY {fid}").fetchall()
    return np.array([row[0] for row in rows], dtype=np.int64)


def _primary_key(connection: sqlite3.Connection, table: str) -> str | None:
    """The table's integer primary key, when it is a real table (not a view) with one."""
    kind = connection.execute(
        "SELECT type FROM sqlite_master WHERE name = ? AND type = 'table'", (table,)
    ).fetchone()
    if kind is None:
        return None
    keys = [
        row[1]
        for row in connection.execute("SELECT * FROM pragma_table_info(?)", (table,))
        if row[5] and str(row[2]).upper() == "INTEGER"
    ]
    return keys[0] if len(keys) == 1 else None


def _wkb_offset(head: bytes) -> int | None:
    """Where the WKB starts after a blob's 4 first bytes; None for what is not handled here."""
    if not isinstance(head, bytes) or len(head) < 4 or head[:2] != b"GP" or head[2] != 0:
        return None
    flags = head[3]
    envelope = (flags >> 1) & 7
    if flags & 0b0010_0000 or envelope >= len(_ENVELOPE_BYTES):
        return None  # extended geometry types, or an envelope code the standard does not define
    return 8 + _ENVELOPE_BYTES[envelope]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
