"""`Table`: what every table builder returns and every writer takes.

A table is a DataFrame of display values (text, numbers, None) plus the few facts a writer
needs to lay it out the way a thesis or a client report expects: a caption above, a header row
naming the theme area, row groups printed once, code colours, indentation of a code tree,
total rows, and the machine-readable form scripts rely on (`data`, written as JSON).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class Table:
    frame: pd.DataFrame
    name: str = "table"
    """A short file-name stem (`summary-asiakkaan-tunteet`), used by `export all`."""
    caption: str | None = None
    """Printed above the table (`Taulukko 4. Yhteenveto ...`)."""
    header: str | None = None
    """A row spanning all columns above the body (the theme area in capitals)."""
    group_columns: int = 0
    """How many leading columns form row groups: a value repeated on consecutive rows is printed
    once (merged cells in Word, blank in text formats); CSV and JSON keep every value."""
    index_columns: int = 1
    """How many leading columns label the rows; repeated on each part when a wide table is split."""
    show_column_names: bool = True
    """False for the thesis summary, which has no column-heading row."""
    row_labels: list[str] | None = None
    """Display text of the first column (a code's own name) where the frame holds the full path."""
    row_levels: list[int] | None = None
    """Indentation level of each row's first cell (depth in the code tree)."""
    row_colours: list[str | None] | None = None
    """A '#rrggbb' code colour per row, shown on the `colour_column` cell in xlsx, docx and html."""
    colour_column: int = 0
    total_rows: int = 0
    """How many rows at the bottom are totals (printed bold)."""
    total_columns: int = 0
    """How many columns at the right are totals or coverage (printed bold)."""
    data: Any = None
    """The machine-readable form written by the json writer; None writes the frame as records."""
    heat: pd.DataFrame | None = None
    """Numeric values for a heatmap (a matrix without its totals)."""
    notes: list[str] = field(default_factory=list)
    """Lines printed below the table (sources, what the marks mean)."""

    def display_rows(self) -> list[list[Any]]:
        """The body as lists of cell values (by position: column names may repeat), the first
        column replaced by `row_labels` if set, NaN as None."""
        rows = self.frame.astype(object).to_numpy().tolist()
        rows = [[None if (isinstance(v, float) and v != v) else v for v in row] for row in rows]
        if self.row_labels is not None:
            for row, label in zip(rows, self.row_labels):
                row[0] = label
        return rows

    def grouped_rows(self, rows: list[list[Any]] | None = None) -> list[list[Any]]:
        """Display rows with repeated group values blanked (None), as printed in a thesis table."""
        rows = self.display_rows() if rows is None else rows
        previous: list[Any] | None = None
        result = []
        for row in rows:
            shown = list(row)
            for index in range(self.group_columns):
                # A value is a continuation only if every group column before it continues too.
                if previous is not None and row[: index + 1] == previous[: index + 1]:
                    shown[index] = None
            result.append(shown)
            previous = row
        return result

    def group_spans(self, column: int, rows: list[list[Any]] | None = None) -> list[int]:
        """For each row, how many rows the group cell in `column` spans (0 for continuations)."""
        rows = self.display_rows() if rows is None else rows
        spans = [0] * len(rows)
        start = 0
        for index in range(1, len(rows) + 1):
            if index == len(rows) or rows[index][: column + 1] != rows[start][: column + 1]:
                spans[start] = index - start
                start = index
        return spans

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]


def cell_text(value: Any) -> str:
    """How a cell value prints in text formats: numbers without a trailing .0, None as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return f"{value:.0f}" if value.is_integer() else f"{value:.2f}".rstrip("0")
    if isinstance(value, bool):
        return "✓" if value else ""
    return str(value)


def slug(text: str) -> str:
    """A file-name stem: 'Asiakkaan tunteet' -> 'asiakkaan-tunteet'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "table"
