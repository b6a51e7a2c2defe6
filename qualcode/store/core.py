"""The project file: opening, locking, migrations, transactions, audit log, undo/redo.

Every change a user makes goes through `StoreCore.action()`: one SQLite transaction, one audit
group. Undo and redo replay the audit log backwards and forwards, so they work across restarts.
"""

from __future__ import annotations

import fcntl
import getpass
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from qualcode.errors import ProjectError, ProjectLockedError
from qualcode.store.schema import MIGRATIONS, SCHEMA_VERSION

APPLICATION_ID = 0x51434F44  # "QCOD": marks an SQLite file as a qualcode project
SQLITE_MAGIC = b"SQLite format 3\x00"

# Tables whose changes are recorded row by row and can be undone.
UNDOABLE_TABLES = frozenset(
    {"codebooks", "codes", "codings", "memos", "code_links", "cell_summaries", "suggestions",
     "respondent_attributes", "attributes", "settings", "resolutions"}
)


def now() -> str:
    """The current time as an ISO 8601 UTC string with seconds precision."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def new_guid() -> str:
    return str(uuid.uuid4())


def default_user() -> str:
    try:
        return os.environ.get("QUALCODE_CODER") or getpass.getuser()
    except Exception:  # getuser fails when no user name is known (containers)
        return "default"


class StoreCore:
    """Owns the SQLite connection of one project file.

    Open with `Store.open(path)`; writers hold an exclusive lock on the file for as long as the
    store is open, readers (`read_only=True`) never block and never write.
    """

    def __init__(self, db: sqlite_utils.Database, path: Path | None, *, read_only: bool,
                 user: str | None, lock_fd: int | None) -> None:
        self.db = db
        self.path = path
        self.read_only = read_only
        self._lock_fd = lock_fd
        self._group: int | None = None
        self._action_depth = 0
        self.user = user or self.get_setting("coder") or default_user()

    # ---------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = False, read_only: bool = False,
             user: str | None = None):
        """Open (or with `create=True` create) a project file, upgrading an older schema."""
        path = Path(path)
        if path.is_dir():
            raise ProjectError(f"{path} is a folder, not a project file; give a file name such as study.qualcode.")
        exists = path.exists() and path.stat().st_size > 0
        if not exists and not create:
            raise ProjectError(f"No project at {path}. Create one with: qualcode init {path}")
        if exists:
            _check_sqlite_magic(path)
        if not exists and read_only:
            raise ProjectError(f"No project at {path}.")
        if not path.parent.exists():
            raise ProjectError(f"The folder {path.parent} does not exist; create it first.")
        lock_fd = None if read_only else _lock(path)
        try:
            if read_only:
                conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False,
                                       isolation_level=None, timeout=10)
            else:
                conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None,
                                       timeout=10)
            db = sqlite_utils.Database(conn)
            _configure(db, read_only=read_only)
            _migrate(db, path, read_only=read_only, fresh=not exists)
        except sqlite3.DatabaseError as error:
            _unlock(lock_fd)
            raise ProjectError(f"{path} cannot be opened as a qualcode project ({error}). "
                               "Check that it is the right file, or restore a backup.") from error
        except BaseException:
            _unlock(lock_fd)
            raise
        return cls(db, path, read_only=read_only, user=user, lock_fd=lock_fd)

    @classmethod
    def memory(cls, user: str | None = "tester"):
        """An in-memory project, for tests and scratch work."""
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        db = sqlite_utils.Database(conn)
        _configure(db, read_only=False)
        _migrate(db, None, read_only=False, fresh=True)
        return cls(db, None, read_only=False, user=user, lock_fd=None)

    def close(self) -> None:
        if self.db is not None:
            if not self.read_only:
                try:
                    self.db.execute("PRAGMA optimize")
                except sqlite3.Error:
                    pass
            self.db.conn.close()
            self.db = None  # type: ignore[assignment]
        _unlock(self._lock_fd)
        self._lock_fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    # ---------------------------------------------------------------- settings
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])

    # ---------------------------------------------------------------- transactions
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A plain transaction (nested calls become savepoints); not recorded for undo."""
        self._check_writable()
        with self.db.atomic():
            yield

    @contextmanager
    def action(self, description: str) -> Iterator[int]:
        """One user action: one transaction and one undo step, however many rows it touches.

        Nested actions join the outermost one, so "code all results" is a single undo step.
        """
        self._check_writable()
        if self._action_depth:
            self._action_depth += 1
            try:
                yield self._group  # type: ignore[misc]
            finally:
                self._action_depth -= 1
            return
        with self.db.atomic():
            row = self.db.execute("SELECT coalesce(max(group_id), 0) + 1 FROM audit").fetchone()
            self._group = row[0]
            self._action_depth = 1
            self._action_name = description
            try:
                yield self._group
                # A new action makes whatever was undone before it unreachable for redo.
                self.db.execute("UPDATE audit SET state = 'discarded' WHERE state = 'undone'")
            finally:
                self._action_depth = 0
                self._group = None

    def _check_writable(self) -> None:
        if self.read_only:
            raise ProjectError("This project is open read-only; close other qualcode windows "
                               "that have it open and try again.")

    # ---------------------------------------------------------------- audited writes
    def _audit(self, entity: str, entity_id: int | None, operation: str,
               before: dict | None, after: dict | None) -> None:
        if self._group is None:
            raise RuntimeError("audited writes must run inside Store.action()")
        state = "done" if entity in UNDOABLE_TABLES else "fixed"
        self.db.execute(
            "INSERT INTO audit(group_id, at, who, action, entity, entity_id, operation, before, after, state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [self._group, now(), self.user, self._action_name, entity, entity_id, operation,
             _dumps(before), _dumps(after), state],
        )

    def note(self, entity: str, detail: dict) -> None:
        """Record something done that is not undoable row by row (an import, a merge)."""
        self._audit(entity, None, "note", None, detail)
        self.db.execute("UPDATE audit SET state = 'fixed' WHERE id = last_insert_rowid()")

    def _row(self, table: str, rowid: int) -> dict | None:
        cursor = self.db.execute(f"SELECT rowid AS __rowid__, * FROM [{table}] WHERE rowid = ?", [rowid])
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cursor.description], row))

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        columns = ", ".join(f'"{c}"' for c in values)
        marks = ", ".join("?" for _ in values)
        cursor = self.db.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(values.values()))
        rowid = cursor.lastrowid
        self._audit(table, rowid, "insert", None, self._row(table, rowid))
        return rowid

    def _update(self, table: str, rowid: int, changes: dict[str, Any]) -> None:
        before = self._row(table, rowid)
        if before is None:
            raise KeyError(f"{table} row {rowid} does not exist")
        assignments = ", ".join(f'"{c}" = ?' for c in changes)
        self.db.execute(f"UPDATE [{table}] SET {assignments} WHERE rowid = ?", [*changes.values(), rowid])
        self._audit(table, rowid, "update", before, self._row(table, rowid))

    def _delete(self, table: str, rowid: int) -> None:
        before = self._row(table, rowid)
        if before is None:
            return
        self.db.execute(f"DELETE FROM [{table}] WHERE rowid = ?", [rowid])
        self._audit(table, rowid, "delete", before, None)

    # ---------------------------------------------------------------- undo / redo
    def undo(self) -> str | None:
        """Undo the latest action still done; returns its description, or None if nothing is left."""
        self._check_writable()
        with self.db.atomic():
            row = self.db.execute("SELECT max(group_id) FROM audit WHERE state = 'done'").fetchone()
            if row[0] is None:
                return None
            group = row[0]
            entries = self.db.execute(
                "SELECT id, entity, entity_id, operation, before, after, action FROM audit "
                "WHERE group_id = ? AND state = 'done' ORDER BY id DESC", [group]).fetchall()
            for _id, entity, rowid, operation, before, after, _action in entries:
                if operation == "insert":
                    self.db.execute(f"DELETE FROM [{entity}] WHERE rowid = ?", [rowid])
                elif operation == "delete":
                    self._restore(entity, json.loads(before))
                elif operation == "update":
                    self._overwrite(entity, rowid, json.loads(before))
            self.db.execute("UPDATE audit SET state = 'undone', changed_at = ? WHERE group_id = ? AND state = 'done'",
                            [now(), group])
            return entries[0][6]

    def redo(self) -> str | None:
        """Redo the most recently undone action; returns its description, or None."""
        self._check_writable()
        with self.db.atomic():
            row = self.db.execute(
                "SELECT min(group_id) FROM audit WHERE state = 'undone'").fetchone()
            # Undo always takes the newest done group and a new action discards everything
            # undone, so the undone groups form a stack whose top is the lowest id.
            if row[0] is None:
                return None
            group = row[0]
            entries = self.db.execute(
                "SELECT id, entity, entity_id, operation, before, after, action FROM audit "
                "WHERE group_id = ? AND state = 'undone' ORDER BY id ASC", [group]).fetchall()
            for _id, entity, rowid, operation, before, after, _action in entries:
                if operation == "insert":
                    self._restore(entity, json.loads(after))
                elif operation == "delete":
                    self.db.execute(f"DELETE FROM [{entity}] WHERE rowid = ?", [rowid])
                elif operation == "update":
                    self._overwrite(entity, rowid, json.loads(after))
            self.db.execute("UPDATE audit SET state = 'done', changed_at = ? WHERE group_id = ? AND state = 'undone'",
                            [now(), group])
            return entries[0][6]

    def can_undo(self) -> bool:
        return self.db.execute("SELECT 1 FROM audit WHERE state = 'done' LIMIT 1").fetchone() is not None

    def can_redo(self) -> bool:
        return self.db.execute("SELECT 1 FROM audit WHERE state = 'undone' LIMIT 1").fetchone() is not None

    def _restore(self, table: str, row: dict) -> None:
        values = dict(row)
        rowid = values.pop("__rowid__")
        columns = ", ".join(["rowid", *(f'"{c}"' for c in values)])
        marks = ", ".join("?" for _ in range(len(values) + 1))
        self.db.execute(f"INSERT OR REPLACE INTO [{table}] ({columns}) VALUES ({marks})", [rowid, *values.values()])

    def _overwrite(self, table: str, rowid: int, row: dict) -> None:
        values = {k: v for k, v in row.items() if k != "__rowid__"}
        assignments = ", ".join(f'"{c}" = ?' for c in values)
        self.db.execute(f"UPDATE [{table}] SET {assignments} WHERE rowid = ?", [*values.values(), rowid])

    def history(self, limit: int = 50) -> list[dict]:
        """The latest audit entries, newest first (who, when, what)."""
        return self.db.execute_returning_dicts(
            "SELECT group_id, at, who, action, entity, entity_id, operation, state FROM audit "
            "ORDER BY id DESC LIMIT ?", [limit])


