"""The interview guide (themes and questions with keyword lemmas) and a loose matcher that tells
which interviewer turns ask which question, for "next turn of a guide question".

The matching is deliberately simple: a keyword matches a word of the turn when the word starts
with the keyword's stem (its first characters, so Finnish inflections such as tilaus -> tilaukset
still match). The question with the most matching keywords wins; ties keep all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from qualcode.errors import InputError

_WORDS = re.compile(r"\w+")
REPO_GUIDE = Path(__file__).resolve().parents[2] / "corpora" / "guide.yaml"


@dataclass(frozen=True)
class GuideQuestion:
    id: str
    theme: str
    text: dict[str, str]
    keywords: dict[str, tuple[str, ...]]

    def label(self, language: str) -> str:
        return self.text.get(language) or self.text.get("en") or next(iter(self.text.values()), self.id)


def find_guide(project_path: Path | None, setting: str | None = None) -> Path | None:
    """The guide to use: the project's `guide` setting, a guide.yaml beside the project, or the
    demo study's guide in a repository checkout."""
    candidates = []
    if setting:
        candidates.append(Path(setting).expanduser())
    if project_path is not None:
        candidates.append(Path(project_path).resolve().parent / "guide.yaml")
    candidates.append(REPO_GUIDE)
    return next((p for p in candidates if p.is_file()), None)


def load_guide(path: Path) -> list[GuideQuestion]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise InputError(f"Cannot read the interview guide {path}: {error}. Fix the file or remove it.") from error
    questions: list[GuideQuestion] = []
    for theme in data.get("themes") or []:
        title = theme.get("title") or {}
        if isinstance(title, dict):
            theme_name = title.get("fi") or title.get("en") or str(theme.get("id", ""))
        else:
            theme_name = str(title)
        for question in theme.get("questions") or []:
            keywords = {key[len("keywords_"):]: tuple(str(k).casefold() for k in value or ())
                        for key, value in question.items() if key.startswith("keywords_")}
            text = {lang: str(question[lang]) for lang in ("fi", "en") if question.get(lang)}
            questions.append(GuideQuestion(str(question.get("id", len(questions))), theme_name, text, keywords))
    return questions


def _stem(word: str) -> str:
    return word if len(word) <= 4 else word[: max(4, len(word) - 2)]


def score(question: GuideQuestion, text: str, language: str) -> int:
    """How many of the question's keywords occur in the text (by word prefix)."""
    words = _WORDS.findall(text.casefold())
    keywords = question.keywords.get(language) or tuple(k for ks in question.keywords.values() for k in ks)
    hits = 0
    for keyword in keywords:
        stems = [_stem(part) for part in _WORDS.findall(keyword)]
        if stems and all(any(w.startswith(s) for w in words) for s in stems):
            hits += 1
    return hits


def asks(question: GuideQuestion, questions: list[GuideQuestion], text: str, language: str) -> bool:
    """Does this turn ask `question`: it matches, and no other question matches better?"""
    own = score(question, text, language)
    return own > 0 and all(score(other, text, language) <= own for other in questions if other is not question)
