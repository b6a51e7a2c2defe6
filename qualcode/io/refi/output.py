"""Writing export files: never over an existing file without `force`, never half-written,
and zip archives byte-for-byte the same when their contents are."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping
from pathlib import Path

from qualcode.errors import ConflictError, ProjectError

_EPOCH = (1980, 1, 1, 0, 0, 0)


def check_target(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise ConflictError(f"{path} already exists; give --force to overwrite it.")
    if path.is_dir():
        raise ConflictError(f"{path} is a folder; give a file name.")
    if not path.parent.exists():
        raise ProjectError(f"The folder {path.parent} does not exist; create it first.")


def write_file(path: Path, data: bytes, *, force: bool = False) -> None:
    check_target(path, force)
    partial = path.with_name(f".{path.name}.part")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def write_zip(path: Path, entries: Mapping[str, bytes], *, force: bool = False) -> None:
    """A zip of `entries` in the given order, with fixed dates so the same entries give the same bytes."""
    check_target(path, force)
    partial = path.with_name(f".{path.name}.part")
    try:
        with zipfile.ZipFile(partial, "w") as archive:
            for name, data in entries.items():
                info = zipfile.ZipInfo(name, date_time=_EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
