"""Readable text dumps of xlsx and docx files, so their golden files are diffs a person can read
(the binary files carry timestamps and differ on every save)."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import load_workbook

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def dump_xlsx(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data))
    lines = []
    for sheet in workbook.worksheets:
        lines.append(f"sheet {sheet.title!r} freeze={sheet.freeze_panes} "
                     f"merged={sorted(str(r) for r in sheet.merged_cells.ranges)}")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                marks = []
                if cell.font is not None and cell.font.bold:
                    marks.append("bold")
                if cell.font is not None and cell.font.italic:
                    marks.append("italic")
                if cell.fill is not None and cell.fill.fill_type == "solid":
                    marks.append(f"fill={cell.fill.fgColor.rgb}")
                if cell.alignment is not None and cell.alignment.indent:
                    marks.append(f"indent={int(cell.alignment.indent)}")
                if cell.quotePrefix:
                    marks.append("quoted")
                marks.append(f"type={cell.data_type}")
                lines.append(f"{cell.coordinate}: {cell.value!r} [{', '.join(marks)}]")
    return "\n".join(lines) + "\n"


def dump_docx(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    lines = []
    section = document.sections[0]
    lines.append(f"orientation={section.orientation}")
    for block in document.element.body.iterchildren():
        if block.tag == f"{W}p":
            style = block.find(f"{W}pPr/{W}pStyle")
            text = "".join(t.text or "" for t in block.iter(f"{W}t"))
            lines.append(f"paragraph[{style.get(f'{W}val') if style is not None else 'Normal'}]: {text}")
        elif block.tag == f"{W}tbl":
            style = block.find(f"{W}tblPr/{W}tblStyle")
            lines.append(f"table[{style.get(f'{W}val') if style is not None else '-'}]")
            for row in block.iter(f"{W}tr"):
                repeat = " (heading)" if row.find(f"{W}trPr/{W}tblHeader") is not None else ""
                cells = []
                for cell in row.iter(f"{W}tc"):
                    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in cell.iter(f"{W}p")]
                    text = " / ".join(paragraphs)
                    properties = cell.find(f"{W}tcPr")
                    marks = []
                    if properties is not None:
                        span = properties.find(f"{W}gridSpan")
                        if span is not None:
                            marks.append(f"span={span.get(f'{W}val')}")
                        merge = properties.find(f"{W}vMerge")
                        if merge is not None:
                            marks.append("merge-start" if merge.get(f"{W}val") == "restart" else "merged")
                        shade = properties.find(f"{W}shd")
                        if shade is not None:
                            marks.append(f"fill={shade.get(f'{W}fill')}")
                    if cell.find(f".//{W}b") is not None:
                        marks.append("bold")
                    cells.append(text + (f" [{', '.join(marks)}]" if marks else ""))
                lines.append("  | " + " | ".join(cells) + " |" + repeat)
    return "\n".join(lines) + "\n"
