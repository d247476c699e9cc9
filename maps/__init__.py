"""Rendering of the layers, in one style (:mod:`longtu.maps.style`).

Subpackages
-----------
web
    Interactive Folium maps with offline assets (vendored Leaflet) and a hillshade base.
print
    Print-quality vector PDFs: map pages, atlases and the briefing book.
"""
