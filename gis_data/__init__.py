"""Source data for 陇图 Longtu: authored plan tables and the builders of the base layers.

The base geography (boundaries, rivers, terrain, land cover, context and gazetteer layers) is
derived from datasets that registry packages ship; :func:`longtu.gis_data.build.build_base_layers`
(``longtu build``) writes it to :data:`longtu.settings.data_folder`. Everything stored is
EPSG:4326 (WGS84 longitude/latitude).
"""
