"""import_paths on folders of real-looking files: what is stored, what is skipped, what fails."""

from __future__ import annotations

import pytest

from qualcode.errors import ConflictError, InputError
from qualcode.io.importer import collect_paths, import_paths
from qualcode.store import Store

H1 = ("[00:00:14] H: Kertoisitko yrityksestä?\n\n"
      "V: Meillä on pieni lahjapuoti. Asiakkaat ovat paikallisia… Se on kiva.\n\n"
      "H: Miten tilaatte tuotteita?\n\n"
      "V: (01:02) Verkkokaupasta. Toimitukset kestää joskus liian kauan.\n")
H5 = ("Haastattelija: Kerro roolistasi.\n\n"
      "H5: (03:12) No kyllähän mä oon ostaja. Ja myyjä.\n\n"
      "Haastattelija: Kiitos.\n")
R1 = ("Interviewer: How do you order?\n\n"
      "Participant: Mostly through the website. It is quite easy, and the deliveries are fast.\n")


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "haastattelut"
    (root / "kierros1").mkdir(parents=True)
    (root / "H1.txt").write_text(H1, encoding="utf-8")
    (root / "kierros1" / "haastattelu.txt").write_text(H5, encoding="utf-8")
    (root / "R1.md").write_text(R1, encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF-1.7")  # not a supported type: left out of a folder
    (root / ".hidden.txt").write_text("H: x", encoding="utf-8")
    (root / "~$H1.docx").write_bytes(b"lock")
    return root


def summary(store: Store) -> list[tuple]:
    return [(d.title, d.respondent, d.language, d.format, d.round, len(store.turns(d.id)), len(store.segments(d.id)))
            for d in store.documents()]


def test_folder_import_stores_documents_turns_and_sentences(store, folder):
    seen = []
    report = import_paths(store, [folder], progress=lambda done, total, name: seen.append((done, total, name)))
    assert [(f.path.name, f.status) for f in report.files] == [
        ("H1.txt", "imported"), ("haastattelu.txt", "imported"), ("R1.md", "imported")]
    assert seen == [(1, 3, "H1.txt"), (2, 3, "haastattelu.txt"), (3, 3, "R1.md")]
    assert summary(store) == [("H1", "H1", "fi", "txt", None, 4, 7), ("haastattelu", "H5", "fi", "txt", None, 3, 4),
                              ("R1", "R1", "en", "md", None, 2, 3)]
    doc = store.document("H1")
    text = store.document_text(doc.id)
    assert text == H1
    turns = store.turns(doc.id)
    assert [(t.speaker, t.role, t.timestamp) for t in turns] == [
        ("H", "interviewer", "00:00:14"), ("V", "respondent", None), ("H", "interviewer", None),
        ("V", "respondent", "01:02")]
    assert text[turns[3].start:turns[3].end] == "Verkkokaupasta. Toimitukset kestää joskus liian kauan."
    segments = store.segments(doc.id)
    assert [text[s.start:s.end] for s in segments[1:4]] == [
        "Meillä on pieni lahjapuoti.", "Asiakkaat ovat paikallisia…", "Se on kiva."]
    assert {s.turn_id for s in segments[1:4]} == {turns[1].id}
    assert report.words == sum(len(p.read_text().split()) for p in (folder / "H1.txt", folder / "R1.md")) + len(H5.split())


def test_options_respondent_language_round_and_interviewer(store, folder):
    import_paths(store, [folder / "H1.txt"], respondent="Asiantuntija 7", language="en", round=2)
    assert summary(store)[0][:5] == ("H1", "Asiantuntija 7", "en", "txt", 2)
    import_paths(store, [folder / "R1.md"], interviewer=["Participant"])
    assert {t.role for t in store.turns(store.document("R1").id)} == {"interviewer"}


def test_user_pattern(store, tmp_path):
    path = tmp_path / "memo.txt"
    path.write_text("Tutkija - Mitä mieltä?\nAsiakas - Hyvä.\n", encoding="utf-8")
    import_paths(store, [path], pattern=r"(?P<speaker>\w+) - ", interviewer="Tutkija")
    assert [(t.speaker, t.role) for t in store.turns(store.document("memo").id)] == [
        ("Tutkija", "interviewer"), ("Asiakas", "respondent")]


def test_reimport_is_skipped_unless_forced(store, folder):
    import_paths(store, [folder / "H1.txt"])
    again = import_paths(store, [folder / "H1.txt"])
    assert [(f.status, f.message) for f in again.files] == [
        ("skipped", 'H1.txt is already imported as "H1"; give --force to import it again.')]
    forced = import_paths(store, [folder / "H1.txt"], force=True)
    assert forced.files[0].title == "H1 (2)" and "is titled" in forced.files[0].warnings[0]
    copy = folder / "kierros1" / "H1.txt"
    copy.write_text(H1 + "\nH: Lisäys.\n", encoding="utf-8")
    delphi = import_paths(store, [copy], round=2)
    assert delphi.files[0].title == "H1 round 2"
    assert [d.title for d in store.documents()] == ["H1", "H1 (2)", "H1 round 2"]


def test_same_file_twice_in_one_import(store, folder):
    (folder / "copy.txt").write_text(H1, encoding="utf-8")
    report = import_paths(store, [folder / "H1.txt", folder / "copy.txt"])
    assert [f.status for f in report.files] == ["imported", "skipped"]
    assert "in this import" in report.files[1].message


def test_a_bad_file_in_a_folder_is_reported_and_the_others_import(store, folder):
    (folder / "rikki.txt").write_bytes(b"\x00\x01binary\x02" * 10)
    (folder / "tyhjä.txt").write_bytes(b"")
    report = import_paths(store, [folder])
    assert [(f.path.name, f.status) for f in report.failed] == [("rikki.txt", "failed"), ("tyhjä.txt", "failed")]
    assert "is not a text file" in report.failed[0].message and "is empty" in report.failed[1].message
    assert len(report.imported) == 3 and store.counts()["documents"] == 3


def test_a_failure_while_storing_leaves_no_trace_of_that_file(store, folder, monkeypatch):
    original = store.note
    calls = []

    def failing_note(entity, detail):
        calls.append(detail)
        if len(calls) == 2:  # the second document fails after its rows were written
            raise ConflictError("simulated failure")
        original(entity, detail)

    monkeypatch.setattr(store, "note", failing_note)
    report = import_paths(store, [folder])
    assert [f.status for f in report.files] == ["imported", "failed", "imported"]
    assert report.files[1].message == "haastattelu.txt: simulated failure"
    assert store.counts() == {"documents": 2, "respondents": 2, "turns": 6, "segments": 10, "codes": 0, "codings": 0}


def test_missing_path_and_unsupported_file_stop_before_anything_is_imported(store, folder):
    with pytest.raises(InputError, match="does not exist"):
        import_paths(store, [folder / "H1.txt", folder / "H2.txt"])
    with pytest.raises(InputError, match="files of type .pdf cannot be imported"):
        import_paths(store, [folder / "H1.txt", folder / "notes.pdf"])
    with pytest.raises(InputError, match="not a valid regular expression"):
        import_paths(store, [folder], pattern="(")
    assert store.counts()["documents"] == 0
    empty = folder / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="holds no files qualcode can import"):
        collect_paths([empty])


