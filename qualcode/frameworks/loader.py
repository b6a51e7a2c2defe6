"""Load and validate framework codebooks from YAML files.

A framework is a tree of codes with bilingual (Finnish/English) labels, definitions,
inclusion hints and indicator lemmas. The shipped ones live in ``data/*.yaml``; users can
write their own in the same format (see ``README.md`` beside this module). Files are
edited by hand, so validation is strict and every error names the file and the code path,
with a hint on what to write instead.
"""

from __future__ import annotations

import difflib
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from qualcode.errors import QualcodeError
from qualcode.frameworks.model import PALETTE, Framework, FrameworkCode, iter_codes

__all__ = [
    "Framework", "FrameworkCode", "FrameworkError", "iter_codes", "list_frameworks",
    "load_framework", "parse_framework", "validate_framework",
]

REQUIRED_LANGUAGES = ("fi", "en")
"""Languages every title and label must have."""

FRAMEWORK_FIELDS = ("name", "title", "source", "description", "codes")
CODE_FIELDS = (
    "id", "label", "definition", "use_when", "not_when",
    "indicators", "colour", "key", "children",
)
EMPTY_ALLOWED = "blank"
"""The one framework whose code list may be empty (inductive coding starts from nothing)."""

_ID = re.compile(r"[a-z0-9-]+\Z")
_LANGUAGE = re.compile(r"[a-z]{2,3}\Z")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")
_KEYS = tuple("123456789")


class FrameworkError(QualcodeError):
    """A framework file is missing, unreadable or breaks the codebook format."""


def _data_dir() -> Any:
    """The shipped data folder (a Traversable, so it also works from a zipped install)."""
    return resources.files("qualcode.frameworks").joinpath("data")


def list_frameworks() -> list[str]:
    """Names of the shipped frameworks, sorted."""
    return sorted(
        entry.name[: -len(".yaml")]
        for entry in _data_dir().iterdir()
        if entry.name.endswith(".yaml")
    )


