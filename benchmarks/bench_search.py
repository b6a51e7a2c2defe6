"""Search and suggestion speed on a scaled corpus (default 1,000 interviews, about 9M words).

The corpus is generated from the demo study's Finnish transcripts: each synthetic interview is
a sequence of real interviewer/respondent turn pairs drawn at random (seeded) until it reaches
the target length, stored with its turns and sentence segments straight through the Store API,
so only search is measured (benchmarks/generate_corpus.py writes transcript files for the
importer instead, from a much smaller vocabulary). Prints the time to build the index,
per-query times (median and worst of several runs) for the first 1,000 hits (what the search
screen shows) and for all hits, and the time to compute dictionary and structural suggestions
for one interview.

    .venv/bin/python benchmarks/bench_search.py                     # 1,000 interviews in a temp dir
    .venv/bin/python benchmarks/bench_search.py --documents 100 --keep big.qualcode
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode.coding.search import SearchFilters, search  # noqa: E402
from qualcode.coding.suggest import (  # noqa: E402
    DictionarySuggester,
    StructuralSuggester,
    framework_code_ids,
    load_guide,
    resolve_code_refs,
)
from qualcode.frameworks.project import use_framework  # noqa: E402
from qualcode.store import SegmentSpan, Store, TurnSpan  # noqa: E402

CORPORA = Path(__file__).resolve().parents[1] / "corpora"
_LABEL = re.compile(r"^(?:\[\d\d:\d\d:\d\d\]\s*)?([^:\n]{1,20}):\s*(?:[\[(]\d\d:\d\d(?::\d\d)?[\])]\s*)?")
_SENTENCE = re.compile(r"[^.!?…\s][^.!?…]*(?:[.!?…]+[”\"')]*|$)")
INTERVIEWERS = {"h", "haastattelija", "i", "interviewer"}

QUERIES: list[tuple[str, str, str, SearchFilters]] = [
    ("lemma, common word", "asiakas", "lemma", SearchFilters()),
    ("lemma, rare word", "puutarhamyymälä", "lemma", SearchFilters()),
    ("exact word", "toimitukset", "exact", SearchFilters()),
    ("phrase", "hyvissä ajoin", "lemma", SearchFilters()),
    ("prefix", "toimitusaj*", "exact", SearchFilters()),
    ("two alternatives", "reklamaatio OR palaute", "lemma", SearchFilters()),
    ("respondents' turns only", "verkkokauppa", "lemma", SearchFilters(respondent_turns_only=True)),
    ("one respondent", "asiakas", "lemma", SearchFilters(respondents=("B0500",))),
    ("regex, word start", r"\bminimitilau\w*", "regex", SearchFilters()),
    ("regex, inside words", r"myöhä\w*", "regex", SearchFilters()),
]


def turn_pairs() -> list[list[tuple[str, str]]]:
    """(label, speech) pairs of the demo's Finnish transcripts, as question-answer pairs."""
    pairs = []
    for path in sorted((CORPORA / "transcripts").glob("H*.txt")):
        turns = []
        for paragraph in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            match = _LABEL.match(paragraph.strip())
            if match:
                turns.append((match.group(1).strip(), paragraph.strip()[match.end():]))
        for i in range(0, len(turns) - 1):
            if turns[i][0].casefold() in INTERVIEWERS and turns[i + 1][0].casefold() not in INTERVIEWERS:
                pairs.append([("H", turns[i][1]), ("V", turns[i + 1][1])])
    return pairs


def make_interview(pairs, rng: random.Random, words: int) -> tuple[str, list[TurnSpan], list[SegmentSpan]]:
    parts: list[str] = []
    turns: list[TurnSpan] = []
    segments: list[SegmentSpan] = []
    position = count = 0
    while count < words:
        for label, speech in rng.choice(pairs):
            paragraph = f"{label}: {speech}\n\n"
            start, end = position + len(label) + 2, position + len(label) + 2 + len(speech)
            turns.append(TurnSpan(label, "interviewer" if label == "H" else "respondent", start, end, position))
            for sentence in _SENTENCE.finditer(speech):
                segments.append(SegmentSpan(start + sentence.start(), start + sentence.end(), len(turns) - 1))
            parts.append(paragraph)
            position += len(paragraph)
            count += len(speech.split())
    return "".join(parts), turns, segments


def build_corpus(path: Path, documents: int, words: int, seed: int = 4) -> None:
    rng = random.Random(seed)
    pairs = turn_pairs()
    with Store.open(path, create=True, user="bench") as store:
        for number in range(1, documents + 1):
            text, turns, segments = make_interview(pairs, rng, words)
            store.add_document(title=f"B{number:04d}", text=text, format="txt", language="fi",
                               respondent=f"B{number:04d}", turns=turns, segments=segments)
        for name in ("five-es", "operating-process"):
            use_framework(store, name, language="fi")


def timed(function, runs: int = 5) -> tuple[float, float, int]:
    """Median and worst time in ms, and the size of the result; earlier results are freed and
    collected first, so one query's 50,000 hits do not slow the next one's timing."""
    times, size = [], 0
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
        size = len(result)
        del result
    return statistics.median(times), max(times), size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--words", type=int, default=9000, help="words per interview")
    parser.add_argument("--keep", type=Path, default=None, help="build (or reuse) the project at this path")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.qualcode"
        if not path.exists():
            started = time.perf_counter()
            build_corpus(path, args.documents, args.words)
            print(f"generated {args.documents} interviews in {time.perf_counter() - started:.1f} s")
        with Store.open(path, user="bench") as store:
            started = time.perf_counter()
            indexed = store.ensure_index()
            stats = store.index_stats()
            print(f"indexed {indexed} documents in {time.perf_counter() - started:.1f} s: "
                  f"{stats['documents']} documents, {stats['chunks']} turns, {stats['words']:,} words; "
                  f"file {path.stat().st_size / 1e6:.0f} MB")
            search(store, "lämmittely")  # warm the page cache and the lemmatiser
            print(f"\n{'query':<26} {'first 1,000 hits':>22} {'all hits':>26}")
            print(f"{'':<26} {'median':>9} {'worst':>7} {'hits':>5} {'median':>9} {'worst':>7} {'hits':>8}")
            for label, query, mode, filters in QUERIES:
                page = timed(lambda: search(store, query, mode=mode, filters=filters, limit=1000), args.runs)
                full = timed(lambda: search(store, query, mode=mode, filters=filters), max(1, args.runs // 2))
                print(f"{label:<26} {page[0]:>7.1f}ms {page[1]:>5.0f}ms {page[2]:>5} "
                      f"{full[0]:>7.1f}ms {full[1]:>5.0f}ms {full[2]:>8,}")
            doc = store.documents()[0]
            dictionary = DictionarySuggester("five-es")
            code_ids = {p: i for p, i in framework_code_ids(store, "five-es").items() if p in dictionary.targets}
            cold = timed(lambda: dictionary.suggest(store, doc.id, code_ids), 1)
            warm = timed(lambda: dictionary.suggest(store, doc.id, code_ids), args.runs)
            structural = StructuralSuggester(load_guide(CORPORA / "guide.yaml"))
            guide_codes, _ = resolve_code_refs(store, structural.code_refs())
            structure = timed(lambda: structural.suggest(store, doc.id, guide_codes), args.runs)
            words = len(store.document_text(doc.id).split())
            print(f"\nsuggestions for one interview ({words:,} words): dictionary {warm[0]:.0f} ms "
                  f"(first call {cold[0]:.0f} ms, builds the matcher), structural {structure[0]:.0f} ms; "
                  f"{warm[2]} + {structure[2]} suggestions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
