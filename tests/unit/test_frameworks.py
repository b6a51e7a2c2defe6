"""The shipped frameworks load with the structures the method needs, and broken
framework files are refused with a message naming the file and the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.errors import QualcodeError
from qualcode.frameworks import (
    Framework,
    FrameworkError,
    iter_codes,
    list_frameworks,
    load_framework,
    validate_framework,
)

SHIPPED = [
    "blank", "delphi-future", "emotional-bond", "five-es",
    "idic", "lifecycle", "operating-process", "swot",
]

STAGES = ["trigger", "selection", "ordering", "selling", "feedback"]

EXPECTED_PATHS = {
    "five-es": [
        "five-es/environment", "five-es/expectations", "five-es/emotions",
        "five-es/experience", "five-es/engagement",
    ],
    "idic": [
        "idic/identify", "idic/differentiate", "idic/interact", "idic/customise",
        "idic/customise/adaptive", "idic/customise/cosmetic",
        "idic/customise/collaborative", "idic/customise/transparent",
    ],
    "operating-process": [
        path
        for stage in STAGES
        for path in (
            f"operating-process/{stage}",
            f"operating-process/{stage}/activity",
            f"operating-process/{stage}/need",
        )
    ],
    "emotional-bond": [
        "emotional-bond/valence", "emotional-bond/valence/positive",
        "emotional-bond/valence/neutral", "emotional-bond/valence/negative",
        "emotional-bond/object", "emotional-bond/object/brand",
        "emotional-bond/object/product", "emotional-bond/object/interaction",
    ],
    "lifecycle": [
        "lifecycle/customer-status", "lifecycle/customer-status/new",
        "lifecycle/customer-status/established", "lifecycle/customer-status/leaving",
        "lifecycle/formation", "lifecycle/formation/recognition",
        "lifecycle/formation/testing", "lifecycle/formation/expansion",
        "lifecycle/formation/commitment", "lifecycle/formation/dissolution",
    ],
    "delphi-future": [
        "delphi-future/strategy", "delphi-future/process", "delphi-future/creativity",
        "delphi-future/creativity/novelty", "delphi-future/creativity/openness",
        "delphi-future/creativity/usefulness",
    ],
    "swot": ["swot/strengths", "swot/weaknesses", "swot/opportunities", "swot/threats"],
    "blank": [],
}


# --- shipped frameworks ---------------------------------------------------------------


def test_list_frameworks_names_every_shipped_file() -> None:
    assert list_frameworks() == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_framework_has_the_required_structure(name: str) -> None:
    framework = load_framework(name)

    assert isinstance(framework, Framework)
    assert framework.name == name
    assert [code.path for code in iter_codes(framework)] == EXPECTED_PATHS[name]


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_framework_is_a_complete_bilingual_codebook(name: str) -> None:
    framework = load_framework(name)
    codes = list(iter_codes(framework))

    assert framework.title["fi"] and framework.title["en"]
    assert set(framework.description) == {"fi", "en"}
    colours = [code.colour for code in codes]
    assert len(set(colours)) == len(colours), "colours must be distinct within a framework"
    for code in codes:
        assert set(code.label) == {"fi", "en"}, code.path
        assert set(code.definition) == {"fi", "en"}, code.path
        if not code.children:
            assert set(code.indicators) == {"fi", "en"}, code.path
        for language, words in code.indicators.items():
            assert 5 <= len(words) <= 20, (code.path, language, len(words))


def test_five_es_labels_and_quick_keys() -> None:
    codes = load_framework("five-es").codes

    assert [code.key for code in codes] == ["1", "2", "3", "4", "5"]
    assert [code.label["fi"] for code in codes] == [
        "Asiakkaan ympäristö", "Asiakkaan odotukset", "Asiakkaan tunteet",
        "Asiakkaan kokemukset", "Asiakkaan sitouttaminen",
    ]


def test_operating_process_splits_every_stage_into_activity_and_need() -> None:
    framework = load_framework("operating-process")

    assert [code.id for code in framework.codes] == STAGES
    for stage in framework.codes:
        assert [(c.id, c.label["fi"]) for c in stage.children] == [
            ("activity", "Toiminta"), ("need", "Tarve"),
        ]
    assert framework.codes[0].label == {"fi": "Ostopäätöksen laukaisija", "en": "Trigger to buy"}


@pytest.mark.parametrize("name", ["five-es", "operating-process"])
def test_leaf_codes_of_main_frameworks_have_enough_indicators(name: str) -> None:
    for code in iter_codes(load_framework(name)):
        if not code.children:
            for language in ("fi", "en"):
                assert 8 <= len(code.indicators[language]) <= 20, (code.path, language)


def test_blank_framework_has_no_codes() -> None:
    assert load_framework("blank").codes == []


# --- indicators are lemmas as the matcher's lemma lookup produces them --------------------


@pytest.fixture(scope="session")
def lemmatize():
    """qualcode's ``lemmatize`` (simplemma plus spoken Finnish read through written forms),
    the one the suggesters match on, case aside (indicators are lower-cased when matched:
    `Christmas`); simplemma's Finnish data loads on first use."""
    pytest.importorskip("simplemma")
    from qualcode import nlp

    def lemmatize(word: str, lang: str) -> str:
        lemma = nlp.lemmatize(word, lang)
        return word if lemma == word.lower() else lemma

    return lemmatize


