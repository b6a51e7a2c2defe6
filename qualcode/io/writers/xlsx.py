"""Excel workbooks (openpyxl, streamed in write-only mode so a 200 x 1,000 matrix stays fast).

Caption above, a merged header row, a styled column-heading row, frozen panes below the
headings and right of the row labels, code colours behind the code cells, merged row groups,
bold totals. Text that Excel would run as a formula (=, +, -, @) is stored as text with
Excel's quote prefix: shown as written, never executed.
"""

from __future__ import annotations

import re
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from qualcode.coding.table import Table, cell_text
from qualcode.io.writers.cells import is_number, looks_like_formula, plain, tint

HEADING_FILL = PatternFill("solid", fgColor="D9D9D9")
HEADING_BORDER = Border(bottom=Side(style="thin", color="000000"))
BOLD = Font(bold=True)
ITALIC = Font(italic=True)
TOP = Alignment(vertical="top")
WRAP = Alignment(vertical="top", wrap_text=True)
MAX_WIDTH = 60
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str) -> str:
    return (_SHEET_NAME.sub("-", name) or "Table")[:31]


def write_xlsx(table: Table, stream: IO[bytes]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(table.name))
    columns = len(table.columns)
    rows = table.grouped_rows()
    body = table.display_rows()
    levels = table.row_levels or [0] * len(rows)
    colours = table.row_colours or []
    spans = [table.group_spans(c) for c in range(table.group_columns)]

    widths = [len(c) if table.show_column_names else 4 for c in table.columns]
    for row, level in zip(body[:2000], levels):  # a sample is enough to size the columns
        for index, value in enumerate(row):
            lines = cell_text(plain(value)).split("\n")
            extra = 2 * level if index == 0 else 0
            widths[index] = max(widths[index], extra + max(len(line) for line in lines))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, width + 2)

    def styled(value: Any, *, font: Font | None = None, fill: PatternFill | None = None,
               alignment: Alignment | None = None, border: Border | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        _protect(cell, value)
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if alignment:
            cell.alignment = alignment
        if border:
            cell.border = border
        return cell

    row_number = 0
    if table.caption:
        sheet.append([styled(table.caption, font=ITALIC)])
        row_number += 1
    if table.header:
        sheet.append([styled(table.header, font=BOLD)])
        row_number += 1
        if columns > 1:
            sheet.merged_cells.add(CellRange(min_col=1, min_row=row_number, max_col=columns, max_row=row_number))
    if table.show_column_names:
        sheet.append([styled(c, font=BOLD, fill=HEADING_FILL, border=HEADING_BORDER, alignment=WRAP)
                      for c in table.columns])
        row_number += 1
    sheet.freeze_panes = f"{get_column_letter(table.index_columns + 1)}{row_number + 1}"

    fills: dict[str, PatternFill] = {}
    for index, row in enumerate(rows):
        row_number += 1
        total = index >= len(rows) - table.total_rows
        cells: list[Any] = []
        for position, value in enumerate(row):
            value = plain(value)
            special = total or position < table.index_columns or (isinstance(value, str) and
                                                                   ("\n" in value or looks_like_formula(value)))
            if not special:
                cells.append(value if value is None or is_number(value) else str(value))
                continue
            fill = None
            if position == table.colour_column and index < len(colours) and colours[index]:
                colour = tint(colours[index])
                if colour:
                    fill = fills.setdefault(colour, PatternFill("solid", fgColor=colour))
            alignment = Alignment(vertical="top", wrap_text=True, indent=levels[index]) if (
                position == 0 and levels[index]) else WRAP if isinstance(value, str) and "\n" in value else TOP
            cells.append(styled(value if value is None or is_number(value) else str(value),
                                font=BOLD if total else None, fill=fill, alignment=alignment))
        sheet.append(cells)
        for position in range(table.group_columns):
            span = spans[position][index]
            if span > 1:
                sheet.merged_cells.add(CellRange(min_col=position + 1, min_row=row_number, max_col=position + 1,
                                                 max_row=row_number + span - 1))
    if table.notes:
        sheet.append([])
        for note in table.notes:
            sheet.append([styled(note, font=ITALIC)])
    workbook.save(stream)


def _protect(cell: WriteOnlyCell, value: Any) -> None:
    """Keep formula-looking text as text: a string cell with Excel's quote prefix."""
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
