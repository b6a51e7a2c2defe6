"""A small deterministic study for the table and export tests, built through the Store API.

Four Finnish theme interviews (H1, H2, H3, H10: H10 sorts after H3) and one English one (R1),
respondent attributes, a thesis-style code group with findings, an emotional-bond group with a
valence dimension, an operating-process stage split into TOIMINTA / TARVE, a small framework
codebook with links, and a passage that looks like a spreadsheet formula.
"""

from __future__ import annotations

from qualcode.store import Store

TRANSCRIPTS: dict[str, tuple[str, str]] = {
    "H1": ("fi", "H: Mitkä ovat tavoitteenne?\n\n"
                 "V: Haluamme laajentaa toimintaa Ruotsiin ja Viroon. Merkki on luotettava ja tuttu. "
                 "Tilaamme aina verkkokaupasta.\n"),
    "H2": ("fi", "H: Mitkä ovat tavoitteenne?\n\n"
                 "V: Valikoimaa pitäisi laajentaa sisustustuotteisiin. Laatu on tasaisen hyvä. "
                 "Toimitus saisi olla nopeampi, odottaminen ärsyttää.\n"),
    "H3": ("fi", "H: Miten kasvatatte myyntiä?\n\n"
                 "V: Heti kun tulee käyttöpääomaa niin sit ostetaan uutuuksia, ne myyvät. "
                 "Myyjä vastaa aina nopeasti ja ystävällisesti. Tilaamme verkkokaupasta.\n"),
    "H10": ("fi", "H: Miten kasvatatte myyntiä?\n\n"
                  "V: Lisämyynnillä kasvatetaan keskiostosta, ja uutuuksia tarjotaan kassalla. "
                  "=SUMMA(A1:A3) oli kampanjan koodi kassalla. Laatu vaihtelee, se harmittaa.\n"),
    "R1": ("en", "Interviewer: What do you expect from Kaarna?\n\n"
                 "Participant: We want new products every season. The brand feels reliable.\n"),
}

ATTRIBUTES = {
    "H1": {"organisation_type": "for-profit", "size": "micro", "name": "Virtanen", "year": "2024"},
    "H2": {"organisation_type": "for-profit", "size": "small", "name": "Lahtinen", "year": "2023"},
    "H3": {"organisation_type": "non-profit", "size": "large", "name": "Koskinen", "year": "2024"},
    "H10": {"organisation_type": "non-profit", "size": "small", "name": "Mäkinen", "year": "2025"},
    "R1": {"organisation_type": "for-profit", "size": "micro", "name": "Smith", "year": "2024"},
}

# parent path -> [(name, finding sentence or None)]
CODES: list[tuple[str | None, str, str | None]] = [
    (None, "Asiakkaiden liiketoiminnalliset tavoitteet", None),
    ("Asiakkaiden liiketoiminnalliset tavoitteet", "Liiketoiminnan laajentaminen", None),
    ("Asiakkaiden liiketoiminnalliset tavoitteet > Liiketoiminnan laajentaminen", "Uudet markkinat",
     "Toiminnan laajentaminen uusille markkinoille."),
    ("Asiakkaiden liiketoiminnalliset tavoitteet > Liiketoiminnan laajentaminen", "Tuotevalikoima",
     "Tuotevalikoiman laajentaminen."),
    ("Asiakkaiden liiketoiminnalliset tavoitteet", "Myynnin kasvattaminen", None),
    ("Asiakkaiden liiketoiminnalliset tavoitteet > Myynnin kasvattaminen", "Uutuudet", "Tarjotaan uutuuksia."),
    ("Asiakkaiden liiketoiminnalliset tavoitteet > Myynnin kasvattaminen", "Keskiostos",
     "Kasvatetaan keskiostosten määrää."),
    ("Asiakkaiden liiketoiminnalliset tavoitteet", "Kannattavuus", None),
    (None, "Tunnesidos", None),
    ("Tunnesidos", "Brändi", None),
    ("Tunnesidos > Brändi", "Luotettava merkki", None),
    ("Tunnesidos", "Tuote", None),
    ("Tunnesidos > Tuote", "Laatu", None),
    ("Tunnesidos", "Vuorovaikutus", None),
    ("Tunnesidos > Vuorovaikutus", "Palvelun nopeus", None),
    (None, "Valenssi", None),
    ("Valenssi", "Positiivinen", None),
    ("Valenssi", "Negatiivinen", None),
    (None, "Toimintaprosessi", None),
    ("Toimintaprosessi", "Tilaaminen ja toimitus", None),
    ("Toimintaprosessi > Tilaaminen ja toimitus", "Toiminta", None),
    ("Tilaaminen ja toimitus > Toiminta", "Verkkokauppa", "Tilaukset tehdään verkkokaupassa."),
    ("Toimintaprosessi > Tilaaminen ja toimitus", "Tarve", None),
    ("Tilaaminen ja toimitus > Tarve", "Nopea toimitus", None),
    ("Toimintaprosessi", "Palaute", None),
    ("Toimintaprosessi > Palaute", "Toiminta", None),
    ("Toimintaprosessi > Palaute", "Tarve", None),
    (None, "Muut", None),
    ("Muut", "Kampanjakoodi", None),
]