@pytest.mark.parametrize("language", ["fi", "en"])
@pytest.mark.parametrize("name", ["five-es", "operating-process", "idic", "emotional-bond",
                                  "lifecycle", "delphi-future", "swot"])
def test_indicators_are_their_own_lemmas(lemmatize, name: str, language: str) -> None:
    not_lemmas = [
        f"{code.path}: {word!r} -> {lemmatize(word, lang=language)!r}"
        for code in iter_codes(load_framework(name))
        for phrase in code.indicators.get(language, [])
        for word in phrase.split()
        if lemmatize(word, lang=language) != word
    ]
    assert not_lemmas == []


def test_inflected_finnish_talk_reaches_the_indicators(lemmatize) -> None:
    ordering = load_framework("operating-process").codes[2]
    indicators = {word for code in [ordering, *ordering.children]
                  for word in code.indicators["fi"]}
    spoken = ["tilaukset", "verkkokaupasta", "toimitusajat", "varastossa", "rahtia"]

    assert {lemmatize(word, lang="fi") for word in spoken} <= indicators


# --- loading user files -------------------------------------------------------------


MINIMAL = """\
name: mine
title: {fi: Oma, en: Mine}
codes:
  - id: pricing
    label: {fi: Hinnoittelu, en: Pricing}
    key: 1
    indicators:
      fi: [hinta,  "  kallis   hinta "]
    children:
      - id: discount
        label: {fi: Alennus, en: Discount}
  - id: trust
    label: {fi: Luottamus, en: Trust}
    colour: "#ABCDEF"
"""


def test_user_file_loads_by_path_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(MINIMAL, encoding="utf-8")

    framework = load_framework(path)
    pricing, trust = framework.codes
    discount = pricing.children[0]

    assert load_framework(str(path)) == framework
    assert (framework.source, framework.description) == ("", {})
    assert pricing.key == "1"  # an unquoted YAML number is accepted
    assert pricing.indicators == {"fi": ["hinta", "kallis hinta"]}
    assert discount.path == "mine/pricing/discount"
    assert discount.colour == pricing.colour  # inherited
    assert trust.colour == "#abcdef"
    assert discount.definition == {} and discount.key is None


def test_user_file_may_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))

    assert load_framework(path).name == "mine"


