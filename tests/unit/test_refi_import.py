"""Importing .qdpx from other tools: the real qc_demo.qdpx export and the quirks of others."""

from __future__ import annotations

import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from qualcode.io.refi import import_qdpx, read_qdpx
from qualcode.io.refi.qde_export import export_qdpx
from qualcode.store import Store
from tests.unit.test_refi_support import (
    NS,
    PROJECT_XSD,
    QC_DEMO,
    docx_bytes,
    project_xml,
    require,
    schema,
    schema_errors,
    span,
    write_qdpx,
)

Q = {"q": NS}


# ---------------------------------------------------------------------------- qc_demo.qdpx
@pytest.fixture(scope="module")
def demo():
    path = require(QC_DEMO)
    store = Store.memory(user="importer")
    report = import_qdpx(store, path)
    yield store, report, path
    store.close()


def test_demo_documents(demo) -> None:
    store, report, _path = demo
    assert sorted(d.title for d in store.documents()) == ["admin-1", "board_2017"]
    assert report.summary() == ("Imported qc_demo.qdpx: 2 documents, 1 codebook, 262 codes, 205 codings, "
                                "2 respondents, 0 attribute values, 0 memos, 0 links.")
    assert report.not_kept == []
    # no cases in the file: respondents from the file names
    assert sorted(d.respondent for d in store.documents()) == ["admin-1", "board_2017"]


def test_demo_code_tree(demo) -> None:
    store, _report, path = demo
    root = etree.fromstring(zipfile.ZipFile(path).read("project.qde"))

    def tree(element) -> list:
        return [(c.get("name"), tree(c)) for c in element.iterfind("q:Code", Q)]

    def ours(parent_id) -> list:
        return [(c.name, ours(c.id)) for c in store.codes() if c.parent_id == parent_id]

    assert ours(None) == tree(root.find("q:CodeBook/q:Codes", Q))
    assert [c.name for c in store.codes() if c.parent_id is None] == [
        "rq1_definition", "rq2_curriculum_and_instruction", "rq3_process"]
    assert len(store.codes()) == 262 and [b.name for b in store.codebooks()] == ["qc project"]
    # names repeat under different parents and stay apart
    assert len([c for c in store.codes() if c.name == "programming"]) == 2
    assert {c.guid for c in store.codes()} == {c.get("guid") for c in root.iter(f"{{{NS}}}Code")}


def test_demo_codings_per_code_and_coder(demo) -> None:
    store, _report, path = demo
    root = etree.fromstring(zipfile.ZipFile(path).read("project.qde"))
    expected = Counter(ref.get("targetGUID") for ref in root.iter(f"{{{NS}}}CodeRef"))
    guid_of = {c.id: c.guid for c in store.codes()}
    assert Counter(guid_of[c.code_id] for c in store.codings()) == expected
    assert len(expected) == 77 and sum(expected.values()) == 205
    assert store.coders() == ["cp"]


def test_demo_every_coding_is_the_source_slice(demo) -> None:
    store, _report, path = demo
    archive = zipfile.ZipFile(path)
    root = etree.fromstring(archive.read("project.qde"))
    spans = {}
    for source in root.iterfind("q:Sources/q:TextSource", Q):
        raw = archive.read(f"sources/{source.get('plainTextPath')}").decode("utf-8")
        for selection in source.iterfind("q:PlainTextSelection", Q):
            for coding in selection.iterfind("q:Coding", Q):
                spans[coding.get("guid")] = raw[int(selection.get("startPosition")):int(selection.get("endPosition"))]
    codings = store.codings()
    assert len(codings) == len(spans) == 205
    for coding in codings:
        assert store.coded_text(coding) == spans[coding.guid]
        assert coding.end - coding.start == len(spans[coding.guid])


def test_demo_survives_a_round_trip(demo, tmp_path: Path) -> None:
    store, _report, _path = demo
    out = tmp_path / "demo.qdpx"
    export_qdpx(store, out)
    assert schema_errors(schema(PROJECT_XSD), zipfile.ZipFile(out).read("project.qde")) == []
    again = Store.memory()
    import_qdpx(again, out)
    code_paths = lambda s: sorted(tuple(s.code_path(c.id)) for c in s.codes())  # noqa: E731
    assert code_paths(again) == code_paths(store)
    texts = lambda s: sorted((s.document(c.document_id).title, c.start, c.end, c.coder, s.coded_text(c),  # noqa: E731
                              c.guid) for c in s.codings())
    assert texts(again) == texts(store)
    assert {d.title: again.document_text(d.id) for d in again.documents()} == \
        {d.title: store.document_text(d.id) for d in store.documents()}


