"""The pseudonym list: a CSV of `real,pseudonym` rows, one real name per row.

The list is the single source of truth for pseudonymisation, the leak check and the export
guard. It is kept outside the project file on purpose: a project that is handed out must not
carry the real names it hides. Longer names come first, so `Kaarna Design` is replaced as a
whole before `Kaarna` could take its first word.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import InputError

# Header rows we recognise (first cell, second cell), compared case-insensitively.
_HEADERS = {("real", "pseudonym"), ("name", "pseudonym"), ("nimi", "pseudonyymi"), ("oikea", "pseudonyymi"),
            ("real name", "pseudonym"), ("oikea nimi", "pseudonyymi")}


@dataclass(frozen=True)
class Pseudonym:
    """One row of the list: a real name and what replaces it."""

    real: str
    pseudonym: str


def read_names(path: str | Path) -> list[Pseudonym]:
    """Read a names CSV (UTF-8, or Windows-1252 as saved by older Excel), longest name first."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"The names list {path} does not exist; give a CSV with the columns real,pseudonym.") from None
    except OSError as error:
        raise InputError(f"Cannot read the names list {path}: {error.strerror}.") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return parse_names(text, source=str(path))


def parse_names(text: str, *, source: str = "the names list") -> list[Pseudonym]:
    """Parse `real,pseudonym` rows (comma, semicolon or tab separated; `#` starts a comment)."""
    numbered = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        raise InputError(f"{source} is empty; write one `real,pseudonym` row per name.")
    delimiter = _delimiter(numbered[0][1])
    entries: dict[str, Pseudonym] = {}
    for index, (number, line) in enumerate(numbered):
        row = next(csv.reader(io.StringIO(line), delimiter=delimiter))
        cells = [cell.strip() for cell in row]
        if index == 0 and tuple(cell.casefold() for cell in cells[:2]) in _HEADERS:
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise InputError(f"{source}, line {number}: give both a real name and its pseudonym "
                             f"(got {line.strip()!r}).")
        real, pseudonym = " ".join(cells[0].split()), " ".join(cells[1].split())
        key = real.casefold()
        if key in entries and entries[key].pseudonym != pseudonym:
            raise InputError(f"{source}, line {number}: {real!r} is listed twice with different pseudonyms "
                             f"({entries[key].pseudonym!r} and {pseudonym!r}); keep one.")
        entries.setdefault(key, Pseudonym(real, pseudonym))
    if not entries:
        raise InputError(f"{source} has a header but no names; write one `real,pseudonym` row per name.")
    names = sort_names(entries.values())
    _check_pseudonyms(names, source)
    return names


def sort_names(names: Iterable[Pseudonym]) -> list[Pseudonym]:
    """Longest real name first (stable), so multi-word names win over their parts."""
    return sorted(names, key=lambda n: -len(n.real))


def as_names(names: Sequence[Pseudonym] | Sequence[tuple[str, str]] | dict[str, str] | str | Path) -> list[Pseudonym]:
    """Accept the shapes callers have at hand: a list, pairs, a dict or the path of a CSV."""
    if isinstance(names, (str, Path)):
        return read_names(names)
    if isinstance(names, dict):
        return sort_names(Pseudonym(real, fake) for real, fake in names.items())
    return sort_names(n if isinstance(n, Pseudonym) else Pseudonym(*n) for n in names)


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _check_pseudonyms(names: list[Pseudonym], source: str) -> None:
    """A pseudonym that itself contains a listed real name would leak it forever."""
    from qualcode.privacy.matching import NameMatcher

    matcher = NameMatcher(names)
    for entry in names:
        hits = matcher.find(entry.pseudonym)
        if hits:
            raise InputError(f"{source}: the pseudonym {entry.pseudonym!r} (for {entry.real!r}) contains the "
                             f"listed real name {hits[0].name.real!r}; choose another pseudonym.")
