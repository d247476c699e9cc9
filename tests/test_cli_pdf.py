"""``longtu pdf``: progress on stderr, and never a half-written PDF (issues 12 and 16)."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from test_cli import longtu


def test_atlas_shows_progress_page_by_page_and_writes_the_file(tmp_path):
    out = tmp_path / "zones.pdf"
    result = longtu("pdf", "atlas", "--by", "zone", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert len(PdfReader(out).pages) == 4  # index + three economic zones
    lines = [line for line in result.stderr.splitlines() if line.startswith("atlas 图集 [")]
    # Not a terminal: one line per step here (a tenth of four steps each), the last one done.
    assert [line.split("] ")[1].split()[0] for line in lines] == ["0/4", "1/4", "2/4", "3/4", "4/4"]
    assert lines[0].endswith("starting") and "left" in lines[1] and lines[-1].endswith("done")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zones.pdf"]  # no temporary file left


@pytest.mark.parametrize("existing", [False, True])
def test_a_failed_briefing_leaves_no_pdf_and_keeps_the_old_one(tmp_path, existing):
    out = tmp_path / "briefing.pdf"
    if existing:
        out.write_bytes(b"%PDF-1.4 the user's earlier briefing")
    args = ["pdf", "--analysis", "built", "--plants", str(tmp_path / "missing.csv")]
    result = longtu(*args, "--out", str(out), *(["--overwrite"] if existing else []))
    assert result.returncode != 0
    assert "missing.csv" in result.stderr and "Traceback" not in result.stderr
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == (["briefing.pdf"] if existing else [])  # no partial file either way
    if existing:
        assert out.read_bytes() == b"%PDF-1.4 the user's earlier briefing"
