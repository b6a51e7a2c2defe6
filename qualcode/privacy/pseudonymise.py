"""A pseudonymised copy of a project: every listed name replaced, every span still right.

The copy is taken with SQLite's backup API (the source may stay open in the TUI), rewritten
in one transaction by `Store.rewrite_all_text`, checked, vacuumed and only then moved to
its place, so a failure never leaves a half-pseudonymised file behind. What the copy
drops: the imported original files (Word files cannot be rewritten safely), the history
(the audit log keeps old text, so undo starts afresh) and the search index (rebuilt from the
new text on the first search).

Checks before the copy is accepted, each of which would stop it:
* every coding, turn, segment, suggestion... of a document sits at the offsets the edits
  give, and covers exactly the replaced form of what it covered before (a span that began
  or ended inside a name now covers the whole pseudonym);
* the leak check finds no listed name anywhere in the copy.

To pseudonymise on import instead, an importer replaces names in the text before it finds
turns and segments: `NameMatcher(read_names(path)).replace_text(text)`.
"""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import ConflictError, ProjectError, ProjectLockedError
from qualcode.privacy.leaks import NAMES_SETTING, Leak, find_leaks, matcher_for
from qualcode.privacy.matching import NameMatcher, Rewrite
from qualcode.store import Store
from qualcode.store.backup import backup, is_locked


@dataclass
class PseudonymiseReport:
    """What a pseudonymisation did."""

    target: Path
    replacements: Counter = field(default_factory=Counter)  # real name -> replacements in documents
    counts: dict[str, int] = field(default_factory=dict)  # from Store.rewrite_all_text
    spans_checked: int = 0
    names_file: Path | None = None  # remembered by the copy for its export guard

    def lines(self) -> list[str]:
        names = ", ".join(f"{name} {count}" for name, count in self.replacements.most_common()) or "none"
        lines = [f"wrote     {self.target}",
                 f"replaced  {sum(self.replacements.values())} names in documents ({names})",
                 f"changed   {self.counts.get('documents', 0)} documents, {self.counts.get('texts', 0)} other texts, "
                 f"moved {self.counts.get('spans', 0)} spans, checked {self.spans_checked}"]
        for key, label in (("originals dropped", "imported original files dropped"),
                           ("history entries dropped", "history entries dropped (undo starts afresh)"),
                           ("duplicate codings merged", "codings merged (they became identical)"),
                           ("names made unique", "names numbered to stay unique")):
            if self.counts.get(key):
                lines.append(f"note      {self.counts[key]} {label}")
        return lines


def pseudonymise_project(source: Store | str | os.PathLike[str], target: str | os.PathLike[str], names, *,
                         force: bool = False, progress: Callable[[str], None] | None = None) -> PseudonymiseReport:
    """Write a pseudonymised copy of `source` (an open Store or a project file) to `target`.

    `names` is a names CSV path, a list of Pseudonym, pairs, a dict or a NameMatcher. With a
    CSV path the copy remembers it (setting `names_file`) so its exports are guarded.
    """
    step = progress or (lambda message: None)
    matcher = matcher_for(names)
    if not matcher:
        raise ConflictError("The names list is empty; nothing to pseudonymise.")
    target = Path(target)
    source_path = getattr(source, "path", None) if isinstance(source, Store) else Path(source)
    if source_path is not None and Path(source_path).resolve() == target.resolve():
        raise ConflictError("The pseudonymised copy must be a new file; give another -o path.")
    if target.exists() and not force:
        raise ConflictError(f"{target} already exists; give another path, or --force to replace it.")
    if target.exists() and is_locked(target):
        raise ProjectLockedError(f"{target} is open in another qualcode process; close it first.")
    if not target.parent.is_dir():
        raise ProjectError(f"The folder {target.parent} does not exist; create it first.")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    report = PseudonymiseReport(target)
    try:
        step("copying the project")
        backup(source, partial)
        with Store.open(partial, backups_on_open=False) as store:
            step("replacing names")
            before = _snapshot(store)
            rewrites: dict[str, Rewrite] = {}

            def rewrite_document(text: str):
                rewrite = matcher.replace(text)
                rewrites[text] = rewrite
                report.replacements.update(edit.match.name.real for edit in rewrite.edits)
                return rewrite.text, rewrite.offsets

            report.counts = store.rewrite_all_text(rewrite_document, matcher.replace_text)
            step("checking every span")
            report.spans_checked = _verify_spans(store, before, rewrites, matcher,
                                                 report.counts.get("duplicate codings merged", 0))
            with store.action("pseudonymised copy"):
                report.names_file = _remember(store, names, matcher)
                store.note("project", {"pseudonymised": True, "names": len(matcher.names),
                                       "replacements": sum(report.replacements.values())})
            step("checking for leaks")
            remaining = find_leaks(store, matcher)
            if remaining:
                raise ProjectError(_leftover_message(remaining))
            step("compacting")
            store.vacuum()
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(partial, target)
    finally:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
    return report


