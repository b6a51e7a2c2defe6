"""`qualcode codes` (list the codebooks) and `qualcode code ...` (edit the codebook)."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import emit, format_option, open_project, project_argument
from qualcode.store.codebooks import PATH_SEPARATOR


@click.command()
@project_argument
@format_option
def codes(project: Path, fmt: str) -> None:
    """List every codebook's codes in order, with their paths, keys, colours and coding counts.

    \b
    Example:
        qualcode codes study.qualcode --format csv
    """
    with open_project(project) as store:
        books = {b.id: b.name for b in store.codebooks()}
        direct = dict(store.db.execute("SELECT code_id, count(*) FROM codings GROUP BY code_id").fetchall())
        records = []
        for code in store.codes():
            path = store.code_path(code.id)
            records.append({"id": code.id, "codebook": books[code.codebook_id], "path": PATH_SEPARATOR.join(path),
                            "key": code.key, "colour": code.colour, "codings": direct.get(code.id, 0),
                            "framework": code.framework_path})
    if fmt == "table":
        for record in records:
            record["path"] = "  " * record["path"].count(PATH_SEPARATOR) + record["path"].split(PATH_SEPARATOR)[-1]
    emit(records, fmt, json_value={"codes": records} if fmt == "json" else None)


@click.group()
def code() -> None:
    """Edit the codebook: add, rename, recolour, move, merge, delete codes.

    CODE is a code's name, its path joined by ' > ', a framework path (five-es/emotions) or its id.

    \b
    Example:
        qualcode code add study.qualcode "Sesongit" --parent "Asiakkaan ympäristö"
    """


@code.command()
@project_argument
@click.argument("name")
@click.option("--parent", default=None, help="Put the new code under this code.")
@click.option("--codebook", default=None, help="Codebook name (default: the first one).")
@click.option("--colour", default=None, help="#rrggbb")
@click.option("--description", default="")
@click.option("--key", default=None, help="Quick key 1-9 in the workbench.")
def add(project: Path, name: str, parent: str | None, codebook: str | None, colour: str | None,
        description: str, key: str | None) -> None:
    """Add a code (an inductive theme), optionally under a parent.

    \b
    Example:
        qualcode code add study.qualcode "Sesongit" --parent "Asiakkaan ympäristö" --colour "#ff8800"
    """
    with open_project(project, write=True) as store:
        parent_id = store.find_code(parent).id if parent else None
        book_id = store.codebook(codebook).id if codebook else None
        code_id = store.add_code(name, codebook_id=book_id, parent_id=parent_id, colour=colour,
                                 description=description, key=key)
        click.echo(f"Added {PATH_SEPARATOR.join(store.code_path(code_id))} (id {code_id}).")


@code.command()
@project_argument
@click.argument("code_ref", metavar="CODE")
@click.argument("new_name")
def rename(project: Path, code_ref: str, new_name: str) -> None:
    """Rename a code.

    \b
    Example:
        qualcode code rename study.qualcode "Sesongit" "Sesongit ja juhlapyhät"
    """
    with open_project(project, write=True) as store:
        store.update_code(store.find_code(code_ref).id, name=new_name)
    click.echo(f"Renamed {code_ref!r} to {new_name!r}.")


@code.command()
@project_argument
@click.argument("code_ref", metavar="CODE")
@click.argument("colour")
def recolour(project: Path, code_ref: str, colour: str) -> None:
    """Give a code a new colour (#rrggbb).

    \b
    Example:
        qualcode code recolour study.qualcode "Sesongit" "#2e7d32"
    """
    with open_project(project, write=True) as store:
        store.update_code(store.find_code(code_ref).id, colour=colour)
    click.echo(f"Recoloured {code_ref!r} to {colour}.")


@code.command()
@project_argument
@click.argument("code_ref", metavar="CODE")
@click.argument("finding")
def finding(project: Path, code_ref: str, finding: str) -> None:
    """Write the finding sentence a summary table prints for this code.

    \b
    Example:
        qualcode code finding study.qualcode "Sesongit" "Sesongit ohjaavat ostoja."
    """
    with open_project(project, write=True) as store:
        store.update_code(store.find_code(code_ref).id, finding=finding)
    click.echo(f"Finding of {code_ref!r} set.")


@code.command()
@project_argument
@click.argument("code_ref", metavar="CODE")
@click.option("--parent", default=None, help="New parent code.")
@click.option("--top", is_flag=True, help="Move to the top level of its codebook.")
def move(project: Path, code_ref: str, parent: str | None, top: bool) -> None:
    """Move a code (with its children) under another parent, or to the top with --top.

    \b
    Example:
        qualcode code move study.qualcode "Sesongit" --parent "Myynnin kasvattaminen"
    """
    if bool(parent) == top:
        raise click.UsageError("Give either --parent CODE or --top.")
    with open_project(project, write=True) as store:
        moving = store.find_code(code_ref)
        store.move_code(moving.id, store.find_code(parent).id if parent else None)
        click.echo(f"Moved to {PATH_SEPARATOR.join(store.code_path(moving.id))}.")


@code.command()
@project_argument
@click.argument("source")
@click.argument("target")
def merge(project: Path, source: str, target: str) -> None:
    """Merge SOURCE into TARGET: its codings and children follow, then SOURCE is removed.

    \b
    Example:
        qualcode code merge study.qualcode "Ärsytys" "Negatiiviset tunteet"
    """
    with open_project(project, write=True) as store:
        moved = store.merge_codes(store.find_code(source).id, store.find_code(target).id)
    click.echo(f"Merged {source!r} into {target!r}; {moved} codings moved.")


@code.command()
@project_argument
@click.argument("code_ref", metavar="CODE")
@click.option("--force", is_flag=True, help="Also remove the code's codings.")
def delete(project: Path, code_ref: str, force: bool) -> None:
    """Delete a code and its children; refused while they have codings unless --force.

    \b
    Example:
        qualcode code delete study.qualcode "Vanha teema" --force
    """
    with open_project(project, write=True) as store:
        removed = store.delete_code(store.find_code(code_ref).id, force=force)
    click.echo(f"Deleted {code_ref!r}" + (f" and removed {removed} codings." if removed else "."))


@code.command()
@project_argument
@click.argument("code_ref", metavar="CODE")
@click.argument("text")
def memo(project: Path, code_ref: str, text: str) -> None:
    """Write the memo on a code (an empty TEXT removes it).

    \b
    Example:
        qualcode code memo study.qualcode "Sesongit" "Joulu korostuu kaikissa haastatteluissa."
    """
    with open_project(project, write=True) as store:
        store.set_memo("code", store.find_code(code_ref).id, text)
    click.echo("Memo saved.")


def register(cli: click.Group) -> None:
    cli.add_command(codes)
    cli.add_command(code)
