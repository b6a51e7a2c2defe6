"""Faster soft wrapping for transcripts.

Textual's `WrappedDocument.wrap()` measures every word of every line in Python; a 60,000-word
transcript takes about 0.1 s per wrap, and the TextArea wraps again on every resize. Transcript
lines are almost always plain prose: single-width characters, spaces, no tabs. For those, the
break points Textual would choose (greedy, a word with its trailing spaces must fit) are found
from the word starts alone; any other line goes to Textual's own `compute_wrap_offsets`, so the
result is the same either way (tests compare the two).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from textual._wrap import compute_wrap_offsets
from textual.document._wrapped_document import WrappedDocument
from textual.expand_tabs import get_tab_widths

# Characters known to take one cell, and no whitespace other than the plain space.
_SIMPLE_LINE = re.compile(r"[\u0021-\u007e\u00a1-\u02ff\u0370-\u0482\u1e00-\u1eff\u2010-\u2027\u2030-\u205e ]*")
_WORD_START = re.compile(r"(?<= )[^ ]")


def wrap_offsets(line: str, width: int, tab_width: int) -> list[int]:
    """Where to break `line` to fit `width` cells, exactly as Textual's wrap would."""
    if width <= 0 or len(line) <= width:
        return [] if width <= 0 or _SIMPLE_LINE.fullmatch(line) else compute_wrap_offsets(line, width, tab_width)
    if not _SIMPLE_LINE.fullmatch(line) or line.startswith(" "):
        return compute_wrap_offsets(line, width, tab_width)
    starts = [m.start() for m in _WORD_START.finditer(line)]
    breaks: list[int] = []
    position = 0
    end = len(line)
    while end - position > width:
        index = bisect_right(starts, position + width) - 1
        if index < 0 or starts[index] <= position:
            return compute_wrap_offsets(line, width, tab_width)  # a word wider than the line: fold
        position = starts[index]
        breaks.append(position)
    return breaks


class FastWrappedDocument(WrappedDocument):
    """A WrappedDocument whose `wrap()` takes the fast path for plain lines, and whose height
    is not recounted over every line each time a screen line is drawn."""

    @property
    def height(self) -> int:
        return len(self._offset_to_line_info)

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        self._width = width
        if tab_width:
            self._tab_width = tab_width
        tab_size = self._tab_width
        wrap_offsets_list: list[list[int]] = []
        offset_to_line_info: list[tuple[int, int]] = []
        line_index_to_offsets: list[list[int]] = []
        tab_widths: list[list[int]] = []
        no_tabs = [0]  # shared: read, never changed, by the TextArea
        add_info = offset_to_line_info.append
        current = 0
        for line_index, line in enumerate(self.document.lines):
            if "\t" in line:
                sections = get_tab_widths(line, tab_size)
                offsets = compute_wrap_offsets(line, width, tab_size, precomputed_tab_sections=sections) \
                    if width else []
                tab_widths.append([w for _, w in sections])
            else:
                offsets = wrap_offsets(line, width, tab_size) if width and len(line) > width else []
                tab_widths.append(no_tabs if line else [])
            wrap_offsets_list.append(offsets)
            if offsets:
                count = len(offsets) + 1
                for section in range(count):
                    add_info((line_index, section))
                line_index_to_offsets.append(list(range(current, current + count)))
                current += count
            else:
                add_info((line_index, 0))
                line_index_to_offsets.append([current])
                current += 1
        self._wrap_offsets = wrap_offsets_list
        self._offset_to_line_info = offset_to_line_info
        self._line_index_to_offsets = line_index_to_offsets
        self._tab_width_cache = tab_widths
