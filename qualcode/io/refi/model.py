"""A REFI-QDA project as read from a .qdpx: plain dataclasses, no store.

`read_qdpx(path)` builds a `RefiProject`; `import_qdpx` writes one into a project, and team
merging can read coders' codings from it directly. All GUIDs are normalised (lowercase, no
braces). Selection offsets are already moved onto the text as qualcode stores it (`text`):
`text[selection.start:selection.end]` is what the other tool selected; `raw_start`/`raw_end`
are the offsets as the file gave them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

VARIABLE_KINDS = {"Text": "text", "Boolean": "boolean", "Integer": "number", "Float": "number", "Date": "date",
                  "DateTime": "date"}
"""REFI-QDA variable types and the qualcode attribute type each becomes."""


@dataclass
class RefiUser:
    guid: str
    name: str


@dataclass
class RefiCode:
    guid: str
    name: str
    codable: bool = True
    colour: str | None = None
    description: str = ""
    note_refs: list[str] = field(default_factory=list)
    children: list[RefiCode] = field(default_factory=list)
    parent: str | None = None


@dataclass
class RefiVariable:
    guid: str
    name: str
    type: str  # Text | Boolean | Integer | Float | Date | DateTime
    description: str = ""

    @property
    def kind(self) -> str:
        """The qualcode attribute type: text, number, date or boolean."""
        return VARIABLE_KINDS.get(self.type, "text")


@dataclass
class RefiValue:
    variable: str  # GUID of a RefiVariable
    value: Any  # str, bool, int, float (None when the element was empty)
    type: str  # the value element: Text, Boolean, Integer, Float, Date, DateTime

    def as_text(self) -> str | None:
        """The value as qualcode stores an attribute value."""
        if self.value is None:
            return None
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)


@dataclass
class RefiCase:
    guid: str
    name: str
    description: str = ""
    values: list[RefiValue] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    selections: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


@dataclass
class RefiCoding:
    guid: str
    code: str  # GUID of a RefiCode
    user: str | None = None  # GUID of a RefiUser
    created: str | None = None
    note_refs: list[str] = field(default_factory=list)


@dataclass
class RefiSelection:
    guid: str
    start: int
    end: int
    raw_start: int
    raw_end: int
    name: str | None = None
    description: str = ""
    codings: list[RefiCoding] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    user: str | None = None
    created: str | None = None


@dataclass
class RefiSource:
    """A text that can become a document: a TextSource, a PDF's text representation, or a
    media transcript."""

    guid: str
    name: str
    kind: str  # text | pdf | transcript
    text: str
    original: bytes | None = None
    original_format: str | None = None  # docx, pdf ...
    selections: list[RefiSelection] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    values: list[RefiValue] = field(default_factory=list)
    description: str = ""
    user: str | None = None
    created: str | None = None
    reading: str = "as stored"
    """Which text the tool's offsets were taken to count (see `qualcode.io.refi.text`)."""

    def coded_text(self, selection: RefiSelection) -> str:
        return self.text[selection.start:selection.end]


@dataclass
class RefiNote:
    guid: str
    name: str
    text: str
    user: str | None = None
    created: str | None = None
    modified: str | None = None


@dataclass
class RefiSet:
    guid: str
    name: str
    description: str = ""
    codes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class RefiLink:
    guid: str
    origin: str | None
    target: str | None
    name: str = ""
    direction: str | None = None


@dataclass
class RefiProject:
    name: str
    origin: str = ""
    creating_user: str | None = None
    users: dict[str, RefiUser] = field(default_factory=dict)
    codes: list[RefiCode] = field(default_factory=list)
    variables: dict[str, RefiVariable] = field(default_factory=dict)
    cases: list[RefiCase] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    notes: dict[str, RefiNote] = field(default_factory=dict)
    links: list[RefiLink] = field(default_factory=list)
    sets: list[RefiSet] = field(default_factory=list)
    description: str = ""
    note_refs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Broken content (a selection past the end of its text, a coding of a missing code). With
    `strict` reading these raise InputError; otherwise the broken items are left out and listed."""
    not_kept: list[str] = field(default_factory=list)
    """What the file holds that qualcode cannot hold (pictures, audio, PDF areas, graphs...)."""
    info: list[str] = field(default_factory=list)
    """How things were read where a choice was made (offsets, text taken from a .docx...)."""

    def iter_codes(self) -> Iterator[RefiCode]:
        """Every code depth-first, parents before children."""
        stack = list(reversed(self.codes))
        while stack:
            code = stack.pop()
            yield code
            stack.extend(reversed(code.children))

    def code_by_guid(self) -> dict[str, RefiCode]:
        return {code.guid: code for code in self.iter_codes()}

    def user_name(self, guid: str | None) -> str | None:
        if guid is None:
            return None
        user = self.users.get(guid)
        return user.name if user else None

    def codings(self) -> Iterator[tuple[RefiSource, RefiSelection, RefiCoding]]:
        """Every text coding with its source and selection."""
        for source in self.sources:
            for selection in source.selections:
                for coding in selection.codings:
                    yield source, selection, coding
