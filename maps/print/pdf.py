"""Finishing a PDF written by Matplotlib: TrueType fonts, bookmarks and metadata (pypdf)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from longtu.maps.print.fonts import embed_truetype


def finish_pdf(
    path: str | Path,
    *,
    title: str,
    subject: str = "",
    bookmarks: list[tuple[str, int, int]] | None = None,
    created: dt.datetime | None = None,
) -> Path:
    """Embed fonts as TrueType, add bookmarks and metadata to a PDF written by Matplotlib.

    Parameters
    ----------
    path
        PDF to rewrite in place.
    title, subject
        Document metadata (Author is always ``陇图 Longtu``).
    bookmarks
        (title, page index, level) triples in page order; level 0 = top, 1 = under the last
        level-0 item.
    created
        CreationDate; default now (UTC).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.pdf"
    >>> from longtu.maps.print.paths import new_figure
    >>> new_figure((4, 3)).savefig(out)
    >>> meta = PdfReader(finish_pdf(out, title="甘肃", bookmarks=[("封面", 0, 0)])).metadata
    >>> meta["/Author"], meta["/Title"]
    ('陇图 Longtu', '甘肃')
    """
    path = Path(path)
    writer = PdfWriter(clone_from=PdfReader(path))
    embed_truetype(writer)
    parent = None
    for text, page_index, level in bookmarks or []:
        item = writer.add_outline_item(
            title=text, page_number=page_index, parent=parent if level else None
        )
        if level == 0:
            parent = item
    created = created or dt.datetime.now(dt.timezone.utc)
    writer.add_metadata(
        {
            "/Title": title,
            "/Author": "陇图 Longtu",
            "/Subject": subject,
            "/Creator": "陇图 Longtu maps (Matplotlib)",
            "/CreationDate": created.strftime("D:%Y%m%d%H%M%SZ"),
        }
    )
    with path.open("wb") as fh:
        writer.write(fh)
    return path
