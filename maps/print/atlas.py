"""Atlases: one map page per prefecture, economic zone or industrial base, with an index page.

Like a QGIS atlas: the same layout on every page (:func:`longtu.maps.print.page.render_page`), the
unit centred and the rest veiled; an index page first with an overview map numbering the units and a
table of page numbers; PDF bookmarks for every page. An atlas of a planning scenario draws its
layers, names it on every page, and has the briefing's changes pages (redline map, change table;
:mod:`longtu.maps.print.change_tables`) after the index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, TypedDict

import geopandas as gpd
import matplotlib as mpl
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from longtu import settings
from longtu.layout import load_layer
from longtu.layout.scenarios import Scenario
from longtu.maps.print import paths
from longtu.maps.print.change_tables import scenario_sections
from longtu.maps.print.fonts import print_rc
from longtu.maps.print.furniture import draw_header, set_view
from longtu.maps.print.page import (
    DEFAULT_LAYERS,
    Extent,
    Orientation,
    PageError,
    Paper,
    figure_size_in,
    finish_pdf,
    render_page,
    resolve_extent,
    scenario_label,
)
from longtu.maps.print.progress import FINISHING, Progress, no_progress
from longtu.maps.print.projection import project_gdf
from longtu.maps.print.table_pages import draw_table

AtlasBy = Literal["prefecture", "zone", "base"]
ATLAS_TITLES = {
    "prefecture": ("甘肃省市州产业布局图集", "Atlas of industrial layout by prefecture"),
    "zone": ("甘肃省三大经济区产业布局图集", "Atlas of the three economic zones"),
    "base": ("甘肃省六大产业基地图集", "Atlas of the six industrial bases"),
}


def atlas_units(by: AtlasBy) -> list[Extent]:
    """The units of an atlas, in page order.

    Examples
    --------
    >>> [len(atlas_units(by)) for by in ("prefecture", "zone", "base")]
    [14, 3, 6]
    """
    if by == "prefecture":
        keys = sorted(load_layer("prefectures")["adcode"])
    elif by == "zone":
        zones = load_layer("economic_zones")
        keys = list(zones.loc[zones["level"] == "zone", "feature_id"])
    elif by == "base":
        keys = list(dict.fromkeys(load_layer("industrial_bases")["base_id"]))
    else:
        raise PageError(
            f"`by` {by!r} is not supported; use 'prefecture', 'zone' or 'base'.",
            zh=f"分页方式 {by} 不可用；请用 prefecture（按市州）、zone（按经济区）"
            "或 base（按产业基地）。",
        )
    return [resolve_extent(f"{by}:{key}") for key in keys]


def make_atlas(
    out_pdf: str | Path,
    *,
    by: AtlasBy = "prefecture",
    layers: list[str] | None = None,
    paper: Paper = "A4",
    orientation: Orientation = "portrait",
    approval_no: str | None = None,
    date: dt.date | None = None,
    plan: Mapping[str, gpd.GeoDataFrame] | None = None,
    scenario: Scenario | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write an atlas PDF: an index page, then one page per unit.

    Parameters
    ----------
    out_pdf
        Output PDF path.
    by
        ``"prefecture"`` (14 pages), ``"zone"`` (3) or ``"base"`` (6).
    layers
        Plan layers drawn on every page (default: zones, parks, energy sites; bases for
        ``by="base"``).
    paper, orientation, approval_no, date
        As for :func:`longtu.maps.print.page.render_page`.
    plan
        Plan layers to draw instead of the stored ones.
    scenario
        A planning scenario (``Workspace(path).load(name)``): its layers are drawn, every page
        names it (with the number of its edits), and its changes pages (redline map, change
        table) follow the index. Give `plan` or `scenario`, not both.
    progress
        Called with (pages done, pages in all, what is being drawn) before the changes pages,
        the index and each unit's page, and once more while fonts are embedded.

    Returns
    -------
    pathlib.Path
        `out_pdf`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from pypdf import PdfReader
    >>> out = make_atlas(pathlib.Path(tempfile.mkdtemp()) / "a.pdf", by="zone")
    >>> len(PdfReader(out).pages)
    4
    """
    if plan is not None and scenario is not None:
        raise PageError("`plan` and `scenario` both give layers; pass one of them.")
    units = atlas_units(by)
    layers, frames, source = _atlas_layers(by, layers, plan, scenario)
    page = _PageOptions(paper=paper, orientation=orientation, approval_no=approval_no,
                        date=date or dt.date.today())  # fmt: skip
    return _write_atlas(Path(out_pdf), units, by, layers, frames, source, scenario, page, progress)


