"""Inter-coder agreement per code and overall: percent agreement, Cohen's kappa, Krippendorff's alpha.

A *unit* is a sentence segment, a character or a whole document. For each code and unit a coder's
value is 1 if one of their codings of that code overlaps the unit, 0 if not, and *missing* when the
coder did not code that document at all (so alpha handles a coder who skipped an interview).
Units are aggregated into counts of value patterns, which keeps the character level cheap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

UNITS = ("segment", "character", "document")
UNIT_NAMES = {"fi": {"segment": "virke", "character": "merkki", "document": "dokumentti"},
              "en": {"segment": "sentence", "character": "character", "document": "document"}}
AGREEMENT_HEADINGS = {"fi": ["Koodi", "Yhtäpitävyys", "Cohenin kappa", "Krippendorffin alfa", "Yksiköt"],
                      "en": ["Code", "Percent agreement", "Cohen's kappa", "Krippendorff's alpha", "Units"]}
OVERALL_LABEL = {"fi": "Kaikki koodit", "en": "All codes"}

Pattern = tuple[int | None, ...]


@dataclass
class CodeAgreement:
    code: str
    percent: float | None
    kappa: float | None
    alpha: float | None
    units: int


@dataclass
class AgreementReport:
    coders: list[str]
    unit: str
    codes: list[CodeAgreement] = field(default_factory=list)
    overall: CodeAgreement | None = None

    def to_json(self) -> dict:
        def row(item: CodeAgreement) -> dict:
            return {"code": item.code, "percent": item.percent, "kappa": item.kappa, "alpha": item.alpha,
                    "units": item.units}

        return {"coders": self.coders, "unit": self.unit, "codes": [row(c) for c in self.codes],
                "overall": row(self.overall) if self.overall else None}

    def to_table(self, *, language: str = "fi", caption: str | None = None):
        """The report as a Table for every export format: one row per code, then the overall row;
        a measure that cannot be computed (no variation, one coder) is left empty."""
        import pandas as pd

        from qualcode.coding.table import Table

        headings = AGREEMENT_HEADINGS[language]
        items = [*self.codes, *([self.overall] if self.overall else [])]
        frame = pd.DataFrame([[item.code, item.percent, item.kappa, item.alpha, item.units] for item in items],
                             columns=headings, dtype=object)
        if self.overall is not None:
            frame.iloc[-1, 0] = OVERALL_LABEL[language]
        unit = UNIT_NAMES[language][self.unit]
        note = (f"Koodaajat: {', '.join(self.coders)}; yksikkö: {unit}." if language == "fi"
                else f"Coders: {', '.join(self.coders)}; unit: {unit}.")
        return Table(frame=frame, name="agreement", caption=caption, total_rows=1 if self.overall else 0,
                     data=self.to_json(), notes=[note])


# ---------------------------------------------------------------- statistics on pattern counts
def percent_agreement(patterns: Counter[Pattern]) -> float | None:
    """Share of units (coded by at least two coders) on which all present coders agree."""
    total = agreed = 0
    for pattern, count in patterns.items():
        present = [v for v in pattern if v is not None]
        if len(present) < 2:
            continue
        total += count
        if len(set(present)) == 1:
            agreed += count
    return agreed / total if total else None


def cohens_kappa(patterns: Counter[Pattern]) -> float | None:
    """Cohen's kappa for exactly two coders over units both coded."""
    table: Counter[tuple[int, int]] = Counter()
    for pattern, count in patterns.items():
        if len(pattern) != 2:
            raise ValueError("Cohen's kappa needs exactly two coders")
        if None not in pattern:
            table[pattern] += count  # type: ignore[index]
    n = sum(table.values())
    if not n:
        return None
    categories = {c for pair in table for c in pair}
    observed = sum(count for (a, b), count in table.items() if a == b) / n
    expected = sum((sum(v for (a, _), v in table.items() if a == c) / n) *
                   (sum(v for (_, b), v in table.items() if b == c) / n) for c in categories)
    if expected == 1:
        return None  # both coders used one category only: kappa is undefined
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(patterns: Counter[Pattern]) -> float | None:
    """Krippendorff's alpha for nominal data, any number of coders, missing values allowed."""
    coincidences: Counter[tuple[int, int]] = Counter()
    for pattern, count in patterns.items():
        values = [v for v in pattern if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidences[(a, b)] += count / (m - 1)
    n_c: Counter[int] = Counter()
    for (a, _b), weight in coincidences.items():
        n_c[a] += weight
    n = sum(n_c.values())
    if n <= 1:
        return None
    disagreement_observed = sum(w for (a, b), w in coincidences.items() if a != b)
    expected_pairs = sum(n_c[a] * n_c[b] for a in n_c for b in n_c if a != b)
    if expected_pairs == 0:
        return None  # a single value everywhere: no variation to agree on
    return 1 - (n - 1) * disagreement_observed / expected_pairs


def measure(name: str, patterns: Counter[Pattern]) -> CodeAgreement:
    units = sum(count for pattern, count in patterns.items() if sum(v is not None for v in pattern) >= 2)
    kappa = cohens_kappa(patterns) if patterns and len(next(iter(patterns))) == 2 else None
    return CodeAgreement(name, _round(percent_agreement(patterns)), _round(kappa),
                         _round(krippendorff_alpha(patterns)), units)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# ---------------------------------------------------------------- units from spans
Span = tuple[int, int]


def segment_patterns(segments: Sequence[Span], coded: Sequence[Sequence[Span] | None]) -> Counter[Pattern]:
    """Patterns over sentence segments; `coded[k]` is coder k's spans, None if k skipped the document."""
    patterns: Counter[Pattern] = Counter()
    for start, end in segments:
        patterns[tuple(None if spans is None else int(_overlaps(spans, start, end)) for spans in coded)] += 1
    return patterns


def character_patterns(length: int, coded: Sequence[Sequence[Span] | None]) -> Counter[Pattern]:
    """Patterns over every character of a document, computed from span boundaries."""
    cuts = {0, length}
    for spans in coded:
        for start, end in spans or ():
            cuts.update((max(0, min(start, length)), max(0, min(end, length))))
    ordered = sorted(cuts)
    merged = [None if spans is None else _merge(spans) for spans in coded]
    patterns: Counter[Pattern] = Counter()
    for left, right in zip(ordered, ordered[1:]):
        if right > left:
            patterns[tuple(None if spans is None else int(_overlaps(spans, left, right)) for spans in merged)] += right - left
    return patterns


def document_patterns(coded: Sequence[Sequence[Span] | None]) -> Counter[Pattern]:
    return Counter({tuple(None if spans is None else int(bool(spans)) for spans in coded): 1})


def _overlaps(spans: Iterable[Span], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _merge(spans: Sequence[Span]) -> list[Span]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


# ---------------------------------------------------------------- over a project
def agreement(store, coders: Sequence[str], *, code_ids: Sequence[int] | None = None,
              unit: str = "segment") -> AgreementReport:
    """Agreement between `coders` per code (in codebook order) and pooled over the codes."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}")
    from qualcode.errors import ConflictError

    known = set(store.coders())
    unknown = [c for c in coders if c not in known]
    if len(coders) < 2:
        raise ConflictError("Agreement needs at least two coders, e.g. --coders anna,ville.")
    if unknown:
        raise ConflictError(f"No codings by {', '.join(unknown)}; coders in this project: {', '.join(sorted(known))}.")
    codings = store.codings(coders=list(coders))
    if code_ids is None:
        used = {c.code_id for c in codings}
        code_ids = [c.id for c in store.codes() if c.id in used]
    by_doc_coder: dict[tuple[int, str], list] = {}
    for coding in codings:
        by_doc_coder.setdefault((coding.document_id, coding.coder), []).append(coding)
    documents = sorted({doc for doc, _ in by_doc_coder})
    report = AgreementReport(list(coders), unit)
    pooled: Counter[Pattern] = Counter()
    cache: dict[int, tuple[list[Span], int]] = {}
    for code_id in code_ids:
        patterns: Counter[Pattern] = Counter()
        for doc in documents:
            coded = []
            for coder in coders:
                mine = by_doc_coder.get((doc, coder))
                coded.append(None if mine is None else [(c.start, c.end) for c in mine if c.code_id == code_id])
            if unit == "document":
                patterns.update(document_patterns(coded))
                continue
            if doc not in cache:
                cache[doc] = ([(s.start, s.end) for s in store.segments(doc)], len(store.document_text(doc)))
            segments, length = cache[doc]
            patterns.update(segment_patterns(segments, coded) if unit == "segment" else character_patterns(length, coded))
        pooled.update(patterns)
        report.codes.append(measure(" > ".join(store.code_path(code_id)), patterns))
    report.overall = measure("overall", pooled)
    return report
