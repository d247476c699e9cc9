"""A user's raster as the analyses hold it, and the resources they know by name.

:class:`UserRaster` is a single-band raster in EPSG:4326 (NaN where there is no value) with its
name, unit, kind and source; :data:`KNOWN_RESOURCES` names the resource rasters the analyses
know; :mod:`longtu.analysis.io.rasters` reads files into them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from affine import Affine

RasterKind = Literal["continuous", "categorical"]

#: Most cells read from a user raster (over Gansu): 25 million, 100 MB as float32, so a raster
#: uploaded to the app stays well inside the server's memory. A finer raster is read averaged
#: down (classes: the commonest class) to this many cells, and the result says so.
DEFAULT_MAX_CELLS = 25_000_000

#: Resource rasters the analyses know by name: name -> (label_zh, label_en, usual unit).
KNOWN_RESOURCES: dict[str, tuple[str, str, str]] = {
    "ghi": ("水平面总辐射", "global horizontal irradiation", "kWh/m2/yr"),
    "dni": ("法向直接辐射", "direct normal irradiation", "kWh/m2/yr"),
    "pvout": ("光伏发电潜力", "PV power potential", "kWh/kWp/yr"),
    "wind_speed": ("平均风速", "mean wind speed", "m/s"),
    "wind_power_density": ("风功率密度", "wind power density", "W/m2"),
}


@dataclass(frozen=True)
class UserRaster:
    """A single-band raster in EPSG:4326, NaN where there is no value.

    Attributes
    ----------
    data : numpy.ndarray
        2-D float64 array.
    transform : affine.Affine
        Pixel-to-lon/lat transform.
    name : str
        Short name, e.g. ``"ghi"``.
    unit : str
        Unit of the values, e.g. ``"kWh/m2/yr"``.
    kind : {"continuous", "categorical"}
        How it was (and must be) resampled.
    source : str
        Where it came from (file, dataset, method); ``"modelled"`` surfaces say so here.
    tags : dict
        Extra metadata (source CRS, resampling, caveats).
    """

    data: np.ndarray
    transform: Affine
    name: str
    unit: str
    kind: RasterKind = "continuous"
    source: str = ""
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def column(self) -> str:
        """Column name for sampled values: name and unit, e.g. ``ghi_kwh_m2_yr``."""
        return f"{self.name}_{unit_slug(self.unit)}"


def unit_slug(unit: str) -> str:
    """A unit as a column-name suffix.

    Examples
    --------
    >>> unit_slug("kWh/m2/yr"), unit_slug("m/s"), unit_slug("W/m²")
    ('kwh_m2_yr', 'm_s', 'w_m2')
    """
    text = unit.replace("²", "2").replace("³", "3").lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")
