"""Images drawn on the web maps (hillshade, land cover), as files a server shares or data URLs."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import time
from collections.abc import Iterable
from pathlib import Path

#: Files unused for this long are removed from a served folder (:func:`prune_assets`).
ASSET_MAX_AGE_S = 24 * 3600.0
#: What :func:`asset_url` and the web font write: ``<stem>-<16 hex digits><suffix>``.
_ASSET_NAME = re.compile(r"^(?P<stem>[\w.-]+?)-[0-9a-f]{16}(?P<suffix>\.[a-z0-9]+)$")


def image_url(png: bytes, stem: str, image_folder: tuple[Path, str] | None) -> str:
    """A URL for a PNG: a file named by its content in `image_folder`, or a data URL.

    Examples
    --------
    >>> image_url(b"PNG", "x", None)
    'data:image/png;base64,UE5H'
    """
    if image_folder is None:
        return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return asset_url(png, stem, ".png", image_folder)


def asset_url(data: bytes, stem: str, suffix: str, folder_url: tuple[Path, str]) -> str:
    """The URL of `data` written as a file named by its content in a served folder.

    `folder_url` is ``(folder, URL under which a server serves it)``. The file is written once
    (atomically: a reader never sees half of it).

    Examples
    --------
    >>> import tempfile
    >>> asset_url(b"{}", "layer", ".json", (Path(tempfile.mkdtemp()), "../served/"))
    '../served/layer-44136fa355b3678a.json'
    """
    folder, base_url = folder_url
    name = f"{stem}-{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
    target = folder / name
    if target.exists():
        os.utime(target)  # in use: kept by prune_assets
    else:
        folder.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(target)
    return base_url + name


def assets_in(text: str, base_url: str) -> list[str]:
    """Names of the files under `base_url` that `text` (a map's script or header) refers to.

    Examples
    --------
    >>> assets_in('fetch("../img/layer-parks-0123456789abcdef.json")', "../img/")
    ['layer-parks-0123456789abcdef.json']
    """
    found = re.findall(re.escape(base_url) + r"([\w.-]+)", text)
    return sorted({name for name in found if _ASSET_NAME.match(name)})


def touch_assets(folder: Path, names: Iterable[str]) -> bool:
    """Mark the files `names` in `folder` as in use; False if any of them is gone."""
    present = True
    for name in names:
        try:
            os.utime(folder / name)
        except FileNotFoundError:
            present = False
    return present


def prune_assets(
    folder: Path, *, max_age_s: float = ASSET_MAX_AGE_S, now: float | None = None
) -> list[Path]:
    """Remove the files of `folder` unused for `max_age_s`, but the newest of each kind.

    Used means written or asked for (:func:`asset_url`, :func:`touch_assets`). Files are of a
    kind when their names differ only by the digest (``layer-parks-<digest>.json``); the newest
    of each kind is kept whatever its age, and so are files not named as :func:`asset_url`
    names them. Half-written files (``*.part``) older than `max_age_s` go too.

    Returns
    -------
    list of Path
        The files removed.
    """
    cutoff = (time.time() if now is None else now) - max_age_s
    kinds: dict[tuple[str, str], list[tuple[float, Path]]] = {}
    removed: list[Path] = []
    for path in folder.glob("*") if folder.is_dir() else ():
        match = _ASSET_NAME.match(path.name)
        age = path.stat().st_mtime
        if path.suffix == ".part" and age < cutoff:
            removed.append(path)
        elif match is not None:
            kinds.setdefault((match["stem"], match["suffix"]), []).append((age, path))
    for files in kinds.values():
        files.sort()
        removed.extend(path for age, path in files[:-1] if age < cutoff)
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
