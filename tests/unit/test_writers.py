"""Writers: golden files for every table in every format, real xlsx/docx content, formula
escaping, overwrite protection, streams, heatmaps and `export all`."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from qualcode.coding.matrix import matrix_table
from qualcode.coding.summary import summary_table
from qualcode.coding.table import Table
from qualcode.errors import ConflictError
from qualcode.io.tables import TABLE_FORMATS, export_study, render_text, write_table
from qualcode.io.writers.docx import write_docx
from tests.golden.fixture import fixture_cases, fixture_store
from tests.golden.golden import GOLDEN_DIR, check_project_goldens

GOALS = "Asiakkaiden liiketoiminnalliset tavoitteet"


@pytest.fixture(scope="module")
def fixture():
    store = fixture_store()
    yield store
    store.close()


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_golden_files(fixture, fmt):
    problems = check_project_goldens(fixture, fixture_cases(), GOLDEN_DIR / "fixture", formats=[fmt])
    assert not problems, "\n\n".join(problems)


def test_xlsx_has_styled_header_frozen_panes_colours_and_expected_cells(fixture):
    buffer = io.BytesIO()
    write_table(matrix_table(fixture, [GOALS, "Tunnesidos"], caption="Table 2."), buffer, "xlsx")
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet["A1"].value == "Table 2." and sheet["A2"].value == "Code" and sheet["A2"].font.bold
    assert [c.value for c in sheet[2]] == ["Code", "H1", "H2", "H3", "H10", "R1", "Total", "Coverage"]
    assert [c.value for c in sheet[3]] == [GOALS, 1, 1, 1, 2, 1, 6, "5 of 5 respondents"]
    assert sheet.freeze_panes == "B3"
    assert sheet["A4"].value == "Liiketoiminnan laajentaminen" and sheet["A4"].alignment.indent == 1
    colour = fixture.find_code("Liiketoiminnan laajentaminen").colour
    assert sheet["A4"].fill.fill_type == "solid" and sheet["A4"].fill.fgColor.rgb.endswith(
        _tinted(colour))
    last = sheet.max_row
    assert sheet.cell(last, 1).value == "Total" and sheet.cell(last, 7).value == 11 and sheet.cell(last, 1).font.bold


def _tinted(colour: str) -> str:
    from qualcode.io.writers.cells import tint
    return tint(colour)


def test_summary_xlsx_merges_groups_and_the_header(fixture):
    buffer = io.BytesIO()
    write_table(summary_table(fixture, GOALS), buffer, "xlsx")
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:B1", "A2:A3", "A4:A5"}
    assert [sheet["A2"].value, sheet["B2"].value, sheet["B3"].value] == [
        "LIIKETOIMINNAN LAAJENTAMINEN", "Toiminnan laajentaminen uusille markkinoille. (H1)",
        "Tuotevalikoiman laajentaminen. (H2)"]


def test_docx_is_a_real_table_with_caption_above(fixture):
    buffer = io.BytesIO()
    write_table(summary_table(fixture, "Tunnesidos", columns="Valenssi", caption="Taulukko 5. Tunnesidos"),
                buffer, "docx")
    document = Document(io.BytesIO(buffer.getvalue()))
    assert document.paragraphs[0].text == "Taulukko 5. Tunnesidos"
    assert document.paragraphs[0].style.name == "Caption"
    body = list(document.element.body.iterchildren())
    assert body[0].tag.endswith("}p") and body[1].tag.endswith("}tbl")  # caption first, then the table
    table = document.tables[0]
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["TUNNESIDOS"] * 3  # merged across the columns
    assert [c.text for c in table.rows[1].cells] == ["Theme", "POSITIIVINEN", "NEGATIIVINEN"]
    assert [c.text for c in table.rows[3].cells] == ["TUOTE", "Laatu. (H2)", "Laatu. (H10)"]
    assert table.rows[2].cells[2].text == "---"


def test_wide_docx_is_split_into_parts_repeating_row_labels():
    frame = pd.DataFrame([["Koodi A", *range(70)]], columns=["Code", *[f"H{i}" for i in range(70)]])
    buffer = io.BytesIO()
    write_docx(Table(frame=frame, caption="Wide"), buffer, max_columns=30)
    document = Document(io.BytesIO(buffer.getvalue()))
    assert [len(t.columns) for t in document.tables] == [30, 30, 13]
    assert all(t.rows[1].cells[0].text == "Koodi A" for t in document.tables)
    assert document.tables[2].rows[1].cells[-1].text == "69"


def test_docx_template_and_table_style(tmp_path, fixture):
    template = Document()
    template.add_paragraph("Thesis front matter that must not be copied")
    path = tmp_path / "thesis.docx"
    template.save(path)
    buffer = io.BytesIO()
    write_table(summary_table(fixture, GOALS), buffer, "docx", template=path, table_style="Light Grid Accent 1")
    document = Document(io.BytesIO(buffer.getvalue()))
    assert "front matter" not in "\n".join(p.text for p in document.paragraphs)
    assert document.tables[0].style.name == "Light Grid Accent 1"


def test_formula_looking_passage_exports_as_text(fixture, tmp_path):
    table = matrix_table(fixture, "Muut", cells="text")
    passage = "=SUMMA(A1:A3) oli kampanjan koodi kassalla."
    assert passage in table.frame.iloc[1].tolist()
    write_table(table, tmp_path / "m.xlsx")
    sheet = load_workbook(tmp_path / "m.xlsx").active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == passage)
    assert cell.data_type == "s" and cell.quotePrefix
    with zipfile.ZipFile(tmp_path / "m.xlsx") as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    rows = list(csv.reader(io.StringIO(render_text(table, "csv"))))
    assert "'" + passage in rows[2]
    for value in ("+358 40 123", "-5 %", "@kaarna", "=1+1"):
        frame = pd.DataFrame({"Code": ["x"], "Text": [value]})
        buffer = io.BytesIO()
        write_table(frame, buffer, "xlsx")
        loaded = load_workbook(io.BytesIO(buffer.getvalue())).active["B2"]
        assert loaded.value == value and loaded.data_type == "s"
        assert render_text(Table(frame=frame), "csv").splitlines()[1] == f"x,'{value}"


def test_escaping_in_markup_formats():
    frame = pd.DataFrame({"Code": ["<b>A & B</b>", "50 % | 100_%"], "n": [1, 2]})
    table = Table(frame=frame, caption="Taulukko 1. R&D {x}")
    html = render_text(table, "html")
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in html and "<b>A" not in html
    tex = render_text(table, "tex")
    assert r"\caption{R\&D \{x\}}" in tex and r"50 \% | 100\_\%" in tex and r"\toprule" in tex
    assert r"50 % \| 100_%" in render_text(table, "md")


def test_existing_file_is_kept_without_force(tmp_path, fixture):
    target = tmp_path / "summary.md"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(ConflictError, match="--force"):
        write_table(summary_table(fixture, GOALS), target)
    assert target.read_text(encoding="utf-8") == "mine"
    write_table(summary_table(fixture, GOALS), target, force=True)
    assert target.read_text(encoding="utf-8").startswith("| **ASIAKKAIDEN")
    assert not list(tmp_path.glob(".*.part"))


def test_format_from_suffix_and_streams(tmp_path, fixture):
    table = summary_table(fixture, GOALS)
    write_table(table, tmp_path / "s.json")
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["header"] == GOALS.upper()
    stream = io.StringIO()
    write_table(table, stream, "csv")
    assert stream.getvalue().splitlines()[0] == "Theme,Finding"
    with pytest.raises(ConflictError, match="format"):
        write_table(table, tmp_path / "s.unknown")


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_heatmap(tmp_path, fixture, fmt):
    path = write_table(matrix_table(fixture, "Tunnesidos"), tmp_path / f"m.{fmt}")
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") if fmt == "png" else b"<svg" in data[:500]
    with pytest.raises(ConflictError, match="no numbers"):
        write_table(summary_table(fixture, GOALS), tmp_path / f"s.{fmt}")


def test_export_study_writes_every_table_and_refuses_to_overwrite(tmp_path, fixture):
    seen = []
    written = export_study(fixture, tmp_path / "tables", ["md", "xlsx"], progress=lambda n, name: seen.append(name))
    names = sorted(p.name for p in written)
    assert "summary-tunnesidos.md" in names and "matrix-teemat.xlsx" in names and "codebook.md" in names
    assert "comparison-five-es.md" in names and "frequencies.xlsx" in names and "cooccurrence.md" in names
    assert "quotes-teemat.md" in names and len(names) == 2 * len(seen)
    with pytest.raises(ConflictError, match="already exist"):
        export_study(fixture, tmp_path / "tables", ["md"])
    assert len(export_study(fixture, tmp_path / "tables", ["md"], force=True)) == len(seen)
