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
        body = self.values.copy().reset_index(drop=True)
        body.columns = [column.label for column in self.columns]
        if self.cells == "presence":
            body = body.map(lambda v: mark if v else "")
        body = body.astype(object)
        show_totals = totals and self.numeric
        if show_totals:
            body[w["total"]] = self.row_totals.to_numpy()
        if coverage:
            body[w["coverage"]] = [coverage_text(int(n), len(self.scope), self.language) for n in self.coverage]
        body.insert(0, w["code"], [" > ".join(row.path) for row in self.rows])
        labels = [row.path[-1] for row in self.rows]
        levels = [row.depth for row in self.rows]
        colours: list[str | None] = [row.colour for row in self.rows]
        total_rows = 0
        if show_totals:
            last = [w["total"], *self.column_totals.tolist(), self.grand_total]
            if coverage:
                last.append(coverage_text(int(self.covered), len(self.scope), self.language))
            body.loc[len(body)] = last
            labels.append(w["total"])
            levels.append(0)
            colours.append(None)
            total_rows = 1
        body = body.reset_index(drop=True)
        for column in body.columns[1:]:
            body[column] = [_number(v) if isinstance(v, (int, float, np.integer, np.floating)) else v
                            for v in body[column]]
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
    frame = store.coding_frame(row_ids, with_text=cells in ("words", "text"), coders=coders)
    frame = frame[frame["respondent"].isin(scope.rank)]
    frame = frame.assign(column=frame["document_id"].map(document_column))
    frame = frame[frame["column"].notna()]
    frame["column"] = frame["column"].astype("int64")

    # Which rows each code counts towards: itself, and with subtotals every ancestor among the rows.
    row_index = {c: i for i, c in enumerate(row_ids)}
    inclusive = np.eye(len(row_ids), dtype=np.int64)
    for i, c in enumerate(row_ids):
        for ancestor in tree.ancestors(c):
            if ancestor in row_index:
                inclusive[row_index[ancestor], i] = 1
    members = inclusive if subtotals else np.eye(len(row_ids), dtype=np.int64)
    frame["row"] = frame["code_id"].map(row_index).astype("int64")
    keys = [column.key for column in columns]
    expanded = _expand_to_rows(frame, inclusive)  # coverage always counts the whole subtree
    coverage = expanded.groupby("row")["respondent"].nunique().reindex(range(len(row_ids)), fill_value=0)
    coverage.index = row_ids
    result = Matrix(rows=rows, columns=columns, cells=cells, values=pd.DataFrame(), coverage=coverage,
                    scope=scope, by=by, language=language,
                    name=f"matrix-{slug('-'.join(tree[r].name for r in roots[:3]) or 'all')}")
    result.covered = int(frame["respondent"].nunique())

    if cells in ("count", "words", "presence"):
        weight = frame["text"].str.split().str.len().fillna(0).astype("int64") if cells == "words" else None
        direct = np.zeros((len(row_ids), len(columns)), dtype=np.int64)
        if not frame.empty:
            np.add.at(direct, (frame["row"].to_numpy(), frame["column"].to_numpy()),
                      1 if weight is None else weight.to_numpy())
        totals = members @ direct
        if cells == "presence":
            totals = (totals > 0).astype(np.int64)
        values = pd.DataFrame(totals, index=row_ids, columns=keys)
        result.values = values
        result.row_totals = values.sum(axis=1)
        if cells == "presence":
            result.column_totals = values.sum(axis=0)
        else:
            result.column_totals = pd.Series(direct.sum(axis=0), index=keys)
        result.grand_total = float(result.column_totals.sum()) if cells != "presence" else float(values.to_numpy().sum())
    elif cells == "respondents":
        source = expanded if subtotals else frame
        counts = source.groupby(["row", "column"])["respondent"].nunique()
        values = np.zeros((len(row_ids), len(columns)), dtype=np.int64)
        if len(counts):
            index = counts.index.to_frame().to_numpy()
            values[index[:, 0], index[:, 1]] = counts.to_numpy()
        result.values = pd.DataFrame(values, index=row_ids, columns=keys)
        result.row_totals = (expanded if subtotals else frame).groupby("row")["respondent"].nunique().reindex(
            range(len(row_ids)), fill_value=0).set_axis(row_ids)
        result.column_totals = frame.groupby("column")["respondent"].nunique().reindex(
            range(len(columns)), fill_value=0).set_axis(keys)
        result.grand_total = float(result.covered)
    elif cells == "text":
        text = frame.assign(passage=_passages(frame, by))
        grouped = text.groupby(["row", "column"], sort=False)["passage"].agg("\n\n".join)
        values = pd.DataFrame("", index=range(len(row_ids)), columns=range(len(columns)), dtype=object)
        for (row, column), passage in grouped.items():
            values.iat[row, column] = passage
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


def _expand_to_rows(frame: pd.DataFrame, members: np.ndarray) -> pd.DataFrame:
    """One line per distinct (row it counts towards, column, respondent) of the codings."""
    if frame.empty:
        return frame[["row", "column", "respondent"]]
    pairs = np.argwhere(members.T)  # (code row, counting row)
    lookup = pd.DataFrame({"row_of_code": pairs[:, 0], "counting": pairs[:, 1]})
    slim = frame[["row", "column", "respondent"]].drop_duplicates()
    merged = slim.merge(lookup, left_on="row", right_on="row_of_code")
    merged = merged[["counting", "column", "respondent"]].rename(columns={"counting": "row"})
    return merged.drop_duplicates()


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
