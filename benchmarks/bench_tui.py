"""Workbench responsiveness: time to ready, keystroke to coloured span, memory on a big project.

    .venv/bin/python benchmarks/bench_tui.py [--interviews N] [--keep DIR]

1. A 60,000-word transcript (the Finnish demo interviews repeated) with 2,000 codings, made
   with direct store calls. Time from creating the app to the first frame with the document
   shown and input live (target < 0.5 s), and the time to switch to that document.
2. Keystroke to coloured span: press a quick key on an uncoded sentence and time until the
   transcript renders a line carrying that code's tint (target < 50 ms); 20 keystrokes.
3. Memory: a project of N interviews (default 1,000: one transcript copied N times, 20 codings
   each) opened in a fresh process; resident memory once the document is shown and the
   project-wide counts are in (target < 300 MB).

Figures go to stdout; the generated projects are deleted unless --keep is given.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QUALCODE_BACKUPS", "off")  # automatic backups are not what is measured here
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from qualcode.store import SegmentSpan, Store, TurnSpan  # noqa: E402

TRANSCRIPTS = REPO / "corpora" / "transcripts"
INTERVIEWER = {"h", "haastattelija", "i", "interviewer"}
_TURN = re.compile(r"(?:\[\d\d:\d\d:\d\d\]\s*)?([^:\n\[\]]{1,30}):[ \t]*(?:[\[(]\d\d:\d\d(?::\d\d)?[\])][ \t]*)?")
_SENTENCE = re.compile(r"[^.!?…\s][^.!?…]*(?:[.!?…]+[”\"')]*|$)")
CODES = ("Ympäristö", "Odotukset", "Tunteet", "Kokemukset", "Sitoutuminen", "Toiminta", "Tarve", "Hinta", "Laatu")


def spans(text: str) -> tuple[list[TurnSpan], list[SegmentSpan]]:
    """Turns (paragraphs with a speaker label) and sentences, by regex (no NLP: not timed here)."""
    turns: list[TurnSpan] = []
    segments: list[SegmentSpan] = []
    for paragraph in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        match = _TURN.match(text, paragraph.start(), paragraph.end())
        if match is None:
            continue
        label = match.group(1).strip()
        turns.append(TurnSpan(label, "interviewer" if label.casefold() in INTERVIEWER else "respondent",
                              match.end(), paragraph.end(), paragraph.start()))
        for sentence in _SENTENCE.finditer(text, match.end(), paragraph.end()):
            end = sentence.end()
            while end > sentence.start() and text[end - 1].isspace():
                end -= 1
            if end > sentence.start():
                segments.append(SegmentSpan(sentence.start(), end, len(turns) - 1))
    return turns, segments


def long_transcript(words: int) -> str:
    parts = [(TRANSCRIPTS / f"H{n}.txt").read_text(encoding="utf-8").strip() for n in range(1, 9)]
    chunks, count, i = [], 0, 0
    while count < words:
        chunks.append(parts[i % len(parts)])
        count += len(parts[i % len(parts)].split())
        i += 1
    return "\n\n".join(chunks) + "\n"


def add_codebook(store: Store) -> list[int]:
    book = store.add_codebook("Teemat")
    return [store.add_code(name, codebook_id=book, key=str(i)) for i, name in enumerate(CODES, start=1)]


def random_codings(store: Store, doc_id: int, codes: list[int], count: int, rng: random.Random) -> list[tuple]:
    segments = store.segments(doc_id)
    items = set()
    while len(items) < count:
        first = rng.randrange(len(segments) - 3)
        last = first + rng.choice((0, 0, 1, 2))
        items.add((doc_id, rng.choice(codes), segments[first].start, segments[last].end))
    return sorted(items)


def build_long(path: Path) -> dict:
    rng = random.Random(7)
    text = long_transcript(60_000)
    turns, segments = spans(text)
    with Store.open(path, create=True, user="bench") as store:
        codes = add_codebook(store)
        doc = store.add_document(title="H1 long", text=text, format="txt", language="fi", respondent="H1",
                                 turns=turns, segments=segments)
        store.add_codings_bulk(random_codings(store, doc, codes, 2000, rng), description="benchmark codings")
        return {"words": len(text.split()), "characters": len(text), "turns": len(turns),
                "sentences": len(segments), "codings": len(store.codings())}


def build_many(path: Path, interviews: int) -> dict:
    """N interviews: H1..H8 copied round-robin, 20 codings each, in one transaction."""
    rng = random.Random(11)
    sources = [(TRANSCRIPTS / f"H{n}.txt").read_text(encoding="utf-8") for n in range(1, 9)]
    prepared = [(text, *spans(text)) for text in sources]
    with Store.open(path, create=True, user="bench") as store:
        codes = add_codebook(store)
        items: list[tuple] = []
        with store.action(f"benchmark: {interviews} interviews"):
            for n in range(1, interviews + 1):
                text, turns, segments = prepared[n % len(prepared)]
                doc = store.add_document(title=f"Haastattelu {n}", text=text, format="txt", language="fi",
                                         respondent=f"H{n}", turns=turns, segments=segments)
                items.extend(random_codings(store, doc, codes, 20, rng))
        store.add_codings_bulk(items, description="benchmark codings")
        return {"interviews": interviews, **store.counts()}


def first_frame_with_document(app) -> dict:
    """Record when the app first writes a frame to the terminal with the document shown."""
    shown: dict = {}
    display = app._display

    def _display(screen, renderable):
        display(screen, renderable)
        if "at" not in shown and renderable is not None and getattr(screen, "ready", False):
            shown["at"] = time.perf_counter()

    app._display = _display
    return shown


async def measure_long(path: Path) -> dict:
    from qualcode.tui.app import make_app
    from qualcode.tui.widgets.transcript import TranscriptView

    store = Store.open(path, user="bench")
    try:
        started = time.perf_counter()
        app = make_app(store)
        shown = first_frame_with_document(app)
        async with app.run_test(size=(160, 50)) as pilot:
            while "at" not in shown:
                await asyncio.sleep(0.001)
            ready = shown["at"] - started
            bench = app.screen
            await app.workers.wait_for_complete()
            await pilot.pause()

            # keystroke to coloured span: watch the transcript's rendered lines for the tint
            transcript = bench.query_one(TranscriptView)
            original = TranscriptView.render_line
            watch: dict = {}

            def render_line(self, y):
                strip = original(self, y)
                if "rows" in watch and "seen" not in watch and len(self.model.codings) > watch["before"]:
                    try:
                        row = self.wrapped_document._offset_to_line_info[y + self.scroll_offset.y][0]
                    except IndexError:
                        row = -1
                    if row in watch["rows"]:  # a line of the new coding, drawn with its colour
                        watch["seen"] = time.perf_counter()
                return strip

            TranscriptView.render_line = render_line
            latencies: list[float] = []
            try:
                for _ in range(20):
                    await pilot.press("n", "space")
                    watch.clear()
                    watch.update(before=len(transcript.model.codings),
                                 rows=set(transcript.model.rows_of(*transcript.selection_offsets)))
                    pressed = time.perf_counter()
                    await pilot.press("3")
                    while "seen" not in watch and time.perf_counter() - pressed < 2:
                        await asyncio.sleep(0.001)
                    latencies.append((watch.get("seen", float("inf")) - pressed) * 1000)
                    if os.environ.get("BENCH_DEBUG"):
                        print(latencies[-1], bench.transcript.selection_offsets, len(transcript.model.codings))
            finally:
                TranscriptView.render_line = original

            # switching documents: from none to the long one again
            bench.model = None
            switched = time.perf_counter()
            bench.open_document(store.documents()[0].id)
            while bench.model is None:
                await asyncio.sleep(0.002)
            await pilot.pause()
            switch = time.perf_counter() - switched
        return {"ready_s": ready, "switch_s": switch, "keystroke_ms_median": statistics.median(latencies),
                "keystroke_ms_max": max(latencies)}
    finally:
        store.close()


MEMORY_PROBE = """
import asyncio, json, resource, sys, time
sys.path.insert(0, {repo!r})
def rss():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024
before = rss()
from qualcode.store import Store
from qualcode.tui.app import make_app
imported = rss()
async def main():
    store = Store.open({path!r}, user="bench")
    started = time.perf_counter()
    app = make_app(store)
    shown = {{}}
    display = app._display
    def _display(screen, renderable):
        display(screen, renderable)
        if "at" not in shown and renderable is not None and getattr(screen, "ready", False):
            shown["at"] = time.perf_counter()
    app._display = _display
    async with app.run_test(size=(160, 50)) as pilot:
        while "at" not in shown:
            await asyncio.sleep(0.001)
        ready = shown["at"] - started
        await app.workers.wait_for_complete()
        await pilot.pause()
        stats = time.perf_counter() - started
        await pilot.press("g", *{label!r}, "enter")  # go to a respondent far down the list
        await app.workers.wait_for_complete()
        await pilot.pause()
        bench = app.screen_stack[-1]
        print(json.dumps({{"rss_start_mb": before, "rss_imported_mb": imported, "rss_open_mb": rss(),
                          "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                          "ready_s": ready, "statistics_s": stats, "documents": len(bench.documents),
                          "shown": bench.model.document.respondent}}))
    store.close()