# ---------------------------------------------------------------------------- other tools' quirks
CRLF_RAW = "Interviewer: Mitä pidätte kahvilasta?\r\nR1: Cafe\u0301 on mukava 😀 paikka.\r\nR1: Hinnat ovat kovat.\r\n"


def crlf_project(tmp_path: Path, *, bom: bool = True, offsets_on=CRLF_RAW) -> Path:
    """A CRLF, NFD, BOM-carrying text in a capitalised Sources folder, as some Windows tools write."""
    selections = []
    for phrase in ("Cafe\u0301 on mukava 😀 paikka.\r\n", "Hinnat ovat kovat.", "kahvilasta?\r\nR1: Cafe\u0301"):
        start, end = span(offsets_on, phrase.replace("\r\n", "\n") if "\r" not in offsets_on else phrase)
        selections.append(f'<PlainTextSelection guid="{{0000000{len(selections)}-0000-0000-0000-00000000000A}}" '
                          f'name="{phrase.split()[0]}" startPosition="{start}" endPosition="{end}">'
                          f'<Coding guid="1000000{len(selections)}-0000-0000-0000-000000000000">'
                          f'<CodeRef targetGUID="{{AAAAAAAA-0000-0000-0000-000000000001}}"/></Coding>'
                          '</PlainTextSelection>')
    body = ('<CodeBook><Codes><Code guid="{AAAAAAAA-0000-0000-0000-000000000001}" name="Paikka" isCodable="true" '
            'color="#F0A"/></Codes></CodeBook><Sources>'
            '<TextSource guid="BBBBBBBB-0000-0000-0000-000000000001" name="kahvila_h3.docx" '
            'plainTextPath="internal://BBBBBBBB-0000-0000-0000-000000000001.txt">'
            + "".join(selections) + "</TextSource></Sources>")
    data = ("\ufeff" if bom else "").encode("utf-8") + CRLF_RAW.encode("utf-8")
    return write_qdpx(tmp_path / "windows.qdpx", {"Project.qde": project_xml(body),
                                                  "Sources/BBBBBBBB-0000-0000-0000-000000000001.txt": data})


def normalised(raw: str) -> str:
    return unicodedata.normalize("NFC", raw.replace("\r\n", "\n"))


def test_crlf_bom_nfd_text_keeps_every_coded_slice(store: Store, tmp_path: Path) -> None:
    report = import_qdpx(store, crlf_project(tmp_path))
    doc = store.documents()[0]
    text = store.document_text(doc.id)
    assert text == normalised(CRLF_RAW) and "\r" not in text and not text.startswith("\ufeff")
    coded = [store.coded_text(c) for c in store.codings()]
    assert coded == [normalised("kahvilasta?\r\nR1: Cafe\u0301"), normalised("Cafe\u0301 on mukava 😀 paikka.\r\n"),
                     "Hinnat ovat kovat."]
    # the braced upper-case GUIDs are kept in one spelling; a #RGB colour is expanded
    assert store.codes()[0].guid == "aaaaaaaa-0000-0000-0000-000000000001" and store.codes()[0].colour == "#ff00aa"
    assert doc.title == "kahvila_h3.docx" and doc.respondent == "H3"  # an ID in the source's name
    assert report.info == []


def test_offsets_counted_with_crlf_as_one_are_recognised_from_quoting_names(store: Store, tmp_path: Path) -> None:
    # offsets taken on the LF text (a tool that read its CRLF file in text mode); names quote the text
    path = crlf_project(tmp_path, bom=False, offsets_on=CRLF_RAW.replace("\r\n", "\n"))
    report = import_qdpx(store, path)
    assert [store.coded_text(c) for c in store.codings()] == [
        normalised("kahvilasta?\nR1: Cafe\u0301"), normalised("Cafe\u0301 on mukava 😀 paikka.\n"), "Hinnat ovat kovat."]
    assert any("CRLF line endings counted as one character" in line for line in report.info)


