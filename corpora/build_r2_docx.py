"""Build transcripts/R2.docx from sources/R2.txt.

The source is a plain-text transcript: one turn per paragraph, turns
separated by a blank line, each turn starting with ``I:`` or ``R:``
(optionally preceded by a ``[hh:mm:ss]`` timestamp). The Word document gets
a Heading 1 title and then one paragraph per turn, text unchanged, so it
looks like a transcript a consultant would deliver in Word.

Usage (from the project root):

    .venv/bin/python corpora/build_r2_docx.py [SOURCE] [TARGET]
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "sources" / "R2.txt"
TARGET = HERE / "transcripts" / "R2.docx"
TITLE = "Interview R2 \u2013 Kaarna customer study"


def read_turns(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    turns = []
    for block in text.split("\n\n"):
        block = " ".join(line.strip() for line in block.splitlines() if line.strip())
        if block:
            turns.append(block)
    return turns


def build(source: Path = SOURCE, target: Path = TARGET) -> Path:
    turns = read_turns(source)
    doc = Document()
    props = doc.core_properties
    props.title = TITLE
    props.author = "qualcode demo study"
    props.language = "en"
    doc.add_heading(TITLE, level=1)
    for turn in turns:
        doc.add_paragraph(turn)
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))
    return target


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    target = Path(argv[2]) if len(argv) > 2 else TARGET
    out = build(source, target)
    print(f"wrote {out} ({len(read_turns(source))} turns)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
