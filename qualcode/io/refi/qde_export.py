"""Exporting a project as a REFI-QDA .qdpx that validates against Project.xsd.

`project.qde` holds, in the schema's order: Users (every coder and memo author), CodeBook (the
code trees of all codebooks, with colours, descriptions, memo and finding notes), Variables
(respondent attributes, typed; `round` for Delphi rounds of documents), Cases (respondents with
their attribute values and documents), Sources (each document's text as `sources/<guid>.txt`,
its original .docx beside it, codings as PlainTextSelections), Notes (project, document, code
and coding memos), Links (themes linked to framework elements) and Sets (one per codebook, so a
re-import restores codebooks and frameworks).

Offsets are code points into the exported UTF-8 text, end exclusive. Every GUID is stable:
documents, codes and codings carry their own; everything else gets a uuid5 of a stable key.
The same project therefore exports to the same bytes, twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from lxml import etree

from qualcode.coding.models import Code, Coding
from qualcode.io.refi.codetree import codebook_marker
from qualcode.io.refi.output import write_zip
from qualcode.io.refi.report import ExportReport
from qualcode.io.refi.xml import (
    PROJECT_NS,
    derived_guid,
    has_unsafe_chars,
    is_date,
    is_date_time,
    normal_guid,
    origin,
    serialise,
    xml_text,
)

EXCERPT_CHARS = 60
DOCUMENT_ROUND = "round"


def export_qdpx(store, path: str | Path, *, force: bool = False, name: str | None = None, names=None,
                allow_names: bool = False) -> ExportReport:
    """Write the project as a .qdpx at `path` (refusing to overwrite unless `force`).

    Like every export it goes through the leak guard: with a names list (`names`, or the one
    the project remembers) it refuses to write real names unless `allow_names`."""
    path = Path(path)
    entries, report = build_qdpx(store, name=name)
    _check_names(store, entries, names, allow_names)
    write_zip(path, entries, force=force)
    report.path = path
    return report


def _check_names(store, entries: dict[str, bytes], names, allow_names: bool) -> None:
    """The leak guard over the texts the archive holds (project.qde and the plain-text sources;
    an original .docx holds the same text as its source)."""
    from qualcode.privacy.leaks import guard_export

    texts = [data.decode("utf-8", "replace") for entry, data in entries.items() if entry.endswith((".qde", ".txt"))]
    guard_export(store, "\n".join(texts), names, allow_names=allow_names)


def build_qdpx(store, *, name: str | None = None) -> tuple[dict[str, bytes], ExportReport]:
    """The entries of the .qdpx: `project.qde` first, then `sources/...` in a fixed order."""
    builder = _Builder(store, name or (store.path.stem if store.path else "qualcode project"))
    qde = builder.build()
    entries = {"project.qde": qde}
    entries.update(sorted(builder.files.items()))
    return entries, builder.report


def _element(parent: etree._Element | None, tag: str, attrs: dict[str, str | None] | None = None,
             text: str | None = None) -> etree._Element:
    qualified = f"{{{PROJECT_NS}}}{tag}"
    if parent is None:
        element = etree.Element(qualified, nsmap={None: PROJECT_NS})
    else:
        element = etree.SubElement(parent, qualified)
    for key, value in (attrs or {}).items():
        if value is not None:
            element.set(key, xml_text(value))
    if text is not None:
        element.text = xml_text(text)
    return element


def guid_of(value: str, kind: str) -> str:
    """A stored GUID as REFI-QDA wants it (a derived one if the stored value is not a GUID)."""
    return normal_guid(value) or derived_guid(f"{kind}:{value}")


def excerpt(text: str) -> str:
    squashed = " ".join(text.split())
    return squashed if len(squashed) <= EXCERPT_CHARS else squashed[:EXCERPT_CHARS - 1].rstrip() + "…"


def variable_type(kind: str, values: Iterable[object]) -> str:
    """The REFI-QDA type for an attribute: its own when every value fits it, else Text."""
    present = [v for v in values if v is not None]
    if kind == "boolean":
        return "Boolean"
    if kind == "number" and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "Integer" if all(isinstance(v, int) for v in present) else "Float"
    if kind == "date" and all(is_date(str(v)) for v in present):
        return "Date"
    if kind == "date" and all(is_date_time(str(v)) for v in present):
        return "DateTime"
    return "Text"


def value_text(kind: str, value: object) -> str:
    if kind == "Boolean":
        return "true" if value is True or str(value).strip().lower() in ("1", "true", "yes") else "false"
    if kind == "Float":
        return format(Decimal(repr(float(value))), "f")
    return str(value)


class _Builder:
    def __init__(self, store, name: str) -> None:
        self.store = store
        self.name = name
        self.report = ExportReport()
        self.files: dict[str, bytes] = {}
        self.notes: list[tuple[str, str, str, str | None, str | None]] = []  # guid, name, text, author, modified
        self.users: set[str] = set()
        self.unsafe = 0

    def count(self, what: str, n: int = 1) -> None:
        self.report.counts[what] = self.report.counts.get(what, 0) + n

    def note(self, key: str, name: str, text: str, author: str | None, modified: str | None) -> str:
        guid = derived_guid(f"note:{key}")
        self.notes.append((guid, name, text, author, modified))
        if author:
            self.users.add(author)
        return guid

    def build(self) -> bytes:
        store = self.store
        self.codes = store.codes()
        self.code_guid = {c.id: guid_of(c.guid, "code") for c in self.codes}
        self.documents = store.documents()
        self.doc_guid = {doc_id: guid_of(g, "document") for doc_id, g in store.document_guids().items()}
        self.codings = store.codings()
        self.users.update(c.coder for c in self.codings)
        memos = store.memos()
        self.memo = {(m.target_type, m.target_id): m for m in memos}
        self.users.update(m.author for m in memos)

        root = self.el(None, "Project", {"name": self.name, "origin": origin()})
        codebook = self.codebook()
        variables, cases = self.variables_and_cases()
        sources = self.sources()
        project_memo = self.memo.get(("project", None))
        project_note = (self.note("project", "Project memo", project_memo.text, project_memo.author,
                                  project_memo.modified_at) if project_memo else None)
        users = sorted(self.users)
        if users:
            users_element = self.el(root, "Users")
            for user in users:
                self.el(users_element, "User", {"guid": self.user_guid(user), "name": user})
        self.count("users", len(users))
        for element in (codebook, variables, cases, sources):
            if element is not None:
                root.append(element)
        if self.notes:
            notes = self.el(root, "Notes")
            for guid, name, text, author, modified in self.notes:
                note = self.el(notes, "Note", {"guid": guid, "name": name,
                                                "creatingUser": self.user_guid(author) if author else None,
                                                "modifiedDateTime": modified if is_date_time(modified) else None})
                self.el(note, "PlainTextContent", text=text)
            self.count("notes", len(self.notes))
        self.links(root)
        self.sets(root)
        if project_note:
            self.el(root, "NoteRef", {"targetGUID": project_note})
        self.omissions()
        return serialise(root)

    def el(self, parent: etree._Element | None, tag: str, attrs: dict[str, str | None] | None = None,
           text: str | None = None) -> etree._Element:
        """An element; counts the names and texts XML cannot hold as they are."""
        values = [v for v in (attrs or {}).values() if v is not None] + ([text] if text is not None else [])
        self.unsafe += sum(has_unsafe_chars(v) for v in values)
        return _element(parent, tag, attrs, text)

    def user_guid(self, name: str) -> str:
        return derived_guid(f"user:{name}")

    # ------------------------------------------------------------------------ codes
    def codebook(self) -> etree._Element | None:
        if not self.codes:
            return None
        children: dict[int | None, list[Code]] = {}
        for code in self.codes:
            children.setdefault(code.parent_id, []).append(code)
        codebook = self.el(None, "CodeBook")
        codes = self.el(codebook, "Codes")

        def add(parent: etree._Element, code: Code) -> None:
            guid = self.code_guid[code.id]
            element = self.el(parent, "Code", {"guid": guid, "name": code.name, "isCodable": "true",
                                                "color": code.colour})
            if code.description:
                self.el(element, "Description", text=code.description)
            memo = self.memo.get(("code", code.id))
            if memo:
                ref = self.note(f"code:{guid}", f"Memo: {code.name}", memo.text, memo.author, memo.modified_at)
                self.el(element, "NoteRef", {"targetGUID": ref})
            if code.finding:
                ref = self.note(f"finding:{guid}", f"Finding: {code.name}", code.finding, None, None)
                self.el(element, "NoteRef", {"targetGUID": ref})
            for child in children.get(code.id, []):
                add(element, child)

        for code in children.get(None, []):
            add(codes, code)
        self.count("codes", len(self.codes))
        return codebook

    # ------------------------------------------------------------------------ respondents
    def variables_and_cases(self) -> tuple[etree._Element | None, etree._Element | None]:
        respondents = self.store.respondents()
        kinds = self.store.attribute_types()
        types = {name: variable_type(kind, [r.attributes.get(name) for r in respondents])
                 for name, kind in kinds.items()}
        for name, kind in sorted(kinds.items()):
            if kind in ("number", "date") and types[name] == "Text":
                self.report.not_exported.append(f"attribute {name!r} is exported as text: not all its values are "
                                                f"{'numbers' if kind == 'number' else 'dates'}")
        self.round_name = None
        if any(doc.round is not None for doc in self.documents):
            self.round_name = DOCUMENT_ROUND if DOCUMENT_ROUND not in kinds else "document round"
        variables = self.el(None, "Variables") if kinds or self.round_name else None
        for name in sorted(kinds):
            self.el(variables, "Variable", {"guid": derived_guid(f"variable:{name}"), "name": name,
                                             "typeOfVariable": types[name]})
        if self.round_name:
            self.el(variables, "Variable", {"guid": derived_guid("document-variable:round"), "name": self.round_name,
                                             "typeOfVariable": "Integer"})
        self.count("variables", len(kinds) + bool(self.round_name))
        if not respondents:
            return variables, None
        docs_of: dict[int, list[int]] = {}
        for doc in self.documents:
            if doc.respondent_id is not None:
                docs_of.setdefault(doc.respondent_id, []).append(doc.id)
        cases = self.el(None, "Cases")
        for respondent in respondents:
            case = self.el(cases, "Case", {"guid": derived_guid(f"case:{respondent.label}"), "name": respondent.label})
            for name in sorted(respondent.attributes):
                value = respondent.attributes[name]
                if value is None or name not in types:
                    continue
                holder = self.el(case, "VariableValue")
                self.el(holder, "VariableRef", {"targetGUID": derived_guid(f"variable:{name}")})
                self.el(holder, f"{types[name]}Value", text=value_text(types[name], value))
            for doc_id in docs_of.get(respondent.id, []):
                self.el(case, "SourceRef", {"targetGUID": self.doc_guid[doc_id]})
        self.count("cases", len(respondents))
        return variables, cases

    # ------------------------------------------------------------------------ sources
    def sources(self) -> etree._Element | None:
        if not self.documents:
            return None
        sources = self.el(None, "Sources")
        by_document: dict[int, list[Coding]] = {}
        for coding in self.codings:
            by_document.setdefault(coding.document_id, []).append(coding)
        order = {code.id: index for index, code in enumerate(self.codes)}
        other_originals = 0
        reformatted = sum(1 for doc in self.documents if doc.format not in ("txt", "docx"))
        for doc in self.documents:
            guid = self.doc_guid[doc.id]
            text = self.store.document_text(doc.id)
            self.files[f"sources/{guid}.txt"] = text.encode("utf-8")
            attrs = {"guid": guid, "name": doc.title, "plainTextPath": f"internal://{guid}.txt"}
            original = self.store.document_original(doc.id)
            if original and doc.format == "docx":
                original_guid = derived_guid(f"original:{guid}")
                self.files[f"sources/{original_guid}.docx"] = original
                attrs["richTextPath"] = f"internal://{original_guid}.docx"
            elif original:
                other_originals += 1
            source = self.el(sources, "TextSource", attrs)
            groups: dict[tuple[int, int], list[Coding]] = {}
            for coding in by_document.get(doc.id, []):
                groups.setdefault((coding.start, coding.end), []).append(coding)
            for (start, end), codings in sorted(groups.items()):
                codings.sort(key=lambda c: (order[c.code_id], c.coder))
                self.selection(source, guid, start, end, text, codings)
            memo = self.memo.get(("document", doc.id))
            if memo:
                ref = self.note(f"document:{guid}", f"Memo: {doc.title}", memo.text, memo.author, memo.modified_at)
                self.el(source, "NoteRef", {"targetGUID": ref})
            if doc.round is not None:
                holder = self.el(source, "VariableValue")
                self.el(holder, "VariableRef", {"targetGUID": derived_guid("document-variable:round")})
                self.el(holder, "IntegerValue", text=str(doc.round))
        self.count("documents", len(self.documents))
        if reformatted:
            self.report.not_exported.append("the format of documents that were not .txt or .docx (.md, .odt, "
                                            f".srt...), exported as plain text: {reformatted}")
        if other_originals:
            self.report.not_exported.append("original files that are not .docx (REFI-QDA carries styled text only "
                                            f"as .docx; their plain text is exported): {other_originals}")
        return sources

    def selection(self, source: etree._Element, doc_guid: str, start: int, end: int, text: str,
                  codings: list[Coding]) -> None:
        selected = text[start:end]
        element = self.el(source, "PlainTextSelection", {
            "guid": derived_guid(f"selection:{doc_guid}:{start}:{end}"), "name": excerpt(selected),
            "startPosition": str(start), "endPosition": str(end)})
        memos = {c.memo for c in codings}
        if len(memos) == 1 and next(iter(memos)):
            self.el(element, "Description", text=next(iter(memos)))
        for coding in codings:
            guid = guid_of(coding.guid, "coding")
            item = self.el(element, "Coding", {
                "guid": guid, "creatingUser": self.user_guid(coding.coder),
                "creationDateTime": coding.created_at if is_date_time(coding.created_at) else None})
            self.el(item, "CodeRef", {"targetGUID": self.code_guid[coding.code_id]})
            if coding.memo:
                ref = self.note(f"coding:{guid}", f"Memo on a coding of {excerpt(selected)}", coding.memo,
                                coding.coder, None)
                self.el(item, "NoteRef", {"targetGUID": ref})
        self.count("codings", len(codings))

    # ------------------------------------------------------------------------ links and sets
    def links(self, root: etree._Element) -> None:
        pairs = sorted((self.code_guid[theme], self.code_guid[element]) for theme, element in self.store.code_links())
        if not pairs:
            return
        links = self.el(root, "Links")
        for theme, element in pairs:
            self.el(links, "Link", {"guid": derived_guid(f"link:{theme}:{element}"), "name": "theme of element",
                                     "direction": "OneWay", "originGUID": theme, "targetGUID": element})

    def sets(self, root: etree._Element) -> None:
        books = [(book, [c for c in self.codes if c.codebook_id == book.id]) for book in self.store.codebooks()]
        books = [(book, codes) for book, codes in books if codes]
        if not books:
            return
        sets = self.el(root, "Sets")
        for book, codes in books:
            item = self.el(sets, "Set", {"guid": derived_guid(f"codebook:{book.name}"), "name": book.name})
            self.el(item, "Description", text=codebook_marker(book.framework, book.language))
            for code in codes:
                self.el(item, "MemberCode", {"targetGUID": self.code_guid[code.id]})

    def omissions(self) -> None:
        missing = self.report.not_exported
        keys = sum(1 for c in self.codes if c.key and not c.framework_path)
        if keys:
            missing.append(f"code shortcut keys (REFI-QDA has no place for them): {keys}")
        summaries = len(self.store.cell_summaries())
        if summaries:
            missing.append(f"matrix cell summaries: {summaries}")
        pending = len(self.store.suggestions(status="pending"))
        if pending:
            missing.append(f"pending suggestions (accept them first to export them as codings): {pending}")
        if self.documents:
            missing.append("speaker turns and sentences (found again from the text on import)")
        if self.unsafe:
            missing.append(f"control characters in names or memos (XML cannot hold them; written as U+FFFD): "
                           f"{self.unsafe}")
