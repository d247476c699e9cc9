"""Settings of 陇图 Longtu, in one place (the osmnx ``settings`` pattern).

Each value can be changed at run time (``longtu.settings.data_folder = Path(...)``) or, for
the data folder, by the environment variable ``LONGTU_DATA_DIR``.

Attributes
----------
data_folder : pathlib.Path
    Where the built base layers live (GeoParquet and GeoTIFF files plus ``manifest.json``).
    Default: ``$LONGTU_DATA_DIR`` or ``~/.cache/longtu/<version>`` (rebuilt when missing).
cache_folder : pathlib.Path
    ``~/.cache/longtu``: the default data folders of every version (earlier versions also kept
    the planning workspace there).
workspace_folder : pathlib.Path
    Where the planning workspace (``workspace.gpkg``: the scenarios, edits and reviews, which
    are people's work, not a cache) is kept by default: the user's data folder
    (``~/.local/share/longtu`` on Linux, ``%LOCALAPPDATA%/longtu`` on Windows,
    ``~/Library/Application Support/longtu`` on macOS); the same for every version.
plan_folder : pathlib.Path
    The authored plan tables (CSV) shipped with the package.
storage_crs : str
    CRS of every stored layer: ``"EPSG:4326"`` (WGS84 longitude/latitude).
equal_area_crs : str
    Albers equal-area conic for China (standard parallels 25 N and 47 N, central meridian 105 E);
    every area is computed in it.
province_adcode : str
    Gansu's administrative code, ``"620000"``.
gansu_bounds : tuple of float
    (west, south, east, north) in degrees, a little larger than the province, used to cut
    global rasters and river files before the exact clip.
raster_clip_buffer_km : float
    How far beyond the province border rasters are kept, so that edge pixels are whole.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import platformdirs

from longtu import __version__

cache_folder: Path = Path.home() / ".cache" / "longtu"


def _default_data_folder() -> Path:
    env = os.environ.get("LONGTU_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return cache_folder / __version__


data_folder: Path = _default_data_folder()
workspace_folder: Path = platformdirs.user_data_path("longtu", appauthor=False)


def _package_folder(name: str) -> Path:
    """Folder of an installed subpackage, found without importing it (no import cycle)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{name} is not installed; reinstall Longtu (pip install .).")
    return Path(next(iter(spec.submodule_search_locations)))


plan_folder: Path = _package_folder("longtu.gis_data") / "plan"
storage_crs: str = "EPSG:4326"
equal_area_crs: str = (
    "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)
province_adcode: str = "620000"
gansu_bounds: tuple[float, float, float, float] = (92.0, 32.4, 109.0, 43.0)
raster_clip_buffer_km: float = 10.0
