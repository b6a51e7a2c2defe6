"""Safe XML for REFI-QDA: a parser that never expands entities or touches the network, stable
GUIDs, and the small helpers both directions share.

REFI-QDA documents never need a DTD, so a document that declares one (the carrier of entity
expansion, "billion laughs", and external entities that read local files) is refused outright;
the parser itself is also configured not to resolve entities, load DTDs or use the network.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

from lxml import etree

from qualcode.errors import InputError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

GUID_NAMESPACE = uuid.UUID("6f1c3e0a-8d52-5b7e-9a41-2f0d6c8b7e13")
"""Namespace of the GUIDs derived (uuid5) for things that have no GUID of their own in a project
(users, cases, variables, notes, selections...), so exporting twice gives the same GUIDs."""

_GUID = re.compile(r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?")
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_RGB = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
_DATE_TIME = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
_DATE = re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?")


def origin() -> str:
    """What our files name as their origin: `qualcode 0.1.0`."""
    try:
        from importlib.metadata import version

        return f"qualcode {version('qualcode')}"
    except Exception:  # running from a source tree without installed metadata
        return "qualcode"


def derived_guid(key: str) -> str:
    """A GUID that is always the same for the same key (`case:H1`, `user:anna`...)."""
    return str(uuid.uuid5(GUID_NAMESPACE, key))


def normal_guid(value: str | None) -> str | None:
    """A GUID in one spelling (lowercase, no braces), or None when `value` is not a GUID."""
    if value is None:
        return None
    match = _GUID.fullmatch(value.strip())
    return match.group(1).lower() if match else None


def xml_text(value: str) -> str:
    """`value` with the characters XML 1.0 cannot hold (most control characters) replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def has_unsafe_chars(value: str) -> bool:
    return _NOT_XML.search(value) is not None


def rgb(value: str | None) -> str | None:
    """`#rrggbb` from a REFI colour (`#RGB` or `#RRGGBB`, with or without `#`), else None."""
    if not value:
        return None
    match = _RGB.fullmatch(value.strip())
    if not match:
        return None
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits}"


def is_date_time(value: str | None) -> bool:
    return bool(value) and _DATE_TIME.fullmatch(value) is not None


def is_date(value: str | None) -> bool:
    return bool(value) and _DATE.fullmatch(value) is not None


# ---------------------------------------------------------------------------- parsing
_ROOT_START = re.compile(rb"<[^?!]")
_DOCTYPE_MARKS = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))


def _unsafe(name: str, what: str) -> InputError:
    return InputError(f"{name} {what}. REFI-QDA files never need one, and DTDs and entities carry entity-expansion "
                      "and external-file attacks, so the file was refused as unsafe.")


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse untrusted XML: no DTD, no entities, no network, no huge trees."""
    root_start = _ROOT_START.search(data)
    prolog = data[:root_start.start()] if root_start else data[:65536]
    if any(mark in prolog for mark in _DOCTYPE_MARKS):
        raise _unsafe(name, "declares a DTD (<!DOCTYPE ...>)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        tree = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        if "entity" in str(error).lower() or "doctype" in str(error).lower():
            raise _unsafe(name, f"uses a DTD or entities ({error})") from None
        raise InputError(f"{name} is not well-formed XML ({error}); the exporting program wrote a damaged "
                         "file. Export it again.") from None
    docinfo = tree.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _unsafe(name, "declares a DTD (<!DOCTYPE ...>)")
    if any(True for _ in tree.iter(etree.Entity)):
        raise _unsafe(name, "uses XML entities")
    return tree


def local(element: etree._Element) -> str:
    """An element's name without its namespace."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def children(element: etree._Element, *names: str) -> Iterator[etree._Element]:
    """Child elements with one of these local names (any namespace: some tools omit it)."""
    for child in element:
        if isinstance(child.tag, str) and local(child) in names:
            yield child


def child(element: etree._Element, name: str) -> etree._Element | None:
    return next(children(element, name), None)


def child_text(element: etree._Element, name: str) -> str | None:
    found = child(element, name)
    if found is None:
        return None
    return found.text or ""


def ref_targets(element: etree._Element, name: str) -> list[str]:
    """The normalised `targetGUID`s of child reference elements such as NoteRef or SourceRef."""
    targets = []
    for ref in children(element, name):
        guid = normal_guid(ref.get("targetGUID") or ref.get("guid"))
        if guid:
            targets.append(guid)
    return targets


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, standalone=True)
