"""`qualcode import-qdpx / export-qdpx / import-qdc / export-qdc / export-framework-qdc`."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.store import Store
from tests.unit.test_refi_support import QC_DEMO, build_sample_project, require

COMMANDS = ("import-qdpx", "export-qdpx", "import-qdc", "export-qdc", "export-framework-qdc")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "study.qualcode"
    with Store.open(path, create=True, user="tester") as store:
        build_sample_project(store)
    return path


def test_export_then_import_into_a_new_project(sample: Path, tmp_path: Path) -> None:
    target = tmp_path / "study.qdpx"
    exported = run("export-qdpx", sample, target)
    assert exported.exit_code == 0
    assert exported.stdout == ("Exported to study.qdpx: 3 documents, 8 codes, 8 codings, 3 cases, 6 variables, "
                               "7 notes, 3 users.\n")
    assert "Not exported: speaker turns and sentences" in exported.stderr
    imported = run("import-qdpx", tmp_path / "copy.qualcode", target)
    assert imported.exit_code == 0
    assert imported.stdout == ("Imported study.qdpx: 3 documents, 2 codebooks, 8 codes, 8 codings, 3 respondents, "
                               "9 attribute values, 3 memos, 1 link.\n")
    assert "Note: documents in no case, so without a respondent: 1" in imported.stderr
    with Store.open(tmp_path / "copy.qualcode", read_only=True) as copy:
        assert copy.counts()["codings"] == 8 and copy.coders() == ["anna", "ville"]


def test_export_refuses_to_overwrite_without_force(sample: Path, tmp_path: Path) -> None:
    target = tmp_path / "study.qdpx"
    assert run("export-qdpx", sample, target).exit_code == 0
    again = run("export-qdpx", sample, target)
    assert again.exit_code == 1 and again.stdout == "" and "already exists; give --force" in again.stderr
    assert run("export-qdpx", sample, target, "--force").exit_code == 0


def test_import_demo_and_report_what_was_not_kept(tmp_path: Path) -> None:
    result = run("import-qdpx", tmp_path / "demo.qualcode", require(QC_DEMO), "--language", "en")
    assert result.exit_code == 0
    assert result.stdout == ("Imported qc_demo.qdpx: 2 documents, 1 codebook, 262 codes, 205 codings, 2 respondents, "
                             "0 attribute values, 0 memos, 0 links.\n")
    assert "Note: codes without a colour, given one from the palette: 262" in result.stderr


def test_hostile_file_leaves_the_project_untouched(sample: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(bad, "w") as archive:
        info = zipfile.ZipInfo("x")
        info.filename = "../../evil.txt"
        archive.writestr(info, "x")
    before = sample.read_bytes()
    result = run("import-qdpx", sample, bad)
    assert result.exit_code == 1 and result.stdout == ""
    assert "outside the archive" in result.stderr and "refused as unsafe" in result.stderr
    assert sample.read_bytes() == before
    fresh = tmp_path / "new.qualcode"
    assert run("import-qdpx", fresh, bad).exit_code == 1
    assert not fresh.exists()  # a project is not created for a file that is refused


def test_broken_content_needs_skip_invalid(tmp_path: Path) -> None:
    qde = ('<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources><TextSource '
           'guid="d0000000-0000-0000-0000-000000000001" name="Doc" plainTextPath="internal://a.txt">'
           '<PlainTextSelection guid="e0000000-0000-0000-0000-000000000001" startPosition="2" endPosition="99">'
           '</PlainTextSelection></TextSource></Sources></Project>')
    path = tmp_path / "broken.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/a.txt", "short")
    refused = run("import-qdpx", tmp_path / "p.qualcode", path)
    assert refused.exit_code == 1 and "Give --skip-invalid" in refused.stderr
    kept = run("import-qdpx", tmp_path / "p.qualcode", path, "--skip-invalid", "--respondent-from", "none")
    assert kept.exit_code == 0 and kept.stdout.startswith("Imported broken.qdpx: 1 document, 0 codebooks")
    assert "Not kept: left out: selection e0000000-0000-0000-0000-000000000001 in 'Doc' spans 2-99" in kept.stderr


def test_codebook_commands(sample: Path, tmp_path: Path) -> None:
    qdc = tmp_path / "codes.qdc"
    assert run("export-qdc", sample, qdc).stdout == "Exported 8 codes to codes.qdc.\n"
    subtree = run("export-qdc", sample, tmp_path / "one.qdc", "--code", "Toimitukset")
    assert subtree.stdout == "Exported 2 codes to one.qdc.\n"
    assert run("export-qdc", sample, qdc).exit_code == 1
    framework = run("export-framework-qdc", "five-es", tmp_path / "five-es.qdc", "--language", "fi")
    assert framework.stdout == "Exported 5 codes of five-es to five-es.qdc.\n"
    imported = run("import-qdc", tmp_path / "fresh.qualcode", tmp_path / "five-es.qdc")
    assert imported.stdout == ("Imported five-es.qdc: 0 documents, 1 codebook, 5 codes, 0 codings, 0 respondents, "
                               "0 attribute values, 0 memos, 0 links.\n")
    with Store.open(tmp_path / "fresh.qualcode", read_only=True) as fresh:
        assert fresh.find_code("five-es/engagement").name == "Asiakkaan sitouttaminen"


@pytest.mark.parametrize("command", COMMANDS)
def test_help_ends_with_an_example(command: str) -> None:
    text = run(command, "--help").stdout
    assert "Example:" in text and f"qualcode {command} " in text.split("Example:")[1]


def test_export_refuses_real_names_unless_allowed(sample: Path, tmp_path: Path) -> None:
    with Store.open(sample, read_only=True) as store:
        text = store.document_text(store.documents()[0].id)
    name = next(word.strip(".,:;!?") for word in text.split() if word[:1].isupper() and len(word) > 4)
    names = tmp_path / "names.csv"
    names.write_text(f"real,pseudonym\n{name},Yritys X\n", encoding="utf-8")
    target = tmp_path / "study.qdpx"
    refused = run("export-qdpx", sample, target, "--names", names)
    assert refused.exit_code == 1 and f"real names from the names list: {name}" in refused.stderr
    assert not target.exists() and list(tmp_path.glob(".*.part")) == []
    assert run("export-qdpx", sample, target, "--names", names, "--allow-names").exit_code == 0
