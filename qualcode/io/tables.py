"""Writing tables: ONE entry point, `write_table(table, target, fmt)`, for the CLI, the TUI's
export dialog and `export all`.

Formats: txt (aligned, as in a thesis draft), csv, xlsx, docx, md, tex (booktabs), html, json,
and for matrices png / svg heatmaps. A file is written to a temporary name beside the target
and renamed when complete, so an interrupted export never leaves half a file; an existing file
is only replaced with `force=True`.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

import pandas as pd

from qualcode.coding.study import study_tables
from qualcode.coding.table import Table
from qualcode.errors import ConflictError, ProjectError
from qualcode.io.writers.html import write_html
from qualcode.io.writers.latex import write_tex
from qualcode.io.writers.text import write_csv, write_json, write_md, write_txt

HEATMAP_FORMATS = ("png", "svg")
TABLE_FORMATS = ("csv", "xlsx", "docx", "md", "tex", "html", "json", "txt")
TEXT_FORMATS = ("txt", "csv", "md", "tex", "html", "json")
BINARY_FORMATS = ("xlsx", "docx", *HEATMAP_FORMATS)
ALL_FORMATS = (*TABLE_FORMATS, *HEATMAP_FORMATS)
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".docx": "docx", ".md": "md", ".markdown": "md", ".tex": "tex",
            ".html": "html", ".htm": "html", ".json": "json", ".txt": "txt", ".png": "png", ".svg": "svg"}
EXTENSIONS = {fmt: f".{fmt}" for fmt in ALL_FORMATS}

Target = str | os.PathLike[str] | IO[str] | IO[bytes]


def format_for(target: Target | None, fmt: str | None = None) -> str:
    """The format asked for, else the one the file name's suffix names, else txt."""
    if fmt:
        if fmt not in ALL_FORMATS:
            raise ConflictError(f"Unknown format {fmt!r}; use one of {', '.join(ALL_FORMATS)}.")
        return fmt
    if isinstance(target, (str, os.PathLike)) and str(target) != "-":
        suffix = Path(target).suffix.lower()
        if suffix in SUFFIXES:
            return SUFFIXES[suffix]
        raise ConflictError(f"Cannot tell the format from {Path(target).name!r}; give --format "
                            f"({', '.join(ALL_FORMATS)}).")
    return "txt"


def render_text(table: Table, fmt: str, *, delimiter: str = ",") -> str:
    """A table in a text format, as a string."""
    if fmt == "txt":
        return write_txt(table)
    if fmt == "csv":
        return write_csv(table, delimiter=delimiter)
    if fmt == "md":
        return write_md(table)
    if fmt == "tex":
        return write_tex(table)
    if fmt == "html":
        return write_html(table)
    if fmt == "json":
        return write_json(table)
    raise ConflictError(f"{fmt} is not a text format.")


def render_binary(table: Table, fmt: str, stream: IO[bytes], *, template: str | os.PathLike[str] | None = None,
                  table_style: str | None = None) -> None:
    # openpyxl, python-docx and matplotlib load only when a binary format is written: every
    # `qualcode` command imports this module and should start fast.
    if fmt == "xlsx":
        from qualcode.io.writers.xlsx import write_xlsx

        write_xlsx(table, stream)
    elif fmt == "docx":
        from qualcode.io.writers.docx import write_docx

        write_docx(table, stream, template=template, table_style=table_style)
    elif fmt in HEATMAP_FORMATS:
        from qualcode.io.heatmap import write_heatmap

        write_heatmap(table, stream, fmt)
    else:
        raise ConflictError(f"{fmt} is not a binary format.")


def as_table(table: Table | pd.DataFrame) -> Table:
    return table if isinstance(table, Table) else Table(frame=table, index_columns=1)


