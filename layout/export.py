"""Writing layers to files: GeoPackage, GeoJSON, CSV (and GeoTIFF for raster layers)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd

from longtu.errors import ParameterError
from longtu.gis_data.build import BASE_LAYERS
from longtu.layout import base
from longtu.layout.catalog import layer_title_zh
from longtu.layout.load import load_layer

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)."""

Format = Literal["gpkg", "geojson", "csv", "tif"]
_SUFFIXES: dict[str, Format] = {
    ".gpkg": "gpkg",
    ".geojson": "geojson",
    ".json": "geojson",
    ".csv": "csv",
    ".tif": "tif",
    ".tiff": "tif",
}


def format_from_path(path: Path) -> Format:
    """The export format implied by a file name.

    Examples
    --------
    >>> format_from_path(Path("parks.gpkg"))
    'gpkg'
    """
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ParameterError(
            f"Cannot tell the format of `{path.name}`; use a name ending in "
            ".gpkg, .geojson, .csv (or .tif for terrain and land_cover).",
            zh=f"无法从文件名 {path.name} 判断导出格式；请用以 .gpkg、.geojson 或 .csv 结尾的"
            "文件名（地形与土地覆被还可用 .tif）。",
        )
    return fmt


def neutralize_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of `table` whose text cells cannot start a spreadsheet formula (OWASP).

    A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    single quote in front, so Excel shows it as text instead of running it; numbers (and the
    column names, likewise) are left alone.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["=HYPERLINK(1)", "-3", "ok"], "value": [-3.0, 1.0, 2.0]})
    >>> neutralize_formulas(t).to_numpy().tolist()
    [["'=HYPERLINK(1)", -3.0], ["'-3", 1.0], ['ok', 2.0]]
    """
    out = table.copy()
    out.columns = [_neutral_cell(c) for c in out.columns]
    for column in out.columns[[not pd.api.types.is_numeric_dtype(t) for t in out.dtypes]]:
        out[column] = out[column].map(_neutral_cell)
    return out


def _neutral_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_bytes(table: pd.DataFrame) -> bytes:
    """`table` as CSV in UTF-8 with a byte-order mark (Excel shows the Chinese), formulas defused.

    Every CSV Longtu writes or offers for download is made here (:func:`neutralize_formulas`).

    Examples
    --------
    >>> csv_bytes(pd.DataFrame({"名称": ["=1+1"]})).decode("utf-8-sig").splitlines()
    ['名称', "'=1+1"]
    """
    return neutralize_formulas(table).to_csv(index=False).encode("utf-8-sig")


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """`table` written to `path` as :func:`csv_bytes` makes it."""
    path.write_bytes(csv_bytes(table))
    return path


def _geometry_type(frame: gpd.GeoDataFrame) -> str:
    types = set(frame.geometry.dropna().geom_type)
    if types and types <= {"Point", "MultiPoint"}:
        return "MultiPoint" if "MultiPoint" in types else "Point"
    if types and types <= {"Polygon", "MultiPolygon"}:
        return "MultiPolygon" if "MultiPolygon" in types else "Polygon"
    if types and types <= {"LineString", "MultiLineString"}:
        return "MultiLineString" if "MultiLineString" in types else "LineString"
    return "Unknown"


def export_layer(
    name: str, out: Path, *, fmt: Format | None = None, frame: pd.DataFrame | None = None
) -> Path:
    """Write layer `name` to `out`; return the path written.

    CSV files are UTF-8 with a byte-order mark (so that Excel shows the Chinese text) and hold
    the geometry as WKT in a ``geometry_wkt`` column. GeoPackage layers are named after the
    layer; a layer mixing points and polygons is written with geometry type ``Unknown``.
    `frame`: the layer's rows to write (a scenario's, say); default: the layer as bundled.
    """
    out = Path(out)
    fmt = fmt or format_from_path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "tif":
        if BASE_LAYERS.get(name, ("",))[0] != "raster":
            raise ParameterError(
                f"Only terrain and land_cover export as GeoTIFF, not `{name}`.",
                zh=f"只有地形与土地覆被可导出为 GeoTIFF（.tif），{layer_title_zh(name)}不能；"
                "请改用 .gpkg、.geojson 或 .csv。",
            )
        shutil.copyfile(base.load_base_raster(name).path, out)
        return out
    frame = load_layer(name) if frame is None else frame
    if not isinstance(frame, gpd.GeoDataFrame):
        if fmt != "csv":
            raise ParameterError(
                f"`{name}` has no geometry; export it as .csv.",
                zh=f"{layer_title_zh(name)}没有几何图形；请导出为 .csv。",
            )
        return write_csv(frame, out)
    if fmt == "csv":
        table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        table["geometry_wkt"] = frame.geometry.to_wkt()
        write_csv(table, out)
    elif fmt == "geojson":
        frame.to_file(out, driver="GeoJSON", engine="pyogrio")
    else:
        frame.to_file(
            out, driver="GPKG", layer=name, engine="pyogrio", geometry_type=_geometry_type(frame)
        )
    return out
