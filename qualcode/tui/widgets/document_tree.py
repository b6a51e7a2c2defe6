"""The documents pane: respondents (naturally sorted) and their documents with coding progress,
the share of the respondent's sentences that some coding touches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import groupby

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qualcode.coding.models import Document

BAR = 5


def progress_text(coded: int, total: int) -> Text:
    """A five-cell bar and a percentage, e.g. ▰▰▱▱▱ 40%."""
    if total == 0:
        return Text("  –", style="dim")
    share = coded / total
    filled = round(share * BAR)
    text = Text()
    text.append("▰" * filled, style="green")
    text.append("▱" * (BAR - filled), style="dim")
    text.append(f"{share * 100:4.0f}%", style="bold green" if coded == total else "")
    return text


class DocumentTree(Tree[int]):
    """Node data is a document id (respondent nodes carry 0)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Documents", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.documents: dict[int, Document] = {}
        self.progress: dict[int, tuple[int, int]] = {}
        self._nodes: dict[int, TreeNode[int]] = {}

    def populate(self, documents: Sequence[Document], progress: Mapping[int, tuple[int, int]]) -> None:
        self.clear()
        self.documents = {d.id: d for d in documents}
        self.progress = dict(progress)
        self._nodes = {}
        for respondent, docs in groupby(documents, key=lambda d: d.respondent):
            docs = list(docs)
            if respondent is not None and len(docs) == 1:
                self._nodes[docs[0].id] = self.root.add_leaf(self._label(docs[0], alone=True), data=docs[0].id)
                continue
            parent = self.root.add(Text(respondent or "(no respondent)", style="bold"), data=0, expand=True)
            for doc in docs:
                self._nodes[doc.id] = parent.add_leaf(self._label(doc, alone=False), data=doc.id)

    def set_progress(self, progress: Mapping[int, tuple[int, int]]) -> None:
        for doc_id, value in progress.items():
            if self.progress.get(doc_id) != value:
                self.progress[doc_id] = value
                node = self._nodes.get(doc_id)
                if node is not None:
                    node.set_label(self._label(self.documents[doc_id], alone=node.parent is self.root))

    def _label(self, doc: Document, *, alone: bool) -> Text:
        label = Text()
        if alone:
            label.append(doc.respondent or doc.title, style="bold")
        else:
            label.append(f"r{doc.round} " if doc.round is not None else "", style="dim")
            label.append(doc.title)
        label.append(" ")
        label.append_text(progress_text(*self.progress.get(doc.id, (0, 0))))
        if alone and doc.title != doc.respondent:
            label.append(f" {doc.title}", style="dim")
        return label

    def highlight_document(self, doc_id: int) -> None:
        node = self._nodes.get(doc_id)
        if node is not None:
            _ = self.last_line  # builds the line index, so node._line is current
            self.move_cursor(node, animate=False)
