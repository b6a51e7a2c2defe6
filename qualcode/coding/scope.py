"""What every table shares: which respondents count, how they are labelled, which codes are
meant, and the few fixed words a table prints in Finnish or English."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from qualcode.coding.codetree import CodeTree
from qualcode.coding.models import Code, natural_key
from qualcode.errors import NotFoundError

Where = Mapping[str, "str | Sequence[str]"]

WORDS: dict[str, dict[str, str]] = {
    "en": {"code": "Code", "total": "Total", "coverage": "Coverage", "of": "{n} of {total} respondents",
           "respondents": "Respondents", "theme": "Theme", "finding": "Finding", "dimension": "Dimension",
           "quote": "Quote", "respondent": "Respondent", "element": "Element", "themes": "Themes",
           "status": "Status", "reached": "reached", "missing": "missing", "no element": "fits no element",
           "codings": "Codings", "with subcodes": "With subcodes", "documents": "Documents", "words": "Words",
           "description": "Description", "colour": "Colour", "key": "Key", "framework": "Framework path",
           "codebook": "Codebook", "round": "Round {n}", "no round": "No round", "no value": "(no value)",
           "document": "Document", "line": "Line", "start": "Start", "end": "End", "text": "Text",
           "coder": "Coder", "presence": "✓ = coded for the respondent or group."},
    "fi": {"code": "Koodi", "total": "Yhteensä", "coverage": "Kattavuus", "of": "{n}/{total} haastateltavaa",
           "respondents": "Haastateltavat", "theme": "Teema", "finding": "Havainto", "dimension": "Ulottuvuus",
           "quote": "Lainaus", "respondent": "Haastateltava", "element": "Elementti", "themes": "Teemat",
           "status": "Tila", "reached": "tavoitettu", "missing": "puuttuu", "no element": "ei elementtiä",
           "codings": "Koodaukset", "with subcodes": "Alakoodeineen", "documents": "Dokumentit",
           "words": "Sanat", "description": "Kuvaus", "colour": "Väri", "key": "Pikanäppäin",
           "framework": "Viitekehyspolku", "codebook": "Koodikirja", "round": "Kierros {n}",
           "no round": "Ei kierrosta", "no value": "(ei arvoa)", "document": "Dokumentti", "line": "Rivi",
           "start": "Alku", "end": "Loppu", "text": "Teksti", "coder": "Koodaaja",
           "presence": "✓ = koodattu haastateltavalla tai ryhmässä."},
}


def words(language: str | None) -> dict[str, str]:
    return WORDS.get((language or "en")[:2], WORDS["en"])


def default_language(store) -> str:
    """The language most of the project's documents are in ('en' for an empty project)."""
    frame = store.document_frame()
    if frame.empty:
        return "en"
    counts = frame["language"].value_counts()
    top = counts[counts == counts.max()].index
    return "fi" if "fi" in set(top) and len(top) == 1 else ("en" if len(top) > 1 else str(top[0]))


# ---------------------------------------------------------------- codes

def resolve_code(store, ref: Code | int | str) -> Code:
    """A code from a Code, an id, a name, a ' > ' path or a framework path (`store.find_code`)."""
    if isinstance(ref, Code):
        return ref
    return store.find_code(ref)


def resolve_codes(store, refs: Sequence[Code | int | str] | Code | int | str | None,
                  tree: CodeTree) -> list[int]:
    """Root code ids for a table: the given codes, or every top-level code when None."""
    if refs is None:
        return tree.roots()
    if isinstance(refs, (Code, int, str)):
        refs = [refs]
    return [resolve_code(store, ref).id for ref in refs]


# ---------------------------------------------------------------- respondents

_DIGITS = re.compile(r"\d+")


def label_fields(label: str, attributes: Mapping[str, Any]) -> dict[str, Any]:
    """The fields a label template may use: {label}, {n} (its number) and every attribute."""
    numbers = _DIGITS.findall(label)
    fields = {name: ("" if value is None else value) for name, value in attributes.items()}
    fields.update(label=label, n=numbers[-1] if numbers else label)
    return fields