def test_text_only_in_a_docx_beside_an_empty_txt(store: Store, tmp_path: Path) -> None:
    paragraphs = ["Haastattelija: Kertoisitko työstäsi?", "", "H4: Olen ostaja. Tilaan tuotteet."]
    plain = "\n".join(paragraphs)
    start, end = span(plain, "Olen ostaja.")
    body = ('<CodeBook><Codes><Code guid="c0000000-0000-0000-0000-000000000001" name="Rooli" isCodable="true"/>'
            '</Codes></CodeBook><Sources><TextSource guid="d0000000-0000-0000-0000-000000000001" name="Ostaja" '
            'plainTextPath="internal://d0000000-0000-0000-0000-000000000001.txt" '
            'richTextPath="internal://e0000000-0000-0000-0000-000000000001.docx">'
            f'<PlainTextSelection guid="f0000000-0000-0000-0000-000000000001" startPosition="{start}" '
            f'endPosition="{end}"><Coding guid="f0000000-0000-0000-0000-000000000002">'
            '<CodeRef targetGUID="c0000000-0000-0000-0000-000000000001"/></Coding></PlainTextSelection>'
            '</TextSource></Sources>')
    original = docx_bytes(paragraphs)
    path = write_qdpx(tmp_path / "docx.qdpx", {"project.qde": project_xml(body),
                                               "sources/d0000000-0000-0000-0000-000000000001.txt": b" ",
                                               "sources/e0000000-0000-0000-0000-000000000001.docx": original})
    report = import_qdpx(store, path)
    doc = store.documents()[0]
    assert store.document_text(doc.id) == plain
    assert store.document_original(doc.id) == original and doc.format == "docx"
    assert [store.coded_text(c) for c in store.codings()] == ["Olen ostaja."]
    assert any("taken from its .docx" in line for line in report.info)


