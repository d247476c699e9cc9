"""Words of the constraint review page: upload problems, coordinate systems, siting reasons.

The readers of :mod:`longtu.analysis.io.vector` raise errors written for the command line (file
names in backticks, Python hints such as ``crs="EPSG:4326"``, GDAL's own text). The page shows
a person one line in the interface language instead, naming the file and what to do; the CLI
keeps the full message.
"""

from __future__ import annotations

import pandas as pd

from longtu.analysis.io.vector import APP_MAX_FEATURES
from longtu.maps.labels import Words
from longtu.maps.words.verdict import reason_words

CRS_CHOICES: dict[str, Words] = {
    "EPSG:4326": ("WGS84 经纬度（GPS，EPSG:4326）", "WGS84 longitude/latitude (GPS, EPSG:4326)"),
    "EPSG:4490": ("CGCS2000 经纬度（EPSG:4490）", "CGCS2000 longitude/latitude (EPSG:4490)"),
    "gcj02": ("GCJ-02 经纬度（高德、腾讯地图）", "GCJ-02 longitude/latitude (AMap, Tencent)"),
    "epsg": ("其他：输入 EPSG 代码", "Other: type an EPSG code"),
}
"""Coordinate systems offered for a file that names none."""

#: Problems of an upload, by a phrase of the reader's message: (kind, Chinese, English).
UPLOAD_PROBLEMS: tuple[tuple[str, str, str, str], ...] = (
    (
        "features, more than the",
        "too_large",
        f"要素超过 {APP_MAX_FEATURES:,} 个，网页版一次最多读取这么多（保证服务器内存够所有人用）；"
        "请先裁剪到审查区域，大图层请用命令行 longtu constraints check 检查。",
        f"more than {APP_MAX_FEATURES:,} features, the most the app reads (so the server's "
        "memory holds for everyone); clip it to the area under review, or check large layers "
        "with the command line: longtu constraints check.",
    ),
    (
        "has no CRS",
        "no_crs",
        "文件未注明坐标系；请在下方选择其坐标系（或在 GIS 中补上 .prj 后重新上传）。",
        "the file names no coordinate system; choose it below (or add the .prj in a GIS and "
        "upload it again).",
    ),
    (
        "could not be read as GeoTIFF",
        "unreadable",
        "不是可读的 GeoTIFF 栅格；请上传 GeoTIFF 掩膜（非零像元为约束区）。",
        "not a readable GeoTIFF; upload a GeoTIFF mask (non-zero cells are the constraint).",
    ),
    (
        "NaN",
        "no_coordinates",
        "没有一个要素的坐标可用（NaN 坐标或破损的环）；请在 GIS 中重新导出。",
        "no feature has usable coordinates (NaN or broken rings); export it again from a GIS.",
    ),
    (
        "no feature's geometry",
        "no_coordinates",
        "没有一个要素的几何可读；请在 GIS 中重新导出。",
        "no feature's geometry can be read; export it again from a GIS.",
    ),
    (
        "could not be read",
        "unreadable",
        "无法读取：文件已损坏，或不是其扩展名所示的格式。",
        "cannot be read: the file is damaged or not the format its name says.",
    ),
    (
        "unknown format",
        "format",
        "格式不受支持；请用 GeoPackage、GeoJSON、Shapefile（zip）、KML/KMZ、FlatGeobuf "
        "或 GeoTIFF。",
        "format not supported; use GeoPackage, GeoJSON, zipped Shapefile, KML/KMZ, FlatGeobuf "
        "or GeoTIFF.",
    ),
    (
        "layers (",
        "layers",
        "文件含多个图层；请将每个图层单独导出为一个文件后上传。",
        "the file holds several layers; export each layer to its own file and upload that.",
    ),
    (
        "must hold exactly one layer file",
        "layers",
        "压缩包应只含一个图层（如一组 .shp/.dbf/.prj）；请每个图层单独压缩。",
        "the zip must hold exactly one layer (e.g. one .shp/.dbf/.prj set); zip each layer "
        "separately.",
    ),
    (
        "not a valid zip",
        "unreadable",
        "不是有效的 zip 压缩包。",
        "not a valid zip archive.",
    ),
    (
        "over the limit",
        "too_large",
        "文件或压缩包过大，未读取；请先裁剪到甘肃省范围。",
        "the file or archive is too large and was not read; clip it to Gansu first.",
    ),
    (
        "MiB",
        "too_large",
        "解压后过大，未解压；请先裁剪到甘肃省范围。",
        "it would unpack too large and was not unpacked; clip it to Gansu first.",
    ),
    (
        "outside the archive",
        "unsafe",
        "压缩包含指向包外的路径，已拒绝。",
        "the archive has a path leading outside it and was refused.",
    ),
    (
        "escapes the upload folder",
        "unsafe",
        "压缩包含指向包外的路径，已拒绝。",
        "the archive has a path leading outside it and was refused.",
    ),
    (
        "symbolic link",
        "unsafe",
        "压缩包含符号链接，已拒绝。",
        "the archive holds a symbolic link and was refused.",
    ),
    (
        "larger than it declares",
        "unsafe",
        "压缩包内文件大小与声明不符，已拒绝。",
        "a file in the archive is larger than it declares; refused.",
    ),
    (
        "out of the range of degrees",
        "coordinates",
        "坐标超出经纬度范围：坐标像是投影坐标（米）却被当作经纬度；请选择或补上正确的坐标系。",
        "coordinates are out of the range of degrees: they look projected (metres) but are "
        "declared as longitude/latitude; set the right coordinate system.",
    ),
    (
        "no features with a geometry",
        "empty",
        "文件中没有带几何的要素，无可检查。",
        "the file has no feature with a geometry; nothing to check.",
    ),
)


def upload_problem(name: str, error: Exception, folder: str, *, language: str) -> tuple[str, str]:
    """The kind of problem of upload `name` and the line a person reads about it.

    No temporary path, backtick, GDAL text or Python hint reaches the line.

    Examples
    --------
    >>> error = ValueError('`/srv/a.shp` has no CRS; set it with `crs=` (e.g. `crs="EPSG:4326"`)')
    >>> kind, line = upload_problem("a.zip", error, "/srv", language="en")
    >>> kind, line[:50], "/srv" in line or "crs=" in line
    ('no_crs', 'a.zip: cannot be used. The file names no coordinat', False)
    >>> upload_problem("b.kml", ValueError("GDAL said: weird"), "/srv", language="zh")[1]
    'b.kml：无法使用。请在 GIS 中检查后重新导出。'
    """
    text = str(error)
    for phrase, kind, zh, en in UPLOAD_PROBLEMS:
        if phrase in text:
            return kind, _line(name, (zh, en), language)
    fallback = ("请在 GIS 中检查后重新导出。", "Check it in a GIS and export it again.")
    return "other", _line(name, fallback, language)


def _line(name: str, pair: Words, language: str) -> str:
    zh, en = pair
    if language == "en":
        return f"{name}: cannot be used. {en[:1].upper()}{en[1:]}"
    return f"{name}：无法使用。{zh}"


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