def test_user_file_not_in_utf8(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_bytes(MINIMAL.replace("Oma", "Äly").encode("latin-1"))

    with pytest.raises(FrameworkError) as error:
        load_framework(path)
    assert str(error.value) == f"{path}: line 2: not UTF-8 text; save the file as UTF-8"


def test_validate_framework_takes_parsed_data() -> None:
    data = {"name": "x", "title": {"fi": "X", "en": "X"},
            "codes": [{"id": "a", "label": {"fi": "A", "en": "A"}}]}

    assert [code.path for code in iter_codes(validate_framework(data, "x.yaml"))] == ["x/a"]


def test_unknown_framework_name_lists_the_shipped_ones() -> None:
    with pytest.raises(FrameworkError) as error:
        load_framework("five-e")
    assert str(error.value) == (
        "unknown framework 'five-e'; shipped frameworks are " + ", ".join(SHIPPED)
        + " (or give the path of your own .yaml file)"
    )


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nothere.yaml"
    with pytest.raises(FrameworkError, match=r"nothere\.yaml: no such file$"):
        load_framework(path)


def test_framework_error_is_a_qualcode_error() -> None:
    assert issubclass(FrameworkError, QualcodeError)


# --- broken files: each gives its precise message -------------------------------------

HEAD = "name: five-es\ntitle: {fi: Viisi, en: Five}\ncodes:\n"
CODE = "  - id: emotions\n    label: {fi: Tunteet, en: Emotions}\n"

BROKEN = {
    "bad colour": (
        HEAD + CODE + "    colour: red\n",
        "code 'five-es/emotions': colour 'red' is not #rrggbb",
    ),
    "unquoted colour is a comment": (
        HEAD + CODE + "    colour: #ff0000\n",
        "code 'five-es/emotions': colour is empty; '#' starts a YAML comment, "
        "so quote it: colour: \"#1f77b4\"",
    ),
    "missing name": (
        "title: {fi: Viisi, en: Five}\ncodes: []\n",
        "missing required field 'name'",
    ),
    "missing codes": (
        "name: five-es\ntitle: {fi: Viisi, en: Five}\n",
        "missing required field 'codes'",
    ),
    "empty codes outside blank": (
        HEAD.replace("codes:\n", "codes: []\n"),
        "codes is empty; add at least one code (only 'blank' may have none)",
    ),
    "bad framework name": (
        "name: Five Es\ntitle: {fi: Viisi, en: Five}\ncodes: []\n",
        "name 'Five Es' may use only a-z, 0-9 and '-' "
        "(e.g. 'customer-status'; write 'ä' as 'a', 'ö' as 'o')",
    ),
    "title without en": (
        "name: five-es\ntitle: {fi: Viisi}\ncodes: []\n",
        "title has no 'en' text",
    ),
    "unknown top-level field": (
        HEAD + CODE + "titel: x\n",
        "unknown field 'titel'; did you mean 'title'? "
        "(allowed: name, title, source, description, codes)",
    ),
    "code without id": (
        HEAD + CODE + "  - label: {fi: Kokemus, en: Experience}\n",
        "code #2 under 'five-es': missing required field 'id'",
    ),
    "bad id": (
        HEAD + "  - id: Tunteet\n    label: {fi: Tunteet, en: Emotions}\n",
        "code #1 under 'five-es': id 'Tunteet' may use only a-z, 0-9 and '-' "
        "(e.g. 'customer-status'; write 'ä' as 'a', 'ö' as 'o')",
    ),
    "code without label": (
        HEAD + "  - id: emotions\n",
        "code 'five-es/emotions': missing required field 'label'",
    ),
    "label without fi": (
        HEAD + "  - id: emotions\n    label: {en: Emotions}\n",
        "code 'five-es/emotions': label has no 'fi' text",
    ),
    "label read as a boolean": (
        HEAD + "  - id: emotions\n    label: {fi: Ei, en: No}\n",
        "code 'five-es/emotions': label 'en' must be non-empty text, got false "
        "(YAML reads unquoted yes/no/on/off as true/false; put the text in quotes)",
    ),
    "misspelt code field": (
        HEAD + CODE + "    color: \"#ff0000\"\n",
        "code 'five-es/emotions': unknown field 'color'; did you mean 'colour'? "
        "(allowed: id, label, definition, use_when, not_when, indicators, colour, "
        "key, children)",
    ),
    "duplicate sibling id": (
        HEAD + CODE + "  - id: emotions\n    label: {fi: Tunteet 2, en: Emotions 2}\n",
        "code 'five-es/emotions': id is used twice; ids must be unique among siblings",
    ),
    "duplicate sibling label": (
        HEAD + CODE + "  - id: feelings\n    label: {fi: Tunteet, en: Feelings}\n",
        "code 'five-es/feelings': label 'fi' 'Tunteet' is already used by "
        "sibling 'five-es/emotions'",
    ),
    "duplicate key": (
        HEAD + CODE + "    key: \"3\"\n"
        "  - id: experience\n    label: {fi: Kokemukset, en: Experience}\n"
        "    children:\n      - id: web\n        label: {fi: Verkko, en: Web}\n"
        "        key: 3\n",
        "code 'five-es/experience/web': key '3' is already used by 'five-es/emotions'",
    ),
    "key out of range": (
        HEAD + CODE + "    key: 0\n",
        "code 'five-es/emotions': key '0' must be one of 1-9",
    ),
    "indicators not a list": (
        HEAD + CODE + "    indicators: {fi: tunne}\n",
        "code 'five-es/emotions': indicators 'fi' must be a list of words, "
        "e.g. [kasvu, tavoite], got text 'tunne'",
    ),
    "empty indicator": (
        HEAD + CODE + "    indicators: {fi: [tunne, \" \"]}\n",
        "code 'five-es/emotions': indicators 'fi' item 2 must be a non-empty word, "
        "got text ' '",
    ),
    "indicators without language": (
        HEAD + CODE + "    indicators: [tunne, ilo]\n",
        "code 'five-es/emotions': indicators must map languages to lists, "
        "e.g. {fi: [kasvu], en: [growth]}, got a list",
    ),
    "children not a list": (
        HEAD + CODE + "    children: {id: joy}\n",
        "code 'five-es/emotions': children must be a list of codes, got a mapping",
    ),
    "error deep in the tree": (
        HEAD + CODE + "    children:\n      - id: joy\n"
        "        label: {fi: Ilo, en: Joy}\n        colour: \"#12345\"\n",
        "code 'five-es/emotions/joy': colour '#12345' is not #rrggbb",
    ),
    "not a mapping": (
        "- five-es\n- idic\n",
        "expected a mapping of framework fields (name, title, codes...) at the top, "
        "got a list",
    ),
    "empty file": (
        "",
        "the file is empty; a framework needs at least name, title and codes",
    ),
    "yaml syntax error": (
        HEAD + "  - id: emotions\n    label: {fi: Tunteet, en: Emotions\n"
        "  - id: experience\n",
        "line 6, column 7: invalid YAML: expected ',' or '}', but got ':' "
        "(while parsing a flow mapping)",
    ),
    "tab indentation": (
        HEAD + "\t- id: emotions\n",
        "line 4, column 1: invalid YAML: found character '\\t' that cannot start any "
        "token (while scanning for the next token); indent with spaces, not tabs",
    ),
    "empty id": (
        HEAD + "  - id:\n    label: {fi: Tunteet, en: Emotions}\n",
        "code #1 under 'five-es': id is empty",
    ),
    "duplicate key in a flow mapping": (
        HEAD + "  - id: emotions\n    label: {fi: Tunteet, fi: Tunne}\n",
        "line 5, column 26: invalid YAML: duplicate key 'fi' (first given on line 5)",
    ),
    "duplicate yaml key": (
        HEAD + CODE + "    label: {fi: Tunne, en: Emotion}\n",
        "line 6, column 5: invalid YAML: duplicate key 'label' (first given on line 5)",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_file_gives_a_precise_message(tmp_path: Path, case: str) -> None:
    text, message = BROKEN[case]
    path = tmp_path / "five-es.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(FrameworkError) as error:
        load_framework(path)

    assert str(error.value) == f"{path}: {message}"
