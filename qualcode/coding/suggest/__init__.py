"""Coding suggestions from three sources, reviewed in a queue before anything is coded.

- `DictionarySuggester`: a framework's indicator lemmas in sentence segments, scored;
- `StructuralSuggester`: answers get the codes of the interview-guide question before them;
- `SpeakerSuggester`: all turns of a speaker to one code.

Each suggester's `suggest(store, doc_id, code_ids)` returns `Suggestion`s without touching the
project; `fill_queue` puts them in the review queue (`store.add_suggestions`), from which
`store.accept_suggestions` / `reject_suggestions` / `adjust_suggestion` decide.

    >>> suggester = DictionarySuggester("five-es")
    >>> [s.path for s in suggester.score_text("Toimitus oli nopea ja asiointi helppoa.", "fi")][:1]
    ['five-es/experience']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from qualcode.coding.suggest.dictionary import DictionarySettings, DictionarySuggester
from qualcode.coding.suggest.model import SOURCES, STATUSES, CodeScore, QueuedSuggestion, Suggestion
from qualcode.coding.suggest.structural import Guide, SpeakerSuggester, StructuralSuggester, load_guide
from qualcode.errors import NotFoundError, QualcodeError


def framework_code_ids(store: Any, framework: str) -> dict[str, int]:
    """Framework path -> code id for the framework's codes in the project (first copy wins)."""
    prefix = framework + "/"
    result: dict[str, int] = {}
    for code in store.codes():
        if code.framework_path and code.framework_path.startswith(prefix):
            result.setdefault(code.framework_path, code.id)
    if not result:
        raise NotFoundError(f"The project has no codes of the {framework} framework; add them with "
                            f"`qualcode frameworks use PROJECT {framework}`.")
    return result


def resolve_code_refs(store: Any, refs: Iterable[str]) -> tuple[dict[str, int], list[str]]:
    """Code references (framework paths, names, 'A > B' paths) -> code ids, and those not found."""
    found: dict[str, int] = {}
    missing: list[str] = []
    for ref in refs:
        try:
            found[ref] = store.find_code(ref).id
        except QualcodeError:
            missing.append(ref)
    return found, missing


def run_suggester(store: Any, suggester: Any, code_ids: dict[str, int], *,
                  documents: Sequence[int] | None = None,
                  progress: Callable[[int, int, str], None] | None = None) -> list[Suggestion]:
    """Run one suggester over documents (default: all); nothing is stored."""
    doc_ids = list(documents) if documents is not None else [d.id for d in store.documents()]
    result: list[Suggestion] = []
    for done, doc_id in enumerate(doc_ids, start=1):
        result.extend(suggester.suggest(store, doc_id, code_ids))
        if progress is not None:
            progress(done, len(doc_ids), store.document(doc_id).title)
    return result


def fill_queue(store: Any, suggestions: Iterable[Suggestion], *, description: str = "suggest codings",
               skip_coded: bool = True) -> list[QueuedSuggestion]:
    """Add suggestions to the review queue as one action; returns those actually added."""
    ids = store.add_suggestions(suggestions, description=description, skip_coded=skip_coded)
    return store.suggestions(ids=ids) if ids else []


__all__ = [
    "SOURCES", "STATUSES", "CodeScore", "DictionarySettings", "DictionarySuggester", "Guide", "QueuedSuggestion",
    "SpeakerSuggester", "StructuralSuggester", "Suggestion", "fill_queue", "framework_code_ids", "load_guide",
    "resolve_code_refs", "run_suggester",
]
