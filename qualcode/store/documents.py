"""Respondents, their attributes, documents, speaker turns and sentence segments."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.coding.models import Document, Respondent, Segment, Turn, natural_key
from qualcode.errors import ConflictError, NotFoundError
from qualcode.store.core import new_guid, now

ATTRIBUTE_TYPES = ("text", "number", "date", "boolean")

_DOCUMENT_COLUMNS = (
    "d.id, d.title, d.respondent_id, r.label, d.source_name, d.source_hash, d.content_hash, "
    "d.language, d.format, d.imported_at, d.round, length(d.text)"
)


@dataclass(frozen=True)
class TurnSpan:
    """A speaker turn found by an importer, before it is stored."""

    speaker: str
    role: str
    start: int
    end: int
    label_start: int
    timestamp: str | None = None


@dataclass(frozen=True)
class SegmentSpan:
    """A sentence span found by segmentation; `turn` is the index of its turn or None."""

    start: int
    end: int
    turn: int | None


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DocumentsMixin:
    # ---------------------------------------------------------------- respondents
    def respondents(self) -> list[Respondent]:
        """All respondents with their attributes, sorted naturally (H2 before H10)."""
        attributes: dict[int, dict[str, Any]] = {}
        for rid, name, value, kind in self.db.execute(
            "SELECT ra.respondent_id, ra.attribute, ra.value, a.type FROM respondent_attributes ra "
            "JOIN attributes a ON a.name = ra.attribute"
        ):
            attributes.setdefault(rid, {})[name] = _typed(value, kind)
        rows = self.db.execute("SELECT id, label FROM respondents").fetchall()
        result = [Respondent(rid, label, attributes.get(rid, {})) for rid, label in rows]
        return sorted(result, key=lambda r: natural_key(r.label))

    def respondent(self, label: str) -> Respondent:
        for respondent in self.respondents():
            if respondent.label == label:
                return respondent
        raise NotFoundError(f"No respondent {label!r}. List them with `qualcode respondents PROJECT`.")

    def respondent_id(self, label: str, *, create: bool = True) -> int:
        label = label.strip()
        row = self.db.execute("SELECT id FROM respondents WHERE label = ?", [label]).fetchone()
        if row:
            return row[0]
        if not create:
            raise NotFoundError(f"No respondent {label!r}.")
        with self.action(f"add respondent {label}"):
            return self._insert("respondents", {"label": label})

    def attribute_types(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT name, type FROM attributes").fetchall())

    def set_attribute(self, label: str, name: str, value: Any, kind: str | None = None) -> None:
        """Set a respondent's attribute, creating the respondent and the attribute as needed."""
        if kind is not None and kind not in ATTRIBUTE_TYPES:
            raise ConflictError(f"Attribute type {kind!r} is not one of {', '.join(ATTRIBUTE_TYPES)}.")
        with self.action(f"set attribute {name} of {label}"):
            rid = self.respondent_id(label)
            known = self.attribute_types()
            if name not in known:
                self._insert("attributes", {"name": name, "type": kind or "text"})
            elif kind is not None and known[name] != kind:
                self.db.execute("UPDATE attributes SET type = ? WHERE name = ?", [kind, name])
            existing = self.db.execute(
                "SELECT rowid FROM respondent_attributes WHERE respondent_id = ? AND attribute = ?",
                [rid, name]).fetchone()
            stored = None if value is None else str(value)
            if existing:
                self._update("respondent_attributes", existing[0], {"value": stored})
            else:
                self._insert("respondent_attributes", {"respondent_id": rid, "attribute": name, "value": stored})

    # ---------------------------------------------------------------- documents
    def add_document(self, *, title: str, text: str, format: str, language: str,
                     respondent: str | None = None, source_name: str | None = None,
                     source_hash: str | None = None, original: bytes | None = None,
                     round: int | None = None, turns: Sequence[TurnSpan] = (),
                     segments: Sequence[SegmentSpan] = (), guid: str | None = None) -> int:
        """Store an imported document with its turns and segments in one transaction."""
        if self.db.execute("SELECT 1 FROM documents WHERE title = ?", [title]).fetchone():
            raise ConflictError(f"A document titled {title!r} already exists; give another title.")
        with self.action(f"import {title}"):
            rid = self.respondent_id(respondent) if respondent else None
            cursor = self.db.execute(
                "INSERT INTO documents(title, respondent_id, source_name, source_hash, content_hash, language, "
                "format, text, original, imported_at, round, guid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [title, rid, source_name, source_hash, content_hash(text), language, format, text, original,
                 now(), round, guid or new_guid()],
            )
            doc_id = cursor.lastrowid
            self.db.conn.executemany(
                'INSERT INTO turns(document_id, idx, speaker, role, start, "end", label_start, timestamp) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(doc_id, i, t.speaker, t.role, t.start, t.end, t.label_start, t.timestamp)
                 for i, t in enumerate(turns)],
            )
            turn_ids: list[int] = [row[0] for row in self.db.execute(
                "SELECT id FROM turns WHERE document_id = ? ORDER BY idx", [doc_id])]
            self.db.conn.executemany(
                'INSERT INTO segments(document_id, idx, start, "end", turn_id) VALUES (?, ?, ?, ?, ?)',
                [(doc_id, i, s.start, s.end, turn_ids[s.turn] if s.turn is not None else None)
                 for i, s in enumerate(segments)],
            )
            self.note("documents", {"document_id": doc_id, "title": title, "source": source_name,
                                    "turns": len(turns), "segments": len(segments)})
            return doc_id

    def documents(self) -> list[Document]:
        """All documents, ordered by respondent (naturally) and then title."""
        rows = self.db.execute(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents d LEFT JOIN respondents r ON r.id = d.respondent_id"
        ).fetchall()
        docs = [Document(*row) for row in rows]
        return sorted(docs, key=lambda d: (natural_key(d.respondent or "~"), d.round or 0, natural_key(d.title)))

    def document(self, ref: int | str) -> Document:
        """A document by id or by title (also accepts a unique respondent label)."""
        base = f"SELECT {_DOCUMENT_COLUMNS} FROM documents d LEFT JOIN respondents r ON r.id = d.respondent_id"
        row = None
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            row = self.db.execute(f"{base} WHERE d.id = ?", [int(ref)]).fetchone()
        if row is None:
            row = self.db.execute(f"{base} WHERE d.title = ?", [str(ref)]).fetchone()
        if row is None:
            rows = self.db.execute(f"{base} WHERE r.label = ?", [str(ref)]).fetchall()
            if len(rows) == 1:
                row = rows[0]
        if row is None:
            raise NotFoundError(f"No document {ref!r}. List them with `qualcode documents PROJECT`.")
        return Document(*row)

    def document_text(self, doc_id: int) -> str:
        row = self.db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise NotFoundError(f"No document with id {doc_id}.")
        return row[0]

    def document_original(self, doc_id: int) -> bytes | None:
        row = self.db.execute("SELECT original FROM documents WHERE id = ?", [doc_id]).fetchone()
        return row[0] if row else None

    def documents_by_hash(self, source_hash: str) -> list[Document]:
        ids = [r[0] for r in self.db.execute(
            "SELECT id FROM documents WHERE source_hash = ? OR content_hash = ?", [source_hash, source_hash])]
        return [self.document(i) for i in ids]

    def set_document_respondent(self, doc_id: int, label: str | None) -> None:
        with self.action(f"assign document {doc_id} to {label}"):
            rid = self.respondent_id(label) if label else None
            self.db.execute("UPDATE documents SET respondent_id = ? WHERE id = ?", [rid, doc_id])
            self.note("documents", {"document_id": doc_id, "respondent": label})

    def turns(self, doc_id: int) -> list[Turn]:
        rows = self.db.execute(
            'SELECT id, document_id, idx, speaker, role, start, "end", label_start, timestamp '
            "FROM turns WHERE document_id = ? ORDER BY idx", [doc_id]).fetchall()
        return [Turn(*row) for row in rows]

    def segments(self, doc_id: int) -> list[Segment]:
        rows = self.db.execute(
            'SELECT id, document_id, idx, start, "end", turn_id FROM segments WHERE document_id = ? ORDER BY idx',
            [doc_id]).fetchall()
        return [Segment(*row) for row in rows]

    def counts(self) -> dict[str, int]:
        """Counts for `qualcode info`."""
        tables = {"documents": "documents", "respondents": "respondents", "turns": "turns",
                  "segments": "segments", "codes": "codes", "codings": "codings"}
        return {key: self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for key, table in tables.items()}


def _typed(value: str | None, kind: str) -> Any:
    if value is None:
        return None
    if kind == "number":
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    if kind == "boolean":
        return value.strip().lower() in ("1", "true", "yes", "kyllä", "k", "y")
    return value


