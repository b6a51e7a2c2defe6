"""Run every benchmark at its target size and print their figures (`make bench`).

    .venv/bin/python benchmarks/run_all.py            # the targets named in the issues (tens of minutes)
    .venv/bin/python benchmarks/run_all.py --quick    # small sizes, a minute or two: do the scripts still run?

Each script runs in its own process, so one's memory does not count against another's; the
exit status is 1 if any script failed or missed a target it checks itself.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

FULL = [
    ("import", ["bench_import.py", "10", "100", "1000", "--workers", "2"]),
    ("tables", ["bench_tables.py"]),
    ("search and suggestions", ["bench_search.py"]),
    ("suggestion quality", ["suggest_quality.py"]),
    ("workbench", ["bench_tui.py"]),
    ("kill test", ["bench_kill.py"]),
]

QUICK = [
    ("import", ["bench_import.py", "10"]),
    ("tables", ["bench_tables.py", "--codings", "5000", "--respondents", "100"]),
    ("search and suggestions", ["bench_search.py", "--documents", "20"]),
    ("suggestion quality", ["suggest_quality.py"]),
    ("workbench", ["bench_tui.py", "--interviews", "20"]),
    ("kill test", ["bench_kill.py", "--kills", "20", "--import-kills", "5"]),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="Small sizes: check that every script runs.")
    args = parser.parse_args()
    failed = []
    for name, command in QUICK if args.quick else FULL:
        print(f"\n=== {name}: {' '.join(command)}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]])
        print(f"=== {name}: exit {result.returncode} after {time.perf_counter() - started:.0f} s", flush=True)
        if result.returncode:
            failed.append(name)
    if failed:
        print(f"\nFailed or below target: {', '.join(failed)}")
        return 1
    print("\nEvery benchmark ran and met the targets it checks.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
