"""Writing a REFI-QDA project into a qualcode project, in one action.

Everything is prepared first (texts read, speaker turns and sentences found), then written in
ONE `store.action`: any failure rolls the whole import back and one undo removes it. Into an
existing project, documents are matched by GUID and content, codes by GUID and then by their
place in the tree, and a coding already there is not doubled.

What becomes what:
- TextSource (and a PDF's text representation, a media transcript) -> document; its original
  .docx/.pdf is kept as the document's original file.
- Code tree -> a codebook (the Sets an export of ours writes restore codebooks and frameworks;
  other codes go to a codebook named after the project); a note named "Finding..." on a code ->
  its finding sentence, other notes -> its memo.
- PlainTextSelection + Coding -> coding, the REFI user who made it -> the coder, the coding's
  notes (else the selection's description and notes) -> the coding memo.
- Case -> respondent, its variables -> attributes; without cases, the respondent comes from
  each source's file name (`respondent_from="filename"`) or is left empty (`"none"`).
- Notes on the project, sources and codes -> memos; notes referenced by nothing -> appended to
  the project memo. Links between codes -> theme/element links.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import InputError
from qualcode.io.refi.codetree import BookPlan, import_code_tree, plans_from_sets
from qualcode.io.refi.model import RefiProject, RefiSelection, RefiSource
from qualcode.io.refi.qde_read import read_qdpx
from qualcode.io.refi.report import ImportReport
from qualcode.io.turns import detect_turns, respondent_from_stem
from qualcode.store import SegmentSpan, TurnSpan, content_hash

RESPONDENT_FROM = ("filename", "none")
FINDING_NOTE = "finding"
"""A code's note whose name starts with this (any case) holds the code's finding sentence."""

ROUND_VARIABLES = ("round", "document round")
"""Names of the source variable that holds a document's Delphi round."""

ProgressCallback = Callable[[int, int, str], None]


@dataclass
class _Prepared:
    source: RefiSource
    respondent: str | None
    language: str
    turns: list[TurnSpan]
    segments: list[SegmentSpan]
    round: int | None = None


def import_qdpx(store, path: str | Path, *, respondent_from: str = "filename", language: str | None = None,
                skip_invalid: bool = False, progress: ProgressCallback | None = None) -> ImportReport:
    """Import a .qdpx into `store` (one action); returns what was imported and not kept.

    Raises InputError, leaving the project untouched, for an unsafe or unreadable file and
    (unless `skip_invalid`) for broken content such as a selection past the end of its text.
    """
    path = Path(path)
    project = read_qdpx(path, strict=not skip_invalid)
    return import_project(store, project, label=path.name, respondent_from=respondent_from, language=language,
                          progress=progress)


def import_project(store, project: RefiProject, *, label: str, respondent_from: str = "filename",
                   language: str | None = None, progress: ProgressCallback | None = None) -> ImportReport:
    """Write a read `RefiProject` into `store` in one action (see the module docstring)."""
    if respondent_from not in RESPONDENT_FROM:
        raise InputError(f"--respondent-from must be one of {', '.join(RESPONDENT_FROM)}, not {respondent_from!r}.")
    report = ImportReport(label, not_kept=list(project.not_kept), info=list(project.info))
    if project.problems:
        report.not_kept += [f"left out: {problem}" for problem in project.problems]
    prepared = _prepare(project, respondent_from, language, report, progress)
    respondents_before = {r.label for r in store.respondents()}
    with store.action(f"import {label}"):
        importer = _Importer(store, project, report)
        importer.codes()
        importer.documents(prepared, label)
        importer.cases()
        importer.codings()
        importer.memos()
        importer.links()
        store.note("refi", {"imported": label, "origin": project.origin, "added": report.added})
    report.add("respondents", len({r.label for r in store.respondents()} - respondents_before))
    return report


# ---------------------------------------------------------------------------- preparing
def _prepare(project: RefiProject, respondent_from: str, language: str | None, report: ImportReport,
             progress: ProgressCallback | None) -> list[_Prepared]:
    from qualcode import nlp

    case_of: dict[str, str] = {}
    for index, case in enumerate(project.cases, start=1):
        case.name = case.name or f"Case {index}"
        for source_guid in case.sources:
            if source_guid in case_of and case_of[source_guid] != case.name:
                report.info.append(f"a source is in the cases {case_of[source_guid]!r} and {case.name!r}; "
                                   f"its respondent is {case_of[source_guid]!r}.")
                continue
            case_of[source_guid] = case.name
    if project.cases:
        outside = sum(1 for source in project.sources if source.guid not in case_of)
        if outside:
            report.info.append(f"documents in no case, so without a respondent: {outside}")
    rounds = {guid for guid, variable in project.variables.items()
              if variable.name.strip().casefold() in ROUND_VARIABLES}
    prepared = []
    for done, source in enumerate(project.sources, start=1):
        respondent = case_of.get(source.guid)
        if respondent is None and respondent_from == "filename" and not project.cases:
            respondent = respondent_from_stem(source.name) or source.name
        turns = detect_turns(source.text)
        lang = language or nlp.guess_language(source.text)
        segments = nlp.segment(source.text, turns, lang) if source.text.strip() else []
        item = _Prepared(source, respondent, lang, turns, segments)
        for value in source.values:
            if value.variable in rounds and isinstance(value.value, int) and value.value > 0:
                item.round = value.value
        prepared.append(item)
        if progress is not None:
            progress(done, len(project.sources), source.name)
    return prepared


