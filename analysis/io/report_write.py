"""Writing report tables as GeoPackage layers and CSV files with the standard library alone.

A conflict report is small (a row per feature and constraint layer), but writing it through
GDAL means importing pyogrio, which imports pandas and geopandas: most of a short command-line
run. :func:`write_gpkg` writes an OGC GeoPackage 1.3 with :mod:`sqlite3` (the core tables,
EPSG:4326, one feature table per layer, standard GeoPackage geometry blobs; no spatial index,
which report layers of a few thousand rows do not need); :func:`write_csv` writes UTF-8 CSV with
a byte-order mark, which Excel opens with Chinese text intact. Both take plain columns
(name -> NumPy array), as :class:`longtu.analysis.constraints.table.Table` holds them.
"""

from __future__ import annotations

import csv
import math
import sqlite3
import struct
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS

SRS_ID = 4326
"""Every layer is written in EPSG:4326 (WGS84 longitude/latitude)."""

_APPLICATION_ID = 0x47504B47  # "GPKG"
# Magic, version 0, flags (bit 0 little-endian; bits 1-3 envelope code; bit 4 empty), SRS id.
_HEADER_XY = b"GP\x00" + bytes([0b0000_0011]) + struct.pack("<i", SRS_ID)
_HEADER_EMPTY = b"GP\x00" + bytes([0b0001_0001]) + struct.pack("<i", SRS_ID)
_USER_VERSION = 10300  # GeoPackage 1.3
_MULTI = {
    "Point": ("MultiPoint", shapely.multipoints),
    "LineString": ("MultiLineString", shapely.multilinestrings),
    "Polygon": ("MultiPolygon", shapely.multipolygons),
}
_CORE_TABLES = """
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
"""


def write_gpkg(
    path: str | Path, layers: Sequence[tuple[str, Mapping[str, np.ndarray], np.ndarray]]
) -> Path:
    """Write layers ``(name, columns, geometry)`` to a new GeoPackage at `path`.

    `columns` maps column names to equal-length arrays (numbers, booleans, text; None and NaN
    become NULL) and `geometry` holds a shapely geometry (EPSG:4326) or None per row. Single
    geometries are written as their multi type (as ``promote_to_multi`` in GDAL), so a layer of
    polygons and multipolygons is one MULTIPOLYGON layer; mixed kinds make a GEOMETRY layer.
    An existing file at `path` is replaced.

    Examples
    --------
    >>> import tempfile, pyogrio
    >>> path = f"{tempfile.mkdtemp()}/r.gpkg"
    >>> columns = {"name": np.array(["兰州", None], dtype=object), "km2": np.array([1.5, np.nan])}
    >>> _ = write_gpkg(path, [("t", columns, np.array([shapely.box(103, 36, 104, 37), None]))])
    >>> frame = pyogrio.read_dataframe(path)
    >>> frame["name"].iloc[0], frame["km2"].isna().tolist(), frame.crs.to_epsg()
    ('兰州', [False, True], 4326)
    >>> frame.geometry.iloc[0].geom_type, frame.geometry.iloc[1] is None
    ('MultiPolygon', True)
    """
    path = Path(path)
    if len({name for name, _, _ in layers}) != len(layers):
        raise ValueError("`layers` must have distinct names.")
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {_USER_VERSION}")
            connection.executescript(_CORE_TABLES)
            connection.executemany(
                "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", _srs_rows()
            )
            for name, columns, geometry in layers:
                _write_layer(connection, name, columns, geometry)
    finally:
        connection.close()
    return path


def write_csv(path: str | Path, columns: Mapping[str, Sequence]) -> Path:
    """Write columns as a UTF-8 CSV with a byte-order mark (NULL and NaN as empty cells).

    Examples
    --------
    >>> import tempfile
    >>> path = write_csv(f"{tempfile.mkdtemp()}/t.csv", {"a": [1, 2], "b": ["甲", None]})
    >>> path.read_text(encoding="utf-8-sig").splitlines()
    ['a,b', '1,甲', '2,']
    """
    path = Path(path)
    names = list(columns)
    rows = zip(*(_cells(columns[name]) for name in names), strict=True)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
    return path


def _cells(values: Sequence) -> list:
    return ["" if _is_null(v) else v for v in np.asarray(values, dtype=object).tolist()]


