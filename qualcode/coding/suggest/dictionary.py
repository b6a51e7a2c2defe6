"""Dictionary suggestions: a framework's indicator lemmas matched in sentence segments.

Each segment's words are lemmatised and run through a spaCy `PhraseMatcher` on the LEMMA
attribute, built from every code's indicators (multi-word ones too). A matched indicator
counts for a code with a weight: multi-word indicators weigh more (they are more specific),
an indicator shared by several codes weighs less (it tells them apart less), and a Finnish
compound whose last part is an indicator (`joulutilaus` → `tilaus`) counts a little. A
sub-code also hears its parent's indicators at half weight.

The evidence for a respondent's sentence is its own, plus a share of the rest of its answer
(the other sentences of the same turn: an answer mostly stays on one topic, and its point is
often made in words only one of its sentences carries), plus a share of the interviewer's
question before the answer (an answer is about what was asked). The score is
`1 - exp(-evidence)`: one specific indicator gives about 0.63, two about 0.86. Only
respondents' speech is suggested, and only the segment's best code(s) scoring at least
`threshold`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qualcode.coding.search import lemma_of, word_spans
from qualcode.coding.suggest.model import CodeScore, Suggestion
from qualcode.frameworks import Framework, FrameworkCode, iter_codes, load_framework

MULTI_WORD_WEIGHT = 1.5
COMPOUND_WEIGHT = 0.6
PARENT_WEIGHT = 0.5
MIN_COMPOUND_HEAD = 4


@dataclass
class DictionarySettings:
    """The knobs of the dictionary suggester, chosen on the demo study's Finnish interviews
    (benchmarks/suggest_quality.py; choosing them on seven interviews and testing on the
    eighth, in turn, lands in the same region and gives about the same figures)."""

    threshold: float = 0.5
    answer_weight: float = 0.5  # share of the evidence in the rest of the answer (the same turn)
    question_weight: float = 1.5  # share of the evidence in the interviewer's question before the answer
    best_ratio: float = 1.0  # keep codes scoring at least this share of the segment's best code
    respondent_only: bool = True
    compounds: bool = True


@dataclass
class _Indicator:
    text: str
    weights: dict[str, float] = field(default_factory=dict)  # code path -> weight


class DictionarySuggester:
    """Scores texts and document segments against one framework's indicators."""

    source = "dictionary"

    def __init__(self, framework: Framework | str, settings: DictionarySettings | None = None) -> None:
        self.framework = load_framework(framework) if isinstance(framework, str) else framework
        self.settings = settings or DictionarySettings()
        self.codes: dict[str, FrameworkCode] = {c.path: c for c in iter_codes(self.framework)}
        self.targets = [c.path for c in self.codes.values() if not c.children]
        self._indicators: dict[str, dict[str, _Indicator]] = {}
        self._matchers: dict[str, Any] = {}
        self._compound_cache: dict[str, dict[str, tuple[str, ...]]] = {}

    # ------------------------------------------------------------------ indicators
    def indicators(self, language: str) -> dict[str, _Indicator]:
        """Indicator -> weight per target code, for one language."""
        if language in self._indicators:
            return self._indicators[language]
        parents = {child.path: code for code in self.codes.values() for child in code.children}
        raw: dict[str, dict[str, float]] = {}
        for path in self.targets:
            own = self.codes[path].indicators.get(language, [])
            parent = parents.get(path)
            inherited = parent.indicators.get(language, []) if parent else []
            for words, factor in ((own, 1.0), (inherited, PARENT_WEIGHT)):
                for text in words:
                    text = " ".join(text.lower().split())
                    base = MULTI_WORD_WEIGHT if " " in text else 1.0
                    weights = raw.setdefault(text, {})
                    weights[path] = max(weights.get(path, 0.0), base * factor)
        result = {}
        for text, weights in raw.items():
            shared = sum(1 for w in weights.values() if w >= 1.0) or 1
            result[text] = _Indicator(text, {p: w / shared for p, w in weights.items()})
        self._indicators[language] = result
        return result

    def _matcher(self, language: str):
        if language not in self._matchers:
            from spacy.matcher import PhraseMatcher
            from spacy.tokens import Doc
            from spacy.vocab import Vocab

            vocab = Vocab()
            matcher = PhraseMatcher(vocab, attr="LEMMA")
            for text in self.indicators(language):
                parts = text.split()
                matcher.add(text, [Doc(vocab, words=parts, lemmas=parts)])
            self._matchers[language] = (vocab, matcher)
        return self._matchers[language]

    def _compound_heads(self, lemma: str, language: str) -> tuple[str, ...]:
        """Single-word indicators that end a longer compound lemma (Finnish only)."""
        cache = self._compound_cache.setdefault(language, {})
        if lemma not in cache:
            heads = tuple(text for text in self.indicators(language)
                          if " " not in text and len(text) >= MIN_COMPOUND_HEAD
                          and len(lemma) >= len(text) + 3 and lemma.endswith(text)
                          and _is_word(lemma[:-len(text)], language))
            cache[lemma] = heads
        return cache[lemma]

    # ------------------------------------------------------------------ scoring
    def evidence(self, words: Sequence[str], groups: Sequence[int], language: str) -> list[dict[str, dict[str, float]]]:
        """For each group (segment) of words: code path -> {indicator: weight} found in it.

        `words` are lower-cased surface forms, `groups[i]` the group of word i (non-decreasing).
        """
        from spacy.tokens import Doc

        count = (groups[-1] + 1) if groups else 0
        found: list[dict[str, dict[str, float]]] = [{} for _ in range(count)]
        if not words:
            return found
        indicators = self.indicators(language)
        vocab, matcher = self._matcher(language)
        lemma_list = [lemma_of(w, language) for w in words]
        doc = Doc(vocab, words=list(words), lemmas=lemma_list)
        for match_id, start, end in matcher(doc):
            if groups[start] != groups[end - 1]:
                continue  # a multi-word indicator across a sentence boundary
            indicator = indicators[vocab.strings[match_id]]
            for path, weight in indicator.weights.items():
                found[groups[start]].setdefault(path, {})[indicator.text] = weight
        if self.settings.compounds and language == "fi":
            for i, lemma in enumerate(lemma_list):
                if lemma in indicators:
                    continue
                for head in self._compound_heads(lemma, language):
                    for path, weight in indicators[head].weights.items():
                        matched = found[groups[i]].setdefault(path, {})
                        matched.setdefault(lemma, weight * COMPOUND_WEIGHT)
        return found

    def score_text(self, text: str, language: str) -> list[CodeScore]:
        """Every code the text points to, best first (the text scored as one segment)."""
        spans = word_spans(text)
        found = self.evidence([text[s:e].lower() for s, e in spans], [0] * len(spans), language)
        evidence = found[0] if found else {}
        scores = [CodeScore(path, _score(sum(matched.values())), tuple(sorted(matched)))
                  for path, matched in evidence.items()]
        return sorted(scores, key=lambda s: (-s.score, self.targets.index(s.path)))

    def suggest(self, store: Any, doc_id: int, code_ids: dict[str, int]) -> list[Suggestion]:
        """Suggestions for one document's sentence segments (respondents' speech by default)."""
        segments = store.segments(doc_id)
        if not segments:
            return []
        text = store.document_text(doc_id)
        language = store.document(doc_id).language
        turns = {t.id: t for t in store.turns(doc_id)}
        words: list[str] = []
        groups: list[int] = []
        for index, segment in enumerate(segments):
            for s, e in word_spans(text, segment.start, segment.end):
                words.append(text[s:e].lower())
                groups.append(index)
        found = self.evidence(words, groups, language)
        found += [{} for _ in range(len(segments) - len(found))]
        questions = self._question_evidence(segments, turns, found)
        answers = self._answer_evidence(segments, found)
        settings = self.settings
        result: list[Suggestion] = []
        for index, segment in enumerate(segments):
            turn = turns.get(segment.turn_id)  # type: ignore[arg-type]
            if settings.respondent_only and turn is not None and turn.role != "respondent":
                continue
            own = found[index]
            answer = answers.get(segment.turn_id, {})
            asked = questions.get(segment.turn_id, {})
            totals: dict[str, float] = {}
            for path in {*own, *answer, *asked}:
                here = sum(own.get(path, {}).values())
                rest = sum(answer.get(path, {}).values()) - here
                totals[path] = (here + settings.answer_weight * rest
                                + settings.question_weight * sum(asked.get(path, {}).values()))
            scores = {path: _score(total) for path, total in totals.items() if path in code_ids}
            if not scores:
                continue
            best = max(scores.values())
            for path, score in sorted(scores.items(), key=lambda item: -item[1]):
                if score < settings.threshold or score < best * settings.best_ratio:
                    continue
                words = sorted(own.get(path, {}))
                in_answer = sorted(set(answer.get(path, {})) - set(words))
                question = sorted(asked.get(path, {}))
                reason = f"indicators: {', '.join(words) or '-'}" \
                    + (f"; in the answer: {', '.join(in_answer)}" if in_answer else "") \
                    + (f"; question: {', '.join(question)}" if question else "")
                result.append(Suggestion(doc_id, code_ids[path], segment.start, segment.end, self.source,
                                         reason, round(score, 4)))
        return result

    @staticmethod
    def _answer_evidence(segments: Sequence[Any],
                         found: list[dict[str, dict[str, float]]]) -> dict[int, dict[str, dict[str, float]]]:
        """For each turn, every indicator found in any of its sentences (code path ->
        {indicator: summed weight})."""
        result: dict[int, dict[str, dict[str, float]]] = {}
        for index, segment in enumerate(segments):
            turn = result.setdefault(segment.turn_id, {})
            for path, matched in found[index].items():
                words = turn.setdefault(path, {})
                for word, weight in matched.items():
                    words[word] = words.get(word, 0.0) + weight
        return result

    @staticmethod
    def _question_evidence(segments: Sequence[Any], turns: dict[int, Any],
                           found: list[dict[str, dict[str, float]]]) -> dict[int, dict[str, dict[str, float]]]:
        """For each respondent turn, the indicators of the interviewer's turn before it."""
        result: dict[int, dict[str, dict[str, float]]] = {}
        asked: dict[str, dict[str, float]] = {}
        previous: int | None = None
        for index, segment in enumerate(segments):
            turn = turns.get(segment.turn_id)  # type: ignore[arg-type]
            if turn is None:
                continue
            if turn.role == "interviewer":
                if segment.turn_id != previous:
                    asked = {}
                for path, matched in found[index].items():
                    asked.setdefault(path, {}).update(matched)
            elif turn.role == "respondent":
                result.setdefault(turn.id, asked)
            previous = segment.turn_id
        return result


def _is_word(prefix: str, language: str) -> bool:
    """Whether the part before a compound's head is a word itself (`joulu` in `joulutilaus`),
    so that `arvostaa` does not count as a kind of `ostaa`."""
    import simplemma  # the lemmatiser's dictionary, already loaded by the lemmas

    return simplemma.is_known(prefix, lang=language)


def _score(evidence: float) -> float:
    return 1.0 - math.exp(-evidence)
