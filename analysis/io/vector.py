"""Reading constraint layers from untrusted files, safely.

A reviewer's files come from anywhere: GeoPackage, GeoJSON, zipped Shapefile (GBK or UTF-8
attributes), KML/KMZ, FlatGeobuf or a GeoTIFF mask. Each file is checked before it is read: its
size, and for an archive the declared uncompressed size, the number of entries and every entry's
path (absolute paths, ``..`` and symbolic links are refused) — all before anything is unpacked,
and archives are unpacked only into a :class:`tempfile.TemporaryDirectory` that is deleted after
reading. Nothing in a file is ever executed. Vector files are read with pyogrio (through Arrow).
Every problem raises :class:`ConstraintFileError`, whose message names the file;
:func:`read_constraint_layers` collects those problems in a table and still returns the layers
that read well.

This module does the file I/O for :mod:`longtu.analysis.constraints.check`, which stays pure.
"""

from __future__ import annotations

import codecs
import stat
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely
from pyproj import CRS

from longtu import settings
from longtu.analysis.constraints.builtin_layers import polygons_from_mask
from longtu.analysis.constraints.check import (
    ConstraintLayer,
    degree_range_problem,
    province_overlap_warning,
)
from longtu.analysis.constraints.overlay import repair
from longtu.analysis.io.tables import check_file_size
from longtu.errors import ConstraintFileError

GEOJSON_CRS = "EPSG:4326"
"""CRS of a GeoJSON file without a ``crs`` member: WGS84 lon/lat by RFC 7946, not a setting."""
DEFAULT_MAX_BYTES = 200 * 1024**2
"""Largest file accepted, and largest total an archive may unpack to (200 MiB)."""
DEFAULT_MAX_FILES = 200
"""Most entries an archive may hold."""
DEFAULT_MAX_PIXELS = 50_000_000
"""Largest GeoTIFF mask accepted, in pixels."""

VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".kml", ".fgb")
RASTER_SUFFIXES = (".tif", ".tiff")
ARCHIVE_SUFFIXES = (".zip", ".kmz")
_CPG_ALIASES = {"936": "GBK", "CP936": "GBK", "GB2312": "GB18030", "65001": "UTF-8"}
_CHUNK = 1024 * 1024


Reader = Callable[..., tuple[gpd.GeoDataFrame, dict[str, object]]]
"""``reader(path, layer=None) -> (frame, report)``, as :func:`read_vector_file`."""


def read_vector_file(
    path: str | Path,
    *,
    layer: str | None = None,
    crs: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_files: int = DEFAULT_MAX_FILES,
) -> tuple[gpd.GeoDataFrame, dict[str, object]]:
    """Read one spatial file safely into EPSG:4326, repairing invalid geometry.

    Parameters
    ----------
    path
        GeoPackage, GeoJSON, Shapefile (``.shp`` or zipped), KML/KMZ, FlatGeobuf or GeoTIFF mask
        (nonzero pixels become polygons).
    layer
        Layer to read from a file with several (GeoPackage); required only then.
    crs
        CRS to assume when the file declares none (e.g. ``"EPSG:4490"``); never overrides one.
    max_bytes
        Largest file size, and largest total size an archive may unpack to, in bytes.
    max_files
        Most entries an archive may hold.

    Returns
    -------
    frame : geopandas.GeoDataFrame
        The features in EPSG:4326, empty geometries dropped.
    report : dict
        What was read and repaired: ``file``, ``format``, ``crs_in``, ``reprojected``,
        ``encoding``, ``n_features``, ``n_repaired``, ``n_dropped_empty``, ``notes``;
        ``warnings`` (e.g. the layer does not overlap Gansu, with the likely mistake) and
        ``repairs`` (``(kind, note)`` pairs: what was repaired or dropped, by row), both lists.

    Examples
    --------
    >>> import tempfile, shapely
    >>> folder = tempfile.mkdtemp()
    >>> gpd.GeoDataFrame(geometry=[shapely.box(103, 36, 104, 37)], crs=3857).to_file(
    ...     f"{folder}/a.gpkg")
    >>> frame, report = read_vector_file(f"{folder}/a.gpkg")
    >>> frame.crs.to_epsg(), report["reprojected"], report["n_features"]
    (4326, True, 1)
    """
    path = Path(path)
    _check_size(path, max_bytes)
    if path.suffix.lower() in ARCHIVE_SUFFIXES:
        with tempfile.TemporaryDirectory(prefix="longtu_upload_") as folder:
            inner = _unpack_archive(path, Path(folder), max_bytes=max_bytes, max_files=max_files)
            frame, report = _read_plain(inner, layer=layer, crs=crs, shown=path.name)
        report["file"] = f"{path.name}!{inner.relative_to(folder).as_posix()}"
        return frame, report
    return _read_plain(path, layer=layer, crs=crs, shown=path.name)


