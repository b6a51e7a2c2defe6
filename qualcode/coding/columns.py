"""Matrix columns: respondents, groups of respondents by an attribute, documents, Delphi rounds.

Each column has a stable key (`respondent:H3`, `attribute:organisation_type=non-profit`,
`document:H3 haastattelu`, `round:2`) under which framework-matrix cell summaries are stored
and by which `trace` finds the passages behind a cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.coding.models import natural_key
from qualcode.coding.scope import RespondentScope, attribute_text, words
from qualcode.errors import NotFoundError

BY_CHOICES = ("respondent", "attribute:NAME", "document", "round")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    respondents: tuple[str, ...]
    """Raw labels of the in-scope respondents the column covers."""


def column_of_documents(store, by: str, scope: RespondentScope, *, language: str = "en"
                        ) -> tuple[list[Column], dict[int, int]]:
    """The columns for `by`, and for each in-scope document the index of its column."""
    documents = store.document_frame()
    documents = documents[documents["respondent"].isin(scope.rank)]
    w = words(language)
    if by == "respondent":
        columns = [Column(f"respondent:{label}", scope.display[label], (label,)) for label in scope.labels]
        index = {label: i for i, label in enumerate(scope.labels)}
        return columns, {int(d): index[r] for d, r in zip(documents["id"], documents["respondent"])}
    if by.startswith("attribute:"):
        name = by.partition(":")[2]
        if name not in store.attribute_types():
            known = ", ".join(sorted(store.attribute_types())) or "none"
            raise NotFoundError(f"No respondent attribute {name!r} to group by; known: {known}.")
        value_of = {label: attribute_text(scope.attributes.get(label, {}).get(name)) for label in scope.labels}
        values = sorted({v for v in value_of.values() if v}, key=natural_key)
        if any(not v for v in value_of.values()):
            values.append("")
        columns = [Column(f"attribute:{name}={value}", value or w["no value"],
                          tuple(label for label in scope.labels if value_of[label] == value)) for value in values]
        index = {value: i for i, value in enumerate(values)}
        return columns, {int(d): index[value_of[r]] for d, r in zip(documents["id"], documents["respondent"])}
    if by == "document":
        ordered = sorted(zip(documents["id"], documents["title"], documents["respondent"], documents["round"]),
                         key=lambda d: (scope.rank[d[2]], _round(d[3]), natural_key(d[1])))
        columns = [Column(f"document:{title}", title, (respondent,)) for _id, title, respondent, _r in ordered]
        return columns, {int(d[0]): i for i, d in enumerate(ordered)}
    if by == "round":
        rounds = sorted({_round(r) for r in documents["round"]})
        columns = []
        for number in rounds:
            members = documents[[_round(r) == number for r in documents["round"]]]
            key = "round:none" if number == _NO_ROUND else f"round:{number}"
            label = w["no round"] if number == _NO_ROUND else w["round"].format(n=number)
            columns.append(Column(key, label, tuple(scope.sort(members["respondent"]))))
        index = {number: i for i, number in enumerate(rounds)}
        return columns, {int(d): index[_round(r)] for d, r in zip(documents["id"], documents["round"])}
    raise NotFoundError(f"--by {by!r} is not one of respondent, attribute:NAME, document, round.")


_NO_ROUND = 10**9  # documents without a round sort after every round


def _round(value) -> int:
    if value is None or value != value:  # None or NaN
        return _NO_ROUND
    return int(value)
