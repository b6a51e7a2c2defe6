"""Retrieval: every passage coded with a code (optionally with its sub-codes), grouped by
respondent with the respondent's label and attributes; filter by a respondent attribute and by
document round; enter jumps back into the transcript at the passage."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Checkbox, Label, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from qualcode.coding.models import Respondent
from qualcode.store import Store
from qualcode.store.workbench import Passage
from qualcode.tui.commands import RETRIEVAL, bindings
from qualcode.tui.widgets.footer import KeyFooter
from qualcode.tui.widgets.passage_list import JumpsToPassage, PassageList

if TYPE_CHECKING:
    from qualcode.tui.screens.workbench import WorkbenchScreen

ANY = Select.NULL


def passage_prompt(passage: Passage, code_name: str | None, colour: str | None) -> Text:
    """Two or more lines: where it is (document, offsets, code), then the passage, then the memo."""
    text = Text()
    text.append("▌", style=Style(color=colour) if colour else "")
    text.append(f"{passage.document}", style="bold")
    text.append(f"  {passage.start}–{passage.end}", style="dim")
    if code_name:
        text.append(f"  {code_name}", style="italic")
    text.append("\n  ”" + " ".join(passage.text.split()) + "”")
    if passage.memo:
        text.append("\n  ✎ " + " ".join(passage.memo.split()), style="dim italic")
    return text


def respondent_heading(label: str, respondent: Respondent | None, count: int) -> Text:
    attributes = ", ".join(f"{v}" for k, v in (respondent.attributes.items() if respondent else ())
                           if k in ("role", "organisation_type", "size", "region"))
    heading = Text()
    heading.append(label, style="bold reverse")
    if attributes:
        heading.append(f"  {attributes}", style="dim")
    heading.append(f"  · {count} passage{'s' if count != 1 else ''}", style="dim")
    return heading


class RetrievalScreen(JumpsToPassage, Screen[tuple[int, int, int] | None]):
    CSS_PATH = "retrieval.tcss"
    BINDINGS = bindings(RETRIEVAL)
    AUTO_FOCUS = "#passages"

    def __init__(self, store: Store, code_id: int, workbench: WorkbenchScreen) -> None:
        super().__init__(id="retrieval")
        self.store = store
        self.code_id = code_id
        self.workbench = workbench
        self.with_children = False
        self.passages: list[Passage] = []
        self.shown: list[Passage | None] = []
        self.respondents: dict[int, Respondent] = {}
        self.rounds: dict[int, int | None] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="retrieval-bar"):
            yield Label(id="retrieval-code")
            yield Checkbox("sub-codes", id="with-children")
            yield Select([], prompt="any respondent", id="attribute-filter")
            yield Select([], prompt="any round", id="round-filter")
        yield PassageList(id="passages")
        yield Static(id="retrieval-summary")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        respondents = self.store.respondents()
        self.respondents = {r.id: r for r in respondents}
        pairs = sorted({(name, str(value)) for r in respondents for name, value in r.attributes.items()
                        if value is not None and value != ""})
        self.query_one("#attribute-filter", Select).set_options([(f"{n} = {v}", (n, v)) for n, v in pairs])
        rounds = sorted({d.round for d in self.workbench.documents if d.round is not None})
        self.query_one("#round-filter", Select).set_options([(f"round {r}", r) for r in rounds])
        self.query_one("#round-filter", Select).display = bool(rounds)
        self.query_one("#with-children", Checkbox).display = bool(self.store.descendant_ids(self.code_id))
        self.query_one("#passages", OptionList).focus()
        self.reload()

    # ---------------------------------------------------------------- loading
    def reload(self) -> None:
        code_ids = [self.code_id, *(self.store.descendant_ids(self.code_id) if self.with_children else [])]
        self.query_one("#retrieval-code", Label).update(Text.assemble(
            ("■ ", Style(color=self.workbench.codes[self.code_id].colour)),
            (self.workbench.paths[self.code_id], "bold"), (" + sub-codes" if self.with_children else "", "dim")))
        self.query_one("#passages", OptionList).loading = True
        self._load(code_ids)

    @work(thread=True, exclusive=True, group="retrieval", exit_on_error=False)
    def _load(self, code_ids: Sequence[int]) -> None:
        reader = self.app.reader()
        passages = reader.coded_passages(code_ids)
        shown = self.workbench.coder_view.project_ids(reader, code_ids)  # whose codings the workbench shows
        if shown is not None:
            passages = [p for p in passages if p.coding_id in shown]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, passages)

    def _loaded(self, passages: list[Passage]) -> None:
        self.passages = passages
        self.query_one("#passages", OptionList).loading = False
        self.show()

    def show(self) -> None:
        attribute = self.query_one("#attribute-filter", Select).value
        round_value = self.query_one("#round-filter", Select).value
        passages = self.passages
        if attribute is not ANY:
            name, value = attribute  # type: ignore[misc]
            passages = [p for p in passages if p.respondent_id in self.respondents
                        and str(self.respondents[p.respondent_id].attributes.get(name)) == value]
        if round_value is not ANY:
            passages = [p for p in passages if p.round == round_value]
        options: list[Option] = []
        self.shown = []
        many_codes = self.with_children
        for label, group in groupby(passages, key=lambda p: p.respondent):
            group = list(group)
            respondent = self.respondents.get(group[0].respondent_id) if group[0].respondent_id else None
            options.append(Option(respondent_heading(label, respondent, len(group)), disabled=True))
            self.shown.append(None)
            for passage in group:
                code = self.workbench.codes.get(passage.code_id)
                options.append(Option(passage_prompt(passage, code.name if many_codes and code else None,
                                                     code.colour if code else None)))
                self.shown.append(passage)
        option_list = self.query_one("#passages", OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        # start at the open document's first passage, else at the first passage
        here = self.workbench.model.document.id if self.workbench.model else None
        first = next((i for i, p in enumerate(self.shown) if p is not None and p.document_id == here), None)
        if first is None:
            first = next((i for i, p in enumerate(self.shown) if p is not None), None)
        option_list.highlighted = first
        if first is not None:
            option_list.scroll_to_highlight(top=True)
        people = len({p.respondent for p in passages})
        summary = f"{len(passages)} passages from {people} respondents"
        if len(passages) != len(self.passages):
            summary += f" (of {len(self.passages)} before filtering)"
        if not self.workbench.coder_view.shows_all:
            summary += f" · {self.workbench.coder_view.label}"
        self.query_one("#retrieval-summary", Static).update(summary)

    # ---------------------------------------------------------------- events and actions
    @on(Select.Changed)
    def _filter_changed(self) -> None:
        if self.passages:
            self.show()

    @on(Checkbox.Changed, "#with-children")
    def _children_changed(self, event: Checkbox.Changed) -> None:
        if event.value != self.with_children:
            self.with_children = event.value
            self.reload()

    @on(OptionList.OptionSelected, "#passages")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.jump_to(event.option_index)

    def action_toggle_children(self) -> None:
        checkbox = self.query_one("#with-children", Checkbox)
        if checkbox.display:
            checkbox.value = not checkbox.value

    def action_choose_code(self) -> None:
        def chosen(code_id: int | None) -> None:
            if code_id is not None:
                self.code_id = code_id
                self.query_one("#with-children", Checkbox).display = bool(self.store.descendant_ids(code_id))
                self.reload()

        from qualcode.tui.dialogs.code_picker import CodePicker

        self.app.push_screen(CodePicker("Retrieve passages coded with…", list(self.workbench.codes.values()),
                                        self.workbench.paths, self.workbench.keys, active_book=None,
                                        initial=self.code_id, allow_new=False), chosen)

    def action_back(self) -> None:
        self.dismiss(None)