def read_constraint_layer(
    path: str | Path,
    *,
    label: str | None = None,
    category: str | None = None,
    buffer_km: float = 0.0,
    layer: str | None = None,
    crs: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_files: int = DEFAULT_MAX_FILES,
    reader: Reader | None = None,
) -> ConstraintLayer:
    """Read one constraint file (see :func:`read_vector_file`) as a :class:`ConstraintLayer`.

    Parameters
    ----------
    path
        The file.
    label
        Name of the layer in reports; default the file name without its suffix.
    category
        What it protects, a key of :data:`longtu.analysis.constraints.check.CATEGORIES` (e.g.
        ``"ecological_red_line"``) or free text; default ``"unspecified"``.
    buffer_km
        Distance around the constraint within which a feature is reported ``near``, km.
    layer, crs, max_bytes, max_files
        As for :func:`read_vector_file`.
    reader
        Called as ``reader(path, layer=layer)`` instead of :func:`read_vector_file` (which
        then ignores `crs`, `max_bytes` and `max_files`), e.g. to use geometries read already.

    Returns
    -------
    ConstraintLayer
        ``frame`` in EPSG:4326 and ``report`` of what was read and repaired.

    Examples
    --------
    >>> import tempfile, shapely
    >>> path = f"{tempfile.mkdtemp()}/red.geojson"
    >>> gpd.GeoDataFrame(geometry=[shapely.box(103, 36, 104, 37)], crs=4326).to_file(path)
    >>> red = read_constraint_layer(path, category="ecological_red_line", buffer_km=2)
    >>> red.label, red.category, red.buffer_km, len(red.frame)
    ('red', 'ecological_red_line', 2.0, 1)
    """
    if reader is None:
        reader = partial(read_vector_file, crs=crs, max_bytes=max_bytes, max_files=max_files)
    frame, report = reader(path, layer=layer)
    return ConstraintLayer(
        frame=frame,
        label=label or Path(path).stem,
        category=category or "unspecified",
        buffer_km=float(buffer_km),
        source=str(report["file"]),
        report=report,
    )


def read_constraint_layers(
    paths: Sequence[str | Path],
    *,
    buffers_km: Mapping[str, float] | None = None,
    categories: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_files: int = DEFAULT_MAX_FILES,
    reader: Reader | None = None,
) -> tuple[list[ConstraintLayer], pd.DataFrame]:
    """Read many constraint files; a bad file is listed, never fatal.

    Parameters
    ----------
    paths
        The files. A GeoPackage layer is chosen with ``FILE.gpkg:LAYER``.
    buffers_km, categories
        Per-layer buffer (km) and category, keyed by label (the file name without suffix).
    max_bytes, max_files, reader
        As for :func:`read_constraint_layer`.

    Returns
    -------
    layers : list of ConstraintLayer
        The layers that read well, in the order given (a repeated label gets ``_2``, ``_3``).
    problems : pandas.DataFrame
        One row per bad file: ``file``, ``problem``.

    Examples
    --------
    >>> layers, problems = read_constraint_layers(["missing.gpkg"])
    >>> len(layers), problems["file"].tolist()
    (0, ['missing.gpkg'])
    """
    buffers_km, categories = dict(buffers_km or {}), dict(categories or {})
    layers: list[ConstraintLayer] = []
    problems: list[dict[str, str]] = []
    for raw in paths:
        path, layer = split_layer(str(raw))
        label = Path(path).stem if layer is None else layer
        label = _unique_label(label, {x.label for x in layers})
        try:
            layers.append(
                read_constraint_layer(
                    path,
                    label=label,
                    category=categories.pop(label, None),
                    buffer_km=buffers_km.pop(label, 0.0),
                    layer=layer,
                    max_bytes=max_bytes,
                    max_files=max_files,
                    reader=reader,
                )
            )
        except ConstraintFileError as error:
            problems.append({"file": str(raw), "problem": str(error)})
    for label in [*buffers_km, *categories]:
        problems.append({"file": label, "problem": f"no layer is labelled `{label}`"})
    return layers, pd.DataFrame(problems, columns=["file", "problem"])


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


