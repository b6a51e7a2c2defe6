"""One document's codings in text order, each with its code, offsets, passage and memo;
enter jumps to the coding in the transcript."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from qualcode.coding.models import Code, Coding
from qualcode.tui.commands import DOCUMENT_CODINGS, bindings
from qualcode.tui.model import DocumentModel
from qualcode.tui.widgets.footer import KeyFooter
from qualcode.tui.widgets.passage_list import PassageList


def coding_prompt(coding: Coding, code: Code | None, path: str, text: str) -> Text:
    prompt = Text()
    prompt.append("▌", style=Style(color=code.colour) if code and code.colour.startswith("#") else "")
    prompt.append(path, style="bold")
    prompt.append(f"  {coding.start}–{coding.end}  {coding.coder}", style="dim")
    prompt.append("\n  ”" + " ".join(text.split()) + "”")
    if coding.memo:
        prompt.append("\n  ✎ " + " ".join(coding.memo.split()), style="dim italic")
    return prompt


class DocumentCodingsScreen(Screen[tuple[int, int, int] | None]):
    CSS_PATH = "document_codings.tcss"
    BINDINGS = bindings(DOCUMENT_CODINGS)
    AUTO_FOCUS = "#codings"

    def __init__(self, model: DocumentModel, codes: dict[int, Code], paths: dict[int, str]) -> None:
        super().__init__(id="document-codings")
        self.model = model
        self.codes = codes
        self.paths = paths
        self.codings = sorted(model.codings.values(), key=lambda c: (c.start, c.end, c.id))

    def compose(self) -> ComposeResult:
        doc = self.model.document
        yield Label(f"{doc.respondent or doc.title} · {doc.title} · {len(self.codings)} codings", id="codings-title")
        yield PassageList(*(Option(coding_prompt(c, self.codes.get(c.code_id), self.paths.get(c.code_id, "?"),
                                                self.model.text[c.start:c.end])) for c in self.codings),
                         id="codings")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#codings", OptionList).focus()
        if self.codings:
            self.query_one("#codings", OptionList).highlighted = 0

    @on(OptionList.OptionSelected, "#codings")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.jump(event.option_index)

    def jump(self, index: int | None) -> None:
        if index is None or not (0 <= index < len(self.codings)):
            self.app.bell()
            return
        coding = self.codings[index]
        self.dismiss((coding.document_id, coding.start, coding.end))

    def action_jump(self) -> None:
        self.jump(self.query_one("#codings", OptionList).highlighted)

    def action_back(self) -> None:
        self.dismiss(None)
