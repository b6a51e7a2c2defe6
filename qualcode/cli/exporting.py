"""`qualcode export ...` (every table of a study, in every format), `qualcode trace` (the passages
behind a cell), `qualcode link` / `unlink` (themes to framework elements) and
`qualcode cell-summary` (a framework-matrix cell's written summary)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from qualcode.cli.common import open_project, progress_bar, project_argument
from qualcode.coding.columns import column_of_documents
from qualcode.coding.comparison import comparison_table
from qualcode.coding.cooccurrence import MODES, cooccurrence_table
from qualcode.coding.frequencies import codebook_table, frequencies_table
from qualcode.coding.matrix import CELL_MODES, code_matrix
from qualcode.coding.quotes import quotes_table
from qualcode.coding.scope import default_language, parse_where, respondent_scope
from qualcode.coding.study import study_tables
from qualcode.coding.summary import EMPTY_CELL, summary
from qualcode.coding.table import Table
from qualcode.coding.trace import trace as trace_passages
from qualcode.coding.trace import trace_table
from qualcode.errors import NotFoundError
from qualcode.io.tables import ALL_FORMATS, export_study, write_table
from qualcode.privacy.names import read_names
from qualcode.store.codebooks import PATH_SEPARATOR


def table_output(command: Callable) -> Callable:
    """The options every table command shares: --format, -o, --force, --caption, --language."""
    options = [
        click.option("--format", "fmt", type=click.Choice(ALL_FORMATS), default=None,
                     help="Output format (default: from the -o suffix, else txt). png/svg draw a heatmap."),
        click.option("-o", "--output", default="-", show_default=True,
                     help="File to write; '-' prints text formats to stdout."),
        click.option("--force", is_flag=True, help="Overwrite an existing file."),
        click.option("--caption", default=None, help="Caption above the table ('Taulukko 4. Yhteenveto ...')."),
        click.option("--language", type=click.Choice(["fi", "en"]), default=None,
                     help="Language of column headings and totals (default: the documents' language)."),
        click.option("--template", type=click.Path(exists=True, dir_okay=False), default=None,
                     help="docx: a Word document whose styles and page setup to use."),
        click.option("--table-style", default=None, help="docx: the table style's name (default 'Table Grid')."),
        *leak_guard_options,
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _remember_guard_option(ctx: click.Context, param: click.Parameter, value):
    ctx.meta[f"qualcode.{param.name}"] = value
    return value


# The leak guard's options, shared by every export command. They are read from the click context
# by `guard_options` rather than passed through each command's signature.
leak_guard_options = [
    click.option("--names", "names", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                 expose_value=False, callback=_remember_guard_option,
                 help="Refuse to write real names from this CSV (real,pseudonym); default: the list the "
                      "project remembers (`check-leaks --remember`)."),
    click.option("--allow-names", "allow_names", is_flag=True, expose_value=False, callback=_remember_guard_option,
                 help="Write the file even if it holds real names from the names list."),
]


def guard_options() -> dict:
    meta = click.get_current_context().meta
    names_path = meta.get("qualcode.names")
    return {"names": read_names(names_path) if names_path else None,
            "allow_names": bool(meta.get("qualcode.allow_names"))}


def respondent_options(command: Callable) -> Callable:
    options = [
        click.option("--where", "where", multiple=True, metavar="ATTRIBUTE=VALUE",
                     help="Only respondents with this attribute value (repeatable; VALUE may be a,b)."),
        click.option("--label", "label_format", default="{label}", show_default=True,
                     help="Respondent label template: '{label}', 'Asiantuntija {n}', '{name} ({year})'."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def emit_table(store, table: Table, output: str, fmt: str | None, force: bool, template: str | None,
          table_style: str | None) -> None:
    path = write_table(table, output, fmt, force=force, template=template, table_style=table_style,
                       store=store, **guard_options())
    if path is not None:
        click.echo(f"Wrote {path}", err=True)


def _language(store, language: str | None) -> str:
    return language or default_language(store)


@click.group()
def export() -> None:
    """Export the study's tables: summary, matrix, quotes, co-occurrence, frequencies, codebook,
    framework comparison, or all of them at once.

    CODE is a code's name, or its path joined with ' > ' when the name alone is ambiguous.

    \b
    Example:
        qualcode export summary study.qualcode --code "Asiakkaan tunteet" --format docx -o taulukko4.docx
        qualcode export all study.qualcode -o tables/
    """


@export.command("summary")
@project_argument
@click.option("--code", "code_ref", required=True, help="The code group: its children are the row groups.")
@click.option("--columns", default=None, help="A code whose children become columns (e.g. the valence).")
@click.option("--header", default=None, help="Header row text (default: the code's name, in capitals).")
@click.option("--split", is_flag=True, help="Split each row group by its sub-dimensions (TOIMINTA / TARVE).")
@click.option("--empty", default=EMPTY_CELL, show_default=True, help="Text of an empty cell.")
@click.option("--no-capitals", is_flag=True, help="Keep the header and group names as written.")
@click.option("--show-uncoded", is_flag=True, help="Also list findings no respondent supports.")
@respondent_options
@table_output
def export_summary(project: Path, code_ref: str, columns: str | None, header: str | None, split: bool, empty: str,
                   no_capitals: bool, show_uncoded: bool, where: tuple[str, ...], label_format: str,
                   fmt: str | None, output: str, force: bool, caption: str | None, language: str | None,
                   template: str | None, table_style: str | None) -> None:
    """The summary table (thesis format): row groups the main themes, each finding followed by the
    respondents whose coded passages support it, e.g. `Sesongit. (H3, H4, H6)`.

    With --format json it prints {"caption", "header", "rows": [{"path", "finding", "column",
    "respondents"}]} in codebook order.

    \b
    Example:
        qualcode export summary study.qualcode --code "Asiakkaan tunteet" --columns Valenssi \\
            --caption "Taulukko 5. Tunnesidos" --format docx -o taulukko5.docx
    """
    with open_project(project) as store:
        built = summary(store, code_ref, columns=columns, caption=caption, header=header, split=split, empty=empty,
                        label_format=label_format, where=parse_where(where), capitals=not no_capitals,
                        show_uncoded=show_uncoded, language=_language(store, language))
        if built.unplaced:
            click.echo(f"Note: {built.unplaced} passages are coded on {built.code.name!r} itself and belong to "
                       "no row group; code them to one of its children to show them.", err=True)
        emit_table(store, built.to_table(), output, fmt, force, template, table_style)


@export.command("matrix")
@project_argument
@click.option("--code", "--codes", "codes", multiple=True,
              help="Top code(s) whose trees are the rows (repeatable; default: all).")
@click.option("--by", default="respondent", show_default=True,
              help="Columns: respondent, attribute:NAME, document or round.")
@click.option("--cells", type=click.Choice(CELL_MODES), default="count", show_default=True,
              help="Cell contents.")
@click.option("--no-subtotals", is_flag=True, help="Parent rows count only their own codings.")
@click.option("--no-totals", is_flag=True, help="Leave out the total row and column.")
@click.option("--no-coverage", is_flag=True, help="Leave out the coverage column.")
@respondent_options
@table_output
def export_matrix(project: Path, codes: tuple[str, ...], by: str, cells: str, no_subtotals: bool, no_totals: bool,
                  no_coverage: bool, where: tuple[str, ...], label_format: str, fmt: str | None, output: str,
                  force: bool, caption: str | None, language: str | None, template: str | None,
                  table_style: str | None) -> None:
    """The code x respondent matrix: rows the code tree with parent subtotals, columns respondents,
    attribute groups, documents or rounds; totals and coverage ("7 of 8 respondents").

    With --format json it prints {"rows": [code paths], "columns": [labels], "cells": [[...]]};
    --format png or svg draws a heatmap.

    \b
    Example:
        qualcode export matrix study.qualcode --code "Asiakkaan tunteet" --by attribute:organisation_type \\
            --cells count --format xlsx -o matriisi.xlsx
    """
    with open_project(project) as store:
        matrix = code_matrix(store, list(codes) or None, by=by, cells=cells, subtotals=not no_subtotals,
                             where=parse_where(where), label_format=label_format,
                             language=_language(store, language))
        table = matrix.to_table(caption=caption, totals=not no_totals, coverage=not no_coverage)
        emit_table(store, table, output, fmt, force, template, table_style)


@export.command("quotes")
@project_argument
@click.option("--code", "--codes", "codes", multiple=True, required=True,
              help="Code(s) whose passages to quote (repeatable).")
@click.option("--style", default="leading", show_default=True,
              help="leading (H3: ”…”), trailing (”…” – H3.) or a template with {quote}.")
@click.option("--one-per-respondent", is_flag=True, help="Only each respondent's first passage per code.")
@click.option("--max-chars", type=click.IntRange(min=10), default=None, help="Trim longer passages with ….")
@click.option("--no-cut-marks", is_flag=True, help="Do not mark passages that start or stop mid-sentence.")
@click.option("--quote-language", type=click.Choice(["fi", "en"]), default=None,
              help="Quote marks for every quote (default: each document's language).")
@respondent_options
@table_output
def export_quotes(project: Path, codes: tuple[str, ...], style: str, one_per_respondent: bool,
                  max_chars: int | None, no_cut_marks: bool, quote_language: str | None, where: tuple[str, ...],
                  label_format: str, fmt: str | None, output: str, force: bool, caption: str | None,
                  language: str | None, template: str | None, table_style: str | None) -> None:
    """The quotes report: passages per theme, ordered by respondent, as `H3: ”…”`.

    \b
    Example:
        qualcode export quotes study.qualcode --code "Asiakkaan tunteet" --style trailing \\
            --label "Asiantuntija {n}" --one-per-respondent --max-chars 200 --format md
    """
    with open_project(project) as store:
        table = quotes_table(store, list(codes), caption=caption, language=_language(store, language),
                             quote_language=quote_language, style=style, label_format=label_format,
                             one_per_respondent=one_per_respondent, max_chars=max_chars,
                             mark_cuts=not no_cut_marks, where=parse_where(where))
        emit_table(store, table, output, fmt, force, template, table_style)


@export.command("cooccurrence")
@project_argument
@click.option("--code", "--codes", "codes", multiple=True,
              help="Top code(s) whose codes to compare (repeatable; default: all).")
@click.option("--mode", type=click.Choice(MODES), default="overlap", show_default=True,
              help="overlap: overlapping passages; segment: the same sentence.")
@click.option("--where", "where", multiple=True, metavar="ATTRIBUTE=VALUE", help="Only these respondents.")
@table_output
def export_cooccurrence(project: Path, codes: tuple[str, ...], mode: str, where: tuple[str, ...],
                        fmt: str | None, output: str, force: bool, caption: str | None, language: str | None,
                        template: str | None, table_style: str | None) -> None:
    """Code co-occurrence (code x code): overlapping passages or passages in the same sentence.

    \b
    Example:
        qualcode export cooccurrence study.qualcode --code "Asiakkaan tunteet" --mode segment --format csv
    """
    with open_project(project) as store:
        table = cooccurrence_table(store, list(codes) or None, caption=caption, language=_language(store, language),
                                   mode=mode, where=parse_where(where))
        emit_table(store, table, output, fmt, force, template, table_style)


@export.command("frequencies")
@project_argument
@click.option("--code", "--codes", "codes", multiple=True, help="Top code(s) (repeatable; default: all).")
@click.option("--where", "where", multiple=True, metavar="ATTRIBUTE=VALUE", help="Only these respondents.")
@table_output
def export_frequencies(project: Path, codes: tuple[str, ...], where: tuple[str, ...], fmt: str | None,
                       output: str, force: bool, caption: str | None, language: str | None,
                       template: str | None, table_style: str | None) -> None:
    """Code frequencies: codings, documents, respondents, coverage and words per code.

    \b
    Example:
        qualcode export frequencies study.qualcode --format xlsx -o frekvenssit.xlsx
    """
    with open_project(project) as store:
        table = frequencies_table(store, list(codes) or None, where=parse_where(where),
                                  language=_language(store, language), caption=caption)
        emit_table(store, table, output, fmt, force, template, table_style)


@export.command("codebook")
@project_argument
@click.option("--codebook", default=None, help="One codebook (default: all).")
@table_output
def export_codebook(project: Path, codebook: str | None, fmt: str | None, output: str, force: bool,
                    caption: str | None, language: str | None, template: str | None,
                    table_style: str | None) -> None:
    """The codebook for an appendix: codes, descriptions, findings, colours, keys, codings.

    \b
    Example:
        qualcode export codebook study.qualcode --format docx -o liite1.docx
    """
    with open_project(project) as store:
        table = codebook_table(store, codebook, language=_language(store, language), caption=caption)
        emit_table(store, table, output, fmt, force, template, table_style)


@export.command("comparison")
@project_argument
@click.option("--framework", required=True, help="The framework codebook (its name or framework, e.g. five-es).")
@click.option("--themes", default=None, help="Only the themes under this code (default: all inductive codes).")
@respondent_options
@table_output
def export_comparison(project: Path, framework: str, themes: str | None, where: tuple[str, ...],
                      label_format: str, fmt: str | None, output: str, force: bool, caption: str | None,
                      language: str | None, template: str | None, table_style: str | None) -> None:
    """Framework comparison: per element its linked themes and their respondents; elements no
    theme reached (missing) and themes that fit no element (candidate new elements).

    \b
    Example:
        qualcode link study.qualcode "Sesongit" "five-es/environment"
        qualcode export comparison study.qualcode --framework five-es --format md
    """
    with open_project(project) as store:
        table = comparison_table(store, framework, caption=caption, themes=themes, where=parse_where(where),
                                 label_format=label_format, language=_language(store, language))
        emit_table(store, table, output, fmt, force, template, table_style)


@export.command("all")
@project_argument
@click.option("-o", "--output", "directory", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the tables (created if missing).")
@click.option("--format", "formats", multiple=True, type=click.Choice(ALL_FORMATS),
              help="Format(s) to write (repeatable; default docx and xlsx).")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option("--language", type=click.Choice(["fi", "en"]), default=None, help="Language of headings.")
@leak_guard_options[0]
@leak_guard_options[1]
def export_all(project: Path, directory: Path, formats: tuple[str, ...], force: bool, language: str | None) -> None:
    """Regenerate every table of the study: a summary per top-level code of each codebook, each
    codebook's matrix and quotes, framework comparisons, frequencies, co-occurrence, codebook.

    \b
    Example:
        qualcode export all study.qualcode -o tables/ --format docx --format xlsx --force
    """
    formats = formats or ("docx", "xlsx")
    with open_project(project) as store:
        total = len(study_tables(store, language=language))
        with progress_bar(total, "Exporting") as advance:
            written = export_study(store, directory, formats, force=force, language=language,
                                   progress=lambda done, name: advance(1, name), **guard_options())
    click.echo(f"Wrote {len(written)} files to {directory}.", err=True)


@click.command("trace")
@project_argument
@click.option("--code", "code_ref", required=True, help="The finding or matrix row.")
@click.option("--respondent", "respondents", multiple=True, help="Only this respondent (repeatable).")
@click.option("--column", default=None, help="Only passages overlapping this code (a two-column summary cell).")
@click.option("--column-key", default=None,
              help="Only this matrix column: respondent:H3, attribute:NAME=VALUE, document:TITLE, round:N.")
@click.option("--no-subcodes", is_flag=True, help="Only codings on the code itself, not below it.")
@click.option("--where", "where", multiple=True, metavar="ATTRIBUTE=VALUE", help="Only these respondents.")
@table_output
def trace(project: Path, code_ref: str, respondents: tuple[str, ...], column: str | None, column_key: str | None,
          no_subcodes: bool, where: tuple[str, ...], fmt: str | None, output: str, force: bool,
          caption: str | None, language: str | None, template: str | None, table_style: str | None) -> None:
    """The audit trail: document, respondent, offsets, line and text of the passages behind a
    finding or a table cell.

    \b
    Example:
        qualcode trace study.qualcode --code "Sesongit" --respondent H3
        qualcode trace study.qualcode --code "Tuote" --column Negatiivinen --format json
    """
    with open_project(project) as store:
        passages = trace_passages(store, code_ref, respondent=list(respondents) or None, column=column,
                                  column_key=column_key, subtree=not no_subcodes, where=parse_where(where))
        table = trace_table(passages, language=_language(store, language), name=f"trace-{code_ref}")
        table.caption = caption
        emit_table(store, table, output, fmt, force, template, table_style)


@click.command("link")
@project_argument
@click.argument("theme")
@click.argument("element")
def link(project: Path, theme: str, element: str) -> None:
    """Link an inductive theme to a framework element (a theme may fit several elements).

    \b
    Example:
        qualcode link study.qualcode "Sesongit" "five-es/environment"
    """
    with open_project(project, write=True) as store:
        theme_code, element_code = store.find_code(theme), store.find_code(element)
        store.link_codes(theme_code.id, element_code.id)
        click.echo(f"Linked {PATH_SEPARATOR.join(store.code_path(theme_code.id))} -> "
                   f"{PATH_SEPARATOR.join(store.code_path(element_code.id))}.")


@click.command("unlink")
@project_argument
@click.argument("theme")
@click.argument("element")
def unlink(project: Path, theme: str, element: str) -> None:
    """Remove the link between a theme and a framework element.

    \b
    Example:
        qualcode unlink study.qualcode "Sesongit" "five-es/environment"
    """
    with open_project(project, write=True) as store:
        theme_code, element_code = store.find_code(theme), store.find_code(element)
        if (theme_code.id, element_code.id) not in set(store.code_links()):
            raise NotFoundError(f"{theme!r} is not linked to {element!r}.")
        store.unlink_codes(theme_code.id, element_code.id)
        click.echo(f"Unlinked {theme!r} from {element!r}.")


@click.command("cell-summary")
@project_argument
@click.option("--code", "code_ref", required=True, help="The matrix row's code.")
@click.option("--column", required=True,
              help="The column: a label under --by (H3, non-profit) or a key (respondent:H3, round:2).")
@click.option("--by", default="respondent", show_default=True,
              help="How the matrix's columns are made: respondent, attribute:NAME, document, round.")
@click.argument("text", required=False)
def cell_summary(project: Path, code_ref: str, column: str, by: str, text: str | None) -> None:
    """Write the summary of one framework-matrix cell (export with `export matrix --cells summary`);
    without TEXT, print the current one; an empty TEXT removes it.

    \b
    Example:
        qualcode cell-summary study.qualcode --code "Asiakkaan tunteet" --column H3 "Luottaa myyjään."
    """
    with open_project(project, write=text is not None) as store:
        code = store.find_code(code_ref)
        key = _column_key(store, by, column)
        if text is None:
            current = store.cell_summary(code.id, key)
            if current is not None:
                click.echo(current)
            return
        store.set_cell_summary(code.id, key, text)
        click.echo(f"Summary of {code.name} / {key} {'saved' if text.strip() else 'removed'}.", err=True)


def _column_key(store, by: str, column: str) -> str:
    scope = respondent_scope(store)
    columns, _documents = column_of_documents(store, by, scope)
    for candidate in columns:
        if column in (candidate.key, candidate.label):
            return candidate.key
    shown = ", ".join(c.label for c in columns) or "none"
    raise NotFoundError(f"No column {column!r} when the columns are by {by}; they are: {shown}.")


def register(cli: click.Group) -> None:
    cli.add_command(export)
    cli.add_command(trace)
    cli.add_command(link)
    cli.add_command(unlink)
    cli.add_command(cell_summary)

