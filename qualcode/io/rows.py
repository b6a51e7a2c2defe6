"""Spreadsheets of short texts (survey answers, comments): `.csv` and `.xlsx`, one text per row.

The header row names the columns. One column holds the text (chosen with `text_column`, else a
column named like `text`/`vastaus`/`comment`, else the column with the longest values), one may
name the respondent (`respondent_column`, else a column named like `respondent`/`id`), and every
other column is an attribute of that row's respondent. Rows without a respondent column get a
respondent of their own, `<file name> <row number>`.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from qualcode.errors import InputError
from qualcode.io.attributes import RESPONDENT_COLUMNS
from qualcode.io.readers import DEFAULT_MAX_BYTES, TABLE_FORMATS, decode_text, normalise, read_bytes

TEXT_COLUMNS = ("text", "teksti", "answer", "vastaus", "comment", "kommentti", "response", "message", "viesti",
                "content", "sisältö", "palaute", "feedback", "body")
EXTRA_RESPONDENT_COLUMNS = ("respondent_id", "author", "user", "käyttäjä", "nimimerkki", "participant")


@dataclass
class TableRow:
    number: int
    """The row's number among the data rows, from 1 (the header is not counted)."""
    text: str
    respondent: str
    attributes: dict[str, str]


@dataclass
class TableSource:
    path: Path
    format: str
    source_hash: str
    text_column: str
    respondent_column: str | None
    attribute_columns: list[str]
    rows: list[TableRow]
    warnings: list[str] = field(default_factory=list)


def read_table(path: str | Path, *, text_column: str | None = None, respondent_column: str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> TableSource:
    """Read a CSV or XLSX file of short texts into rows with respondents and attributes."""
    path = Path(path)
    fmt = TABLE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path.name} is not a spreadsheet (.csv or .xlsx).")
    data = read_bytes(path, max_bytes)
    warnings: list[str] = []
    if fmt == "csv":
        text, _encoding, warnings = decode_text(data, path.name)
        header, records = _csv_rows(normalise(text))
    else:
        header, records = _xlsx_rows(data, path.name)
    if not header or not any(header):
        raise InputError(f"{path.name} has no header row; the first row must name the columns.")
    if not records:
        raise InputError(f"{path.name} has a header but no rows; there is nothing to import.")
    header = [h.strip() or f"column {i + 1}" for i, h in enumerate(header)]
    if text_column:
        text_at = _column(header, text_column, "--text-column", path.name)
    else:
        text_at = _find(header, TEXT_COLUMNS)
        if text_at is None:
            text_at = _longest(header, records)
            warnings.append(f"{path.name}: took column {header[text_at]!r} (the longest texts) as the text; "
                            "choose another with --text-column.")
    respondent_at = (_column(header, respondent_column, "--respondent-column", path.name) if respondent_column
                     else _find(header, RESPONDENT_COLUMNS + EXTRA_RESPONDENT_COLUMNS, exclude=text_at))
    attribute_at = [i for i in range(len(header)) if i not in (text_at, respondent_at)]
    rows: list[TableRow] = []
    empty = 0
    for number, record in enumerate(records, start=1):
        record = record + [""] * (len(header) - len(record))
        body = normalise(record[text_at]).strip()
        if not body:
            empty += 1
            continue
        label = record[respondent_at].strip() if respondent_at is not None else ""
        rows.append(TableRow(number, body, label or f"{path.stem} {number}",
                             {header[i]: record[i].strip() for i in attribute_at if record[i].strip()}))
    if empty:
        warnings.append(f"{path.name}: skipped {empty} row(s) with an empty {header[text_at]!r}.")
    if not rows:
        raise InputError(f"{path.name} has no text in column {header[text_at]!r}; choose the column with --text-column.")
    return TableSource(path, fmt, hashlib.sha256(data).hexdigest(), header[text_at],
                       header[respondent_at] if respondent_at is not None else None,
                       [header[i] for i in attribute_at], rows, warnings)


def _csv_rows(text: str) -> tuple[list[str], list[list[str]]]:
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]
    if not rows:
        return [], []
    return rows[0], rows[1:]


def _xlsx_rows(data: bytes, name: str) -> tuple[list[str], list[list[str]]]:
    from qualcode.io.office import check_zip

    check_zip(data, name, "xlsx")
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except Exception as error:  # openpyxl raises zip, XML and KeyError alike on damaged files
        raise InputError(f"{name} could not be read as an Excel workbook ({type(error).__name__}: {error}). "
                         "Open it in Excel or LibreOffice and save it again as .xlsx.") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return [], []
    return rows[0], rows[1:]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column(header: list[str], wanted: str, option: str, name: str) -> int:
    for index, column in enumerate(header):
        if column.casefold() == wanted.strip().casefold():
            return index
    if wanted.isdigit() and 1 <= int(wanted) <= len(header):
        return int(wanted) - 1
    raise InputError(f"{name} has no column {wanted!r} (given with {option}); its columns are: {', '.join(header)}.")


def _find(header: list[str], names: tuple[str, ...], exclude: int | None = None) -> int | None:
    for index, column in enumerate(header):
        if index != exclude and column.casefold() in names:
            return index
    return None


def _longest(header: list[str], records: list[list[str]]) -> int:
    lengths = [0] * len(header)
    for record in records[:500]:
        for index, cell in enumerate(record[:len(header)]):
            lengths[index] += len(cell)
    return max(range(len(header)), key=lambda i: lengths[i])
