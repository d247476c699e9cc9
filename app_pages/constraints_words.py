"""Words of the constraint review page: upload problems, coordinate systems, siting reasons.

The readers of :mod:`longtu.analysis.io.vector` raise errors written for the command line (file
names in backticks, Python hints such as ``crs="EPSG:4326"``, GDAL's own text). The page shows
a person one line in the interface language instead, naming the file and what to do
(:mod:`longtu.app_pages.problem_words`, as every page); the CLI keeps the full message.
"""

from __future__ import annotations

import pandas as pd

from longtu.app_pages.problem_words import problem_kind, problem_line
from longtu.maps.labels import Words
from longtu.maps.words.verdict import reason_words

CRS_CHOICES: dict[str, Words] = {
    "EPSG:4326": ("WGS84 经纬度（GPS，EPSG:4326）", "WGS84 longitude/latitude (GPS, EPSG:4326)"),
    "EPSG:4490": ("CGCS2000 经纬度（EPSG:4490）", "CGCS2000 longitude/latitude (EPSG:4490)"),
    "gcj02": ("GCJ-02 经纬度（高德、腾讯地图）", "GCJ-02 longitude/latitude (AMap, Tencent)"),
    "epsg": ("其他：输入 EPSG 代码", "Other: type an EPSG code"),
}
"""Coordinate systems offered for a file that names none."""

UPLOAD_WORDS: dict[str, Words] = {
    "no_crs": (
        "文件未注明坐标系；请在下方选择其坐标系（或在 GIS 中补上 .prj 后重新上传）。",
        "the file names no coordinate system; choose it below (or add the .prj in a GIS and "
        "upload it again).",
    ),
}
"""This page's own words for a kind of upload problem (it offers a coordinate system below)."""


def upload_problem(name: str, error: Exception, folder: str, *, language: str) -> tuple[str, str]:
    """The kind of problem of upload `name` and the line a person reads about it.

    The line is :func:`~longtu.app_pages.problem_words.problem_line`'s, as on every page, with
    this page's words for a file without a coordinate system (a choice of one follows it).

    Examples
    --------
    >>> error = ValueError('`/srv/a.shp` has no CRS; set it with `crs=` (e.g. `crs="EPSG:4326"`)')
    >>> kind, line = upload_problem("a.zip", error, "/srv", language="en")
    >>> kind, line[:50], "/srv" in line or "crs=" in line
    ('no_crs', 'a.zip: cannot be used. The file names no coordinat', False)
    >>> upload_problem("b.kml", ValueError("GDAL said: weird"), "/srv", language="zh")[1]
    'b.kml：无法使用。请在 GIS 中检查后重新导出。'
    """
    line = problem_line(name, error, language=language, folder=folder, words=UPLOAD_WORDS)
    return problem_kind(error), line


def reason_lines(reasons: pd.DataFrame, *, language: str) -> list[str]:
    """The findings of a siting verdict as Markdown list items, one sentence each.

    Examples
    --------
    >>> reasons = pd.DataFrame({"aspect": ["plan"], "effect": ["ok"], "finding_zh": ["规划在此"],
    ...     "finding_en": ["the plan names it"], "source": ["003_559e7734bfa8ac9e.txt:173"]})
    >>> print(reason_lines(reasons, language="en")[0][:59])
    - ✓ fits — **Plan**: the plan names it. (Source: Industrial
    """
    lines = []
    for row in reasons.itertuples(index=False):
        reason = reason_words(row, language=language)
        if language == "en":
            cited = f" (Source: {reason.source})" if reason.source else ""
            lines.append(f"- {reason.mark} — **{reason.aspect}**: {reason.finding}.{cited}")
        else:
            cited = f"（出处：{reason.source}）" if reason.source else ""
            lines.append(f"- {reason.mark} — **{reason.aspect}**：{reason.finding}。{cited}")
    return lines
