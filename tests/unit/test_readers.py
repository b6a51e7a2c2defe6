"""Readers on real-looking files made by the tests, and every kind of bad input."""

from __future__ import annotations

import codecs
import io
import time
import unicodedata
import zipfile

import pytest

from qualcode.errors import InputError
from qualcode.io import office
from qualcode.io.readers import MIB, normalise, read_source
from qualcode.io.rows import read_table

FINNISH = "H: Miten tilaatte tuotteita?\n\nV: Tilaukset tehdään verkkokaupassa. Öisin ei.\n"


def write(tmp_path, name: str, data: bytes | str):
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------- plain text and encodings
def test_utf8_text_is_read_as_written_with_hash(tmp_path):
    source = read_source(write(tmp_path, "H1.txt", FINNISH))
    assert source.text == FINNISH
    assert source.format == "txt" and source.warnings == [] and source.original is None
    import hashlib

    assert source.source_hash == hashlib.sha256(FINNISH.encode()).hexdigest()


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-16-le", b""), ("utf-16-be", b""),
])
def test_bom_and_utf16_are_decoded(tmp_path, encoding, prefix):
    path = write(tmp_path, "H2.txt", prefix + FINNISH.encode(encoding))
    source = read_source(path)
    assert source.text == FINNISH
    assert source.warnings == []


def test_cp1252_falls_back_with_a_warning(tmp_path):
    path = write(tmp_path, "H3.txt", "V: Kävin messuilla – hyvä reissu.\n".encode("cp1252"))
    source = read_source(path)
    assert source.text == "V: Kävin messuilla – hyvä reissu.\n"
    assert source.encoding == "cp1252"
    assert len(source.warnings) == 1 and "not UTF-8" in source.warnings[0] and "cp1252" in source.warnings[0]


def test_broken_utf8_is_refused_not_garbled(tmp_path):
    data = "V: Kävin messuilla.\n".encode() + b"V: rikki \xe4 t\xe4ss\xe4\n"
    with pytest.raises(InputError, match=r"H4.txt is not valid UTF-8: byte 30 \(line 2\).*save it as UTF-8"):
        read_source(write(tmp_path, "H4.txt", data))


def test_line_endings_and_nfc_are_normalised(tmp_path):
    decomposed = unicodedata.normalize("NFD", "V: Hyvä päivä.\r\nH: Öö.\rV: Joo.")
    source = read_source(write(tmp_path, "H5.txt", decomposed))
    assert source.text == "V: Hyvä päivä.\nH: Öö.\nV: Joo."
    assert unicodedata.is_normalized("NFC", source.text)


def test_hyphenation_and_page_numbers_are_fixed_only_on_request(tmp_path):
    text = "V: Meidän asiak-\nkaat ovat Kaarna-\nDesignin faneja ja\n12\nostavat paljon.\n- 13 -\nLoppu."
    path = write(tmp_path, "pdf.txt", text)
    assert read_source(path).text == text
    fixed = read_source(path, join_hyphens=True, drop_page_numbers=True).text
    assert fixed == "V: Meidän asiakkaat ovat Kaarna-\nDesignin faneja ja\nostavat paljon.\nLoppu."
    assert normalise("asiak-\n12\nkaat", join_hyphens=True, drop_page_numbers=True) == "asiakkaat"


def test_markdown_headings_are_flagged(tmp_path):
    source = read_source(write(tmp_path, "H6.md", "# Haastattelu H6\n\nH: Kerro.\n\nV: No.\n"))
    assert source.format == "md"
    assert [source.text[s:e] for s, e in source.headings] == ["# Haastattelu H6"]


# ---------------------------------------------------------------------------- office files
def make_docx(path, paragraphs, *, heading=None, table=None, merged_title=None):
    import docx

    document = docx.Document()
    if heading:
        document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
        if merged_title:
            row = grid.add_row()
            row.cells[0].merge(row.cells[-1]).text = merged_title
    document.add_paragraph("")  # an empty paragraph leaves no trace
    document.add_paragraph("I: Kiitos.")
    document.save(path)
    return path


def test_docx_paragraphs_tables_and_headings(tmp_path):
    path = make_docx(tmp_path / "R2.docx", ["I: How do you order?", "R: Mostly online. It works."],
                     heading="Interview R2 – customer study", table=[["Theme", "Note"], ["Ordering", "online"]],
                     merged_title="Merged cell")
    source = read_source(path)
    assert source.text == ("Interview R2 – customer study\n\nI: How do you order?\n\nR: Mostly online. It works."
                           "\n\nTheme\n\nNote\n\nOrdering\n\nonline\n\nMerged cell\n\nI: Kiitos.")
    assert source.headings == [(0, len("Interview R2 – customer study"))]
    assert source.format == "docx" and source.original == path.read_bytes()


