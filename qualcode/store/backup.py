"""Backups of a project file, restoring them, and checking a project's health.

Backups use SQLite's online backup API through a separate read-only connection, so they are
consistent snapshots of what was committed, taken while the TUI keeps working. A rolling set
lives beside the project:

    study.qualcode
    study.qualcode.backups/study-20260512-143000.qualcode                 automatic (the last K kept)
    study.qualcode.backups/study-20260512-150102-manual.qualcode          `qualcode backup` (kept)
    study.qualcode.backups/study-20260512-151500-before-restore.qualcode  what a restore replaced (kept)

An automatic backup is taken when a writable project file is opened and then whenever
`store.backup_if_due()` is called (the TUI calls it on a timer), but only if the newest backup
is older than the interval and the project changed since. Settings: `backup_interval_minutes`
(default 10), `backup_keep` (default 10), `backups` = `off`; the environment variable
`QUALCODE_BACKUPS=off` turns automatic backups off for a session (batch runs, benchmarks).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.errors import NotFoundError, ProjectError, ProjectLockedError
from qualcode.store.core import APPLICATION_ID, SQLITE_MAGIC, _lock, _unlock
from qualcode.store.documents import content_hash
from qualcode.store.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from qualcode.store import Store

DEFAULT_KEEP = 10
DEFAULT_INTERVAL_MINUTES = 10.0
FOLDER_SUFFIX = ".backups"
KINDS = ("auto", "manual", "before-restore")
_OFF = {"0", "off", "no", "false", "never"}
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?(?:-(?P<kind>manual|before-restore))?$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file of a project."""

    path: Path
    created: datetime  # local time, from the file name (or its modification time)
    size: int
    kind: str  # "auto" | "manual" | "before-restore"

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class ProjectCheck:
    """What `check_project` found: problems make the project unsafe to use; notes are fine."""

    path: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    schema_version: int | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


# ---------------------------------------------------------------- making backups
def backup_folder(project: str | os.PathLike[str]) -> Path:
    project = Path(project)
    return project.with_name(project.name + FOLDER_SUFFIX)


def backup(source: Store | str | os.PathLike[str], dest: str | os.PathLike[str]) -> Path:
    """Copy a project (an open Store, or a project file) consistently to the file `dest`.

    Safe while the project is open and being written: only committed data is copied. The copy
    is written beside `dest` and renamed into place, so `dest` is never half-written.
    """
    dest = Path(dest)
    partial = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    connection, close = _source_connection(source)
    try:
        target = sqlite3.connect(partial)
        try:
            connection.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        os.replace(partial, dest)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        if close:
            connection.close()
    return dest


def make_backup(source: Store | str | os.PathLike[str], *, kind: str = "manual",
                project: Path | None = None, now: datetime | None = None, keep: int | None = None) -> Path:
    """Back up a project into its backup folder; returns the new file's path.

    `project` is the project's path when `source` is a Store (taken from it by default).
    After an automatic backup the automatic ones are pruned to the newest `keep`
    (default: the project's `backup_keep` setting, else 10).
    """
    if kind not in KINDS:
        raise ValueError(kind)
    project = Path(project or (source.path if hasattr(source, "path") else source))  # type: ignore[union-attr]
    folder = backup_folder(project)
    folder.mkdir(exist_ok=True)
    dest = _free_name(folder, project, kind, now or datetime.now())
    backup(source, dest)
    if kind == "auto":
        if keep is None:
            keep = int(_number(source.get_setting("backup_keep"), DEFAULT_KEEP)) if hasattr(
                source, "get_setting") else DEFAULT_KEEP
        prune_backups(project, keep=keep)
    return dest


