"""The result object every analysis returns (the esda pattern: documented attributes).

An analysis is a plain function, GeoDataFrames in and an :class:`AnalysisResult` out; it never
reads or writes files. ``longtu analyze NAME --out DIR`` writes a result generically: every
table to ``DIR/<name>.gpkg`` (one GeoPackage layer per GeoDataFrame) and ``DIR/<table>.csv``,
every raster to ``DIR/<raster>.tif``, and the summary and numbers to ``DIR/summary.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from affine import Affine

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class RasterResult:
    """A raster output in EPSG:4326.

    Attributes
    ----------
    data : numpy.ndarray
        2-D float array, NaN where no value.
    transform : affine.Affine
        Pixel-to-lon/lat transform.
    band_name : str
        What a pixel holds, with its unit (e.g. ``"parks_per_10000_km2"``).
    tags : dict
        Method, parameters and caveats, written into the GeoTIFF.
    """

    data: np.ndarray
    transform: Affine
    band_name: str
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class AnalysisResult:
    """What an analysis found, ready to quote, map and export.

    Attributes
    ----------
    name : str
        Analysis name (``"clustering"``, ``"resource"``, ``"water"``, ``"constraints"``…).
    summary_zh, summary_en : str
        One line each that a planner can quote, with the key numbers.
    numbers : dict
        The numbers behind the summary (name with unit -> value).
    tables : dict
        Table name -> DataFrame or GeoDataFrame (EPSG:4326).
    rasters : dict
        Raster name -> :class:`RasterResult`.
    parameters : dict
        The parameters the analysis ran with.
    """

    name: str
    summary_zh: str
    summary_en: str
    numbers: dict[str, float | int | str] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    rasters: dict[str, RasterResult] = field(default_factory=dict)
    parameters: dict[str, object] = field(default_factory=dict)
