"""The audit trail: the passages behind a finding, a summary cell or a matrix cell.

Every number and every `(H1, H3)` in an exported table can be traced back to the document,
respondent, offsets, line and text of the codings that produced it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import pandas as pd

from qualcode.coding.codetree import CodeTree
from qualcode.coding.columns import column_of_documents
from qualcode.coding.models import Code
from qualcode.coding.scope import Where, resolve_code, respondent_scope, words
from qualcode.coding.table import Table, slug
from qualcode.errors import NotFoundError


@dataclass(frozen=True)
class Passage:
    coding_id: int
    code_id: int
    code: str
    """The code's path joined with ' > '."""
    document_id: int
    document: str
    respondent: str
    start: int
    end: int
    line: int
    """1-based line of the transcript where the passage starts."""
    text: str
    coder: str


def trace(store, code: Code | int | str, *, respondent: str | Sequence[str] | None = None,
          column: Code | int | str | None = None, column_key: str | None = None, subtree: bool = True,
          where: Where | None = None, coders: Sequence[str] | None = None) -> list[Passage]:
    """The codings behind a table cell, by respondent (naturally) and document order.

    code: the finding or matrix row (with `subtree`, the codes below it count too, as they do in
        the summary and in the matrix's subtotals).
    respondent: only this respondent (or these). column: only passages overlapping a passage of
        this code or its subcodes (a cell of a two-dimensional summary). column_key: only the
        documents of this matrix column (`respondent:H3`, `attribute:organisation_type=non-profit`,
        `document:H3 haastattelu`, `round:2`).
    """
    tree = CodeTree.from_store(store)
    root = resolve_code(store, code)
    scope = respondent_scope(store, where=where)
    ids = tree.subtree(root.id) if subtree else [root.id]
    frame = store.coding_frame(ids, with_text=True, coders=coders)
    frame = frame[frame["respondent"].isin(scope.rank)]
    if respondent is not None:
        wanted = {respondent} if isinstance(respondent, str) else set(respondent)
        unknown = wanted - set(scope.labels)
        if unknown:
            raise NotFoundError(f"No respondent {', '.join(sorted(unknown))} among those with documents; "
                                "list them with `qualcode respondents PROJECT`.")
        frame = frame[frame["respondent"].isin(wanted)]
    if column is not None:
        column_ids = tree.subtree(resolve_code(store, column).id)
        others = store.coding_frame(column_ids, coders=coders)[["document_id", "start", "end"]]
        merged = frame.reset_index().merge(others.rename(columns={"start": "o_start", "end": "o_end"}),
                                           on="document_id")
        hits = merged[(merged["start"] < merged["o_end"]) & (merged["o_start"] < merged["end"])]["index"]
        frame = frame.loc[sorted(set(hits))]
    if column_key is not None:
        frame = frame[frame["document_id"].isin(_documents_of_column(store, column_key, scope))]
    frame = frame.assign(rank=frame["respondent"].map(scope.rank)).sort_values(
        ["rank", "document_id", "start", "id"], kind="stable")
    texts = store.document_texts(frame["document_id"].unique().tolist())
    return [Passage(int(row.id), int(row.code_id), tree.path_text(int(row.code_id)), int(row.document_id),
                    row.document, row.respondent, int(row.start), int(row.end),
                    texts[row.document_id].count("\n", 0, row.start) + 1, row.text, row.coder)
            for row in frame.itertuples(index=False)]


def trace_summary_row(store, row, *, respondent: str | Sequence[str] | None = None,
                      where: Where | None = None, coders: Sequence[str] | None = None) -> list[Passage]:
    """The passages behind one line (or cell) of a summary table: `row` is a `SummaryRow` from
    `summary(...).rows`. Pass the `where` / `coders` the summary was built with."""
    return trace(store, row.finding.code_id, respondent=respondent, column=row.column_id,
                 subtree=not row.finding.own_codings_only, where=where, coders=coders)


def _documents_of_column(store, column_key: str, scope) -> set[int]:
    kind, _sep, rest = column_key.partition(":")
    by = {"respondent": "respondent", "document": "document", "round": "round"}.get(kind)
    if kind == "attribute":
        by = f"attribute:{rest.partition('=')[0]}"
    if by is None:
        raise NotFoundError(f"Column key {column_key!r} is not respondent:…, attribute:NAME=VALUE, "
                            "document:… or round:….")
    columns, document_column = column_of_documents(store, by, scope)
    keys = [c.key for c in columns]
    if column_key not in keys:
        raise NotFoundError(f"No column {column_key!r}; the columns are: {', '.join(keys) or 'none'}.")
    index = keys.index(column_key)
    return {doc for doc, col in document_column.items() if col == index}


def trace_table(passages: Sequence[Passage], *, language: str = "en", name: str = "trace") -> Table:
    w = words(language)
    frame = pd.DataFrame([[p.code, p.document, p.respondent, p.start, p.end, p.line, " ".join(p.text.split())]
                          for p in passages],
                         columns=[w["code"], w["document"], w["respondent"], w["start"], w["end"], w["line"],
                                  w["text"]], dtype=object)
    return Table(frame=frame, name=slug(name), index_columns=1,
                 data={"passages": [asdict(p) for p in passages]})
