"""The summary table (thesis format), the framework comparison and the audit trail."""

from __future__ import annotations

import pytest

from qualcode.coding.comparison import framework_comparison
from qualcode.coding.summary import summary, summary_table
from qualcode.coding.trace import trace
from qualcode.errors import ConflictError, NotFoundError
from qualcode.io.tables import render_text
from qualcode.store import Store

TEXT = ("V: Haluamme laajentaa Ruotsiin. Valikoimaa laajennetaan. Sesonki ohjaa ostoja. "
        "Joulu on tärkein. Brändi on luotettava. Toimitukset ärsyttävät. Laatu on hyvä.\n")


def passage(store: Store, doc: int, words: str) -> tuple[int, int]:
    start = store.document_text(doc).index(words)
    return start, start + len(words)


@pytest.fixture
def study(store: Store) -> Store:
    """H1, H2, H3, H10 (H10 must sort after H3), codes for a thesis summary, codings made here."""
    docs = {label: store.add_document(title=f"{label} haastattelu", text=TEXT, format="txt", language="fi",
                                      respondent=label) for label in ("H10", "H2", "H1", "H3")}
    for label, kind in (("H1", "for-profit"), ("H2", "non-profit"), ("H3", "for-profit"), ("H10", "for-profit")):
        store.set_attribute(label, "organisation_type", kind)
    root = store.add_code("Asiakkaiden liiketoiminnalliset tavoitteet")
    grow = store.add_code("Liiketoiminnan laajentaminen", parent_id=root)
    markets = store.add_code("Uudet markkinat", parent_id=grow, finding="Toiminnan laajentaminen uusille markkinoille.")
    range_ = store.add_code("Tuotevalikoiman laajentaminen", parent_id=grow)  # no sentence: the name is printed
    sales = store.add_code("Myynnin kasvattaminen", parent_id=root)
    seasons = store.add_code("Sesongit", parent_id=sales, finding="Sesongit ohjaavat ostoja.")
    christmas = store.add_code("Joulu", parent_id=seasons)  # below a finding: counts for "Sesongit"
    store.add_code("Kannattavuus", parent_id=root)  # nothing coded: an empty row group
    bond = store.add_code("Tunnesidos")
    brand = store.add_code("Brändi", parent_id=bond)
    product = store.add_code("Tuote", parent_id=bond)
    delivery = store.add_code("Toimitus", parent_id=product)
    quality = store.add_code("Laatu", parent_id=product)
    valence = store.add_code("Valenssi")
    positive = store.add_code("Positiivinen", parent_id=valence)
    negative = store.add_code("Negatiivinen", parent_id=valence)

    def code(label: str, code_id: int, words: str) -> None:
        store.add_coding(docs[label], code_id, *passage(store, docs[label], words))

    code("H1", markets, "Haluamme laajentaa Ruotsiin.")
    code("H3", markets, "Haluamme laajentaa Ruotsiin.")
    code("H2", range_, "Valikoimaa laajennetaan.")
    code("H10", seasons, "Sesonki ohjaa ostoja.")
    code("H3", seasons, "Sesonki ohjaa ostoja.")
    code("H3", christmas, "Joulu on tärkein.")  # H3 twice for one finding: listed once
    code("H1", christmas, "Joulu on tärkein.")
    code("H2", brand, "Brändi on luotettava.")
    code("H2", positive, "Brändi on luotettava.")
    code("H10", brand, "Brändi on luotettava.")
    code("H10", positive, "on luotettava")  # overlaps, does not coincide
    code("H1", delivery, "Toimitukset ärsyttävät.")
    code("H1", negative, "ärsyttävät")
    code("H3", quality, "Laatu on hyvä.")
    code("H3", positive, "Laatu on hyvä.")
    code("H10", quality, "Laatu on hyvä.")
    code("H10", negative, "Toimitukset ärsyttävät.")  # same document, but does not overlap the quality passage
    return store


def test_summary_lines_in_thesis_format(study):
    table = summary_table(study, "Asiakkaiden liiketoiminnalliset tavoitteet",
                          caption="Taulukko 4. Yhteenveto asiakkaiden tavoitteista")
    assert render_text(table, "txt").splitlines() == [
        "Taulukko 4. Yhteenveto asiakkaiden tavoitteista",
        "",
        "ASIAKKAIDEN LIIKETOIMINNALLISET TAVOITTEET",
        "LIIKETOIMINNAN LAAJENTAMINEN   Toiminnan laajentaminen uusille markkinoille. (H1, H3)",
        "                               Tuotevalikoiman laajentaminen. (H2)",
        "MYYNNIN KASVATTAMINEN          Sesongit ohjaavat ostoja. (H1, H3, H10)",
        "KANNATTAVUUS                   ---",
    ]


