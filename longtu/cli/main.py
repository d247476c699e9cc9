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
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# pandas is imported where a command needs it: `longtu constraints check` on plain GeoPackages
# never does (see longtu.analysis.constraints.fastpath): start-up is much of a short run.


def _cmd_build(args: argparse.Namespace) -> int:
    from longtu import settings
    from longtu.gis_data.build import base_layers_are_built, build_base_layers

    if base_layers_are_built() and not args.force:
        print(f"Base layers are already built in {settings.data_folder} (use --force to rebuild).")
        return 0
    print(f"Building base layers into {settings.data_folder} …")
    build_base_layers(log=lambda line: print("  " + line))
    return 0


def _feature_count(name: str) -> int:
    from longtu.layout import load_layer

    return len(load_layer(name))


def _cmd_layers(args: argparse.Namespace) -> int:
    from longtu.layout import LAYERS

    if args.layers_command == "export":
        from longtu.layout.export import export_layer

        path = export_layer(args.name, Path(args.out))
        print(f"Wrote {args.name} to {path}")
        return 0
    import pandas as pd

    rows = [
        {
            "layer": spec.name,
            "group": spec.group,
            "title": f"{spec.title_zh} {spec.title_en}",
            "geometry": spec.geometry,
            "features": _feature_count(spec.name),
        }
        for spec in LAYERS.values()
    ]
    print(_table_text(pd.DataFrame(rows)))
    return 0


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table_text(frame: pd.DataFrame) -> str:
    """A plain-text table aligned for Chinese (full-width) characters; numbers right-aligned."""
    import pandas as pd

    cells = [list(map(str, frame.columns))] + [[str(v) for v in row] for row in frame.to_numpy()]
    widths = [max(_display_width(row[i]) for row in cells) for i in range(len(frame.columns))]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    lines = []
    for row in cells:
        parts = []
        for cell, width, is_number in zip(row, widths, numeric, strict=True):
            pad = " " * (width - _display_width(cell))
            parts.append(pad + cell if is_number else cell + pad)
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _cmd_validate(args: argparse.Namespace) -> int:
    from longtu.layout import ValidationError, build_plan_layers

    try:
        layers = build_plan_layers()
    except ValidationError as exc:
        print(exc.problems.to_string(index=False))
        print(f"\n{len(exc.problems)} problem(s) in the plan tables.", file=sys.stderr)
        return 1
    counts = ", ".join(f"{name} {len(frame)}" for name, frame in layers.items())
    print(f"Plan tables are valid: {counts}.")
    return 0


def _user_rasters(specs: list[str]) -> list:
    from longtu.analysis.io.rasters import parse_raster_spec, read_user_raster

    return [
        read_user_raster(path, name=name, unit=unit)
        for name, path, unit in map(parse_raster_spec, specs)
    ]


def _run_analysis(args: argparse.Namespace):
    from longtu.layout import load_layer, plan_layers

    plan = plan_layers()
    if args.name == "clustering":
        from longtu.analysis.clustering.run import run_clustering

        layers = {**plan, "province": load_layer("province"), "counties": load_layer("counties")}
        return run_clustering(
            layers, eps_km=args.eps_km, min_samples=args.min_samples, seed=args.seed
        )
    if args.name == "resource":
        from longtu.analysis.resource.fit import RESOURCE_LAYERS, run_resource_fit

        layers = {name: load_layer(name) for name in RESOURCE_LAYERS}
        return run_resource_fit(layers, resource_rasters=_user_rasters(args.raster))
    from longtu.analysis.io.tables import read_user_csv
    from longtu.analysis.tables import water_coefficients
    from longtu.analysis.water.fit import WATER_LAYERS, run_water_fit
    from longtu.analysis.water.ledger import apply_quota_reference

    layers = {name: load_layer(name) for name in WATER_LAYERS}
    capacities = read_user_csv(args.capacities) if args.capacities else None
    caps = read_user_csv(args.caps) if args.caps else None
    coefficients = (
        read_user_csv(args.coefficients, required=["industry_key"])
        if args.coefficients
        else water_coefficients()
    )
    if args.quota:
        coefficients = apply_quota_reference(coefficients, args.quota)
    return run_water_fit(layers, capacities=capacities, caps=caps, coefficients=coefficients)


def _report(result, out: Path) -> int:
    """Write an analysis result to `out` and print its summaries."""
    from longtu.analysis.io.results import write_result

    paths = write_result(result, out)
    print(result.summary_zh)
    print(result.summary_en)
    print(f"Wrote {len(paths)} files to {out}")
    return 0


def _cmd_analyze(args: argparse.Namespace) -> int:
    result = _run_analysis(args)
    return _report(result, Path(args.out))


