"""Reference codings written by hand as YAML: a quoted passage, its code and the reason.

    document: H1
    coder: tutkija
    codings:
      - code: five-es/emotions          # a framework path, a code name or a 'A > B' path
        text: "exact words from the transcript"
        memo: "why it is coded so"

Offsets are found by locating `text` in the stored transcript, so the files stay readable and
survive re-imports; a passage that is missing or occurs more than once is an error naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from qualcode.errors import InputError, QualcodeError


@dataclass
class ReferenceReport:
    files: int = 0
    codings: int = 0
    problems: list[str] = field(default_factory=list)


def load_reference_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise InputError(f"{path}: cannot read the reference coding ({error}).") from error
    if not isinstance(data, dict) or not isinstance(data.get("codings"), list) or "document" not in data:
        raise InputError(f"{path}: expected a mapping with 'document' and a list 'codings'.")
    return data


def import_reference_codings(store, paths: list[Path]) -> ReferenceReport:
    """Load reference-coding YAML files into the project as one undoable action.

    Every passage is checked before anything is written: a problem in any file leaves the
    project untouched and raises an InputError listing each problem.
    """
    report = ReferenceReport()
    planned: list[tuple[int, int, int, int, str, str | None]] = []
    for path in paths:
        data = load_reference_file(path)
        report.files += 1
        try:
            doc = store.document(str(data["document"]))
        except QualcodeError:
            report.problems.append(f"{path.name}: no document {data['document']!r} in the project")
            continue
        text = store.document_text(doc.id)
        coder = str(data.get("coder") or store.user)
        for number, item in enumerate(data["codings"], start=1):
            where = f"{path.name} coding {number}"
            if not isinstance(item, dict) or not item.get("text") or not item.get("code"):
                report.problems.append(f"{where}: needs 'code' and 'text'")
                continue
            passage = str(item["text"])
            start = text.find(passage)
            if start < 0:
                report.problems.append(f"{where}: text not found in {doc.title}: {passage[:60]!r}")
                continue
            if text.find(passage, start + 1) >= 0:
                report.problems.append(f"{where}: text occurs more than once in {doc.title}: {passage[:60]!r}")
                continue
            try:
                code_id = store.find_code(str(item["code"])).id
            except QualcodeError as error:
                report.problems.append(f"{where}: {error}")
                continue
            planned.append((doc.id, code_id, start, start + len(passage), coder, item.get("memo")))
    if report.problems:
        raise InputError("The reference coding has problems; nothing was imported:\n  " + "\n  ".join(report.problems))
    with store.action(f"import reference coding ({report.files} files)"):
        for doc_id, code_id, start, end, coder, memo in planned:
            store.add_coding(doc_id, code_id, start, end, memo=memo, coder=coder, origin="reference")
            report.codings += 1
    return report