def test_summary_json_contract(study):
    built = summary(study, "Asiakkaiden liiketoiminnalliset tavoitteet", caption="Taulukko 4.")
    assert built.to_json() == {
        "caption": "Taulukko 4.",
        "header": "ASIAKKAIDEN LIIKETOIMINNALLISET TAVOITTEET",
        "rows": [
            {"path": ["Liiketoiminnan laajentaminen"], "finding": "Toiminnan laajentaminen uusille markkinoille.",
             "column": None, "respondents": ["H1", "H3"]},
            {"path": ["Liiketoiminnan laajentaminen"], "finding": "Tuotevalikoiman laajentaminen",
             "column": None, "respondents": ["H2"]},
            {"path": ["Myynnin kasvattaminen"], "finding": "Sesongit ohjaavat ostoja.", "column": None,
             "respondents": ["H1", "H3", "H10"]},
        ],
    }


def test_two_column_variant_uses_overlapping_codings(study):
    table = summary_table(study, "Tunnesidos", columns="Valenssi", header="Tunnesidos ja valenssi")
    assert render_text(table, "txt").splitlines() == [
        "TUNNESIDOS JA VALENSSI",
        "Theme    POSITIIVINEN        NEGATIIVINEN",
        "------   -----------------   --------------",
        "BRÄNDI   Brändi. (H2, H10)   ---",
        "TUOTE    Laatu. (H3)         Toimitus. (H1)",
    ]
    rows = summary(study, "Tunnesidos", columns="Valenssi").to_json()["rows"]
    assert [(r["path"], r["finding"], r["column"], r["respondents"]) for r in rows] == [
        ([], "Brändi", "Positiivinen", ["H2", "H10"]),
        (["Tuote"], "Toimitus", "Negatiivinen", ["H1"]),
        (["Tuote"], "Laatu", "Positiivinen", ["H3"]),
    ]


def test_two_column_cell_holds_several_findings_one_per_line(study):
    negative = study.find_code("Negatiivinen").id
    doc = study.document("H3 haastattelu").id
    study.add_coding(doc, negative, *passage(study, doc, "Laatu on hyvä."))
    table = summary_table(study, "Tunnesidos", columns="Valenssi")
    assert table.frame.iloc[1].tolist() == ["TUOTE", "Laatu. (H3)", "Toimitus. (H1)\nLaatu. (H3)"]
    assert render_text(table, "txt").splitlines()[-2:] == [
        "TUOTE    Laatu. (H3)         Toimitus. (H1)",
        "                             Laatu. (H3)",
    ]


def test_respondent_labels_and_attribute_restriction(study):
    table = summary_table(study, "Asiakkaiden liiketoiminnalliset tavoitteet", label_format="Asiantuntija {n}",
                          where={"organisation_type": "for-profit"}, capitals=False, empty="–")
    # Tuotevalikoima rests on H2 alone, a non-profit: it drops out; an empty group shows the mark.
    assert table.frame["Finding"].tolist() == [
        "Toiminnan laajentaminen uusille markkinoille. (Asiantuntija 1, Asiantuntija 3)",
        "Sesongit ohjaavat ostoja. (Asiantuntija 1, Asiantuntija 3, Asiantuntija 10)",
        "–",
    ]
    assert table.frame["Theme"].tolist()[0] == "Liiketoiminnan laajentaminen"
    with pytest.raises(NotFoundError, match="no such attribute"):
        summary(study, "Tunnesidos", label_format="{name}")


def test_split_by_sub_dimension(store):
    doc = store.add_document(title="H1", text=TEXT, format="txt", language="fi", respondent="H1")
    stage = store.add_code("Ostopäätöksen laukaisija")
    store.add_code("Tilaus", parent_id=stage)  # an unrelated stage without sub-dimensions
    trigger = store.add_code("Sesonki", parent_id=stage)
    activity = store.add_code("Toiminta", parent_id=trigger)
    need = store.add_code("Tarve", parent_id=trigger)
    finding = store.add_code("Joulu", parent_id=activity, finding="Joulu käynnistää ostot.")
    store.add_code("Muistutus", parent_id=need)
    store.add_coding(doc, finding, *passage(store, doc, "Joulu on tärkein."))
    store.add_coding(doc, trigger, *passage(store, doc, "Sesonki ohjaa ostoja."))  # on the stage itself
    table = summary_table(store, "Ostopäätöksen laukaisija", split=True)
    assert render_text(table, "txt").splitlines() == [
        "OSTOPÄÄTÖKSEN LAUKAISIJA",
        "TILAUS               ---",
        "SESONKI              Sesonki. (H1)",
        "          TOIMINTA   Joulu käynnistää ostot. (H1)",
        "          TARVE      ---",
    ]
    unsplit = summary(store, "Ostopäätöksen laukaisija").to_json()["rows"]
    assert [(r["path"], r["finding"]) for r in unsplit] == [
        ([], "Sesonki"), (["Sesonki", "Toiminta"], "Joulu käynnistää ostot.")]