def _cmd_site(args: argparse.Namespace) -> int:
    from longtu.analysis.io.vector import read_constraint_layers
    from longtu.analysis.siting.verdict import SITING_LAYERS, site_check
    from longtu.layout import load_layer, plan_layers

    constraints = []
    if args.constraint:
        constraints, problems = read_constraint_layers(args.constraint)
        for problem in problems.itertuples(index=False):
            print(f"longtu: skipped {problem.file}: {problem.problem}", file=sys.stderr)
    verdict = site_check(
        args.lon,
        args.lat,
        args.industry,
        plan=plan_layers(),
        base={name: load_layer(name) for name in SITING_LAYERS},
        datum=args.datum,
        constraints=constraints,
        resource_rasters=_user_rasters(args.raster),
    )
    print(
        f"{verdict.verdict_zh} {verdict.verdict_en}  ({verdict.lon:.5f}, {verdict.lat:.5f} WGS84)"
    )
    for row in verdict.reasons.itertuples(index=False):
        source = f"  [{row.source}]" if row.source else ""
        print(f"  [{row.effect}] {row.finding_zh}{source}")
    return 0


def _cmd_constraints(args: argparse.Namespace) -> int:
    from longtu.analysis.constraints.report import parse_label_pairs, run_constraint_check

    tables, problems = run_constraint_check(
        args.layers,
        features=args.features,
        out=args.out,
        buffers_km=parse_label_pairs(args.buffer_km, option="--buffer-km", number=True),
        categories=parse_label_pairs(args.category, option="--category", number=False),
        builtins=args.builtin,
    )
    for problem in problems:
        print(f"longtu: skipped {problem['file']}: {problem['problem']}", file=sys.stderr)
    if tables is None:
        print("longtu: error: no constraint layer could be read", file=sys.stderr)
        return 2
    print(tables.summary_zh)
    print(tables.summary_en)
    print(f"Wrote the conflict report to {args.out}")
    return 1 if problems else 0


def _criteria(path: str | None) -> pd.DataFrame | None:
    """The user's suitability criteria CSV (UTF-8 or GBK); numbers are checked downstream."""
    from longtu.analysis.io.tables import read_user_csv

    return read_user_csv(path) if path else None


def _cmd_suitability(args: argparse.Namespace) -> int:
    import pandas as pd

    from longtu.analysis.suitability.score import SUITABILITY_LAYERS, suitability
    from longtu.layout import load_layer, plan_layers

    plan = plan_layers()
    result = suitability(
        args.industry,
        base={name: load_layer(name) for name in SUITABILITY_LAYERS},
        parks=pd.concat([plan["parks"], plan["energy_sites"]], ignore_index=True),
        criteria=_criteria(args.criteria),
        resource_rasters=_user_rasters(args.raster),
        exclude_plateau=args.exclude_plateau,
        min_score=args.min_score,
        top_n=args.top_n,
    )
    return _report(result, Path(args.out))


def _cmd_pdf(args: argparse.Namespace) -> int:
    from longtu.maps.print.fonts import use_agg

    use_agg()
    if not args.out:
        raise ValueError("`--out` is required: the PDF file to write, e.g. `--out briefing.pdf`.")
    common = {"paper": args.paper, "orientation": args.orientation, "approval_no": args.approval_no}
    if args.pdf_command == "atlas":
        from longtu.maps.print.atlas import make_atlas

        out = make_atlas(args.out, by=args.by, **common)
    elif args.pdf_command == "page":
        from longtu.maps.print.page import save_page

        layers = args.layers.split(",") if args.layers else None
        out = save_page(args.out, extent=args.extent, layers=layers, **common)
    else:
        from longtu.maps.print.briefing import make_briefing

        results = [
            _run_analysis(argparse.Namespace(**{**vars(args), "name": n})) for n in args.analysis
        ]
        out = make_briefing(args.out, analyses=results, **common)
    print(f"Wrote {out}")
    return 0


