"""Kill benchmark: SIGKILL many coding sessions and imports, then check every acknowledged action.

Runs the harness of tests/unit/test_crash_safety.py with more kills than the test suite and
prints the figures: kills, acknowledged actions checked, unacknowledged actions found
committed, failures, time. Exits 1 if any round failed.

    .venv/bin/python benchmarks/bench_kill.py                 # 1,000 coding kills, 200 import kills
    .venv/bin/python benchmarks/bench_kill.py --kills 5000 --import-kills 500 --workers 4 --seed 7
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.unit.test_crash_safety import import_kills, run_coding_kills  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000, help="coding-session kills (default 1000)")
    parser.add_argument("--import-kills", type=int, default=200, help="import kills (default 200)")
    parser.add_argument("--workers", type=int, default=2, help="projects killed in parallel (default 2)")
    parser.add_argument("--seed", type=int, default=20260512)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qualcode-kill-") as folder:
        coding = run_coding_kills(Path(folder) / "coding", args.kills, args.seed, workers=args.workers)
        print(coding.line("coding"), flush=True)
        started = time.perf_counter()
        imports, mode = import_kills(Path(folder) / "import", args.import_kills, args.seed)
        imports.seconds = time.perf_counter() - started
        print(imports.line(f"import ({mode})"), flush=True)
    failures = coding.failures + imports.failures
    for failure in failures[:20]:
        print(f"FAILED {failure}")
    print(f"total: {coding.kills + imports.kills} kills, {coding.acknowledged + imports.acknowledged} acknowledged "
          f"actions checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
