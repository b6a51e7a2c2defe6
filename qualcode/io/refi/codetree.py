"""Code trees from REFI-QDA files into a project, shared by .qdpx and .qdc imports.

Our exports mark each codebook with a Set whose description starts with `CODEBOOK_MARKER`
and names its framework and language, so a re-import rebuilds the codebooks; codes of other
tools go to one codebook. Codes made from a framework get their framework paths and keys back
by matching labels against the shipped framework.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.io.refi.model import RefiCode, RefiSet
from qualcode.io.refi.report import ImportReport

CODEBOOK_MARKER = "qualcode codebook"
"""First line of the description of a Set that stands for one of our codebooks."""


@dataclass
class BookPlan:
    """The codebook that codes go to: its name, and its framework and language if any."""

    name: str
    framework: str | None = None
    language: str | None = None


def codebook_marker(framework: str | None, language: str | None) -> str:
    """The description of the Set that records a codebook."""
    lines = [CODEBOOK_MARKER] + ([f"framework: {framework}"] if framework else []) + \
        ([f"language: {language}"] if language else [])
    return "\n".join(lines)


def plans_from_sets(sets: list[RefiSet], default_name: str) -> tuple[dict[str, BookPlan], int]:
    """The codebook of each code a marker Set lists (by GUID), and how many other sets there are."""
    books: dict[str, BookPlan] = {}
    other = 0
    for item in sets:
        lines = item.description.strip().splitlines()
        if not lines or lines[0].strip().casefold() != CODEBOOK_MARKER:
            other += 1
            continue
        fields = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
        book = BookPlan(item.name.strip() or default_name, (fields.get("framework") or "").strip() or None,
                        (fields.get("language") or "").strip() or None)
        for guid in item.codes:
            books.setdefault(guid, book)
    return books, other


def import_code_tree(store, roots: list[RefiCode], books: dict[str, BookPlan], default: BookPlan,
                     report: ImportReport) -> dict[str, int]:
    """Add a REFI code tree to `store` (inside the caller's action); returns code ids by GUID.

    A root code goes to the codebook `books` names for it (else `default`), created when the
    project has none of that name. A code whose GUID the project has is that code; else one of
    the same name at the same place, unless that one was made by this import (two siblings of
    one name in the file: the second is renamed "name (2)").
    """
    current = store.codes()
    existing = {code.guid: code for code in current}
    siblings: dict[tuple[int, int | None], dict[str, int]] = {}
    keys: dict[int, set[str]] = {}
    for code in current:
        siblings.setdefault((code.codebook_id, code.parent_id), {})[code.name] = code.id
        if code.key:
            keys.setdefault(code.codebook_id, set()).add(code.key)
    book_ids = {book.name: book.id for book in store.codebooks()}
    created: set[int] = set()
    ids: dict[str, int] = {}
    stats = {"folders": 0, "uncoloured": 0, "renamed": 0}

    def book_id(book: BookPlan) -> int:
        if book.name not in book_ids:
            book_ids[book.name] = store.add_codebook(book.name, framework=book.framework, language=book.language)
            report.add("codebooks")
        return book_ids[book.name]

    def place(code: RefiCode, codebook: int, parent: int | None, framework: dict[str, tuple[str, str | None]]) -> None:
        here = siblings.setdefault((codebook, parent), {})
        name = code.name or "(unnamed code)"
        if code.guid in existing:
            ids[code.guid] = existing[code.guid].id
            codebook = existing[code.guid].codebook_id  # its children join it there
            report.match("codes")
        elif name in here and here[name] not in created:
            ids[code.guid] = here[name]
            report.match("codes")
        else:
            base, number = name, 2
            while name in here:
                name = f"{base} ({number})"
                number += 1
            stats["renamed"] += name != base
            stats["folders"] += not code.codable
            stats["uncoloured"] += code.colour is None
            path, key = framework.get(code.guid, (None, None))
            taken = keys.setdefault(codebook, set())
            key = key if key and key not in taken else None
            ids[code.guid] = store.add_code(name, codebook_id=codebook, parent_id=parent, colour=code.colour,
                                            description=code.description, guid=code.guid, framework_path=path,
                                            key=key)
            if key:
                taken.add(key)
            here[name] = ids[code.guid]
            created.add(ids[code.guid])
            report.add("codes")
        for child in code.children:
            place(child, codebook, ids[code.guid], framework)

    plans: dict[str, list[RefiCode]] = {}
    book_of: dict[str, BookPlan] = {}
    for root in roots:
        book = books.get(root.guid, default)
        plans.setdefault(book.name, []).append(root)
        book_of[book.name] = book
    for name, book_roots in plans.items():
        book = book_of[name]
        framework = framework_paths(book_roots, book.framework) if book.framework else {}
        codebook = book_id(book)
        for root in book_roots:
            place(root, codebook, None, framework)
    if stats["folders"]:
        report.info.append(f"code folders (not codable there), now ordinary codes: {stats['folders']}")
    if stats["uncoloured"]:
        report.info.append(f"codes without a colour, given one from the palette: {stats['uncoloured']}")
    if stats["renamed"]:
        report.info.append(f"codes named like a sibling, numbered as 'name (2)': {stats['renamed']}")
    return ids


def framework_paths(roots: list[RefiCode], name: str) -> dict[str, tuple[str, str | None]]:
    """Framework path and key for each code of a codebook made from framework `name`: codes are
    matched to the framework's by label (in any language), else by position among siblings when
    both have as many; a root that matches no top-level element is looked for anywhere (an
    exported subtree). Unknown frameworks give nothing."""
    try:
        from qualcode.frameworks import iter_codes, load_framework

        framework = load_framework(name)
    except Exception:  # a user's framework file that is not here, or a damaged one
        return {}
    found: dict[str, tuple[str, str | None]] = {}

    def match(codes: list[RefiCode], elements, anywhere=()) -> None:
        for index, code in enumerate(codes):
            element = next((e for e in elements if code.name in e.label.values()), None)
            if element is None and len(codes) == len(elements):
                element = elements[index]
            if element is None:
                element = next((e for e in anywhere if code.name in e.label.values()), None)
            if element is not None:
                found[code.guid] = (element.path, element.key)
                match(code.children, element.children)

    match(roots, framework.codes, list(iter_codes(framework)))
    return found
