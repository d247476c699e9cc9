"""Writing an :class:`~longtu.analysis.result.AnalysisResult` to disk (the CLI and the app use it).

Kept apart from the analyses, which never touch files.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from longtu import settings
from longtu.analysis.result import AnalysisResult, RasterResult
from longtu.errors import LongtuError, ParameterError
from longtu.layout.export import write_csv


@contextmanager
def replacing(paths: Sequence[str | Path]) -> Iterator[list[Path]]:
    """Temporary names beside `paths` to write to; moved over `paths` only when all are written.

    An error or Ctrl-C (KeyboardInterrupt) while writing removes the temporary files and leaves
    every target as it was: never a half-written output. Only the files written are moved.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "r.csv"
    >>> with replacing([target]) as (temporary,):
    ...     _ = temporary.write_text("a")
    >>> target.read_text(), temporary.exists()
    ('a', False)
    """
    targets = [Path(p) for p in paths]
    temporary = [t.with_name(f".{t.stem}.partial-{os.getpid()}{t.suffix}") for t in targets]
    try:
        for path in temporary:
            path.unlink(missing_ok=True)
        yield temporary
        for path, target in zip(temporary, targets, strict=True):
            if path.exists():
                path.replace(target)  # atomic within one folder (os.replace)
    except Exception as error:
        raise _naming(error, temporary, targets) from None
    finally:
        for path in temporary:
            path.unlink(missing_ok=True)


def _naming(error: Exception, temporary: list[Path], targets: list[Path]) -> Exception:
    """`error` with the output paths asked for in its messages, not their temporary names.

    The Chinese of a :class:`~longtu.errors.LongtuError` (``message_zh``) is renamed too.

    Examples
    --------
    >>> error = ParameterError("/o/.r.partial-1.csv: full", zh="/o/.r.partial-1.csv：已满")
    >>> named = _naming(error, [Path("/o/.r.partial-1.csv")], [Path("/o/r.csv")])
    >>> str(named), named.message_zh
    ('/o/r.csv: full', '/o/r.csv：已满')
    >>> gone = FileNotFoundError(2, "No such file or directory", "/o/.r.partial-1.csv")
    >>> named = _naming(gone, [Path("/o/.r.partial-1.csv")], [Path("/o/r.csv")])
    >>> named.errno, named.filename
    (2, '/o/r.csv')
    """

    def renamed(text: str) -> str:
        for path, target in zip(temporary, targets, strict=True):
            text = text.replace(str(path), str(target)).replace(path.name, target.name)
        return text

    message, message_zh = str(error), getattr(error, "message_zh", None)
    if renamed(message) == message and (message_zh is None or renamed(message_zh) == message_zh):
        return error
    named: Exception
    try:
        if isinstance(error, OSError) and error.errno is not None:  # keep errno and the path
            path = renamed(str(error.filename)) if error.filename is not None else None
            named = type(error)(error.errno, error.strerror, path)
        else:
            named = type(error)(renamed(message))
    except TypeError:  # an error type built otherwise: keep it as it came
        return error
    if isinstance(named, LongtuError) and message_zh is not None:
        named.message_zh = renamed(message_zh)
    return named


def write_parquet(frame: pd.DataFrame, path: str | Path) -> Path:
    """`frame` as GeoParquet (bounding-box column, for reading by region) or plain Parquet.

    Written to a temporary name and moved over `path` when complete (:func:`replacing`).

    Examples
    --------
    >>> import tempfile, shapely
    >>> path = Path(tempfile.mkdtemp()) / "a.parquet"
    >>> frame = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(103, 36)], crs=4326)
    >>> len(gpd.read_parquet(write_parquet(frame, path)))
    1
    """
    with replacing([path]) as (temporary,):
        if isinstance(frame, gpd.GeoDataFrame):
            frame.to_parquet(temporary, write_covering_bbox=True, index=False)
        else:
            pd.DataFrame(frame).to_parquet(temporary, index=False)
    return Path(path)


def _summary(result: AnalysisResult) -> dict:
    def plain(value: object) -> object:
        if isinstance(value, np.generic):
            return value.item()
        return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)

    return {
        "name": result.name,
        "summary_zh": result.summary_zh,
        "summary_en": result.summary_en,
        "numbers": {k: plain(v) for k, v in result.numbers.items()},
        "parameters": {k: plain(v) for k, v in result.parameters.items()},
        "tables": list(result.tables),
        "rasters": list(result.rasters),
    }


def _write_raster(raster: RasterResult, path: Path) -> None:
    crs = raster.tags.get("crs", settings.storage_crs)
    data = np.asarray(raster.data, dtype="float32")
    profile = {
        "driver": "GTiff",
        "dtype": "float32",
        "count": 1,
        "height": data.shape[0],
        "width": data.shape[1],
        "crs": crs,
        "transform": raster.transform,
        "nodata": np.nan,
        "compress": "deflate",
    }
    import rasterio  # here: only a raster result needs it (0.1 s to import)

    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
        dst.update_tags(**{k: str(v) for k, v in raster.tags.items()})
        dst.set_band_description(1, raster.band_name)


LAYER_FORMATS = ("gpkg", "parquet")
"""How the tables with geometry are written: one GeoPackage of layers, or a GeoParquet each."""


def result_paths(
    result: AnalysisResult, out_dir: Path, *, layer_format: str = "gpkg"
) -> list[Path]:
    """Every file :func:`write_result` may write for `result` into `out_dir` (to check first).

    Examples
    --------
    >>> import pandas as pd
    >>> r = AnalysisResult("water", "", "", tables={"lines": pd.DataFrame({"a": [1]})})
    >>> [p.name for p in result_paths(r, Path("out"))]
    ['water.gpkg', 'lines.csv', 'summary.json']
    >>> [p.name for p in result_paths(r, Path("out"), layer_format="parquet")]
    ['lines.parquet', 'lines.csv', 'summary.json']
    """
    out_dir = Path(out_dir)
    tables = [out_dir / f"{name}.csv" for name in result.tables]
    rasters = [out_dir / f"{name}.tif" for name in result.rasters]
    if layer_format == "parquet":
        layers = [out_dir / f"{name}.parquet" for name in result.tables]
    else:
        layers = [out_dir / f"{result.name}.gpkg"]
    return [*layers, *tables, *rasters, out_dir / "summary.json"]


def write_result(
    result: AnalysisResult, out_dir: Path, *, layer_format: str = "gpkg"
) -> list[Path]:
    """Write every table (layer + CSV), raster (GeoTIFF) and ``summary.json``.

    CSV files are UTF-8 with BOM (Excel shows the Chinese), text cells that would start a
    spreadsheet formula prefixed with ``'`` (:func:`longtu.layout.export.write_csv`);
    geometries go, with `layer_format` ``"gpkg"``, to the GeoPackage ``<name>.gpkg`` (a layer
    per table) or, with ``"parquet"``, to a GeoParquet file per table (``<table>.parquet``),
    and in the CSV as WKT. Returns the paths written.
    """
    if layer_format not in LAYER_FORMATS:
        raise ParameterError(
            f"`layer_format` {layer_format!r}: use one of {LAYER_FORMATS}",
            zh=f"图层格式 {layer_format}：不支持；请用 {'、'.join(LAYER_FORMATS)} 之一。",
        )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    gpkg = out_dir / f"{result.name}.gpkg"
    for table_name, table in result.tables.items():
        csv_path = out_dir / f"{table_name}.csv"
        if isinstance(table, gpd.GeoDataFrame) and table.geometry.notna().any():
            plain = pd.DataFrame(table.drop(columns=table.geometry.name))
            plain["geometry_wkt"] = table.geometry.to_wkt()
            if layer_format == "parquet":
                layer_path = out_dir / f"{table_name}.parquet"
                table.to_parquet(layer_path, index=False, write_covering_bbox=True)
            else:
                layer_path = gpkg
                table.to_file(
                    gpkg, layer=table_name, driver="GPKG", engine="pyogrio", geometry_type="Unknown"
                )
            if layer_path not in written:
                written.append(layer_path)
        else:
            plain = pd.DataFrame(table)
        written.append(write_csv(plain, csv_path))
    for raster_name, raster in result.rasters.items():
        path = out_dir / f"{raster_name}.tif"
        _write_raster(raster, path)
        written.append(path)
    summary = out_dir / "summary.json"
    summary.write_text(json.dumps(_summary(result), ensure_ascii=False, indent=2), encoding="utf-8")
    written.append(summary)
    return written


def result_zip_bytes(result: AnalysisResult, work_dir: Path) -> bytes:
    """All outputs of `result` as one zip (for a download button), written via `work_dir`."""
    paths = write_result(result, work_dir)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            archive.write(path, arcname=path.name)
    return buffer.getvalue()
