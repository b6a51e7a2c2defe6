"""Generate a scaled synthetic corpus of theme interviews for benchmarks.

    .venv/bin/python benchmarks/generate_corpus.py N OUTDIR [--words 9000] [--seed 2026]

Writes N plain-text transcripts of about `--words` words each, built from a small vocabulary
with a fixed seed (the same N and seed give the same files). Two in three are Finnish-like,
one in three English, and the speaker conventions rotate through those of real transcripts:
`H:`/`V:` with `[hh:mm:ss]` timestamps, `Haastattelija:`/`H12:` with `(mm:ss)` after the
label, and `Interviewer:`/`Participant:`. Answers run over several lines and contain pauses
(`…`), fillers and non-verbal notes, as transcripts do.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

FINNISH = {
    "nouns": ("asiakas asiakkaat tuote tuotteet toimitus toimitukset tilaus tilaukset hinta hinnat laatu myyjä "
              "yritys kauppa puoti messut valikoima varasto palaute kampanja some verkkokauppa kassa hyllytila "
              "sesonki joulu kesä kilpailija maahantuoja brändi pakkaus lasi kynttilä tekstiili kortti").split(),
    "verbs": ("on oli ostetaan tilataan myydään tulee menee toimii kestää haluan halutaan kysyy kertoo tykkää "
              "ärsyttää auttaa vaikuttaa näkyy löytyy riittää puuttuu tarvitaan sovitaan").split(),
    "small": ("ja että se mä me ne ei niin kun sit vähän ihan aina joskus tosi aika kyllä vaan myös sitten "
              "jos mutta tai tää meillä meidän teidän siinä siitä sille").split(),
    "adjectives": "hyvä huono nopea hidas kallis edullinen kotimainen uusi tärkeä helppo vaikea selkeä".split(),
    "fillers": ["öö", "tota", "niinku", "no", "joo"],
    "notes": ["(naurahtaa)", "(tauko)", "[epäselvä]"],
    "questions": ["Miten", "Millaisia", "Mitä", "Kuinka usein", "Kertoisitko", "Mikä", "Onko"],
}
ENGLISH = {
    "nouns": ("customer customers product products delivery deliveries order orders price prices quality seller "
              "company shop store fair range stock feedback campaign website checkout shelf season christmas "
              "summer competitor importer brand packaging glass candle textile card").split(),
    "verbs": ("is was buy order sell comes goes works takes want need asks tells likes annoys helps affects "
              "shows finds lasts misses agree").split(),
    "small": ("and that it I we they not so when then a bit just always sometimes really quite yes but also "
              "if or this our your there the of to in for").split(),
    "adjectives": "good bad fast slow expensive cheap local new important easy hard clear".split(),
    "fillers": ["um", "you know", "like", "well", "yeah"],
    "notes": ["[laughs]", "[pause]", "[inaudible]"],
    "questions": ["How", "What kind of", "What", "How often", "Could you tell me", "Which", "Is there"],
}
CONVENTIONS = ("hv", "haastattelija", "english")


def sentence(rng: random.Random, vocab: dict, length: int) -> str:
    pools = ("small", "small", "nouns", "verbs", "adjectives", "small", "nouns")
    words = [rng.choice(vocab[rng.choice(pools)]) for _ in range(length)]
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), rng.choice(vocab["fillers"]))
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    ending = rng.choices([".", ".", ".", "?", "…", "..."], k=1)[0]
    if rng.random() < 0.05:
        text += " " + rng.choice(vocab["notes"])
    return text + ending


def answer(rng: random.Random, vocab: dict, words: int) -> str:
    sentences: list[str] = []
    count = 0
    while count < words:
        length = rng.randint(5, 22)
        sentences.append(sentence(rng, vocab, length))
        count += length
    lines: list[str] = []
    line: list[str] = []
    for text in sentences:
        line.append(text)
        if rng.random() < 0.12:  # transcribers break long answers over lines
            lines.append(" ".join(line))
            line = []
    if line:
        lines.append(" ".join(line))
    return "\n".join(lines)


def question(rng: random.Random, vocab: dict) -> str:
    words = [rng.choice(vocab[p]) for p in ("nouns", "verbs", "small", "nouns")]
    return f"{rng.choice(vocab['questions'])} {' '.join(words)}?"


def interview(number: int, seed: int, target_words: int) -> tuple[str, str]:
    """(file name, text) of interview `number`."""
    rng = random.Random(seed * 100_003 + number)
    convention = CONVENTIONS[number % 3]
    english = convention == "english"
    vocab = ENGLISH if english else FINNISH
    respondent = f"R{number}" if english else f"H{number}"
    interviewer_label, respondent_label = {
        "hv": ("H", "V"), "haastattelija": ("Haastattelija", respondent), "english": ("Interviewer", "Participant"),
    }[convention]
    turns: list[str] = []
    words = 0
    seconds = rng.randint(5, 30)
    while words < target_words:
        q = question(rng, vocab)
        a = answer(rng, vocab, rng.randint(60, 260))
        words += len(q.split()) + len(a.split())
        for label, speech in ((interviewer_label, q), (respondent_label, a)):
            clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
            if convention == "hv" and rng.random() < 0.3:
                turns.append(f"[{clock}] {label}: {speech}")
            elif convention == "haastattelija" and rng.random() < 0.3:
                turns.append(f"{label}: ({seconds // 60:02d}:{seconds % 60:02d}) {speech}")
            else:
                turns.append(f"{label}: {speech}")
            seconds += len(speech.split()) // 2 + rng.randint(1, 5)
    return f"{respondent}.txt", "\n\n".join(turns) + "\n"


def generate(count: int, outdir: Path, *, words: int = 9000, seed: int = 2026) -> tuple[int, int]:
    """Write `count` interviews to `outdir`; returns (files, words)."""
    outdir.mkdir(parents=True, exist_ok=True)
    total = 0
    for number in range(1, count + 1):
        name, text = interview(number, seed, words)
        (outdir / name).write_text(text, encoding="utf-8")
        total += len(text.split())
    return count, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of interviews")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--words", type=int, default=9000, help="words per interview (default 9000)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    files, words = generate(args.count, args.outdir, words=args.words, seed=args.seed)
    print(f"wrote {files} interviews, {words} words, to {args.outdir}")


if __name__ == "__main__":
    main()
