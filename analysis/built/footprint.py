"""The built footprint: where real plants of one technology cluster, drawn from the plants alone.

Each plant is buffered by `radius_km` in an equal-area projection and the buffers of one
technology are merged; every merged part is one footprint (plants closer than twice the radius
fall in the same one). A footprint is what the register shows was built; it is never the plan's
site, whose symbol stands for a county or prefecture.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from longtu import settings


def built_footprints(
    plants: gpd.GeoDataFrame, *, radius_km: float, technologies: tuple[str, ...]
) -> gpd.GeoDataFrame:
    """Footprints of the located plants of `technologies` (one merged buffer-union part each).

    Parameters
    ----------
    plants
        The register (``technology``, ``built_mw``, ``plant_name``, geometry in EPSG:4326).
    radius_km
        Buffer around each plant; plants within twice this distance share a footprint.
    technologies
        Technologies drawn (wind, PV, CSP).

    Returns
    -------
    geopandas.GeoDataFrame
        ``technology``, ``n_plants``, ``built_mw`` (sum of known capacities), ``area_km2``,
        ``plant_names``; the polygons in EPSG:4326, largest capacity first per technology.

    Examples
    --------
    >>> p = gpd.GeoDataFrame({"technology": ["wind"] * 3, "built_mw": [49.0, 48.0, None],
    ...     "plant_name": ["A", "B", "C"]}, geometry=gpd.points_from_xy([102, 102.05, 104],
    ...     [38, 38, 37]), crs=4326)
    >>> out = built_footprints(p, radius_km=5, technologies=("wind",))
    >>> out["n_plants"].tolist(), out["built_mw"].tolist()
    ([2, 1], [97.0, 0.0])
    """
    located = plants[plants.geometry.notna() & plants["technology"].isin(technologies)]
    metric = located.to_crs(settings.equal_area_crs)
    parts = []
    for tech, group in metric.groupby("technology", sort=False):
        merged = shapely.union_all(group.geometry.buffer(radius_km * 1000.0).to_numpy())
        shapes = gpd.GeoSeries(list(getattr(merged, "geoms", [merged])), crs=metric.crs)
        parts.append(_summarise(group, shapes, str(tech)))
    if not parts:
        empty = pd.DataFrame(columns=["technology", "n_plants", "built_mw", "area_km2"])
        return gpd.GeoDataFrame(empty, geometry=[], crs=settings.storage_crs)
    frame = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=settings.equal_area_crs).to_crs(
        settings.storage_crs
    )


def _summarise(group: gpd.GeoDataFrame, shapes: gpd.GeoSeries, tech: str) -> pd.DataFrame:
    """One row per footprint of one technology: its plants, MW, area and names."""
    index = shapes.sindex.query(group.geometry, predicate="within")
    part_of = pd.Series(index[1], index=group.index[index[0]])
    rows = []
    for number, shape in enumerate(shapes):
        members = group.loc[part_of.index[part_of.to_numpy() == number]]
        names = members["plant_name"].astype(str).tolist()
        rows.append(
            {
                "technology": tech,
                "n_plants": len(members),
                "built_mw": float(members["built_mw"].sum()),
                "area_km2": shape.area / 1e6,
                "plant_names": "、".join(names[:6])
                + (f" …（{len(names)}）" if len(names) > 6 else ""),
                "geometry": shape,
            }
        )
    return pd.DataFrame(rows).sort_values("built_mw", ascending=False, kind="stable")
