"""Finding every written form of a listed real name, and the text that replaces it.

Finnish inflects names: `Porkka` is written `Porkan`, `Porkalle`, `Porkalta`, `Porkkaa`,
`Porkassa`, and with clitics `Porkallakin`. A matcher therefore looks for each name's stems
(the name itself, its weak grade by consonant gradation, the e-stem of i-names, the -se- stem
of -nen names, the i-stem of foreign names ending in a consonant) followed by an optional
case ending and clitics, or by an English possessive (`Porkka's`). Matching ignores case and
happens only at word boundaries; in a multi-word name the last word inflects (`Liisa Porkalle`).
The list is tried longest name first, so `Kaarna Design` wins over `Kaarna`.

The matcher errs towards finding too much: an over-generated form such as `Porkaa` is no
real word, so it costs nothing, while a missed form is a leak.

Replacement keeps the grammatical case of the matched word where that can be done right:

* a pseudonym ending in a letter or a number (`Myyjä A`, `Yritys X`, `H3`) takes the ending
  after a colon, as Finnish writes abbreviations: `Porkalle` -> `Myyjä A:lle`,
  `Kaarnan` -> `Yritys X:n`, `Porkkaa` -> `Myyjä A:ta`, vowel harmony and partitive/illative
  following how the letter or number is read aloud (`X:ää`, `H3:een`);
* a pseudonym ending in an ordinary word ending in a back or front vowel (`Myyjä`) takes the
  ending directly, with consonant gradation where it is certain (`Kauppa` -> `Kaupalle`);
* otherwise (`Asiakasyritys`, `Tuote`) the whole word becomes the pseudonym in its base form:
  never a leak, sometimes clumsy Finnish, which the researcher can smooth by hand.

Clitics and English possessives are kept (`Kaarnallakin` -> `Yritys X:lläkin`,
`Porkka's` -> `Myyjä A's`); colloquial endings are written in standard form
(`Porkalt` -> `Myyjä A:lta`). A match written in capitals is replaced in capitals.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from qualcode.privacy.names import Pseudonym, as_names

VOWELS = "aeiouyäöå"
_BACK = set("aou")

# Case endings as written after a name's stem (standard and spoken forms), longest first.
CASE_ENDINGS: dict[str, tuple[str, ...]] = {
    "genitive": ("n",),
    "partitive": ("ta", "tä", "a", "ä"),
    "essive": ("na", "nä"),
    "translative": ("ksi", "ks"),
    "inessive": ("ssa", "ssä", "ss"),
    "elative": ("sta", "stä", "st"),
    "adessive": ("lla", "llä", "ll"),
    "ablative": ("lta", "ltä", "lt"),
    "allative": ("lle", "l"),
    "abessive": ("tta", "ttä"),
    "plural": ("t",),
}
_ILLATIVE = "h?[aeiouyäöå]n|seen|siin"
_ENDING_OF = {ending: case for case, endings in CASE_ENDINGS.items() for ending in endings}
_ENDINGS = "|".join([*sorted(_ENDING_OF, key=len, reverse=True), _ILLATIVE])
_CLITICS = "(?:kin|kaan|kään|han|hän|pa|pä|ko|kö|s){0,2}"
_POSSESSIVE = "['’]s?"
_COLON = ":[a-zåäö]{1,6}"

# Standard endings to write, by case, in back-vowel form (front form swaps a -> ä).
_STANDARD = {"genitive": "n", "essive": "na", "translative": "ksi", "inessive": "ssa", "elative": "sta",
             "adessive": "lla", "ablative": "lta", "allative": "lle", "abessive": "tta", "plural": "t"}

# Consonant gradation, strong -> weak, of the consonants before a name's final vowel.
_DOUBLE = (("kk", "k"), ("pp", "p"), ("tt", "t"))
_CLUSTERS = (("nk", "ng"), ("mp", "mm"), ("nt", "nn"), ("lt", "ll"), ("rt", "rr"), ("ht", "hd"),
             ("lk", "l"), ("rk", "r"), ("hk", "h"), ("lp", "lv"), ("rp", "rv"))
_E_STEM_CLUSTERS = (("lk", "lj"), ("rk", "rj"))  # jälki -> jäljen, särki -> särjen
_SINGLE = (("t", "d"), ("p", "v"))
_SINGLE_E_STEM = (("k", ""),)  # mäki -> mäen, joki -> joen

# How letters and numbers are read aloud, for endings after a colon (`X:ää`, `H3:een`).
_LETTERS = {"a": "aa", "b": "bee", "c": "see", "d": "dee", "e": "ee", "f": "äf", "g": "gee", "h": "hoo",
            "i": "ii", "j": "jii", "k": "koo", "l": "äl", "m": "äm", "n": "än", "o": "oo", "p": "pee",
            "q": "kuu", "r": "är", "s": "äs", "t": "tee", "u": "uu", "v": "vee", "w": "vee", "x": "äks",
            "y": "yy", "z": "tset", "å": "oo", "ä": "ää", "ö": "öö"}
# number word -> (partitive ending, illative ending, back vowels?)
_NUMBERS = {"nolla": ("aa", "aan", True), "yksi": ("tä", "een", False), "kaksi": ("ta", "een", True),
            "kolme": ("a", "een", True), "neljä": ("ää", "ään", False), "viisi": ("tä", "een", False),
            "kuusi": ("ta", "een", True), "seitsemän": ("ää", "ään", False), "kahdeksan": ("aa", "aan", True),
            "yhdeksän": ("ää", "ään", False), "kymmenen": ("tä", "een", False), "sata": ("aa", "aan", True),
            "tuhat": ("ta", "een", True)}
_DIGITS = ("nolla", "yksi", "kaksi", "kolme", "neljä", "viisi", "kuusi", "seitsemän", "kahdeksan", "yhdeksän")
_TAIL = re.compile(rf"(?P<ending>{_ENDINGS})?(?P<clitics>{_CLITICS})", re.IGNORECASE)
_COLON_TAIL = re.compile(rf":(?P<ending>[a-zåäö]*?)(?P<clitics>{_CLITICS})", re.IGNORECASE)
_LAST_SPACE = re.compile(r"\s(?=\S*$)")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class NameMatch:
    """One occurrence of a listed name: where, as written, and how it is inflected."""

    start: int
    end: int
    text: str
    name: Pseudonym
    case: str | None  # the case of the ending, None for the base form
    clitics: str = ""
    possessive: str = ""


@dataclass(frozen=True)
class Edit:
    """text[start:end] of the old text becomes `new`."""

    start: int
    end: int
    new: str
    match: NameMatch


class OffsetMap:
    """Maps offsets in a text to offsets in the text with edits applied.

    An offset strictly inside a replaced name moves to the start of the pseudonym when it
    starts a span and to its end when it ends one, so a coding that cut a name now covers
    the whole pseudonym, and a coding never shrinks to nothing.
    """

    def __init__(self, edits: Sequence[Edit]) -> None:
        self._starts = [e.start for e in edits]
        self._ends = [e.end for e in edits]
        self._new_starts: list[int] = []
        self._new_ends: list[int] = []
        self._delta_after: list[int] = []
        delta = 0
        for edit in edits:
            self._new_starts.append(edit.start + delta)
            delta += len(edit.new) - (edit.end - edit.start)
            self._new_ends.append(edit.end + delta)
            self._delta_after.append(delta)

    def start(self, offset: int) -> int:
        return self._map(offset, at_start=True)

    def end(self, offset: int) -> int:
        return self._map(offset, at_start=False)

    def _map(self, offset: int, *, at_start: bool) -> int:
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return offset
        if offset == self._starts[i]:
            return self._new_starts[i]
        if offset < self._ends[i]:
            return self._new_starts[i] if at_start else self._new_ends[i]
        return offset + self._delta_after[i]


@dataclass(frozen=True)
class Rewrite:
    """A text with every listed name replaced, and the edits that made it."""

    text: str
    edits: tuple[Edit, ...]

    @cached_property
    def offsets(self) -> OffsetMap:
        return OffsetMap(self.edits)


class NameMatcher:
    """Finds and replaces the names of a pseudonym list in text (see the module docstring)."""

    def __init__(self, names) -> None:
        self.names: list[Pseudonym] = as_names(names)
        self._forms = [_NameForm(entry) for entry in self.names]
        # Scanning tries a name only at words that begin like one of its stems: one dict
        # look-up per word instead of one regex attempt per name at every position.
        self._heads: dict[str, list[int]] = {}
        odd: list[int] = []
        for index, form in enumerate(self._forms):
            if not form.heads:
                odd.append(index)
            for head in form.heads:
                self._heads.setdefault(head, []).append(index)
        self._odd = odd  # names that do not start with a word character: plain regex search

    def __bool__(self) -> bool:
        return bool(self.names)

    def finditer(self, text: str) -> Iterator[NameMatch]:
        """Every occurrence, left to right, never overlapping; at one place the longest name wins."""
        if not self._forms or not text:
            return
        found = self._scan_words(text)
        if self._odd:
            found = sorted([*found, *self._scan_odd(text)], key=lambda m: (m.start, -(m.end - m.start)))
        position = 0
        for match in found:
            if match.start >= position:
                position = match.end
                yield match

    def _scan_words(self, text: str) -> Iterator[NameMatch]:
        heads = self._heads
        position = 0
        for word in _WORD.finditer(text):
            start = word.start()
            if start < position:
                continue
            folded = word.group().lower()
            candidates = set()
            for size in (3, 2, 1):
                candidates.update(heads.get(folded[:size], ()))
            for index in sorted(candidates):
                found = self._forms[index].regex.match(text, start)
                if found:
                    position = found.end()
                    yield self._forms[index].analyse(found.group(0), start)
                    break

    def _scan_odd(self, text: str) -> Iterator[NameMatch]:
        for index in self._odd:
            form = self._forms[index]
            for found in form.search_regex.finditer(text):
                yield form.analyse(found.group(0), found.start())

    def find(self, text: str) -> list[NameMatch]:
        return list(self.finditer(text))

    def replacement(self, match: NameMatch) -> str:
        """The text that replaces one match (keeping its case ending where that is right)."""
        pseudonym = match.name.pseudonym
        new, back = inflect(pseudonym, match.case)
        clitics = _adapt_clitics(match.clitics, back)
        if clitics and match.case is None and _is_abbreviation(pseudonym.split()[-1]):
            clitics = ":" + clitics  # Yritys X:kin
        new += clitics + match.possessive
        letters = [c for c in match.text if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters):
            new = new.upper()
        return new

    def replace(self, text: str) -> Rewrite:
        """Replace every listed name in `text`; the edits map old offsets to new ones."""
        edits: list[Edit] = []
        parts: list[str] = []
        position = 0
        for match in self.finditer(text):
            new = self.replacement(match)
            edits.append(Edit(match.start, match.end, new, match))
            parts += [text[position:match.start], new]
            position = match.end
        if not edits:
            return Rewrite(text, ())
        parts.append(text[position:])
        return Rewrite("".join(parts), tuple(edits))

    def replace_text(self, text: str) -> str:
        return self.replace(text).text if text else text


class _NameForm:
    """The pattern of one name and the analysis of what it matched."""

    def __init__(self, entry: Pseudonym) -> None:
        self.entry = entry
        words = entry.real.split()
        last = words[-1]
        self.stems = name_stems(last)
        strong = [s for s, alone in self.stems if alone]
        weak = [s for s, alone in self.stems if not alone]
        last_pattern = (f"(?:{_alternation(strong)})(?:{_POSSESSIVE}|{_COLON}{_CLITICS}|(?:{_ENDINGS})?{_CLITICS})")
        if weak:
            last_pattern += f"|(?:{_alternation(weak)})(?:{_ENDINGS}){_CLITICS}"
        prefix = r"[\s\u00a0]+".join(re.escape(w) for w in words[:-1])
        self.pattern = f"{prefix}[\\s\\u00a0]+(?:{last_pattern})" if prefix else f"(?:{last_pattern})"
        self.regex = re.compile(f"(?:{self.pattern})(?!\\w)", re.IGNORECASE)
        self.search_regex = re.compile(f"(?<!\\w)(?:{self.pattern})(?!\\w)", re.IGNORECASE)
        firsts = [words[0]] if len(words) > 1 else [stem for stem, _ in self.stems]
        leading = [_WORD.match(first) for first in firsts]  # the word characters a scan sees first
        self.heads = {found.group()[:3].lower() for found in leading} if all(leading) else set()

    def analyse(self, text: str, start: int) -> NameMatch:
        space = _LAST_SPACE.search(text)
        word = text[space.end():] if space else text
        folded = word.casefold()
        case: str | None = None
        clitics = possessive = ""
        for stem, alone in self.stems:
            if not folded.startswith(stem.casefold()):
                continue
            tail = word[len(stem):]
            if alone and re.fullmatch(_POSSESSIVE, tail):
                possessive = tail
                break
            parsed = _parse_tail(tail, stem)
            if parsed is not None and (alone or parsed[0] is not None):
                case, clitics = parsed
                break
        return NameMatch(start, start + len(text), text, self.entry, case, clitics, possessive)


def _parse_tail(tail: str, stem: str) -> tuple[str | None, str] | None:
    """(case, clitics) of what follows a stem, or None when it is no ending we know."""
    if tail[:1].casefold() == "h" and re.fullmatch(_CLITICS, tail, re.IGNORECASE) \
            and not re.search(rf"[{VOWELS}]{{2}}$", stem, re.IGNORECASE):
        return None, tail  # Kaarnahan is Kaarna + clitic; the illative -hVn follows long vowels (Suohon)
    if tail.startswith(":"):
        found = _COLON_TAIL.fullmatch(tail)
        if not found:
            return None
        return _colon_case(found["ending"].casefold()), found["clitics"]
    found = _TAIL.fullmatch(tail)
    if not found:
        return None
    ending = (found["ending"] or "").casefold()
    if not ending:
        return None, found["clitics"]
    return _ENDING_OF.get(ending, "illative"), found["clitics"]


def _colon_case(ending: str) -> str | None:
    """The case of an ending written after a colon (`H3:lle`, `X:ää`, `A:han`)."""
    if not ending:
        return None
    if ending in _ENDING_OF:
        return _ENDING_OF[ending]
    if re.fullmatch(r"h?[aeiouyäö]{1,2}n|seen", ending):
        return "illative"
    if re.fullmatch(r"[aeiouyäö]{1,2}|t[aä]", ending):
        return "partitive"
    return None


def name_stems(word: str) -> list[tuple[str, bool]]:
    """The stems a name's (last) word is written with, and whether each stands alone.

    The word itself stands alone (`Porkka`); the other stems appear only with an ending
    (`Porka-lle`, `Mäe-n`, `Virtase-n`, `Smithi-n`).
    """
    stems: list[tuple[str, bool]] = [(word, True)]
    folded = word.casefold()
    extra: list[str] = []
    if len(folded) >= 3 and folded[-1] in VOWELS:
        extra += weak_grades(word)
        if folded.endswith("i"):
            e_stem = word[:-1] + "e"
            extra += [e_stem, *weak_grades(e_stem, e_stem=True)]
    elif folded.endswith("nen") and len(folded) > 4:
        extra += [word[:-3] + "se", word[:-3] + "s"]
    elif len(folded) >= 3 and folded[-1] == "s" and folded[-2] in VOWELS:
        extra += [word[:-1] + "kse", word + "i"]
    elif len(folded) >= 3 and folded[-1].isalpha():
        extra.append(word + "i")
    seen = {folded}
    for stem in extra:
        if len(stem) >= 3 and stem.casefold() not in seen:
            seen.add(stem.casefold())
            stems.append((stem, False))
    return sorted(stems, key=lambda s: -len(s[0]))


def weak_grades(word: str, *, e_stem: bool = False) -> list[str]:
    """The weak grade(s) of a word ending in a vowel, e.g. Porkka -> Porka, Virta -> Virra."""
    found = re.fullmatch(rf"(.*[{VOWELS}])([^{VOWELS}]+)([{VOWELS}]+)", word, re.IGNORECASE)
    if not found:
        return []
    head, cluster, tail = found.groups()
    folded = cluster.casefold()
    results = []
    for strong, weak in _DOUBLE:
        if folded.endswith(strong):
            results.append(head + cluster[: -len(strong)] + _like(cluster[-len(strong):], weak) + tail)
    rules = _CLUSTERS + (_E_STEM_CLUSTERS if e_stem else ())
    singles = _SINGLE + (_SINGLE_E_STEM if e_stem else ())
    for strong, weak in (*rules, *singles):
        if folded == strong:
            results.append(head + _like(cluster, weak) + tail)
    return results


def _like(original: str, replacement: str) -> str:
    return replacement.upper() if original.isupper() else replacement


def _alternation(stems: list[str]) -> str:
    return "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True))


# ---------------------------------------------------------------- writing the replacement
def inflect(pseudonym: str, case: str | None) -> tuple[str, bool]:
    """The pseudonym in `case` and whether its end takes back vowels (for clitics)."""
    words = pseudonym.split()
    last = words[-1] if words else pseudonym
    if _is_abbreviation(last):
        spoken_back, partitive, illative = _spoken(last)
        if case is None:
            return pseudonym, spoken_back
        if case == "partitive":
            ending = partitive
        elif case == "illative":
            ending = illative
        else:
            ending = _harmonise(_STANDARD[case], spoken_back)
        return f"{pseudonym}:{ending}", spoken_back
    back = _is_back(last)
    if case is None:
        return pseudonym, back
    form = _inflect_word(last, case, back)
    if form is None:
        return pseudonym, back
    return pseudonym[: len(pseudonym) - len(last)] + form, back


def _is_abbreviation(token: str) -> bool:
    if not token:
        return False
    if token[-1].isdigit():
        return True
    return token.isalpha() and (len(token) == 1 or (len(token) <= 4 and token.isupper()))


def _spoken(token: str) -> tuple[bool, str, str]:
    """(back vowels?, partitive ending, illative ending) of an abbreviation read aloud."""
    digits = re.search(r"\d+$", token)
    if digits:
        number = digits.group(0).lstrip("0") or "0"
        if number == "0":
            word = "nolla"
        elif number.endswith("000"):
            word = "tuhat"
        elif number.endswith("00"):
            word = "sata"
        elif number.endswith("0"):
            word = "kymmenen"
        else:
            word = _DIGITS[int(number[-1])]
        partitive, illative, back = _NUMBERS[word]
        return back, partitive, illative
    spoken = _LETTERS.get(token[-1].casefold(), "ee")
    back = token[-1].casefold() != "w" and _is_back(spoken)
    if spoken[-1] in VOWELS:
        return back, _harmonise("ta", back), f"h{spoken[-1]}n"
    return back, _harmonise("aa", back), _harmonise("aan", back)


def _inflect_word(word: str, case: str, back: bool) -> str | None:
    """A vowel-final word in `case`, or None when gradation or stem type is uncertain."""
    folded = word.casefold()
    if len(folded) < 2 or folded[-1] not in "aäoöuy":
        return None
    if case == "partitive":
        return word + _harmonise("a", back)
    if case == "illative":
        return word + folded[-1] + "n"
    if case == "essive":
        return word + _harmonise("na", back)
    found = re.fullmatch(rf"(.*[{VOWELS}])([^{VOWELS}]+)([{VOWELS}]+)", word, re.IGNORECASE)
    stem = word
    if found:
        cluster = found.group(2).casefold()
        if cluster in ("k", "p", "t"):
            return None  # tapa -> tavan, but Aatu -> Aatun: cannot tell
        weak = [w for w in weak_grades(word) if w != word]
        if weak and (cluster[-2:] in ("kk", "pp", "tt") or cluster in dict(_CLUSTERS)):
            stem = weak[0]
    return stem + _harmonise(_STANDARD[case], back)


def _is_back(word: str) -> bool:
    return any(c in _BACK for c in word.casefold())


def _harmonise(ending: str, back: bool) -> str:
    return ending if back else ending.replace("a", "ä").replace("o", "ö").replace("u", "y")


def _adapt_clitics(clitics: str, back: bool) -> str:
    if not clitics:
        return ""
    return _harmonise(clitics.casefold().replace("ä", "a").replace("ö", "o"), back)