CASES_BODY = """
<Users><User guid="u0000000-0000-0000-0000-000000000001" name="Anna A"/></Users>
<CodeBook><Codes>
  <Code guid="c0000000-0000-0000-0000-000000000001" name="Folder" isCodable="false">
    <Code guid="c0000000-0000-0000-0000-000000000002" name="Hinta" isCodable="true">
      <Description>Price talk</Description><NoteRef targetGUID="n0000000-0000-0000-0000-000000000003"/></Code>
    <Code guid="c0000000-0000-0000-0000-000000000003" name="Hinta" isCodable="true"/>
  </Code>
</Codes></CodeBook>
<Variables>
  <Variable guid="v0000000-0000-0000-0000-000000000001" name="Ikä" typeOfVariable="Integer"/>
  <Variable guid="v0000000-0000-0000-0000-000000000002" name="Yrittäjä" typeOfVariable="Boolean"/>
  <Variable guid="v0000000-0000-0000-0000-000000000003" name="Haastateltu" typeOfVariable="Date"/>
  <Variable guid="v0000000-0000-0000-0000-000000000004" name="Toimiala" typeOfVariable="Text"/>
</Variables>
<Cases>
  <Case guid="k0000000-0000-0000-0000-000000000001" name="Anna">
    <VariableValue><VariableRef targetGUID="v0000000-0000-0000-0000-000000000001"/><IntegerValue>34</IntegerValue></VariableValue>
    <VariableValue><VariableRef targetGUID="v0000000-0000-0000-0000-000000000002"/><BooleanValue>true</BooleanValue></VariableValue>
    <VariableValue><VariableRef targetGUID="v0000000-0000-0000-0000-000000000003"/><DateValue>2024-05-02</DateValue></VariableValue>
    <SourceRef targetGUID="d0000000-0000-0000-0000-000000000001"/>
  </Case>
</Cases>
<Sources>
  <TextSource guid="d0000000-0000-0000-0000-000000000001" name="Anna interview" plainTextPath="internal://a.txt">
    <Description>Recorded by phone.</Description>
    <PlainTextSelection guid="s0000000-0000-0000-0000-000000000001" startPosition="0" endPosition="5"
        creatingUser="u0000000-0000-0000-0000-000000000001">
      <Description>Selection comment</Description>
      <Coding guid="g0000000-0000-0000-0000-000000000001"><CodeRef targetGUID="c0000000-0000-0000-0000-000000000002"/></Coding>
      <Coding guid="g0000000-0000-0000-0000-000000000002" creatingUser="u0000000-0000-0000-0000-00000000dead">
        <CodeRef targetGUID="c0000000-0000-0000-0000-000000000003"/>
        <NoteRef targetGUID="n0000000-0000-0000-0000-000000000002"/></Coding>
    </PlainTextSelection>
    <Coding guid="g0000000-0000-0000-0000-000000000003"><CodeRef targetGUID="c0000000-0000-0000-0000-000000000001"/></Coding>
    <VariableValue><VariableRef targetGUID="v0000000-0000-0000-0000-000000000004"/><TextValue>kauppa</TextValue></VariableValue>
  </TextSource>
  <TextSource guid="d0000000-0000-0000-0000-000000000002" name="Nobody's notes" plainTextPath="internal://b.txt"/>
  <PictureSource guid="p0000000-0000-0000-0000-000000000001" path="internal://p.png"/>
  <PDFSource guid="p0000000-0000-0000-0000-000000000002" name="Report.pdf" path="internal://r.pdf">
    <PDFSelection guid="p0000000-0000-0000-0000-000000000003" page="0" firstX="1" firstY="1" secondX="2" secondY="2"/>
    <Representation guid="p0000000-0000-0000-0000-000000000004" plainTextPath="internal://r.txt">
      <PlainTextSelection guid="p0000000-0000-0000-0000-000000000005" startPosition="8" endPosition="15">
        <Coding guid="g0000000-0000-0000-0000-000000000004"><CodeRef targetGUID="c0000000-0000-0000-0000-000000000002"/></Coding>
      </PlainTextSelection>
    </Representation>
  </PDFSource>
  <AudioSource guid="m0000000-0000-0000-0000-000000000001" name="Call" path="relative:///call.m4a">
    <Transcript guid="t0000000-0000-0000-0000-000000000001" name="Call transcript" plainTextPath="internal://t.txt">
      <SyncPoint guid="y0000000-0000-0000-0000-000000000001" position="0" timeStamp="0"/>
      <SyncPoint guid="y0000000-0000-0000-0000-000000000002" position="6" timeStamp="900"/>
      <TranscriptSelection guid="x0000000-0000-0000-0000-000000000001" fromSyncPoint="y0000000-0000-0000-0000-000000000001"
          toSyncPoint="y0000000-0000-0000-0000-000000000002">
        <Coding guid="g0000000-0000-0000-0000-000000000005"><CodeRef targetGUID="c0000000-0000-0000-0000-000000000003"/></Coding>
      </TranscriptSelection>
    </Transcript>
    <AudioSelection guid="x0000000-0000-0000-0000-000000000002" begin="0" end="10"/>
  </AudioSource>
</Sources>
<Notes>
  <Note guid="n0000000-0000-0000-0000-000000000001" name="Loose idea"><PlainTextContent>Compare regions.</PlainTextContent></Note>
  <Note guid="n0000000-0000-0000-0000-000000000002" name="On coding"><PlainTextContent>Coding note.</PlainTextContent></Note>
  <Note guid="n0000000-0000-0000-0000-000000000003" name="Code note"><PlainTextContent>About prices.</PlainTextContent></Note>
</Notes>
<Graphs><Graph guid="q0000000-0000-0000-0000-000000000001"/></Graphs>
""".replace("u0000000", "a1000000").replace("n0000000", "b1000000").replace("k0000000", "c1000000") \
   .replace("v0000000", "d1000000").replace("s0000000", "e1000000").replace("g0000000", "f1000000") \
   .replace("p0000000", "a2000000").replace("m0000000", "b2000000").replace("t0000000", "c2000000") \
   .replace("y0000000", "d2000000").replace("x0000000", "e2000000").replace("q0000000", "f2000000")


@pytest.fixture
def cases_file(tmp_path: Path) -> Path:
    return write_qdpx(tmp_path / "cases.qdpx", {
        "project.qde": project_xml(CASES_BODY, name="Kahvilat"), "sources/a.txt": "Hinta on liian kova.",
        "sources/b.txt": "Muistiinpanoja.", "sources/r.txt": "Report: summary text.", "sources/r.pdf": b"%PDF-1.4",
        "sources/t.txt": "Hello, this is a call.", "sources/p.png": b"\x89PNG"})


def test_handmade_other_tool_file_is_schema_valid(cases_file: Path) -> None:
    # the fixture is standard REFI-QDA, so the import is tested on conformant input
    assert schema_errors(schema(PROJECT_XSD), zipfile.ZipFile(cases_file).read("project.qde")) == []


def test_cases_become_respondents_with_typed_attributes(store: Store, cases_file: Path) -> None:
    report = import_qdpx(store, cases_file)
    anna = store.respondent("Anna")
    assert anna.attributes == {"Ikä": 34, "Yrittäjä": True, "Haastateltu": "2024-05-02", "Toimiala": "kauppa"}
    assert store.attribute_types() == {"Ikä": "number", "Yrittäjä": "boolean", "Haastateltu": "date",
                                       "Toimiala": "text"}
    docs = {d.title: d for d in store.documents()}
    assert docs["Anna interview"].respondent == "Anna"
    assert docs["Nobody's notes"].respondent is None  # cases exist, and this source is in none
    assert "documents in no case, so without a respondent: 3" in report.info


