"""Cell helpers shared by the writers: formula escaping, colours, numbers."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from qualcode.coding.table import cell_text

# A cell starting with one of these is taken for a formula by Excel and LibreOffice (and tab /
# carriage return can smuggle one in): OWASP's CSV-injection list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Characters XML 1.0 cannot hold (transcripts pasted from PDFs sometimes carry them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text without the control characters that would make an xlsx or docx unreadable."""
    return _NOT_XML.sub("", text)


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, prefixed with ' so it stays text."""
    return "'" + value if looks_like_formula(value) else value


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def plain(value: Any) -> Any:
    """numpy scalars as Python numbers, NaN as None."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        value = float(value)
    if isinstance(value, float) and value != value:
        return None
    return value


def tint(colour: str | None, amount: float = 0.6) -> str | None:
    """A code colour mixed with white, readable behind black text ('#4363d8' -> 'A1B1EB')."""
    if not colour or len(colour) != 7 or not colour.startswith("#"):
        return None
    try:
        red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return None
    mix = [round(c + (255 - c) * amount) for c in (red, green, blue)]
    return "".join(f"{c:02X}" for c in mix)


def numeric_columns(table) -> list[bool]:
    """Columns whose values are all numbers (or empty): right-aligned."""
    result = []
    for index in range(table.frame.shape[1]):
        column = table.frame.iloc[:, index]
        kind = pd.api.types.infer_dtype(column.replace("", None) if column.dtype == object else column,
                                        skipna=True)
        result.append(kind in ("integer", "floating", "mixed-integer-float", "decimal"))
    return result


@dataclass
class Layout:
    """What a writer needs, computed once: a 200 x 1,000 matrix has 200,000 cells."""

    columns: list[str]
    rows: list[list[Any]]
    """Display values, row labels applied."""
    shown: list[list[Any]]
    """The same with repeated group values blanked (None)."""
    spans: list[list[int]]
    """For each group column, each row's span (0 for continuation rows)."""
    numeric: list[bool]
    levels: list[int]
    colours: list[str | None]

    @functools.cached_property
    def texts(self) -> list[list[str]]:
        """`cell_text` of each shown value."""
        return [[_text(v) for v in row] for row in self.shown]

    def total(self, table, index: int) -> bool:
        return index >= len(self.rows) - table.total_rows


def text_widths(grid: Layout, *, sample: int = 500) -> list[int]:
    """The longest line of each column over the first `sample` rows (enough to size columns)."""
    widths = []
    for texts in zip(*grid.texts[:sample]):
        if any("\n" in t for t in texts):
            widths.append(max(len(line) for t in texts for line in t.split("\n")))
        else:
            widths.append(max(map(len, texts)))
    return widths or [0] * len(grid.columns)


def _text(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return value
    if kind is int:
        return str(value)
    return cell_text(plain(value))


def layout(table) -> Layout:
    rows = table.display_rows()
    shown = table.grouped_rows(rows)
    spans = [table.group_spans(c, rows) for c in range(table.group_columns)]
    levels = list(table.row_levels or []) + [0] * (len(rows) - len(table.row_levels or []))
    colours = list(table.row_colours or []) + [None] * (len(rows) - len(table.row_colours or []))
    return Layout(table.columns, rows, shown, spans, numeric_columns(table), levels, colours)