def test_odt_headings_paragraphs_and_spaces(tmp_path):
    from odf import text as odftext
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    document.text.addElement(odftext.H(outlinelevel=1, text="Haastattelu H7"))
    paragraph = odftext.P(text="H: Mitä")
    paragraph.addElement(odftext.S(c=2))
    paragraph.addText("kuuluu?")
    document.text.addElement(paragraph)
    document.text.addElement(odftext.P(text="H7: Hyvää, kiitos."))
    path = tmp_path / "H7.odt"
    document.save(str(path))
    source = read_source(path)
    assert source.text == "Haastattelu H7\n\nH: Mitä  kuuluu?\n\nH7: Hyvää, kiitos."
    assert source.headings == [(0, 14)] and source.format == "odt" and source.original == path.read_bytes()


def test_rtf_with_code_page_and_unicode_escapes(tmp_path):
    rtf = (r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}\f0 "
           r"H: Mit\'e4 kuuluu?\par V: Hyv\'e4\'e4, kiitos \u8221?nyt\u8221?.\par}")
    source = read_source(write(tmp_path, "H8.rtf", rtf))
    assert source.text == "H: Mitä kuuluu?\n\nV: Hyvää, kiitos ”nyt”."
    assert source.format == "rtf" and source.original == rtf.encode()


# ---------------------------------------------------------------------------- subtitles
VTT = """WEBVTT

NOTE made by a transcription service

1
00:00:01.000 --> 00:00:04.000
<v Interviewer>Hi, can you hear me?</v>

2
00:00:04.500 --> 00:00:06.000
<v Interviewer>Great, let's start.</v>

3
00:00:07.250 --> 00:00:09.000
<v.loud Participant>Yes &amp; hello.</v>

00:01:10.000 --> 00:01:12.000
and a second line
of the same answer.
"""


def test_vtt_cues_merge_into_turns_per_voice(tmp_path):
    source = read_source(write(tmp_path, "R3.vtt", VTT))
    assert source.text == ("Interviewer: Hi, can you hear me? Great, let's start.\n\n"
                           "Participant: Yes & hello. and a second line of the same answer.")
    turns = source.turns
    assert [(t.speaker, t.role, t.timestamp) for t in turns] == [
        ("Interviewer", "interviewer", "00:00:01.000"), ("Participant", "respondent", "00:00:07.250")]
    assert source.text[turns[0].start:turns[0].end] == "Hi, can you hear me? Great, let's start."
    assert source.text[turns[1].label_start:turns[1].start] == "Participant: "


def test_srt_speaker_prefixes(tmp_path):
    srt = ("1\r\n00:00:01,000 --> 00:00:03,000\r\nH: Miten menee?\r\n\r\n"
           "2\r\n00:00:03,500 --> 00:00:05,000\r\nV: Hyvin.\r\n\r\n"
           "3\r\n00:00:05,000 --> 00:00:08,000\r\nKiitos kysymästä.\r\n\r\n"
           "4\r\n00:00:09,000 --> 00:00:10,000\r\nH: Hyvä.\r\n")
    source = read_source(write(tmp_path, "H1.srt", srt))
    assert source.text == "H: Miten menee?\n\nV: Hyvin. Kiitos kysymästä.\n\nH: Hyvä."
    assert [(t.speaker, t.timestamp) for t in source.turns] == [
        ("H", "00:00:01.000"), ("V", "00:00:03.500"), ("H", "00:00:09.000")]


def test_subtitles_without_speakers_become_paragraphs(tmp_path):
    srt = ("1\n00:00:01,000 --> 00:00:02,000\nEka.\n\n2\n00:00:02,100 --> 00:00:03,000\nToka.\n\n"
           "3\n00:00:09,000 --> 00:00:10,000\nTauon jälkeen.\n")
    source = read_source(write(tmp_path, "nauha.srt", srt))
    assert source.text == "Eka. Toka.\n\nTauon jälkeen." and source.turns == []


def test_vtt_without_header_is_refused(tmp_path):
    with pytest.raises(InputError, match="must start with the line WEBVTT"):
        read_source(write(tmp_path, "x.vtt", "1\n00:00:01.000 --> 00:00:02.000\nHei\n"))


# ---------------------------------------------------------------------------- spreadsheets
def test_csv_rows_with_respondent_and_attributes(tmp_path):
    path = write(tmp_path, "kysely.csv", "id;ikä;vastaus\nA1;34;Toimitus oli nopea.\nA2;51;\nA3;28;Hinta on liian korkea\n")
    table = read_table(path)
    assert (table.text_column, table.respondent_column, table.attribute_columns) == ("vastaus", "id", ["ikä"])
    assert [(r.number, r.respondent, r.text, r.attributes) for r in table.rows] == [
        (1, "A1", "Toimitus oli nopea.", {"ikä": "34"}), (3, "A3", "Hinta on liian korkea", {"ikä": "28"})]
    assert any("skipped 1 row" in w for w in table.warnings)


