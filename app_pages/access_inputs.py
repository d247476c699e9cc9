"""Inputs and run of the transport access analysis on the analyses page.

With no extract the page measures straight-line estimates to the airports and seats that ship
with Longtu. An uploaded OpenStreetMap extract (``.osm.pbf``, at most
:data:`~longtu.app_pages.constraints_page.MAX_UPLOAD_MB` MB, the cap of every upload) is read
once into a road network, kept in memory for the session's reruns and cached on disk by its
bytes; a bad extract is one line, and the estimate still runs.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from longtu.app_pages.common import cached_plan_layers, cached_symbol_points, t
from longtu.app_pages.constraints_page import MAX_UPLOAD_MB
from longtu.errors import InputFileError

if TYPE_CHECKING:
    from longtu.analysis.access import AccessNetwork
    from longtu.analysis.result import AnalysisResult


@st.cache_resource(max_entries=1, show_spinner=False)
def _network(digest: str, _data: bytes, name: str) -> AccessNetwork:
    """The network of an uploaded extract (one kept; keyed by the bytes' hash and name)."""
    from longtu.analysis.access import load_network

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(_data)
        os.utime(path, (0, 0))  # the disk cache is keyed by size, time and hash: fix the time
        return load_network(path)


def _uploaded_network() -> AccessNetwork | None:
    upload = st.file_uploader(
        t(
            f"OpenStreetMap 路网数据（.osm.pbf，不超过 {MAX_UPLOAD_MB} MB；可不传）",
            f"OpenStreetMap extract (.osm.pbf, at most {MAX_UPLOAD_MB} MB; optional)",
        ),
        type=["pbf", "osm"],
        key="access_osm",
    )
    if upload is None:
        return None
    if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
        st.error(
            t(
                f"{upload.name}：文件超过 {MAX_UPLOAD_MB} MB，未读取；"
                "请用 longtu analyze access --osm。",
                f"{upload.name}: over {MAX_UPLOAD_MB} MB, not read; use "
                "`longtu analyze access --osm` instead.",
            )
        )
        return None
    data = upload.getvalue()
    try:
        with st.spinner(t("读取路网…", "Reading the road network…")):
            return _network(hashlib.blake2b(data, digest_size=16).hexdigest(), data, upload.name)
    except InputFileError as exc:
        st.error(str(exc))
        st.info(t("以下为直线距离估算。", "Straight-line estimates are shown instead."))
        return None


def run_access() -> AnalysisResult | None:
    """The transport access inputs; the result when the user runs it, else None."""
    st.caption(
        t(
            "不上传路网时，到机场与市县驻地的距离为直线距离估算（无行车时间）；"
            "上传甘肃的 OpenStreetMap 路网后，按道路等级车速计算最短时间路径。",
            "Without an extract, distances to airports and seats are straight-line estimates "
            "(no travel time); with an OpenStreetMap extract of Gansu, fastest paths by road "
            "class speeds.",
        )
    )
    network = _uploaded_network()
    if not st.button(t("运行", "Run"), key="run_access"):
        return None
    from longtu.analysis.access import access

    plan = cached_plan_layers()
    layers = {
        "parks": plan["parks"],
        "energy_sites": plan["energy_sites"],
        "prefecture_seats": cached_symbol_points("prefecture"),
        "county_seats": cached_symbol_points("county"),
    }
    with st.status(t("计算交通可达性…", "Computing transport access…")):
        return access(layers, network)
