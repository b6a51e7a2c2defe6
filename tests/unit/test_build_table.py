"""`build_table`: one table on demand, as the TUI's export dialog asks for it."""

from __future__ import annotations

import pytest

from qualcode.coding.matrix import matrix_table
from qualcode.coding.study import TABLE_KINDS, build_table
from qualcode.errors import ConflictError
from qualcode.store import Store


@pytest.fixture
def small(store: Store) -> Store:
    text = "Joulu myy. Laatu on hyvä."
    for label in ("H1", "H2"):
        store.add_document(title=label, text=text, format="txt", language="fi", respondent=label)
    book = store.add_codebook("Teemat")
    root = store.add_code("Myynti", codebook_id=book)
    seasons = store.add_code("Sesongit", parent_id=root)
    store.add_coding(store.document("H1").id, seasons, 0, 10)
    store.add_coding(store.document("H2").id, root, 11, 25)
    return store


def test_every_kind_builds(small):
    root = small.find_code("Myynti").id
    for kind in TABLE_KINDS:
        table = build_table(small, kind, root)
        assert not table.frame.empty, kind


def test_matrix_is_the_cli_matrix(small):
    root = small.find_code("Myynti").id
    built = build_table(small, "matrix", [root], by="respondent", cells="presence")
    assert built.frame.equals(matrix_table(small, [root], cells="presence", language="fi").frame)


def test_summary_and_quotes_need_one_code(small):
    for kind in ("summary", "quotes"):
        with pytest.raises(ConflictError, match="choose the code"):
            build_table(small, kind, None)
    with pytest.raises(ConflictError, match="Unknown table"):
        build_table(small, "pie chart")
