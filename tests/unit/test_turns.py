"""Speaker turns on each transcript convention, and which respondent a transcript belongs to."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.errors import InputError
from qualcode.io.turns import (
    choose_respondent,
    detect_turns,
    looks_like_id,
    respondent_from_stem,
    respondent_from_turns,
    speaker_role,
)


def spoken(text: str, **options) -> list[tuple[str, str, str, str | None]]:
    """(speaker, role, speech, timestamp) of each turn, the speech cut from the text by its span."""
    turns = detect_turns(text, **options)
    for turn in turns:
        assert 0 <= turn.label_start <= turn.start <= turn.end <= len(text)
        assert text[turn.start:turn.end] == text[turn.start:turn.end].strip()
    return [(t.speaker, t.role, text[t.start:t.end], t.timestamp) for t in turns]


@pytest.mark.parametrize("interviewer, respondent", [
    ("H", "V"), ("Haastattelija", "H3"), ("I", "R"), ("Interviewer", "Participant"), ("Interviewer", "Respondent"),
    ("Q", "A"), ("Haastattelija", "Asiantuntija 2"), ("Moderator", "Expert 4"), ("Int", "Resp"),
])
def test_each_builtin_convention(interviewer, respondent):
    text = (f"{interviewer}: Miten tilaatte?\n\n{respondent}: Verkosta. Joskus puhelimella.\n\n"
            f"{interviewer}: Entä palaute?\n\n{respondent}: Sitä annetaan harvoin.\n")
    assert spoken(text) == [
        (interviewer, "interviewer", "Miten tilaatte?", None),
        (respondent, "respondent", "Verkosta. Joskus puhelimella.", None),
        (interviewer, "interviewer", "Entä palaute?", None),
        (respondent, "respondent", "Sitä annetaan harvoin.", None),
    ]


def test_timestamps_before_and_after_the_label_are_kept_out_of_the_speech():
    text = ("[00:12:31] V: Toimitukset kestää.\n"
            "(12:40) H: Kuinka kauan?\n"
            "H5: (12:55) Viikon.\n"
            "V: [00:13:02] Joskus kaksi.\n"
            "00:13:30 H: Selvä.\n")
    assert spoken(text) == [
        ("V", "respondent", "Toimitukset kestää.", "00:12:31"),
        ("H", "interviewer", "Kuinka kauan?", "12:40"),
        ("H5", "respondent", "Viikon.", "12:55"),
        ("V", "respondent", "Joskus kaksi.", "00:13:02"),
        ("H", "interviewer", "Selvä.", "00:13:30"),
    ]
    first = detect_turns(text)[0]
    assert (first.label_start, text[first.label_start:first.start]) == (0, "[00:12:31] V: ")


def test_continuation_lines_and_preamble():
    text = ("Haastattelu 3.4.2026, Tampere\nKesto 52 min\n\n"
            "H: Kerro yrityksestä.\n\n"
            "V: Meillä on pieni puoti.\nMyydään lahjoja.\n\n   Ja kortteja.\n\n"
            "H:\nEntä asiakkaat?\n")
    assert spoken(text) == [
        ("", "other", "Haastattelu 3.4.2026, Tampere\nKesto 52 min", None),
        ("H", "interviewer", "Kerro yrityksestä.", None),
        ("V", "respondent", "Meillä on pieni puoti.\nMyydään lahjoja.\n\n   Ja kortteja.", None),
        ("H", "interviewer", "Entä asiakkaat?", None),
    ]


def test_no_false_turns_inside_speech():
    text = ("H: Mitä sitten tapahtui?\n\n"
            "V: No mä soitin sinne. Sit mä sanoin: ei käy tällainen.\n"
            "Sit mä sanoin: ihan oikeasti.\n"
            "Esimerkiksi: toimitus myöhässä.\nEsimerkiksi: väärä tuote.\n"
            "Tuotteet: kortit ja kynttilät.\n"
            "Kello 10: 30 asiakasta.\n")
    turns = spoken(text)
    assert [t[0] for t in turns] == ["H", "V"]
    assert turns[1][2].endswith("Kello 10: 30 asiakasta.")


def test_recurring_names_are_speakers_but_a_single_one_is_not():
    text = "Anna: Hei.\nMatti Virtanen: Moi.\nAnna: Mitä kuuluu?\nMatti Virtanen: Hyvää.\nPekka: Minäkin!\n"
    assert [t[0] for t in spoken(text)] == ["Anna", "Matti Virtanen", "Anna", "Matti Virtanen"]


def test_user_interviewer_labels():
    text = "Anna: Kerro.\nMatti: No.\nAnna: Entä?\nMatti: Joo.\n"
    assert [t[1] for t in spoken(text)] == ["respondent"] * 4
    assert [t[1] for t in spoken(text, interviewer_labels=["anna"])] == ["interviewer", "respondent"] * 2


def test_user_pattern_overrides_the_conventions():
    text = "**Tutkija** Mitä mieltä?\n**Asiakas 1** Hyvä.\nH: ei tämä ole vuoro\n**Tutkija** [01:02] Kiitos.\n"
    pattern = r"\*\*(?P<speaker>[^*]+)\*\*\s*(?:\[(?P<timestamp>[\d:]+)\]\s*)?"
    assert spoken(text, pattern=pattern, interviewer_labels=["Tutkija"]) == [
        ("Tutkija", "interviewer", "Mitä mieltä?", None),
        ("Asiakas 1", "respondent", "Hyvä.\nH: ei tämä ole vuoro", None),
        ("Tutkija", "interviewer", "Kiitos.", "01:02"),
    ]


@pytest.mark.parametrize("pattern, message", [("(?P<speaker>x", "not a valid regular expression"),
                                              (r"^(\w+):", "has no named group `speaker`")])
def test_bad_user_pattern(pattern, message):
    with pytest.raises(InputError, match=message):
        detect_turns("H: x", pattern=pattern)


def test_text_without_labels_has_no_turns():
    assert detect_turns("Just a memo.\nWith lines: and colons.\n") == []


@pytest.mark.parametrize("label, role", [
    ("H", "interviewer"), ("haastattelija", "interviewer"), ("Interviewer 2", "interviewer"), ("Int", "interviewer"),
    ("Q", "interviewer"), ("Moderator", "interviewer"), ("I", "interviewer"), ("H3", "respondent"),
    ("V", "respondent"), ("Asiantuntija 2", "respondent"), ("", "other"),
])
def test_speaker_roles(label, role):
    assert speaker_role(label) == role


def test_respondent_ids():
    assert [looks_like_id(x) for x in ("H3", "R12", "Asiantuntija 2", "Expert 4", "V", "Participant", "Speaker 1",
                                       "Interviewer")] == [True, True, True, True, False, False, False, False]
    assert respondent_from_stem("H3") == "H3"
    assert respondent_from_stem("haastattelu_h3") == "H3"
    assert respondent_from_stem("Asiantuntija 2") == "Asiantuntija 2"
    assert respondent_from_stem("interview-2024-final") is None


def test_choose_respondent_in_order_of_precedence():
    five = detect_turns("Haastattelija: Kerro.\n\nH5: No.\n")
    hv = detect_turns("H: Kerro.\n\nV: No.\n")
    group = detect_turns("Moderator: Hi.\nExpert 1: Hello.\nExpert 2: Hey.\n")
    assert respondent_from_turns(five) == "H5"
    assert choose_respondent(five, Path("x/haastattelu.txt"), "H9") == "H9"
    assert choose_respondent(five, Path("x/haastattelu.txt")) == "H5"
    assert choose_respondent(hv, Path("x/haastattelu_H3.txt")) == "H3"
    assert choose_respondent(group, Path("x/ryhmähaastattelu.txt")) == "ryhmähaastattelu"
