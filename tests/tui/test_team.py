"""Team coding in the workbench: whose codings are shown (C) and the disagreement review (d)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.store import Store
from qualcode.tui.app import make_app
from qualcode.tui.coder_view import CoderView
from qualcode.tui.screens.disagreements import DisagreementScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from qualcode.tui.widgets.status_bar import StatusBar
from tests.tui.helpers import settle, type_text, workbench


def two_coders(store: Store) -> dict[str, int]:
    """anna and ville coded H1's first answer: they agree on Tunteet in sentence 0, anna alone
    used Odotukset in sentence 1, ville alone Ympäristö in sentence 2. In H2 only anna coded
    (ville is missing there, so it holds no disagreement)."""
    h1, h2 = store.document("H1").id, store.document("H2").id
    answer = [s for s in store.segments(h1) if s.turn_id == store.turns(h1)[1].id]
    feelings, hopes, setting = (store.find_code(n).id for n in ("Tunteet", "Odotukset", "Ympäristö"))
    ids = {
        "anna agrees": store.add_coding(h1, feelings, answer[0].start, answer[0].end, coder="anna"),
        "ville agrees": store.add_coding(h1, feelings, answer[0].start, answer[0].end, coder="ville"),
        "anna alone": store.add_coding(h1, hopes, answer[1].start, answer[1].end, coder="anna"),
        "ville alone": store.add_coding(h1, setting, answer[2].start, answer[2].end, coder="ville"),
        "anna in H2": store.add_coding(h2, feelings, store.segments(h2)[3].start, store.segments(h2)[3].end,
                                       coder="anna"),
    }
    return ids


@pytest.fixture
def team(project_path: Path) -> Store:
    with Store.open(project_path, user="anna") as store:
        two_coders(store)
    project = Store.open(project_path, user="anna")
    yield project
    project.close()


def status_text(pilot) -> str:
    return str(pilot.app.screen.query_one(StatusBar).render())


async def choose_view(pilot, label: str) -> None:
    """Press C and take the view whose label starts with `label`."""
    await pilot.press("C")
    dialog = pilot.app.screen
    labels = [str(choice.label).split("  ")[0] for choice in dialog.choices]
    here = dialog.query_one("OptionList").highlighted  # the dialog opens on the current view
    step = labels.index(label) - here
    await pilot.press(*(["down"] * step if step > 0 else ["up"] * -step))
    await pilot.press("enter")
    await settle(pilot)


async def test_coder_view_filters_transcript_counts_and_retrieval(team):
    ids = {c.coder + str(c.code_id) + str(c.start): c.id for c in team.codings()}
    feelings = team.find_code("Tunteet").id
    async with make_app(team).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        assert len(bench.model.codings) == 4
        assert "view:" not in status_text(pilot)
        assert status_text(pilot).startswith("anna")  # who new codings are recorded as

        await choose_view(pilot, "ville's codings")
        assert {c.coder for c in bench.model.codings.values()} == {"ville"}
        assert len(bench.model.codings) == 2
        assert bench.code_tree.document_counts == {feelings: 1, team.find_code("Ympäristö").id: 1}
        assert bench.project_counts[feelings] == 1  # anna's H1 and H2 codings are not counted
        assert "view: ville's codings" in status_text(pilot)
        assert "2 hidden by the view" in str(bench.query_one("#transcript-pane").border_subtitle)
        # the transcript draws only ville's codings
        drawn = {i for row in range(bench.model.line_count) for p in bench.model.pieces(row) for i in p.coding_ids}
        assert {bench.model.codings[i].coder for i in drawn} == {"ville"}

        await pilot.press("R")  # retrieval of Tunteet honours the view too
        await type_text(pilot, "tunteet")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RetrievalScreen)
        assert [p.coder for p in pilot.app.screen.shown if p is not None] == ["ville"]
        await pilot.press("escape")
        await settle(pilot)

        await choose_view(pilot, "differences anna × ville")
        shown = {(c.coder, bench.codes[c.code_id].name) for c in bench.model.codings.values()}
        assert shown == {("anna", "Odotukset"), ("ville", "Ympäristö")}
        assert bench.project_counts[feelings] == 0
        assert "view: differences anna × ville" in status_text(pilot)

        await choose_view(pilot, "all coders")
        assert len(bench.model.codings) == 4
        assert bench.project_counts[feelings] == 3
        assert ids  # the project is unchanged by viewing
        assert len(team.codings()) == 5


async def test_new_coding_hidden_by_other_coders_view_is_recorded_as_session_coder(team):
    async with make_app(team).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        await choose_view(pilot, "ville's codings")
        await pilot.press("n", "2")  # the next uncoded answer, coded with Odotukset
        await settle(pilot)
        newest = max(team.codings(), key=lambda c: c.id)
        assert newest.coder == "anna"
        assert newest.id in bench.model.all_codings and newest.id not in bench.model.codings
        assert any("Coded as anna" in str(n.message) for n in pilot.app._notifications)


async def test_review_disagreements_keep_one_and_undo(team):
    async with make_app(team).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, DisagreementScreen)
        assert screen.coders == ["anna", "ville"]  # the two with most codings
        header = str(screen.query_one("#unit-header").render())
        assert "unit 1 of 2" in header
        assert screen.current.code == "Odotukset"
        panes = screen.query(".coder-pane")
        assert [str(p.border_title) for p in panes] == ["1 · anna", "2 · ville"]
        assert "did not code Odotukset here" in str(panes[1].query_one("Static").render())

        await pilot.press("j")
        assert screen.current.code == "Ympäristö"
        assert "unit 2 of 2" in str(screen.query_one("#unit-header").render())
        await pilot.press("1")  # keep anna's: ville's Ympäristö goes
        await settle(pilot)
        assert [c.coder for c in team.codings(code_ids=[team.find_code("Ympäristö").id])] == []
        resolutions = team.resolutions()
        assert [(r["decision"], r["coders"], r["resolved_by"]) for r in resolutions] == [("anna", "anna,ville", "anna")]
        assert "unit 1 of 1" in str(screen.query_one("#unit-header").render())
        assert screen.current.code == "Odotukset"

        await pilot.press("escape")  # back in the workbench, its undo takes the decision back
        await settle(pilot)
        bench = workbench(pilot)
        assert len(bench.model.codings) == 3
        await pilot.press("u")
        await settle(pilot)
        assert team.resolutions() == []
        assert [c.coder for c in team.codings(code_ids=[team.find_code("Ympäristö").id])] == ["ville"]
        assert len(bench.model.codings) == 4


async def test_review_keep_neither_then_undo_in_review(team):
    async with make_app(team).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        screen = pilot.app.screen
        await pilot.press("x")  # neither: anna's Odotukset goes
        await settle(pilot)
        assert team.codings(code_ids=[team.find_code("Odotukset").id]) == []
        assert [r["decision"] for r in team.resolutions()] == ["neither"]
        await pilot.press("u")
        await settle(pilot)
        assert team.resolutions() == []
        assert screen.current.code == "Odotukset"
        assert "unit 1 of 2" in str(screen.query_one("#unit-header").render())
        await pilot.press("b")  # both: nothing removed, the decision recorded
        await settle(pilot)
        assert len(team.codings()) == 5
        assert [r["decision"] for r in team.resolutions()] == ["both"]
        await pilot.press("enter")  # jump to the remaining unit in the transcript
        await settle(pilot)
        bench = workbench(pilot)
        assert pilot.app.screen is bench
        ville = next(c for c in team.codings() if c.coder == "ville" and c.code_id == team.find_code("Ympäristö").id)
        assert bench.transcript.selection_offsets == (ville.start, ville.end)


def test_differences_view_skips_resolved_units(team):
    from qualcode.coding.disagreements import disagreements, resolve

    view = CoderView(coders=("anna", "ville"))
    assert len(view.project_ids(team)) == 2
    resolve(team, disagreements(team, ["anna", "ville"])[0], "both")
    assert len(view.with_resolutions(team).project_ids(team)) == 1


def test_review_screen_80x24(snap_compare, team):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(make_app(team), terminal_size=(80, 24), run_before=run_before)


def test_model_view_hides_and_restores_codings(team):
    from qualcode.tui.screens.workbench import WorkbenchScreen

    doc = team.document("H1").id
    model = WorkbenchScreen._fetch_model(team, doc)
    everything = model.progress()
    rows = model.set_view(CoderView(coder="ville"))
    assert rows and {c.coder for c in model.codings.values()} == {"ville"} and model.hidden_count == 2
    assert model.progress() == everything  # progress counts every coder's codings
    assert sum(model.counts.values()) == 2
    anna = next(c for c in model.all_codings.values() if c.coder == "anna")
    model.remove_coding(anna.id)
    assert model.hidden_count == 1
    assert model.add_coding(anna) == set()  # hidden: nothing to redraw
    model.set_view(None)
    assert len(model.codings) == 4 and model.hidden_count == 0
    assert model.replace_codings(team.codings(document_id=doc, coders=["anna"]))
    assert {c.coder for c in model.codings.values()} == {"anna"}
