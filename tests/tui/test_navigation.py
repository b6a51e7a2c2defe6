"""Retrieval, the document's codings, and moving around: uncoded answers, codings of a code,
guide questions, respondents and documents."""

from __future__ import annotations

from textual.widgets import OptionList, Select

from qualcode.store import Store
from qualcode.tui.app import make_app
from qualcode.tui.screens.document_codings import DocumentCodingsScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from tests.tui.helpers import settle, type_text, workbench


def answer_sentences(store: Store, title: str, count: int) -> list[tuple[int, int, int]]:
    """(document id, start, end) of the first `count` respondent sentences of a document."""
    doc = store.document(title)
    answering = {t.id for t in store.turns(doc.id) if t.role == "respondent"}
    return [(doc.id, s.start, s.end) for s in store.segments(doc.id) if s.turn_id in answering][:count]


def code_passages(store: Store) -> dict[str, list[int]]:
    tunteet, ylpeys = store.find_code("Tunteet").id, store.find_code("Tunteet > Ylpeys").id
    ids = {"H1": [], "H1 jatko": [], "H2": []}
    for title, code, n in (("H1", tunteet, 1), ("H1", tunteet, 2), ("H1 jatko", tunteet, 0), ("H2", tunteet, 1),
                           ("H2", ylpeys, 2)):
        doc, start, end = answer_sentences(store, title, 3)[n]
        ids[title].append(store.add_coding(doc, code, start, end))
    return ids


def options_text(option_list: OptionList) -> list[str]:
    return [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]


async def test_retrieve_passages_grouped_by_respondent_and_jump_back(store):
    ids = code_passages(store)
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")  # no code highlighted yet: the picker asks which one
        await type_text(pilot, "tunteet")
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, RetrievalScreen)
        passages = screen.query_one("#passages", OptionList)
        lines = options_text(passages)
        headings = [line.split()[0] for line, p in zip(lines, screen.shown) if p is None]
        assert headings == ["H1", "H2"]
        assert "owner and CEO" in lines[0]
        assert [p.coding_id for p in screen.shown if p is not None] == ids["H1"] + ids["H1 jatko"] + [ids["H2"][0]]
        await pilot.press("s")  # with sub-codes: Ylpeys under Tunteet joins in
        await settle(pilot)
        assert sorted(p.coding_id for p in screen.shown if p is not None) == sorted(sum(ids.values(), []))
        screen.query_one("#round-filter", Select).value = 2
        await pilot.pause()
        assert [p.coding_id for p in screen.shown if p is not None] == ids["H1 jatko"]
        screen.query_one("#round-filter", Select).clear()
        screen.query_one("#attribute-filter", Select).value = ("role", "store manager")
        await pilot.pause()
        assert sorted(p.coding_id for p in screen.shown if p is not None) == sorted(ids["H2"])
        passages.focus()
        await pilot.press("down", "enter")  # the second H2 passage
        await settle(pilot)
        bench = workbench(pilot)
        assert pilot.app.screen is bench
        target = store.coding(ids["H2"][1])
        assert bench.model.document.title == "H2"
        assert bench.transcript.selection_offsets == (target.start, target.end)
        assert bench.transcript.cursor_offset == target.start


async def test_document_codings_in_order_and_jump(store):
    ids = code_passages(store)
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        screen = pilot.app.screen
        assert isinstance(screen, DocumentCodingsScreen)
        assert [c.id for c in screen.codings] == ids["H1"]
        await pilot.press("down", "enter")
        await settle(pilot)
        coding = store.coding(ids["H1"][1])
        assert workbench(pilot).transcript.selection_offsets == (coding.start, coding.end)


async def test_next_uncoded_answer_and_next_coding_of_a_code_across_documents(store):
    ids = code_passages(store)
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        h1 = store.document("H1").id
        coded = [(c.start, c.end) for c in store.codings(document_id=h1)]
        uncoded = [t for t in store.turns(h1) if t.role == "respondent"
                   and not any(start < t.end and end > t.start for start, end in coded)]
        await pilot.press("n")
        assert bench.transcript.cursor_offset == uncoded[0].start
        await pilot.press("n")
        assert bench.transcript.cursor_offset == uncoded[1].start
        await pilot.press("N")
        assert bench.transcript.cursor_offset == uncoded[0].start
        bench.transcript.move_to(uncoded[-1].start)
        await pilot.press("n")  # none left in H1: on into the next document that has one
        await settle(pilot)
        following = [d.id for d in bench.documents][[d.id for d in bench.documents].index(h1) + 1:]
        document_id, start = store.first_uncoded_answer(following)
        assert (bench.model.document.id, bench.transcript.cursor_offset) == (document_id, start)
        bench.open_document(h1)
        await settle(pilot)
        bench.code_tree.highlight_code(store.find_code("Tunteet").id)
        bench.transcript.move_to(0)
        await pilot.press("o")
        await settle(pilot)
        assert bench.transcript.selection_offsets == (store.coding(ids["H1"][0]).start, store.coding(ids["H1"][0]).end)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        coding = store.coding(ids["H1 jatko"][0])
        assert bench.model.document.id == coding.document_id
        assert bench.transcript.selection_offsets == (coding.start, coding.end)
        await pilot.press("O")
        await settle(pilot)
        assert bench.model.document.title == "H1"


async def test_go_to_respondent_next_document_and_guide_question(store):
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        await pilot.press("g")
        await type_text(pilot, "H2")
        await pilot.press("enter")
        await settle(pilot)
        assert bench.model.document.title == "H2"
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert bench.model.document.title == "H1 jatko"
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert bench.model.document.title == "H1"
        await pilot.press("G")
        await type_text(pilot, "tilaukset")
        await pilot.press("enter")
        await settle(pilot)
        turn = bench.model.turn_at(bench.transcript.cursor_offset)
        assert turn.role == "interviewer"
        assert "Miten te teette tilaukset Kaarnalle?" in bench.model.text[turn.start:turn.end]
        # the same question again: the next interview that asks it
        await pilot.press("G", "enter")
        await settle(pilot)
        assert bench.model.document.title == "H2"
        turn = bench.model.turn_at(bench.transcript.cursor_offset)
        assert turn.role == "interviewer" and "tila" in bench.model.text[turn.start:turn.end].lower()


async def test_cursor_moves_by_turn_and_word_and_selects_a_turn(store):
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bench = workbench(pilot)
        turns = bench.model.turns
        await pilot.press("t")
        assert bench.transcript.cursor_offset == turns[0].start
        await pilot.press("t", "a")
        assert bench.transcript.selection_offsets == (turns[1].start, turns[1].end)
        await pilot.press("escape", "T")
        assert bench.transcript.cursor_offset == turns[1].start
        await pilot.press("w")
        text = bench.model.text
        offset = bench.transcript.cursor_offset
        assert text[offset - 1] == " " and text[offset].isalpha()
        await pilot.press("b")
        assert bench.transcript.cursor_offset == turns[1].start
