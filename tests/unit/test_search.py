"""Lemma-aware search: the index, queries, KWIC hits, filters and coding all results."""

from __future__ import annotations

import re

import pytest

from qualcode.coding.search import (
    SearchFilters,
    code_all_results,
    document_chunks,
    kwic,
    parse_query,
    required_word_start,
    search,
)
from qualcode.errors import InputError
from qualcode.store import Store
from tests.conftest import simple_spans

FINNISH = (
    "H: Keitä teidän asiakkaat ovat?\n\n"
    "V: Asiakkaiden toiveet vaihtelevat. Annamme asiakkaille aina hyvää palvelua. "
    "Asiakkaan tyytyväisyys on tärkeintä. Sää ei vaikuta myyntiin.\n\n"
    "H: Miten tilaatte?\n\n"
    "V: Tilaukset tehdään verkkokaupassa. Toimitukset kestävät joskus liian kauan.\n"
)
ENGLISH = (
    "Interviewer: Who are your customers?\n\n"
    "Participant: Our customers are mostly tourists. A customer asked about the glass.\n"
)


def add(store: Store, title: str, text: str, language: str, respondent: str) -> int:
    turns, segments = simple_spans(text) if language == "fi" else _english_spans(text)
    return store.add_document(title=title, text=text, format="txt", language=language, respondent=respondent,
                              turns=turns, segments=segments)


def _english_spans(text: str):
    from qualcode.store import SegmentSpan, TurnSpan

    turns, segments, position = [], [], 0
    for paragraph in text.split("\n\n"):
        label, _, _ = paragraph.partition(": ")
        start, end = position + len(label) + 2, position + len(paragraph.rstrip("\n"))
        turns.append(TurnSpan(label, "interviewer" if label == "Interviewer" else "respondent", start, end, position))
        segments.append(SegmentSpan(start, end, len(turns) - 1))
        position += len(paragraph) + 2
    return turns, segments


@pytest.fixture
def corpus(store: Store) -> Store:
    add(store, "H1", FINNISH, "fi", "H1")
    add(store, "R1", ENGLISH, "en", "R1")
    store.set_attribute("H1", "role", "owner")
    store.set_attribute("R1", "role", "buyer")
    return store


def texts(hits) -> list[str]:
    return [hit.text for hit in hits]


def test_lemma_search_finds_inflected_finnish_forms(corpus: Store) -> None:
    hits = search(corpus, "asiakas")
    assert texts(hits) == ["asiakkaat", "Asiakkaiden", "asiakkaille", "Asiakkaan"]
    assert {hit.document for hit in hits} == {"H1"}


def test_lemma_search_finds_english_plural(corpus: Store) -> None:
    assert texts(search(corpus, "customer")) == ["customers", "customers", "customer"]
    assert texts(search(corpus, "customers")) == ["customers", "customers", "customer"]


def test_exact_search_matches_the_written_form_only(corpus: Store) -> None:
    assert texts(search(corpus, "asiakkaille", mode="exact")) == ["asiakkaille"]
    assert texts(search(corpus, "Customer", mode="exact")) == ["customer"]


def test_diacritics_are_kept_apart(corpus: Store) -> None:
    assert texts(search(corpus, "sää", mode="exact")) == ["Sää"]
    assert search(corpus, "saa", mode="exact") == []
    assert search(corpus, "saa") == []


def test_phrase_prefix_and_alternatives(corpus: Store) -> None:
    assert texts(search(corpus, "kestävät joskus")) == ["kestävät joskus"]
    assert texts(search(corpus, '"tilaus tehdä"')) == ["Tilaukset tehdään"]
    assert search(corpus, "joskus kestävät") == []
    assert texts(search(corpus, "tilau*", mode="exact")) == ["Tilaukset"]
    assert texts(search(corpus, "tilaus OR toimitus")) == ["Tilaukset", "Toimitukset"]


def test_regex_search_gives_offsets_into_the_stored_text(corpus: Store) -> None:
    hits = search(corpus, r"verkko\w+", mode="regex")
    assert len(hits) == 1
    text = corpus.document_text(hits[0].document_id)
    assert text[hits[0].start:hits[0].end] == "verkkokaupassa" == hits[0].text
    assert texts(search(corpus, r"\bCUSTOMERS?\b", mode="regex")) == ["customers", "customers", "customer"]


def test_regexes_that_must_start_a_word_are_narrowed_by_the_index() -> None:
    assert required_word_start(re.compile(r"\bminimitilau\w*")) == "minimitilau"
    assert required_word_start(re.compile(r"(?i)^Joo\b")) == "joo"
    assert required_word_start(re.compile(r"tilau\w*")) is None  # may start inside a word
    assert required_word_start(re.compile(r"\bfoo|\bbar")) is None


def test_bad_queries_say_what_to_do() -> None:
    with pytest.raises(InputError, match="not valid"):
        parse_query("asiak(", mode="regex")
    with pytest.raises(InputError, match="empty"):
        parse_query("  ")
    with pytest.raises(InputError, match="--regex"):
        parse_query("?!")


def test_kwic_context_is_exact_and_stays_in_the_turn(corpus: Store) -> None:
    hits = search(corpus, "asiakas", context=20)
    text = corpus.document_text(hits[0].document_id)
    for hit in hits:
        assert text[hit.start - len(hit.left):hit.start] == hit.left
        assert text[hit.end:hit.end + len(hit.right)] == hit.right
    first, second = hits[0], hits[1]
    assert (first.left, first.right) == ("Keitä teidän ", " ovat?")  # the turn starts after "H: " and ends at "?"
    assert second.left == "" and second.right == " toiveet vaihtelevat"
    third = hits[2]
    assert (third.left, third.right) == ("Annamme ", " aina hyvää palvelua")


