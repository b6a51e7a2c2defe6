"""Golden files for the demo study's tables in every format (tests/golden/demo/).

The demo project is what `make run` opens and what a new user exports first, so its tables
are pinned here as the user receives them: the thesis summary, the two-column
variant, matrices, quotes, the framework comparison and the frequencies, each as txt, csv,
md, tex, html, json, xlsx and docx. `UPDATE_GOLDEN=1` rewrites them after an intended change
(to the writers, or to corpora/).
"""

from __future__ import annotations

import pytest

from qualcode.io.tables import TABLE_FORMATS
from qualcode.store import Store
from tests.golden.golden import GOLDEN_DIR, check_project_goldens

FINNISH = {"language": "fi"}


def top_codes(store, codebook: str) -> list[int]:
    return [code.id for code in store.codes(store.codebook(codebook).id) if code.parent_id is None]


def demo_cases() -> dict:
    from qualcode.coding.comparison import comparison_table
    from qualcode.coding.frequencies import frequencies_table
    from qualcode.coding.matrix import matrix_table
    from qualcode.coding.quotes import quotes_table
    from qualcode.coding.summary import summary_table

    return {
        "summary-needs": lambda s: summary_table(
            s, "Jälleenmyyjien tarpeet", caption="Taulukko 4. Jälleenmyyjien tarpeet", language="fi"),
        "summary-emotions-by-valence": lambda s: summary_table(
            s, "Tunteet Kaarnaa kohtaan", columns="emotional-bond/valence",
            caption="Taulukko 5. Tunnesidos Kaarnaan", language="fi"),
        "matrix-five-es": lambda s: matrix_table(s, top_codes(s, "five-es"), where=FINNISH, language="fi",
                                                 caption="Taulukko 2. Koodaukset haastateltavittain"),
        "matrix-needs-by-organisation": lambda s: matrix_table(
            s, "Jälleenmyyjien tarpeet", by="attribute:organisation_type", cells="respondents", where=FINNISH,
            language="fi"),
        "quotes-emotions": lambda s: quotes_table(
            s, ["five-es/emotions"], one_per_respondent=True, max_chars=160, where=FINNISH, language="fi"),
        "comparison-five-es": lambda s: comparison_table(
            s, "five-es", where=FINNISH, language="fi", caption="Taulukko 6. Teemat ja viisi E:tä"),
        "frequencies-themes": lambda s: frequencies_table(s, top_codes(s, "Teemat"), where=FINNISH, language="fi"),
    }


@pytest.fixture(scope="module")
def demo(demo_path):
    with Store.open(demo_path, read_only=True) as store:
        yield store


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_demo_golden_files(demo, fmt):
    problems = check_project_goldens(demo, demo_cases(), GOLDEN_DIR / "demo", formats=[fmt])
    assert not problems, "\n\n".join(problems)
