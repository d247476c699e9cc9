"""Writing layers to files: GeoPackage, GeoJSON, CSV (and GeoTIFF for raster layers)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd

from longtu.gis_data.build import BASE_LAYERS
from longtu.layout import base
from longtu.layout.load import load_layer

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
        raise ValueError(
            f"Cannot tell the format of `{path.name}`; use a name ending in "
            ".gpkg, .geojson, .csv (or .tif for terrain and land_cover)."
        )
    return fmt


def _geometry_type(frame: gpd.GeoDataFrame) -> str:
    types = set(frame.geometry.dropna().geom_type)
    if types and types <= {"Point", "MultiPoint"}:
        return "MultiPoint" if "MultiPoint" in types else "Point"
    if types and types <= {"Polygon", "MultiPolygon"}:
        return "MultiPolygon" if "MultiPolygon" in types else "Polygon"
    if types and types <= {"LineString", "MultiLineString"}:
        return "MultiLineString" if "MultiLineString" in types else "LineString"
    return "Unknown"


def export_layer(name: str, out: Path, *, fmt: Format | None = None) -> Path:
    """Write layer `name` to `out`; return the path written.

    CSV files are UTF-8 with a byte-order mark (so that Excel shows the Chinese text) and hold
    the geometry as WKT in a ``geometry_wkt`` column. GeoPackage layers are named after the
    layer; a layer mixing points and polygons is written with geometry type ``Unknown``.
    """
    out = Path(out)
    fmt = fmt or format_from_path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "tif":
        if BASE_LAYERS.get(name, ("",))[0] != "raster":
            raise ValueError(f"Only terrain and land_cover export as GeoTIFF, not `{name}`.")
        shutil.copyfile(base.load_base_raster(name).path, out)
        return out
    frame = load_layer(name)
    if not isinstance(frame, gpd.GeoDataFrame):
        if fmt != "csv":
            raise ValueError(f"`{name}` has no geometry; export it as .csv.")
        frame.to_csv(out, index=False, encoding="utf-8-sig")
        return out
    if fmt == "csv":
        table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        table["geometry_wkt"] = frame.geometry.to_wkt()
        table.to_csv(out, index=False, encoding="utf-8-sig")
    elif fmt == "geojson":
        frame.to_file(out, driver="GeoJSON", engine="pyogrio")
    else:
        frame.to_file(
            out, driver="GPKG", layer=name, engine="pyogrio", geometry_type=_geometry_type(frame)
        )
    return out
