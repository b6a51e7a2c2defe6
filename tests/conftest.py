"""Shared fixtures: small projects built through the public Store API."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.store import SegmentSpan, Store, TurnSpan

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

TRANSCRIPT = (
    "H: Kertoisitko yrityksestänne?\n\n"
    "V: Meillä on pieni lahjatavarakauppa. Asiakkaat ovat enimmäkseen paikallisia.\n\n"
    "H: Miten tilaatte tuotteita?\n\n"
    "V: Tilaukset tehdään verkkokaupassa. Toimitukset kestävät joskus liian kauan. Se ärsyttää.\n"
)


def simple_spans(text: str) -> tuple[list[TurnSpan], list[SegmentSpan]]:
    """Turns from 'X: ' paragraphs and sentences split at '. ' / '? ' (for store-level tests)."""
    turns: list[TurnSpan] = []
    segments: list[SegmentSpan] = []
    position = 0
    for paragraph in text.split("\n\n"):
        label, _, speech = paragraph.partition(": ")
        start = position + len(label) + 2
        end = position + len(paragraph.rstrip("\n"))
        turns.append(TurnSpan(label, "interviewer" if label == "H" else "respondent", start, end, position))
        sentence_start = start
        for index in range(start, end):
            if text[index] in ".?" and (index + 1 == end or text[index + 1] == " "):
                segments.append(SegmentSpan(sentence_start, index + 1, len(turns) - 1))
                sentence_start = index + 2
        position += len(paragraph) + 2
    return turns, segments


@pytest.fixture
def store() -> Store:
    project = Store.memory()
    yield project
    project.close()


@pytest.fixture
def small_project(store: Store) -> tuple[Store, int]:
    turns, segments = simple_spans(TRANSCRIPT)
    doc_id = store.add_document(title="H1", text=TRANSCRIPT, format="txt", language="fi", respondent="H1",
                                turns=turns, segments=segments)
    return store, doc_id


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is absent: the shared domain files (schemas, fixtures) are not checked out beside the repo")
    return SHARED


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory) -> Path:
    """The demo project built once per test session from corpora/ (open it read-only in tests,
    or copy it with `shutil.copy` before changing anything)."""
    from qualcode.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.qualcode"
    build_demo(path)
    return path
