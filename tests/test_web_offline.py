"""The map's scripts as one file (script_bundle): what is in it, in which order, named how."""

from __future__ import annotations

import pytest

from longtu.errors import OfflineAssetError
from longtu.maps.web.offline import LOCAL_ASSETS, WEB_FOLDER, script_bundle

BASE = "../assets/"


def _links(*names: str) -> list[str]:
    return [BASE + LOCAL_ASSETS[name] for name in names]


def test_the_bundle_holds_the_scripts_in_order_with_the_icons_inlined(tmp_path):
    links = _links("leaflet", "longtu_leaflet_icons", "longtu_view", "longtu_stacks")
    url = script_bundle(links, base_url=BASE, folder=(tmp_path, "../served/"))
    assert url.startswith("../served/longtu-map-")
    text = (tmp_path / url.removeprefix("../served/")).read_text(encoding="utf-8")
    view = (WEB_FOLDER / LOCAL_ASSETS["longtu_view"]).read_text(encoding="utf-8")
    stacks = (WEB_FOLDER / LOCAL_ASSETS["longtu_stacks"]).read_text(encoding="utf-8")
    positions = [text.index("Leaflet 1.9.4"), text.index('iconUrl:"data:image/png')]
    positions += [text.index(view), text.index(stacks)]
    assert positions == sorted(positions)
    assert "sourceMappingURL" not in text  # no request for a map file beside a bundle
    assert "currentScript" not in text  # the icons' folder is not guessed from its address


def test_the_same_scripts_are_one_file_and_preloads_start_first(tmp_path):
    folder = (tmp_path, "../served/")
    links = _links("leaflet", "longtu_view")
    first = script_bundle(links, base_url=BASE, folder=folder)
    assert script_bundle(links, base_url=BASE, folder=folder) == first
    preloaded = script_bundle(links, base_url=BASE, folder=folder, preload=["../x/layer-a.json"])
    assert preloaded != first and len(list(tmp_path.iterdir())) == 2
    text = (tmp_path / preloaded.removeprefix("../served/")).read_text(encoding="utf-8")
    assert text.index('"../x/layer-a.json"') < text.index("Leaflet 1.9.4")


def test_a_script_that_is_not_vendored_is_refused_by_name(tmp_path):
    with pytest.raises(OfflineAssetError, match=r"`https://cdn\.example/x\.js` is not a vendored"):
        script_bundle(["https://cdn.example/x.js"], base_url=BASE, folder=(tmp_path, "../served/"))
