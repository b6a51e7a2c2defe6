"""Dictionary suggestions: a framework's indicator lemmas matched in sentence segments.

Each segment's words are lemmatised and run through a spaCy `PhraseMatcher` on the LEMMA
attribute, built from every code's indicators (multi-word ones too). A matched indicator
counts for a code with a weight: multi-word indicators weigh more (they are more specific),
an indicator shared by several codes weighs less (it tells them apart less), and a Finnish
compound whose last part is an indicator (`joulutilaus` → `tilaus`) counts a little. A
sub-code also hears its parent's indicators at half weight. The evidence of a segment is its
own plus a share of its neighbours' in the same turn (a passage is usually longer than one
sentence), and the score is `1 - exp(-evidence)`, so one specific indicator gives about 0.6
and two about 0.85. Only respondents' speech is suggested, and only codes scoring at least
`threshold` and close to the segment's best code.
"""

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
    """The knobs of the dictionary suggester (defaults measured on the demo study)."""

    threshold: float = 0.6
    neighbour_weight: float = 0.35
    best_ratio: float = 0.75  # keep codes scoring at least this share of the segment's best
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
                          and len(lemma) >= len(text) + 3 and lemma.endswith(text))
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
        units = [s for s in segments
                 if not (self.settings.respondent_only and turns and s.turn_id in turns
                         and turns[s.turn_id].role != "respondent")]
        words: list[str] = []
        groups: list[int] = []
        for index, segment in enumerate(units):
            for s, e in word_spans(text, segment.start, segment.end):
                words.append(text[s:e].lower())
                groups.append(index)
        found = self.evidence(words, groups, language)
        found += [{} for _ in range(len(units) - len(found))]
        result: list[Suggestion] = []
        for index, segment in enumerate(units):
            totals: dict[str, float] = {}
            for path, matched in found[index].items():
                totals[path] = sum(matched.values())
            for other in (index - 1, index + 1):
                if 0 <= other < len(units) and units[other].turn_id == segment.turn_id:
                    for path, matched in found[other].items():
                        totals[path] = totals.get(path, 0.0) + self.settings.neighbour_weight * sum(matched.values())
            scores = {path: _score(total) for path, total in totals.items() if path in code_ids}
            if not scores:
                continue
            best = max(scores.values())
            for path, score in sorted(scores.items(), key=lambda item: -item[1]):
                if score < self.settings.threshold or score < best * self.settings.best_ratio:
                    continue
                own = sorted(found[index].get(path, {}))
                near = sorted({i for other in (index - 1, index + 1) if 0 <= other < len(units)
                               and units[other].turn_id == segment.turn_id
                               for i in found[other].get(path, {})} - set(own))
                reason = f"indicators: {', '.join(own) or '-'}" + (f"; nearby: {', '.join(near)}" if near else "")
                result.append(Suggestion(doc_id, code_ids[path], segment.start, segment.end, self.source,
                                         reason, round(score, 4)))
        return result


def _score(evidence: float) -> float:
    return 1.0 - math.exp(-evidence)
