"""A hillshade image of Gansu from the terrain raster, for the offline base map."""

from __future__ import annotations

import numpy as np
import rasterio.features
import shapely
from affine import Affine
from scipy import ndimage

from longtu.gis_data.rasters import cell_sizes_m


def hillshade(
    elevation_m: np.ndarray,
    transform: Affine,
    *,
    azimuth_deg: float = 315.0,
    altitude_deg: float = 45.0,
    z_factor: float = 1.0,
) -> np.ndarray:
    """Hillshade (0-1) of a lon/lat elevation grid, cell sizes measured geodesically.

    Parameters
    ----------
    elevation_m
        2-D elevations (m), NaN where unknown.
    transform
        The grid's lon/lat affine transform.
    azimuth_deg, altitude_deg
        Direction and height of the light (degrees; 315/45 is the cartographic default).
    z_factor
        Vertical exaggeration.

    Returns
    -------
    numpy.ndarray
        Illumination 0 (dark) to 1 (lit), NaN where the elevation is unknown.

    Examples
    --------
    >>> flat = hillshade(np.full((3, 3), 100.0), Affine(1 / 12, 0, 100, 0, -1 / 12, 36))
    >>> round(float(flat[1, 1]), 3)  # flat ground: sin(45 degrees)
    0.707
    """
    dx, dy = cell_sizes_m(transform, elevation_m.shape[0])
    dz_row, dz_col = np.gradient(elevation_m * z_factor)
    slope = np.arctan(np.hypot(dz_col / dx, dz_row / dy))
    aspect = np.arctan2(dz_row / dy, -dz_col / dx)  # ESRI convention, rows run south
    zenith = np.radians(90.0 - altitude_deg)
    azimuth = np.radians(360.0 - azimuth_deg + 90.0)
    shade = np.cos(zenith) * np.cos(slope) + np.sin(zenith) * np.sin(slope) * np.cos(
        azimuth - aspect
    )
    return np.clip(shade, 0, 1)


def hillshade_rgba(
    elevation_m: np.ndarray,
    transform: Affine,
    *,
    upsample: int = 4,
    outline: shapely.Geometry | None = None,
) -> np.ndarray:
    """An RGBA image (uint8) of the hillshade tinted by height, transparent where unknown.

    The ~9 km grid is first resampled bilinearly `upsample` times finer (for a smooth picture,
    not more detail), and the relief is exaggerated so that the mountains of a 9 km grid read.
    Pixels outside `outline` (lon/lat polygon, e.g. the province) are transparent.
    """
    filled = np.where(np.isnan(elevation_m), np.nanmean(elevation_m), elevation_m)
    fine = ndimage.zoom(filled, upsample, order=1)
    valid = ndimage.zoom((~np.isnan(elevation_m)).astype(float), upsample, order=0) > 0.5
    fine_transform = transform @ Affine.scale(1 / upsample)
    shade = hillshade(fine, fine_transform, z_factor=12.0)
    flat = np.sin(np.radians(45.0))
    light = np.clip(0.78 + (shade - flat) * 1.6, 0.25, 1.0)[..., None]
    t = np.clip((fine - 1000) / 3500, 0, 1)[..., None]  # lowland beige -> high plateau grey-brown
    low, high = np.array([0.93, 0.90, 0.80]), np.array([0.78, 0.72, 0.64])
    rgb = np.clip((low * (1 - t) + high * t) * light, 0, 1)
    if outline is not None:
        valid &= ~rasterio.features.geometry_mask(
            [outline], out_shape=valid.shape, transform=fine_transform
        )
    alpha = np.where(valid, 0.9, 0.0)[..., None]
    return (np.concatenate([rgb, alpha], axis=-1) * 255).astype(np.uint8)
