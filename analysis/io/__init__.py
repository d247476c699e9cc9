"""Users' files in and results out (the ``geopandas.io`` of Longtu).

Public API
----------
read_vector_file, read_constraint_layer, read_constraint_layers
    Vector layers from GeoPackage, GeoJSON, zipped Shapefile, KML, FlatGeobuf and GeoTIFF
    masks, read safely (archives unpacked only into a temporary folder, sizes checked).
read_user_csv, numeric_column, check_file_size, read_station_table
    Tables typed by people: UTF-8 or GBK, numbers as people write them; station measurements.
UserRaster, read_user_raster, sample_raster
    A user's resource raster, checked and warped to the storage CRS, and sampled.
write_result, result_zip_bytes
    An :class:`~longtu.analysis.AnalysisResult` as GeoPackage, CSV, GeoTIFF and JSON files.
"""

from typing import TYPE_CHECKING

from longtu.analysis.io.constraint_files import read_constraint_layer, read_constraint_layers
from longtu.analysis.io.results import result_zip_bytes, write_result
from longtu.analysis.io.tables import (
    check_file_size,
    numeric_column,
    read_station_table,
    read_user_csv,
)
from longtu.analysis.io.vector import read_vector_file

if TYPE_CHECKING:
    from longtu.analysis.io.rasters import UserRaster, read_user_raster, sample_raster

_RASTER_NAMES = ("UserRaster", "read_user_raster", "sample_raster")


def __getattr__(name: str) -> object:
    """The raster readers, imported when first asked for (rasterio takes 0.1 s to import)."""
    if name in _RASTER_NAMES:
        from longtu.analysis.io import rasters

        return getattr(rasters, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "UserRaster",
    "check_file_size",
    "numeric_column",
    "read_constraint_layer",
    "read_constraint_layers",
    "read_station_table",
    "read_user_csv",
    "read_user_raster",
    "read_vector_file",
    "result_zip_bytes",
    "sample_raster",
    "write_result",
]
