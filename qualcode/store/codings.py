"""Codings: a code applied to a character span of a document's stored text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from qualcode.coding.models import Coding
from qualcode.errors import ConflictError, NotFoundError
from qualcode.store.core import new_guid, now

_CODING_COLUMNS = 'id, document_id, code_id, start, "end", coder, created_at, modified_at, memo, guid, origin'


class CodingsMixin:
    def add_coding(self, document_id: int, code_id: int, start: int, end: int, *, memo: str | None = None,
                   coder: str | None = None, origin: str | None = None, guid: str | None = None,
                   created_at: str | None = None) -> int:
        """Apply a code to text[start:end] of a document; committed at once, one undo step.
        Applying the same code by the same coder to the same span again returns the existing coding."""
        self._check_span(document_id, start, end)
        self.code(code_id)
        coder = coder or self.user
        existing = self.db.execute(
            'SELECT id FROM codings WHERE document_id = ? AND code_id = ? AND start = ? AND "end" = ? AND coder = ?',
            [document_id, code_id, start, end, coder]).fetchone()
        if existing:
            return existing[0]
        stamp = now()
        with self.action(f"apply code {self.code(code_id).name}"):
            return self._insert("codings", {
                "document_id": document_id, "code_id": code_id, "start": start, "end": end, "coder": coder,
                "created_at": created_at or stamp, "modified_at": stamp, "memo": memo,
                "guid": guid or new_guid(), "origin": origin})

    def add_codings(self, items: Iterable[tuple[int, int, int, int]], *, description: str,
                    origin: str | None = None) -> list[int]:
        """Apply many (document, code, start, end) codings as ONE undo step."""
        with self.action(description):
            return [self.add_coding(doc, code, start, end, origin=origin) for doc, code, start, end in items]

    def coding(self, coding_id: int) -> Coding:
        row = self.db.execute(f"SELECT {_CODING_COLUMNS} FROM codings WHERE id = ?", [coding_id]).fetchone()
        if row is None:
            raise NotFoundError(f"No coding with id {coding_id}.")
        return Coding(*row)

    def codings(self, *, document_id: int | None = None, code_ids: Sequence[int] | None = None,
                coders: Sequence[str] | None = None) -> list[Coding]:
        """Codings filtered by document, codes and coders, in document order."""
        clauses, params = [], []
        if document_id is not None:
            clauses.append("document_id = ?")
            params.append(document_id)
        if code_ids is not None:
            clauses.append(f"code_id IN ({', '.join('?' for _ in code_ids) or 'NULL'})")
            params.extend(code_ids)
        if coders is not None:
            clauses.append(f"coder IN ({', '.join('?' for _ in coders) or 'NULL'})")
            params.extend(coders)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.db.execute(f"SELECT {_CODING_COLUMNS} FROM codings {where} ORDER BY document_id, start, \"end\", id",
                               params).fetchall()
        return [Coding(*row) for row in rows]

    def coders(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT coder FROM codings ORDER BY coder")]

    def update_coding(self, coding_id: int, *, start: int | None = None, end: int | None = None,
                      code_id: int | None = None, memo: str | None = None) -> None:
        """Change a coding's boundaries, code or memo (memo '' removes it)."""
        coding = self.coding(coding_id)
        changes: dict[str, object] = {}
        new_start = coding.start if start is None else start
        new_end = coding.end if end is None else end
        if (new_start, new_end) != (coding.start, coding.end):
            self._check_span(coding.document_id, new_start, new_end)
            changes.update(start=new_start, end=new_end)
        if code_id is not None and code_id != coding.code_id:
            self.code(code_id)
            changes["code_id"] = code_id
        if memo is not None:
            changes["memo"] = memo or None
        if not changes:
            return
        changes["modified_at"] = now()
        what = "memo on coding" if set(changes) == {"memo", "modified_at"} else "change coding"
        with self.action(what):
            self._update("codings", coding_id, changes)

    def delete_coding(self, coding_id: int) -> None:
        coding = self.coding(coding_id)
        with self.action(f"remove coding of {self.code(coding.code_id).name}"):
            self._delete("codings", coding_id)

    def codings_at(self, document_id: int, offset: int) -> list[Coding]:
        """Codings whose span contains the character offset (innermost, i.e. shortest, first)."""
        rows = self.db.execute(
            f'SELECT {_CODING_COLUMNS} FROM codings WHERE document_id = ? AND start <= ? AND "end" > ? '
            'ORDER BY ("end" - start), id', [document_id, offset, offset]).fetchall()
        return [Coding(*row) for row in rows]

    def coded_text(self, coding: Coding) -> str:
        return self.document_text(coding.document_id)[coding.start:coding.end]

    def _check_span(self, document_id: int, start: int, end: int) -> None:
        row = self.db.execute("SELECT length(text) FROM documents WHERE id = ?", [document_id]).fetchone()
        if row is None:
            raise NotFoundError(f"No document with id {document_id}.")
        if not (0 <= start < end <= row[0]):
            raise ConflictError(f"The span {start}-{end} is not inside the document (0-{row[0]}).")
