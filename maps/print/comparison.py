"""A scenario compared on paper: its redline map and change table as a PDF of their own.

Against the plan the scenario started from, or against another scenario: then that scenario's
layers are the old side, and titles and the table's introduction name it. The pages are those
of the briefing book's changes section (:mod:`longtu.maps.print.change_tables`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from longtu.layout.scenarios import Scenario, diff_layers
from longtu.maps.print.change_tables import Section, change_table_pages
from longtu.maps.print.changes import render_changes_page
from longtu.maps.print.page import Orientation, Paper, figure_size_in
from longtu.maps.print.progress import Progress
from longtu.maps.print.sections import write_sections

__all__ = ["comparison_pdf"]


def comparison_pdf(
    scenario: Scenario,
    out_pdf: str | Path,
    *,
    other: Scenario | None = None,
    paper: Paper = "A4",
    orientation: Orientation = "portrait",
    approval_no: str | None = None,
    date: dt.date | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the redline map and change table of `scenario` against its plan or `other`.

    Parameters
    ----------
    scenario
        The scenario compared (the new side).
    out_pdf
        The PDF to write.
    other
        Another scenario to compare with (the old side); default: the plan `scenario`
        started from.
    paper, orientation, approval_no, date
        As for the briefing book.
    progress
        Told each section as it is drawn.

    Returns
    -------
    pathlib.Path
        `out_pdf`.
    """
    view = scenario if other is None else replace(scenario, base=other.layers)
    against = None if other is None else other.name
    changes = diff_layers(view.base, view.layers)
    date = date or dt.date.today()
    figsize = figure_size_in(paper, orientation)

    def redline() -> list:
        page = render_changes_page(
            view, changes, paper=paper, orientation=orientation, approval_no=approval_no,
            date=date, against=against,
        )  # fmt: skip
        return [page]

    sections: list[Section] = [
        ("变更图 Redline map", 0, redline),
        ("变更表 Change table", 0,
         lambda: change_table_pages(view, changes, figsize, date, against=against)),
    ]  # fmt: skip
    versus = f"{scenario.name} / {against}" if against else f"{scenario.name} / 规划 plan"
    return write_sections(
        Path(out_pdf),
        sections,
        title=f"规划情景对比 Scenario comparison：{versus}",
        subject="甘肃省产业布局规划情景 Gansu industrial layout scenarios",
        progress=progress,
    )
