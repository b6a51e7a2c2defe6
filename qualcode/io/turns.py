"""Speaker turns in a transcript, and which respondent a transcript belongs to.

A turn starts at a line that begins with a speaker label and a colon (`H:`, `V:`,
`Haastattelija:`, `H3:`, `I:`, `R:`, `Interviewer:`, `Q:`, `Asiantuntija 2:`, `Expert 4:`, or a
name that recurs at line starts), optionally with a timestamp before the label
(`[00:12:31] V: ...`, `(12:31) H: ...`) or right after it (`H5: (12:31) ...`). Lines without a
label continue the current turn; text before the first label is an `other` turn. A label only
counts at the start of a line, and an unknown one only if it is short, capitalised and recurs,
so `Sit mä sanoin: ...` inside an answer never starts a turn.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from qualcode.errors import InputError
from qualcode.nlp import strip_span
from qualcode.store import TurnSpan

INTERVIEWER_LABELS = frozenset({
    "h", "haastattelija", "haast", "interviewer", "int", "i", "q", "moderator", "mod", "kysymys", "question",
    "fasilitaattori", "facilitator",
})
"""Labels (case-insensitive) of the interviewer; a long one may carry a number (`Interviewer 2`)."""

_KNOWN_WORDS = (
    "haastattelija|haast|haastateltava|vastaaja|vastaus|kysymys|interviewer|interviewee|participant|respondent|"
    "moderator|mod|int|resp|asiantuntija|expert|speaker|puhuja|osallistuja|informantti|informant|question|answer|"
    "fasilitaattori|facilitator"
)
_KNOWN_LABEL = re.compile(rf"(?:[HVIRQAP]\d{{0,3}}|(?i:{_KNOWN_WORDS})(?:[ _]?\d{{1,3}})?)")
"""Built-in labels: the single capital letters of the usual conventions (with an optional
respondent number) and the usual words in Finnish and English (with an optional number)."""

_NOT_SPEAKERS = frozenset(
    "esim esimerkiksi huom note example eli siis mutta ja tai so but and then sitten kyllä joo yes no okay ok "
    "niin tiivistelmä summary yhteenveto kommentti comment lähde source otsikko title aihe topic teema theme "
    "tausta background päivämäärä date paikka place kesto duration".split())
"""Capitalised words that start lines with a colon in prose; never taken for recurring names."""

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_LABEL_LINE = re.compile(
    rf"""(?P<ts_before>\[{_TIME}\]|\({_TIME}\)|{_TIME})?[ \t]*      # [00:12:31] before the label
    (?P<label>[^\W\d_][\w'’.-]*(?:[ ][\w'’.-]+){{0,2}}?)            # one to three words
    [ \t]*:(?=\s|$)[ \t]*                                         # a colon, then space or line end
    (?:(?P<ts_after>\[{_TIME}\]|\({_TIME}\))[ \t]*)?               # (12:31) right after it
    """, re.X)
MAX_LABEL_CHARS = 30
_LINE_START = re.compile(r"^[ \t]*(?=\S)", re.M)

_ID_LIKE = re.compile(r"[^\W\d_]{1,3} ?\d{1,3}|[^\W\d_]{4,20}[ _]?\d{1,3}")
_GENERIC_SPEAKER = re.compile(r"(?i:speaker|puhuja)[ _]?\d*")
_STEM_ID = re.compile(r"(?<![^\W_])([^\W\d_]{1,3}\d{1,3})(?![^\W_])")


@dataclass(frozen=True)
class _LabelMatch:
    line_start: int
    speech_start: int
    speaker: str
    timestamp: str | None


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A user's turn pattern: a regular expression with a named group `speaker` (and optionally
    `timestamp`), matched at the start of each line."""
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise InputError(f"The turn pattern {pattern!r} is not a valid regular expression ({error}). "
                         r"Example: --pattern '^(?P<speaker>[A-Z]\w*):\s*'") from None
    if "speaker" not in compiled.groupindex:
        raise InputError(f"The turn pattern {pattern!r} has no named group `speaker`; write the label part as "
                         r"(?P<speaker>...), for example --pattern '^(?P<speaker>[A-Z]\w*):\s*'")
    return compiled


def speaker_role(speaker: str, interviewer_labels: Iterable[str] | None = ()) -> str:
    """`interviewer`, `respondent`, or `other` for a turn without a speaker."""
    if not speaker.strip():
        return "other"
    key = " ".join(speaker.split()).casefold()
    if key in {" ".join(label.split()).casefold() for label in interviewer_labels or ()}:
        return "interviewer"
    if key in INTERVIEWER_LABELS:
        return "interviewer"
    base = re.sub(r"[ _]?\d+$", "", key)
    if len(base) > 1 and base in INTERVIEWER_LABELS:  # `Interviewer 2`, but `H3` is a respondent
        return "interviewer"
    return "respondent"


