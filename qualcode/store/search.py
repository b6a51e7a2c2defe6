"""The search index (FTS5 over chunk texts and their lemmas) and the suggestion review queue.

The index (MIGRATION_3 in schema.py) holds one row per *chunk* (a speaker turn, or a paragraph
of a document without turns): its text, its words' lemmas joined by spaces and its words'
offsets (packed). FTS5 indexes text and lemmas with
`unicode61 remove_diacritics 0`, so `saa` never matches `sää`. FTS only narrows a query down
to candidate chunks; `qualcode.coding.search` finds the exact hits in them. The index is not
part of undo: it is derived data, rebuilt from the documents whenever it is missing or stale.

The review queue lives in the `suggestions` table. Nothing in it becomes a coding without a
decision; an accepted suggestion's coding has origin `suggestion:<source>`; a rejected one
stays rejected, and filling the queue again never brings it back (even after its boundaries
were adjusted, since the originally suggested span is remembered).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from qualcode.coding.search import (
    ChunkRow,
    Phrase,
    SearchFilters,
    document_chunks,
    encode_offsets,
    lemmas,
    word_spans,
)
from qualcode.coding.suggest.model import QueuedSuggestion, Suggestion
from qualcode.errors import ConflictError, NotFoundError
from qualcode.nlp import LEMMATISER_VERSION
from qualcode.store.core import now

ProgressCallback = Callable[[int, int, str], None]
INDEX_VERSION_SETTING = "search_index_lemmatiser"


class SearchIndexMixin:
    # ---------------------------------------------------------------- building the index
    def unindexed_documents(self) -> list[int]:
        """Documents whose chunks are not in the index (new, or changed since)."""
        return [row[0] for row in self.db.execute(
            "SELECT d.id FROM documents d LEFT JOIN search_documents s ON s.document_id = d.id "
            "WHERE s.document_id IS NULL OR s.content_hash != d.content_hash ORDER BY d.id")]

    def index_document(self, doc_id: int) -> int:
        """(Re)index one document; returns the number of words indexed."""
        row = self.db.execute("SELECT text, language, content_hash FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise NotFoundError(f"No document with id {doc_id}.")
        text, language, content_hash = row
        chunks = document_chunks(text, self.turns(doc_id))
        rows = []
        count = 0
        for chunk in chunks:
            chunk_text = text[chunk.start:chunk.end]
            spans = word_spans(chunk_text)
            count += len(spans)
            tokens = [chunk_text[s:e].lower() for s, e in spans]
            rows.append((doc_id, chunk.turn_id, chunk.role, chunk.speaker, language, chunk.start, chunk.end,
                         chunk_text, " ".join(lemmas(tokens, language)), encode_offsets(spans, len(chunk_text))))
        with self.transaction():
            self._drop_document_index(doc_id)
            self.db.conn.executemany(
                'INSERT INTO search_chunks(document_id, turn_id, role, speaker, language, start, "end", text, lemma, '
                "offsets) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self.db.execute(
                "INSERT INTO search_fts(rowid, text, lemma) "
                "SELECT id, text, lemma FROM search_chunks WHERE document_id = ?", [doc_id])
            self.db.execute(
                "INSERT OR REPLACE INTO search_documents(document_id, content_hash, tokens, indexed_at) "
                "VALUES (?, ?, ?, ?)", [doc_id, content_hash, count, now()])
        return count

    def ensure_index(self, progress: ProgressCallback | None = None) -> int:
        """Index every document not indexed yet; returns how many were indexed.

        Search calls this lazily, so importers need not. `progress(done, total, title)` is
        called after each document.
        """
        if self.read_only:
            return 0
        if self.get_setting(INDEX_VERSION_SETTING) != LEMMATISER_VERSION:
            self._clear_index()  # built with other lemmas: `asiakkaiden` might no longer match
            self.set_setting(INDEX_VERSION_SETTING, LEMMATISER_VERSION)
        missing = self.unindexed_documents()
        for done, doc_id in enumerate(missing, start=1):
            self.index_document(doc_id)
            if progress is not None:
                title = self.db.execute("SELECT title FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
                progress(done, len(missing), title)
        return len(missing)

    def rebuild_index(self, progress: ProgressCallback | None = None) -> int:
        """Throw the index away and build it again from the documents."""
        self._clear_index()
        return self.ensure_index(progress)

    def _clear_index(self) -> None:
        with self.transaction():
            self.db.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
            self.db.execute("DELETE FROM search_chunks")
            self.db.execute("DELETE FROM search_documents")

    def index_stats(self) -> dict[str, int]:
        documents, tokens = self.db.execute(
            "SELECT count(*), coalesce(sum(tokens), 0) FROM search_documents").fetchone()
        chunks = self.db.execute("SELECT count(*) FROM search_chunks").fetchone()[0]
        return {"documents": documents, "chunks": chunks, "words": tokens,
                "unindexed": len(self.unindexed_documents())}

    def _drop_document_index(self, doc_id: int) -> None:
        self.db.execute(
            "INSERT INTO search_fts(search_fts, rowid, text, lemma) "
            "SELECT 'delete', id, text, lemma FROM search_chunks WHERE document_id = ?", [doc_id])
        self.db.execute("DELETE FROM search_chunks WHERE document_id = ?", [doc_id])
        self.db.execute("DELETE FROM search_documents WHERE document_id = ?", [doc_id])

    # ---------------------------------------------------------------- querying
    def search_document_meta(self) -> list[tuple[int, str, str | None, str, int | None]]:
        """(id, title, respondent label, language, round) of every document, cheaply."""
        return self.db.execute(
            "SELECT d.id, d.title, r.label, d.language, d.round FROM documents d "
            "LEFT JOIN respondents r ON r.id = d.respondent_id").fetchall()

    def search_document_ids(self, filters: SearchFilters) -> set[int] | None:
        """Documents the respondent/attribute/document filters allow (None: all of them)."""
        where, params = self._document_filter(filters, "d.id")
        if not where:
            return None
        return {row[0] for row in self.db.execute(f"SELECT d.id FROM documents d WHERE {' AND '.join(where)}",
                                                  params)}

    def search_coded_spans(self, code_ids: Sequence[int]) -> dict[int, list[tuple[int, int]]]:
        """Spans coded with any of the codes or their descendants, by document."""
        ids = self._with_descendants(code_ids)
        spans: dict[int, list[tuple[int, int]]] = {}
        marks = ", ".join("?" for _ in ids)
        for doc_id, start, end in self.db.execute(
                f'SELECT document_id, start, "end" FROM codings WHERE code_id IN ({marks})', ids):
            spans.setdefault(doc_id, []).append((start, end))
        return spans

    def search_chunk_rows(self, phrases: Sequence[Phrase] | None, mode: str, *, language: str | None = None,
                          filters: SearchFilters | None = None,
                          overlapping: Sequence[tuple[int, int]] | None = None) -> Iterator[ChunkRow]:
        """Indexed chunks that may hold a match (all filtered chunks when `phrases` is None),
        in index order; streamed, so a caller with enough hits can stop early. `overlapping`
        keeps only chunks that overlap one of these (start, end) spans of a document."""
        filters = filters or SearchFilters()
        where, params = self._document_filter(filters, "c.document_id")
        if overlapping is not None:
            ids = self._chunk_ids_overlapping(filters.document_ids, overlapping)
            if not ids:
                return
            where.append(f"c.id IN ({', '.join('?' for _ in ids)})")
            params.extend(ids)
        if language is not None:
            where.append("c.language = ?")
            params.append(language)
        if filters.respondent_turns_only:
            where.append("c.role = 'respondent'")
        if filters.code_ids:
            ids = self._with_descendants(filters.code_ids)
            where.append(f'EXISTS (SELECT 1 FROM codings g WHERE g.document_id = c.document_id AND g.code_id IN '
                         f'({", ".join("?" for _ in ids)}) AND g.start < c."end" AND g."end" > c.start)')
            params.extend(ids)
        columns = ('c.id, c.document_id, c.turn_id, c.role, c.speaker, c.language, c.start, c."end", c.text, '
                   "c.lemma, c.offsets")
        if phrases is None:
            sql = f"SELECT {columns} FROM search_chunks c"
            order = "c.id"
        else:
            expression = fts_expression(phrases, mode)
            if expression is None:
                return
            sql = f"SELECT {columns} FROM search_fts JOIN search_chunks c ON c.id = search_fts.rowid"
            where.insert(0, "search_fts MATCH ?")
            params.insert(0, expression)
            order = "search_fts.rowid"
        ranges = self._document_ranges(filters) if phrases is not None else None
        if ranges is None:
            if where:
                sql += " WHERE " + " AND ".join(where)
            yield from map(ChunkRow._make, self.db.conn.execute(f"{sql} ORDER BY {order}", params))
            return
        # A few documents: ask FTS for each one's rowid range instead of filtering its whole doclist.
        sql += " WHERE " + " AND ".join([*where, "search_fts.rowid BETWEEN ? AND ?"])
        for low, high in ranges:
            yield from map(ChunkRow._make, self.db.conn.execute(f"{sql} ORDER BY {order}", [*params, low, high]))

    def _document_ranges(self, filters: SearchFilters, most: int = 64) -> list[tuple[int, int]] | None:
        """Chunk id ranges of the documents the filters allow, when they are few (else None)."""
        if not (filters.document_ids or filters.respondents or filters.attributes):
            return None
        allowed = self.search_document_ids(filters) or set()
        if len(allowed) > most:
            return None
        marks = ", ".join("?" for _ in allowed) or "NULL"
        return [tuple(row) for row in self.db.execute(
            f"SELECT min(id), max(id) FROM search_chunks WHERE document_id IN ({marks}) GROUP BY document_id "
            "ORDER BY min(id)", list(allowed))]

    def _chunk_ids_overlapping(self, document_ids: Sequence[int], spans: Sequence[tuple[int, int]]) -> list[int]:
        """Ids of the document's chunks that overlap any of the (start, end) spans."""
        marks = ", ".join("?" for _ in document_ids) or "NULL"
        chunks = self.db.execute(f'SELECT id, start, "end" FROM search_chunks WHERE document_id IN ({marks}) '
                                 "ORDER BY start", list(document_ids)).fetchall()
        ids, spans, index = [], sorted(spans), 0
        for chunk_id, start, end in chunks:
            while index < len(spans) and spans[index][1] <= start:
                index += 1
            if index < len(spans) and spans[index][0] < end:
                ids.append(chunk_id)
        return ids

    def _document_filter(self, filters: SearchFilters, column: str) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if filters.document_ids:
            where.append(f"{column} IN ({', '.join('?' for _ in filters.document_ids)})")
            params.extend(filters.document_ids)
        if filters.respondents:
            where.append(f"{column} IN (SELECT d2.id FROM documents d2 JOIN respondents r2 ON r2.id = d2.respondent_id "
                         f"WHERE r2.label IN ({', '.join('?' for _ in filters.respondents)}))")
            params.extend(filters.respondents)
        for name, value in filters.attributes:
            where.append(f"{column} IN (SELECT d2.id FROM documents d2 JOIN respondent_attributes a2 "
                         "ON a2.respondent_id = d2.respondent_id WHERE a2.attribute = ? AND lower(a2.value) = lower(?))")
            params.extend([name, str(value)])
        return where, params

    def _with_descendants(self, code_ids: Sequence[int]) -> list[int]:
        ids: list[int] = []
        for code_id in code_ids:
            ids.extend([code_id, *self.descendant_ids(code_id)])
        return list(dict.fromkeys(ids))


