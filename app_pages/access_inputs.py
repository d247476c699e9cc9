"""Inputs and run of the transport access analysis on the analyses page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from longtu.app_pages.common import t

if TYPE_CHECKING:
    from longtu.analysis.result import AnalysisResult


def run_access() -> AnalysisResult | None:
    """The transport access inputs; the result when the user runs it, else None."""
    st.info(t("交通可达性：尚未提供。", "Transport access: not available yet."))
    return None