def test_codings_on_the_group_code_itself_are_counted_as_unplaced(study):
    doc = study.document("H1 haastattelu").id
    study.add_coding(doc, study.find_code("Tunnesidos").id, *passage(study, doc, "Laatu on hyvä."))
    assert summary(study, "Tunnesidos").unplaced == 1


def test_show_uncoded_lists_findings_without_support(study):
    table = summary_table(study, "Asiakkaiden liiketoiminnalliset tavoitteet", show_uncoded=True,
                          where={"organisation_type": "non-profit"})
    assert table.frame["Finding"].tolist() == ["Toiminnan laajentaminen uusille markkinoille.",
                                               "Tuotevalikoiman laajentaminen. (H2)", "Sesongit ohjaavat ostoja.",
                                               "Kannattavuus."]


def test_code_given_by_path_and_ambiguous_names(study):
    study.add_code("Brändi", parent_id=study.find_code("Valenssi").id)
    with pytest.raises(ConflictError, match="ambiguous"):
        summary(study, "Brändi")
    assert summary(study, "Tunnesidos > Brändi").to_json()["rows"][0]["respondents"] == ["H2", "H10"]


def test_trace_lists_the_passages_behind_a_finding_and_a_cell(study):
    passages = trace(study, "Sesongit")
    assert [(p.respondent, p.document, study.document_text(p.document_id)[p.start:p.end], p.line)
            for p in passages] == [
        ("H1", "H1 haastattelu", "Joulu on tärkein.", 1),
        ("H3", "H3 haastattelu", "Sesonki ohjaa ostoja.", 1),
        ("H3", "H3 haastattelu", "Joulu on tärkein.", 1),
        ("H10", "H10 haastattelu", "Sesonki ohjaa ostoja.", 1),
    ]
    assert [p.text for p in trace(study, "Sesongit", respondent="H3", subtree=False)] == ["Sesonki ohjaa ostoja."]
    assert [(p.respondent, p.text) for p in trace(study, "Tuote", column="Negatiivinen")] == [
        ("H1", "Toimitukset ärsyttävät.")]
    keyed = trace(study, "Tunnesidos", column_key="attribute:organisation_type=non-profit")
    assert {p.respondent for p in keyed} == {"H2"}
    with pytest.raises(NotFoundError, match="H99"):
        trace(study, "Sesongit", respondent="H99")


def test_framework_comparison_flags_missing_elements_and_unlinked_themes(study):
    book = study.add_codebook("Five Es", framework="five-es")
    environment = study.add_code("Asiakkaan ympäristö", codebook_id=book, framework_path="five-es/environment")
    emotions = study.add_code("Asiakkaan tunteet", codebook_id=book, framework_path="five-es/emotions")
    study.add_code("Asiakkaan sitouttaminen", codebook_id=book, framework_path="five-es/engagement")
    study.link_codes(study.find_code("Liiketoiminnan laajentaminen").id, environment)
    study.link_codes(study.find_code("Tunnesidos").id, emotions)
    study.link_codes(study.find_code("Tunnesidos").id, environment)  # a theme may fit two elements
    result = framework_comparison(study, "five-es")
    data = result.to_json()
    assert [(e["path"], e["status"], [t["path"][-1] for t in e["themes"]], e["respondents"])
            for e in data["elements"]] == [
        (["Asiakkaan ympäristö"], "reached", ["Liiketoiminnan laajentaminen", "Tunnesidos"],
         ["H1", "H2", "H3", "H10"]),
        (["Asiakkaan tunteet"], "reached", ["Tunnesidos"], ["H1", "H2", "H3", "H10"]),
        (["Asiakkaan sitouttaminen"], "missing", [], []),
    ]
    # Myynnin kasvattaminen is not linked while its sibling is: it is reported, not its parent.
    assert [(u["path"][-1], u["respondents"]) for u in data["unlinked"]] == [
        ("Myynnin kasvattaminen", ["H1", "H3", "H10"]), ("Valenssi", ["H1", "H2", "H3", "H10"])]
    table = result.to_table()
    assert table.frame.iloc[2].tolist() == ["Asiakkaan sitouttaminen", "", "", "0 of 4 respondents", "missing"]
    assert table.frame.iloc[3, 4] == "fits no element"


def test_trace_summary_row_follows_the_line(study):
    from qualcode.coding.trace import trace_summary_row

    built = summary(study, "Tunnesidos", columns="Valenssi")
    row = built.rows[1]  # Toimitus / Negatiivinen
    assert [(p.respondent, p.text) for p in trace_summary_row(study, row)] == [("H1", "Toimitukset ärsyttävät.")]
