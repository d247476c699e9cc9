import numpy as np
import shapely
from affine import Affine

from longtu.maps.web.hillshade import hillshade, hillshade_rgba

T = Affine(1 / 12, 0, 100, 0, -1 / 12, 36)


def _hill():
    rows, cols = np.mgrid[0:21, 0:21]
    return 3000 * np.exp(-((cols - 10) ** 2 + (rows - 10) ** 2) / 20.0)


def test_light_comes_from_the_north_west():
    shade = hillshade(_hill(), T)  # rows run south, columns east
    north_west, south_east = shade[7, 7], shade[13, 13]
    assert north_west > south_east
    assert abs(shade[7, 13] - shade[13, 7]) < 0.02  # NE and SW slopes lit alike


def test_rgba_is_transparent_outside_the_outline():
    outline = shapely.box(100, 35.5, 101.75, 36)  # the northern part of the grid
    rgba = hillshade_rgba(_hill(), T, upsample=2, outline=outline)
    assert rgba.shape == (42, 42, 4)
    assert (rgba[:10, :, 3] > 0).all() and (rgba[-10:, :, 3] == 0).all()
