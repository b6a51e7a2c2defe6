"""Builders shared by the REFI-QDA tests: a sample project that uses every part of the model,
a snapshot of a project to compare round trips by, and hand-made .qdpx files in the styles of
other tools. The few tests here check the builders themselves."""

from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path

import pytest

from qualcode.frameworks.project import use_framework
from qualcode.store import Store
from tests.conftest import TRANSCRIPT, simple_spans

SHARED = Path(__file__).parents[2].parent / "shared"
PROJECT_XSD = SHARED / "refi-qda" / "Project.xsd"
CODEBOOK_XSD = SHARED / "refi-qda" / "Codebook.xsd"
QC_DEMO = SHARED / "fixtures" / "qc_demo.qdpx"
NS = "urn:QDA-XML:project:1.0"

SECOND_TEXT = ("H: Mitä mieltä olette palvelusta?\n\n"
               "V: Hyvä 😀 palvelu, mutta hinnat nousevat.\n\n"
               "H: Entä toimitukset?\n\n"
               "V: Ne ovat nopeita.\n")


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared REFI-QDA files are not checked out beside the repo")
    return path


def schema(path: Path):
    require(path)
    pytest.importorskip("xmlschema", reason="xmlschema (a test dependency) validates the exports")
    return _schema(path)


@functools.lru_cache(maxsize=None)
def _schema(path: Path):
    import xmlschema

    return xmlschema.XMLSchema(str(path))


def schema_errors(xsd, data: bytes) -> list[str]:
    return [str(error.reason) for error in xsd.iter_errors(data.decode("utf-8"))][:3]


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_qdpx(path: Path, entries: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def project_xml(body: str, *, name: str = "Other tool project", namespace: str = NS) -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{namespace}" name="{name}" '
            f'origin="Other Tool 9">{body}</Project>')


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def build_sample_project(store: Store) -> dict[str, int]:
    """A project with two codebooks (one a framework), three documents (one with a .docx
    original, one without a respondent), typed attributes, a Delphi round, codings by two
    coders with memos, a finding, a link and memos on everything that takes one."""
    use_framework(store, "five-es", language="fi")
    themes = store.add_codebook("Teemat", language="fi")
    deliveries = store.add_code("Toimitukset", codebook_id=themes, colour="#123abc",
                                description="Tilausten ja toimitusten sujuvuus.", finding="Toimitukset ovat hitaita.")
    delays = store.add_code("Viiveet", parent_id=deliveries, colour="#abcdef")
    prices = store.add_code("Hinnat", codebook_id=themes)
    store.link_codes(deliveries, store.find_code("five-es/experience").id)

    turns, segments = simple_spans(TRANSCRIPT)
    h1 = store.add_document(title="H1 haastattelu", text=TRANSCRIPT, format="txt", language="fi", respondent="H1",
                            round=1, turns=turns, segments=segments)
    original = docx_bytes(SECOND_TEXT.strip().split("\n\n"))
    h2 = store.add_document(title="H2 haastattelu", text=SECOND_TEXT, format="docx", language="fi", respondent="H2",
                            round=2, original=original, source_hash="abc")
    notes = store.add_document(title="Muistiinpanot", text="Ohjausryhmän tapaaminen\x01 pidettiin.\n", format="md",
                               language="fi")
    for label, values in (("H1", {"rooli": "toimitusjohtaja", "koko": 12, "liikevaihto": 1.5,
                                  "haastateltu": "2024-03-01", "voittoa tavoitteleva": True}),
                          ("H2", {"rooli": "ostaja", "koko": 3, "liikevaihto": 2,
                                  "voittoa tavoitteleva": False})):
        for name, value in values.items():
            kind = {int: "number", float: "number", bool: "boolean"}.get(type(value), "date" if name == "haastateltu"
                                                                        else "text")
            store.set_attribute(label, name, value, kind)
    store.respondent_id("H9")  # a respondent without documents

    slow = span(TRANSCRIPT, "Toimitukset kestävät joskus liian kauan.")
    store.add_coding(h1, deliveries, *slow, coder="anna", memo="Tärkeä kohta.\nKaksi riviä.")
    store.add_coding(h1, deliveries, *slow, coder="ville")
    store.add_coding(h1, store.find_code("five-es/experience").id, *slow, coder="anna")
    store.add_coding(h1, delays, *span(TRANSCRIPT, "Se ärsyttää."), coder="anna", memo="Tunne.")
    store.add_coding(h2, prices, *span(SECOND_TEXT, "hinnat nousevat"), coder="ville", memo="Sama muistio.")
    store.add_coding(h2, deliveries, *span(SECOND_TEXT, "Ne ovat nopeita."), coder="anna")
    store.add_coding(h2, store.find_code("five-es/emotions").id, *span(SECOND_TEXT, "Hyvä 😀 palvelu"), coder="anna")
    store.add_coding(notes, prices, 0, 10, coder="anna")

    store.set_memo("project", None, "Projektin muistio: kaksi haastattelua.")
    store.set_memo("document", h1, "Haastattelu tehtiin puhelimessa.")
    store.set_memo("code", deliveries, "Koodin muistio.")
    return {"h1": h1, "h2": h2, "notes": notes, "deliveries": deliveries, "delays": delays, "prices": prices}


def snapshot(store: Store) -> dict:
    """Everything a round trip must keep, keyed by what survives it (titles, labels, GUIDs)."""
    doc_guids = store.document_guids()
    titles = {d.id: d.title for d in store.documents()}
    books = {b.id: b for b in store.codebooks()}
    codes = {}
    for code in store.codes():
        book = books[code.codebook_id]
        codes[code.guid] = (book.name, book.framework, book.language, tuple(store.code_path(code.id)), code.colour,
                            code.description, code.framework_path, code.key, code.finding)
    code_guid = {c.id: c.guid for c in store.codes()}
    memo_target = {"project": lambda i: None, "document": lambda i: titles[i], "code": lambda i: code_guid[i]}
    return {
        "documents": {d.title: (d.respondent, d.round, d.format, store.document_text(d.id), store.document_original(d.id),
                                doc_guids[d.id]) for d in store.documents()},
        "codes": codes,
        "codings": sorted((titles[c.document_id], code_guid[c.code_id], c.start, c.end, c.coder, c.memo, c.guid,
                           c.created_at, store.coded_text(c)) for c in store.codings()),
        "respondents": {r.label: r.attributes for r in store.respondents()},
        "attribute_types": store.attribute_types(),
        "memos": sorted((m.target_type, memo_target[m.target_type](m.target_id), m.text, m.author, m.modified_at)
                        for m in store.memos()),
        "links": sorted((code_guid[a], code_guid[b]) for a, b in store.code_links()),
    }


def test_sample_project_uses_every_part_of_the_model(store: Store) -> None:
    build_sample_project(store)
    shot = snapshot(store)
    assert len(shot["documents"]) == 3 and len(shot["codings"]) == 8
    assert {m[0] for m in shot["memos"]} == {"project", "document", "code"}
    assert shot["attribute_types"]["koko"] == "number" and shot["respondents"]["H1"]["voittoa tavoitteleva"] is True
    assert len(shot["links"]) == 1 and len({c[0] for c in shot["codes"].values()}) == 2


def test_write_qdpx_builds_a_zip(tmp_path: Path) -> None:
    path = write_qdpx(tmp_path / "x.qdpx", {"project.qde": project_xml(""), "sources/a.txt": "abc"})
    assert zipfile.ZipFile(path).read("sources/a.txt") == b"abc"
