"""Code co-occurrence (code x code): how often two codes meet in the same passage.

mode 'overlap': pairs of codings of the two codes whose spans overlap in the same document;
the diagonal holds each code's number of codings.
mode 'segment': sentence segments touched by codings of both codes; the diagonal holds the
number of segments touched by the code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from qualcode.coding.codetree import CodeTree
from qualcode.coding.models import Code
from qualcode.coding.scope import Where, resolve_codes, respondent_scope, words
from qualcode.coding.table import Table, slug

MODES = ("overlap", "segment")


def short_labels(tree: CodeTree, code_ids: Sequence[int]) -> list[str]:
    """Each code's name, or 'Parent > Name' where the name alone would repeat."""
    names = Counter(tree[c].name for c in code_ids)
    return [tree[c].name if names[tree[c].name] == 1 else " > ".join(tree.path(c)[-2:]) for c in code_ids]


def cooccurrence(store, codes: Sequence[Code | int | str] | Code | int | str | None = None, *,
                 mode: str = "overlap", where: Where | None = None, coders: Sequence[str] | None = None,
                 include_uncoded: bool = False) -> tuple[list[int], np.ndarray]:
    """The codes (ids, codebook order; only coded ones unless `include_uncoded`) and the
    symmetric matrix of their co-occurrences."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    tree = CodeTree.from_store(store)
    ids = tree.forest(resolve_codes(store, codes, tree))
    scope = respondent_scope(store, where=where)
    frame = store.coding_frame(ids, coders=coders)
    frame = frame[frame["respondent"].isin(scope.rank)]
    coded = set(frame["code_id"].unique().tolist())
    ids = [c for c in ids if include_uncoded or c in coded]
    position = {c: i for i, c in enumerate(ids)}
    matrix = np.zeros((len(ids), len(ids)), dtype=np.int64)
    if frame.empty:
        return ids, matrix
    if mode == "overlap":
        for code_id, count in frame["code_id"].value_counts().items():
            matrix[position[code_id], position[code_id]] = count
        for _doc, group in frame.groupby("document_id", sort=False):
            starts = group["start"].to_numpy()
            ends = group["end"].to_numpy()
            code_ids = group["code_id"].to_numpy()
            order = np.argsort(starts, kind="stable")
            starts, ends, code_ids = starts[order], ends[order], code_ids[order]
            for i in range(len(starts)):
                j = i + 1
                while j < len(starts) and starts[j] < ends[i]:
                    if code_ids[j] != code_ids[i]:
                        a, b = position[code_ids[i]], position[code_ids[j]]
                        matrix[a, b] += 1
                        matrix[b, a] += 1
                    j += 1
    else:
        segments = store.segment_frame(sorted(frame["document_id"].unique().tolist()))
        merged = frame[["document_id", "start", "end", "code_id"]].merge(
            segments.rename(columns={"id": "segment", "start": "s_start", "end": "s_end"}), on="document_id")
        touching = merged[(merged["start"] < merged["s_end"]) & (merged["s_start"] < merged["end"])]
        for _segment, members in touching.groupby("segment")["code_id"]:
            present = sorted({position[c] for c in members})
            for a in present:
                matrix[a, a] += 1
                for b in present:
                    if a < b:
                        matrix[a, b] += 1
                        matrix[b, a] += 1
    return ids, matrix


def cooccurrence_table(store, codes=None, *, caption: str | None = None, language: str = "en",
                       **options) -> Table:
    """`cooccurrence(...)` as a table: rows and columns the codes."""
    tree = CodeTree.from_store(store)
    ids, matrix = cooccurrence(store, codes, **options)
    labels = short_labels(tree, ids)
    frame = pd.DataFrame(matrix, columns=labels).astype(object)
    frame.insert(0, words(language)["code"], [tree.path_text(c) for c in ids])
    for column in frame.columns[1:]:
        frame[column] = [int(v) for v in frame[column]]
    heat = pd.DataFrame(matrix.astype(float), index=labels, columns=labels)
    roots = resolve_codes(store, codes, tree) if codes is not None else []
    name = "cooccurrence" + (f"-{slug(tree[roots[0]].name)}" if roots else "")
    return Table(frame=frame, name=name, caption=caption, row_labels=[tree[c].name for c in ids],
                 row_levels=[0] * len(ids), row_colours=[tree[c].colour for c in ids], heat=heat,
                 data={"mode": options.get("mode", "overlap"), "codes": [tree.path_text(c) for c in ids],
                       "cells": matrix.tolist()})
