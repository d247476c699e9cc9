"""The scenario compared with its plan or another scenario: redline map, change table, downloads."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
import shapely.geometry
import streamlit as st
from shapely.geometry.base import BaseGeometry
from streamlit_folium import st_folium

from longtu.app_pages.common import language, plain_base_map, t
from longtu.app_pages.scenario_words import CHANGE_LABELS, error_text, layer_title, words
from longtu.errors import ScenarioError, WorkspaceError
from longtu.layout.export import export_layer, write_csv
from longtu.layout.scenarios import Scenario, Workspace, diff_layers, write_changes
from longtu.maps.web.offline import localize_assets
from longtu.maps.web.streamlit_assets import ASSET_BASE_URL

REDLINE = {"added": "#1a9641", "removed": "#d7191c", "moved": "#f28e2b", "reshaped": "#f28e2b"}


def _own(changes: pd.DataFrame) -> pd.Series:
    """True for the changes made to a feature itself (not followed from its park)."""
    followed = changes.get("followed_park")
    if followed is None:
        return pd.Series(True, index=changes.index)
    return followed.fillna("").eq("")


def change_table(changes: gpd.GeoDataFrame) -> pd.DataFrame:
    """The changes in words: change, layer, name, details, distance (km), the park followed."""
    details = "details_zh" if language() == "zh" else "details_en"
    names = "name_zh" if language() == "zh" else "name_en"
    followed = changes.get("followed_park", pd.Series("", index=changes.index))
    return pd.DataFrame(
        {
            t("变化", "Change"): [words(k, CHANGE_LABELS) for k in changes["kind"]],
            t("图层", "Layer"): [layer_title(layer) for layer in changes["layer"]],
            t("名称", "Name"): changes[names].where(changes[names] != "", changes["name_zh"]),
            t("说明", "Details"): changes[details],
            t("移动距离（km）", "Moved (km)"): changes["distance_km"].round(2),
            t("随所在园区", "Following its park"): followed.fillna(""),
        }
    )


def change_summary(changes: pd.DataFrame) -> str:
    """How many changes of each kind, e.g. "新增 Added 1 · 删除 Removed 1"; followed ones apart."""
    own = changes[_own(changes)]
    counts = own["kind"].value_counts()
    parts = [f"{words(k, CHANGE_LABELS)} {counts[k]}" for k in CHANGE_LABELS if k in counts]
    followed = len(changes) - len(own)
    if followed:
        parts.append(f"{t('随园区变化', 'following their park')} {followed}")
    return " · ".join(parts)


def _style(colour: str, *, dashed: bool = False) -> dict[str, Any]:
    style: dict[str, Any] = {
        "color": colour,
        "fillColor": colour,
        "weight": 3,
        "fillOpacity": 0.3,
        "radius": 7,
    }
    if dashed:
        style["dashArray"] = "6 4"
    return style


def _draw(fmap: folium.Map, geometry: BaseGeometry, label: str, style: dict[str, Any]) -> None:
    """One geometry: points as circles (never Leaflet's image markers), others as shapes."""
    if geometry.geom_type in ("Point", "MultiPoint"):
        for point in getattr(geometry, "geoms", [geometry]):
            folium.CircleMarker((point.y, point.x), tooltip=label, fill=True, **style).add_to(fmap)
        return
    folium.GeoJson(
        shapely.geometry.mapping(geometry),
        style_function=lambda _: style,
        marker=folium.CircleMarker(radius=6, fill=True),
        tooltip=label,
    ).add_to(fmap)


def redline_map(changes: gpd.GeoDataFrame, plan: dict[str, pd.DataFrame]) -> folium.Map:
    """Added green, removed red dashed, moved or reshaped orange with the old place in grey."""
    fmap = plain_base_map()
    old = {
        fid: geom
        for frame in plan.values()
        if isinstance(frame, gpd.GeoDataFrame)
        for fid, geom in zip(frame["feature_id"], frame.geometry, strict=True)
    }
    for row in changes[changes.geometry.notna()].itertuples():
        colour = REDLINE.get(str(row.kind))
        if colour is None:
            continue
        label = f"{words(str(row.kind), CHANGE_LABELS)}：{row.name_zh}"
        before = old.get(row.feature_id)
        if row.kind in ("moved", "reshaped") and before is not None:  # the old place beneath
            _draw(fmap, before, label, _style("#888888", dashed=True))
            a, b = shapely.point_on_surface(before), shapely.point_on_surface(row.geometry)
            folium.PolyLine(
                [(a.y, a.x), (b.y, b.x)], color=colour, weight=2, dash_array="4 4", tooltip=label
            ).add_to(fmap)
        _draw(fmap, row.geometry, label, _style(colour, dashed=row.kind == "removed"))
        if row.geometry.geom_type not in ("Point", "MultiPoint"):  # a site too small to see
            _draw(fmap, shapely.point_on_surface(row.geometry), label, _style(colour))
    west, south, east, north = changes.total_bounds
    fmap.fit_bounds([[south - 0.2, west - 0.2], [north + 0.2, east + 0.2]], max_zoom=9)
    return localize_assets(fmap, base_url=ASSET_BASE_URL)


def changes_csv(shown: pd.DataFrame) -> bytes:
    """The change table as shown, as CSV bytes (UTF-8 with BOM, formulas defused by write_csv)."""
    with tempfile.TemporaryDirectory() as folder:
        return write_csv(shown, Path(folder) / "changes.csv").read_bytes()


def _gpkg_bytes(changes: gpd.GeoDataFrame) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        gpkg, _ = write_changes(changes, Path(folder) / "changes.gpkg")
        return gpkg.read_bytes()


def layers_gpkg(scenario: Scenario) -> bytes:
    """The scenario's plan layers, edits applied, one GeoPackage layer each (for QGIS, ArcGIS)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "layers.gpkg"
        for name, frame in scenario.layers.items():
            if isinstance(frame, gpd.GeoDataFrame):  # the targets table has no place
                export_layer(name, out, fmt="gpkg", frame=frame)
        return out.read_bytes()


def _downloads(
    changes: gpd.GeoDataFrame, shown: pd.DataFrame, stem: str, scenario: Scenario
) -> None:
    row = st.container(horizontal=True)  # each button as wide as its words, wrapping if need be
    row.download_button(
        t("变化表 CSV", "Changes, CSV"),
        changes_csv(shown),
        icon=":material/download:",
        file_name=f"{stem}_changes.csv",
        mime="text/csv",
        key="scn_dl_csv",
    )
    row.download_button(
        t("变化图层 GeoPackage", "Changes, GeoPackage"),
        _gpkg_bytes(changes),
        icon=":material/download:",
        file_name=f"{stem}_changes.gpkg",
        mime="application/geopackage+sqlite3",
        key="scn_dl_gpkg",
    )
    row.download_button(
        t("本情景图层 GeoPackage", "Scenario layers, GeoPackage"),
        lambda: layers_gpkg(scenario),  # made when clicked, not on every run of the page
        icon=":material/download:",
        file_name=f"{scenario.name}_layers.gpkg",
        mime="application/geopackage+sqlite3",
        key="scn_dl_layers",
    )


def _baseline(ws: Workspace, scenario: Scenario) -> str:
    """What the person compares the scenario with: "" for its plan, or another scenario's name."""
    others = [name for name in ws.scenarios()["name"] if name != scenario.name]
    if not others:
        return ""
    plan = t("规划（本情景的起点）", "The plan (where this scenario started)")
    if st.session_state.get("scn_compare_with") not in ("", *others):
        st.session_state["scn_compare_with"] = ""  # a scenario no longer there, or this one
    return str(
        st.selectbox(
            t("对比对象", "Compare with"),
            ["", *others],
            format_func=lambda name: name or plan,
            key="scn_compare_with",
        )
    )


def compare_section(ws: Workspace, scenario: Scenario) -> None:
    """The redline map, the change table and its downloads (or a note that nothing changed).

    The scenario is compared with the plan it started from, or with another scenario of the
    workspace that the person picks (the other scenario is then the old side).
    """
    other = _baseline(ws, scenario)
    try:
        against = ws.load(other) if other else None
        old = dict(against.layers) if against else dict(ws.plan_of(scenario.name))
    except (ScenarioError, WorkspaceError) as exc:
        st.error(error_text(exc, saving=False))  # only read: nothing was to be saved
        return
    changes = diff_layers(old, scenario.layers)
    if changes.empty:
        st.info(
            t(f"与情景「{other}」相比没有变化。", f"No change from «{other}».")
            if other
            else t("与规划相比没有变化。", "No change from the plan.")
        )
        return
    st.caption(
        t(
            "绿色：新增；红色虚线：删除；橙色：移动或改形（灰色虚线为原位置，细线连接新旧位置）。",
            "Green: added; red dashed: removed; orange: moved or reshaped (grey dashed: the old "
            "place, a thin line joins old and new).",
        )
        if not other
        else t(
            f"绿色：本情景新增；红色虚线：本情景没有而「{other}」有；橙色：位置或形状不同"
            f"（灰色虚线为「{other}」中的位置）。",
            f"Green: only in this scenario; red dashed: only in «{other}»; orange: placed or "
            f"shaped differently (grey dashed: where «{other}» has it).",
        )
    )
    st_folium(
        redline_map(changes, old),
        height=420,
        use_container_width=True,
        returned_objects=[],
        key="scn_redline_map",
    )
    stem = f"{scenario.name}_vs_{other}" if other else scenario.name
    _tables(changes, stem, scenario)
    _pdf(scenario, against, stem)


def _pdf(scenario: Scenario, against: Scenario | None, stem: str) -> None:
    """A button making the comparison's PDF (redline map, change table); then its download."""
    from longtu.maps.print.comparison import comparison_pdf

    versions = (scenario.name, scenario.version) + (
        (against.name, against.version) if against else ()
    )
    key = ("scn_pdf", *versions)
    if st.button(t("生成对比 PDF", "Make the comparison PDF"), key="scn_make_pdf"):
        with st.spinner(t("排版中…", "Laying out…")), tempfile.TemporaryDirectory() as folder:
            path = comparison_pdf(scenario, Path(folder) / "comparison.pdf", other=against)
            st.session_state["scn_pdf"] = (key, path.read_bytes())
    made = st.session_state.get("scn_pdf")
    if made and made[0] == key:
        st.download_button(
            t("下载对比 PDF", "Download the comparison PDF"),
            made[1],
            file_name=f"{stem}_comparison.pdf",
            mime="application/pdf",
            key="scn_dl_pdf",
        )


def _show(table: pd.DataFrame, key: str) -> None:
    """`table` on screen: distances to two decimals, right-aligned, blank where there is none."""
    column = t("移动距离（km）", "Moved (km)")
    shown = table.assign(**{column: [f"{d:.2f}" if pd.notna(d) else "" for d in table[column]]})
    config = {column: st.column_config.TextColumn(alignment="right")}
    st.dataframe(shown, hide_index=True, key=key, column_config=config)


def _tables(changes: gpd.GeoDataFrame, stem: str, scenario: Scenario) -> None:
    """The planner's own changes; those that followed a park apart; the downloads of all."""
    st.markdown("**" + change_summary(changes) + "**")
    shown = change_table(changes)
    own = _own(changes).to_numpy()
    park_column = t("随所在园区", "Following its park")
    _show(shown[own].drop(columns=park_column), "scn_changes")
    if not own.all():
        with st.expander(
            t(
                f"随所在园区一同变化的要素（{(~own).sum()}）",
                f"Features that followed their park ({(~own).sum()})",
            )
        ):
            _show(shown[~own], "scn_followed")
    _downloads(changes, shown, stem, scenario)
