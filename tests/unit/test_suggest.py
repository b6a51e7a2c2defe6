"""The three suggesters on small texts, and the review queue's decisions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from qualcode.coding.suggest import (
    DictionarySettings,
    DictionarySuggester,
    SpeakerSuggester,
    StructuralSuggester,
    fill_queue,
    framework_code_ids,
    load_guide,
    resolve_code_refs,
    run_suggester,
)
from qualcode.errors import ConflictError, InputError
from qualcode.frameworks import load_framework
from qualcode.frameworks.project import use_framework
from qualcode.store import Store
from tests.conftest import simple_spans

FRAMEWORK = """\
name: test-frame
title: {fi: "Testikehys", en: "Test frame"}
codes:
  - id: delivery
    label: {fi: "Toimitus", en: "Delivery"}
    indicators: {fi: [toimitus, myöhästyä, toimitusaika], en: [delivery, late, cash flow]}
  - id: feelings
    label: {fi: "Tunteet", en: "Feelings"}
    indicators: {fi: [ärsyttää, ilo], en: [annoy, happy]}
  - id: ordering
    label: {fi: "Tilaaminen", en: "Ordering"}
    indicators: {fi: [tilaus], en: [order]}
    children:
      - id: need
        label: {fi: "Tarve", en: "Need"}
        indicators: {fi: [tarvita], en: [need]}
"""

GUIDE = """\
title: {fi: "Runko"}
themes:
  - id: ordering
    questions:
      - id: q_order
        fi: "Miten tilaatte?"
        keywords_fi: [tilata, tilaus]
        codes: [test-frame/ordering]
  - id: feelings
    questions:
      - id: q_feel
        fi: "Millaisia tunteita yhteistyö herättää?"
        keywords_fi: [tunne, herättää]
        codes: [test-frame/feelings, Omat havainnot]
