"""Available area of a county or prefecture after the siting exclusions (reV supply-curve style).

Most plan energy sites are placed at a county's or prefecture's symbol point (its seat), so
the land cover and town distance *at the point* describe the seat, not a site. What can be
said is how much of the unit's area passes the exclusions (slope, land cover, distance to
towns) and what the resource is over that area. The screens run on a 0.05-degree grid (the
land-cover resolution): slope of the ~9 km terrain cell, IGBP class, distance to the nearest
GeoNames town in the equal-area CRS, and each pixel's geodesic area. The resource over a unit's
available area is the zonal mean of the user's raster at its own resolution
(:func:`longtu.analysis.zonal.zonal_stats`) over the outline of the available cells.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio.features
import rasterio.transform
import shapely
import shapely.geometry
from affine import Affine
from pyproj import Geod
from scipy.spatial import cKDTree

from longtu import settings
from longtu.analysis.distance import check_wgs84
from longtu.analysis.io.rasters import UserRaster
from longtu.analysis.tables import screening_thresholds
from longtu.analysis.zonal import zonal_stats

_GEOD = Geod(ellps="WGS84")


def gansu_grid(cell_deg: float) -> tuple[Affine, tuple[int, int]]:
    """The transform and shape of a lon/lat grid of `cell_deg` degrees over ``gansu_bounds``.

    Examples
    --------
    >>> transform, shape = gansu_grid(0.5)
    >>> shape, (transform.c, transform.f)
    ((21, 34), (92.0, 43.0))
    """
    west, south, east, north = settings.gansu_bounds
    shape = (round((north - south) / cell_deg), round((east - west) / cell_deg))
    return Affine(cell_deg, 0.0, west, 0.0, -cell_deg, north), shape


def burn_values(
    frame: gpd.GeoDataFrame, values: np.ndarray, transform: Affine, shape, fill: float
) -> np.ndarray:
    """Rasterise `frame`'s geometries with one value each on the grid (`transform`, `shape`)."""
    shapes = zip(frame.geometry, values, strict=True)
    return rasterio.features.rasterize(
        shapes, out_shape=shape, transform=transform, fill=fill, dtype="float64"
    )


def _cell_area_km2(transform: Affine, shape: tuple[int, int]) -> np.ndarray:
    """Geodesic area (km²) of one cell in each row."""
    north = transform.f + np.arange(shape[0]) * transform.e
    areas = []
    for top in north:
        lons = [transform.c, transform.c + transform.a, transform.c + transform.a, transform.c]
        lats = [top, top, top + transform.e, top + transform.e]
        areas.append(abs(_GEOD.polygon_area_perimeter(lons, lats)[0]) / 1e6)
    return np.asarray(areas)


def _rule_value(rules: pd.DataFrame, criterion: str) -> str | None:
    row = rules[rules["criterion"] == criterion]
    return None if row.empty else str(row["value"].iloc[0])


def _pass_mask(
    rules: pd.DataFrame, slope: np.ndarray, igbp: np.ndarray, town_km: np.ndarray
) -> np.ndarray:
    ok = ~np.isnan(igbp)
    slope_max = _rule_value(rules, "slope_max")
    if slope_max is not None:
        ok &= slope <= float(slope_max)
    excluded = _rule_value(rules, "land_cover_excluded")
    if excluded is not None:
        ok &= ~np.isin(igbp, [int(c) for c in excluded.split(";") if c.strip()])
    town_min = _rule_value(rules, "distance_to_town_min")
    if town_min is not None:
        ok &= town_km >= float(town_min)
    return ok


