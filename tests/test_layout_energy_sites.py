"""Energy bases of the plan against real power plants (../shared/reference/power, GPPD 2018-19).

The plans name counties, not sites, so a county-level base is *somewhere in its county*: its
placement region is the county polygon, and its drawn point is the county seat. The tests check
the placement region against reality and report (not assert) how far the seat symbol is from the
nearest real plant.
"""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from longtu import settings
from longtu.layout import load_layer, plan_layers
from longtu.layout.plan import split_list

GEOD = Geod(ellps="WGS84")
FUEL = {"wind": "Wind", "pv": "Solar", "csp": "Solar"}


@pytest.fixture(scope="module")
def plants(reference_dir):
    table = pd.read_csv(reference_dir / "power" / "gansu_gppd_v130_with_capacity.csv")
    table = table[table["in_gansu"].astype(bool)]
    points = gpd.points_from_xy(table.longitude, table.latitude)
    frame = gpd.GeoDataFrame(table, geometry=points, crs=settings.storage_crs)
    counties = load_layer("counties")[["adcode", "geometry"]]
    return gpd.sjoin(frame, counties, predicate="within")


@pytest.fixture(scope="module")
def bases():
    sites = plan_layers()["energy_sites"]
    return sites[sites["technology"].isin(FUEL) & (sites["precision"] != "unplaced")]


def _region(row, counties):
    if row.precision in ("county", "prefecture") and row.county_adcodes:
        return shapely.union_all(counties.geometry[split_list(row.county_adcodes)].values)
    return row.geometry


def _distance_km(geom, plants):
    projected = gpd.GeoSeries([geom], crs=settings.storage_crs).to_crs(settings.equal_area_crs)
    return plants.to_crs(settings.equal_area_crs).distance(projected.iloc[0]).min() / 1000


def test_every_pv_base_county_hosts_real_pv_plants(bases, plants):
    solar = plants[plants["primary_fuel"] == "Solar"]
    pv = bases[(bases["technology"] == "pv") & (bases["precision"] == "county")]
    assert len(pv) == 8
    for row in pv.itertuples(index=False):
        assert solar["adcode"].isin(split_list(row.county_adcodes)).any(), row.name_zh


def test_bases_lie_within_20_km_of_real_plants_where_their_county_has_any(bases, plants):
    counties = load_layer("counties").set_index("adcode")
    checked, far, seat_km = 0, [], []
    for row in bases.itertuples(index=False):
        same = plants[plants["primary_fuel"] == FUEL[row.technology]]
        codes = split_list(row.county_adcodes)
        if not codes or not same["adcode"].isin(codes).any():
            continue  # its county has no such plant in the 2018-19 snapshot
        checked += 1
        if _distance_km(_region(row, counties), same) > 20:
            far.append(row.name_zh)
        for point in shapely.get_parts(row.geometry):
            lon, lat = np.full(len(same), point.x), np.full(len(same), point.y)
            dist = GEOD.inv(lon, lat, same.geometry.x.to_numpy(), same.geometry.y.to_numpy())[2]
            seat_km.append(dist.min() / 1000)
    assert checked >= 12
    assert far == []
    median = np.median(seat_km)
    print(f"\nseat symbol to nearest real plant: median {median:.1f} km (n={len(seat_km)})")
