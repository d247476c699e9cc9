"""Rendering of the layers: interactive Folium maps and print-quality Matplotlib PDFs."""
