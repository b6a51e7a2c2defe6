from __future__ import annotations

import json

from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.store import Store
from tests.conftest import TRANSCRIPT, simple_spans


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def project_with_five_es(tmp_path):
    path = tmp_path / "study.qualcode"
    assert run("init", path).exit_code == 0
    assert run("frameworks", "use", path, "five-es", "--language", "fi").output == \
        "Added codebook 'Asiakassuhteen viisi E:tä' with 5 codes.\n"
    with Store.open(path) as store:
        turns, segments = simple_spans(TRANSCRIPT)
        doc = store.add_document(title="H1", text=TRANSCRIPT, format="txt", language="fi", respondent="H1",
                                 turns=turns, segments=segments)
        store.add_coding(doc, store.find_code("five-es/emotions").id, 3, 20)
    return path


def codes_json(path):
    return json.loads(run("codes", path, "--format", "json").output)["codes"]


def test_frameworks_list_json_names_and_counts():
    data = json.loads(run("frameworks", "list", "--format", "json").output)
    counts = {row["name"]: row["codes"] for row in data}
    assert set(counts) == {"five-es", "idic", "operating-process", "emotional-bond", "lifecycle",
                           "delphi-future", "swot", "blank"}
    assert counts["five-es"] == 5 and counts["operating-process"] == 15 and counts["blank"] == 0


def test_frameworks_show_lists_the_tree():
    lines = run("frameworks", "show", "operating-process").output.splitlines()
    assert any(line.startswith("[3] ") and "(operating-process/ordering)" in line for line in lines)
    assert any(line.startswith("  ") and "(operating-process/ordering/need)" in line for line in lines)


def test_using_a_framework_twice_is_refused(tmp_path):
    path = project_with_five_es(tmp_path)
    again = run("frameworks", "use", path, "five-es")
    assert again.exit_code == 1 and "already has the five-es framework" in again.output
    assert run("frameworks", "use", path, "swot", "--language", "en").exit_code == 0
    assert {c["codebook"] for c in codes_json(path)} == {"Asiakassuhteen viisi E:tä", "SWOT analysis"}


def test_codebook_edits(tmp_path):
    path = project_with_five_es(tmp_path)
    assert run("code", "add", path, "Sesongit", "--parent", "Asiakkaan ympäristö").output == \
        "Added Asiakkaan ympäristö > Sesongit (id 6).\n"
    assert run("code", "rename", path, "Sesongit", "Sesongit ja juhlat").exit_code == 0
    assert run("code", "recolour", path, "Sesongit ja juhlat", "#123456").exit_code == 0
    bad = run("code", "recolour", path, "Sesongit ja juhlat", "red")
    assert bad.exit_code == 1 and "#rrggbb" in bad.output
    assert run("code", "move", path, "Sesongit ja juhlat", "--parent", "Asiakkaan tunteet").output == \
        "Moved to Asiakkaan tunteet > Sesongit ja juhlat.\n"
    assert run("code", "merge", path, "Asiakkaan tunteet", "Asiakkaan kokemukset").output == \
        "Merged 'Asiakkaan tunteet' into 'Asiakkaan kokemukset'; 1 codings moved.\n"
    rows = {r["path"]: r for r in codes_json(path)}
    assert rows["Asiakkaan kokemukset"]["codings"] == 1
    assert rows["Asiakkaan kokemukset > Sesongit ja juhlat"]["colour"] == "#123456"
    guarded = run("code", "delete", path, "Asiakkaan kokemukset")
    assert guarded.exit_code == 1 and "has 1 codings; use --force" in guarded.output
    assert run("code", "delete", path, "Asiakkaan kokemukset", "--force").output == \
        "Deleted 'Asiakkaan kokemukset' and removed 1 codings.\n"
    assert "Asiakkaan kokemukset" not in {r["path"] for r in codes_json(path)}
    assert run("undo", path).output == "Undid: delete code Asiakkaan kokemukset\n"
    assert rows.keys() == {r["path"]: r for r in codes_json(path)}.keys()


def test_invalid_user_framework_is_reported_precisely(tmp_path):
    broken = tmp_path / "mine.yaml"
    broken.write_text("name: mine\ntitle: {fi: Oma, en: Mine}\ncodes:\n  - id: Bad Id\n    label: {fi: a, en: a}\n")
    result = run("frameworks", "validate", broken)
    assert result.exit_code == 1
    assert "mine.yaml" in result.output and "Bad Id" in result.output
