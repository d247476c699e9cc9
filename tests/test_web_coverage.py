"""The image a web map draws of a layer too large to draw feature by feature."""

import io

import numpy as np
import pytest
import shapely
from PIL import Image
from pyproj import Transformer

from longtu.analysis.constraints.builtin_layers import builtin_constraints
from longtu.maps.web.coverage import cell_km, coverage_image


def _cells(image) -> np.ndarray:
    """The image's cells as a boolean array (True: covered), north row first."""
    rgba = np.asarray(Image.open(io.BytesIO(image.png)).convert("RGBA"))
    return rgba[..., 3] > 0


def _cell_of(image, lon: np.ndarray, lat: np.ndarray, shape) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of each point in the image's Web Mercator grid."""
    merc = Transformer.from_crs(4326, 3857, always_xy=True)
    (south, west), (north, east) = image.bounds
    x0, y0 = merc.transform(west, south)
    x1, y1 = merc.transform(east, north)
    x, y = merc.transform(lon, lat)
    col = ((x - x0) / (x1 - x0) * shape[1]).astype(int)
    row = ((y1 - y) / (y1 - y0) * shape[0]).astype(int)
    return np.clip(row, 0, shape[0] - 1), np.clip(col, 0, shape[1] - 1)


def test_a_box_fills_its_cells_and_only_those():
    image = coverage_image(np.array([shapely.box(100, 36, 100.5, 36.5)]), width_px=64)
    cells = _cells(image)
    (south, west), (north, east) = image.bounds
    assert (south, west, north) == pytest.approx((36.0, 100.0, 36.5))
    assert 100.5 <= east < 100.5 + 0.5 / 64 * 2  # ends on a whole cell
    # one box over its own extent: every cell but the touched edge of the last column
    assert cells.mean() > 0.97
    assert image.cell_km == pytest.approx(cell_km((100, 36, 100.5, 36.5), width_px=64), 0.01)


def test_the_tibetan_plateau_is_drawn_where_it_lies():
    """Real data: the plateau's part of Gansu. Every point inside it falls on a covered cell,
    every point more than two cells away from it on an empty one (the image is in register)."""
    plateau = builtin_constraints("tibetan_plateau").frame.geometry.iloc[0]
    image = coverage_image(np.array([plateau]), width_px=400)
    cells = _cells(image)
    rng = np.random.default_rng(7)
    west, south, east, north = plateau.bounds
    lon = rng.uniform(west, east, 20_000)
    lat = rng.uniform(south, north, 20_000)
    points = shapely.points(lon, lat)
    inside = shapely.contains_xy(plateau, lon, lat)
    away_deg = 2.5 * image.cell_km / 111.0 / np.cos(np.radians(lat))
    far = shapely.distance(plateau, points) > away_deg
    row, col = _cell_of(image, lon, lat, cells.shape)
    assert inside.sum() > 1000 and far.sum() > 1000
    assert cells[row[inside], col[inside]].all()
    assert not cells[row[far], col[far]].any()


def test_nothing_to_draw_is_refused():
    with pytest.raises(ValueError, match="no geometry"):
        coverage_image(np.array([None, shapely.Polygon()], dtype=object))
