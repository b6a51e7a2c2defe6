"""`qualcode search`, `index`, `suggest`, `suggestions`, `accept` and `reject`."""

from __future__ import annotations

import time
from pathlib import Path

import click

from qualcode.cli.common import emit, format_option, open_project, progress_bar, project_argument
from qualcode.coding.search import SCOPES, SearchFilters, code_all_results, parse_query, search
from qualcode.coding.suggest import (
    SOURCES,
    DictionarySuggester,
    SpeakerSuggester,
    StructuralSuggester,
    fill_queue,
    framework_code_ids,
    load_guide,
    resolve_code_refs,
    run_suggester,
)
from qualcode.errors import InputError, NotFoundError, ProjectLockedError
from qualcode.frameworks import load_framework
from qualcode.store.codebooks import PATH_SEPARATOR

HIT_COLUMNS = ("document", "respondent", "start", "end", "left", "text", "right")


def _index_with_progress(store) -> int:
    missing = store.unindexed_documents()
    if not missing:
        return 0
    with progress_bar(len(missing), "Indexing") as advance:
        store.ensure_index(progress=lambda done, total, title: advance(1, title))
    return len(missing)


def _attribute(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        name, sep, wanted = value.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--attribute {value!r} should be NAME=VALUE, e.g. --attribute role=buyer.")
        pairs.append((name.strip(), wanted.strip()))
    return tuple(pairs)


@click.command("search")
@project_argument
@click.argument("query")
@click.option("--lemma/--exact", "lemma", default=True, show_default=True,
              help="Match base forms (asiakas finds asiakkaiden) or the written form.")
@click.option("--regex", is_flag=True, help="QUERY is a Python regular expression (case-insensitive).")
@click.option("--respondent", "respondents", multiple=True, help="Only this respondent's documents (repeatable).")
@click.option("--attribute", "attributes", multiple=True, metavar="NAME=VALUE",
              help="Only respondents with this attribute value (repeatable; all must hold).")
@click.option("--code", "code_ref", default=None, help="Only inside passages coded with this code (or its children).")
@click.option("--respondent-turns-only", is_flag=True, help="Skip the interviewer's turns.")
@click.option("--limit", type=int, default=None, help="At most this many hits.")
@click.option("--context", type=int, default=40, show_default=True, help="Characters of context each side.")
@click.option("--code-all", "code_all", default=None, metavar="CODE",
              help="Code every hit with CODE, as one undoable action.")
@click.option("--scope", type=click.Choice(SCOPES), default="segment", show_default=True,
              help="With --code-all: code the match, its sentence, or its whole turn.")
@format_option
def search_command(project: Path, query: str, lemma: bool, regex: bool, respondents: tuple[str, ...],
                   attributes: tuple[str, ...], code_ref: str | None, respondent_turns_only: bool, limit: int | None,
                   context: int, code_all: str | None, scope: str, fmt: str) -> None:
    """Search the transcripts for a word, a phrase (several words in a row) or a regex.

    Words match by base form unless --exact, so `asiakas` finds asiakkaiden and asiakkaille;
    `tilau*` is a prefix; `tilaus OR toimitus` finds either. Prints keyword-in-context hits with
    offsets into the stored text.

    \b
    Example:
        qualcode search study.qualcode asiakas --respondent-turns-only --format json
        qualcode search study.qualcode "toimitus* myöhässä" --code-all "Toimitusongelmat"
    """
    parsed = parse_query(query, mode="regex" if regex else ("lemma" if lemma else "exact"))
    with open_project(project) as store:
        stale = bool(store.unindexed_documents())
    if stale or code_all:
        try:
            with open_project(project, write=True) as store:
                _index_with_progress(store)
                hits, coded = _search(store, parsed, respondents, attributes, code_ref, respondent_turns_only,
                                      limit, context, code_all, scope)
        except ProjectLockedError:
            if code_all:
                raise
            with open_project(project) as store:  # another window writes: search unindexed documents directly
                hits, coded = _search(store, parsed, respondents, attributes, code_ref, respondent_turns_only,
                                      limit, context, None, scope)
    else:
        with open_project(project) as store:
            hits, coded = _search(store, parsed, respondents, attributes, code_ref, respondent_turns_only,
                                  limit, context, None, scope)
    records = [hit.to_json() for hit in hits]
    if fmt == "table":  # one line per hit
        for record in records:
            for key in ("left", "right", "text"):
                record[key] = " ".join(record[key].split())
    emit(records, fmt, columns=HIT_COLUMNS)
    if code_all:
        click.echo(f"Coded {len(coded)} passages with {code_all} (undo with `qualcode undo`).", err=True)


def _search(store, parsed, respondents, attributes, code_ref, respondent_turns_only, limit, context, code_all, scope):
    code_ids = (store.find_code(code_ref).id,) if code_ref else ()
    filters = SearchFilters(respondent_turns_only=respondent_turns_only, respondents=tuple(respondents),
                            attributes=_attribute(attributes), code_ids=code_ids)
    hits = search(store, parsed, filters=filters, limit=limit, context=context)
    coded: list[int] = []
    if code_all:
        code_id = store.find_code(code_all).id
        coded = code_all_results(store, hits, code_id, scope=scope, query=parsed.text)
    return hits, coded


@click.command("index")
@project_argument
@click.option("--rebuild", is_flag=True, help="Throw the index away and build it again.")
def index_command(project: Path, rebuild: bool) -> None:
    """Build (or bring up to date) the search index; search does this by itself when needed.

    \b
    Example:
        qualcode index study.qualcode --rebuild
    """
    started = time.perf_counter()
    with open_project(project, write=True) as store:
        if rebuild:
            total = len(store.search_document_meta())
            with progress_bar(total, "Indexing") as advance:
                count = store.rebuild_index(progress=lambda done, total, title: advance(1, title))
        else:
            count = _index_with_progress(store)
        stats = store.index_stats()
    click.echo(f"Indexed {count} documents in {time.perf_counter() - started:.1f} s; the index holds "
               f"{stats['documents']} documents, {stats['words']} words.")


@click.command("suggest")
@project_argument
@click.option("--framework", default=None, help="Framework whose indicators to match (dictionary source).")
@click.option("--source", "sources", multiple=True, type=click.Choice(SOURCES),
              help="Which suggester(s) to run (default: those whose options are given).")
@click.option("--guide", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Interview guide YAML for structural suggestions (e.g. corpora/guide.yaml).")
@click.option("--speaker", default=None, help="Speaker label (or respondent) for speaker suggestions.")
@click.option("--code", "code_ref", default=None, help="The code for speaker suggestions.")
@click.option("--document", "documents", multiple=True, help="Only these documents (title, id or respondent).")
@click.option("--text", default=None, help="Score this text against --framework; nothing is stored.")
@click.option("--language", default=None, help="Language of --text (default: guessed from the text).")
@format_option
def suggest_command(project: Path, framework: str | None, sources: tuple[str, ...], guide: Path | None,
                    speaker: str | None, code_ref: str | None, documents: tuple[str, ...], text: str | None,
                    language: str | None, fmt: str) -> None:
    """Fill the review queue with suggested codings and print what was added.

    Sources: `dictionary` (the framework's indicator words in respondents' sentences),
    `structural` (answers get the codes of the guide question before them), `speaker` (all turns
    of --speaker to --code). Nothing is coded until you accept. Rejected suggestions are never
    suggested again. With --text, scores a free text and prints the codes ranked, storing nothing.

    \b
    Example:
        qualcode suggest study.qualcode --framework five-es --guide corpora/guide.yaml
        qualcode suggest study.qualcode --text "Toimitus oli taas myöhässä" --framework five-es --format json
    """
    if text is not None:
        _score_text(project, framework, text, language, fmt)
        return
    chosen = list(sources) or [s for s, given in (("dictionary", framework), ("structural", guide),
                                                  ("speaker", speaker)) if given]
    if not chosen:
        raise InputError("Say what to suggest from: --framework NAME (dictionary), --guide FILE (structural) "
                         "or --speaker LABEL --code NAME (speaker).")
    with open_project(project, write=True) as store:
        doc_ids = [store.document(ref).id for ref in documents] or None
        added = []
        for source in chosen:
            suggester, code_ids = _suggester(store, source, framework, guide, speaker, code_ref)
            found = run_suggester(store, suggester, code_ids, documents=doc_ids)
            added += fill_queue(store, found, description=f"suggest codings ({source})")
        records = _suggestion_records(store, added)
    emit(records, fmt, json_value=records, columns=SUGGESTION_COLUMNS)
    click.echo(f"Added {len(records)} suggestions to the review queue; accept or reject them with "
               "`qualcode accept` / `qualcode reject` or in the workbench.", err=True)


def _suggester(store, source, framework, guide, speaker, code_ref):
    if source == "dictionary":
        if not framework:
            raise InputError("Dictionary suggestions need --framework NAME (e.g. five-es).")
        suggester = DictionarySuggester(framework)
        code_ids = {p: i for p, i in framework_code_ids(store, suggester.framework.name).items()
                    if p in suggester.targets}
        return suggester, code_ids
    if source == "structural":
        if guide is None:
            raise InputError("Structural suggestions need --guide FILE (the interview guide, e.g. corpora/guide.yaml).")
        suggester = StructuralSuggester(load_guide(guide))
        code_ids, missing = resolve_code_refs(store, suggester.code_refs())
        if missing:
            click.echo(f"Skipping guide codes not in the project: {', '.join(missing)}", err=True)
        return suggester, code_ids
    if not speaker or not code_ref:
        raise InputError("Speaker suggestions need --speaker LABEL and --code NAME.")
    return SpeakerSuggester(speaker, store.find_code(code_ref).id), {}


def _score_text(project: Path, framework: str | None, text: str, language: str | None, fmt: str) -> None:
    if not framework:
        raise InputError("Scoring a text needs --framework NAME (e.g. five-es).")
    suggester = DictionarySuggester(load_framework(framework))
    if language is None:
        from qualcode.nlp import guess_language

        language = guess_language(text)
    with open_project(project) as store:
        try:
            project_codes = framework_code_ids(store, suggester.framework.name)
        except NotFoundError:  # the project has not adopted the framework: name codes by its labels
            project_codes = {}
        records = []
        for scored in suggester.score_text(text, language):
            if scored.path in project_codes:
                names = store.code_path(project_codes[scored.path])
            else:
                names = _framework_names(suggester, scored.path, language)
            records.append({"code": names[-1], "path": names[:-1], "score": round(scored.score, 4)})
    if fmt == "json":
        emit(records, fmt, json_value=records)
    else:
        emit([{**r, "path": PATH_SEPARATOR.join(r["path"])} for r in records], fmt, columns=("code", "path", "score"))


def _framework_names(suggester, path: str, language: str) -> list[str]:
    names, parts = [], path.split("/")
    for depth in range(2, len(parts) + 1):
        code = suggester.codes["/".join(parts[:depth])]
        names.append(code.label.get(language) or code.label["en"])
    return names


SUGGESTION_COLUMNS = ("id", "status", "source", "score", "document", "respondent", "code", "start", "end",
                      "text", "reason")


def _suggestion_records(store, items) -> list[dict]:
    titles = {d.id: (d.title, d.respondent) for d in store.documents()}
    texts: dict[int, str] = {}
    records = []
    for item in items:
        if item.document_id not in texts:
            texts[item.document_id] = store.document_text(item.document_id)
        passage = " ".join(texts[item.document_id][item.start:item.end].split())
        title, respondent = titles[item.document_id]
        records.append({"id": item.id, "status": item.status, "source": item.source, "score": item.score,
                        "document": title, "respondent": respondent,
                        "code": PATH_SEPARATOR.join(store.code_path(item.code_id)), "start": item.start,
                        "end": item.end, "text": passage, "reason": item.reason})
    return records


@click.command("suggestions")
@project_argument
@click.option("--status", type=click.Choice(["pending", "accepted", "rejected", "all"]), default="pending",
              show_default=True)
@click.option("--source", type=click.Choice(SOURCES), default=None)
@click.option("--code", "code_ref", default=None, help="Only suggestions of this code.")
@click.option("--document", default=None, help="Only this document (title, id or respondent).")
@format_option
def suggestions_command(project: Path, status: str, source: str | None, code_ref: str | None,
                        document: str | None, fmt: str) -> None:
    """List the review queue of suggested codings.

    \b
    Example:
        qualcode suggestions study.qualcode --source dictionary --format csv
    """
    with open_project(project) as store:
        items = store.suggestions(status=None if status == "all" else status, source=source,
                                  code_ids=[store.find_code(code_ref).id] if code_ref else None,
                                  document_id=store.document(document).id if document else None)
        records = _suggestion_records(store, items)
    emit(records, fmt, json_value=records, columns=SUGGESTION_COLUMNS)


def _decision_ids(store, ids: tuple[int, ...], every: bool, source: str | None, code_ref: str | None) -> list[int]:
    if ids and every:
        raise InputError("Give suggestion ids or --all, not both.")
    if not ids and not every:
        raise InputError("Give the ids of the suggestions (see `qualcode suggestions PROJECT`), or --all with "
                         "--source/--code to decide a whole kind at once.")
    if ids:
        for suggestion_id in ids:
            store.suggestion(suggestion_id)
        return list(ids)
    code_ids = [store.find_code(code_ref).id] if code_ref else None
    return [s.id for s in store.suggestions(status="pending", source=source, code_ids=code_ids)]


@click.command("accept")
@project_argument
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "every", is_flag=True, help="Accept every pending suggestion of the kind given.")
@click.option("--source", type=click.Choice(SOURCES), default=None, help="With --all: only this source.")
@click.option("--code", "code_ref", default=None, help="With --all: only this code.")
def accept_command(project: Path, ids: tuple[int, ...], every: bool, source: str | None, code_ref: str | None) -> None:
    """Accept suggestions: each becomes a coding (one undoable action for all of them).

    \b
    Example:
        qualcode accept study.qualcode 12 13 17
        qualcode accept study.qualcode --all --source structural --code five-es/environment
    """
    with open_project(project, write=True) as store:
        chosen = _decision_ids(store, ids, every, source, code_ref)
        codings = store.accept_suggestions(chosen) if chosen else []
    click.echo(f"Accepted {len(chosen)} suggestions ({len(set(codings))} codings).")


@click.command("reject")
@project_argument
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "every", is_flag=True, help="Reject every pending suggestion of the kind given.")
@click.option("--source", type=click.Choice(SOURCES), default=None, help="With --all: only this source.")
@click.option("--code", "code_ref", default=None, help="With --all: only this code.")
def reject_command(project: Path, ids: tuple[int, ...], every: bool, source: str | None, code_ref: str | None) -> None:
    """Reject suggestions; they will not be suggested again.

    \b
    Example:
        qualcode reject study.qualcode 14 15
    """
    with open_project(project, write=True) as store:
        chosen = _decision_ids(store, ids, every, source, code_ref)
        count = store.reject_suggestions(chosen) if chosen else 0
    click.echo(f"Rejected {count} suggestions.")


def register(cli: click.Group) -> None:
    for command in (search_command, index_command, suggest_command, suggestions_command, accept_command,
                    reject_command):
        cli.add_command(command)
