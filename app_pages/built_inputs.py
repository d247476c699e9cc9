"""Inputs and run of the plan against what was built analysis on the analyses page.

The user uploads a register of real plants (CSV with longitude and latitude, or a GeoPackage,
GeoJSON, zipped Shapefile...) and runs it; the result is shown by the page's generic display.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from longtu.app_pages.common import cached_layer, cached_plan_layers, language, t
from longtu.app_pages.problem_words import problem_line
from longtu.errors import LongtuError, UserTableError

if TYPE_CHECKING:
    from longtu.analysis.result import AnalysisResult

REGISTER_TYPES = ["csv", "gpkg", "geojson", "json", "zip", "fgb", "kml", "kmz"]
"""File types the register uploader accepts."""


def built_result(name: str, data: bytes) -> AnalysisResult:
    """The plan against the register uploaded as file `name` with contents `data`.

    Raises
    ------
    UserTableError
        The register cannot be read or lacks a field: the line a person reads about it, in
        English (``str``) and Chinese (``message_zh``), naming the uploaded file, never the
        temporary folder it was read from.
    """
    from longtu.analysis.built import BUILT_LAYERS, built_view, read_plant_register

    with tempfile.TemporaryDirectory(prefix="longtu_register_") as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        try:
            plants = read_plant_register(path)
        except (LongtuError, ValueError) as exc:
            shown = Path(name).name
            raise UserTableError(
                problem_line(shown, exc, language="en", folder=folder),
                zh=problem_line(shown, exc, language="zh", folder=folder),
            ) from exc
    plan = cached_plan_layers()
    layers = {n: plan[n] if n in plan else cached_layer(n) for n in BUILT_LAYERS}
    return built_view(layers, plants, register_name=Path(name).name)


def run_built() -> AnalysisResult | None:
    """The plan against what was built inputs; the result when the user runs it, else None."""
    upload = st.file_uploader(
        t(
            "实际电站登记册（CSV 含经纬度，或 GeoPackage、GeoJSON、压缩 Shapefile）",
            "Register of real plants (CSV with longitude/latitude, or GeoPackage, GeoJSON, "
            "zipped Shapefile)",
        ),
        type=REGISTER_TYPES,
        key="built_register",
    )
    st.caption(
        t(
            "需要的列（中文或英文列名均可）：名称、类型（风电/光伏/光热…）、装机容量（MW 或万千瓦，"
            "写在列名里）、经度与纬度（WGS84），可选投产年份与所在地。每个风光基地按其所在县或市州"
            "计数；建成范围由电站推算，不是规划选址。",
            "Columns (Chinese or English names): name, technology (wind / PV / CSP…), capacity "
            "(MW or 万千瓦, said in the header), longitude and latitude (WGS84); year and place "
            "optional. Each base is counted over its county or prefecture; built footprints come "
            "from the plants, not from the plan's sites.",
        )
    )
    if not st.button(t("运行", "Run"), key="run_built", disabled=upload is None):
        return None
    if upload is None:
        return None
    try:
        with st.status(t("对照规划与建成…", "Setting the plan against the register…")):
            return built_result(upload.name, upload.getvalue())
    except (LongtuError, ValueError) as exc:
        st.error(problem_line(None, exc, language=language()))
        return None
