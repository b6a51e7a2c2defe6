"""REFI-QDA interchange: `import-qdpx`, `export-qdpx`, `import-qdc`, `export-qdc`,
`export-framework-qdc`. A summary goes to stdout; what could not be kept goes to stderr."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import open_project, progress_bar, project_argument
from qualcode.cli.exporting import guard_options, leak_guard_options
from qualcode.errors import QualcodeError
from qualcode.io.refi import (
    RESPONDENT_FROM,
    ImportReport,
    export_framework_qdc,
    export_qdc,
    export_qdpx,
    import_project,
    import_qdc,
    read_qdpx,
)

file_argument = click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
force_option = click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")


def _report_import(report: ImportReport) -> None:
    click.echo(report.summary())
    for line in report.not_kept:
        click.echo(f"Not kept: {line}", err=True)
    for line in report.info:
        click.echo(f"Note: {line}", err=True)


@click.command("import-qdpx")
@project_argument
@file_argument
@click.option("--respondent-from", type=click.Choice(RESPONDENT_FROM), default="filename", show_default=True,
              help="Where a document's respondent comes from when no REFI case holds it: an ID in the "
              "source's name (H3 in 'haastattelu_h3'), else the whole name; or none.")
@click.option("--language", type=click.Choice(["fi", "en"]), help="Language of the texts, for sentence "
              "splitting (default: guessed per document).")
@click.option("--skip-invalid", is_flag=True, help="Import everything else when some selections or codings are "
              "broken (outside their text, of a missing code) and list what was left out.")
def import_qdpx_command(project: Path, file: Path, respondent_from: str, language: str | None,
                        skip_invalid: bool) -> None:
    """Import a REFI-QDA project (.qdpx from NVivo, ATLAS.ti, MAXQDA, QualCoder, qualcode...)
    into PROJECT, which is created if it does not exist.

    Documents, the code tree, codings (with their coders), cases as respondents with their
    variables as attributes, and notes as memos come in as ONE undoable action; if anything
    fails, the project is left as it was. What the project cannot hold (pictures, audio,
    graphs...) is listed on stderr.

    \b
    Example:
        qualcode import-qdpx study.qualcode from-nvivo.qdpx
        qualcode import-qdpx study.qualcode coded.qdpx --respondent-from none --skip-invalid
    """
    refi = read_qdpx(file, strict=not skip_invalid)  # refused here, before the project is touched
    existed = project.exists() and project.stat().st_size > 0
    try:
        with open_project(project, write=True, create=True) as store, \
                progress_bar(len(refi.sources), "Preparing documents") as advance:
            report = import_project(store, refi, label=file.name, respondent_from=respondent_from,
                                    language=language, progress=lambda done, total, name: advance(1, name))
    except QualcodeError:
        if not existed:
            for suffix in ("", "-wal", "-shm"):
                project.with_name(project.name + suffix).unlink(missing_ok=True)
        raise
    _report_import(report)


@click.command("export-qdpx")
@project_argument
@file_argument
@force_option
@leak_guard_options[0]
@leak_guard_options[1]
def export_qdpx_command(project: Path, file: Path, force: bool) -> None:
    """Export PROJECT as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA and others.

    The file holds every document's text (and original .docx), the code tree, codings with
    their coders and memos, respondents as cases with their attributes, and memos as notes.
    GUIDs are stable: exporting again gives the same file.

    \b
    Example:
        qualcode export-qdpx study.qualcode study.qdpx --force
    """
    with open_project(project) as store:
        report = export_qdpx(store, file, force=force, **guard_options())
    click.echo(report.summary())
    for line in report.not_exported:
        click.echo(f"Not exported: {line}", err=True)


@click.command("import-qdc")
@project_argument
@file_argument
@click.option("--codebook", metavar="NAME", help="Put the codes in this codebook (default: the codebooks the "
              "file names, else one named after the file).")
def import_qdc_command(project: Path, file: Path, codebook: str | None) -> None:
    """Import a REFI-QDA codebook (.qdc) into PROJECT as one undoable action; codes already
    there (same GUID, or same name at the same place) are not doubled.

    \b
    Example:
        qualcode import-qdc study.qualcode codebook.qdc --codebook "Supervisor's codes"
    """
    with open_project(project, write=True, create=True) as store:
        report = import_qdc(store, file, codebook=codebook)
    _report_import(report)


@click.command("export-qdc")
@project_argument
@file_argument
@click.option("--code", "code_ref", metavar="NAME", help="Export only this code and its children (a name, "
              "'A > B' path or framework path).")
@click.option("--codebook", metavar="NAME", help="Export only this codebook.")
@force_option
def export_qdc_command(project: Path, file: Path, code_ref: str | None, codebook: str | None, force: bool) -> None:
    """Export PROJECT's codes as a REFI-QDA codebook (.qdc): names, colours, descriptions and
    the tree. Memos, findings and shortcut keys are not part of a .qdc.

    \b
    Example:
        qualcode export-qdc study.qualcode codebook.qdc
        qualcode export-qdc study.qualcode emotions.qdc --code "five-es/emotions" --force
    """
    with open_project(project) as store:
        count = export_qdc(store, file, code=code_ref, codebook=codebook, force=force)
    click.echo(f"Exported {count} codes to {file.name}.")


@click.command("export-framework-qdc")
@click.argument("framework")
@file_argument
@click.option("--language", type=click.Choice(["fi", "en"]), default="en", show_default=True,
              help="Language of the code names and descriptions.")
@force_option
def export_framework_qdc_command(framework: str, file: Path, language: str, force: bool) -> None:
    """Export a shipped framework (or a framework YAML file) as a REFI-QDA codebook (.qdc), with
    each element's definition, when to use it and its indicator words as the description.

    \b
    Example:
        qualcode export-framework-qdc five-es five-es.qdc --language fi
    """
    count = export_framework_qdc(framework, file, language=language, force=force)
    click.echo(f"Exported {count} codes of {framework} to {file.name}.")


def register(cli: click.Group) -> None:
    for command in (import_qdpx_command, export_qdpx_command, import_qdc_command, export_qdc_command,
                    export_framework_qdc_command):
        cli.add_command(command)
