"""An OptionList of coded passages (under respondent headings) whose enter key says what it
does here, and the jump from one of its options back into the transcript."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import OptionList


class PassageList(OptionList):
    BINDINGS = [Binding("enter", "select", "jump", id="passages.jump", tooltip="show it in the transcript")]


class JumpsToPassage:
    """For a screen with a PassageList (selector `PASSAGES`) and `shown`, the passage behind
    each of its options (None for a heading): jumping dismisses the screen with the passage's
    (document id, start, end)."""

    PASSAGES = "#passages"
    shown: list[Any]

    def jump_to(self, index: int | None) -> None:
        passage = self.shown[index] if index is not None and 0 <= index < len(self.shown) else None
        if passage is None:
            self.app.bell()  # type: ignore[attr-defined]
            return
        self.dismiss((passage.document_id, passage.start, passage.end))  # type: ignore[attr-defined]

    def action_jump(self) -> None:
        self.jump_to(self.query_one(self.PASSAGES, OptionList).highlighted)  # type: ignore[attr-defined]
