"""What the vector reader repairs or drops, and says so (``report["repairs"]``).

Each note is a ``(kind, note)`` pair, ``kind`` one of ``repaired``, ``dropped`` or ``note``, the
note naming the rows (1-based features of the file); its Chinese is ``report["notes_zh"][note]``
(:func:`note_zh`). Nothing is repaired or dropped silently:
:func:`longtu.analysis.constraints.extent.layer_notes` puts these in every check's
``layer_notes`` table, and the CLI and the app print them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pyogrio.raw
import shapely

from longtu.errors import ConstraintFileError

NOTE_KINDS: dict[str, tuple[str, str]] = {
    "warning": ("警告", "warning"),
    "repaired": ("已修复", "repaired"),
    "dropped": ("已删除", "dropped"),
    "note": ("说明", "note"),
}
"""The kinds of note a reader leaves about a file, in Chinese and English."""


FINITE_CHUNK = 200_000
"""Geometries whose coordinates are tested at a time (their copy stays small: 0.19 s for a
million parcels, where all at once, with the row of each coordinate, took 0.69 s)."""


def drop_nonfinite(frame: gpd.GeoDataFrame, *, shown: str, report: dict) -> gpd.GeoDataFrame:
    """`frame` without the features whose coordinates are NaN or infinite (listed in `report`)."""
    geometry = frame.geometry.to_numpy()
    bad = [np.zeros(0, np.int64)]
    for start in range(0, len(geometry), FINITE_CHUNK):
        chunk = geometry[start : start + FINITE_CHUNK]
        if np.isfinite(shapely.get_coordinates(chunk)).all():
            continue
        coordinates, index = shapely.get_coordinates(chunk, return_index=True)
        bad.append(start + np.unique(index[~np.isfinite(coordinates).all(axis=1)]))
    bad_rows = np.concatenate(bad)
    if not len(bad_rows):
        return frame
    add_repair(
        report,
        "dropped",
        f"{feature_rows(bad_rows)} with NaN or infinite coordinates",
        f"{feature_rows_zh(bad_rows)}的坐标为 NaN 或无穷大，已删除",
    )
    if len(bad_rows) == len(frame):
        raise ConstraintFileError(
            f"`{shown}`: every feature has NaN or infinite coordinates; export it again "
            "from a GIS with real coordinates.",
            zh=f"{shown} 中没有一个要素的坐标可用（都是 NaN 或无穷大）；请在 GIS 中用真实坐标"
            "重新导出。",
        )
    return frame.drop(index=frame.index[bad_rows]).reset_index(drop=True)


def feature_rows(positions: np.ndarray) -> str:
    """``"2 features (rows 1, 4)"``: 1-based feature numbers, the first ten."""
    shown = ", ".join(str(int(p) + 1) for p in positions[:10])
    more = f", … (+{len(positions) - 10})" if len(positions) > 10 else ""
    return f"{len(positions)} feature(s) (rows {shown}{more})"


def feature_rows_zh(positions: np.ndarray) -> str:
    """``"2 个要素（第 1、4 行）"``: the Chinese of :func:`feature_rows`.

    Examples
    --------
    >>> feature_rows_zh(np.array([0, 3]))
    '2 个要素（第 1、4 行）'
    """
    shown = "、".join(str(int(p) + 1) for p in positions[:10])
    more = f"……（另 {len(positions) - 10} 个）" if len(positions) > 10 else ""
    return f"{len(positions)} 个要素（第 {shown}{more} 行）"


def add_repair(report: dict, kind: str, note: str, zh: str) -> None:
    """Add the note ``(kind, note)`` to ``report["repairs"]``, and its Chinese `zh`."""
    repairs = report.setdefault("repairs", [])
    repairs.append((kind, note))
    add_note_zh(report, note, zh)


def add_note_zh(report: dict, note: str, zh: str) -> None:
    """Keep `zh`, the Chinese of the note or warning `note`, in ``report["notes_zh"]``."""
    report.setdefault("notes_zh", {})[note] = zh


def warn_outside_gansu(
    report: dict,
    shown: str,
    bounds: Iterable[float],
    *,
    raw_bounds: Iterable[float] | None,
    crs_in: object,
) -> None:
    """Set ``report["warnings"]``: `shown` does not overlap Gansu and why (in both languages)."""
    from longtu.analysis.constraints.extent import province_overlap_warning

    lonlat = [float(b) for b in bounds]
    raw = None if raw_bounds is None else [float(b) for b in raw_bounds]
    warning = province_overlap_warning(lonlat, raw_bounds=raw, crs_in=crs_in)
    report["warnings"] = [f"`{shown}` {warning}"] if warning else []
    if warning:
        zh = province_overlap_warning(lonlat, raw_bounds=raw, crs_in=crs_in, language="zh")
        add_note_zh(report, report["warnings"][0], f"{shown} {zh}")


def note_zh(report: dict, note: str) -> str:
    """The Chinese of a note or warning of `report` (the note itself if it has none).

    Examples
    --------
    >>> report = {}
    >>> add_repair(report, "dropped", "1 feature(s) (rows 2) with no geometry", "第 2 行无几何")
    >>> note_zh(report, "1 feature(s) (rows 2) with no geometry"), note_zh(report, "GDAL: x")
    ('第 2 行无几何', 'GDAL: x')
    """
    notes = report.get("notes_zh")
    return notes.get(note, note) if isinstance(notes, dict) else note


def read_leniently(
    path: Path, *, layer: str | None, encoding: str | None, report: dict
) -> gpd.GeoDataFrame:
    """The features of a file some of whose geometries GEOS refuses (unclosed rings, NaN).

    Unclosed rings are closed; geometries that still cannot be read are dropped; both listed.
    """
    attributes = pyogrio.read_dataframe(path, layer=layer, encoding=encoding, read_geometry=False)
    wkb = pyogrio.raw.read(path, layer=layer, encoding=encoding, columns=[])[2]
    with np.errstate(invalid="ignore"):
        strict = shapely.from_wkb(wkb, on_invalid="ignore")
        fixed = shapely.from_wkb(wkb, on_invalid="fix")
    closed = np.flatnonzero(shapely.is_missing(strict) & ~shapely.is_missing(fixed))
    broken = np.flatnonzero(shapely.is_missing(fixed) & ~shapely.is_missing(wkb))
    if len(closed):
        add_repair(
            report,
            "repaired",
            f"{feature_rows(closed)} with a ring not closed: closed",
            f"{feature_rows_zh(closed)}的环未闭合，已闭合",
        )
    if len(broken) and len(broken) == len(wkb):
        raise ConstraintFileError(
            f"`{path.name}`: no feature's geometry can be read (NaN coordinates or broken "
            "rings); export it again from a GIS with real coordinates.",
            zh=f"{path.name} 中没有一个要素的坐标可用（NaN 坐标或破损的环）；请在 GIS 中重新导出。",
        )
    if len(broken):
        add_repair(
            report,
            "dropped",
            f"{feature_rows(broken)} whose geometry cannot be read (NaN coordinates or a "
            "broken ring)",
            f"{feature_rows_zh(broken)}的几何无法读取（NaN 坐标或破损的环），已删除",
        )
    crs = pyogrio.read_info(path, layer=layer, encoding=encoding)["crs"]
    frame = gpd.GeoDataFrame(attributes, geometry=fixed, crs=crs)
    return frame.drop(index=frame.index[broken]).reset_index(drop=True)


def note_repairs(
    before: np.ndarray, after: np.ndarray, keep: np.ndarray, invalid: np.ndarray, report: dict
) -> None:
    """Add to ``report["repairs"]`` the rows dropped (no geometry), repaired, or changed kind."""
    if (~keep).any():
        rows = np.flatnonzero(~keep)
        dropped = f"{feature_rows(rows)} with no geometry (null, empty or NaN)"
        add_repair(
            report, "dropped", dropped, f"{feature_rows_zh(rows)}没有几何（空或 NaN），已删除"
        )
    kinds = {0: ("point", "点"), 1: ("line", "线"), 2: ("polygon", "面")}
    dims_before = shapely.get_dimensions(before[invalid])
    dims_after = shapely.get_dimensions(after[invalid])
    lost = np.flatnonzero(invalid)[dims_after < dims_before]
    fixed = np.flatnonzero(invalid)[dims_after >= dims_before]
    if len(fixed):
        note = f"{feature_rows(fixed)} invalid (e.g. self-intersecting): made valid"
        add_repair(
            report, "repaired", note, f"{feature_rows_zh(fixed)}的几何无效（如自相交），已修复"
        )
    for row in lost[:10]:
        was, now = (
            kinds.get(int(shapely.get_dimensions(before[row])), ("?", "?")),
            kinds.get(int(shapely.get_dimensions(after[row])), ("?", "?")),
        )
        add_repair(
            report,
            "repaired",
            f"row {row + 1}: an invalid {was[0]} (e.g. a ring of three points) became a "
            f"{now[0]}; check it in a GIS",
            f"第 {row + 1} 行：无效的{was[1]}（如只有三个点的环）修复后成了{now[1]}；"
            "请在 GIS 中检查",
        )


def repaired_frame(
    frame: gpd.GeoDataFrame, repaired: tuple, *, shown: str, report: dict
) -> gpd.GeoDataFrame:
    """`frame` with :func:`~longtu.analysis.constraints.overlay.repair` applied to its geometry.

    Drops the rows with no geometry and records the repairs in `report`.

    Examples
    --------
    >>> import shapely
    >>> frame = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1), None], crs=4326)
    >>> report = {}
    >>> from longtu.analysis.constraints.overlay import repair
    >>> len(repaired_frame(frame, repair(frame.geometry.to_numpy()), shown="a", report=report))
    1
    >>> report["n_dropped_empty"], report["n_repaired"]
    (1, 0)
    """
    geometry, keep, invalid, changed = repaired
    note_repairs(frame.geometry.to_numpy(), geometry, keep, invalid, report)
    if changed:
        frame = frame.copy()
        frame[frame.geometry.name] = gpd.GeoSeries(geometry, crs=frame.crs, index=frame.index)
    if not keep.all():
        frame = frame[keep].reset_index(drop=True)
    if frame.empty:
        raise ConstraintFileError(
            f"`{shown}` has no features with a geometry; nothing to check.",
            zh=f"{shown} 中没有带几何的要素，无可检查；请确认导出了正确的图层。",
        )
    report.update(
        n_features=len(frame), n_repaired=int(invalid.sum()), n_dropped_empty=int((~keep).sum())
    )
    report.setdefault("encoding", "")
    return frame