class _PageOptions(TypedDict):
    """The page options every page of an atlas shares."""

    paper: Paper
    orientation: Orientation
    approval_no: str | None
    date: dt.date


def _atlas_layers(
    by: AtlasBy,
    layers: list[str] | None,
    plan: Mapping[str, gpd.GeoDataFrame] | None,
    scenario: Scenario | None,
) -> tuple[list[str], dict[str, gpd.GeoDataFrame], Mapping[str, gpd.GeoDataFrame] | None]:
    """The layers drawn, their frames, and where they come from (scenario, plan or none)."""
    if layers is None:
        layers = ["industrial_bases"] if by == "base" else list(DEFAULT_LAYERS)
    source = scenario.layers if scenario is not None else plan
    frames = {name: source[name] if source else load_layer(name) for name in layers}
    return layers, frames, source


def _write_atlas(
    out: Path,
    units: list[Extent],
    by: AtlasBy,
    layers: list[str],
    frames: dict[str, gpd.GeoDataFrame],
    source: Mapping[str, gpd.GeoDataFrame] | None,
    scenario: Scenario | None,
    page: _PageOptions,
    progress: Progress | None,
) -> Path:
    """Save the changes pages, the index and the unit pages to `out`, then finish the PDF."""
    title_zh, title_en = ATLAS_TITLES[by]
    bookmarks = [(f"目录 Index — {title_zh}", 0, 0)]
    report, steps = progress or no_progress, len(units) + 1
    with mpl.rc_context(print_rc()), PdfPages(out) as pdf:
        # made inside the print settings: a figure's fonts are set when it is made
        report(0, steps, "规划变更页 Changes pages" if scenario is not None else "目录 Index")
        changes = _changes_pages(scenario, **page)
        first_unit_page = 1 + sum(len(figs) for _, _, figs in changes)
        pdf.savefig(_index_page(units, by, paper=page["paper"], orientation=page["orientation"],
                                first_page=first_unit_page + 1, scenario=scenario))  # fmt: skip
        bookmarks += _save_changes(pdf, changes, maps_title=f"图幅 Maps — {title_zh}")
        for i, unit in enumerate(units):
            report(i + 1, steps, f"{unit.name_zh} {unit.name_en}")
            if by == "base" and "industrial_bases" in frames:
                bases = source["industrial_bases"] if source else load_layer("industrial_bases")
                frames["industrial_bases"] = bases[bases["base_id"] == unit.key]
            pdf.savefig(render_page(
                extent=unit, layers=layers, title_zh=unit.name_zh, title_en=unit.name_en,
                subtitle=f"{title_zh} · 第 {i + 1}/{len(units)} 幅 · map {i + 1} of {len(units)}",
                plan=frames, scenario=scenario, **page,
            ))  # fmt: skip
            bookmarks.append((f"{i + 1}. {unit.name_zh} {unit.name_en}", first_unit_page + i, 1))
    report(steps, steps, FINISHING)
    return finish_pdf(
        out, title=f"{title_zh} {title_en}", subject="陇图 Longtu atlas", bookmarks=bookmarks
    )


