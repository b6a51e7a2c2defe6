"""Plain dataclasses that cross the layer boundaries (store, io, cli, tui)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Respondent:
    id: int
    label: str
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Document:
    id: int
    title: str
    respondent_id: int | None
    respondent: str | None
    source_name: str | None
    source_hash: str | None
    content_hash: str
    language: str
    format: str
    imported_at: str
    round: int | None
    length: int


@dataclass(frozen=True)
class Turn:
    id: int
    document_id: int
    index: int
    speaker: str
    role: str  # "interviewer" | "respondent" | "other"
    start: int  # start of the speech, after label and timestamp
    end: int
    label_start: int  # start of the paragraph, where the label begins
    timestamp: str | None


@dataclass(frozen=True)
class Segment:
    id: int
    document_id: int
    index: int
    start: int
    end: int
    turn_id: int | None


@dataclass(frozen=True)
class Codebook:
    id: int
    name: str
    framework: str | None
    language: str | None


@dataclass(frozen=True)
class Code:
    id: int
    codebook_id: int
    parent_id: int | None
    name: str
    colour: str
    description: str
    key: str | None
    guid: str
    framework_path: str | None
    position: int
    finding: str | None


@dataclass(frozen=True)
class Coding:
    id: int
    document_id: int
    code_id: int
    start: int
    end: int
    coder: str
    created_at: str
    modified_at: str
    memo: str | None
    guid: str
    origin: str | None


@dataclass(frozen=True)
class Memo:
    id: int
    target_type: str  # "project" | "document" | "code"
    target_id: int | None
    text: str
    author: str
    modified_at: str


_NATURAL_PART = re.compile(r"(\d+)")


def natural_key(label: str) -> tuple:
    """Sort key that puts H2 before H10 and 'Asiantuntija 2' before 'Asiantuntija 10'."""
    parts = _NATURAL_PART.split(label.casefold())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p != "")
