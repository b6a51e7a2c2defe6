"""The pseudonymise dialog, driven as a user would: type the names list, check, create the copy."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Input, Static

from qualcode.privacy.leaks import find_leaks
from qualcode.privacy.names import read_names
from qualcode.store import Store
from qualcode.tui.dialogs.pseudonymise import PseudonymiseDialog

TEXT = "H: Kenen kanssa asioitte?\n\nV: Soitan aina Porkalle, Liisa Porkka vastaa heti.\n"
UNSET = object()


class Host(App):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.result = UNSET

    def on_mount(self) -> None:
        self.push_screen(PseudonymiseDialog(self.store), callback=self.finished)

    def finished(self, result) -> None:
        self.result = result


def make_project(tmp_path: Path) -> tuple[Path, Path]:
    path = tmp_path / "study.qualcode"
    with Store.open(path, create=True) as store:
        doc = store.add_document(title="H1", text=TEXT, format="txt", language="fi", respondent="H1")
        code = store.add_code("Yhteydenpito")
        start = TEXT.index("Soitan")
        store.add_coding(doc, code, start, TEXT.index(" vastaa"))
    names = tmp_path / "names.csv"
    names.write_text("real,pseudonym\nLiisa Porkka,Myyjä A\nPorkka,Myyjä A\n", encoding="utf-8")
    return path, names


async def test_type_names_check_and_create_copy(tmp_path):
    path, names = make_project(tmp_path)
    with Store.open(path) as store:
        app = Host(store)
        async with app.run_test() as pilot:
            assert isinstance(app.screen, PseudonymiseDialog)
            assert app.screen.query_one("#names-path", Input).has_focus
            await pilot.press(*str(names))
            await pilot.click("#check-names")
            await app.workers.wait_for_complete()
            await pilot.pause()
            status = str(app.screen.query_one("#pseudonymise-status", Static).render())
            assert "Liisa Porkka 1" in status and "Porkka 1" in status
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.result == tmp_path / "study-pseudo.qualcode"
        assert store.document_text(1) == TEXT  # the open project is untouched
    with Store.open(tmp_path / "study-pseudo.qualcode", read_only=True) as copy:
        assert copy.document_text(1) == TEXT.replace("Porkalle, Liisa Porkka", "Myyjä A:lle, Myyjä A")
        assert copy.coded_text(copy.codings()[0]) == "Soitan aina Myyjä A:lle, Myyjä A"
        assert find_leaks(copy, read_names(names)) == []


async def test_missing_names_list_is_reported_and_escape_cancels(tmp_path):
    path, _names = make_project(tmp_path)
    with Store.open(path) as store:
        app = Host(store)
        async with app.run_test() as pilot:
            await pilot.press("ctrl+s")
            status = app.screen.query_one("#pseudonymise-status", Static)
            assert "Give the names list" in str(status.render()) and status.has_class("-error")
            await pilot.press(*str(tmp_path / "nowhere.csv"))
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "does not exist" in str(status.render())
            assert app.result is UNSET
            await pilot.press("escape")
            await pilot.pause()
            assert app.result is None
    assert not (tmp_path / "study-pseudo.qualcode").exists()
