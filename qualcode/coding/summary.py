"""The summary table (theme by respondent), the central deliverable of a thesis results chapter.

    ASIAKKAIDEN LIIKETOIMINNALLISET TAVOITTEET
    LIIKETOIMINNAN LAAJENTAMINEN   Toiminnan laajentaminen uusille markkinoille. (H1)
                                   Tuotevalikoiman laajentaminen. (H2)

For a code group NAME: the rows are its children (main themes), the lines under each are the
findings below them, and each finding is followed by the respondents whose coded passages
support it, from all codings, naturally sorted.

Which codes are findings: walking down from a main theme, a code is a finding when it has no
children or has a written finding sentence; its support is the codings on it and on everything
below it. A code in between (a sub-dimension such as TOIMINTA / TARVE) is a step of the path;
if passages were coded on it directly, it gets a line of its own so that no coded passage is
silently left out. A main theme without children is its own single finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from qualcode.coding.codetree import CodeTree
from qualcode.coding.models import Code
from qualcode.coding.scope import (RespondentScope, Where, ensure_period, resolve_code, respondent_scope,
                                   with_rank, words)
from qualcode.coding.table import Table, slug

EMPTY_CELL = "---"


@dataclass(frozen=True)
class Finding:
    code_id: int
    path: tuple[str, ...]
    """Names of the codes between the group code and the finding (both excluded)."""
    text: str
    """The code's finding sentence, or its name."""
    group: str = ""
    """The main theme's name (the row group)."""
    own_codings_only: bool = False
    """True for a code in the middle of the tree listed for the passages coded on it directly."""
    dimension: str | None = None
    """The sub-dimension (TOIMINTA / TARVE) the finding sits under, when the table is split."""


@dataclass
class SummaryRow:
    finding: Finding
    column: str | None
    column_id: int | None
    respondents: list[str]
    """Raw respondent labels, naturally sorted."""


@dataclass
class Summary:
    """A built summary: its findings and per (finding, column) the supporting respondents."""

    code: Code
    caption: str | None
    header: str
    groups: list[tuple[str, str | None]]
    """(main theme, sub-dimension or None) in codebook order, including groups with no support."""
    findings: list[Finding]
    columns: list[tuple[int, str]]
    """(code id, name) of the column codes; empty for the one-column table."""
    rows: list[SummaryRow]
    scope: RespondentScope
    split: bool = False
    empty: str = EMPTY_CELL
    capitals: bool = True
    period: bool = True
    show_uncoded: bool = False
    language: str = "en"
    unplaced: int = 0
    """Codings on the group code itself, which belong to no main theme and so to no line."""
    notes: list[str] = field(default_factory=list)

    def line(self, row: SummaryRow) -> str:
        """`Sesongit. (H3, H4, H6)`: the finding as a sentence and its respondents."""
        text = ensure_period(row.finding.text) if self.period else row.finding.text
        shown = [self.scope.display[label] for label in row.respondents]
        return f"{text} ({', '.join(shown)})" if shown else text

    def _upper(self, text: str | None) -> str | None:
        return text.upper() if (self.capitals and text is not None) else text

    def to_json(self) -> dict:
        """The machine-readable contract of `qualcode export summary --format json`."""
        return {
            "caption": self.caption,
            "header": self.header,
            "rows": [{"path": list(row.finding.path), "finding": row.finding.text, "column": row.column,
                      "respondents": [self.scope.display[label] for label in row.respondents]}
                     for row in self.rows],
        }

    def to_table(self) -> Table:
        w = words(self.language)
        lead = [w["theme"], w["dimension"]] if self.split else [w["theme"]]
        records: list[list[str | None]] = []
        if not self.columns:
            for group, dimension in self.groups:
                lines = [self.line(row) for row in self.rows
                         if (row.finding.group, row.finding.dimension) == (group, dimension)]
                for line in lines or [self.empty]:
                    records.append([self._upper(group), *([self._upper(dimension)] if self.split else []), line])
            heading = [*lead, w["finding"]]
        else:
            for group, dimension in self.groups:
                cells = []
                for column_id, _name in self.columns:
                    lines = [self.line(row) for row in self.rows if row.column_id == column_id
                             and (row.finding.group, row.finding.dimension)
                             == (group, dimension)]
                    cells.append("\n".join(lines) or self.empty)
                records.append([self._upper(group), *([self._upper(dimension)] if self.split else []), *cells])
            heading = [*lead, *[self._upper(name) for _id, name in self.columns]]
        frame = pd.DataFrame(records, columns=heading, dtype=object)
        return Table(frame=frame, name=f"summary-{slug(self.code.name)}", caption=self.caption,
                     header=self.header, group_columns=len(lead), index_columns=len(lead),
                     show_column_names=bool(self.columns), data=self.to_json(), notes=list(self.notes))


