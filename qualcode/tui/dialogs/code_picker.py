"""The code picker: fuzzy search over code paths, and "new code" from what was typed (an
inductive theme), optionally under a parent written as `parent > new name`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from qualcode.coding.models import Code
from qualcode.tui.dialogs.choice import Choice, ChoiceDialog, rank


@dataclass(frozen=True)
class NewCode:
    """The picker's answer when the user chose to create a code."""

    name: str
    parent_id: int | None
    codebook_id: int | None


def code_choices(codes: Sequence[Code], paths: dict[int, str], quick_keys: dict[int, str]) -> list[Choice]:
    choices = []
    for code in codes:
        label = Text()
        label.append("■ ", style=Style(color=code.colour if code.colour.startswith("#") else None))
        key = quick_keys.get(code.id)
        if key:
            label.append(key, style="bold underline")
            label.append(" ")
        label.append(paths[code.id])
        choices.append(Choice(code.id, label, paths[code.id]))
    return choices


class CodePicker(ChoiceDialog):
    """Returns a code id, a `NewCode`, or None when cancelled."""

    def __init__(self, title: str, codes: Sequence[Code], paths: dict[int, str], quick_keys: dict[int, str], *,
                 active_book: int | None, initial: int | None = None, allow_new: bool = True) -> None:
        hint = "enter: take · 'parent > name' creates under a parent · esc: cancel" if allow_new else \
            "enter: take · esc: cancel"
        super().__init__(title, code_choices(codes, paths, quick_keys), initial=initial,
                         placeholder="type a code name (fuzzy)" + (", or a new one" if allow_new else ""), hint=hint)
        self.codes = {c.id: c for c in codes}
        self.paths = paths
        self.active_book = active_book
        self.allow_new = allow_new

    def extra_options(self, query: str) -> list[tuple[object, Text]]:
        query = " ".join(query.split())
        if not self.allow_new or not query:
            return []
        if ">" in query:
            parent_query, _, name = query.rpartition(">")
            name, parent_query = name.strip(), parent_query.strip()
            if not name or not parent_query:
                return []
            parents = rank(parent_query, self.choices)
            if not parents:
                return []
            parent = self.codes[parents[0].value]
            label = Text.assemble(("＋ new code ", "bold green"), f"“{name}”", (" under ", "dim"), self.paths[parent.id])
            return [(NewCode(name, parent.id, parent.codebook_id), label)]
        exists = any(c.name.casefold() == query.casefold() and c.parent_id is None and c.codebook_id == self.active_book
                     for c in self.codes.values())
        if exists:
            return []
        return [(NewCode(query, None, self.active_book), Text.assemble(("＋ new code ", "bold green"), f"“{query}”"))]
