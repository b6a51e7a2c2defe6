"""Opening a .qdpx archive without trusting it.

A .qdpx is a zip holding `project.qde` and a `sources/` folder. Nothing is ever extracted to
disk, yet the archive is refused outright when it is not a zip, when an entry name climbs out of
the archive (`..`) or is absolute (`/etc/passwd`, `C:\\...`), when names repeat, or when an entry
declares a compression ratio no real document reaches (a zip bomb). Each entry that is read is
capped twice: by its declared size, checked before inflating, and by the bytes actually read,
so an archive that lies about sizes costs at most the cap.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

from qualcode.errors import InputError

MIB = 1024 * 1024
MAX_ENTRIES = 100_000
MAX_MEMBER_BYTES = 256 * MIB
"""The most one entry read from the archive may expand to (project.qde, a transcript, a .docx)."""
MAX_TOTAL_BYTES = 1024 * MIB
"""The most all entries read from one archive may expand to together."""
MAX_RATIO = 200
"""The highest compression ratio accepted for an entry over 1 MB; text and XML reach about 10:1,
repetitive XML 30:1, a zip bomb 1000:1 and more."""

_DRIVE = re.compile(r"^[A-Za-z]:")


def entry_parts(name: str) -> tuple[str, ...] | None:
    """The path components of an entry name, or None when the name is unsafe (absolute, with
    `..`, a drive letter or a NUL). Backslashes count as separators: some tools write them."""
    cleaned = name.replace("\\", "/")
    if "\x00" in cleaned or cleaned.startswith("/") or _DRIVE.match(cleaned):
        return None
    parts = tuple(part for part in cleaned.split("/") if part not in ("", "."))
    if any(part == ".." for part in parts):
        return None
    return parts


class SafeArchive:
    """A .qdpx opened for reading, entries looked up case-insensitively, reads capped."""

    def __init__(self, path: Path, *, kind: str = ".qdpx") -> None:
        self.path = path
        self.name = path.name
        self._read_total = 0
        try:
            with path.open("rb") as handle:
                head = handle.read(4)
        except OSError as error:
            raise InputError(f"Cannot read {path}: {error.strerror}.") from None
        if not head.startswith(b"PK"):
            raise InputError(f"{self.name} is not a {kind} file: a {kind} is a zip archive and this file is not "
                             "one (it may be another kind of file renamed). Export the project again from its "
                             "program as REFI-QDA (.qdpx).")
        try:
            self._zip = zipfile.ZipFile(path)
            entries = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
            raise InputError(f"{self.name} is damaged: its zip structure cannot be read ({error}). "
                             "Export the project again.") from None
        if len(entries) > MAX_ENTRIES:
            raise InputError(f"{self.name} holds {len(entries)} entries, more than a project needs; "
                             "it was refused as unsafe.")
        self._entries: dict[str, zipfile.ZipInfo] = {}
        for entry in entries:
            parts = entry_parts(entry.filename)
            if parts is None:
                raise InputError(f"{self.name} contains an entry named {entry.filename!r}, which points outside "
                                 "the archive (an absolute path or '..'); the file was refused as unsafe.")
            if entry.is_dir() or not parts:
                continue
            key = "/".join(parts).casefold()
            if key in self._entries:
                raise InputError(f"{self.name} contains two entries named {entry.filename!r}; it is damaged or "
                                 "was tampered with and was refused.")
            if entry.file_size > MIB and entry.file_size > MAX_RATIO * max(1, entry.compress_size):
                raise InputError(f"{self.name} contains {entry.filename!r} compressed "
                                 f"{entry.file_size // max(1, entry.compress_size)}:1, far more than any real "
                                 "document (it looks like a zip bomb); the file was refused.")
            self._entries[key] = entry

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def names(self) -> list[str]:
        return [entry.filename for entry in self._entries.values()]

    def find(self, *candidates: str) -> zipfile.ZipInfo | None:
        """The first entry whose name matches one of `candidates` (case-insensitive, `/` paths)."""
        for candidate in candidates:
            parts = entry_parts(candidate)
            if parts:
                entry = self._entries.get("/".join(parts).casefold())
                if entry is not None:
                    return entry
        return None

    def root_files(self, suffix: str) -> list[zipfile.ZipInfo]:
        """Entries at the top of the archive whose names end with `suffix` (case-insensitive)."""
        return [entry for key, entry in self._entries.items() if "/" not in key and key.endswith(suffix.casefold())]

    def read(self, entry: zipfile.ZipInfo, *, limit: int = MAX_MEMBER_BYTES) -> bytes:
        """The bytes of one entry, refusing more than `limit` (declared or actual) and more than
        `MAX_TOTAL_BYTES` read from this archive in all."""
        too_big = (f"{self.name}: {entry.filename!r} would expand to more than {limit // MIB} MB, "
                   "more than qualcode reads from one entry; the file was refused (it may be a zip bomb).")
        if entry.file_size > limit:
            raise InputError(too_big)
        if self._read_total + entry.file_size > MAX_TOTAL_BYTES:
            raise InputError(f"{self.name} would expand to more than {MAX_TOTAL_BYTES // MIB} MB in all; "
                             "it was refused (it may be a zip bomb).")
        try:
            with self._zip.open(entry) as handle:
                data = handle.read(limit + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
            raise InputError(f"{self.name}: {entry.filename!r} cannot be read ({error}); the archive is "
                             "damaged. Export the project again.") from None
        if len(data) > limit:
            raise InputError(too_big)
        self._read_total += len(data)
        return data


def internal_path(reference: str) -> str | None:
    """The archive path named by a source reference such as `internal://<guid>.txt`, a bare file
    name, or `sources/x.txt`; None for external references (`relative://`, `absolute://`, URLs)
    that are never read. Raises InputError for a reference that climbs out of the archive."""
    reference = reference.strip()
    lowered = reference.casefold()
    if lowered.startswith("internal://"):
        reference = reference[len("internal://"):].lstrip("/")
    elif "://" in reference:
        return None
    parts = entry_parts(reference)
    if parts is None or not parts:
        raise InputError(f"The project refers to a source file {reference!r} outside the archive "
                         "(an absolute path or '..'); the file was refused as unsafe.")
    return str(PurePosixPath(*parts))