def available_area(
    units: gpd.GeoDataFrame,
    *,
    technology: str,
    terrain: gpd.GeoDataFrame,
    land_cover: gpd.GeoDataFrame,
    towns: gpd.GeoDataFrame,
    thresholds: pd.DataFrame | None = None,
    resource_rasters: Sequence[UserRaster] = (),
    cell_deg: float = 0.05,
) -> pd.DataFrame:
    """Area of each unit passing the exclusion rules of `technology`, and its resource.

    Parameters
    ----------
    units
        Polygons (EPSG:4326), e.g. counties.
    technology
        Rule set of :func:`longtu.analysis.tables.screening_thresholds` (``slope_max``,
        ``land_cover_excluded``, ``distance_to_town_min`` are used here).
    terrain, land_cover, towns
        Base layers (``slope_deg`` cells, ``igbp_class`` polygons, town points).
    thresholds
        Rule table; default :func:`longtu.analysis.tables.screening_thresholds`.
    resource_rasters
        Each adds ``<column>_mean_available``: mean over the unit's available cells.
    cell_deg
        Grid cell size, degrees (a grid spacing, not a distance).

    Returns
    -------
    pandas.DataFrame
        Indexed like `units`: ``grid_area_km2``, ``available_km2``, ``available_share_pct``.

    Examples
    --------
    >>> from longtu.layout import load_layer
    >>> counties = load_layer("counties").query("adcode == '620982'")
    >>> out = available_area(counties, technology="pv", terrain=load_layer("terrain"),
    ...     land_cover=load_layer("land_cover"), towns=load_layer("towns"))
    >>> bool(0 < out["available_share_pct"].iloc[0] <= 100)
    True
    """
    check_layers_wgs84(units=units, terrain=terrain, land_cover=land_cover, towns=towns)
    table = screening_thresholds() if thresholds is None else thresholds
    rules = table[table["technology"] == technology]
    transform, shape = gansu_grid(cell_deg)
    ok = _passing_cells(rules, terrain, land_cover, towns, transform, shape)
    unit_id = burn_values(units, np.arange(len(units), dtype=float), transform, shape, -1.0)
    out = _unit_areas(unit_id.astype(int), ok, transform, units.index)
    if resource_rasters:
        outline = available_outline(unit_id.astype(int), ok, transform, len(units))
        for raster in resource_rasters:
            out[f"{raster.column}_mean_available"] = resource_mean(raster, outline)
    return out


def check_layers_wgs84(**layers: gpd.GeoDataFrame) -> None:
    """Check that each layer is in EPSG:4326, naming it by its keyword in the error."""
    for name, frame in layers.items():
        check_wgs84(frame, name)


def _town_distance_km(
    towns: gpd.GeoDataFrame, transform: Affine, shape: tuple[int, int]
) -> np.ndarray:
    """Distance (km) from each cell centre to the nearest town, in the equal-area CRS."""
    rows, cols = np.indices(shape)
    lon = transform.c + (cols + 0.5) * transform.a
    lat = transform.f + (rows + 0.5) * transform.e
    centres = gpd.GeoSeries.from_xy(lon.ravel(), lat.ravel(), crs=settings.storage_crs)
    projected = centres.to_crs(settings.equal_area_crs)
    town_xy = towns.geometry.to_crs(settings.equal_area_crs).get_coordinates().to_numpy()
    town_km = cKDTree(town_xy).query(projected.get_coordinates().to_numpy())[0] / 1000.0
    return town_km.reshape(shape)


def _passing_cells(
    rules: pd.DataFrame,
    terrain: gpd.GeoDataFrame,
    land_cover: gpd.GeoDataFrame,
    towns: gpd.GeoDataFrame,
    transform: Affine,
    shape: tuple[int, int],
) -> np.ndarray:
    """Cells that pass the rules on slope, land cover class and distance to towns."""
    slope = burn_values(terrain, terrain["slope_deg"].to_numpy(float), transform, shape, np.nan)
    igbp = burn_values(
        land_cover, land_cover["igbp_class"].to_numpy(float), transform, shape, np.nan
    )
    return _pass_mask(rules, slope, igbp, _town_distance_km(towns, transform, shape))


