"""Word documents: a real Word table ready for a thesis, the caption paragraph above it.

The table uses the given table style, else "Table Grid" when the document defines it, else the
document's default table style; pass `template=` (a .docx such as the university's thesis
template) to take its styles and page setup. Row groups are merged cells, a multi-line cell is
one paragraph per line, the heading row repeats on every page, and code colours shade the code
cells. The table XML is generated in one go: python-docx's cell API would take minutes for a
200 x 1,000 matrix. Word allows at most 63 columns, so a wider table is split into parts that
each repeat the row labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from qualcode.coding.table import Table, cell_text
from qualcode.io.writers.cells import numeric_columns, plain, tint

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
    for number, part in enumerate(_parts(table, max_columns)):
        if number:
            document.add_paragraph("")
        element = parse_xml(_table_xml(table, part, style_id, text_width))
        # The section properties must stay the body's last child.
        sect = body.find(f"{{{W}}}sectPr")
        if sect is not None:
            sect.addprevious(element)
        else:
            body.append(element)
    for note in table.notes:
        document.add_paragraph(note)
    document.core_properties.title = table.caption or table.header or table.name
    document.save(stream)


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
    return f'<w:r>{properties}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraphs(value: Any, *, bold: bool = False, right: bool = False, indent: int = 0) -> str:
    lines = cell_text(plain(value)).split("\n")
    properties = ""
    if right or indent:
        properties = ("<w:pPr>" + (f'<w:ind w:left="{indent * INDENT_TWIPS}"/>' if indent else "")
                      + ('<w:jc w:val="right"/>' if right else "") + "</w:pPr>")
    return "".join(f"<w:p>{properties}{_run(line, bold) if line else ''}</w:p>" for line in lines)


def _widths(table: Table, columns: list[int], text_width: int) -> list[int]:
    rows = table.display_rows()[:500]
    sizes = []
    for column in columns:
        longest = max([len(line) for row in rows for line in cell_text(plain(row[column])).split("\n")]
                      + [len(table.columns[column]) if table.show_column_names else 3, 3])
        sizes.append(min(longest, 60))
    total = sum(sizes) or 1
    return [max(300, int(text_width * size / total)) for size in sizes]


def _table_xml(table: Table, columns: list[int], style_id: str | None, text_width: int) -> str:
    numeric = numeric_columns(table)
    rows = table.grouped_rows()
    spans = [table.group_spans(c) for c in range(table.group_columns)]
    levels = table.row_levels or [0] * len(rows)
    colours = table.row_colours or []
    widths = _widths(table, columns, text_width)
    out = [f"<w:tbl {nsdecls('w')}>", "<w:tblPr>"]
    if style_id:
        out.append(f'<w:tblStyle w:val="{escape(style_id)}"/>')
    out.append('<w:tblW w:w="0" w:type="auto"/>'
               '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
               'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>')
    out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    out.append("</w:tblGrid>")
    heading = '<w:trPr><w:tblHeader/></w:trPr>'
    if table.header:
        out.append(f'<w:tr>{heading}<w:tc><w:tcPr><w:gridSpan w:val="{len(columns)}"/></w:tcPr>'
                   f"{_paragraphs(table.header, bold=True)}</w:tc></w:tr>")
    if table.show_column_names:
        out.append(f"<w:tr>{heading}" + "".join(
            f"<w:tc>{_paragraphs(table.columns[c], bold=True, right=numeric[c])}</w:tc>" for c in columns) + "</w:tr>")
    for index, row in enumerate(rows):
        total = index >= len(rows) - table.total_rows
        out.append("<w:tr>")
        for column in columns:
            properties = ""
            if column < table.group_columns:
                properties += '<w:vMerge w:val="restart"/>' if spans[column][index] else "<w:vMerge/>"
            if column == table.colour_column and index < len(colours):
                fill = tint(colours[index])
                if fill:
                    properties += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
            cell = _paragraphs(row[column], bold=total, right=numeric[column],
                               indent=levels[index] if column == 0 else 0)
            out.append(f"<w:tc>{'<w:tcPr>' + properties + '</w:tcPr>' if properties else ''}{cell}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)
