"""Whose codings the workbench shows: every coder's, one coder's, or the differences between coders.

A *difference* is a disagreement unit of `qualcode.coding.disagreements`: a (sentence, code) pair
in a document every compared coder has coded, where some of them applied the code and others
did not, and which has not been resolved yet. The differences view shows the codings that make
up such units (each overlaps the sentence); codings all the coders agree on, and documents a
coder has not coded at all, show nothing. Pure Python, so the views are unit-testable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

from qualcode.coding.disagreements import disagreements, document_disagreements
from qualcode.coding.models import Coding

if TYPE_CHECKING:
    from qualcode.store import Store
    from qualcode.tui.model import DocumentModel

Unit = tuple[int, int, int, int]  # document id, code id, start, end


@dataclass(frozen=True)
class CoderView:
    """`coder` set: that coder's codings; `coders` set: the differences between them; neither: all."""

    coder: str | None = None
    coders: tuple[str, ...] = ()
    resolved: frozenset[Unit] = frozenset()

    @property
    def shows_all(self) -> bool:
        return self.coder is None and not self.coders

    @property
    def differences(self) -> bool:
        return len(self.coders) >= 2

    @property
    def label(self) -> str:
        if self.coder is not None:
            return f"{self.coder}'s codings"
        if self.differences:
            return f"differences {' × '.join(self.coders)}"
        return "all coders"

    def key(self) -> tuple[str | None, tuple[str, ...]]:
        """What identifies the view, whatever the resolutions at the moment it was made."""
        return self.coder, self.coders

    def with_resolutions(self, store: Store) -> CoderView:
        """The same view, knowing the units resolved so far (after a decision, undo or redo)."""
        if not self.differences:
            return self
        resolved = frozenset((r["document_id"], r["code_id"], r["start"], r["end"]) for r in store.resolutions())
        return CoderView(self.coder, self.coders, resolved)

    # ---------------------------------------------------------------- one document (the transcript)
    def select(self, model: DocumentModel) -> set[int] | None:
        """The ids of the open document's codings to show, or None for all."""
        if self.coder is not None:
            return {c.id for c in model.all_codings.values() if c.coder == self.coder}
        if not self.differences:
            return None
        return differing_ids(model.all_codings.values(), model.segments, self.coders, self.resolved,
                             model.document.id)

    # ---------------------------------------------------------------- the project (counts, retrieval)
    def project_ids(self, store: Store, code_ids: Sequence[int] | None = None) -> set[int] | None:
        """Ids of every coding in view in the project (of `code_ids`), or None for all."""
        if self.coder is not None:
            return {c.id for c in store.codings(code_ids=code_ids, coders=[self.coder])}
        if not self.differences:
            return None
        return {c.id for item in disagreements(store, list(self.coders), code_ids=code_ids)
                for items in item.codings.values() for c in items}

    def code_counts(self, store: Store) -> dict[int, int]:
        """Codings in view per code id, in the whole project."""
        if self.shows_all:
            return store.code_counts()
        if self.coder is not None:
            return dict(Counter(c.code_id for c in store.codings(coders=[self.coder])))
        shown = self.project_ids(store) or set()
        return dict(Counter(c.code_id for c in store.codings(coders=list(self.coders)) if c.id in shown))


def differing_ids(codings: Iterable[Coding], segments: Sequence, coders: Sequence[str],
                  resolved: Iterable[Unit] = (), document_id: int | None = None) -> set[int]:
    """Ids of one document's codings that take part in an unresolved disagreement unit."""
    per_coder: dict[str, list[Coding]] = {}
    for coding in sorted(codings, key=lambda c: (c.start, c.end, c.id)):
        if coding.coder in coders:
            per_coder.setdefault(coding.coder, []).append(coding)
    units = document_disagreements(per_coder, segments, coders, resolved=set(resolved), document_id=document_id)
    return {c.id for _, _, _, overlapping in units for items in overlapping.values() for c in items}


def views(coders: Sequence[str]) -> list[CoderView]:
    """The views to offer for the project's coders: all, each coder, the differences between all
    of them and, with three or more, between each pair."""
    result = [CoderView()]
    result += [CoderView(coder=name) for name in coders]
    if len(coders) >= 2:
        result.append(CoderView(coders=tuple(coders)))
    if len(coders) >= 3:
        result += [CoderView(coders=pair) for pair in combinations(coders, 2)]
    return result


def busiest_coders(store: Store, count: int = 2) -> list[str]:
    """The `count` coders with the most codings (ties by name)."""
    counts = Counter(c.coder for c in store.codings())
    return [name for name, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))][:count]
