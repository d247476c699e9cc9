"""What the web map's legend lists: symbol colours and shapes, zones, areas, base lines."""

from __future__ import annotations

from collections.abc import Iterable

from longtu.layout import load_layer
from longtu.maps.style import (
    BOUNDARY_COLOUR,
    PARK_LEVEL_COLOURS,
    PARK_LEVEL_LABELS,
    RIVER_COLOUR,
    TECHNOLOGY_COLOURS,
    TECHNOLOGY_LABELS,
    ZONE_COLOURS,
    Language,
    bilingual,
)
from longtu.maps.web.interactive import COUNTY_COLOUR, PROVINCE_COLOUR

BASE_LEGEND_LAYERS = ("province", "prefectures", "counties", "rivers")
#: Legend rows of the symbols of each placement precision (see ``PRECISION_MARKER``).
_PRECISION_ROWS: dict[str, tuple[str, str]] = {
    "town": ("小实心圆：乡镇或地块", "small solid: town or site"),
    "county": ("虚线淡圆：县，画在县城", "dashed pale: county, at its seat"),
    "prefecture": ("点线大圆：市州，画在驻地", "dotted large: prefecture, at its seat"),
}


def _zone_names() -> dict[str, tuple[str, str]]:
    zones = load_layer("economic_zones")
    return {row.feature_id: (row.name_zh, row.name_en) for row in zones.itertuples()}


def _base_entries(language: Language, base_layers: Iterable[str]) -> list[tuple[str, str, str]]:
    rows = {
        "province": [(PROVINCE_COLOUR, "line", ("省界", "Province boundary"))],
        "prefectures": [(BOUNDARY_COLOUR, "dashed", ("市州界", "Prefecture boundary"))],
        "counties": [(COUNTY_COLOUR, "thin", ("县区界", "County boundary"))],
        "rivers": [
            (RIVER_COLOUR, "line", ("主要河流", "Major river")),
            (RIVER_COLOUR, "thin", ("其他河流", "Other river")),
        ],
    }
    wanted = set(base_layers)
    return [
        (colour, style, bilingual(*label, language=language))
        for key in BASE_LEGEND_LAYERS
        if key in wanted
        for colour, style, label in rows[key]
    ]


def default_legend_entries(
    language: Language,
    *,
    technologies: list[str],
    levels: list[str],
    zone_names: dict[str, tuple[str, str]] | None = None,
    base_layers: Iterable[str] = BASE_LEGEND_LAYERS,
    area_layers: Iterable[tuple[str, str, str]] = (),
) -> list[tuple[str, str, str]]:
    """Legend rows for what the layout map shows (see :func:`~.elements.legend_html`).

    Colour chips name what a symbol's colour means (park level, energy technology); the
    circles say how precisely the plan places it (colour aside); then the economic zones,
    any other area layers drawn and the base map's lines.

    Parameters
    ----------
    language
        ``"zh"`` (Chinese with English) or ``"en"``.
    technologies, levels
        Energy technologies and park levels present on the map.
    zone_names
        Economic zone id -> (Chinese, English) name; default: from the plan's zone layer.
    base_layers
        Which base lines are drawn: any of ``"province"``, ``"prefectures"``, ``"counties"``,
        ``"rivers"``.
    area_layers
        (colour, Chinese name, English name) of each dashed area layer drawn (sub-areas,
        industrial bases, ...).

    Examples
    --------
    >>> rows = default_legend_entries("en", technologies=["wind"], levels=["national"],
    ...                               zone_names={}, base_layers=["rivers"])
    >>> [label for _, _, label in rows if label.startswith(("Wind", "Major", "dashed"))]
    ['Wind', 'dashed pale: county, at its seat', 'Major river']
    """
    names = _zone_names() if zone_names is None else zone_names
    return [
        *_colour_rows(language, technologies, levels),
        *_shape_rows(language),
        *_area_rows(language, names, area_layers),
        *_base_entries(language, base_layers),
    ]


def _row(language: Language, colour: str, style: str, zh: str, en: str) -> tuple[str, str, str]:
    """One legend row: colour, style and the label in `language`."""
    return (colour, style, bilingual(zh, en, language=language))


def _colour_rows(
    language: Language, technologies: list[str], levels: list[str]
) -> list[tuple[str, str, str]]:
    """The heading and chips of what a symbol's colour means (park level, technology)."""
    return [
        _row(language, "", "heading", "符号颜色", "Symbol colour"),
        *[
            _row(language, colour, "chip", *PARK_LEVEL_LABELS[level])
            for level, colour in PARK_LEVEL_COLOURS.items()
            if level in levels
        ],
        *[
            _row(language, TECHNOLOGY_COLOURS[t], "chip", *TECHNOLOGY_LABELS[t])
            for t in technologies
        ],
    ]


def _shape_rows(language: Language) -> list[tuple[str, str, str]]:
    """The heading and circles of how precisely the plan places a symbol, and stacked ones."""
    return [
        _row(
            language,
            "",
            "heading",
            "符号形状：规划给出的位置精度",
            "Symbol shape: how precisely the plan places it",
        ),
        *[_row(language, "#444444", f"point:{p}", *label) for p, label in _PRECISION_ROWS.items()],
        _row(language, "#444444", "spider", "重叠符号：点击展开", "stacked: click to fan out"),
    ]


def _area_rows(
    language: Language,
    zone_names: dict[str, tuple[str, str]],
    area_layers: Iterable[tuple[str, str, str]],
) -> list[tuple[str, str, str]]:
    """The heading of areas and base map, the economic zones and the dashed area layers."""
    return [
        _row(language, "", "heading", "区域与底图", "Areas and base map"),
        *[
            _row(language, colour, "area", *zone_names[z])
            for z, colour in ZONE_COLOURS.items()
            if z in zone_names
        ],
        *[_row(language, colour, "dashed-area", zh, en) for colour, zh, en in area_layers],
    ]
