"""Reading source files into text: `.txt`, `.md`, `.docx`, `.odt`, `.rtf`, `.srt`, `.vtt`.

`read_source(path)` returns a `RawSource`: the text as it will be stored (NFC, `\\n` line
endings), the original bytes of office files (so an export can ship them), the SHA-256 of the
file, warnings for the user, and for subtitles the speaker turns already known.

Every problem with a file is an `InputError` whose message names the file, says what is wrong
and what to do: a missing path, an unsupported kind of file, a file over the size limit
(`DEFAULT_MAX_BYTES`, refused before it is read), an empty or binary file, text that is
neither UTF-8, UTF-16 nor a single-byte Windows encoding, a damaged or hostile office file.
Spreadsheets of short texts (`.csv`, `.xlsx`) are read by `qualcode.io.rows`.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import InputError
from qualcode.store import TurnSpan

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 64 * MIB
"""Files larger than this are refused before reading (about 9 million words of plain text; an
interview transcript is well under 1 MB). Raise it with `--max-size` (MB)."""

TEXT_FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".text": "txt"}
OFFICE_FORMATS = {".docx": "docx", ".odt": "odt", ".rtf": "rtf"}
SUBTITLE_FORMATS = {".srt": "srt", ".vtt": "vtt"}
TABLE_FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
DOCUMENT_EXTENSIONS = frozenset(TEXT_FORMATS) | frozenset(OFFICE_FORMATS) | frozenset(SUBTITLE_FORMATS)
SUPPORTED_EXTENSIONS = DOCUMENT_EXTENSIONS | frozenset(TABLE_FORMATS)


@dataclass
class RawSource:
    """One file read and normalised, ready for turn detection."""

    path: Path
    text: str
    format: str
    source_hash: str
    original: bytes | None = None
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    turns: list[TurnSpan] | None = None
    """Turns known from the file itself (subtitles); None means: detect them in the text."""
    headings: list[tuple[int, int]] = field(default_factory=list)
    """(start, end) of title and heading paragraphs (office files, Markdown): not speech."""


def supported_list() -> str:
    return ", ".join(sorted(SUPPORTED_EXTENSIONS))


def check_path(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """Check that `path` is a readable file under the size limit; returns its size."""
    if not path.exists():
        raise InputError(f"{path} does not exist; check the path (and the spelling of the file name).")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give the folder to `qualcode import` to import every file in it.")
    if not path.is_file():
        raise InputError(f"{path} is not a regular file; give the path of a transcript file.")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"{path.name} is {size / MIB:.1f} MB, over the import limit of {max_bytes / MIB:.0f} MB. "
            "Split it into smaller files, or raise the limit with --max-size (in MB) if it really is "
            "one transcript.")
    if size == 0:
        raise InputError(f"{path.name} is empty; there is nothing to import. Check that it was saved.")
    return size


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    check_path(path, max_bytes)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since it was checked
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error.strerror}. Check its permissions.") from error
    if len(data) > max_bytes:
        raise InputError(f"{path.name} is over the import limit of {max_bytes / MIB:.0f} MB; "
                         "split it or raise the limit with --max-size.")
    return data


def read_source(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, join_hyphens: bool = False,
                drop_page_numbers: bool = False) -> RawSource:
    """Read one transcript file of a supported kind (see the module docstring)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in TABLE_FORMATS:
        raise InputError(f"{path.name} is a spreadsheet; import it with `qualcode import` (one document per row).")
    if suffix not in DOCUMENT_EXTENSIONS:
        raise InputError(f"{path.name}: files of type {suffix or '(no extension)'} cannot be imported. "
                         f"Supported: {supported_list()}. Save the transcript in one of these.")
    data = read_bytes(path, max_bytes)
    source_hash = hashlib.sha256(data).hexdigest()
    if suffix in OFFICE_FORMATS:
        from qualcode.io import office

        fmt = OFFICE_FORMATS[suffix]
        blocks, warnings = office.READERS[fmt](data, path.name)
        source = RawSource(path, "", fmt, source_hash, original=data, warnings=warnings)
        source.text, source.headings = _join_blocks(
            [(normalise(block, join_hyphens=join_hyphens, drop_page_numbers=drop_page_numbers), heading)
             for block, heading in blocks])
        _check_has_text(source.text, path)
        return source
    text, encoding, warnings = decode_text(data, path.name)
    if suffix in SUBTITLE_FORMATS:
        from qualcode.io.subtitles import read_subtitles

        fmt = SUBTITLE_FORMATS[suffix]
        body, turns = read_subtitles(normalise(text), fmt, path.name)
        source = RawSource(path, body, fmt, source_hash, encoding=encoding, warnings=warnings, turns=turns)
        _check_has_text(source.text, path)
        return source
    fmt = TEXT_FORMATS[suffix]
    text = normalise(text, join_hyphens=join_hyphens, drop_page_numbers=drop_page_numbers)
    _check_has_text(text, path)
    headings = markdown_headings(text) if fmt == "md" else []
    return RawSource(path, text, fmt, source_hash, encoding=encoding, warnings=warnings, headings=headings)


def _check_has_text(text: str, path: Path) -> None:
    if not text.strip():
        raise InputError(f"{path.name} contains no text; there is nothing to import.")


