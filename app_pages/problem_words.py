"""The line a person reads about a file (or table) of theirs that could not be used.

Every page that refuses a user's file shows it through :func:`problem_line`, in the interface
language: the error's own Chinese (:attr:`longtu.errors.LongtuError.message_zh`) when it has
one, else a line chosen by a phrase of the reader's English message (:data:`PROBLEMS`: the
readers of :mod:`longtu.analysis.io.vector` write for the command line, with backticks, Python
hints and GDAL's own text), else an honest fallback. No temporary folder, GDAL text, backtick
or Python hint reaches the line, and the column names the app shows in its tables replace
their keys (``output_t_per_yr`` -> 产量（t/年）). The command line keeps the full message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from longtu.analysis.io.vector import APP_MAX_FEATURES
from longtu.maps.labels import COLUMN_WORDS, Words

#: Problems of an upload, by a phrase of the reader's message: (phrase, kind, Chinese, English).
PROBLEMS: tuple[tuple[str, str, str, str], ...] = (
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
        "文件未注明坐标系；请在 GIS 中补上坐标系（.prj）后重新上传。",
        "the file names no coordinate system; add it (the .prj) in a GIS and upload it again.",
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
    ("not a valid zip", "unreadable", "不是有效的 zip 压缩包。", "not a valid zip archive."),
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

FALLBACK: Words = ("请在 GIS 中检查后重新导出。", "Check it in a GIS and export it again.")
"""What a person reads about an error no phrase of :data:`PROBLEMS` recognises."""

_IDENTIFIER = re.compile(r"(?<![A-Za-z0-9_.])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")
"""A snake_case key (a column of the app's tables), not part of a file name."""
_SAID = re.compile(r"\s*\((?:GDAL|libosmium) said: .*?\)(?=[;:,.]|$)")
"""A library's own text the readers quote for the command line."""
_HINT = re.compile(r"\s*\([^()]*`[^()]*\)")
"""A parenthesised hint with code in it (``(e.g. `gdal_edit.py -a_srs ...`)``)."""


def problem_kind(error: BaseException) -> str:
    """The kind of problem (``no_crs``, ``too_large``, ...) the message of `error` says.

    Examples
    --------
    >>> problem_kind(ValueError("`a.shp` has no CRS; set it with `crs=`"))
    'no_crs'
    >>> problem_kind(KeyError("x"))
    'other'
    """
    text = str(error)
    return next((kind for phrase, kind, _, _ in PROBLEMS if phrase in text), "other")


def problem_line(
    name: str | None,
    error: BaseException,
    *,
    language: str,
    folder: str = "",
    words: Mapping[str, Words] | None = None,
) -> str:
    """The line a person reads about `error` of upload `name`, in the interface language.

    Parameters
    ----------
    name
        The file's name as uploaded; ``None`` for a table typed on the page.
    error
        What the reader or analysis raised.
    language
        ``"zh"`` (the default interface: the Chinese line) or ``"en"``.
    folder
        The temporary folder the upload was read from, never shown.
    words
        A page's own (Chinese, English) words for a kind of problem, before the error's own
        (e.g. the constraint page offers a coordinate system for ``no_crs``).

    Examples
    --------
    >>> from longtu.errors import RasterInputError
    >>> error = RasterInputError("`/srv/a.tif` could not be read (GDAL said: x); export it.",
    ...                          zh="/srv/a.tif 无法读取；请重新导出。")
    >>> problem_line("a.tif", error, language="zh", folder="/srv")
    'a.tif：无法使用。无法读取；请重新导出。'
    >>> problem_line("a.tif", error, language="en", folder="/srv")
    'a.tif: cannot be used. Could not be read; export it.'
    >>> problem_line("b.kml", ValueError("GDAL said: weird"), language="zh")
    'b.kml：无法使用。请在 GIS 中检查后重新导出。'
    """
    zh, en = _problem_words(error, words or {})
    zh, en = (_plain(text, name, folder, language=lang) for text, lang in ((zh, "zh"), (en, "en")))
    if language == "en":
        if name or re.match(r"[a-z]+ ", en):  # a sentence, not one starting with a file name
            en = en[:1].upper() + en[1:]
        return f"{name}: cannot be used. {en}" if name else en
    return f"{name}：无法使用。{zh}" if name else zh


def _problem_words(error: BaseException, words: Mapping[str, Words]) -> Words:
    """The (Chinese, English) words about `error`: the page's, its own, a phrase's, or none."""
    kind = problem_kind(error)
    if kind in words:
        return words[kind]
    zh = getattr(error, "message_zh", None)
    if zh:
        return zh, str(error)
    text = str(error)
    found = next(((zh, en) for phrase, _, zh, en in PROBLEMS if phrase in text), None)
    return found or FALLBACK


def _plain(text: str, name: str | None, folder: str, *, language: str) -> str:
    """`text` without the temporary folder, quoted library text, code hints or backticks.

    Known column keys become the names the app's tables show; a leading file name (the line
    names the file already) goes.

    Examples
    --------
    >>> _plain("`caps` lacks column(s) cap_1e4_m3_per_yr.", None, "", language="en")
    'caps lacks column(s) Water cap (10⁴ m³/yr).'
    >>> _plain("a.csv 的列 output_t_per_yr 中有负值", "a.csv", "", language="zh")
    '列 产量（t/年） 中有负值'
    """
    if folder:
        text = text.replace(folder.rstrip("/") + "/", "").replace(folder, "")
    text = _HINT.sub("", _SAID.sub("", text)).replace("`", "")
    text = _IDENTIFIER.sub(lambda m: _column_words(m.group(0), language), text)
    base = (name or "").rsplit("/", 1)[-1]
    if base and text.startswith(base):
        text = text[len(base) :].lstrip(":： ").removeprefix("的").removeprefix("中")
    return text


def _column_words(key: str, language: str) -> str:
    """The heading of column `key` as the app's tables show it, or `key` when it has none."""
    pair = COLUMN_WORDS.get(key)
    if pair is None:
        return key
    return pair[1] if language == "en" else pair[0]
