"""The code x respondent matrix, cell summaries, co-occurrence and code frequencies."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.coding.cooccurrence import cooccurrence
from qualcode.coding.frequencies import frequencies_table
from qualcode.coding.matrix import code_matrix, matrix_table
from qualcode.errors import NotFoundError
from qualcode.store import SegmentSpan, Store

TEXT = "Joulu myy. Laatu on hyvä. Toimitus kestää. Hinta nousee."


@pytest.fixture
def study(store: Store) -> Store:
    """Five documents: H1..H3 in round 1, H1 again in round 2, H10 unassigned to any round."""
    sentences = [(0, 10), (11, 25), (26, 42), (43, 56)]
    segments = [SegmentSpan(start, end, None) for start, end in sentences]
    docs = {}
    for title, label, round_ in (("H1 r1", "H1", 1), ("H2 r1", "H2", 1), ("H3 r1", "H3", 1), ("H1 r2", "H1", 2),
                                 ("H10", "H10", None)):
        docs[title] = store.add_document(title=title, text=TEXT, format="txt", language="fi", respondent=label,
                                         round=round_, segments=segments)
    for label, kind in (("H1", "for-profit"), ("H2", "non-profit"), ("H3", "for-profit")):
        store.set_attribute(label, "organisation_type", kind)  # H10 has no value
    root = store.add_code("Teemat")
    sales = store.add_code("Myynti", parent_id=root)
    seasons = store.add_code("Sesongit", parent_id=sales)
    quality = store.add_code("Laatu", parent_id=root)
    store.add_code("Hinta", parent_id=root)  # never coded
    sentence = dict(zip(("joulu", "laatu", "toimitus", "hinta"), sentences))
    plan = [("H1 r1", seasons, "joulu"), ("H1 r1", seasons, "laatu"), ("H1 r1", quality, "laatu"),
            ("H2 r1", sales, "joulu"), ("H2 r1", quality, "toimitus"), ("H3 r1", seasons, "joulu"),
            ("H1 r2", quality, "laatu"), ("H10", quality, "hinta")]
    for title, code_id, key in plan:
        store.add_coding(docs[title], code_id, *sentence[key])
    return store


def test_count_matrix_subtotals_and_totals(study):
    matrix = code_matrix(study, "Teemat")
    assert [" > ".join(r.path) for r in matrix.rows] == [
        "Teemat", "Teemat > Myynti", "Teemat > Myynti > Sesongit", "Teemat > Laatu", "Teemat > Hinta"]
    assert [c.label for c in matrix.columns] == ["H1", "H2", "H3", "H10"]
    assert matrix.values.to_numpy().tolist() == [
        [4, 2, 1, 1],   # the top row sums everything below it
        [2, 1, 1, 0],   # Myynti: one coding of its own (H2) plus Sesongit's
        [2, 0, 1, 0],
        [2, 1, 0, 1],   # H1's two documents both count
        [0, 0, 0, 0],
    ]
    # Totals equal the sums of the cells: rows across, columns over the top row (the whole tree).
    assert matrix.row_totals.tolist() == matrix.values.sum(axis=1).tolist() == [8, 4, 3, 4, 0]
    assert matrix.column_totals.tolist() == matrix.values.iloc[0].tolist()
    assert matrix.grand_total == matrix.values.to_numpy().sum(axis=1)[0] == study.counts()["codings"]
    assert matrix.coverage.tolist() == [4, 3, 2, 3, 0]


def test_totals_equal_cell_sums_without_subtotals(study):
    matrix = code_matrix(study, "Teemat", subtotals=False)
    values = matrix.values.to_numpy()
    assert values[0].tolist() == [0, 0, 0, 0] and values[1].tolist() == [0, 1, 0, 0]
    assert matrix.column_totals.tolist() == values.sum(axis=0).tolist()
    assert matrix.row_totals.tolist() == values.sum(axis=1).tolist()
    assert matrix.grand_total == values.sum()


def test_matrix_table_layout_and_json_contract(study):
    table = matrix_table(study, "Teemat", caption="Table 3.")
    assert table.columns == ["Code", "H1", "H2", "H3", "H10", "Total", "Coverage"]
    assert table.frame.iloc[-1].tolist() == ["Total", 4, 2, 1, 1, 8, "4 of 4 respondents"]
    assert table.frame.iloc[1].tolist() == ["Teemat > Myynti", 2, 1, 1, 0, 4, "3 of 4 respondents"]
    assert table.row_labels[:3] == ["Teemat", "Myynti", "Sesongit"] and table.row_levels[:3] == [0, 1, 2]
    assert table.data == {
        "rows": ["Teemat", "Teemat > Myynti", "Teemat > Myynti > Sesongit", "Teemat > Laatu", "Teemat > Hinta"],
        "columns": ["H1", "H2", "H3", "H10"],
        "cells": [[4, 2, 1, 1], [2, 1, 1, 0], [2, 0, 1, 0], [2, 1, 0, 1], [0, 0, 0, 0]],
    }
    finnish = matrix_table(study, "Teemat", language="fi", totals=False)
    assert finnish.columns == ["Koodi", "H1", "H2", "H3", "H10", "Kattavuus"]
    assert finnish.frame.iloc[0, -1] == "4/4 haastateltavaa"


def test_presence_words_and_respondents_modes(study):
    presence = code_matrix(study, "Teemat", cells="presence")
    assert presence.values.to_numpy().tolist()[1] == [1, 1, 1, 0]
    assert matrix_table(study, "Teemat", cells="presence").frame.iloc[1, 1:5].tolist() == ["✓", "✓", "✓", ""]
    words = code_matrix(study, "Teemat > Laatu", cells="words")
    assert words.values.to_numpy().tolist() == [[6, 2, 0, 2]]  # "Laatu on hyvä." twice for H1
    groups = code_matrix(study, "Teemat", by="attribute:organisation_type", cells="respondents")
    assert [c.label for c in groups.columns] == ["for-profit", "non-profit", "(no value)"]
    assert groups.values.to_numpy().tolist()[0] == [2, 1, 1]
    assert groups.row_totals.tolist()[0] == 4 and groups.column_totals.tolist() == [2, 1, 1]


def test_columns_by_document_and_round(study):
    by_document = code_matrix(study, "Teemat > Laatu", by="document")
    assert [c.label for c in by_document.columns] == ["H1 r1", "H1 r2", "H2 r1", "H3 r1", "H10"]
    assert by_document.values.to_numpy().tolist() == [[1, 1, 1, 0, 1]]
    by_round = code_matrix(study, "Teemat", by="round", cells="respondents")
    assert [(c.key, c.label) for c in by_round.columns] == [("round:1", "Round 1"), ("round:2", "Round 2"),
                                                            ("round:none", "No round")]
    assert by_round.values.to_numpy().tolist()[0] == [3, 1, 1]
    with pytest.raises(NotFoundError, match="attribute 'size'"):
        code_matrix(study, "Teemat", by="attribute:size")


def test_restriction_and_label_template(study):
    matrix = code_matrix(study, "Teemat", where={"organisation_type": "for-profit"}, label_format="Asiantuntija {n}")
    assert [c.label for c in matrix.columns] == ["Asiantuntija 1", "Asiantuntija 3"]
    assert matrix.values.to_numpy().tolist()[0] == [4, 1]
    assert matrix_table(study, "Teemat", where={"organisation_type": "for-profit"}).frame.iloc[0, -1] == \
        "2 of 2 respondents"


def test_text_cells_and_cell_summaries(study):
    text = code_matrix(study, "Teemat > Laatu", cells="text")
    assert text.values.iloc[0].tolist() == ["Laatu on hyvä.\n\nLaatu on hyvä.", "Toimitus kestää.", "",
                                            "Hinta nousee."]
    quality = study.find_code("Teemat > Laatu").id
    study.set_cell_summary(quality, "respondent:H1", "Laatu tasainen molemmilla kierroksilla.")
    study.set_cell_summary(quality, "respondent:H2", "Toimitukset hitaita.")
    study.set_cell_summary(quality, "respondent:H2", "Toimitukset hitaita, laatu ok.")
    summary = code_matrix(study, "Teemat > Laatu", cells="summary")
    assert summary.values.iloc[0].tolist() == ["Laatu tasainen molemmilla kierroksilla.",
                                               "Toimitukset hitaita, laatu ok.", "", ""]
    assert summary.cell_key(0, 1) == (quality, "respondent:H2")
    assert study.undo() == "summary of Laatu / respondent:H2"
    assert study.cell_summary(quality, "respondent:H2") == "Toimitukset hitaita."
    study.set_cell_summary(quality, "respondent:H2", "")
    assert study.cell_summary(quality, "respondent:H2") is None


def test_cooccurrence_overlap_and_segment(study):
    ids, matrix = cooccurrence(study, "Teemat")
    names = [study.code(i).name for i in ids]
    assert names == ["Myynti", "Sesongit", "Laatu"]  # only coded codes
    assert matrix.tolist() == [[1, 0, 0], [0, 3, 1], [0, 1, 4]]
    ids, segments = cooccurrence(study, "Teemat", mode="segment")
    assert segments.tolist() == [[1, 0, 0], [0, 3, 1], [0, 1, 4]]
    assert np.array_equal(segments, segments.T)


def test_frequencies(study):
    table = frequencies_table(study, "Teemat")
    assert table.frame.iloc[:, :6].values.tolist() == [
        ["Teemat", 0, 8, 5, 4, "4 of 4 respondents"],
        ["Teemat > Myynti", 1, 4, 3, 3, "3 of 4 respondents"],
        ["Teemat > Myynti > Sesongit", 3, 3, 2, 2, "2 of 4 respondents"],
        ["Teemat > Laatu", 4, 4, 4, 3, "3 of 4 respondents"],
        ["Teemat > Hinta", 0, 0, 0, 0, "0 of 4 respondents"],
    ]
    assert table.data["codes"][3] == {"path": "Teemat > Laatu", "codings": 4, "with_subcodes": 4, "documents": 4,
                                      "respondents": 3, "words": 10}


def test_bulk_codings_are_one_undo_step(study):
    doc = study.document("H2 r1").id
    code = study.find_code("Hinta").id
    added = study.add_codings_bulk([(doc, code, 43, 56), (doc, code, 0, 10), (doc, code, 43, 56)],
                                   description="bulk")
    assert added == 2 and code_matrix(study, "Teemat > Hinta").values.to_numpy().tolist() == [[0, 2, 0, 0]]
    assert study.undo() == "bulk"
    assert study.count_codings(code) == 0
    assert study.redo() == "bulk" and study.count_codings(code) == 2
