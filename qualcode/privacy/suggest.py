"""Name suggestions from spaCy's entity recogniser, to help write the names list.

Optional: it works only when an installed spaCy pipeline has an `ner` component, and qualcode
installs none by default (its NLP needs only tokenisation and lemmas). Without one,
`suggest_names` raises `NerUnavailableError` saying how to get one; pseudonymisation and the
leak check never need it. Suggestions are candidates for a human to judge, never applied.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.privacy.matching import NameMatcher

NAME_LABELS = frozenset({"PERSON", "PER", "ORG", "GPE", "LOC", "FAC", "PRODUCT"})
NO_NER_MESSAGE = (
    "No spaCy pipeline with an entity recogniser (ner) is installed, so qualcode cannot suggest names; "
    "none is installed by default. Install one, e.g. `python -m spacy download fi_core_news_sm` (Finnish) "
    "or `en_core_web_sm` (English), or write the names list by hand: pseudonymisation and the leak check "
    "work without it.")


class NerUnavailableError(QualcodeError):
    """No installed spaCy pipeline can recognise names."""


@dataclass(frozen=True)
class NameSuggestion:
    text: str
    label: str  # spaCy's entity label: PERSON, ORG, GPE...
    count: int
    documents: tuple[str, ...]


def ner_pipelines() -> dict[str, str]:
    """Installed spaCy pipeline packages with an `ner` component: name -> language.

    Read from the packages' meta.json, so spaCy itself is not imported.
    """
    found: dict[str, str] = {}
    for entry in importlib.metadata.entry_points(group="spacy_models"):
        meta = _meta(entry.name)
        if meta and "ner" in (meta.get("pipeline") or meta.get("components") or []):
            found[entry.name] = meta.get("lang", "")
    return found


def suggest_names(store, *, model: str | None = None, nlp=None, known=None,
                  labels=NAME_LABELS) -> list[NameSuggestion]:
    """Entities in the documents that look like names and are not on the list yet, most
    frequent first. `nlp` (a loaded pipeline) overrides the installed ones, `model` picks one."""
    pipelines = {"*": nlp} if nlp is not None else _load_pipelines(model)
    matcher = NameMatcher(known) if known else None
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for doc in store.documents():
        pipeline = pipelines.get("*") or pipelines.get(doc.language)
        if pipeline is None:
            continue
        for entity in pipeline(store.document_text(doc.id)).ents:
            text = " ".join(entity.text.split())
            if entity.label_ not in labels or len(text) < 2:
                continue
            if matcher is not None and matcher.find(text):
                continue
            found[(text, entity.label_)].append(doc.title)
    suggestions = [NameSuggestion(text, label, len(titles), tuple(dict.fromkeys(titles)))
                   for (text, label), titles in found.items()]
    return sorted(suggestions, key=lambda s: (-s.count, s.text.casefold()))


def _load_pipelines(model: str | None) -> dict[str, object]:
    available = ner_pipelines()
    if model is not None:
        if model not in available:
            raise NerUnavailableError(f"{model} is not an installed spaCy pipeline with an entity recogniser. "
                                      + (f"Installed ones: {', '.join(sorted(available))}." if available
                                         else NO_NER_MESSAGE))
        available = {model: available[model]}
    if not available:
        raise NerUnavailableError(NO_NER_MESSAGE)
    import spacy

    by_language: dict[str, object] = {}
    for name, language in sorted(available.items()):
        if language not in by_language:
            by_language[language] = spacy.load(name, exclude=["parser", "lemmatizer", "senter"])
    return by_language


def _meta(package: str) -> dict | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        for candidate in (Path(location) / "meta.json", *Path(location).glob("*/meta.json")):
            try:
                return json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
    return None
