"""Respondent attributes from a CSV file: one row per respondent, one column per attribute."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import InputError

RESPONDENT_COLUMNS = ("respondent", "id", "label", "haastateltava", "vastaaja", "code")
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BOOLEAN = {"true", "false", "yes", "no", "kyllä", "ei"}


@dataclass
class AttributeImport:
    respondents: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)  # name -> inferred type


def read_attribute_rows(path: Path) -> tuple[str, list[dict[str, str]]]:
    """Read the CSV (UTF-8, BOM allowed; `,` or `;` separated); returns the respondent column and rows."""
    if not path.exists():
        raise InputError(f"{path} does not exist; give the path of a CSV file with a respondent column.")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise InputError(f"{path} is not a text CSV file; save it as CSV (UTF-8) and try again.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    if not rows:
        raise InputError(f"{path} has no rows; it needs a header line and one row per respondent.")
    columns = [c for c in (rows[0].keys()) if c is not None]
    key = next((c for c in columns if c.strip().casefold() in RESPONDENT_COLUMNS), None)
    if key is None:
        raise InputError(f"{path} has no respondent column; name one of the columns "
                         f"{', '.join(RESPONDENT_COLUMNS[:3])} (found: {', '.join(columns)}).")
    return key, rows


def infer_type(values: list[str]) -> str:
    present = [v.strip() for v in values if v and v.strip()]
    if not present:
        return "text"
    if all(_NUMBER.match(v) for v in present):
        return "number"
    if all(_DATE.match(v) for v in present):
        return "date"
    if all(v.casefold() in _BOOLEAN for v in present):
        return "boolean"
    return "text"


def import_attributes(store, path: Path) -> AttributeImport:
    """Set every attribute in the CSV on its respondent (created when new), in one undoable action."""
    key, rows = read_attribute_rows(Path(path))
    names = [c for c in rows[0].keys() if c and c != key]
    types = {name: infer_type([row.get(name) or "" for row in rows]) for name in names}
    result = AttributeImport(attributes=types)
    with store.action(f"import attributes from {Path(path).name}"):
        for row in rows:
            label = (row.get(key) or "").strip()
            if not label:
                continue
            result.respondents.append(label)
            for name in names:
                value = (row.get(name) or "").strip()
                if types[name] == "number":
                    value = value.replace(",", ".")
                store.set_attribute(label, name.strip(), value or None, types[name])
    return result
