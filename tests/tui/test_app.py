"""The app as a whole: nothing committed is lost in a crash, read-only fallback, the command
palette lists every action, bindings carry ids, the layout works at 80x24, and the core never
imports Textual."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from click.testing import CliRunner
from textual.widgets import Footer

from qualcode.cli import cli
from qualcode.store import Store
from qualcode.tui.app import QualcodeApp, make_app
from qualcode.tui.commands import WORKBENCH
from qualcode.tui.dialogs.choice import ChoiceDialog
from qualcode.tui.dialogs.memo import MemoDialog
from qualcode.tui.screens.document_codings import DocumentCodingsScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from qualcode.tui.screens.workbench import WorkbenchScreen
from qualcode.tui.widgets.code_tree import CodeTree
from tests.tui.conftest import REPO
from tests.tui.helpers import settle, workbench

CRASHING_SESSION = textwrap.dedent("""
    import asyncio, os, signal, sys
    sys.path.insert(0, {repo!r})
    from qualcode.store import Store
    from qualcode.tui.app import make_app

    async def main():
        store = Store.open({path!r}, user="crasher")
        app = make_app(store)
        async with app.run_test(size=(100, 30)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("n", "J", "J", "3", "n", "space", "1")
            await pilot.press("m", *"note", "ctrl+s")
            print(len(store.codings()), flush=True)
            os.kill(os.getpid(), signal.SIGKILL)  # no clean exit: no close, no checkpoint

    asyncio.run(main())
""")


def test_a_crash_mid_session_loses_nothing_committed(project_path):
    script = CRASHING_SESSION.format(repo=str(REPO), path=str(project_path))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == -9, result.stderr[-2000:]
    assert result.stdout.strip() == "2"
    with Store.open(project_path, read_only=True) as after:
        codings = after.codings()
        assert [after.code(c.code_id).name for c in codings] == ["Tunteet", "Ympäristö"]
        assert codings[1].memo == "note" and {c.coder for c in codings} == {"crasher"}
    with Store.open(project_path) as writer:  # the dead process's lock is gone
        assert writer.undo() == "memo on coding"


async def test_a_reader_sees_each_coding_while_the_session_runs(store, project_path):
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n", "space", "4")
        with Store.open(project_path, read_only=True) as reader:
            assert [reader.code(c.code_id).name for c in reader.codings()] == ["Kokemukset"]


def test_cli_falls_back_to_read_only_when_the_project_is_locked(project_path, monkeypatch):
    seen = {}

    def fake_run(self):
        seen["read_only"], seen["notice"], seen["user"] = self.store.read_only, self.notice, self.store.user

    monkeypatch.setattr(QualcodeApp, "run", fake_run)
    with Store.open(project_path, user="other"):
        result = CliRunner().invoke(cli, ["tui", str(project_path), "--coder", "anna"])
    assert result.exit_code == 0, result.output
    assert seen["read_only"] and "read-only" in seen["notice"] and "another qualcode process" in seen["notice"]
    result = CliRunner().invoke(cli, ["tui", str(project_path), "--coder", "anna"])
    assert seen == {"read_only": False, "notice": None, "user": "anna"}


async def test_palette_has_every_action_as_area_verb_and_bindings_have_ids(store):
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        titles = {c.title for c in pilot.app.get_system_commands(bench)}
        for command in WORKBENCH:
            if not command.action.startswith("apply_quick"):
                assert command.title in titles, command.title
        assert "coding: apply Tunteet (3)" in titles
        for title in titles - {"Theme", "Quit", "Keys", "Maximize", "Minimize", "Screenshot"}:
            area, _, verb = title.partition(": ")
            assert area and verb, title
    for node_class in (WorkbenchScreen, QualcodeApp, CodeTree, RetrievalScreen, DocumentCodingsScreen, ChoiceDialog,
                       MemoDialog):
        for binding in node_class.BINDINGS:
            assert binding.id and binding.description, binding


async def test_key_panel_lists_no_editing_keys_of_the_read_only_transcript(store):
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        bench.transcript.focus()
        await pilot.press("question_mark")
        await settle(pilot)
        assert pilot.app.screen.query("HelpPanel")
        keys = {binding.key for _, binding, *_ in pilot.app.screen.active_bindings.values()}
        assert "pagedown" in keys and "shift+down" in keys
        assert not {"backspace", "ctrl+d", "f6", "f7", "ctrl+k"} & keys


async def test_works_at_80_by_24(store):
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        assert not bench.query_one("#documents-pane").display
        assert bench.transcript.size.width >= 40
        footer_keys = {key.description for key in pilot.app.screen.query_one(Footer).query("FooterKey")}
        assert {"code", "pick", "in-vivo"} <= footer_keys
        await pilot.press("D")
        assert bench.query_one("#documents-pane").display
        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        assert bench.has_class("-wide") and bench.query_one("#documents-pane").display
        footer_keys = {key.description for key in pilot.app.screen.query_one(Footer).query("FooterKey")}
        assert {"retrieve", "go to", "remove", "memo"} <= footer_keys


def test_the_core_never_imports_textual_or_rich():
    code = ("import sys, qualcode.store, qualcode.coding.models, qualcode.cli; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')); print(bad)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"
