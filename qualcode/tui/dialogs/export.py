"""Export one table: choose the table, its code, the format and the file; the table is built by
`qualcode.coding.study.build_table` and written by `qualcode.io.tables.write_table`, the same
functions `qualcode export` ends in, in a thread worker with a progress bar.

An existing file is never replaced silently: the first export to it stops and asks, a second
press of Export (ctrl+s) overwrites it. Dismisses with the written path, or None.
Self-contained (styles in DEFAULT_CSS) so any screen can push it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static
from textual.worker import get_current_worker

from qualcode.coding.matrix import CELL_MODES
from qualcode.coding.models import Code, Codebook
from qualcode.coding.study import NEEDS_CODE, TABLE_KINDS, build_table
from qualcode.coding.table import slug
from qualcode.errors import QualcodeError
from qualcode.io.tables import EXTENSIONS, HEATMAP_FORMATS, TABLE_FORMATS, write_table
from qualcode.privacy.leaks import NamesLeakError
from qualcode.privacy.leaks import summary as leak_summary
from qualcode.store import Store

KIND_TITLES = {"summary": "summary table (themes × respondents)", "matrix": "matrix (codes × respondents)",
               "quotes": "quotes", "cooccurrence": "code co-occurrence", "frequencies": "code frequencies",
               "codebook": "codebook"}
DEFAULT_FORMAT = {"summary": "docx", "matrix": "xlsx", "quotes": "docx", "cooccurrence": "xlsx",
                  "frequencies": "xlsx", "codebook": "docx"}
FORMAT_TITLES = {"xlsx": "Excel (.xlsx)", "docx": "Word (.docx)", "csv": "CSV", "md": "Markdown", "tex": "LaTeX",
                 "html": "HTML", "json": "JSON", "txt": "plain text", "png": "heatmap picture (.png)",
                 "svg": "heatmap picture (.svg)"}
HEATMAP_KINDS = ("matrix", "cooccurrence")
EVERY_CODE = Select.NULL


def formats_for(kind: str) -> list[str]:
    first = DEFAULT_FORMAT[kind]
    rest = [f for f in TABLE_FORMATS if f != first] + (list(HEATMAP_FORMATS) if kind in HEATMAP_KINDS else [])
    return [first, *rest]


def default_path(project: Path | None, kind: str, code_name: str | None, fmt: str) -> Path:
    """`<project folder>/<project stem>-<kind>[-<code>].<ext>` (the working folder without a file)."""
    folder = project.parent if project is not None else Path.cwd()
    stem = project.stem if project is not None else "qualcode"
    name = f"{stem}-{kind}" + (f"-{slug(code_name)}" if code_name else "")
    return folder / f"{name}{EXTENSIONS[fmt]}"


class ExportDialog(ModalScreen[Path | None]):
    DEFAULT_CSS = """
    ExportDialog {
        align: center middle;
        background: $background 60%;
    }
    ExportDialog #export-box {
        width: 80%;
        max-width: 90;
        min-width: 50;
        height: auto;
        max-height: 100%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    ExportDialog .export-title {
        text-style: bold;
        margin-bottom: 1;
    }
    ExportDialog .export-row {
        height: 1;
        margin-bottom: 1;
    }
    ExportDialog .export-row Label {
        width: 9;
    }
    ExportDialog .export-row Select, ExportDialog .export-row Input {
        width: 1fr;
        margin-right: 1;
    }
    ExportDialog Select > SelectCurrent {
        border: none;
        height: 1;
        padding: 0 1;
    }
    ExportDialog Select:focus > SelectCurrent {
        border: none;
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    ExportDialog Select > SelectOverlay {
        border: round $accent;
    }
    ExportDialog Input {
        border: none;
        height: 1;
        padding: 0 1;
    }
    ExportDialog Input:focus {
        background: $boost;
        text-style: underline;
    }
    ExportDialog #export-status {
        height: auto;
    }
    ExportDialog #export-status.-error {
        color: $error;
    }
    ExportDialog #export-progress {
        display: none;
    }
    ExportDialog.-busy #export-progress {
        display: block;
    }
    ExportDialog #export-buttons {
        height: 1;
        margin-top: 1;
    }
    ExportDialog #export-buttons Button {
        margin-right: 2;
        height: 1;
        min-width: 12;
        border: none;
    }
    ExportDialog .export-hint {
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "export", "export", id="export.write", priority=True),
        Binding("escape", "cancel", "cancel", id="export.cancel"),
    ]

    def __init__(self, store: Store, codes: Sequence[Code], paths: dict[int, str], books: Sequence[Codebook], *,
                 kind: str = "matrix", code_id: int | None = None, roots: Sequence[int] | None = None,
                 fmt: str | None = None, by: str = "respondent", by_choices: Sequence[tuple[str, str]] = (),
                 cells: str = "count") -> None:
        super().__init__()
        self.store = store
        self.codes = list(codes)
        self.paths = paths
        self.books = list(books)
        self.kind = kind if kind in TABLE_KINDS else "matrix"
        self.code_value: object = EVERY_CODE
        if code_id is not None:
            self.code_value = code_id
        elif roots:
            book = next((b for b in self.books if sorted(roots) == sorted(
                c.id for c in self.codes if c.parent_id is None and c.codebook_id == b.id)), None)
            self.code_value = ("book", book.id) if book else roots[0]
        self.fmt = fmt if fmt in formats_for(self.kind) else DEFAULT_FORMAT[self.kind]
        self.by = by
        self.by_choices = list(by_choices) or [("respondent", "respondents")]
        self.cells = cells if cells in CELL_MODES else "count"
        self.busy = False
        self._auto_path = ""
        self._confirmed: Path | None = None  # the existing file the user agreed to overwrite
        self._names_confirmed: Path | None = None  # the file the user agreed to write with real names
        self._format_chosen = fmt is not None

    # ---------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        code_options = [(f"codebook: {b.name}", ("book", b.id)) for b in self.books]
        code_options += [(self.paths.get(c.id, c.name), c.id) for c in self.codes]
        with Vertical(id="export-box"):
            yield Label("Export a table", classes="export-title")
            with Horizontal(classes="export-row"):
                yield Label("Table")
                yield Select([(KIND_TITLES[k], k) for k in TABLE_KINDS], value=self.kind, allow_blank=False,
                             id="export-kind")
            with Horizontal(classes="export-row", id="export-code-row"):
                yield Label("Code")
                yield Select(code_options, value=self.code_value, prompt="every code", id="export-code")
            with Horizontal(classes="export-row", id="export-matrix-row"):
                yield Label("Columns")
                yield Select([(label, by) for by, label in self.by_choices], value=self.by, allow_blank=False,
                             id="export-by")
                yield Select([(mode, mode) for mode in CELL_MODES], value=self.cells, allow_blank=False,
                             id="export-cells")
            with Horizontal(classes="export-row"):
                yield Label("Format")
                yield Select(self._format_options(), value=self.fmt, allow_blank=False, id="export-format")
            with Horizontal(classes="export-row"):
                yield Label("File")
                yield Input(id="export-path")
            yield Static("", id="export-status")
            yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="export-progress")
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-write", variant="primary")
                yield Button("Cancel", id="export-cancel")
            yield Label("ctrl+s: export · esc: cancel", classes="export-hint")

    def on_mount(self) -> None:
        self._refresh_fields()
        self.query_one("#export-kind", Select).focus()

    def _format_options(self) -> list[tuple[str, str]]:
        return [(FORMAT_TITLES[f], f) for f in formats_for(self.kind)]

    # ---------------------------------------------------------------- fields
    def _code_name(self) -> str | None:
        value = self.query_one("#export-code", Select).value
        if isinstance(value, int) and self.kind != "codebook":
            return next((c.name for c in self.codes if c.id == value), None)
        if isinstance(value, tuple) and self.kind != "codebook":
            return next((b.name for b in self.books if b.id == value[1]), None)
        return None

    def _code_argument(self) -> int | list[int] | None:
        value = self.query_one("#export-code", Select).value
        if isinstance(value, tuple):
            return [c.id for c in self.codes if c.parent_id is None and c.codebook_id == value[1]]
        return value if isinstance(value, int) else None

    def _refresh_fields(self) -> None:
        """Show the fields this table has, and the default file name unless one was typed."""
        self.query_one("#export-code-row").display = self.kind != "codebook"
        self.query_one("#export-matrix-row").display = self.kind == "matrix"
        path_input = self.query_one("#export-path", Input)
        if not path_input.value or path_input.value == self._auto_path:
            self._auto_path = str(default_path(self.store.path, self.kind, self._code_name(), self.fmt))
            path_input.value = self._auto_path
        self._confirmed = self._names_confirmed = None
        self._status("")

    @on(Select.Changed, "#export-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        if event.value == self.kind or event.value is Select.NULL:
            return
        self.kind = str(event.value)
        formats = formats_for(self.kind)
        if self.fmt not in formats or not self._format_chosen:
            self.fmt = formats[0]
        select = self.query_one("#export-format", Select)
        select.set_options(self._format_options())
        select.value = self.fmt
        self._refresh_fields()

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL and event.value != self.fmt:
            self.fmt = str(event.value)
            self._format_chosen = True
            path_input = self.query_one("#export-path", Input)
            if path_input.value and path_input.value != self._auto_path:
                # a typed name keeps its stem and takes the new format's extension
                path_input.value = str(Path(path_input.value).with_suffix(EXTENSIONS[self.fmt]))
            self._refresh_fields()

    @on(Select.Changed, "#export-code")
    def _code_changed(self) -> None:
        self._refresh_fields()

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        if self._confirmed is not None or self._names_confirmed is not None:
            self._confirmed = self._names_confirmed = None
            self._status("")

    # ---------------------------------------------------------------- actions
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-write":
            self.action_export()
        elif event.button.id == "export-cancel":
            self.action_cancel()

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def action_export(self) -> None:
        if self.busy:
            return
        value = self.query_one("#export-path", Input).value.strip()
        if not value:
            self._status("Give the file to write.", error=True)
            return
        path = Path(value).expanduser()
        code = self._code_argument()
        if self.kind in NEEDS_CODE and not isinstance(code, int):
            self._status(f"A {KIND_TITLES[self.kind]} is about one code group: choose the code.", error=True)
            self.query_one("#export-code", Select).focus()
            return
        if path.is_dir():
            self._status(f"{path} is a folder; give a file name.", error=True)
            return
        force = False
        if path.exists():
            if self._confirmed != path:
                self._confirmed = path
                self._status(f"{path.name} already exists. Press Export (ctrl+s) again to overwrite it, or "
                             "change the file name.", error=True)
                self.query_one("#export-write", Button).label = "Overwrite"
                return
            force = True
        by = str(self.query_one("#export-by", Select).value)
        cells = str(self.query_one("#export-cells", Select).value)
        allow_names = self._names_confirmed == path
        self.busy = True
        self.add_class("-busy")
        self._status(f"Building the {KIND_TITLES[self.kind]}…")
        self._export(self.kind, code, by, cells, self.fmt, path, force, allow_names)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, kind: str, code: int | list[int] | None, by: str, cells: str, fmt: str, path: Path,
                force: bool, allow_names: bool) -> None:
        reader = self.app.reader("export")
        try:
            table = build_table(reader, kind, code, by=by, cells=cells)
            if get_current_worker().is_cancelled:
                return
            self.app.call_from_thread(self._status, f"Writing {path.name}…")
            written = write_table(table, path, fmt, force=force, store=reader, allow_names=allow_names)
        except NamesLeakError as error:
            self.app.call_from_thread(self._holds_names, path, error)
        except QualcodeError as error:
            self.app.call_from_thread(self._failed, str(error))
        except Exception as error:  # a bug: say so plainly, keep it for the log and the tests
            self.app.call_from_thread(self.app.report, error)
            self.app.call_from_thread(self._failed, f"The export failed ({type(error).__name__}); nothing was "
                                                    "written.")
        else:
            self.app.call_from_thread(self._done, written)

    # ---------------------------------------------------------------- results
    def _status(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#export-status", Static)
        status.update(message)
        status.set_class(error, "-error")
        if not error or self._confirmed is None:
            self.query_one("#export-write", Button).label = "Export"

    def _failed(self, message: str) -> None:
        self.busy = False
        self.remove_class("-busy")
        self._confirmed = None
        self._status(message, error=True)

    def _holds_names(self, path: Path, error: NamesLeakError) -> None:
        """The project's names list found real names in the table: write it only if asked again."""
        self._failed("")
        self._names_confirmed = path
        found = ", ".join(f"{name} ({count})" for name, count in leak_summary(error.leaks).items())
        self._status(f"The table holds real names from the project's names list: {found}. Export from the "
                     "pseudonymised copy, or press Export (ctrl+s) again to write it anyway.", error=True)
        self.query_one("#export-write", Button).label = "Write anyway"

    def _done(self, path: Path | None) -> None:
        self.busy = False
        self.remove_class("-busy")
        self.notify(f"Wrote {path}.", title="Export", markup=False)
        self.dismiss(path)


def open_export(workbench, kind: str = "matrix", *, fmt: str | None = None, roots: Sequence[int] | None = None,
                by: str = "respondent", cells: str = "count") -> None:
    """Push the export dialog from the workbench (or a screen over it): the table is about the
    code highlighted in the codes pane (else the last code applied), or the given `roots`; a
    matrix without a code shows the active codebook."""
    from qualcode.tui.screens.matrix import column_choices

    code_id = None
    if not roots:
        code_id = workbench.code_tree.highlighted_code or workbench.last_code
        if code_id is None and kind == "matrix":
            roots = [c.id for c in workbench.codes.values()
                     if c.parent_id is None and c.codebook_id == workbench.active_book]
    workbench.app.push_screen(ExportDialog(workbench.store, list(workbench.codes.values()), workbench.paths,
                                           workbench.books, kind=kind, code_id=code_id, roots=roots, fmt=fmt,
                                           by=by, by_choices=column_choices(workbench.store), cells=cells))
