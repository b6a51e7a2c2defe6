"""qualcode check-leaks, pseudonymise, suggest-names, backup, restore and check."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.privacy.leaks import NAMES_SETTING
from qualcode.store import Store
from qualcode.store.backup import list_backups
from tests.conftest import REPO

NAMES = REPO / "corpora" / "names.csv"
TEXT = "H: Kenen kanssa asioitte?\n\nV: Soitan aina Porkalle. Kaarnan palvelu on hyvää.\n"
COMMANDS = ("check-leaks", "pseudonymise", "suggest-names", "backup", "restore", "check")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "study.qualcode"
    with Store.open(path, create=True) as store:
        doc = store.add_document(title="H1", text=TEXT, format="txt", language="fi", respondent="H1")
        code = store.add_code("Palvelu", description="Lasipajan vertailu")
        store.add_coding(doc, code, TEXT.index("Kaarnan"), TEXT.index(" on hyvää"))
    return path


def test_check_leaks_json_lists_each_hit_and_exits_1(project):
    result = run("check-leaks", project, "--names", NAMES, "--format", "json", "--skip-history")
    assert result.exit_code == 1
    porkka, kaarna = TEXT.index("Porkalle"), TEXT.index("Kaarnan")
    assert (porkka, kaarna) == (42, 52)
    assert json.loads(result.stdout) == [
        {"name": "Porkka", "where": "document text", "document": "H1", "start": 42, "end": 50,
         "context": "…Kenen kanssa asioitte? V: Soitan aina Porkalle. Kaarnan palvelu on hyvää."},
        {"name": "Kaarna", "where": "document text", "document": "H1", "start": 52, "end": 59,
         "context": "…ssa asioitte? V: Soitan aina Porkalle. Kaarnan palvelu on hyvää."},
        {"name": "Lasipaja", "where": "code description (id 1)", "document": None, "start": 0, "end": 9,
         "context": "Lasipajan vertailu"},
    ]
    assert result.stderr == "3 occurrences of listed names found: Porkka 1, Kaarna 1, Lasipaja 1.\n"


def test_pseudonymise_then_check_leaks_finds_nothing(project, tmp_path):
    target = tmp_path / "pseudo.qualcode"
    result = run("pseudonymise", project, "--names", NAMES, "-o", target)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        f"wrote     {target}",
        "replaced  2 names in documents (Porkka 1, Kaarna 1)",
        "changed   1 documents, 1 other texts, moved 1 spans, checked 1"]
    with Store.open(target, read_only=True) as store:
        assert store.document_text(1) == TEXT.replace("Porkalle", "Myyjä A:lle").replace("Kaarnan", "Yritys X:n")
        assert store.coded_text(store.codings()[0]) == "Yritys X:n palvelu"
    clean = run("check-leaks", target, "--format", "json")  # the copy remembers the names list
    assert (clean.exit_code, json.loads(clean.stdout)) == (0, [])
    assert clean.stderr == "No listed name found (6 names checked).\n"
    again = run("pseudonymise", project, "--names", NAMES, "-o", target)
    assert again.exit_code == 1 and "already exists; give another path, or --force" in again.stderr
    assert run("pseudonymise", project, "--names", NAMES, "-o", target, "--force").exit_code == 0


def test_check_leaks_scans_exports_and_can_remember_the_list(project, tmp_path):
    export = tmp_path / "summary.md"
    export.write_text("| Teema | Löydös |\n| --- | --- |\n| Palvelu | Porkalta saa apua (H1) |\n", encoding="utf-8")
    result = run("check-leaks", project, "--names", NAMES, "--export", export, "--format", "csv", "--remember")
    rows = result.stdout.splitlines()
    assert rows[0] == "name,where,document,start,end,context" and result.exit_code == 1
    assert rows[-1] == f"Porkka,summary.md line 3,{export},45,53,…ma | Löydös | | --- | --- | | Palvelu | Porkalta saa apua (H1) |"
    with Store.open(project, read_only=True) as store:
        assert store.get_setting(NAMES_SETTING) == str(NAMES.resolve())
    assert run("check-leaks", project).exit_code == 1  # now without --names


def test_check_leaks_needs_a_names_list(project):
    result = run("check-leaks", project)
    assert result.exit_code == 1 and "Give the names list with --names names.csv" in result.stderr


def test_suggest_names_says_no_pipeline_is_installed(project):
    from qualcode.privacy.suggest import ner_pipelines

    if ner_pipelines():
        pytest.skip("a spaCy pipeline with ner is installed here")
    result = run("suggest-names", project)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: No spaCy pipeline with an entity recogniser (ner) is installed")


def test_backup_list_restore_and_check(project, tmp_path):
    made = run("backup", project)
    assert made.exit_code == 0 and made.stdout.strip().endswith("-manual.qualcode")
    listing = run("restore", project, "--format", "json")
    assert [(b["number"], b["kind"]) for b in json.loads(listing.stdout)] == [(1, "manual")]
    with Store.open(project, backups_on_open=False) as store:
        store.add_code("Uusi")
    restored = run("restore", project, "1")
    assert restored.exit_code == 0 and restored.stdout.startswith(f"Restored {project} from study-")
    with Store.open(project, read_only=True) as store:
        assert [c.name for c in store.codes()] == ["Palvelu"]
    assert [b.kind for b in list_backups(project)] == ["before-restore", "manual"]
    check = run("check", project)
    assert check.exit_code == 0 and check.stdout.splitlines()[2].startswith("ok      schema ")
    copy = tmp_path / "elsewhere.qualcode"
    assert run("backup", project, "-o", copy).stdout == f"{copy}\n"
    refused = run("backup", project, "-o", copy)
    assert refused.exit_code == 1 and "--force" in refused.stderr


def test_check_reports_problems_and_exits_1(tmp_path):
    broken = tmp_path / "broken.qualcode"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = run("check", broken, "--format", "json")
    assert result.exit_code == 1 and json.loads(result.stdout)["ok"] is False
    assert "restore a backup with `qualcode restore" in result.stderr


def test_restore_without_backups_says_how_to_make_one(project):
    result = run("restore", project)
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == f"No backups of {project} yet; make one with `qualcode backup {project}`.\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_help_ends_with_an_example(command):
    lines = run(command, "--help").stdout.rstrip().splitlines()
    example = max(i for i, line in enumerate(lines) if line.strip() == "Example:")
    assert lines[example + 1].strip().startswith(f"qualcode {command} ")
