"""Import throughput, peak memory and project size for scaled synthetic corpora.

    .venv/bin/python benchmarks/bench_import.py [N ...] [--workers W] [--keep DIR]

For each N (default: 10 100; the target case is 1000) the corpus is generated with
`generate_corpus.py` (not timed), then imported into a new project in a fresh process, which
times `import_paths` (read + normalise + turns + sentences + store) and reports its peak
resident memory (`getrusage` maxrss) and that of its worker processes. Target on a 2-core
machine: 1,000 interviews (about 9M words) in under 120 s with under 1 GiB peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def run_one(corpus: Path, project: Path, workers: int | None) -> dict:
    """Import `corpus` into a new `project` in this process; returns the measurements."""
    from qualcode.io.importer import import_paths
    from qualcode.store import Store

    started = time.perf_counter()
    with Store.open(project, create=True, user="bench") as store:
        report = import_paths(store, [corpus], workers=workers)
        counts = store.counts()
    seconds = time.perf_counter() - started
    failed = [f.message for f in report.failed]
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    size = sum(p.stat().st_size for p in project.parent.glob(project.name + "*") if p.is_file())
    return {
        "files": len(report.imported), "failed": failed, "words": report.words, "seconds": seconds,
        "turns": counts["turns"], "segments": counts["segments"], "project_bytes": size,
        "cpu_seconds": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
        "maxrss_main_kb": own.ru_maxrss, "maxrss_workers_kb": children.ru_maxrss,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10, 100], help="corpus sizes (default: 10 100)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: automatic)")
    parser.add_argument("--keep", type=Path, help="generate corpora and projects here and keep them")
    parser.add_argument("--one", nargs=2, metavar=("CORPUS", "PROJECT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(Path(args.one[0]), Path(args.one[1]), args.workers)))
        return

    from generate_corpus import generate

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        for size in args.sizes:
            corpus = base / f"corpus-{size}"
            if not corpus.exists():
                generate(size, corpus)
            project = base / f"bench-{size}.qualcode"
            for leftover in base.glob(project.name + "*"):
                if leftover.is_file():
                    leftover.unlink()
            command = [sys.executable, __file__, "--one", str(corpus), str(project)]
            if args.workers is not None:
                command += ["--workers", str(args.workers)]
            result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
            if result["failed"]:
                print(f"N={size}: {len(result['failed'])} files failed, first: {result['failed'][0]}", file=sys.stderr)
            rows.append((size, result))
    header = ("N", "words", "turns", "sentences", "seconds", "CPU s", "words/s", "peak main MB", "peak worker MB",
              "project MB")
    lines = [header]
    for size, r in rows:
        lines.append((str(size), f"{r['words']:,}", f"{r['turns']:,}", f"{r['segments']:,}", f"{r['seconds']:.1f}",
                      f"{r['cpu_seconds']:.1f}", f"{r['words'] / r['seconds']:,.0f}", f"{r['maxrss_main_kb'] / 1024:.0f}",
                      f"{r['maxrss_workers_kb'] / 1024:.0f}", f"{r['project_bytes'] / 1024 / 1024:.1f}"))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for index, line in enumerate(lines):
        print("  ".join(cell.rjust(width) for cell, width in zip(line, widths)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


if __name__ == "__main__":
    main()
