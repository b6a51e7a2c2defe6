"""A modal list with a search box: type to filter (prefix, then substring, then fuzzy), arrows
to move, enter to take, escape to cancel. Used to pick codes, respondents, guide questions
and codings; subclasses add options computed from the query (such as "new code")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

FUZZY_LIMIT = 400  # above this many candidates only prefix and substring matching run
SHOWN = 200


@dataclass(frozen=True)
class Choice:
    value: Any
    label: Text | str
    search: str


def rank(query: str, choices: Sequence[Choice]) -> list[Choice]:
    """Choices matching the query, best first: prefix, substring, fuzzy; stable otherwise."""
    query = query.strip().casefold()
    if not query:
        return list(choices)
    scored: list[tuple[float, int, Choice]] = []
    matcher = Matcher(query) if len(choices) <= FUZZY_LIMIT else None
    for index, choice in enumerate(choices):
        text = choice.search.casefold()
        words = text.replace(">", " ").split()
        if text.startswith(query):
            score = 3.0
        elif any(w.startswith(query) for w in words):
            score = 2.5
        elif query in text:
            score = 2.0
        elif matcher is not None:
            fuzzy = matcher.match(text)  # unbounded: squeeze below the substring score
            score = fuzzy / (1 + fuzzy)
        else:
            score = 0.0
        if score > 0:
            scored.append((-score, index, choice))
    return [choice for _, _, choice in sorted(scored, key=lambda item: (item[0], item[1]))]


class ChoiceDialog(ModalScreen[Any]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "cancel", id="dialog.cancel"),
        Binding("down", "move(1)", "down", show=False, id="dialog.down"),
        Binding("up", "move(-1)", "up", show=False, id="dialog.up"),
        Binding("pagedown", "move(10)", "page down", show=False, id="dialog.page-down"),
        Binding("pageup", "move(-10)", "page up", show=False, id="dialog.page-up"),
    ]

    def __init__(self, title: str, choices: Sequence[Choice], *, placeholder: str = "type to filter",
                 initial: Any = None, searchable: bool = True, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.placeholder = placeholder
        self.initial = initial
        self.searchable = searchable
        self.hint = hint
        self._shown: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="dialog-title")
            if self.searchable:
                search = Input(placeholder=self.placeholder, id="dialog-input")
                search.cursor_blink = False
                yield search
            yield OptionList(id="dialog-options")
            if self.hint:
                yield Label(self.hint, id="dialog-hint")

    def on_mount(self) -> None:
        self.refilter("")
        if self.initial is not None and self.initial in self._shown:
            self.query_one(OptionList).highlighted = self._shown.index(self.initial)
        (self.query_one(Input) if self.searchable else self.query_one(OptionList)).focus()

    def extra_options(self, query: str) -> list[tuple[Any, Text | str]]:
        """Options computed from the query, listed after the matches (override)."""
        return []

    def refilter(self, query: str) -> None:
        options = self.query_one(OptionList)
        matches = rank(query, self.choices)[:SHOWN]
        extras = self.extra_options(query)
        self._shown = [c.value for c in matches] + [value for value, _ in extras]
        options.clear_options()
        options.add_options([Option(c.label) for c in matches] + [Option(label) for _, label in extras])
        if self._shown:
            options.highlighted = 0

    @on(Input.Changed, "#dialog-input")
    def _changed(self, event: Input.Changed) -> None:
        self.refilter(event.value)

    @on(Input.Submitted, "#dialog-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.take(self.query_one(OptionList).highlighted)

    @on(OptionList.OptionSelected, "#dialog-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.take(event.option_index)

    def take(self, index: int | None) -> None:
        if index is None or not (0 <= index < len(self._shown)):
            self.app.bell()
            return
        self.dismiss(self._shown[index])

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if not self._shown:
            return
        current = options.highlighted if options.highlighted is not None else -1
        options.highlighted = max(0, min(len(self._shown) - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