def test_docx_title_heading_is_not_a_turn(store, tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Interview R2 – Kaarna customer study", level=1)
    document.add_paragraph("I: How do you order?")
    document.add_paragraph("[00:01:10] R: Online, mostly.")
    path = tmp_path / "R2.docx"
    document.save(path)
    import_paths(store, [path])
    doc = store.document("R2")
    assert [(t.speaker, t.role) for t in store.turns(doc.id)] == [("I", "interviewer"), ("R", "respondent")]
    assert store.document_text(doc.id).startswith("Interview R2 – Kaarna customer study\n\nI: How")
    assert store.document_original(doc.id) == path.read_bytes()
    assert doc.respondent == "R2" and doc.format == "docx"


def test_subtitles_and_spreadsheet_rows(store, tmp_path):
    vtt = tmp_path / "R3.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Interviewer>Hi.\n\n"
                   "00:00:03.000 --> 00:00:05.000\n<v Buyer>Hello. We sell a lot.\n", encoding="utf-8")
    answers = tmp_path / "kysely.csv"
    answers.write_text("vastaaja,ikä,alue,vastaus\nA1,34,Pirkanmaa,Toimitus oli nopea. Kiitos!\n"
                       "A2,51,Uusimaa,Hinnat ovat nousseet.\nA1,34,Pirkanmaa,Lisäksi palvelu on hyvää.\n",
                       encoding="utf-8")
    report = import_paths(store, [vtt, answers])
    assert [len(f.document_ids) for f in report.imported] == [1, 3]
    assert [(t.speaker, t.role, t.timestamp) for t in store.turns(store.document("R3").id)] == [
        ("Interviewer", "interviewer", "00:00:01.000"), ("Buyer", "respondent", "00:00:03.000")]
    rows = [d for d in store.documents() if d.format == "csv"]
    assert [(d.title, d.respondent, d.language) for d in rows] == [
        ("kysely row 1", "A1", "fi"), ("kysely row 3", "A1", "fi"), ("kysely row 2", "A2", "fi")]
    assert len(store.segments(rows[0].id)) == 2
    assert {r.label: r.attributes for r in store.respondents() if r.label.startswith("A")} == {
        "A1": {"ikä": 34, "alue": "Pirkanmaa"}, "A2": {"ikä": 51, "alue": "Uusimaa"}}
    assert store.attribute_types()["ikä"] == "number"
    again = import_paths(store, [answers])
    assert again.files[0].status == "skipped" and "3 documents" in again.files[0].message


def test_bad_spreadsheet_column_fails_that_file_only(store, tmp_path):
    answers = tmp_path / "a.csv"
    answers.write_text("id,text\n1,Hyvä.\n", encoding="utf-8")
    report = import_paths(store, [answers], text_column="vastaus")
    assert report.failed[0].message.startswith("a.csv has no column 'vastaus'")
    assert store.counts()["documents"] == 0


def test_workers_give_the_same_result(tmp_path, folder):
    with Store.open(tmp_path / "a.qualcode", create=True) as one, Store.open(tmp_path / "b.qualcode", create=True) as two:
        import_paths(one, [folder])
        report = import_paths(two, [folder], workers=2)
        assert [f.status for f in report.files] == ["imported"] * 3
        assert summary(one) == summary(two)
        for doc in one.documents():
            other = two.document(doc.title)
            assert [(s.start, s.end) for s in one.segments(doc.id)] == [(s.start, s.end) for s in two.segments(other.id)]


def test_auto_workers_only_for_large_imports(folder, tmp_path, monkeypatch):
    from qualcode.io import parallel

    files = collect_paths([folder])
    assert parallel.auto_workers(files) == 1
    monkeypatch.setattr(parallel, "AUTO_WORKERS_MIN_BYTES", 10)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    assert parallel.auto_workers(files + [folder / "kierros1" / "haastattelu.txt"]) == 2
