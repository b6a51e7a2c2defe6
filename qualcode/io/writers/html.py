"""A standalone HTML page holding the table: caption, spanning header, merged row groups,
code colours as a bar beside the code, every value escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from qualcode.coding.table import Table, cell_text
from qualcode.io.writers.cells import layout, plain

STYLE = (
    "body{font-family:sans-serif}"
    "table{border-collapse:collapse;margin:1em 0}"
    "caption{caption-side:top;text-align:left;padding:.3em 0}"
    "th,td{border:1px solid #999;padding:.2em .5em;vertical-align:top;text-align:left}"
    "td.num,th.num{text-align:right}"
    "tr.total td{font-weight:bold}"
    "p.note{font-size:small}"
)


NUM = ' class="num"'
TOTAL = ' class="total"'


def _text(value: Any) -> str:
    return escape(cell_text(plain(value))).replace("\n", "<br>")


def write_html(table: Table) -> str:
    grid = layout(table)
    columns = len(grid.columns)
    numeric, rows, spans, levels = grid.numeric, grid.rows, grid.spans, grid.levels
    title = escape(table.caption or table.header or table.name)
    out = ["<!DOCTYPE html>", "<html>", "<head>", '<meta charset="utf-8">', f"<title>{title}</title>",
           f"<style>{STYLE}</style>", "</head>", "<body>", "<table>"]
    if table.caption:
        out.append(f"<caption>{escape(table.caption)}</caption>")
    if table.header or table.show_column_names:
        out.append("<thead>")
        if table.header:
            out.append(f'<tr><th colspan="{columns}">{escape(table.header)}</th></tr>')
        if table.show_column_names:
            out.append("<tr>" + "".join(f"<th{NUM if numeric[i] else ''}>{escape(c)}</th>"
                                        for i, c in enumerate(grid.columns)) + "</tr>")
        out.append("</thead>")
    out.append("<tbody>")
    for index, row in enumerate(rows):
        total = index >= len(rows) - table.total_rows
        cells = []
        for position, value in enumerate(row):
            attributes = []
            if position < table.group_columns:
                span = spans[position][index]
                if span == 0:
                    continue
                if span > 1:
                    attributes.append(f'rowspan="{span}"')
            if numeric[position]:
                attributes.append('class="num"')
            style = []
            if position == 0 and levels[index]:
                style.append(f"padding-left:{0.5 + 1.2 * levels[index]:.1f}em")
            if position == table.colour_column and grid.colours[index]:
                style.append(f"border-left:6px solid {escape(grid.colours[index])}")
            if style:
                attributes.append(f'style="{";".join(style)}"')
            opening = "<td" + "".join(" " + a for a in attributes) + ">"
            cells.append(f"{opening}{_text(value)}</td>")
        out.append(f"<tr{TOTAL if total else ''}>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    out += [f'<p class="note">{escape(note)}</p>' for note in table.notes]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
