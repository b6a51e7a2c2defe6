"""Project commands: init, info, documents, respondents, show, history, undo, redo."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import coder_option, emit, format_option, open_project, project_argument
from qualcode.errors import ProjectError
from qualcode.io.attributes import import_attributes


@click.command()
@project_argument
@coder_option
def init(project: Path, coder: str | None) -> None:
    """Create a new, empty project file.

    \b
    Example:
        qualcode init study.qualcode --coder anna
    """
    if project.exists() and project.stat().st_size > 0:
        raise ProjectError(f"{project} already exists; choose another name or open it with `qualcode info {project}`.")
    with open_project(project, write=True, create=True, coder=coder) as store:
        if coder:
            store.set_setting("coder", coder)
    click.echo(f"Created {project}")


@click.command()
@project_argument
@format_option
def info(project: Path, fmt: str) -> None:
    """Counts of documents, respondents, turns, segments, codes and codings.

    \b
    Example:
        qualcode info study.qualcode --format json
    """
    with open_project(project) as store:
        counts = store.counts()
    if fmt == "json":
        emit([], fmt, json_value=counts)
    else:
        emit([{"what": k, "count": v} for k, v in counts.items()], fmt)


@click.command()
@project_argument
@format_option
def documents(project: Path, fmt: str) -> None:
    """List the documents with respondent, language, format, round and size.

    \b
    Example:
        qualcode documents study.qualcode --format csv
    """
    with open_project(project) as store:
        records = []
        for doc in store.documents():
            records.append({"id": doc.id, "title": doc.title, "respondent": doc.respondent, "language": doc.language,
                            "format": doc.format, "round": doc.round, "characters": doc.length,
                            "turns": len(store.turns(doc.id)), "codings": len(store.codings(document_id=doc.id)),
                            "source": doc.source_name, "imported": doc.imported_at})
    emit(records, fmt, json_value={"documents": records} if fmt == "json" else None)


@click.command()
@project_argument
@format_option
@click.option("--import", "attributes_csv", type=click.Path(dir_okay=False, path_type=Path),
              help="A CSV with a respondent column and one column per attribute.")
def respondents(project: Path, fmt: str, attributes_csv: Path | None) -> None:
    """List respondents (naturally sorted) with their attributes, or import attributes from a CSV.

    \b
    Example:
        qualcode respondents study.qualcode --import corpora/respondents.csv
    """
    with open_project(project, write=attributes_csv is not None) as store:
        if attributes_csv is not None:
            result = import_attributes(store, attributes_csv)
            types = ", ".join(f"{n} ({t})" for n, t in result.attributes.items())
            click.echo(f"Set {len(result.attributes)} attributes on {len(result.respondents)} respondents: {types}",
                       err=True)
        names = list(store.attribute_types())
        counts = _document_counts(store)
        records = [{"respondent": r.label, "documents": counts.get(r.label, 0),
                    **{n: r.attributes.get(n) for n in names}} for r in store.respondents()]
    emit(records, fmt, json_value={"respondents": records} if fmt == "json" else None,
         columns=["respondent", "documents", *names])


def _document_counts(store) -> dict[str, int]:
    counts: dict[str, int] = {}
    for doc in store.documents():
        if doc.respondent:
            counts[doc.respondent] = counts.get(doc.respondent, 0) + 1
    return counts


@click.command()
@project_argument
@click.argument("document")
@format_option
def show(project: Path, document: str, fmt: str) -> None:
    """Show a transcript with its speaker turns (DOCUMENT is a title, id or respondent label).

    \b
    Example:
        qualcode show study.qualcode H3
    """
    with open_project(project) as store:
        doc = store.document(document)
        text = store.document_text(doc.id)
        turns = store.turns(doc.id)
        segment_counts: dict[int | None, int] = {}
        for segment in store.segments(doc.id):
            segment_counts[segment.turn_id] = segment_counts.get(segment.turn_id, 0) + 1
    records = [{"turn": t.index + 1, "speaker": t.speaker, "role": t.role, "start": t.start, "end": t.end,
                "timestamp": t.timestamp, "sentences": segment_counts.get(t.id, 0), "text": text[t.start:t.end]}
               for t in turns]
    if fmt == "table":
        click.echo(f"{doc.title}  respondent {doc.respondent or '-'}  language {doc.language}  "
                   f"{len(turns)} turns")
        click.echo("")
        for record in records:
            stamp = f"[{record['timestamp']}] " if record["timestamp"] else ""
            marker = "  " if record["role"] == "interviewer" else "> "
            click.echo(f"{marker}{stamp}{record['speaker']}: {record['text']}")
            click.echo("")
    else:
        emit(records, fmt, json_value={"document": doc.title, "respondent": doc.respondent, "turns": records}
             if fmt == "json" else None)


@click.command()
@project_argument
@click.option("--limit", default=30, show_default=True)
@format_option
def history(project: Path, limit: int, fmt: str) -> None:
    """The audit log: who changed what and when, newest first.

    \b
    Example:
        qualcode history study.qualcode --limit 10
    """
    with open_project(project) as store:
        rows = store.history(limit)
    emit(rows, fmt)


@click.command()
@project_argument
def undo(project: Path) -> None:
    """Undo the latest coding, memo or codebook change (also one made in the TUI).

    \b
    Example:
        qualcode undo study.qualcode
    """
    with open_project(project, write=True) as store:
        done = store.undo()
    click.echo(f"Undid: {done}" if done else "Nothing to undo.")


@click.command()
@project_argument
def redo(project: Path) -> None:
    """Redo the most recently undone action.

    \b
    Example:
        qualcode redo study.qualcode
    """
    with open_project(project, write=True) as store:
        done = store.redo()
    click.echo(f"Redid: {done}" if done else "Nothing to redo.")


def register(cli: click.Group) -> None:
    for command in (init, info, documents, respondents, show, history, undo, redo):
        cli.add_command(command)
