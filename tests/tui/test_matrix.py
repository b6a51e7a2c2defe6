"""The matrix screen (counts, passages behind a cell, cell summaries) and the export dialog."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from textual.coordinate import Coordinate
from textual.widgets import Input, OptionList, Static

from qualcode.privacy.leaks import remember_names
from qualcode.store import Store
from qualcode.tui.app import make_app
from qualcode.tui.dialogs.export import ExportDialog
from qualcode.tui.screens.cell_passages import CellPassagesScreen
from qualcode.tui.screens.matrix import MatrixScreen, MatrixTable
from tests.tui.helpers import settle, type_text, workbench

ROWS = ["Ympäristö", "Odotukset", "Tunteet", "Ylpeys", "Kokemukset", "Sitoutuminen"]


def code(store: Store) -> Store:
    """Codings in H1 (two documents, both rounds) and H2, one on a subcode (Tunteet > Ylpeys)."""
    h1, h2, follow_up = (store.document(t).id for t in ("H1", "H2", "H1 jatko"))
    s1, s2, s3 = store.segments(h1), store.segments(h2), store.segments(follow_up)
    feelings, pride = store.find_code("Tunteet").id, store.find_code("Tunteet > Ylpeys").id
    store.add_coding(h1, feelings, s1[3].start, s1[3].end)
    store.add_coding(h1, feelings, s1[6].start, s1[6].end)
    store.add_coding(h1, pride, s1[8].start, s1[8].end)
    store.add_coding(follow_up, feelings, s3[0].start, s3[-1].end)
    store.add_coding(h2, feelings, s2[3].start, s2[3].end)
    store.add_coding(h2, store.find_code("Ympäristö").id, s2[4].start, s2[4].end)
    return store


def expected_count(store: Store, code_id: int, respondent: str) -> int:
    """Codings of the code and its subcodes in the respondent's documents, straight from the store."""
    ids = {code_id, *store.descendant_ids(code_id)}
    documents = {d.id for d in store.documents() if d.respondent == respondent}
    return sum(1 for c in store.codings() if c.code_id in ids and c.document_id in documents)


def cell(screen: MatrixScreen, row: int, column: int) -> str:
    return screen.query_one(MatrixTable).get_cell_at(Coordinate(row, column)).plain.strip()


async def open_matrix(pilot) -> MatrixScreen:
    await settle(pilot)
    await pilot.press("X")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MatrixScreen)
    return screen


async def test_matrix_counts_equal_the_store(store):
    app = make_app(code(store))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        matrix = screen.matrix
        assert [row.path[-1] for row in matrix.rows] == ROWS
        assert [c.label for c in matrix.columns] == ["H1", "H2"]
        for r, row in enumerate(matrix.rows):
            for c, respondent in enumerate(["H1", "H2"]):
                assert cell(screen, r, c + 1) == str(expected_count(store, row.code_id, respondent))
        feelings = ROWS.index("Tunteet")
        assert cell(screen, feelings, 1) == "4"  # the subtotal: 3 on Tunteet (two documents) + 1 on Ylpeys
        assert cell(screen, feelings, 3) == "5"  # row total
        assert cell(screen, len(ROWS), 3) == "6"  # grand total: every coding once
        assert cell(screen, feelings, 4) == "2/2"  # coverage

        await pilot.press("m")  # presence
        await settle(pilot)
        assert screen.cells == "presence"
        assert cell(screen, ROWS.index("Ympäristö"), 1) == "·"
        assert cell(screen, ROWS.index("Ympäristö"), 2) == "✓"


async def test_matrix_cell_passages_and_jump(store):
    app = make_app(code(store))
    async with app.run_test(size=(120, 36)) as pilot:
        await open_matrix(pilot)
        await pilot.press("down", "down", "enter")  # Tunteet × H1
        await settle(pilot)
        passages = pilot.app.screen
        assert isinstance(passages, CellPassagesScreen)
        assert len(passages.passages) == 4
        assert {p.respondent for p in passages.passages} == {"H1"}
        assert {p.code for p in passages.passages} == {"Tunteet", "Tunteet > Ylpeys"}
        first = passages.passages[0]
        assert passages.query_one(OptionList).highlighted == 1  # below the respondent heading
        await pilot.press("enter")
        await settle(pilot)
        bench = workbench(pilot)
        assert pilot.app.screen is bench
        assert bench.model.document.id == first.document_id
        assert bench.transcript.selection_offsets == (first.start, first.end)


