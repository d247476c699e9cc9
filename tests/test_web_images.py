"""Files the web maps load from the data folder (maps/web/images.py): written once, kept while
in use, the unused ones of older maps removed."""

from __future__ import annotations

import os
import time

from longtu.maps.web import images

DAY_S = 24 * 3600.0


def _aged(path, age_s: float, now: float) -> None:
    os.utime(path, (now - age_s, now - age_s))


def test_unused_files_go_but_the_newest_of_each_kind_and_recent_ones_stay(tmp_path):
    now = time.time()
    served = (tmp_path, "../served/")
    names = {}
    for label, data, stem, suffix, age_days in [
        ("old parks", b"[1]", "layer-parks", ".json", 3),
        ("older parks", b"[2]", "layer-parks", ".json", 5),
        ("newest parks", b"[3]", "layer-parks", ".json", 2),
        ("recent sites", b"[4]", "layer-energy_sites", ".json", 0.5),
        ("older sites", b"[5]", "layer-energy_sites", ".json", 0.9),
        ("old hillshade", b"png1", "hillshade", ".png", 9),
        ("hillshade now", b"png2", "hillshade", ".png", 4),
    ]:
        names[label] = images.asset_url(data, stem, suffix, served).removeprefix("../served/")
        _aged(tmp_path / names[label], age_days * DAY_S, now)
    (tmp_path / "notes.txt").write_text("not ours")
    _aged(tmp_path / "notes.txt", 30 * DAY_S, now)
    (tmp_path / "layer-parks-0123456789abcdef.77.part").write_bytes(b"half")
    _aged(tmp_path / "layer-parks-0123456789abcdef.77.part", 2 * DAY_S, now)

    removed = images.prune_assets(tmp_path, now=now)

    assert sorted(p.name for p in removed) == sorted(
        [
            names["old parks"],
            names["older parks"],
            names["old hillshade"],
            "layer-parks-0123456789abcdef.77.part",
        ]
    )
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {
        names["newest parks"],
        names["recent sites"],
        names["older sites"],
        names["hillshade now"],
        "notes.txt",
    }


def test_a_file_asked_for_again_is_in_use_and_kept(tmp_path):
    now = time.time()
    served = (tmp_path, "")
    a = images.asset_url(b"a", "layer-parks", ".json", served)
    b = images.asset_url(b"b", "layer-parks", ".json", served)
    newest = images.asset_url(b"c", "layer-parks", ".json", served)
    _aged(tmp_path / a, 3 * DAY_S, now)
    _aged(tmp_path / b, 2 * DAY_S, now)
    assert images.asset_url(b"a", "layer-parks", ".json", served) == a  # a map asks for it
    assert images.prune_assets(tmp_path) == [tmp_path / b]
    _aged(tmp_path / a, 3 * DAY_S, now)
    assert images.touch_assets(tmp_path, [a])  # a map drawn earlier still loads it
    assert images.prune_assets(tmp_path) == []
    _aged(tmp_path / a, 3 * DAY_S, now)
    assert images.prune_assets(tmp_path) == [tmp_path / a]
    assert not images.touch_assets(tmp_path, [a, newest])  # one of them is gone


def test_the_files_a_map_loads_are_found_in_its_script(tmp_path):
    served = (tmp_path, "../longtu_images/")
    layer = images.asset_url(b'{"type":"FeatureCollection"}', "layer-parks", ".json", served)
    picture = images.image_url(b"PNG", "hillshade", served)
    script = (
        f'longtuView(map).register("parks", layer, "{layer}");\n'
        f'L.imageOverlay("{picture}", bounds);\n'
        'L.imageOverlay("../vendor/leaflet/images/layers.png");'
    )
    assert images.assets_in(script, served[1]) == sorted(
        [layer.removeprefix(served[1]), picture.removeprefix(served[1])]
    )
