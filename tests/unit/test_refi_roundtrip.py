"""import(export(P)) reproduces P; export(import(export(P))) is byte-for-byte export(P)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from qualcode.io.refi import import_qdpx, read_qdpx
from qualcode.io.refi.qde_export import export_qdpx
from qualcode.store import Store
from tests.unit.test_refi_support import build_sample_project, snapshot


@pytest.fixture
def round_trip(store: Store, tmp_path: Path):
    build_sample_project(store)
    first = tmp_path / "first.qdpx"
    export_qdpx(store, first, name="study")
    copy = Store.memory(user="someone else")
    report = import_qdpx(copy, first)
    yield store, copy, first, report
    copy.close()


def test_import_of_export_reproduces_the_project(round_trip) -> None:
    original, copy, _path, _report = round_trip
    before, after = snapshot(original), snapshot(copy)
    # a Markdown document comes back as plain text (REFI-QDA sources are .txt or .docx)
    assert before["documents"]["Muistiinpanot"][2] == "md" and after["documents"]["Muistiinpanot"][2] == "txt"
    after["documents"]["Muistiinpanot"] = before["documents"]["Muistiinpanot"]
    for part in before:
        assert after[part] == before[part], part


def test_export_of_the_reimport_is_identical(round_trip, tmp_path: Path) -> None:
    _original, copy, first, _report = round_trip
    second = tmp_path / "second.qdpx"
    export_qdpx(copy, second, name="study")
    assert zipfile.ZipFile(second).read("project.qde") == zipfile.ZipFile(first).read("project.qde")
    assert second.read_bytes() == first.read_bytes()


def test_report_of_our_own_file_keeps_everything(round_trip) -> None:
    _original, copy, _path, report = round_trip
    assert report.summary() == ("Imported first.qdpx: 3 documents, 2 codebooks, 8 codes, 8 codings, "
                                "3 respondents, 9 attribute values, 3 memos, 1 link.")
    assert report.not_kept == [] and report.info == ["documents in no case, so without a respondent: 1"]
    # turns and sentences are found again from the text
    h1 = copy.document("H1 haastattelu")
    assert [t.speaker for t in copy.turns(h1.id)] == ["H", "V", "H", "V"] and copy.segments(h1.id)


def test_reimport_into_the_same_project_doubles_nothing(round_trip) -> None:
    original, _copy, path, _report = round_trip
    before = snapshot(original)
    report = import_qdpx(original, path)
    assert snapshot(original) == before
    assert report.added.get("documents", 0) == report.added.get("codes", 0) == report.added.get("codings", 0) == 0
    assert report.matched == {"codes": 8, "documents": 3, "codings": 8, "memos": 3}


def test_import_is_one_undo_step(round_trip) -> None:
    _original, copy, _path, _report = round_trip
    assert copy.undo() == "import first.qdpx"
    assert copy.counts()["codings"] == 0 and copy.codes() == [] and copy.memos() == []


def test_read_qdpx_gives_codings_on_stored_text(round_trip) -> None:
    original, _copy, path, _report = round_trip
    project = read_qdpx(path)
    texts = sorted(source.coded_text(selection) for source, selection, _coding in project.codings())
    assert texts == sorted(original.coded_text(c) for c in original.codings())
    coders = sorted(project.user_name(coding.user) for _s, _sel, coding in project.codings())
    assert coders == sorted(c.coder for c in original.codings())
