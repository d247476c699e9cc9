"""Spatial analyses of the plan layers (clustering, resource fit, water fit, constraints)."""
