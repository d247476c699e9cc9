"""Writing small test GeoTIFFs (one band), shared by the raster and constraint tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
from affine import Affine


def write_geotiff(
    path: Path, data: np.ndarray, transform: Affine, crs: str | None, *, nodata: float | None = None
) -> Path:
    """Write `data` (2-D) as a one-band GeoTIFF of its own dtype; `crs` None leaves it out."""
    profile = {
        "driver": "GTiff",
        "height": data.shape[0],
        "width": data.shape[1],
        "count": 1,
        "dtype": data.dtype.name,
        "transform": transform,
        "nodata": nodata,
    }
    if crs is not None:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
    return path
