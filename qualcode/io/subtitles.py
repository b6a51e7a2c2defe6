"""Subtitles from transcription software (SubRip .srt, WebVTT .vtt) as a transcript with turns.

The speaker of a cue comes from a WebVTT voice tag (`<v Name>`), or from a `Name:` or `[Name]`
prefix; a cue without one continues the previous speaker. Consecutive cues of one speaker form
one turn, whose timestamp is its first cue's start. The stored text renders each turn as a
`Speaker: text` paragraph, paragraphs separated by a blank line. Files without any speaker
become plain paragraphs (a new one after a pause of two seconds or more) and no turns.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from qualcode.errors import InputError
from qualcode.io.turns import speaker_role
from qualcode.store import TurnSpan

PARAGRAPH_PAUSE = 2.0
"""Seconds of silence that start a new paragraph in a file without speakers."""

_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3})")
_VOICE = re.compile(r"<v(?:\.[^\s>]+)*(?:\s+(?P<name>[^>]*))?>")
_TAG = re.compile(r"</?[^>\n]*>")
_PREFIX = re.compile(r"^(?:-\s*)?(?:\[(?P<bracketed>[^\]\n]{1,40})\]\s*:?|(?P<label>[^\W\d_][\w'’.-]*(?: [\w'’.-]+){0,2}?)\s*:)\s+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


@dataclass
class Cue:
    start: str
    seconds: float
    end_seconds: float
    speaker: str | None
    text: str


def read_subtitles(text: str, fmt: str, name: str) -> tuple[str, list[TurnSpan]]:
    """The transcript text and its turns from normalised subtitle text (`fmt` is srt or vtt)."""
    cues = parse_cues(text, fmt, name)
    return render(cues)


def parse_cues(text: str, fmt: str, name: str) -> list[Cue]:
    text = text.lstrip("\ufeff")
    if fmt == "vtt" and not text.startswith("WEBVTT"):
        raise InputError(f"{name} is not a WebVTT file: it must start with the line WEBVTT. "
                         "If it is SubRip, rename it to .srt; if it is a plain transcript, to .txt.")
    cues: list[Cue] = []
    for block in _BLANK_LINES.split(text):
        lines = block.strip("\n").split("\n")
        timing_at = next((i for i, line in enumerate(lines[:3]) if "-->" in line), None)
        if timing_at is None:
            continue  # header, NOTE, STYLE, REGION, or stray text
        match = _TIMING.match(lines[timing_at])
        if match is None:
            continue
        start, end = match.group("start"), match.group("end")
        for speaker, words in _payload(lines[timing_at + 1:]):
            cues.append(Cue(_clock(start), _seconds(start), _seconds(end), speaker, words))
    if not cues:
        kind = "WebVTT" if fmt == "vtt" else "SubRip"
        raise InputError(f"{name} has no subtitle cues (lines like 00:00:01.000 --> 00:00:04.000); "
                         f"check that it is a {kind} file.")
    return cues


def _payload(lines: list[str]) -> list[tuple[str | None, str]]:
    """(speaker, text) pieces of one cue; a line with its own voice tag starts a new piece."""
    pieces: list[tuple[str | None, list[str]]] = []
    for line in lines:
        speaker = None
        voice = _VOICE.search(line)
        if voice:
            speaker = (voice.group("name") or "").strip() or None
        line = html.unescape(_TAG.sub("", line)).replace("\u00a0", " ").strip()
        if speaker is None:
            prefix = _PREFIX.match(line)
            if prefix:
                speaker = (prefix.group("bracketed") or prefix.group("label")).strip()
                line = line[prefix.end():]
        if not line:
            continue
        if speaker is not None or not pieces:
            pieces.append((speaker, [line]))
        else:
            pieces[-1][1].append(line)
    return [(speaker, " ".join(words)) for speaker, words in pieces]


def render(cues: list[Cue]) -> tuple[str, list[TurnSpan]]:
    """Merge cues into turns (or paragraphs) and lay them out as text."""
    has_speakers = any(cue.speaker for cue in cues)
    groups: list[tuple[str | None, str, list[str]]] = []  # speaker, timestamp, texts
    current: str | None = None
    last_end = 0.0
    for cue in cues:
        speaker = cue.speaker or current
        new = (not groups or speaker != current
               or (not has_speakers and cue.seconds - last_end >= PARAGRAPH_PAUSE))
        if new:
            groups.append((speaker, cue.start, [cue.text]))
        else:
            groups[-1][2].append(cue.text)
        current = speaker
        last_end = cue.end_seconds
    parts: list[str] = []
    turns: list[TurnSpan] = []
    position = 0
    for speaker, stamp, texts in groups:
        label = f"{speaker}: " if speaker else ""
        speech = " ".join(texts)
        if parts:
            position += 2
        if has_speakers:
            start = position + len(label)
            turns.append(TurnSpan(speaker or "", speaker_role(speaker or ""), start, start + len(speech),
                                  position, stamp))
        parts.append(label + speech)
        position += len(label) + len(speech)
    return "\n\n".join(parts), turns


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    seconds = float(parts[-1])
    for index, part in enumerate(reversed(parts[:-1]), start=1):
        seconds += int(part) * 60 ** index
    return seconds


def _clock(stamp: str) -> str:
    """`00:00:01,000` / `00:01.000` -> `00:00:01.000` (hours always present, dot before ms)."""
    stamp = stamp.replace(",", ".")
    if stamp.count(":") == 1:
        stamp = "00:" + stamp
    hours, rest = stamp.split(":", 1)
    return f"{int(hours):02d}:{rest}"
