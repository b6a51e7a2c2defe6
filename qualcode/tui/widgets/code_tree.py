"""The codes pane: every codebook's code tree with a colour swatch, the quick key, and counts
of codings in the open document and in the whole project ("2/14": two here, fourteen in all)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets._tree import TOGGLE_STYLE
from textual.widgets.tree import TreeNode

from qualcode.coding.models import Code, Codebook


def repaint_lines(tree: Tree[int], nodes: list[TreeNode[int]]) -> None:
    """Redraw only these nodes' lines (their labels read changed figures); a node's `_updates`
    counter is part of the tree's line cache key. Many nodes: one full repaint is cheaper."""
    if len(nodes) > 20:
        tree._updates += 1
        tree.refresh()
        return
    for node in nodes:
        node._updates += 1
        tree._refresh_node(node)


def shorten(name: str, width: int) -> str:
    """`name` in at most `width` cells, cut in the middle: "Asiakkaan ympäristö" -> "Asi…ympäristö"."""
    if len(name) <= width:
        return name
    if width <= 1:
        return "…"[:max(0, width)]
    head = max(1, min(3, (width - 1) // 3))
    tail = width - 1 - head
    return f"{name[:head]}…{name[-tail:]}" if tail > 0 else f"{name[:head]}…"


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
        self._code_nodes: dict[int, TreeNode[int]] = {}
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
        self._code_nodes, self._book_nodes = {}, {}
        for book in books:
            node = self.root.add(self._book_label(book), data=-book.id, expand=True)
            self._book_nodes[book.id] = node
        for code in codes:  # depth-first: parents come before their children
            parent = self._code_nodes.get(code.parent_id) if code.parent_id else self._book_nodes.get(code.codebook_id)
            if parent is None:
                continue
            self._code_nodes[code.id] = parent.add(self._label(code), data=code.id, expand=True,
                                              allow_expand=False)
        for node in self._code_nodes.values():
            node.allow_expand = bool(node.children)
        if keep is not None:
            self.highlight_code(keep)

    def set_counts(self, document_counts: Mapping[int, int], project_counts: Mapping[int, int]) -> None:
        """New counts: drawn at the next repaint (labels read them when rendered)."""
        changed = {k for k in set(document_counts) | set(self.document_counts)
                   if document_counts.get(k) != self.document_counts.get(k)}
        changed |= {k for k in set(project_counts) | set(self.project_counts)
                    if project_counts.get(k) != self.project_counts.get(k)}
        if not changed:
            return
        self.document_counts = dict(document_counts)
        self.project_counts = dict(project_counts)
        repaint_lines(self, [self._code_nodes[k] for k in changed if k in self._code_nodes])

    def set_active_book(self, book_id: int | None, quick_keys: dict[int, str]) -> None:
        self.active_book = book_id
        self.quick_keys = quick_keys
        for book in self._books.values():
            self._book_nodes[book.id].set_label(self._book_label(book))
        for code_id, node in self._code_nodes.items():
            node.set_label(self._label(self.codes[code_id]))

    def _book_label(self, book: Codebook) -> Text:
        label = Text(book.name, style="bold")
        if book.id == self.active_book:
            label.append(" ●", style="bold green")
        return label

    def _label(self, code: Code, name: str | None = None) -> Text:
        label = Text()
        label.append("■ ", style=Style(color=code.colour if code.colour.startswith("#") else None))
        key = self.quick_keys.get(code.id)
        if key:
            label.append(key, style="bold underline")
            label.append(" ")
        label.append(code.name if name is None else name)
        return label

    def render_label(self, node: TreeNode[int], base_style: Style, style: Style) -> Text:
        """The label with the counts right-aligned at the pane's edge; a name too long for the
        pane loses its middle ("Asi…ympäristö"), since sibling codes often share a first word."""
        code = self.codes.get(node.data) if node.data and node.data > 0 else None
        if code is None:
            return super().render_label(node, base_style, style)
        here, total = self.document_counts.get(code.id, 0), self.project_counts.get(code.id, 0)
        counts = f"{here}/{total}" if here or total else ""
        label = self._label(code)
        indent = max(0, self._depth(node) - 1) * self.guide_depth  # the root is hidden
        icon = 2 if node._allow_expand else 0
        room = self.scrollable_content_region.width - indent - icon - label.cell_len - len(counts) - 1
        if room < 0:
            label = self._label(code, shorten(code.name, len(code.name) + room))
            room = max(0, self.scrollable_content_region.width - indent - icon - label.cell_len - len(counts) - 1)
        label.stylize(style)
        prefix = (self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE, base_style + TOGGLE_STYLE) \
            if node._allow_expand else ("", base_style)
        text = Text.assemble(prefix, label)
        text.append(" " * (room + 1) + counts, style="dim")
        return text

    @staticmethod
    def _depth(node: TreeNode[int]) -> int:
        depth = 0
        while node.parent is not None:
            depth, node = depth + 1, node.parent
        return depth

    def get_label_width(self, node: TreeNode[int]) -> int:
        return 1  # labels fit the pane by construction (see render_label)

    @property
    def highlighted_code(self) -> int | None:
        node = self.cursor_node
        return node.data if node is not None and node.data is not None and node.data > 0 else None

    def highlight_code(self, code_id: int) -> None:
        node = self._code_nodes.get(code_id)
        if node is not None:
            _ = self.last_line  # builds the line index, so node._line is current
            self.move_cursor(node, animate=False)
