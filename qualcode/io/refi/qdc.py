"""REFI-QDA codebooks (.qdc): a code tree alone, valid against Codebook.xsd.

Out: a project's codes (all, one codebook, or one code's subtree) or a shipped framework, with
names, colours and descriptions; a Set per codebook records its name and framework so that
importing the file back restores them. In: the tree into a codebook of the project, codes
matched by GUID and by place as for a .qdpx (`qualcode.io.refi.codetree.import_code_tree`).
A .qdc has no place for memos, findings or shortcut keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from qualcode.errors import InputError
from qualcode.io.refi.codetree import BookPlan, codebook_marker, import_code_tree, plans_from_sets
from qualcode.io.refi.model import RefiCode, RefiSet
from qualcode.io.refi.output import write_file
from qualcode.io.refi.qde_export import guid_of
from qualcode.io.refi.report import ImportReport
from qualcode.io.refi.xml import (
    CODEBOOK_NS,
    child_text,
    children,
    derived_guid,
    local,
    normal_guid,
    origin,
    parse_xml,
    ref_targets,
    rgb,
    serialise,
    xml_text,
)

MAX_QDC_BYTES = 64 * 1024 * 1024


@dataclass
class QdcCode:
    """One code of a codebook to write."""

    guid: str
    name: str
    colour: str | None = None
    description: str = ""
    children: list[QdcCode] = field(default_factory=list)


@dataclass
class QdcBook:
    """A group of root codes written as a Set: a codebook's name and framework."""

    name: str
    codes: list[QdcCode]
    framework: str | None = None
    language: str | None = None


# ---------------------------------------------------------------------------- writing
def qdc_bytes(books: list[QdcBook]) -> bytes:
    """The .qdc XML for these codebooks (their root codes in order, one Set each)."""
    roots = [code for book in books for code in book.codes]
    if not roots:
        raise InputError("There are no codes to export; a .qdc codebook needs at least one code.")

    def element(parent, tag, attrs=None, text=None):
        node = etree.SubElement(parent, f"{{{CODEBOOK_NS}}}{tag}")
        for key, value in (attrs or {}).items():
            if value is not None:
                node.set(key, xml_text(value))
        if text is not None:
            node.text = xml_text(text)
        return node

    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", origin())
    codes = element(root, "Codes")

    def add(parent, code: QdcCode) -> None:
        node = element(parent, "Code", {"guid": code.guid, "name": code.name, "isCodable": "true",
                                        "color": code.colour})
        if code.description:
            element(node, "Description", text=code.description)
        for sub in code.children:
            add(node, sub)

    for code in roots:
        add(codes, code)
    sets = element(root, "Sets")
    for book in books:
        item = element(sets, "Set", {"guid": derived_guid(f"codebook:{book.name}"), "name": book.name})
        element(item, "Description", text=codebook_marker(book.framework, book.language))
        stack = list(book.codes)
        while stack:
            code = stack.pop(0)
            element(item, "MemberCode", {"guid": code.guid})
            stack[0:0] = code.children
    return serialise(root)


def books_from_store(store, *, code: str | None = None, codebook: str | None = None) -> list[QdcBook]:
    """The project's codebooks as QdcBooks: all, one codebook (`codebook`), or the subtree of
    one code (`code`: a name, 'A > B' path or framework path)."""
    all_codes = store.codes()
    children: dict[int | None, list] = {}
    for item in all_codes:
        children.setdefault(item.parent_id, []).append(item)

    def convert(item) -> QdcCode:
        return QdcCode(guid_of(item.guid, "code"), item.name, item.colour, item.description,
                       [convert(sub) for sub in children.get(item.id, [])])

    if code is not None:
        found = store.find_code(code)
        book = store.codebook(found.codebook_id)
        return [QdcBook(book.name, [convert(found)], book.framework, book.language)]
    books = [store.codebook(codebook)] if codebook is not None else store.codebooks()
    return [QdcBook(book.name, [convert(c) for c in children.get(None, []) if c.codebook_id == book.id],
                    book.framework, book.language) for book in books]


