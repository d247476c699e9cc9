"""Zonal statistics of user rasters over counties and plan features, read in windows."""
