"""Putting a framework into a project: one codebook whose codes carry the framework's paths."""

from __future__ import annotations

import os

from qualcode.errors import ConflictError
from qualcode.frameworks.loader import Framework, FrameworkCode, load_framework


def code_description(code: FrameworkCode, language: str) -> str:
    """The codebook entry a coder reads: definition, when to use and when not to use."""
    parts = []
    for title, texts in (("", code.definition), ("Use when: ", code.use_when), ("Not when: ", code.not_when)):
        text = texts.get(language) or texts.get("en") or ""
        if text:
            parts.append(f"{title}{text.strip()}")
    return "\n".join(parts)


def use_framework(store, name_or_path: str | os.PathLike[str], *, language: str = "fi",
                  codebook_name: str | None = None) -> int:
    """Add a framework to the project as a new codebook (one undo step); returns its id.

    Code names are the labels in `language`; each code remembers its framework path
    (`five-es/emotions`), so suggestions and reference codings find it whatever it is named.
    """
    framework: Framework = load_framework(name_or_path)
    name = codebook_name or framework.title.get(language) or framework.name
    if codebook_name is None and any(book.framework == framework.name for book in store.codebooks()):
        raise ConflictError(f"The project already has the {framework.name} framework; "
                            "use --codebook NAME to add a second copy under another name.")
    with store.action(f"use framework {framework.name}"):
        book = store.add_codebook(name, framework=framework.name, language=language)

        def add(codes: list[FrameworkCode], parent: int | None) -> None:
            for code in codes:
                code_id = store.add_code(code.label.get(language) or code.label["en"], codebook_id=book,
                                         parent_id=parent, colour=code.colour,
                                         description=code_description(code, language), key=code.key,
                                         framework_path=code.path)
                add(code.children, code_id)

        add(framework.codes, None)
    return book
