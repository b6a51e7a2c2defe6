"""The framework data model: plain dataclasses that cross module boundaries.

Built by `qualcode.frameworks.loader` from YAML; read by the store (to create a
codebook), the suggester (indicators) and the interfaces (labels, colours, keys).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

PALETTE = (
    "#4fc3f7", "#ffb74d", "#81c784", "#f06292", "#ba68c8",
    "#ffd54f", "#4db6ac", "#e57373", "#9575cd", "#aed581",
)
"""Colours (readable on a dark terminal) given to top-level codes that name none."""


@dataclass
class FrameworkCode:
    """One element of a framework: a code with its codebook entry and sub-codes.

    ``path`` is the framework name and the ids from the root joined by ``/``
    (``operating-process/ordering/need``); text fields map a language code to text.
    """

    id: str
    path: str
    label: dict[str, str]
    definition: dict[str, str] = field(default_factory=dict)
    use_when: dict[str, str] = field(default_factory=dict)
    not_when: dict[str, str] = field(default_factory=dict)
    indicators: dict[str, list[str]] = field(default_factory=dict)
    colour: str = PALETTE[0]
    key: str | None = None
    children: list[FrameworkCode] = field(default_factory=list)


@dataclass
class Framework:
    """A codebook to code against: its identity, citation and tree of codes."""

    name: str
    title: dict[str, str]
    source: str = ""
    description: dict[str, str] = field(default_factory=dict)
    codes: list[FrameworkCode] = field(default_factory=list)


def iter_codes(framework: Framework) -> Iterator[FrameworkCode]:
    """Yield every code depth-first, each parent before its children, in file order."""
    stack = list(reversed(framework.codes))
    while stack:
        code = stack.pop()
        yield code
        stack.extend(reversed(code.children))
