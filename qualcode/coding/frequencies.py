"""Code frequencies (codings, documents, respondents, coverage, words per code) and the
codebook as a table (for an appendix)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from qualcode.coding.codetree import CodeTree
from qualcode.coding.models import Code
from qualcode.coding.scope import Where, coverage_text, resolve_codes, respondent_scope, words
from qualcode.coding.table import Table, slug


def frequencies_table(store, codes: Sequence[Code | int | str] | Code | int | str | None = None, *,
                      where: Where | None = None, coders: Sequence[str] | None = None, language: str = "en",
                      caption: str | None = None) -> Table:
    """Per code in codebook order: its own codings, codings with its subcodes, documents,
    respondents, coverage ("7 of 8 respondents") and words coded (subcodes included)."""
    tree = CodeTree.from_store(store)
    ids = tree.forest(resolve_codes(store, codes, tree))
    scope = respondent_scope(store, where=where)
    frame = store.coding_frame(ids, with_text=True, coders=coders)
    frame = frame[frame["respondent"].isin(scope.rank)]
    frame = frame.assign(words=frame["text"].str.split().str.len().fillna(0).astype("int64"))
    by_code = {int(code): group for code, group in frame.groupby("code_id")}
    w = words(language)
    records, data = [], []
    empty = frame.iloc[0:0]
    for code_id in ids:
        own = by_code.get(code_id, empty)
        members = [by_code[m] for m in tree.subtree(code_id) if m in by_code]
        subtree = pd.concat(members) if members else empty
        respondents = subtree["respondent"].nunique()
        record = [tree.path_text(code_id), len(own), len(subtree), subtree["document_id"].nunique(), respondents,
                  coverage_text(respondents, len(scope), language), int(subtree["words"].sum())]
        records.append(record)
        data.append({"path": tree.path_text(code_id), "codings": len(own), "with_subcodes": len(subtree),
                     "documents": int(record[3]), "respondents": int(respondents), "words": record[6]})
    columns = [w["code"], w["codings"], w["with subcodes"], w["documents"], w["respondents"], w["coverage"],
               w["words"]]
    table_frame = pd.DataFrame(records, columns=columns, dtype=object)
    depth0 = min((tree.depth(c) for c in ids), default=0)
    return Table(frame=table_frame, name="frequencies", caption=caption, row_labels=[tree[c].name for c in ids],
                 row_levels=[tree.depth(c) - depth0 for c in ids], row_colours=[tree[c].colour for c in ids],
                 data={"codes": data, "respondents": len(scope)})


def codebook_table(store, codebook: int | str | None = None, *, language: str = "en",
                   caption: str | None = None) -> Table:
    """The codebook (or every codebook) for an appendix: path, description, finding, colour,
    key, framework path and number of codings."""
    tree = CodeTree.from_store(store)
    books = {b.id: b for b in store.codebooks()}
    chosen = store.codebook(codebook).id if codebook is not None else None
    ids = [c for c in tree.codes if chosen is None or tree[c].codebook_id == chosen]
    counts = store.coding_frame(ids).groupby("code_id").size().to_dict() if ids else {}
    w = words(language)
    records = [[books[tree[c].codebook_id].name, tree.path_text(c), tree[c].description, tree[c].finding or "",
                tree[c].colour, tree[c].key or "", tree[c].framework_path or "", int(counts.get(c, 0))] for c in ids]
    frame = pd.DataFrame(records, columns=[w["codebook"], w["code"], w["description"], w["finding"], w["colour"],
                                           w["key"], w["framework"], w["codings"]], dtype=object)
    name = f"codebook-{slug(books[chosen].name)}" if chosen is not None else "codebook"
    data = {"codes": [dict(zip(["codebook", "path", "description", "finding", "colour", "key", "framework_path",
                                "codings"], record)) for record in records]}
    # The codebook column comes first so a multi-codebook table groups by it.
    table = Table(frame=frame, name=name, caption=caption, group_columns=1, index_columns=2, data=data,
                  row_colours=[tree[c].colour for c in ids], colour_column=1)
    return table