def _unit_areas(
    unit_id: np.ndarray, ok: np.ndarray, transform: Affine, index: pd.Index
) -> pd.DataFrame:
    """Grid area, available area (km², geodesic) and available share (%) of each unit."""
    area = np.broadcast_to(_cell_area_km2(transform, unit_id.shape)[:, None], unit_id.shape)
    ids = unit_id.ravel()
    inside = ids >= 0
    total = np.bincount(ids[inside], weights=area.ravel()[inside], minlength=len(index))
    avail_mask = inside & ok.ravel()
    avail = np.bincount(ids[avail_mask], weights=area.ravel()[avail_mask], minlength=len(index))
    return pd.DataFrame(
        {
            "grid_area_km2": total,
            "available_km2": avail,
            "available_share_pct": np.where(
                total > 0, 100 * avail / np.maximum(total, 1e-9), np.nan
            ),
        },
        index=index,
    )


def available_outline(
    unit_id: np.ndarray, ok: np.ndarray, transform: Affine, n_units: int
) -> gpd.GeoDataFrame:
    """One (multi)polygon per unit: the outline of its grid cells that pass (None if none).

    Examples
    --------
    >>> ids = np.array([[0, 0, 1], [0, -1, 1]])
    >>> ok = np.array([[True, False, True], [True, True, False]])
    >>> outline = available_outline(ids, ok, Affine(1, 0, 100, 0, -1, 40), 3)
    >>> shapely.area(outline.geometry.to_numpy()).tolist()  # in square degrees here
    [2.0, 1.0, nan]
    """
    mask = ok & (unit_id >= 0)
    parts = [
        (shapely.geometry.shape(geometry), int(value))
        for geometry, value in rasterio.features.shapes(
            unit_id.astype(np.int32), mask=mask, transform=transform
        )
    ]
    frame = gpd.GeoDataFrame(
        {"unit": [u for _, u in parts]}, geometry=[g for g, _ in parts], crs=settings.storage_crs
    )
    merged = frame.dissolve("unit") if parts else frame.set_index("unit")
    return gpd.GeoDataFrame(geometry=merged.geometry.reindex(range(n_units)), crs=frame.crs)


def resource_mean(raster: UserRaster, areas: gpd.GeoDataFrame) -> np.ndarray:
    """Mean of `raster` over each area, at the raster's own resolution.

    Cells count by the cell-centre rule; an area holding no cell centre (under a raster coarser
    than the area) takes the mean of the cells it touches.

    Parameters
    ----------
    raster
        A user raster (EPSG:4326).
    areas
        Polygons in EPSG:4326; missing or empty ones, and those off the raster, give NaN.

    Returns
    -------
    numpy.ndarray
        One mean per row of `areas`, in the raster's unit.

    Examples
    --------
    >>> r = UserRaster(np.array([[1.0, 2.0], [3.0, 4.0]]), Affine(1, 0, 100, 0, -1, 40),
    ...                "ghi", "kWh/m2/yr")
    >>> areas = gpd.GeoDataFrame(geometry=[shapely.box(100, 38, 102, 39),
    ...     shapely.box(100.1, 39.1, 100.2, 39.2), None], crs="EPSG:4326")
    >>> resource_mean(r, areas).tolist()
    [3.5, 1.0, nan]
    """
    placed = ~(areas.geometry.isna() | areas.geometry.is_empty).to_numpy()
    means = np.full(len(areas), np.nan)
    west, south, east, north = rasterio.transform.array_bounds(*raster.data.shape, raster.transform)
    on_raster = placed & areas.intersects(shapely.box(west, south, east, north)).to_numpy()
    if not on_raster.any():
        return means
    zones = areas[on_raster]
    centre = zonal_stats(raster, zones, stats=("mean",))["mean"].to_numpy(copy=True)
    thin = np.isnan(centre)
    if thin.any():
        touched = zonal_stats(raster, zones[thin], stats=("mean",), coverage="all_touched")
        centre[thin] = touched["mean"].to_numpy()
    means[on_raster] = centre
    return means
