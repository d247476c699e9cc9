"""Does a constraint layer lie in Gansu? If not, which mistake it likely is; the layer notes.

A layer entirely outside the province can only give "clear" for every feature, which would be a
lie. :func:`province_overlap_warning` says so and names the likely mistake (swapped axes, a
wrong CRS, another region); :func:`degree_range_problem` catches coordinates that cannot be
degrees; :func:`layer_notes` gathers these warnings and the readers' repairs into the table
every constraint check carries (``layer_notes``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pyproj import CRS

from longtu import settings

if TYPE_CHECKING:
    from longtu.analysis.constraints.check import ConstraintLayer

__all__ = ["degree_range_problem", "layer_notes", "province_overlap_warning"]


def province_overlap_warning(
    bounds: Sequence[float],
    *,
    raw_bounds: Sequence[float] | None = None,
    crs_in: object = None,
    language: str = "en",
) -> str:
    """Why a layer with these lon/lat `bounds` does not overlap Gansu, or ``""`` when it does.

    `raw_bounds` and `crs_in` are the bounds and CRS as the file declared them; with them the
    likely mistake is named: swapped axes (the swapped bounds fall in Gansu), degrees under a
    projected CRS (a ``.prj`` of EPSG:3857 over lon/lat), metres under a degree CRS. In English,
    or in Chinese with ``language="zh"``.

    Examples
    --------
    >>> province_overlap_warning((36.0, 103.0, 37.0, 104.0))[:70]
    'does not overlap Gansu: lon 36..37, lat 103..104; the longitude and la'
    >>> province_overlap_warning((36.0, 103.0, 37.0, 104.0), language="zh")[:38]
    '与甘肃省不重叠：经度 36～37，纬度 103～104；经度与纬度似乎填反了'
    >>> province_overlap_warning((103.0, 36.0, 104.0, 37.0))
    ''
    """
    west, south, east, north = (float(b) for b in bounds)
    if _overlaps_gansu(west, south, east, north):
        problem = degree_range_problem(raw_bounds, crs_in)
        if problem and language == "zh":
            zh = f"坐标超出经纬度范围，而声明的坐标系 {crs_in} 是经纬度；"
            return zh + "请检查文件及其 .prj（坐标系）。"
        return problem
    finite = np.isfinite([west, south, east, north]).all()
    mistake = _likely_mistake(bounds, raw_bounds, crs_in)
    if language == "zh":
        where = (
            f"经度 {west:.6g}～{east:.6g}，纬度 {south:.6g}～{north:.6g}"
            if finite
            else "坐标不是有限的数值"
        )
        why = MISTAKES_ZH[mistake[0]].format(crs_in=crs_in, storage_crs=settings.storage_crs)
        return f"与甘肃省不重叠：{where}；{why}"
    where = (
        f"lon {west:.6g}..{east:.6g}, lat {south:.6g}..{north:.6g}"
        if finite
        else "coordinates that are not finite numbers"
    )
    return f"does not overlap Gansu: {where}; {mistake[1]}"


MISTAKES_ZH = {
    "swapped": "经度与纬度似乎填反了（对调后落在甘肃）；"
    "请在 GIS 中对调坐标轴（x 为经度，y 为纬度）后重新上传。",
    "degrees_projected": "坐标像是经纬度，但文件声明的是投影坐标系 {crs_in}（米）："
    "坐标系（.prj）有误，请声明为 {storage_crs}。",
    "metres_geographic": "坐标像是米（或超出范围），但文件声明的是经纬度坐标系 {crs_in}："
    "坐标系（.prj）有误，请声明坐标实际所在的投影坐标系。",
    "elsewhere": "图层位于别处（其他地区或国家？），因此与它不会查出任何冲突；"
    "请确认文件无误、坐标系声明正确。",
}
"""The Chinese of each likely mistake of :func:`_likely_mistake` (``{crs_in}``: the file's CRS;
``{storage_crs}``: ``settings.storage_crs``)."""


def degree_range_problem(raw_bounds: Sequence[float] | None, crs_in: object) -> str:
    """What is wrong when a layer in a degree CRS has coordinates beyond ±180 / ±90, or ``""``.

    Examples
    --------
    >>> degree_range_problem((1e7, 4e6, 1.1e7, 4.5e6), "EPSG:4326")[:40]
    'has coordinates out of the range of degr'
    >>> degree_range_problem((1e7, 4e6, 1.1e7, 4.5e6), "EPSG:3857")
    ''
    """
    if raw_bounds is None or crs_in is None or not np.isfinite(raw_bounds).all():
        return ""  # no geometry to judge (an empty layer is refused where it is read)
    west, south, east, north = (float(b) for b in raw_bounds)
    inside = -180 <= west <= east <= 180 and -90 <= south <= north <= 90
    swapped = -90 <= west <= east <= 90 and -180 <= south <= north <= 180  # warned as such
    swapped = swapped and _overlaps_gansu(south, west, north, east)
    if inside or swapped or not CRS.from_user_input(crs_in).is_geographic:
        return ""
    return (
        f"has coordinates out of the range of degrees (x {west:.6g}..{east:.6g}, "
        f"y {south:.6g}..{north:.6g}) under the degree CRS {crs_in}: the coordinates look like "
        "metres (or are out of range); check the file and its .prj / CRS."
    )


def _overlaps_gansu(west: float, south: float, east: float, north: float) -> bool:
    g_west, g_south, g_east, g_north = settings.gansu_bounds
    return bool(west < g_east and east > g_west and south < g_north and north > g_south)


def _likely_mistake(
    bounds: Sequence[float], raw_bounds: Sequence[float] | None, crs_in: object
) -> tuple[str, str]:
    """The likely mistake of a layer outside Gansu: its key in :data:`MISTAKES_ZH`, in English."""
    west, south, east, north = (float(b) for b in bounds)
    if _overlaps_gansu(south, west, north, east):
        return "swapped", (
            "the longitude and latitude look swapped (the swapped bounds fall in Gansu); "
            "swap the axes (x = longitude, y = latitude) in a GIS and upload it again."
        )
    raw = np.asarray(raw_bounds if raw_bounds is not None else bounds, dtype=float)
    degrees_like = bool(np.isfinite(raw).all() and (np.abs(raw) <= 180).all())
    if crs_in is not None:
        geographic = CRS.from_user_input(crs_in).is_geographic
        if not geographic and degrees_like:
            return "degrees_projected", (
                f"the coordinates look like degrees but the file declares the projected CRS "
                f"{crs_in} (metres): the .prj / CRS is wrong; declare {settings.storage_crs}."
            )
        if geographic and not degrees_like:
            return "metres_geographic", (
                f"the coordinates look like metres (or are out of range) but the file declares "
                f"the degree CRS {crs_in}: the .prj / CRS is wrong; declare the projected CRS "
                "the coordinates are in."
            )
    return "elsewhere", (
        "it lies elsewhere (another region or country?), so no conflict can be found with it; "
        "check that this is the right file and that its CRS is declared correctly."
    )


def layer_notes(layers: Sequence[ConstraintLayer]) -> pd.DataFrame:
    """What was repaired, dropped or looks wrong in each layer, one row per note.

    Columns ``layer``, ``source``, ``kind`` (``warning``, ``repaired``, ``dropped`` or
    ``note``), ``note`` and its Chinese, ``note_zh``.

    A layer read by :mod:`longtu.analysis.io.vector` carries its reader's notes in ``report``;
    a layer given directly gets the overlap check with Gansu here.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from longtu.analysis.constraints.check import ConstraintLayer
    >>> box = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)], crs=4326)
    >>> far = ConstraintLayer(box, "far")
    >>> layer_notes([far])[["layer", "kind"]].to_numpy().tolist()
    [['far', 'warning']]
    """
    from longtu.analysis.io.repairs import note_zh

    rows = []
    for layer in layers:
        report = layer.report
        if not isinstance(report.get("warnings"), list):  # a layer given directly
            bounds = layer.frame.to_crs(settings.storage_crs).total_bounds
            warning = province_overlap_warning(bounds)
            zh = province_overlap_warning(bounds, language="zh")
            report = {**report, "warnings": [warning] if warning else [], "notes_zh": {warning: zh}}
        repairs = report.get("repairs")
        warnings = report["warnings"]
        notes = [("warning", w) for w in (warnings if isinstance(warnings, list) else [])]
        notes += list(repairs) if isinstance(repairs, list) else []
        rows += [
            {"layer": layer.label, "source": layer.source, "kind": kind, "note": note,
             "note_zh": note_zh(report, note)}
            for kind, note in notes
        ]  # fmt: skip
    return pd.DataFrame(rows, columns=["layer", "source", "kind", "note", "note_zh"])


def warnings_zh(notes: pd.DataFrame) -> str:
    labels = notes.loc[notes["kind"] == "warning", "layer"].unique()
    if not len(labels):
        return ""
    return f"警告：图层 {'、'.join(labels)} 与甘肃省不重叠，其结果不可信（见报告中的图层说明）。"


def warnings_en(notes: pd.DataFrame) -> str:
    labels = notes.loc[notes["kind"] == "warning", "layer"].unique()
    if not len(labels):
        return ""
    return (
        f" WARNING: layer(s) {', '.join(labels)} do not overlap Gansu, so their 'clear' "
        "results mean nothing (see the layer notes of the report)."
    )
