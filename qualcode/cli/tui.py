"""`qualcode tui`: open the coding workbench on a project."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import coder_option, project_argument
from qualcode.errors import ProjectLockedError
from qualcode.store import Store


@click.command()
@project_argument
@coder_option
@click.option("--read-only", is_flag=True, help="Open without writing (browse, retrieve, read memos).")
def tui(project: Path, coder: str | None, read_only: bool) -> None:
    """Open the coding workbench: documents, transcript and codes side by side.

    Every coding is saved the moment you make it. When another qualcode process has the project
    open for writing, the workbench opens read-only and says so.

    \b
    Example:
        qualcode tui study.qualcode --coder anna
    """
    from qualcode.tui.app import make_app  # Textual loads only for this command

    notice = None
    if read_only:
        store = Store.open(project, read_only=True, user=coder)
    else:
        try:
            store = Store.open(project, user=coder)
        except ProjectLockedError as error:
            store = Store.open(project, read_only=True, user=coder)
            notice = f"Opened read-only: {error}"
    try:
        make_app(store, notice=notice).run()
    finally:
        store.close()


def register(cli: click.Group) -> None:
    cli.add_command(tui)
