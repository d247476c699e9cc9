"""``longtu``: the command line of 陇图 Longtu.

Commands
--------
longtu build [--force]
    Build the base geography layers from the installed data packages (no network).
longtu layers
    List every layer with its feature count.
longtu layers export NAME --out FILE
    Write a layer as GeoPackage, GeoJSON or CSV (GeoTIFF for terrain and land_cover).
longtu validate
    Validate the authored plan tables and print every problem.
longtu analyze clustering|resource|water --out DIR
    Run an analysis on the bundled layers and write GeoPackage, CSV, GeoTIFF and summary.json.
longtu constraints check LAYER... --out report.gpkg [--buffer-km LABEL=KM] [--builtin SPEC]
    Check every plan feature against constraint layers; write the conflict report.
longtu suitability --industry NAME --out DIR [--raster ghi=PATH] [--criteria FILE.csv]
    Suitability (MCDA) score raster and the top-N candidate areas with their reasons.
longtu site check --lon X --lat Y --industry NAME [--datum gcj02]
    The siting verdict (选址分析) for a point and an industry, with every reason.
longtu pdf --out FILE [--analysis clustering ...]
    The briefing book of the whole layout (``pdf atlas --by prefecture``, ``pdf page`` too).
longtu scenario new|list|show|import|edit|add|undo|diff|review ...
    The planning workspace: scenarios of the plan, edits with who/when/why, review, diff.
longtu app [--port 8501]
    The Streamlit app of the installed package.

Each command group is a module of this package with a ``register(subparsers)`` function;
commands import what they need when they run, so ``longtu --help`` starts at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from longtu.cli import analyze, app, constraints, layers, pdf, scenario, site
from longtu.cli.help_text import LongtuParser, zh_en
from longtu.cli.interrupt import catching_ctrl_c, interrupted
from longtu.errors import LongtuError

COMMAND_GROUPS = (layers, analyze, constraints, pdf, site, scenario, app)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of ``longtu`` (exposed for tests and docs); its help is bilingual."""
    parser = LongtuParser(
        prog="longtu",
        description="陇图 Longtu — "
        + zh_en("甘肃省产业布局规划", "Gansu industrial-layout planning"),
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    An error a user caused ends in one line ``longtu: error: <English>`` on stderr, followed by
    ``longtu: 错误：<Chinese>`` when the error has its Chinese (``message_zh``; the file system's
    refusals always); Ctrl-C ends in one line each (status 130), also when Python swallowed it
    and the command went on to the end (:mod:`longtu.cli.interrupt`); a bug is shown in full.
    """
    args = make_parser().parse_args(argv)
    try:
        with catching_ctrl_c():
            status = int(args.func(args))
        return _after_ctrl_c() if interrupted() else status
    except KeyboardInterrupt:  # outputs are written under temporary names until complete
        return _stopped_by_ctrl_c()
    except Exception as exc:
        if raised_by_ctrl_c(exc):  # a clean-up failing on work Ctrl-C cut off half-way
            return _stopped_by_ctrl_c()
        return _error_status(exc)


def _error_status(exc: Exception) -> int:
    """Status 2 and the error in one line per language; a bug (not the user's) is raised again."""
    if isinstance(exc, (LongtuError, ValueError, KeyError)):
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"longtu: error: {message}", file=sys.stderr)
        message_zh = getattr(exc, "message_zh", None)
        if message_zh:  # the same facts in Chinese, on a line of its own
            print(f"longtu: 错误：{message_zh}", file=sys.stderr)
        return 2
    file_message = file_error_message(exc)
    if file_message is None:  # not the file system refusing a path: a bug, shown in full
        raise exc
    print(f"longtu: error: {file_message}", file=sys.stderr)
    print(f"longtu: 错误：{file_error_zh(exc)}", file=sys.stderr)
    return 2


def raised_by_ctrl_c(exc: BaseException) -> bool:
    """Whether `exc` was raised while a Ctrl-C (``KeyboardInterrupt``) was being handled.

    Ctrl-C can land in the middle of writing a file; the writer's clean-up (matplotlib
    finishing a PDF whose last object was never written) then fails with an error of its own,
    which replaces the ``KeyboardInterrupt`` but keeps it as its context. The output is
    removed all the same (:func:`~longtu.analysis.io.results.replacing`).

    Examples
    --------
    >>> try:
    ...     try:
    ...         raise KeyboardInterrupt
    ...     finally:
    ...         raise AssertionError("No offset for object 33")
    ... except AssertionError as error:
    ...     raised_by_ctrl_c(error)
    True
    >>> raised_by_ctrl_c(AssertionError("a bug"))
    False
    """
    link: BaseException | None = exc
    seen: set[int] = set()
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return True
        seen.add(id(link))
        link = link.__context__
    return False


def _stopped_by_ctrl_c() -> int:
    """Status 130 and one line per language: Ctrl-C stopped the work, nothing half-written."""
    print("longtu: interrupted (Ctrl-C); no output was left half-written.", file=sys.stderr)
    print("longtu: 已中断（Ctrl-C）；没有留下写了一半的输出文件。", file=sys.stderr)
    return 130


def _after_ctrl_c() -> int:
    """Status 130 for a Ctrl-C that Python swallowed while the command went on to its end."""
    print("longtu: interrupted (Ctrl-C) as the work ended; its output is whole.", file=sys.stderr)
    print("longtu: 已中断（Ctrl-C），但工作已完成，输出文件完整。", file=sys.stderr)
    return 130


def file_error_message(exc: BaseException) -> str | None:
    """One line for an error of the file system or a file driver (GDAL), else None.

    OSError, and the errors pyogrio and rasterio raise when GDAL cannot create or open a file
    (an unwritable folder, a path under a file), are a path the user gave, not a bug.

    Examples
    --------
    >>> file_error_message(IsADirectoryError(21, "Is a directory", "out"))
    'out: Is a directory; check the path is one you can read or write.'
    >>> file_error_message(TypeError("a bug")) is None
    True
    """
    if isinstance(exc, OSError):
        return os_error_message(exc)
    driver_errors = tuple(
        getattr(sys.modules.get(module), name, ())
        for module, name in (
            ("pyogrio.errors", "DataSourceError"),
            ("rasterio.errors", "RasterioIOError"),
        )
    )
    if any(isinstance(exc, kind) for kind in driver_errors if isinstance(kind, type)):
        return f"{exc}; check the path is one you can read or write."
    return None


def file_error_zh(exc: BaseException) -> str:
    """The Chinese of :func:`file_error_message` (the path, what is wrong, what to do).

    Examples
    --------
    >>> file_error_zh(PermissionError(13, "Permission denied", "/proc/x.gpkg"))
    '/proc/x.gpkg：没有读写权限；请换一个可以读写的路径。'
    >>> file_error_zh(FileNotFoundError(2, "No such file or directory", "a/b.csv"))
    'a/b.csv：文件或文件夹不存在；请检查路径（及其所在的文件夹是否存在）。'
    """
    if not isinstance(exc, OSError):  # GDAL's own words (they name the path), then what to do
        return f"无法创建或打开文件（GDAL：{exc}）；请检查路径是否存在且可以读写。"
    path = exc.filename or ""
    kinds: tuple[tuple[type[OSError], str], ...] = (
        (FileNotFoundError, "文件或文件夹不存在；请检查路径（及其所在的文件夹是否存在）。"),
        (PermissionError, "没有读写权限；请换一个可以读写的路径。"),
        (IsADirectoryError, "这是一个文件夹；请给出文件的路径。"),
        (NotADirectoryError, "路径中有一段是文件而不是文件夹；请检查路径。"),
    )
    said = next((zh for kind, zh in kinds if isinstance(exc, kind)), None)
    what = said or f"{exc.strerror or type(exc).__name__}；请检查路径是否可以读写。"
    return f"{path}：{what}" if path else what


def os_error_message(exc: OSError) -> str:
    """One line for an error of the file system, naming the path and what to do.

    Examples
    --------
    >>> os_error_message(PermissionError(13, "Permission denied", "/proc/x.gpkg"))
    '/proc/x.gpkg: Permission denied; check the path is one you can read or write.'
    """
    what = exc.strerror or str(exc) or type(exc).__name__
    if isinstance(exc, FileNotFoundError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{what}; check the path (and that its folder exists)."
    if exc.filename is None:
        return f"{what}; check the paths given are ones you can read or write."
    return f"{exc.filename}: {what}; check the path is one you can read or write."
