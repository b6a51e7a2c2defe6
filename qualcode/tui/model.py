"""The open document as the workbench sees it: text, lines, turns, sentences and codings, with
the arithmetic between character offsets and (row, column) locations and the cursor moves.

Pure Python (no Textual), so every move and every span is unit-testable and fast: the
transcript widget asks this model what to draw and where the cursor goes.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from qualcode.coding.models import Coding, Document, Segment, Turn

# str.splitlines() (which Textual's document uses) breaks lines at these besides "\n".
_OTHER_LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_WHITESPACE = re.compile(r"\s+")


def display_text(text: str) -> str:
    """The stored text with every line break other than "\\n" turned into a space: the same
    length, so offsets into it are offsets into the stored text."""
    return _OTHER_LINE_BREAKS.sub(" ", text)


@dataclass(frozen=True)
class Piece:
    """A stretch of one line, in columns, with the codings covering it (innermost first)."""

    start: int
    end: int
    coding_ids: tuple[int, ...]


@dataclass(frozen=True)
class TurnPiece:
    """A stretch of one line inside a turn: its speaker label or its speech."""

    start: int
    end: int
    role: str
    label: bool


class CodingView(Protocol):
    """Which of a document's codings are shown (a coder's, the differences between coders)."""

    def select(self, model: DocumentModel) -> set[int] | None:
        """The ids of the codings to show, or None for all of them."""


class DocumentModel:
    """One document's text and codings, indexed by line for drawing and by offset for moving.

    `all_codings` holds every coding of the document; `codings` (and everything drawn, counted
    and acted on) only those the view shows. Progress counts every coding: it measures how much
    of the interview has been coded, whoever's codings are on screen."""

    def __init__(self, document: Document, text: str, turns: Iterable[Turn], segments: Iterable[Segment],
                 codings: Iterable[Coding], view: CodingView | None = None) -> None:
        self.document = document
        self.text = text
        self.display_text = display_text(text)
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", self.display_text))]
        self.turns = sorted(turns, key=lambda t: t.label_start)
        self._turn_label_starts = [t.label_start for t in self.turns]
        self._turn_by_id = {t.id: t for t in self.turns}
        self.segments = sorted(segments, key=lambda s: s.start)
        self._segment_starts = [s.start for s in self.segments]
        self._segment_ends = [s.end for s in self.segments]
        self.codings: dict[int, Coding] = {}
        self.all_codings: dict[int, Coding] = {c.id: c for c in codings}
        self.view = view
        self._by_line: dict[int, list[int]] = {}
        self.counts: Counter[int] = Counter()
        self._coverage: list[tuple[int, int]] | None = None
        self._all_coverage: list[tuple[int, int]] | None = None
        shown = self._shown_ids()
        for coding in self.all_codings.values():
            if shown is None or coding.id in shown:
                self._index(coding)

    # ---------------------------------------------------------------- offsets and locations
    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_range(self, row: int) -> tuple[int, int]:
        """Offsets of the line's first character and of its end (before the newline)."""
        start = self.line_starts[row]
        end = self.line_starts[row + 1] - 1 if row + 1 < len(self.line_starts) else len(self.text)
        return start, end

    def location(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        row = bisect_right(self.line_starts, offset) - 1
        return row, offset - self.line_starts[row]

    def offset(self, location: tuple[int, int]) -> int:
        row, column = location
        row = max(0, min(row, len(self.line_starts) - 1))
        start, end = self.line_range(row)
        return start + max(0, min(column, end - start))

    def rows_of(self, start: int, end: int) -> range:
        """The rows a span [start, end) touches."""
        first = self.location(start)[0]
        last = self.location(max(start, end - 1))[0]
        return range(first, last + 1)

    # ---------------------------------------------------------------- codings
    def _index(self, coding: Coding) -> range:
        self.codings[coding.id] = coding
        self.counts[coding.code_id] += 1
        rows = self.rows_of(coding.start, coding.end)
        for row in rows:
            self._by_line.setdefault(row, []).append(coding.id)
        self._coverage = None
        return rows

    def _unindex(self, coding_id: int) -> range:
        coding = self.codings.pop(coding_id, None)
        if coding is None:
            return range(0)
        self.counts[coding.code_id] -= 1
        if not self.counts[coding.code_id]:
            del self.counts[coding.code_id]
        rows = self.rows_of(coding.start, coding.end)
        for row in rows:
            ids = self._by_line.get(row, [])
            if coding_id in ids:
                ids.remove(coding_id)
        self._coverage = None
        return rows

    def _shown_ids(self) -> set[int] | None:
        return self.view.select(self) if self.view is not None else None

    def _sync(self, changed: set[int]) -> set[int]:
        """Index exactly the codings the view shows, re-indexing `changed`; returns the rows to redraw."""
        self._all_coverage = None
        shown = self._shown_ids()
        if shown is None:
            shown = self.all_codings.keys()  # a view of the keys: no copy per keystroke
        rows: set[int] = set()
        for coding_id in list(self.codings):
            if coding_id not in shown or coding_id in changed or coding_id not in self.all_codings:
                rows |= set(self._unindex(coding_id))
        for coding_id in shown:
            if coding_id not in self.codings and coding_id in self.all_codings:
                rows |= set(self._index(self.all_codings[coding_id]))
        return rows

    def add_coding(self, coding: Coding) -> set[int]:
        """Add (or replace) a coding; returns the rows whose drawing changes (none when the view
        hides it)."""
        self.all_codings[coding.id] = coding
        return self._sync({coding.id})

    def remove_coding(self, coding_id: int) -> set[int]:
        self.all_codings.pop(coding_id, None)
        return self._sync({coding_id})

    def replace_codings(self, codings: Iterable[Coding]) -> set[int]:
        """Make the codings exactly `codings` (after undo or redo); returns the changed rows."""
        new = {c.id: c for c in codings}
        changed = {i for i, c in self.all_codings.items() if new.get(i) != c} | (set(new) - set(self.all_codings))
        self.all_codings = new
        return self._sync(changed)

    def set_view(self, view: CodingView | None) -> set[int]:
        """Show the codings `view` selects (None: all); returns the rows to redraw."""
        self.view = view
        return self._sync(set())

    @property
    def hidden_count(self) -> int:
        """Codings of the document the view does not show."""
        return len(self.all_codings) - len(self.codings)

    def codings_on_row(self, row: int) -> list[Coding]:
        return [self.codings[i] for i in self._by_line.get(row, ())]

    def codings_at(self, offset: int) -> list[Coding]:
        """Codings containing the offset (or ending just before it), innermost first."""
        row = self.location(offset)[0]
        found = [c for c in self.codings_on_row(row) if c.start <= offset < c.end]
        if not found and offset > 0:
            found = [c for c in self.codings_on_row(self.location(offset - 1)[0]) if c.end == offset]
        return sorted(found, key=lambda c: (c.end - c.start, c.id))

    def codings_touching(self, start: int, end: int) -> list[Coding]:
        """Codings overlapping [start, end): exact matches first, then by overlap, innermost first."""
        if start >= end:
            return self.codings_at(start)
        seen: dict[int, Coding] = {}
        for row in self.rows_of(start, end):
            for coding in self.codings_on_row(row):
                if coding.start < end and coding.end > start:
                    seen[coding.id] = coding

        def rank(c: Coding) -> tuple:
            overlap = min(c.end, end) - max(c.start, start)
            return ((c.start, c.end) != (start, end), -overlap, c.end - c.start, c.id)

        return sorted(seen.values(), key=rank)

    def pieces(self, row: int) -> list[Piece]:
        """The coded stretches of a line, split wherever the set of covering codings changes."""
        line_start, line_end = self.line_range(row)
        codings = self.codings_on_row(row)
        if not codings:
            return []
        spans = [(max(c.start, line_start) - line_start, min(c.end, line_end) - line_start, c) for c in codings]
        bounds = sorted({s for s, _, _ in spans} | {e for _, e, _ in spans})
        result: list[Piece] = []
        for a, b in zip(bounds, bounds[1:]):
            covering = sorted((c for s, e, c in spans if s <= a and e >= b), key=lambda c: (c.end - c.start, c.id))
            if covering:
                result.append(Piece(a, b, tuple(c.id for c in covering)))
        return result

    def turn_pieces(self, row: int) -> list[TurnPiece]:
        """Speaker labels and speech of the turns on a line, in columns."""
        line_start, line_end = self.line_range(row)
        index = max(0, bisect_right(self._turn_label_starts, line_start) - 1)
        result: list[TurnPiece] = []
        for turn in self.turns[index:]:
            if turn.label_start > line_end:
                break
            for start, end, label in ((turn.label_start, turn.start, True), (turn.start, turn.end, False)):
                a, b = max(start, line_start), min(end, line_end)
                if a < b:
                    result.append(TurnPiece(a - line_start, b - line_start, turn.role, label))
        return result

    # ---------------------------------------------------------------- coverage and progress
    def coverage(self) -> list[tuple[int, int]]:
        """The union of the shown coded spans as sorted, disjoint intervals."""
        if self._coverage is None:
            self._coverage = _merged(self.codings.values())
        return self._coverage

    def is_coded(self, start: int, end: int, *, shown_only: bool = True) -> bool:
        """Does any (shown) coding overlap [start, end)?"""
        if shown_only:
            coverage = self.coverage()
        else:
            if self._all_coverage is None:
                self._all_coverage = _merged(self.all_codings.values())
            coverage = self._all_coverage
        index = bisect_right(coverage, (start, float("inf"))) - 1
        if index >= 0 and coverage[index][1] > start:
            return True
        return index + 1 < len(coverage) and coverage[index + 1][0] < end

    def answer_segments(self) -> list[Segment]:
        """The respondent's sentences (all sentences when no turn is marked as the respondent's)."""
        answering = {t.id for t in self.turns if t.role == "respondent"}
        if not answering:
            return list(self.segments)
        return [s for s in self.segments if s.turn_id in answering]

    def progress(self) -> tuple[int, int]:
        """(coded, total) respondent sentences, as the documents pane shows them (every coder's
        codings count, whatever the view)."""
        segments = self.answer_segments()
        return sum(1 for s in segments if self.is_coded(s.start, s.end, shown_only=False)), len(segments)

    # ---------------------------------------------------------------- units under the cursor
    def segment_at(self, offset: int) -> Segment | None:
        """The sentence containing the offset; in a gap, the next sentence of the same turn,
        else the one before."""
        index = bisect_right(self._segment_starts, offset) - 1
        if index >= 0 and offset < self.segments[index].end:
            return self.segments[index]
        following = self.segments[index + 1] if index + 1 < len(self.segments) else None
        turn = self.turn_at(offset)
        if following is not None and (turn is None or following.start < turn.end):
            return following
        return self.segments[index] if index >= 0 else following

    def turn_at(self, offset: int) -> Turn | None:
        index = bisect_right(self._turn_label_starts, offset) - 1
        if index >= 0 and offset <= self.turns[index].end:
            return self.turns[index]
        return None

    def word_at(self, offset: int) -> tuple[int, int] | None:
        for match in _WORD.finditer(self.text, max(0, offset - 80), min(len(self.text), offset + 80)):
            if match.start() <= offset <= match.end():
                return match.start(), match.end()
        return None

    def unit_at(self, offset: int) -> tuple[int, int] | None:
        """What a code applies to when nothing is selected: the sentence, else the turn's speech."""
        segment = self.segment_at(offset)
        if segment is not None:
            return segment.start, segment.end
        turn = self.turn_at(offset)
        if turn is not None and turn.start < turn.end:
            return turn.start, turn.end
        return self.word_at(offset)

    # ---------------------------------------------------------------- cursor moves (offsets)
    def next_sentence(self, offset: int) -> int | None:
        index = bisect_right(self._segment_starts, offset)
        return self.segments[index].start if index < len(self.segments) else None

    def previous_sentence(self, offset: int) -> int | None:
        index = bisect_left(self._segment_starts, offset) - 1
        return self.segments[index].start if index >= 0 else None

    def next_turn(self, offset: int) -> int | None:
        for turn in self.turns[max(0, bisect_right(self._turn_label_starts, offset) - 1):]:
            if turn.start > offset:
                return turn.start
        return None

    def previous_turn(self, offset: int) -> int | None:
        index = bisect_right(self._turn_label_starts, offset) - 1
        for turn in reversed(self.turns[: index + 1]):
            if turn.start < offset:
                return turn.start
        return None

    def next_word(self, offset: int) -> int | None:
        position = offset
        inside = _WORD.match(self.text, offset)
        if inside and offset > 0 and _WORD.match(self.text, offset - 1):
            position = inside.end()
        match = _WORD.search(self.text, position)
        if match and match.start() == offset:
            match = _WORD.search(self.text, match.end())
        return match.start() if match else None

    def previous_word(self, offset: int) -> int | None:
        base = max(0, offset - 200)
        last = None
        for match in _WORD.finditer(self.text, base, offset):
            last = match
        return last.start() if last else None

    # ---------------------------------------------------------------- growing a selection (offsets)
    def extend_sentence_forward(self, start: int, end: int) -> tuple[int, int]:
        if start == end and (unit := self.segment_at(start)) is not None:
            return unit.start, unit.end
        index = bisect_right(self._segment_ends, end)
        return (start, self.segments[index].end) if index < len(self.segments) else (start, end)

    def extend_sentence_backward(self, start: int, end: int) -> tuple[int, int]:
        if start == end and (unit := self.segment_at(start)) is not None:
            return unit.start, unit.end
        index = bisect_left(self._segment_starts, start) - 1
        return (self.segments[index].start, end) if index >= 0 else (start, end)

    def extend_word_forward(self, start: int, end: int) -> tuple[int, int]:
        match = _WORD.search(self.text, end)
        if start == end and match is not None:
            word = self.word_at(start)
            if word is not None:
                return word
        return (start, match.end()) if match else (start, end)

    def extend_word_backward(self, start: int, end: int) -> tuple[int, int]:
        if start == end and (word := self.word_at(start)) is not None:
            return word
        previous = self.previous_word(start)
        return (previous, end) if previous is not None else (start, end)

    def word_end_after(self, offset: int) -> int | None:
        match = _WORD.search(self.text, offset)
        return match.end() if match else None

    def end_without_last_word(self, start: int, end: int) -> int | None:
        """Where [start, end) ends once its last word (and the space before it) is dropped;
        None when only one word is left."""
        last = self.previous_word(end)
        if last is None or last <= start:
            return None
        while last > start and self.text[last - 1].isspace():
            last -= 1
        return last if last > start else None

    # ---------------------------------------------------------------- answers
    def uncoded_answers(self) -> list[Turn]:
        return [t for t in self.turns
                if t.role == "respondent" and t.start < t.end and not self.is_coded(t.start, t.end)]

    def next_uncoded_answer(self, offset: int) -> Turn | None:
        return next((t for t in self.uncoded_answers() if t.start > offset), None)

    def previous_uncoded_answer(self, offset: int) -> Turn | None:
        return next((t for t in reversed(self.uncoded_answers()) if t.start < offset), None)

    # ---------------------------------------------------------------- words
    def count_words(self, start: int, end: int) -> int:
        return sum(1 for _ in _WORD.finditer(self.text, start, end))


def _merged(codings: Iterable[Coding]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted((c.start, c.end) for c in codings):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def in_vivo_name(text: str, limit: int = 60) -> str:
    """A code name from selected words: whitespace folded, quotes and outer punctuation dropped,
    cut at a word boundary near `limit` characters."""
    name = _WHITESPACE.sub(" ", text).strip().strip("\"'”“’‘«»()[]…., ;:!?-–—")
    if len(name) > limit:
        cut = name.rfind(" ", 0, limit)
        name = name[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"
    return name
