"""The `qualcode` command line: thin click commands over library functions.

Each area registers its commands in its own module; `main` wires them and turns every
`QualcodeError` into one line on stderr and a non-zero exit status.
"""

from __future__ import annotations

import importlib
import sys

import click

from qualcode.errors import QualcodeError

COMMAND_MODULES = (
    "qualcode.cli.project",
    "qualcode.cli.importing",
    "qualcode.cli.frameworks",
    "qualcode.cli.codes",
    "qualcode.cli.demo",
    "qualcode.cli.exporting",
    "qualcode.cli.refi",
    "qualcode.cli.search",
    "qualcode.cli.team",
    "qualcode.cli.safety",
    "qualcode.cli.tui",
)


class QualcodeGroup(click.Group):
    """A click group that reports QualcodeError as a clear message instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except QualcodeError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted; everything acknowledged before was saved.", err=True)
            ctx.exit(130)


@click.group(cls=QualcodeGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="qualcode")
def cli() -> None:
    """qualcode: code theme interviews and produce theme-by-respondent tables.

    \b
    Example:
        qualcode init study.qualcode
        qualcode import study.qualcode interviews/ --language fi
    """


def _register() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:  # an area not built yet
                continue
            raise
        module.register(cli)


_register()


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="qualcode")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
