"""Fixtures for the workbench tests: a small project on disk built through the Store API.

Turns and sentences come from `spans()`, a simple regex reading of the corpus conventions
(`H:`/`V:`, `Haastattelija:`/`H5:`, optional `[hh:mm:ss]` or `(mm:ss)` timestamps), so these
tests do not depend on the importer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qualcode.store import SegmentSpan, Store, TurnSpan

REPO = Path(__file__).resolve().parents[2]
TRANSCRIPTS = REPO / "corpora" / "transcripts"
INTERVIEWER_LABELS = {"h", "haastattelija", "i", "interviewer"}

_TURN = re.compile(r"(?:\[(?P<before>\d\d:\d\d:\d\d)\]\s*)?(?P<label>[^:\n\[\]]{1,30}):[ \t]*"
                   r"(?:[\[(](?P<after>\d\d:\d\d(?::\d\d)?)[\])][ \t]*)?")
_SENTENCE = re.compile(r"[^.!?…\s][^.!?…]*(?:[.!?…]+[”\"')]*|$)")

FIRST_CODES = ("Ympäristö", "Odotukset", "Tunteet", "Kokemukset", "Sitoutuminen")


def spans(text: str) -> tuple[list[TurnSpan], list[SegmentSpan]]:
    """Speaker turns (one per paragraph) and sentences in them."""
    turns: list[TurnSpan] = []
    segments: list[SegmentSpan] = []
    for paragraph in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        match = _TURN.match(text, paragraph.start(), paragraph.end())
        if match is None:
            continue
        label = match.group("label").strip()
        role = "interviewer" if label.casefold() in INTERVIEWER_LABELS else "respondent"
        start, end = match.end(), paragraph.end()
        timestamp = match.group("before") or match.group("after")
        turns.append(TurnSpan(label, role, start, end, paragraph.start(), timestamp))
        for sentence in _SENTENCE.finditer(text, start, end):
            a, b = sentence.start(), sentence.end()
            while b > a and text[b - 1].isspace():
                b -= 1
            if b > a:
                segments.append(SegmentSpan(a, b, len(turns) - 1))
    return turns, segments


def add_transcript(store: Store, name: str, text: str | None = None, *, round: int | None = None,
                   respondent: str | None = None, language: str = "fi") -> int:
    text = text if text is not None else (TRANSCRIPTS / f"{name}.txt").read_text(encoding="utf-8")
    turns, segments = spans(text)
    return store.add_document(title=name, text=text, format="txt", language=language, respondent=respondent or name,
                              round=round, turns=turns, segments=segments)


def add_codebook(store: Store) -> dict[str, int]:
    book = store.add_codebook("Teemat", language="fi")
    ids = {name: store.add_code(name, codebook_id=book, key=str(i)) for i, name in enumerate(FIRST_CODES, start=1)}
    ids["Tunteet > Ylpeys"] = store.add_code("Ylpeys", parent_id=ids["Tunteet"])
    return ids


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """A project with H1 and H2 (round 1), a short H1 round-2 follow-up, and a codebook."""
    path = tmp_path / "p.qualcode"
    with Store.open(path, create=True, user="tester") as store:
        add_codebook(store)
        add_transcript(store, "H1", round=1)
        add_transcript(store, "H2", round=1)
        add_transcript(store, "H1 jatko", "H: Onko jotain muuttunut?\n\nV: Toimitukset ovat nopeutuneet. "
                       "Olen tyytyväinen.\n", round=2, respondent="H1")
        store.set_attribute("H1", "role", "owner and CEO")
        store.set_attribute("H2", "role", "store manager")
    return path


@pytest.fixture
def store(project_path: Path) -> Store:
    project = Store.open(project_path, user="tester")
    yield project
    project.close()
