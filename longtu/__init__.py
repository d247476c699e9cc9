"""陇图 Longtu: Gansu's 2016-2020 industrial plans as map layers, analyses, maps and briefings.

The package is laid out in layers, each importing only from the ones before it:

``longtu.gis_data``
    Authored plan tables (with their provenance) and the builders of the base layers.
``longtu.layout``
    The plan's data model: loading, placing, validating and exporting layers.
``longtu.analysis``
    Spatial analyses, one subpackage per concern; ``longtu.analysis.io`` reads users' files
    and writes results.
``longtu.maps``
    Web maps (``longtu.maps.web``) and print maps (``longtu.maps.print``), one style.
``longtu.app_pages`` and ``longtu.cli``
    The Streamlit pages and the ``longtu`` command.

``longtu.settings`` and ``longtu.errors`` are shared by every layer.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
