"""Hostile and broken .qdpx files are refused with a clear InputError, and the project is
left exactly as it was; an import that fails half-way rolls back completely."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from qualcode.errors import ConflictError, InputError
from qualcode.io.refi import import_qdpx, read_qdpx
from qualcode.io.refi.qdc import import_qdc
from qualcode.io.refi.zipfile_safety import SafeArchive, entry_parts
from qualcode.store import Store
from tests.unit.test_refi_support import build_sample_project, project_xml, snapshot, write_qdpx

CODE = '<CodeBook><Codes><Code guid="c0000000-0000-0000-0000-000000000001" name="A" isCodable="true"/></Codes></CodeBook>'


def source(selection_span: tuple[int, int] = (0, 4), code: str = "c0000000-0000-0000-0000-000000000001",
           path: str = "internal://a.txt") -> str:
    start, end = selection_span
    return (f'<Sources><TextSource guid="d0000000-0000-0000-0000-000000000001" name="Doc" plainTextPath="{path}">'
            f'<PlainTextSelection guid="e0000000-0000-0000-0000-000000000001" startPosition="{start}" '
            f'endPosition="{end}"><Coding guid="f0000000-0000-0000-0000-000000000001"><CodeRef targetGUID="{code}"/>'
            '</Coding></PlainTextSelection></TextSource>'
            '<TextSource guid="d0000000-0000-0000-0000-000000000002" name="Other" plainTextPath="internal://b.txt"/>'
            '</Sources>')


def good_entries(body: str | None = None) -> dict[str, bytes | str]:
    return {"project.qde": project_xml(body or CODE + source()), "sources/a.txt": "Text of a document.",
            "sources/b.txt": "Another text."}


@pytest.fixture
def project(tmp_path: Path):
    """A file-backed project with content, and a function that captures its whole state."""
    store = Store.open(tmp_path / "study.qualcode", create=True, user="tester")
    build_sample_project(store)

    def state() -> tuple:
        return snapshot(store), store.counts(), len(store.history(limit=100_000)), store.can_undo()

    yield store, state
    store.close()


def refused(store: Store, state, path: Path, match: str) -> None:
    before = state()
    with pytest.raises(InputError, match=match):
        import_qdpx(store, path)
    assert state() == before


# ---------------------------------------------------------------------------- XML
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Description>&secret;</Description></Project>
"""


def test_entity_expansion_is_refused(project, tmp_path: Path) -> None:
    store, state = project
    refused(store, state, write_qdpx(tmp_path / "lol.qdpx", {"project.qde": BILLION_LAUGHS}), "DTD")


def test_external_entities_are_refused_and_never_read(project, tmp_path: Path) -> None:
    store, state = project
    path = write_qdpx(tmp_path / "xxe.qdpx", {"project.qde": EXTERNAL_ENTITY})
    refused(store, state, path, "refused as unsafe")
    assert "root:" not in str(store.memo("project", None))


def test_a_dtd_hidden_from_the_quick_check_is_caught_by_the_parser(project, tmp_path: Path) -> None:
    # a comment that looks like an element start hides the DOCTYPE from the prolog check
    store, state = project
    hidden = EXTERNAL_ENTITY.replace("<!DOCTYPE", "<!-- <a --><!DOCTYPE", 1)
    refused(store, state, write_qdpx(tmp_path / "hidden.qdpx", {"project.qde": hidden}), "refused as unsafe")


def test_malformed_xml_is_refused(project, tmp_path: Path) -> None:
    store, state = project
    refused(store, state, write_qdpx(tmp_path / "bad.qdpx", {"project.qde": "<Project><Sources>"}),
            "not well-formed XML")


def test_a_qdc_with_a_dtd_is_refused(project, tmp_path: Path) -> None:
    store, state = project
    path = tmp_path / "lol.qdc"
    path.write_text(BILLION_LAUGHS.replace("Project", "CodeBook"), encoding="utf-8")
    before = state()
    with pytest.raises(InputError, match="DTD"):
        import_qdc(store, path)
    assert state() == before


# ---------------------------------------------------------------------------- zip
@pytest.mark.parametrize("name", ["../evil.txt", "sources/../../evil.txt", "/etc/evil.txt", "C:/evil.txt",
                                  "..\\evil.txt"])
def test_entries_outside_the_archive_are_refused(project, tmp_path: Path, name: str) -> None:
    store, state = project
    entries = good_entries()
    entries[name] = "x"
    path = tmp_path / "slip.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        for entry, data in entries.items():
            info = zipfile.ZipInfo("x")
            info.filename = entry  # bypass zipfile's own clean-up so the name is written as given
            archive.writestr(info, data)
    assert any(n == name for n in zipfile.ZipFile(path).namelist())
    refused(store, state, path, "outside the archive")


