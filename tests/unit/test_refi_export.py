"""Exporting .qdpx: schema-valid, stable, offsets in code points, texts and originals inside."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from qualcode.errors import ConflictError
from qualcode.io.refi.qde_export import export_qdpx, variable_type
from qualcode.store import Store
from tests.unit.test_refi_support import (
    NS,
    PROJECT_XSD,
    SECOND_TEXT,
    build_sample_project,
    schema,
    schema_errors,
)

Q = {"q": NS}


@pytest.fixture
def exported(store: Store, tmp_path: Path) -> tuple[Store, dict[str, int], Path]:
    ids = build_sample_project(store)
    path = tmp_path / "study.qdpx"
    export_qdpx(store, path, name="study")
    return store, ids, path


def qde_of(path: Path) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(path).read("project.qde"))


def test_export_validates_against_the_project_schema(exported) -> None:
    _store, _ids, path = exported
    xsd = schema(PROJECT_XSD)
    data = zipfile.ZipFile(path).read("project.qde")
    assert schema_errors(xsd, data) == []
    assert etree.QName(qde_of(path)).namespace == NS


def test_an_empty_project_exports_valid_too(tmp_path: Path) -> None:
    xsd = schema(PROJECT_XSD)
    path = tmp_path / "empty.qdpx"
    with Store.memory() as empty:
        export_qdpx(empty, path)
    assert schema_errors(xsd, zipfile.ZipFile(path).read("project.qde")) == []


def test_exporting_twice_gives_the_same_bytes(exported, tmp_path: Path) -> None:
    store, _ids, path = exported
    again = tmp_path / "again.qdpx"
    export_qdpx(store, again, name="study")
    assert again.read_bytes() == path.read_bytes()


def test_existing_file_needs_force(exported) -> None:
    store, _ids, path = exported
    with pytest.raises(ConflictError, match="--force"):
        export_qdpx(store, path)
    export_qdpx(store, path, force=True, name="study")


def test_sources_hold_utf8_text_and_the_docx_original(exported) -> None:
    store, ids, path = exported
    archive = zipfile.ZipFile(path)
    guids = store.document_guids()
    source = qde_of(path).find(f"q:Sources/q:TextSource[@guid='{guids[ids['h2']]}']", Q)
    assert source.get("plainTextPath") == f"internal://{guids[ids['h2']]}.txt"
    assert archive.read(f"sources/{guids[ids['h2']]}.txt").decode("utf-8") == SECOND_TEXT
    rich = source.get("richTextPath").removeprefix("internal://")
    assert archive.read(f"sources/{rich}") == store.document_original(ids["h2"])
    notes = qde_of(path).find(f"q:Sources/q:TextSource[@guid='{guids[ids['notes']]}']", Q)
    assert notes.get("richTextPath") is None  # no original


def test_selections_are_code_points_end_exclusive(exported) -> None:
    store, _ids, path = exported
    archive = zipfile.ZipFile(path)
    root = qde_of(path)
    code_names = {c.get("guid"): c.get("name") for c in root.iter(f"{{{NS}}}Code")}
    seen = 0
    for source in root.iterfind("q:Sources/q:TextSource", Q):
        text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
        for selection in source.iterfind("q:PlainTextSelection", Q):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            for coding in selection.iterfind("q:Coding", Q):
                stored = store.codings()
                match = [c for c in stored if c.guid == coding.get("guid")]
                assert len(match) == 1 and store.coded_text(match[0]) == text[start:end]
                assert code_names[coding.find("q:CodeRef", Q).get("targetGUID")]
                seen += 1
    assert seen == len(store.codings()) == 8
    # the emoji counts as one code point, so the offset after it is not a UTF-16 offset
    emoji = root.xpath("//q:PlainTextSelection[starts-with(@name, 'Hyvä')]", namespaces=Q)[0]
    assert int(emoji.get("endPosition")) - int(emoji.get("startPosition")) == len("Hyvä 😀 palvelu")


def test_codings_of_one_span_share_a_selection_with_their_coders(exported) -> None:
    _store, _ids, path = exported
    root = qde_of(path)
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", Q)}
    assert set(users.values()) == {"anna", "ville", "tester"}
    shared = root.xpath("//q:PlainTextSelection[starts-with(@name, 'Toimitukset kestävät')]", namespaces=Q)
    assert len(shared) == 1
    coders = sorted(users[c.get("creatingUser")] for c in shared[0].iterfind("q:Coding", Q))
    assert coders == ["anna", "anna", "ville"]
    memo_ref = shared[0].find("q:Coding/q:NoteRef", Q).get("targetGUID")
    note = root.find(f"q:Notes/q:Note[@guid='{memo_ref}']", Q)
    assert note.findtext("q:PlainTextContent", namespaces=Q) == "Tärkeä kohta.\nKaksi riviä."
    # one memo shared by all codings of a selection is also its description (tools that read only that)
    prices = root.xpath("//q:PlainTextSelection[@name='hinnat nousevat']", namespaces=Q)[0]
    assert prices.findtext("q:Description", namespaces=Q) == "Sama muistio."


def test_cases_variables_codebooks_and_memos(exported) -> None:
    _store, _ids, path = exported
    root = qde_of(path)
    types = {v.get("name"): v.get("typeOfVariable") for v in root.iterfind("q:Variables/q:Variable", Q)}
    assert types == {"haastateltu": "Date", "koko": "Integer", "liikevaihto": "Float", "rooli": "Text",
                     "voittoa tavoitteleva": "Boolean", "round": "Integer"}
    cases = {c.get("name"): c for c in root.iterfind("q:Cases/q:Case", Q)}
    assert list(cases) == ["H1", "H2", "H9"]
    assert cases["H1"].xpath("q:VariableValue[q:VariableRef]/q:BooleanValue/text()", namespaces=Q) == ["true"]
    assert len(cases["H1"].findall("q:SourceRef", Q)) == 1 and not cases["H9"].findall("q:SourceRef", Q)
    sets = {s.get("name"): s.findtext("q:Description", namespaces=Q) for s in root.iterfind("q:Sets/q:Set", Q)}
    assert sets["Asiakassuhteen viisi E:tä"] == "qualcode codebook\nframework: five-es\nlanguage: fi"
    assert root.find("q:NoteRef", Q) is not None  # the project memo
    notes = {n.get("name") for n in root.iterfind("q:Notes/q:Note", Q)}
    assert {"Project memo", "Memo: H1 haastattelu", "Memo: Toimitukset", "Finding: Toimitukset"} <= notes
    assert len(root.findall("q:Links/q:Link", Q)) == 1


def test_report_lists_what_refi_cannot_hold(store: Store, tmp_path: Path) -> None:
    ids = build_sample_project(store)
    store.update_code(ids["deliveries"], description="Bell\x07 in a description")
    report = export_qdpx(store, tmp_path / "x.qdpx")
    assert report.summary() == ("Exported to x.qdpx: 3 documents, 8 codes, 8 codings, 3 cases, 6 variables, "
                                "7 notes, 3 users.")
    joined = " | ".join(report.not_exported)
    assert "code shortcut keys" not in joined  # framework keys come back from the framework
    assert "original files that are not .docx" not in joined
    assert "exported as plain text: 1" in joined  # the Markdown document
    assert "speaker turns" in joined
    assert "control characters in names or memos (XML cannot hold them; written as U+FFFD): 1" in joined
    assert "Bell\ufffd in" in zipfile.ZipFile(tmp_path / "x.qdpx").read("project.qde").decode("utf-8")


def test_variable_type_falls_back_to_text() -> None:
    assert variable_type("number", [1, 2, None]) == "Integer"
    assert variable_type("number", [1, 2.5]) == "Float"
    assert variable_type("number", [1, "n/a"]) == "Text"
    assert variable_type("date", ["2024-01-02", "2024-01-03"]) == "Date"
    assert variable_type("date", ["2024-01-02T10:00:00"]) == "DateTime"
    assert variable_type("date", ["maaliskuu"]) == "Text"
