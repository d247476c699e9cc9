"""``longtu pdf``: the briefing book, ``pdf atlas`` and ``pdf page``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from longtu.cli.access import access_options
from longtu.cli.analyze import ANALYSES, ANALYSIS_DEFAULTS, run_analysis
from longtu.cli.built import built_options
from longtu.cli.common import (
    ProgressBar,
    add_overwrite,
    add_scenario_options,
    check_outputs,
    scenario_of,
)
from longtu.cli.help_text import add_command, zh_en
from longtu.errors import ParameterError


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``pdf``, ``pdf atlas`` and ``pdf page`` to the ``longtu`` sub-commands."""
    pdf = add_command(
        sub,
        "pdf",
        "简报册（默认）、图集或单页地图 PDF",
        "briefing book (default), atlas or one map page as PDF",
    )
    pdf_sub = pdf.add_subparsers(dest="pdf_command")
    # The options shared with `pdf` default to "not given" in `atlas` and `page`, so one given
    # before the sub-command (`longtu pdf --overwrite atlas ...`) is not reset by theirs.
    inherit = {"argument_default": argparse.SUPPRESS}
    atlas = add_command(
        pdf_sub,
        "atlas",
        "图集：每个市州、经济区或基地一页，附索引",
        "one page per prefecture, zone or base, with an index",
        **inherit,
    )
    page = add_command(
        pdf_sub,
        "page",
        "单页地图，任意范围与图层",
        "one map page of any extent and layers",
        **inherit,
    )
    for parser in (pdf, atlas, page):
        _page_options(parser, own=parser is pdf)
    pdf.add_argument(
        "--analysis",
        action="append",
        default=[],
        choices=ANALYSES,
        help=zh_en("运行并收入一项分析摘要（可重复）", "run and include an analysis summary"),
    )
    access_options(pdf)
    built_options(pdf)
    pdf.set_defaults(func=run_pdf, layers=None, **ANALYSIS_DEFAULTS)
    atlas.add_argument(
        "--by",
        choices=["prefecture", "zone", "base"],
        default="prefecture",
        help=zh_en(
            "图集单元：市州、经济区或基地（默认市州）",
            "a page per prefecture, zone or base (default prefecture)",
        ),
    )
    page.add_argument(
        "--extent",
        default="province",
        help=zh_en(
            "范围 province | zone:ID | prefecture:ADCODE | base:ID（默认全省）",
            "extent (default the province)",
        ),
    )
    page.add_argument(
        "--layers",
        help=zh_en("图层，逗号分隔，如 parks,energy_sites", "layers, comma-separated"),
    )


def _page_options(parser: argparse.ArgumentParser, *, own: bool) -> None:
    """The options of every PDF; `own` (``pdf`` itself) gives their defaults."""
    parser.add_argument("--out", required=not own, help=zh_en("输出 PDF", "output PDF"))
    parser.add_argument(
        "--paper",
        choices=["A4", "A3"],
        default="A4" if own else argparse.SUPPRESS,
        help=zh_en("纸张（默认 A4）", "paper (default A4)"),
    )
    parser.add_argument(
        "--orientation",
        choices=["portrait", "landscape"],
        default="portrait" if own else argparse.SUPPRESS,
        help=zh_en("方向：纵向（默认）或横向", "orientation (default portrait)"),
    )
    parser.add_argument(
        "--approval-no", help=zh_en("审图号，获批后填写", "map approval number, once granted")
    )
    add_overwrite(parser)
    add_scenario_options(parser)


def run_pdf(args: argparse.Namespace) -> int:
    """``longtu pdf [atlas|page] --out FILE``.

    The PDF is written under a temporary name beside `--out` and moved in place when complete:
    an error or Ctrl-C leaves no half-written file. Books and atlases show a progress bar.
    """
    from longtu.analysis.io.results import replacing
    from longtu.maps.print.fonts import use_agg

    use_agg()
    if not args.out:
        raise ParameterError(
            "`--out` is required: the PDF file to write, e.g. `--out briefing.pdf`.",
            zh="缺少 --out：要写出的 PDF 文件，例如 --out briefing.pdf。",
        )
    check_outputs([args.out], overwrite=args.overwrite)
    with replacing([args.out]) as (temporary,):
        _write_pdf(args, temporary)
    print(f"已写出 {args.out}")
    print(f"Wrote {args.out}")
    return 0


def _write_pdf(args: argparse.Namespace, out: Path) -> None:
    common = {"paper": args.paper, "orientation": args.orientation, "approval_no": args.approval_no}
    scenario = scenario_of(args)
    if args.pdf_command == "page":
        from longtu.maps.print import save_page

        layers = args.layers.split(",") if args.layers else None
        save_page(out, extent=args.extent, layers=layers, scenario=scenario, **common)
        return
    bar = ProgressBar("atlas 图集" if args.pdf_command == "atlas" else "briefing 简报册")
    try:
        if args.pdf_command == "atlas":
            from longtu.maps.print import make_atlas

            make_atlas(out, by=args.by, scenario=scenario, progress=_reporter(bar), **common)
        else:
            from longtu.maps.print import make_briefing

            results = [run_analysis(name, args) for name in args.analysis]
            make_briefing(
                out, analyses=results, scenario=scenario, progress=_reporter(bar), **common
            )
    finally:
        bar.close()


def _reporter(bar: ProgressBar) -> Callable[[int, int, str], None]:
    """A print-job progress callback that moves `bar` (the step's name is left out)."""
    return lambda done, total, _drawing: bar(done, total)
