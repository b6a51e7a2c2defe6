"""Language processing: sentence segmentation with spaCy and lemmas with simplemma.

Both libraries are imported lazily and their models cached, so importing this module is cheap
and a command that never segments or lemmatises never pays for them.

*Sentences.* The default pipeline per language is ``spacy.blank(lang)`` with the rule-based
``sentencizer`` plus one small component of ours (``qualcode_sentence_breaks``) that also ends a
sentence at a line break, after ``…`` or ``...`` when the next word starts with a capital, and before an
opening bracket or quote that follows a full stop (``lähti. (naurahtaa) Okei.``). Any installed
spaCy pipeline can be used instead by name. Each speaker turn is segmented on its own, so two
turns never run into one sentence; all offsets are indices into the stored document text.

*Lemmas.* simplemma lemmatises Finnish (also colloquial forms such as ``oon`` and ``ollu``) and
English offline; Finnish words it does not know are tried in the written forms spoken Finnish
shortens (``tavotteet`` -> ``tavoitteet``, ``tekis`` -> ``tekisi``, ``kertonu`` -> ``kertonut``). Its Finnish data takes a few seconds and a few hundred MB to load, which happens
once, on the first Finnish word; every word's lemma is cached after that.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from qualcode.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

    from qualcode.store import SegmentSpan, TurnSpan

BREAKS_COMPONENT = "qualcode_sentence_breaks"
TEXT_KEY = "qualcode_text"
DEFAULT_BATCH_SIZE = 512
MAX_PIECE_CHARS = 200_000
"""Longer stretches of text are cut at a line break or space before they go to spaCy, whose
default limit is 1,000,000 characters per text and whose memory use grows with text length."""

WORD = re.compile(r"[^\W_]+")
"""A word for lemmas: letters and digits, the same definition as `qualcode.coding.search.WORD`."""

_LINE_BREAK = re.compile(r"\n\s*(?=\S)")
_ELLIPSIS_CAPITAL = re.compile(r"(?:…|\.\.\.)[\"”’»)\]]*\s+(?=[\"“”'‘«(\[]?[^\W\d_])")
_OPENER_AFTER_STOP = re.compile(r"[.!?…][\"”’»)\]]*\s+(?=[(\[“«\"‘])")
_OPENERS = "([“«\"‘"


# ---------------------------------------------------------------------------- pipelines
def _register_component() -> None:
    from spacy.language import Language

    if Language.has_factory(BREAKS_COMPONENT):
        return

    @Language.component(BREAKS_COMPONENT)
    def sentence_breaks(doc: Doc) -> Doc:
        """Mark sentence starts the sentencizer misses; later components keep them.

        Works on the text with regular expressions and touches only the tokens at the matches,
        so its cost does not grow with the number of tokens.
        """
        text = doc.user_data.get(TEXT_KEY)
        if text is None:
            text = doc.text  # built token by token; the tokenizer below keeps the original instead
        starts: list[int] = []
        if "\n" in text:
            starts.extend(match.end() for match in _LINE_BREAK.finditer(text))
        if "…" in text or "..." in text:
            for match in _ELLIPSIS_CAPITAL.finditer(text):
                start = match.end()
                first_letter = start if text[start].isalpha() else start + 1
                if text[first_letter].isupper():
                    starts.append(start)
        openers = [match.end() for match in _OPENER_AFTER_STOP.finditer(text)]
        if not starts and not openers:
            return doc
        tokens = _tokens_at(doc, starts + openers)
        for index in tokens[:len(starts)]:
            if index is not None:
                doc[index].is_sent_start = True
        for index in tokens[len(starts):]:
            if index is not None:
                doc[index].is_sent_start = True
                # The sentencizer would start the sentence at the word after the bracket instead.
                if index + 1 < len(doc) and doc[index + 1].idx == doc[index].idx + 1:
                    doc[index + 1].is_sent_start = False
        return doc


class _KeepText:
    """Wraps a tokenizer to remember each doc's text in `doc.user_data`: `Doc.text` is rebuilt
    from the tokens on every access, which would cost more than the rest of our component."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str):
        return getattr(self.tokenizer, name)


def _tokens_at(doc: Doc, chars: list[int]) -> list[int | None]:
    """The index of the token starting at each character offset (None if none starts there)."""
    import numpy
    from spacy.attrs import IDX

    starts = doc.to_array(IDX)
    found = numpy.searchsorted(starts, numpy.asarray(chars, dtype=starts.dtype))
    return [int(i) if i < len(starts) and starts[i] == c else None for i, c in zip(found.tolist(), chars)]