def _unique_label(label: str, taken: set[str]) -> str:
    """`label`, or `label_2`, `label_3`, … when taken already.

    Examples
    --------
    >>> _unique_label("red", {"red", "red_2"})
    'red_3'
    """
    number = 1
    while label in taken or (number > 1 and f"{label}_{number}" in taken):
        number += 1
        if f"{label}_{number}" not in taken:
            return f"{label}_{number}"
    return label


def _check_size(path: Path, max_bytes: int) -> None:
    check_file_size(
        path,
        max_bytes,
        kind="uploads",
        advice="clip it to Gansu or raise `max_bytes`",
        error=ConstraintFileError,
    )


def _unpack_archive(path: Path, folder: Path, *, max_bytes: int, max_files: int) -> Path:
    """Check every entry of a zip, then unpack it into `folder`; return the one dataset in it."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_entries(path.name, infos, max_bytes=max_bytes, max_files=max_files)
            for info in infos:
                _extract_entry(archive, info, folder)
    except zipfile.BadZipFile as error:
        raise ConstraintFileError(f"`{path.name}` is not a valid zip archive ({error}).") from None
    wanted = (".kml",) if path.suffix.lower() == ".kmz" else VECTOR_SUFFIXES + RASTER_SUFFIXES
    found = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in wanted and "__MACOSX" not in p.parts and not p.name.startswith(".")
    )
    if len(found) != 1:
        names = ", ".join(p.relative_to(folder).as_posix() for p in found) or "none"
        raise ConstraintFileError(
            f"`{path.name}` must hold exactly one layer file ({', '.join(wanted)}); "
            f"found {len(found)}: {names}. Zip each layer separately."
        )
    return found[0]


def _check_entries(
    name: str, infos: list[zipfile.ZipInfo], *, max_bytes: int, max_files: int
) -> None:
    if len(infos) > max_files:
        raise ConstraintFileError(
            f"`{name}` holds {len(infos)} entries, over the limit of {max_files}."
        )
    declared = sum(info.file_size for info in infos)
    if declared > max_bytes:
        raise ConstraintFileError(
            f"`{name}` would unpack to {declared / 1024**2:.1f} MiB, over the "
            f"{max_bytes / 1024**2:.0f} MiB limit (a zip bomb?); nothing was unpacked."
        )
    for info in infos:
        entry = info.filename.replace("\\", "/")
        parts = PurePosixPath(entry).parts
        if entry.startswith("/") or (len(entry) > 1 and entry[1] == ":") or ".." in parts:
            raise ConstraintFileError(
                f"`{name}` has an entry `{info.filename}` that points outside the archive's "
                "folder; refused, nothing was unpacked."
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ConstraintFileError(
                f"`{name}` has a symbolic link `{info.filename}`; refused, nothing was unpacked."
            )


def _extract_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, folder: Path) -> None:
    target = folder.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
    if not target.resolve().is_relative_to(folder.resolve()):
        raise ConstraintFileError(f"entry `{info.filename}` escapes the upload folder; refused.")
    if info.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with archive.open(info) as source, target.open("wb") as sink:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > info.file_size:
                raise ConstraintFileError(f"entry `{info.filename}` is larger than it declares.")
            sink.write(chunk)


def _read_plain(
    path: Path, *, layer: str | None, crs: str | None, shown: str
) -> tuple[gpd.GeoDataFrame, dict[str, object]]:
    suffix = path.suffix.lower()
    report: dict[str, object] = {
        "file": shown,
        "format": suffix.lstrip("."),
        "notes": "",
        "warnings": [],
        "repairs": [],
    }
    if suffix in RASTER_SUFFIXES:
        frame = _read_mask(path, shown=shown)
    elif suffix in VECTOR_SUFFIXES:
        frame = _read_vector(path, layer=layer, shown=shown, report=report)
    else:
        raise ConstraintFileError(
            f"`{shown}`: unknown format `{suffix}`; use GeoPackage, GeoJSON, zipped Shapefile, "
            "KML/KMZ, FlatGeobuf or a GeoTIFF mask."
        )
    frame = _drop_nonfinite(frame, shown=shown, report=report)
    raw_bounds, declared = frame.total_bounds, frame.crs or crs
    problem = degree_range_problem(raw_bounds, declared or GEOJSON_CRS)
    if problem:  # never a place on Earth, and slow to measure: refused before any overlay
        raise ConstraintFileError(f"`{shown}` {problem} Nothing was checked against it.")
    frame = to_storage_crs(frame, crs=crs, shown=shown, report=report, is_shp=suffix == ".shp")
    frame = _repair(frame, shown=shown, report=report)
    warning = province_overlap_warning(
        frame.total_bounds, raw_bounds=raw_bounds, crs_in=declared or GEOJSON_CRS
    )
    report["warnings"] = [f"`{shown}` {warning}"] if warning else []
    return frame, report


def _drop_nonfinite(frame: gpd.GeoDataFrame, *, shown: str, report: dict) -> gpd.GeoDataFrame:
    """`frame` without the features whose coordinates are NaN or infinite (listed in `report`)."""
    coordinates, index = shapely.get_coordinates(frame.geometry.to_numpy(), return_index=True)
    bad_rows = np.unique(index[~np.isfinite(coordinates).all(axis=1)])
    if not len(bad_rows):
        return frame
    _add_repair(report, "dropped", f"{_rows(bad_rows)} with NaN or infinite coordinates")
    if len(bad_rows) == len(frame):
        raise ConstraintFileError(
            f"`{shown}`: every feature has NaN or infinite coordinates; export it again "
            "from a GIS with real coordinates."
        )
    return frame.drop(index=frame.index[bad_rows]).reset_index(drop=True)


def _rows(positions: np.ndarray) -> str:
    """``"2 features (rows 1, 4)"``: 1-based feature numbers, the first ten."""
    shown = ", ".join(str(int(p) + 1) for p in positions[:10])
    more = f", … (+{len(positions) - 10})" if len(positions) > 10 else ""
    return f"{len(positions)} feature(s) (rows {shown}{more})"


def _add_repair(report: dict, kind: str, note: str) -> None:
    repairs = report.setdefault("repairs", [])
    repairs.append((kind, note))


def _read_vector(path: Path, *, layer: str | None, shown: str, report: dict) -> gpd.GeoDataFrame:
    try:
        layers = pyogrio.list_layers(path)
        if layer is None and len(layers) > 1:
            names = ", ".join(str(n) for n in layers[:, 0])
            raise ConstraintFileError(
                f"`{shown}` has {len(layers)} layers ({names}); choose one with `layer=`, "
                f"or name it in the path as `{shown}:LAYER`."
            )
        encoding = None
        if path.suffix.lower() == ".shp":
            encoding, how = _shapefile_encoding(path)
            report["encoding"] = f"{encoding} ({how})"
            if how.startswith(".cpg says"):
                _add_repair(report, "repaired", f"attribute text: {how}")
        return _read_frame(path, layer=layer, encoding=encoding, report=report)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        raise ConstraintFileError(f"`{shown}` could not be read: {error}") from None
    except (UnicodeError, _arrow_error()) as error:
        raise ConstraintFileError(
            f"`{shown}` has attribute text that could not be decoded "
            f"({report.get('encoding') or 'as declared'}): {str(error)[:200]}; save it again "
            "as UTF-8 (or give the right encoding in a .cpg file beside the .shp)."
        ) from None


def _read_frame(
    path: Path, *, layer: str | None, encoding: str | None, report: dict
) -> gpd.GeoDataFrame:
    """Read with pyogrio; GDAL's warnings become notes, broken geometries are read leniently."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = pyogrio.read_dataframe(path, layer=layer, encoding=encoding, use_arrow=True)
        except shapely.errors.GEOSException:
            frame = _read_leniently(path, layer=layer, encoding=encoding, report=report)
    for warning in caught:
        if issubclass(warning.category, RuntimeWarning):
            note = f"GDAL: {str(warning.message).split('. ')[0]}"
            if ("note", note) not in report["repairs"]:
                _add_repair(report, "note", note)
        else:
            warnings.warn(warning.message, warning.category, stacklevel=2)
    return frame


