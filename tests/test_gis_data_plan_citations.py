"""Every citation of the authored tables resolves in the plan texts (../shared/seeds)."""

import re
from functools import cache

import pandas as pd
import pytest

from longtu import settings
from longtu.layout.plan import TABLES, read_table, split_list

SOURCED = [*TABLES, "targets"]


@cache
def _lines(seeds_dir, seed_file):
    return (seeds_dir / seed_file).read_text(encoding="utf-8").split("\n")


def _quote_states(quote, value):
    """The quote states `value`: as written, rounded (130.31 shown as 130.3), or with a
    garbled decimal point (the seed has "1\ue0105%" for 1.5 %)."""
    for number in re.findall(r"\d+(?:\.\d+)?", quote):
        decimals = len(number.partition(".")[2])
        if round(value, decimals) == float(number):
            return True
    digits = re.sub(r"\D", "", f"{value:g}")
    return digits in re.sub(r"\D", "", quote)


GENERIC_SUFFIXES = ("工业集中区", "工业园区", "产业园", "开发区")


def _listed(name, line):
    """The plans list parks in short form ("平凉、华亭2个省级工业园区"): the stem and the suffix."""
    for suffix in GENERIC_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix) in line and suffix in line
    return False


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
            if not _quote_states(row.quote_zh, float(feature["value"])):
                bad.append((row.feature_id, row.line, "quote lacks the figure"))
        elif not any(name in line or _listed(name, row.quote_zh) for name in _names(feature)):
            bad.append((row.feature_id, row.line, "line names neither name_zh nor an alias"))
    assert bad == []


def test_chain_links_name_their_member_on_the_cited_line(seeds_dir):
    links = read_table("chain_links")
    names = {}
    for table in ("parks", "energy_sites"):
        for row in read_table(table).to_dict("records"):
            for key in [row["name_zh"], row["feature_id"], *split_list(row["aliases_zh"])]:
                names.setdefault(key, set()).update(_names(row))
    bad = []
    for r in links.itertuples(index=False):
        line = _lines(seeds_dir, r.seed_file)[int(r.line) - 1]
        candidates = names.get(r.member_ref, set()) | {r.member_ref}
        if not any(name in line or _listed(name, line) for name in candidates):
            bad.append((r.chain_id, r.member_ref))
    assert bad == []


def test_seed_texts_are_not_copied_into_the_repository(seeds_dir):
    # Quotes are at most 40 characters: no authored cell shares 41 characters with a seed line.
    window = 41
    seed_windows = {
        line[i : i + window]
        for p in seeds_dir.glob("*.txt")
        for line in _lines(seeds_dir, p.name)
        for i in range(len(line) - window + 1)
    }
    assert len(seed_windows) > 50_000
    for path in settings.plan_folder.glob("*.csv"):
        cells = pd.read_csv(path, dtype=str, keep_default_na=False).to_numpy().ravel()
        copied = [
            c
            for c in cells
            if any(c[i : i + window] in seed_windows for i in range(len(c) - window + 1))
        ]
        assert copied == [], path.name


def test_a_list_form_quote_names_a_park_by_its_stem_and_suffix():
    # 001:101 lists 平凉、庆阳、华亭 provincial parks: that names 平凉工业园区; a chain title naming
    # only the city does not.
    listing = "以平凉、庆阳、华亭省级工业园区和泾川、灵台、崇信工业集中区为载体"
    assert _listed("平凉工业园区", listing)
    assert not _listed("平凉工业园区", "（三）平凉煤电化冶循环经济产业链")
