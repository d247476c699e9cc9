"""The plan's data model: layers of zones, bases, parks, energy sites and chains on Gansu.

Public API
----------
load_layer(name)
    Any layer as a GeoDataFrame (EPSG:4326).
layer_names()
    Every layer name.
LAYERS, LayerSpec
    The catalog with each layer's documented columns.
plan_layers()
    All plan layers at once (validated, cached).
load_base_raster(name)
    The terrain or land-cover raster as arrays.
ValidationError, LayerNotFoundError
    Errors raised on bad tables and unknown names.
"""

from longtu.errors import LayerNotFoundError, ValidationError
from longtu.layout.base import Raster, load_base_raster
from longtu.layout.catalog import LAYERS, LayerSpec, layer_spec
from longtu.layout.load import build_plan_layers, layer_names, load_layer, plan_layers

__all__ = [
    "LAYERS",
    "LayerNotFoundError",
    "LayerSpec",
    "Raster",
    "ValidationError",
    "build_plan_layers",
    "layer_names",
    "layer_spec",
    "load_base_raster",
    "load_layer",
    "plan_layers",
]
