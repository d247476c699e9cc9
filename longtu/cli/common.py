"""What several commands share: reading user rasters, writing a result, aligned tables."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from longtu.analysis.io.rasters import UserRaster
    from longtu.analysis.result import AnalysisResult


def parse_raster_option(spec: str, option: str = "--raster") -> tuple[str, str, str | None]:
    """``NAME=PATH[::UNIT]`` (``--raster``, ``--stations``) -> ``(name, path, unit)``.

    Examples
    --------
    >>> parse_raster_option("ghi=GHI.tif::kWh/m2/yr")
    ('ghi', 'GHI.tif', 'kWh/m2/yr')
    >>> parse_raster_option("GHI.tif")
    Traceback (most recent call last):
    ...
    ValueError: `--raster` 'GHI.tif' must look like NAME=PATH or NAME=PATH::UNIT (names: ghi, ...
    """
    from longtu.analysis.io.rasters import KNOWN_RESOURCES

    name, sep, rest = spec.partition("=")
    if not (sep and name.strip() and rest.strip()):
        raise ValueError(
            f"`{option}` {spec!r} must look like NAME=PATH or NAME=PATH::UNIT "
            f"(names: {', '.join(KNOWN_RESOURCES)})."
        )
    path, _, unit = rest.partition("::")
    return name.strip(), path.strip(), unit.strip() or None


def user_rasters(specs: Sequence[str], stations: Sequence[str] = ()) -> list[UserRaster]:
    """The ``--raster NAME=PATH[::UNIT]`` and ``--stations NAME=CSV[::UNIT]`` options as rasters.

    A station table becomes a modelled surface (inverse-distance interpolation, 10 km cells);
    its leave-one-out error is printed with it, since that is how good the surface is.
    """
    from longtu.analysis.io.rasters import read_user_raster

    rasters = [
        read_user_raster(path, name=name, unit=unit)
        for name, path, unit in map(parse_raster_option, specs)
    ]
    return rasters + [_station_raster(spec) for spec in stations]


def _station_raster(spec: str) -> UserRaster:
    from longtu.analysis.io.rasters import KNOWN_RESOURCES
    from longtu.analysis.io.tables import read_station_table
    from longtu.analysis.resource.stations import leave_one_out, station_surface

    name, path, unit = parse_raster_option(spec, option="--stations")
    if unit is None and name in KNOWN_RESOURCES:
        unit = KNOWN_RESOURCES[name][2]
    if unit is None:
        raise ValueError(f"`--stations {spec}`: give the unit, e.g. {name}={path}::kWh/m2/yr.")
    stations = read_station_table(path, name)
    if len(stations) < 3:
        raise ValueError(
            f"`--stations {spec}`: {len(stations)} station(s) with a value; at least 3 are "
            "needed to interpolate a surface."
        )
    errors = leave_one_out(stations, name)["error"].abs()
    print(
        f"{name}: 由 {len(stations)} 个站点插值的模型面（非实测）modelled surface from "
        f"{len(stations)} stations (not measured); leave-one-out error mean {errors.mean():.4g}, "
        f"max {errors.max():.4g} {unit}"
    )
    return station_surface(stations, name, name=name, unit=unit)


def report(result: AnalysisResult, out: Path) -> int:
    """Write an analysis result to `out` and print its summaries."""
    from longtu.analysis.io.results import write_result

    paths = write_result(result, out)
    print(result.summary_zh)
    print(result.summary_en)
    print(f"Wrote {len(paths)} files to {out}")
    return 0


def display_width(text: str) -> int:
    """Width of `text` in a terminal: Chinese (full-width) characters take two columns.

    Examples
    --------
    >>> display_width("甘肃 Gansu")
    10
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table_text(frame: pd.DataFrame) -> str:
    """A plain-text table aligned for Chinese (full-width) characters; numbers right-aligned."""
    import pandas as pd

    cells = [list(map(str, frame.columns))] + [[str(v) for v in row] for row in frame.to_numpy()]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(frame.columns))]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    lines = []
    for row in cells:
        parts = []
        for cell, width, is_number in zip(row, widths, numeric, strict=True):
            pad = " " * (width - display_width(cell))
            parts.append(pad + cell if is_number else cell + pad)
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)
