"""The GeoPackage parts of the workspace file, written with :mod:`sqlite3` (OGC 12-128r18).

A workspace is a GeoPackage 1.4 (``application_id`` ``GPKG``, ``user_version`` 10400) with the
three required metadata tables, ``gpkg_spatial_ref_sys``, ``gpkg_contents`` and
``gpkg_geometry_columns``. Its ``edits`` table is a features table (geometry column
``geometry``, type GEOMETRY, EPSG:4326) whose geometries are stored as GeoPackage binary: the
``GP`` header with the SRS id and the xy envelope, then ISO WKB. The other tables are
registered as ``attributes`` tables. QGIS and GDAL open the file as they open any GeoPackage.
"""

from __future__ import annotations

import sqlite3
import struct

import shapely
from shapely.geometry.base import BaseGeometry

from longtu.errors import WorkspaceError

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10400  # GeoPackage 1.4.0
WGS84_SRS_ID = 4326
WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AUTHORITY["EPSG","4326"]]'
)
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}

CORE_DDL = (
    """CREATE TABLE gpkg_spatial_ref_sys (
        srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)""",
    """CREATE TABLE gpkg_contents (
        table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
        description TEXT DEFAULT '',
        last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE gpkg_geometry_columns (
        table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT uk_gc_table_name UNIQUE (table_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
)
SPATIAL_REF_ROWS = (
    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinates"),
    ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinates"),
    ("WGS 84 geodetic", WGS84_SRS_ID, "EPSG", 4326, WGS84_WKT, "longitude/latitude, WGS84"),
)


def create_core_tables(conn: sqlite3.Connection) -> None:
    """Write the GeoPackage header values and the three required metadata tables."""
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {USER_VERSION}")
    for statement in CORE_DDL:
        conn.execute(statement)
    conn.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", SPATIAL_REF_ROWS)


def register_table(
    conn: sqlite3.Connection, table: str, description: str, *, geometry_column: str = ""
) -> None:
    """List `table` in ``gpkg_contents`` (and its geometry column, if it has one)."""
    kind = "features" if geometry_column else "attributes"
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
        "VALUES (?, ?, ?, ?, ?)",
        (table, kind, table, description, WGS84_SRS_ID if geometry_column else None),
    )
    if geometry_column:
        conn.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, ?, 'GEOMETRY', ?, 0, 0)",
            (table, geometry_column, WGS84_SRS_ID),
        )


def geometry_to_blob(geometry: BaseGeometry | None, srs_id: int = WGS84_SRS_ID) -> bytes | None:
    """A geometry as GeoPackage binary (little-endian, xy envelope); None stays None.

    Examples
    --------
    >>> blob = geometry_to_blob(shapely.Point(103.8, 36.1))
    >>> blob[:2], blob[3], len(blob)
    (b'GP', 3, 61)
    >>> blob_to_geometry(blob).wkt
    'POINT (103.8 36.1)'
    """
    if geometry is None:
        return None
    if geometry.is_empty:
        header = b"GP" + bytes([0, 0b10001]) + struct.pack("<i", srs_id)
        return header + shapely.to_wkb(geometry, byte_order=1, output_dimension=2)
    minx, miny, maxx, maxy = geometry.bounds
    header = b"GP" + bytes([0, 0b00011]) + struct.pack("<i4d", srs_id, minx, maxx, miny, maxy)
    return header + shapely.to_wkb(geometry, byte_order=1, output_dimension=2)


def blob_to_geometry(blob: bytes | None) -> BaseGeometry | None:
    """The geometry of a GeoPackage binary blob (None for NULL).

    Raises
    ------
    WorkspaceError
        If the blob does not start with the GeoPackage ``GP`` magic or has an unknown envelope
        (a damaged workspace; a :class:`ValueError` too).
    """
    if blob is None:
        return None
    if blob[:2] != b"GP":
        raise WorkspaceError(
            "not a GeoPackage geometry blob (no `GP` magic)",
            zh="工作区中有一个几何对象已损坏（不是 GeoPackage 几何）；请从备份恢复工作区文件。",
        )
    envelope = _ENVELOPE_BYTES.get((blob[3] >> 1) & 0b111)
    if envelope is None:
        raise WorkspaceError(
            "GeoPackage geometry blob with an unknown envelope code",
            zh="工作区中有一个几何对象已损坏（外包框代码未知）；请从备份恢复工作区文件。",
        )
    return shapely.from_wkb(bytes(blob[8 + envelope :]))
