"""Disagreement review: the sentence segments where coders differ on a code, and their resolution.

A unit is a (segment, code) pair in a document that every compared coder has coded at all; it is
a disagreement when some of them applied the code there and others did not. Resolving keeps one
coder's codings, both or neither; the codings removed and the decision form one undoable action,
and the decision is recorded so the unit is not offered again.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from qualcode.coding.models import Coding, Segment
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
    by_doc: dict[int, dict[str, list[Coding]]] = {}
    for coding in codings:
        by_doc.setdefault(coding.document_id, {}).setdefault(coding.coder, []).append(coding)
    order = {c.id: i for i, c in enumerate(store.codes())}
    result: list[Disagreement] = []
    for doc_id, per_coder in sorted(by_doc.items()):
        if any(coder not in per_coder for coder in coders):
            continue  # a coder who skipped the document is missing there, not disagreeing
        units = document_disagreements(per_coder, store.segments(doc_id), coders, code_ids=code_ids,
                                       resolved=resolved, document_id=doc_id, code_order=order)
        if not units:
            continue
        document = store.document(doc_id)
        text = store.document_text(doc_id)
        for start, end, code_id, overlapping in units:
            result.append(Disagreement(doc_id, document.title, document.respondent, code_id,
                                       " > ".join(store.code_path(code_id)), start, end, text[start:end],
                                       overlapping))
    return result


def document_disagreements(per_coder: Mapping[str, Sequence[Coding]], segments: Sequence[Segment],
                           coders: Sequence[str], *, code_ids: Collection[int] | None = None,
                           resolved: Collection[tuple[int, int, int, int]] = (), document_id: int | None = None,
                           code_order: Mapping[int, int] | None = None,
                           ) -> list[tuple[int, int, int, dict[str, list[Coding]]]]:
    """The disagreement units of one document as (start, end, code id, coder -> codings overlapping
    the unit), in text order then codebook order: a (sentence, code) pair that some of `coders`
    coded and others did not. Only units some coding touches are looked at, so this takes time
    in proportion to the codings, not to sentences times codes. `resolved` holds
    (document_id, code_id, start, end) of units already decided; a coder with no codings in
    `per_coder` makes the document missing for that coder (nothing is returned)."""
    if any(not per_coder.get(coder) for coder in coders):
        return []
    ordered = sorted(segments, key=lambda s: s.start)
    starts = [s.start for s in ordered]
    ends = [s.end for s in ordered]
    wanted = set(code_ids) if code_ids is not None else None
    units: dict[tuple[int, int], dict[str, list[Coding]]] = {}
    for coder in coders:
        for coding in per_coder[coder]:
            if wanted is not None and coding.code_id not in wanted:
                continue
            index = bisect_right(ends, coding.start)  # the first sentence ending after the coding starts
            while index < len(ordered) and starts[index] < coding.end:
                if ends[index] > coding.start:
                    found = units.setdefault((index, coding.code_id), {name: [] for name in coders})
                    found[coder].append(coding)
                index += 1
    order = code_order or {}
    result = []
    for (index, code_id), overlapping in sorted(units.items(), key=lambda item: (item[0][0],
                                                                                  order.get(item[0][1], 0))):
        segment = ordered[index]
        if (document_id, code_id, segment.start, segment.end) in resolved:
            continue
        if not all(overlapping.values()):
            result.append((segment.start, segment.end, code_id, overlapping))
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
