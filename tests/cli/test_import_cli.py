"""`qualcode import` as a user runs it: output, options, and every bad input the issue lists."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.io.readers import MIB
from qualcode.store import Store
from tests.conftest import REPO

H1 = ("[00:00:14] H: Kertoisitko yrityksestä?\n\n"
      "V: Meillä on pieni lahjapuoti. Asiakkaat ovat paikallisia.\n\n"
      "H: Miten tilaatte?\n\nV: (01:02) Verkosta.\n")
R1 = "Interviewer: How do you order?\n\nParticipant: Online. It is easy.\n"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "study.qualcode"
    assert run("init", path).exit_code == 0
    return path


@pytest.fixture
def interviews(tmp_path):
    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "H1.txt").write_text(H1, encoding="utf-8")
    (folder / "R1.txt").write_text(R1, encoding="utf-8")
    return folder


def state(path):
    """Everything the project holds, to compare before and after a refused import."""
    with Store.open(path, read_only=True) as store:
        documents = [(d.title, store.document_text(d.id)) for d in store.documents()]
        audit = store.db.execute("SELECT count(*) FROM audit").fetchone()[0]
        return store.counts(), documents, audit


def test_import_folder_prints_one_line_per_file(project, interviews):
    result = run("import", project, interviews)
    assert result.exit_code == 0
    assert result.stdout == (
        'Imported H1.txt as "H1": respondent H1, language fi, 4 turns, 5 sentences\n'
        'Imported R1.txt as "R1": respondent R1, language en, 2 turns, 3 sentences\n')
    assert result.stderr.endswith("2 imported, 0 skipped, 0 failed.\n")
    assert state(project)[0] == {"documents": 2, "respondents": 2, "turns": 6, "segments": 8, "codes": 0, "codings": 0}
    again = run("import", project, interviews / "H1.txt")
    assert again.exit_code == 0
    assert again.stdout == 'Skipped: H1.txt is already imported as "H1"; give --force to import it again.\n'


def test_options_and_warnings(project, tmp_path):
    path = tmp_path / "haastattelu.txt"
    path.write_bytes("Anna: Kerro.\nMatti: Hyvä asiak-\nkaat.\nAnna: Kiitos.\nMatti: Öö.\n".encode("cp1252"))
    result = run("import", project, path, "--respondent", "Asiantuntija 2", "--round", "2", "--language", "fi",
                 "--interviewer", "Anna", "--join-hyphens")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        'Imported haastattelu.txt as "haastattelu": respondent Asiantuntija 2, language fi, 4 turns, 4 sentences',
        "  warning: haastattelu.txt is not UTF-8; read it as Windows-1252 (cp1252). If letters such as ä and ö "
        "look wrong, save the file as UTF-8 and import it again."]
    with Store.open(project, read_only=True) as store:
        doc = store.document("haastattelu")
        assert doc.round == 2 and "asiakkaat" in store.document_text(doc.id)
        assert [t.role for t in store.turns(doc.id)] == ["interviewer", "respondent"] * 2


def test_spreadsheet_columns(project, tmp_path):
    path = tmp_path / "kysely.csv"
    path.write_text("nro;kommentti;toimiala\n7;Toimitus oli nopea.;kauppa\n8;Liian kallis.;kahvila\n", encoding="utf-8")
    result = run("import", project, path, "--text-column", "kommentti", "--respondent-column", "nro")
    assert result.exit_code == 0
    assert result.stdout == ("Imported kysely.csv: 2 documents (kysely row 1..2), respondents 7, 8, language fi, "
                             "2 sentences\n")


def test_help_ends_with_an_example():
    result = run("import", "--help")
    assert result.exit_code == 0
    description = result.output.split("Options:")[0]
    assert "Example:" in description
    assert description.rstrip().endswith("qualcode import study.qualcode answers.xlsx --text-column vastaus "
                                         "--respondent-column id")
    for option in ("--respondent", "--language", "--round", "--pattern", "--interviewer", "--join-hyphens",
                   "--force", "--max-size", "--text-column", "--respondent-column"):
        assert option in result.output


# ---------------------------------------------------------------------------- bad input
def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (40 * MIB))
    return buffer.getvalue()


BAD_FILES = {
    "binary": ("kuva.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" * 20, "kuva.txt is not a text file"),
    "empty": ("tyhjä.txt", b"", "tyhjä.txt is empty; there is nothing to import"),
    "invalid utf-8": ("H2.txt", "V: Hyvä alku.\n".encode() + b"V: rikki \xe4\n", "H2.txt is not valid UTF-8: byte 24 (line 2)"),
    "docx not a zip": ("R2.docx", b"I: plain text renamed\n", "R2.docx is not a Word document: .docx files are zip"),
    "zip bomb docx": ("pommi.docx", None, "it may be a zip bomb"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_file_gives_one_clear_message_and_changes_nothing(project, tmp_path, kind):
    name, data, message = BAD_FILES[kind]
    path = tmp_path / name
    path.write_bytes(_zip_bomb() if data is None else data)
    before = state(project)
    result = run("import", project, path)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-2].startswith("Error: ") and message in lines[-2]
    assert lines[-1] == ("Error: 0 imported, 0 skipped, 1 failed. Fix the files above and import them again; "
                         "the others are in the project.")
    assert "Traceback" not in result.output
    assert state(project) == before


def test_huge_file_is_refused_over_the_size_limit(project, tmp_path, interviews):
    huge = interviews / "valtava.txt"
    with huge.open("wb") as handle:
        handle.truncate(200 * MIB)  # sparse: no disk used
    result = run("import", project, interviews)
    assert result.exit_code == 1
    assert ("Error: valtava.txt is 200.0 MB, over the import limit of 64 MB. Split it into smaller files, or raise "
            "the limit with --max-size (in MB) if it really is one transcript.") in result.stderr
    assert result.stdout.count("Imported") == 2  # the other files still import
    small = run("import", project, interviews / "H1.txt", "--max-size", "0.0001", "--force")
    assert small.exit_code == 1 and "over the import limit of 0 MB" in small.stderr


def test_missing_path_stops_before_the_project_opens(project, tmp_path, interviews):
    before = project.read_bytes()
    result = run("import", project, interviews / "H1.txt", tmp_path / "puuttuu.txt")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'puuttuu.txt'} does not exist; check the path (and the spelling of the file name).\n"
    assert project.read_bytes() == before and state(project)[0]["documents"] == 0


def test_project_that_is_not_sqlite(tmp_path, interviews):
    path = tmp_path / "notes.qualcode"
    path.write_text("this is a text file, not a project\n", encoding="utf-8")
    before = path.read_bytes()
    result = run("import", path, interviews)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {path} is not a qualcode project (it is not an SQLite database). "
                             "Give the path of a project file, or create one with `qualcode init`.\n")
    assert path.read_bytes() == before


def test_project_open_in_another_process(project, interviews):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom qualcode.store import Store\n"
         "store = Store.open(sys.argv[1])\nprint('ready', flush=True)\nsys.stdin.read()\nstore.close()\n", str(project)],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        before = project.read_bytes()
        result = run("import", project, interviews)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {project} is open in another qualcode process for writing.")
        assert project.read_bytes() == before
    finally:
        holder.communicate("", timeout=30)
    assert state(project)[0]["documents"] == 0
