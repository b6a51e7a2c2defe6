"""Bulk reads for tables (codings joined with documents and respondents as one DataFrame),
framework-matrix cell summaries, and a bulk coding insert for importers and generated corpora.

Tables over 100,000 codings must build in well under a second, so everything here is one
query per call, never one query per coding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from qualcode.errors import NotFoundError
from qualcode.store.core import new_guid, now

CODING_FRAME_COLUMNS = ("id", "document_id", "code_id", "start", "end", "coder", "document", "language",
                        "round", "respondent_id", "respondent")


_INDEXED_CODES = 20


def _in_clause(column: str, values: Sequence[int]) -> tuple[str, list[int]]:
    # SQLite limits bound parameters (32766 by default); a code tree or corpus never comes close
    # to that, and a temp table would cost more than it saves for the sizes we meet.
    return f"{column} IN ({', '.join('?' for _ in values) or 'NULL'})", list(values)


class TablesMixin:
    # ---------------------------------------------------------------- bulk reads
    def coding_frame(self, code_ids: Sequence[int] | None = None, *, with_text: bool = False,
                     coders: Sequence[str] | None = None, slim: bool = False) -> pd.DataFrame:
        """Codings (optionally only of `code_ids` / `coders`) with their document and respondent.

        Columns: id, document_id, code_id, start, end, coder, document (title), language, round,
        respondent_id, respondent (label; the document title when no respondent is assigned)
        and, with `with_text`, text (the coded passage). In document order.
        `slim=True` gives only document_id, code_id, start, end, respondent_id and respondent, in
        no particular order: what counting tables need, loaded in a third of the time.

        One plain query for the codings; the document columns are attached with numpy takes from
        the (small) documents table and passages are sliced from each text once in Python, which
        is much faster than SQL joins and substr() over 100,000 codings.
        """
        clauses: list[str] = []
        params: list[object] = []
        if code_ids is not None:
            # Over many codes a table scan beats one index probe per code: '+' turns the index off.
            column = "+code_id" if len(code_ids) > _INDEXED_CODES else "code_id"
            clause, values = _in_clause(column, code_ids)
            clauses.append(clause)
            params.extend(values)
        if coders is not None:
            clauses.append(f"coder IN ({', '.join('?' for _ in coders) or 'NULL'})")
            params.extend(coders)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        integers = ["document_id", "code_id", "start", "end"] if slim else ["id", "document_id", "code_id", "start",
                                                                            "end"]
        selected = ", ".join(f'"{c}"' for c in integers) + ("" if slim else ", coder")
        rows = self.db.execute(f"SELECT {selected} FROM codings {where}", params).fetchall()
        if slim:
            numbers = np.array(rows, dtype=np.int64).reshape(-1, len(integers))
            frame = pd.DataFrame(numbers, columns=integers)
        else:
            numbers = np.array([row[:5] for row in rows], dtype=np.int64).reshape(-1, 5)
            frame = pd.DataFrame(numbers, columns=integers)
            frame["coder"] = np.array([row[5] for row in rows], dtype=object)
            order = np.lexsort((numbers[:, 0], numbers[:, 3], numbers[:, 1]))
            frame = frame.iloc[order].reset_index(drop=True)
        documents = self.document_frame()
        position = pd.Index(documents["id"]).get_indexer(frame["document_id"])
        attached = (("respondent_id", "respondent_id"), ("respondent", "respondent")) if slim else (
            ("document", "title"), ("language", "language"), ("round", "round"),
            ("respondent_id", "respondent_id"), ("respondent", "respondent"))
        for column, source in attached:
            frame[column] = documents[source].to_numpy(dtype=object)[position]
        if with_text:
            texts = self.document_texts(documents["id"].tolist() if len(frame) else [])
            frame["text"] = np.array([texts[d][s:e] for d, s, e in zip(frame["document_id"].tolist(),
                                                                     frame["start"].tolist(),
                                                                     frame["end"].tolist())], dtype=object)
        if slim:
            return frame
        return frame[[*CODING_FRAME_COLUMNS, *(["text"] if with_text else [])]]

    def document_frame(self) -> pd.DataFrame:
        """Documents with their respondent: id, title, language, round, respondent_id, respondent."""
        rows = self.db.execute(
            "SELECT d.id, d.title, d.language, d.round, d.respondent_id, coalesce(r.label, d.title) "
            "FROM documents d LEFT JOIN respondents r ON r.id = d.respondent_id").fetchall()
        return pd.DataFrame.from_records(
            rows, columns=["id", "title", "language", "round", "respondent_id", "respondent"])

    def segment_frame(self, document_ids: Sequence[int] | None = None) -> pd.DataFrame:
        """Sentence segments (id, document_id, start, end), for same-segment co-occurrence."""
        where, params = ("", [])
        if document_ids is not None:
            clause, params = _in_clause("document_id", document_ids)
            where = f"WHERE {clause}"
        rows = self.db.execute(
            f'SELECT id, document_id, start, "end" FROM segments {where} ORDER BY document_id, start',
            params).fetchall()
        return pd.DataFrame.from_records(rows, columns=["id", "document_id", "start", "end"])

    def document_texts(self, document_ids: Iterable[int]) -> dict[int, str]:
        ids = sorted(set(int(i) for i in document_ids))
        if not ids:
            return {}
        clause, params = _in_clause("id", ids)
        return dict(self.db.execute(f"SELECT id, text FROM documents WHERE {clause}", params).fetchall())

    # ---------------------------------------------------------------- framework-matrix cell summaries
    def cell_summaries(self, code_ids: Sequence[int] | None = None) -> dict[tuple[int, str], str]:
        """Written cell summaries keyed by (code id, column key)."""
        where, params = ("", [])
        if code_ids is not None:
            clause, params = _in_clause("code_id", code_ids)
            where = f"WHERE {clause}"
        rows = self.db.execute(f"SELECT code_id, column_key, text FROM cell_summaries {where}", params)
        return {(code_id, key): text for code_id, key, text in rows}

    def cell_summary(self, code_id: int, column_key: str) -> str | None:
        row = self.db.execute("SELECT text FROM cell_summaries WHERE code_id = ? AND column_key = ?",
                              [code_id, column_key]).fetchone()
        return row[0] if row else None

    def set_cell_summary(self, code_id: int, column_key: str, text: str) -> None:
        """Write the summary of one framework-matrix cell (empty text removes it); undoable."""
        code = self.code(code_id)
        row = self.db.execute("SELECT rowid, text FROM cell_summaries WHERE code_id = ? AND column_key = ?",
                              [code_id, column_key]).fetchone()
        text = text.strip()
        if row and row[1] == text:
            return
        if not row and not text:
            return
        with self.action(f"summary of {code.name} / {column_key}"):
            if row and not text:
                self._delete("cell_summaries", row[0])
            elif row:
                self._update("cell_summaries", row[0], {"text": text, "modified_at": now()})
            else:
                self._insert("cell_summaries", {"code_id": code_id, "column_key": column_key, "text": text,
                                                "modified_at": now()})

    # ---------------------------------------------------------------- bulk insert
    def add_codings_bulk(self, items: Iterable[tuple[int, int, int, int]], *, description: str,
                         coder: str | None = None, origin: str | None = None) -> int:
        """Apply many (document, code, start, end) codings as one undo step, in bulk.

        For importers and generated corpora: spans are checked against the document lengths in one
        query, duplicates of existing codings are skipped, and the audit rows are written with one
        statement, so 100,000 codings take about a second. Returns the number of codings added.
        """
        items = list(items)
        coder = coder or self.user
        lengths = dict(self.db.execute("SELECT id, length(text) FROM documents").fetchall())
        code_ids = {r[0] for r in self.db.execute("SELECT id FROM codes")}
        for doc, code, start, end in items:
            if doc not in lengths:
                raise NotFoundError(f"No document with id {doc}.")
            if code not in code_ids:
                raise NotFoundError(f"No code with id {code}.")
            if not (0 <= start < end <= lengths[doc]):
                raise NotFoundError(f"The span {start}-{end} is not inside document {doc} (0-{lengths[doc]}).")
        stamp = now()
        with self.action(description) as group:
            before = self.db.execute("SELECT coalesce(max(id), 0) FROM codings").fetchone()[0]
            self.db.conn.executemany(
                'INSERT OR IGNORE INTO codings(document_id, code_id, start, "end", coder, created_at, modified_at, '
                "guid, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(doc, code, start, end, coder, stamp, stamp, new_guid(), origin) for doc, code, start, end in items])
            # The same audit rows `_insert` writes, one per coding, so undo and redo work as usual.
            self.db.execute(
                "INSERT INTO audit(group_id, at, who, action, entity, entity_id, operation, before, after, state) "
                "SELECT ?, ?, ?, ?, 'codings', id, 'insert', NULL, json_object('__rowid__', id, 'id', id, "
                "'document_id', document_id, 'code_id', code_id, 'start', start, 'end', \"end\", 'coder', coder, "
                "'created_at', created_at, 'modified_at', modified_at, 'memo', memo, 'guid', guid, "
                "'origin', origin), 'done' FROM codings WHERE id > ? ORDER BY id",
                [group, stamp, self.user, description, before])
            return self.db.execute("SELECT count(*) FROM codings WHERE id > ?", [before]).fetchone()[0]
