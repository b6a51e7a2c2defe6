"""The passages behind one matrix cell (or a row, or a column), grouped by respondent, with the
code, document, line and offsets of each; enter jumps to the passage in the transcript.

The passages come from `qualcode.coding.trace.trace`, the audit trail `qualcode trace` prints,
so what the screen lists is exactly what the cell counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from qualcode.coding.models import Code
from qualcode.coding.trace import Passage
from qualcode.tui.commands import CELL_PASSAGES, bindings
from qualcode.tui.screens.retrieval import respondent_heading
from qualcode.tui.widgets.footer import KeyFooter
from qualcode.tui.widgets.passage_list import JumpsToPassage, PassageList


def traced_prompt(passage: Passage, colour: str | None) -> Text:
    """Where the passage is (document, line, offsets, code), then the passage itself."""
    text = Text()
    text.append("▌", style=Style(color=colour) if colour and colour.startswith("#") else "")
    text.append(passage.document, style="bold")
    text.append(f"  line {passage.line} · {passage.start}–{passage.end}", style="dim")
    text.append(f"  {passage.code}", style="italic")
    text.append("\n  ”" + " ".join(passage.text.split()) + "”")
    return text


class CellPassagesScreen(JumpsToPassage, Screen[tuple[int, int, int] | None]):
    CSS_PATH = "matrix.tcss"
    BINDINGS = bindings(CELL_PASSAGES)
    AUTO_FOCUS = "#cell-passages"
    PASSAGES = "#cell-passages"

    def __init__(self, title: str, passages: Sequence[Passage], codes: dict[int, Code]) -> None:
        super().__init__(id="cell-passages-screen")
        self.title_text = title
        self.passages = list(passages)
        self.codes = codes
        self.shown: list[Passage | None] = []

    def compose(self) -> ComposeResult:
        people = len({p.respondent for p in self.passages})
        count = len(self.passages)
        yield Label(Text.assemble((self.title_text, "bold"),
                                  (f" · {count} passage{'s' if count != 1 else ''} from {people} "
                                   f"respondent{'s' if people != 1 else ''}", "dim")), id="cell-passages-title")
        options: list[Option] = []
        for label, group in groupby(self.passages, key=lambda p: p.respondent):
            group = list(group)
            options.append(Option(respondent_heading(label, None, len(group)), disabled=True))
            self.shown.append(None)
            for passage in group:
                code = self.codes.get(passage.code_id)
                options.append(Option(traced_prompt(passage, code.colour if code else None)))
                self.shown.append(passage)
        yield PassageList(*options, id="cell-passages")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        first = next((i for i, p in enumerate(self.shown) if p is not None), None)
        self.query_one("#cell-passages", OptionList).highlighted = first

    @on(OptionList.OptionSelected, "#cell-passages")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.jump_to(event.option_index)

    def action_back(self) -> None:
        self.dismiss(None)
