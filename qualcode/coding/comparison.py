"""Framework comparison, phase 3 of the method: which framework elements the inductive themes
reach, which elements are missing, and which themes fit no element (candidate new elements).

A theme reaches an element when it is linked to it (`store.link_codes(theme, element)`, many to
many) or sits under it in the framework's codebook. A theme's support is the respondents of the
codings on it and below it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from qualcode.coding.codetree import CodeTree
from qualcode.coding.models import Code
from qualcode.coding.scope import Where, coverage_text, resolve_code, respondent_scope, words
from qualcode.coding.table import Table, slug


@dataclass(frozen=True)
class ElementRow:
    code_id: int
    path: tuple[str, ...]
    depth: int
    themes: tuple[tuple[int, tuple[str, ...]], ...]
    """(theme code id, its respondents) for each theme linked to or placed under the element."""
    respondents: tuple[str, ...]
    """Respondents of the element's own codings and of all its themes."""

    @property
    def reached(self) -> bool:
        return bool(self.respondents)


@dataclass
class Comparison:
    codebook: str
    elements: list[ElementRow]
    unlinked: list[tuple[int, tuple[str, ...]]]
    """Themes that fit no element, with their respondents."""
    tree: CodeTree
    scope_size: int
    display: dict[str, str]
    language: str = "en"

    def _theme_text(self, code_id: int, respondents: Sequence[str]) -> str:
        shown = ", ".join(self.display[r] for r in respondents)
        return f"{self.tree[code_id].name} ({shown})" if shown else self.tree[code_id].name

    def to_json(self) -> dict:
        def names(code_id: int) -> list[str]:
            return self.tree.path(code_id)

        return {
            "codebook": self.codebook,
            "elements": [{"path": list(e.path), "status": "reached" if e.reached else "missing",
                          "themes": [{"path": names(t), "respondents": [self.display[r] for r in rs]}
                                     for t, rs in e.themes],
                          "respondents": [self.display[r] for r in e.respondents]} for e in self.elements],
            "unlinked": [{"path": names(t), "respondents": [self.display[r] for r in rs]} for t, rs in self.unlinked],
        }

    def to_table(self, caption: str | None = None) -> Table:
        w = words(self.language)
        records, labels, levels, colours = [], [], [], []
        for element in self.elements:
            records.append([" > ".join(element.path),
                            "\n".join(self._theme_text(t, rs) for t, rs in element.themes),
                            ", ".join(self.display[r] for r in element.respondents),
                            coverage_text(len(element.respondents), self.scope_size, self.language),
                            w["reached"] if element.reached else w["missing"]])
            labels.append(element.path[-1])
            levels.append(element.depth)
            colours.append(self.tree[element.code_id].colour)
        for theme, respondents in self.unlinked:
            records.append(["—", self._theme_text(theme, respondents), ", ".join(self.display[r] for r in respondents),
                            coverage_text(len(respondents), self.scope_size, self.language), w["no element"]])
            labels.append("—")
            levels.append(0)
            colours.append(self.tree[theme].colour)
        frame = pd.DataFrame(records, columns=[w["element"], w["themes"], w["respondents"], w["coverage"],
                                               w["status"]], dtype=object)
        return Table(frame=frame, name=f"comparison-{slug(self.codebook)}", caption=caption, row_labels=labels,
                     row_levels=levels, row_colours=colours, data=self.to_json())


def framework_comparison(store, framework: int | str, *, themes: Code | int | str | None = None,
                         where: Where | None = None, label_format: str = "{label}",
                         coders: Sequence[str] | None = None, language: str = "en") -> Comparison:
    """Compare the inductive themes with the elements of the framework codebook `framework`
    (its name, id or framework name such as 'five-es').

    themes: only the themes under this code; by default every code that is not a framework
    element and does not sit under another framework's element.
    """
    book = store.codebook(framework)
    tree = CodeTree.from_store(store)
    scope = respondent_scope(store, where=where, label_format=label_format)
    in_book = [c for c in tree.codes if tree[c].codebook_id == book.id]
    elements = [c for c in in_book if tree[c].framework_path] or in_book
    element_set = set(elements)
    framework_codes = {c for c in tree.codes if tree[c].framework_path} | element_set
    links: dict[int, set[int]] = {}
    for theme, element in store.code_links():
        links.setdefault(theme, set()).add(element)

    frame = store.coding_frame(coders=coders)
    frame = frame[frame["respondent"].isin(scope.rank)]
    direct: dict[int, set[str]] = {int(k): set(v) for k, v in frame.groupby("code_id")["respondent"]}

    def support(code_id: int) -> tuple[str, ...]:
        found: set[str] = set()
        for member in tree.subtree(code_id):
            found |= direct.get(member, set())
        return tuple(scope.sort(found))

    if themes is not None:
        candidates = [c for c in tree.subtree(resolve_code(store, themes).id) if c not in framework_codes]
    else:
        candidates = [c for c in tree.codes if c not in framework_codes]

    rows = []
    base = min((tree.depth(e) for e in elements), default=0)
    candidate_set = set(candidates)
    for element in elements:
        attached = [t for t in candidates if element in links.get(t, set())]
        attached += [t for t in tree.kids(element) if t in candidate_set and t not in attached]
        theme_support = tuple((t, support(t)) for t in attached)
        everyone: set[str] = set(support(element))
        for _t, respondents in theme_support:
            everyone |= set(respondents)
        rows.append(ElementRow(element, tuple(tree.path(element)), tree.depth(element) - base, theme_support,
                               tuple(scope.sort(everyone))))

    def covered(code_id: int) -> bool:
        """Linked to an element of this framework, or placed under any framework element."""
        for node in [code_id, *tree.ancestors(code_id)]:
            if links.get(node, set()) & element_set or (node != code_id and node in framework_codes):
                return True
        return False

    unlinked: list[tuple[int, tuple[str, ...]]] = []

    def visit(code_id: int) -> None:
        if code_id not in candidate_set or covered(code_id):
            return
        below = tree.subtree(code_id)[1:]
        if any(links.get(d, set()) & element_set for d in below):
            for child in tree.kids(code_id):
                visit(child)
            return
        respondents = support(code_id)
        if respondents:
            unlinked.append((code_id, respondents))

    tops = [c for c in candidates if tree[c].parent_id not in candidate_set]
    for top in tops:
        visit(top)
    return Comparison(book.name, rows, unlinked, tree, len(scope), dict(scope.display), language)


def comparison_table(store, framework: int | str, *, caption: str | None = None, **options) -> Table:
    return framework_comparison(store, framework, **options).to_table(caption=caption)
