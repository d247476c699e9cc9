"""Print maps: vector PDF pages, atlases and the briefing book (Matplotlib).

Public API
----------
save_page, render_page, page_pdf_bytes, resolve_extent, PageError
    One map page of any extent and layers (:mod:`longtu.maps.print.page`).
make_atlas
    One page per prefecture, zone or base, with an index.
make_briefing
    The briefing book of the whole layout, with analyses.

The page is built from :mod:`~longtu.maps.print.furniture` (legend, scale bar, north arrow,
graticule, header, footer), :mod:`~longtu.maps.print.draw_layers`,
:mod:`~longtu.maps.print.labels`, :mod:`~longtu.maps.print.inset`,
:mod:`~longtu.maps.print.projection` and :mod:`~longtu.maps.print.fonts`.
"""

from longtu.maps.print.atlas import make_atlas
from longtu.maps.print.briefing import make_briefing
from longtu.maps.print.page import PageError, page_pdf_bytes, render_page, resolve_extent, save_page

__all__ = [
    "PageError",
    "make_atlas",
    "make_briefing",
    "page_pdf_bytes",
    "render_page",
    "resolve_extent",
    "save_page",
]
