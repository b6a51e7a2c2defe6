"""`qualcode frameworks ...`: the shipped coding frames, and adding one to a project."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import emit, format_option, open_project, project_argument
from qualcode.frameworks import iter_codes, list_frameworks, load_framework
from qualcode.frameworks.project import use_framework


@click.group()
def frameworks() -> None:
    """The framework library: list, show, validate, and use a coding frame in a project.

    \b
    Example:
        qualcode frameworks list
        qualcode frameworks use study.qualcode five-es --language fi
    """


@frameworks.command("list")
@format_option
def list_command(fmt: str) -> None:
    """List the shipped frameworks with their code counts.

    \b
    Example:
        qualcode frameworks list --format json
    """
    records = []
    for name in list_frameworks():
        framework = load_framework(name)
        records.append({"name": name, "codes": sum(1 for _ in iter_codes(framework)),
                        "title": framework.title.get("en", ""), "source": framework.source})
    emit(records, fmt, columns=["name", "codes", "title", "source"])


@frameworks.command()
@click.argument("name")
@click.option("--language", type=click.Choice(["fi", "en"]), default="en", show_default=True)
@format_option
def show(name: str, language: str, fmt: str) -> None:
    """Show a framework's code tree with definitions and indicator words (NAME or a YAML file).

    \b
    Example:
        qualcode frameworks show five-es --language fi
    """
    framework = load_framework(name)
    records = [{"path": code.path, "label": code.label.get(language, ""), "key": code.key or "",
                "colour": code.colour, "definition": code.definition.get(language, ""),
                "indicators": ", ".join(code.indicators.get(language, []))} for code in iter_codes(framework)]
    if fmt != "table":
        emit(records, fmt)
        return
    click.echo(f"{framework.title.get(language, framework.name)} ({framework.source})")
    click.echo(framework.description.get(language, "").strip())
    click.echo("")
    for record in records:
        depth = record["path"].count("/") - 1
        indent = "  " * depth
        key = f"[{record['key']}] " if record["key"] else ""
        click.echo(f"{indent}{key}{record['label']}  ({record['path']})")
        if record["definition"]:
            click.echo(f"{indent}    {record['definition'].strip()}")
        if record["indicators"]:
            click.echo(f"{indent}    indicators: {record['indicators']}")


@frameworks.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def validate(path: Path) -> None:
    """Check a framework file of your own; prints its code count or the exact problem.

    \b
    Example:
        qualcode frameworks validate my-frame.yaml
    """
    framework = load_framework(path)
    click.echo(f"{path}: {framework.name} is valid with {sum(1 for _ in iter_codes(framework))} codes.")


@frameworks.command()
@project_argument
@click.argument("name")
@click.option("--language", type=click.Choice(["fi", "en"]), default="fi", show_default=True,
              help="Which labels become the code names.")
@click.option("--codebook", "codebook_name", default=None, help="Name of the new codebook.")
def use(project: Path, name: str, language: str, codebook_name: str | None) -> None:
    """Add a framework (NAME or a YAML file) to a project as a codebook; several may coexist.

    \b
    Example:
        qualcode frameworks use study.qualcode operating-process --language fi
    """
    with open_project(project, write=True) as store:
        book_id = use_framework(store, name, language=language, codebook_name=codebook_name)
        book = store.codebook(book_id)
        count = len(store.codes(book_id))
    click.echo(f"Added codebook {book.name!r} with {count} codes.")


def register(cli: click.Group) -> None:
    cli.add_command(frameworks)
