"""The workbench's document model and guide matcher: pure Python, no Textual."""

from __future__ import annotations

from qualcode.coding.models import Coding, Document, Segment, Turn
from qualcode.tui.guide import GuideQuestion, asks, load_guide, score
from qualcode.tui.model import DocumentModel, display_text, in_vivo_name
from tests.tui.conftest import REPO, spans

TEXT = ("H: Miten tilaatte tuotteita?\n\n"
        "V: Tilaukset tehdään verkkokaupassa. Toimitukset kestävät joskus liian kauan. Se ärsyttää.\n\n"
        "H: Entä palaute?\n\n"
        "V: Palautetta ei juuri kerätä.\n")


def make_model(codings: list[tuple[int, int, int, int]] = ()) -> DocumentModel:
    turn_spans, segment_spans = spans(TEXT)
    turns = [Turn(i + 1, 1, i, t.speaker, t.role, t.start, t.end, t.label_start, t.timestamp)
             for i, t in enumerate(turn_spans)]
    segments = [Segment(i + 1, 1, i, s.start, s.end, s.turn + 1) for i, s in enumerate(segment_spans)]
    document = Document(1, "H1", None, "H1", None, None, "x", "fi", "txt", "now", None, len(TEXT))
    rows = [Coding(cid, 1, code, start, end, "t", "now", "now", None, f"g{cid}", None)
            for cid, code, start, end in codings]
    return DocumentModel(document, TEXT, turns, segments, rows)


def sentence(text: str) -> tuple[int, int]:
    start = TEXT.index(text)
    return start, start + len(text)


def test_spans_helper_finds_turns_and_sentences():
    turns, segments = spans(TEXT)
    assert [(t.speaker, t.role) for t in turns] == [("H", "interviewer"), ("V", "respondent")] * 2
    assert [TEXT[s.start:s.end] for s in segments][1:4] == [
        "Tilaukset tehdään verkkokaupassa.", "Toimitukset kestävät joskus liian kauan.", "Se ärsyttää."]


def test_offsets_and_locations_round_trip():
    model = make_model()
    for offset in (0, 5, 29, 30, len(TEXT) - 1, len(TEXT)):
        assert model.offset(model.location(offset)) == offset
    assert model.location(TEXT.index("V: Tilaukset")) == (2, 0)


def test_display_text_keeps_offsets():
    assert display_text("a\r\nb\u2028c\x0cd") == "a \nb c d"
    assert len(display_text("a\r\nb")) == len("a\r\nb")


def test_sentence_word_and_turn_moves():
    model = make_model()
    first = sentence("Tilaukset tehdään verkkokaupassa.")[0]
    second = sentence("Toimitukset kestävät joskus liian kauan.")[0]
    assert model.next_sentence(first) == second
    assert model.previous_sentence(second) == first
    assert model.previous_sentence(second + 3) == second
    assert model.next_word(first) == first + len("Tilaukset ")
    assert model.previous_word(first + 3) == first
    answer = model.turns[1]
    assert model.next_turn(0) == model.turns[0].start
    assert model.next_turn(model.turns[0].start) == answer.start
    assert model.previous_turn(model.turns[2].start) == answer.start


def test_extending_a_selection_by_sentences_and_words_both_ways():
    model = make_model()
    first = sentence("Tilaukset tehdään verkkokaupassa.")
    second = sentence("Toimitukset kestävät joskus liian kauan.")
    assert model.extend_sentence_forward(first[0], first[0]) == first
    assert model.extend_sentence_forward(*first) == (first[0], second[1])
    assert model.extend_sentence_backward(*second) == (first[0], second[1])
    assert model.extend_word_forward(second[0], second[0]) == (second[0], second[0] + len("Toimitukset"))
    start, end = model.extend_word_backward(second[0], second[1])
    assert TEXT[start:end] == "verkkokaupassa. Toimitukset kestävät joskus liian kauan."


def test_pieces_show_overlaps_innermost_first():
    outer = sentence("Tilaukset tehdään verkkokaupassa. Toimitukset kestävät joskus liian kauan.")
    inner = sentence("Toimitukset")
    model = make_model([(1, 10, *outer), (2, 20, *inner)])
    row = model.location(outer[0])[0]
    line_start = model.line_starts[row]
    pieces = model.pieces(row)
    assert [(p.start + line_start, p.end + line_start, p.coding_ids) for p in pieces] == [
        (outer[0], inner[0], (1,)), (inner[0], inner[1], (2, 1)), (inner[1], outer[1], (1,))]
    assert [c.id for c in model.codings_at(inner[0])] == [2, 1]


def test_progress_counts_respondent_sentences_and_uncoded_answers():
    model = make_model()
    assert model.progress() == (0, 4)
    rows = model.add_coding(Coding(1, 1, 5, *sentence("Se ärsyttää."), "t", "now", "now", None, "g", None))
    assert rows == {2}
    assert model.progress() == (1, 4)
    assert model.next_uncoded_answer(0).start == model.turns[3].start
    assert model.remove_coding(1) == {2}
    assert model.progress() == (0, 4)


def test_replace_codings_reports_changed_rows():
    model = make_model([(1, 10, *sentence("Se ärsyttää.")), (2, 10, *sentence("Palautetta ei juuri kerätä."))])
    changed = model.replace_codings([c for c in model.codings.values() if c.id == 1])
    assert changed == {model.location(sentence("Palautetta")[0])[0]}
    assert set(model.codings) == {1}


def test_in_vivo_names():
    assert in_vivo_name("  ”ihan hirveetä  säätöä”, ") == "ihan hirveetä säätöä"
    long = in_vivo_name("sana " * 30)
    assert long.endswith("…") and len(long) <= 61


def test_guide_matches_interviewer_turns_by_word_prefix():
    questions = load_guide(REPO / "corpora" / "guide.yaml")
    ordering = next(q for q in questions if q.id == "ordering_1")
    text = "Miten tilaukset Kaarnalle tehdään?"
    assert score(ordering, text, "fi") >= 1
    assert asks(ordering, questions, text, "fi")
    assert not asks(ordering, questions, "Millaisia asiakkaita teillä käy?", "fi")
    simple = GuideQuestion("q", "t", {"en": "x"}, {"en": ("delivery time",)})
    assert score(simple, "How were the delivery times?", "en") == 1
