"""Lemma-aware search over transcripts: query parsing, matching and keyword-in-context hits.

A query is one or more words matched as a phrase (consecutive words), alternatives joined
with ``OR``; a word ending in ``*`` is a prefix. In *lemma* mode (the default) every word is
compared by base form, so ``asiakas`` finds ``asiakkaiden`` and ``asiakkaille`` and ``customer``
finds ``customers``; in *exact* mode the written form is compared (case-insensitively). A
*regex* query is a Python regular expression over the stored text.

The store keeps an index of *chunks* (one per speaker turn, or per paragraph in a document
without turns) with each chunk's text and its words' lemmas; it narrows a query down to
candidate chunks and this module finds the exact hits in them. Words are tokenised here, the
same way when indexing and when searching, so token ``i`` of a chunk always pairs with lemma
``i`` of the index. Offsets in hits are indices into the stored document text.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, NamedTuple

from qualcode.coding.models import natural_key
from qualcode.errors import InputError

WORD = re.compile(r"[^\W_]+")
"""A word: letters and digits. Hyphens and apostrophes split (`kanta-asiakas` is two words)."""

_QUERY_WORD = re.compile(r"[^\W_]+\*?")
_ALTERNATIVES = re.compile(r"\s+OR\s+")

MODES = ("lemma", "exact", "regex")
SCOPES = ("match", "segment", "turn")
DEFAULT_CONTEXT = 40


# ---------------------------------------------------------------------------- words and lemmas
_LEMMA_CACHE: dict[str, dict[str, str]] = {}


def lemma_of(word: str, language: str) -> str:
    """The lemma of a lower-cased word, computed once per word type and language.

    A lemma that is not itself one word (simplemma rarely returns one with a hyphen) falls
    back to the word, so lemmas and words always pair one to one.
    """
    cache = _LEMMA_CACHE.setdefault(language, {})
    lemma = cache.get(word)
    if lemma is None:
        from qualcode import nlp  # simplemma's data load on first use

        lemma = nlp.lemmatize(word, language)  # spoken Finnish through its written forms too
        if not WORD.fullmatch(lemma):
            lemma = word
        cache[word] = lemma
    return lemma



def words(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The lower-cased words of text[start:end], as the index stores them."""
    return [w.lower() for w in WORD.findall(text, start, len(text) if end is None else end)]


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the words of text[start:end], in the same order as `words`."""
    return [m.span() for m in WORD.finditer(text, start, len(text) if end is None else end)]


def lemmas(tokens: Iterable[str], language: str) -> list[str]:
    return [lemma_of(token, language) for token in tokens]


@dataclass(frozen=True)
class Chunk:
    """A stretch of a document searched as a whole: a speaker turn, or a paragraph."""

    start: int
    end: int
    turn_id: int | None = None
    role: str = "other"
    speaker: str | None = None


def document_chunks(text: str, turns: Sequence[Any]) -> list[Chunk]:
    """A document's chunks: its turns' speech, or its paragraphs when it has no turns."""
    if turns:
        return [Chunk(t.start, t.end, t.id, t.role, t.speaker) for t in turns if t.end > t.start]
    from qualcode.nlp import paragraphs  # the paragraphs segmentation uses, too

    return [Chunk(start, end) for start, end in paragraphs(text)]


# ---------------------------------------------------------------------------- queries
@dataclass(frozen=True)
class Term:
    """One query word, lower-cased; `prefix` when written with a trailing `*`."""

    text: str
    prefix: bool = False


Phrase = tuple[Term, ...]


@dataclass(frozen=True)
class Query:
    """A parsed query: alternatives (each a phrase of terms) or a compiled regex."""

    text: str
    mode: str  # lemma | exact | regex
    phrases: tuple[Phrase, ...] = ()
    pattern: re.Pattern[str] | None = None

    @cached_property
    def has_prefix(self) -> bool:
        return any(term.prefix for phrase in self.phrases for term in phrase)

    def phrases_for(self, language: str) -> tuple[Phrase, ...]:
        """The phrases with each whole word replaced by its lemma in `language` (lemma mode)."""
        if self.mode != "lemma":
            return self.phrases
        return tuple(tuple(t if t.prefix else Term(lemma_of(t.text, language)) for t in phrase)
                     for phrase in self.phrases)


def parse_query(text: str, *, mode: str = "lemma", ignore_case: bool = True) -> Query:
    """Parse what a user typed into a `Query`; an unusable query is an `InputError`."""
    if mode not in MODES:
        raise InputError(f"Unknown search mode {mode!r}; use one of {', '.join(MODES)}.")
    if not text.strip():
        raise InputError("The search query is empty; type a word, a phrase or a regular expression.")
    if mode == "regex":
        try:
            pattern = re.compile(text, re.IGNORECASE if ignore_case else 0)
        except re.error as error:
            raise InputError(f"The regular expression {text!r} is not valid ({error}); "
                             "escape special characters such as ( or ? with a backslash.") from None
        return Query(text, mode, pattern=pattern)
    phrases: list[Phrase] = []
    for alternative in _ALTERNATIVES.split(text.strip()):
        terms = tuple(Term(m.group().rstrip("*").lower(), m.group().endswith("*"))
                      for m in _QUERY_WORD.finditer(alternative))
        if not terms:
            raise InputError(f"The query part {alternative!r} has no words to search for; "
                             "use --regex to search for punctuation.")
        phrases.append(terms)
    return Query(text, mode, phrases=tuple(dict.fromkeys(phrases)))


def find_phrase(phrase: Phrase, surfaces: Sequence[str] | None, lemma_list: Sequence[str] | None,
                mode: str) -> Iterator[int]:
    """Token indices where `phrase` starts in a chunk, comparing lemmas (lemma mode) or the
    lower-cased written forms (exact mode, and prefix terms in both modes)."""
    n = len(phrase)

    def matches(term: Term, i: int) -> bool:
        if term.prefix:
            return surfaces[i].startswith(term.text) or (  # type: ignore[index]
                mode == "lemma" and lemma_list is not None and lemma_list[i].startswith(term.text))
        if mode == "lemma":
            return lemma_list[i] == term.text  # type: ignore[index]
        return surfaces[i] == term.text  # type: ignore[index]

    total = len(lemma_list if lemma_list is not None else surfaces)  # type: ignore[arg-type]
    for i in _positions(phrase[0], surfaces, lemma_list, mode):
        if i + n <= total and all(matches(term, i + k) for k, term in enumerate(phrase[1:], start=1)):
            yield i


def _positions(term: Term, surfaces: Sequence[str] | None, lemma_list: Sequence[str] | None,
               mode: str) -> list[int]:
    """Indices of the tokens one term matches (list.index runs in C, so scanning is cheap)."""
    if term.prefix:
        found = {i for i, s in enumerate(surfaces) if s.startswith(term.text)}  # type: ignore[arg-type]
        if mode == "lemma" and lemma_list is not None:
            found.update(i for i, s in enumerate(lemma_list) if s.startswith(term.text))
        return sorted(found)
    tokens = lemma_list if mode == "lemma" else surfaces
    result: list[int] = []
    index = -1
    try:
        while True:
            index = tokens.index(term.text, index + 1)  # type: ignore[union-attr]
            result.append(index)
    except ValueError:
        return result


def encode_offsets(spans: Sequence[tuple[int, int]], length: int) -> bytes:
    """Word offsets relative to a chunk, packed (2 bytes each while the chunk is < 64k)."""
    flat = array(_offset_type(length))
    for start, end in spans:
        flat.append(start)
        flat.append(end)
    return flat.tobytes()


def _offset_type(length: int) -> str:
    return "H" if length < 65536 else "I"


def chunk_offsets(row: ChunkRow) -> Sequence[int]:
    """The chunk's word offsets, flat: word i is text[flat[2i]:flat[2i + 1]]."""
    if row.offsets is not None:
        flat = array(_offset_type(len(row.text)))
        flat.frombytes(row.offsets)
        return flat
    result: list[int] = []
    for match in WORD.finditer(row.text):
        result.extend(match.span())
    return result