def _is_null(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _srs_rows() -> list[tuple]:
    wgs84 = CRS.from_epsg(SRS_ID).to_wkt("WKT1_GDAL")
    return [
        ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian SRS"),
        ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic SRS"),
        ("WGS 84 geodetic", SRS_ID, "EPSG", SRS_ID, wgs84, "longitude/latitude coordinates"),
    ]


def _write_layer(connection, name: str, columns: Mapping[str, np.ndarray], geometry) -> None:
    geometry = _promoted(np.asarray(geometry, dtype=object))
    if any(len(values) != len(geometry) for values in columns.values()):
        raise ValueError(f"Layer `{name}`: every column needs one value per geometry.")
    if "fid" in columns or "geom" in columns:
        raise ValueError(f"Layer `{name}`: `fid` and `geom` are reserved column names.")
    kinds = {column: _sql_type(values) for column, values in columns.items()}
    fields = "".join(f", {_quote(c)} {kind}" for c, kind in kinds.items())
    connection.execute(
        f"CREATE TABLE {_quote(name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
        f"geom {_geometry_type(geometry)}{fields})"
    )
    cells = [_values(values, kinds[c]) for c, values in columns.items()]
    blobs = _blobs(geometry)
    marks = ", ".join("?" * (len(columns) + 1))
    connection.executemany(
        f"INSERT INTO {_quote(name)} (geom{''.join(', ' + _quote(c) for c in columns)}) "
        f"VALUES ({marks})",
        zip(blobs, *cells, strict=True),
    )
    present = geometry[~(shapely.is_missing(geometry) | shapely.is_empty(geometry))]
    bounds = shapely.total_bounds(present).tolist() if len(present) else [None] * 4
    connection.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, "
        "max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?)",
        (name, name, *bounds, SRS_ID),
    )
    connection.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
        (name, _geometry_type(geometry), SRS_ID),
    )


def _promoted(geometry: np.ndarray) -> np.ndarray:
    """Single points, lines and polygons as their one-part multi geometries."""
    geometry = geometry.copy()
    kinds = shapely.get_type_id(geometry)
    for single, (_, build) in _MULTI.items():
        where = np.flatnonzero(kinds == shapely.GeometryType[single.upper()])
        if len(where):
            geometry[where] = build(geometry[where], indices=np.arange(len(where)))
    return geometry


def _geometry_type(geometry: np.ndarray) -> str:
    present = geometry[~shapely.is_missing(geometry)]
    kinds = {kind for kind in shapely.get_type_id(present).tolist()}
    names = {shapely.GeometryType(kind).name for kind in kinds}
    if len(names) == 1 and next(iter(names)) in ("MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON"):
        return next(iter(names))
    return "GEOMETRY"


def _blobs(geometry: np.ndarray) -> list[bytes | None]:
    """GeoPackage geometry blobs: the "GP" header (little-endian, xy envelope) and ISO WKB."""
    missing = shapely.is_missing(geometry)
    empty = ~missing & shapely.is_empty(geometry)
    wkb = shapely.to_wkb(geometry, byte_order=1, flavor="iso", output_dimension=2)
    bounds = shapely.bounds(geometry)
    blobs: list[bytes | None] = []
    for i, body in enumerate(wkb.tolist()):
        if missing[i]:
            blobs.append(None)
        elif empty[i]:
            blobs.append(_HEADER_EMPTY + body)
        else:
            west, south, east, north = bounds[i]
            envelope = struct.pack("<4d", west, east, south, north)
            blobs.append(_HEADER_XY + envelope + body)
    return blobs


def _sql_type(values: np.ndarray) -> str:
    values = np.asarray(values)
    if values.dtype.kind == "b":
        return "BOOLEAN"
    if values.dtype.kind in "iu":
        return "INTEGER"
    if values.dtype.kind == "f":
        return "REAL"
    return "TEXT"


def _values(values: np.ndarray, kind: str) -> list:
    if kind == "BOOLEAN":
        return [int(v) for v in np.asarray(values).tolist()]
    if kind in ("INTEGER", "REAL"):
        return [None if _is_null(v) else v for v in np.asarray(values).tolist()]
    return [None if _is_null(v) else str(v) for v in np.asarray(values, dtype=object).tolist()]


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'
