"""Running the per-file part of an import in worker processes, results kept in order.

Workers are started with `spawn`, so they never inherit the project's SQLite connection or its
file lock; the price is that a script calling this needs the `if __name__ == "__main__":`
guard, and that each worker takes a few seconds to start (it imports spaCy).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from qualcode.errors import InputError

Item = TypeVar("Item")
Result = TypeVar("Result")

AUTO_WORKERS_MIN_BYTES = 8 * 1024 * 1024
"""Below this much text, starting worker processes costs more than it saves."""
TABLE_SUFFIXES = (".csv", ".xlsx")


def auto_workers(paths: Sequence[Path]) -> int:
    """Worker processes worth starting for these files: none for a typical study, up to four
    (leaving a core for the process that writes the project) for hundreds of interviews."""
    cores = os.cpu_count() or 1
    documents = [p for p in paths if p.suffix.lower() not in TABLE_SUFFIXES]
    if cores < 2 or len(documents) < 4:
        return 1
    size = sum(p.stat().st_size for p in documents if p.is_file())
    return min(4, max(2, cores - 1)) if size >= AUTO_WORKERS_MIN_BYTES else 1


def ordered_map(function: Callable[[Item], Result], items: Sequence[Item], workers: int) -> Iterator[Result]:
    """`function(item)` for each item, in order; in `workers` processes when more than one.

    `function` must be a module-level function and return, not raise, the errors it expects.
    At most three items per worker are in flight, so memory stays flat however many there are.
    """
    if workers <= 1 or len(items) < 2:
        for item in items:
            yield function(item)
        return
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        window = workers * 3
        futures: list[Future | None] = [pool.submit(function, item) for item in items[:window]]
        position = 0
        try:
            while position < len(futures):
                result = futures[position].result()  # type: ignore[union-attr]
                futures[position] = None  # let the result go once it is handed on
                if len(futures) < len(items):
                    futures.append(pool.submit(function, items[len(futures)]))
                position += 1
                yield result
        except BrokenProcessPool:
            raise InputError("A worker process reading the files stopped unexpectedly (out of memory?). "
                             "Import fewer files at once, or use a single process (--workers 1).") from None
        finally:
            for future in futures[position:]:
                if future is not None:
                    future.cancel()
