"""PDF helpers shared by the print tests: fonts used, pages rendered to grey arrays."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader


def pdf_fonts(path: Path) -> list[dict]:
    """Every font dictionary (descendants included) used on any page."""
    fonts = []
    for page in PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts += [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
    return fonts


def render_png(pdf: Path, out_dir: Path, *, dpi: int = 50, page: int = 1) -> np.ndarray:
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: install poppler-utils (apt-get install poppler-utils)")
    stem = out_dir / f"p{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-png",
            "-singlefile",
            "-gray",
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    return np.asarray(Image.open(f"{stem}.png").convert("L"), dtype=float)


def outline_titles(reader) -> list[tuple[str, int, int]]:
    """The PDF's bookmarks as (title, page number, nesting level), in order."""
    out = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((item.title, reader.get_destination_page_number(item), level))

    walk(reader.outline, 0)
    return out