def test_a_source_path_climbing_out_is_refused(project, tmp_path: Path) -> None:
    store, state = project
    entries = good_entries(CODE + source(path="internal://../../etc/passwd"))
    refused(store, state, write_qdpx(tmp_path / "path.qdpx", entries), "outside the archive")


def test_a_zip_bomb_is_refused_before_inflating(project, tmp_path: Path) -> None:
    store, state = project
    entries = good_entries()
    entries["sources/a.txt"] = b"\0" * (40 * 1024 * 1024)  # 40 MB compresses about 1000:1
    refused(store, state, write_qdpx(tmp_path / "bomb.qdpx", entries), "zip bomb")


def test_reads_are_capped_by_declared_and_actual_size(tmp_path: Path) -> None:
    path = write_qdpx(tmp_path / "a.qdpx", {"project.qde": "x" * 5000})
    with SafeArchive(path) as archive:
        entry = archive.find("project.qde")
        with pytest.raises(InputError, match="more than"):
            archive.read(entry, limit=1000)
        entry.file_size = 10  # an archive that lies about its sizes yields no more than it declares
        with pytest.raises(InputError, match="damaged"):
            archive.read(entry, limit=1000)


def test_duplicate_entries_are_refused(project, tmp_path: Path) -> None:
    store, state = project
    path = tmp_path / "dup.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", project_xml(""))
        archive.writestr("sources/a.txt", "one")
        archive.writestr("Sources/A.txt", "two")
    refused(store, state, path, "two entries")


def test_entry_names() -> None:
    assert entry_parts("Sources\\a.txt") == ("Sources", "a.txt")
    assert entry_parts("./project.qde") == ("project.qde",)
    assert entry_parts("a/../../b") is None and entry_parts("/a") is None and entry_parts("D:a") is None


@pytest.mark.parametrize("content, match", [
    (b"%PDF-1.4 not a zip", "not a .qdpx file"),
    (b"PK\x03\x04 truncated", "damaged"),
    (b"", "not a .qdpx file"),
])
def test_non_zip_and_damaged_files_are_refused(project, tmp_path: Path, content: bytes, match: str) -> None:
    store, state = project
    path = tmp_path / "x.qdpx"
    path.write_bytes(content)
    refused(store, state, path, match)


def test_a_zip_without_project_qde_is_refused(project, tmp_path: Path) -> None:
    store, state = project
    refused(store, state, write_qdpx(tmp_path / "empty.qdpx", {"sources/a.txt": "x"}), "holds no project.qde")


# ---------------------------------------------------------------------------- broken content
def test_a_selection_past_the_end_is_refused_or_left_out(project, tmp_path: Path) -> None:
    store, state = project
    path = write_qdpx(tmp_path / "past.qdpx", good_entries(CODE + source((5, 500))))
    refused(store, state, path, r"spans 5-500, outside its text \(0-19\).*--skip-invalid")
    report = import_qdpx(store, path, skip_invalid=True)
    assert report.added["documents"] == 2 and report.added.get("codings", 0) == 0
    assert any("spans 5-500" in line for line in report.not_kept)


def test_a_coding_of_a_missing_code_is_refused_or_left_out(project, tmp_path: Path) -> None:
    store, state = project
    path = write_qdpx(tmp_path / "orphan.qdpx", good_entries(CODE + source(code="99999999-0000-0000-0000-000000000000")))
    refused(store, state, path, "points to the code 99999999-0000-0000-0000-000000000000, which the codebook does not")
    project_model = read_qdpx(path, strict=False)
    assert sum(1 for _ in project_model.codings()) == 0 and len(project_model.problems) == 1


def test_a_missing_source_file_is_refused(project, tmp_path: Path) -> None:
    store, state = project
    entries = good_entries()
    del entries["sources/b.txt"]
    refused(store, state, write_qdpx(tmp_path / "missing.qdpx", entries), "missing from the archive")


def test_a_failure_half_way_rolls_back_everything(project, tmp_path: Path, monkeypatch) -> None:
    store, state = project
    before = state()
    path = write_qdpx(tmp_path / "ok.qdpx", good_entries(CODE + source()))
    real = store.add_coding

    def failing(*args, **kwargs):
        raise ConflictError("disk on fire")

    monkeypatch.setattr(store, "add_coding", failing)
    with pytest.raises(ConflictError, match="disk on fire"):
        import_qdpx(store, path)
    assert state() == before
    monkeypatch.setattr(store, "add_coding", real)
    report = import_qdpx(store, path)  # the same file imports once the failure is gone
    assert report.added["codings"] == 1 and state() != before
