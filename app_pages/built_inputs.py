"""Inputs and run of the plan against what was built analysis on the analyses page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from longtu.app_pages.common import t

if TYPE_CHECKING:
    from longtu.analysis.result import AnalysisResult


def run_built() -> AnalysisResult | None:
    """The plan against what was built inputs; the result when the user runs it, else None."""
    st.info(t("规划与建成对照：尚未提供。", "Plan against what was built: not available yet."))
    return None
