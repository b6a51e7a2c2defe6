"""The matrix (code by respondent): rows the code tree, columns respondents, attribute groups,
documents or Delphi rounds, cells a count, a presence mark, words, the coded text or a written
summary (a framework matrix), with totals and coverage ("7 of 8 respondents").

Parent rows are subtotals: a parent's cell counts the codings on it and on everything below
it (in text mode a parent shows only the passages coded on it directly). Hence for counts and
words a column total is the sum of the top rows (equally, of every row's own codings), and a
row total is the sum of the row's cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from qualcode.coding.codetree import CodeTree
from qualcode.coding.columns import Column, column_of_documents
from qualcode.coding.models import Code
from qualcode.coding.scope import RespondentScope, Where, coverage_text, resolve_codes, respondent_scope, words
from qualcode.coding.table import Table, slug

CELL_MODES = ("count", "presence", "words", "respondents", "text", "summary")
NUMERIC_MODES = ("count", "presence", "words", "respondents")
PRESENCE_MARK = "✓"


@dataclass(frozen=True)
class MatrixRow:
    code_id: int
    path: tuple[str, ...]
    depth: int
    """Depth below the matrix's top rows (0 for a top row)."""
    colour: str
    leaf: bool


@dataclass
class Matrix:
    rows: list[MatrixRow]
    columns: list[Column]
    cells: str
    values: pd.DataFrame
    """Rows x columns (index code ids, columns column keys): numbers, or strings in text/summary mode."""
    coverage: pd.Series
    """Distinct respondents with a coding in each row's subtree (index code ids)."""
    scope: RespondentScope
    by: str
    row_totals: pd.Series | None = None
    column_totals: pd.Series | None = None
    grand_total: float | None = None
    covered: int = 0
    """Respondents with any coding in the matrix."""
    language: str = "en"
    name: str = "matrix"

    @property
    def numeric(self) -> bool:
        return self.cells in NUMERIC_MODES

    def to_json(self) -> dict:
        """The machine-readable contract of `qualcode export matrix --format json`."""
        cells = self.values.to_numpy().tolist()
        if self.numeric:
            cells = [[_number(v) for v in row] for row in cells]
        return {"rows": [" > ".join(row.path) for row in self.rows],
                "columns": [column.label for column in self.columns], "cells": cells}

    def to_table(self, *, caption: str | None = None, totals: bool = True, coverage: bool = True,
                 mark: str = PRESENCE_MARK) -> Table:
        w = words(self.language)
        values = self.values.to_numpy().tolist()
        if self.cells == "presence":
            values = [[mark if v else "" for v in row] for row in values]
        elif self.numeric:
            values = [[_number(v) for v in row] for row in values]
        show_totals = totals and self.numeric
        people = len(self.scope)
        records = []
        for index, row in enumerate(self.rows):
            record = [" > ".join(row.path), *values[index]]
            if show_totals:
                record.append(_number(self.row_totals.iat[index]))
            if coverage:
                record.append(coverage_text(int(self.coverage.iat[index]), people, self.language))
            records.append(record)
        labels = [row.path[-1] for row in self.rows]
        levels = [row.depth for row in self.rows]
        colours: list[str | None] = [row.colour for row in self.rows]
        total_rows = 0
        if show_totals:
            last = [w["total"], *(_number(v) for v in self.column_totals.tolist()), _number(self.grand_total)]
            if coverage:
                last.append(coverage_text(int(self.covered), people, self.language))
            records.append(last)
            labels.append(w["total"])
            levels.append(0)
            colours.append(None)
            total_rows = 1
        heading = [w["code"], *(column.label for column in self.columns)]
        heading += ([w["total"]] if show_totals else []) + ([w["coverage"]] if coverage else [])
        body = pd.DataFrame(records, columns=heading, dtype=object)
        heat = None
        if self.numeric:
            heat = self.values.astype(float).copy()
            heat.index = labels[: len(self.rows)]
            heat.columns = [column.label for column in self.columns]
        notes = [w["presence"]] if self.cells == "presence" else []
        return Table(frame=body, name=self.name, caption=caption, row_labels=labels, row_levels=levels,
                     row_colours=colours, total_rows=total_rows,
                     total_columns=int(show_totals) + int(coverage), data=self.to_json(), heat=heat, notes=notes)

    def cell_key(self, row_index: int, column_index: int) -> tuple[int, str]:
        """(code id, column key) of a cell: what `trace` and `set_cell_summary` take."""
        return self.rows[row_index].code_id, self.columns[column_index].key


