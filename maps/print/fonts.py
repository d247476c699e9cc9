"""The CJK font of the printed maps: Noto Sans CJK SC from the ``mplfonts`` package.

The font file is registered with Matplotlib by path (nothing is copied into Matplotlib's own
folder), and PDFs embed it as TrueType/CID (``pdf.fonttype = 42``) so that the text stays text:
searchable, copyable and rendered identically on every machine.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from matplotlib import font_manager
from pypdf import PdfWriter
from pypdf.generic import NameObject, NumberObject

from longtu.errors import MissingGlyphError

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

CJK_FAMILY = "Noto Sans CJK SC"
"""Family name Matplotlib knows the registered font by."""


def cjk_font_path() -> Path:
    """Path of ``NotoSansCJKsc-Regular.otf`` inside the installed ``mplfonts`` package.

    Examples
    --------
    >>> cjk_font_path().name
    'NotoSansCJKsc-Regular.otf'
    """
    import mplfonts

    path = Path(mplfonts.__file__).resolve().parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    if not path.exists():
        raise FileNotFoundError(
            f"`{path}` is missing: reinstall the `mplfonts` package (pip install mplfonts)."
        )
    return path


@lru_cache(maxsize=1)
def register_cjk_font() -> str:
    """Register the CJK font with Matplotlib (once) and return its family name.

    Examples
    --------
    >>> register_cjk_font()
    'Noto Sans CJK SC'
    """
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def print_rc() -> dict[RcKeyType, Any]:
    """Matplotlib settings of every printed page: CJK font, embedded TrueType, vector output.

    Use as ``with matplotlib.rc_context(print_rc()): ...``.

    Examples
    --------
    >>> print_rc()["pdf.fonttype"]
    42
    """
    family = register_cjk_font()
    return {
        "font.family": [family, "DejaVu Sans"],
        "font.size": 8,
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "axes.unicode_minus": False,
        "svg.fonttype": "none",
        "path.simplify": True,
    }


@lru_cache(maxsize=1)
def _cmap() -> frozenset[int]:
    with TTFont(str(cjk_font_path()), lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(text: str) -> list[str]:
    """Characters of `text` the CJK font has no glyph for (whitespace ignored).

    Examples
    --------
    >>> missing_glyphs("甘肃省 Gansu 审图号 km² ·")
    []
    >>> missing_glyphs("\U0001f600") == ["\U0001f600"]
    True
    """
    cmap = _cmap()
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap})


def check_glyphs(text: str) -> str:
    """Return `text` unchanged, or raise :class:`MissingGlyphError` naming the missing glyphs.

    Examples
    --------
    >>> check_glyphs("兰州市")
    '兰州市'
    """
    missing = missing_glyphs(text)
    if missing:
        raise MissingGlyphError(
            f"`text` {text!r} has characters {missing} that {CJK_FAMILY} cannot draw; "
            "replace them (e.g. full-width forms) before printing.",
            zh=f"文字“{text}”中的字符 {' '.join(missing)} 无法用字体 {CJK_FAMILY} 印出；"
            "请先替换这些字符（如改用全角字符）再打印。",
        )
    return text


def use_agg() -> None:
    """Select the non-interactive Agg backend (PDF output needs no display).

    Examples
    --------
    >>> use_agg()
    >>> mpl.get_backend().lower()
    'agg'
    """
    mpl.use("Agg")


def otf_to_ttf(data: bytes) -> bytes:
    """Convert an OpenType font with CFF outlines (``OTTO``) to TrueType (``glyf``) outlines.

    Matplotlib embeds a CFF-flavoured subset of Noto Sans CJK as ``/FontFile2`` of a
    ``CIDFontType2``, which is valid only for TrueType outlines (poppler warns "Mismatch between
    font type and embedded font file"; strict readers may refuse it). Cubic outlines are
    converted to quadratic ones within 1 font unit (of 1000 per em); glyph order, and so the
    PDF's CIDToGIDMap, is unchanged.

    Examples
    --------
    >>> from fontTools.subset import Subsetter
    >>> font = TTFont(str(cjk_font_path()))
    >>> sub = Subsetter(); sub.populate(text="甘肃"); sub.subset(font)
    >>> buf = io.BytesIO(); font.save(buf)
    >>> ttf = TTFont(io.BytesIO(otf_to_ttf(buf.getvalue())))
    >>> "glyf" in ttf, "CFF " in ttf
    (True, False)
    """
    font = TTFont(io.BytesIO(data))
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["post"].formatType = 3.0
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def embed_truetype(writer: PdfWriter) -> int:
    """Replace every CFF font program embedded as ``/FontFile2`` by its TrueType conversion.

    Returns the number of font programs converted. See :func:`otf_to_ttf`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from pypdf import PdfReader
    >>> buf = io.BytesIO()
    >>> with mpl.rc_context(print_rc()):
    ...     fig = plt.figure()
    ...     _ = fig.text(0.5, 0.5, "甘肃省")
    ...     fig.savefig(buf, format="pdf")
    >>> plt.close(fig)
    >>> writer = PdfWriter(clone_from=PdfReader(buf))
    >>> embed_truetype(writer) >= 1, embed_truetype(writer)
    (True, 0)
    """
    done: set[int] = set()
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for desc in font.get("/DescendantFonts", []):
                descriptor = desc.get_object()["/FontDescriptor"].get_object()
                stream_ref = descriptor.get("/FontFile2")
                if stream_ref is None or stream_ref.idnum in done:
                    continue
                stream = stream_ref.get_object()
                data = stream.get_data()
                if data[:4] == b"OTTO":
                    ttf = otf_to_ttf(data)
                    stream.set_data(ttf)
                    stream[NameObject("/Length1")] = NumberObject(len(ttf))
                    done.add(stream_ref.idnum)
    return len(done)