def _save_changes(
    pdf: PdfPages, changes: list[tuple[str, int, list[Figure]]], *, maps_title: str
) -> list[tuple[str, int, int]]:
    """Save the changes pages after the index; their bookmarks, and one heading the maps."""
    bookmarks, page = [], 1
    for title, level, figs in changes:
        bookmarks.append((title, page, level))
        for fig in figs:
            pdf.savefig(fig)
        page += len(figs)
    if changes:  # the unit pages under their own heading, not under the changes
        bookmarks.append((maps_title, page, 0))
    return bookmarks


def _changes_pages(
    scenario: Scenario | None,
    *,
    paper: Paper,
    orientation: Orientation,
    approval_no: str | None,
    date: dt.date,
) -> list[tuple[str, int, list[Figure]]]:
    """The briefing's changes section of `scenario`: (bookmark, level, its pages), or none."""
    if scenario is None:
        return []
    figsize = figure_size_in(paper, orientation)
    changes, _ = scenario_sections(
        scenario,
        figsize=figsize,
        paper=paper,
        orientation=orientation,
        approval_no=approval_no,
        date=date,
    )
    return [(title or "", level, make() if make else []) for title, level, make in changes]


def _unit_geometries(units: list[Extent], by: AtlasBy) -> gpd.GeoDataFrame:
    geoms = []
    for unit in units:
        if by == "base":
            bases = load_layer("industrial_bases")
            members = bases[(bases["base_id"] == unit.key) & bases.geometry.notna()]
            geoms.append(members.geometry.union_all())
        else:
            geoms.append(unit.geometry)
    frame = gpd.GeoDataFrame(
        {"n": range(1, len(units) + 1)}, geometry=geoms, crs=settings.storage_crs
    )
    return project_gdf(frame)


def _index_page(
    units: list[Extent],
    by: AtlasBy,
    *,
    paper: Paper,
    orientation: Orientation,
    first_page: int = 2,
    scenario: Scenario | None = None,
) -> Figure:
    """The index: an overview map numbering the units, a table of their pages.

    The first unit is on page `first_page` (1-based).
    """
    title_zh, title_en = ATLAS_TITLES[by]
    fig = paths.new_figure(figure_size_in(paper, orientation))
    portrait = orientation == "portrait"
    ax = fig.add_axes((0.08, 0.42, 0.84, 0.45) if portrait else (0.04, 0.08, 0.55, 0.78))
    province = load_layer("province")
    set_view(ax, province.geometry.iloc[0], fig)
    prov = project_gdf(province)
    paths.add_polygons(ax, prov.geometry, facecolor="white", zorder=1)
    paths.add_lines(
        ax,
        project_gdf(load_layer("prefectures")).geometry,
        color="#bbbbbb",
        linewidth=0.4,
        zorder=2,
    )
    paths.add_lines(ax, prov.geometry, color="#333333", linewidth=1.0, zorder=3)
    frame = _unit_geometries(units, by)
    colors = mpl.color_sequences["tab20"]
    for (n, geom), color in zip(
        zip(frame["n"], frame.geometry, strict=True), colors * 3, strict=False
    ):
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            paths.add_polygons(ax, [geom], facecolor=color, alpha=0.45, zorder=2)
        pt = geom.representative_point()
        ax.text(
            pt.x,
            pt.y,
            str(n),
            fontsize=9,
            ha="center",
            va="center",
            zorder=5,
            bbox={"boxstyle": "circle,pad=0.25", "fc": "white", "ec": color, "lw": 1.2},
        )
    rows = [
        [str(i), u.name_zh, u.name_en, str(first_page + i - 1)]
        for i, u in enumerate(units, start=1)
    ]
    tax = fig.add_axes((0.08, 0.06, 0.84, 0.33) if portrait else (0.62, 0.08, 0.34, 0.78))
    draw_table(
        tax, ["图号 No.", "名称", "Name", "页码 Page"], rows, col_widths=[0.1, 0.3, 0.45, 0.15]
    )
    subtitle = "目录 Index"
    if scenario is not None:
        subtitle += f" · {scenario_label(scenario)}"
    draw_header(fig, title_zh, title_en, subtitle)
    return fig
