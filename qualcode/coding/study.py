"""The whole set of tables of a study, as `qualcode export all` (and the TUI) regenerate it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qualcode.coding.codetree import CodeTree
from qualcode.coding.comparison import comparison_table
from qualcode.coding.cooccurrence import cooccurrence_table
from qualcode.coding.frequencies import codebook_table, frequencies_table
from qualcode.coding.matrix import matrix_table
from qualcode.coding.quotes import quotes_table
from qualcode.coding.scope import default_language
from qualcode.coding.summary import summary_table
from qualcode.coding.table import Table, slug
from qualcode.errors import ConflictError


@dataclass(frozen=True)
class PlannedTable:
    name: str
    """File-name stem, unique within the study."""
    kind: str
    """summary, matrix, quotes, frequencies, cooccurrence, codebook or comparison."""
    build: Callable[[], Table]


def study_tables(store, *, language: str | None = None) -> list[PlannedTable]:
    """Every table of the study, in a fixed order: a summary per top-level code of each
    codebook, then per codebook its matrix and quotes, the framework comparison of each framework
    codebook that themes are linked to, and the code frequencies, co-occurrence and codebook."""
    language = language or default_language(store)
    tree = CodeTree.from_store(store)
    books = store.codebooks()
    plan: list[PlannedTable] = []
    used: set[str] = set()

    def add(name: str, kind: str, build: Callable[[], Table]) -> None:
        unique, number = name, 2
        while unique in used:
            unique, number = f"{name}-{number}", number + 1
        used.add(unique)
        plan.append(PlannedTable(unique, kind, build))

    for book in books:
        for root in tree.roots(book.id):
            add(f"summary-{slug(tree[root].name)}", "summary",
                lambda root=root: summary_table(store, root, language=language))
    linked_elements = {element for _theme, element in store.code_links()}
    for book in books:
        roots = tree.roots(book.id)
        if not roots:
            continue
        add(f"matrix-{slug(book.name)}", "matrix", lambda roots=roots: matrix_table(store, roots, language=language))
        add(f"quotes-{slug(book.name)}", "quotes", lambda roots=roots: quotes_table(store, roots, language=language))
        if book.framework and any(tree[e].codebook_id == book.id for e in linked_elements if e in tree.codes):
            add(f"comparison-{slug(book.name)}", "comparison",
                lambda book=book: comparison_table(store, book.id, language=language))
    add("frequencies", "frequencies", lambda: frequencies_table(store, language=language))
    add("cooccurrence", "cooccurrence", lambda: cooccurrence_table(store, language=language))
    add("codebook", "codebook", lambda: codebook_table(store, language=language))
    for item in plan:
        _rename(item)
    return plan


def _rename(item: PlannedTable) -> None:
    """Make the built table carry the planned (unique) file name."""
    build = item.build

    def named() -> Table:
        table = build()
        table.name = item.name
        return table

    object.__setattr__(item, "build", named)


# ---------------------------------------------------------------- one table on demand

TABLE_KINDS = ("summary", "matrix", "quotes", "cooccurrence", "frequencies", "codebook")
"""The tables `build_table` makes (the TUI's export dialog); `comparison` needs a framework."""
NEEDS_CODE = ("summary", "quotes")
"""Kinds that are about one code group; the others default to every code."""


def build_table(store, kind: str, code: int | str | Sequence[int | str] | None = None, *, by: str = "respondent",
                cells: str = "count", language: str | None = None, caption: str | None = None) -> Table:
    """One table of the study, as `qualcode export KIND` builds it with its default options.

    code: the code group (required for summary and quotes); for matrix, co-occurrence and
        frequencies the tree(s) under it (a list for several), default every code; ignored for
        the codebook.
    by / cells: the matrix's columns and cell contents (see `code_matrix`).
    """
    language = language or default_language(store)
    if kind not in TABLE_KINDS:
        raise ConflictError(f"Unknown table {kind!r}; choose one of {', '.join(TABLE_KINDS)}.")
    if kind in NEEDS_CODE and (code is None or (isinstance(code, Sequence) and not isinstance(code, str))):
        raise ConflictError(f"A {kind} table is about one code group: choose the code first.")
    if kind == "summary":
        return summary_table(store, code, caption=caption, language=language)
    if kind == "matrix":
        return matrix_table(store, code, by=by, cells=cells, caption=caption, language=language)
    if kind == "quotes":
        return quotes_table(store, code, caption=caption, language=language)
    if kind == "cooccurrence":
        return cooccurrence_table(store, code, caption=caption, language=language)
    if kind == "frequencies":
        return frequencies_table(store, code, caption=caption, language=language)
    return codebook_table(store, None, caption=caption, language=language)
