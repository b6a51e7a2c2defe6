"""Plain dataclasses of the suggesters and the review queue."""

from __future__ import annotations

from dataclasses import dataclass

SOURCES = ("dictionary", "structural", "speaker")
STATUSES = ("pending", "accepted", "rejected")


@dataclass(frozen=True)
class Suggestion:
    """A coding proposed by a suggester, not yet in the review queue."""

    document_id: int
    code_id: int
    start: int
    end: int
    source: str  # dictionary | structural | speaker
    reason: str
    score: float


@dataclass(frozen=True)
class QueuedSuggestion:
    """A suggestion in the review queue, with its decision."""

    id: int
    document_id: int
    code_id: int
    start: int
    end: int
    source: str
    reason: str
    score: float
    status: str  # pending | accepted | rejected
    created_at: str
    decided_at: str | None
    coding_id: int | None
    suggested_start: int
    suggested_end: int


@dataclass(frozen=True)
class CodeScore:
    """How strongly a text points to a framework code, and the indicators that did it."""

    path: str  # framework path, e.g. five-es/emotions
    score: float
    matched: tuple[str, ...]
