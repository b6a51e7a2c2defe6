"""The coding workbench: documents | transcript | codes, a status line and the footer.

This module holds the layout, loading (thread workers), and the glue between panes; the
coding actions live in `workbench_coding.py` and the cursor and navigation actions in
`workbench_navigation.py`, both mixed into `WorkbenchScreen`.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import TextArea, Tree
from textual.worker import get_current_worker

from qualcode.coding.models import Code, Codebook, Document
from qualcode.store import Store
from qualcode.tui.commands import TIER_WIDTHS, WORKBENCH, bindings, with_width
from qualcode.tui.model import DocumentModel
from qualcode.tui.screens.workbench_coding import CodingActions
from qualcode.tui.screens.workbench_navigation import NavigationActions
from qualcode.tui.screens.workbench_team import TeamActions
from qualcode.tui.widgets.code_tree import CodeTree
from qualcode.tui.widgets.document_tree import DocumentTree
from qualcode.tui.widgets.status_bar import StatusBar
from qualcode.tui.widgets.transcript import TranscriptView
from qualcode.tui.widgets.footer import KeyFooter

COMMANDS = {c.id: c for c in WORKBENCH}
WRITE_ACTIONS = {"apply_quick", "pick_code", "repeat_code", "in_vivo", "remove_coding", "change_coding",
                 "fit_coding", "extend_coding", "shrink_coding", "memo_coding", "memo_document", "memo_code",
                 "undo", "redo", "review_suggestions"}
DOCUMENT_ACTIONS = {"apply_quick", "pick_code", "repeat_code", "in_vivo", "remove_coding", "change_coding",
                    "fit_coding", "extend_coding", "shrink_coding", "memo_coding", "memo_document",
                    "next_sentence", "previous_sentence", "next_word", "previous_word", "next_turn",
                    "previous_turn", "extend_sentence_forward", "extend_sentence_backward", "extend_word_forward",
                    "extend_word_backward", "select_sentence", "select_turn", "clear_selection", "next_uncoded",
                    "previous_uncoded", "document_codings"}
NARROW, WIDE = 110, 150
BACKUP_CHECK_SECONDS = 60  # the store decides whether a backup is due (interval, changes)


def quick_keys(codes: Iterable[Code], codebook_id: int | None) -> dict[int, str]:
    """Code id -> digit for the active codebook: a code's own key first, then codebook order."""
    book = [c for c in codes if c.codebook_id == codebook_id]
    keys: dict[int, str] = {}
    for code in book:
        if code.key and len(code.key) == 1 and code.key in "123456789" and code.key not in keys.values():
            keys[code.id] = code.key
    free = [d for d in "123456789" if d not in keys.values()]
    for code in book:
        if code.id not in keys and free:
            keys[code.id] = free.pop(0)
    return keys