# ---------------------------------------------------------------------------- writing
class _Importer:
    def __init__(self, store, project: RefiProject, report: ImportReport) -> None:
        self.store = store
        self.project = project
        self.report = report
        self.code_ids: dict[str, int] = {}
        self.doc_ids: dict[str, int] = {}
        self.doc_respondent: dict[str, str | None] = {}
        self.used_notes: set[str] = set()
        self.existing_docs: set[int] = set()

    def skip(self, what: str) -> None:
        self.report.not_kept.append(what)

    # ------------------------------------------------------------------------ codes
    def codes(self) -> None:
        books, other_sets = plans_from_sets(self.project.sets, self.project.name)
        if other_sets:
            self.skip(f"sets (groups of codes, documents or notes): {other_sets}")
        self.code_ids = import_code_tree(self.store, self.project.codes, books, BookPlan(self.project.name),
                                         self.report)

    # ------------------------------------------------------------------------ documents
    def documents(self, prepared: list[_Prepared], label: str) -> None:
        store = self.store
        by_guid = {guid: doc_id for doc_id, guid in store.document_guids().items()}
        titles = {doc.title for doc in store.documents()}
        for item in prepared:
            source = item.source
            existing = by_guid.get(source.guid)
            if existing is not None and store.document(existing).content_hash == content_hash(source.text):
                self.doc_ids[source.guid] = existing
                self.existing_docs.add(existing)
                self.doc_respondent[source.guid] = store.document(existing).respondent
                self.report.match("documents")
                continue
            title = _unique(source.name, titles)
            if title != source.name:
                self.report.info.append(f"a document titled {source.name!r} exists already; this one is {title!r}.")
            original = source.original
            doc_id = store.add_document(
                title=title, text=source.text, format=source.original_format if original else "txt",
                language=item.language, respondent=item.respondent, source_name=label,
                source_hash=hashlib.sha256(original).hexdigest() if original else None, original=original,
                round=item.round, turns=item.turns, segments=item.segments,
                guid=None if existing is not None else source.guid)
            titles.add(title)
            self.doc_ids[source.guid] = doc_id
            self.doc_respondent[source.guid] = item.respondent
            self.report.document_ids.append(doc_id)
            self.report.add("documents")

    # ------------------------------------------------------------------------ respondents
    def cases(self) -> None:
        store, project = self.store, self.project
        known = store.attribute_types()
        case_set: dict[str, set[str]] = {}
        for case in project.cases:
            store.respondent_id(case.name)
            for value in case.values:
                variable = project.variables.get(value.variable)
                if variable is None:
                    self.skip(f"a value of an undeclared variable on case {case.name!r}")
                    continue
                self._attribute(case.name, variable.name, value.as_text(), variable.kind, known)
                case_set.setdefault(case.name, set()).add(variable.name)
            if case.description.strip():
                self.skip(f"the description of case {case.name!r}")
            if case.selections or case.codes:
                references = len(case.selections) + len(case.codes)
                self.skip(f"selection and code references of case {case.name!r}: {references}")
        unplaced = 0
        for source in project.sources:
            respondent = self.doc_respondent.get(source.guid)
            for value in source.values:
                variable = project.variables.get(value.variable)
                if variable is None or variable.name.strip().casefold() in ROUND_VARIABLES:
                    continue
                if respondent is None:
                    unplaced += 1
                elif variable.name not in case_set.get(respondent, set()):
                    self._attribute(respondent, variable.name, value.as_text(), variable.kind, known)
        if unplaced:
            self.skip(f"variable values of documents without a respondent: {unplaced}")

    def _attribute(self, label: str, name: str, value: str | None, kind: str, known: dict[str, str]) -> None:
        new = name not in known
        if new:
            known[name] = kind
        self.store.set_attribute(label, name, value, kind if new else None)
        self.report.add("attribute values")

    # ------------------------------------------------------------------------ codings
    def codings(self) -> None:
        store, project = self.store, self.project
        existing_guids = {c.guid for c in store.codings()}
        seen: set[tuple] = set()
        for doc_id in self.existing_docs:
            seen.update((c.document_id, c.code_id, c.start, c.end, c.coder) for c in store.codings(document_id=doc_id))
        fallback = project.user_name(project.creating_user) or store.user
        unknown_users = 0
        doubled = 0
        for source, selection, coding in project.codings():
            doc_id, code_id = self.doc_ids.get(source.guid), self.code_ids.get(coding.code)
            if doc_id is None or code_id is None:
                continue
            user = coding.user or selection.user
            coder = project.user_name(user)
            if coder is None and user is not None:
                unknown_users += 1
                coder = f"user {user[:8]}"
            coder = coder or fallback
            key = (doc_id, code_id, selection.start, selection.end, coder)
            self.used_notes.update(coding.note_refs)
            if key in seen:
                doubled += 1
                continue
            seen.add(key)
            guid = coding.guid if coding.guid and coding.guid not in existing_guids else None
            store.add_coding(doc_id, code_id, selection.start, selection.end, memo=self._coding_memo(selection, coding),
                             coder=coder, origin="refi", guid=guid, created_at=coding.created)
            if guid:
                existing_guids.add(guid)
            self.report.add("codings")
        for source in project.sources:
            for selection in source.selections:
                if not selection.codings and (selection.description.strip() or selection.note_refs):
                    self.skip(f"a comment on an uncoded selection in {source.name!r} ({selection.raw_start}-"
                              f"{selection.raw_end})")
                    self.used_notes.update(selection.note_refs)
        if doubled:
            self.report.match("codings", doubled)
        if unknown_users:
            self.report.info.append("codings by a user missing from the user list, their coder named 'user' and "
                                    f"the start of the user's GUID: {unknown_users}")

    def _coding_memo(self, selection: RefiSelection, coding) -> str | None:
        own = self._note_texts(coding.note_refs)
        if own:
            return own
        shared = [selection.description.strip()] if selection.description.strip() else []
        notes = self._note_texts(selection.note_refs)
        self.used_notes.update(selection.note_refs)
        return "\n\n".join(shared + ([notes] if notes else [])) or None

    # ------------------------------------------------------------------------ memos
    def memos(self) -> None:
        store, project = self.store, self.project
        for source in project.sources:
            doc_id = self.doc_ids.get(source.guid)
            parts = [source.description.strip()] if source.description.strip() else []
            notes = self._note_texts(source.note_refs)
            if doc_id is not None and (parts or notes):
                self._memo("document", doc_id, "\n\n".join(parts + ([notes] if notes else [])), source.note_refs)
        for code in project.iter_codes():
            code_id = self.code_ids.get(code.guid)
            if code_id is None or not code.note_refs:
                continue
            findings = [g for g in code.note_refs if g in project.notes
                        and project.notes[g].name.strip().casefold().startswith(FINDING_NOTE)]
            others = [g for g in code.note_refs if g not in findings]
            if findings:
                finding = project.notes[findings[0]].text.strip()
                current = (store.code(code_id).finding or "").strip()
                if not current:
                    store.update_code(code_id, finding=finding)
                elif current != finding:
                    others += findings  # the code has another finding: keep this one in its memo
                self.used_notes.update(findings)
            if self._note_texts(others):
                self._memo("code", code_id, self._note_texts(others), others)
        parts = [project.description.strip()] if project.description.strip() else []
        if self._note_texts(project.note_refs):
            parts.append(self._note_texts(project.note_refs))
        self.used_notes.update(project.note_refs)
        loose = [note for guid, note in project.notes.items() if guid not in self.used_notes and note.text.strip()]
        if loose:
            parts += [f"{note.name.strip()}\n{note.text}" if note.name.strip() else note.text for note in loose]
            self.report.info.append(f"notes attached to nothing, added to the project memo: {len(loose)}")
        if parts:
            self._memo("project", None, "\n\n".join(parts), project.note_refs)

    def _memo(self, target_type: str, target_id: int | None, text: str, refs: list[str]) -> None:
        self.used_notes.update(refs)
        notes = [self.project.notes[g] for g in refs if g in self.project.notes]
        author = next((self.project.user_name(n.user) for n in notes if self.project.user_name(n.user)), None)
        existing = self.store.memo(target_type, target_id)
        if existing is not None:
            if text.strip() in existing.text:
                self.report.match("memos")
                return
            text = f"{existing.text}\n\n{text}"
        self.store.write_memo(target_type, target_id, text, author=author,
                              created_at=next((n.created for n in notes if n.created), None),
                              modified_at=next((n.modified for n in notes if n.modified), None))
        self.report.add("memos")

    def _note_texts(self, refs: list[str]) -> str:
        notes = [self.project.notes[g] for g in refs if g in self.project.notes]
        if len(notes) == 1:
            return notes[0].text
        return "\n\n".join(f"{n.name.strip()}\n{n.text}" if n.name.strip() else n.text for n in notes)

    # ------------------------------------------------------------------------ links
    def links(self) -> None:
        other = 0
        for link in self.project.links:
            theme, element = self.code_ids.get(link.origin or ""), self.code_ids.get(link.target or "")
            if theme is None or element is None or theme == element:
                other += 1
                continue
            if (theme, element) not in set(self.store.code_links()):
                self.store.link_codes(theme, element)
                self.report.add("links")
        if other:
            self.skip(f"links between items other than two codes: {other}")


def _unique(title: str, titles: set[str]) -> str:
    candidate, number = title, 2
    while candidate in titles:
        candidate = f"{title} ({number})"
        number += 1
    return candidate