def code_matrix(store, codes: Sequence[Code | int | str] | Code | int | str | None = None, *,
                by: str = "respondent", cells: str = "count", subtotals: bool = True,
                where: Where | None = None, label_format: str = "{label}", coders: Sequence[str] | None = None,
                language: str = "en") -> Matrix:
    """Build the code x column matrix.

    codes: the top codes whose trees are the rows (names, ' > ' paths, ids); None for every codebook.
    by: 'respondent', 'attribute:NAME', 'document' or 'round'.
    cells: 'count' (coded passages), 'presence', 'words' (words coded), 'respondents' (distinct
        respondents, for groups and rounds), 'text' (the passages) or 'summary' (the written cell
        summaries of a framework matrix, edited with `store.set_cell_summary(code_id, column.key, text)`).
    subtotals: parent rows include everything below them (the default) or only their own codings.
    where / label_format / coders: as in `summary()`.
    """
    if cells not in CELL_MODES:
        raise ValueError(f"cells must be one of {', '.join(CELL_MODES)}")
    tree = CodeTree.from_store(store)
    roots = resolve_codes(store, codes, tree)
    scope = respondent_scope(store, where=where, label_format=label_format)
    columns, document_column = column_of_documents(store, by, scope, language=language)
    row_ids = tree.forest(roots)
    top = set(roots)
    base_depth = {r: tree.depth(r) for r in roots}

    def depth_below_top(code_id: int) -> int:
        for ancestor in [code_id, *tree.ancestors(code_id)]:
            if ancestor in top:
                return tree.depth(code_id) - base_depth[ancestor]
        return 0

    rows = [MatrixRow(c, tuple(tree.path(c)), depth_below_top(c), tree[c].colour, tree.is_leaf(c)) for c in row_ids]
    needs_text = cells in ("words", "text")
    frame = store.coding_frame(row_ids, with_text=needs_text, coders=coders, slim=not needs_text)
    # Per document: its column and its respondent's rank; documents out of scope get -1.
    documents = store.document_frame()
    column_of = np.array([document_column.get(int(d), -1) for d in documents["id"]], dtype=np.int64)
    rank_of = np.array([scope.rank.get(r, -1) for r in documents["respondent"]], dtype=np.int64)
    position = pd.Index(documents["id"]).get_indexer(frame["document_id"].to_numpy())
    column, rank = column_of[position], rank_of[position]
    row = pd.Index(row_ids).get_indexer(frame["code_id"].to_numpy())
    keep = (column >= 0) & (rank >= 0)
    row, column, rank = row[keep], column[keep], rank[keep]
    if needs_text:
        frame = frame[keep].assign(row=row, column=column)

    # Which rows each code counts towards: itself, and with subtotals every ancestor among the rows.
    row_index = {c: i for i, c in enumerate(row_ids)}
    inclusive = np.eye(len(row_ids), dtype=np.int64)
    for i, c in enumerate(row_ids):
        for ancestor in tree.ancestors(c):
            if ancestor in row_index:
                inclusive[row_index[ancestor], i] = 1
    members = inclusive if subtotals else np.eye(len(row_ids), dtype=np.int64)
    keys = [column.key for column in columns]
    n_rows, n_columns, n_people = len(row_ids), len(columns), max(1, len(scope))

    # Coverage: which respondents each row reaches with its whole subtree (a boolean product).
    reached = np.zeros((n_rows, n_people), dtype=np.int64)
    reached[row, rank] = 1
    coverage = pd.Series(((inclusive @ reached) > 0).sum(axis=1), index=row_ids)
    result = Matrix(rows=rows, columns=columns, cells=cells, values=pd.DataFrame(), coverage=coverage,
                    scope=scope, by=by, language=language,
                    name=f"matrix-{slug('-'.join(tree[r].name for r in roots[:3]) or 'all')}")
    result.covered = int(reached.any(axis=0).sum())

    if cells in ("count", "words", "presence"):
        direct = np.zeros((n_rows, n_columns), dtype=np.int64)
        if len(row):
            weight = (frame["text"].str.split().str.len().fillna(0).to_numpy(dtype=np.int64)
                      if cells == "words" else 1)
            np.add.at(direct, (row, column), weight)
        totals = members @ direct
        if cells == "presence":
            totals = (totals > 0).astype(np.int64)
        values = pd.DataFrame(totals, index=row_ids, columns=keys)
        result.values = values
        result.row_totals = values.sum(axis=1)
        result.column_totals = values.sum(axis=0) if cells == "presence" else pd.Series(direct.sum(axis=0),
                                                                                        index=keys)
        result.grand_total = float(result.column_totals.sum())
    elif cells == "respondents":
        source = _expand_to_rows(row, column, rank, members, n_columns, n_people)
        cell = source // n_people  # row * n_columns + column
        values = np.bincount(cell, minlength=n_rows * n_columns).reshape(n_rows, n_columns)
        per_row = np.unique(source // (n_columns * n_people) * n_people + source % n_people)
        per_column = np.unique(column * n_people + rank)
        result.values = pd.DataFrame(values, index=row_ids, columns=keys)
        result.row_totals = pd.Series(np.bincount(per_row // n_people, minlength=n_rows), index=row_ids)
        result.column_totals = pd.Series(np.bincount(per_column // n_people, minlength=n_columns), index=keys)
        result.grand_total = float(result.covered)
    elif cells == "text":
        text = frame.assign(passage=_passages(frame, by))
        grouped = text.groupby(["row", "column"], sort=False)["passage"].agg("\n\n".join)
        values = pd.DataFrame("", index=range(n_rows), columns=range(n_columns), dtype=object)
        for (r, c), passage in grouped.items():
            values.iat[r, c] = passage
        values.index, values.columns = row_ids, keys
        result.values = values
    else:  # summary
        stored = store.cell_summaries(row_ids)
        result.values = pd.DataFrame([[stored.get((c, k), "") for k in keys] for c in row_ids],
                                     index=row_ids, columns=keys, dtype=object)
    return result


def matrix_table(store, codes=None, *, caption: str | None = None, totals: bool = True, coverage: bool = True,
                 **options) -> Table:
    """`code_matrix(...)` ready for `write_table`; `table.data` is the JSON contract."""
    return code_matrix(store, codes, **options).to_table(caption=caption, totals=totals, coverage=coverage)


def _expand_to_rows(row: np.ndarray, column: np.ndarray, rank: np.ndarray, members: np.ndarray,
                    n_columns: int, n_people: int) -> np.ndarray:
    """Distinct (counting row, column, respondent) triples, encoded as one integer
    ((row * n_columns + column) * n_people + rank), each coding counted towards every row whose
    `members` include its code's row."""
    if not len(row):
        return np.zeros(0, dtype=np.int64)
    own = np.unique((row * n_columns + column) * n_people + rank)
    own_row, rest = own // (n_columns * n_people), own % (n_columns * n_people)
    counting = [np.nonzero(members[:, r])[0] for r in range(members.shape[0])]  # rows that r counts towards
    sizes = np.array([len(c) for c in counting], dtype=np.int64)
    flat = np.concatenate(counting) if counting else np.zeros(0, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    repeat = sizes[own_row]
    within = np.arange(repeat.sum()) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    target_rows = flat[np.repeat(starts[own_row], repeat) + within]
    return np.unique(target_rows * n_columns * n_people + np.repeat(rest, repeat))


def _passages(frame: pd.DataFrame, by: str) -> pd.Series:
    clean = frame["text"].str.split().str.join(" ")
    if by == "respondent":
        return clean
    return frame["respondent"] + ": " + clean


def _number(value):
    if value is None:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return int(value) if float(value).is_integer() else float(value)
    return value
