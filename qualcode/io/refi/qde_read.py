"""Reading a .qdpx (ours or another tool's) into a `RefiProject`, without touching a project.

Tolerant of what real exports do: a capitalised `Sources/` folder, `Project.qde`, paths with or
without `internal://`, a missing namespace, CRLF text, byte-order marks, text only in a .docx
beside an empty .txt, `{braced}` upper-case GUIDs, missing colours. Strict about what would
corrupt a project: a selection outside its text or a coding of a code that does not exist is a
*problem*; `read_qdpx(strict=True)` refuses the file over it, `strict=False` leaves the broken
item out and lists it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from qualcode.errors import InputError
from qualcode.io.refi.model import (
    RefiCase,
    RefiCode,
    RefiLink,
    RefiNote,
    RefiProject,
    RefiSet,
    RefiUser,
    RefiValue,
    RefiVariable,
)
from qualcode.io.refi.qde_sources import MAX_TEXT_BYTES, SourceReader
from qualcode.io.refi.text import OffsetMap
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


class _Reader(SourceReader):
    """project.qde, element by element, into a RefiProject (sources: see SourceReader)."""

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
