"""Plain text (aligned, as in a thesis draft), Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from qualcode.coding.table import Table, cell_text
from qualcode.io.writers.cells import csv_safe, layout, plain

GAP = "   "
INDENT = "  "


def write_txt(table: Table) -> str:
    """Aligned columns; a multi-line cell continues on the following lines; groups printed once.

        ASIAKKAIDEN LIIKETOIMINNALLISET TAVOITTEET
        LIIKETOIMINNAN LAAJENTAMINEN   Toiminnan laajentaminen uusille markkinoille. (H1)
                                       Tuotevalikoiman laajentaminen. (H2)
    """
    grid = layout(table)
    cells = [[text.split("\n") for text in row] for row in grid.texts]
    for row, level in zip(cells, grid.levels):
        if level and row[0] != [""]:
            row[0] = [INDENT * level + row[0][0], *row[0][1:]]
    heading = [[c] for c in grid.columns] if table.show_column_names else None
    numeric = grid.numeric
    widths = [0] * len(grid.columns)
    for row in cells + ([heading] if heading else []):
        for index, lines in enumerate(row):
            widths[index] = max(widths[index], *(len(line) for line in lines))

    def render(row: list[list[str]]) -> list[str]:
        height = max(len(lines) for lines in row) if row else 0
        out = []
        for number in range(height):
            parts = []
            for index, lines in enumerate(row):
                text = lines[number] if number < len(lines) else ""
                parts.append(text.rjust(widths[index]) if numeric[index] else text.ljust(widths[index]))
            out.append(GAP.join(parts).rstrip())
        return out

    lines: list[str] = []
    if table.caption:
        lines += [table.caption, ""]
    if table.header:
        lines.append(table.header)
    if heading:
        lines += render(heading)
        lines.append(GAP.join("-" * w for w in widths))
    for row in cells:
        lines += render(row)
    if table.notes:
        lines += ["", *table.notes]
    return "\n".join(lines) + "\n"


def _md_escape(value: Any) -> str:
    return cell_text(plain(value)).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def write_md(table: Table) -> str:
    """A GitHub-flavoured pipe table; the caption as a paragraph above it."""
    grid = layout(table)
    rows = [[_md_escape(text) for text in row] for row in grid.texts]
    for row, level in zip(rows, grid.levels):
        if row[0] and level:
            row[0] = "&emsp;" * level + row[0]
    numeric = grid.numeric
    lines: list[str] = []
    if table.caption:
        lines += [_md_escape(table.caption), ""]
    if table.show_column_names or not table.header:
        if table.header:
            lines += [f"**{_md_escape(table.header)}**", ""]
        heading = [_md_escape(c) for c in grid.columns]
    else:
        heading = [f"**{_md_escape(table.header)}**"] + [""] * (len(grid.columns) - 1)
    lines.append("| " + " | ".join(heading) + " |")
    lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
    for index, row in enumerate(rows):
        cells = row
        if index >= len(rows) - table.total_rows:
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    if table.notes:
        lines += ["", *(_md_escape(n) for n in table.notes)]
    return "\n".join(lines) + "\n"


def write_csv(table: Table, *, delimiter: str = ",") -> str:
    """The data only: the column names, then every row in full (no blanked groups); text a
    spreadsheet would run as a formula is prefixed with '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow([csv_safe(c) for c in table.columns])
    for row in table.frame.astype(object).to_numpy().tolist():
        writer.writerow([csv_safe(cell_text(plain(v))) for v in row])
    return buffer.getvalue()


def write_json(table: Table) -> str:
    """`table.data` (the contract of each table), else caption, header, columns and rows."""
    if table.data is not None:
        value = table.data
    else:
        value = {"caption": table.caption, "header": table.header, "columns": table.columns,
                 "rows": [[plain(v) for v in row] for row in table.frame.astype(object).to_numpy().tolist()]}
    return json.dumps(value, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _json_default(value: Any) -> Any:
    converted = plain(value)
    if converted is value:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")
    return converted
