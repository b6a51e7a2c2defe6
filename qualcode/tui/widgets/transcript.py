"""The transcript: a read-only TextArea that draws speaker turns and coded spans.

Colouring works by overriding `get_line()`: each line's spans (speaker labels bold, interviewer
speech dimmed, codings tinted with their code's colour, overlaps in the two codes' tints mixed
and underlined) are computed once from the `DocumentModel` and cached per line; a change to the
codings invalidates only the lines it touches. A three-cell gutter shows a bar per code on each
screen row, so overlapping codings stay visible even where the tint shows only one of them.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Offset, Region, Spacing
from textual.strip import Strip
from textual.document._document import Document
from textual.document._document_navigator import DocumentNavigator
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from qualcode.tui.model import DocumentModel
from qualcode.tui.widgets.wrapping import FastWrappedDocument

GUTTER = 3


class TranscriptView(TextArea, inherit_bindings=False):
    """Shows one document; the selection and cursor map to offsets through `model`.

    Only the TextArea keys that make sense in a read-only transcript are bound (so the key panel
    does not list "delete line" and the like); the workbench screen adds the coding keys.
    (`inherit_bindings` must be a class keyword: Textual resets a `_inherit_bindings` attribute.)
    """

    BINDINGS = [
        Binding("up", "cursor_up", "line up", show=False, id="transcript.up"),
        Binding("down", "cursor_down", "line down", show=False, id="transcript.down"),
        Binding("left", "cursor_left", "character left", show=False, id="transcript.left"),
        Binding("right", "cursor_right", "character right", show=False, id="transcript.right"),
        Binding("ctrl+left", "cursor_word_left", "word left", show=False, id="transcript.word-left"),
        Binding("ctrl+right", "cursor_word_right", "word right", show=False, id="transcript.word-right"),
        Binding("home", "cursor_line_start", "line start", show=False, id="transcript.home"),
        Binding("end", "cursor_line_end", "line end", show=False, id="transcript.end"),
        Binding("pageup", "cursor_page_up", "page up", show=False, id="transcript.page-up"),
        Binding("pagedown", "cursor_page_down", "page down", show=False, id="transcript.page-down"),
        Binding("shift+up", "cursor_up(True)", "select line up", show=False, id="transcript.select-up"),
        Binding("shift+down", "cursor_down(True)", "select line down", show=False, id="transcript.select-down"),
        Binding("shift+left", "cursor_left(True)", "select character left", show=False,
                id="transcript.select-left"),
        Binding("shift+right", "cursor_right(True)", "select character right", show=False,
                id="transcript.select-right"),
        Binding("ctrl+shift+left", "cursor_word_left(True)", "select word left", show=False,
                id="transcript.select-word-left"),
        Binding("ctrl+shift+right", "cursor_word_right(True)", "select word right", show=False,
                id="transcript.select-word-right"),
        Binding("shift+home", "cursor_line_start(True)", "select to line start", show=False,
                id="transcript.select-home"),
        Binding("shift+end", "cursor_line_end(True)", "select to line end", show=False, id="transcript.select-end"),
        Binding("ctrl+c", "copy", "copy selection", show=False, id="transcript.copy"),
        Binding("delete", "screen.remove_coding", "remove coding", show=False, id="transcript.delete"),
        Binding("ctrl+z", "screen.undo", "undo", show=False, id="transcript.undo"),
        Binding("ctrl+y", "screen.redo", "redo", show=False, id="transcript.redo"),
    ]

    DEFAULT_CSS = """
    TranscriptView {
        overflow-y: scroll;  /* a scrollbar from the start: its arrival would wrap the text again */
        scrollbar-size-vertical: 1;
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
        self._overlaps: dict[tuple[int, int, bool], Style] = {}
        self._role_styles: dict[tuple[str, bool], Style] = {}
        self._gutter_style = Style()

    # ---------------------------------------------------------------- geometry
    @property
    def gutter_width(self) -> int:  # the column of coding marks left of the text
        return GUTTER

    def on_mount(self) -> None:
        self._make_styles()
        self.watch(self.app, "theme", lambda: self.call_after_refresh(self.restyle), init=False)

    def _set_document(self, text: str, language: str | None) -> None:
        """Plain text only (no syntax highlighting), wrapped by the faster FastWrappedDocument."""
        self._highlight_query = None
        self.document = Document(text)
        self.wrapped_document = FastWrappedDocument(self.document, tab_width=self.indent_width)
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._build_highlight_map()
        self.move_cursor((0, 0))
        self._rewrap_and_refresh_virtual_size()

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
        """Forget the styling of these document rows and repaint only their screen lines."""
        self._line_cache.clear()
        offsets = self.wrapped_document._line_index_to_offsets
        for row in rows:
            self._spans.pop(row, None)
            if row < len(offsets) and offsets[row]:
                self.refresh_lines(offsets[row][0], len(offsets[row]))

    def _make_styles(self) -> None:
        background = self.background_colors[1] if self.is_mounted else Color(30, 30, 30)
        if background.a == 0:
            background = Color(30, 30, 30)
        self._tints = {}
        self._marks = {}
        self._overlaps = {}
        self._gutter_style = Style(bgcolor=background.hex)
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
            code_ids = list(dict.fromkeys(model.codings[i].code_id for i in piece.coding_ids))
            if len(code_ids) == 1:
                style = self._tints.get(code_ids[0], Style())
            else:  # overlap: the two innermost codes' tints mixed, underlined (bold for three or more)
                style = self._overlap_style(code_ids[0], code_ids[1], len(code_ids) > 2)
            spans.append(Span(piece.start, piece.end, style))
        return spans

    def _overlap_style(self, first: int, second: int, more: bool) -> Style:
        key = (first, second, more)
        style = self._overlaps.get(key)
        if style is None:
            a, b = self._tints.get(first), self._tints.get(second)
            if a is None or b is None or a.bgcolor is None or b.bgcolor is None:
                style = Style(underline=True, bold=more)
            else:
                mixed = Color(*a.bgcolor.get_truecolor()).blend(Color(*b.bgcolor.get_truecolor()), 0.5)
                style = Style(bgcolor=mixed.hex, underline=True, bold=more)
            self._overlaps[key] = style
        return style

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
        base = self._gutter_style
        cells = [Segment(" ", base)] * GUTTER
        if codes:
            cells[0] = Segment("▌", base + self._marks.get(codes[0], Style()))
        if len(codes) == 2:
            cells[1] = Segment("▌", base + self._marks.get(codes[1], Style()))
        elif len(codes) > 2:
            cells[1] = Segment("+", base + self._marks.get(codes[1], Style()) + Style(bold=True))
        return cells

    def scroll_cursor_visible(self, center: bool = False, animate: bool = False) -> Offset:
        """Keep a few lines of context above and below the cursor, so reading on with j or n
        never happens on the bottom line of the pane."""
        if not self._has_cursor:
            return Offset(0, 0)
        self._recompute_cursor_offset()
        x, y = self._cursor_offset
        margin = max(0, min(6, (self.scrollable_content_region.height - 1) // 4))
        return self.scroll_to_region(Region(x, y, width=3, height=1),
                                     spacing=Spacing(top=margin, right=self.gutter_width, bottom=margin),
                                     animate=animate, force=True, center=center)

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
