"""Plan layers kept on disk (layout/load.py): read by a fresh process, rebuilt on a change."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from longtu import settings
from longtu.layout import load as load_module


@pytest.fixture
def plan_copy(tmp_path, monkeypatch):
    """The shipped plan tables copied to a folder of their own; built layers kept in tmp_path."""
    folder = tmp_path / "plan"
    shutil.copytree(settings.plan_folder, folder)
    monkeypatch.setattr(settings, "plan_folder", folder)
    monkeypatch.setattr(load_module, "plan_cache_folder", lambda: tmp_path / "kept")
    load_module._cached_plan_layers.cache_clear()
    yield folder
    load_module._cached_plan_layers.cache_clear()


def _as_a_fresh_process() -> None:
    """Forget the layers held in memory, as a new server process would not have them."""
    load_module._cached_plan_layers.cache_clear()


def test_a_fresh_process_reads_the_kept_layers_and_a_changed_table_builds_anew(
    plan_copy, tmp_path, monkeypatch
):
    built = load_module.plan_layers()
    kept = sorted((tmp_path / "kept").iterdir())
    assert [p.name for p in kept] == [load_module.plan_cache_key(plan_copy)]
    assert sorted(p.suffix for p in kept[0].iterdir()) == [".json"] + [".parquet"] * len(built)

    _as_a_fresh_process()
    calls: list[object] = []
    real_build = load_module.build_plan_layers
    monkeypatch.setattr(
        load_module, "build_plan_layers", lambda folder: calls.append(folder) or real_build(folder)
    )
    again = load_module.plan_layers()
    assert calls == []  # read from disk, not built
    assert set(again) == set(built)
    assert_geodataframe_equal(again["parks"], built["parks"])
    # The CRS as built, not a PROJJSON copy: code compares layers' CRSs by their text.
    assert [again[n].crs.to_string() for n in ("parks", "economic_zones")] == ["EPSG:4326"] * 2
    pd.testing.assert_frame_equal(again["targets"], built["targets"])

    parks = plan_copy / "parks.csv"
    text = parks.read_text(encoding="utf-8")
    assert "Lanzhou New Area," in text
    parks.write_text(text.replace("Lanzhou New Area,", "Lanzhou New District,", 1), "utf-8")
    _as_a_fresh_process()
    changed = load_module.plan_layers()
    assert calls == [plan_copy]  # the table changed: built again
    names = set(changed["parks"]["name_en"])
    assert "Lanzhou New District" in names and "Lanzhou New Area" not in names
    now = sorted((tmp_path / "kept").iterdir())
    assert [p.name for p in now] == [load_module.plan_cache_key(plan_copy)]
    assert now != kept  # only the layers of the current tables are kept


def test_an_unreadable_kept_file_is_built_again(plan_copy, tmp_path):
    key = load_module.plan_cache_key(plan_copy)
    (tmp_path / "kept" / key).mkdir(parents=True)
    (tmp_path / "kept" / key / "layers.json").write_text('[["parks", "EPSG:4326"]]', "utf-8")
    (tmp_path / "kept" / key / "parks.parquet").write_bytes(b"half a file")
    layers = load_module.plan_layers()
    assert len(layers["parks"]) > 60
    assert load_module._read_cached(tmp_path / "kept" / key) is not None