def _remember(store: Store, names, matcher: NameMatcher) -> Path | None:
    """Keep the names CSV's path in the copy, unless the path itself would leak a name."""
    if not isinstance(names, (str, os.PathLike)):
        store.set_setting(NAMES_SETTING, "")
        return None
    path = Path(names).resolve()
    if matcher.find(str(path)):
        store.set_setting(NAMES_SETTING, "")
        return None
    store.set_setting(NAMES_SETTING, str(path))
    return path


@dataclass
class _Snapshot:
    texts: dict[int, str]
    spans: dict[tuple[str, int, str], tuple[int, int, int]]  # (table, rowid, pair) -> (document, start, end)


def _snapshot(store: Store) -> _Snapshot:
    texts = {doc.id: store.document_text(doc.id) for doc in store.documents()}
    return _Snapshot(texts, dict(_spans(store)))


def _spans(store: Store):
    """((table, rowid, pair), (document, start, end)) of every span pointing into a document:
    `start`/`end`, and pairs such as `suggested_start`/`suggested_end`."""
    for table, columns in store._text_tables():
        if table == "documents" or not {"document_id", "start", "end"} <= set(columns):
            continue
        pairs = [("start", "end")] + [(c, c[:-len("start")] + "end") for c in columns
                                      if c.endswith("_start") and c[:-len("start")] + "end" in columns]
        for first, last in pairs:
            for rowid, doc_id, start, end in store.db.execute(
                    f'SELECT rowid, document_id, "{first}", "{last}" FROM [{table}] WHERE "{first}" IS NOT NULL').fetchall():
                yield (table, rowid, first), (doc_id, start, end)


def _verify_spans(store: Store, before: _Snapshot, rewrites: dict[str, Rewrite], matcher: NameMatcher,
                  merged: int) -> int:
    """Check every span of the copy against the edits; raise on the first that is wrong."""
    after = dict(_spans(store))
    lost = {key[:2] for key in before.spans if key not in after}
    if len(lost) != merged or any(table not in ("codings", "suggestions") for table, _rowid in lost):
        raise ProjectError(f"Pseudonymisation lost {len(lost) - merged} rows with spans; the copy was not written. "
                           "This is a bug: please report it.")
    texts = {doc.id: store.document_text(doc.id) for doc in store.documents()}
    checked = 0
    for key, (doc_id, start, end) in after.items():
        _doc, old_start, old_end = before.spans[key]
        old_text = before.texts[doc_id]
        rewrite = rewrites.get(old_text)
        if rewrite is None:  # a document without names keeps its text and its spans
            expected_span, expected_text = (old_start, old_end), old_text[old_start:old_end]
        else:
            expected_span = (rewrite.offsets.start(old_start), rewrite.offsets.end(old_end))
            expected_text = _replaced_between(old_text, rewrite, old_start, old_end)
        new_text = texts[doc_id][start:end]
        if (start, end) != expected_span or new_text != expected_text or (
                key[0] == "codings" and matcher.find(new_text)):
            raise ProjectError(f"Pseudonymisation moved {key[0]} row {key[1]} wrongly ({old_start}-{old_end} -> "
                               f"{start}-{end}); the copy was not written. This is a bug: please report it.")
        checked += 1
    return checked


def _replaced_between(text: str, rewrite: Rewrite, start: int, end: int) -> str:
    """text[start:end] with the edits applied, widened to whole names where it cut one."""
    edits = rewrite.edits
    starts = [e.start for e in edits]
    first = bisect_right(starts, start) - 1
    if first >= 0 and edits[first].start < start < edits[first].end:
        start = edits[first].start
    last = bisect_left(starts, end) - 1
    if last >= 0 and edits[last].start < end < edits[last].end:
        end = edits[last].end
    pieces, position = [], start
    for edit in edits[bisect_left(starts, start):]:
        if edit.start >= end:
            break
        pieces += [text[position:edit.start], edit.new]
        position = edit.end
    pieces.append(text[position:end])
    return "".join(pieces)


def _leftover_message(leaks: list[Leak]) -> str:
    places = sorted({leak.where for leak in leaks})
    return (f"The copy would still hold {len(leaks)} listed names, in: {', '.join(places[:5])}"
            f"{' …' if len(places) > 5 else ''}; the copy was not written. Those places cannot be rewritten "
            "automatically: change them in the project (or report it as a bug) and try again.")
