"""Reads and compound actions for the coding workbench (the TUI): counts per code, coding
progress per document, coded passages for retrieval, and in-vivo coding as one undo step.

Every read here is one query however large the project, so a 1,000-interview project opens
as fast as a small one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.coding.models import natural_key


@dataclass(frozen=True)
class Passage:
    """A coded passage with what a reader needs to place it: document, round and respondent."""

    coding_id: int
    document_id: int
    code_id: int
    start: int
    end: int
    text: str
    memo: str | None
    coder: str
    document: str
    round: int | None
    respondent_id: int | None
    respondent: str  # the respondent label, or the document title when none is assigned


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values) or "NULL"


class WorkbenchMixin:
    def code_counts(self, document_id: int | None = None) -> dict[int, int]:
        """Number of codings per code id (only codes that have any), in one document or all."""
        where, params = ("WHERE document_id = ?", [document_id]) if document_id is not None else ("", [])
        rows = self.db.execute(f"SELECT code_id, count(*) FROM codings {where} GROUP BY code_id", params)
        return {code_id: count for code_id, count in rows}

    def coding_progress(self, document_ids: Sequence[int] | None = None) -> dict[int, tuple[int, int]]:
        """(coded, total) respondent sentences per document: a sentence counts as coded when
        any coding overlaps it. Documents without respondent turns count all their sentences;
        documents without sentences are left out.

        Two ordered scans and a sweep, so a 1,000-interview project takes well under a second
        (an EXISTS per sentence would rescan the codings for each one)."""
        where, params = ("", [])
        if document_ids is not None:
            where, params = f"WHERE s.document_id IN ({_marks(document_ids)})", list(document_ids)
        segments = self.db.execute(
            "SELECT s.document_id, s.start, s.\"end\", coalesce(t.role, 'other') = 'respondent' "
            f"FROM segments s LEFT JOIN turns t ON t.id = s.turn_id {where} ORDER BY s.document_id, s.start",
            params).fetchall()
        coding_where = where.replace("s.document_id", "document_id")
        coverage: dict[int, list[tuple[int, int]]] = {}
        for doc, start, end in self.db.execute(
                f'SELECT document_id, start, "end" FROM codings {coding_where} ORDER BY document_id, start', params):
            merged = coverage.setdefault(doc, [])
            if merged and start <= merged[-1][1]:
                if end > merged[-1][1]:
                    merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        answering = {doc for doc, _, _, respondent in segments if respondent}
        result: dict[int, tuple[int, int]] = {}
        current, intervals, index, coded, total = None, [], 0, 0, 0
        for doc, start, end, respondent in segments:
            if doc != current:
                if current is not None:
                    result[current] = (coded, total)
                current, intervals, index, coded, total = doc, coverage.get(doc, []), 0, 0, 0
            if doc in answering and not respondent:
                continue
            total += 1
            while index < len(intervals) and intervals[index][1] <= start:
                index += 1
            if index < len(intervals) and intervals[index][0] < end:
                coded += 1
        if current is not None:
            result[current] = (coded, total)
        return {doc: value for doc, value in result.items() if value[1]}

    def first_uncoded_answer(self, document_ids: Sequence[int], *,
                             coders: Sequence[str] | None = None) -> tuple[int, int] | None:
        """(document id, start) of the first respondent turn that no coding overlaps, looking
        through `document_ids` in the order given; only `coders`' codings count when given."""
        coder_filter, coder_params = "", []
        if coders is not None:
            coder_filter, coder_params = f" AND c.coder IN ({_marks(coders)})", list(coders)
        query = ("SELECT t.start FROM turns t WHERE t.document_id = ? AND t.role = 'respondent' "
                 "AND t.start < t.\"end\" AND NOT EXISTS (SELECT 1 FROM codings c WHERE c.document_id = t.document_id "
                 f"AND c.start < t.\"end\" AND c.\"end\" > t.start{coder_filter}) ORDER BY t.start LIMIT 1")
        for document_id in document_ids:
            row = self.db.execute(query, [document_id, *coder_params]).fetchone()
            if row is not None:
                return document_id, row[0]
        return None

    def coded_passages(self, code_ids: Sequence[int], *, document_ids: Sequence[int] | None = None) -> list[Passage]:
        """Passages coded with any of `code_ids`, sorted by respondent (naturally), round,
        document and position."""
        clauses = [f"c.code_id IN ({_marks(code_ids)})"]
        params: list[object] = list(code_ids)
        if document_ids is not None:
            clauses.append(f"c.document_id IN ({_marks(document_ids)})")
            params.extend(document_ids)
        rows = self.db.execute(
            'SELECT c.id, c.document_id, c.code_id, c.start, c."end", substr(d.text, c.start + 1, c."end" - c.start), '
            "c.memo, c.coder, d.title, d.round, d.respondent_id, coalesce(r.label, d.title) "
            "FROM codings c JOIN documents d ON d.id = c.document_id LEFT JOIN respondents r ON r.id = d.respondent_id "
            f"WHERE {' AND '.join(clauses)}", params).fetchall()
        passages = [Passage(*row) for row in rows]
        return sorted(passages, key=lambda p: (natural_key(p.respondent), p.round or 0, natural_key(p.document),
                                               p.start, p.end, p.coding_id))

    def code_named(self, name: str, *, codebook_id: int, parent_id: int | None = None) -> int | None:
        """The id of the code called `name` at that place in the codebook, if there is one."""
        row = self.db.execute("SELECT id FROM codes WHERE codebook_id = ? AND parent_id IS ? AND name = ?",
                              [codebook_id, parent_id, name.strip()]).fetchone()
        return row[0] if row else None

    def add_code_and_apply(self, name: str, document_id: int, start: int, end: int, *,
                           codebook_id: int | None = None, parent_id: int | None = None,
                           origin: str | None = None, description: str | None = None) -> tuple[int, int]:
        """Create a code (or reuse the one of that name at that place) and apply it to
        text[start:end], as ONE undo step; returns (code id, coding id). Used for in-vivo
        coding and for "new code" in the code picker."""
        self._check_span(document_id, start, end)
        with self.action(description or f"code with new code {name.strip()}"):
            if parent_id is not None:
                codebook_id = self.code(parent_id).codebook_id
            elif codebook_id is None:
                codebook_id = self.default_codebook_id()
            code_id = self.code_named(name, codebook_id=codebook_id, parent_id=parent_id)
            if code_id is None:
                code_id = self.add_code(name, codebook_id=codebook_id, parent_id=parent_id)
            coding_id = self.add_coding(document_id, code_id, start, end, origin=origin)
        return code_id, coding_id
