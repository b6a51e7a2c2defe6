"""Cell helpers shared by the writers: formula escaping, colours, numbers."""

from __future__ import annotations

from typing import Any

import numpy as np

# A cell starting with one of these is taken for a formula by Excel and LibreOffice (and tab /
# carriage return can smuggle one in): OWASP's CSV-injection list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    for column in table.frame.columns:
        values = [v for v in table.frame[column].tolist() if plain(v) is not None and v != ""]
        result.append(bool(values) and all(is_number(v) for v in values))
    return result
