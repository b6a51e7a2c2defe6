"""Confidentiality and durability commands: check-leaks, pseudonymise, suggest-names,
backup, restore and check."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import emit, format_option, open_project, project_argument
from qualcode.errors import InputError, ProjectError
from qualcode.privacy.leaks import NAMES_SETTING, find_leaks, leaks_as_json, project_names, remember_names, summary
from qualcode.privacy.names import read_names
from qualcode.store.backup import check_project, find_backup, list_backups, make_backup, restore_backup

names_option = click.option("--names", "names_path", type=click.Path(dir_okay=False, path_type=Path),
                            help="A CSV of real,pseudonym rows (default: the list the project remembers).")


@click.command("check-leaks")
@project_argument
@names_option
@click.option("--export", "exports", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="An exported file to scan too (csv, xlsx, docx, md, tex, html, json, txt, qdpx); repeatable.")
@click.option("--skip-history", is_flag=True, help="Do not scan the history kept for undo.")
@click.option("--remember", is_flag=True, help="Remember the names list in the project, so `export` refuses "
              "files that hold a listed name.")
@format_option
@click.pass_context
def check_leaks(ctx: click.Context, project: Path, names_path: Path | None, exports: tuple[Path, ...],
                skip_history: bool, remember: bool, fmt: str) -> None:
    """Find every listed real name, in any inflected form, in the project and exported files.

    Scans document texts and titles, speaker labels, memos, code names, descriptions and
    findings, coding memos, settings, respondents, the history kept for undo and the imported
    original files. Exits with status 1 when a name is found, 0 when none is.

    \b
    Example:
        qualcode check-leaks study-pseudo.qualcode --names names.csv --export tables/summary.xlsx --format json
    """
    if remember and names_path is None:
        raise InputError("--remember needs the names list: give --names names.csv.")
    with open_project(project, write=remember) as store:
        names = _names(store, names_path)
        if remember:
            remember_names(store, names_path)  # type: ignore[arg-type]
            click.echo(f"Exports of {project} now refuse files holding a name from {names_path}.", err=True)
        leaks = find_leaks(store, names, exports=exports, history=not skip_history)
    if fmt == "json":
        click.echo(leaks_as_json(leaks))
    else:
        emit([leak.to_json() for leak in leaks], fmt, columns=["name", "where", "document", "start", "end", "context"])
    if leaks:
        counts = ", ".join(f"{name} {count}" for name, count in summary(leaks).items())
        click.echo(f"{len(leaks)} occurrences of listed names found: {counts}.", err=True)
        ctx.exit(1)
    click.echo(f"No listed name found ({len(names)} names checked).", err=True)


@click.command("pseudonymise")
@project_argument
@click.option("--names", "names_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A CSV of real,pseudonym rows, e.g. `Liisa Porkka,Myyjä A`.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The new, pseudonymised project file.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
def pseudonymise(project: Path, names_path: Path, output: Path, force: bool) -> None:
    """Write a copy of the project with every listed name replaced, in every inflected form.

    Finnish case endings are kept after a letter or number pseudonym (Porkalle -> Myyjä A:lle).
    Every coding, turn and segment is moved with its text and checked; the copy drops the
    imported original files and the undo history, and remembers the names list so its
    exports are checked. The project itself is not changed and may stay open in the TUI.

    \b
    Example:
        qualcode pseudonymise study.qualcode --names names.csv -o study-pseudo.qualcode
    """
    from qualcode.privacy.pseudonymise import pseudonymise_project

    if not project.is_file():
        raise ProjectError(f"No project at {project}.")
    report = pseudonymise_project(project, output, names_path, force=force, progress=lambda message: click.echo(f"{message}…", err=True))
    for line in report.lines():
        click.echo(line)


@click.command("suggest-names")
@project_argument
@names_option
@click.option("--model", default=None, help="The spaCy pipeline to use (default: every installed one with ner).")
@format_option
def suggest_names_command(project: Path, names_path: Path | None, model: str | None, fmt: str) -> None:
    """Suggest names for the names list with spaCy's entity recogniser (needs a pipeline with
    `ner`, which qualcode does not install by default). Listed names are left out.

    \b
    Example:
        qualcode suggest-names study.qualcode --names names.csv --model fi_core_news_sm
    """
    from qualcode.privacy.suggest import suggest_names

    with open_project(project) as store:
        known = read_names(names_path) if names_path else _remembered(store)
        suggestions = suggest_names(store, model=model, known=known)
    records = [{"text": s.text, "label": s.label, "count": s.count, "documents": ", ".join(s.documents)}
               for s in suggestions]
    emit(records, fmt, columns=["text", "label", "count", "documents"])


@click.command("backup")
@project_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the backup here instead of the project's backup folder.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
def backup_command(project: Path, output: Path | None, force: bool) -> None:
    """Back up a project now (works while the TUI has it open).

    Without -o the backup goes to PROJECT.backups/ and is kept until you delete it; automatic
    backups (on open and every 10 minutes) are kept there too, the last 10 of them.

    \b
    Example:
        qualcode backup study.qualcode
    """
    from qualcode.store.backup import backup

    if not project.is_file():
        raise ProjectError(f"No project at {project}.")
    if output is not None:
        if output.exists() and not force:
            raise ProjectError(f"{output} already exists; give another path, or --force to replace it.")
        path = backup(project, output)
    else:
        path = make_backup(project, kind="manual")
    click.echo(str(path))


@click.command("restore")
@project_argument
@click.argument("backup", required=False)
@format_option
def restore(project: Path, backup: str | None, fmt: str) -> None:
    """List a project's backups, or restore one (by number, file name, path or `latest`).

    Restoring is refused while the project is open for writing (close the TUI first). The
    project as it was is kept as a `before-restore` backup, so a restore can be undone.

    \b
    Example:
        qualcode restore study.qualcode
        qualcode restore study.qualcode 2
    """
    if backup is None:
        records = [{"number": number, "backup": info.name, "created": info.created.strftime("%Y-%m-%d %H:%M:%S"),
                    "kind": info.kind, "size": info.size}
                   for number, info in enumerate(list_backups(project), start=1)]
        if not records and fmt == "table":
            click.echo(f"No backups of {project} yet; make one with `qualcode backup {project}`.", err=True)
            return
        emit(records, fmt, columns=["number", "backup", "created", "kind", "size"])
        return
    chosen = find_backup(project, backup)
    saved = restore_backup(project, chosen)
    click.echo(f"Restored {project} from {chosen.name}.")
    if saved is not None:
        click.echo(f"The project as it was is kept as {saved}.")


@click.command("check")
@project_argument
@format_option
@click.pass_context
def check(ctx: click.Context, project: Path, fmt: str) -> None:
    """Verify a project: SQLite integrity, foreign keys, schema version, and that every
    coding, turn and segment lies inside its document. Exits with status 1 on a problem.

    \b
    Example:
        qualcode check study.qualcode
    """
    report = check_project(project)
    if fmt == "json":
        emit([], fmt, json_value={"project": str(project), "ok": report.ok, "problems": report.problems,
                                  "notes": report.notes, "schema_version": report.schema_version,
                                  "counts": report.counts})
    else:
        records = [{"status": "problem", "detail": p} for p in report.problems]
        records += [{"status": "note", "detail": n} for n in report.notes]
        if report.ok:
            counts = ", ".join(f"{v} {k}" for k, v in report.counts.items())
            records.insert(0, {"status": "ok", "detail": f"schema {report.schema_version}; {counts}"})
        emit(records, fmt, columns=["status", "detail"])
    if not report.ok:
        click.echo(f"{project} has problems; restore a backup with `qualcode restore {project}`.", err=True)
        ctx.exit(1)


def _names(store, names_path: Path | None):
    if names_path is not None:
        return read_names(names_path)
    remembered = _remembered(store)
    if not remembered:
        raise InputError("Give the names list with --names names.csv (a CSV of real,pseudonym rows); this project "
                         f"remembers none (setting {NAMES_SETTING}).")
    return remembered


def _remembered(store):
    return project_names(store) or []


def register(cli: click.Group) -> None:
    for command in (check_leaks, pseudonymise, suggest_names_command, backup_command, restore, check):
        cli.add_command(command)
