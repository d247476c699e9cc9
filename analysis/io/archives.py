"""Unpacking an uploaded zip (zipped Shapefile, KMZ) safely.

Every entry is checked before anything is unpacked: the number of entries, the declared total
size (a zip bomb), absolute paths, ``..`` and symbolic links; an entry that writes more than it
declares is stopped. :func:`unpack_archive` unpacks into a folder the caller owns (a
:class:`tempfile.TemporaryDirectory`) and returns the one dataset in it.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from longtu.errors import ConstraintFileError

_CHUNK = 1024 * 1024


def unpack_archive(
    path: Path, folder: Path, *, wanted: tuple[str, ...], max_bytes: int, max_files: int
) -> Path:
    """Check every entry of a zip, then unpack it into `folder`; return the one dataset in it.

    `wanted` are the suffixes of a dataset (e.g. ``(".kml",)`` for a KMZ).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_entries(path.name, infos, max_bytes=max_bytes, max_files=max_files)
            for info in infos:
                _extract_entry(archive, info, folder)
    except zipfile.BadZipFile as error:
        raise ConstraintFileError(
            f"`{path.name}` is not a valid zip archive ({error}).",
            zh=f"{path.name} 不是有效的 zip 压缩包；请重新压缩后上传。",
        ) from None
    found = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in wanted and "__MACOSX" not in p.parts and not p.name.startswith(".")
    )
    if len(found) != 1:
        names = ", ".join(p.relative_to(folder).as_posix() for p in found) or "none"
        raise ConstraintFileError(
            f"`{path.name}` must hold exactly one layer file ({', '.join(wanted)}); "
            f"found {len(found)}: {names}. Zip each layer separately.",
            zh=f"{path.name} 应只含一个图层文件（{'、'.join(wanted)}），实际有 {len(found)} 个："
            f"{names.replace(', ', '、').replace('none', '无')}。请每个图层单独压缩。",
        )
    return found[0]


def _check_entries(
    name: str, infos: list[zipfile.ZipInfo], *, max_bytes: int, max_files: int
) -> None:
    if len(infos) > max_files:
        raise ConstraintFileError(
            f"`{name}` holds {len(infos)} entries, over the limit of {max_files}.",
            zh=f"{name} 含 {len(infos)} 个文件，超过 {max_files} 个的上限；请每个图层单独压缩。",
        )
    declared = sum(info.file_size for info in infos)
    if declared > max_bytes:
        raise ConstraintFileError(
            f"`{name}` would unpack to {declared / 1024**2:.1f} MiB, over the "
            f"{max_bytes / 1024**2:.0f} MiB limit (a zip bomb?); nothing was unpacked.",
            zh=f"{name} 解压后将有 {declared / 1024**2:.1f} MiB，超过 "
            f"{max_bytes / 1024**2:.0f} MiB 的上限，未解压；请先裁剪到甘肃省范围。",
        )
    for info in infos:
        entry = info.filename.replace("\\", "/")
        parts = PurePosixPath(entry).parts
        if entry.startswith("/") or (len(entry) > 1 and entry[1] == ":") or ".." in parts:
            raise ConstraintFileError(
                f"`{name}` has an entry `{info.filename}` that points outside the archive's "
                "folder; refused, nothing was unpacked.",
                zh=f"{name} 中的 {info.filename} 指向压缩包以外的路径，已拒绝，未解压任何文件。",
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ConstraintFileError(
                f"`{name}` has a symbolic link `{info.filename}`; refused, nothing was unpacked.",
                zh=f"{name} 中的 {info.filename} 是符号链接，已拒绝，未解压任何文件。",
            )


def _extract_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, folder: Path) -> None:
    target = folder.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
    if not target.resolve().is_relative_to(folder.resolve()):
        raise ConstraintFileError(
            f"entry `{info.filename}` escapes the upload folder; refused.",
            zh=f"压缩包中的 {info.filename} 指向压缩包以外的路径，已拒绝。",
        )
    if info.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with archive.open(info) as source, target.open("wb") as sink:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > info.file_size:
                raise ConstraintFileError(
                    f"entry `{info.filename}` is larger than it declares.",
                    zh=f"压缩包中的 {info.filename} 比其声明的大小更大，已拒绝。",
                )
            sink.write(chunk)
