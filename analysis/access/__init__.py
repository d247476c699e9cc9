"""Transport access of parks and sites: network distances and travel times (OSM)."""
