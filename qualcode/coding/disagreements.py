"""Disagreement review: the sentence segments where coders differ on a code, and their resolution.

A unit is a (segment, code) pair in a document that every compared coder has coded at all; it is
a disagreement when some of them applied the code there and others did not. Resolving keeps one
coder's codings, both or neither; the codings removed and the decision form one undoable action,
and the decision is recorded so the unit is not offered again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from qualcode.coding.models import Coding
from qualcode.errors import ConflictError


@dataclass
class Disagreement:
    document_id: int
    document: str
    respondent: str | None
    code_id: int
    code: str
    start: int
    end: int
    text: str
    codings: dict[str, list[Coding]] = field(default_factory=dict)  # coder -> codings overlapping the unit

    def coders_with_code(self) -> list[str]:
        return [coder for coder, items in self.codings.items() if items]


def disagreements(store, coders: Sequence[str], *, code_ids: Sequence[int] | None = None) -> list[Disagreement]:
    """Every unresolved disagreement between `coders`, in document and text order."""
    if len(coders) < 2:
        raise ConflictError("Comparing needs at least two coders.")
    codings = store.codings(coders=list(coders))
    resolved = {(r["document_id"], r["code_id"], r["start"], r["end"]) for r in store.resolutions()}
    wanted = set(code_ids) if code_ids is not None else {c.code_id for c in codings}
    by_doc: dict[int, dict[str, list[Coding]]] = {}
    for coding in codings:
        by_doc.setdefault(coding.document_id, {}).setdefault(coding.coder, []).append(coding)
    order = {c.id: i for i, c in enumerate(store.codes())}
    result: list[Disagreement] = []
    for doc_id, per_coder in sorted(by_doc.items()):
        if any(coder not in per_coder for coder in coders):
            continue  # a coder who skipped the document is missing there, not disagreeing
        document = store.document(doc_id)
        text = store.document_text(doc_id)
        for segment in store.segments(doc_id):
            for code_id in sorted(wanted, key=lambda c: order.get(c, 0)):
                if (doc_id, code_id, segment.start, segment.end) in resolved:
                    continue
                overlapping = {coder: [c for c in per_coder[coder] if c.code_id == code_id
                                       and c.start < segment.end and segment.start < c.end] for coder in coders}
                present = {bool(items) for items in overlapping.values()}
                if len(present) == 2:
                    result.append(Disagreement(doc_id, document.title, document.respondent, code_id,
                                               " > ".join(store.code_path(code_id)), segment.start, segment.end,
                                               text[segment.start:segment.end], overlapping))
    return result


def resolve(store, item: Disagreement, keep: str) -> None:
    """Resolve a disagreement: `keep` is a coder's name, 'both' or 'neither'.

    Keeping one coder removes the other coders' codings of this code that overlap the unit.
    """
    coders = list(item.codings)
    if keep not in (*coders, "both", "neither"):
        raise ConflictError(f"Keep one of {', '.join(coders)}, 'both' or 'neither'.")
    with store.action(f"resolve disagreement on {item.code}"):
        if keep != "both":
            for coder, items in item.codings.items():
                if coder != keep:
                    for coding in items:
                        if _exists(store, coding.id):
                            store.delete_coding(coding.id)
        store.record_resolution(item.document_id, item.code_id, item.start, item.end, coders, keep)


def _exists(store, coding_id: int) -> bool:
    try:
        store.coding(coding_id)
    except Exception:
        return False
    return True