async def test_matrix_edit_summary_saved_and_undone(store):
    app = make_app(code(store))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await pilot.press("down", "down", "right", "e")  # Tunteet × H2
        await settle(pilot)
        await type_text(pilot, "Ylpeä omasta kaupasta.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        feelings = store.find_code("Tunteet").id
        assert store.cell_summary(feelings, "respondent:H2") == "Ylpeä omasta kaupasta."
        assert "Ylpeä omasta kaupasta." in str(screen.query_one("#matrix-detail", Static).render())
        await pilot.press("m", "m", "m")  # count → presence → words → summary
        await settle(pilot)
        assert screen.cells == "summary"
        assert cell(screen, ROWS.index("Tunteet"), 2) == "Ylpeä omasta ka…"
        await pilot.press("u")
        await settle(pilot)
        assert store.cell_summary(feelings, "respondent:H2") is None
        assert cell(screen, ROWS.index("Tunteet"), 2) == "·"


async def test_matrix_columns_by_round(store):
    app = make_app(code(store))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("end", "enter")  # the last choice: Delphi rounds
        await settle(pilot)
        assert screen.by == "round"
        assert [c.key for c in screen.matrix.columns] == ["round:1", "round:2"]
        assert cell(screen, ROWS.index("Tunteet"), 1) == "4"
        assert cell(screen, ROWS.index("Tunteet"), 2) == "1"


async def test_export_matrix_xlsx_through_the_dialog(store, project_path: Path):
    app = make_app(code(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_matrix(pilot)
        await pilot.press("E")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportDialog)
        target = project_path.parent / "p-matrix-teemat.xlsx"
        assert dialog.query_one("#export-path", Input).value == str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MatrixScreen)
        assert not pilot.app.worker_errors
    sheet = openpyxl.load_workbook(target).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    header = next(sheet.iter_rows(values_only=True))
    assert rows["Tunteet"][header.index("H1")] == 4
    assert rows["Ylpeys"][header.index("H1")] == 1


async def test_export_refuses_to_overwrite_until_confirmed(store, project_path: Path):
    target = project_path.parent / "p-matrix-teemat.xlsx"
    target.write_text("not a table")
    app = make_app(code(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportDialog)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is dialog
        assert "already exists" in str(dialog.query_one("#export-status", Static).render())
        assert target.read_text() == "not a table"
        await pilot.press("ctrl+s")  # confirmed
        await settle(pilot)
        assert pilot.app.screen is not dialog
    assert openpyxl.load_workbook(target).active.cell(1, 2).value == "H1"


async def test_export_with_real_names_is_written_only_when_asked_again(store, project_path: Path):
    names = project_path.parent / "names.csv"
    names.write_text("real,pseudonym\nYlpeys,Tunne X\n", encoding="utf-8")  # a code name stands in for a name
    remember_names(store, names)
    target = project_path.parent / "p-matrix-teemat.xlsx"
    app = make_app(code(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        dialog = pilot.app.screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is dialog and not target.exists()
        status = str(dialog.query_one("#export-status", Static).render())
        assert "real names from the project's names list: Ylpeys (1)" in status
        await pilot.press("ctrl+s")  # write it anyway
        await settle(pilot)
        assert pilot.app.screen is not dialog
    assert target.exists()


async def test_export_summary_needs_a_code(store, project_path: Path):
    app = make_app(code(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.app.screen.run_action("export_table('summary', 'docx')")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportDialog)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is dialog
        assert "choose the code" in str(dialog.query_one("#export-status", Static).render())
        assert not list(project_path.parent.glob("*.docx"))
        assert not pilot.app.worker_errors


async def test_palette_lists_matrix_and_exports(store):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = {command.title for command in workbench(pilot).palette_commands()}
        assert {"view: code × respondent matrix", "export: table…", "export: matrix as xlsx",
                "export: summary table as docx"} <= titles
        screen = await open_matrix(pilot)
        titles = {command.title for command in screen.palette_commands()}
        assert {"matrix: edit cell summary", "matrix: passages behind cell", "export: matrix as xlsx"} <= titles


def test_matrix_snapshot_80x24(snap_compare, store):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("X")
        await settle(pilot)
        await pilot.press("down", "down")

    assert snap_compare(make_app(code(store)), terminal_size=(80, 24), run_before=run_before)


def test_matrix_summaries_snapshot_80x24(snap_compare, store):
    code(store).set_cell_summary(store.find_code("Tunteet").id, "respondent:H1", "Ylpeä omasta puodista.")

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("X")
        await settle(pilot)
        await pilot.press("m", "m", "m")
        await settle(pilot)
        await pilot.press("down", "down")

    assert snap_compare(make_app(store), terminal_size=(80, 24), run_before=run_before)