def test_kwic_drops_a_word_cut_at_the_edge() -> None:
    text = "yksi kaksi kolme neljä"
    assert kwic(text, 11, 16, width=8) == ("kaksi ", " neljä")
    assert kwic(text, 11, 16, width=4) == ("", "")
    assert kwic(text, 11, 16, width=3, lower=10) == (" ", "")
    assert kwic(text, 0, 4, width=7) == ("", " kaksi")


def test_hit_json_has_exactly_the_documented_keys(corpus: Store) -> None:
    hit = search(corpus, "sää")[0]
    assert hit.to_json() == {"document": "H1", "respondent": "H1", "start": hit.start, "end": hit.start + 3,
                             "text": "Sää", "left": "Asiakkaan tyytyväisyys on tärkeintä. ",
                             "right": " ei vaikuta myyntiin."}


def test_filters_by_turn_role_respondent_attribute_and_code(corpus: Store) -> None:
    assert texts(search(corpus, "asiakas", filters=SearchFilters(respondent_turns_only=True))) == [
        "Asiakkaiden", "asiakkaille", "Asiakkaan"]
    assert texts(search(corpus, "customer", filters=SearchFilters(respondents=("H1",)))) == []
    assert len(search(corpus, "customer", filters=SearchFilters(attributes=(("role", "buyer"),)))) == 3
    assert search(corpus, "customer", filters=SearchFilters(attributes=(("role", "owner"),))) == []
    doc = corpus.document("H1")
    text = corpus.document_text(doc.id)
    start = text.index("Annamme")
    code = corpus.add_code("Palvelu")
    corpus.add_coding(doc.id, code, start, text.index("palvelua.") + 9)
    assert texts(search(corpus, "asiakas", filters=SearchFilters(code_ids=(code,)))) == ["asiakkaille"]


def test_the_index_is_built_lazily_and_kept_up_to_date(store: Store) -> None:
    add(store, "H1", FINNISH, "fi", "H1")
    assert store.unindexed_documents() == [store.document("H1").id]
    assert len(search(store, "asiakas")) == 4
    assert store.unindexed_documents() == []
    add(store, "H2", FINNISH.replace("Sää", "Kelit"), "fi", "H2")
    assert [h.document for h in search(store, "asiakas")] == ["H1"] * 4 + ["H2"] * 4
    stats = store.index_stats()
    assert stats["documents"] == 2 and stats["unindexed"] == 0 and stats["words"] > 30
    store.index_document(store.document("H1").id)  # re-indexing replaces, never doubles
    assert len(search(store, "asiakas")) == 8
    assert store.rebuild_index() == 2
    assert len(search(store, "asiakas")) == 8


def test_an_index_built_with_other_lemmas_is_rebuilt(store: Store) -> None:
    add(store, "H1", FINNISH, "fi", "H1")
    assert len(search(store, "asiakas")) == 4
    store.set_setting("search_index_lemmatiser", "0")  # as a project indexed by an older qualcode
    store.db.execute("UPDATE search_chunks SET lemma = ''")  # whose lemmas no longer match
    assert store.ensure_index() == 1
    assert len(search(store, "asiakas")) == 4 and store.ensure_index() == 0


def test_read_only_projects_search_unindexed_documents_directly(tmp_path) -> None:
    path = tmp_path / "study.qualcode"
    with Store.open(path, create=True) as writer:
        add(writer, "H1", FINNISH, "fi", "H1")
    with Store.open(path, read_only=True) as reader:
        assert reader.unindexed_documents()
        assert texts(search(reader, "asiakas")) == ["asiakkaat", "Asiakkaiden", "asiakkaille", "Asiakkaan"]


def test_limit_caps_the_hits(corpus: Store) -> None:
    assert len(search(corpus, "asiakas", limit=2)) == 2


def test_documents_without_turns_are_searched_by_paragraph(store: Store) -> None:
    text = "Ensimmäinen kappale asiakkaista.\n\n  Toinen kappale.  \n"
    assert [(c.start, c.end) for c in document_chunks(text, [])] == [(0, 32), (36, 51)]
    store.add_document(title="Muistio", text=text, format="txt", language="fi")
    hit = search(store, "asiakas")[0]
    assert (hit.text, hit.respondent, hit.right) == ("asiakkaista", None, ".")


def test_code_all_results_is_one_undo_step(corpus: Store) -> None:
    code = corpus.add_code("Asiakkaat")
    hits = search(corpus, "asiakas", filters=SearchFilters(respondent_turns_only=True))
    ids = code_all_results(corpus, hits, code, scope="segment", query="asiakas")
    codings = corpus.codings(code_ids=[code])
    assert len(ids) == 3 and len(codings) == 3
    assert all(c.origin == "search" for c in codings)
    text = corpus.document_text(hits[0].document_id)
    assert text[codings[0].start:codings[0].end] == "Asiakkaiden toiveet vaihtelevat."
    assert corpus.undo() == "code search results 'asiakas' as Asiakkaat"
    assert corpus.codings(code_ids=[code]) == []
    match_ids = code_all_results(corpus, hits, code, scope="match")
    assert [corpus.coded_text(corpus.coding(i)) for i in match_ids] == ["Asiakkaiden", "asiakkaille", "Asiakkaan"]
    turn_ids = code_all_results(corpus, hits, code, scope="turn")
    assert len(set(turn_ids)) == 1  # the three hits share one turn