def test_xlsx_rows_and_column_options(tmp_path):
    import datetime

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["user", "when", "comment", "note"])
    sheet.append(["@anna", datetime.datetime(2026, 3, 1), "Great candles!", "short note"])
    sheet.append([None, datetime.datetime(2026, 3, 2), "Delivery took ages.", None])
    path = tmp_path / "comments.xlsx"
    workbook.save(path)
    table = read_table(path, text_column="COMMENT", respondent_column="user")
    assert [(r.respondent, r.text, r.attributes) for r in table.rows] == [
        ("@anna", "Great candles!", {"when": "2026-03-01", "note": "short note"}),
        ("comments 2", "Delivery took ages.", {"when": "2026-03-02"})]
    with pytest.raises(InputError, match="no column 'answer'.*user, when, comment, note"):
        read_table(path, text_column="answer")


# ---------------------------------------------------------------------------- bad input
def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="does not exist; check the path"):
        read_source(tmp_path / "nope.txt")


def test_unsupported_extension(tmp_path):
    with pytest.raises(InputError, match=r"files of type \.pages cannot be imported\. Supported: .*\.docx"):
        read_source(write(tmp_path, "H1.pages", "x"))


def test_empty_and_blank_files(tmp_path):
    with pytest.raises(InputError, match="H1.txt is empty; there is nothing to import"):
        read_source(write(tmp_path, "H1.txt", b""))
    with pytest.raises(InputError, match="contains no text"):
        read_source(write(tmp_path, "H2.txt", " \n\n \n"))


@pytest.mark.parametrize("data", [bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\xff" * 50,
                                  b"V: text\x00\x01\x02\x03 more"])
def test_binary_file_is_refused(tmp_path, data):
    with pytest.raises(InputError, match="is not a text file"):
        read_source(write(tmp_path, "H1.txt", data))


def test_pdf_renamed_to_txt_says_what_it_is(tmp_path):
    with pytest.raises(InputError, match="it is a PDF file; copy its text"):
        read_source(write(tmp_path, "H1.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"))


def test_200_mb_file_is_refused_quickly_without_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(200 * MIB)  # sparse: no disk used
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"huge.txt is 200.0 MB, over the import limit of 64 MB.*--max-size"):
        read_source(path)
    assert time.perf_counter() - started < 1.0
    with pytest.raises(InputError, match="over the import limit of 10 MB"):
        read_source(write(tmp_path, "small.txt", "x" * (11 * MIB)), max_bytes=10 * MIB)


def test_docx_that_is_not_a_zip(tmp_path):
    with pytest.raises(InputError, match=r"not a Word document: .docx files are zip archives and this one "
                                         r"is not.*save it again as .docx"):
        read_source(write(tmp_path, "R2.docx", "I: just text with the wrong extension\n"))
    with pytest.raises(InputError, match="old-format Office file"):
        read_source(write(tmp_path, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600))


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_disguised_as_docx_is_refused_before_inflating(tmp_path):
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (50 * MIB)})
    assert len(bomb) < MIB
    with pytest.raises(InputError, match=r"R2.docx contains 'word/document.xml' compressed \d+:1.*zip bomb"):
        read_source(write(tmp_path, "R2.docx", bomb))


def test_office_file_over_total_size_limit(tmp_path, monkeypatch):
    path = make_docx(tmp_path / "big.docx", ["I: Hi."])
    monkeypatch.setattr(office, "MAX_UNCOMPRESSED", 1000)
    with pytest.raises(InputError, match=r"would expand to \d+ MB, over the safe limit"):
        read_source(path)


def test_zip_that_is_not_a_word_document(tmp_path):
    with pytest.raises(InputError, match=r"is a zip archive but not a Word document \(it has no word/document.xml\)"):
        read_source(write(tmp_path, "photos.docx", _zip({"a.jpg": b"jpeg"})))


def test_damaged_docx_xml(tmp_path):
    data = _zip({"[Content_Types].xml": b"<broken", "word/document.xml": b"<w:document"})
    with pytest.raises(InputError, match="could not be read as a Word document"):
        read_source(write(tmp_path, "R2.docx", data))


def test_corrupt_odt(tmp_path):
    data = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document-content"})
    with pytest.raises(InputError, match="H7.odt is damaged and could not be read as an OpenDocument text"):
        read_source(write(tmp_path, "H7.odt", data))
    with pytest.raises(InputError, match="not an OpenDocument text"):
        read_source(write(tmp_path, "H8.odt", "plain words"))


def test_corrupt_rtf(tmp_path):
    with pytest.raises(InputError, match="its RTF groups are not closed"):
        read_source(write(tmp_path, "H1.rtf", r"{\rtf1\ansi H: Mit\'e4 kuuluu?\par {\b V: Hyv"))
    with pytest.raises(InputError, match=r"not an RTF file \(it does not start with \{\\rtf\)"):
        read_source(write(tmp_path, "H2.rtf", "H: plain text\n"))
