"""Every citation of the authored tables resolves in the plan texts (../shared/seeds)."""

import re
from functools import cache

import pandas as pd
import pytest

from gis_data import settings
from layout.plan import TABLES, read_table, split_list

SOURCED = [*TABLES, "targets"]


@cache
def _lines(seeds_dir, seed_file):
    return (seeds_dir / seed_file).read_text(encoding="utf-8").split("\n")


def _names(row):
    return [row["name_zh"], *split_list(row.get("aliases_zh", ""))]


@pytest.mark.parametrize("table", SOURCED)
def test_quotes_are_on_their_lines_and_name_the_feature(seeds_dir, table):
    features = read_table(table).set_index("feature_id")
    sources = read_table(f"{table}_sources")
    assert set(features.index) <= set(sources["feature_id"]), "every feature is cited"
    bad = []
    for row in sources.itertuples(index=False):
        line = _lines(seeds_dir, row.seed_file)[int(row.line) - 1]
        if row.quote_zh not in line:
            bad.append((row.feature_id, row.line, "quote not on line"))
            continue
        feature = features.loc[row.feature_id]
        if table == "targets":
            digits = re.sub(r"\D", "", f"{float(feature['value']):g}")
            if digits not in re.sub(r"\D", "", row.quote_zh):
                bad.append((row.feature_id, row.line, "quote lacks the figure"))
        elif not any(name in line for name in _names(feature)):
            bad.append((row.feature_id, row.line, "line names neither name_zh nor an alias"))
    assert bad == []


def test_chain_links_name_their_member_on_the_cited_line(seeds_dir):
    links = read_table("chain_links")
    bad = [
        (r.chain_id, r.member_ref)
        for r in links.itertuples(index=False)
        if r.member_ref not in _lines(seeds_dir, r.seed_file)[int(r.line) - 1]
    ]
    assert bad == []


def test_seed_texts_are_not_copied_into_the_repository(seeds_dir):
    # Quotes are at most 40 characters; no authored file holds a whole seed line.
    longest = max(len(line) for p in seeds_dir.glob("*.txt") for line in _lines(seeds_dir, p.name))
    assert longest > 200
    for path in settings.plan_folder.glob("*.csv"):
        cells = pd.read_csv(path, dtype=str, keep_default_na=False).to_numpy().ravel()
        assert max((len(c) for c in cells), default=0) < 600, path.name
