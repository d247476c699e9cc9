"""The maps of the constraint page: plan features by severity, and a site among the constraints.

Each function builds a folium map (the page shows it with ``st_folium``); the constraint
layers are drawn in purple under the features or the site.
"""

from __future__ import annotations

import folium

from longtu.analysis.constraints.check import ConstraintLayer
from longtu.app_pages.common import language, plain_base_map, t
from longtu.maps import labels
from longtu.maps.web import elements as web_elements
from longtu.maps.web import interactive
from longtu.maps.web.offline import localize_assets
from longtu.maps.web.streamlit_assets import ASSET_BASE_URL

#: Colour of each severity on the conflict map and in its legend.
SEVERITY_COLOURS = {"conflict": "#d7191c", "near": "#fdae61", "clear": "#1a9641"}


def conflict_map(result, layers: list[ConstraintLayer]) -> folium.Map:
    """The plan features coloured by their worst severity, over the constraint layers."""
    fmap = plain_base_map()
    for layer in layers:
        add_constraint_layer(fmap, layer)
    worst = result.tables["features"]
    worst = worst[worst.geometry.notna()].copy()
    worst["label"] = (
        worst["name_zh"]
        + " — "
        + worst["severity"].map(lambda s: labels.severity_label(s, language=language()))
    )
    worst["style"] = worst["severity"].map(
        lambda s: {
            "color": SEVERITY_COLOURS[s],
            "fillColor": SEVERITY_COLOURS[s],
            "radius": 6,
            "fillOpacity": 0.8,
            "weight": 1,
        }
    )
    _add_severity_legend(fmap, bool(layers))
    points = worst[worst.geom_type.isin(["Point", "MultiPoint"])]
    if points.empty:
        folium.LayerControl(collapsed=False).add_to(fmap)
        return localize_assets(fmap, base_url=ASSET_BASE_URL)
    folium.GeoJson(
        points[["label", "style", "geometry"]].to_json(),
        name=t("规划要素（按冲突）", "Plan features by severity"),
        marker=folium.CircleMarker(radius=6, fill=True),
        style_function=lambda f: f["properties"]["style"],
        tooltip=folium.GeoJsonTooltip(["label"], labels=False),
    ).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    return localize_assets(fmap, base_url=ASSET_BASE_URL)


def _add_severity_legend(fmap: folium.Map, with_layers: bool) -> None:
    """The legend of the conflict map: the constraint areas and the three severities."""
    lang = language()
    entries = [("#6a3d9a", "area", t("约束图层", "Constraint layers"))] if with_layers else []
    entries += [
        (colour, "fill", labels.severity_label(severity, language=lang))
        for severity, colour in SEVERITY_COLOURS.items()
    ]
    web_elements.add_legend(
        fmap, web_elements.legend_html(entries, title=t("冲突程度", "Severity"))
    )


def site_map(verdict, layers: list[ConstraintLayer]) -> folium.Map:
    """The site (a star-like marker) and the constraint layers around it."""
    fmap = plain_base_map()
    for layer in layers:
        add_constraint_layer(fmap, layer)
    folium.Marker(
        [verdict.lat, verdict.lon],
        tooltip=t(verdict.verdict_zh, verdict.verdict_en),
        icon=folium.Icon(color={"fits": "green", "fits_with_conditions": "orange"}.get(
            verdict.verdict, "red"), icon="star"),
    ).add_to(fmap)  # fmt: skip
    entries = [("#d7191c", "fill", t("拟选址", "Proposed site"))]
    entries += [("#6a3d9a", "area", t("约束图层", "Constraint layers"))] if layers else []
    web_elements.add_legend(fmap, web_elements.legend_html(entries, title=t("图例", "Legend")))
    pad = 0.6
    fmap.fit_bounds(
        [[verdict.lat - pad, verdict.lon - pad], [verdict.lat + pad, verdict.lon + pad]]
    )
    folium.LayerControl(collapsed=False).add_to(fmap)
    return localize_assets(fmap, base_url=ASSET_BASE_URL)


def add_constraint_layer(fmap: folium.Map, layer: ConstraintLayer) -> None:
    """One constraint layer drawn in purple (polygons simplified for the browser)."""
    frame = layer.frame[["geometry"]]
    if frame.geom_type.isin(["Polygon", "MultiPolygon"]).all():
        frame = interactive.simplify_for_display(frame, tolerance_deg=0.005)
    lang = language()
    category = labels.value_words("category", layer.category, language=lang)
    folium.GeoJson(
        frame,
        name=f"{layer.label} ({category})" if lang == "en" else f"{layer.label}（{category}）",
        style_function=lambda _: {"color": "#6a3d9a", "weight": 1, "fillOpacity": 0.25},
    ).add_to(fmap)
