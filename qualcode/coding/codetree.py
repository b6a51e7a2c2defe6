"""The code tree in memory: paths, depths and subtrees without one query per code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qualcode.coding.models import Code

PATH_SEPARATOR = " > "


@dataclass
class CodeTree:
    codes: dict[int, Code]
    """Every code, in codebook order (depth-first, parents before children)."""
    children: dict[int | None, list[int]]

    @classmethod
    def from_codes(cls, codes: Iterable[Code]) -> CodeTree:
        ordered = {code.id: code for code in codes}
        children: dict[int | None, list[int]] = {}
        for code in ordered.values():
            children.setdefault(code.parent_id, []).append(code.id)
        return cls(ordered, children)

    @classmethod
    def from_store(cls, store) -> CodeTree:
        return cls.from_codes(store.codes())

    def __getitem__(self, code_id: int) -> Code:
        return self.codes[code_id]

    def kids(self, code_id: int) -> list[int]:
        return self.children.get(code_id, [])

    def is_leaf(self, code_id: int) -> bool:
        return not self.children.get(code_id)

    def path(self, code_id: int) -> list[str]:
        names = []
        current: int | None = code_id
        while current is not None:
            code = self.codes[current]
            names.append(code.name)
            current = code.parent_id
        return names[::-1]

    def path_text(self, code_id: int) -> str:
        return PATH_SEPARATOR.join(self.path(code_id))

    def depth(self, code_id: int) -> int:
        depth, current = 0, self.codes[code_id].parent_id
        while current is not None:
            depth, current = depth + 1, self.codes[current].parent_id
        return depth

    def subtree(self, code_id: int) -> list[int]:
        """The code and all its descendants, in codebook order."""
        result = [code_id]
        for child in self.kids(code_id):
            result.extend(self.subtree(child))
        return result

    def ancestors(self, code_id: int) -> list[int]:
        """Parent, grandparent, ... up to the top of the codebook."""
        result = []
        current = self.codes[code_id].parent_id
        while current is not None:
            result.append(current)
            current = self.codes[current].parent_id
        return result

    def roots(self, codebook_id: int | None = None) -> list[int]:
        return [c for c in self.children.get(None, [])
                if codebook_id is None or self.codes[c].codebook_id == codebook_id]

    def forest(self, roots: Sequence[int]) -> list[int]:
        """The codes of several subtrees, each once, in codebook order."""
        seen: set[int] = set()
        for root in roots:
            seen.update(self.subtree(root))
        return [c for c in self.codes if c in seen]
