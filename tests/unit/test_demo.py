"""The demo study: built from corpora/ and read back through the importer as written."""

from __future__ import annotations

import csv
import re

import pytest
import yaml

from qualcode.io.importer import import_paths
from qualcode.store import Store
from tests.conftest import REPO

CORPORA = REPO / "corpora"
FINNISH = [f"H{n}" for n in range(1, 9)]
ENGLISH = ["R1", "R2", "R3"]


def test_demo_project_counts(demo_path):
    with Store.open(demo_path, read_only=True) as store:
        counts = store.counts()
        assert counts["documents"] == 11
        assert counts["respondents"] == 11
        assert counts["codes"] == 20  # five-es (5) + operating-process (15)
        references = sum(len(yaml.safe_load(p.read_text())["codings"]) for p in (CORPORA / "reference").glob("*.yaml"))
        assert counts["codings"] == references >= 150
        assert [r.label for r in store.respondents()] == FINNISH + ENGLISH
        assert {b.framework for b in store.codebooks()} == {"five-es", "operating-process"}
        for coding in store.codings()[:50]:
            assert coding.memo and coding.coder == "tutkija"


@pytest.mark.parametrize("name", FINNISH + ENGLISH)
def test_each_transcript_reads_back_as_written(tmp_path, name):
    path = next((CORPORA / "transcripts").glob(f"{name}.*"))
    with Store.open(tmp_path / "p.qualcode", create=True) as store:
        import_paths(store, [path])
        doc = store.documents()[0]
        assert doc.respondent == name
        turns = store.turns(doc.id)
        text = store.document_text(doc.id)
        interviewer = [t for t in turns if t.role == "interviewer"]
        respondent = [t for t in turns if t.role == "respondent"]
        assert interviewer and respondent
        assert all(t.role in ("interviewer", "respondent") for t in turns)
        if path.suffix == ".txt":
            raw = path.read_text(encoding="utf-8")
            paragraphs = [p for p in raw.split("\n\n") if p.strip()]
            assert len(turns) == len(paragraphs)
            labels = {re.sub(r"^\[[\d:]+\]\s*", "", p).split(":", 1)[0] for p in paragraphs}
            assert {t.speaker for t in turns} == labels
        for turn in turns:
            assert text[turn.start:turn.end].strip() == text[turn.start:turn.end]
            assert not re.match(r"^[\[(]?\d{1,2}:\d{2}", text[turn.start:turn.end])


def test_attributes_come_out_as_written(demo_path):
    rows = list(csv.DictReader((CORPORA / "respondents.csv").open(encoding="utf-8")))
    with Store.open(demo_path, read_only=True) as store:
        respondents = {r.label: r.attributes for r in store.respondents()}
    for row in rows:
        attributes = respondents[row["respondent"]]
        assert attributes["role"] == row["role"]
        assert attributes["organisation_type"] == row["organisation_type"]
        assert attributes["duration_min"] == int(row["duration_min"])
        assert attributes["interview_date"] == row["interview_date"]


def test_reference_codings_cover_both_frameworks(demo_path):
    with Store.open(demo_path, read_only=True) as store:
        paths = {store.code(c.code_id).framework_path for c in store.codings()}
    assert {f"five-es/{e}" for e in ("environment", "expectations", "emotions", "experience", "engagement")} <= paths
    assert any(p.startswith("operating-process/") for p in paths)
