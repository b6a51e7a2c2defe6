"""`qualcode search`, `index`, `suggest`, `suggestions`, `accept`, `reject`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.frameworks.project import use_framework
from qualcode.store import Store
from tests.conftest import simple_spans
from tests.unit.test_suggest import FRAMEWORK, GUIDE, INTERVIEW


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def make_project(tmp_path: Path) -> Path:
    path = tmp_path / "study.qualcode"
    frame = tmp_path / "test-frame.yaml"
    frame.write_text(FRAMEWORK, encoding="utf-8")
    with Store.open(path, create=True, user="tester") as store:
        turns, segments = simple_spans(INTERVIEW)
        store.add_document(title="H1 haastattelu", text=INTERVIEW, format="txt", language="fi", respondent="H1",
                           turns=turns, segments=segments)
        use_framework(store, frame, language="fi")
        store.set_setting("coder", "tester")
    return path


def test_search_prints_the_documented_json(tmp_path) -> None:
    path = make_project(tmp_path)
    result = run("search", path, "toimitus", "--format", "json")
    start = INTERVIEW.index("Toimitukset")
    assert json.loads(result.stdout) == [{
        "document": "H1 haastattelu", "respondent": "H1", "start": start, "end": start + 11,
        "text": "Toimitukset", "left": "", "right": " myöhästyivät usein. Se ärsyttää minua"}]


def test_search_exact_regex_and_filters(tmp_path) -> None:
    path = make_project(tmp_path)
    assert json.loads(run("search", path, "toimitus", "--exact", "--format", "json").stdout) == []
    hits = json.loads(run("search", path, r"\b(tilaa|ärsytt)\w*", "--regex", "--format", "json").stdout)
    assert [h["text"] for h in hits] == ["tilaatte", "ärsyttää"]
    only = json.loads(run("search", path, r"\b(tilaa|ärsytt)\w*", "--regex", "--respondent-turns-only", "--format",
                          "json").stdout)
    assert [h["text"] for h in only] == ["ärsyttää"]
    assert run("search", path, "tilaus", "--respondent", "H2", "--format", "json").stdout.strip() == "[]"


def test_search_table_and_csv(tmp_path) -> None:
    path = make_project(tmp_path)
    table = run("search", path, "ilo").stdout.splitlines()
    assert table[0].split() == ["document", "respondent", "start", "end", "left", "text", "right"]
    assert table[2].split()[-2:] == ["iloa", "."]
    csv_lines = run("search", path, "ilo", "--format", "csv").stdout.splitlines()
    assert csv_lines[0] == "document,respondent,start,end,left,text,right"
    start = INTERVIEW.index("iloa")
    assert csv_lines[1] == f"H1 haastattelu,H1,{start},{start + 4},Lähinnä ,iloa,."


def test_code_all_results_then_one_undo(tmp_path) -> None:
    path = make_project(tmp_path)
    result = run("search", path, "tilaus OR toimitus", "--respondent-turns-only", "--code-all", "Toimitus",
                 "--format", "json")
    assert len(json.loads(result.stdout)) == 2
    assert "Coded 2 passages with Toimitus" in result.stderr
    with Store.open(path, read_only=True) as store:
        texts = [store.coded_text(c) for c in store.codings()]
    assert texts == ["Toimitukset myöhästyivät usein.", "Tarvitsemme nopeamman tilauksen."]
    assert run("undo", path).stdout == "Undid: code search results 'tilaus OR toimitus' as Toimitus\n"
    with Store.open(path, read_only=True) as store:
        assert store.codings() == []


def test_index_command(tmp_path) -> None:
    path = make_project(tmp_path)
    first = run("index", path).stdout
    assert first.startswith("Indexed 1 documents in ") and first.endswith("the index holds 1 documents, 25 words.\n")
    assert run("index", path).stdout.startswith("Indexed 0 documents")
    assert run("index", path, "--rebuild").stdout.startswith("Indexed 1 documents")


def test_suggest_text_prints_ranked_codes(tmp_path) -> None:
    path = make_project(tmp_path)
    result = run("suggest", path, "--text", "Tarvitsen tilauksen, ja toimitus myöhästyi taas.",
                 "--framework", tmp_path / "test-frame.yaml", "--format", "json")
    data = json.loads(result.stdout)
    assert [(d["code"], d["path"]) for d in data] == [("Toimitus", []), ("Tarve", ["Tilaaminen"])]
    assert data[0]["score"] > data[1]["score"] > 0
    with Store.open(path, read_only=True) as store:
        assert store.suggestions() == []


def test_suggest_fills_the_queue_and_decisions(tmp_path) -> None:
    path = make_project(tmp_path)
    guide = tmp_path / "guide.yaml"
    guide.write_text(GUIDE, encoding="utf-8")
    result = run("suggest", path, "--guide", guide, "--format", "json")
    added = json.loads(result.stdout)
    assert [(s["code"], s["score"], s["status"]) for s in added] == [
        ("Tilaaminen", 1.0, "pending"), ("Tilaaminen", 0.6, "pending"), ("Tunteet", 1.0, "pending")]
    assert "Skipping guide codes not in the project: Omat havainnot" in result.stderr
    assert json.loads(run("suggest", path, "--guide", guide, "--format", "json").stdout) == []
    speaker = json.loads(run("suggest", path, "--speaker", "V", "--code", "Tunteet", "--format", "json").stdout)
    assert [s["source"] for s in speaker] == ["speaker"] * 3
    listing = json.loads(run("suggestions", path, "--source", "structural", "--format", "json").stdout)
    assert [s["id"] for s in listing] == [s["id"] for s in added]
    assert run("reject", path, added[1]["id"]).stdout == "Rejected 1 suggestions.\n"
    assert run("accept", path, "--all", "--source", "structural").stdout == "Accepted 2 suggestions (2 codings).\n"
    statuses = json.loads(run("suggestions", path, "--status", "all", "--source", "structural", "--format",
                              "json").stdout)
    assert [s["status"] for s in statuses] == ["accepted", "rejected", "accepted"]
    with Store.open(path, read_only=True) as store:
        assert {c.origin for c in store.codings()} == {"suggestion:structural"}


def test_suggest_needs_a_source(tmp_path) -> None:
    path = make_project(tmp_path)
    result = run("suggest", path)
    assert result.exit_code == 1 and "--framework NAME (dictionary)" in result.stderr
    assert "or --all" in run("accept", path).stderr
