"""Words of one analysis each (tables, columns, numbers, parameters, values), Chinese and English.

Each module holds the same five dictionaries as :mod:`longtu.maps.labels`, which merges them:
``TABLE_WORDS``, ``COLUMN_WORDS``, ``NUMBER_WORDS``, ``PARAMETER_WORDS`` (key -> (Chinese,
English)) and ``VALUE_WORDS`` (column -> stored value -> (Chinese, English)); optionally
``SHOWN_COLUMNS`` (table -> the columns a person reads, in order).
"""