def _add_pdf_parser(sub: argparse._SubParsersAction) -> None:
    pdf = sub.add_parser("pdf", help="briefing book (default), atlas or one map page as PDF")
    pdf_sub = pdf.add_subparsers(dest="pdf_command")
    atlas = pdf_sub.add_parser("atlas", help="one page per prefecture, zone or base, with an index")
    page = pdf_sub.add_parser("page", help="one map page of any extent and layers")
    for parser in (pdf, atlas, page):
        parser.add_argument("--out", required=parser is not pdf, help="output PDF")
        parser.add_argument("--paper", choices=["A4", "A3"], default="A4")
        parser.add_argument("--orientation", choices=["portrait", "landscape"], default="portrait")
        parser.add_argument("--approval-no", help="审图号, once granted")
    pdf.add_argument(
        "--analysis",
        action="append",
        default=[],
        choices=["clustering", "resource", "water"],
        help="run and include an analysis summary (repeatable)",
    )
    pdf.set_defaults(
        func=_cmd_pdf,
        eps_km=50.0,
        min_samples=3,
        seed=0,
        raster=[],
        capacities=None,
        caps=None,
        coefficients=None,
        quota=[],
    )
    atlas.add_argument("--by", choices=["prefecture", "zone", "base"], default="prefecture")
    page.add_argument(
        "--extent", default="province", help="province | zone:ID | prefecture:ADCODE | base:ID"
    )
    page.add_argument("--layers", help="comma-separated, e.g. parks,energy_sites")


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of ``longtu`` (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(
        prog="longtu", description="陇图 Longtu — Gansu industrial-layout planning"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the base geography layers (offline)")
    build.add_argument("--force", action="store_true", help="rebuild even if built")
    build.set_defaults(func=_cmd_build)
    layers = sub.add_parser("layers", help="list layers with feature counts; export one")
    layers_sub = layers.add_subparsers(dest="layers_command")
    export = layers_sub.add_parser("export", help="write a layer to GeoPackage, GeoJSON or CSV")
    export.add_argument("name", help="layer name, see `longtu layers`")
    export.add_argument("--out", required=True, help="output file: .gpkg, .geojson, .csv or .tif")
    layers.set_defaults(func=_cmd_layers)
    validate = sub.add_parser("validate", help="validate the authored plan tables")
    validate.set_defaults(func=_cmd_validate)
    analyze = sub.add_parser("analyze", help="run an analysis and write its outputs")
    analyze.add_argument("name", choices=["clustering", "resource", "water"])
    analyze.add_argument("--out", required=True, help="output folder")
    analyze.add_argument(
        "--raster", action="append", default=[], help="NAME=PATH[::UNIT], e.g. ghi=GHI.tif"
    )
    analyze.add_argument("--eps-km", type=float, default=50.0, help="DBSCAN radius, km")
    analyze.add_argument("--min-samples", type=int, default=3, help="DBSCAN minimum cluster size")
    analyze.add_argument("--seed", type=int, default=0, help="random seed of the simulations")
    analyze.add_argument("--capacities", help="CSV of capacities for the water ledger")
    analyze.add_argument("--caps", help="CSV of water caps / supply by basin")
    analyze.add_argument(
        "--coefficients", help="CSV of water-use quotas (the coefficients.csv it writes, filled in)"
    )
    analyze.add_argument(
        "--quota",
        action="append",
        default=[],
        metavar="REFERENCE_ID",
        help="use a transcribed quota (see quota_reference.csv; not checked against the standard)",
    )
    analyze.set_defaults(func=_cmd_analyze)
    constraints = sub.add_parser("constraints", help="constraint review (conflict report)")
    cons_sub = constraints.add_subparsers(dest="constraints_command", required=True)
    cons = cons_sub.add_parser("check", help="check plan features against constraint layers")
    cons.add_argument(
        "layers", nargs="*", metavar="LAYER", help=".gpkg[:LAYER] .geojson .zip .kml .fgb .tif"
    )
    cons.add_argument("--out", required=True, help="report GeoPackage; CSVs are written beside it")
    cons.add_argument("--features", help="features to check (default: every plan layer)")
    cons.add_argument("--buffer-km", nargs="+", action="extend", default=[], metavar="LABEL=KM")
    cons.add_argument("--category", nargs="+", action="extend", default=[], metavar="LABEL=CAT")
    cons.add_argument(
        "--builtin",
        nargs="+",
        action="extend",
        default=[],
        metavar="SPEC",
        help="rivers:2 | tibetan_plateau | terrain:3000m[,25deg] | land_cover:water,wetland",
    )
    cons.set_defaults(func=_cmd_constraints)
    _add_pdf_parser(sub)
    suit = sub.add_parser("suitability", help="suitability (MCDA) score and top-N candidate areas")
    suit.add_argument("--industry", required=True, help="e.g. 光伏, pv, 煤化工")
    suit.add_argument("--out", required=True, help="output folder")
    suit.add_argument("--raster", action="append", default=[], help="NAME=PATH[::UNIT]")
    suit.add_argument("--criteria", help="edited criteria CSV (e.g. DIR/criteria.csv of a run)")
    suit.add_argument("--top-n", type=int, default=10)
    suit.add_argument("--min-score", type=float)
    suit.add_argument("--exclude-plateau", action="store_true")
    suit.set_defaults(func=_cmd_suitability)
    site = sub.add_parser("site", help="siting verdict for a point and an industry")
    site_sub = site.add_subparsers(dest="site_command", required=True)
    check = site_sub.add_parser(
        "check", help="fits / fits with conditions / does not fit, with reasons"
    )
    check.add_argument("--lon", type=float, required=True)
    check.add_argument("--lat", type=float, required=True)
    check.add_argument("--industry", required=True, help="e.g. 光伏, pv, 煤化工, coal_chemical")
    check.add_argument("--datum", default="wgs84", choices=["wgs84", "gcj02", "bd09"])
    check.add_argument("--constraint", action="append", default=[], help="constraint layer file")
    check.add_argument("--raster", action="append", default=[], help="NAME=PATH[::UNIT]")
    check.set_defaults(func=_cmd_site)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = make_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (ValueError, KeyError, FileNotFoundError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"longtu: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