def write_table(table: Table | pd.DataFrame, target: Target, fmt: str | None = None, *, force: bool = False,
                template: str | os.PathLike[str] | None = None, table_style: str | None = None,
                delimiter: str = ",", store=None, names=None, allow_names: bool = False) -> Path | None:
    """Write `table` (a Table or a plain DataFrame) to a path, '-' (stdout) or an open stream.

    fmt: csv, xlsx, docx, md, tex, html, json, txt, png or svg (default: from the file suffix).
    force: replace an existing file. template / table_style: for docx, a .docx whose styles and
    page setup to use, and the table style's name. delimiter: for csv.
    store / names / allow_names: the leak guard. The written output is checked for the real
    names in `names` (pseudonym rows) or else in the list the project `store` remembers
    (`qualcode check-leaks --remember`); a hit raises NamesLeakError and nothing is written,
    unless `allow_names`.
    Returns the path written, or None for a stream.
    """
    table = as_table(table)
    fmt = format_for(target, fmt)
    if fmt in HEATMAP_FORMATS and table.heat is None:
        raise ConflictError(f"The {table.name} table has no numbers to draw; heatmaps are for matrices "
                            "(--cells count, presence, words or respondents) and co-occurrence.")
    if isinstance(target, (str, os.PathLike)) and str(target) == "-":
        target = sys.stdout
    file_name = Path(target).name if isinstance(target, (str, os.PathLike)) else None
    guard = _leak_guard(store, names, allow_names, file_name)
    if not isinstance(target, (str, os.PathLike)):
        if guard is not None:
            guard(render_text(table, fmt if fmt in TEXT_FORMATS else "txt", delimiter=delimiter), None)
        _write_stream(table, target, fmt, template=template, table_style=table_style, delimiter=delimiter)
        return None
    path = Path(target)
    if path.exists() and not force:
        raise ConflictError(f"{path} already exists; give --force to overwrite it.")
    if not path.parent.exists():
        raise ProjectError(f"The folder {path.parent} does not exist; create it first.")
    partial = path.with_name(f".{path.name}.part")
    try:
        if fmt in TEXT_FORMATS:
            with partial.open("w", encoding="utf-8", newline="") as handle:
                handle.write(render_text(table, fmt, delimiter=delimiter))
        else:
            with partial.open("wb") as handle:
                render_binary(table, fmt, handle, template=template, table_style=table_style)
        if guard is not None:
            # a picture cannot be read back: check the text it shows (the table's labels)
            guard(render_text(table, "txt") if fmt in HEATMAP_FORMATS else partial, fmt)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _leak_guard(store, names, allow_names: bool, label: str | None = None):
    """The check `guard(output, fmt)` each output goes through before it is handed out, or None
    when there is nothing to check against. `label` is the file name reported for a hit."""
    if store is None and names is None:
        return None
    from qualcode.privacy.leaks import guard_export

    return lambda output, fmt: guard_export(store, output, names, allow_names=allow_names, fmt=fmt, label=label)


def _write_stream(table: Table, stream, fmt: str, **options) -> None:
    delimiter = options.pop("delimiter")
    text_stream = isinstance(stream, io.TextIOBase)
    if fmt in TEXT_FORMATS:
        text = render_text(table, fmt, delimiter=delimiter)
        if text_stream:
            stream.write(text)
        else:
            stream.write(text.encode("utf-8"))
        stream.flush()
        return
    if text_stream:
        if getattr(stream, "isatty", lambda: False)():
            raise ConflictError(f"{fmt} is a binary format; give -o FILE to write it to a file.")
        stream.flush()
        stream = stream.buffer
    render_binary(table, fmt, stream, **options)
    stream.flush()


# ---------------------------------------------------------------- the whole study

def export_study(store, directory: str | os.PathLike[str], formats: Sequence[str] = ("docx", "xlsx"), *,
                 force: bool = False, language: str | None = None, names=None, allow_names: bool = False,
                 progress: Callable[[int, str], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> list[Path]:
    """Write every table of the study (see `study_tables`) into `directory` in each format.

    Nothing is written if any target file exists and `force` is not given. `progress(done, name)`
    is called after each table; `cancelled()` is checked between tables (for a TUI worker).
    Every file goes through the leak guard (see `write_table`).
    Heatmap formats (png, svg) are written for the tables that have numbers to draw.
    Returns the paths written.
    """
    directory = Path(directory)
    for fmt in formats:
        format_for(None, fmt)
    if directory.exists() and not directory.is_dir():
        raise ProjectError(f"{directory} is a file; give a folder for the tables.")
    plan = study_tables(store, language=language)
    if directory.exists() and not force:
        existing = [directory / f"{item.name}{EXTENSIONS[fmt]}" for item in plan for fmt in formats
                    if (directory / f"{item.name}{EXTENSIONS[fmt]}").exists()]
        if existing:
            shown = ", ".join(p.name for p in existing[:5]) + (" ..." if len(existing) > 5 else "")
            raise ConflictError(f"{len(existing)} files already exist in {directory} ({shown}); "
                                "give --force to overwrite them.")
    if not directory.parent.exists():
        raise ProjectError(f"The folder {directory.parent} does not exist; create it first.")
    directory.mkdir(exist_ok=True)
    written: list[Path] = []
    for done, item in enumerate(plan, start=1):
        if cancelled is not None and cancelled():
            break
        table = item.build()
        for fmt in formats:
            if fmt in HEATMAP_FORMATS and (table.heat is None or table.heat.empty):
                continue
            written.append(write_table(table, directory / f"{item.name}{EXTENSIONS[fmt]}", fmt, force=True,
                                       store=store, names=names, allow_names=allow_names))
        if progress is not None:
            progress(done, item.name)
    return written
