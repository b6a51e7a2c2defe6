"""REFI-QDA codebooks (.qdc): valid against Codebook.xsd, frameworks included, and back in."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from qualcode.errors import InputError
from qualcode.frameworks import iter_codes, list_frameworks, load_framework
from qualcode.frameworks.project import use_framework
from qualcode.io.refi.qdc import export_framework_qdc, export_qdc, import_qdc, read_qdc
from qualcode.store import Store
from tests.unit.test_refi_support import CODEBOOK_XSD, build_sample_project, schema, schema_errors

CB = {"c": "urn:QDA-XML:codebook:1.0"}


def codes_of(store: Store) -> list[tuple]:
    books = {b.id: (b.name, b.framework, b.language) for b in store.codebooks()}
    return [(books[c.codebook_id], tuple(store.code_path(c.id)), c.colour, c.description, c.guid, c.framework_path,
             c.key) for c in store.codes()]


def test_project_codebook_is_valid_and_comes_back(store: Store, tmp_path: Path) -> None:
    build_sample_project(store)
    path = tmp_path / "codes.qdc"
    assert export_qdc(store, path) == 8
    assert schema_errors(schema(CODEBOOK_XSD), path.read_bytes()) == []
    copy = Store.memory()
    report = import_qdc(copy, path)
    assert codes_of(copy) == codes_of(store)  # codebooks, framework paths and keys included
    assert report.added == {"codebooks": 2, "codes": 8}
    again = import_qdc(copy, path)
    assert again.added == {} and again.matched == {"codes": 8}  # nothing doubled


def test_one_code_subtree(store: Store, tmp_path: Path) -> None:
    build_sample_project(store)
    path = tmp_path / "deliveries.qdc"
    assert export_qdc(store, path, code="Toimitukset") == 2
    root = etree.parse(str(path)).getroot()
    assert [c.get("name") for c in root.iterfind(".//c:Code", CB)] == ["Toimitukset", "Viiveet"]
    assert schema_errors(schema(CODEBOOK_XSD), path.read_bytes()) == []


@pytest.mark.parametrize("name", [n for n in list_frameworks() if n != "blank"])
def test_every_shipped_framework_exports_valid(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.qdc"
    count = export_framework_qdc(name, path, language="fi")
    framework = load_framework(name)
    assert count == sum(1 for _ in iter_codes(framework))
    assert schema_errors(schema(CODEBOOK_XSD), path.read_bytes()) == []
    first = next(iter_codes(framework))
    element = etree.parse(str(path)).getroot().find(".//c:Code", CB)
    assert element.get("name") == first.label["fi"] and element.get("color").lower() == first.colour.lower()
    assert first.definition["fi"].split()[0] in element.findtext("c:Description", namespaces=CB)


def test_a_framework_qdc_imports_as_that_framework(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "five-es.qdc"
    export_framework_qdc("five-es", path, language="fi")
    import_qdc(store, path)
    used = Store.memory()
    use_framework(used, "five-es", language="fi")
    imported = [(c.name, c.framework_path, c.key, c.colour) for c in store.codes()]
    assert imported == [(c.name, c.framework_path, c.key, c.colour) for c in used.codes()]
    assert store.find_code("five-es/emotions").name == "Asiakkaan tunteet"
    assert export_framework_qdc("five-es", tmp_path / "again.qdc", language="fi") and \
        (tmp_path / "again.qdc").read_bytes() == path.read_bytes()  # stable GUIDs


def test_another_tools_codebook(store: Store, tmp_path: Path) -> None:
    # the specification's own example: braced GUIDs, folders, no colours, a set of other kind
    path = tmp_path / "spec.qdc"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0">
<Codes>
<Code guid="{5215cc69-b628-4e02-afb9-9beeaee55808}" name="Topics" isCodable="false">
  <Code guid="{d7aa29da-519b-4946-9b90-253b6db8fd0a}" name="Economy" isCodable="true" color="#ffff00">
    <Description>Anything about jobs or taxes or business</Description></Code>
</Code>
<Code guid="9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520" name="Values" isCodable="false"/>
</Codes>
<Sets><Set guid="9fa9bcb7-5b59-47a9-8c3e-f65cffdc7521" name="Mine"><MemberCode guid="9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520"/></Set></Sets>
</CodeBook>""", encoding="utf-8")
    report = import_qdc(store, path, codebook="Supervisor")
    assert [(store.codebook(c.codebook_id).name, tuple(store.code_path(c.id)), c.colour) for c in store.codes()][:2] == [
        ("Supervisor", ("Topics",), store.codes()[0].colour), ("Supervisor", ("Topics", "Economy"), "#ffff00")]
    assert store.find_code("Economy").guid == "d7aa29da-519b-4946-9b90-253b6db8fd0a"
    assert report.not_kept == ["sets (groups of codes): 1"]


def test_a_qdpx_given_as_qdc_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.qdc"
    path.write_bytes(b"PK\x03\x04...")
    with pytest.raises(InputError, match="import-qdpx"):
        read_qdc(path)