# ---------------------------------------------------------------------------- results
@dataclass(frozen=True)
class SearchFilters:
    """Which parts of the corpus to search."""

    respondent_turns_only: bool = False
    respondents: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()  # (name, value): respondents with all of them
    code_ids: tuple[int, ...] = ()  # inside passages coded with one of these (children included)
    document_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One match with its keyword-in-context: `left + text + right` is a stretch of the
    stored text, and `left`/`right` never cross the turn (chunk) the match is in."""

    document_id: int
    document: str
    respondent: str | None
    start: int
    end: int
    text: str
    left: str
    right: str
    role: str = "other"
    speaker: str | None = None
    turn_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document, "respondent": self.respondent, "start": self.start,
                "end": self.end, "text": self.text, "left": self.left, "right": self.right}


class ChunkRow(NamedTuple):
    """A candidate chunk handed over by the store: where it is, its text, lemmas and word offsets."""

    id: int | None
    document_id: int
    turn_id: int | None
    role: str
    speaker: str | None
    language: str
    start: int
    end: int
    text: str
    lemma: str | None = None
    offsets: bytes | None = None


_LEADING_WORD = re.compile(r"[^\W_]*")
_LEADING_GAP = re.compile(r"[\W_]*")
_TRAILING_WORD = re.compile(r"[^\W_]+\Z")
_TRAILING_GAP = re.compile(r"[\W_]+\Z")


def kwic(text: str, start: int, end: int, *, width: int = DEFAULT_CONTEXT, lower: int = 0,
         upper: int | None = None) -> tuple[str, str]:
    """Left and right context of text[start:end]: at most `width` characters each side, never
    beyond [lower, upper). Where the width cuts the context short, it starts at the first whole
    word (left) and ends at the last whole word (right), so no word is shown cut in half."""
    upper = len(text) if upper is None else upper
    left_start = max(lower, start - width)
    if left_start > lower:
        if _is_word(text, left_start - 1):
            left_start = _LEADING_WORD.match(text, left_start, start).end()
        left_start = _LEADING_GAP.match(text, left_start, start).end()
    right_end = min(upper, end + width)
    if right_end < upper:
        if _is_word(text, right_end):
            cut = _TRAILING_WORD.search(text, end, right_end)
            right_end = cut.start() if cut else right_end
        gap = _TRAILING_GAP.search(text, end, right_end)
        right_end = gap.start() if gap else right_end
    return text[left_start:start], text[end:right_end]


def _is_word(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isalnum()


@dataclass
class _Meta:
    title: str
    respondent: str | None
    language: str
    order: tuple


def search(store: Any, query: str | Query, *, mode: str = "lemma", filters: SearchFilters | None = None,
           limit: int | None = None, context: int = DEFAULT_CONTEXT) -> list[SearchHit]:
    """Search the project; hits in document order (respondents naturally sorted), then by offset.

    With `limit`, at most that many hits are returned (the first ones in index order). The index
    is brought up to date first when the project is writable; in a read-only project, documents
    not yet indexed are searched directly (slower, same results).
    """
    parsed = query if isinstance(query, Query) else parse_query(query, mode=mode)
    filters = filters or SearchFilters()
    if not store.read_only:
        store.ensure_index()
    meta = {doc_id: _Meta(title, respondent, language, (natural_key(respondent or "~"), rnd or 0, natural_key(title)))
            for doc_id, title, respondent, language, rnd in store.search_document_meta()}
    allowed = store.search_document_ids(filters)
    coded = store.search_coded_spans(filters.code_ids) if filters.code_ids else None
    hits: list[SearchHit] = []
    languages = sorted({m.language for doc_id, m in meta.items() if allowed is None or doc_id in allowed})
    phrases = {language: parsed.phrases_for(language) for language in languages}
    for row in _candidate_rows(store, parsed, phrases, filters, allowed):
        if row.language not in phrases:
            phrases[row.language] = parsed.phrases_for(row.language)
        for start, end in _row_matches(parsed, phrases[row.language], row):
            if coded is not None and not any(s <= start and end <= e for s, e in coded.get(row.document_id, ())):
                continue
            info = meta[row.document_id]
            rel_start, rel_end = start - row.start, end - row.start
            left, right = kwic(row.text, rel_start, rel_end, width=context)
            hits.append(SearchHit(row.document_id, info.title, info.respondent, start, end,
                                  row.text[rel_start:rel_end], left, right, row.role, row.speaker, row.turn_id))
            if limit is not None and len(hits) >= limit:
                break
        if limit is not None and len(hits) >= limit:
            break
    hits.sort(key=lambda h: (meta[h.document_id].order, h.document_id, h.start, h.end))
    return hits


def _candidate_rows(store: Any, query: Query, phrases: dict[str, tuple[Phrase, ...]], filters: SearchFilters,
                    allowed: set[int] | None) -> Iterator[ChunkRow]:
    """Candidate chunks from the index, then (read-only projects) from unindexed documents."""
    if query.mode == "regex":
        yield from _regex_rows(store, query, filters, allowed)
    else:
        for language, language_phrases in phrases.items():
            yield from store.search_chunk_rows(language_phrases, query.mode, language=language, filters=filters)
    if store.read_only:
        for doc_id in store.unindexed_documents():
            if allowed is not None and doc_id not in allowed:
                continue
            yield from live_chunk_rows(store, doc_id, filters)


def _regex_rows(store: Any, query: Query, filters: SearchFilters, allowed: set[int] | None) -> Iterator[ChunkRow]:
    """Chunks a regex may match in: narrowed by the index when the pattern must match a word
    starting with a known literal (`\\bminimitilau\\w*`), else found by running the pattern over
    each whole document and keeping the chunks its matches touch (all of the document's chunks
    when the pattern has anchors or lookarounds, which may judge a chunk's edges differently)."""
    pattern = query.pattern
    literal = required_word_start(pattern)  # type: ignore[arg-type]
    if literal:
        yield from store.search_chunk_rows(((Term(literal, prefix=True),),), "exact", filters=filters)
        return
    local = _chunk_independent(pattern)  # type: ignore[arg-type]
    unindexed = set(store.unindexed_documents())
    for doc_id in sorted(d for d, *_ in store.search_document_meta() if d not in unindexed):
        if allowed is not None and doc_id not in allowed:
            continue
        text = store.document_text(doc_id)
        if local:
            spans = [(m.start(), max(m.end(), m.start() + 1)) for m in pattern.finditer(text)]  # type: ignore[union-attr]
        else:
            spans = [(0, len(text))] if pattern.search(text) else []  # type: ignore[union-attr]
        if spans:
            yield from store.search_chunk_rows(None, "regex", filters=replace(filters, document_ids=(doc_id,)),
                                               overlapping=spans)


def _chunk_independent(pattern: re.Pattern[str]) -> bool:
    """Whether the pattern matches the same inside a chunk as in the whole text: no anchors
    other than word boundaries, no lookarounds."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # an internal API: without it, assume the worst
        return False

    def walk(items: Any) -> bool:
        for op, value in items:
            name = str(op)
            if name in ("ASSERT", "ASSERT_NOT", "GROUPREF", "GROUPREF_EXISTS"):
                return False
            if name == "AT" and str(value) not in ("AT_BOUNDARY", "AT_NON_BOUNDARY"):
                return False
            for part in value if isinstance(value, (list, tuple)) else ():
                if isinstance(part, _parser.SubPattern) and not walk(part):
                    return False
                if isinstance(part, list) and any(isinstance(x, _parser.SubPattern) and not walk(x) for x in part):
                    return False
        return True

    return walk(parsed)


def required_word_start(pattern: re.Pattern[str]) -> str | None:
    """The longest run of letters every match must start a word with, or None if unknown."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        items = list(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # an internal API: without it, just scan
        return None
    starts = {"AT_BOUNDARY", "AT_BEGINNING", "AT_BEGINNING_STRING"}
    best = ""
    for index, (op, value) in enumerate(items):
        if str(op) == "BRANCH":
            return None
        if str(op) == "AT" and str(value) in starts:
            run = []
            for next_op, next_value in items[index + 1:]:
                if str(next_op) != "LITERAL" or not chr(next_value).isalnum():
                    break
                run.append(chr(next_value))
            if len(run) > len(best):
                best = "".join(run)
    return best.lower() if len(best) >= 2 else None


def live_chunk_rows(store: Any, doc_id: int, filters: SearchFilters) -> Iterator[ChunkRow]:
    """Chunks of a document computed on the fly, as the index would hold them."""
    doc = store.document(doc_id)
    text = store.document_text(doc_id)
    for chunk in document_chunks(text, store.turns(doc_id)):
        if filters.respondent_turns_only and chunk.role != "respondent":
            continue
        chunk_text = text[chunk.start:chunk.end]
        yield ChunkRow(None, doc_id, chunk.turn_id, chunk.role, chunk.speaker, doc.language, chunk.start,
                       chunk.end, chunk_text, " ".join(lemmas(words(chunk_text), doc.language)))


def _row_matches(query: Query, phrases: tuple[Phrase, ...], row: ChunkRow) -> list[tuple[int, int]]:
    """Absolute (start, end) of each match of the query in one chunk, in order."""
    if query.mode == "regex":
        return [(row.start + m.start(), row.start + m.end())
                for m in query.pattern.finditer(row.text) if m.end() > m.start()]  # type: ignore[union-attr]
    flat = chunk_offsets(row)
    if query.mode == "exact":
        found = _exact_matches(phrases, row, flat)
        if found is not None:
            return found
    count = len(flat) // 2
    lemma_list = row.lemma.split(" ") if row.lemma else []
    surfaces: list[str] | None = None
    if query.mode == "exact" or query.has_prefix or len(lemma_list) != count:
        lowered = row.text.lower()
        if len(lowered) != len(row.text):  # lower() changed a length (rare letters): per word
            surfaces = [row.text[flat[2 * i]:flat[2 * i + 1]].lower() for i in range(count)]
        else:
            surfaces = [lowered[flat[2 * i]:flat[2 * i + 1]] for i in range(count)]
        if len(lemma_list) != count:  # an index from another tokeniser: recompute the lemmas
            lemma_list = lemmas(surfaces, row.language)
    base = row.start
    if len(phrases) == 1:
        last = 2 * (len(phrases[0]) - 1) + 1
        return [(base + flat[2 * i], base + flat[2 * i + last])
                for i in find_phrase(phrases[0], surfaces, lemma_list, query.mode)]
    found: set[tuple[int, int]] = set()
    for phrase in phrases:
        last = 2 * (len(phrase) - 1) + 1
        found.update((base + flat[2 * i], base + flat[2 * i + last])
                     for i in find_phrase(phrase, surfaces, lemma_list, query.mode))
    return sorted(found)


def _exact_matches(phrases: tuple[Phrase, ...], row: ChunkRow, flat: Sequence[int]) -> list[tuple[int, int]] | None:
    """Exact whole-word matches found with str.find on the lower-cased chunk (no per-word
    lists); None when lower-casing changes the text's length and offsets would not line up."""
    lowered = row.text.lower()
    if len(lowered) != len(row.text):
        return None
    starts = flat[0::2]
    found: set[tuple[int, int]] = set()

    def word_is(index: int, term: Term) -> bool:
        word = lowered[flat[2 * index]:flat[2 * index + 1]]
        return word.startswith(term.text) if term.prefix else word == term.text

    for phrase in phrases:
        first = phrase[0]
        position = lowered.find(first.text)
        while position >= 0:
            index = bisect_left(starts, position)
            if index < len(starts) and starts[index] == position and word_is(index, first):
                last = index + len(phrase) - 1
                if last < len(starts) and all(word_is(index + k, term) for k, term in enumerate(phrase[1:], start=1)):
                    found.add((row.start + position, row.start + flat[2 * last + 1]))
            position = lowered.find(first.text, position + 1)
    return sorted(found)


# ---------------------------------------------------------------------------- coding the results
def coding_spans(store: Any, hits: Iterable[SearchHit], scope: str = "segment") -> list[tuple[int, int, int]]:
    """(document, start, end) to code for the hits: the match itself, the sentence segment(s)
    it lies in, or its whole turn. Duplicates are dropped, order kept."""
    if scope not in SCOPES:
        raise InputError(f"Unknown scope {scope!r}; use one of {', '.join(SCOPES)}.")
    spans: dict[tuple[int, int, int], None] = {}
    segments: dict[int, list] = {}
    turns: dict[int, dict[int, Any]] = {}
    for hit in hits:
        start, end = hit.start, hit.end
        if scope == "segment":
            if hit.document_id not in segments:
                segments[hit.document_id] = store.segments(hit.document_id)
            inside = [s for s in segments[hit.document_id] if s.start < end and s.end > start]
            if inside:
                start, end = min(s.start for s in inside), max(s.end for s in inside)
        elif scope == "turn" and hit.turn_id is not None:
            if hit.document_id not in turns:
                turns[hit.document_id] = {t.id: t for t in store.turns(hit.document_id)}
            turn = turns[hit.document_id].get(hit.turn_id)
            if turn is not None:
                start, end = turn.start, turn.end
        spans[(hit.document_id, start, end)] = None
    return list(spans)


def code_all_results(store: Any, hits: Sequence[SearchHit], code_id: int, *, scope: str = "segment",
                     query: str = "") -> list[int]:
    """Code every hit with one code as ONE undoable action; returns the coding ids."""
    items = [(doc, code_id, start, end) for doc, start, end in coding_spans(store, hits, scope)]
    if not items:
        return []
    name = store.code(code_id).name
    what = f" '{query}'" if query else ""
    return store.add_codings(items, description=f"code search results{what} as {name}", origin="search")


__all__ = [
    "WORD", "Chunk", "ChunkRow", "Query", "SearchFilters", "SearchHit", "Term", "code_all_results",
    "coding_spans", "document_chunks", "find_phrase", "kwic", "lemma_of", "lemmas", "parse_query",
    "search", "word_spans", "words",
]
