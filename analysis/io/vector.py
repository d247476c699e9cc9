"""Reading vector layers from untrusted files, safely.

A reviewer's files come from anywhere: GeoPackage, GeoJSON, zipped Shapefile (GBK or UTF-8
attributes), KML/KMZ, FlatGeobuf or a GeoTIFF mask. Each file is checked before it is read: its
size, and for an archive the declared uncompressed size, the number of entries and every entry's
path (absolute paths, ``..`` and symbolic links are refused) — all before anything is unpacked,
and archives are unpacked only into a :class:`tempfile.TemporaryDirectory` that is deleted after
reading (:mod:`longtu.analysis.io.archives`). What is repaired or dropped is said
(:mod:`longtu.analysis.io.repairs`), and a layer outside Gansu is warned about. Nothing in a
file is ever executed. Vector files are read with pyogrio (through Arrow).
Every problem raises :class:`ConstraintFileError`, whose message names the file.

This module does the file I/O for :mod:`longtu.analysis.constraints.check`, which stays pure;
:mod:`longtu.analysis.io.constraint_files` makes constraint layers of what it reads, and
:mod:`longtu.analysis.io.shapefiles` tells a shapefile's text encoding.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pyogrio.errors
import shapely
from pyproj import CRS

from longtu import settings
from longtu.analysis.constraints.builtin_layers import polygons_from_mask
from longtu.analysis.constraints.extent import degree_range_problem
from longtu.analysis.constraints.overlay import repair
from longtu.analysis.io.archives import unpack_archive
from longtu.analysis.io.repairs import (
    add_repair,
    drop_nonfinite,
    read_leniently,
    repaired_frame,
    warn_outside_gansu,
)
from longtu.analysis.io.shapefiles import shapefile_encoding
from longtu.analysis.io.tables import check_file_size
from longtu.errors import ConstraintFileError

GEOJSON_CRS = "EPSG:4326"
"""CRS of a GeoJSON file without a ``crs`` member: WGS84 lon/lat by RFC 7946, not a setting."""
DEFAULT_MAX_BYTES = 200 * 1024**2
"""Largest file accepted, and largest total an archive may unpack to (200 MiB)."""
DEFAULT_MAX_FILES = 200
"""Most entries an archive may hold."""
DEFAULT_MAX_PIXELS = 50_000_000
#: Most features of one layer a caller serving many people (the app) should read: a layer of
#: this many small polygons keeps the whole constraint check under 2 GB of memory
#: (bench/bench_upload_memory.py). Larger layers belong to a machine of their own.
APP_MAX_FEATURES = 100_000
"""Largest GeoTIFF mask accepted, in pixels."""

VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".kml", ".fgb", ".parquet")
PARTITIONED_SUFFIXES = (".gpkg", ".shp", ".fgb", ".parquet")
"""Formats a layer too large to hold can be read from by region (a spatial index or row-group
bounding boxes)."""
RASTER_SUFFIXES = (".tif", ".tiff")
ARCHIVE_SUFFIXES = (".zip", ".kmz")


Reader = Callable[..., tuple[gpd.GeoDataFrame, dict[str, object]]]
"""``reader(path, layer=None) -> (frame, report)``, as :func:`read_vector_file`."""


def read_vector_file(
    path: str | Path,
    *,
    layer: str | None = None,
    crs: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_files: int = DEFAULT_MAX_FILES,
    max_features: int | None = None,
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
        Largest file size, and largest total size an archive may unpack to, in bytes (an
        archive never over :data:`DEFAULT_MAX_BYTES`).
    max_files
        Most entries an archive may hold.
    max_features
        Most features a vector layer may have (counted before it is read); default no limit.
        A server shared by many people passes :data:`APP_MAX_FEATURES`.

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
    if path.suffix.lower() in ARCHIVE_SUFFIXES:
        max_bytes = min(max_bytes, DEFAULT_MAX_BYTES)  # a larger limit is for plain files only
    _check_size(path, max_bytes)
    read = partial(_read_plain, layer=layer, crs=crs, shown=path.name, max_features=max_features)
    if path.suffix.lower() in ARCHIVE_SUFFIXES:
        return _read_archive(path, read, max_bytes=max_bytes, max_files=max_files)
    return read(path)


def _read_archive(
    path: Path,
    read: Callable[[Path], tuple[gpd.GeoDataFrame, dict[str, object]]],
    *,
    max_bytes: int,
    max_files: int,
) -> tuple[gpd.GeoDataFrame, dict[str, object]]:
    """`read` of the spatial file in a zip or KMZ archive, unpacked into a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="longtu_upload_") as folder:
        wanted = (".kml",) if path.suffix.lower() == ".kmz" else VECTOR_SUFFIXES + RASTER_SUFFIXES
        inner = unpack_archive(
            path, Path(folder), wanted=wanted, max_bytes=max_bytes, max_files=max_files
        )
        frame, report = read(inner)
    report["file"] = f"{path.name}!{inner.relative_to(folder).as_posix()}"
    return frame, report


