"""The search screen: a query, a keyword-in-context list of hits, jumping into the transcript,
and "code all results" with a chosen code as one undoable action.

Self-contained: push `SearchScreen(store)`; it posts `SearchScreen.JumpTo(document_id, start,
end)` to the app when a hit is chosen (and, with `close_on_jump`, dismisses itself with the same
`(document_id, start, end)` tuple), and `SearchScreen.Coded(code_id, coding_ids)` after coding
all results, so the workbench can refresh.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Input, Static

from qualcode.coding.search import SCOPES, SearchFilters, SearchHit, code_all_results, parse_query, search
from qualcode.errors import QualcodeError
from qualcode.store.codebooks import PATH_SEPARATOR

RESULT_LIMIT = 5000
"""Hits shown at most; "code all results" codes the shown ones."""


class SearchScreen(Screen[tuple[int, int, int] | None]):
    """Search the transcripts by word (lemma or exact), phrase, prefix or regex."""

    DEFAULT_CSS = """
    SearchScreen { layout: vertical; }
    SearchScreen #search-bar { height: auto; }
    SearchScreen #search-query { width: 1fr; }
    SearchScreen #search-respondent { width: 22; }
    SearchScreen #search-options { height: auto; }
    SearchScreen #search-options Checkbox { width: auto; border: none; padding: 0 1; }
    SearchScreen #search-results { height: 1fr; }
    SearchScreen #search-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "close", "close", id="search.close"),
        Binding("ctrl+l", "focus_query", "query", id="search.focus-query"),
        Binding("c", "code_all", "code all results", id="search.code-all"),
        Binding("s", "cycle_scope", "scope", id="search.scope"),
    ]

    class JumpTo(Message):
        """Show this passage in the transcript."""

        def __init__(self, document_id: int, start: int, end: int) -> None:
            super().__init__()
            self.document_id = document_id
            self.start = start
            self.end = end

    class Coded(Message):
        """All results were coded with one code (one undo step)."""

        def __init__(self, code_id: int, coding_ids: list[int]) -> None:
            super().__init__()
            self.code_id = code_id
            self.coding_ids = coding_ids

    def __init__(self, store, *, query: str = "", filters: SearchFilters | None = None, close_on_jump: bool = True,
                 scope: str = "segment", pick_code: Callable | None = None, name: str | None = None,
                 id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.store = store
        self.initial_query = query
        self.filters = filters or SearchFilters()
        self.close_on_jump = close_on_jump
        self.scope = scope
        self.pick_code = pick_code
        self.hits: list[SearchHit] = []
        self.searched = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-bar"):
            yield Input(self.initial_query, placeholder="word, phrase, prefix* or regex; a OR b", id="search-query")
            yield Input(", ".join(self.filters.respondents), placeholder="respondent(s)", id="search-respondent")
        with Horizontal(id="search-options"):
            yield Checkbox("lemma", True, id="search-lemma")
            yield Checkbox("regex", False, id="search-regex")
            yield Checkbox("respondents' turns only", self.filters.respondent_turns_only, id="search-respondent-turns")
        yield DataTable(id="search-results", cursor_type="row", zebra_stripes=True)
        yield Static("type a query and press enter", id="search-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#search-results", DataTable)
        for label, key in (("document", "document"), ("resp.", "respondent"), ("left", "left"), ("match", "match"),
                           ("right", "right")):
            table.add_column(label, key=key)
        self.query_one("#search-query", Input).focus()
        if self.initial_query:
            self.run_search()

    # ---------------------------------------------------------------- searching
    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.run_search()

    @on(Checkbox.Changed)
    def _option_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "search-regex" and event.value:
            self.query_one("#search-lemma", Checkbox).value = False
        if self.searched:
            self.run_search()

    def current_filters(self) -> SearchFilters:
        respondents = tuple(r.strip() for r in self.query_one("#search-respondent", Input).value.split(",") if r.strip())
        return SearchFilters(respondent_turns_only=self.query_one("#search-respondent-turns", Checkbox).value,
                             respondents=respondents, attributes=self.filters.attributes,
                             code_ids=self.filters.code_ids, document_ids=self.filters.document_ids)

    def current_mode(self) -> str:
        if self.query_one("#search-regex", Checkbox).value:
            return "regex"
        return "lemma" if self.query_one("#search-lemma", Checkbox).value else "exact"

    def run_search(self) -> None:
        text = self.query_one("#search-query", Input).value
        if not text.strip():
            self._status("type a query and press enter")
            return
        try:
            query = parse_query(text, mode=self.current_mode())
        except QualcodeError as error:
            self._status(str(error))
            return
        self._status("searching…")
        self._search(query, self.current_filters())

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query, filters: SearchFilters) -> None:
        started = time.perf_counter()
        try:
            hits = search(self.store, query, filters=filters, limit=RESULT_LIMIT)
        except QualcodeError as error:
            self.app.call_from_thread(self._status, str(error))
            return
        self.app.call_from_thread(self._show, query.text, hits, time.perf_counter() - started)

    def _show(self, text: str, hits: list[SearchHit], seconds: float) -> None:
        self.hits = hits
        self.searched = text
        table = self.query_one("#search-results", DataTable)
        table.clear()
        for index, hit in enumerate(hits):
            table.add_row(hit.document, hit.respondent or "",
                          Text(" ".join(hit.left.split()) + (" " if hit.left[-1:].isspace() else ""), justify="right",
                               no_wrap=True),
                          Text(" ".join(hit.text.split()), style="bold reverse"),
                          Text(" ".join(hit.right.split()), no_wrap=True), key=str(index))
        more = " (first ones only)" if len(hits) >= RESULT_LIMIT else ""
        self._status(f"{len(hits)} hits{more} for {text!r} in {seconds * 1000:.0f} ms · scope {self.scope} · "
                     "enter: jump · c: code all")
        if hits:
            table.focus()

    def _status(self, message: str) -> None:
        self.query_one("#search-status", Static).update(message)

    # ---------------------------------------------------------------- jumping
    @on(DataTable.RowSelected, "#search-results")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        hit = self.hits[int(event.row_key.value)]
        self.app.post_message(self.JumpTo(hit.document_id, hit.start, hit.end))
        if self.close_on_jump:
            self.dismiss((hit.document_id, hit.start, hit.end))

    # ---------------------------------------------------------------- actions
    def action_close(self) -> None:
        self.dismiss(None)

    def action_focus_query(self) -> None:
        self.query_one("#search-query", Input).focus()

    def action_cycle_scope(self) -> None:
        self.scope = SCOPES[(SCOPES.index(self.scope) + 1) % len(SCOPES)]
        self._status(f"code all results codes each hit's {self.scope}")

    def action_code_all(self) -> None:
        if not self.hits:
            self.app.bell()
            self._status("nothing to code: search first")
            return
        if self.pick_code is not None:
            self.pick_code(self.code_all_with)
            return
        from qualcode.tui.dialogs.choice import Choice, ChoiceDialog

        choices = [Choice(code.id, PATH_SEPARATOR.join(self.store.code_path(code.id)),
                          PATH_SEPARATOR.join(self.store.code_path(code.id))) for code in self.store.codes()]
        if not choices:
            self._status("the project has no codes yet")
            return
        self.app.push_screen(ChoiceDialog(f"code all {len(self.hits)} results with…", choices,
                                          placeholder="type a code name", hint="enter: code · esc: cancel"),
                             self.code_all_with)

    def code_all_with(self, code_id: int | None) -> None:
        """Code every shown hit with the code, as one undoable action."""
        if code_id is None:
            return
        try:
            coding_ids = code_all_results(self.store, self.hits, code_id, scope=self.scope, query=self.searched)
        except QualcodeError as error:
            self.notify(str(error), severity="error")
            return
        name = self.store.code(code_id).name
        self.notify(f"coded {len(set(coding_ids))} passages with {name}; one undo takes them all back")
        self.app.post_message(self.Coded(code_id, coding_ids))
