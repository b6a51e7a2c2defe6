"""Reading a .qdpx (ours or another tool's) into a `RefiProject`, without touching a project.

Tolerant of what real exports do: a capitalised `Sources/` folder, `Project.qde`, paths with or
without `internal://`, a missing namespace, CRLF text, byte-order marks, text only in a .docx
beside an empty .txt, `{braced}` upper-case GUIDs, missing colours. Strict about what would
corrupt a project: a selection outside its text or a coding of a code that does not exist is a
*problem*; `read_qdpx(strict=True)` refuses the file over it, `strict=False` leaves the broken
item out and lists it.
"""

from __future__ import annotations

import codecs
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from qualcode.errors import InputError
from qualcode.io.readers import decode_text
from qualcode.io.refi.model import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiLink,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiValue,
    RefiVariable,
)
from qualcode.io.refi.text import OffsetMap, choose_reading, docx_paragraph_texts, docx_readings, readings
from qualcode.io.refi.xml import (
    PROJECT_NS,
    child,
    child_text,
    children,
    derived_guid,
    local,
    normal_guid,
    parse_xml,
    ref_targets,
    rgb,
)
from qualcode.io.refi.zipfile_safety import SafeArchive, internal_path

MAX_TEXT_BYTES = 64 * 1024 * 1024
"""The largest source text read (as for `qualcode import`)."""
MAX_PROBLEMS_SHOWN = 5


