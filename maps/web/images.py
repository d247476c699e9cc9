"""Images drawn on the web maps (hillshade, land cover), as files a server shares or data URLs."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path


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
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(target)
    return base_url + name
