"""Snapshot every CLI output on fixed inputs, normalised, to compare two versions of Longtu.

A restructuring must not change what users get. Run this script with two versions of the
``longtu`` command and compare the two folders it writes::

    python tests/output_snapshot.py before --longtu "python ../old-checkout/longtu.py"
    python tests/output_snapshot.py after
    diff -r before/normalised after/normalised

Each output file is reduced to text that does not depend on when or where it was written:
GeoPackage and GeoJSON layers as sorted attribute rows with normalised WKT (9 decimals),
GeoTIFFs as their profile and an array digest, PDFs as the pixels of every page rendered by
pdftoppm at 30 dpi (a digest per page; the creation date in the metadata is left out), CSV and
JSON as they are, and each command's printed output with the temporary folders replaced.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyogrio
import shapely

COMMANDS: list[tuple[str, list[str]]] = [
    ("layers", ["layers"]),
    ("validate", ["validate"]),
    ("export_parks", ["layers", "export", "parks", "--out", "{out}/parks.gpkg"]),
    ("export_counties", ["layers", "export", "counties", "--out", "{out}/counties.csv"]),
    ("export_energy", ["layers", "export", "energy_sites", "--out", "{out}/energy.geojson"]),
    ("export_terrain", ["layers", "export", "terrain", "--out", "{out}/terrain.tif"]),
    ("clustering", ["analyze", "clustering", "--out", "{out}/clustering"]),
    ("resource", ["analyze", "resource", "--out", "{out}/resource"]),
    ("water", ["analyze", "water", "--out", "{out}/water"]),
    (
        "constraints_gpkg",
        [
            "constraints",
            "check",
            "{inputs}/boxes.gpkg",
            "--buffer-km",
            "boxes=2",
            "--builtin",
            "rivers:1",
            "tibetan_plateau",
            "--out",
            "{out}/conflicts_gpkg.gpkg",
        ],
    ),
    (
        "constraints_geojson",
        [
            "constraints",
            "check",
            "{inputs}/boxes.geojson",
            "--category",
            "boxes=nature_reserve",
            "--out",
            "{out}/conflicts_geojson.gpkg",
        ],
    ),
    ("site", ["site", "check", "--lon", "95.9", "--lat", "40.3", "--industry", "煤化工"]),
    (
        "site_gcj",
        [
            "site",
            "check",
            "--lon",
            "103.8",
            "--lat",
            "36.1",
            "--industry",
            "pv",
            "--datum",
            "gcj02",
            "--constraint",
            "{inputs}/boxes.geojson",
        ],
    ),
    ("suitability", ["suitability", "--industry", "pv", "--out", "{out}/suitability"]),
    (
        "pdf_page",
        [
            "pdf",
            "page",
            "--extent",
            "zone:zone_hexi",
            "--layers",
            "parks,energy_sites",
            "--paper",
            "A3",
            "--orientation",
            "landscape",
            "--out",
            "{out}/hexi.pdf",
        ],
    ),
    ("pdf_atlas", ["pdf", "atlas", "--by", "zone", "--out", "{out}/atlas.pdf"]),
    ("pdf_briefing", ["pdf", "--analysis", "water", "--out", "{out}/briefing.pdf"]),
]


def write_inputs(folder: Path) -> None:
    """Constraint boxes over Gansu, as a GeoPackage and as GeoJSON (same features)."""
    import geopandas as gpd
    from shapely.geometry import box

    boxes = [box(95.5, 39.8, 96.5, 40.6), box(103.5, 35.9, 104.2, 36.4), box(105, 34, 106, 35)]
    frame = gpd.GeoDataFrame(
        {"名称": ["甲保护区", "乙红线", "丙"], "code": [1, 2, 3]}, geometry=boxes, crs="EPSG:4326"
    )
    frame.to_file(folder / "boxes.gpkg", layer="boxes", driver="GPKG")
    frame.to_file(folder / "boxes.geojson", driver="GeoJSON")


def _wkt(geometry) -> str:
    if geometry is None:
        return "None"
    return shapely.to_wkt(shapely.normalize(geometry), rounding_precision=9)


def normalise_vector(path: Path) -> str:
    """Every layer as sorted rows of attributes and normalised WKT."""
    lines = []
    for layer, _kind in pyogrio.list_layers(path):
        frame = pyogrio.read_dataframe(path, layer=layer)
        lines.append(f"## layer {layer}: {len(frame)} rows, columns {list(frame.columns)}")
        if "geometry" in frame:
            frame["geometry"] = [_wkt(g) for g in frame.geometry]
        rows = sorted(
            json.dumps(row, ensure_ascii=False, default=str)
            for row in frame.astype(object).where(frame.notna(), None).to_dict("records")
        )
        lines.extend(rows)
    return "\n".join(lines) + "\n"


def normalise_tif(path: Path) -> str:
    import rasterio

    with rasterio.open(path) as src:
        data = src.read()
        profile = {
            k: str(v) for k, v in src.profile.items() if k not in {"blockxsize", "blockysize"}
        }
        tags = src.tags()
        descriptions = src.descriptions
    digest = hashlib.sha256(np.ascontiguousarray(data).tobytes()).hexdigest()
    return json.dumps(
        {"profile": profile, "tags": tags, "descriptions": descriptions, "data": digest},
        ensure_ascii=False,
        indent=1,
        sort_keys=True,
    )


def normalise_pdf(path: Path) -> str:
    from PIL import Image
    from pypdf import PdfReader

    reader = PdfReader(path)
    outline = [
        getattr(item, "title", str(item)) for item in reader.outline if not isinstance(item, list)
    ]
    meta = {k: str(v) for k, v in (reader.metadata or {}).items() if "Date" not in k}
    lines = [f"pages {len(reader.pages)}", f"outline {outline}", f"metadata {sorted(meta.items())}"]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), f"{tmp}/p"], check=True)
        for png in sorted(Path(tmp).glob("p-*.png")):
            pixels = np.asarray(Image.open(png).convert("RGB"))
            lines.append(
                f"{png.name} {pixels.shape} {hashlib.sha256(pixels.tobytes()).hexdigest()}"
            )
    return "\n".join(lines) + "\n"


def normalise(path: Path, replacements: dict[str, str]) -> str:
    suffix = path.suffix.lower()
    if suffix in {".gpkg", ".geojson"}:
        return normalise_vector(path)
    if suffix == ".tif":
        return normalise_tif(path)
    if suffix == ".pdf":
        return normalise_pdf(path)
    if suffix in {".csv", ".json", ".txt", ".md"}:
        text = path.read_text(encoding="utf-8-sig")
        for old, new in replacements.items():
            text = text.replace(old, new)
        return text
    return hashlib.sha256(path.read_bytes()).hexdigest() + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write raw/ and normalised/")
    parser.add_argument("--longtu", default="longtu", help="the command to run, e.g. 'longtu'")
    parser.add_argument("--only", nargs="*", help="run only these snapshot names")
    args = parser.parse_args()
    raw = args.folder / "raw"
    inputs = args.folder / "inputs"
    norm = args.folder / "normalised"
    for folder in (raw, inputs, norm):
        folder.mkdir(parents=True, exist_ok=True)
    write_inputs(inputs)
    replacements = {
        str(raw.resolve()): "{out}",
        str(inputs.resolve()): "{inputs}",
        str(raw): "{out}",
        str(inputs): "{inputs}",
    }
    env = {**os.environ, "MPLBACKEND": "Agg"}
    for name, template in COMMANDS:
        if args.only and name not in args.only:
            continue
        argv = [part.format(out=raw, inputs=inputs) for part in template]
        run = subprocess.run(
            shlex.split(args.longtu) + argv, capture_output=True, text=True, env=env, check=False
        )
        text = f"exit {run.returncode}\n--- stdout\n{run.stdout}--- stderr\n{run.stderr}"
        for old, new in replacements.items():
            text = text.replace(old, new)
        (norm / f"{name}.out.txt").write_text(text, encoding="utf-8")
        print(f"{name}: exit {run.returncode}", file=sys.stderr)
    for path in sorted(p for p in raw.rglob("*") if p.is_file()):
        target = norm / (str(path.relative_to(raw)).replace(os.sep, "__") + ".txt")
        target.write_text(normalise(path, replacements), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
