"""The only place with SQL: `Store` over one SQLite project file (sqlite-utils).

Open with `Store.open(path)` (`create=True` for a new project, `read_only=True` for readers);
`Store.memory()` for tests. Every user change runs in `Store.action()` and can be undone.
"""

from __future__ import annotations

from qualcode.store.codebooks import CodebooksMixin
from qualcode.store.codings import CodingsMixin
from qualcode.store.core import StoreCore
from qualcode.store.documents import DocumentsMixin, SegmentSpan, TurnSpan, content_hash
from qualcode.store.refi import RefiMixin
from qualcode.store.resolutions import ResolutionsMixin
from qualcode.store.safety import SafetyMixin
from qualcode.store.search import SearchIndexMixin, SuggestionsMixin
from qualcode.store.tables import TablesMixin
from qualcode.store.workbench import WorkbenchMixin


class Store(RefiMixin, SafetyMixin, WorkbenchMixin, SearchIndexMixin, SuggestionsMixin, ResolutionsMixin,
            TablesMixin, CodingsMixin, CodebooksMixin, DocumentsMixin, StoreCore):
    """A qualcode project."""


__all__ = ["Store", "TurnSpan", "SegmentSpan", "content_hash"]
