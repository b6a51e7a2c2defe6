"""The matrix: rows the code tree (parent rows are subtotals), columns respondents, attribute
groups, documents or Delphi rounds; cells a count, a presence mark, words coded or the written
summary of a framework matrix, numbers shaded by value (a heatmap), with totals and coverage.

Enter lists the passages behind a cell (and from there jumps into the transcript), `e` writes
the cell's summary (saved at once, undoable with `u`), `E` exports the matrix as shown. The
matrix is computed by `qualcode.coding.matrix.code_matrix` in a thread worker, through the
app's read-only connection, exactly as `qualcode export matrix` computes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Label, Static
from textual.worker import get_current_worker

from qualcode.coding.matrix import Matrix, code_matrix
from qualcode.coding.scope import coverage_text
from qualcode.coding.trace import Passage, trace
from qualcode.errors import QualcodeError
from qualcode.store import Store
from qualcode.tui.commands import MATRIX, WORKBENCH, bindings
from qualcode.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from qualcode.tui.screens.workbench import WorkbenchScreen

CYCLE = ("count", "presence", "words", "summary")
"""Cell contents `m` cycles through; respondents is added when columns group respondents."""
HEAT = ("#16324f", "#1d4e7a", "#2868a3", "#3a86c8", "#6aaee8")
"""Cell backgrounds from low to high; readable with white text on dark and light themes."""
CODE_WIDTH = 30
NUMBER_WIDTH = 12
SUMMARY_WIDTH = 18


def heat_style(value: float, top: float) -> Style:
    """A background in five steps of `value / top` (nothing for zero), bold for the top step."""
    if value <= 0 or top <= 0:
        return Style(dim=True)
    level = min(len(HEAT) - 1, int(value / top * len(HEAT) - 1e-9))
    return Style(bgcolor=HEAT[level], color="#000000" if level == len(HEAT) - 1 else "#ffffff",
                 bold=level == len(HEAT) - 1)


def fit(text: str, width: int) -> str:
    """One line of at most `width` cells, cut with `…`."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: max(0, width - 1)] + "…"


def column_choices(store: Store) -> list[tuple[str, str]]:
    """(by, label) for every way of making the columns this project supports."""
    choices = [("respondent", "respondents")]
    choices += [(f"attribute:{name}", f"groups by {name}") for name in sorted(store.attribute_types())]
    choices.append(("document", "documents"))
    if any(d.round is not None for d in store.documents()):
        choices.append(("round", "Delphi rounds"))
    return choices


class MatrixTable(DataTable):
    """The matrix grid; enter says what it does here."""

    BINDINGS = [Binding("enter", "select_cursor", "passages", id="matrix.passages-key",
                        tooltip="list the passages behind the cell")]


