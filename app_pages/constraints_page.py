"""Page 3: constraint review (约束审查) and the siting verdict (选址分析)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
import shapely
import shapely.geometry
import streamlit as st
from shapely.geometry import Point
from streamlit_folium import st_folium

from longtu.analysis.constraints.builtin_layers import builtin_constraints
from longtu.analysis.constraints.check import (
    CATEGORIES,
    LAND_COVER_GROUPS,
    ConstraintLayer,
    check_constraints,
)
from longtu.analysis.io.constraint_files import read_constraint_layer
from longtu.analysis.io.repairs import note_zh
from longtu.analysis.io.vector import APP_MAX_FEATURES
from longtu.analysis.siting.verdict import SITING_LAYERS, industries, site_check
from longtu.app_pages.common import (
    EMPTY_CELL,
    cached_layer,
    cached_plan_layers,
    keep_made,
    language,
    made,
    plain_base_map,
    show_summary,
    t,
    upload_note,
    zip_download,
)
from longtu.app_pages.constraints_maps import SEVERITY_COLOURS as SEVERITY_COLOURS
from longtu.app_pages.constraints_maps import conflict_map, image_note, site_map
from longtu.app_pages.constraints_words import (
    CRS_CHOICES,
    reason_lines,
    upload_problem,
)
from longtu.app_pages.map_component import show_kept_map
from longtu.gis_data.gcj02 import geometry_gcj02_to_wgs84
from longtu.layout.export import csv_bytes
from longtu.maps import labels
from longtu.maps.web.offline import localize_assets
from longtu.maps.web.streamlit_assets import ASSET_BASE_URL

UPLOAD_TYPES = ["gpkg", "geojson", "json", "zip", "kml", "kmz", "fgb", "parquet", "tif", "tiff"]
MAX_UPLOAD_MB = 200


def _read_uploads() -> list[ConstraintLayer]:
    files = st.file_uploader(
        t("上传约束图层（可多选）", "Upload constraint layers (several allowed)"),
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key="constraint_files",
        help=t(
            "GeoPackage、GeoJSON、Shapefile（zip）、KML、FlatGeobuf、GeoParquet、GeoTIFF 掩膜",
            "GeoPackage, GeoJSON, zipped Shapefile, KML, FlatGeobuf, GeoParquet, GeoTIFF mask",
        ),
    )
    reads = st.session_state.get("constraint_reads", {})
    for gone in set(reads) - {f.name for f in files or []}:  # removed from the uploader
        del reads[gone]
    if not files:
        return []
    names = {labels.value_words("category", k, language=language()): k for k in CATEGORIES}
    # Nothing assumed, as on the command line: no category until the reviewer names one, and
    # no "near" zone (0 km) until a buffer is typed.
    unnamed = labels.value_words("category", "unspecified", language=language())
    settings = pd.DataFrame(
        {"file": [f.name for f in files], "category": unnamed, "buffer_km": 0.0}
    )
    edited = st.data_editor(
        settings,
        key="constraint_settings",
        placeholder=EMPTY_CELL,
        hide_index=True,
        disabled=["file"],
        column_config={
            "file": st.column_config.TextColumn(t("文件", "File")),
            "category": st.column_config.SelectboxColumn(
                t("类别", "Category"), options=list(names), required=True
            ),
            "buffer_km": st.column_config.NumberColumn(
                t("缓冲距离（km）", "Buffer (km)"), min_value=0.0
            ),
        },
    )
    edited["category"] = edited["category"].map(names).fillna("unspecified")
    layers = []
    for upload, row in zip(files, edited.itertuples(index=False), strict=True):
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            st.error(
                t(
                    f"{upload.name}：文件超过 {MAX_UPLOAD_MB} MB，未读取；"
                    "大图层请用命令行 longtu constraints check 检查。",
                    f"{upload.name}: over {MAX_UPLOAD_MB} MB, not read; check large layers "
                    "with the command line: longtu constraints check.",
                )
            )
            continue
        layer = _read_upload(upload, row)
        if layer is not None:
            layers.append(layer)
    return layers


def _read_upload(upload, row) -> ConstraintLayer | None:
    """One uploaded layer, its problems and repairs shown; None when it cannot be used.

    A file without a CRS is read again with the CRS the user picks (GCJ-02 coordinates are
    read as lon/lat and shifted back to WGS84). A file read once is kept in the session with
    how it was read: the page's later runs show it without reading it again.
    """
    crs = st.session_state.get(f"crs_{upload.name}")
    how = (upload.file_id, row.category, float(row.buffer_km), crs)
    reads = st.session_state.setdefault("constraint_reads", {})
    if upload.name in reads and reads[upload.name][0] == how:
        layer, folder = reads[upload.name][1:]
        _upload_notes(upload.name, layer, folder)
        return layer
    with tempfile.TemporaryDirectory(prefix="longtu_upload_") as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            layer = read_constraint_layer(
                path,
                label=Path(upload.name).stem,
                category=row.category,
                buffer_km=float(row.buffer_km),
                crs="EPSG:4326" if crs == "gcj02" else crs,
                max_features=APP_MAX_FEATURES,
            )
        except ValueError as exc:  # every LongtuError about a file is a ValueError
            kind, message = upload_problem(upload.name, exc, folder, language=language())
            st.error(message)
            if kind == "no_crs":
                _crs_picker(upload.name)
            return None
    if crs == "gcj02":
        layer.frame = layer.frame.set_geometry(
            layer.frame.geometry.map(geometry_gcj02_to_wgs84), crs=layer.frame.crs
        )
    reads[upload.name] = (how, layer, folder)
    _upload_notes(upload.name, layer, folder)
    return layer


def _upload_notes(name: str, layer: ConstraintLayer, folder: str) -> None:
    """What was repaired or looks wrong in an uploaded layer, and how many features it has."""
    report = layer.report
    warnings, repairs = report.get("warnings"), report.get("repairs")
    for warning in warnings if isinstance(warnings, list) else []:
        words = t(note_zh(report, str(warning)), str(warning))
        st.warning(upload_note(name, "warning", words, folder))
    for kind, note in repairs if isinstance(repairs, list) else []:
        st.caption(upload_note(name, kind, t(note_zh(report, note), note), folder))
    st.caption(f"✓ {name}: {len(layer.frame):,} {t('个要素', 'features')}")


def _crs_picker(name: str) -> None:
    """Choose the coordinate system of a file that names none; the file is then read again."""
    choice = st.selectbox(
        t(f"{name} 的坐标系", f"Coordinate system of {name}"),
        list(CRS_CHOICES),
        index=None,
        key=f"crs_pick_{name}",
        format_func=lambda k: t(*CRS_CHOICES[k]),
        placeholder=t("请选择坐标系", "Choose a coordinate system"),
    )
    if choice == "epsg":
        code = st.text_input(
            t("EPSG 代码", "EPSG code"), key=f"crs_code_{name}", placeholder="4547"
        ).strip()
        if code and not code.isdigit():
            st.error(t("EPSG 代码应为数字，例如 4547。", "An EPSG code is a number, e.g. 4547."))
            return
        choice = f"EPSG:{code}" if code else None
    if choice and st.session_state.get(f"crs_{name}") != choice:
        st.session_state[f"crs_{name}"] = choice
        st.rerun()


def _builtin_layers() -> list[ConstraintLayer]:
    layers, lang = [], language()
    with st.expander(
        t("内置约束（真实数据，可选）", "Built-in constraints (real bundled data, optional)")
    ):
        if st.checkbox(t("河流缓冲带", "River buffer"), key="bi_rivers"):
            width = st.number_input(
                t("河流两侧宽度（km）", "Half-width (km)"), 0.1, 50.0, 2.0, key="bi_rivers_km"
            )
            layers.append(builtin_constraints("rivers", width_km=width, language=lang))
        if st.checkbox(t("青藏高原", "Tibetan Plateau"), key="bi_plateau"):
            layers.append(builtin_constraints("tibetan_plateau", language=lang))
        if st.checkbox(t("高海拔地形", "High terrain"), key="bi_terrain"):
            height = st.number_input(
                t("海拔不低于 m", "Elevation at least, m"), 500, 5000, 3000, key="bi_terrain_m"
            )
            layers.append(builtin_constraints("terrain", min_elevation_m=height, language=lang))
        groups = st.multiselect(
            t("土地覆被类别", "Land-cover classes"),
            list(LAND_COVER_GROUPS),
            key="bi_lc",
            format_func=lambda g: labels.land_cover_group_label(g, language=language()),
            placeholder=t("未选（不检查土地覆被）", "None chosen (land cover not checked)"),
            select_all=False,  # Streamlit words it in English only
        )
        if groups:
            layers.append(builtin_constraints("land_cover", classes=groups, language=lang))
    return layers


def _features() -> gpd.GeoDataFrame:
    plan = cached_plan_layers()
    frames = []
    for name in ("parks", "energy_sites", "industrial_bases", "other_features"):
        frame = plan[name][["feature_id", "name_zh", "name_en", "precision", "geometry"]].assign(
            layer=name
        )
        frames.append(frame)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=plan["parks"].crs)


def conflict_rows(result) -> pd.DataFrame:
    """The conflict table worst first (conflict, near, clear), then by distance and name."""
    table = pd.DataFrame(result.tables["conflicts_table"])
    rank = table["severity"].map({s: k for k, s in enumerate(labels.SEVERITY_ORDER)})
    order = pd.DataFrame({"rank": rank, "km": table["distance_km"].fillna(0.0)})
    return table.loc[order.sort_values(["rank", "km"], kind="stable").index]


def _review(layers: list[ConstraintLayer]) -> None:
    if not layers:
        st.info(
            t("请上传约束图层或选择内置约束。", "Upload constraint layers or choose built-in ones.")
        )
        return
    if st.button(t("检查冲突", "Check conflicts"), key="run_constraints"):
        bar = st.progress(0.0, text=t("叠加分析…", "Overlaying…"))

        def told(done: int, total: int) -> None:
            bar.progress(
                done / total,
                text=t(f"已叠加 {done}/{total} 个图层", f"{done} of {total} layers overlaid"),
            )

        keep_made(
            "constraint_result",
            check_constraints(_features(), layers, id_column="feature_id", progress=told),
        )
        bar.empty()
    result = made("constraint_result")
    if result is None:
        return
    show_summary(result, warn=bool(result.numbers.get("n_layer_warnings")))
    show_kept_map(
        "conflict_map", result, lambda: conflict_map(result, layers), language(), height=480
    )
    note = image_note(layers)
    if note:
        st.caption(note)
    shown = labels.labelled_table("conflicts_table", conflict_rows(result), language=language())
    st.markdown("**" + t("冲突表（冲突在前）", "Conflicts, worst first") + "**")
    st.dataframe(shown, hide_index=True, key="conflict_table")
    st.download_button(  # the table as read here; every field is in the report below
        t("下载冲突表（CSV）", "Download the conflict table (CSV)"),
        csv_bytes(shown),
        file_name="conflicts.csv",
        mime="text/csv",
        key="conflict_csv",
    )
    zip_download(
        t("下载冲突报告（GeoPackage + CSV）", "Download the conflict report (GeoPackage + CSV)"),
        result,
        "longtu_conflicts.zip",
    )


def _draw_site() -> None:
    """A map to draw the site on (a point, or a polygon whose inner point is used)."""
    fmap = plain_base_map()
    folium.plugins.Draw(
        draw_options={
            "polyline": False,
            "rectangle": False,
            "circle": False,
            "circlemarker": False,
            "marker": True,
            "polygon": True,
        },
        edit_options={"edit": False},
    ).add_to(fmap)
    out = st_folium(
        localize_assets(fmap, base_url=ASSET_BASE_URL),
        height=380,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        key="site_draw_map",
    )
    drawing = (out or {}).get("last_active_drawing")
    if drawing and drawing != st.session_state.get("site_drawing_used"):
        geometry = shapely.geometry.shape(drawing["geometry"])
        point = geometry if isinstance(geometry, Point) else geometry.representative_point()
        st.session_state.update(
            site_lon=round(point.x, 5),
            site_lat=round(point.y, 5),
            site_datum="wgs84",
            site_drawing_used=drawing,
        )


def _siting(layers: list[ConstraintLayer]) -> None:
    st.markdown("#### " + t("选址分析", "Siting verdict"))
    st.caption(
        t(
            "在图上画点或多边形（取其内点），或直接输入坐标。",
            "Draw a point or polygon on the map (its inner point is used), or type coordinates.",
        )
    )
    _draw_site()
    table = industries()
    cols = st.columns(4)
    lon = cols[0].number_input(
        t("经度", "Longitude"), 92.0, 109.0, 103.70, format="%.5f", key="site_lon"
    )
    lat = cols[1].number_input(
        t("纬度", "Latitude"), 32.0, 43.0, 36.50, format="%.5f", key="site_lat"
    )
    datum: str = cols[2].selectbox(
        t("坐标系", "Datum"),
        ["wgs84", "gcj02", "bd09"],
        key="site_datum",
        format_func=lambda d: {
            "wgs84": "WGS84 (GPS)",
            "gcj02": "GCJ-02（高德/腾讯）",
            "bd09": "BD-09（百度）",
        }[d],
    )
    industry = cols[3].selectbox(
        t("产业", "Industry"),
        list(table["key"]),
        key="site_industry",
        format_func=lambda k: t(*table.set_index("key").loc[k, ["name_zh", "name_en"]]),
    )
    if st.button(t("判定", "Check the site"), key="run_site"):
        base = {name: cached_layer(name) for name in SITING_LAYERS}
        plan = cached_plan_layers()
        verdict = site_check(
            lon, lat, industry, plan=plan, base=base, datum=datum, constraints=layers
        )
        keep_made("site_verdict", verdict)
    verdict = made("site_verdict")
    if verdict is not None:
        _show_verdict(verdict, layers)


def _show_verdict(verdict, layers: list[ConstraintLayer]) -> None:
    """The verdict, its reasons as sentences, and a map of the site among the constraints."""
    show = {"fits": st.success, "fits_with_conditions": st.warning, "does_not_fit": st.error}
    where = t(
        f"经度 {verdict.lon:.5f}，纬度 {verdict.lat:.5f}（WGS84）",
        f"longitude {verdict.lon:.5f}, latitude {verdict.lat:.5f} (WGS84)",
    )
    show[verdict.verdict](f"{t(verdict.verdict_zh, verdict.verdict_en)} — {where}")
    st.markdown("\n".join(reason_lines(verdict.reasons, language=language())))
    show_kept_map("site_map", verdict, lambda: site_map(verdict, layers), language(), height=420)


def render() -> None:
    """Draw the constraint review page."""
    st.subheader(t("约束审查", "Constraint review"))
    layers = _read_uploads() + _builtin_layers()
    _review(layers)
    st.divider()
    _siting(layers)
