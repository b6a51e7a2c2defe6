"""The quotes report: coded passages per theme, formatted as a thesis quotes them.

    H3: ”Heti kun tulee käyttöpääomaa niin sit ostetaan…”        (leading label, Finnish marks)
    ”Heti kun tulee käyttöpääomaa…” – Asiantuntija 3.             (trailing label)
    “We want new products every season.” – Smith (2024).          (template, English marks)

Finnish (and Swedish) quotes take the right double quotation mark U+201D at both ends; other
languages “…”. The language is the document's unless one is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from qualcode.coding.codetree import CodeTree
from qualcode.coding.models import Code
from qualcode.coding.scope import Where, format_label, label_fields, resolve_codes, respondent_scope, words
from qualcode.coding.table import Table, slug

ELLIPSIS = "…"
STYLES = ("leading", "trailing")
_SENTENCE_END = ".!?…"


@dataclass(frozen=True)
class Quote:
    code_id: int
    theme: str
    """The code's path below the quoted group ('Myynnin kasvattaminen > Uutuudet')."""
    respondent: str
    document: str
    document_id: int
    start: int
    end: int
    text: str
    """The passage as quoted (whitespace collapsed, trimmed, cuts marked)."""
    citation: str
    """The whole formatted quote with its label."""


def quote_marks(language: str | None) -> tuple[str, str]:
    if (language or "")[:2] in ("fi", "sv"):
        return "\u201d", "\u201d"
    return "\u201c", "\u201d"


def trim_passage(text: str, *, max_chars: int | None = None, mark_cuts: bool = True) -> str:
    """Collapse whitespace, shorten at a word boundary, and mark cuts with `…`.

    With `mark_cuts`, a passage starting in the middle of a sentence (lower-case first letter)
    gets a leading `…` and one stopping mid-sentence a trailing `…`, as the thesis style asks.
    """
    clean = " ".join(text.split()).strip(" \"'\u201c\u201d")
    cut = False
    if max_chars is not None and len(clean) > max_chars:
        shortened = clean[:max_chars]
        if " " in shortened and not clean[max_chars].isspace():
            shortened = shortened.rsplit(" ", 1)[0]
        clean = shortened.rstrip(" ,;:–-")
        cut = True
    if mark_cuts:
        if clean and clean[0].islower():
            clean = ELLIPSIS + clean
        if cut or (clean and clean[-1] not in _SENTENCE_END):
            clean = clean.rstrip(".") + ELLIPSIS
    elif cut:
        clean += ELLIPSIS
    return clean


def cite(passage: str, label: str, *, style: str = "leading", language: str | None = None,
         fields: dict | None = None) -> str:
    """`H3: ”…”` (leading), `”…” – H3.` (trailing), or a template with {quote} and label fields."""
    opening, closing = quote_marks(language)
    quoted = f"{opening}{passage}{closing}"
    if style == "leading":
        return f"{label}: {quoted}"
    if style == "trailing":
        return f"{quoted} – {label}."
    if "{quote}" in style:
        return style.replace("{quote}", "\0").format(**{**(fields or {}), "label": label}).replace("\0", quoted)
    raise ValueError(f"style must be leading, trailing or a template with {{quote}}, not {style!r}")


def quotes(store, code: Code | int | str | Sequence[Code | int | str], *, style: str = "leading",
           label_format: str = "{label}", one_per_respondent: bool = False, max_chars: int | None = None,
           mark_cuts: bool = True, language: str | None = None, where: Where | None = None,
           coders: Sequence[str] | None = None) -> list[Quote]:
    """Passages coded with `code` (or several codes) and the codes below it: by code (codebook
    order), then by respondent (natural order), then in document order.

    style: 'leading' (`H3: ”…”`), 'trailing' (`”…” – Asiantuntija 2.`) or a template containing
        {quote} ('{quote} ({name}, {year})'); label_format: the label ('Asiantuntija {n}',
        '{name} ({year})', any respondent attribute).
    one_per_respondent: only each respondent's first passage per code. max_chars: trim longer
        passages at a word boundary with `…`. mark_cuts: `…` where a passage starts or stops
        mid-sentence. language: quote marks for every quote ('fi', 'en') instead of each
        document's language.
    The theme of a quote is its code's path below the given code (the full path when several
    codes are given).
    """
    if style not in STYLES and "{quote}" not in style:
        raise ValueError(f"style must be leading, trailing or a template with {{quote}}, not {style!r}")
    tree = CodeTree.from_store(store)
    roots = resolve_codes(store, code, tree)
    scope = respondent_scope(store, where=where, label_format=label_format)
    members = tree.forest(roots)
    frame = store.coding_frame(members, with_text=True, coders=coders)
    frame = frame[frame["respondent"].isin(scope.rank)]
    if frame.empty:
        return []
    order = {code_id: index for index, code_id in enumerate(members)}
    frame = frame.assign(code_order=frame["code_id"].map(order), rank=frame["respondent"].map(scope.rank))
    frame = frame.sort_values(["code_order", "rank", "document_id", "start", "id"], kind="stable")
    if one_per_respondent:
        frame = frame.drop_duplicates(["code_id", "respondent"], keep="first")
    base = len(tree.path(roots[0])) if len(roots) == 1 else 0
    result = []
    for row in frame.itertuples(index=False):
        passage = trim_passage(row.text, max_chars=max_chars, mark_cuts=mark_cuts)
        attributes = scope.attributes.get(row.respondent, {})
        if "{quote}" in style:
            # Checked like a label template, so a missing attribute gets a helpful message.
            format_label(style.replace("{quote}", ""), row.respondent, attributes)
        citation = cite(passage, scope.display[row.respondent], style=style, language=language or row.language,
                        fields=label_fields(row.respondent, attributes))
        theme = " > ".join(tree.path(row.code_id)[base:]) or tree[row.code_id].name
        result.append(Quote(int(row.code_id), theme, row.respondent, row.document, int(row.document_id),
                            int(row.start), int(row.end), passage, citation))
    return result


def quotes_table(store, code: Code | int | str | Sequence[Code | int | str], *, caption: str | None = None,
                 language: str = "en", quote_language: str | None = None, **options) -> Table:
    """The quotes report as a table (theme, respondent, quote) for `write_table`.

    Options are those of `quotes()`; `language` names the column headings and `quote_language`
    (if given) sets the quote marks of every quote."""
    found = quotes(store, code, language=quote_language, **options)
    w = words(language)
    frame = pd.DataFrame([[q.theme, q.respondent, q.citation] for q in found],
                         columns=[w["theme"], w["respondent"], w["quote"]], dtype=object)
    tree = CodeTree.from_store(store)
    roots = resolve_codes(store, code, tree)
    name = tree[roots[0]].name if len(roots) == 1 else "-".join(tree[r].name for r in roots[:2])
    data = {"codes": [tree.path_text(r) for r in roots], "quotes": [
        {"theme": q.theme, "respondent": q.respondent, "document": q.document, "start": q.start, "end": q.end,
         "text": q.text, "quote": q.citation} for q in found]}
    return Table(frame=frame, name=f"quotes-{slug(name)}", caption=caption, group_columns=1, index_columns=1,
                 data=data)
