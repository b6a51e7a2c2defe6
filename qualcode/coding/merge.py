"""Merging a coded copy of a project (or a .qdpx coded elsewhere) into a target project.

Documents are matched by content hash, codes by GUID and then by codebook and path, codings by
GUID and then by span, code and coder: merging twice changes nothing the second time. The whole
merge is one action, so a failure leaves the target as it was and one undo takes it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qualcode.store import SegmentSpan, Store, TurnSpan


@dataclass
class MergeReport:
    added: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def count(self, kind: str, what: str) -> None:
        bucket = self.added if kind == "added" else self.matched
        bucket[what] = bucket.get(what, 0) + 1

    def lines(self) -> list[str]:
        kinds = ("documents", "codebooks", "codes", "codings", "memos", "attributes")
        lines = [f"added    {', '.join(f'{self.added.get(k, 0)} {k}' for k in kinds)}",
                 f"matched  {', '.join(f'{self.matched.get(k, 0)} {k}' for k in kinds)}"]
        lines += [f"skipped  {reason}" for reason in self.skipped]
        return lines


def merge_project(target: Store, source: Store, *, label: str = "source") -> MergeReport:
    """Bring everything of `source` that `target` lacks into `target`, in one action."""
    report = MergeReport()
    with target.action(f"merge {label}"):
        documents = _merge_documents(target, source, report)
        codes = _merge_codes(target, source, report)
        _merge_codings(target, source, documents, codes, report)
        _merge_memos(target, source, documents, codes, report)
        _merge_attributes(target, source, report)
    return report


def _merge_documents(target: Store, source: Store, report: MergeReport) -> dict[int, int]:
    by_hash = {doc.content_hash: doc.id for doc in target.documents()}
    titles = {doc.title for doc in target.documents()}
    mapping: dict[int, int] = {}
    for doc in source.documents():
        if doc.content_hash in by_hash:
            mapping[doc.id] = by_hash[doc.content_hash]
            report.count("matched", "documents")
            continue
        title = doc.title
        while title in titles:
            title = f"{title} ({label_suffix(source)})"
        turns = source.turns(doc.id)
        index_of = {t.id: t.index for t in turns}
        new_id = target.add_document(
            title=title, text=source.document_text(doc.id), format=doc.format, language=doc.language,
            respondent=doc.respondent, source_name=doc.source_name, source_hash=doc.source_hash,
            original=source.document_original(doc.id), round=doc.round,
            turns=[TurnSpan(t.speaker, t.role, t.start, t.end, t.label_start, t.timestamp) for t in turns],
            segments=[SegmentSpan(s.start, s.end, index_of.get(s.turn_id)) for s in source.segments(doc.id)])
        titles.add(title)
        by_hash[doc.content_hash] = new_id
        mapping[doc.id] = new_id
        report.count("added", "documents")
    return mapping


def label_suffix(source: Store) -> str:
    return source.path.stem if source.path else "merged"


def _merge_codes(target: Store, source: Store, report: MergeReport) -> dict[int, int]:
    book_map: dict[int, int] = {}
    target_books = {b.name: b.id for b in target.codebooks()}
    for book in source.codebooks():
        if book.name in target_books:
            book_map[book.id] = target_books[book.name]
            report.count("matched", "codebooks")
        else:
            book_map[book.id] = target.add_codebook(book.name, framework=book.framework, language=book.language)
            target_books[book.name] = book_map[book.id]
            report.count("added", "codebooks")
    target_codes = target.codes()
    by_guid = {c.guid: c.id for c in target_codes}
    by_path = {(c.codebook_id, tuple(target.code_path(c.id))): c.id for c in target_codes}
    mapping: dict[int, int] = {}
    for code in source.codes():  # parents come before children
        path = tuple(source.code_path(code.id))
        matched = by_guid.get(code.guid) or by_path.get((book_map[code.codebook_id], path))
        if matched:
            mapping[code.id] = matched
            report.count("matched", "codes")
            continue
        parent = mapping.get(code.parent_id) if code.parent_id else None
        guid = code.guid if code.guid not in by_guid else None
        new_id = target.add_code(code.name, codebook_id=book_map[code.codebook_id], parent_id=parent,
                                 colour=code.colour, description=code.description, key=code.key,
                                 framework_path=code.framework_path, finding=code.finding, guid=guid)
        mapping[code.id] = new_id
        by_path[(book_map[code.codebook_id], path)] = new_id
        report.count("added", "codes")
    return mapping


def _merge_codings(target: Store, source: Store, documents: dict[int, int], codes: dict[int, int],
                   report: MergeReport) -> None:
    existing = {c.guid for c in target.codings()}
    spans = {(c.document_id, c.code_id, c.start, c.end, c.coder) for c in target.codings()}
    for coding in source.codings():
        key = (documents[coding.document_id], codes[coding.code_id], coding.start, coding.end, coding.coder)
        if coding.guid in existing or key in spans:
            report.count("matched", "codings")
            continue
        target.add_coding(*key[:4], coder=coding.coder, memo=coding.memo, origin=coding.origin,
                          guid=coding.guid, created_at=coding.created_at)
        spans.add(key)
        existing.add(coding.guid)
        report.count("added", "codings")


def _merge_memos(target: Store, source: Store, documents: dict[int, int], codes: dict[int, int],
                 report: MergeReport) -> None:
    for memo in source.memos():
        if memo.target_type == "document":
            target_id = documents.get(memo.target_id)
        elif memo.target_type == "code":
            target_id = codes.get(memo.target_id)
        else:
            target_id = None
        current = target.memo(memo.target_type, target_id)
        if current is None:
            target.set_memo(memo.target_type, target_id, memo.text)
            report.count("added", "memos")
        elif current.text.strip() == memo.text.strip():
            report.count("matched", "memos")
        else:
            report.skipped.append(f"{memo.target_type} memo by {memo.author}: differs from the target's; kept the target's")


def _merge_attributes(target: Store, source: Store, report: MergeReport) -> None:
    types = source.attribute_types()
    current = {r.label: r.attributes for r in target.respondents()}
    for respondent in source.respondents():
        mine = current.get(respondent.label, {})
        for name, value in respondent.attributes.items():
            if name not in mine or mine[name] is None:
                target.set_attribute(respondent.label, name, value, types.get(name))
                report.count("added", "attributes")
            elif str(mine[name]) == str(value):
                report.count("matched", "attributes")
            else:
                report.skipped.append(f"attribute {name} of {respondent.label}: {value!r} differs from "
                                      f"the target's {mine[name]!r}; kept the target's")
