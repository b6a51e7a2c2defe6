"""The codes pane: every codebook's code tree with a colour swatch, the quick key, and counts
of codings in the open document and in the whole project."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qualcode.coding.models import Code, Codebook


class CodeTree(Tree[int]):
    """Node data is a code id; codebook nodes carry the negated codebook id."""

    BINDINGS = [
        Binding("m", "screen.memo_code", "code memo", id="codes.memo", tooltip="memo: on code"),
        Binding("enter", "select_cursor", "apply", id="codes.apply", tooltip="apply the code to the selection"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Codes", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.codes: dict[int, Code] = {}
        self.quick_keys: dict[int, str] = {}
        self.document_counts: Mapping[int, int] = {}
        self.project_counts: Mapping[int, int] = {}
        self.active_book: int | None = None
        self._nodes: dict[int, TreeNode[int]] = {}
        self._book_nodes: dict[int, TreeNode[int]] = {}
        self._books: dict[int, Codebook] = {}

    def populate(self, books: Sequence[Codebook], codes: Sequence[Code], quick_keys: dict[int, str],
                 active_book: int | None) -> None:
        """Rebuild the tree, keeping the highlighted code where possible."""
        keep = self.highlighted_code
        self.clear()
        self.codes = {c.id: c for c in codes}
        self.quick_keys = quick_keys
        self.active_book = active_book
        self._books = {b.id: b for b in books}
        self._nodes, self._book_nodes = {}, {}
        for book in books:
            node = self.root.add(self._book_label(book), data=-book.id, expand=True)
            self._book_nodes[book.id] = node
        for code in codes:  # depth-first: parents come before their children
            parent = self._nodes.get(code.parent_id) if code.parent_id else self._book_nodes.get(code.codebook_id)
            if parent is None:
                continue
            self._nodes[code.id] = parent.add(self._label(code), data=code.id, expand=True,
                                              allow_expand=False)
        for node in self._nodes.values():
            node.allow_expand = bool(node.children)
        if keep is not None:
            self.highlight_code(keep)

    def set_counts(self, document_counts: Mapping[int, int], project_counts: Mapping[int, int]) -> None:
        changed = {k for k in set(document_counts) | set(self.document_counts)
                   if document_counts.get(k) != self.document_counts.get(k)}
        changed |= {k for k in set(project_counts) | set(self.project_counts)
                    if project_counts.get(k) != self.project_counts.get(k)}
        self.document_counts = dict(document_counts)
        self.project_counts = dict(project_counts)
        for code_id in changed:
            node = self._nodes.get(code_id)
            if node is not None:
                node.set_label(self._label(self.codes[code_id]))

    def set_active_book(self, book_id: int | None, quick_keys: dict[int, str]) -> None:
        self.active_book = book_id
        self.quick_keys = quick_keys
        for book in self._books.values():
            self._book_nodes[book.id].set_label(self._book_label(book))
        for code_id, node in self._nodes.items():
            node.set_label(self._label(self.codes[code_id]))

    def _book_label(self, book: Codebook) -> Text:
        label = Text(book.name, style="bold")
        if book.id == self.active_book:
            label.append(" ●", style="bold green")
        return label

    def _label(self, code: Code) -> Text:
        label = Text()
        label.append("■ ", style=Style(color=code.colour if code.colour.startswith("#") else None))
        key = self.quick_keys.get(code.id)
        if key:
            label.append(f"{key} ", style="bold reverse")
        label.append(code.name)
        here, total = self.document_counts.get(code.id, 0), self.project_counts.get(code.id, 0)
        if here or total:
            label.append(f" {here}/{total}", style="dim")
        return label

    @property
    def highlighted_code(self) -> int | None:
        node = self.cursor_node
        return node.data if node is not None and node.data is not None and node.data > 0 else None

    def highlight_code(self, code_id: int) -> None:
        node = self._nodes.get(code_id)
        if node is not None:
            _ = self.last_line  # builds the line index, so node._line is current
            self.move_cursor(node, animate=False)
