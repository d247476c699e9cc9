"""What access is measured to, from what ships with Longtu (no network needed).

- Airports: the nine airports of Gansu in ``airportsdata`` (ICAO, IATA, coordinates), with
  their Chinese names (the names the Civil Aviation Administration of China uses).
- Prefecture seats, the provincial capital (兰州) and county seats: the symbol points of
  :func:`longtu.layout.load.symbol_points` (seat of government, else a point inside the unit).
"""

from __future__ import annotations

from functools import cache

import airportsdata
import geopandas as gpd
import pandas as pd

from longtu import settings

AIRPORT_NAMES: dict[str, tuple[str, str]] = {
    "ZLDH": ("敦煌莫高国际机场", "Dunhuang Mogao International Airport"),
    "ZLJC": ("金昌金川机场", "Jinchang Jinchuan Airport"),
    "ZLJQ": ("嘉峪关酒泉机场", "Jiayuguan Jiuquan Airport"),
    "ZLLL": ("兰州中川国际机场", "Lanzhou Zhongchuan International Airport"),
    "ZLLN": ("陇南成州机场", "Longnan Chengzhou Airport"),
    "ZLQY": ("庆阳西峰机场", "Qingyang Xifeng Airport"),
    "ZLTS": ("天水麦积山机场", "Tianshui Maijishan Airport"),
    "ZLXH": ("甘南夏河机场", "Gannan Xiahe Airport"),
    "ZLZY": ("张掖甘州机场", "Zhangye Ganzhou Airport"),
}
"""Chinese and English names of Gansu's airports by ICAO code."""

CAPITAL_ADCODE = "620100"
"""兰州市, the provincial capital."""

TARGET_COLUMNS = ["kind", "name_zh", "name_en", "source", "geometry"]


def gansu_airports() -> gpd.GeoDataFrame:
    """The airports of Gansu in ``airportsdata`` (``subd == "Gansu"``) as points.

    Returns
    -------
    geopandas.GeoDataFrame
        ``kind`` (``airport``), ``name_zh``, ``name_en``, ``source`` (ICAO/IATA codes), points.

    Examples
    --------
    >>> airports = gansu_airports()
    >>> len(airports), "兰州中川国际机场" in set(airports["name_zh"])
    (9, True)
    """
    return _gansu_airports().copy()


@cache
def _gansu_airports() -> gpd.GeoDataFrame:
    """The airports of Gansu, read once."""
    rows = [
        {
            "kind": "airport",
            "name_zh": AIRPORT_NAMES.get(code, (a["name"], a["name"]))[0],
            "name_en": AIRPORT_NAMES.get(code, (a["name"], a["name"]))[1],
            "source": f"airportsdata {code}/{a['iata']}",
            "lon": a["lon"],
            "lat": a["lat"],
        }
        for code, a in sorted(airportsdata.load("ICAO").items())
        if a["country"] == "CN" and a["subd"] == "Gansu"
    ]
    frame = pd.DataFrame(rows)
    return gpd.GeoDataFrame(
        frame.drop(columns=["lon", "lat"]),
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
        crs=settings.storage_crs,
    )


def seat_targets(
    prefecture_seats: gpd.GeoDataFrame, county_seats: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Prefecture seats, the capital and county seats as targets.

    Parameters
    ----------
    prefecture_seats, county_seats
        Symbol points (``adcode``, ``name_zh``, ``name_en``, ``basis``), EPSG:4326.

    Returns
    -------
    geopandas.GeoDataFrame
        Kinds ``prefecture_seat``, ``capital`` (the seat of 620100) and ``county_seat``.
    """
    parts = []
    capital = prefecture_seats[prefecture_seats["adcode"] == CAPITAL_ADCODE]
    for kind, frame in (
        ("prefecture_seat", prefecture_seats),
        ("capital", capital),
        ("county_seat", county_seats),
    ):
        part = frame.assign(kind=kind, source=frame["basis"])
        parts.append(part[TARGET_COLUMNS])
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=settings.storage_crs)


def osm_targets(targets: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Targets read from an OSM extract in the columns of the shipped targets."""
    name = targets["name"].fillna("").astype(str)
    return gpd.GeoDataFrame(
        {
            "kind": targets["kind"],
            "name_zh": name,
            "name_en": name,
            "source": "OpenStreetMap " + targets["osm_id"].astype(str),
        },
        geometry=targets.geometry.values,
        crs=settings.storage_crs,
    )
