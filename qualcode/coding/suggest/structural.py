"""Structural suggestions from the interview guide, and speaker suggestions.

*Structural*: in a theme interview the answer to a guide question belongs to that question's
theme. Each interviewer turn is matched to the guide question whose keywords it contains
(keywords are lemmatised, so `messuilla` finds `messut`); every respondent turn up to the next
interviewer turn is suggested that question's codes. A follow-up question that matches no
keywords continues the current question, with a lower score. When two questions match
equally, the one next in guide order wins, as interviews follow the guide.

*Speaker*: every turn of one speaker (a turn label such as `V` or `Participant`, or a
respondent's label for all of their answers) suggested to one code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qualcode.coding.search import lemma_of, words
from qualcode.coding.suggest.model import Suggestion
from qualcode.errors import InputError

DIRECT_SCORE = 1.0
FOLLOW_UP_SCORE = 0.6


@dataclass(frozen=True)
class GuideQuestion:
    id: str
    theme: str
    text: dict[str, str]
    keywords: dict[str, tuple[str, ...]]
    codes: tuple[str, ...]  # framework paths, code names or 'A > B' paths


@dataclass
class Guide:
    title: dict[str, str]
    questions: list[GuideQuestion] = field(default_factory=list)


def load_guide(path: str | Path) -> Guide:
    """Read an interview guide (themes → questions with `fi`/`en` text, `keywords_<lang>`, `codes`)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; give the interview guide's .yaml file.") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise InputError(f"{path}: cannot read the interview guide ({error}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise InputError(f"{path}: expected a mapping with a list 'themes', each with 'questions'.")
    guide = Guide(title=data.get("title") or {})
    for theme_number, theme in enumerate(data["themes"], start=1):
        if not isinstance(theme, dict) or not isinstance(theme.get("questions"), list):
            raise InputError(f"{path}: theme {theme_number} needs a list 'questions'.")
        theme_id = str(theme.get("id") or theme_number)
        for number, item in enumerate(theme["questions"], start=1):
            if not isinstance(item, dict) or not item.get("codes"):
                raise InputError(f"{path}: question {number} of theme {theme_id!r} needs 'codes'.")
            keywords = {key[len("keywords_"):]: tuple(str(word) for word in value or ())
                        for key, value in item.items() if key.startswith("keywords_")}
            texts = {key: str(value) for key, value in item.items() if len(key) == 2 and isinstance(value, str)}
            codes = item["codes"] if isinstance(item["codes"], list) else [item["codes"]]
            guide.questions.append(GuideQuestion(str(item.get("id") or f"{theme_id}_{number}"), theme_id, texts,
                                                 keywords, tuple(str(c) for c in codes)))
    if not guide.questions:
        raise InputError(f"{path}: the guide has no questions.")
    return guide


class StructuralSuggester:
    """Suggests the guide question's codes for the answers that follow it."""

    source = "structural"

    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        self._keywords: dict[str, list[tuple[tuple[str, ...], ...]]] = {}

    def keyword_lemmas(self, language: str) -> list[tuple[tuple[str, ...], ...]]:
        """Per question, its keywords as tuples of lemmas (a keyword may be several words)."""
        if language not in self._keywords:
            self._keywords[language] = [
                tuple(dict.fromkeys(tuple(lemma_of(w, language) for w in words(keyword))
                                    for keyword in q.keywords.get(language, ()) if words(keyword)))
                for q in self.guide.questions]
        return self._keywords[language]

    def match_question(self, text: str, language: str, current: int | None = None) -> tuple[int | None, list[str]]:
        """The guide question an interviewer turn asks, with the keywords found (None: none)."""
        lemma_list = [lemma_of(w, language) for w in words(text)]
        best: int | None = None
        best_rank: tuple[int, int] = (0, 0)
        found_words: list[str] = []
        start = current or 0
        for index, keywords in enumerate(self.keyword_lemmas(language)):
            found = [" ".join(k) for k in keywords if _contains(lemma_list, k)]
            if not found:
                continue
            # More keywords first; then the first question from the current one onwards.
            order = index - start if index >= start else len(self.guide.questions) + index
            rank = (-len(found), order)
            if best is None or rank < best_rank:
                best, best_rank, found_words = index, rank, found
        return best, found_words

    def suggest(self, store: Any, doc_id: int, code_ids: dict[str, int]) -> list[Suggestion]:
        text = store.document_text(doc_id)
        language = store.document(doc_id).language
        current: int | None = None
        direct = False
        keywords: list[str] = []
        result: list[Suggestion] = []
        for turn in store.turns(doc_id):
            if turn.role == "interviewer":
                index, found = self.match_question(text[turn.start:turn.end], language, current)
                if index is not None:
                    current, direct, keywords = index, True, found
                else:
                    direct = False
                continue
            if turn.role != "respondent" or current is None or turn.end <= turn.start:
                continue
            question = self.guide.questions[current]
            asked = question.text.get(language) or next(iter(question.text.values()), "")
            why = f"keywords: {', '.join(keywords)}" if direct else "follow-up"
            for ref in question.codes:
                if ref in code_ids:
                    result.append(Suggestion(doc_id, code_ids[ref], turn.start, turn.end, self.source,
                                             f"answer to guide question {question.id} \u201d{asked}\u201d ({why})",
                                             DIRECT_SCORE if direct else FOLLOW_UP_SCORE))
        return result

    def code_refs(self) -> list[str]:
        return list(dict.fromkeys(ref for q in self.guide.questions for ref in q.codes))


def _contains(lemma_list: Sequence[str], keyword: tuple[str, ...]) -> bool:
    n = len(keyword)
    first = keyword[0]
    return any(lemma_list[i] == first and tuple(lemma_list[i:i + n]) == keyword
               for i in range(len(lemma_list) - n + 1))


class SpeakerSuggester:
    """All turns of one speaker to one code."""

    source = "speaker"

    def __init__(self, speaker: str, code_id: int) -> None:
        self.speaker = speaker.strip()
        self.code_id = code_id

    def suggest(self, store: Any, doc_id: int, code_ids: dict[str, int] | None = None) -> list[Suggestion]:
        doc = store.document(doc_id)
        wanted = self.speaker.casefold()
        whole_respondent = (doc.respondent or "").casefold() == wanted
        result = []
        for turn in store.turns(doc_id):
            if turn.end <= turn.start:
                continue
            if turn.speaker.casefold() == wanted or (whole_respondent and turn.role == "respondent"):
                result.append(Suggestion(doc_id, self.code_id, turn.start, turn.end, self.source,
                                         f"turn of speaker {turn.speaker}", 1.0))
        return result