FRAMEWORK = [("Asiakkaan ympäristö", "five-es/environment"), ("Asiakkaan tunteet", "five-es/emotions"),
             ("Asiakkaan sitouttaminen", "five-es/engagement")]

# (document, code path, exact passage)
CODINGS: list[tuple[str, str, str]] = [
    ("H1", "Liiketoiminnan laajentaminen > Uudet markkinat", "Haluamme laajentaa toimintaa Ruotsiin ja Viroon."),
    ("H1", "Brändi > Luotettava merkki", "Merkki on luotettava ja tuttu."),
    ("H1", "Positiivinen", "Merkki on luotettava ja tuttu."),
    ("H1", "Toiminta > Verkkokauppa", "Tilaamme aina verkkokaupasta."),
    ("H2", "Liiketoiminnan laajentaminen > Tuotevalikoima", "Valikoimaa pitäisi laajentaa sisustustuotteisiin."),
    ("H2", "Tuote > Laatu", "Laatu on tasaisen hyvä."),
    ("H2", "Positiivinen", "Laatu on tasaisen hyvä."),
    ("H2", "Tarve > Nopea toimitus", "Toimitus saisi olla nopeampi, odottaminen ärsyttää."),
    ("H2", "Negatiivinen", "odottaminen ärsyttää."),
    ("H3", "Myynnin kasvattaminen > Uutuudet", "Heti kun tulee käyttöpääomaa niin sit ostetaan uutuuksia"),
    ("H3", "Vuorovaikutus > Palvelun nopeus", "Myyjä vastaa aina nopeasti ja ystävällisesti."),
    ("H3", "Positiivinen", "Myyjä vastaa aina nopeasti ja ystävällisesti."),
    ("H3", "Toiminta > Verkkokauppa", "Tilaamme verkkokaupasta."),
    ("H10", "Myynnin kasvattaminen > Keskiostos", "Lisämyynnillä kasvatetaan keskiostosta"),
    ("H10", "Myynnin kasvattaminen > Uutuudet", "uutuuksia tarjotaan kassalla."),
    ("H10", "Muut > Kampanjakoodi", "=SUMMA(A1:A3) oli kampanjan koodi kassalla."),
    ("H10", "Tuote > Laatu", "Laatu vaihtelee, se harmittaa."),
    ("H10", "Negatiivinen", "Laatu vaihtelee, se harmittaa."),
    ("R1", "Myynnin kasvattaminen > Uutuudet", "We want new products every season."),
    ("R1", "Brändi > Luotettava merkki", "The brand feels reliable."),
    ("R1", "Positiivinen", "The brand feels reliable."),
]