def _read_leniently(
    path: Path, *, layer: str | None, encoding: str | None, report: dict
) -> gpd.GeoDataFrame:
    """The features of a file some of whose geometries GEOS refuses (unclosed rings, NaN).

    Unclosed rings are closed; geometries that still cannot be read are dropped; both listed.
    """
    attributes = pyogrio.read_dataframe(path, layer=layer, encoding=encoding, read_geometry=False)
    wkb = pyogrio.raw.read(path, layer=layer, encoding=encoding, columns=[])[2]
    with np.errstate(invalid="ignore"):
        strict = shapely.from_wkb(wkb, on_invalid="ignore")
        fixed = shapely.from_wkb(wkb, on_invalid="fix")
    closed = np.flatnonzero(shapely.is_missing(strict) & ~shapely.is_missing(fixed))
    broken = np.flatnonzero(shapely.is_missing(fixed) & ~shapely.is_missing(wkb))
    if len(closed):
        _add_repair(report, "repaired", f"{_rows(closed)} with a ring not closed: closed")
    if len(broken) and len(broken) == len(wkb):
        raise ConstraintFileError(
            f"`{path.name}`: no feature's geometry can be read (NaN coordinates or broken "
            "rings); export it again from a GIS with real coordinates."
        )
    if len(broken):
        _add_repair(
            report,
            "dropped",
            f"{_rows(broken)} whose geometry cannot be read (NaN coordinates or a broken ring)",
        )
    crs = pyogrio.read_info(path, layer=layer, encoding=encoding)["crs"]
    frame = gpd.GeoDataFrame(attributes, geometry=fixed, crs=crs)
    return frame.drop(index=frame.index[broken]).reset_index(drop=True)