class WorkbenchScreen(TeamActions, CodingActions, NavigationActions, Screen):
    CSS_PATH = "workbench.tcss"
    BINDINGS = bindings(WORKBENCH)

    def __init__(self, store: Store) -> None:
        super().__init__(id="workbench")
        self.store = store
        self.model: DocumentModel | None = None
        self.documents: list[Document] = []
        self.books: list[Codebook] = []
        self.codes: dict[int, Code] = {}
        self.paths: dict[int, str] = {}
        self.active_book: int | None = None
        self.keys: dict[int, str] = {}  # code id -> quick key
        self.project_counts: Counter[int] = Counter()
        self.progress: dict[int, tuple[int, int]] = {}
        self.last_code: int | None = None
        self.last_question: str | None = None
        self.ready = False  # set once the first document (or none) is shown and input is live
        self._tier = -1  # how many footer tiers the terminal is wide enough for
        self._cursor = 0  # the transcript cursor's offset, kept for saving on exit

    # ---------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="documents-pane", classes="pane") as pane:
                pane.border_title = "Documents"
                # Filled before it is mounted: adding 1,000 nodes to a mounted tree repaints 1,000 times.
                documents = DocumentTree(id="documents")
                self.documents = self.store.documents()
                documents.populate(self.documents, {})
                yield documents
            with Vertical(id="transcript-pane", classes="pane"):
                yield TranscriptView(id="transcript")
            with Vertical(id="codes-pane", classes="pane") as pane:
                pane.border_title = "Codes"
                yield CodeTree(id="codes")
        yield StatusBar(id="status-bar")
        yield KeyFooter(compact=True)

    @property
    def transcript(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def code_tree(self) -> CodeTree:
        return self.query_one(CodeTree)

    @property
    def document_tree(self) -> DocumentTree:
        return self.query_one(DocumentTree)

    def on_mount(self) -> None:
        self._apply_width(self.app.size.width)
        self.reload_codes()
        if not self.store.read_only and hasattr(self.store, "backup_if_due"):
            self.set_interval(BACKUP_CHECK_SECONDS, self.backup_if_due)
        self.transcript.focus()
        remembered = self.store.get_setting("tui.document")
        doc_ids = [d.id for d in self.documents]
        first = int(remembered) if remembered and remembered.isdigit() and int(remembered) in doc_ids else \
            (doc_ids[0] if doc_ids else None)
        if first is None:
            self.ready = True
            self.update_status()
            self.load_statistics()
        else:
            # The first document loads right here, before the first frame: no thread hop and no
            # competition for the GIL, so the screen comes up with the text (about 40 ms for a
            # 60,000-word transcript). Later switches load in a thread worker.
            self._show_model(self._fetch_model(self.store, first), self._restore_cursor)

    def _restore_cursor(self) -> None:
        """Back where the coder left off last time (the offset saved on exit)."""
        remembered = self.store.get_setting("tui.cursor") or ""
        doc, _, offset = remembered.partition(":")
        if self.model is not None and doc == str(self.model.document.id) and offset.isdigit():
            self.transcript.move_to(min(int(offset), len(self.model.text)), center=True)

    def on_unmount(self) -> None:
        if self.model is not None and not self.store.read_only and self.store.db is not None:
            self.store.set_setting("tui.cursor", f"{self.model.document.id}:{self._cursor}")

    def on_resize(self, event: Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        """Responsive layout: hide the documents pane below 110 columns, widen panes from 150,
        and show more keys in the footer the wider the terminal."""
        self.set_class(width < NARROW, "-narrow")
        self.set_class(width >= WIDE, "-wide")
        tier = sum(width >= w for w in TIER_WIDTHS)
        if tier == self._tier:
            return
        self._tier = tier
        key_map = self._bindings.key_to_bindings
        for key, key_bindings in key_map.items():
            key_map[key] = [with_width(b, COMMANDS, width) for b in key_bindings]
        self.refresh_bindings()

    # ---------------------------------------------------------------- codes
    def reload_codes(self) -> None:
        """Read codebooks and codes again (after creating a code, undo or redo)."""
        books = self.store.codebooks()
        codes = self.store.codes()
        changed = (books != self.books) or (list(self.codes.values()) != codes)
        self.books = books
        self.codes = {c.id: c for c in codes}
        self.paths = {}
        for code in codes:  # parents come first, so their paths are known
            parent = self.paths.get(code.parent_id) if code.parent_id else None
            self.paths[code.id] = f"{parent} > {code.name}" if parent else code.name
        book_ids = [b.id for b in books]
        if self.active_book not in book_ids:
            remembered = self.store.get_setting("tui.codebook")
            self.active_book = int(remembered) if remembered and remembered.isdigit() and int(remembered) in book_ids \
                else (book_ids[0] if book_ids else None)
        keys = quick_keys(codes, self.active_book)
        keys_changed = keys != self.keys
        self.keys = keys
        if self.last_code not in self.codes:
            self.last_code = None
        if changed or not self.code_tree.codes:
            self.code_tree.populate(books, codes, self.keys, self.active_book)
            self.code_tree.set_counts(self.model.counts if self.model else {}, self.project_counts)
        self.transcript.set_colours({c.id: c.colour for c in codes})
        if keys_changed:
            self.refresh_bindings()

    def code_for_key(self, digit: int) -> int | None:
        wanted = str(digit)
        return next((code_id for code_id, key in self.keys.items() if key == wanted), None)

    # ---------------------------------------------------------------- loading (thread workers)
    def open_document(self, doc_id: int, then: Callable[[], None] | None = None) -> None:
        """Show a document (loaded in a thread), then run `then` (a jump or a selection)."""
        if self.model is not None and self.model.document.id == doc_id:
            if then:
                then()
            return
        self._load_document(doc_id, then)

    @staticmethod
    def _fetch_model(store: Store, doc_id: int) -> DocumentModel:
        return DocumentModel(store.document(doc_id), store.document_text(doc_id), store.turns(doc_id),
                             store.segments(doc_id), store.codings(document_id=doc_id))

    @work(thread=True, exclusive=True, group="document", exit_on_error=False)
    def _load_document(self, doc_id: int, then: Callable[[], None] | None) -> None:
        model = self._fetch_model(self.app.reader("document"), doc_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_model, model, then)

    def _show_model(self, model: DocumentModel, then: Callable[[], None] | None) -> None:
        self.model = model
        self.apply_coder_view(model)
        self.transcript.show_document(model)
        self.document_tree.highlight_document(model.document.id)
        self.refresh_document_statistics()
        if not self.ready:
            self.refresh_bindings()  # document actions become available
        if then:
            then()
        self.update_status()
        if not self.store.read_only:
            self.store.set_setting("tui.document", str(model.document.id))
        # The document's tens of thousands of objects live as long as it is open: exempt them
        # from the cyclic collector, whose full passes over them otherwise pause input for
        # up to 0.1 s now and then (measured with benchmarks/bench_tui.py).
        self.call_after_refresh(gc.freeze)
        if not self.ready:
            self.ready = True
            self.call_after_refresh(self.load_statistics)  # after the first frame: it competes for the GIL

    @work(thread=True, exclusive=True, group="statistics", exit_on_error=False)
    def load_statistics(self) -> None:
        """Project-wide counts per code and progress per document (slow on big projects)."""
        reader = self.app.reader("statistics")
        counts = self.coder_view.code_counts(reader)
        if get_current_worker().is_cancelled:
            return
        progress = reader.coding_progress()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_statistics, counts, progress)

    @work(thread=True, exclusive=True, group="backup", exit_on_error=False)
    def backup_if_due(self) -> None:
        """A rolling automatic backup when one is due (the store reads through its own connection)."""
        self.store.backup_if_due()
        error = getattr(self.store, "backup_error", None)
        if error:
            self.app.call_from_thread(self.notify, error, severity="error", markup=False)

    def _show_statistics(self, counts: dict[int, int], progress: dict[int, tuple[int, int]]) -> None:
        self.project_counts = Counter(counts)
        self.progress = progress
        self.document_tree.set_progress(progress)
        self.refresh_document_statistics()

    def refresh_document_statistics(self) -> None:
        """Counts and progress of the open document, computed from the model (no query)."""
        model = self.model
        self.code_tree.set_counts(model.counts if model else {}, self.project_counts)
        if model is None:
            return
        coded, total = model.progress()
        self.progress[model.document.id] = (coded, total)
        self.document_tree.set_progress({model.document.id: (coded, total)})
        pane = self.query_one("#transcript-pane")
        doc = model.document
        name = doc.respondent or doc.title
        pane.border_title = f"{name} · {doc.title}" if doc.title != name else name
        if doc.round is not None:
            pane.border_title += f" · round {doc.round}"
        share = f"{coded * 100 // total}%" if total else "–"
        count = len(model.codings)
        pane.border_subtitle = f"{share} of answers coded · {count} coding{'s' if count != 1 else ''}"
        if model.hidden_count:
            pane.border_subtitle += f" ({model.hidden_count} hidden by the view)"

    # ---------------------------------------------------------------- events between panes
    @on(TextArea.SelectionChanged, "#transcript")
    def _selection_changed(self, event: TextArea.SelectionChanged) -> None:
        self._cursor = self.transcript.cursor_offset  # saved on exit, restored on the next start
        self.update_status()

    @on(Tree.NodeSelected, "#documents")
    def _document_chosen(self, event: Tree.NodeSelected) -> None:
        if event.node.data:
            self.open_document(event.node.data, then=self.transcript.focus)

    @on(Tree.NodeSelected, "#codes")
    def _code_chosen(self, event: Tree.NodeSelected) -> None:
        code_id = event.node.data
        if code_id is None or code_id <= 0:
            return
        start, end = self.transcript.selection_offsets
        if self.model is not None and start < end and not self.store.read_only:
            self.apply_code(code_id)

    def update_status(self) -> None:
        model = self.model
        status = self.query_one(StatusBar)
        last = self.codes[self.last_code].name if self.last_code in self.codes else None
        if model is None:
            status.show(coder=self.store.user, read_only=self.store.read_only, position="no document",
                        selection="", at_cursor=[], last_code=last, view=self.view_label())
            return
        cursor = self.transcript.cursor_offset
        start, end = self.transcript.selection_offsets
        turn = model.turn_at(cursor)
        position = f"{model.document.respondent or model.document.title}"
        if turn is not None:
            position += f" · {turn.speaker} {turn.index + 1}/{len(model.turns)}"
        position += f" · @{cursor}"
        selection = ""
        if end > start:
            sentences = sum(1 for s in model.segments if s.start < end and s.end > start)
            words = model.count_words(start, end)
            selection = f"{start}–{end} · {sentences} sent. · {words} word{'s' if words != 1 else ''}"
        at_cursor = [(self.codes[c.code_id].name, self.codes[c.code_id].colour)
                     for c in model.codings_at(cursor) if c.code_id in self.codes]
        status.show(coder=self.store.user, read_only=self.store.read_only, position=position,
                    selection=selection, at_cursor=at_cursor, last_code=last, view=self.view_label())

    # ---------------------------------------------------------------- actions: availability and palette
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in WRITE_ACTIONS and self.store.read_only:
            return None
        if action in DOCUMENT_ACTIONS and self.model is None:
            return None
        if action == "apply_quick" and parameters and self.code_for_key(int(str(parameters[0]))) is None:
            return None
        if action == "repeat_code" and self.last_code is None:
            return None
        return True

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Every workbench action for the command palette, titled "area: verb"."""
        for command in WORKBENCH:
            action, parameters = command.action, ()
            if action.startswith("apply_quick("):
                digit = int(action[len("apply_quick("):-1])
                code_id = self.code_for_key(digit)
                if code_id is None:
                    continue
                title = f"coding: apply {self.paths[code_id]} ({digit})"
                parameters = (digit,)
            else:
                title = command.title
            key = command.key_display or command.key
            help_text = f"key {key}" if key else "palette only"
            if self.check_action(action.split("(")[0], parameters) is not True:
                help_text += f" · {self.unavailable_reason(action)}"
            yield SystemCommand(title, help_text, partial(self.run_from_palette, action, parameters))

    def unavailable_reason(self, action: str) -> str:
        name = action.split("(")[0]
        if name in WRITE_ACTIONS and self.store.read_only:
            return "not while the project is read-only"
        if name in DOCUMENT_ACTIONS and self.model is None:
            return "open a document first"
        if name == "repeat_code":
            return "apply a code first"
        return "not available here"

    async def run_from_palette(self, action: str, parameters: tuple[object, ...]) -> None:
        if self.check_action(action.split("(")[0], parameters) is not True:
            self.notify(f"Not now: {self.unavailable_reason(action)}.", severity="warning")
            return
        await self.run_action(action)

    # ---------------------------------------------------------------- view actions
    def action_toggle_documents(self) -> None:
        if self.has_class("-narrow"):
            self.toggle_class("-show-documents")
            if self.has_class("-show-documents"):
                self.document_tree.focus()
        else:
            self.toggle_class("-hide-documents")

    def action_next_codebook(self) -> None:
        if not self.books:
            self.notify("The project has no codebook yet: create a code with c.", severity="warning")
            return
        ids = [b.id for b in self.books]
        index = ids.index(self.active_book) if self.active_book in ids else -1
        self.active_book = ids[(index + 1) % len(ids)]
        self.keys = quick_keys(self.codes.values(), self.active_book)
        self.code_tree.set_active_book(self.active_book, self.keys)
        if not self.store.read_only:
            self.store.set_setting("tui.codebook", str(self.active_book))
        book = next(b for b in self.books if b.id == self.active_book)
        self.notify(f"Quick keys 1-9 now apply codes of {book.name}.", markup=False)
        self.refresh_bindings()

    def action_retrieve(self) -> None:
        from qualcode.tui.screens.retrieval import RetrievalScreen

        code_id = self.code_tree.highlighted_code or self.last_code
        if code_id is None and self.model is not None:
            at_cursor = self.model.codings_at(self.transcript.cursor_offset)
            code_id = at_cursor[0].code_id if at_cursor else None
        if code_id is None:
            self.pick(lambda chosen: self.app.push_screen(RetrievalScreen(self.store, chosen, self), self.jump_to),
                      title="Retrieve passages coded with…", allow_new=False)
            return
        self.app.push_screen(RetrievalScreen(self.store, code_id, self), self.jump_to)

    def action_document_codings(self) -> None:
        from qualcode.tui.screens.document_codings import DocumentCodingsScreen

        if self.model is not None:
            self.app.push_screen(DocumentCodingsScreen(self.model, self.codes, self.paths), self.jump_to)

    def action_search(self) -> None:
        from qualcode.tui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(self.store, pick_code=lambda then: self.pick(then, allow_new=False)),
                             self.jump_to)

    def action_review_suggestions(self) -> None:
        from qualcode.tui.screens.review import ReviewScreen

        def back(target: tuple[int, int, int] | None) -> None:
            self.refresh_from_store()  # accepted suggestions are codings now
            self.jump_to(target)

        self.app.push_screen(ReviewScreen(self.store), back)

    def action_pseudonymise(self) -> None:
        from qualcode.tui.dialogs.pseudonymise import PseudonymiseDialog

        def made(path: object) -> None:
            if path is not None:
                self.notify(f"Pseudonymised copy written to {path}.", markup=False)

        self.app.push_screen(PseudonymiseDialog(self.store), made)

    def action_matrix(self) -> None:
        from qualcode.tui.screens.matrix import MatrixScreen

        code_id = self.code_tree.highlighted_code if self.code_tree.has_focus else None

        def back(target: tuple[int, int, int] | None) -> None:
            self.refresh_from_store()  # undo and redo there may have changed codings
            self.jump_to(target)

        self.app.push_screen(MatrixScreen(self.store, self, roots=[code_id] if code_id else None), back)

    def action_export_table(self, kind: str = "matrix", fmt: str | None = None) -> None:
        from qualcode.tui.dialogs.export import open_export

        open_export(self, kind, fmt=fmt)

    def jump_to(self, target: tuple[int, int, int] | None) -> None:
        """Show (document, start, end) selected, cursor at its start, scrolled into view."""
        if target is None:
            return
        doc_id, start, end = target

        def select() -> None:
            self.transcript.select_span(end, start, center=True)
            self.transcript.focus()

        self.open_document(doc_id, then=select)
