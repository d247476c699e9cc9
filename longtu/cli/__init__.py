"""The ``longtu`` command line: one module per command group, parsing only.

Every command calls the same plain functions as the app and the tests; no analysis knows
about options.
"""
