"""Source texts of another tool, and its selection offsets moved onto the text qualcode stores.

qualcode stores text NFC-normalised with `\\n` line endings and no byte-order mark (as
`qualcode import` does), but another tool's offsets count code points of the text *as it stored
it*: a CRLF is two code points there, one here. `OffsetMap` carries every offset across: a
selection keeps exactly the characters it covered, minus what normalising removed.

Which text the offsets count is decided per source. The default is the file as stored, without
its BOM (the BOM is an encoding mark, not text). When the selections' names quote the text they
select (ATLAS.ti and others do), the reading under which those quotes match best wins: the file
with its BOM counted, or with CRLF counted as one character (a tool that read its own file in
text mode on Windows).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

_LINE_BREAKS = frozenset("\u2028\u2029\x0b\x0c\x85")
_SQUASH = re.compile(r"\s+")
_NOT_A_QUOTE = re.compile(
    r"(?i)^(?:line|quotation|quote|segment|selection|coding|zitat|sitaatti)?[\s:#_-]*[\d\s:.,_-]*$")
"""Selection names that number rather than quote (`line:6`, `Quotation 6:1`)."""


def needs_normalising(raw: str) -> bool:
    return (raw.startswith("\ufeff") or "\r" in raw or any(c in raw for c in _LINE_BREAKS)
            or (not raw.isascii() and not unicodedata.is_normalized("NFC", raw)))


class OffsetMap:
    """The normalised text of `raw`, and where each raw offset lands in it.

    A start offset inside something normalising merged (the `\\n` of a CRLF, a combining accent)
    moves back to where the merged piece starts; an end offset moves forward to where it ends,
    so a selection never loses a character it touched.
    """

    def __init__(self, raw: str) -> None:
        self.raw_length = len(raw)
        if not needs_normalising(raw):
            self.text = raw
            self._floor = self._ceil = None
            return
        size = len(raw) + 1
        floor = array("q", bytes(8 * size))
        ceil = array("q", bytes(8 * size))
        pieces: list[str] = []
        position = 0
        i = 0
        if raw.startswith("\ufeff"):
            i = 1  # raw 0 and 1 both land on 0
        n = len(raw)
        while i < n:
            c = raw[i]
            if c == "\r" and i + 1 < n and raw[i + 1] == "\n":
                j, piece = i + 2, "\n"
            elif c == "\r" or c in _LINE_BREAKS:
                j, piece = i + 1, "\n"
            else:
                j = i + 1
                while j < n and unicodedata.combining(raw[j]):
                    j += 1
                piece = raw[i:j] if c.isascii() and j == i + 1 else unicodedata.normalize("NFC", raw[i:j])
            if len(piece) == j - i:
                for k in range(i, j):
                    floor[k] = ceil[k] = position + (k - i)
            else:
                floor[i] = ceil[i] = position
                for k in range(i + 1, j):
                    floor[k] = position
                    ceil[k] = position + len(piece)
            pieces.append(piece)
            position += len(piece)
            i = j
        floor[n] = ceil[n] = position
        self.text = "".join(pieces)
        self._floor, self._ceil = floor, ceil

    def start(self, offset: int) -> int:
        return offset if self._floor is None else self._floor[offset]

    def end(self, offset: int) -> int:
        return offset if self._ceil is None else self._ceil[offset]


@dataclass
class Reading:
    """One candidate for the text a tool's offsets count."""

    label: str
    raw: str


def readings(decoded: str, had_bom: bool) -> list[Reading]:
    """The candidate readings of a decoded file; the first is the default."""
    options = [Reading("as stored", decoded)]
    if had_bom:
        options.append(Reading("with the byte-order mark counted", "\ufeff" + decoded))
    if "\r\n" in decoded:
        options.append(Reading("with CRLF line endings counted as one character", decoded.replace("\r\n", "\n")))
    return options


def quote_matches(raw: str, selections: Sequence[tuple[int, int, str | None]], limit: int = 300) -> int:
    """How many selections whose name quotes text select text that starts like the quote."""
    matches = 0
    for start, end, name in selections[:limit]:
        if not name or _NOT_A_QUOTE.match(name) or not (0 <= start < end <= len(raw)):
            continue
        quote = _SQUASH.sub(" ", name).strip().rstrip(".…").strip()
        if len(quote) < 4:
            continue
        selected = _SQUASH.sub(" ", raw[start:end]).strip()
        size = min(len(quote), len(selected), 40)
        if size >= 4 and quote[:size] == selected[:size]:
            matches += 1
    return matches


def choose_reading(options: Sequence[Reading], selections: Sequence[tuple[int, int, str | None]]) -> Reading:
    """The reading under which most quoting selection names match; the default on a tie."""
    if len(options) == 1 or not selections:
        return options[0]
    scores = [quote_matches(option.raw, selections) for option in options]
    best = max(range(len(options)), key=lambda i: (scores[i], -i))
    return options[best] if scores[best] > scores[0] else options[0]


def docx_paragraph_texts(data: bytes, name: str) -> list[str]:
    """The paragraphs (and table cells) of a .docx, as they are, in document order."""
    from qualcode.io.office import read_docx

    blocks, _warnings = read_docx(data, name)
    return [text for text, _heading in blocks]


def docx_readings(paragraphs: Sequence[str]) -> list[Reading]:
    """Candidate plain texts of a .docx: one paragraph per line (the usual plain-text
    representation, and the default), or paragraphs separated by blank lines."""
    return [Reading("one paragraph per line", "\n".join(paragraphs)),
            Reading("paragraphs separated by blank lines", "\n\n".join(p for p in paragraphs if p.strip()))]