def backup_if_due(store: Store, *, interval_minutes: float | None = None,
                  now: datetime | None = None) -> Path | None:
    """Take an automatic backup if the newest is older than the interval and the project
    changed since; returns the new backup's path, or None when none was due.

    Reads the project through its own read-only connection (committed data only), so it is
    safe to call from a timer or a worker thread while the TUI writes.
    """
    if store.path is None or store.read_only or _off(os.environ.get("QUALCODE_BACKUPS")):
        return None
    now = now or datetime.now()
    connection, _close = _source_connection(store.path)
    try:
        settings = _settings(connection)
        if _off(settings.get("backups")):
            return None
        interval = _number(settings.get("backup_interval_minutes"), DEFAULT_INTERVAL_MINUTES)
        if interval_minutes is not None:
            interval = interval_minutes
        existing = list_backups(store.path)
        if existing:
            newest = existing[0]
            if now - newest.created < timedelta(minutes=interval):
                return None
            try:
                if _fingerprint_file(newest.path) == _fingerprint(connection):
                    return None
            except sqlite3.Error:
                pass  # an unreadable newest backup is one more reason to take a new one
        return make_backup(store.path, kind="auto", now=now,
                           keep=int(_number(settings.get("backup_keep"), DEFAULT_KEEP)))
    finally:
        connection.close()


def automatic_backups_enabled(store: Store) -> bool:
    return not _off(os.environ.get("QUALCODE_BACKUPS")) and not _off(store.get_setting("backups"))


def _off(value: str | None) -> bool:
    return (value or "").strip().lower() in _OFF


def _settings(connection: sqlite3.Connection) -> dict[str, str]:
    try:
        return dict(connection.execute("SELECT key, value FROM settings").fetchall())
    except sqlite3.Error:
        return {}


def _number(value: str | None, default: float) -> float:
    try:
        return float(value) if value not in (None, "") else default
    except ValueError:
        return default


def list_backups(project: str | os.PathLike[str]) -> list[BackupInfo]:
    """The project's backups, newest first."""
    project = Path(project)
    folder = backup_folder(project)
    if not folder.is_dir():
        return []
    result: list[tuple[int, BackupInfo]] = []
    suffix = project.suffix or ".qualcode"
    for path in folder.iterdir():
        if path.name.startswith(".") or path.suffix != suffix or not path.is_file():
            continue
        found = _NAME.match(path.stem)
        stat = path.stat()
        created = datetime.fromtimestamp(stat.st_mtime)
        kind = "manual"
        if found:
            kind = found["kind"] or "auto"
            try:
                created = datetime.strptime(found["stamp"], "%Y%m%d-%H%M%S") + timedelta(
                    microseconds=int(found["n"] or 0))
            except ValueError:
                pass
        result.append((stat.st_mtime_ns, BackupInfo(path, created, stat.st_size, kind)))
    result.sort(key=lambda item: (item[1].created, item[0], item[1].path.name), reverse=True)
    return [info for _mtime, info in result]


