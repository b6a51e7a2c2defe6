"""Every workbench action once: its key, stable binding id, footer text and palette title.

The bindings and the command palette entries ("area: verb") are both generated from these
tables, so a key, its description and its palette entry cannot drift apart. `tier` says from
which terminal width the footer shows the key: 0 always (80 columns), 1 from 120, 2 from 160,
None never (the key panel, `?`, and the palette still list it). A command without a key is
in the palette only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from textual.binding import Binding

TIER_WIDTHS = (0, 120, 160)

MOVE = Binding.Group("sentence")
EXTEND = Binding.Group("extend")
TURN = Binding.Group("turn")
WORD = Binding.Group("word")
UNCODED = Binding.Group("uncoded")
HISTORY = Binding.Group("undo")


@dataclass(frozen=True)
class Command:
    key: str
    action: str
    area: str
    verb: str
    footer: str = ""
    tier: int | None = None
    key_display: str | None = None
    group: Binding.Group | None = None
    palette: bool = True

    @property
    def id(self) -> str:
        return f"{self.area}.{self.verb.replace(' ', '-').replace('…', '')}"

    @property
    def title(self) -> str:
        return f"{self.area}: {self.verb}"

    def binding(self, width: int = 80) -> Binding:
        return Binding(self.key, self.action, self.footer or self.verb, show=self.visible(width),
                       key_display=self.key_display, id=self.id, group=self.group, tooltip=self.title)

    def visible(self, width: int) -> bool:
        return self.tier is not None and width >= TIER_WIDTHS[self.tier]


def _quick(n: int) -> Command:
    return Command(str(n), f"apply_quick({n})", "coding", f"apply quick code {n}", "code",
                   tier=0 if n == 1 else None, key_display="1-9" if n == 1 else None)


WORKBENCH: tuple[Command, ...] = (
    # coding first: the footer shows keys in this order
    *(_quick(n) for n in range(1, 10)),
    Command("c", "pick_code", "coding", "apply code…", "pick", tier=0),
    Command("full_stop", "repeat_code", "coding", "repeat last code", "again", tier=2, key_display="."),
    Command("i", "in_vivo", "coding", "in-vivo code", "in-vivo", tier=0),
    Command("x", "remove_coding", "coding", "remove coding at cursor", "remove", tier=1),
    Command("r", "change_coding", "coding", "change code of coding", "recode"),
    Command("f", "fit_coding", "coding", "fit coding to selection", "fit"),
    Command("plus", "extend_coding", "coding", "extend coding by a word", "grow", tier=None, key_display="+"),
    Command("minus", "shrink_coding", "coding", "shrink coding by a word", "shrink", tier=None, key_display="-"),
    Command("m", "memo_coding", "memo", "on coding", "memo", tier=1),
    Command("M", "memo_document", "memo", "on document", "doc memo", tier=None),
    Command("", "memo_code", "memo", "on code"),  # the palette, or m in the codes pane
    Command("u", "undo", "history", "undo", "undo", tier=0, group=HISTORY),
    Command("U", "redo", "history", "redo", "redo", tier=0, group=HISTORY),
    # cursor and selection
    Command("j", "next_sentence", "cursor", "next sentence", tier=0, group=MOVE),
    Command("k", "previous_sentence", "cursor", "previous sentence", tier=0, group=MOVE),
    Command("J", "extend_sentence_forward", "select", "extend by a sentence forward", tier=0, group=EXTEND),
    Command("K", "extend_sentence_backward", "select", "extend by a sentence backward", tier=0, group=EXTEND),
    Command("a", "select_turn", "select", "current turn", "turn", tier=2),
    Command("space", "select_sentence", "select", "current sentence", "sentence", key_display="␣"),
    Command("W", "extend_word_forward", "select", "extend by a word forward", group=WORD),
    Command("B", "extend_word_backward", "select", "extend by a word backward", group=WORD),
    Command("escape", "clear_selection", "select", "clear selection"),
    Command("w", "next_word", "cursor", "next word"),
    Command("b", "previous_word", "cursor", "previous word"),
    Command("t", "next_turn", "cursor", "next turn", group=TURN),
    Command("T", "previous_turn", "cursor", "previous turn", group=TURN),
    # navigation
    Command("n", "next_uncoded", "navigate", "next uncoded answer", tier=1, group=UNCODED),
    Command("N", "previous_uncoded", "navigate", "previous uncoded answer", tier=1, group=UNCODED),
    Command("o", "next_code_coding", "navigate", "next coding of selected code", "next of code"),
    Command("O", "previous_code_coding", "navigate", "previous coding of selected code"),
    Command("G", "guide_question", "navigate", "next turn of a guide question", "guide"),
    Command("g", "goto_respondent", "navigate", "go to respondent", "go to", tier=2),
    Command("greater_than_sign", "next_document", "navigate", "next document", key_display=">"),
    Command("less_than_sign", "previous_document", "navigate", "previous document", key_display="<"),
    # views
    Command("R", "retrieve", "view", "retrieve coded passages", "retrieve", tier=2),
    Command("L", "document_codings", "view", "this document's codings", "codings", tier=2),
    Command("slash", "search", "view", "search transcripts", "search", key_display="/"),
    Command("S", "review_suggestions", "coding", "review suggested codings", "suggestions"),
    Command("", "pseudonymise", "project", "make a pseudonymised copy"),
    Command("D", "toggle_documents", "view", "show or hide documents", "docs"),
    Command("X", "matrix", "view", "code × respondent matrix", "matrix"),
    Command("E", "export_table", "export", "table…", "export"),
    *(Command("", f"export_table('{kind}', '{fmt}')", "export", f"{title} as {fmt}") for kind, title, fmt in (
        ("matrix", "matrix", "xlsx"), ("matrix", "matrix", "docx"), ("matrix", "matrix heatmap", "png"),
        ("summary", "summary table", "docx"), ("summary", "summary table", "xlsx"), ("quotes", "quotes", "docx"),
        ("cooccurrence", "co-occurrence", "xlsx"), ("frequencies", "code frequencies", "xlsx"),
        ("codebook", "codebook", "docx"))),
    Command("v", "next_codebook", "codebook", "switch active codebook", "codebook"),
    # team coding
    Command("C", "choose_coder_view", "view", "show codings of coder…", "coders"),
    Command("d", "review_disagreements", "team", "review disagreements", "disagreements"),
)

RETRIEVAL: tuple[Command, ...] = (
    Command("enter", "jump", "retrieval", "jump to passage", "jump", tier=0),
    Command("s", "toggle_children", "retrieval", "include sub-codes", "sub-codes", tier=0),
    Command("c", "choose_code", "retrieval", "choose code…", "code", tier=0),
    Command("escape", "back", "retrieval", "back to transcript", "back", tier=0),
)

DOCUMENT_CODINGS: tuple[Command, ...] = (
    Command("enter", "jump", "codings", "jump to coding", "jump", tier=0),
    Command("escape", "back", "codings", "back to transcript", "back", tier=0),
)


MATRIX: tuple[Command, ...] = (
    Command("enter", "show_passages", "matrix", "passages behind cell", "passages", tier=0),
    Command("e", "edit_summary", "matrix", "edit cell summary", "summary", tier=0),
    Command("m", "next_cells", "matrix", "cycle cell contents", "cells", tier=0),
    Command("b", "choose_columns", "matrix", "columns by…", "by", tier=0),
    Command("c", "choose_code", "matrix", "rows from code…", "code", tier=1),
    Command("v", "next_codebook", "matrix", "rows from next codebook", "codebook", tier=1),
    Command("E", "export_matrix", "export", "this matrix…", "export", tier=0),
    Command("u", "undo", "history", "undo", "undo", tier=1),
    Command("U", "redo", "history", "redo", tier=None),
    Command("escape", "back", "matrix", "back to transcript", "back", tier=0),
)

UNIT = Binding.Group("unit")


def _keep(n: int) -> Command:
    return Command(str(n), f"keep_coder({n})", "team", f"keep coder {n}'s coding", "keep",
                   tier=0 if n == 1 else None, key_display="1-9" if n == 1 else None)


DISAGREEMENTS: tuple[Command, ...] = (
    *(_keep(n) for n in range(1, 10)),
    Command("b", "keep('both')", "team", "keep both codings", "both", tier=0),
    Command("x", "keep('neither')", "team", "keep neither coding", "neither", tier=0),
    Command("j", "next_unit", "team", "next unit", tier=0, group=UNIT),
    Command("k", "previous_unit", "team", "previous unit", tier=0, group=UNIT),
    Command("enter", "jump", "team", "show unit in transcript", "jump", tier=0),
    Command("u", "undo", "history", "undo", "undo", tier=0),
    Command("c", "choose_coders", "team", "compare coders…", "coders", tier=None),
    Command("escape", "back", "team", "back to transcript", "back", tier=0),
)

CELL_PASSAGES: tuple[Command, ...] = (
    Command("enter", "jump", "passages", "jump to passage", "jump", tier=0),
    Command("escape", "back", "passages", "back to matrix", "back", tier=0),
)


def bindings(commands: Iterable[Command], width: int = 80) -> list[Binding]:
    return [command.binding(width) for command in commands if command.key]


def with_width(binding: Binding, commands: dict[str, Command], width: int) -> Binding:
    """The same binding shown or hidden in the footer for a terminal this wide."""
    command = commands.get(binding.id or "")
    if command is None:
        return binding
    return replace(binding, show=command.visible(width))
