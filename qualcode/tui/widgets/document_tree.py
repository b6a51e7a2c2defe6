"""The documents pane: respondents (naturally sorted) and their documents with coding progress,
the share of the respondent's sentences that some coding touches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import groupby

from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qualcode.coding.models import Document
from qualcode.tui.widgets.code_tree import repaint_lines

BAR = 5


def progress_text(coded: int, total: int) -> Text:
    """A five-cell bar and a percentage, e.g. ▰▰▱▱▱ 40%."""
    if total == 0:
        return Text("  –", style="dim")
    percent = coded * 100 // total  # rounded down: 100% only when every sentence is coded
    filled = coded * BAR // total
    text = Text()
    text.append("▰" * filled, style="green")
    text.append("▱" * (BAR - filled), style="dim")
    text.append(f"{percent:4d}%", style="bold green" if coded == total else "")
    return text


class DocumentTree(Tree[int]):
    """Node data is a document id (respondent nodes carry 0)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Documents", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.documents: dict[int, Document] = {}
        self.progress: dict[int, tuple[int, int]] = {}
        self._doc_nodes: dict[int, TreeNode[int]] = {}

    def populate(self, documents: Sequence[Document], progress: Mapping[int, tuple[int, int]]) -> None:
        self.clear()
        self.documents = {d.id: d for d in documents}
        self.progress = dict(progress)
        self._doc_nodes = {}
        for respondent, docs in groupby(documents, key=lambda d: d.respondent):
            docs = list(docs)
            if respondent is not None and len(docs) == 1:
                self._doc_nodes[docs[0].id] = self.root.add_leaf(self._label(docs[0], alone=True), data=docs[0].id)
                continue
            parent = self.root.add(Text(respondent or "(no respondent)", style="bold"), data=0, expand=True)
            for doc in docs:
                self._doc_nodes[doc.id] = parent.add_leaf(self._label(doc, alone=False), data=doc.id)

    def set_progress(self, progress: Mapping[int, tuple[int, int]]) -> None:
        """New progress figures: drawn at the next repaint (labels read them when rendered)."""
        changed = {doc_id: value for doc_id, value in progress.items() if self.progress.get(doc_id) != value}
        if changed:
            self.progress.update(changed)
            repaint_lines(self, [self._doc_nodes[d] for d in changed if d in self._doc_nodes])

    def _label(self, doc: Document, *, alone: bool) -> Text:
        label = Text()
        if alone:
            label.append(doc.respondent or doc.title, style="bold")
        else:
            label.append(f"r{doc.round} " if doc.round is not None else "", style="dim")
            label.append(doc.title)
        return label

    def render_label(self, node: TreeNode[int], base_style: Style, style: Style) -> Text:
        text = super().render_label(node, base_style, style)
        doc = self.documents.get(node.data) if node.data else None
        if doc is not None:
            text.append(" ")
            text.append_text(progress_text(*self.progress.get(doc.id, (0, 0))))
            if node.parent is self.root and doc.title != doc.respondent:
                text.append(f" {doc.title}", style="dim")
        return text

    def get_label_width(self, node: TreeNode[int]) -> int:
        """The label's width without rendering it (the tree asks for every node's width)."""
        width = node._label.cell_len + (2 if node.allow_expand else 0)
        doc = self.documents.get(node.data) if node.data else None
        if doc is not None:
            width += 1 + BAR + 5
            if node.parent is self.root and doc.title != doc.respondent:
                width += 1 + len(doc.title)
        return width

    def highlight_document(self, doc_id: int) -> None:
        node = self._doc_nodes.get(doc_id)
        if node is not None:
            _ = self.last_line  # builds the line index, so node._line is current
            self.move_cursor(node, animate=False)
