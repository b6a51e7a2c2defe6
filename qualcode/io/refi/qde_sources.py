"""Reading a .qdpx's sources: their texts (plain text, a .docx beside an empty .txt,
transcripts of media), the readings their offsets count in, their selections and codings.

`SourceReader` is a part of the project reader (`qde_read._Reader`), which supplies
`archive`, `name`, `problems`, `project_`, `skip()` and `value()`.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from lxml import etree

from qualcode.io.readers import decode_text
from qualcode.io.refi.model import RefiCoding, RefiSelection, RefiSource
from qualcode.io.refi.text import OffsetMap, choose_reading, docx_paragraph_texts, docx_readings, readings
from qualcode.io.refi.xml import child, child_text, children, derived_guid, local, normal_guid, ref_targets
from qualcode.io.refi.zipfile_safety import internal_path

MAX_TEXT_BYTES = 64 * 1024 * 1024
"""The largest source text read (as for `qualcode import`)."""


class SourceReader:
    def sources(self, element: etree._Element) -> None:
        project = self.project_
        for source in element:
            kind = local(source)
            name = source.get("name") or ""
            if kind == "TextSource":
                read = self.text_source(source, "text")
                if read:
                    project.sources.append(read)
            elif kind == "PDFSource":
                representation = child(source, "Representation")
                areas = len(list(children(source, "PDFSelection")))
                if areas:
                    self.skip("PDF area selections (their codings)", areas)
                if representation is None:
                    self.skip("PDF sources without a text representation")
                    continue
                read = self.text_source(representation, "pdf", name=name or representation.get("name"),
                                        guid=source.get("guid"))
                if read:
                    original = self.original(source.get("path"), name)
                    if original:
                        read.original, read.original_format = original
                    read.note_refs += ref_targets(source, "NoteRef")
                    read.values += [v for v in (self.value(e) for e in children(source, "VariableValue")) if v]
                    project.sources.append(read)
            elif kind in ("AudioSource", "VideoSource"):
                self.skip(f"{'audio' if kind == 'AudioSource' else 'video'} files (media are not kept; "
                          "their transcripts are)")
                selections = len(list(children(source, "AudioSelection", "VideoSelection")))
                if selections:
                    self.skip("time-based media selections (their codings)", selections)
                for transcript in children(source, "Transcript"):
                    read = self.transcript(transcript, name)
                    if read:
                        project.sources.append(read)
            elif kind == "PictureSource":
                self.skip("pictures (and their area codings)")

    def text_source(self, element: etree._Element, kind: str, *, name: str | None = None,
                    guid: str | None = None) -> RefiSource | None:
        name = (name if name is not None else element.get("name")) or ""
        guid = normal_guid(guid) or normal_guid(element.get("guid")) or derived_guid(f"refi-source:{self.name}:{name}")
        title = name.strip() or _file_title(element.get("plainTextPath") or element.get("richTextPath")) or guid
        raw_selections = list(children(element, "PlainTextSelection"))
        quotes = [(_int(s.get("startPosition")), _int(s.get("endPosition")), s.get("name")) for s in raw_selections]
        text_info = self.source_text(element, title, quotes)
        if text_info is None:
            return None
        offsets, reading, original = text_info
        source = RefiSource(guid, title, kind, offsets.text, selections=[], note_refs=ref_targets(element, "NoteRef"),
                            values=[v for v in (self.value(e) for e in children(element, "VariableValue")) if v],
                            description=child_text(element, "Description") or "",
                            user=normal_guid(element.get("creatingUser")), created=element.get("creationDateTime"),
                            reading=reading)
        if original:
            source.original, source.original_format = original
        for selection in raw_selections:
            read = self.selection(selection, source, offsets)
            if read:
                source.selections.append(read)
        whole = [self.coding(c) for c in children(element, "Coding")]
        whole = [c for c in whole if c]
        if whole and source.text:
            source.selections.append(RefiSelection(derived_guid(f"refi-whole:{guid}"), 0, len(source.text), 0,
                                                   offsets.raw_length, name=title, codings=whole))
            self.project_.info.append(f"codings of the whole source {title!r}, now codings of its whole text: "
                                      f"{len(whole)}")
        return source

    def source_text(self, element: etree._Element, title: str, quotes) -> tuple[OffsetMap, str, tuple | None] | None:
        """The text of a source and how its offsets are read, and its original (.docx) if any."""
        original = None
        rich = element.get("richTextPath")
        if rich:
            original = self.original(rich, title)
        content = child_text(element, "PlainTextContent")
        plain = element.get("plainTextPath")
        decoded, had_bom = None, False
        if plain:
            entry_name = internal_path(plain)
            if entry_name is None:
                self.skip("external text files (only files inside the .qdpx are read)")
            else:
                entry = self.archive.find(f"sources/{entry_name}", entry_name)
                if entry is None:
                    self.problems.append(f"the text of {title!r} ({plain}) is missing from the archive")
                    return None
                data = self.archive.read(entry, limit=MAX_TEXT_BYTES)
                decoded, had_bom = self.decode(data, f"{title} ({entry_name})")
        if decoded is None and content is not None:
            decoded = content
        # some tools leave a one-byte placeholder .txt and keep the text only in the .docx
        placeholder = decoded is None or len(decoded.strip().strip("\x00\ufeff")) <= 1
        if placeholder and original and original[1] == "docx":
            paragraphs = docx_paragraph_texts(original[0], title)
            options = docx_readings(paragraphs)
            chosen = choose_reading(options, quotes)
            self.project_.info.append(f"the text of {title!r} was taken from its .docx ({chosen.label}) because "
                                      "its plain-text file is empty; check its codings.")
            return OffsetMap(chosen.raw), chosen.label, original
        if decoded is None:
            self.skip("sources without any text")
            return None
        options = readings(decoded, had_bom)
        chosen = choose_reading(options, quotes)
        if chosen is not options[0]:
            self.project_.info.append(f"the selections in {title!r} count the text {chosen.label} (their quoted "
                                      "names match only that way).")
        return OffsetMap(chosen.raw), chosen.label, original

    def decode(self, data: bytes, name: str) -> tuple[str, bool]:
        """Text as REFI-QDA stores it: UTF-8, perhaps with a BOM (which is not counted). Other
        encodings are decoded as `qualcode import` would, with a note."""
        if data.startswith(codecs.BOM_UTF8):
            body, had_bom = data[3:], True
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text, encoding, warnings = decode_text(data, name)
            return text, True
        else:
            body, had_bom = data, False
        try:
            return body.decode("utf-8"), had_bom
        except UnicodeDecodeError:
            text, encoding, warnings = decode_text(body, name)
            self.project_.info.extend(warnings or [f"{name} is not UTF-8; it was read as {encoding}."])
            return text, had_bom

    def original(self, reference: str | None, title: str) -> tuple[bytes, str] | None:
        if not reference:
            return None
        entry_name = internal_path(reference)
        if entry_name is None:
            self.skip("external original files (only files inside the .qdpx are read)")
            return None
        entry = self.archive.find(f"sources/{entry_name}", entry_name)
        if entry is None:
            self.project_.info.append(f"the original file of {title!r} ({reference}) is missing from the archive.")
            return None
        suffix = Path(entry_name).suffix.lower().lstrip(".")
        return self.archive.read(entry), suffix or "bin"

    def selection(self, element: etree._Element, source: RefiSource, offsets: OffsetMap) -> RefiSelection | None:
        guid = normal_guid(element.get("guid")) or ""
        raw_start, raw_end = _int(element.get("startPosition")), _int(element.get("endPosition"))
        label = f"selection {element.get('guid') or '?'} in {source.name!r}"
        if raw_start is None or raw_end is None:
            self.problems.append(f"{label} has no valid startPosition/endPosition")
            return None
        if not (0 <= raw_start <= raw_end <= offsets.raw_length):
            self.problems.append(f"{label} spans {raw_start}-{raw_end}, outside its text (0-{offsets.raw_length})")
            return None
        start, end = offsets.start(raw_start), offsets.end(raw_end)
        codings = [c for c in (self.coding(c) for c in children(element, "Coding")) if c]
        if start >= end:
            if codings:
                self.skip("empty selections (their codings)", len(codings))
            return None
        return RefiSelection(guid, start, end, raw_start, raw_end, name=element.get("name"),
                             description=child_text(element, "Description") or "", codings=codings,
                             note_refs=ref_targets(element, "NoteRef"), user=normal_guid(element.get("creatingUser")),
                             created=element.get("creationDateTime"))

    def coding(self, element: etree._Element) -> RefiCoding | None:
        refs = ref_targets(element, "CodeRef")
        if not refs:
            self.problems.append(f"coding {element.get('guid') or '?'} names no code")
            return None
        return RefiCoding(normal_guid(element.get("guid")) or "", refs[0], normal_guid(element.get("creatingUser")),
                          element.get("creationDateTime"), ref_targets(element, "NoteRef"))

    def transcript(self, element: etree._Element, media_name: str) -> RefiSource | None:
        name = element.get("name") or f"{media_name} transcript"
        guid = normal_guid(element.get("guid")) or derived_guid(f"refi-transcript:{self.name}:{name}")
        text_info = self.source_text(element, name, [])
        if text_info is None:
            return None
        offsets, reading, original = text_info
        source = RefiSource(guid, name.strip() or guid, "transcript", offsets.text,
                            note_refs=ref_targets(element, "NoteRef"), reading=reading)
        if original:
            source.original, source.original_format = original
        sync = {normal_guid(p.get("guid")): _int(p.get("position")) for p in children(element, "SyncPoint")}
        for item in children(element, "TranscriptSelection"):
            start = sync.get(normal_guid(item.get("fromSyncPoint")))
            end = sync.get(normal_guid(item.get("toSyncPoint")))
            codings = [c for c in (self.coding(c) for c in children(item, "Coding")) if c]
            if start is None or end is None:
                self.skip("transcript selections without their sync points", 1)
                continue
            if not (0 <= start <= end <= offsets.raw_length):
                self.problems.append(f"transcript selection {item.get('guid') or '?'} in {name!r} spans "
                                     f"{start}-{end}, outside its text (0-{offsets.raw_length})")
                continue
            mapped_start, mapped_end = offsets.start(start), offsets.end(end)
            if mapped_start < mapped_end:
                source.selections.append(RefiSelection(normal_guid(item.get("guid")) or "", mapped_start, mapped_end,
                                                       start, end, name=item.get("name"),
                                                       description=child_text(item, "Description") or "",
                                                       codings=codings, note_refs=ref_targets(item, "NoteRef")))
        return source


def _file_title(reference: str | None) -> str | None:
    """A title from a source file reference when the source has no name (`board_2017.txt`)."""
    if not reference:
        return None
    stem = Path(reference.replace("\\", "/").split("://")[-1]).stem.strip()
    return stem or None


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None
