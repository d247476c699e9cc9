"""Energy bases of the plan against real power plants (../shared/reference/power)."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from layout import load_layer, plan_layers
from layout.plan import split_list

GEOD = Geod(ellps="WGS84")
FUEL = {"wind": "Wind", "pv": "Solar"}


@pytest.fixture(scope="module")
def plants(reference_dir):
    table = pd.read_csv(reference_dir / "power" / "gansu_gppd_v130_with_capacity.csv")
    table = table[table["in_gansu"] == True]  # noqa: E712 (a column of booleans)
    frame = gpd.GeoDataFrame(
        table, geometry=gpd.points_from_xy(table.longitude, table.latitude), crs=4326
    )
    counties = load_layer("counties")[["adcode", "geometry"]]
    return gpd.sjoin(frame, counties, predicate="within")


def _nearest_km(point, candidates):
    lon = np.full(len(candidates), point.x)
    lat = np.full(len(candidates), point.y)
    _, _, d = GEOD.inv(lon, lat, candidates.geometry.x.to_numpy(), candidates.geometry.y.to_numpy())
    return d.min() / 1000


def test_wind_and_solar_bases_lie_near_real_plants(plants):
    sites = plan_layers()["energy_sites"]
    checked, far = 0, []
    for row in sites[sites["technology"].isin(FUEL)].itertuples(index=False):
        same_tech = plants[plants["primary_fuel"] == FUEL[row.technology]]
        for code, point in zip(
            split_list(row.county_adcodes), shapely.get_parts(row.geometry), strict=False
        ):
            in_county = same_tech[same_tech["adcode"] == code]
            if in_county.empty or row.precision not in ("county", "town"):
                continue
            checked += 1
            distance = _nearest_km(point, same_tech)
            if distance > 20:
                far.append((row.name_zh, code, round(distance, 1)))
    assert checked >= 8
    assert far == []