def _dumps(row: dict | None) -> str | None:
    if row is None:
        return None
    return json.dumps({k: (v.hex() if isinstance(v, bytes) else v) for k, v in row.items()}, ensure_ascii=False)


def _check_sqlite_magic(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as error:
        raise ProjectError(f"Cannot read {path}: {error.strerror}.") from error
    if head != SQLITE_MAGIC:
        raise ProjectError(f"{path} is not a qualcode project (it is not an SQLite database). "
                           "Give the path of a project file, or create one with `qualcode init`.")


def _lock(path: Path) -> int:
    """Take an exclusive advisory lock on the project file; released when the process ends."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise ProjectLockedError(
            f"{path} is open in another qualcode process for writing. Close that window or command "
            "and try again; read-only commands (info, documents, export) work meanwhile.") from None
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _configure(db: sqlite_utils.Database, *, read_only: bool) -> None:
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 10000")
    if not read_only:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")


def _migrate(db: sqlite_utils.Database, path: Path | None, *, read_only: bool, fresh: bool) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    name = path or "this project"
    if not fresh and app_id != APPLICATION_ID:
        has_tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if has_tables:
            raise ProjectError(f"{name} is an SQLite database but not a qualcode project. "
                               "Give the path of a qualcode project file.")
    if version > SCHEMA_VERSION:
        raise ProjectError(f"{name} was written by a newer qualcode (schema {version}, this one knows "
                           f"up to {SCHEMA_VERSION}). Upgrade qualcode to open it.")
    if version == SCHEMA_VERSION:
        return
    if read_only:
        raise ProjectError(f"{name} uses an older schema ({version}); open it once for writing "
                           "(for example `qualcode info` after closing other windows) to upgrade it.")
    with db.atomic():
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in _statements(script):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (they hold no semicolons in strings)."""
    return [s.strip() for s in script.split(";") if s.strip()]
