"""The CJK web font of the app and its maps: Noto Sans CJK SC, cut down to what the app shows.

On a computer without Chinese system fonts every Chinese character in the browser would be a
box. The app therefore serves the Noto Sans CJK SC that the ``mplfonts`` package ships (the font
of the printed maps, :mod:`longtu.maps.print.fonts`) to the page and to its maps as a web font,
from the app itself. The full font is 16 MB; :func:`web_font_url` writes a subset holding only
the characters given (those the app can show: :func:`cjk_characters` of its texts), once per
set of characters, named by its content. The browser uses it only for CJK characters (the
``unicode-range`` of :func:`font_face_css`); Latin text keeps the page's own font.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset

from longtu.maps.print.fonts import cjk_font_path

#: Family name under which the maps' CSS asks for the web font.
WEB_FONT_FAMILY = "Longtu CJK"
#: Code points the web font is used for: CJK punctuation, kana, ideographs, full-width forms.
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF),
    (0x3000, 0x303F),
    (0x3040, 0x30FF),
    (0x3100, 0x312F),
    (0x31C0, 0x31EF),
    (0x3200, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
)


def is_cjk(character: str) -> bool:
    """Whether the web font is used for `character` (see :data:`CJK_RANGES`).

    Examples
    --------
    >>> is_cjk("陇"), is_cjk("，"), is_cjk("a")
    (True, True, False)
    """
    code = ord(character)
    return any(low <= code <= high for low, high in CJK_RANGES)


def cjk_characters(texts: Iterable[str]) -> frozenset[str]:
    """The CJK characters (:func:`is_cjk`) in `texts`.

    Examples
    --------
    >>> sorted(cjk_characters(["陇图 Longtu", "甘肃，兰州"]))
    ['兰', '图', '州', '甘', '肃', '陇', '，']
    """
    return frozenset(ch for text in texts for ch in set(text) if is_cjk(ch))


def _flavor() -> str:
    """``woff2`` when the brotli module is there, else ``woff`` (zlib, always there)."""
    try:
        import brotli  # noqa: F401 (only whether it is installed)
    except ImportError:
        return "woff"
    return "woff2"


def subset_font(characters: Iterable[str], *, flavor: str | None = None) -> bytes:
    """Noto Sans CJK SC holding only `characters` (and Latin digits), as web font bytes.

    Examples
    --------
    >>> data = subset_font("陇图", flavor="woff")
    >>> data[:4], len(data) < 20_000
    (b'wOFF', True)
    """
    options = subset.Options()
    options.flavor = flavor or _flavor()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    out = io.BytesIO()
    with subset.load_font(str(cjk_font_path()), options) as font:  # closes the font file
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(set(characters))) + "0123456789")
        subsetter.subset(font)
        subset.save_font(font, out, options)
    return out.getvalue()


def web_font_url(characters: Iterable[str], folder: tuple[Path, str]) -> str:
    """URL of the web font for `characters`, written once into a served folder.

    `folder` is ``(folder, URL under which a server serves it)``. The file is named by the
    characters it holds, so it is cut (a few seconds) only when they change; it is written
    atomically, so a browser never reads half of it.
    """
    chars = "".join(sorted(set(characters)))
    flavor = _flavor()
    digest = hashlib.sha256(chars.encode("utf-8")).hexdigest()[:16]
    name = f"longtu-cjk-{digest}.{flavor}"
    path, base_url = folder
    target = path / name
    if not target.exists():
        path.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(subset_font(chars, flavor=flavor))
        partial.replace(target)
    return base_url + name


def font_face_css(url: str, *, family: str = WEB_FONT_FAMILY) -> str:
    """An ``@font-face`` rule for the web font at `url`, used for CJK characters only.

    Declared under the family of the page's own font (Streamlit's ``Source Sans``), it adds
    CJK glyphs to that family; under :data:`WEB_FONT_FAMILY` it is a fallback that CSS names.
    It serves every weight (headings are drawn bold from the one regular face), else a bold
    heading would take the family's bold Latin face and show boxes.

    Examples
    --------
    >>> css = font_face_css("f.woff")
    >>> 'font-family:"Longtu CJK"' in css and 'format("woff")' in css
    True
    """
    ranges = ",".join(f"U+{low:04X}-{high:04X}" for low, high in CJK_RANGES)
    kind = "woff2" if url.endswith(".woff2") else "woff"
    return (
        f'@font-face{{font-family:"{family}";src:url("{url}") format("{kind}");'
        f"font-weight:100 900;font-display:swap;unicode-range:{ranges};}}"
    )
