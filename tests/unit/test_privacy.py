"""Pseudonym lists, inflected-name matching and replacement, pseudonymised copies, leak check."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from qualcode.coding.suggest.model import Suggestion
from qualcode.errors import ConflictError, InputError
from qualcode.privacy.leaks import (
    NAMES_SETTING,
    NamesLeakError,
    assert_no_leaks,
    find_leaks,
    guard_export,
    remember_names,
    scan_file,
)
from qualcode.privacy.matching import NameMatcher, OffsetMap
from qualcode.privacy.names import Pseudonym, parse_names, read_names
from qualcode.privacy.pseudonymise import pseudonymise_project
from qualcode.privacy.suggest import NO_NER_MESSAGE, NerUnavailableError, ner_pipelines, suggest_names
from qualcode.store import Store
from tests.conftest import REPO, simple_spans

NAMES_CSV = REPO / "corpora" / "names.csv"
TRANSCRIPTS = REPO / "corpora" / "transcripts"
DEMO_NAMES = read_names(NAMES_CSV)


# ---------------------------------------------------------------- the names list
def test_names_csv_longest_first_with_header_comments_and_semicolons():
    names = parse_names("# pseudonyms\nreal;pseudonym\nPorkka;Myyjä A\n\nLiisa  Porkka ; Myyjä A\n")
    assert names == [Pseudonym("Liisa Porkka", "Myyjä A"), Pseudonym("Porkka", "Myyjä A")]
    assert [n.real for n in DEMO_NAMES] == ["Kaarna Design", "Liisa Porkka", "Lasipaja", "Kaarna", "Porkka", "Liisa"]


def test_names_csv_errors_say_where_and_what_to_do(tmp_path):
    with pytest.raises(InputError, match="line 3: give both a real name and its pseudonym"):
        parse_names("real,pseudonym\nPorkka,Myyjä A\nKaarna,\n")
    with pytest.raises(InputError, match="listed twice with different pseudonyms"):
        parse_names("Porkka,Myyjä A\nporkka,Myyjä B\n")
    with pytest.raises(InputError, match="contains the listed real name 'Porkka'"):
        parse_names("Porkka,Porkan tiimi\n")
    with pytest.raises(InputError, match="does not exist"):
        read_names(tmp_path / "missing.csv")
    windows = tmp_path / "names.csv"
    windows.write_bytes("real,pseudonym\nMäkinen,Henkilö B\n".encode("cp1252"))
    assert read_names(windows) == [Pseudonym("Mäkinen", "Henkilö B")]


# ---------------------------------------------------------------- matching inflected forms
@pytest.mark.parametrize(("text", "real"), [
    ("Porkka", "Porkka"), ("Porkan", "Porkka"), ("Porkalle", "Porkka"), ("Porkalta", "Porkka"),
    ("Porkkaa", "Porkka"), ("Porkassa", "Porkka"), ("Porkka's", "Porkka"), ("Porkka’s", "Porkka"),
    ("PORKAN", "Porkka"), ("porkalla", "Porkka"), ("Porkaltakin", "Porkka"), ("Porkalt", "Porkka"),
    ("Lasipaja", "Lasipaja"), ("Lasipajan", "Lasipaja"), ("Lasipajalta", "Lasipaja"), ("Lasipajaan", "Lasipaja"),
    ("Liisalle", "Liisa"), ("Liisan", "Liisa"), ("Liisa's", "Liisa"),
    ("Kaarnallakin", "Kaarna"), ("Kaarna-kampanja", "Kaarna"),
    ("Liisa Porkalle", "Liisa Porkka"), ("Liisa\nPorkan", "Liisa Porkka"), ("Kaarna Designin", "Kaarna Design"),
])
def test_every_inflected_form_of_the_demo_names_is_found(text, real):
    matches = NameMatcher(DEMO_NAMES).find(f"({text}) ja")
    assert [(m.text, m.name.real) for m in matches] == [(text.removesuffix("-kampanja"), real)]


@pytest.mark.parametrize("text", ["Porkkala", "Porka", "Liisankatu", "Kaarnamainen", "xPorkka", "Lasipajat2",
                                  "Porkkanen", "Liisalainen"])
def test_other_words_are_not_names(text):
    assert NameMatcher(DEMO_NAMES).find(f"Se on {text} nyt.") == []


@pytest.mark.parametrize(("real", "forms"), [
    ("Virtanen", ["Virtasen", "Virtaselle", "Virtasta", "Virtaseen"]),
    ("Mäki", ["Mäen", "Mäelle", "Mäkeä"]),
    ("Lahti", ["Lahden", "Lahdessa", "Lahtea"]),
    ("Antti", ["Antin", "Antille"]),
    ("Niklas", ["Niklaksen", "Niklakselle", "Niklasta"]),
    ("Smith", ["Smithin", "Smithille", "Smithiä", "Smith's"]),
    ("Virta", ["Virran", "Virralle"]),
    ("ABC", ["ABC:n", "ABC:lle", "ABC:hen"]),
])
def test_gradation_stem_types_and_colon_forms(real, forms):
    matcher = NameMatcher([(real, "Henkilö X")])
    for form in forms:
        assert [m.text for m in matcher.find(f"- {form} -")] == [form], form


@pytest.mark.parametrize(("text", "expected"), [
    ("Soitin Porkalle.", "Soitin Myyjä A:lle."),
    ("Kaarnan tuotteet", "Yritys X:n tuotteet"),
    ("Kysyin Porkkaa", "Kysyin Myyjä A:ta"),
    ("Menen Lasipajaan", "Menen Kilpailija Y:hyn"),
    ("Kaarnallakin on", "Yritys X:lläkin on"),
    ("Kaarnakin tietää", "Yritys X:kin tietää"),
    ("Talked to Porkka's team", "Talked to Myyjä A's team"),
    ("Liisa Porkalle ja Liisalle", "Myyjä A:lle ja Myyjä A:lle"),
    ("Kaarna Designin ja Kaarnan", "Yritys X:n ja Yritys X:n"),
    ("Ostin Kaarnalta, en Lasipajalta", "Ostin Yritys X:ltä, en Kilpailija Y:ltä"),
    ("KAARNAN MALLISTO", "YRITYS X:N MALLISTO"),
    ("Porkalt kysyin", "Myyjä A:lta kysyin"),
])
def test_replacement_keeps_the_case_ending_after_a_colon(text, expected):
    assert NameMatcher(DEMO_NAMES).replace_text(text) == expected


@pytest.mark.parametrize(("pseudonym", "text", "expected"), [
    ("H3", "Annoin Porkalle", "Annoin H3:lle"),
    ("H3", "Porkkaa", "H3:a"),
    ("H3", "Porkkaan", "H3:een"),
    ("H4", "Porkkaa", "H4:ää"),
    ("Kauppa", "Annoin Porkalle", "Annoin Kaupalle"),
    ("Myyjä", "Porkan", "Myyjän"),
    ("Asiakasyritys", "Annoin Porkalle", "Annoin Asiakasyritys"),  # cannot be inflected safely: base form
])
def test_replacement_for_numbered_and_word_pseudonyms(pseudonym, text, expected):
    assert NameMatcher([("Porkka", pseudonym)]).replace_text(text) == expected


def test_names_with_initials_and_handles():
    matcher = NameMatcher([("A. Porkka", "Myyjä A"), ("@kaarna", "Yritys X")])
    assert matcher.replace_text("Soitin A. Porkalle ja @kaarnalle.") == "Soitin Myyjä A:lle ja Yritys X:lle."


def test_offset_map_moves_spans_and_widens_spans_that_cut_a_name():
    text = "Soitin Porkalle eilen ja Porkan kanssa."
    rewrite = NameMatcher(DEMO_NAMES).replace(text)
    assert rewrite.text == "Soitin Myyjä A:lle eilen ja Myyjä A:n kanssa."
    offsets = rewrite.offsets
    assert isinstance(offsets, OffsetMap)
    whole = (text.index("eilen"), text.index(" ja"))
    assert rewrite.text[offsets.start(whole[0]):offsets.end(whole[1])] == "eilen"
    cut = (text.index("kalle"), text.index("eilen") + 2)  # starts inside "Porkalle"
    assert rewrite.text[offsets.start(cut[0]):offsets.end(cut[1])] == "Myyjä A:lle ei"
    inside = (text.index("rkan"), text.index("rkan") + 2)  # wholly inside "Porkan"
    assert rewrite.text[offsets.start(inside[0]):offsets.end(inside[1])] == "Myyjä A:n"
    assert offsets.end(len(text)) == len(rewrite.text) and offsets.start(0) == 0


def test_demo_corpus_every_listed_name_is_replaced():
    matcher = NameMatcher(DEMO_NAMES)
    for path in sorted(TRANSCRIPTS.glob("*.txt")) + [TRANSCRIPTS / "R3.vtt"]:
        rewritten = matcher.replace_text(path.read_text(encoding="utf-8"))
        assert matcher.find(rewritten) == []
        for stem in ("Kaarna", "Porkk", "Porkal", "Porkan", "Liisa", "Lasipaj"):
            assert stem not in rewritten, (path.name, stem)


# ---------------------------------------------------------------- pseudonymised copies
def _project(path: Path) -> dict[str, int]:
    """H2 and R1 from the demo study with codings, memos and codebook text that name names."""
    ids: dict[str, int] = {}
    with Store.open(path, create=True) as store:
        for name in ("H2", "R1"):
            text = (TRANSCRIPTS / f"{name}.txt").read_text(encoding="utf-8")
            turns, segments = _spans(text)
            ids[name] = store.add_document(title=name, text=text, format="txt", language="fi" if name == "H2" else "en",
                                           respondent=name, turns=turns, segments=segments,
                                           original=text.encode("utf-8"))
        book = store.add_codebook("Teemat")
        ids["code"] = store.add_code("Suhde Kaarnaan", codebook_id=book, description="Miten Liisa Porkka palvelee",
                                     finding="Porkalta saa apua.")
        ids["design"] = store.add_code("Kaarna Design", codebook_id=book)
        ids["plain"] = store.add_code("Kaarna", codebook_id=book)  # becomes the same name: numbered
        store.set_memo("project", None, "Tutkimus Kaarnan jälleenmyyjistä")
        store.set_memo("document", ids["H2"], "H2 puhuu Porkasta paljon")
        store.set_memo("code", ids["code"], "Lasipaja on kilpailija")
        store.set_setting("client", "Kaarna Design Oy")
        store.set_attribute("H2", "supplier", "Kaarna")
        for name in ("H2", "R1"):
            text = store.document_text(ids[name])
            for turn in store.turns(ids[name]):
                if matcher_has_name(text[turn.start:turn.end]):
                    store.add_coding(ids[name], ids["code"], turn.start, turn.end, memo="Mainitsee Porkan")
            first = text.index("Porka" if name == "H2" else "Porkka")
            store.add_coding(ids[name], ids["plain"], first + 2, first + 9)  # cuts into the name
        text = store.document_text(ids["H2"])
        first = text.index("Kaarna")
        [suggestion] = store.add_suggestions([Suggestion(ids["H2"], ids["design"], first, first + 30, "dictionary",
                                                         "sana Kaarna", 0.5)], skip_coded=False)
        store.adjust_suggestion(suggestion, first - 10, first + 40)
        ids["suggestion"] = suggestion
    return ids


def matcher_has_name(text: str) -> bool:
    return bool(NameMatcher(DEMO_NAMES).find(text))


def _spans(text: str):
    import re

    from qualcode.store import SegmentSpan, TurnSpan

    turns, segments = [], []
    for paragraph in re.finditer(r"(?m)^(?:\[[\d:]+\]\s*)?([^\n:]{1,30}):[ \t]*(?:\(\d\d:\d\d\)[ \t]*)?(.+)$", text):
        turns.append(TurnSpan(paragraph.group(1), "respondent", paragraph.start(2), paragraph.end(2),
                              paragraph.start()))
        for sentence in re.finditer(r"[^.!?]+[.!?]*", paragraph.group(2)):
            if sentence.group().strip():
                segments.append(SegmentSpan(paragraph.start(2) + sentence.start(),
                                            paragraph.start(2) + sentence.end(), len(turns) - 1))
    return turns, segments


@pytest.fixture(scope="module")
def pseudonymised(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pseudo")
    source = folder / "study.qualcode"
    ids = _project(source)
    with Store.open(source, read_only=True) as store:
        before = {
            "suggestion": store.suggestion(ids["suggestion"]),
            "texts": {i: store.document_text(i) for i in (ids["H2"], ids["R1"])},
            "codings": {c.guid: c for c in store.codings()},
            "turns": {t.id: t for i in (ids["H2"], ids["R1"]) for t in store.turns(i)},
            "segments": {s.id: s for i in (ids["H2"], ids["R1"]) for s in store.segments(i)},
        }
    report = pseudonymise_project(source, folder / "pseudo.qualcode", NAMES_CSV)
    return source, folder / "pseudo.qualcode", ids, before, report


def test_every_coding_turn_and_segment_covers_the_replaced_text(pseudonymised):
    _source, target, ids, before, report = pseudonymised
    matcher = NameMatcher(DEMO_NAMES)
    cut = 0
    with Store.open(target, read_only=True) as copy:
        for doc_id in (ids["H2"], ids["R1"]):
            new_text = copy.document_text(doc_id)
            assert new_text == matcher.replace_text(before["texts"][doc_id])
            for turn in copy.turns(doc_id):
                old = before["turns"][turn.id]
                old_text = before["texts"][doc_id]
                assert new_text[turn.start:turn.end] == matcher.replace_text(old_text[old.start:old.end])
                assert new_text[turn.label_start:turn.start] == old_text[old.label_start:old.start]
            for segment in copy.segments(doc_id):
                old = before["segments"][segment.id]
                assert new_text[segment.start:segment.end] == matcher.replace_text(
                    before["texts"][doc_id][old.start:old.end])
        for coding in copy.codings():
            old = before["codings"][coding.guid]
            old_coded = before["texts"][coding.document_id][old.start:old.end]
            new_coded = copy.coded_text(coding)
            assert matcher.find(new_coded) == []
            if coding.code_id == ids["plain"]:  # began inside a name: now covers the whole pseudonym
                cut += 1
                assert (old_coded, new_coded) in [("rkalta,", "Myyjä A:lta,"), ("rkka, a", "Myyjä A, a")]
            else:
                assert new_coded == matcher.replace_text(old_coded)
            assert coding.memo == (None if old.memo is None else "Mainitsee Myyjä A:n")
        assert cut == 2 and len(copy.codings()) == len(before["codings"])
        old, new = before["suggestion"], copy.suggestion(ids["suggestion"])
        old_text, new_text = before["texts"][old.document_id], copy.document_text(old.document_id)
        for first, last in (("start", "end"), ("suggested_start", "suggested_end")):
            assert new_text[getattr(new, first):getattr(new, last)] == matcher.replace_text(
                old_text[getattr(old, first):getattr(old, last)])
        assert "Yritys X" in new_text[new.suggested_start:new.suggested_end] and new.reason == "sana Yritys X"
    assert report.spans_checked == len(before["codings"]) + len(before["turns"]) + len(before["segments"]) + 2
    assert report.replacements["Kaarna"] > 10 and report.replacements["Porkka"] >= 4


def test_memos_codebook_settings_respondents_replaced_and_history_dropped(pseudonymised):
    _source, target, ids, _before, report = pseudonymised
    with Store.open(target, read_only=True) as copy:
        code = copy.code(ids["code"])
        assert (code.name, code.description, code.finding) == (
            "Suhde Yritys X:ään", "Miten Myyjä A palvelee", "Myyjä A:lta saa apua.")
        assert sorted(copy.code(ids[k]).name for k in ("design", "plain")) == ["Yritys X", "Yritys X (2)"]
        assert [m.text for m in copy.memos()] == ["Tutkimus Yritys X:n jälleenmyyjistä", "H2 puhuu Myyjä A:sta paljon",
                                                  "Kilpailija Y on kilpailija"]
        assert copy.get_setting("client") == "Yritys X Oy"
        assert copy.get_setting(NAMES_SETTING) == str(NAMES_CSV.resolve())
        assert copy.respondent("H2").attributes["supplier"] == "Yritys X"
        assert copy.document_original(ids["H2"]) is None
        assert [h["action"] for h in copy.history()] == ["pseudonymised copy"]
        assert find_leaks(copy, DEMO_NAMES) == []
    assert report.counts["originals dropped"] == 2 and report.counts["names made unique"] == 1
    raw = target.read_bytes()
    assert b"Kaarna" not in raw and b"Porka" not in raw  # no old text left in free pages
    assert "1 names numbered to stay unique" in "\n".join(report.lines())


def test_source_is_unchanged_and_copy_is_never_overwritten_silently(pseudonymised, tmp_path):
    source, target, ids, before, _report = pseudonymised
    with Store.open(source, read_only=True) as store:
        assert store.document_text(ids["H2"]) == before["texts"][ids["H2"]]
    with pytest.raises(ConflictError, match="already exists; give another path, or --force"):
        pseudonymise_project(source, target, NAMES_CSV)
    with pytest.raises(ConflictError, match="must be a new file"):
        pseudonymise_project(source, source, NAMES_CSV, force=True)
    copy = tmp_path / "again.qualcode"
    copy.write_bytes(b"old")
    pseudonymise_project(source, copy, DEMO_NAMES, force=True)
    with Store.open(copy, read_only=True) as store:
        assert store.get_setting(NAMES_SETTING) == ""  # a list given in memory has no file to remember
    assert not list(tmp_path.glob(".*partial*"))


def test_pseudonymise_an_open_in_memory_store(tmp_path):
    store = Store.memory()
    turns, segments = simple_spans("H: Kuka?\n\nV: Liisa Porkka. Hän on Kaarnan myyjä.\n")
    doc = store.add_document(title="H1", text="H: Kuka?\n\nV: Liisa Porkka. Hän on Kaarnan myyjä.\n", format="txt",
                             language="fi", turns=turns, segments=segments)
    code = store.add_code("Myyjä")
    store.add_coding(doc, code, 13, 26)
    pseudonymise_project(store, tmp_path / "copy.qualcode", DEMO_NAMES)
    with Store.open(tmp_path / "copy.qualcode", read_only=True) as copy:
        assert copy.document_text(1) == "H: Kuka?\n\nV: Myyjä A. Hän on Yritys X:n myyjä.\n"
        assert copy.coded_text(copy.codings()[0]) == "Myyjä A."
        assert [copy.document_text(1)[s.start:s.end] for s in copy.segments(1)] == [
            "Kuka?", "Myyjä A.", "Hän on Yritys X:n myyjä."]


# ---------------------------------------------------------------- the leak check
def test_leaks_found_in_each_place_with_locations(tmp_path):
    path = tmp_path / "study.qualcode"
    import docx

    original = docx.Document()
    original.add_paragraph("I: Kerro Porkasta.")
    buffer = tmp_path / "orig.docx"
    original.save(buffer)
    with Store.open(path, create=True) as store:
        text = "Porkka: Hei.\n\nH: Entä Kaarnalle?\n"
        doc = store.add_document(title="Haastattelu Lasipajasta", text=text, format="docx", language="fi",
                                 respondent="Liisa", turns=[], original=buffer.read_bytes())
        code = store.add_code("Kaarna", description="Liisan asiakkaat", finding="Porkalle soitetaan")
        store.add_coding(doc, code, 0, 6, memo="Porkka itse")
        store.set_memo("document", doc, "Muista Lasipaja")
        store.set_memo("code", code, "Kaarnan koodi")
        store.set_setting("client", "Kaarna Design")
        store.set_attribute("Liisa", "employer", "Kaarnalla töissä")
        store.update_code(code, description="Asiakkaat")  # the old description stays in the history
        leaks = find_leaks(store, DEMO_NAMES)
        places = {(leak.where.split(" (")[0], leak.document, leak.text) for leak in leaks}
    for expected in [("document text", "Haastattelu Lasipajasta", "Porkka"),
                     ("document text", "Haastattelu Lasipajasta", "Kaarnalle"),
                     ("document title", "Haastattelu Lasipajasta", "Lasipajasta"),
                     ("code name", None, "Kaarna"), ("code finding", None, "Porkalle"),
                     ("coding memo", "Haastattelu Lasipajasta", "Porkka"),
                     ("memo on document", "Haastattelu Lasipajasta", "Lasipaja"),
                     ("memo on code 1", None, "Kaarnan"), ("setting client", None, "Kaarna Design"),
                     ("respondent label", None, "Liisa"), ("attribute employer of Liisa", None, "Kaarnalla"),
                     ("history", None, "Liisan"),
                     ("document original file", "Haastattelu Lasipajasta", "Porkasta")]:
        assert expected in places, expected
    assert ("code description", None, "Liisan") not in places  # rewritten, but still in the history
    document_hits = [leak for leak in leaks if leak.where == "document text"]
    assert [text[leak.start:leak.end] for leak in document_hits] == ["Porkka", "Kaarnalle"]
    assert document_hits[1].context == "Porkka: Hei. H: Entä Kaarnalle?"
    assert set(document_hits[0].to_json()) == {"name", "where", "document", "start", "end", "context"}


def _export_files(folder: Path) -> dict[str, Path]:
    import docx
    import openpyxl
    from openpyxl.comments import Comment

    files = {
        "csv": ("theme,finding\nSUHDE,Porkalle soitetaan (H1)\n", "csv"),
        "md": ("| Teema | Löydös |\n|---|---|\n| Suhde | Kaarnan palvelu |\n", "md"),
        "tex": ("Suhde & Ty\\\"{o}t Lasipajalle \\\\\n", "tex"),
        "html": ("<td>Kaarnaa&nbsp;ja Liis&#97;lle</td>", "html"),
        "json": ('[{"finding": "Porkan \\u00e4\\u00e4ni"}]', "json"),
        "txt": ("Taulukko 4.\nPor\u00adkalle (H1)\n", "txt"),
    }
    paths = {}
    for kind, (content, suffix) in files.items():
        paths[kind] = folder / f"table.{suffix}"
        paths[kind].write_text(content, encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kaarna"
    sheet["B4"] = "Soitetaan Porkalle."
    sheet["C2"] = "ok"
    sheet["C2"].comment = Comment("Liisan idea", "tutkija")
    paths["xlsx"] = folder / "table.xlsx"
    book.save(paths["xlsx"])
    document = docx.Document()
    document.add_paragraph("Taulukko 4. Yhteenveto")
    document.add_paragraph("Lasipajan hinnat")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 1).text = "Porkkaa kiitetään"
    document.sections[0].header.paragraphs[0].text = "Luottamuksellinen: Kaarna"
    document.core_properties.author = "Liisa Porkka"
    paths["docx"] = folder / "table.docx"
    document.save(paths["docx"])
    return paths


def test_leaks_found_in_exported_files_of_every_format(tmp_path):
    paths = _export_files(tmp_path)
    found = {kind: [(leak.where, leak.text) for leak in scan_file(path, DEMO_NAMES)] for kind, path in paths.items()}
    assert found["csv"] == [("table.csv line 2", "Porkalle")]
    assert found["md"] == [("table.md line 3", "Kaarnan")]
    assert found["tex"] == [("table.tex line 1", "Lasipajalle")]
    assert found["html"] == [("table.html", "Kaarnaa"), ("table.html", "Liisalle")]
    assert found["json"] == [("table.json", "Porkan")]
    assert found["txt"] == [("table.txt line 2", "Porkalle")]
    assert found["xlsx"] == [("table.xlsx sheet name", "Kaarna"), ("table.xlsx sheet 'Kaarna' comment on C2", "Liisan"),
                             ("table.xlsx sheet 'Kaarna' cell B4", "Porkalle")]
    assert sorted(found["docx"]) == sorted([("table.docx property author", "Liisa Porkka"),
                                            ("table.docx paragraph 2", "Lasipajan"),
                                            ("table.docx table 1 row 1 cell 2", "Porkkaa"),
                                            ("table.docx section 1 header", "Kaarna")])
    with Store.memory() as store:
        leaks = find_leaks(store, DEMO_NAMES, exports=[paths["csv"], paths["docx"]])
    assert {leak.document for leak in leaks} == {str(paths["csv"]), str(paths["docx"])}
    picture = tmp_path / "heatmap.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(InputError, match="cannot read heatmap.png"):
        scan_file(picture, DEMO_NAMES)


def test_export_guard(tmp_path):
    paths = _export_files(tmp_path)
    clean = tmp_path / "clean.csv"
    clean.write_text("theme,finding\nSUHDE,Myyjä A:lle soitetaan (H1)\n", encoding="utf-8")
    with Store.open(tmp_path / "study.qualcode", create=True) as store:
        assert guard_export(store, paths["csv"]) == []  # no names list: nothing to check against
        with pytest.raises(NamesLeakError, match=r"Porkka \(1\); first at table.csv line 2.*--allow-names") as caught:
            guard_export(store, paths["csv"], DEMO_NAMES)
        assert caught.value.leaks[0].text == "Porkalle"
        assert len(guard_export(store, "Kaarnan ja Porkan", DEMO_NAMES, allow_names=True)) == 2
        remember_names(store, NAMES_CSV)
        assert store.get_setting(NAMES_SETTING) == str(NAMES_CSV.resolve())
        assert assert_no_leaks(store, clean) == []
        partial = tmp_path / ".table.xlsx.part"
        shutil.copy(paths["xlsx"], partial)
        with pytest.raises(NamesLeakError):
            assert_no_leaks(store, partial, fmt="xlsx")
        picture = tmp_path / "heatmap.png"
        picture.write_bytes(b"\x89PNG\r\n\x1a\n")
        assert assert_no_leaks(store, picture) == []  # pictures are checked through the text they show
        with pytest.raises(NamesLeakError):
            guard_export(store, "Kaarna")
        moved = tmp_path / "names-moved.csv"
        shutil.copy(NAMES_CSV, moved)
        remember_names(store, moved)
        moved.unlink()
        with pytest.raises(InputError, match="names list .* is missing.*--allow-names"):
            assert_no_leaks(store, clean)


def test_name_suggestions_need_an_installed_entity_recogniser():
    if ner_pipelines():
        pytest.skip("a spaCy pipeline with ner is installed here")
    with Store.memory() as store:
        with pytest.raises(NerUnavailableError) as caught:
            suggest_names(store)
    assert str(caught.value) == NO_NER_MESSAGE and "none is installed by default" in NO_NER_MESSAGE


def test_name_suggestions_from_a_pipeline_leave_listed_names_out():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("fi")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Porkka"}, {"label": "ORG", "pattern": "Lahjapuoti Helmi"},
                        {"label": "DATE", "pattern": "maanantaina"}])
    with Store.memory() as store:
        for title in ("H1", "H2"):
            store.add_document(title=title, text="Porkka ja Lahjapuoti Helmi soittivat maanantaina.",
                               format="txt", language="fi")
        suggestions = suggest_names(store, nlp=nlp, known=DEMO_NAMES)
    assert [(s.text, s.label, s.count, s.documents) for s in suggestions] == [
        ("Lahjapuoti Helmi", "ORG", 2, ("H1", "H2"))]


def test_leak_json_is_plain(tmp_path):
    from qualcode.privacy.leaks import leaks_as_json

    with Store.memory() as store:
        store.add_document(title="H1", text="Liisalle.", format="txt", language="fi")
        data = json.loads(leaks_as_json(find_leaks(store, DEMO_NAMES)))
    assert data == [{"name": "Liisa", "where": "document text", "document": "H1", "start": 0, "end": 8,
                     "context": "Liisalle."}]


def test_unknown_tables_are_scanned_too(tmp_path):
    path = tmp_path / "study.qualcode"
    Store.open(path, create=True).close()
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.execute("INSERT INTO notes VALUES ('Porkan muistiinpano')")
    connection.commit()
    connection.close()
    with Store.open(path, read_only=True) as store:
        assert [(leak.where, leak.text) for leak in find_leaks(store, DEMO_NAMES)] == [("notes.body", "Porkan")]
