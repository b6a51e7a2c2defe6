"""Import transcripts into a project: read, normalise, find turns and sentences, store.

`import_paths(store, paths)` takes files and folders (searched recursively for supported files).
Each transcript becomes one document stored in one transaction, so a file that fails leaves the
project as it was before that file, and the other files still import. A spreadsheet of short
texts (`.csv`, `.xlsx`) becomes one document per row, all in one transaction.

The heavy part (reading and sentence segmentation) is a pure function, `prepare_document`; with
`workers=N` it runs in N worker processes (started with `spawn`, so a script calling
`import_paths` that way needs the usual `if __name__ == "__main__":` guard). The project is
written by the calling process only. One process imports about 9 million words in about a
minute, two workers on two cores in half that; `qualcode.io.parallel.auto_workers` picks a number
(the CLI uses it). A file whose bytes were imported before (same SHA-256) is skipped unless
`force`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.coding.models import natural_key
from qualcode.errors import InputError, QualcodeError
from qualcode.io.readers import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_EXTENSIONS,
    TABLE_FORMATS,
    check_path,
    read_source,
    supported_list,
)
from qualcode.io.parallel import ordered_map
from qualcode.io.turns import choose_respondent, compile_pattern, detect_turns, with_roles
from qualcode.store import SegmentSpan, TurnSpan

ProgressCallback = Callable[[int, int, str], None]
"""`progress(done, total, file name)`, called after each file."""



@dataclass(frozen=True)
class ImportOptions:
    """Everything that decides how a file is read; picklable, so workers receive it."""

    respondent: str | None = None
    language: str | None = None
    round: int | None = None
    pattern: str | None = None
    interviewer: tuple[str, ...] = ()
    join_hyphens: bool = False
    drop_page_numbers: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    spacy_model: str | None = None
    text_column: str | None = None
    respondent_column: str | None = None


@dataclass
class PreparedDocument:
    path: Path
    text: str
    format: str
    source_hash: str
    original: bytes | None
    language: str
    respondent: str
    turns: list[TurnSpan]
    segments: list[SegmentSpan]
    words: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class FileResult:
    """What happened to one file: `imported`, `skipped` (already in the project) or `failed`."""

    path: Path
    status: str
    message: str | None = None
    title: str | None = None
    document_ids: list[int] = field(default_factory=list)
    respondent: str | None = None
    language: str | None = None
    turns: int = 0
    sentences: int = 0
    words: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)

    def _with(self, status: str) -> list[FileResult]:
        return [f for f in self.files if f.status == status]

    @property
    def imported(self) -> list[FileResult]:
        return self._with("imported")

    @property
    def skipped(self) -> list[FileResult]:
        return self._with("skipped")

    @property
    def failed(self) -> list[FileResult]:
        return self._with("failed")

    @property
    def documents(self) -> int:
        return sum(len(f.document_ids) for f in self.imported)

    @property
    def words(self) -> int:
        return sum(f.words for f in self.imported)


# ---------------------------------------------------------------------------- finding files
def collect_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The files to import: given files, and supported files found in given folders (recursively,
    naturally sorted, hidden files and Office lock files `~$...` left out)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{path} does not exist; check the path (and the spelling of the file name).")
        if path.is_dir():
            found = sorted((p for p in path.rglob("*") if p.is_file() and _wanted(p, path)),
                           key=lambda p: natural_key(str(p.relative_to(path))))
            if not found:
                raise InputError(f"{path} holds no files qualcode can import (supported: {supported_list()}).")
            files.extend(found)
        elif path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            raise InputError(f"{path.name}: files of type {path.suffix or '(no extension)'} cannot be imported. "
                             f"Supported: {supported_list()}. Save the transcript in one of these.")
        else:
            files.append(path)
    unique = list(dict.fromkeys(files))
    return unique


def _wanted(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return (path.suffix.lower() in SUPPORTED_EXTENSIONS and not path.name.startswith("~$")
            and not any(part.startswith(".") for part in parts))


# ---------------------------------------------------------------------------- one document
def prepare_document(path: Path, options: ImportOptions) -> PreparedDocument:
    """Read one transcript and find its language, turns, sentences and respondent (no store)."""
    from qualcode import nlp

    source = read_source(path, max_bytes=options.max_bytes, join_hyphens=options.join_hyphens,
                         drop_page_numbers=options.drop_page_numbers)
    text = source.text
    if source.turns is not None:
        turns = with_roles(source.turns, options.interviewer)
    else:
        turns = detect_turns(text, pattern=options.pattern, interviewer_labels=options.interviewer)
        turns = _drop_heading_preamble(text, turns, source.headings)
    language = options.language or nlp.guess_language(text)
    segments = nlp.segment(text, turns, language, model=options.spacy_model)
    respondent = choose_respondent(turns, path, options.respondent)
    return PreparedDocument(path, text, source.format, source.source_hash, source.original, language, respondent,
                            turns, segments, count_words(text), list(source.warnings))


def count_words(text: str, chunk: int = 1 << 20) -> int:
    """Whitespace-separated words, counted a slice at a time: `len(text.split())` on a 60 MB
    transcript would build millions of strings at once."""
    count = 0
    start = 0
    while start < len(text):
        end = min(len(text), start + chunk)
        while end < len(text) and not text[end].isspace():  # never cut a word in two
            end += 1
        count += len(text[start:end].split())
        start = end
    return count


def _drop_heading_preamble(text: str, turns: list[TurnSpan], headings: Sequence[tuple[int, int]]) -> list[TurnSpan]:
    """A title or heading before the first label is not speech: no `other` turn for it."""
    if not turns or not headings or turns[0].role != "other":
        return turns
    first = turns[0]
    rest = text[first.start:first.end]
    for start, end in reversed(headings):
        if first.start <= start and end <= first.end:
            rest = rest[:start - first.start] + rest[end - first.start:]
    return turns[1:] if not rest.strip() else turns


def _prepare_or_error(item: tuple[Path, ImportOptions]) -> PreparedDocument | QualcodeError:
    try:
        return prepare_document(*item)
    except QualcodeError as error:
        return error


# ---------------------------------------------------------------------------- import
def import_paths(store, paths: Iterable[str | Path], *, respondent: str | None = None, language: str | None = None,
                 round: int | None = None, pattern: str | None = None, interviewer: Iterable[str] | str | None = None,
                 join_hyphens: bool = False, drop_page_numbers: bool = False, force: bool = False,
                 max_bytes: int = DEFAULT_MAX_BYTES, spacy_model: str | None = None, text_column: str | None = None,
                 respondent_column: str | None = None, workers: int | None = None,
                 progress: ProgressCallback | None = None) -> ImportReport:
    """Import files and folders into `store`; returns what happened to each file.

    Raises `InputError` before touching the project when a path does not exist, a file's type is
    not supported or `pattern` is not a usable regular expression; problems with one file's
    contents are reported in its `FileResult` and the other files still import.
    """
    if isinstance(interviewer, str):
        interviewer = (interviewer,)
    if pattern:
        compile_pattern(pattern)
    options = ImportOptions(respondent=respondent, language=language, round=round, pattern=pattern or None,
                            interviewer=tuple(interviewer or ()), join_hyphens=join_hyphens,
                            drop_page_numbers=drop_page_numbers, max_bytes=max_bytes, spacy_model=spacy_model,
                            text_column=text_column, respondent_column=respondent_column)
    files = collect_paths(paths)
    report = ImportReport()
    titles = {doc.title for doc in store.documents()}
    seen: dict[str, str] = {}  # source hash -> file name, within this run
    total = len(files)
    done = 0

    def finish(result: FileResult) -> None:
        nonlocal done
        report.files.append(result)
        done += 1
        if progress is not None:
            progress(done, total, result.path.name)

    pending: list[Path] = []
    for path in files:
        try:
            check_path(path, max_bytes)
            digest = _file_hash(path)
        except QualcodeError as error:
            finish(FileResult(path, "failed", str(error)))
            continue
        duplicate = None if force else _duplicate(store, digest, seen)
        if duplicate:
            finish(FileResult(path, "skipped", f"{path.name} is already imported as {duplicate}; "
                                               "give --force to import it again."))
            continue
        seen[digest] = path.name
        if path.suffix.lower() in TABLE_FORMATS:
            finish(_import_table(store, path, options, titles))
        else:
            pending.append(path)

    for path, prepared in _prepare_all(pending, options, workers):
        if isinstance(prepared, QualcodeError):
            finish(FileResult(path, "failed", str(prepared)))
        else:
            finish(_store_document(store, prepared, options, titles))
    order = {path: index for index, path in enumerate(files)}
    report.files.sort(key=lambda f: order[f.path])
    return report


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _duplicate(store, digest: str, seen: dict[str, str]) -> str | None:
    if digest in seen:
        return f"{seen[digest]} (the same file, in this import)"
    docs = [doc for doc in store.documents_by_hash(digest) if doc.source_hash == digest]
    if not docs:
        return None
    if len(docs) == 1:
        return f'"{docs[0].title}"'
    return f'{len(docs)} documents ("{docs[0].title}", ...)'


def _prepare_all(paths: list[Path], options: ImportOptions,
                 workers: int | None) -> Iterator[tuple[Path, PreparedDocument | QualcodeError]]:
    """Prepared documents in the order of `paths`, from worker processes if asked for."""
    yield from zip(paths, ordered_map(_prepare_or_error, [(path, options) for path in paths], workers or 1))


def _unique_title(stem: str, titles: set[str], round: int | None) -> str:
    candidates = [stem] + ([f"{stem} round {round}"] if round is not None else [])
    for candidate in candidates:
        if candidate not in titles:
            return candidate
    number = 2
    while f"{candidates[-1]} ({number})" in titles:
        number += 1
    return f"{candidates[-1]} ({number})"


def _store_document(store, prepared: PreparedDocument, options: ImportOptions, titles: set[str]) -> FileResult:
    path = prepared.path
    title = _unique_title(path.stem, titles, options.round)
    warnings = list(prepared.warnings)
    if title != path.stem:
        warnings.append(f'a document titled "{path.stem}" exists already; this one is titled "{title}".')
    if not prepared.turns:
        warnings.append("no speaker turns found; give --pattern if the speakers are marked some other way.")
    try:
        doc_id = store.add_document(
            title=title, text=prepared.text, format=prepared.format, language=prepared.language,
            respondent=prepared.respondent, source_name=path.name, source_hash=prepared.source_hash,
            original=prepared.original, round=options.round, turns=prepared.turns, segments=prepared.segments)
    except QualcodeError as error:
        return FileResult(path, "failed", f"{path.name}: {error}")
    titles.add(title)
    return FileResult(path, "imported", title=title, document_ids=[doc_id], respondent=prepared.respondent,
                      language=prepared.language, turns=len(prepared.turns), sentences=len(prepared.segments),
                      words=prepared.words, warnings=warnings)


def _import_table(store, path: Path, options: ImportOptions, titles: set[str]) -> FileResult:
    """One document per spreadsheet row, with the row's attributes on its respondent; all rows in
    one transaction."""
    from qualcode import nlp
    from qualcode.io.attributes import infer_type
    from qualcode.io.rows import read_table

    try:
        table = read_table(path, text_column=options.text_column, respondent_column=options.respondent_column,
                           max_bytes=options.max_bytes)
    except QualcodeError as error:
        return FileResult(path, "failed", str(error))
    language = options.language or nlp.guess_language(" ".join(row.text for row in table.rows[:200]))
    spans = nlp.sentence_spans((row.text for row in table.rows), language, model=options.spacy_model)
    kinds = {name: infer_type([row.attributes.get(name, "") for row in table.rows]) for name in table.attribute_columns}
    ids: list[int] = []
    added: list[str] = []
    sentences = 0
    try:
        with store.action(f"import {path.name}"):
            for row, sentence_spans in zip(table.rows, spans):
                segments = [SegmentSpan(start, end, None) for start, end in sentence_spans]
                sentences += len(segments)
                title = _unique_title(f"{path.stem} row {row.number}", titles, options.round)
                ids.append(store.add_document(
                    title=title, text=row.text, format=table.format, language=language, respondent=row.respondent,
                    source_name=path.name, source_hash=table.source_hash, round=options.round, segments=segments))
                titles.add(title)
                added.append(title)
                for name, value in row.attributes.items():
                    if kinds[name] == "number":
                        value = value.replace(",", ".")
                    store.set_attribute(row.respondent, name, value, kinds[name])
    except QualcodeError as error:
        titles.difference_update(added)  # the transaction rolled these documents back
        return FileResult(path, "failed", f"{path.name}: {error}")
    respondents = sorted({row.respondent for row in table.rows}, key=natural_key)
    return FileResult(path, "imported", title=f"{path.stem} row 1..{table.rows[-1].number}", document_ids=ids,
                      respondent=_summarise(respondents), language=language, sentences=sentences,
                      words=sum(len(row.text.split()) for row in table.rows), warnings=table.warnings)


def _summarise(labels: Sequence[str], limit: int = 3) -> str:
    if len(labels) <= limit:
        return ", ".join(labels)
    return f"{', '.join(labels[:limit])} and {len(labels) - limit} more"