def read_qdpx(path: str | Path, *, strict: bool = True) -> RefiProject:
    """Read a .qdpx file into a `RefiProject` (see `qualcode.io.refi.model`).

    Raises InputError for a file that is not a safe, readable .qdpx, and with `strict` also for
    broken content (listing it); with `strict=False` broken items are left out and listed in
    `project.problems`.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file; check the path.")
    with SafeArchive(path) as archive:
        qde = _project_entry(archive)
        root = parse_xml(archive.read(qde), f"{path.name}/{qde.filename}")
        project = _Reader(archive, path.name).project(root)
    if strict and project.problems:
        raise InputError(problems_message(path.name, project.problems))
    return project


def problems_message(name: str, problems: list[str]) -> str:
    shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
    more = f" (and {len(problems) - MAX_PROBLEMS_SHOWN} more)" if len(problems) > MAX_PROBLEMS_SHOWN else ""
    return (f"{name} cannot be imported as it is: {len(problems)} broken item{'s' if len(problems) != 1 else ''}: "
            f"{shown}{more}. Nothing was imported. Give --skip-invalid to import everything else and leave "
            "these out.")


def _project_entry(archive: SafeArchive):
    entry = archive.find("project.qde")
    if entry is None:
        found = archive.root_files(".qde")
        if len(found) == 1:
            entry = found[0]
    if entry is None:
        raise InputError(f"{archive.name} holds no project.qde, so it is not a REFI-QDA project export "
                         "(a codebook alone is a .qdc file: import it with `qualcode import-qdc`).")
    return entry


class _Reader:
    def __init__(self, archive: SafeArchive, name: str) -> None:
        self.archive = archive
        self.name = name
        self.problems: list[str] = []
        self.not_kept: dict[str, int] = {}

    def skip(self, what: str, count: int = 1) -> None:
        self.not_kept[what] = self.not_kept.get(what, 0) + count

    # ------------------------------------------------------------------------ project
    def project(self, root: etree._Element) -> RefiProject:
        if local(root) != "Project":
            raise InputError(f"{self.name}: project.qde is not a REFI-QDA project (its root element is "
                             f"<{local(root) or root.tag}>, not <Project>).")
        project = RefiProject(name=(root.get("name") or "").strip() or Path(self.name).stem,
                              origin=root.get("origin") or "",
                              creating_user=normal_guid(root.get("creatingUserGUID")))
        namespace = etree.QName(root).namespace
        if namespace != PROJECT_NS:
            project.info.append(f"project.qde uses the namespace {namespace or '(none)'} instead of {PROJECT_NS}; "
                                "read it anyway.")
        self.project_ = project
        for element in root:
            name = local(element)
            if name == "Users":
                for user in children(element, "User"):
                    guid = normal_guid(user.get("guid"))
                    if guid:
                        project.users[guid] = RefiUser(guid, (user.get("name") or user.get("id") or guid[:8]).strip())
            elif name == "CodeBook":
                codes = child(element, "Codes")
                if codes is not None:
                    project.codes = [self.code(c, None) for c in children(codes, "Code")]
            elif name == "Variables":
                for variable in children(element, "Variable"):
                    guid = normal_guid(variable.get("guid"))
                    if guid:
                        project.variables[guid] = RefiVariable(guid, (variable.get("name") or "").strip() or guid[:8],
                                                               variable.get("typeOfVariable") or "Text",
                                                               child_text(variable, "Description") or "")
            elif name == "Cases":
                project.cases = [self.case(c) for c in children(element, "Case")]
            elif name == "Sources":
                self.sources(element)
            elif name == "Notes":
                for note in children(element, "Note"):
                    read = self.note(note)
                    if read:
                        project.notes[read.guid] = read
            elif name == "Links":
                for link in children(element, "Link"):
                    project.links.append(RefiLink(normal_guid(link.get("guid")) or "",
                                                  normal_guid(link.get("originGUID")),
                                                  normal_guid(link.get("targetGUID")), link.get("name") or "",
                                                  link.get("direction")))
            elif name == "Sets":
                for item in children(element, "Set"):
                    project.sets.append(RefiSet(normal_guid(item.get("guid")) or "", item.get("name") or "",
                                                child_text(item, "Description") or "", ref_targets(item, "MemberCode"),
                                                ref_targets(item, "MemberSource"), ref_targets(item, "MemberNote")))
            elif name == "Graphs":
                self.skip("graphs", len(list(children(element, "Graph"))))
            elif name == "Description":
                project.description = element.text or ""
            elif name == "NoteRef":
                guid = normal_guid(element.get("targetGUID"))
                if guid:
                    project.note_refs.append(guid)
        self.check(project)
        project.problems = self.problems
        project.not_kept = [f"{what}: {count}" for what, count in self.not_kept.items()] + project.not_kept
        return project

    def code(self, element: etree._Element, parent: str | None) -> RefiCode:
        guid = normal_guid(element.get("guid")) or derived_guid(f"refi-code:{self.name}:{element.get('name')}:{parent}")
        colour_attr = element.get("color")
        colour = rgb(colour_attr)
        if colour_attr and colour is None:
            self.project_.info.append(f"code {element.get('name')!r} has the colour {colour_attr!r}, which is not "
                                      "#rrggbb; it was given a colour from the palette.")
        code = RefiCode(guid, (element.get("name") or "").strip(),
                        codable=(element.get("isCodable") or "true").strip().lower() not in ("false", "0"),
                        colour=colour, description=child_text(element, "Description") or "",
                        note_refs=ref_targets(element, "NoteRef"), parent=parent)
        code.children = [self.code(c, guid) for c in children(element, "Code")]
        return code

    def case(self, element: etree._Element) -> RefiCase:
        guid = normal_guid(element.get("guid")) or ""
        return RefiCase(guid, (element.get("name") or "").strip(), child_text(element, "Description") or "",
                        [v for v in (self.value(e) for e in children(element, "VariableValue")) if v],
                        ref_targets(element, "SourceRef"), ref_targets(element, "SelectionRef"),
                        ref_targets(element, "CodeRef"))

    def value(self, element: etree._Element) -> RefiValue | None:
        ref = child(element, "VariableRef")
        guid = normal_guid(ref.get("targetGUID")) if ref is not None else None
        if guid is None:
            return None
        for kind in ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue"):
            found = child(element, kind)
            if found is not None:
                return RefiValue(guid, _typed_value(kind, found.text), kind[:-len("Value")])
        return RefiValue(guid, None, "Text")

    # ------------------------------------------------------------------------ sources
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

    def note(self, element: etree._Element) -> RefiNote | None:
        guid = normal_guid(element.get("guid"))
        if guid is None:
            return None
        text = child_text(element, "PlainTextContent")
        plain = element.get("plainTextPath")
        if text is None and plain:
            entry_name = internal_path(plain)
            entry = self.archive.find(f"sources/{entry_name}", entry_name) if entry_name else None
            if entry is not None:
                text, _bom = self.decode(self.archive.read(entry, limit=MAX_TEXT_BYTES), entry_name)
        if text is None:
            text = child_text(element, "Description") or ""
        selections = len(list(children(element, "PlainTextSelection")))
        if selections:
            self.skip("codings inside notes", selections)
        return RefiNote(guid, element.get("name") or "", OffsetMap(text).text, normal_guid(element.get("creatingUser")),
                        element.get("creationDateTime"), element.get("modifiedDateTime"))

    # ------------------------------------------------------------------------ checks
    def check(self, project: RefiProject) -> None:
        codes = {}
        for code in project.iter_codes():
            if code.guid in codes:
                self.problems.append(f"two codes share the GUID {code.guid} ({codes[code.guid].name!r} and "
                                     f"{code.name!r})")
            codes[code.guid] = code
        for source in project.sources:
            kept = []
            for selection in source.selections:
                good = []
                for coding in selection.codings:
                    if coding.code in codes:
                        good.append(coding)
                    else:
                        self.problems.append(f"a coding in {source.name!r} ({selection.raw_start}-{selection.raw_end}) "
                                             f"points to the code {coding.code}, which the codebook does not have")
                selection.codings = good
                kept.append(selection)
            source.selections = kept
        guids: set[str] = set()
        for source in project.sources:
            if source.guid in guids:
                new = derived_guid(f"refi-duplicate:{source.guid}:{source.name}")
                project.info.append(f"two sources share the GUID {source.guid}; {source.name!r} was given {new}.")
                source.guid = new
            guids.add(source.guid)


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


def _typed_value(kind: str, text: str | None):
    if text is None or not text.strip():
        return None if kind != "TextValue" else (text or None)
    value = text.strip()
    if kind == "BooleanValue":
        return value.lower() in ("true", "1")
    if kind == "IntegerValue":
        try:
            return int(value)
        except ValueError:
            return value
    if kind == "FloatValue":
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return int(number) if number == number.to_integral_value() and "." not in value else float(number)
    return text if kind == "TextValue" else value
