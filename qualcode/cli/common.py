"""Shared pieces of the CLI: opening projects, printing listings, progress bars."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from qualcode.store import Store

LISTING_FORMATS = ("table", "json", "csv")

project_argument = click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
format_option = click.option("--format", "fmt", type=click.Choice(LISTING_FORMATS), default="table",
                             show_default=True, help="Output format.")
coder_option = click.option("--coder", default=None, help="Coder name recorded on codings (default: the "
                            "project's coder setting, $QUALCODE_CODER or your user name).")


@contextmanager
def open_project(path: Path, *, write: bool = False, create: bool = False,
                 coder: str | None = None) -> Iterator[Store]:
    """Open a project for one command; readers never block a TUI that has it open."""
    store = Store.open(path, create=create, read_only=not write, user=coder)
    try:
        yield store
    finally:
        store.close()


def emit(records: Sequence[dict[str, Any]], fmt: str, *, json_value: Any = None,
         columns: Sequence[str] | None = None) -> None:
    """Print records as an aligned table, CSV or JSON (`json_value` overrides the JSON shape)."""
    columns = list(columns or (records[0].keys() if records else []))
    if fmt == "json":
        click.echo(json.dumps(records if json_value is None else json_value, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo(format_table(records, columns), nl=False)


def format_table(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    if not columns:
        return "(none)\n"
    cells = [[_cell(r.get(c)) for c in columns] for r in records]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return str(value).replace("\n", " ")


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int, str], None]]:
    """A click progress bar on stderr (hidden when not a terminal); yields `advance(n, item)`."""
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True,
                           item_show_func=lambda item: item) as bar:
        def advance(step: int = 1, item: str = "") -> None:
            bar.current_item = item
            bar.update(step)

        yield advance
