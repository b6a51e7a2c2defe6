"""Word documents: a real Word table ready for a thesis, the caption paragraph above it.

The table uses the given table style, else "Table Grid" when the document defines it, else the
document's default table style; pass `template=` (a .docx such as the university's thesis
template) to take its styles and page setup. Row groups are merged cells, a multi-line cell is
one paragraph per line, the heading row repeats on every page, and code colours shade the code
cells. The table XML is generated as text and spliced into the saved package: python-docx's cell
API would take minutes for a 200 x 1,000 matrix. Word allows at most 63 columns, so a wider table is split into parts that
each repeat the row labels.
"""

from __future__ import annotations

import functools
import io
import uuid
import zipfile
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE

from qualcode.coding.table import Table
from qualcode.io.writers.cells import Layout, layout, text_widths, tint, xml_safe

WORD_MAX_COLUMNS = 63
INDENT_TWIPS = 284  # 0.5 cm per level of the code tree
LANDSCAPE_FROM_COLUMNS = 8
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def write_docx(table: Table, stream: IO[bytes], *, template: str | Path | None = None,
               table_style: str | None = None, max_columns: int = WORD_MAX_COLUMNS) -> None:
    document = Document(str(template)) if template else Document()
    body = document.element.body
    if template:
        for child in list(body):
            if not child.tag.endswith("}sectPr"):
                body.remove(child)
    elif len(table.columns) > LANDSCAPE_FROM_COLUMNS:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section = document.sections[0]
    text_width = int((section.page_width - section.left_margin - section.right_margin) / 635)  # EMU -> twips
    style_id = _table_style_id(document, table_style)
    caption_style = _style_name(document, "Caption", WD_STYLE_TYPE.PARAGRAPH)
    if table.caption:
        document.add_paragraph(table.caption, style=caption_style)
    grid = layout(table)
    cells = _cells_xml(table, grid)
    sizes = _sizes(table, grid)
    tables: dict[str, str] = {}
    for number, part in enumerate(_parts(table, max_columns)):
        if number:
            document.add_paragraph("")
        # A placeholder paragraph now; the table XML is spliced into the saved package below,
        # which spares lxml parsing and re-serialising hundreds of thousands of elements.
        token = f"qualcode-table-{number}-{uuid.uuid4().hex}"
        document.add_paragraph(token)
        tables[token] = _table_xml(table, grid, cells, part, style_id, _scaled([sizes[c] for c in part], text_width))
    for note in table.notes:
        document.add_paragraph(note)
    document.core_properties.title = table.caption or table.header or table.name
    package = io.BytesIO()
    document.save(package)
    _splice(package, tables, stream)


