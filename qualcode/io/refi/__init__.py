"""REFI-QDA interchange: .qdpx projects and .qdc codebooks in and out.

    >>> from qualcode.io.refi import export_qdpx, import_qdpx, read_qdpx
    >>> export_qdpx(store, "study.qdpx")            # -> ExportReport
    >>> import_qdpx(store, "from-nvivo.qdpx")       # -> ImportReport, one undoable action
    >>> project = read_qdpx("coder-b.qdpx")         # -> RefiProject, no store involved

The exchange standard is REFI-QDA 1.5 (`../shared/refi-qda/`). Our exports validate against its
schemas; imports accept what real tools write and report what qualcode cannot keep.
"""

from __future__ import annotations

from qualcode.io.refi.model import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiLink,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiValue,
    RefiVariable,
)
from qualcode.io.refi.qdc import export_framework_qdc, export_qdc, import_qdc, read_qdc
from qualcode.io.refi.qde_export import build_qdpx, export_qdpx
from qualcode.io.refi.qde_import import RESPONDENT_FROM, import_project, import_qdpx
from qualcode.io.refi.qde_read import read_qdpx
from qualcode.io.refi.report import ExportReport, ImportReport

__all__ = [
    "RESPONDENT_FROM", "ExportReport", "ImportReport", "RefiCase", "RefiCode", "RefiCoding", "RefiLink", "RefiNote",
    "RefiProject", "RefiSelection", "RefiSet", "RefiSource", "RefiUser", "RefiValue", "RefiVariable", "build_qdpx",
    "export_framework_qdc", "export_qdc", "export_qdpx", "import_project", "import_qdc", "import_qdpx", "read_qdc",
    "read_qdpx",
]
