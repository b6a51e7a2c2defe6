"""The `import` command: transcripts and spreadsheets of short texts into a project."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import open_project, progress_bar, project_argument
from qualcode.errors import InputError
from qualcode.io.importer import FileResult, collect_paths, import_paths
from qualcode.io.parallel import auto_workers
from qualcode.io.readers import DEFAULT_MAX_BYTES, MIB
from qualcode.io.turns import compile_pattern


@click.command("import")
@project_argument
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--respondent", metavar="LABEL", help="Assign every imported document to this respondent "
              "(default: the single non-interviewer speaker with an ID label, else an ID in the file name "
              "such as H3, else the file name).")
@click.option("--language", type=click.Choice(["fi", "en"]), help="Language of the texts (default: guessed).")
@click.option("--round", "round_", type=click.IntRange(min=1), metavar="N", help="Delphi round or wave of these documents.")
@click.option("--pattern", metavar="REGEX", help="Regular expression for a turn's start, matched at each line start, "
              "with a named group `speaker` (and optionally `timestamp`); replaces the built-in conventions.")
@click.option("--interviewer", "interviewers", multiple=True, metavar="LABEL",
              help="A speaker label that marks the interviewer, besides H, Haastattelija, Interviewer, I, Q, "
              "Moderator and Int (repeatable).")
@click.option("--join-hyphens", is_flag=True, help="Join words hyphenated at line breaks (text copied from PDFs).")
@click.option("--drop-page-numbers", is_flag=True, help="Remove lines that hold only a page number.")
@click.option("--force", is_flag=True, help="Import files even if the same file was imported before "
              "(under a new title).")
@click.option("--max-size", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_MAX_BYTES / MIB,
              show_default=True, metavar="MB", help="Refuse files larger than this many megabytes.")
@click.option("--text-column", metavar="NAME", help="Spreadsheets: the column holding the text "
              "(default: a column named text/vastaus/comment..., else the one with the longest texts).")
@click.option("--respondent-column", metavar="NAME", help="Spreadsheets: the column naming the respondent "
              "(default: a column named respondent/id/...; else each row is its own respondent).")
@click.option("--spacy-model", metavar="NAME", help="An installed spaCy pipeline to split sentences with "
              "(default: the built-in rule-based splitter).")
@click.option("--workers", type=click.IntRange(min=0), default=0, metavar="N",
              help="Worker processes reading files (default 0: automatic, more than one only for large imports).")
def import_command(project: Path, paths: tuple[Path, ...], respondent: str | None, language: str | None,
                   round_: int | None, pattern: str | None, interviewers: tuple[str, ...], join_hyphens: bool,
                   drop_page_numbers: bool, force: bool, max_size: float, text_column: str | None,
                   respondent_column: str | None, spacy_model: str | None, workers: int) -> None:
    """Import transcripts (.txt .md .docx .odt .rtf .srt .vtt, or folders of them) and
    spreadsheets of short texts (.csv .xlsx, one document per row).

    Speaker turns are found from labels such as H:, V:, Haastattelija:, H3:, I:, R:,
    Interviewer:, Q:, with timestamps like [00:12:31] or (12:31); each turn is split into
    sentences. A file imported before is skipped (see --force). Prints one line per file.

    \b
    Example:
        qualcode import study.qualcode interviews/ --language fi
        qualcode import study.qualcode round2/ --round 2 --interviewer Moderaattori
        qualcode import study.qualcode answers.xlsx --text-column vastaus --respondent-column id
    """
    if pattern:
        compile_pattern(pattern)
    files = collect_paths(paths)  # a missing path or unsupported file stops here, before the project opens
    with open_project(project, write=True) as store, progress_bar(len(files), "Importing") as advance:
        report = import_paths(
            store, files, respondent=respondent, language=language, round=round_, pattern=pattern,
            interviewer=interviewers, join_hyphens=join_hyphens, drop_page_numbers=drop_page_numbers, force=force,
            max_bytes=int(max_size * MIB), spacy_model=spacy_model, text_column=text_column,
            respondent_column=respondent_column, workers=workers or auto_workers(files),
            progress=lambda done, total, name: advance(1, name))
    for result in report.files:
        if result.status == "failed":
            click.echo(f"Error: {result.message}", err=True)
        else:
            click.echo(describe(result))
            for warning in result.warnings:
                click.echo(f"  warning: {warning}")
    summary = f"{len(report.imported)} imported, {len(report.skipped)} skipped, {len(report.failed)} failed"
    if report.failed:
        raise InputError(f"{summary}. Fix the files above and import them again; the others are in the project.")
    click.echo(summary + ".", err=True)


def describe(result: FileResult) -> str:
    """One line per file for stdout."""
    if result.status == "skipped":
        return f"Skipped: {result.message}"
    if len(result.document_ids) > 1 or result.path.suffix.lower() in (".csv", ".xlsx"):
        return (f"Imported {result.path.name}: {len(result.document_ids)} documents ({result.title}), "
                f"respondents {result.respondent}, language {result.language}, {result.sentences} sentences")
    return (f'Imported {result.path.name} as "{result.title}": respondent {result.respondent}, '
            f"language {result.language}, {result.turns} turns, {result.sentences} sentences")


def register(cli: click.Group) -> None:
    cli.add_command(import_command)
