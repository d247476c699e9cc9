"""The maps of the constraint page: plan features by severity, and a site among the constraints.

Each function builds a folium map (the page shows it with ``st_folium``); the constraint
layers are drawn in purple under the features or the site.
"""

from __future__ import annotations

import weakref

import folium
import shapely

from longtu.analysis.constraints.check import ConstraintLayer
from longtu.app_pages.common import language, plain_base_map, t
from longtu.maps import labels
from longtu.maps.style import Language, bilingual
from longtu.maps.web import coverage, interactive
from longtu.maps.web import elements as web_elements
from longtu.maps.web.coverage import CoverageImage, cell_km
from longtu.maps.web.images import image_url
from longtu.maps.web.offline import localize_assets
from longtu.maps.web.streamlit_assets import ASSET_BASE_URL

#: Colour of each severity on the conflict map and in its legend.
SEVERITY_COLOURS = {"conflict": "#d7191c", "near": "#fdae61", "clear": "#1a9641"}
#: Colour of the site on its map, by verdict.
VERDICT_COLOURS = {"fits": "#1a9641", "fits_with_conditions": "#f28e2b", "does_not_fit": "#d7191c"}


def conflict_map(result, layers: list[ConstraintLayer]) -> folium.Map:
    """The plan features coloured by their worst severity, over the constraint layers."""
    fmap = plain_base_map()
    for layer in layers:
        add_constraint_layer(fmap, layer)
    worst = result.tables["features"]
    worst = worst[worst.geometry.notna()].copy()
    lang = language()
    worst["label"] = [
        f"{_feature_name(zh, en, lang)} — {labels.severity_label(severity, language=lang)}"
        for zh, en, severity in zip(
            worst["name_zh"], worst["name_en"], worst["severity"], strict=True
        )
    ]
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


def _feature_name(zh: str, en: object, lang: Language) -> str:
    """A plan feature's name in the chosen language (its Chinese where it has no English).

    Examples
    --------
    >>> _feature_name("嘉峪关工业园区", "Jiayuguan Industrial Park", "en")
    'Jiayuguan Industrial Park'
    >>> _feature_name("嘉峪关工业园区", None, "en"), _feature_name("嘉峪关工业园区", "", "zh")
    ('嘉峪关工业园区', '嘉峪关工业园区')
    """
    return bilingual(zh, en, language=lang) if isinstance(en, str) and en else zh


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
    """The site (a circle in the colour of its verdict) and the constraint layers around it."""
    fmap = plain_base_map()
    pad = 0.6
    around = (verdict.lon - pad, verdict.lat - pad, verdict.lon + pad, verdict.lat + pad)
    for layer in layers:
        add_constraint_layer(fmap, layer, around=around)
    colour = VERDICT_COLOURS.get(verdict.verdict, VERDICT_COLOURS["does_not_fit"])
    folium.CircleMarker(  # a drawn circle: Leaflet's image markers need scripts not shipped
        [verdict.lat, verdict.lon],
        radius=9,
        color="white",
        weight=3,
        fill=True,
        fill_color=colour,
        fill_opacity=1.0,
        tooltip=t(verdict.verdict_zh, verdict.verdict_en),
    ).add_to(fmap)
    entries = [(colour, "fill", t("拟选址", "Proposed site"))]
    entries += [("#6a3d9a", "area", t("约束图层", "Constraint layers"))] if layers else []
    web_elements.add_legend(fmap, web_elements.legend_html(entries, title=t("图例", "Legend")))
    fmap.fit_bounds(
        [[verdict.lat - pad, verdict.lon - pad], [verdict.lat + pad, verdict.lon + pad]]
    )
    folium.LayerControl(collapsed=False).add_to(fmap)
    return localize_assets(fmap, base_url=ASSET_BASE_URL)


#: A constraint layer with more features or vertices than these (in the part a map shows) is
#: drawn as an image of the ground it covers (:func:`longtu.maps.web.coverage.coverage_image`).
DRAWN_FEATURES_MAX = 5_000
DRAWN_VERTICES_MAX = 250_000