def _join_blocks(blocks: list[tuple[str, bool]]) -> tuple[str, list[tuple[int, int]]]:
    """Paragraphs joined by a blank line; returns the text and the spans of heading paragraphs."""
    parts: list[str] = []
    headings: list[tuple[int, int]] = []
    position = 0
    for block, heading in blocks:
        block = block.strip()
        if not block:
            continue
        if parts:
            position += 2
        if heading:
            headings.append((position, position + len(block)))
        parts.append(block)
        position += len(block)
    return "\n\n".join(parts), headings


_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+\S.*$", re.M)


def markdown_headings(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _MARKDOWN_HEADING.finditer(text)]


# ---------------------------------------------------------------------------- encodings
_UTF16_SAMPLE = 4096
_BINARY_SIGNATURES = {
    b"%PDF": "a PDF file; copy its text into a .txt or .docx file and import that",
    b"PK\x03\x04": "a zip archive (perhaps a Word or Excel file with the wrong extension); give it the right "
                   "extension (.docx, .odt or .xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Word/Excel (.doc/.xls) file; open it and save it as .docx (or .xlsx)",
}


def decode_text(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 (BOM or detected), else cp1252
    (or latin-1) with a warning. Returns (text, encoding, warnings)."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode_utf8(data[3:], name, "utf-8-sig")
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _check_text(_decode_strict(data, encoding, name), name), encoding, []
    guessed = _guess_utf16(data)
    if guessed:
        return _check_text(_decode_strict(data, guessed, name), name), guessed, []
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(f"{name} is not a text file: it is {what}.")
    if b"\x00" in data or _control_share(data) > 0.01:
        raise _binary(name)
    return _decode_utf8(data, name, "utf-8")


def _binary(name: str) -> InputError:
    return InputError(f"{name} is not a text file (it holds binary data). Give a transcript as .txt, .docx, "
                      ".odt, .rtf, .srt or .vtt; if it is text, open it in an editor and save it as UTF-8.")


def _check_text(text: str, name: str) -> str:
    sample = text[:65536]
    controls = sum(1 for c in sample if c < " " and c not in "\t\n\r\f")
    if controls > 0.01 * max(1, len(sample)):
        raise _binary(name)
    return text


def _decode_utf8(data: bytes, name: str, encoding: str) -> tuple[str, str, list[str]]:
    try:
        return data.decode("utf-8"), encoding, []
    except UnicodeDecodeError as error:
        bad = error.start
    if _has_utf8_sequences(data):
        line = data.count(b"\n", 0, bad) + 1
        raise InputError(
            f"{name} is not valid UTF-8: byte {bad} (line {line}) is broken, although the rest of the file is "
            "UTF-8, so the file is damaged or mixes encodings. Open it in a text editor, fix or retype the "
            "characters around that line and save it as UTF-8, then import it again.")
    try:
        text, used = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, used = data.decode("latin-1"), "latin-1"
    label = "Windows-1252 (cp1252)" if used == "cp1252" else "Latin-1"
    return text, used, [f"{name} is not UTF-8; read it as {label}. If letters such as ä and ö look wrong, "
                        "save the file as UTF-8 and import it again."]


def _decode_strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(f"{name} looks like {encoding.upper()} text but byte {error.start} cannot be decoded; "
                         "the file may be damaged. Open it in an editor and save it as UTF-8.") from None


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: most text characters have a zero high byte."""
    sample = data[:_UTF16_SAMPLE]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > 0.4 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if even_zeros > 0.4 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    return None


_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13))


def _control_share(data: bytes) -> float:
    sample = data[:65536]
    removed = sample.translate(None, _CONTROL)
    return (len(sample) - len(removed)) / max(1, len(sample))


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _has_utf8_sequences(data: bytes) -> bool:
    """Whether the bytes contain well-formed multi-byte UTF-8 characters (rare in cp1252 text)."""
    return _UTF8_SEQUENCE.search(data) is not None


# ---------------------------------------------------------------------------- normalising
_HYPHEN_BREAK = re.compile(r"([^\W\d_])-[ \t]*\n[ \t]*([^\W\d_])")
_PAGE_NUMBER_LINE = re.compile(
    r"^[ \t]*(?:[-–—][ \t]*)?(?:(?:sivu|page|s\.|p\.)[ \t]*)?\d{1,4}(?:[ \t]*(?:/|of)[ \t]*\d{1,4})?"
    r"(?:[ \t]*[-–—])?[ \t]*(?:\n|\Z)", re.M | re.I)
_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n"})


def normalise(text: str, *, join_hyphens: bool = False, drop_page_numbers: bool = False) -> str:
    """NFC, `\\n` line endings; optionally join words hyphenated at line breaks (`asiak-\\nkaat` ->
    `asiakkaat`) and drop lines holding only a page number (text copied from PDFs)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_LINE_BREAKS)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if drop_page_numbers:
        text = _PAGE_NUMBER_LINE.sub("", text)
    if join_hyphens:
        text = _HYPHEN_BREAK.sub(_join_hyphen, text)
    return text


def _join_hyphen(match: re.Match[str]) -> str:
    before, after = match.group(1), match.group(2)
    if after.islower():
        return before + after
    return match.group(0)  # `Kaarna-\nDesign`: a real hyphen before a capital stays
