"""Excel workbooks, written directly as SpreadsheetML (one sheet, inline strings).

Caption above, a merged header row, a styled column-heading row, frozen panes below the
headings and right of the row labels, code colours behind the code cells, indentation of the
code tree, merged row groups, bold totals. Text that Excel would run as a formula (=, +, -, @)
is a string cell with Excel's quote prefix: shown as written, never executed.

Why not openpyxl: its per-cell objects make a 200 x 1,000 matrix take seconds; writing the XML
directly takes a fraction of that. The tests read every file back with openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

from qualcode.coding.table import Table, cell_text
from qualcode.io.writers.cells import FORMULA_STARTS, is_number, layout, plain, text_widths, tint, xml_safe

MAX_WIDTH = 60
HEADING_FILL = "D9D9D9"
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def sheet_title(name: str) -> str:
    return (_SHEET_NAME.sub("-", name) or "Table")[:31]


class _Styles:
    """The workbook's cell formats, each registered once and referred to by index."""

    def __init__(self) -> None:
        self.fonts = ["<font><sz val=\"11\"/><name val=\"Calibri\"/></font>",
                      "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font>",
                      "<font><i/><sz val=\"11\"/><name val=\"Calibri\"/></font>"]
        self.fills = ['<fill><patternFill patternType="none"/></fill>',
                      '<fill><patternFill patternType="gray125"/></fill>']
        self.borders = ["<border><left/><right/><top/><bottom/><diagonal/></border>",
                        '<border><left/><right/><top/><bottom style="thin"><color rgb="FF000000"/></bottom>'
                        "<diagonal/></border>"]
        self.xfs: list[tuple] = [(0, 0, 0, False, 0, False)]
        self._fill_index: dict[str, int] = {}
        self._xf_index: dict[tuple, int] = {self.xfs[0]: 0}

    def fill(self, rgb: str | None) -> int:
        if not rgb:
            return 0
        if rgb not in self._fill_index:
            self._fill_index[rgb] = len(self.fills)
            self.fills.append(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/>'
                              f'<bgColor indexed="64"/></patternFill></fill>')
        return self._fill_index[rgb]

    def xf(self, *, bold: bool = False, italic: bool = False, fill: str | None = None, border: bool = False,
           wrap: bool = False, indent: int = 0, quote: bool = False) -> int:
        key = (2 if italic else 1 if bold else 0, self.fill(fill), int(border), wrap, indent, quote)
        if key not in self._xf_index:
            self._xf_index[key] = len(self.xfs)
            self.xfs.append(key)
        return self._xf_index[key]

    def xml(self) -> str:
        xfs = []
        for font, fill, border, wrap, indent, quote in self.xfs:
            attributes = (f'numFmtId="0" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
                          + (' applyFont="1"' if font else "") + (' applyFill="1"' if fill else "")
                          + (' applyBorder="1"' if border else "") + (' quotePrefix="1"' if quote else ""))
            alignment = ""
            if wrap or indent or font or fill:
                alignment = ('<alignment vertical="top"' + (' wrapText="1"' if wrap else "")
                             + (f' indent="{indent}"' if indent else "") + "/>")
                attributes += ' applyAlignment="1"'
            xfs.append(f"<xf {attributes}>{alignment}</xf>" if alignment else f"<xf {attributes}/>")
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
                f'<fonts count="{len(self.fonts)}">{"".join(self.fonts)}</fonts>'
                f'<fills count="{len(self.fills)}">{"".join(self.fills)}</fills>'
                f'<borders count="{len(self.borders)}">{"".join(self.borders)}</borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                "</styleSheet>")


def _cell(reference: str, value: Any, style: int) -> str:
    """One <c>: a number, or an inline string (formula-looking text gets a quote-prefix style)."""
    s = f' s="{style}"' if style else ""
    if value is None:
        return f'<c r="{reference}"{s}/>' if style else ""
    if is_number(value):
        number = plain(value)
        if number == number and number not in (float("inf"), float("-inf")):
            return f'<c r="{reference}"{s}><v>{number!r}</v></c>'
        value = str(number)
    return f'<c r="{reference}"{s} t="inlineStr"><is><t xml:space="preserve">{escape(xml_safe(value))}</t></is></c>'