def add_constraint_layer(
    fmap: folium.Map, layer: ConstraintLayer, *, around: tuple[float, ...] | None = None
) -> None:
    """One constraint layer drawn in purple (polygons simplified for the browser).

    A layer of many features (over :data:`DRAWN_FEATURES_MAX` or :data:`DRAWN_VERTICES_MAX`)
    is drawn only around `around` (``(west, south, east, north)``, the view of a map about one
    place) when given, and, if still that large, as an image of the ground it covers; its name
    in the layer box says so.
    """
    frame = layer.frame[["geometry"]]
    lang = language()
    category = labels.value_words("category", layer.category, language=lang)
    name = f"{layer.label} ({category})" if lang == "en" else f"{layer.label}（{category}）"
    if _too_many(frame) and around is not None:
        frame = frame.iloc[frame.sindex.query(shapely.box(*around))]
        name += t("（仅图幅内）", " (this view only)")
    if len(frame) == 0:
        return
    if _too_many(frame):
        image = _layer_image(layer.frame) if around is None else _image(frame)
        _add_coverage_image(fmap, image, name + t("（示意图像）", " (image)"))
        return
    if frame.geom_type.isin(["Polygon", "MultiPolygon"]).all():
        frame = interactive.simplify_for_display(frame, tolerance_deg=0.005)
    folium.GeoJson(
        frame.__geo_interface__,  # once: folium would build it twice from a GeoDataFrame
        name=name,
        style_function=lambda _: {"color": "#6a3d9a", "weight": 1, "fillOpacity": 0.25},
    ).add_to(fmap)


def _too_many(frame) -> bool:
    """Whether a layer has more features or vertices than a web map draws one by one."""
    if len(frame) > DRAWN_FEATURES_MAX:
        return True
    return int(shapely.get_num_coordinates(frame.geometry.to_numpy()).sum()) > DRAWN_VERTICES_MAX


_LAYER_IMAGES: dict[int, CoverageImage] = {}
"""The image of each whole layer drawn, by its frame's ``id``, while that frame lives."""


def _layer_image(frame) -> CoverageImage:
    """The image of the ground a whole layer's `frame` covers, drawn once while it lives.

    The page keeps a read layer's frame across its runs: a language switch, which builds the
    map again, takes the image drawn before (about 4 s for 100,000 parcels).
    """
    key = id(frame)
    image = _LAYER_IMAGES.get(key)
    if image is None:
        image = _LAYER_IMAGES[key] = _image(frame)
        weakref.finalize(frame, _LAYER_IMAGES.pop, key, None)
    return image


def _image(frame) -> CoverageImage:
    return coverage.coverage_image(frame.geometry.to_numpy())


def _add_coverage_image(fmap: folium.Map, image: CoverageImage, name: str) -> None:
    """The ground a large layer covers, as one image."""
    overlay = folium.raster_layers.ImageOverlay(
        "data:image/png;base64,",  # replaced below: folium reads a relative URL as a file name
        bounds=[list(image.bounds[0]), list(image.bounds[1])],
        name=name,
    )
    overlay.url = image_url(image.png, "constraints", None)
    overlay.add_to(fmap)


def image_note(layers: list[ConstraintLayer]) -> str | None:
    """What the conflict map says under it when it draws layers as images (else None)."""
    large = [layer for layer in layers if _too_many(layer.frame)]
    if not large:
        return None
    zh = "；".join(
        f"{layer.label}（{len(layer.frame):,} 个要素）以覆盖范围的示意图像显示，"
        f"网格约 {cell_km(layer.frame.total_bounds):.2g} km"
        for layer in large
    )
    en = "; ".join(
        f"{layer.label} ({len(layer.frame):,} features) is drawn as an image of the ground it "
        f"covers, in cells of about {cell_km(layer.frame.total_bounds):.2g} km"
        for layer in large
    )
    return t(
        f"地图上，{zh}；冲突按原始图形判定。",
        f"On the map, {en}; the conflicts are found on the features themselves.",
    )
