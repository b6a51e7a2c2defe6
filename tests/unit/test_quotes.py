"""The quotes report: quote marks by language, citation styles, order, trimming."""

from __future__ import annotations

import pytest

from qualcode.coding.quotes import cite, quotes, quotes_table, trim_passage
from qualcode.errors import NotFoundError
from qualcode.store import Store

FI = "V: Heti kun tulee käyttöpääomaa niin sit ostetaan uutuuksia. Joulu on tärkein sesonki meille.\n"
EN = "R: We order twice a year. Christmas is our busiest season by far.\n"


@pytest.fixture
def study(store: Store) -> Store:
    documents = {}
    for label, text, language in (("H10", FI, "fi"), ("H2", FI, "fi"), ("R1", EN, "en")):
        documents[label] = store.add_document(title=f"{label} doc", text=text, format="txt", language=language,
                                              respondent=label)
    store.set_attribute("H2", "name", "Virtanen")
    store.set_attribute("H2", "year", "2024")
    store.set_attribute("H10", "name", "Mäkinen")
    store.set_attribute("H10", "year", "2025")
    root = store.add_code("Ostaminen")
    cash = store.add_code("Käyttöpääoma", parent_id=root)
    season = store.add_code("Sesongit", parent_id=root)

    def code(label: str, code_id: int, words: str) -> None:
        text = store.document_text(documents[label])
        start = text.index(words)
        store.add_coding(documents[label], code_id, start, start + len(words))

    code("H10", season, "Joulu on tärkein sesonki meille.")
    code("H10", cash, "Heti kun tulee käyttöpääomaa niin sit ostetaan")
    code("H2", cash, "Heti kun tulee käyttöpääomaa niin sit ostetaan uutuuksia.")
    code("H2", season, "Joulu on tärkein sesonki")
    code("H2", season, "sesonki meille.")
    code("R1", season, "Christmas is our busiest season by far.")
    return store


def test_marks_follow_the_document_language_and_order_is_by_code_then_respondent(study):
    found = quotes(study, "Ostaminen")
    assert [(q.theme, q.citation) for q in found] == [
        ("Käyttöpääoma", "H2: ”Heti kun tulee käyttöpääomaa niin sit ostetaan uutuuksia.”"),
        ("Käyttöpääoma", "H10: ”Heti kun tulee käyttöpääomaa niin sit ostetaan…”"),
        ("Sesongit", "H2: ”Joulu on tärkein sesonki…”"),
        ("Sesongit", "H2: ”…sesonki meille.”"),
        ("Sesongit", "H10: ”Joulu on tärkein sesonki meille.”"),
        ("Sesongit", "R1: “Christmas is our busiest season by far.”"),
    ]
    assert found[0].citation[4] == "\u201d" and found[0].citation[-1] == "\u201d"
    assert found[-1].citation[4] == "\u201c" and found[-1].citation[-1] == "\u201d"


def test_trailing_label_template_and_one_per_respondent(study):
    trailing = quotes(study, "Sesongit", style="trailing", label_format="Asiantuntija {n}", one_per_respondent=True)
    assert [q.citation for q in trailing] == [
        "”Joulu on tärkein sesonki…” – Asiantuntija 2.",
        "”Joulu on tärkein sesonki meille.” – Asiantuntija 10.",
        "“Christmas is our busiest season by far.” – Asiantuntija 1.",
    ]
    named = quotes(study, "Sesongit", style="trailing", label_format="{name} ({year})",
                   where={"name": ["Virtanen", "Mäkinen"]}, one_per_respondent=True)
    assert [q.citation for q in named] == ["”Joulu on tärkein sesonki…” – Virtanen (2024).",
                                           "”Joulu on tärkein sesonki meille.” – Mäkinen (2025)."]
    template = quotes(study, "Käyttöpääoma", style="{quote} ({name} {year})", language="en")
    assert template[0].citation == "“Heti kun tulee käyttöpääomaa niin sit ostetaan uutuuksia.” (Virtanen 2024)"
    with pytest.raises(NotFoundError, match="no such attribute"):
        quotes(study, "Sesongit", label_format="{name}")  # R1 has no name


def test_trimming_marks_cuts():
    assert trim_passage("Heti kun tulee käyttöpääomaa niin sit ostetaan uutuuksia.", max_chars=30) == \
        "Heti kun tulee käyttöpääomaa…"
    assert trim_passage("  ja sitten\n  tilataan lisää.  ") == "…ja sitten tilataan lisää."
    assert trim_passage("ja sitten", mark_cuts=False) == "ja sitten"
    assert trim_passage("Lyhyt.", max_chars=30) == "Lyhyt."
    assert cite("Kyllä.", "H3", language="fi") == "H3: ”Kyllä.”"
    assert cite("Yes.", "Expert 4", style="trailing", language="en") == "“Yes.” – Expert 4."


def test_quotes_table_groups_by_theme(study):
    table = quotes_table(study, "Ostaminen", max_chars=25, caption="Lainaukset")
    assert table.columns == ["Theme", "Respondent", "Quote"]
    assert table.frame["Quote"].tolist()[0] == "H2: ”Heti kun tulee…”"
    assert table.group_columns == 1 and table.caption == "Lainaukset"
    assert table.data["quotes"][0]["document"] == "H2 doc"
