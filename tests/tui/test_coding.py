"""Coding workflows driven by key presses, checked in the store (exact offsets) and on screen."""

from __future__ import annotations

import re

from qualcode.store import Store
from qualcode.tui.app import make_app
from qualcode.tui.model import in_vivo_name
from tests.tui.helpers import settle, type_text, workbench

WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def code_id(store: Store, name: str) -> int:
    return store.find_code(name).id


async def test_select_two_sentences_and_apply_code_3(store):
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        doc = bench.model.document
        await pilot.press("n")  # the first uncoded answer
        answer = next(t for t in store.turns(doc.id) if t.role == "respondent")
        assert bench.transcript.cursor_offset == answer.start
        await pilot.press("J", "J", "3")
        first, second = [s for s in store.segments(doc.id) if s.start >= answer.start][:2]
        (coding,) = store.codings(document_id=doc.id)
        assert store.code(coding.code_id).name == "Tunteet"
        assert (coding.start, coding.end) == (first.start, second.end)
        assert coding.coder == "tester"
        # drawn at once: the line holding the coding carries the code's tint
        row, column = bench.model.location(coding.start)
        spans = bench.transcript.get_line(row).spans
        assert any(s.start <= column < s.end and s.style.bgcolor is not None for s in spans)
        assert app.worker_errors == []


async def test_undo_and_redo_within_a_session_and_after_a_restart(store):
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        await pilot.press("n", "space", "1")
        (coding,) = store.codings()
        await pilot.press("u")
        assert store.codings() == []
        assert bench.model.codings == {}
        await pilot.press("U")
        assert [c.id for c in store.codings()] == [coding.id]
        assert coding.id in bench.model.codings
        left_at = bench.transcript.cursor_offset
    # a new session (the audit log is in the project): undo still takes the coding back
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert coding.id in workbench(pilot).model.codings
        assert workbench(pilot).transcript.cursor_offset == left_at  # back where the coder left off
        await pilot.press("u")
        assert store.codings() == []
        await pilot.press("U")
        assert [c.id for c in store.codings()] == [coding.id]


async def test_in_vivo_code_names_a_new_code_after_the_selected_words(store):
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        text = bench.model.text
        await pilot.press("n")
        start = bench.transcript.cursor_offset
        await pilot.press("W", "W", "W", "i")
        words = list(WORD.finditer(text, start))[:3]
        end = words[2].end()
        name = in_vivo_name(text[start:end])
        code = store.find_code(name)
        assert code.parent_id is None and store.codebook(code.codebook_id).name == "Teemat"
        (coding,) = store.codings(code_ids=[code.id])
        assert (coding.start, coding.end, coding.origin) == (start, end, "in-vivo")
        assert bench.last_code == code.id and code.id in bench.code_tree.codes
        await pilot.press("u")  # one undo step takes back the code and its coding
        assert store.codings() == [] and all(c.name != name for c in store.codes())


async def test_memos_on_a_coding_a_document_and_a_code(store):
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        await pilot.press("n", "space", "2", "m")
        await type_text(pilot, "why this matters")
        await pilot.press("ctrl+s")
        (coding,) = store.codings()
        assert coding.memo == "why this matters"
        assert bench.model.codings[coding.id].memo == "why this matters"
        await pilot.press("M")
        await type_text(pilot, "long interview")
        await pilot.press("ctrl+s")
        assert store.memo("document", bench.model.document.id).text == "long interview"
        bench.code_tree.focus()
        bench.code_tree.highlight_code(code_id(store, "Odotukset"))
        await pilot.press("m")
        await type_text(pilot, "what they expect")
        await pilot.press("ctrl+s")
        assert store.memo("code", code_id(store, "Odotukset")).text == "what they expect"
        await pilot.press("escape")


async def test_code_picker_applies_by_fuzzy_name_and_creates_a_code_under_a_parent(store):
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        await pilot.press("n", "space", "c")
        await type_text(pilot, "odot")
        await pilot.press("enter")
        (coding,) = store.codings()
        assert coding.code_id == code_id(store, "Odotukset")
        span = bench.transcript.selection_offsets
        await pilot.press("c")
        await type_text(pilot, "tunteet")
        await pilot.press("greater_than_sign")
        await type_text(pilot, " kiitollisuus")
        await pilot.press("enter")
        new = store.find_code("Tunteet > kiitollisuus")
        assert new.parent_id == code_id(store, "Tunteet")
        assert [(c.start, c.end) for c in store.codings(code_ids=[new.id])] == [span]
        await pilot.press("full_stop")  # repeat last code: already there, nothing doubles
        assert len(store.codings(code_ids=[new.id])) == 1


async def test_change_resize_fit_and_remove_the_coding_at_the_cursor(store):
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        text = bench.model.text
        await pilot.press("n", "space", "1")
        (coding,) = store.codings()
        first = (coding.start, coding.end)
        await pilot.press("r")
        await type_text(pilot, "kokem")
        await pilot.press("enter")
        assert store.coding(coding.id).code_id == code_id(store, "Kokemukset")
        await pilot.press("plus")
        grown = store.coding(coding.id)
        next_word = WORD.search(text, first[1])
        assert (grown.start, grown.end) == (first[0], next_word.end())
        await pilot.press("minus")
        assert (store.coding(coding.id).start, store.coding(coding.id).end) == first
        await pilot.press("J", "f")  # select one more sentence and fit the coding to it
        fitted = store.coding(coding.id)
        second = next(s for s in store.segments(bench.model.document.id) if s.start > first[1])
        assert (fitted.start, fitted.end) == (first[0], second.end)
        await pilot.press("x")
        assert store.codings() == []
        assert bench.model.codings == {}


async def test_mouse_selection_maps_to_exact_offsets(store):
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        transcript = bench.transcript
        await pilot.mouse_down(transcript, offset=(8, 7))
        await pilot.hover(transcript, offset=(30, 8))
        await pilot.mouse_up(transcript, offset=(30, 8))
        start, end = transcript.selection_offsets
        assert start < end
        assert transcript.selected_text == bench.model.text[start:end]
        await pilot.press("3")
        (coding,) = store.codings()
        expected = bench.model.text[start:end]
        assert store.coded_text(coding) == expected.strip()


async def test_read_only_project_refuses_changes_politely(project_path):
    with Store.open(project_path, read_only=True, user="reader") as reader:
        async with make_app(reader, notice="Opened read-only").run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("n", "space", "3", "i", "u")
            assert reader.codings() == []
            assert workbench(pilot).check_action("apply_quick", (3,)) is None
            assert pilot.app.worker_errors == []
