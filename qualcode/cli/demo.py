"""`qualcode demo`: build the demo study's project."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.demo import STEPS, build_demo


@click.command()
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path), default="demo.qualcode")
@click.option("--force", is_flag=True, help="Rebuild even if the project file exists.")
def demo(project: Path, force: bool) -> None:
    """Build the demo project from corpora/: eleven interviews, attributes, the Five Es and
    operating-process frameworks, and the reference coding.

    \b
    Example:
        qualcode demo demo.qualcode
    """
    with click.progressbar(length=STEPS, label="Building the demo", file=click.get_text_stream("stderr"),
                           item_show_func=lambda item: item) as bar:
        def advance(message: str) -> None:
            bar.current_item = message
            bar.update(1)

        counts = build_demo(project, force=force, progress=advance)
    click.echo(f"Built {project}: " + ", ".join(f"{value} {key}" for key, value in counts.items()))


def register(cli: click.Group) -> None:
    cli.add_command(demo)