def _splice(package: io.BytesIO, tables: dict[str, str], stream: IO[bytes]) -> None:
    """Copy the saved package to `stream`, each placeholder paragraph replaced by its table."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                for token, xml in tables.items():
                    placeholder = f"<w:p><w:r><w:t>{token}</w:t></w:r></w:p>"
                    if placeholder not in text:  # python-docx wrote the paragraph differently
                        raise RuntimeError("cannot place the table in the Word document")
                    text = text.replace(placeholder, xml, 1)
                data = text.encode("utf-8")
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)


def _style_name(document, name: str, kind) -> str | None:
    for style in document.styles:
        if style.type == kind and style.name == name:
            return name
    return None


def _table_style_id(document, requested: str | None) -> str | None:
    tables = [s for s in document.styles if s.type == WD_STYLE_TYPE.TABLE]
    for wanted in ([requested] if requested else []) + ["Table Grid"]:
        for style in tables:
            if wanted in (style.name, style.style_id):
                return style.style_id
    for style in tables:
        if style.element.get(f"{{{W}}}default") == "1":
            return style.style_id
    return None


def _parts(table: Table, max_columns: int) -> list[list[int]]:
    """Column indices of each part: all columns, or the row labels plus a slice of the rest."""
    count = len(table.columns)
    if count <= max_columns:
        return [list(range(count))]
    fixed = list(range(min(table.index_columns, max_columns - 1)))
    rest = list(range(len(fixed), count))
    size = max_columns - len(fixed)
    return [fixed + rest[i:i + size] for i in range(0, len(rest), size)]


def _run(text: str, bold: bool) -> str:
    properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{properties}<w:t xml:space="preserve">{escape(xml_safe(text))}</w:t></w:r>'


@functools.lru_cache(maxsize=4096)
def _cell(text: str, properties: str, bold: bool, right: bool, indent: int) -> str:
    """One <w:tc>; cached, since a matrix repeats the same few numbers thousands of times."""
    inner = _paragraphs(text, bold=bold, right=right, indent=indent)
    return f"<w:tc>{'<w:tcPr>' + properties + '</w:tcPr>' if properties else ''}{inner}</w:tc>"


def _paragraphs(text: str, *, bold: bool = False, right: bool = False, indent: int = 0) -> str:
    lines = text.split("\n")
    properties = ""
    if right or indent:
        properties = ("<w:pPr>" + (f'<w:ind w:left="{indent * INDENT_TWIPS}"/>' if indent else "")
                      + ('<w:jc w:val="right"/>' if right else "") + "</w:pPr>")
    return "".join(f"<w:p>{properties}{_run(line, bold) if line else ''}</w:p>" for line in lines)


def _sizes(table: Table, grid: Layout) -> list[int]:
    """Relative column widths: the longest line in (a sample of) each column."""
    longest = text_widths(grid)
    names = [len(n) if table.show_column_names else 3 for n in grid.columns]
    return [min(max(a, b, 3), 60) for a, b in zip(longest, names)]


def _scaled(sizes: list[int], text_width: int) -> list[int]:
    """Widths in twips sharing the page's text width."""
    total = sum(sizes) or 1
    return [max(300, int(text_width * size / total)) for size in sizes]


def _cells_xml(table: Table, grid: Layout) -> list[list[str]]:
    """The <w:tc> of every body cell, built once and shared by the parts of a wide table."""
    plain_columns = [c >= table.group_columns and c != table.colour_column and c != 0
                     for c in range(len(grid.columns))]
    result = []
    for index, texts in enumerate(grid.texts):
        total = grid.total(table, index)
        row = []
        for column, text in enumerate(texts):
            if plain_columns[column]:
                row.append(_cell(text, "", total, grid.numeric[column], 0))
                continue
            properties = ""
            if column < table.group_columns:
                properties += '<w:vMerge w:val="restart"/>' if grid.spans[column][index] else "<w:vMerge/>"
            if column == table.colour_column:
                fill = tint(grid.colours[index])
                if fill:
                    properties += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
            row.append(_cell(text, properties, total, grid.numeric[column],
                             grid.levels[index] if column == 0 else 0))
        result.append(row)
    return result


def _table_xml(table: Table, grid: Layout, cells: list[list[str]], columns: list[int], style_id: str | None,
               widths: list[int]) -> str:
    out = ["<w:tbl>", "<w:tblPr>"]
    if style_id:
        out.append(f'<w:tblStyle w:val="{escape(style_id)}"/>')
    out.append('<w:tblW w:w="0" w:type="auto"/>'
               '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
               'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>')
    out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    out.append("</w:tblGrid>")
    heading = "<w:trPr><w:tblHeader/></w:trPr>"
    if table.header:
        out.append(f'<w:tr>{heading}<w:tc><w:tcPr><w:gridSpan w:val="{len(columns)}"/></w:tcPr>'
                   f"{_paragraphs(table.header, bold=True)}</w:tc></w:tr>")
    if table.show_column_names:
        out.append(f"<w:tr>{heading}" + "".join(
            f"<w:tc>{_paragraphs(grid.columns[c], bold=True, right=grid.numeric[c])}</w:tc>" for c in columns)
            + "</w:tr>")
    for row in cells:
        out.append("<w:tr>" + "".join(row[c] for c in columns) + "</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)
