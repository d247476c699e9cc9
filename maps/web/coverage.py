"""Where a layer of many features lies, as one image for the web map.

A reviewer's constraint layer can hold 100,000 parcels. Drawn one by one, they made a 31 MB
map that took the server 12 s to build and the browser as long to draw, for a picture in which
no single parcel can be told apart at the zoom of a province. :func:`coverage_image` draws the
ground they cover instead: one colour on a Web Mercator grid (the grid Leaflet stretches an
image over, so the picture stays in register at every latitude), every cell a feature touches
filled. It is for drawing only: nothing is measured on it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import shapely
from PIL import Image
from pyproj import Transformer
from rasterio import features
from rasterio.transform import from_origin

from longtu import settings

IMAGE_WIDTH_PX = 2048
"""Cells along the longer side of the image (the other side follows)."""


@dataclass(frozen=True)
class CoverageImage:
    """A one-colour picture of where features lie, for a Leaflet image overlay.

    Attributes
    ----------
    png : bytes
        The image: the colour where a feature touches a cell, transparent elsewhere.
    bounds : tuple
        ``((south, west), (north, east))`` of the image in degrees (EPSG:4326).
    cell_km : float
        Side of a cell on the ground at the image's middle latitude, in km.
    """

    png: bytes
    bounds: tuple[tuple[float, float], tuple[float, float]]
    cell_km: float


def coverage_image(
    geometries: np.ndarray,
    *,
    colour: tuple[int, int, int] = (106, 61, 154),
    opacity: float = 0.45,
    width_px: int = IMAGE_WIDTH_PX,
) -> CoverageImage:
    """The ground `geometries` (in the storage CRS, degrees) cover, as a PNG.

    Parameters
    ----------
    geometries : numpy.ndarray of shapely geometries
        Polygons, lines or points; None and empty ones are skipped.
    colour : tuple of int
        RGB of the covered cells.
    opacity : float
        Opacity of the covered cells (0-1).
    width_px : int
        Cells along the longer side of the features' extent (in Web Mercator; the image ends
        on whole cells, so it may reach a little past the extent).

    Returns
    -------
    CoverageImage

    Examples
    --------
    >>> image = coverage_image(np.array([shapely.box(100, 36, 101, 37)]), width_px=8)
    >>> [[round(v, 3) for v in corner] for corner in image.bounds]
    [[36.0, 100.0], [37.0, 101.089]]
    >>> round(image.cell_km, 1)  # 1 degree of latitude in 8 cells
    13.9
    """
    kept = geometries[~(shapely.is_missing(geometries) | shapely.is_empty(geometries))]
    if len(kept) == 0:
        raise ValueError("`geometries` holds no geometry to draw.")
    to_mercator = Transformer.from_crs(settings.storage_crs, "EPSG:3857", always_xy=True)
    projected = shapely.transform(kept, lambda xy: np.column_stack(to_mercator.transform(*xy.T)))
    west, south, east, north = shapely.total_bounds(projected)
    cell_m = max(east - west, north - south) / width_px or 1.0
    shape = (
        max(1, int(np.ceil((north - south) / cell_m))),
        max(1, int(np.ceil((east - west) / cell_m))),
    )
    covered = features.rasterize(
        ((g, 1) for g in projected),
        out_shape=shape,
        transform=from_origin(west, north, cell_m, cell_m),
        all_touched=True,
        dtype="uint8",
    )
    east, south = west + shape[1] * cell_m, north - shape[0] * cell_m
    lons, lats = to_mercator.transform([west, east], [south, north], direction="INVERSE")
    middle = np.radians((lats[0] + lats[1]) / 2)
    return CoverageImage(
        png=_one_colour_png(covered, colour, opacity),
        bounds=((float(lats[0]), float(lons[0])), (float(lats[1]), float(lons[1]))),
        cell_km=float(cell_m * np.cos(middle) / 1000),
    )


def cell_km(bounds: tuple[float, ...] | np.ndarray, *, width_px: int = IMAGE_WIDTH_PX) -> float:
    """Ground size (km) of the cells of :func:`coverage_image` over `bounds`, mid-latitude.

    `bounds`: west, south, east, north in the storage CRS (degrees).

    Examples
    --------
    >>> round(cell_km((100, 36, 101, 37), width_px=8), 1)
    13.9
    """
    to_mercator = Transformer.from_crs(settings.storage_crs, "EPSG:3857", always_xy=True)
    west, south, east, north = to_mercator.transform_bounds(*bounds)
    middle = np.radians((bounds[1] + bounds[3]) / 2)
    return float(max(east - west, north - south) / width_px * np.cos(middle) / 1000)


def _one_colour_png(covered: np.ndarray, colour: tuple[int, int, int], opacity: float) -> bytes:
    """A two-entry palette PNG: transparent where `covered` is 0, `colour` where it is 1."""
    image = Image.fromarray(covered)  # "L"; a palette makes it "P", index = value
    image.putpalette([0, 0, 0, *colour])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True, transparency=bytes([0, round(255 * opacity)]))
    return buffer.getvalue()
