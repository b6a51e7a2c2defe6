"""The review queue: decide on suggested codings one by one or a whole kind at once.

Nothing becomes a coding without a decision here (or `qualcode accept`): `a` accepts (the
coding remembers it came from a suggestion), `r` rejects (never suggested again), `[` `]` move
the start and `{` `}` the end by a word before accepting, `A` accepts every pending suggestion
of the same source and code as the highlighted one in one undoable action. Enter posts
`ReviewScreen.JumpTo(document_id, start, end)` to show the passage in the transcript.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from qualcode.coding.search import word_spans
from qualcode.coding.suggest import QueuedSuggestion
from qualcode.errors import QualcodeError
from qualcode.store.codebooks import PATH_SEPARATOR

CONTEXT = 160


class ReviewScreen(Screen[tuple[int, int, int] | None]):
    """Pending suggestions, best first within each document, with the passage in context."""

    DEFAULT_CSS = """
    ReviewScreen { layout: vertical; }
    ReviewScreen #review-queue { height: 1fr; }
    ReviewScreen #review-detail { height: auto; max-height: 12; padding: 0 1; border-top: solid $primary; }
    ReviewScreen #review-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "close", "close", id="review.close"),
        Binding("a", "accept", "accept", id="review.accept"),
        Binding("r", "reject", "reject", id="review.reject"),
        Binding("A", "accept_kind", "accept all of kind", id="review.accept-kind"),
        Binding("left_square_bracket", "move_start(-1)", "start ←", id="review.start-earlier"),
        Binding("right_square_bracket", "move_start(1)", "start →", id="review.start-later"),
        Binding("left_curly_bracket", "move_end(-1)", "end ←", id="review.end-earlier"),
        Binding("right_curly_bracket", "move_end(1)", "end →", id="review.end-later"),
    ]

    class JumpTo(Message):
        """Show this passage in the transcript."""

        def __init__(self, document_id: int, start: int, end: int) -> None:
            super().__init__()
            self.document_id = document_id
            self.start = start
            self.end = end

    class Decided(Message):
        """Suggestions were accepted or rejected (the workbench may refresh its codings)."""

        def __init__(self, accepted: list[int], rejected: list[int]) -> None:
            super().__init__()
            self.accepted = accepted
            self.rejected = rejected

    def __init__(self, store, *, source: str | None = None, code_ids: list[int] | None = None,
                 document_id: int | None = None, close_on_jump: bool = False, name: str | None = None,
                 id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.store = store
        self.source = source
        self.code_ids = code_ids
        self.document_id = document_id
        self.close_on_jump = close_on_jump
        self.items: list[QueuedSuggestion] = []
        self._texts: dict[int, str] = {}
        self._titles: dict[int, str] = {}
        self._paths: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield DataTable(id="review-queue", cursor_type="row", zebra_stripes=True)
        yield Static("", id="review-detail")
        yield Static("", id="review-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#review-queue", DataTable)
        for label, key in (("score", "score"), ("source", "source"), ("code", "code"), ("document", "document"),
                           ("passage", "passage"), ("why", "reason")):
            table.add_column(label, key=key)
        self._titles = {d.id: d.title for d in self.store.documents()}
        self.reload()
        table.focus()

    # ---------------------------------------------------------------- the queue
    def reload(self, keep: int | None = None) -> None:
        """Read the pending suggestions again; keep the cursor near row `keep`."""
        self.items = self.store.suggestions(status="pending", source=self.source, code_ids=self.code_ids,
                                            document_id=self.document_id)
        table = self.query_one("#review-queue", DataTable)
        table.clear()
        for item in self.items:
            table.add_row(f"{item.score:.2f}", item.source, self._path(item.code_id),
                          self._titles.get(item.document_id, str(item.document_id)),
                          " ".join(self._text(item.document_id)[item.start:item.end].split())[:70],
                          item.reason[:60], key=str(item.id))
        if self.items:
            table.move_cursor(row=min(keep or 0, len(self.items) - 1))
        self._show_detail()
        self._status(f"{len(self.items)} pending suggestions · a accept · r reject · A accept all of kind · "
                     "[ ] start · { } end")

    def current(self) -> QueuedSuggestion | None:
        table = self.query_one("#review-queue", DataTable)
        if not self.items or table.cursor_row is None or not (0 <= table.cursor_row < len(self.items)):
            return None
        return self.items[table.cursor_row]

    def _text(self, doc_id: int) -> str:
        if doc_id not in self._texts:
            self._texts[doc_id] = self.store.document_text(doc_id)
        return self._texts[doc_id]

    def _path(self, code_id: int) -> str:
        if code_id not in self._paths:
            self._paths[code_id] = PATH_SEPARATOR.join(self.store.code_path(code_id))
        return self._paths[code_id]

    @on(DataTable.RowHighlighted, "#review-queue")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        item = self.current()
        detail = self.query_one("#review-detail", Static)
        if item is None:
            detail.update("the queue is empty" if not self.items else "")
            return
        text = self._text(item.document_id)
        before = text[max(0, item.start - CONTEXT):item.start]
        after = text[item.end:item.end + CONTEXT]
        detail.update(Text.assemble(("…" if item.start > CONTEXT else "") + before,
                                    (text[item.start:item.end], "bold reverse"), after + "…",
                                    f"\n{self._path(item.code_id)} · {item.source} {item.score:.2f} · {item.reason}"))

    def _status(self, message: str) -> None:
        self.query_one("#review-status", Static).update(message)

    # ---------------------------------------------------------------- decisions
    def _decide(self, accept: bool, ids: list[int]) -> None:
        row = self.query_one("#review-queue", DataTable).cursor_row or 0
        try:
            if accept:
                self.store.accept_suggestions(ids)
            else:
                self.store.reject_suggestions(ids)
        except QualcodeError as error:
            self.notify(str(error), severity="error")
            return
        self.post_message(self.Decided(ids if accept else [], [] if accept else ids))
        self.reload(keep=row)

    def action_accept(self) -> None:
        item = self.current()
        if item is None:
            self.app.bell()
            return
        self._decide(True, [item.id])

    def action_reject(self) -> None:
        item = self.current()
        if item is None:
            self.app.bell()
            return
        self._decide(False, [item.id])

    def action_accept_kind(self) -> None:
        """Accept every pending suggestion with the highlighted one's source and code."""
        item = self.current()
        if item is None:
            self.app.bell()
            return
        ids = [s.id for s in self.items if s.source == item.source and s.code_id == item.code_id]
        self._decide(True, ids)
        self.notify(f"accepted {len(ids)} {item.source} suggestions of {self._path(item.code_id)}")

    def action_move_start(self, step: int) -> None:
        item = self.current()
        if item is not None:
            self._adjust(item, _move(self._text(item.document_id), item.start, step, item.end, edge="start"), item.end)

    def action_move_end(self, step: int) -> None:
        item = self.current()
        if item is not None:
            self._adjust(item, item.start, _move(self._text(item.document_id), item.end, step, item.start, edge="end"))

    def _adjust(self, item: QueuedSuggestion, start: int, end: int) -> None:
        if (start, end) == (item.start, item.end) or start >= end:
            self.app.bell()
            return
        try:
            self.store.adjust_suggestion(item.id, start, end)
        except QualcodeError as error:
            self.notify(str(error), severity="error")
            return
        self.reload(keep=self.query_one("#review-queue", DataTable).cursor_row)

    @on(DataTable.RowSelected, "#review-queue")
    def _chosen(self) -> None:
        item = self.current()
        if item is None:
            return
        self.app.post_message(self.JumpTo(item.document_id, item.start, item.end))
        if self.close_on_jump:
            self.dismiss((item.document_id, item.start, item.end))

    def action_close(self) -> None:
        self.dismiss(None)


def _move(text: str, offset: int, step: int, other: int, *, edge: str) -> int:
    """The next word boundary from `offset` in the direction of `step` (a start snaps to word
    starts, an end to word ends), not crossing the other boundary of the span."""
    window_start = max(0, offset - 400)
    spans = word_spans(text, window_start, min(len(text), offset + 400))
    points = sorted({s for s, _ in spans} if edge == "start" else {e for _, e in spans})
    if step < 0:
        earlier = [p for p in points if p < offset]
        target = earlier[-1] if earlier else offset
    else:
        later = [p for p in points if p > offset]
        target = later[0] if later else offset
    if edge == "start" and target >= other:
        return offset
    if edge == "end" and target <= other:
        return offset
    return target