"""

INTERVIEW = (
    "H: Miten te tilaatte tuotteita?\n\n"
    "V: Toimitukset myöhästyivät usein. Se ärsyttää minua. Muuten kaikki on hyvin.\n\n"
    "H: Entä sitten?\n\n"
    "V: Tarvitsemme nopeamman tilauksen.\n\n"
    "H: Millaisia tunteita yhteistyö herättää?\n\n"
    "V: Lähinnä iloa.\n"
)
STRICT = DictionarySettings(threshold=0.5, answer_weight=0.0, question_weight=0.0, best_ratio=0.0)


@pytest.fixture
def project(store: Store, tmp_path: Path) -> tuple[Store, int, dict[str, int]]:
    path = tmp_path / "test-frame.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    use_framework(store, path, language="fi")
    turns, segments = simple_spans(INTERVIEW)
    doc = store.add_document(title="H1", text=INTERVIEW, format="txt", language="fi", respondent="H1",
                             turns=turns, segments=segments)
    return store, doc, framework_code_ids(store, "test-frame")


def passages(store: Store, suggestions) -> list[tuple[str, str]]:
    paths = {c.id: c.framework_path or c.name for c in store.codes()}
    return [(store.document_text(s.document_id)[s.start:s.end], paths[s.code_id]) for s in suggestions]


def test_dictionary_matches_inflected_indicators_in_respondent_sentences(project, tmp_path) -> None:
    store, doc, code_ids = project
    suggester = DictionarySuggester(load_framework(tmp_path / "test-frame.yaml"), STRICT)
    found = suggester.suggest(store, doc, code_ids)
    assert passages(store, found) == [
        ("Toimitukset myöhästyivät usein.", "test-frame/delivery"),
        ("Se ärsyttää minua.", "test-frame/feelings"),
        ("Tarvitsemme nopeamman tilauksen.", "test-frame/ordering/need"),
        ("Lähinnä iloa.", "test-frame/feelings"),
    ]  # the interviewer's "tilaatte" and "tunteita" are never suggested
    assert found[0].reason == "indicators: myöhästyä, toimitus" and found[0].score > found[1].score
    assert "ordering/need" not in suggester.targets[0] and "test-frame/ordering" not in suggester.targets


def test_the_rest_of_the_answer_adds_evidence(project, tmp_path) -> None:
    store, doc, code_ids = project
    settings = DictionarySettings(threshold=0.3, answer_weight=0.5, question_weight=0.0, best_ratio=0.0)
    found = DictionarySuggester(load_framework(tmp_path / "test-frame.yaml"), settings).suggest(store, doc, code_ids)
    third = [s for s in found if s.start == INTERVIEW.index("Muuten")]
    assert passages(store, third) == [("Muuten kaikki on hyvin.", "test-frame/delivery"),
                                      ("Muuten kaikki on hyvin.", "test-frame/feelings")]
    assert [s.reason for s in third] == ["indicators: -; in the answer: myöhästyä, toimitus",
                                         "indicators: -; in the answer: ärsyttää"]
    assert third[0].score > third[1].score  # two words in the answer weigh more than one
    alone = replace(settings, answer_weight=0.0)
    assert not [s for s in DictionarySuggester(load_framework(tmp_path / "test-frame.yaml"), alone).suggest(
        store, doc, code_ids) if s.start == INTERVIEW.index("Muuten")]


def test_the_question_before_an_answer_adds_evidence(store: Store, tmp_path) -> None:
    path = tmp_path / "test-frame.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    use_framework(store, path, language="fi")
    text = "H: Miten toimitukset ovat sujuneet?\n\nV: Ihan hyvin. Se ärsyttää joskus.\n"
    turns, segments = simple_spans(text)
    doc = store.add_document(title="H2", text=text, format="txt", language="fi", respondent="H2",
                             turns=turns, segments=segments)
    settings = DictionarySettings(threshold=0.5, answer_weight=0.0, question_weight=0.8, best_ratio=1.0)
    found = DictionarySuggester(load_framework(path), settings).suggest(store, doc, framework_code_ids(store, "test-frame"))
    assert passages(store, found) == [("Ihan hyvin.", "test-frame/delivery"), ("Se ärsyttää joskus.", "test-frame/feelings")]
    assert found[0].reason == "indicators: -; question: toimitus"
    without = replace(settings, question_weight=0.0)
    assert [s.reason for s in DictionarySuggester(load_framework(path), without).suggest(
        store, doc, framework_code_ids(store, "test-frame"))] == ["indicators: ärsyttää"]


def test_score_text_ranks_codes_and_weighs_multi_word_indicators(tmp_path) -> None:
    path = tmp_path / "test-frame.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    suggester = DictionarySuggester(load_framework(path))
    ranked = suggester.score_text("Toimitus myöhästyi taas, ja se ärsyttää.", "fi")
    assert [s.path for s in ranked] == ["test-frame/delivery", "test-frame/feelings"]
    english = suggester.score_text("Our cash flow decides when we order.", "en")
    assert [(s.path, s.matched) for s in english] == [("test-frame/delivery", ("cash flow",)),
                                                      ("test-frame/ordering/need", ("order",))]
    single = suggester.score_text("The delivery was fine.", "en")[0]
    assert english[0].score > single.score  # a two-word indicator weighs more than one word
    need = suggester.score_text("Tarvitsemme uuden tilauksen.", "fi")[0]
    assert need.path == "test-frame/ordering/need" and need.matched == ("tarvita", "tilaus")
    assert suggester.score_text("Ei mitään erityistä.", "fi") == []


def test_structural_suggests_the_guide_question_codes_for_the_answers(project, tmp_path) -> None:
    store, doc, _ = project
    guide_path = tmp_path / "guide.yaml"
    guide_path.write_text(GUIDE, encoding="utf-8")
    suggester = StructuralSuggester(load_guide(guide_path))
    code_ids, missing = resolve_code_refs(store, suggester.code_refs())
    assert missing == ["Omat havainnot"]
    found = suggester.suggest(store, doc, code_ids)
    assert passages(store, found) == [
        ("Toimitukset myöhästyivät usein. Se ärsyttää minua. Muuten kaikki on hyvin.", "test-frame/ordering"),
        ("Tarvitsemme nopeamman tilauksen.", "test-frame/ordering"),
        ("Lähinnä iloa.", "test-frame/feelings"),
    ]
    assert [s.score for s in found] == [1.0, 0.6, 1.0]
    assert found[0].reason == "answer to guide question q_order \u201dMiten tilaatte?\u201d (keywords: tilata)"
    assert found[1].reason.endswith("(follow-up)")


def test_guide_errors_name_the_problem(tmp_path) -> None:
    path = tmp_path / "guide.yaml"
    path.write_text('themes: [{id: a, questions: [{id: q, fi: "Mitä?"}]}]\n', encoding="utf-8")
    with pytest.raises(InputError, match="needs 'codes'"):
        load_guide(path)
    with pytest.raises(InputError, match="no such file"):
        load_guide(tmp_path / "missing.yaml")


def test_speaker_suggests_every_turn_of_a_speaker(project) -> None:
    store, doc, code_ids = project
    code = code_ids["test-frame/feelings"]
    by_label = SpeakerSuggester("v", code).suggest(store, doc)
    assert len(by_label) == 3 and all(s.reason == "turn of speaker V" for s in by_label)
    by_respondent = SpeakerSuggester("H1", code).suggest(store, doc)
    assert [(s.start, s.end) for s in by_respondent] == [(s.start, s.end) for s in by_label]
    interviewer = run_suggester(store, SpeakerSuggester("H", code), {})
    assert [store.document_text(doc)[s.start:s.end] for s in interviewer][0] == "Miten te tilaatte tuotteita?"


def test_nothing_is_coded_without_a_decision(project, tmp_path) -> None:
    store, doc, code_ids = project
    suggester = DictionarySuggester(load_framework(tmp_path / "test-frame.yaml"), STRICT)
    added = fill_queue(store, suggester.suggest(store, doc, code_ids), description="suggest")
    assert len(added) == 4 and all(s.status == "pending" for s in added)
    assert store.codings() == []
    coding_id = store.accept_suggestion(added[0].id)
    coding = store.coding(coding_id)
    assert coding.origin == "suggestion:dictionary"
    assert (coding.start, coding.end) == (added[0].start, added[0].end)
    accepted = store.suggestion(added[0].id)
    assert (accepted.status, accepted.coding_id) == ("accepted", coding_id) and accepted.decided_at
    assert len(store.codings()) == 1


def test_rejected_suggestions_stay_rejected_after_running_again(project, tmp_path) -> None:
    store, doc, code_ids = project
    suggester = DictionarySuggester(load_framework(tmp_path / "test-frame.yaml"), STRICT)
    first = fill_queue(store, suggester.suggest(store, doc, code_ids))
    store.reject_suggestion(first[0].id)
    store.adjust_suggestion(first[1].id, first[1].start, first[1].start + 2)
    store.reject_suggestion(first[1].id)
    store.accept_suggestion(first[2].id)
    again = fill_queue(store, suggester.suggest(store, doc, code_ids))
    assert again == []
    assert [s.status for s in store.suggestions()] == ["rejected", "rejected", "accepted", "pending"]
    with pytest.raises(ConflictError, match="already accepted"):
        store.reject_suggestion(first[2].id)


def test_adjusting_boundaries_then_accepting_codes_the_new_span(project, tmp_path) -> None:
    store, doc, code_ids = project
    suggester = DictionarySuggester(load_framework(tmp_path / "test-frame.yaml"), STRICT)
    item = fill_queue(store, suggester.suggest(store, doc, code_ids))[0]
    store.adjust_suggestion(item.id, item.start, item.start + len("Toimitukset"))
    adjusted = store.suggestion(item.id)
    assert (adjusted.suggested_start, adjusted.suggested_end) == (item.start, item.end)
    coding = store.coding(store.accept_suggestion(item.id))
    assert store.coded_text(coding) == "Toimitukset"
    with pytest.raises(ConflictError, match="only pending"):
        store.adjust_suggestion(item.id, item.start, item.end)


def test_accept_all_of_a_kind_is_one_undo_step(project, tmp_path) -> None:
    store, doc, code_ids = project
    speaker = SpeakerSuggester("V", code_ids["test-frame/delivery"])
    fill_queue(store, speaker.suggest(store, doc))
    dictionary = DictionarySuggester(load_framework(tmp_path / "test-frame.yaml"), STRICT)
    fill_queue(store, dictionary.suggest(store, doc, code_ids))
    kind = [s.id for s in store.suggestions(status="pending", source="speaker")]
    assert len(kind) == 3
    store.accept_suggestions(kind)
    assert len(store.codings()) == 3
    assert store.undo() == "accept 3 suggestions"
    assert store.codings() == []
    assert {s.status for s in store.suggestions(source="speaker")} == {"pending"}


def test_already_coded_spans_are_not_suggested(project) -> None:
    store, doc, code_ids = project
    code = code_ids["test-frame/delivery"]
    turn = [t for t in store.turns(doc) if t.role == "respondent"][0]
    store.add_coding(doc, code, turn.start, turn.start + 5)
    added = fill_queue(store, SpeakerSuggester("V", code).suggest(store, doc))
    assert len(added) == 2
