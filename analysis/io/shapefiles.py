"""The text encoding of a shapefile's attributes: its .cpg when it names one, else a guess.

Chinese shapefiles come in GBK (often without a .cpg) or UTF-8, and a .cpg that says UTF-8 over
a GBK .dbf is common: the .dbf's records are tried as UTF-8 before a .cpg is believed.
"""

from __future__ import annotations

import codecs
from pathlib import Path

_CPG_ALIASES = {"936": "GBK", "CP936": "GBK", "GB2312": "GB18030", "65001": "UTF-8"}
_CHUNK = 1024 * 1024


def shapefile_encoding(path: Path) -> tuple[str, str]:
    """Encoding of a shapefile's .dbf: its .cpg if it names a known one, else UTF-8 or GB18030."""
    cpg = path.with_suffix(".cpg")
    if cpg.is_file():
        name = cpg.read_bytes()[:64].decode("ascii", errors="replace").strip().upper()
        name = _CPG_ALIASES.get(name, name)
        try:
            declared = codecs.lookup(name).name.upper().replace("_", "-")
        except LookupError:
            declared = ""
        if declared == "UTF-8" and not dbf_is_utf8(path):
            return "GB18030", ".cpg says UTF-8 but the .dbf is not valid UTF-8; read as GB18030"
        if declared:
            return declared, "from .cpg"
    dbf = path.with_suffix(".dbf")
    if not dbf.is_file():
        return "UTF-8", "no .dbf"
    if not dbf_is_utf8(path):
        return "GB18030", "no .cpg; not valid UTF-8, read as GB18030"
    return "UTF-8", "no .cpg; valid UTF-8"


def dbf_is_utf8(path: Path) -> bool:
    """Whether the records of the .dbf beside `path` decode as UTF-8 (true when there is none)."""
    dbf = path.with_suffix(".dbf")
    if not dbf.is_file():
        return True
    with dbf.open("rb") as handle:
        header = handle.read(32)
        handle.seek(int.from_bytes(header[8:10], "little"))
        records = handle.read(8 * _CHUNK)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(records, final=False)
    except UnicodeDecodeError:
        return False
    return True