def write_xlsx(table: Table, stream: IO[bytes]) -> None:
    grid = layout(table)
    styles = _Styles()
    width = len(grid.columns)
    letters = [get_column_letter(i + 1) for i in range(width)]
    levels, colours, spans = grid.levels, grid.colours, grid.spans
    quoted = styles.xf(quote=True)
    merges: list[str] = []
    rows: list[str] = []

    def add_row(cells: list[str]) -> None:
        rows.append(f'<row r="{len(rows) + 1}">{"".join(cells)}</row>')

    if table.caption:
        add_row([_cell("A1", table.caption, styles.xf(italic=True))])
    if table.header:
        number = len(rows) + 1
        add_row([_cell(f"A{number}", table.header, styles.xf(bold=True))])
        if width > 1:
            merges.append(f"A{number}:{letters[-1]}{number}")
    if table.show_column_names:
        heading = styles.xf(bold=True, fill=HEADING_FILL, border=True, wrap=True)
        number = len(rows) + 1
        add_row([_cell(f"{letters[i]}{number}", name, heading) for i, name in enumerate(grid.columns)])
    first_body = len(rows) + 1
    frozen = f"{get_column_letter(table.index_columns + 1)}{first_body}"

    for index, row in enumerate(grid.shown):
        number = first_body + index
        total = grid.total(table, index)
        cells = []
        for position, value in enumerate(row):
            kind = type(value)
            if kind is not int and kind is not str and value is not None:
                value = plain(value)
                if value is not None and not is_number(value):
                    value = cell_text(value)
                kind = type(value)
            reference = f"{letters[position]}{number}"
            special = total or position < table.index_columns or (kind is str and "\n" in value)
            if not special:
                if kind is str and value.startswith(FORMULA_STARTS):
                    cells.append(_cell(reference, value, quoted))
                elif value is not None and value != "":
                    cells.append(_cell(reference, value, 0))
                continue
            fill = tint(colours[index]) if position == table.colour_column else None
            style = styles.xf(bold=total, fill=fill, wrap=kind is str and "\n" in value,
                              indent=levels[index] if position == 0 else 0,
                              quote=kind is str and value.startswith(FORMULA_STARTS))
            cells.append(_cell(reference, value, style))
        add_row(cells)
        for position in range(table.group_columns):
            span = spans[position][index]
            if span > 1:
                merges.append(f"{letters[position]}{number}:{letters[position]}{number + span - 1}")
    if table.notes:
        add_row([])
        for note in table.notes:
            add_row([_cell(f"A{len(rows) + 1}", note, styles.xf(italic=True))])

    longest = text_widths(grid, sample=2000)
    indent = 2 * max(levels[:2000], default=0)
    widths = [max(len(name) if table.show_column_names else 4, size + (indent if index == 0 else 0))
              for index, (name, size) in enumerate(zip(grid.columns, longest))]
    columns = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{min(MAX_WIDTH, w + 2)}" customWidth="1"/>'
                      for i, w in enumerate(widths))
    split = [f'xSplit="{table.index_columns}"' if table.index_columns else "",
             f'ySplit="{first_body - 1}"' if first_body > 1 else ""]
    active = ("bottomRight" if all(split) else "bottomLeft" if split[1] else "topRight")
    pane = (f'<pane {" ".join(p for p in split if p)} topLeftCell="{frozen}" activePane="{active}" '
            f'state="frozen"/><selection pane="{active}"/>') if any(split) else ""
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" '
             f'xmlns:r="{RELS}"><sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
             f'<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{columns}</cols>" if columns else "")
             + f'<sheetData>{"".join(rows)}</sheetData>'
             + (f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
                + "</mergeCells>" if merges else "")
             + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
             "</worksheet>")
    _package(stream, sheet_title(table.name), sheet, styles.xml())


def _package(stream: IO[bytes], title: str, sheet: str, styles: str) -> None:
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    parts = {
        "[Content_Types].xml": (
            f'{declaration}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            f'{declaration}<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'{declaration}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView/></bookViews>'
            f'<sheets><sheet name={quoteattr(xml_safe(title))} sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'{declaration}<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": styles,
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            # A fixed timestamp: the same table gives the same bytes.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), text.encode("utf-8"),
                             compress_type=zipfile.ZIP_DEFLATED)
