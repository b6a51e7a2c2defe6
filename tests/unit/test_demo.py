"""The demo study: built from corpora/ and read back through the importer as written."""

from __future__ import annotations

import csv
import re

import pytest
import yaml

from qualcode.io.importer import import_paths
from qualcode.store import Store
from tests.conftest import REPO

CORPORA = REPO / "corpora"
FINNISH = [f"H{n}" for n in range(1, 9)]
ENGLISH = ["R1", "R2", "R3"]


def _coding_files(folder: str) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((CORPORA / folder).glob("*.yaml"))]


def _theme_codes(items: list[dict]) -> int:
    return sum(1 + _theme_codes(item.get("children") or []) for item in items)


def test_demo_project_counts(demo_path):
    themes = yaml.safe_load((CORPORA / "themes.yaml").read_text(encoding="utf-8"))
    with Store.open(demo_path, read_only=True) as store:
        counts = store.counts()
        assert counts["documents"] == 11
        assert counts["respondents"] == 11
        theme_codes = _theme_codes(themes["codes"])
        assert theme_codes == 60
        assert counts["codes"] == 5 + 15 + 8 + theme_codes  # five-es, operating-process, emotional-bond, themes
        references = sum(len(data["codings"]) for data in _coding_files("reference"))
        theme_codings = sum(len(data["codings"]) for data in _coding_files("themes"))
        assert references >= 150 and theme_codings >= 200
        assert counts["codings"] == references + theme_codings
        assert [r.label for r in store.respondents()] == FINNISH + ENGLISH
        assert {b.framework for b in store.codebooks()} == {"five-es", "operating-process", "emotional-bond", None}
        assert [b.name for b in store.codebooks() if b.framework is None] == ["Teemat"]
        for coding in store.codings():
            assert coding.memo and coding.coder == "tutkija"


@pytest.mark.parametrize("name", FINNISH + ENGLISH)
def test_each_transcript_reads_back_as_written(tmp_path, name):
    path = next((CORPORA / "transcripts").glob(f"{name}.*"))
    with Store.open(tmp_path / "p.qualcode", create=True) as store:
        import_paths(store, [path])
        doc = store.documents()[0]
        assert doc.respondent == name
        turns = store.turns(doc.id)
        text = store.document_text(doc.id)
        interviewer = [t for t in turns if t.role == "interviewer"]
        respondent = [t for t in turns if t.role == "respondent"]
        assert interviewer and respondent
        assert all(t.role in ("interviewer", "respondent") for t in turns)
        if path.suffix == ".txt":
            raw = path.read_text(encoding="utf-8")
            paragraphs = [p for p in raw.split("\n\n") if p.strip()]
            assert len(turns) == len(paragraphs)
            labels = {re.sub(r"^\[[\d:]+\]\s*", "", p).split(":", 1)[0] for p in paragraphs}
            assert {t.speaker for t in turns} == labels
        for turn in turns:
            assert text[turn.start:turn.end].strip() == text[turn.start:turn.end]
            assert not re.match(r"^[\[(]?\d{1,2}:\d{2}", text[turn.start:turn.end])


def test_attributes_come_out_as_written(demo_path):
    rows = list(csv.DictReader((CORPORA / "respondents.csv").open(encoding="utf-8")))
    with Store.open(demo_path, read_only=True) as store:
        respondents = {r.label: r.attributes for r in store.respondents()}
    for row in rows:
        attributes = respondents[row["respondent"]]
        assert attributes["role"] == row["role"]
        assert attributes["organisation_type"] == row["organisation_type"]
        assert attributes["duration_min"] == int(row["duration_min"])
        assert attributes["interview_date"] == row["interview_date"]


def test_reference_codings_cover_both_frameworks(demo_path):
    with Store.open(demo_path, read_only=True) as store:
        paths = {store.code(c.code_id).framework_path for c in store.codings()}
    assert {f"five-es/{e}" for e in ("environment", "expectations", "emotions", "experience", "engagement")} <= paths
    assert any(p.startswith("operating-process/") for p in paths)


# ---------------------------------------------------------------- the researcher's themes

def test_theme_codings_cover_every_finding_and_interview(demo_path):
    """Every finding rests on passages, most on several respondents; every interview is coded."""
    from qualcode.coding.summary import summary

    with Store.open(demo_path, read_only=True) as store:
        book = store.codebook("Teemat")
        roots = [c for c in store.codes(book.id) if c.parent_id is None]
        assert [c.name for c in roots] == ["Jälleenmyyjien liiketoimintaympäristö", "Jälleenmyyjien tarpeet",
                                           "Asiakassuhde Kaarnaan", "Tunteet Kaarnaa kohtaan"]
        supports = []
        for root in roots:
            built = summary(store, root, show_uncoded=True, language="fi")
            assert all(row.respondents for row in built.rows), root.name
            supports += [len(row.respondents) for row in built.rows]
        assert len(supports) >= 30
        assert sum(n >= 3 for n in supports) >= 0.8 * len(supports)
        coded = {store.document(c.document_id).respondent for c in store.codings()
                 if c.code_id in {code.id for code in store.codes(book.id)}}
        assert coded == set(FINNISH)


