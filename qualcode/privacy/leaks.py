"""The leak check: every listed real name, in any inflected form, wherever it is stored.

`find_leaks` scans a project (documents, titles, speaker labels, memos, codebook text, coding
memos, settings, respondents, the history kept for undo, and the imported original files)
and any exported files; each hit says where it is. The export guard (`guard_export`,
`assert_no_leaks`) is what `qualcode export` calls so a file holding a listed name is never
written unless the user says so (`--allow-names`).

Exported files are read as text (csv, tsv, md, tex, html, json, txt, xml, qde, svg), with HTML
entities, JSON `\\u` escapes and TeX accents decoded, soft hyphens and zero-width characters
dropped; .xlsx through openpyxl (cells, comments, sheet names, properties), .docx through
python-docx (paragraphs, tables, headers, footers, properties, plus footnotes and comments),
.qdpx/.zip member by member. Offsets of a hit in a file are in that decoded text.
"""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from qualcode.errors import ConflictError, InputError
from qualcode.privacy.matching import NameMatcher
from qualcode.privacy.names import Pseudonym, read_names

NAMES_SETTING = "names_file"
TEXT_FORMATS = {"csv", "tsv", "md", "markdown", "tex", "latex", "html", "htm", "json", "txt", "xml", "qde", "qdc",
                "svg", "yaml", "yml", "srt", "vtt", "rtf"}
IMAGE_FORMATS = {"png", "jpg", "jpeg", "gif", "pdf"}
_CONTEXT = 40
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_TEX_ACCENTS = re.compile(r"\{?\\([\"'`^~])\{?([A-Za-z])\}?\}?")
_TEX_MARKS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303"}
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


class NamesLeakError(ConflictError):
    """A file about to be written holds a listed real name."""

    def __init__(self, message: str, leaks: Sequence[Leak]) -> None:
        super().__init__(message)
        self.leaks = list(leaks)


@dataclass(frozen=True)
class Leak:
    """One occurrence of a listed real name."""

    name: str  # the real name as listed
    where: str  # "document text", "code description (id 4)", "summary.xlsx sheet 'Taulukko' cell B4" ...
    document: str | None  # the document's title, or the exported file, when there is one
    start: int  # offsets in that text (document offsets for document text)
    end: int
    context: str  # the text around the hit, on one line
    text: str = ""  # the form found, e.g. "Porkalle"

    def to_json(self) -> dict:
        return {"name": self.name, "where": self.where, "document": self.document, "start": self.start,
                "end": self.end, "context": self.context}


def matcher_for(names) -> NameMatcher:
    """A NameMatcher from a matcher, a names list, pairs, a dict or the path of a names CSV."""
    return names if isinstance(names, NameMatcher) else NameMatcher(names)


# ---------------------------------------------------------------- scanning
def scan_text(text: str, names, *, where: str, document: str | None = None) -> list[Leak]:
    """Every hit in one text."""
    matcher = matcher_for(names)
    return [Leak(m.name.real, where, document, m.start, m.end, context(text, m.start, m.end), m.text)
            for m in matcher.finditer(text)]


def find_leaks(store, names, *, exports: Iterable[str | Path] = (), history: bool = True,
               originals: bool = True) -> list[Leak]:
    """Every hit in the project and in the given exported files, in storage order."""
    matcher = matcher_for(names)
    leaks: list[Leak] = []
    if not matcher:
        return leaks
    for cell in store.text_cells(history=history):
        leaks += scan_text(cell.text, matcher, where=cell.where, document=cell.document)
    if originals:
        for _doc_id, title, fmt, data in store.document_originals():
            text = _original_text(data, fmt)
            if text is not None:
                leaks += scan_text(text, matcher, where="document original file", document=title)
    for path in exports:
        leaks += scan_file(path, matcher)
    return leaks


def scan_file(path: str | Path, names, *, fmt: str | None = None, label: str | None = None) -> list[Leak]:
    """Every hit in an exported file; `fmt` overrides the format taken from the suffix and
    `label` the file name the hits are reported under (both for a temporary file such as
    `.table.xlsx.part`)."""
    path = Path(path)
    matcher = matcher_for(names)
    kind = (fmt or path.suffix.lstrip(".")).lower()
    if not path.is_file():
        raise InputError(f"{path} does not exist.")
    label = label or path.name
    leaks: list[Leak] = []
    for where, text in _file_texts(path, kind, label):
        for leak in scan_text(text, matcher, where=where, document=str(path)):
            if "\n" in text:  # name the line, for a file read as text or a multi-line cell
                leak = replace(leak, where=f"{where} line {text.count(chr(10), 0, leak.start) + 1}")
            leaks.append(leak)
    return leaks


