"""Confidentiality and durability on the Store: automatic backups on open and on a timer,
every piece of text in the project for the leak check, and rewriting all of it (with every
span shifted) for pseudonymisation. The name matching itself lives in `qualcode.privacy`.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from qualcode.errors import ProjectError
from qualcode.store import backup as backups
from qualcode.store.documents import content_hash

# Columns that hold identifiers, hashes, codes and timestamps, never free text.
STRUCTURAL_COLUMNS = frozenset({
    "guid", "content_hash", "source_hash", "language", "format", "imported_at", "created_at", "modified_at",
    "decided_at", "resolved_at", "changed_at", "at", "role", "status", "colour", "type", "operation", "state",
    "target_type", "timestamp", "framework", "framework_path"})
# Text that other rows refer to by value: rewriting one side would break the reference.
_KEEP_ON_REWRITE = frozenset({("attributes", "name"), ("respondent_attributes", "attribute")})
_LABELS = {
    ("documents", "text"): "document text", ("documents", "title"): "document title",
    ("documents", "source_name"): "document source file", ("turns", "speaker"): "speaker label",
    ("codings", "memo"): "coding memo", ("codings", "coder"): "coder name", ("codes", "name"): "code name",
    ("codes", "description"): "code description", ("codes", "finding"): "code finding", ("codes", "key"): "code key",
    ("codebooks", "name"): "codebook name", ("cell_summaries", "text"): "cell summary",
    ("cell_summaries", "column_key"): "cell summary column", ("respondents", "label"): "respondent label",
    ("attributes", "name"): "attribute name", ("suggestions", "reason"): "suggestion reason",
    ("resolutions", "decision"): "resolution", ("resolutions", "coders"): "resolution coders",
}


@dataclass(frozen=True)
class TextCell:
    """One piece of text stored in the project, and where it is."""

    where: str  # "document text", "code description", "memo on document", "setting coder", "history" ...
    table: str
    column: str
    rowid: int
    document: str | None  # the document's title when the text belongs to one
    text: str


class SpanMap(Protocol):
    """Moves offsets of a document's old text to its new text (see privacy.matching.OffsetMap)."""

    def start(self, offset: int) -> int: ...
    def end(self, offset: int) -> int: ...