LINKS = [("Liiketoiminnan laajentaminen", "Asiakkaan ympäristö"), ("Myynnin kasvattaminen", "Asiakkaan ympäristö"),
         ("Tunnesidos", "Asiakkaan tunteet")]


def _turns(text: str):
    from tests.conftest import simple_spans  # the same turn/sentence splitter the store tests use

    return simple_spans(text)


def build_fixture_project(store: Store) -> Store:
    """Fill an empty store with the fixture study; every id and offset is the same on each run."""
    for label, (language, text) in TRANSCRIPTS.items():
        turns, segments = _turns(text)
        store.add_document(title=f"{label} haastattelu" if language == "fi" else f"{label} interview",
                           text=text, format="txt", language=language, respondent=label,
                           turns=turns, segments=segments)
    for label, attributes in ATTRIBUTES.items():
        for name, value in attributes.items():
            store.set_attribute(label, name, value, kind="text")
    book = store.add_codebook("Teemat", language="fi")
    for parent, name, finding in CODES:
        parent_id = store.find_code(parent).id if parent else None
        store.add_code(name, codebook_id=book, parent_id=parent_id, finding=finding,
                       colour=f"#{(len(name) * 2654435761) % 0xFFFFFF:06x}")
    frame = store.add_codebook("Five Es", framework="five-es", language="fi")
    for name, path in FRAMEWORK:
        store.add_code(name, codebook_id=frame, framework_path=path, colour="#4fc3f7")
    for label, path, passage in CODINGS:
        document = store.document(label)
        text = store.document_text(document.id)
        start = text.index(passage)
        store.add_coding(document.id, store.find_code(path).id, start, start + len(passage), coder="tutkija")
    for theme, element in LINKS:
        store.link_codes(store.find_code(theme).id, store.find_code(element).id)
    return store


def fixture_store() -> Store:
    return build_fixture_project(Store.memory(user="tutkija"))


def fixture_cases() -> dict:
    """The tables whose golden files tests/golden/fixture/ holds (name -> builder(store))."""
    from qualcode.coding.comparison import comparison_table
    from qualcode.coding.cooccurrence import cooccurrence_table
    from qualcode.coding.frequencies import codebook_table, frequencies_table
    from qualcode.coding.matrix import matrix_table
    from qualcode.coding.quotes import quotes_table
    from qualcode.coding.summary import summary_table
    from qualcode.coding.trace import trace, trace_table

    goals = "Asiakkaiden liiketoiminnalliset tavoitteet"
    return {
        "summary": lambda s: summary_table(
            s, goals, caption="Taulukko 4. Yhteenveto asiakkaiden liiketoiminnallisista tavoitteista", language="fi"),
        "summary-columns": lambda s: summary_table(
            s, "Tunnesidos", columns="Valenssi", caption="Taulukko 5. Tunnesidos", language="fi"),
        "summary-split": lambda s: summary_table(s, "Toimintaprosessi", split=True, language="fi",
                                                 label_format="Asiantuntija {n}"),
        "matrix": lambda s: matrix_table(s, [goals, "Tunnesidos"], caption="Table 2. Codings by respondent"),
        "matrix-groups": lambda s: matrix_table(s, "Tunnesidos", by="attribute:organisation_type",
                                                cells="respondents", language="fi"),
        "matrix-presence": lambda s: matrix_table(s, "Toimintaprosessi", cells="presence"),
        "matrix-text": lambda s: matrix_table(s, "Muut", cells="text", coverage=False),
        "quotes": lambda s: quotes_table(s, "Tunnesidos", style="trailing", label_format="Asiantuntija {n}",
                                         caption="Lainaukset"),
        "cooccurrence": lambda s: cooccurrence_table(s, ["Tunnesidos", "Valenssi"]),
        "frequencies": lambda s: frequencies_table(s, goals),
        "codebook": lambda s: codebook_table(s, "Five Es"),
        "comparison": lambda s: comparison_table(s, "five-es", caption="Table 6. Themes and the Five Es"),
        "trace": lambda s: trace_table(trace(s, "Myynnin kasvattaminen")),
    }
