"""What an import or export did: counts for stdout, and what could not be kept for stderr."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


def counted(number: int, plural: str) -> str:
    """`1 code`, `2 codes`."""
    return f"{number} {plural[:-1] if number == 1 and plural.endswith('s') else plural}"


@dataclass
class ImportReport:
    """What an import added, what it found already there, and what it could not keep."""

    source: str
    added: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    not_kept: list[str] = field(default_factory=list)
    info: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)

    def add(self, what: str, count: int = 1) -> None:
        self.added[what] = self.added.get(what, 0) + count

    def match(self, what: str, count: int = 1) -> None:
        self.matched[what] = self.matched.get(what, 0) + count

    def summary(self) -> str:
        kinds = ("documents", "codebooks", "codes", "codings", "respondents", "attribute values", "memos", "links")
        added = ", ".join(counted(self.added.get(k, 0), k) for k in kinds)
        line = f"Imported {self.source}: {added}."
        matched = ", ".join(counted(n, k) for k, n in self.matched.items() if n)
        return f"{line} Already in the project: {matched}." if matched else line


@dataclass
class ExportReport:
    """What an export wrote and what REFI-QDA has no place for."""

    path: Path | None = None
    counts: dict[str, int] = field(default_factory=dict)
    not_exported: list[str] = field(default_factory=list)

    def summary(self) -> str:
        kinds = ("documents", "codes", "codings", "cases", "variables", "notes", "users")
        listed = ", ".join(counted(self.counts.get(k, 0), k) for k in kinds)
        return f"Exported to {self.path.name if self.path else 'REFI-QDA'}: {listed}."
