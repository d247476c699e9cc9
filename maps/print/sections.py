"""Writing a PDF of sections: pages drawn section by section, bookmarked, then finished.

Shared by the briefing book (:mod:`longtu.maps.print.briefing`) and the scenario comparison
(:mod:`longtu.maps.print.comparison`).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
from matplotlib.backends.backend_pdf import PdfPages

from longtu.maps.print.change_tables import Section
from longtu.maps.print.fonts import print_rc
from longtu.maps.print.pdf import finish_pdf
from longtu.maps.print.progress import FINISHING, Progress, no_progress

__all__ = ["write_sections"]


def write_sections(
    out: Path, sections: list[Section], *, title: str, subject: str, progress: Progress | None
) -> Path:
    """Draw `sections` (bookmark, level, figure maker) in order into `out`; finish the PDF.

    A section without a maker is a bookmark over the sections after it; `progress` is told
    each section as it is drawn.
    """
    page, bookmarks = 0, []
    report = progress or no_progress
    drawing = ""
    with mpl.rc_context(print_rc()), PdfPages(out) as pdf:
        for done, (text, level, make) in enumerate(sections):
            if text:
                bookmarks.append((text, page, level))
            drawing = text or drawing
            report(done, len(sections), drawing)
            for fig in make() if make else []:
                pdf.savefig(fig)
                page += 1
    report(len(sections), len(sections), FINISHING)
    return finish_pdf(out, title=title, subject=subject, bookmarks=bookmarks)