class MatrixScreen(Screen[tuple[int, int, int] | None]):
    CSS_PATH = "matrix.tcss"
    BINDINGS = bindings(MATRIX)
    AUTO_FOCUS = "#matrix-table"

    def __init__(self, store: Store, workbench: WorkbenchScreen, *, roots: list[int] | None = None,
                 by: str = "respondent", cells: str = "count") -> None:
        super().__init__(id="matrix")
        self.store = store
        self.workbench = workbench
        self.book = workbench.active_book
        self.roots = roots if roots is not None else self._book_roots(self.book)
        self.by = by
        self.cells = cells
        self.matrix: Matrix | None = None
        self.by_labels = dict(column_choices(store))

    def compose(self) -> ComposeResult:
        yield Label(id="matrix-title")
        yield MatrixTable(id="matrix-table", cursor_type="cell", cell_padding=0, fixed_columns=1,
                          cursor_background_priority="css", cursor_foreground_priority="css")
        yield Static(id="matrix-detail")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.reload()

    def _book_roots(self, book: int | None) -> list[int]:
        return [c.id for c in self.workbench.codes.values() if c.parent_id is None and c.codebook_id == book]

    # ---------------------------------------------------------------- loading
    def reload(self) -> None:
        table = self.query_one(MatrixTable)
        self._show_title()
        if not self.roots:
            table.clear(columns=True)
            self.query_one("#matrix-detail", Static).update("No codes to show: this codebook is empty. "
                                                            "Choose a code with c.")
            return
        table.loading = True
        self._load(list(self.roots), self.by, self.cells)

    @work(thread=True, exclusive=True, group="matrix", exit_on_error=False)
    def _load(self, roots: list[int], by: str, cells: str) -> None:
        reader = self.app.reader("matrix")
        try:
            matrix = code_matrix(reader, roots, by=by, cells=cells)
        except QualcodeError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, matrix)

    def _failed(self, message: str) -> None:
        self.query_one(MatrixTable).loading = False
        self.notify(message, severity="error", markup=False)

    def _show_title(self) -> None:
        if len(self.roots) == 1:
            rows = self.workbench.paths.get(self.roots[0], "?")
        else:
            rows = next((b.name for b in self.workbench.books if b.id == self.book), "every code")
        title = Text.assemble(("Matrix ", "bold"), (rows, "bold"), ("  ·  columns: ", "dim"),
                              self.by_labels.get(self.by, self.by), ("  ·  cells: ", "dim"), self.cells)
        self.query_one("#matrix-title", Label).update(title)

    def _show(self, matrix: Matrix) -> None:
        first = self.matrix is None
        self.matrix = matrix
        table = self.query_one(MatrixTable)
        keep = table.cursor_coordinate
        table.loading = False
        table.clear(columns=True)
        numeric = matrix.numeric
        values = matrix.values.to_numpy().tolist()
        width = NUMBER_WIDTH if numeric else SUMMARY_WIDTH
        column_widths = [max(4, min(width, len(c.label) + 2)) for c in matrix.columns]
        if numeric:
            biggest = max((len(f"{_number(v)}") + 2 for row in values for v in row), default=3)
            column_widths = [max(w, biggest) for w in column_widths]
        else:
            column_widths = [SUMMARY_WIDTH for _ in matrix.columns]
        widest = max(CODE_WIDTH, self.app.size.width // 3)
        code_width = min(widest, max((2 * r.depth + len(r.path[-1]) + 4 for r in matrix.rows), default=6))
        table.add_column(Text(" code"), width=code_width, key="code")
        for column, w in zip(matrix.columns, column_widths):
            table.add_column(Text(fit(column.label, w - 1).rjust(w - 1) + " " if numeric else
                                  " " + fit(column.label, w - 1)), width=w, key=column.key)
        totals = numeric and matrix.row_totals is not None
        if totals:
            table.add_column(Text("total ", justify="right"), width=8, key="total")
        table.add_column(Text(" coverage"), width=10, key="coverage")
        top = max((float(v) for row in values for v in row), default=0.0) if numeric else 0.0
        people = len(matrix.scope)
        for index, row in enumerate(matrix.rows):
            label = Text(" " + "  " * row.depth)
            label.append("■ ", style=Style(color=row.colour) if row.colour.startswith("#") else "")
            label.append(fit(row.path[-1], code_width - len(label.plain) - 1), style="bold" if not row.leaf else "")
            cells = [label]
            for value, w in zip(values[index], column_widths):
                cells.append(self._cell(value, w, top))
            if totals:
                cells.append(Text(f"{_number(matrix.row_totals.iat[index])} ", style="bold", justify="right"))
            cells.append(Text(" " + _short_coverage(int(matrix.coverage.iat[index]), people)))
            table.add_row(*cells, key=str(index))
        if totals:
            last = [Text(" total", style="bold")]
            last += [Text(f"{_number(v)} ".rjust(w), style="bold") for v, w in
                     zip(matrix.column_totals.tolist(), column_widths)]
            last.append(Text(f"{_number(matrix.grand_total)} ", style="bold", justify="right"))
            last.append(Text(" " + _short_coverage(matrix.covered, people), style="bold"))
            table.add_row(*last, key="total")
        if first and table.row_count and len(table.columns) > 1:
            table.cursor_coordinate = Coordinate(0, 1)  # the first cell, not the code's name
        elif keep.row < table.row_count and keep.column < len(table.columns):
            table.cursor_coordinate = keep
        self._show_detail()

    def _cell(self, value, width: int, top: float) -> Text:
        if self.matrix is not None and self.matrix.cells == "presence":
            return Text(("✓" if value else "·").center(width), style=heat_style(top if value else 0, top))
        if self.matrix is not None and self.matrix.numeric:
            number = float(value)
            return Text(f"{_number(value)} ".rjust(width), style=heat_style(number, top))
        return Text(" " + fit(str(value or ""), width - 2) if value else " ·", style="" if value else "dim")

    # ---------------------------------------------------------------- the cell under the cursor
    def current(self) -> tuple[int | None, int | None]:
        """(matrix row, matrix column) under the cursor; None for the totals row, or for the
        code, total and coverage columns."""
        if self.matrix is None:
            return None, None
        coordinate = self.query_one(MatrixTable).cursor_coordinate
        row = coordinate.row if coordinate.row < len(self.matrix.rows) else None
        column = coordinate.column - 1 if 1 <= coordinate.column <= len(self.matrix.columns) else None
        return row, column

    @on(DataTable.CellHighlighted, "#matrix-table")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#matrix-detail", Static)
        matrix = self.matrix
        row, column = self.current()
        if matrix is None or row is None:
            detail.update("enter on a cell: its passages · e: its summary · m: cells · b: columns")
            return
        path = " > ".join(matrix.rows[row].path)
        if column is None:
            covered = coverage_text(int(matrix.coverage.iat[row]), len(matrix.scope), "en")
            detail.update(Text.assemble((path, "bold"), f" · coded for {covered}"))
            return
        code_id, key = matrix.cell_key(row, column)
        text = Text.assemble((path, "bold"), " × ", (matrix.columns[column].label, "bold"))
        value = matrix.values.iat[row, column]
        if matrix.cells in ("count", "words", "respondents"):
            text.append(f" · {_number(value)} {'passages' if matrix.cells == 'count' else matrix.cells}")
        summary = value if matrix.cells == "summary" else self.store.cell_summary(code_id, key)
        if summary:
            text.append("\n✎ " + " ".join(str(summary).split()), style="italic")
        detail.update(text)

    # ---------------------------------------------------------------- actions
    @on(DataTable.CellSelected, "#matrix-table")
    def _selected(self) -> None:
        self.action_show_passages()

    def action_show_passages(self) -> None:
        matrix = self.matrix
        if matrix is None:
            return
        row, column = self.current()
        rows = [row] if row is not None else [i for i, r in enumerate(matrix.rows) if r.depth == 0]
        title = " > ".join(matrix.rows[row].path) if row is not None else "every row"
        key = matrix.columns[column].key if column is not None else None
        title += f" × {matrix.columns[column].label}" if column is not None else " · every column"
        self._trace([matrix.rows[r].code_id for r in rows], key, title)

    @work(thread=True, exclusive=True, group="matrix-trace", exit_on_error=False)
    def _trace(self, code_ids: list[int], column_key: str | None, title: str) -> None:
        """The passages behind the cell, read in a thread (a whole row of a big project is slow)."""
        reader = self.app.reader("matrix")
        try:
            passages = [p for code_id in code_ids for p in trace(reader, code_id, column_key=column_key,
                                                                  subtree=True)]
        except QualcodeError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_passages, title, passages)

    def _show_passages(self, title: str, passages: list[Passage]) -> None:
        if not passages:
            self.notify("No passages behind this cell.", markup=False)
            return
        from qualcode.tui.screens.cell_passages import CellPassagesScreen

        def back(target: tuple[int, int, int] | None) -> None:
            if target is not None:
                self.dismiss(target)

        self.app.push_screen(CellPassagesScreen(title, passages, self.workbench.codes), back)

    def action_edit_summary(self) -> None:
        matrix = self.matrix
        row, column = self.current()
        if matrix is None or row is None or column is None:
            self.notify("Move to a cell of a code and a column to write its summary.", severity="warning")
            return
        if self.store.read_only:
            self.notify("The project is open read-only: summaries cannot be written.", severity="warning")
            return
        code_id, key = matrix.cell_key(row, column)
        path = " > ".join(matrix.rows[row].path)
        label = matrix.columns[column].label
        current = self.store.cell_summary(code_id, key) or ""

        def save(text: str | None) -> None:
            if text is None:
                return
            try:
                self.store.set_cell_summary(code_id, key, text)
            except QualcodeError as error:
                self.notify(str(error), severity="error", markup=False)
                return
            self.notify(f"Summary of {path} × {label} {'saved' if text else 'removed'} (u undoes).", markup=False)
            self.reload()

        from qualcode.tui.dialogs.memo import MemoDialog

        self.app.push_screen(MemoDialog(f"Summary: {path} × {label}", current,
                                        context="What this respondent (or group) says about the theme, "
                                                "in a sentence or two."), save)

    def action_next_cells(self) -> None:
        modes = [*CYCLE, *(("respondents",) if self.by != "respondent" else ())]
        self.cells = modes[(modes.index(self.cells) + 1) % len(modes)] if self.cells in modes else modes[0]
        self.reload()

    def action_choose_columns(self) -> None:
        from qualcode.tui.dialogs.choice import Choice, ChoiceDialog

        def chosen(by: str | None) -> None:
            if by is not None and by != self.by:
                self.by = by
                if self.cells == "respondents" and by == "respondent":
                    self.cells = "count"
                self.reload()

        choices = [Choice(by, label, label) for by, label in self.by_labels.items()]
        self.app.push_screen(ChoiceDialog("Columns of the matrix", choices, initial=self.by, searchable=False,
                                          hint="enter: take · esc: cancel"), chosen)

    def action_choose_code(self) -> None:
        from qualcode.tui.dialogs.code_picker import CodePicker

        def chosen(code_id: int | None) -> None:
            if isinstance(code_id, int):
                self.roots = [code_id]
                self.reload()

        workbench = self.workbench
        self.app.push_screen(CodePicker("Rows: the tree under…", list(workbench.codes.values()), workbench.paths,
                                        workbench.keys, active_book=None, allow_new=False,
                                        initial=self.roots[0] if self.roots else None), chosen)

    def action_next_codebook(self) -> None:
        books = [b.id for b in self.workbench.books]
        if not books:
            self.app.bell()
            return
        whole = self.roots == self._book_roots(self.book)
        if whole:  # already the whole book: go on to the next one
            self.book = books[(books.index(self.book) + 1) % len(books)] if self.book in books else books[0]
        self.roots = self._book_roots(self.book)
        self.reload()

    def action_export_matrix(self) -> None:
        from qualcode.tui.dialogs.export import open_export

        open_export(self.workbench, "matrix", roots=list(self.roots), by=self.by, cells=self.cells)

    def action_undo(self) -> None:
        self._history(self.store.undo, "Undid")

    def action_redo(self) -> None:
        self._history(self.store.redo, "Redid")

    def _history(self, step, verb: str) -> None:
        if self.store.read_only:
            self.app.bell()
            return
        description = step()
        if description is None:
            self.notify("Nothing to " + verb.lower()[:-1] + ".", severity="warning")
            return
        self.notify(f"{verb}: {description}.", markup=False)
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """This screen's actions, and the workbench's exports, for the command palette."""
        for command in MATRIX:
            key = command.key_display or command.key
            yield SystemCommand(command.title, f"key {key}", partial(self.run_action, command.action))
        for command in WORKBENCH:
            if command.area == "export" and command.action.startswith("export_table("):
                yield SystemCommand(command.title, "palette only",
                                    partial(self.workbench.run_action, command.action))


def _short_coverage(n: int, total: int) -> str:
    return f"{n}/{total}"


def _number(value):
    number = float(value)
    return int(number) if number.is_integer() else round(number, 1)
