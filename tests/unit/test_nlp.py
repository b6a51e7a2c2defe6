"""Sentence segmentation (offsets back into the stored text) and lemma quality."""

from __future__ import annotations

import pytest

from qualcode import nlp
from qualcode.io.turns import detect_turns

TRANSCRIPT = (
    "Haastattelu H3, 4.3.2026\n\n"
    "[00:00:14] H: No niin, nauhuri on päällä. Kertoisitko yrityksestä?\n\n"
    "V: Joo, no… Me ollaan pieni puoti Tampereella.   Myydään lahjoja!\n"
    "Toinen rivi ilman pistettä\n"
    "Ja kolmas. Sit mä sanoin: \"ei käy\". (naurahtaa) Okei...\n\n"
    "H: Miten tilaatte tuotteita\n\n"
    "V: Verkosta… tai messuilta. Joskus puhelimella… Se on helppoa.\n"
)


def sentences(text: str, language: str = "fi") -> list[str]:
    turns = detect_turns(text)
    segments = nlp.segment(text, turns, language)
    for segment in segments:
        piece = text[segment.start:segment.end]
        assert piece and piece == piece.strip()
        if segment.turn is not None:
            turn = turns[segment.turn]
            assert turn.start <= segment.start and segment.end <= turn.end  # never across turns
    return [text[s.start:s.end] for s in segments]


def test_sentences_map_back_to_the_exact_text():
    assert sentences(TRANSCRIPT) == [
        "Haastattelu H3, 4.3.2026",
        "No niin, nauhuri on päällä.", "Kertoisitko yrityksestä?",
        "Joo, no…", "Me ollaan pieni puoti Tampereella.", "Myydään lahjoja!",
        "Toinen rivi ilman pistettä",
        "Ja kolmas.", "Sit mä sanoin: \"ei käy\".", "(naurahtaa) Okei...",
        "Miten tilaatte tuotteita",
        "Verkosta… tai messuilta.", "Joskus puhelimella…", "Se on helppoa.",
    ]


def test_spans_offsets_match_spacy_sentences():
    text = "Hello there. How are you?\nFine… Thanks for asking.  "
    spans = next(nlp.sentence_spans([text], "en"))
    assert [text[s:e] for s, e in spans] == ["Hello there.", "How are you?", "Fine…", "Thanks for asking."]
    doc = nlp.pipeline("en")(text)
    assert [s.text.strip() for s in doc.sents if s.text.strip()] == [text[s:e] for s, e in spans]


def test_a_turn_never_runs_into_the_next_one():
    text = "H: Entä sitten\nV: sitten mä lähdin kotiin\nH: ja\nV: niin"
    assert sentences(text) == ["Entä sitten", "sitten mä lähdin kotiin", "ja", "niin"]


def test_documents_without_turns_are_split_by_paragraph():
    text = "Ensimmäinen kappale. Toinen lause\n\nToinen kappale"
    segments = nlp.segment(text, [], "fi")
    assert [(text[s.start:s.end], s.turn) for s in segments] == [
        ("Ensimmäinen kappale.", None), ("Toinen lause", None), ("Toinen kappale", None)]


def test_very_long_stretches_are_cut_before_spacy(monkeypatch):
    monkeypatch.setattr(nlp, "MAX_PIECE_CHARS", 50)
    text = "V: " + " ".join(["Sana sana sana."] * 20)
    got = sentences(text)
    assert len(got) == 20 and all(s == "Sana sana sana." for s in got)


def test_pipelines_are_cached_per_language():
    assert nlp.pipeline("fi") is nlp.pipeline("fi")
    assert nlp.pipeline("fi") is not nlp.pipeline("en")
    assert nlp.BREAKS_COMPONENT in nlp.pipeline("fi").pipe_names


def test_guess_language():
    assert nlp.guess_language("V: No mä oon kyllä sitä mieltä, että se on ihan hyvä juttu.") == "fi"
    assert nlp.guess_language("R: Well, I think that the delivery was really slow and we were not happy.") == "en"