def fts_expression(phrases: Sequence[Phrase], mode: str) -> str | None:
    """An FTS5 MATCH expression that every chunk holding one of the phrases satisfies.

    Whole-word phrases become FTS phrases on one column (`lemma : "asiakas" + "palvelu"`); a
    phrase with a prefix word becomes an AND of its words, each on the column(s) it may match.
    """
    parts = []
    for phrase in phrases:
        if not phrase:
            continue
        if mode == "exact":
            parts.append("text : " + " + ".join(_fts_term(t) for t in phrase))
        elif not any(t.prefix for t in phrase):
            parts.append("lemma : " + " + ".join(_fts_term(t) for t in phrase))
        else:
            parts.append(" AND ".join(f"({{text lemma}} : {_fts_term(t)})" if t.prefix else f"(lemma : {_fts_term(t)})"
                                      for t in phrase))
    if not parts:
        return None
    return " OR ".join(f"({part})" for part in parts)


def _fts_term(term: Any) -> str:
    quoted = '"' + term.text.replace('"', '""') + '"'
    return f"{quoted} *" if term.prefix else quoted


class SuggestionsMixin:
    """The review queue of suggested codings."""

    _SUGGESTION_COLUMNS = ('id, document_id, code_id, start, "end", source, reason, score, status, created_at, '
                           "decided_at, coding_id, coalesce(suggested_start, start), coalesce(suggested_end, \"end\")")

    def add_suggestions(self, items: Iterable[Suggestion], *, description: str = "suggest codings",
                        skip_coded: bool = True) -> list[int]:
        """Put suggestions in the queue as one action; returns the ids of those added.

        A suggestion already in the queue (pending, accepted or rejected, however adjusted since)
        is not added again; with `skip_coded`, neither is one whose span the coder has already
        coded with that code.
        """
        added: list[int] = []
        with self.action(description):
            for item in items:
                known = self.db.execute(
                    "SELECT 1 FROM suggestions WHERE document_id = ? AND code_id = ? AND source = ? AND "
                    '((coalesce(suggested_start, start) = ? AND coalesce(suggested_end, "end") = ?) '
                    'OR (start = ? AND "end" = ?)) LIMIT 1',
                    [item.document_id, item.code_id, item.source, item.start, item.end, item.start, item.end]).fetchone()
                if known:
                    continue
                if skip_coded and self.db.execute(
                        'SELECT 1 FROM codings WHERE document_id = ? AND code_id = ? AND coder = ? AND start < ? '
                        'AND "end" > ? LIMIT 1', [item.document_id, item.code_id, self.user, item.end, item.start]
                ).fetchone():
                    continue
                added.append(self._insert("suggestions", {
                    "document_id": item.document_id, "code_id": item.code_id, "start": item.start, "end": item.end,
                    "source": item.source, "reason": item.reason, "score": round(float(item.score), 4),
                    "status": "pending", "created_at": now(), "suggested_start": item.start,
                    "suggested_end": item.end}))
        return added

    def suggestions(self, *, status: str | None = None, source: str | None = None,
                    code_ids: Sequence[int] | None = None, document_id: int | None = None,
                    ids: Sequence[int] | None = None) -> list[QueuedSuggestion]:
        """Suggestions in the queue, in document order, best score first within a span."""
        clauses, params = [], []
        for column, value in (("status", status), ("source", source), ("document_id", document_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        for column, values in (("code_id", code_ids), ("id", ids)):
            if values is not None:
                clauses.append(f"{column} IN ({', '.join('?' for _ in values) or 'NULL'})")
                params.extend(values)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.db.execute(f"SELECT {self._SUGGESTION_COLUMNS} FROM suggestions {where} "
                               'ORDER BY document_id, start, "end", score DESC, id', params).fetchall()
        return [QueuedSuggestion(*row) for row in rows]

    def suggestion(self, suggestion_id: int) -> QueuedSuggestion:
        found = self.suggestions(ids=[suggestion_id])
        if not found:
            raise NotFoundError(f"No suggestion {suggestion_id}. List them with `qualcode suggestions PROJECT`.")
        return found[0]

    def accept_suggestions(self, ids: Sequence[int], *, description: str | None = None) -> list[int]:
        """Accept suggestions as ONE action: each becomes a coding (origin `suggestion:<source>`)
        and records its coding id. Returns the coding ids."""
        items = [self.suggestion(i) for i in ids]
        coding_ids: list[int] = []
        if not items:
            return coding_ids
        with self.action(description or (f"accept suggestion {ids[0]}" if len(ids) == 1
                                         else f"accept {len(ids)} suggestions")):
            for item in items:
                if item.status == "accepted" and item.coding_id is not None:
                    coding_ids.append(item.coding_id)
                    continue
                coding_id = self.add_coding(item.document_id, item.code_id, item.start, item.end,
                                            origin=f"suggestion:{item.source}")
                self._update("suggestions", item.id, {"status": "accepted", "decided_at": now(),
                                                      "coding_id": coding_id})
                coding_ids.append(coding_id)
        return coding_ids

    def accept_suggestion(self, suggestion_id: int) -> int:
        return self.accept_suggestions([suggestion_id])[0]

    def reject_suggestions(self, ids: Sequence[int]) -> int:
        """Reject suggestions as one action; they are never suggested again. Returns the count."""
        items = [self.suggestion(i) for i in ids]
        if not items:
            return 0
        with self.action(f"reject suggestion {ids[0]}" if len(ids) == 1 else f"reject {len(ids)} suggestions"):
            for item in items:
                if item.status == "accepted":
                    raise ConflictError(f"Suggestion {item.id} was already accepted (coding {item.coding_id}); "
                                        "undo that or remove the coding instead.")
                self._update("suggestions", item.id, {"status": "rejected", "decided_at": now()})
        return len(items)

    def reject_suggestion(self, suggestion_id: int) -> None:
        self.reject_suggestions([suggestion_id])

    def adjust_suggestion(self, suggestion_id: int, start: int, end: int) -> None:
        """Move a pending suggestion's boundaries before accepting it."""
        item = self.suggestion(suggestion_id)
        if item.status != "pending":
            raise ConflictError(f"Suggestion {suggestion_id} is {item.status}; only pending ones can be adjusted.")
        if (start, end) == (item.start, item.end):
            return
        self._check_span(item.document_id, start, end)
        if self.db.execute('SELECT 1 FROM suggestions WHERE document_id = ? AND code_id = ? AND start = ? AND '
                           '"end" = ? AND source = ? AND id != ?',
                           [item.document_id, item.code_id, start, end, item.source, item.id]).fetchone():
            raise ConflictError("Another suggestion of the same code already has exactly that span.")
        with self.action(f"adjust suggestion {suggestion_id}"):
            self._update("suggestions", suggestion_id, {"start": start, "end": end})
