from __future__ import annotations

import json
import shutil

from click.testing import CliRunner
from openpyxl import load_workbook

from qualcode.cli import cli
from qualcode.store import Store
from tests.conftest import TRANSCRIPT, simple_spans


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def base_project(path):
    with Store.open(path, create=True) as store:
        turns, segments = simple_spans(TRANSCRIPT)
        store.add_document(title="H1", text=TRANSCRIPT, format="txt", language="fi", respondent="H1",
                           turns=turns, segments=segments)
        store.add_code("Tilaaminen")
        store.add_code("Tunteet")
        store.set_attribute("H1", "role", "owner")
    return path


def code_copy(path, coder, spans):
    with Store.open(path, user=coder) as store:
        doc = store.document("H1")
        for name, (start, end) in spans:
            store.add_coding(doc.id, store.find_code(name).id, start, end)
        store.set_memo("code", store.find_code("Tunteet").id, f"memo by {coder}")


def test_merge_two_coders_then_agreement_and_idempotence(tmp_path):
    base = base_project(tmp_path / "base.qualcode")
    anna, ville = tmp_path / "anna.qualcode", tmp_path / "ville.qualcode"
    shutil.copy(base, anna)
    shutil.copy(base, ville)
    with Store.open(base, read_only=True) as store:
        segments = store.segments(store.document("H1").id)
    first, last = segments[1], segments[-1]
    code_copy(anna, "anna", [("Tilaaminen", (first.start, first.end)), ("Tunteet", (last.start, last.end))])
    code_copy(ville, "ville", [("Tilaaminen", (first.start, first.end))])
    with Store.open(ville, user="ville") as store:  # ville adds an inductive theme of his own
        code = store.add_code("Sesongit")
        store.add_coding(store.document("H1").id, code, first.start, first.end)

    result = run("merge", base, anna, ville)
    assert result.exit_code == 0, result.output
    assert f"{anna}:\n  added    0 documents, 0 codebooks, 0 codes, 2 codings, 1 memos, 0 attributes" in result.output
    assert "added    0 documents, 0 codebooks, 1 codes, 2 codings, 0 memos, 0 attributes" in result.output
    assert "skipped  code memo by ville: differs from the target's; kept the target's" in result.output

    again = run("merge", base, anna, ville)
    assert "added    0 documents, 0 codebooks, 0 codes, 0 codings, 0 memos, 0 attributes" in again.output
    with Store.open(base, read_only=True) as store:
        assert len(store.codings()) == 4
        assert store.coders() == ["anna", "ville"]

    report = json.loads(run("agreement", base, "--coders", "anna,ville", "--format", "json").output)
    by_code = {c["code"]: c for c in report["codes"]}
    assert by_code["Tilaaminen"]["percent"] == 1.0
    assert by_code["Tunteet"]["percent"] == round((len(segments) - 1) / len(segments), 4)
    assert by_code["Sesongit"]["alpha"] == 0.0  # one-sided coding: no agreement beyond chance
    assert set(report["overall"]) == {"code", "percent", "kappa", "alpha", "units"}

    markdown = run("agreement", base, "--coders", "anna,ville", "--format", "md", "--language", "en").output
    assert markdown.splitlines()[:3] == [
        "| Code | Percent agreement | Cohen's kappa | Krippendorff's alpha | Units |",
        "|---|---:|---:|---:|---:|",
        f"| Tilaaminen | 1 | 1 | 1 | {len(segments)} |",
    ]
    assert "| **All codes** |" in markdown and "Coders: anna, ville; unit: sentence." in markdown
    workbook_path = tmp_path / "agreement.xlsx"
    assert run("agreement", base, "--coders", "anna,ville", "-o", workbook_path).exit_code == 0
    sheet = load_workbook(workbook_path).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Koodi", "Yhtäpitävyys", "Cohenin kappa", "Krippendorffin alfa", "Yksiköt"]
    assert values[3] == ["Sesongit", by_code["Sesongit"]["percent"], 0.0, 0.0, len(segments)]
    assert values[4][0] == "Kaikki koodit" and values[4][1:] == [
        report["overall"][key] for key in ("percent", "kappa", "alpha", "units")]


def test_agreement_needs_known_coders(tmp_path):
    base = base_project(tmp_path / "base.qualcode")
    result = run("agreement", base, "--coders", "anna,ville")
    assert result.exit_code == 1
    assert "No codings by anna, ville" in result.output


def test_disagreements_listing_and_resolve(tmp_path):
    base = base_project(tmp_path / "base.qualcode")
    with Store.open(base, read_only=True) as store:
        segments = store.segments(store.document("H1").id)
    agreed = ("Tilaaminen", (segments[3].start, segments[3].end))
    code_copy(base, "anna", [("Tilaaminen", (segments[1].start, segments[1].end)), agreed])
    code_copy(base, "ville", [("Tunteet", (segments[2].start, segments[2].end)), agreed])
    listing = run("disagreements", base, "--coders", "anna,ville", "--format", "csv").output.splitlines()
    assert listing[0] == "unit,document,respondent,code,start,end,coded_by,text"
    assert listing[1] == f"1,H1,H1,Tilaaminen,{segments[1].start},{segments[1].end},anna,Meillä on pieni lahjatavarakauppa."
    assert len(listing) == 3
    result = run("resolve", base, "--coders", "anna,ville", "--unit", "2", "--keep", "neither")
    assert result.output == "Resolved unit 2 (H1, Tunteet): kept neither.\n"
    assert len(run("disagreements", base, "--coders", "anna,ville", "--format", "csv").output.splitlines()) == 2
