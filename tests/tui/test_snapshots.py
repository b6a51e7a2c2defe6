"""Screenshots of each screen (pytest-textual-snapshot); update with `--snapshot-update` after
reading the diff."""

from __future__ import annotations

from qualcode.store import Store
from qualcode.tui.app import make_app
from tests.tui.helpers import settle, type_text


def coded(store: Store) -> Store:
    """Two overlapping codings and a memo in H1's first answer, one coding in H2."""
    h1, h2 = store.document("H1").id, store.document("H2").id
    answer = [s for s in store.segments(h1) if s.turn_id == store.turns(h1)[1].id]
    store.add_coding(h1, store.find_code("Tunteet").id, answer[0].start, answer[2].end, memo="ylpeys omasta puodista")
    store.add_coding(h1, store.find_code("Ympäristö").id, answer[1].start, answer[3].end)
    store.add_coding(h2, store.find_code("Tunteet").id, store.segments(h2)[3].start, store.segments(h2)[3].end)
    return store


def test_workbench_wide(snap_compare, store):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("n", "n", "J", "J")

    assert snap_compare(make_app(coded(store)), terminal_size=(120, 36), run_before=run_before)


def test_workbench_80x24(snap_compare, store):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("j", "j")

    assert snap_compare(make_app(coded(store)), terminal_size=(80, 24), run_before=run_before)


def test_code_picker(snap_compare, store):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("n", "space", "c")
        await type_text(pilot, "tun")

    assert snap_compare(make_app(store), terminal_size=(100, 30), run_before=run_before)


def test_retrieval(snap_compare, store):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("R")
        await type_text(pilot, "tunteet")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(coded(store)), terminal_size=(100, 30), run_before=run_before)


def test_document_codings(snap_compare, store):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("L")

    assert snap_compare(make_app(coded(store)), terminal_size=(100, 24), run_before=run_before)


def test_memo_dialog(snap_compare, store):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("t", "t", "m")  # into the first answer, which is coded

    assert snap_compare(make_app(coded(store)), terminal_size=(100, 24), run_before=run_before)