def summary(store, code: Code | int | str, *, columns: Code | int | str | None = None,
            caption: str | None = None, header: str | None = None, split: bool = False,
            empty: str = EMPTY_CELL, label_format: str = "{label}", where: Where | None = None,
            coders: Sequence[str] | None = None, capitals: bool = True, period: bool = True,
            show_uncoded: bool = False, language: str = "en") -> Summary:
    """Build the summary table of the code group `code` (a Code, id, name or ' > ' path).

    columns: a code whose children (POSITIIVINEN, NEGATIIVINEN) become columns; a cell holds the
        findings with a passage overlapping a passage of that column code in the same document.
    caption / header: the caption above the table and the header row (default: the group's name).
    split: rows grouped by main theme and its sub-dimension (TOIMINTA / TARVE children).
    empty: the text of an empty cell. label_format: respondent labels ('Asiantuntija {n}').
    where: only respondents with these attribute values ({'organisation_type': 'non-profit'}).
    coders: only codings by these coders. capitals: headers and groups in capitals.
    period: end each finding with a full stop. show_uncoded: list findings nobody supports.
    """
    tree = CodeTree.from_store(store)
    root = resolve_code(store, code)
    scope = respondent_scope(store, where=where, label_format=label_format)
    frame = with_rank(store, store.coding_frame(tree.subtree(root.id), coders=coders, slim=True), scope)
    directly_coded = set(frame["code_id"].unique().tolist())

    findings, owner, groups = _collect_findings(tree, root.id, split=split, directly_coded=directly_coded)
    column_codes: list[tuple[int, str]] = []
    if columns is not None:
        column_root = resolve_code(store, columns)
        column_codes = [(c, tree[c].name) for c in (tree.kids(column_root.id) or [column_root.id])]

    frame = frame.assign(finding=frame["code_id"].map(owner))
    unplaced = int(frame["finding"].isna().sum())
    frame = frame[frame["finding"].notna()]
    support: dict[tuple[int, int | None], list[str]] = {}
    if not column_codes:
        for (finding_index,), labels in _respondents_by(frame, ["finding"], scope).items():
            support[(finding_index, None)] = labels
    else:
        column_of: dict[int, int] = {}
        for column_id, _name in column_codes:
            for member in tree.subtree(column_id):
                column_of.setdefault(member, column_id)
        others = store.coding_frame(list(column_of), coders=coders, slim=True)
        others = others.assign(column=others["code_id"].map(column_of))
        pairs = _overlapping(frame, others)
        for (finding_index, column_id), labels in _respondents_by(pairs, ["finding", "column"], scope).items():
            support[(finding_index, column_id)] = labels

    rows: list[SummaryRow] = []
    for index, finding in enumerate(findings):
        for column_id, name in (column_codes or [(None, None)]):
            labels = support.get((index, column_id), [])
            if labels or (show_uncoded and column_id is None):
                rows.append(SummaryRow(finding, name, column_id, labels))
    shown_header = header if header is not None else root.name
    result = Summary(code=root, caption=caption, header=shown_header.upper() if capitals else shown_header,
                     groups=groups, findings=findings, columns=column_codes, rows=rows, scope=scope, split=split,
                     empty=empty, capitals=capitals, period=period, show_uncoded=show_uncoded, language=language,
                     unplaced=unplaced)
    return result