def load_framework(name_or_path: str | os.PathLike[str]) -> Framework:
    """Load a shipped framework by name (``five-es``) or a user's YAML file by path.

    A plain word is looked up among the shipped frameworks; anything with a path
    separator or a ``.yaml``/``.yml`` suffix, or any ``Path``, is read as a file.
    """
    if isinstance(name_or_path, str) and _looks_like_name(name_or_path):
        name = name_or_path
        shipped = list_frameworks()
        if name not in shipped:
            raise FrameworkError(
                f"unknown framework {name!r}; shipped frameworks are {', '.join(shipped)}"
                " (or give the path of your own .yaml file)"
            )
        source = f"{name}.yaml"
        text = _data_dir().joinpath(source).read_text(encoding="utf-8")
        return parse_framework(text, source)
    path = Path(name_or_path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FrameworkError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise FrameworkError(f"{source}: is a folder; give the path of a .yaml file") from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise FrameworkError(
            f"{source}: line {line}: not UTF-8 text; save the file as UTF-8"
        ) from None
    except OSError as exc:
        raise FrameworkError(f"{source}: cannot be read: {exc.strerror}") from None
    return parse_framework(text, source)


def _looks_like_name(value: str) -> bool:
    """True for a bare framework name, false for anything that reads as a file path."""
    return not (
        "/" in value
        or os.sep in value
        or value.lower().endswith((".yaml", ".yml"))
    )


def parse_framework(text: str, source: str) -> Framework:
    """Parse YAML text and validate it; ``source`` names the file in error messages."""
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        raise FrameworkError(_yaml_message(exc, source)) from None
    except yaml.YAMLError as exc:
        raise FrameworkError(f"{source}: invalid YAML: {exc}") from None
    return validate_framework(data, source)


class _StrictLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses duplicate keys instead of keeping the last one.

    A second ``children:`` under one code would otherwise silently drop the first list.
    """


def _construct_unique_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict:
    """Build a mapping, raising a marked error (so with a line) on a repeated key."""
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # '<<: *anchor' keys may be overridden on purpose
        key = loader.construct_object(key_node, deep=True)
        try:
            first = seen.get(key)
        except TypeError:
            continue  # unhashable key: construct_mapping reports it below
        if first is not None:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first given on line {first})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def _yaml_message(exc: yaml.MarkedYAMLError, source: str) -> str:
    """Turn a PyYAML error into ``file: line N, column M: invalid YAML: problem``."""
    mark = exc.problem_mark or exc.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    problem = exc.problem or exc.context or "syntax error"
    if exc.context and exc.problem:
        problem = f"{problem} ({exc.context})"
    if "'\\t'" in problem:
        problem += "; indent with spaces, not tabs"
    return f"{source}: {where}invalid YAML: {problem}"


def validate_framework(data: Any, source: str) -> Framework:
    """Check parsed framework data and build a `Framework`, or raise `FrameworkError`.

    ``source`` (usually the file name) starts every error message.
    """
    check = _Checker(source)
    if data is None:
        check.fail("", "the file is empty; a framework needs at least name, title and codes")
    if not isinstance(data, dict):
        check.fail(
            "", f"expected a mapping of framework fields (name, title, codes...) "
            f"at the top, got {_kind(data)}"
        )
    check.fields(data, FRAMEWORK_FIELDS, ("name", "title", "codes"), "")
    name = check.identifier(data["name"], "", "name")
    title = check.text(data["title"], "", "title", required=True)
    source_text = data.get("source")
    if source_text is None:
        source_text = ""
    elif not isinstance(source_text, str):
        check.fail("", f"source must be text, got {_kind(source_text)}; quote it")
    description = check.text(data.get("description"), "", "description", required=False)
    codes_data = data["codes"]
    if not isinstance(codes_data, list):
        check.fail("", f"codes must be a list of codes, got {_kind(codes_data)}")
    if not codes_data and name != EMPTY_ALLOWED:
        check.fail(
            "", f"codes is empty; add at least one code (only {EMPTY_ALLOWED!r} may have none)"
        )
    codes = check.code_list(codes_data, name, None)
    return Framework(
        name=name, title=title, source=source_text.strip(),
        description=description, codes=codes,
    )


class _Checker:
    """Validation state for one file: where errors point, and keys already taken."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.keys: dict[str, str] = {}

    def fail(self, where: str, message: str) -> Any:
        """Raise a `FrameworkError` located at ``where`` (a ``code '...'`` phrase or '')."""
        location = f"{self.source}: {where}: " if where else f"{self.source}: "
        raise FrameworkError(location + message)

    def fields(
        self, data: dict, allowed: tuple[str, ...], required: tuple[str, ...], where: str
    ) -> None:
        """Refuse unknown fields (typos) and report missing required ones."""
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.fail(
                    where, f"unknown field {key!r}{hint} (allowed: {', '.join(allowed)})"
                )
        for key in required:
            if key not in data:
                self.fail(where, f"missing required field {key!r}")

    def identifier(self, value: Any, where: str, what: str) -> str:
        """A name or id: lower-case letters, digits and hyphens."""
        if value is None:
            self.fail(where, f"{what} is empty")
        if not isinstance(value, str):
            self.fail(where, f"{what} must be text, got {_kind(value)}; quote it")
        if not _ID.match(value):
            self.fail(
                where, f"{what} {value!r} may use only a-z, 0-9 and '-' "
                "(e.g. 'customer-status'; write 'ä' as 'a', 'ö' as 'o')"
            )
        return value

    def text(self, value: Any, where: str, what: str, *, required: bool) -> dict[str, str]:
        """A mapping of language code to non-empty text; fi and en when ``required``."""
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.fail(
                where, f"{what} must map languages to text, e.g. "
                f"{{fi: \"...\", en: \"...\"}}, got {_kind(value)}"
            )
        result: dict[str, str] = {}
        for language, text in value.items():
            self.language(language, where, what)
            if not isinstance(text, str) or not text.strip():
                self.fail(where, f"{what} {language!r} must be non-empty text, "
                          f"got {_kind(text)}{_quote_hint(text)}")
            result[language] = text.strip()
        if required:
            for language in REQUIRED_LANGUAGES:
                if language not in result:
                    self.fail(where, f"{what} has no {language!r} text")
        return result

    def language(self, value: Any, where: str, what: str) -> None:
        """A language code such as ``fi`` or ``en``."""
        if not isinstance(value, str) or not _LANGUAGE.match(value):
            self.fail(
                where, f"{what}: {value!r} is not a language code (use fi, en, sv...)"
            )

    def code_list(
        self, items: list, framework: str, parent: FrameworkCode | None
    ) -> list[FrameworkCode]:
        """Validate sibling codes: each one, unique ids and unique labels."""
        parent_path = parent.path if parent else framework
        codes: list[FrameworkCode] = []
        for number, item in enumerate(items, start=1):
            code = self.code(item, number, parent_path, parent, framework)
            for sibling in codes:
                if sibling.id == code.id:
                    self.fail(
                        f"code {code.path!r}",
                        "id is used twice; ids must be unique among siblings",
                    )
                for language, label in code.label.items():
                    if sibling.label.get(language, "").casefold() == label.casefold():
                        self.fail(
                            f"code {code.path!r}", f"label {language!r} {label!r} is "
                            f"already used by sibling {sibling.path!r}",
                        )
            codes.append(code)
        return codes

    def code(
        self, data: Any, number: int, parent_path: str,
        parent: FrameworkCode | None, framework: str,
    ) -> FrameworkCode:
        """Validate one code and, recursively, its children."""
        where = f"code #{number} under {parent_path!r}"
        if not isinstance(data, dict):
            self.fail(where, f"expected a mapping of code fields (id, label...), "
                      f"got {_kind(data)}")
        if "id" not in data:
            self.fail(where, "missing required field 'id'")
        code_id = data["id"]
        if isinstance(code_id, str) and _ID.match(code_id):
            where = f"code '{parent_path}/{code_id}'"
        code_id = self.identifier(code_id, where, "id")
        self.fields(data, CODE_FIELDS, ("id", "label"), where)
        code = FrameworkCode(
            id=code_id,
            path=f"{parent_path}/{code_id}",
            label=self.text(data["label"], where, "label", required=True),
            definition=self.text(data.get("definition"), where, "definition", required=False),
            use_when=self.text(data.get("use_when"), where, "use_when", required=False),
            not_when=self.text(data.get("not_when"), where, "not_when", required=False),
            indicators=self.indicators(data.get("indicators"), where),
            colour=self.colour(data, where, parent, number),
            key=self.key(data.get("key"), where, f"{parent_path}/{code_id}"),
        )
        children = data.get("children")
        if children is None:
            children = []
        if not isinstance(children, list):
            self.fail(where, f"children must be a list of codes, got {_kind(children)}")
        code.children = self.code_list(children, framework, code)
        return code

    def indicators(self, value: Any, where: str) -> dict[str, list[str]]:
        """Indicator lemmas: a mapping of language to a list of non-empty strings."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(where, f"indicators must map languages to lists, e.g. "
                      f"{{fi: [kasvu], en: [growth]}}, got {_kind(value)}")
        result: dict[str, list[str]] = {}
        for language, words in value.items():
            self.language(language, where, "indicators")
            if not isinstance(words, list):
                self.fail(where, f"indicators {language!r} must be a list of words, "
                          f"e.g. [kasvu, tavoite], got {_kind(words)}")
            cleaned: list[str] = []
            for position, word in enumerate(words, start=1):
                if not isinstance(word, str) or not word.strip():
                    self.fail(where, f"indicators {language!r} item {position} must be "
                              f"a non-empty word, got {_kind(word)}{_quote_hint(word)}")
                word = " ".join(word.split())  # multi-word: single spaces between lemmas
                if word not in cleaned:
                    cleaned.append(word)
            result[language] = cleaned
        return result

    def colour(
        self, data: dict, where: str, parent: FrameworkCode | None, number: int
    ) -> str:
        """``#rrggbb`` in lower case; a code without one takes its parent's or a palette's."""
        if "colour" not in data:
            return parent.colour if parent else PALETTE[(number - 1) % len(PALETTE)]
        value = data["colour"]
        if value is None:
            self.fail(where, "colour is empty; '#' starts a YAML comment, so quote it: "
                      "colour: \"#1f77b4\"")
        if not isinstance(value, str) or not _COLOUR.match(value):
            self.fail(where, f"colour {value!r} is not #rrggbb")
        return value.lower()

    def key(self, value: Any, where: str, path: str) -> str | None:
        """A quick key 1-9, unique within the framework."""
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or value not in _KEYS:
            self.fail(where, f"key {value!r} must be one of 1-9")
        if value in self.keys:
            self.fail(where, f"key {value!r} is already used by {self.keys[value]!r}")
        self.keys[value] = path
        return value


def _kind(value: Any) -> str:
    """Describe a YAML value for an error message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    names = {dict: "a mapping", list: "a list", str: "text", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__) + (
        f" {value!r}" if isinstance(value, (int, float, str)) else ""
    )


def _quote_hint(value: Any) -> str:
    """YAML reads unquoted yes/no/on/off as booleans and digits as numbers."""
    if isinstance(value, bool):
        return " (YAML reads unquoted yes/no/on/off as true/false; put the text in quotes)"
    if isinstance(value, (int, float)):
        return " (put it in quotes to keep it as text)"
    return ""