def detect_turns(text: str, *, pattern: str | re.Pattern[str] | None = None,
                 interviewer_labels: Iterable[str] | None = None) -> list[TurnSpan]:
    """Speaker turns in `text`, in order; an empty list when no line starts with a speaker label.

    `pattern` (a user regex, see `compile_pattern`) replaces the built-in conventions;
    `interviewer_labels` are labels of the interviewer besides the built-in ones.
    """
    interviewer_labels = tuple(interviewer_labels or ())
    if pattern is not None:
        compiled = compile_pattern(pattern) if isinstance(pattern, str) else pattern
        matches = _user_matches(text, compiled)
    else:
        matches = _builtin_matches(text, interviewer_labels)
    if not matches:
        return []
    turns: list[TurnSpan] = []
    start, end = strip_span(text, 0, matches[0].line_start)
    if start < end:
        turns.append(TurnSpan("", "other", start, end, start))
    for index, match in enumerate(matches):
        limit = matches[index + 1].line_start if index + 1 < len(matches) else len(text)
        speech_start, speech_end = strip_span(text, match.speech_start, limit)
        turns.append(TurnSpan(match.speaker, speaker_role(match.speaker, interviewer_labels), speech_start,
                              speech_end, match.line_start, match.timestamp))
    return turns


def with_roles(turns: Sequence[TurnSpan], interviewer_labels: Iterable[str] | None = ()) -> list[TurnSpan]:
    """The turns with roles recomputed for the given interviewer labels."""
    labels = tuple(interviewer_labels or ())
    return [replace(t, role=speaker_role(t.speaker, labels)) for t in turns]


def _builtin_matches(text: str, interviewer_labels: Sequence[str]) -> list[_LabelMatch]:
    user = {" ".join(label.split()).casefold() for label in interviewer_labels}
    candidates: list[tuple[int, re.Match[str]]] = []
    counts: Counter[str] = Counter()
    for line in _LINE_START.finditer(text):
        position = line.end()
        match = _LABEL_LINE.match(text, position)
        if match is None or len(match.group("label")) > MAX_LABEL_CHARS:
            continue
        candidates.append((position, match))
        counts[match.group("label")] += 1
    accepted: list[_LabelMatch] = []
    for position, match in candidates:
        label = match.group("label")
        known = _KNOWN_LABEL.fullmatch(label) is not None or " ".join(label.split()).casefold() in user
        if not known and not _recurring_name(label, counts[label]):
            continue
        stamp = match.group("ts_before") or match.group("ts_after")
        accepted.append(_LabelMatch(position, match.end(), label, stamp.strip("[]()") if stamp else None))
    return accepted


def _recurring_name(label: str, count: int) -> bool:
    """An unknown label counts when it recurs and looks like a name: at most two capitalised words
    (or a word and a number), not a common sentence opener."""
    if count < 2:
        return False
    words = label.split()
    if len(words) > 2 or not words[0][0].isupper() or words[0].casefold().rstrip(".") in _NOT_SPEAKERS:
        return False
    return all(w[0].isupper() or w.isdigit() for w in words[1:])


def _user_matches(text: str, pattern: re.Pattern[str]) -> list[_LabelMatch]:
    matches = []
    for line in re.finditer(r"^", text, re.M):
        match = pattern.match(text, line.start())
        if match is None or not match.group("speaker"):
            continue
        stamp = match.groupdict().get("timestamp")
        matches.append(_LabelMatch(line.start() + _leading_blank(text, line.start()), match.end(),
                                   match.group("speaker").strip(), stamp.strip("[]()") if stamp else None))
    return matches


def _leading_blank(text: str, position: int) -> int:
    count = 0
    while position + count < len(text) and text[position + count] in " \t":
        count += 1
    return count


# ---------------------------------------------------------------------------- respondents
def looks_like_id(label: str) -> bool:
    """A respondent ID such as `H3`, `R2`, `V1`, `Asiantuntija 2`, `Expert 4` (not `Speaker 1`)."""
    label = label.strip()
    return bool(_ID_LIKE.fullmatch(label)) and not _GENERIC_SPEAKER.fullmatch(label)


def respondent_from_turns(turns: Sequence[TurnSpan]) -> str | None:
    """The respondent when exactly one speaker is not the interviewer and their label is an ID."""
    speakers = {t.speaker for t in turns if t.role == "respondent"}
    if len(speakers) == 1:
        (speaker,) = speakers
        if looks_like_id(speaker):
            return speaker
    return None


def respondent_from_stem(stem: str) -> str | None:
    """An ID in a file name: `H3` -> H3, `haastattelu_h3` -> H3, `Asiantuntija 2` -> itself."""
    stem = stem.strip()
    if looks_like_id(stem):
        return stem if " " in stem or len(stem) > 6 else stem.upper()
    found = _STEM_ID.findall(stem)
    return found[-1].upper() if found else None


def choose_respondent(turns: Sequence[TurnSpan], path: Path, explicit: str | None = None) -> str:
    """The respondent a transcript belongs to: the one given; else the single non-interviewer
    speaker whose label is an ID; else an ID in the file name; else the file name itself."""
    if explicit and explicit.strip():
        return explicit.strip()
    return respondent_from_turns(turns) or respondent_from_stem(path.stem) or path.stem