def summary_table(store, code: Code | int | str, **options) -> Table:
    """`summary(...)` ready for `write_table`; `table.data` is the JSON contract."""
    return summary(store, code, **options).to_table()


def _collect_findings(tree: CodeTree, root_id: int, *, split: bool, directly_coded: set[int]
                      ) -> tuple[list[Finding], dict[int, int], list[tuple[str, str | None]]]:
    """Findings in codebook order, which finding each code's codings support, and the row groups."""
    findings: list[Finding] = []
    owner: dict[int, int] = {}
    groups: list[tuple[str, str | None]] = []

    def is_finding(code_id: int) -> bool:
        return tree.is_leaf(code_id) or bool((tree[code_id].finding or "").strip())

    def text_of(code_id: int) -> str:
        return (tree[code_id].finding or "").strip() or tree[code_id].name

    def emit(code_id: int, between: tuple[str, ...], own_only: bool) -> None:
        owner_index = len(findings)
        group = between[0] if between else tree[code_id].name
        dimension = between[1] if split and len(between) > 1 else None
        findings.append(Finding(code_id, between, text_of(code_id), group, own_only, dimension))
        for member in ([code_id] if own_only else tree.subtree(code_id)):
            owner.setdefault(member, owner_index)

    def walk(code_id: int, between: tuple[str, ...]) -> None:
        if is_finding(code_id):
            emit(code_id, between, False)
            return
        if code_id in directly_coded:
            emit(code_id, between, True)
        for child in tree.kids(code_id):
            walk(child, (*between, tree[code_id].name))

    for main in (tree.kids(root_id) or [root_id]):
        name = tree[main].name
        if split and not is_finding(main):
            if main in directly_coded:
                emit(main, (), True)
                groups.append((name, None))
            for dimension in tree.kids(main):
                groups.append((name, tree[dimension].name))
                if is_finding(dimension):
                    # A sub-dimension without findings of its own yet: it is the finding.
                    findings.append(Finding(dimension, (name,), text_of(dimension), name, False,
                                            tree[dimension].name))
                    for member in tree.subtree(dimension):
                        owner.setdefault(member, len(findings) - 1)
                else:
                    walk(dimension, (name,))
        else:
            groups.append((name, None))
            walk(main, ())
    return findings, owner, groups


def _respondents_by(frame: pd.DataFrame, keys: list[str], scope: RespondentScope) -> dict[tuple, list[str]]:
    """For each key, its respondents naturally sorted (rank lookup, not a sort per group)."""
    if frame.empty:
        return {}
    slim = frame[[*keys, "rank"]].astype("int64").drop_duplicates().sort_values([*keys, "rank"])
    labels = np.array(scope.labels, dtype=object)
    result: dict[tuple, list[str]] = {}
    for key, ranks in slim.groupby(keys, sort=False)["rank"]:
        key = key if isinstance(key, tuple) else (key,)
        result[tuple(int(k) for k in key)] = labels[ranks.to_numpy()].tolist()
    return result


def _overlapping(findings: pd.DataFrame, others: pd.DataFrame) -> pd.DataFrame:
    """Finding codings paired with overlapping column codings in the same document."""
    left = findings[["document_id", "start", "end", "finding", "rank"]]
    right = others[["document_id", "start", "end", "column"]].rename(columns={"start": "o_start", "end": "o_end"})
    merged = left.merge(right, on="document_id")
    return merged[(merged["start"] < merged["o_end"]) & (merged["o_start"] < merged["end"])]