# ---------------------------------------------------------------------------- lemmas
# Inflected words as they occur in Finnish theme interviews (also colloquial forms), with the
# base form a Finnish reader would look up.
FINNISH_LEMMAS = {
    "asiakkaiden": "asiakas", "asiakkaille": "asiakas", "asiakkaat": "asiakas", "tuotteita": "tuote",
    "tuotteet": "tuote", "tuotteista": "tuote", "toimitusajat": "toimitusaika", "toimitukset": "toimitus",
    "tilauksia": "tilaus", "tilaukset": "tilaus", "oon": "olla", "ollu": "olla", "ollaan": "olla", "olisi": "olla",
    "myyjältä": "myyjä", "messuilla": "messu", "hinnat": "hinta", "hintoja": "hinta", "laadusta": "laatu",
    "yrityksen": "yritys", "yrityksestä": "yritys", "kaupassa": "kauppa", "kauppoihin": "kauppa",
    "valikoimaa": "valikoima", "palautetta": "palaute", "varastossa": "varasto", "kilpailijoiden": "kilpailija",
    "markkinoille": "markkinat", "sesongin": "sesonki", "kampanjoita": "kampanja", "tilataan": "tilata",
    "tilasin": "tilata", "ostetaan": "ostaa", "meiän": "me", "myydään": "myydä", "semmosta": "semmoinen",
    "toimii": "toimia", "mun": "minä", "menny": "mennä", "halutaan": "haluta", "tykkään": "tykätä",
    "tullu": "tulla", "tiedetään": "tietää", "huomattiin": "huomata", "tarvitaan": "tarvita",
    "pakkauksessa": "pakkaus", "kynttilöitä": "kynttilä", "tekstiilejä": "tekstiili", "korteista": "kortti",
    "työntekijöiden": "työntekijä",
}


def test_fifty_finnish_interview_words_lemmatise_well():
    assert len(FINNISH_LEMMAS) == 50
    wrong = {word: nlp.lemmatize(word, "fi") for word, lemma in FINNISH_LEMMAS.items()
             if nlp.lemmatize(word, "fi") != lemma}
    accuracy = 1 - len(wrong) / len(FINNISH_LEMMAS)
    print(f"\nFinnish lemma accuracy: {accuracy:.2f} ({len(FINNISH_LEMMAS) - len(wrong)}/50); wrong: {wrong}")
    assert accuracy >= 0.9


@pytest.mark.parametrize(("spoken", "lemma"), [
    ("kasvanu", "kasvaa"),  # participle without its final t
    ("kertonu", "kertoa"),
    ("tavotteet", "tavoite"),  # dropped i
    ("tällaseen", "tällainen"),
    ("suositellukin", "suositella"),  # clitic
    ("tekis", "tehdä"),  # conditional without its final i
    ("voitais", "voida"),
    ("lisäks", "lisäksi"),  # translative
    ("muuttu", "muuttua"),  # past tense without its final i
    ("ehdotettu", "ehdottaa"),  # passive participle read as its verb
    ("yhdessä", "yhdessä"),  # together, not a form of yksi
    ("juttu", "juttu"),  # a known noun stays as it is
])
def test_spoken_finnish_forms_lemmatise_through_their_written_forms(spoken, lemma):
    assert nlp.lemmatize(spoken, "fi") == lemma


def test_lemmas_are_lower_case_and_cached():
    assert nlp.lemmatize("Asiakkaiden", "fi") == "asiakas"
    assert nlp.lemmatize("Customers", "en") == "customer"
    assert nlp.lemmatize("Kunden", "de") == "kunden"  # no lemma data: the word itself, lower-cased
    nlp.lemmatize("asiakkaiden", "fi")
    assert nlp.lemmatize.cache_info().hits >= 1


def test_lemma_tokens_offsets():
    text = "Toimitusajat on, öö, liian pitkiä asiakkaille."
    tokens = nlp.lemma_tokens(text, "fi")
    assert all(text[start:end] == surface for start, end, surface, _ in tokens)
    assert [(surface, lemma) for _, _, surface, lemma in tokens][:2] == [("Toimitusajat", "toimitusaika"), ("on", "olla")]
    assert tokens[-1][3] == "asiakas"


@pytest.mark.parametrize("word, lemma", [("deliveries", "delivery"), ("ordered", "order"), ("shops", "shop")])
def test_english_lemmas(word, lemma):
    assert nlp.lemmatize(word, "en") == lemma


def test_a_missing_spacy_pipeline_is_a_clear_error():
    with pytest.raises(nlp.InputError, match="The spaCy pipeline 'xx_no_such_model' is not installed"):
        nlp.pipeline("fi", "xx_no_such_model")