def _arrow_error() -> type[Exception]:
    """Pyarrow's base exception (text a file's encoding cannot decode comes through Arrow)."""
    import pyarrow

    return pyarrow.lib.ArrowException


def _shapefile_encoding(path: Path) -> tuple[str, str]:
    """Encoding of a shapefile's .dbf: its .cpg if it names a known one, else UTF-8 or GB18030."""
    cpg = path.with_suffix(".cpg")
    if cpg.is_file():
        name = cpg.read_bytes()[:64].decode("ascii", errors="replace").strip().upper()
        name = _CPG_ALIASES.get(name, name)
        try:
            declared = codecs.lookup(name).name.upper().replace("_", "-")
        except LookupError:
            declared = ""
        if declared == "UTF-8" and not _dbf_is_utf8(path):
            return "GB18030", ".cpg says UTF-8 but the .dbf is not valid UTF-8; read as GB18030"
        if declared:
            return declared, "from .cpg"
    dbf = path.with_suffix(".dbf")
    if not dbf.is_file():
        return "UTF-8", "no .dbf"
    if not _dbf_is_utf8(path):
        return "GB18030", "no .cpg; not valid UTF-8, read as GB18030"
    return "UTF-8", "no .cpg; valid UTF-8"


def _dbf_is_utf8(path: Path) -> bool:
    """Whether the records of the .dbf beside `path` decode as UTF-8 (true when there is none)."""
    dbf = path.with_suffix(".dbf")
    if not dbf.is_file():
        return True
    with dbf.open("rb") as handle:
        header = handle.read(32)
        handle.seek(int.from_bytes(header[8:10], "little"))
        records = handle.read(8 * _CHUNK)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(records, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _note_repairs(
    before: np.ndarray, after: np.ndarray, keep: np.ndarray, invalid: np.ndarray, report: dict
) -> None:
    """Add to ``report["repairs"]`` the rows dropped (no geometry), repaired, or changed kind."""
    if (~keep).any():
        dropped = f"{_rows(np.flatnonzero(~keep))} with no geometry (null, empty or NaN)"
        _add_repair(report, "dropped", dropped)
    kinds = {0: "point", 1: "line", 2: "polygon"}
    dims_before = shapely.get_dimensions(before[invalid])
    dims_after = shapely.get_dimensions(after[invalid])
    lost = np.flatnonzero(invalid)[dims_after < dims_before]
    fixed = np.flatnonzero(invalid)[dims_after >= dims_before]
    if len(fixed):
        note = f"{_rows(fixed)} invalid (e.g. self-intersecting): made valid"
        _add_repair(report, "repaired", note)
    for row in lost[:10]:
        was, now = (
            kinds.get(int(shapely.get_dimensions(before[row])), "?"),
            kinds.get(int(shapely.get_dimensions(after[row])), "?"),
        )
        _add_repair(
            report,
            "repaired",
            f"row {row + 1}: an invalid {was} (e.g. a ring of three points) became a {now}; "
            "check it in a GIS",
        )


def _read_mask(path: Path, *, shown: str) -> gpd.GeoDataFrame:
    import rasterio
    import rasterio.errors

    try:
        with rasterio.open(path) as source:
            if source.width * source.height > DEFAULT_MAX_PIXELS:
                raise ConstraintFileError(
                    f"`{shown}` has {source.width} x {source.height} pixels, over the "
                    f"{DEFAULT_MAX_PIXELS:,} limit; resample it coarser."
                )
            band = source.read(1, masked=True)
            transform, crs = source.transform, source.crs
    except rasterio.errors.RasterioIOError as error:
        raise ConstraintFileError(f"`{shown}` could not be read as GeoTIFF: {error}") from None
    values = np.ma.filled(band.astype("float64"), 0.0)
    return polygons_from_mask((values != 0) & ~np.isnan(values), transform, crs=crs)


def to_storage_crs(
    frame: gpd.GeoDataFrame, *, crs: str | None, shown: str, report: dict, is_shp: bool
) -> gpd.GeoDataFrame:
    """`frame` in EPSG:4326; a missing CRS is taken from `crs` (or WGS84 for GeoJSON) or refused.

    Records ``crs_in`` and ``reprojected`` (and any assumption, in ``notes``) in `report`.

    Examples
    --------
    >>> import shapely
    >>> frame = gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)])
    >>> report = {"format": "gpkg", "notes": ""}
    >>> to_storage_crs(frame, crs="EPSG:4326", shown="a", report=report, is_shp=False).crs.to_epsg()
    4326
    """
    if frame.crs is None:
        if report["format"] in ("geojson", "json"):
            frame = frame.set_crs(GEOJSON_CRS)
            report["notes"] += "no CRS member: WGS84 assumed (GeoJSON, RFC 7946). "
        elif crs is not None:
            frame = frame.set_crs(crs)
            report["notes"] += f"no CRS in the file: {crs} assumed as told. "
        else:
            hint = "a .prj is missing beside the .shp (or from the zip); " if is_shp else ""
            raise ConstraintFileError(
                f"`{shown}` has no CRS; {hint}set it with `crs=` "
                f'(e.g. `crs="{settings.storage_crs}"`) '
                "or add the .prj / CRS in a GIS before uploading."
            )
    report["crs_in"] = CRS.from_user_input(frame.crs).to_string()
    storage = CRS.from_user_input(settings.storage_crs)
    report["reprojected"] = CRS.from_user_input(frame.crs).to_epsg() != storage.to_epsg()
    return frame.to_crs(storage) if report["reprojected"] else frame


def _repair(frame: gpd.GeoDataFrame, *, shown: str, report: dict) -> gpd.GeoDataFrame:
    return repaired_frame(frame, repair(frame.geometry.to_numpy()), shown=shown, report=report)


def repaired_frame(
    frame: gpd.GeoDataFrame, repaired: tuple, *, shown: str, report: dict
) -> gpd.GeoDataFrame:
    """`frame` with :func:`~longtu.analysis.constraints.overlay.repair` applied to its geometry.

    Drops the rows with no geometry and records the repairs in `report`.

    Examples
    --------
    >>> import shapely
    >>> frame = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1), None], crs=4326)
    >>> report = {}
    >>> len(repaired_frame(frame, repair(frame.geometry.to_numpy()), shown="a", report=report))
    1
    >>> report["n_dropped_empty"], report["n_repaired"]
    (1, 0)
    """
    geometry, keep, invalid, changed = repaired
    _note_repairs(frame.geometry.to_numpy(), geometry, keep, invalid, report)
    if changed:
        frame = frame.copy()
        frame[frame.geometry.name] = gpd.GeoSeries(geometry, crs=frame.crs, index=frame.index)
    if not keep.all():
        frame = frame[keep].reset_index(drop=True)
    if frame.empty:
        raise ConstraintFileError(f"`{shown}` has no features with a geometry; nothing to check.")
    report.update(
        n_features=len(frame), n_repaired=int(invalid.sum()), n_dropped_empty=int((~keep).sum())
    )
    report.setdefault("encoding", "")
    return frame