@functools.lru_cache(maxsize=8)
def pipeline(language: str, model: str | None = None) -> Language:
    """The spaCy pipeline for a language, built once per process.

    Without `model`: a blank pipeline with the sentencizer and our sentence-break component.
    With `model` (the name of an installed spaCy pipeline such as ``fi_core_news_sm``): that
    pipeline with our component added first, so its parser or senter keeps our boundaries.
    """
    import spacy

    _register_component()
    if model:
        try:
            nlp = spacy.load(model, exclude=["ner"])
        except OSError as error:
            raise InputError(f"The spaCy pipeline {model!r} is not installed ({error}). Install it with "
                             f"`python -m spacy download {model}`, or leave the option out to use the "
                             "built-in sentence splitter.") from error
        nlp.add_pipe(BREAKS_COMPONENT, first=True)
        nlp.tokenizer = _KeepText(nlp.tokenizer)
        if not any(name in nlp.pipe_names for name in ("parser", "senter", "sentencizer")):
            nlp.add_pipe("sentencizer")
        return nlp
    try:
        nlp = spacy.blank(language)
    except ImportError as error:
        raise InputError(f"spaCy has no language {language!r}; use a language code such as fi or en.") from error
    nlp.add_pipe(BREAKS_COMPONENT)
    nlp.add_pipe("sentencizer")
    nlp.tokenizer = _KeepText(nlp.tokenizer)
    return nlp