def book_from_framework(name_or_path: str, language: str = "en") -> QdcBook:
    """A framework as a codebook: labels in `language`, the codebook entry (definition, when to
    use and not) and indicator words as the description, GUIDs derived from the code paths."""
    from qualcode.frameworks import load_framework
    from qualcode.frameworks.project import code_description

    framework = load_framework(name_or_path)

    def convert(item) -> QdcCode:
        description = code_description(item, language)
        words = item.indicators.get(language) or item.indicators.get("en") or []
        if words:
            description = f"{description}\nIndicators: {', '.join(words)}".strip()
        name = item.label.get(language) or item.label.get("en") or item.id
        return QdcCode(derived_guid(f"framework:{item.path}"), name, item.colour, description,
                       [convert(sub) for sub in item.children])

    title = framework.title.get(language) or framework.title.get("en") or framework.name
    return QdcBook(title, [convert(item) for item in framework.codes], framework.name, language)


def count_codes(books: list[QdcBook]) -> int:
    def count(codes: list[QdcCode]) -> int:
        return sum(1 + count(c.children) for c in codes)

    return sum(count(book.codes) for book in books)


def export_qdc(store, path: str | Path, *, code: str | None = None, codebook: str | None = None,
               force: bool = False) -> int:
    """Write the project's codes (or one codebook, or one code's subtree) as a .qdc; returns
    the number of codes written."""
    books = [book for book in books_from_store(store, code=code, codebook=codebook) if book.codes]
    write_file(Path(path), qdc_bytes(books), force=force)
    return count_codes(books)


def export_framework_qdc(name_or_path: str, path: str | Path, *, language: str = "en", force: bool = False) -> int:
    """Write a shipped framework (or a framework YAML file) as a .qdc; returns the number of codes."""
    book = book_from_framework(name_or_path, language)
    write_file(Path(path), qdc_bytes([book]), force=force)
    return count_codes([book])


# ---------------------------------------------------------------------------- reading
def read_qdc(path: str | Path) -> tuple[list[RefiCode], list[RefiSet]]:
    """The code tree and sets of a .qdc file (untrusted XML, parsed safely)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file; check the path.")
    if path.stat().st_size > MAX_QDC_BYTES:
        raise InputError(f"{path.name} is larger than {MAX_QDC_BYTES // (1024 * 1024)} MB; no codebook is that "
                         "large, so it was refused.")
    data = path.read_bytes()
    if data.startswith(b"PK"):
        raise InputError(f"{path.name} is a zip archive, not a .qdc codebook (a .qdpx project?); import it with "
                         "`qualcode import-qdpx`.")
    root = parse_xml(data, path.name)
    if local(root) != "CodeBook":
        raise InputError(f"{path.name} is not a REFI-QDA codebook: its root element is <{local(root)}>, not "
                         "<CodeBook>.")
    codes_element = next(children(root, "Codes"), None)
    seen: set[str] = set()

    def code(element, parent: str | None) -> RefiCode:
        guid = normal_guid(element.get("guid"))
        if guid is None or guid in seen:
            guid = derived_guid(f"qdc:{path.name}:{parent}:{element.get('name')}:{len(seen)}")
        seen.add(guid)
        item = RefiCode(guid, (element.get("name") or "").strip(),
                        (element.get("isCodable") or "true").strip().lower() not in ("false", "0"),
                        rgb(element.get("color")), child_text(element, "Description") or "", parent=parent)
        item.children = [code(sub, guid) for sub in children(element, "Code")]
        return item

    roots = [code(c, None) for c in children(codes_element, "Code")] if codes_element is not None else []
    sets = []
    for sets_element in children(root, "Sets"):
        for item in children(sets_element, "Set"):
            sets.append(RefiSet(normal_guid(item.get("guid")) or "", item.get("name") or "",
                                child_text(item, "Description") or "", ref_targets(item, "MemberCode")))
    if not roots:
        raise InputError(f"{path.name} holds no codes.")
    return roots, sets


def import_qdc(store, path: str | Path, *, codebook: str | None = None) -> ImportReport:
    """Add a .qdc codebook's codes to the project in one action: into the codebooks its Sets
    name (ours), else into `codebook` (default: the file's name)."""
    path = Path(path)
    roots, sets = read_qdc(path)
    report = ImportReport(path.name)
    books, other_sets = plans_from_sets(sets, path.stem) if codebook is None else ({}, len(sets))
    if other_sets:
        report.not_kept.append(f"sets (groups of codes): {other_sets}")
    with store.action(f"import codebook {path.name}"):
        import_code_tree(store, roots, books, BookPlan(codebook or path.stem), report)
    return report
