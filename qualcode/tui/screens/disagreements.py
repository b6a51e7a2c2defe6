"""Disagreement review: step through the sentences where coders differ on a code, see each
coder's codings side by side, and keep one coder's, both, or neither.

Units come from `qualcode.coding.disagreements` (the same list `qualcode disagreements`
prints). Each decision goes through `resolve()`: committed at once, recorded in the project,
and one step of the workbench's undo history (`u` here or in the workbench takes it back).
After a decision the list is read again, so a decision that also settles a neighbouring unit
(one coding spanning two sentences) never leaves a stale unit behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from itertools import combinations

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static
from textual.worker import get_current_worker

from qualcode.coding.disagreements import Disagreement, disagreements, resolve
from qualcode.coding.models import Code
from qualcode.errors import QualcodeError
from qualcode.store import Store
from qualcode.tui.commands import DISAGREEMENTS, bindings
from qualcode.tui.coder_view import busiest_coders
from qualcode.tui.dialogs.choice import Choice, ChoiceDialog
from qualcode.tui.widgets.footer import KeyFooter

SPAN_LIMIT = 600  # characters of a coding's text shown in a column
WRITES = {"keep_coder", "keep", "undo", "redo"}
ON_UNIT = {"keep_coder", "keep", "jump"}


def coding_lines(item: Disagreement, coder: str, text: str, code: Code | None) -> Text:
    """One coder's side of a unit: each coding of the unit's code with its offsets and exact text."""
    lines = Text()
    codings = item.codings.get(coder, [])
    if not codings:
        lines.append(f"did not code {item.code} here", style="dim italic")
        return lines
    colour = code.colour if code and code.colour.startswith("#") else None
    for i, coding in enumerate(codings):
        if i:
            lines.append("\n\n")
        lines.append("▌", style=Style(color=colour) if colour else "")
        lines.append(item.code, style="bold")
        lines.append(f"  {coding.start}–{coding.end}", style="dim")
        span = " ".join(text[coding.start:coding.end].split())
        if len(span) > SPAN_LIMIT:
            span = span[:SPAN_LIMIT - 1] + "…"
        lines.append(f"\n”{span}”")
        if coding.memo:
            lines.append("\n✎ " + " ".join(coding.memo.split()), style="dim italic")
    return lines


class DisagreementScreen(Screen[tuple[int, int, int] | None]):
    """Dismisses with (document id, start, end) to show a unit in the transcript, else None."""

    CSS_PATH = "disagreements.tcss"
    BINDINGS = bindings(DISAGREEMENTS)

    def __init__(self, store: Store, codes: dict[int, Code], coders: Sequence[str] | None = None) -> None:
        super().__init__(id="disagreements")
        self.store = store
        self.codes = codes
        self.coders: list[str] = list(coders or [])
        self.items: list[Disagreement] = []
        self.texts: dict[int, str] = {}
        self.index = 0
        self.decided: list[tuple[int, int, int]] = []  # units decided here, for undo to return to
        self.loaded = False

    # ---------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield Label(id="unit-header")
        yield Label(id="unit-place")
        yield Static(id="unit-text")
        yield Horizontal(id="unit-coders")
        yield Static(id="unit-status")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.load()

    # ---------------------------------------------------------------- loading (a thread worker)
    def load(self, after: tuple[int, int, int] | None = None) -> None:
        """Read the unresolved units again; `after` (document, start, end) places the cursor on
        the first unit at or after it."""
        self.query_one("#unit-coders").loading = True
        self._load(list(self.coders), after)

    @work(thread=True, exclusive=True, group="disagreements", exit_on_error=False)
    def _load(self, coders: list[str], after: tuple[int, int, int] | None) -> None:
        reader = self.app.reader("team")
        if len(coders) < 2:
            coders = busiest_coders(reader)
        items = disagreements(reader, coders) if len(coders) >= 2 else []
        texts = {doc_id: reader.document_text(doc_id) for doc_id in {d.document_id for d in items}}
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, coders, items, texts, after)

    def _loaded(self, coders: list[str], items: list[Disagreement], texts: dict[int, str],
                after: tuple[int, int, int] | None) -> None:
        self.coders = coders
        self.items = items
        self.texts = texts
        self.loaded = True
        if after is not None:  # units come in document id order, then text order
            self.index = next((i for i, d in enumerate(items) if (d.document_id, d.start, d.end) >= after),
                              len(items) - 1)
        self.index = max(0, min(self.index, len(items) - 1))
        self.query_one("#unit-coders").loading = False
        if not self.decided and items:
            keys = ", ".join(f"{i + 1} {name}'s" for i, name in enumerate(coders))
            self.say(f"Keep {keys}, b both, x neither: saved and recorded at once, u undoes.")
        self.show()
        self.refresh_bindings()

    # ---------------------------------------------------------------- drawing
    @property
    def current(self) -> Disagreement | None:
        return self.items[self.index] if self.loaded and 0 <= self.index < len(self.items) else None

    def show(self) -> None:
        header = Text()
        header.append("Disagreements ", style="bold")
        header.append(" × ".join(f"{i + 1} {name}" for i, name in enumerate(self.coders)))
        if self.items:
            header.append(f" · unit {self.index + 1} of {len(self.items)}", style="bold")
        if self.decided:
            header.append(f" · {len(self.decided)} resolved", style="dim")
        self.query_one("#unit-header", Label).update(header)
        item = self.current
        columns = self.query_one("#unit-coders", Horizontal)
        columns.remove_children()
        if item is None:
            self.query_one("#unit-place", Label).update("")
            message = ("The project needs codings by two coders to compare; merge a colleague's copy "
                       "with `qualcode merge` first." if len(self.coders) < 2 else
                       f"No unresolved disagreements between {' and '.join(self.coders)}.")
            self.query_one("#unit-text", Static).update(Text(message, style="italic"))
            return
        place = Text()
        code = self.codes.get(item.code_id)
        place.append("■ ", style=Style(color=code.colour) if code and code.colour.startswith("#") else "")
        place.append(item.code, style="bold")
        place.append(f"  {item.respondent or item.document}")
        if item.respondent and item.respondent != item.document:
            place.append(f" · {item.document}")
        place.append(f"  {item.start}–{item.end}", style="dim")
        self.query_one("#unit-place", Label).update(place)
        self.query_one("#unit-text", Static).update("”" + " ".join(item.text.split()) + "”")
        text = self.texts.get(item.document_id, "")
        panes = []
        for i, coder in enumerate(self.coders):
            pane = VerticalScroll(Static(coding_lines(item, coder, text, code)), classes="coder-pane")
            pane.border_title = f"{i + 1} · {coder}"
            pane.set_class(bool(item.codings.get(coder)), "-coded")
            panes.append(pane)
        columns.mount_all(panes)

    def say(self, message: str) -> None:
        self.query_one("#unit-status", Static).update(message)

    # ---------------------------------------------------------------- availability and palette
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in WRITES and self.store.read_only:
            return None
        if action in ON_UNIT and self.current is None:
            return None
        if action == "keep_coder" and parameters and int(str(parameters[0])) > len(self.coders):
            return None
        return True

    def palette_commands(self) -> Iterable[SystemCommand]:
        for command in DISAGREEMENTS:
            title, action = command.title, command.action
            if action.startswith("keep_coder("):
                n = int(action[len("keep_coder("):-1])
                if n > len(self.coders):
                    continue
                title = f"team: keep {self.coders[n - 1]}'s coding"
            name = action.split("(")[0]
            help_text = f"key {command.key_display or command.key}"
            if self.check_action(name, (action[len(name) + 1:-1],) if "(" in action else ()) is not True:
                help_text += " · not available here"
            yield SystemCommand(title, help_text, partial(self.run_action, action))

    # ---------------------------------------------------------------- stepping
    def action_next_unit(self) -> None:
        if self.index + 1 < len(self.items):
            self.index += 1
            self.show()
        else:
            self.app.bell()

    def action_previous_unit(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.show()
        else:
            self.app.bell()

    # ---------------------------------------------------------------- deciding
    def action_keep_coder(self, number: int) -> None:
        if 1 <= number <= len(self.coders):
            self.decide(self.coders[number - 1])

    def action_keep(self, keep: str) -> None:
        self.decide(keep)

    def decide(self, keep: str) -> None:
        item = self.current
        if item is None:
            self.app.bell()
            return
        try:
            resolve(self.store, item, keep)
        except QualcodeError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.decided.append((item.document_id, item.start, item.end))
        kept = {"both": "kept both codings", "neither": "removed the codings"}.get(keep, f"kept {keep}'s coding")
        self.say(f"{item.code} in {item.respondent or item.document} {item.start}–{item.end}: {kept} (u undoes).")
        self.load(after=(item.document_id, item.start, item.end))

    def action_undo(self) -> None:
        """The workbench's undo: takes back the last action, a decision here or a coding before."""
        try:
            description = self.store.undo()
        except QualcodeError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if description is None:
            self.notify("Nothing left to undo.", severity="warning")
            return
        self.say(f"Undid: {description}")
        back = self.decided.pop() if description.startswith("resolve disagreement") and self.decided else None
        self.load(after=back)

    # ---------------------------------------------------------------- coders, jump, back
    def action_choose_coders(self) -> None:
        names = self.store.coders()
        if len(names) < 2:
            self.notify("Only one coder has codings in this project.", severity="warning")
            return
        groups = [list(pair) for pair in combinations(names, 2)]
        if len(names) > 2:
            groups.append(list(names))
        choices = [Choice(group, " × ".join(group), " ".join(group)) for group in groups]

        def chosen(group: list[str] | None) -> None:
            if group and group != self.coders:
                self.coders = group
                self.index = 0
                self.load()

        self.app.push_screen(ChoiceDialog("Compare which coders?", choices, initial=self.coders), chosen)

    def action_jump(self) -> None:
        item = self.current
        if item is not None:
            self.dismiss((item.document_id, item.start, item.end))

    def action_back(self) -> None:
        self.dismiss(None)
