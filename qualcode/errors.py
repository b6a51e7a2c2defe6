"""One hierarchy of errors, each message saying what is wrong and what to do.

The CLI prints a `QualcodeError` to stderr and exits non-zero; the TUI shows it as a
notification. Anything else escaping is a bug.
"""

from __future__ import annotations


class QualcodeError(Exception):
    """Base of every error qualcode reports to a user."""

    exit_code = 1


class ProjectError(QualcodeError):
    """The project file cannot be opened or used (not SQLite, too new, locked...)."""


class ProjectLockedError(ProjectError):
    """Another process has the project open for writing."""


class InputError(QualcodeError):
    """A file given to an importer is unreadable, too large, hostile or malformed."""


class NotFoundError(QualcodeError):
    """A document, respondent, code or coding named by the user does not exist."""


class ConflictError(QualcodeError):
    """The action would break a rule of the data (duplicate name, guarded delete...)."""