def prune_backups(project: str | os.PathLike[str], *, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete automatic backups beyond the newest `keep` (manual and before-restore ones stay),
    and partial files left by a process that died while writing one."""
    removed = []
    for info in [b for b in list_backups(project) if b.kind == "auto"][max(keep, 1):]:
        info.path.unlink(missing_ok=True)
        removed.append(info.path)
    folder = backup_folder(project)
    for partial in folder.glob(".*.partial"):
        pid = partial.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not _alive(int(pid)):
            partial.unlink(missing_ok=True)
    return removed


def find_backup(project: str | os.PathLike[str], ref: str | os.PathLike[str]) -> Path:
    """A backup by path, by file name in the project's backup folder, by number in the
    listing (1 = newest) or `latest`."""
    project = Path(project)
    text = str(ref)
    listing = list_backups(project)
    if text == "latest" or text.isdigit():
        index = 0 if text == "latest" else int(text) - 1
        if not listing or not 0 <= index < len(listing):
            raise NotFoundError(f"There is no backup {text} of {project}; list them with `qualcode restore {project}`.")
        return listing[index].path
    for candidate in (Path(ref), backup_folder(project) / text):
        if candidate.is_file():
            return candidate
    raise NotFoundError(f"No backup {text!r}; list the backups with `qualcode restore {project}`.")


def is_locked(project: str | os.PathLike[str]) -> bool:
    """Whether a qualcode process (this one included) has the project open for writing."""
    project = Path(project)
    if not project.is_file():
        return False
    try:
        _unlock(_lock(project))
    except ProjectLockedError:
        return True
    return False


# ---------------------------------------------------------------- restoring
def restore_backup(project: str | os.PathLike[str], backup_path: str | os.PathLike[str]) -> Path | None:
    """Replace the project with a backup; returns where the replaced project was kept.

    Refused while any qualcode process has the project open for writing. The project as it
    was is first saved as a `before-restore` backup (a raw copy if it is too damaged to be
    read), so a restore can itself be undone by restoring that file.
    """
    project = Path(project)
    source = find_backup(project, backup_path)
    if source.resolve() == project.resolve():
        raise ProjectError("That is the project itself; choose one of its backups.")
    report = check_project(source)
    if not report.ok:
        raise ProjectError(f"The backup {source} is damaged ({report.problems[0]}); choose another one "
                           f"(`qualcode restore {project}` lists them).")
    exists = project.exists() and project.stat().st_size > 0
    lock = None
    if project.exists():
        try:
            lock = _lock(project)
        except ProjectLockedError:
            raise ProjectLockedError(f"{project} is open in another qualcode process (the TUI or a command); "
                                     "close it, then restore the backup.") from None
    try:
        saved = None
        healthy = False
        if exists:
            healthy = check_project(project).ok
            if healthy:
                saved = make_backup(project, kind="before-restore")
            else:
                saved = _raw_copy(project, kind="before-restore")
        if healthy and _restore_in_place(source, project):
            return saved
        _replace_file(source, project)
        return saved
    finally:
        _unlock(lock)


def _restore_in_place(source: Path, project: Path) -> bool:
    """Copy the backup into the project through SQLite: one transaction, crash-safe."""
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(project, timeout=10)
    try:
        reader.backup(writer)
        return True
    except sqlite3.Error:
        return False  # e.g. a page size that WAL mode cannot change: replace the file instead
    finally:
        writer.close()
        reader.close()


def _replace_file(source: Path, project: Path) -> None:
    partial = project.with_name(f".{project.name}.{os.getpid()}.restoring")
    try:
        backup(source, partial)
        for suffix in ("-wal", "-shm"):
            Path(f"{project}{suffix}").unlink(missing_ok=True)
        os.replace(partial, project)
    finally:
        partial.unlink(missing_ok=True)


def _raw_copy(project: Path, *, kind: str) -> Path:
    folder = backup_folder(project)
    folder.mkdir(exist_ok=True)
    dest = _free_name(folder, project, kind, datetime.now())
    shutil.copyfile(project, dest)
    wal = Path(f"{project}-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{dest}-wal"))
    return dest


# ---------------------------------------------------------------- checking
def check_project(path: str | os.PathLike[str]) -> ProjectCheck:
    """Check a project file without changing it: SQLite integrity, foreign keys, schema
    version, and that every coding, turn and segment lies inside its document."""
    path = Path(path)
    report = ProjectCheck(path)
    if not path.is_file():
        report.problems.append(f"{path} does not exist.")
        return report
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            report.problems.append("the file is not an SQLite database (its header is damaged or it is another file).")
            return report
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as error:
        report.problems.append(f"SQLite cannot open it: {error}.")
        return report
    try:
        _check(connection, report)
    except sqlite3.DatabaseError as error:
        report.problems.append(f"SQLite reports: {error}.")
    finally:
        connection.close()
    return report


def _check(connection: sqlite3.Connection, report: ProjectCheck) -> None:
    rows = [r[0] for r in connection.execute("PRAGMA integrity_check(20)")]
    if rows != ["ok"]:
        report.problems += [f"integrity: {row}" for row in rows]
    for table, rowid, parent, _fk in connection.execute("PRAGMA foreign_key_check").fetchmany(20):
        report.problems.append(f"{table} row {rowid} refers to a missing {parent} row.")
    if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        report.problems.append("it is an SQLite database but not a qualcode project.")
        return
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    report.schema_version = version
    if version > SCHEMA_VERSION:
        report.problems.append(f"schema {version} is newer than this qualcode knows ({SCHEMA_VERSION}); upgrade qualcode.")
    elif version < SCHEMA_VERSION:
        report.notes.append(f"schema {version} will be upgraded to {SCHEMA_VERSION} when opened for writing.")
    tables = _tables(connection)
    for table in ("documents", "codes", "codings", "memos"):
        if table in tables:
            report.counts[table] = connection.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
    if "documents" not in tables:
        report.problems.append("the documents table is missing.")
        return
    for doc_id, title, text, stored_hash in connection.execute(
            "SELECT id, title, text, content_hash FROM documents"):
        if content_hash(text) != stored_hash:
            report.problems.append(f"document {title!r}: its text does not match its content hash.")
    for table, columns in tables.items():
        if not {"document_id", "start", "end"} <= set(columns) or table == "documents":
            continue
        label = "label_start <= t.start AND " if "label_start" in columns else ""
        outside = connection.execute(
            f'SELECT t.rowid, d.title, t.start, t."end", length(d.text) FROM [{table}] t '
            f"JOIN documents d ON d.id = t.document_id "
            f'WHERE NOT ({label}0 <= t.start AND t.start <= t."end" AND t."end" <= length(d.text)) LIMIT 20').fetchall()
        for rowid, title, start, end, length in outside:
            report.problems.append(f"{table} row {rowid}: span {start}-{end} is not inside document {title!r} "
                                   f"(0-{length}).")


def _tables(connection: sqlite3.Connection) -> dict[str, list[str]]:
    names = [r[0] for r in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: [c[1] for c in connection.execute(f"PRAGMA table_info([{name}])")] for name in names}


# ---------------------------------------------------------------- helpers
def _source_connection(source) -> tuple[sqlite3.Connection, bool]:
    """A connection to read the source from, and whether to close it afterwards."""
    path = getattr(source, "path", None) if not isinstance(source, (str, os.PathLike)) else Path(source)
    if path is None:  # an in-memory store: copy through its own connection
        return source.db.conn, False
    path = Path(path)
    if not path.is_file():
        raise ProjectError(f"No project at {path}.")
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise ProjectError(f"{path} is not a qualcode project (not an SQLite database).")
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10), True


def _free_name(folder: Path, project: Path, kind: str, when: datetime) -> Path:
    stem, suffix = project.stem, project.suffix or ".qualcode"
    tag = "" if kind == "auto" else f"-{kind}"
    stamp = when.strftime("%Y%m%d-%H%M%S")
    candidate = folder / f"{stem}-{stamp}{tag}{suffix}"
    number = 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{stem}-{stamp}-{number}{tag}{suffix}"
    return candidate


def _fingerprint(connection: sqlite3.Connection) -> str:
    """A cheap summary that changes whenever the project does (row counts, last row ids,
    the audit log's end and the settings)."""
    parts: list[object] = [connection.execute("PRAGMA user_version").fetchone()[0]]
    tables = _tables(connection)
    for name in sorted(tables):
        try:
            row = connection.execute(f"SELECT count(*), coalesce(max(rowid), 0) FROM [{name}]").fetchone()
        except sqlite3.OperationalError:  # a WITHOUT ROWID table (full-text index internals)
            row = connection.execute(f"SELECT count(*) FROM [{name}]").fetchone()
        parts.append((name, *row))
    if "settings" in tables:
        parts.append(connection.execute("SELECT group_concat(key || '=' || coalesce(value, ''), char(10)) "
                                        "FROM (SELECT key, value FROM settings ORDER BY key)").fetchone()[0])
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


def _fingerprint_file(path: Path) -> str:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _fingerprint(connection)
    finally:
        connection.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
