from __future__ import annotations

from collections import Counter

import krippendorff
import numpy as np
import pytest

from qualcode.coding.agreement import (
    agreement, character_patterns, cohens_kappa, krippendorff_alpha, percent_agreement, segment_patterns,
)


def patterns_from_rows(rows):
    return Counter(tuple(row) for row in rows)


def test_kappa_and_percent_on_a_hand_computed_table():
    # 10 units: both yes 4, both no 4, A yes/B no 1, A no/B yes 1
    rows = [(1, 1)] * 4 + [(0, 0)] * 4 + [(1, 0), (0, 1)]
    patterns = patterns_from_rows(rows)
    assert percent_agreement(patterns) == pytest.approx(0.8)
    # po = 0.8, pe = 0.5*0.5 + 0.5*0.5 = 0.5 -> kappa = 0.6
    assert cohens_kappa(patterns) == pytest.approx(0.6)


def test_alpha_matches_krippendorffs_worked_example():
    # Krippendorff (2011) "Computing Krippendorff's alpha-reliability", nominal example: alpha = 0.743
    nan = None
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]
    units = Counter(tuple(data[c][u] for c in range(4)) for u in range(12))
    assert krippendorff_alpha(units) == pytest.approx(0.743, abs=0.001)


@pytest.mark.parametrize("seed", range(5))
def test_alpha_agrees_with_the_reference_implementation(seed):
    rng = np.random.default_rng(seed)
    coders, units = 3, 40
    data = rng.integers(0, 2, size=(coders, units)).astype(float)
    data[rng.random((coders, units)) < 0.15] = np.nan
    for u in range(units):
        if rng.random() < 0.7:  # make agreement better than chance
            data[:, u] = np.where(np.isnan(data[:, u]), np.nan, data[0, u] if not np.isnan(data[0, u]) else 1)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    patterns = Counter(tuple(None if np.isnan(v) else int(v) for v in data[:, u]) for u in range(units))
    assert krippendorff_alpha(patterns) == pytest.approx(expected, abs=1e-9)


def test_undefined_statistics_are_none():
    same = patterns_from_rows([(0, 0)] * 5)
    assert cohens_kappa(same) is None
    assert krippendorff_alpha(same) is None
    assert percent_agreement(same) == 1.0
    assert percent_agreement(Counter()) is None


def test_segment_and_character_units_with_a_missing_coder():
    segments = [(0, 10), (11, 20), (21, 30)]
    assert segment_patterns(segments, [[(2, 5)], [(12, 25)], None]) == Counter(
        {(1, 0, None): 1, (0, 1, None): 2})
    assert character_patterns(30, [[(0, 10)], [(5, 15)]]) == Counter(
        {(1, 0): 5, (1, 1): 5, (0, 1): 5, (0, 0): 15})


def test_agreement_over_a_project_with_three_coders(small_project):
    store, doc = small_project
    code = store.add_code("Tilaaminen")
    other = store.add_code("Tunteet")
    segments = store.segments(doc)
    last = segments[-1]
    for coder in ("anna", "ville", "aino"):
        store.add_coding(doc, code, segments[3].start, segments[3].end, coder=coder)
    store.add_coding(doc, other, last.start, last.end, coder="anna")
    store.add_coding(doc, other, last.start, last.end, coder="ville")
    report = agreement(store, ["anna", "ville"], unit="segment")
    by_code = {c.code: c for c in report.codes}
    assert by_code["Tilaaminen"].percent == 1.0 and by_code["Tilaaminen"].units == len(segments)
    assert by_code["Tunteet"].kappa == 1.0
    three = agreement(store, ["anna", "ville", "aino"], unit="document")
    # aino coded the document but never used "Tunteet": at document level she disagrees there
    assert {c.code: c.percent for c in three.codes} == {"Tilaaminen": 1.0, "Tunteet": 0.0}
    assert report.to_json()["overall"]["units"] == 2 * len(segments)


def test_units_without_codings_by_one_coder_are_missing(small_project):
    store, doc = small_project
    second = store.add_document(title="H2", text="V: Toinen haastattelu. Lyhyt.", format="txt", language="fi")
    code = store.add_code("Tunteet")
    store.add_coding(doc, code, 3, 10, coder="anna")
    store.add_coding(doc, code, 3, 10, coder="ville")
    store.add_coding(second, code, 3, 10, coder="anna")  # ville never coded H2
    report = agreement(store, ["anna", "ville"], unit="document")
    assert report.codes[0].units == 1


def test_disagreements_listed_resolved_and_undone(small_project):
    from qualcode.coding.disagreements import disagreements, resolve

    store, doc = small_project
    code = store.add_code("Tilaaminen")
    segments = store.segments(doc)
    store.add_coding(doc, code, segments[3].start, segments[3].end, coder="anna")
    store.add_coding(doc, code, segments[3].start, segments[3].end, coder="ville")
    store.add_coding(doc, code, segments[4].start, segments[5].end, coder="anna")
    store.add_coding(doc, code, segments[1].start, segments[1].end, coder="ville")
    found = disagreements(store, ["anna", "ville"])
    assert [(d.start, d.coders_with_code()) for d in found] == [
        (segments[1].start, ["ville"]), (segments[4].start, ["anna"]), (segments[5].start, ["anna"])]
    resolve(store, found[0], "anna")  # anna did not code it: ville's coding goes
    assert [c.coder for c in store.codings(code_ids=[code]) if c.start == segments[1].start] == []
    resolve(store, found[1], "both")
    left = disagreements(store, ["anna", "ville"])
    assert [d.start for d in left] == [segments[5].start]
    assert [r["decision"] for r in store.resolutions()] == ["anna", "both"]
    store.undo()
    store.undo()
    assert len(disagreements(store, ["anna", "ville"])) == 3
    assert len(store.codings(coders=["ville"])) == 2
