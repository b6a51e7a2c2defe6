"""`qualcode export ...`, `trace`, `link` / `unlink` and `cell-summary` through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from qualcode.cli import cli
from qualcode.store import Store
from tests.golden.fixture import build_fixture_project

GOALS = "Asiakkaiden liiketoiminnalliset tavoitteet"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "study.qualcode"
    with Store.open(path, create=True, user="tutkija") as store:
        build_fixture_project(store)
    return path


def test_summary_text_to_stdout(project):
    result = run("export", "summary", project, "--code", GOALS, "--caption", "Taulukko 4. Yhteenveto")
    assert result.exit_code == 0
    assert result.stdout == (
        "Taulukko 4. Yhteenveto\n"
        "\n"
        "ASIAKKAIDEN LIIKETOIMINNALLISET TAVOITTEET\n"
        "LIIKETOIMINNAN LAAJENTAMINEN   Toiminnan laajentaminen uusille markkinoille. (H1)\n"
        "                               Tuotevalikoiman laajentaminen. (H2)\n"
        "MYYNNIN KASVATTAMINEN          Tarjotaan uutuuksia. (H3, H10, R1)\n"
        "                               Kasvatetaan keskiostosten määrää. (H10)\n"
        "KANNATTAVUUS                   ---\n"
    )


def test_summary_json_contract(project):
    result = run("export", "summary", project, "--code", "Tunnesidos", "--columns", "Valenssi", "--format", "json")
    assert json.loads(result.stdout) == {
        "caption": None,
        "header": "TUNNESIDOS",
        "rows": [
            {"path": ["Brändi"], "finding": "Luotettava merkki", "column": "Positiivinen", "respondents": ["H1", "R1"]},
            {"path": ["Tuote"], "finding": "Laatu", "column": "Positiivinen", "respondents": ["H2"]},
            {"path": ["Tuote"], "finding": "Laatu", "column": "Negatiivinen", "respondents": ["H10"]},
            {"path": ["Vuorovaikutus"], "finding": "Palvelun nopeus", "column": "Positiivinen",
             "respondents": ["H3"]},
        ],
    }


def test_matrix_json_contract_and_path_names(project):
    result = run("export", "matrix", project, "--code", "Toimintaprosessi > Tilaaminen ja toimitus", "--by",
                 "respondent", "--cells", "count", "--format", "json")
    assert json.loads(result.stdout) == {
        "rows": ["Toimintaprosessi > Tilaaminen ja toimitus", "Toimintaprosessi > Tilaaminen ja toimitus > Toiminta",
                 "Toimintaprosessi > Tilaaminen ja toimitus > Toiminta > Verkkokauppa",
                 "Toimintaprosessi > Tilaaminen ja toimitus > Tarve",
                 "Toimintaprosessi > Tilaaminen ja toimitus > Tarve > Nopea toimitus"],
        "columns": ["H1", "H2", "H3", "H10", "R1"],
        "cells": [[1, 1, 1, 0, 0], [1, 0, 1, 0, 0], [1, 0, 1, 0, 0], [0, 1, 0, 0, 0], [0, 1, 0, 0, 0]],
    }
    ambiguous = run("export", "matrix", project, "--code", "Toiminta", "--format", "json")
    assert ambiguous.exit_code == 1 and "ambiguous" in ambiguous.stderr and ambiguous.stdout == ""


def test_matrix_by_attribute_as_csv(project):
    result = run("export", "matrix", project, "--code", "Tunnesidos", "--by", "attribute:organisation_type",
                 "--cells", "respondents", "--format", "csv", "--language", "en")
    assert result.stdout.splitlines() == [
        "Code,for-profit,non-profit,Total,Coverage",
        "Tunnesidos,3,2,5,5 of 5 respondents",
        "Tunnesidos > Brändi,2,0,2,2 of 5 respondents",
        "Tunnesidos > Brändi > Luotettava merkki,2,0,2,2 of 5 respondents",
        "Tunnesidos > Tuote,1,1,2,2 of 5 respondents",
        "Tunnesidos > Tuote > Laatu,1,1,2,2 of 5 respondents",
        "Tunnesidos > Vuorovaikutus,0,1,1,1 of 5 respondents",
        "Tunnesidos > Vuorovaikutus > Palvelun nopeus,0,1,1,1 of 5 respondents",
        "Total,3,2,5,5 of 5 respondents",
    ]


def test_file_output_needs_force_to_overwrite(project, tmp_path):
    target = tmp_path / "matriisi.xlsx"
    first = run("export", "matrix", project, "--code", "Tunnesidos", "-o", target)
    assert first.exit_code == 0 and first.stdout == "" and first.stderr == f"Wrote {target}\n"
    assert load_workbook(target).active["A2"].value == "Tunnesidos"
    again = run("export", "matrix", project, "--code", "Tunnesidos", "-o", target)
    assert again.exit_code == 1 and "--force" in again.stderr
    assert run("export", "matrix", project, "--code", "Tunnesidos", "-o", target, "--force").exit_code == 0


def test_quotes_with_trailing_labels(project):
    result = run("export", "quotes", project, "--code", "Tuote", "--style", "trailing", "--label",
                 "Asiantuntija {n}", "--format", "md", "--language", "fi")
    assert result.stdout.splitlines() == [
        "| Teema | Haastateltava | Lainaus |",
        "|---|---|---|",
        "| Laatu | H2 | ”Laatu on tasaisen hyvä.” – Asiantuntija 2. |",
        "|  | H10 | ”Laatu vaihtelee, se harmittaa.” – Asiantuntija 10. |",
    ]


def test_trace_lists_passages(project):
    result = run("trace", project, "--code", "Uutuudet", "--respondent", "H10", "--format", "json")
    passages = json.loads(result.stdout)["passages"]
    assert [(p["document"], p["respondent"], p["start"], p["end"], p["text"]) for p in passages] == [
        ("H10 haastattelu", "H10", 76, 105, "uutuuksia tarjotaan kassalla.")]
    table = run("trace", project, "--code", "Uutuudet", "--respondent", "H10", "--language", "en")
    assert table.stdout.splitlines()[2].split() == [
        "Asiakkaiden", "liiketoiminnalliset", "tavoitteet", ">", "Myynnin", "kasvattaminen", ">", "Uutuudet",
        "H10", "haastattelu", "H10", "76", "105", "3", "uutuuksia", "tarjotaan", "kassalla."]


def test_link_unlink_and_comparison(tmp_path):
    path = tmp_path / "links.qualcode"
    with Store.open(path, create=True, user="tutkija") as store:
        build_fixture_project(store)
    assert run("link", path, "Valenssi", "five-es/emotions").stdout == "Linked Valenssi -> Asiakkaan tunteet.\n"
    data = json.loads(run("export", "comparison", path, "--framework", "five-es", "--format", "json").stdout)
    assert [t["path"] for t in data["elements"][1]["themes"]] == [["Tunnesidos"], ["Valenssi"]]
    assert [u["path"] for u in data["unlinked"]] == [["Toimintaprosessi"], ["Muut"]]
    assert run("unlink", path, "Valenssi", "five-es/emotions").exit_code == 0
    missing = run("unlink", path, "Valenssi", "five-es/emotions")
    assert missing.exit_code == 1 and "is not linked" in missing.stderr


def test_cell_summary_round_trip(tmp_path):
    path = tmp_path / "framework.qualcode"
    with Store.open(path, create=True, user="tutkija") as store:
        build_fixture_project(store)
    saved = run("cell-summary", path, "--code", "Tuote", "--column", "H10", "Laatu vaihtelee erästä toiseen.")
    assert saved.exit_code == 0
    assert run("cell-summary", path, "--code", "Tuote", "--column", "respondent:H10").stdout == \
        "Laatu vaihtelee erästä toiseen.\n"
    result = run("export", "matrix", path, "--code", "Tuote", "--cells", "summary", "--format", "json")
    assert json.loads(result.stdout)["cells"] == [["", "", "", "Laatu vaihtelee erästä toiseen.", ""],
                                                  ["", "", "", "", ""]]
    wrong = run("cell-summary", path, "--code", "Tuote", "--column", "H99", "x")
    assert wrong.exit_code == 1 and "H1, H2, H3, H10, R1" in wrong.stderr


def test_export_all(project, tmp_path):
    result = run("export", "all", project, "-o", tmp_path / "tables", "--format", "md", "--format", "csv")
    assert result.exit_code == 0 and result.stdout == ""
    files = sorted(p.name for p in (tmp_path / "tables").iterdir())
    assert "summary-asiakkaiden-liiketoiminnalliset-tavoitteet.md" in files and "matrix-teemat.csv" in files
    assert result.stderr.endswith(f"Wrote {len(files)} files to {tmp_path / 'tables'}.\n")
    again = run("export", "all", project, "-o", tmp_path / "tables", "--format", "md")
    assert again.exit_code == 1 and "--force" in again.stderr


def test_binary_format_needs_a_file_on_a_terminal_but_pipes_fine(project):
    result = run("export", "matrix", project, "--code", "Tunnesidos", "--format", "xlsx")
    assert result.exit_code == 0 and result.stdout_bytes[:2] == b"PK"


def test_export_refuses_real_names_unless_allowed(project, tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("real,pseudonym\nRuotsi,Maa X\nMäkinen,Asiantuntija A\n", encoding="utf-8")
    target = tmp_path / "lainaukset.docx"
    quotes = ("export", "quotes", project, "--code", "Uudet markkinat", "-o", target, "--names", names)
    refused = run(*quotes)
    assert refused.exit_code == 1 and not target.exists()
    assert "Ruotsi (1); first at lainaukset.docx table 1 row 2 cell 3" in refused.stderr  # `Ruotsiin`, inflected
    assert "--allow-names" in refused.stderr and list(tmp_path.glob(".*.part")) == []
    allowed = run(*quotes, "--allow-names")
    assert allowed.exit_code == 0 and target.exists()
    labelled = run("export", "quotes", project, "--code", "Tuote", "--label", "{name} ({year})", "--names", names)
    assert labelled.exit_code == 1 and labelled.stdout == "" and "Mäkinen (1)" in labelled.stderr
    heatmap = run("export", "matrix", project, "--by", "attribute:name", "--format", "png", "-o",
                  tmp_path / "m.png", "--names", names)
    assert heatmap.exit_code == 1 and "Mäkinen" in heatmap.stderr and not (tmp_path / "m.png").exists()


def test_export_all_checks_the_list_the_project_remembers(tmp_path):
    path = tmp_path / "remembered.qualcode"
    with Store.open(path, create=True, user="tutkija") as store:
        build_fixture_project(store)
    names = tmp_path / "names.csv"
    names.write_text("real,pseudonym\nRuotsi,Maa X\n", encoding="utf-8")
    assert run("check-leaks", path, "--names", names, "--remember").exit_code == 1  # it found Ruotsiin
    refused = run("export", "all", path, "-o", tmp_path / "tables", "--format", "csv")
    assert refused.exit_code == 1 and "Ruotsi" in refused.stderr
    assert run("export", "matrix", path, "--code", "Tunnesidos").exit_code == 0  # no name in this one
    assert run("export", "all", path, "-o", tmp_path / "tables", "--format", "csv", "--force",
               "--allow-names").exit_code == 0