asyncio.run(main())
"""


def measure_memory(path: Path, interviews: int) -> dict:
    script = MEMORY_PROBE.format(repo=str(REPO), path=str(path), label=f"H{max(1, interviews * 3 // 4)}")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    if result.returncode:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_import() -> float:
    code = "import time; t = time.perf_counter(); import qualcode.tui.app; print(time.perf_counter() - t)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    return float(result.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="keep the generated projects in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="qualcode-bench-tui-"))
    folder.mkdir(parents=True, exist_ok=True)
    long_path, many_path = folder / "long.qualcode", folder / "many.qualcode"
    for path in (long_path, many_path):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    started = time.perf_counter()
    made = build_long(long_path)
    print(f"long transcript: {made['words']:,} words, {made['characters']:,} characters, {made['turns']} turns, "
          f"{made['sentences']} sentences, {made['codings']} codings (built in {time.perf_counter() - started:.1f} s)")
    print(f"import qualcode.tui.app (fresh process): {measure_import():.2f} s")
    figures = asyncio.run(measure_long(long_path))
    print("time to ready (app created -> first frame with the document, input live): "
          f"{figures['ready_s'] * 1000:.0f} ms (target < 500 ms)")
    print(f"switch to the long document: {figures['switch_s'] * 1000:.0f} ms")
    print(f"keystroke -> coloured span: median {figures['keystroke_ms_median']:.1f} ms, "
          f"max {figures['keystroke_ms_max']:.1f} ms over 20 keystrokes (target < 50 ms)")

    started = time.perf_counter()
    made = build_many(many_path, args.interviews)
    print(f"big project: {made['interviews']} interviews, {made['segments']:,} sentences, {made['codings']:,} codings "
          f"(built in {time.perf_counter() - started:.1f} s)")
    memory = measure_memory(many_path, args.interviews)
    print(f"memory with it open: {memory['rss_open_mb']:.0f} MB resident, peak {memory['peak_mb']:.0f} MB "
          f"(python {memory['rss_start_mb']:.0f} MB, after imports {memory['rss_imported_mb']:.0f} MB; "
          "target < 300 MB)")
    print(f"big project: ready in {memory['ready_s'] * 1000:.0f} ms, project-wide counts and progress in "
          f"{memory['statistics_s']:.2f} s (thread worker); went to {memory['shown']} by typing its label")
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
