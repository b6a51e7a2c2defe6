"""Confidentiality: the pseudonym list, finding names in every inflected form, pseudonymised
copies of a project, the leak check and the export guard.

    names = read_names("names.csv")                       # real,pseudonym rows
    NameMatcher(names).replace_text("Soitin Porkalle")    # 'Soitin Myyjä A:lle'
    pseudonymise_project("study.qualcode", "study-pseudo.qualcode", "names.csv")
    find_leaks(store, names, exports=["summary.xlsx"])    # [Leak(name, where, document, start, end, context)]
    assert_no_leaks(store, tmp_path, fmt="xlsx")          # in exporters, before moving the file into place
"""

from __future__ import annotations

from qualcode.privacy.leaks import (
    Leak,
    NamesLeakError,
    assert_no_leaks,
    find_leaks,
    guard_export,
    project_names,
    remember_names,
    scan_file,
    scan_text,
)
from qualcode.privacy.matching import NameMatch, NameMatcher, OffsetMap, Rewrite
from qualcode.privacy.names import Pseudonym, parse_names, read_names
from qualcode.privacy.pseudonymise import PseudonymiseReport, pseudonymise_project

__all__ = [
    "Leak", "NameMatch", "NameMatcher", "NamesLeakError", "OffsetMap", "Pseudonym", "PseudonymiseReport",
    "Rewrite", "assert_no_leaks", "find_leaks", "guard_export", "parse_names", "project_names", "pseudonymise_project",
    "read_names", "remember_names", "scan_file", "scan_text",
]