def format_label(template: str, label: str, attributes: Mapping[str, Any]) -> str:
    """`H3` through 'Asiantuntija {n}' gives 'Asiantuntija 3'; '{name} ({year})' uses attributes."""
    if template == "{label}":
        return label
    fields = label_fields(label, attributes)
    try:
        return template.format_map(fields)
    except KeyError as error:
        raise NotFoundError(
            f"The label template {template!r} uses {{{error.args[0]}}}, but respondent {label} has no such "
            f"attribute. Use {{label}}, {{n}} or one of: {', '.join(sorted(fields)) or 'none'}; set attributes "
            "with `qualcode respondents PROJECT --import FILE`.") from None
    except (ValueError, IndexError) as error:
        raise NotFoundError(f"The label template {template!r} is not valid ({error}); "
                            "write it like 'Asiantuntija {n}'.") from None


def attribute_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class RespondentScope:
    """The respondents a table counts: those with documents, optionally only those with given
    attribute values; their natural order, display labels and attributes."""

    labels: list[str]
    attributes: dict[str, dict[str, Any]]
    template: str = "{label}"
    rank: dict[str, int] = field(init=False)
    display: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.labels = sorted(self.labels, key=natural_key)
        self.rank = {label: index for index, label in enumerate(self.labels)}
        self.display = {label: format_label(self.template, label, self.attributes.get(label, {}))
                        for label in self.labels}

    def __contains__(self, label: object) -> bool:
        return label in self.rank

    def __len__(self) -> int:
        return len(self.labels)

    def sort(self, labels) -> list[str]:
        """In-scope labels of `labels`, once each, naturally sorted."""
        return sorted({label for label in labels if label in self.rank}, key=self.rank.__getitem__)

    def shown(self, labels) -> list[str]:
        """Sorted display labels (`Asiantuntija 3`) of the in-scope raw labels."""
        return [self.display[label] for label in self.sort(labels)]


def respondent_scope(store, *, where: Where | None = None, label_format: str = "{label}") -> RespondentScope:
    """Respondents who have at least one document (a document without a respondent counts under
    its title), restricted to those whose attributes match `where` ({'organisation_type': 'non-profit'};
    a list of values matches any of them)."""
    documents = store.document_frame()
    attributes = {r.label: dict(r.attributes) for r in store.respondents()}
    labels = set(documents["respondent"]) if not documents.empty else set()
    if where:
        known = set(store.attribute_types())
        for name in where:
            if name not in known:
                raise NotFoundError(f"No respondent attribute {name!r}; known: {', '.join(sorted(known)) or 'none'}.")
        wanted = {name: {v.casefold() for v in ([values] if isinstance(values, str) else values)}
                  for name, values in where.items()}
        labels = {label for label in labels
                  if all(attribute_text(attributes.get(label, {}).get(name)).casefold() in values
                         for name, values in wanted.items())}
    return RespondentScope(sorted(labels), {label: attributes.get(label, {}) for label in labels},
                           template=label_format)


def with_rank(store, frame: pd.DataFrame, scope: RespondentScope) -> pd.DataFrame:
    """Codings of in-scope respondents only, with each one's natural rank as the int column
    'rank' (sorting and de-duplicating ints is far cheaper than labels over 100,000 rows)."""
    documents = store.document_frame()
    rank_of = np.array([scope.rank.get(label, -1) for label in documents["respondent"]], dtype=np.int64)
    position = pd.Index(documents["id"]).get_indexer(frame["document_id"].to_numpy())
    ranks = rank_of[position] if len(rank_of) else np.full(len(frame), -1, dtype=np.int64)
    frame = frame.assign(rank=ranks)
    return frame[frame["rank"].to_numpy() >= 0]


def parse_where(items: Sequence[str]) -> dict[str, list[str]]:
    """CLI `--where role=buyer --where size=small,micro` into {'role': ['buyer'], 'size': [...]}."""
    result: dict[str, list[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise NotFoundError(f"--where {item!r} is not of the form ATTRIBUTE=VALUE.")
        result.setdefault(name.strip(), []).extend(v.strip() for v in value.split(","))
    return result


def coverage_text(n: int, total: int, language: str | None) -> str:
    return words(language)["of"].format(n=n, total=total)


def ensure_period(text: str) -> str:
    """A finding printed as a sentence: 'Sesongit' -> 'Sesongit.'."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…:" else text + "."
