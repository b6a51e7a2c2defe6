"""Word (.docx), OpenDocument (.odt) and RTF transcripts as paragraphs of text.

Each reader takes the file's bytes and returns its paragraphs in document order as
`(text, is_heading)` pairs (table cells are paragraphs too), plus warnings. `.docx` and `.odt`
are zip archives: before anything is decompressed, `check_zip` refuses archives that are not
what they claim or that would expand to more than `MAX_UNCOMPRESSED` (zip bombs), judged from
the sizes the archive declares. Python's zipfile never inflates an entry past its declared size,
so the check also bounds what a lying archive can cost.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from qualcode.errors import InputError

MIB = 1024 * 1024
MAX_UNCOMPRESSED = 256 * MIB
"""The most an office file may expand to in total (text, styles and images together)."""
MAX_RATIO = 100
"""The highest compression ratio accepted for an entry over 1 MB (XML compresses about 10:1)."""
MAX_ENTRIES = 10_000

Blocks = list[tuple[str, bool]]

_KINDS = {
    "docx": ("a Word document", "word/document.xml", "Word or LibreOffice", ".docx"),
    "odt": ("an OpenDocument text", "content.xml", "LibreOffice or Word", ".odt"),
    "xlsx": ("an Excel workbook", "xl/workbook.xml", "Excel or LibreOffice", ".xlsx"),
}


def check_zip(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    """Open `data` as the zip archive of an office file of `kind`, refusing fakes and bombs."""
    what, required, program, suffix = _KINDS[kind]
    resave = f"Open it in {program} and save it again as {suffix}."
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{name} is an old-format Office file (.doc/.xls), not {what}. {resave}")
    if not data.startswith(b"PK"):
        raise InputError(f"{name} is not {what}: {suffix} files are zip archives and this one is not "
                         f"(it may be another kind of file renamed). {resave}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InputError(f"{name} is damaged: its zip structure cannot be read ({error}). {resave}") from None
    if len(entries) > MAX_ENTRIES:
        raise InputError(f"{name} holds {len(entries)} files inside; a genuine {suffix} holds a few dozen. "
                         f"It was refused as unsafe. {resave}")
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED:
        raise InputError(f"{name} would expand to {total / MIB:.0f} MB, over the safe limit of "
                         f"{MAX_UNCOMPRESSED / MIB:.0f} MB (it may be a zip bomb); it was not opened. "
                         "If it is a genuine document, remove large images from it and save it again.")
    for entry in entries:
        if entry.file_size > MIB and entry.file_size > MAX_RATIO * max(1, entry.compress_size):
            raise InputError(f"{name} contains {entry.filename!r} compressed {entry.file_size // max(1, entry.compress_size)}"
                             f":1, far more than a real document (it may be a zip bomb); it was not opened. {resave}")
    names = {entry.filename for entry in entries}
    if required not in names:
        raise InputError(f"{name} is a zip archive but not {what} (it has no {required}). {resave}")
    return archive


# ---------------------------------------------------------------------------- docx
def read_docx(data: bytes, name: str) -> tuple[Blocks, list[str]]:
    """Paragraphs and table cells of a Word document, in order; headings flagged."""
    check_zip(data, name, "docx")
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks: Blocks = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend((text, False) for text in _table_cells(item))
            else:
                blocks.append((item.text, _is_heading(item)))
    except InputError:
        raise
    except Exception as error:  # python-docx raises many kinds (KeyError, lxml, zip) on bad parts
        raise InputError(f"{name} could not be read as a Word document ({type(error).__name__}: {error}). "
                         "Open it in Word or LibreOffice and save it again as .docx.") from None
    return blocks, []


def _table_cells(table) -> list[str]:
    texts: list[str] = []
    seen: dict[int, object] = {}  # holds the elements too: an id is unique only while its object lives
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per grid column it spans
                continue
            seen[id(cell._tc)] = cell._tc
            texts.append("\n".join(p.text for p in cell.paragraphs))
    return texts


def _is_heading(paragraph) -> bool:
    try:
        style = (paragraph.style.name or "").casefold()
    except (KeyError, AttributeError, ValueError):
        return False
    return style.startswith(("heading", "title", "otsikko", "subtitle"))


# ---------------------------------------------------------------------------- odt
def read_odt(data: bytes, name: str) -> tuple[Blocks, list[str]]:
    """Headings and paragraphs (also inside lists and tables) of an OpenDocument text."""
    check_zip(data, name, "odt")
    from odf import teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(data))
    except Exception as error:  # odfpy raises whatever its XML or zip layer raises
        raise InputError(f"{name} is damaged and could not be read as an OpenDocument text "
                         f"({type(error).__name__}: {error}). Open it in LibreOffice and save it again.") from None
    if not str(document.mimetype).startswith("application/vnd.oasis.opendocument.text"):
        raise InputError(f"{name} is an OpenDocument file of type {document.mimetype}, not a text document. "
                         "Save the transcript as .odt text.")
    blocks: Blocks = []

    def walk(node) -> None:
        for child in node.childNodes:
            qname = getattr(child, "qname", None)
            if qname == (TEXTNS, "h"):
                blocks.append((teletype.extractText(child), True))
            elif qname == (TEXTNS, "p"):
                blocks.append((teletype.extractText(child), False))
            elif getattr(child, "childNodes", None):
                walk(child)

    walk(document.text)
    return blocks, []


# ---------------------------------------------------------------------------- rtf
_CODEPAGE = re.compile(r"\\ansicpg(\d+)")


def read_rtf(data: bytes, name: str) -> tuple[Blocks, list[str]]:
    """Paragraphs of an RTF file (striprtf), decoded with the file's own code page."""
    raw = data.decode("latin-1")  # RTF is 7-bit; any byte maps to one character, undone below
    if not raw.lstrip("\ufeff\r\n\t ").startswith("{\\rtf"):
        raise InputError(f"{name} is not an RTF file (it does not start with {{\\rtf). If it is plain text, "
                         "rename it to .txt; otherwise open it in Word or LibreOffice and save it as .rtf or .docx.")
    if _unbalanced(raw):
        raise InputError(f"{name} is damaged: its RTF groups are not closed (the file may be cut short). "
                         "Open it in Word or LibreOffice, check the end of the text and save it again.")
    match = _CODEPAGE.search(raw[:2048])
    encoding = f"cp{match.group(1)}" if match else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    from striprtf.striprtf import rtf_to_text

    try:
        text = rtf_to_text(raw, encoding=encoding, errors="replace")
    except Exception as error:  # striprtf has no error types of its own
        raise InputError(f"{name} is damaged and could not be read as RTF ({type(error).__name__}: {error}). "
                         "Open it in Word or LibreOffice and save it again.") from None
    return [(line, False) for line in text.split("\n")], []


def _unbalanced(raw: str) -> bool:
    cleaned = _ESCAPED_BRACE.sub("", raw)
    return cleaned.count("{") != cleaned.count("}")


_ESCAPED_BRACE = re.compile(r"\\[\\{}]")


READERS: dict[str, Callable[[bytes, str], tuple[Blocks, list[str]]]] = {
    "docx": read_docx, "odt": read_odt, "rtf": read_rtf,
}
