"""Team coding: `qualcode agreement` and `qualcode merge`."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import emit, format_option, open_project, project_argument
from qualcode.cli.exporting import emit_table, table_output
from qualcode.coding.scope import default_language
from qualcode.coding.agreement import UNITS, agreement
from qualcode.coding.disagreements import disagreements, resolve
from qualcode.coding.merge import merge_project
from qualcode.errors import InputError
from qualcode.store import Store


@click.command("agreement")
@project_argument
@click.option("--coders", required=True, help="Comma-separated coder names, two or more.")
@click.option("--codes", "code_refs", default=None, help="Comma-separated codes (default: every code used).")
@click.option("--unit", type=click.Choice(UNITS), default="segment", show_default=True)
@table_output
def agreement_command(project: Path, coders: str, code_refs: str | None, unit: str, fmt: str | None, output: str,
                      force: bool, caption: str | None, language: str | None, template: str | None,
                      table_style: str | None) -> None:
    """Inter-coder agreement per code and overall: percent, Cohen's kappa, Krippendorff's alpha,
    as a table in any export format.

    A coder who did not code a document at all counts as missing there, not as disagreeing.
    With --format json it prints {"coders", "unit", "codes": [{"code", "percent", "kappa",
    "alpha", "units"}], "overall": {...}}.

    \b
    Example:
        qualcode agreement study.qualcode --coders anna,ville --unit segment --format json
        qualcode agreement study.qualcode --coders anna,ville --format docx -o yhtapitavyys.docx
    """
    names = [c.strip() for c in coders.split(",") if c.strip()]
    with open_project(project) as store:
        code_ids = [store.find_code(ref.strip()).id for ref in code_refs.split(",")] if code_refs else None
        report = agreement(store, names, code_ids=code_ids, unit=unit)
        table = report.to_table(language=language or default_language(store), caption=caption)
        emit_table(store, table, output, fmt, force, template, table_style)


@click.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def merge(target: Path, sources: tuple[Path, ...]) -> None:
    """Merge coded copies of a project (.qualcode) or .qdpx files into TARGET.

    Documents are matched by content, codes by GUID then path; no coding is ever duplicated,
    so merging the same source twice changes nothing the second time.

    \b
    Example:
        qualcode merge study.qualcode anna.qualcode ville.qdpx
    """
    with open_project(target, write=True) as store:
        for source_path in sources:
            if not source_path.exists():
                raise InputError(f"{source_path} does not exist.")
            with _open_source(source_path) as source:
                report = merge_project(store, source, label=source_path.name)
            click.echo(f"{source_path}:")
            for line in report.lines():
                click.echo(f"  {line}")


def _open_source(path: Path) -> Store:
    if path.suffix.lower() == ".qdpx":
        from qualcode.io.refi import import_qdpx

        scratch = Store.memory(user=None)
        import_qdpx(scratch, path)
        return scratch
    return Store.open(path, read_only=True)


@click.command("disagreements")
@project_argument
@click.option("--coders", required=True, help="Comma-separated coder names, two or more.")
@click.option("--codes", "code_refs", default=None, help="Comma-separated codes (default: every code used).")
@format_option
def disagreements_command(project: Path, coders: str, code_refs: str | None, fmt: str) -> None:
    """List the unresolved sentences where coders differ on a code, numbered for `qualcode resolve`.

    \b
    Example:
        qualcode disagreements study.qualcode --coders anna,ville
    """
    names = [c.strip() for c in coders.split(",") if c.strip()]
    with open_project(project) as store:
        code_ids = [store.find_code(ref.strip()).id for ref in code_refs.split(",")] if code_refs else None
        items = disagreements(store, names, code_ids=code_ids)
    records = [{"unit": i, "document": d.document, "respondent": d.respondent, "code": d.code, "start": d.start,
                "end": d.end, "coded_by": ",".join(d.coders_with_code()), "text": d.text}
               for i, d in enumerate(items, start=1)]
    emit(records, fmt, columns=["unit", "document", "respondent", "code", "start", "end", "coded_by", "text"])


@click.command("resolve")
@project_argument
@click.option("--coders", required=True, help="The same coders as for `qualcode disagreements`.")
@click.option("--unit", "unit_number", type=int, required=True, help="Unit number from the listing.")
@click.option("--keep", required=True, help="A coder's name, 'both' or 'neither'.")
def resolve_command(project: Path, coders: str, unit_number: int, keep: str) -> None:
    """Resolve one disagreement: keep one coder's coding, both, or neither (recorded, undoable).

    \b
    Example:
        qualcode resolve study.qualcode --coders anna,ville --unit 1 --keep anna
    """
    names = [c.strip() for c in coders.split(",") if c.strip()]
    with open_project(project, write=True) as store:
        items = disagreements(store, names)
        if not 1 <= unit_number <= len(items):
            raise InputError(f"There are {len(items)} unresolved units; give --unit between 1 and {len(items)}.")
        item = items[unit_number - 1]
        resolve(store, item, keep)
    click.echo(f"Resolved unit {unit_number} ({item.document}, {item.code}): kept {keep}.")


def register(cli: click.Group) -> None:
    for command in (agreement_command, merge, disagreements_command, resolve_command):
        cli.add_command(command)
