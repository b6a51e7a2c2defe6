"""Golden files: every table of a project in every format, compared with files kept in git.

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_writers.py   # rewrite them

To cover another project (the demo study, once built), give `table_cases` your own cases and
a folder of its own, e.g.:

    cases = {"summary-tunteet": lambda s: summary_table(s, "Asiakkaan tunteet", caption="Taulukko 4.")}
    check_project_goldens(demo_store, cases, GOLDEN_DIR / "demo")

xlsx and docx are compared through readable dumps (tests/golden/dump.py): the files themselves
carry save timestamps.
"""

from __future__ import annotations

import difflib
import io
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from qualcode.coding.table import Table
from qualcode.io.tables import TABLE_FORMATS, write_table
from tests.golden.dump import dump_docx, dump_xlsx

GOLDEN_DIR = Path(__file__).resolve().parent
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

Cases = Mapping[str, Callable[[object], Table]]


def rendered(table: Table, fmt: str) -> str:
    """The text a golden file holds for `table` in `fmt`."""
    buffer = io.BytesIO()
    write_table(table, buffer, fmt)
    data = buffer.getvalue()
    if fmt == "xlsx":
        return dump_xlsx(data)
    if fmt == "docx":
        return dump_docx(data)
    return data.decode("utf-8")


def check_golden(path: Path, text: str) -> str | None:
    """Compare with the golden file (or write it under UPDATE_GOLDEN=1); a diff if they differ."""
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return None if UPDATE else f"{path.name}: golden file was missing and has been written; check it in"
    expected = path.read_text(encoding="utf-8")
    if expected == text:
        return None
    diff = difflib.unified_diff(expected.splitlines(), text.splitlines(), f"{path.name} (golden)",
                                f"{path.name} (now)", lineterm="", n=2)
    return "\n".join(list(diff)[:60])


def check_project_goldens(store, cases: Cases, directory: Path,
                          formats: Iterable[str] = TABLE_FORMATS) -> list[str]:
    """Render each case in each format and compare; returns the problems (empty when all match)."""
    problems = []
    for name, build in cases.items():
        table = build(store)
        for fmt in formats:
            suffix = f"{fmt}.txt" if fmt in ("xlsx", "docx") else fmt
            problem = check_golden(directory / f"{name}.{suffix}", rendered(table, fmt))
            if problem:
                problems.append(problem)
    return problems
