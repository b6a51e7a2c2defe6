"""The Store methods the workbench adds (qualcode/store/workbench.py), and the fast wrapping."""

from __future__ import annotations

import random

import pytest
from textual._wrap import compute_wrap_offsets
from textual.document._document import Document
from textual.document._wrapped_document import WrappedDocument

from qualcode.errors import ConflictError
from qualcode.store import SegmentSpan, Store
from qualcode.tui.widgets.wrapping import FastWrappedDocument, wrap_offsets
from tests.tui.conftest import TRANSCRIPTS, add_codebook, add_transcript


@pytest.fixture
def project() -> Store:
    store = Store.memory()
    add_codebook(store)
    add_transcript(store, "H2")
    add_transcript(store, "H10", (TRANSCRIPTS / "H3.txt").read_text(encoding="utf-8"), round=2)
    # no speaker labels: every sentence counts towards progress
    store.add_document(title="Muistiinpano", text="Pelkkää tekstiä. Toinen lause.\n", format="txt", language="fi",
                       respondent="H2", segments=[SegmentSpan(0, 16, None), SegmentSpan(17, 30, None)])
    yield store
    store.close()


def brute_force_progress(store: Store) -> dict[int, tuple[int, int]]:
    result = {}
    for doc in store.documents():
        roles = {t.id: t.role for t in store.turns(doc.id)}
        segments = store.segments(doc.id)
        if "respondent" in roles.values():
            segments = [s for s in segments if roles.get(s.turn_id) == "respondent"]
        codings = store.codings(document_id=doc.id)
        coded = sum(any(c.start < s.end and c.end > s.start for c in codings) for s in segments)
        if segments:
            result[doc.id] = (coded, len(segments))
    return result


def test_coding_progress_matches_a_brute_force_count(project):
    rng = random.Random(5)
    codes = [c.id for c in project.codes()]
    for doc in project.documents():
        segments = project.segments(doc.id)
        for _ in range(25):
            i = rng.randrange(len(segments) - 1)
            j = min(len(segments) - 1, i + rng.randrange(3))
            start = segments[i].start + rng.randrange(0, 3)
            project.add_coding(doc.id, rng.choice(codes), min(start, segments[j].end - 1), segments[j].end)
    assert project.coding_progress() == brute_force_progress(project)
    some = [project.documents()[0].id]
    assert project.coding_progress(some) == {k: v for k, v in brute_force_progress(project).items() if k in some}


def test_code_counts_and_passages_sorted_by_respondent(project):
    tunteet = project.find_code("Tunteet").id
    h10, h2 = project.document("H10").id, project.document("H2").id
    for doc in (h10, h2, h2):
        segment = project.segments(doc)[len(project.codings(document_id=doc)) + 3]
        project.add_coding(doc, tunteet, segment.start, segment.end, memo="m")
    assert project.code_counts() == {tunteet: 3}
    assert project.code_counts(h10) == {tunteet: 1}
    passages = project.coded_passages([tunteet])
    assert [p.respondent for p in passages] == ["H2", "H2", "H10"]  # natural order: H2 before H10
    first = passages[0]
    assert first.text == project.document_text(first.document_id)[first.start:first.end]
    assert (passages[2].round, passages[2].memo, passages[2].document) == (2, "m", "H10")
    assert project.coded_passages([tunteet], document_ids=[h10]) == [passages[2]]


def test_add_code_and_apply_is_one_undo_step_and_reuses_a_code(project):
    doc = project.document("H2").id
    segment = project.segments(doc)[5]
    code_id, coding_id = project.add_code_and_apply("ihan hirveetä", doc, segment.start, segment.end,
                                                    origin="in-vivo")
    assert project.coding(coding_id).origin == "in-vivo"
    again, _ = project.add_code_and_apply("ihan hirveetä", doc, segment.start, segment.end + 1,
                                          codebook_id=project.code(code_id).codebook_id)
    assert again == code_id
    project.undo()
    project.undo()
    assert project.codings() == [] and project.code_named("ihan hirveetä", codebook_id=1) is None
    with pytest.raises(ConflictError):
        project.add_code_and_apply("x", doc, 10, 5)
    assert [c.name for c in project.codes()].count("x") == 0


def test_fast_wrapping_breaks_lines_exactly_like_textual():
    lines = [line for path in sorted(TRANSCRIPTS.glob("*.txt"))
             for line in path.read_text(encoding="utf-8").split("\n")]
    lines += ["a" * 50, "x  y   z    " * 20, "  leading", "word" + " " * 30 + "end", "tab\there", "日本語のテキスト" * 10,
              "trailing   ", "”Lainaus…” – ja näin."]
    for width in (*range(1, 30), 37, 45, 58, 80, 117):
        for line in lines:
            assert wrap_offsets(line, width, 4) == compute_wrap_offsets(line, width, 4), (width, line[:40])
    document = Document("\n".join(lines[:200]))
    for width in (0, 33, 71):
        ours, theirs = FastWrappedDocument(document), WrappedDocument(document)
        ours.wrap(width)
        theirs.wrap(width)
        for name in ("_wrap_offsets", "_offset_to_line_info", "_line_index_to_offsets", "_tab_width_cache"):
            assert getattr(ours, name) == getattr(theirs, name), name
        assert ours.height == theirs.height
