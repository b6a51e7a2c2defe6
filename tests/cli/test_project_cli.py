from __future__ import annotations

import json

from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.store import Store
from tests.conftest import TRANSCRIPT, simple_spans


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def make_project(tmp_path):
    path = tmp_path / "study.qualcode"
    with Store.open(path, create=True) as store:
        turns, segments = simple_spans(TRANSCRIPT)
        store.add_document(title="H2 haastattelu", text=TRANSCRIPT, format="txt", language="fi",
                           respondent="H2", turns=turns, segments=segments)
        store.add_document(title="H10 haastattelu", text=TRANSCRIPT, format="txt", language="fi",
                           respondent="H10", turns=turns, segments=segments)
    return path


def test_init_then_info_json(tmp_path):
    path = tmp_path / "new.qualcode"
    assert run("init", path).output == f"Created {path}\n"
    result = run("info", path, "--format", "json")
    assert json.loads(result.output) == {"documents": 0, "respondents": 0, "turns": 0, "segments": 0,
                                         "codes": 0, "codings": 0}
    again = run("init", path)
    assert again.exit_code == 1 and "already exists" in again.output


def test_info_counts_table(tmp_path):
    result = run("info", make_project(tmp_path))
    assert result.output.splitlines()[2:4] == ["documents    2", "respondents  2"]


def test_documents_listing_sorted_naturally(tmp_path):
    result = run("documents", make_project(tmp_path), "--format", "csv")
    lines = result.output.splitlines()
    assert lines[0].startswith("id,title,respondent,language,format,round,characters,turns,codings")
    assert [line.split(",")[2] for line in lines[1:]] == ["H2", "H10"]
    data = json.loads(run("documents", tmp_path / "study.qualcode", "--format", "json").output)
    assert [d["title"] for d in data["documents"]] == ["H2 haastattelu", "H10 haastattelu"]


def test_respondents_import_attributes(tmp_path):
    path = make_project(tmp_path)
    csv_path = tmp_path / "attributes.csv"
    csv_path.write_text("respondent;role;duration_min\nH10;buyer;45\nH2;owner;61\nH3;manager;30\n", encoding="utf-8")
    result = run("respondents", path, "--import", csv_path, "--format", "json")
    data = json.loads(result.stdout)
    assert data["respondents"] == [
        {"respondent": "H2", "documents": 1, "role": "owner", "duration_min": 61},
        {"respondent": "H3", "documents": 0, "role": "manager", "duration_min": 30},
        {"respondent": "H10", "documents": 1, "role": "buyer", "duration_min": 45},
    ]


def test_show_prints_turns(tmp_path):
    result = run("show", make_project(tmp_path), "H2")
    assert result.output.splitlines()[2:5] == [
        "  H: Kertoisitko yrityksestänne?",
        "",
        "> V: Meillä on pieni lahjatavarakauppa. Asiakkaat ovat enimmäkseen paikallisia.",
    ]


def test_errors_are_one_line_with_non_zero_exit(tmp_path):
    missing = run("info", tmp_path / "nope.qualcode")
    assert missing.exit_code == 1
    assert missing.output == f"Error: No project at {tmp_path / 'nope.qualcode'}. Create one with: qualcode init {tmp_path / 'nope.qualcode'}\n"
    unknown = run("show", make_project(tmp_path), "H99")
    assert unknown.exit_code == 1 and "No document 'H99'" in unknown.output


def test_every_command_help_ends_with_an_example():
    for name, command in cli.commands.items():
        help_text = run(name, "--help").output
        assert "Example" in help_text, name