def _file_texts(path: Path, kind: str, label: str) -> Iterator[tuple[str, str]]:
    if kind in ("xlsx", "xlsm"):
        yield from _xlsx_texts(path, label)
    elif kind == "docx":
        yield from _docx_texts(path.read_bytes(), label)
    elif kind in ("qdpx", "zip"):
        yield from _zip_texts(path, label)
    elif kind in TEXT_FORMATS:
        yield label, _decode(path.read_bytes(), kind)
    else:
        data = path.read_bytes()
        if b"\x00" in data[:4096]:
            raise InputError(f"qualcode cannot read {label} ({kind or 'no suffix'}) for names; check it by eye, or "
                             "export it as csv, xlsx, docx, md, tex, html or json and check that.")
        yield label, _decode(data, kind)


def _decode(data: bytes, kind: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if kind in ("html", "htm", "xml", "qde", "qdc", "svg"):
        text = html.unescape(text)
    elif kind == "json":
        text = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    elif kind in ("tex", "latex"):
        text = _TEX_ACCENTS.sub(lambda m: unicodedata.normalize("NFC", m.group(2) + _TEX_MARKS[m.group(1)]), text)
        text = text.replace("\\&", "&").replace("\\_", "_").replace("\\-", "").replace("~", " ")
    return normalise(text)


def normalise(text: str) -> str:
    """NFC, without soft hyphens and zero-width characters that could hide a name."""
    return unicodedata.normalize("NFC", text).translate(_INVISIBLE)


def _xlsx_texts(path: Path, label: str) -> Iterator[tuple[str, str]]:
    import openpyxl

    try:
        with path.open("rb") as handle:  # a handle, so a temporary `.part` name is accepted
            workbook = openpyxl.load_workbook(io.BytesIO(handle.read()), data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise InputError(f"Cannot read {label} as an Excel workbook: {error}") from error
    properties = workbook.properties
    for field in ("title", "subject", "creator", "description", "keywords", "lastModifiedBy", "category"):
        value = getattr(properties, field, None)
        if isinstance(value, str) and value:
            yield f"{label} property {field}", normalise(value)
    for sheet in workbook.worksheets:
        yield f"{label} sheet name", normalise(sheet.title)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value:
                    yield f"{label} sheet {sheet.title!r} cell {cell.coordinate}", normalise(cell.value)
                if cell.comment is not None and cell.comment.text:
                    yield f"{label} sheet {sheet.title!r} comment on {cell.coordinate}", normalise(cell.comment.text)
        for where, text in (("header", sheet.oddHeader), ("footer", sheet.oddFooter)):
            for part in (text.left, text.center, text.right):
                if part.text:
                    yield f"{label} sheet {sheet.title!r} {where}", normalise(part.text)


def _docx_texts(data: bytes, label: str) -> Iterator[tuple[str, str]]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a damaged file
        raise InputError(f"Cannot read {label} as a Word document: {error}") from error
    core = document.core_properties
    for field in ("title", "subject", "author", "comments", "keywords", "last_modified_by", "category"):
        value = getattr(core, field, None)
        if isinstance(value, str) and value:
            yield f"{label} property {field}", normalise(value)
    for index, paragraph in enumerate(document.paragraphs, start=1):
        if paragraph.text:
            yield f"{label} paragraph {index}", normalise(paragraph.text)
    for number, table in enumerate(document.tables, start=1):
        yield from _docx_table(table, f"{label} table {number}")
    for number, section in enumerate(document.sections, start=1):
        for part_name in ("header", "footer", "first_page_header", "first_page_footer", "even_page_header",
                          "even_page_footer"):
            part = getattr(section, part_name)
            if part.is_linked_to_previous and number > 1:
                continue
            for paragraph in part.paragraphs:
                if paragraph.text:
                    yield f"{label} section {number} {part_name.replace('_', ' ')}", normalise(paragraph.text)
            for table in part.tables:
                yield from _docx_table(table, f"{label} section {number} {part_name.replace('_', ' ')} table")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in ("word/footnotes.xml", "word/endnotes.xml", "word/comments.xml"):
            if member in archive.namelist():
                for index, text in enumerate(_xml_paragraphs(archive.read(member)), start=1):
                    yield f"{label} {member.split('/')[1].removesuffix('.xml')} paragraph {index}", normalise(text)


def _docx_table(table, where: str) -> Iterator[tuple[str, str]]:
    for r, row in enumerate(table.rows, start=1):
        for c, cell in enumerate(row.cells, start=1):
            text = cell.text
            if text:
                yield f"{where} row {r} cell {c}", normalise(text)
            for inner in cell.tables:
                yield from _docx_table(inner, f"{where} row {r} cell {c} table")


def _xml_paragraphs(xml: bytes) -> list[str]:
    """The text of each <w:p> of a WordprocessingML part (runs joined, so split runs match)."""
    from defusedxml import ElementTree

    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = ElementTree.fromstring(xml)
    return ["".join(t.text or "" for t in p.iter(f"{namespace}t")) for p in root.iter(f"{namespace}p")]


def _zip_texts(path: Path, label: str) -> Iterator[tuple[str, str]]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise InputError(f"Cannot read {label} as a zip archive: {error}") from error
    with archive:
        for info in archive.infolist():
            kind = info.filename.rsplit(".", 1)[-1].lower() if "." in info.filename else ""
            if info.is_dir():
                continue
            if kind == "docx":
                yield from _docx_texts(archive.read(info), f"{label}!{info.filename}")
            elif kind in TEXT_FORMATS:
                yield f"{label}!{info.filename}", _decode(archive.read(info), kind)


def _original_text(data: bytes, fmt: str) -> str | None:
    """The text of an imported original file, where qualcode can read it."""
    fmt = (fmt or "").lower()
    if fmt == "docx" or data[:2] == b"PK":
        try:
            return "\n".join(text for _where, text in _docx_texts(data, "original"))
        except InputError:
            return None
    if b"\x00" in data[:4096]:
        return None
    return _decode(data, fmt)


def context(text: str, start: int, end: int, width: int = _CONTEXT) -> str:
    """The hit with `width` characters either side, on one line."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    snippet = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + snippet + ("…" if right < len(text) else "")


def summary(leaks: Iterable[Leak]) -> dict[str, int]:
    """Hits per listed name, most first."""
    return dict(Counter(leak.name for leak in leaks).most_common())


# ---------------------------------------------------------------- the export guard
def project_names(store) -> list[Pseudonym] | None:
    """The names list remembered by the project (setting `names_file`), or None."""
    setting = store.get_setting(NAMES_SETTING)
    if not setting:
        return None
    path = Path(setting)
    if not path.is_file():
        raise InputError(f"The project's names list {path} is missing, so exports cannot be checked for real names. "
                         f"Give it again with `qualcode check-leaks PROJECT --names FILE --remember`, or write the "
                         f"export with --allow-names.")
    return list(_cached_names(str(path), path.stat().st_mtime_ns).names)


def remember_names(store, path: str | Path) -> Path:
    """Make exports of this project check for the names in `path` (setting `names_file`)."""
    path = Path(path).resolve()
    read_names(path)  # refuse a list that cannot be read
    store.set_setting(NAMES_SETTING, str(path))
    return path


@lru_cache(maxsize=8)
def _cached_names(path: str, _mtime: int) -> NameMatcher:
    return NameMatcher(read_names(path))


def _guard_matcher(store, names) -> NameMatcher | None:
    if names is not None:
        return matcher_for(names)
    if store is None or not store.get_setting(NAMES_SETTING):
        return None
    path = Path(store.get_setting(NAMES_SETTING))
    project_names(store)  # a clear error when the file is missing
    return _cached_names(str(path), path.stat().st_mtime_ns)


def guard_export(store, text_or_path: str | Path, names=None, *, allow_names: bool = False,
                 fmt: str | None = None, label: str | None = None) -> list[Leak]:
    """Check an export before it is handed out: a `str` is the text about to be written, a
    `Path` a written file (`fmt` gives its format when the suffix does not). The names are
    `names` if given, else the project's remembered list; with neither, nothing is checked.
    `label` names a temporary file by the file it becomes.

    Raises NamesLeakError when a listed name is found, unless `allow_names`; returns the hits.
    Pictures (png, pdf...) cannot be read back and pass unchecked: give the text they show
    (labels, title) as a `str` instead.
    """
    matcher = _guard_matcher(store, names)
    if matcher is None or not matcher:
        return []
    if isinstance(text_or_path, Path) and (fmt or text_or_path.suffix.lstrip(".")).lower() in IMAGE_FORMATS:
        return []  # pictures cannot be read back: check the labels drawn with guard_export(store, text)
    if isinstance(text_or_path, Path):
        leaks = scan_file(text_or_path, matcher, fmt=fmt, label=label)
    else:
        leaks = scan_text(normalise(text_or_path), matcher, where="export")
    if leaks and not allow_names:
        found = ", ".join(f"{name} ({count})" for name, count in summary(leaks).items())
        first = leaks[0]
        raise NamesLeakError(
            f"The export holds real names from the names list: {found}; first at {first.where}: "
            f"{first.context!r}. Export from the pseudonymised copy (`qualcode pseudonymise`), or give "
            f"--allow-names to write it anyway.", leaks)
    return leaks


def assert_no_leaks(store, path: str | Path, names=None, *, allow_names: bool = False,
                    fmt: str | None = None, label: str | None = None) -> list[Leak]:
    """The guard for a written file: call it on the temporary file, before moving it into place."""
    return guard_export(store, Path(path), names, allow_names=allow_names, fmt=fmt, label=label)


def leaks_as_json(leaks: Iterable[Leak]) -> str:
    return json.dumps([leak.to_json() for leak in leaks], ensure_ascii=False, indent=2)