# ---------------------------------------------------------------------------- sentences
def sentence_spans(texts: Iterable[str], language: str, *, model: str | None = None,
                   batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[list[tuple[int, int]]]:
    """For each text, its sentences as (start, end) offsets into that text.

    Runs `nlp.pipe` in batches. Spans carry no leading or trailing whitespace and
    whitespace-only stretches are dropped.
    """
    from spacy.attrs import IDX, SENT_START

    nlp = pipeline(language, model)
    for doc, text in nlp.pipe(((text, text) for text in texts), batch_size=batch_size, as_tuples=True):
        if not len(doc):
            yield []
            continue
        # Read the boundaries as arrays: iterating doc.sents builds a Python object per token.
        table = doc.to_array([SENT_START, IDX])
        bounds = table[table[:, 0] == 1, 1].tolist()
        if not bounds or bounds[0] != 0:
            bounds.insert(0, 0)
        bounds.append(len(text))
        spans = []
        for start, end in zip(bounds, bounds[1:]):
            start, end = strip_span(text, start, end)
            if start < end:
                spans.append((start, end))
        yield spans


def segment(text: str, turns: Sequence[TurnSpan] = (), language: str = "fi", *, model: str | None = None,
            batch_size: int = DEFAULT_BATCH_SIZE) -> list[SegmentSpan]:
    """Sentence spans of a document: each turn's speech on its own, or each paragraph when the
    document has no turns. Offsets are indices into `text`."""
    from qualcode.store import SegmentSpan

    pieces: list[tuple[int, int, int | None]] = []
    if turns:
        for index, turn in enumerate(turns):
            pieces.extend((s, e, index) for s, e in _split_long(text, turn.start, turn.end))
    else:
        for start, end in paragraphs(text):
            pieces.extend((s, e, None) for s, e in _split_long(text, start, end))
    segments: list[SegmentSpan] = []
    spans = sentence_spans((text[s:e] for s, e, _ in pieces), language, model=model, batch_size=batch_size)
    for (offset, _end, turn), sentences in zip(pieces, spans):
        segments.extend(SegmentSpan(offset + s, offset + e, turn) for s, e in sentences)
    return segments


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (text between blank lines), without surrounding whitespace."""
    result = []
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        start, end = strip_span(text, position, match.start())
        if start < end:
            result.append((start, end))
        position = match.end()
    start, end = strip_span(text, position, len(text))
    if start < end:
        result.append((start, end))
    return result


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the whitespace at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_long(text: str, start: int, end: int, limit: int = MAX_PIECE_CHARS) -> Iterator[tuple[int, int]]:
    """Cut [start, end) into pieces of at most `limit` characters at a line break or a space."""
    while end - start > limit:
        cut = text.rfind("\n", start + limit // 2, start + limit)
        if cut < 0:
            cut = text.rfind(" ", start + limit // 2, start + limit)
        if cut < 0:
            cut = start + limit
        yield start, cut
        start = cut
    if start < end:
        yield start, end


# ---------------------------------------------------------------------------- lemmas
LEMMA_LANGUAGES = ("fi", "en")
LEMMATISER_VERSION = "2"
"""Raise this whenever `lemmatize` gives different lemmas for some words: a project's search
index records the version it was built with and is rebuilt when it differs."""


@functools.lru_cache(maxsize=500_000)
def lemmatize(word: str, language: str) -> str:
    """The lower-cased base form of a word (`asiakkaiden` -> `asiakas`, `oon` -> `olla`).

    Languages other than Finnish and English return the lower-cased word. The first Finnish
    call loads simplemma's Finnish data (a few seconds); every word is cached afterwards.
    """
    if language not in LEMMA_LANGUAGES or not word:
        return word.lower()
    import simplemma

    word = word.lower()
    lemma = simplemma.lemmatize(word, lang=language).lower()
    if language == "fi":
        lemma = _spoken_finnish_lemma(word, lemma, simplemma)
    return lemma


# Spoken Finnish, as transcribed, drops sounds that the written forms have; simplemma knows the
# written forms (and some frequent spoken ones: oon, ollu, mun). When it does not recognise a
# word, the written forms below are tried, and the first one it knows gives the lemma.
_FINNISH_OVERRIDES = {"yhdessä": "yhdessä"}
"""Words whose usual reading is not simplemma's (`yhdessä`, together, is not a form of `yksi`)."""

_CLITICS = ("kin", "kaan", "kään", "han", "hän")
_SPOKEN_PARTICIPLE = re.compile(r"[^aeiouyäö][uy]$")  # kertonu, miettiny -> kertonut, miettinyt
_SPOKEN_PAST = re.compile(r"[^aeiouyäö][uyoö]$")  # muuttu, kasvo -> muuttui, kasvoi
_PASSIVE_PARTICIPLE = re.compile(r"tt[uy]$")  # ehdotettu -> (ehdotettiin ->) ehdottaa
_DROPPED_I = re.compile(r"(?<=[aouäöy])(?=[st])")  # tavotteet, semmosen, tällaseen


def _spoken_finnish_lemma(word: str, lemma: str, simplemma) -> str:
    """The lemma of a spoken Finnish form simplemma does not know, through its written form."""
    if word in _FINNISH_OVERRIDES:
        return _FINNISH_OVERRIDES[word]
    if len(word) < 5 or (lemma != word and simplemma.is_known(word, lang="fi")):
        return lemma
    if simplemma.is_known(word, lang="fi"):
        # A base form it knows (asia, osasto, tuntu): only a passive participle (ehdotettu,
        # arvostettu) is read as its verb, since simplemma keeps those as they are.
        if _PASSIVE_PARTICIPLE.search(word) and len(word) > 5:  # not juttu, tuttu
            written = word[:-1] + "iin"
            verb = simplemma.lemmatize(written, lang="fi").lower()
            if simplemma.is_known(written, lang="fi") and verb != written and verb.endswith(("a", "ä")):
                return verb
        return lemma
    for written in _written_forms(word):
        if simplemma.is_known(written, lang="fi"):
            candidate = simplemma.lemmatize(written, lang="fi").lower()
            if candidate != written or lemma == word:
                return candidate
    return lemma


def _written_forms(word: str) -> Iterator[str]:
    """Written Finnish forms a spoken word may stand for, most likely first."""
    for clitic in _CLITICS:  # suositellukin -> suositellu
        if word.endswith(clitic) and len(word) > len(clitic) + 3:
            base = word[:-len(clitic)]
            yield base
            yield from _written_forms(base)
    if _SPOKEN_PARTICIPLE.search(word):
        yield word + "t"  # kasvanu -> kasvanut
    if word.endswith(("tais", "täis")):
        yield word + "iin"  # voitais, tehtäis -> voitaisiin, tehtäisiin
    if word.endswith("is"):
        yield word + "i"  # tekis, haluais -> tekisi, haluaisi
    if word.endswith("ks"):
        yield word + "i"  # jouluks, toiseks -> jouluksi, toiseksi
    if _PASSIVE_PARTICIPLE.search(word) and len(word) > 5:
        yield word[:-1] + "iin"  # ehdotettu -> ehdotettiin
    if _SPOKEN_PAST.search(word):
        yield word + "i"  # tuntu -> tuntui
    for match in _DROPPED_I.finditer(word):
        yield word[:match.start()] + "i" + word[match.start():]  # tavotteet -> tavoitteet


def lemma_tokens(text: str, language: str) -> list[tuple[int, int, str, str]]:
    """Every word of `text` as (start, end, surface, lemma); offsets index `text`."""
    return [(m.start(), m.end(), m.group(), lemmatize(m.group(), language)) for m in WORD.finditer(text)]


# ---------------------------------------------------------------------------- language
_FINNISH_WORDS = frozenset(
    "ja on ei se että mä niin kun ole oli me mutta sit no joo kyllä tota tää vaan myös ovat olla siis jos mitä "
    "mikä kanssa sitten meillä meidän ne ihan nyt sen mun sä te he hän tai vai eli koska kuin vähän aika "
    "tosi asiakkaat asiakas".split())
_ENGLISH_WORDS = frozenset(
    "the and to of a is that it in you we i for was this so but they have with yeah our are be not what "
    "do there like just know think about would really can if on at".split())


def guess_language(text: str, sample: int = 20_000) -> str:
    """"fi" or "en" from frequent function words and Finnish letters in the first characters."""
    head = text[:sample].lower()
    finnish = english = 0
    for word in WORD.findall(head):
        if word in _FINNISH_WORDS:
            finnish += 1
        elif word in _ENGLISH_WORDS:
            english += 1
    finnish += (head.count("ä") + head.count("ö")) // 4
    return "en" if english > finnish else "fi"
