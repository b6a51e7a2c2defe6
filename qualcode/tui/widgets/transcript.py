"""The transcript: a read-only TextArea that draws speaker turns and coded spans.

Colouring works by overriding `get_line()`: each line's spans (speaker labels bold, interviewer
speech dimmed, codings tinted with their code's colour, overlaps underlined in the second
code's colour) are computed once from the `DocumentModel` and cached per line; a change to the
codings invalidates only the lines it touches. A three-cell gutter shows a bar per code on each
screen row, so overlapping codings stay visible even where the tint shows only one of them.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual.color import Color
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from qualcode.tui.model import DocumentModel

GUTTER = 3


class TranscriptView(TextArea):
    """Shows one document; the selection and cursor map to offsets through `model`."""

    DEFAULT_CSS = """
    TranscriptView {
        scrollbar-gutter: stable;
        border: none;
        padding: 0;
        &:focus { border: none; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", read_only=True, soft_wrap=True, show_line_numbers=False,
                         highlight_cursor_line=False, id=id)
        self.placeholder = "No document open. Press g to go to a respondent, or import transcripts first."
        self.model: DocumentModel | None = None
        self.colours: dict[int, str] = {}
        self._spans: dict[int, list[Span]] = {}
        self._tints: dict[int, Style] = {}
        self._marks: dict[int, Style] = {}
        self._role_styles: dict[tuple[str, bool], Style] = {}

    # ---------------------------------------------------------------- geometry
    @property
    def gutter_width(self) -> int:  # the column of coding marks left of the text
        return GUTTER

    def on_mount(self) -> None:
        self._make_styles()
        self.watch(self.app, "theme", lambda: self.call_after_refresh(self.restyle), init=False)

    # ---------------------------------------------------------------- content
    def show_document(self, model: DocumentModel | None) -> None:
        self.model = model
        self._spans.clear()
        self.load_text(model.display_text if model else "")
        self.selection = Selection.cursor((0, 0))
        self.scroll_home(animate=False)

    def set_colours(self, colours: dict[int, str]) -> None:
        """The colour of every code id; redraws only when something changed."""
        if colours != self.colours:
            self.colours = dict(colours)
            self.restyle()

    def restyle(self) -> None:
        self._make_styles()
        self._spans.clear()
        self._line_cache.clear()
        self.refresh()

    def redraw_rows(self, rows: set[int] | range) -> None:
        """Forget the styling of these document rows and repaint."""
        for row in rows:
            self._spans.pop(row, None)
        self._line_cache.clear()
        self.refresh()

    def _make_styles(self) -> None:
        background = self.background_colors[1] if self.is_mounted else Color(30, 30, 30)
        if background.a == 0:
            background = Color(30, 30, 30)
        self._tints = {}
        self._marks = {}
        for code_id, colour in self.colours.items():
            try:
                base = Color.parse(colour)
            except Exception:  # a malformed colour in an imported project: fall back to grey
                base = Color(136, 136, 136)
            tint = background.blend(base, 0.42)
            self._tints[code_id] = Style(bgcolor=tint.hex)
            self._marks[code_id] = Style(color=base.hex)
        accent = self.app.current_theme.accent if self.is_mounted else None
        self._role_styles = {
            ("interviewer", True): Style(bold=True, dim=True),
            ("interviewer", False): Style(dim=True, italic=True),
            ("respondent", True): Style(bold=True, color=accent or "cyan"),
            ("respondent", False): Style(),
            ("other", True): Style(bold=True),
            ("other", False): Style(),
        }

    # ---------------------------------------------------------------- drawing
    def get_line(self, line_index: int) -> Text:
        line = self.document.get_line(line_index)
        spans = self._spans.get(line_index)
        if spans is None:
            spans = self._spans[line_index] = self._line_spans(line_index)
        return Text(line, spans=list(spans), end="", no_wrap=True)

    def _line_spans(self, row: int) -> list[Span]:
        model = self.model
        if model is None or row >= model.line_count:
            return []
        spans: list[Span] = []
        for piece in model.turn_pieces(row):
            style = self._role_styles.get((piece.role, piece.label))
            if style:
                spans.append(Span(piece.start, piece.end, style))
        for piece in model.pieces(row):
            codings = [model.codings[i] for i in piece.coding_ids]
            style = self._tints.get(codings[0].code_id, Style())
            if len(codings) > 1:
                second = self._marks.get(codings[1].code_id, Style())
                style = style + Style(color=second.color, underline=True, bold=len(codings) > 2)
            spans.append(Span(piece.start, piece.end, style))
        return spans

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        model = self.model
        scroll_y = self.scroll_offset.y
        try:
            row, section = self.wrapped_document._offset_to_line_info[y + scroll_y]
        except (IndexError, AttributeError):
            return strip
        if model is None or not self.text:
            return strip
        return Strip.join([Strip(self._gutter(row, section), GUTTER), strip])

    def _gutter(self, row: int, section: int) -> list[Segment]:
        """A bar for each code on this screen row (two at most, '+' when more)."""
        model = self.model
        assert model is not None
        offsets = self.wrapped_document.get_offsets(row)
        low = offsets[section - 1] if section > 0 else 0
        high = offsets[section] if section < len(offsets) else 1 << 30
        codes: list[int] = []
        for piece in model.pieces(row) if model.codings_on_row(row) else ():
            if piece.start < high and piece.end > low:
                for coding_id in piece.coding_ids:
                    code_id = model.codings[coding_id].code_id
                    if code_id not in codes:
                        codes.append(code_id)
        cells = [Segment(" ")] * GUTTER
        if codes:
            cells[0] = Segment("▌", self._marks.get(codes[0]))
        if len(codes) == 2:
            cells[1] = Segment("▌", self._marks.get(codes[1]))
        elif len(codes) > 2:
            cells[1] = Segment("+", (self._marks.get(codes[1]) or Style()) + Style(bold=True))
        return cells

    # ---------------------------------------------------------------- offsets
    @property
    def cursor_offset(self) -> int:
        return self.model.offset(self.cursor_location) if self.model else 0

    @property
    def selection_offsets(self) -> tuple[int, int]:
        """The selection as (start, end) offsets into the stored text, start <= end."""
        if self.model is None:
            return 0, 0
        a, b = (self.model.offset(location) for location in self.selection)
        return (a, b) if a <= b else (b, a)

    def move_to(self, offset: int, *, center: bool = False) -> None:
        if self.model is not None:
            self.move_cursor(self.model.location(offset), center=center)

    def select_span(self, start: int, end: int, *, center: bool = False) -> None:
        """Select [start, end) with the cursor at the end (or at `start` when end < start)."""
        if self.model is None:
            return
        self.selection = Selection(self.model.location(start), self.model.location(end))
        if center:
            self.scroll_cursor_visible(center=True)