def test_themes_summary_table_reads_like_the_thesis(demo_path):
    from qualcode.coding.summary import summary

    with Store.open(demo_path, read_only=True) as store:
        built = summary(store, "Jälleenmyyjien tarpeet", language="fi")
        lines = [(row.finding.group, built.line(row)) for row in built.rows]
    assert built.header == "JÄLLEENMYYJIEN TARPEET"
    assert lines[:3] == [
        ("Toimitusvarmuus", "Sesonkitoimitukset myöhästyvät ratkaisevalla hetkellä. (H1, H2, H5, H6, H7, H8)"),
        ("Toimitusvarmuus", "Viivästyksistä ja saatavuudesta ei kerrota ajoissa. (H1, H2, H5, H6, H7)"),
        ("Toimitusvarmuus", "Lasi rikkoutuu kuljetuksessa puutteellisen pakkauksen vuoksi. (H1, H3, H4, H5, H6)"),
    ]
    assert [group for group, _dimension in built.groups] == [
        "Toimitusvarmuus", "Tilaaminen", "Myynnin tuki", "Ennakointi", "Jälleenmyyjien erilaisuus"]


def test_emotions_table_has_valence_columns(demo_path):
    from qualcode.coding.summary import summary

    with Store.open(demo_path, read_only=True) as store:
        built = summary(store, "Tunteet Kaarnaa kohtaan", columns="emotional-bond/valence", language="fi")
        frame = built.to_table().frame
    assert list(frame.columns) == ["Teema", "POSITIIVINEN", "NEUTRAALI", "NEGATIIVINEN"]
    assert list(frame["Teema"]) == ["BRÄNDI", "TUOTE", "VUOROVAIKUTUS"]
    assert frame.iloc[0]["POSITIIVINEN"] == "Ylpeys suomalaisesta muotoilusta. (H1, H2, H3, H4, H5, H6, H7, H8)"
    assert frame.iloc[1]["NEUTRAALI"] == "---"


def test_framework_comparison_finds_candidate_new_elements(demo_path):
    from qualcode.coding.comparison import framework_comparison

    with Store.open(demo_path, read_only=True) as store:
        result = framework_comparison(store, "five-es", where={"language": "fi"}, language="fi")
        names = {row.path[-1]: [store.code(t).name for t, _r in row.themes] for row in result.elements}
        unlinked = {store.code(t).name: list(r) for t, r in result.unlinked}
    assert all(row.reached for row in result.elements)
    assert names["Asiakkaan ympäristö"] == ["Sesongit", "Liiketoiminnan tavoitteet", "Kilpailu"]
    assert "Yhteiskehittäminen" in names["Asiakkaan sitouttaminen"]
    assert "Toimitusvarmuus" in names["Asiakkaan odotukset"] and "Toimitusvarmuus" in names["Asiakkaan kokemukset"]
    assert unlinked == {"Jälleenmyyjien erilaisuus": ["H1", "H3", "H4", "H5", "H7", "H8"],
                        "Suhteen henkilöityminen": FINNISH}


def test_theme_codebook_problems_leave_the_project_untouched(tmp_path):
    from qualcode.errors import InputError
    from qualcode.frameworks.project import use_framework
    from qualcode.io.themes import import_theme_codebook

    path = tmp_path / "themes.yaml"
    path.write_text(yaml.safe_dump({"codebook": "Teemat", "codes": [
        {"name": "A", "links": ["five-es/environment"], "children": [{"name": "B", "finding": "B on totta."}]},
        {"name": "C", "links": ["five-es/nothing"], "colour": "red"}]}, allow_unicode=True), encoding="utf-8")
    with Store.open(tmp_path / "p.qualcode", create=True) as store:
        use_framework(store, "five-es", language="fi")
        before = len(store.codes())
        with pytest.raises(InputError, match=r"(?s)C: colour 'red'.*C: link 'five-es/nothing'"):
            import_theme_codebook(store, path)
        assert len(store.codes()) == before and not store.code_links()
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["codes"].pop()
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        report = import_theme_codebook(store, path)
        assert (report.codes, report.findings, report.links) == (2, 1, 1)
        assert store.find_code("A > B").finding == "B on totta."