class SafetyMixin:
    last_backup: Path | None = None  # the automatic backup taken by the latest open or backup_if_due
    backup_error: str | None = None  # why the latest automatic backup failed, for the TUI to show

    # ---------------------------------------------------------------- backups
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = False, read_only: bool = False,
             user: str | None = None, backups_on_open: bool = True):
        """Open a project (see StoreCore.open); a writable, existing project file is backed up
        first if its newest backup is older than the interval and it changed since."""
        target = Path(path)
        existed = target.is_file() and target.stat().st_size > 0
        store = super().open(path, create=create, read_only=read_only, user=user)  # type: ignore[misc]
        if backups_on_open and existed and not read_only and not target.parent.name.endswith(backups.FOLDER_SUFFIX):
            store.backup_if_due()
        return store

    def backup_if_due(self, *, interval_minutes: float | None = None) -> Path | None:
        """Take an automatic backup when one is due (see qualcode.store.backup); returns its path.

        Never raises: a failure (disk full, folder not writable) is kept in `backup_error`
        for the TUI to show, and the next call tries again. Safe from any thread: it reads the
        project through its own read-only connection.
        """
        try:
            made = backups.backup_if_due(self, interval_minutes=interval_minutes)  # type: ignore[arg-type]
        except (OSError, sqlite3.Error, ProjectError) as error:
            self.backup_error = (f"Automatic backup of {self.path} failed: {error}. "  # type: ignore[attr-defined]
                                 "Free some disk space or check the folder's permissions.")
            return None
        self.backup_error = None
        if made is not None:
            self.last_backup = made
        return made

    def backup_now(self, dest: str | os.PathLike[str] | None = None) -> Path:
        """A backup on request: into `dest`, or as a kept `-manual` file in the backup folder."""
        if dest is not None:
            return backups.backup(self, dest)  # type: ignore[arg-type]
        return backups.make_backup(self, kind="manual")  # type: ignore[arg-type]

    # ---------------------------------------------------------------- all text, for the leak check
    def text_cells(self, *, history: bool = True) -> Iterator[TextCell]:
        """Every piece of free text stored in the project: documents, memos, codebook,
        settings, respondents, and with `history` the audit log (which keeps old versions of
        memos and code names for undo)."""
        titles = dict(self.db.execute("SELECT id, title FROM documents").fetchall())  # type: ignore[attr-defined]
        labels = dict(self.db.execute("SELECT id, label FROM respondents").fetchall())  # type: ignore[attr-defined]
        for table, columns in self._text_tables():
            if table == "audit" and not history:
                continue
            wanted = [c for c in columns if c not in STRUCTURAL_COLUMNS and c != "original"]
            if not wanted:
                continue
            extra = [c for c in ("document_id", "target_type", "target_id", "key", "attribute", "respondent_id")
                     if c in columns and c not in wanted]
            select = ", ".join(f'"{c}"' for c in [*wanted, *extra])
            try:
                rows = self.db.execute(f"SELECT rowid, {select} FROM [{table}]")  # type: ignore[attr-defined]
            except sqlite3.OperationalError:  # a WITHOUT ROWID table
                rows = self.db.execute(f"SELECT 0, {select} FROM [{table}]")  # type: ignore[attr-defined]
            for row in rows:
                values = dict(zip([*wanted, *extra], row[1:]))
                for column in wanted:
                    value = values[column]
                    if isinstance(value, str) and value:
                        where, document = self._where(table, column, row[0], values, titles, labels)
                        yield TextCell(where, table, column, row[0], document, value)

    def document_originals(self) -> Iterator[tuple[int, str, str, bytes]]:
        """(id, title, format, bytes) of every document whose imported file is kept."""
        yield from self.db.execute(  # type: ignore[attr-defined]
            "SELECT id, title, format, original FROM documents WHERE original IS NOT NULL")

    def _where(self, table: str, column: str, rowid: int, values: dict, titles: dict[int, str],
               labels: dict[int, str]) -> tuple[str, str | None]:
        document = titles.get(values.get("document_id")) if "document_id" in values else None
        if table == "documents":
            document = titles.get(rowid)
        if table == "memos":
            kind = values.get("target_type")
            if kind == "document":
                return "memo on document", titles.get(values.get("target_id"))
            if kind == "code":
                return f"memo on code {values.get('target_id')}", None
            return "memo on project", None
        if table == "settings":
            return f"setting {values.get('key')}", None
        if table == "respondent_attributes":
            return f"attribute {values.get('attribute')} of {labels.get(values.get('respondent_id'))}", None
        if table == "audit":
            return f"history (audit entry {rowid})", None
        label = _LABELS.get((table, column), f"{table}.{column}")
        if table in ("codes", "codebooks"):
            label = f"{label} (id {rowid})"
        return label, document

    def _text_tables(self) -> list[tuple[str, list[str]]]:
        """Tables that hold text: real and virtual ones, without full-text indexes and their
        content tables (derived from the documents, rebuilt from them, cleared by rewriting)."""
        rows = self.db.execute(  # type: ignore[attr-defined]
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid").fetchall()
        derived = _derived_tables(rows)
        result = []
        for name, _sql in rows:
            if name in derived:
                continue
            columns = [c[1] for c in self.db.execute(f"PRAGMA table_info([{name}])")]  # type: ignore[attr-defined]
            result.append((name, columns))
        return result

    # ---------------------------------------------------------------- rewriting, for pseudonymisation
    def rewrite_all_text(self, rewrite_document: Callable[[str], tuple[str, SpanMap]],
                         rewrite: Callable[[str], str]) -> dict[str, int]:
        """Rewrite every piece of text in one transaction and shift every span.

        Each document's text goes through `rewrite_document`, whose span map moves the offsets
        of every row that points into that document (codings, turns, segments, suggestions,
        resolutions...); every other text goes through `rewrite`. What cannot be rewritten is
        dropped: the imported original files and the history (the audit log, hence undo).
        Two codings that become identical are merged into one. Finish with `vacuum()` so no
        old text survives in free pages of the file. Returns counts of what changed.
        """
        counts = {"documents": 0, "spans": 0, "texts": 0, "originals dropped": 0, "history entries dropped": 0,
                  "duplicate codings merged": 0, "names made unique": 0}
        db = self.db  # type: ignore[attr-defined]
        tables = self._text_tables()
        with self.transaction():  # type: ignore[attr-defined]
            db.execute("PRAGMA defer_foreign_keys = ON")
            _clear_derived(db)
            span_tables = [(t, cols) for t, cols in tables
                           if t != "documents" and {"document_id", "start", "end"} <= set(cols)]
            for doc_id, text in db.execute("SELECT id, text FROM documents").fetchall():
                new_text, spans = rewrite_document(text)
                if new_text == text:
                    continue
                counts["documents"] += 1
                db.execute("UPDATE documents SET text = ?, content_hash = ? WHERE id = ?",
                           [new_text, content_hash(new_text), doc_id])
                for table, columns in span_tables:
                    moved, merged = _shift_spans(db, table, columns, doc_id, spans)
                    counts["spans"] += moved
                    counts["duplicate codings merged"] += merged
            counts["originals dropped"] = db.execute(
                "UPDATE documents SET original = NULL WHERE original IS NOT NULL").rowcount
            for table, columns in tables:
                if table == "audit":
                    continue
                wanted = [c for c in columns if c not in STRUCTURAL_COLUMNS and (table, c) not in _KEEP_ON_REWRITE
                          and not (table == "documents" and c in ("text", "original"))]
                changed, renamed = _rewrite_columns(db, table, wanted, rewrite)
                counts["texts"] += changed
                counts["names made unique"] += renamed
            counts["history entries dropped"] = db.execute("DELETE FROM audit").rowcount
        return counts

    def vacuum(self) -> None:
        """Rebuild the file so that deleted and replaced text leaves no trace in free pages."""
        self.db.execute("VACUUM")  # type: ignore[attr-defined]
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[attr-defined]


def _shift_spans(db, table: str, columns: list[str], doc_id: int, spans: SpanMap) -> tuple[int, int]:
    """Move every offset of one document in one table (`start`, `end`, `label_start`,
    `suggested_start`...: a column named *start maps as a start, *end as an end);
    returns (rows moved, duplicates merged)."""
    offsets = [c for c in columns if c in ("start", "end") or c.endswith(("_start", "_end"))]
    select = ", ".join(f'"{c}"' for c in offsets)
    pending = []
    for row in db.execute(f"SELECT rowid, {select} FROM [{table}] WHERE document_id = ?", [doc_id]).fetchall():
        changes = {}
        for column, value in zip(offsets, row[1:]):
            if value is None:
                continue
            moved_to = spans.start(value) if column.endswith("start") else spans.end(value)
            if moved_to != value:
                changes[column] = moved_to
        if changes:
            pending.append((row[0], changes))
    moved = len(pending)
    # Spans move in the same direction, but a row may for a moment land on a span another
    # row still holds (a unique index): retry those after the others have moved.
    while pending:
        postponed = []
        for rowid, changes in pending:
            assignments = ", ".join(f'"{c}" = ?' for c in changes)
            try:
                db.execute(f"UPDATE [{table}] SET {assignments} WHERE rowid = ?", [*changes.values(), rowid])
            except sqlite3.IntegrityError:
                postponed.append((rowid, changes))
        if len(postponed) == len(pending):
            break
        pending = postponed
    merged = 0
    for rowid, _changes in pending:  # the same code on the same (now whole) name twice
        if table not in ("codings", "suggestions"):
            raise sqlite3.IntegrityError(f"{table} row {rowid} would duplicate another row after pseudonymisation")
        db.execute(f"DELETE FROM [{table}] WHERE rowid = ?", [rowid])
        merged += 1
    return moved - merged, merged


def _rewrite_columns(db, table: str, columns: list[str], rewrite: Callable[[str], str]) -> tuple[int, int]:
    if not columns:
        return 0, 0
    select = ", ".join(f'"{c}"' for c in columns)
    changed = renamed = 0
    for row in db.execute(f"SELECT rowid, {select} FROM [{table}]").fetchall():
        changes = {}
        for column, value in zip(columns, row[1:]):
            if isinstance(value, str) and value:
                new = rewrite(value)
                if new != value:
                    changes[column] = new
        if not changes:
            continue
        changed += 1
        assignments = ", ".join(f'"{c}" = ?' for c in changes)
        for attempt in range(1, 100):
            values = list(changes.values()) if attempt == 1 else [f"{v} ({attempt})" for v in changes.values()]
            try:
                db.execute(f"UPDATE [{table}] SET {assignments} WHERE rowid = ?", [*values, row[0]])
                break
            except sqlite3.IntegrityError:  # two names became one pseudonym: keep both, told apart
                continue
        else:
            raise sqlite3.IntegrityError(f"cannot rewrite {table} row {row[0]} without duplicating another row")
        renamed += attempt > 1
    return changed, renamed


def _derived_tables(rows: list[tuple[str, str | None]]) -> set[str]:
    """Full-text (virtual) tables, their shadow tables and the tables they index."""
    derived: set[str] = set()
    names = {name for name, _sql in rows}
    for name, sql in rows:
        text = (sql or "").replace(" ", "").lower()
        if text.startswith("createvirtualtable"):
            derived.add(name)
            derived.update(n for n in names if n.startswith(f"{name}_"))
            found = re.search(r"content=['\"]?(\w+)", text)
            if found and found.group(1) in {n.lower() for n in names}:
                derived.update(n for n in names if n.lower() == found.group(1))
    return derived


def _clear_derived(db) -> None:
    """Empty the search index (rebuilt lazily from the documents): it holds their old text."""
    rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
    virtual = {name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")}
    for name, sql in rows:
        text = (sql or "").replace(" ", "").lower()
        if name in virtual and "usingfts" in text:
            db.execute(f"INSERT INTO [{name}]([{name}]) VALUES ('delete-all')" if "content=" in text
                       else f"DELETE FROM [{name}]")
    shadow = {name for name, _sql in rows if any(name.startswith(f"{v}_") for v in virtual)}
    for name in _derived_tables(rows) - virtual - shadow:
        db.execute(f"DELETE FROM [{name}]")  # the content table a full-text index reads
    if any(name == "search_documents" for name, _sql in rows):
        db.execute("DELETE FROM search_documents")  # what is indexed: nothing now (store/search.py)
