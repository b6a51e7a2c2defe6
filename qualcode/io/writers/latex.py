"""LaTeX with booktabs: a `table` float, or a `longtable` when the table would not fit a page.

Needs `\\usepackage{booktabs}` (and `longtable` for long ones) in the preamble.
"""

from __future__ import annotations

import re
from typing import Any

from qualcode.coding.table import Table, cell_text
from qualcode.io.writers.cells import layout, plain

LONG_TABLE_ROWS = 40
_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_SPECIAL_RE = re.compile("|".join(re.escape(k) for k in _SPECIAL))
# LaTeX numbers captions itself: "Taulukko 4. Yhteenveto" becomes "Yhteenveto".
_CAPTION_NUMBER = re.compile(r"^\s*(Taulukko|Table|Tabell|Tab\.)\s+\d+[.:]?\s*", re.IGNORECASE)


def escape(text: str) -> str:
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], text)


def _cell(value: Any, *, bold: bool = False, indent: int = 0) -> str:
    lines = [escape(line) for line in cell_text(plain(value)).split("\n")]
    if bold:
        lines = [rf"\textbf{{{line}}}" if line else line for line in lines]
    text = lines[0] if len(lines) == 1 else r"\begin{tabular}[t]{@{}l@{}}" + r" \\ ".join(lines) + r"\end{tabular}"
    return (rf"\hspace{{{indent}em}}" if indent else "") + text


def write_tex(table: Table) -> str:
    grid = layout(table)
    columns = len(grid.columns)
    spec = "".join("r" if n else "l" for n in grid.numeric)
    rows, levels = grid.shown, grid.levels
    long = len(rows) > LONG_TABLE_ROWS
    head: list[str] = [r"\toprule"]
    if table.header:
        head.append(rf"\multicolumn{{{columns}}}{{l}}{{\textbf{{{escape(table.header)}}}}} \\")
        if table.show_column_names:
            head.append(r"\midrule")
    if table.show_column_names:
        head.append(" & ".join(_cell(c, bold=True) for c in grid.columns) + r" \\")
    head.append(r"\midrule")
    body = []
    for index, row in enumerate(rows):
        total = index >= len(rows) - table.total_rows
        if total and index == len(rows) - table.total_rows:
            body.append(r"\midrule")
        cells = [_cell(v, bold=total, indent=levels[index] if position == 0 else 0) for position, v in enumerate(row)]
        body.append(" & ".join(cells) + r" \\")
    caption = _CAPTION_NUMBER.sub("", table.caption) if table.caption else None
    lines: list[str] = []
    if long:
        lines.append(rf"\begin{{longtable}}{{{spec}}}")
        if caption:
            lines.append(rf"\caption{{{escape(caption)}}} \\")
        lines += head + [r"\endhead", r"\bottomrule", r"\endfoot"] + body + [r"\end{longtable}"]
    else:
        lines += [r"\begin{table}[htbp]", r"\centering"]
        if caption:
            lines.append(rf"\caption{{{escape(caption)}}}")
        lines += [rf"\begin{{tabular}}{{{spec}}}", *head, *body, r"\bottomrule", r"\end{tabular}"]
        if table.notes:
            lines += [r"\par\smallskip", *(rf"{{\footnotesize {escape(n)}}}" for n in table.notes)]
        lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"
