"""Quality of the dictionary suggester against the demo study's reference coding.

Builds the demo project (or opens the one given), runs the dictionary suggester for a
framework and compares it with the reference coding at the segment level: a sentence segment
is *positive* for a code when a reference coding of that code overlaps it, and *suggested*
when the suggester proposes that code for it. Prints precision, recall and F1 per code and
micro-averaged, for Finnish and English documents separately; exits 1 when the Finnish
micro-averages fall below the targets (Five Es: precision 0.6, recall 0.5). A last line per
language says how far cue words can go at all: how many coded sentences hold no indicator of
their code, and how many sentences holding one the reference leaves uncoded.

    .venv/bin/python benchmarks/suggest_quality.py                 # builds the demo in a temp dir
    .venv/bin/python benchmarks/suggest_quality.py demo.qualcode --framework operating-process
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode.coding.search import word_spans  # noqa: E402
from qualcode.coding.suggest import DictionarySettings, DictionarySuggester, framework_code_ids  # noqa: E402
from qualcode.store import Store  # noqa: E402

TARGETS = {"five-es": (0.6, 0.5)}
"""Framework -> (precision, recall) the Finnish micro-averages must reach."""

REFERENCE_ORIGIN = "reference"


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    language: str
    documents: list[str] = field(default_factory=list)
    per_code: dict[str, Counts] = field(default_factory=dict)
    reference_codings: int = 0
    cued: Counts = field(default_factory=Counts)
    """Sentences holding an indicator of a code themselves, against the reference: the ceiling
    of cue words alone (tp: coded and cued, fp: cued only, fn: coded with no cue of its code)."""

    @property
    def micro(self) -> Counts:
        total = Counts()
        for counts in self.per_code.values():
            total.tp += counts.tp
            total.fp += counts.fp
            total.fn += counts.fn
        return total


def evaluate(store: Store, framework: str, *, settings: DictionarySettings | None = None) -> dict[str, Evaluation]:
    """Segment-level precision and recall of the dictionary suggester, by document language."""
    suggester = DictionarySuggester(framework, settings)
    code_ids = {path: code_id for path, code_id in framework_code_ids(store, framework).items()
                if path in suggester.targets}
    paths = {code_id: path for path, code_id in code_ids.items()}
    results: dict[str, Evaluation] = {}
    for doc in store.documents():
        result = results.setdefault(doc.language, Evaluation(doc.language,
                                                             per_code={p: Counts() for p in code_ids}))
        result.documents.append(doc.title)
        segments = store.segments(doc.id)
        reference = [c for c in store.codings(document_id=doc.id, code_ids=list(paths))
                     if c.origin == REFERENCE_ORIGIN]
        result.reference_codings += len(reference)
        positive = {(s.start, paths[c.code_id]) for s in segments for c in reference
                    if c.start < s.end and c.end > s.start}
        suggested = {(s.start, paths[s.code_id]) for s in suggester.suggest(store, doc.id, code_ids)}
        cued = _cued(store, doc.id, suggester, segments, set(code_ids))
        result.cued.tp += len(cued & positive)
        result.cued.fp += len(cued - positive)
        result.cued.fn += len(positive - cued)
        for start, path in suggested | positive:
            counts = result.per_code[path]
            if (start, path) in suggested and (start, path) in positive:
                counts.tp += 1
            elif (start, path) in suggested:
                counts.fp += 1
            else:
                counts.fn += 1
    return results


def _cued(store: Store, doc_id: int, suggester: DictionarySuggester, segments: list,
          paths: set[str]) -> set[tuple[int, str]]:
    """(segment start, code) for every respondent sentence holding an indicator of the code."""
    text, language = store.document_text(doc_id), store.document(doc_id).language
    roles = {t.id: t.role for t in store.turns(doc_id)}
    words, groups = [], []
    for index, segment in enumerate(segments):
        for s, e in word_spans(text, segment.start, segment.end):
            words.append(text[s:e].lower())
            groups.append(index)
    found = suggester.evidence(words, groups, language)
    return {(segments[index].start, path) for index, evidence in enumerate(found) for path in evidence
            if path in paths and roles.get(segments[index].turn_id) != "interviewer"}


def format_table(framework: str, results: dict[str, Evaluation]) -> str:
    lines = []
    for language in sorted(results, key=lambda lang: (lang != "fi", lang)):
        result = results[language]
        lines.append(f"{framework} · {language} · {len(result.documents)} documents "
                     f"({', '.join(result.documents)}) · {result.reference_codings} reference codings")
        if not result.reference_codings:
            lines.append("  no reference coding for these documents: precision and recall cannot be measured")
            lines.append("")
            continue
        lines.append(f"  {'code':<38} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7} {'F1':>6}")
        rows = list(result.per_code.items()) + [("micro-average", result.micro)]
        for path, c in rows:
            lines.append(f"  {path:<38} {c.tp:>4} {c.fp:>4} {c.fn:>4} {c.precision:>9.3f} {c.recall:>7.3f} {c.f1:>6.3f}")
        c = result.cued
        lines.append(f"  cue words alone: {c.fn} of {c.tp + c.fn} coded sentences hold no indicator "
                     f"of their code; {c.fp} of {c.tp + c.fp} sentences holding one are not coded with it "
                     f"(P {c.precision:.3f}, R {c.recall:.3f})")
        lines.append("")
    return "\n".join(lines)


def check_targets(framework: str, results: dict[str, Evaluation]) -> list[str]:
    """Messages for each target missed (empty when all are met or none is set)."""
    if framework not in TARGETS:
        return []
    precision, recall = TARGETS[framework]
    finnish = results.get("fi")
    if finnish is None or not finnish.reference_codings:
        return [f"no Finnish reference coding to check {framework} against"]
    micro = finnish.micro
    problems = []
    if micro.precision < precision:
        problems.append(f"Finnish {framework} precision {micro.precision:.3f} < {precision}")
    if micro.recall < recall:
        problems.append(f"Finnish {framework} recall {micro.recall:.3f} < {recall}")
    return problems


def run(project: Path | None, framework: str) -> tuple[str, list[str]]:
    """Evaluate on `project` (default: a freshly built demo) and return (table, missed targets)."""
    if project is None:
        from qualcode.demo import build_demo

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "demo.qualcode"
            build_demo(path)
            return run(path, framework)
    with Store.open(project, read_only=True) as store:
        results = evaluate(store, framework)
    return format_table(framework, results), check_targets(framework, results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path, help="a project with reference codings "
                        "(default: build the demo in a temporary folder)")
    parser.add_argument("--framework", default="five-es")
    args = parser.parse_args(argv)
    table, problems = run(args.project, args.framework)
    print(table)
    for problem in problems:
        print(f"BELOW TARGET: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
