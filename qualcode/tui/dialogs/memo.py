"""Write a memo: a multi-line editor; ctrl+s saves (empty text removes the memo), escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea


class MemoDialog(ModalScreen[str | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "save", id="memo.save", priority=True),
        Binding("escape", "cancel", "cancel", id="memo.cancel"),
    ]

    def __init__(self, title: str, text: str = "", context: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.initial = text
        self.context = context

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="memo"):
            yield Label(self.title_text, id="dialog-title")
            if self.context:
                yield Label(self.context, id="memo-context")
            editor = TextArea(self.initial, id="memo-text", soft_wrap=True, show_line_numbers=False)
            editor.cursor_blink = False
            yield editor
            yield Label("ctrl+s: save (empty removes the memo) · esc: cancel", id="dialog-hint")

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