def _check_size(path: Path, max_bytes: int) -> None:
    check_file_size(
        path,
        max_bytes,
        kind="uploads",
        advice="clip it to Gansu or raise `max_bytes`",
        advice_zh="请先裁剪到甘肃省范围",
        error=ConstraintFileError,
    )


def _read_plain(
    path: Path, *, layer: str | None, crs: str | None, shown: str, max_features: int | None
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
        frame = _read_vector(
            path, layer=layer, shown=shown, report=report, max_features=max_features
        )
    else:
        raise ConstraintFileError(
            f"`{shown}`: unknown format `{suffix}`; use GeoPackage, GeoJSON, zipped Shapefile, "
            "KML/KMZ, FlatGeobuf or a GeoTIFF mask.",
            zh=f"{shown}：不支持的格式 {suffix}；请用 GeoPackage、GeoJSON、Shapefile（zip）、"
            "KML/KMZ、FlatGeobuf 或 GeoTIFF 掩膜。",
        )
    frame = drop_nonfinite(frame, shown=shown, report=report)
    raw_bounds, declared = frame.total_bounds, frame.crs or crs
    problem = degree_range_problem(raw_bounds, declared or GEOJSON_CRS)
    if problem:  # never a place on Earth, and slow to measure: refused before any overlay
        raise ConstraintFileError(
            f"`{shown}` {problem} Nothing was checked against it.",
            zh=_degree_range_zh(shown, raw_bounds, declared or GEOJSON_CRS),
        )
    frame = to_storage_crs(frame, crs=crs, shown=shown, report=report, is_shp=suffix == ".shp")
    frame = _repair(frame, shown=shown, report=report)
    crs_in = declared or GEOJSON_CRS
    warn_outside_gansu(report, shown, frame.total_bounds, raw_bounds=raw_bounds, crs_in=crs_in)
    return frame, report


def _degree_range_zh(shown: str, raw_bounds: np.ndarray, crs_in: object) -> str:
    """The Chinese of :func:`degree_range_problem`'s refusal of `shown`."""
    west, south, east, north = (float(b) for b in raw_bounds)
    return (
        f"{shown} 的坐标超出经纬度范围（x {west:.6g}～{east:.6g}，y {south:.6g}～{north:.6g}），"
        f"而声明的坐标系 {crs_in} 是经纬度：坐标像是投影坐标（米），或超出范围；未用它做任何"
        "检查，请检查文件及其 .prj（坐标系）。"
    )


def _read_parquet(path: Path, shown: str) -> gpd.GeoDataFrame:
    """A GeoParquet file (through Arrow); plain Parquet without geometry is refused."""
    try:
        return gpd.read_parquet(path)
    except (ValueError, OSError, _arrow_error()) as error:
        raise ConstraintFileError(
            f"`{shown}` could not be read as GeoParquet: {str(error)[:200]}",
            zh=f"{shown} 无法作为 GeoParquet 读取（文件已损坏，或是不含几何的普通 Parquet）；"
            "请在 GIS 中重新导出为 GeoParquet 或 GeoPackage。",
        ) from None


def feature_count(path: str | Path, *, layer: str | None = None) -> int:
    """Number of features of a vector file or GeoParquet, counted without reading them.

    Examples
    --------
    >>> import tempfile, shapely
    >>> path = f"{tempfile.mkdtemp()}/a.parquet"
    >>> gpd.GeoDataFrame(geometry=[shapely.Point(103, 36)] * 3, crs=4326).to_parquet(path)
    >>> feature_count(path)
    3
    """
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            return int(pq.ParquetFile(path).metadata.num_rows)
        except (OSError, _arrow_error()) as error:
            raise ConstraintFileError(
                f"`{path.name}` is not Parquet: {error}",
                zh=f"{path.name} 不是 Parquet 文件（已损坏或扩展名有误）；请重新导出。",
            ) from None
    return int(pyogrio.read_info(path, layer=layer, force_feature_count=True)["features"])


def _check_count(path: Path, layer: str | None, shown: str, max_features: int | None) -> None:
    """Refuse a layer with more than `max_features` features before reading any of it."""
    if max_features is None:
        return
    n = feature_count(path, layer=layer)
    if n > max_features:
        raise ConstraintFileError(
            f"`{shown}` has {n:,} features, more than the {max_features:,} read here (so that "
            "the server's memory holds for everyone); clip it to the area under review, or "
            "check it on a machine of its own.",
            zh=f"{shown} 有 {n:,} 个要素，超过此处一次读取的上限 {max_features:,} 个"
            "（保证服务器内存够所有人用）；请先裁剪到审查区域，或在单独的计算机上"
            "（命令行 longtu constraints check）检查。",
        )


def _read_vector(
    path: Path,
    *,
    layer: str | None,
    shown: str,
    report: dict,
    max_features: int | None = None,
) -> gpd.GeoDataFrame:
    if path.suffix.lower() == ".parquet":
        _check_count(path, layer, shown, max_features)
        return _read_parquet(path, shown)
    try:
        layers = pyogrio.list_layers(path)
        _check_layer_name(layers[:, 0], layer, shown)
        if layer is None and len(layers) > 1:
            names = ", ".join(str(n) for n in layers[:, 0])
            raise ConstraintFileError(
                f"`{shown}` has {len(layers)} layers ({names}); choose one with `layer=`, "
                f"or name it in the path as `{shown}:LAYER`.",
                zh=f"{shown} 含 {len(layers)} 个图层（{names.replace(', ', '、')}）；请选定一个"
                f"（命令行写作 {shown}:图层名），或将每个图层单独导出为一个文件。",
            )
        encoding = None
        if path.suffix.lower() == ".shp":
            encoding, how = shapefile_encoding(path)
            report["encoding"] = f"{encoding} ({how})"
            if how.startswith(".cpg says"):
                zh = "属性文字：.cpg 声明为 UTF-8，但 .dbf 不是有效的 UTF-8，已按 GB18030 读取"
                add_repair(report, "repaired", f"attribute text: {how}", zh)
        _check_count(path, layer, shown, max_features)
        return _read_frame(path, layer=layer, encoding=encoding, report=report)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        # no Chinese yet: the app words this one itself (app_pages/problem_words.PROBLEMS),
        # in English too, which it would replace by this message if it had its Chinese
        raise ConstraintFileError(
            f"`{shown}` could not be read: the file is damaged or not the format its name says "
            f"(GDAL said: {error}); check it in a GIS and export it again.",
            zh=f"{shown} 无法读取：文件已损坏，或不是其扩展名所示的格式。"
            "请在 GIS 中检查后重新导出。",
        ) from None
    except (UnicodeError, _arrow_error()) as error:
        raise ConstraintFileError(
            f"`{shown}` has attribute text that could not be decoded "
            f"({report.get('encoding') or 'as declared'}): {str(error)[:200]}; save it again "
            "as UTF-8 (or give the right encoding in a .cpg file beside the .shp).",
            zh=f"{shown} 的属性文字无法按{_encoding_zh(report)}解码；"
            "请另存为 UTF-8，或在 .shp 旁的 .cpg 文件中写明正确的编码。",
        ) from None


def _check_layer_name(names: np.ndarray, layer: str | None, shown: str) -> None:
    """Refuse a `layer` the file does not have, listing the layers it has."""
    if layer is None or layer in names:
        return
    listed = [str(n) for n in names]
    raise ConstraintFileError(
        f"`{shown}` has no layer `{layer}`; its layers: {', '.join(listed)}.",
        zh=f"{shown} 中没有图层 {layer}；其中的图层有：{'、'.join(listed)}。",
    )


def _encoding_zh(report: dict) -> str:
    """The encoding the reader tried (`` GBK ``), or the file's declared one, for a message."""
    encoding = str(report.get("encoding") or "").split(" (")[0]
    return f" {encoding} " if encoding else "文件声明的编码"


def _read_frame(
    path: Path, *, layer: str | None, encoding: str | None, report: dict
) -> gpd.GeoDataFrame:
    """Read with pyogrio; GDAL's warnings become notes, broken geometries are read leniently."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = pyogrio.read_dataframe(path, layer=layer, encoding=encoding, use_arrow=True)
        except shapely.errors.GEOSException:
            frame = read_leniently(path, layer=layer, encoding=encoding, report=report)
    for warning in caught:
        if issubclass(warning.category, RuntimeWarning):
            note = f"GDAL: {str(warning.message).split('. ')[0]}"
            if ("note", note) not in report["repairs"]:
                add_repair(report, "note", note, f"GDAL 提示：{note.removeprefix('GDAL: ')}")
        else:
            warnings.warn(warning.message, warning.category, stacklevel=2)
    return frame


def _arrow_error() -> type[Exception]:
    """Pyarrow's base exception (text a file's encoding cannot decode comes through Arrow)."""
    import pyarrow

    return pyarrow.lib.ArrowException


def _read_mask(path: Path, *, shown: str) -> gpd.GeoDataFrame:
    import rasterio
    import rasterio.errors

    try:
        with rasterio.open(path) as source:
            if source.width * source.height > DEFAULT_MAX_PIXELS:
                raise ConstraintFileError(
                    f"`{shown}` has {source.width} x {source.height} pixels, over the "
                    f"{DEFAULT_MAX_PIXELS:,} limit; resample it coarser.",
                    zh=f"{shown} 有 {source.width} × {source.height} 个像元，超过 "
                    f"{DEFAULT_MAX_PIXELS:,} 的上限；请重采样为更粗的分辨率。",
                )
            band = source.read(1, masked=True)
            transform, crs = source.transform, source.crs
    except rasterio.errors.RasterioIOError as error:
        raise ConstraintFileError(
            f"`{shown}` could not be read as GeoTIFF: the file is damaged or not a GeoTIFF "
            f"(GDAL said: {error}); upload a GeoTIFF mask (nonzero pixels are the constraint).",
            zh=f"{shown} 不是可读的 GeoTIFF 栅格；请上传 GeoTIFF 掩膜（非零像元为约束区）。",
        ) from None
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
            hint_zh = ".shp 旁（或压缩包中）缺少 .prj 文件；" if is_shp else ""
            raise ConstraintFileError(
                f"`{shown}` has no CRS; {hint}set it with `crs=` "
                f'(e.g. `crs="{settings.storage_crs}"`) '
                "or add the .prj / CRS in a GIS before uploading.",
                zh=f"{shown} 未注明坐标系；{hint_zh}请在 GIS 中补上坐标系（.prj）后重新上传，"
                f"或说明应采用的坐标系（如 {settings.storage_crs}）。",
            )
    report["crs_in"] = CRS.from_user_input(frame.crs).to_string()
    storage = CRS.from_user_input(settings.storage_crs)
    report["reprojected"] = CRS.from_user_input(frame.crs).to_epsg() != storage.to_epsg()
    return frame.to_crs(storage) if report["reprojected"] else frame


def _repair(frame: gpd.GeoDataFrame, *, shown: str, report: dict) -> gpd.GeoDataFrame:
    return repaired_frame(frame, repair(frame.geometry.to_numpy()), shown=shown, report=report)
