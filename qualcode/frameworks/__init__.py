"""Built-in codebooks (frameworks) as data files, and their loader and validator.

    >>> from qualcode.frameworks import load_framework, iter_codes
    >>> fw = load_framework("five-es")
    >>> [code.path for code in iter_codes(fw)][:2]
    ['five-es/environment', 'five-es/expectations']

The file format is described in ``README.md`` in this folder.
"""

from __future__ import annotations

from qualcode.frameworks.loader import (
    REQUIRED_LANGUAGES,
    Framework,
    FrameworkCode,
    FrameworkError,
    iter_codes,
    list_frameworks,
    load_framework,
    parse_framework,
    validate_framework,
)

__all__ = [
    "REQUIRED_LANGUAGES",
    "Framework",
    "FrameworkCode",
    "FrameworkError",
    "iter_codes",
    "list_frameworks",
    "load_framework",
    "parse_framework",
    "validate_framework",
]
