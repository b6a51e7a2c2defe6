"""An inductive codebook written by hand as YAML: themes, their finding sentences and their
links to framework elements.

    codebook: Teemat                 # the codebook the codes go into (created if absent)
    language: fi
    codes:
      - name: Jälleenmyyjien tarpeet   # a theme area (a research question)
        description: "TK2: ..."
        children:
          - name: Toimitusvarmuus      # a main theme
            links: [five-es/expectations, five-es/experience]
            children:
              - name: Myöhästymiset    # a finding
                finding: Sesonkitoimitukset myöhästyvät ratkaisevalla hetkellä.

`links` name framework elements (`five-es/emotions`) or codes (`A > B`); the frameworks must be
in the project first. Codings on these codes are loaded with `import_reference_codings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from qualcode.errors import InputError, QualcodeError

_CODE_KEYS = {"name", "description", "finding", "colour", "links", "children"}
_TOP_KEYS = {"codebook", "language", "description", "codes"}
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass
class ThemeReport:
    codebook: str = ""
    codes: int = 0
    findings: int = 0
    links: int = 0
    problems: list[str] = field(default_factory=list)


def load_theme_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise InputError(f"{path}: cannot read the codebook ({error}).") from error
    if not isinstance(data, dict) or not data.get("codebook") or not isinstance(data.get("codes"), list):
        raise InputError(f"{path}: expected a mapping with 'codebook' and a list 'codes'.")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise InputError(f"{path}: unknown field(s) {', '.join(sorted(unknown))}.")
    return data


def import_theme_codebook(store, path: Path) -> ThemeReport:
    """Create the codebook's codes (with descriptions and finding sentences) and their links as
    one undoable action. Everything is checked first: a problem leaves the project untouched and
    raises an InputError listing each problem."""
    path = Path(path)
    data = load_theme_file(path)
    report = ThemeReport(codebook=str(data["codebook"]))
    targets: dict[str, int] = {}

    def check(items: list, where: str) -> None:
        names: set[str] = set()
        for item in items:
            if not isinstance(item, dict) or not str(item.get("name") or "").strip():
                report.problems.append(f"{where}: every code needs a 'name'")
                continue
            name = str(item["name"]).strip()
            here = f"{where} > {name}" if where != path.name else name
            unknown = set(item) - _CODE_KEYS
            if unknown:
                report.problems.append(f"{here}: unknown field(s) {', '.join(sorted(unknown))}")
            if name in names:
                report.problems.append(f"{here}: two sibling codes share this name")
            names.add(name)
            if item.get("colour") is not None and not _COLOUR.match(str(item["colour"])):
                report.problems.append(f"{here}: colour {item['colour']!r} is not #rrggbb")
            for link in item.get("links") or []:
                if str(link) in targets:
                    continue
                try:
                    targets[str(link)] = store.find_code(str(link)).id
                except QualcodeError as error:
                    report.problems.append(f"{here}: link {link!r}: {error}")
            children = item.get("children") or []
            if not isinstance(children, list):
                report.problems.append(f"{here}: 'children' must be a list")
                continue
            check(children, here)

    check(data["codes"], path.name)
    if report.problems:
        raise InputError(f"{path.name}: the codebook has problems; nothing was imported:\n  "
                         + "\n  ".join(report.problems))

    def create(items: list, codebook_id: int, parent_id: int | None) -> None:
        for item in items:
            finding = str(item["finding"]).strip() if item.get("finding") else None
            code_id = store.add_code(str(item["name"]), codebook_id=codebook_id, parent_id=parent_id,
                                     colour=item.get("colour"), description=str(item.get("description") or "").strip(),
                                     finding=finding)
            report.codes += 1
            report.findings += bool(finding)
            for link in item.get("links") or []:
                store.link_codes(code_id, targets[str(link)])
                report.links += 1
            create(item.get("children") or [], codebook_id, code_id)

    with store.action(f"import codebook {report.codebook}"):
        existing = [b for b in store.codebooks() if b.name == report.codebook]
        codebook_id = existing[0].id if existing else store.add_codebook(report.codebook,
                                                                          language=data.get("language"))
        create(data["codes"], codebook_id, None)
    return report
