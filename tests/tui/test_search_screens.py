"""The search and review screens, driven with Pilot on a minimal app."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from qualcode.coding.suggest import DictionarySettings, DictionarySuggester, SpeakerSuggester, fill_queue
from qualcode.frameworks import load_framework
from qualcode.frameworks.project import use_framework
from qualcode.store import Store
from qualcode.tui.screens.review import ReviewScreen
from qualcode.tui.screens.search import SearchScreen
from tests.conftest import simple_spans
from tests.unit.test_suggest import FRAMEWORK, INTERVIEW


class Host(App):
    """Pushes one screen and records the jump messages it posts."""

    def __init__(self, screen) -> None:
        super().__init__()
        self.screen_under_test = screen
        self.jumps: list[tuple[int, int, int]] = []
        self.dismissed: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.screen_under_test, self.dismissed.append)

    def on_search_screen_jump_to(self, message: SearchScreen.JumpTo) -> None:
        self.jumps.append((message.document_id, message.start, message.end))

    def on_review_screen_jump_to(self, message: ReviewScreen.JumpTo) -> None:
        self.jumps.append((message.document_id, message.start, message.end))


@pytest.fixture
def project(tmp_path: Path):
    """A fresh in-memory project (the `store` fixture of this folder holds the demo transcripts)."""
    store = Store.memory()
    frame = tmp_path / "test-frame.yaml"
    frame.write_text(FRAMEWORK, encoding="utf-8")
    use_framework(store, frame, language="fi")
    turns, segments = simple_spans(INTERVIEW)
    doc = store.add_document(title="H1", text=INTERVIEW, format="txt", language="fi", respondent="H1",
                             turns=turns, segments=segments)
    yield store, doc, frame
    store.close()


async def run_query(pilot, app: Host, text: str) -> None:
    await pilot.click("#search-query")
    for key in text:
        await pilot.press(key if key != " " else "space")
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_search_lists_hits_and_enter_jumps(project) -> None:
    store, doc, _ = project
    app = Host(SearchScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await run_query(pilot, app, "tilaus OR tilata")
        screen = app.screen
        assert [hit.text for hit in screen.hits] == ["tilaatte", "tilauksen"]
        table = screen.query_one("#search-results")
        assert table.row_count == 2
        assert "2 hits" in str(screen.query_one("#search-status").render())
        await pilot.press("down", "enter")
        await pilot.pause()
    start = INTERVIEW.index("tilauksen")
    assert app.jumps == [(doc, start, start + len("tilauksen"))]
    assert app.dismissed == [(doc, start, start + len("tilauksen"))]


async def test_respondent_turns_only_and_exact(project) -> None:
    store, _, _ = project
    app = Host(SearchScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.click("#search-respondent-turns")
        await run_query(pilot, app, "tilaus OR tilata")
        assert [hit.text for hit in app.screen.hits] == ["tilauksen"]
        await pilot.click("#search-lemma")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.hits == []


async def test_code_all_results_is_one_undo_step(project) -> None:
    store, _, _ = project
    app = Host(SearchScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await run_query(pilot, app, "tilaus OR toimitus")
        assert len(app.screen.hits) == 2
        await pilot.press("c")
        await pilot.pause()
        for key in "Toimitus":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
    code = store.find_code("Toimitus").id
    assert len(store.codings(code_ids=[code])) == 2
    assert store.undo().startswith("code search results 'tilaus OR toimitus'")
    assert store.codings() == []


async def test_review_accept_reject_adjust_and_accept_kind(project) -> None:
    store, doc, frame = project
    dictionary = DictionarySuggester(load_framework(frame), DictionarySettings(threshold=0.5, answer_weight=0,
                                                                                 best_ratio=0))
    code_ids = {c.framework_path: c.id for c in store.codes()}
    fill_queue(store, dictionary.suggest(store, doc, code_ids))
    fill_queue(store, SpeakerSuggester("V", code_ids["test-frame/delivery"]).suggest(store, doc))
    pending = store.suggestions(status="pending")
    assert len(pending) == 7
    app = Host(ReviewScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        first = screen.current()
        await pilot.press("a")
        await pilot.pause()
        assert store.suggestion(first.id).status == "accepted"
        second = screen.current()
        await pilot.press("r")
        await pilot.pause()
        assert store.suggestion(second.id).status == "rejected"
        third = screen.current()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        moved = store.suggestion(third.id)
        assert moved.start > third.start and moved.end == third.end
        await pilot.press("left_curly_bracket")
        await pilot.pause()
        assert store.suggestion(third.id).end < third.end
        await pilot.press("enter")
        await pilot.pause()
        assert app.jumps == [(doc, moved.start, store.suggestion(third.id).end)]
        kind = screen.current()
        same = [s.id for s in store.suggestions(status="pending") if (s.source, s.code_id) == (kind.source, kind.code_id)]
        await pilot.press("A")
        await pilot.pause()
        assert {store.suggestion(i).status for i in same} == {"accepted"}
        assert len(screen.items) == len(store.suggestions(status="pending"))
    assert all(c.origin.startswith("suggestion:") for c in store.codings())