def test_codings_coders_memos_and_what_is_not_kept(store: Store, cases_file: Path) -> None:
    report = import_qdpx(store, cases_file)
    docs = {d.title: d for d in store.documents()}
    assert set(docs) == {"Anna interview", "Nobody's notes", "Report.pdf", "Call transcript"}
    assert docs["Report.pdf"].format == "pdf" and store.document_original(docs["Report.pdf"].id) == b"%PDF-1.4"
    codings = {(store.document(c.document_id).title, store.code_path(c.code_id)[-1], store.coded_text(c)): c
               for c in store.codings()}
    first = codings[("Anna interview", "Hinta", "Hinta")]
    assert first.coder == "Anna A" and first.memo == "Selection comment"
    second = codings[("Anna interview", "Hinta (2)", "Hinta")]  # a same-named sibling is numbered
    assert second.coder == "user a1000000" and second.memo == "Coding note."
    whole = codings[("Anna interview", "Folder", "Hinta on liian kova.")]  # coding of the whole source
    assert whole.coder == store.user  # no user anywhere: the importing coder
    assert store.coded_text(codings[("Report.pdf", "Hinta", "summary")]) == "summary"
    assert ("Call transcript", "Hinta (2)", "Hello,") in codings
    assert store.memo("document", docs["Anna interview"].id).text == "Recorded by phone."
    assert store.memo("code", store.find_code("Folder > Hinta").id).text == "About prices."
    assert store.find_code("Folder > Hinta").description == "Price talk"
    assert store.memo("project", None).text == "Loose idea\nCompare regions."
    joined = " | ".join(report.not_kept)
    for expected in ("graphs: 1", "pictures (and their area codings): 1", "PDF area selections (their codings): 1",
                     "audio files (media are not kept; their transcripts are): 1",
                     "time-based media selections (their codings): 1"):
        assert expected in joined
    assert "code folders (not codable there), now ordinary codes: 1" in report.info


def test_source_variables_without_cases_go_to_the_filename_respondent(store: Store, tmp_path: Path) -> None:
    body = ('<Variables><Variable guid="d1000000-0000-0000-0000-000000000004" name="Toimiala" typeOfVariable="Text"/>'
            '<Variable guid="d1000000-0000-0000-0000-000000000005" name="Round" typeOfVariable="Integer"/></Variables>'
            '<Sources><TextSource guid="d0000000-0000-0000-0000-000000000001" name="haastattelu_h7" '
            'plainTextPath="internal://a.txt"><VariableValue><VariableRef '
            'targetGUID="d1000000-0000-0000-0000-000000000004"/><TextValue>kauppa</TextValue></VariableValue>'
            '<VariableValue><VariableRef targetGUID="d1000000-0000-0000-0000-000000000005"/>'
            '<IntegerValue>2</IntegerValue></VariableValue></TextSource></Sources>')
    path = write_qdpx(tmp_path / "vars.qdpx", {"project.qde": project_xml(body), "sources/a.txt": "Teksti."})
    import_qdpx(store, path)
    doc = store.documents()[0]
    assert doc.respondent == "H7" and doc.round == 2
    assert store.respondent("H7").attributes == {"Toimiala": "kauppa"}


def test_respondent_from_none(store: Store, tmp_path: Path) -> None:
    body = ('<Sources><TextSource guid="d0000000-0000-0000-0000-000000000001" name="haastattelu_h7" '
            'plainTextPath="internal://a.txt"/></Sources>')
    path = write_qdpx(tmp_path / "none.qdpx", {"project.qde": project_xml(body), "sources/a.txt": "Teksti."})
    import_qdpx(store, path, respondent_from="none")
    assert store.documents()[0].respondent is None and store.respondents() == []


def test_missing_namespace_and_inline_text_are_read(tmp_path: Path) -> None:
    body = ('<Sources><TextSource guid="d0000000-0000-0000-0000-000000000001" name="Inline">'
            '<PlainTextContent>Inline text.</PlainTextContent></TextSource></Sources>')
    path = write_qdpx(tmp_path / "nons.qdpx", {"project.qde": project_xml(body).replace(f' xmlns="{NS}"', "")})
    project = read_qdpx(path)
    assert [s.text for s in project.sources] == ["Inline text."]
    assert "namespace (none)" in project.info[0]
