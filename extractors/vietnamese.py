"""What is a Vietnamese syllable, and how often one follows another: for text quality and OCR post-correction.

Both lists come with underthesea (a dependency): ``Viet74K.txt``, a dictionary of 74,000
Vietnamese words, gives the set of syllables and the syllable pairs that make up words;
the VLSP 2013 test corpus its POS tagger ships (``test_output.txt``, ~90,000 syllables of
running news and legal text) gives how often syllables and syllable pairs occur. Neither is
text this project reads or measures itself on. The syllable list is also
shipped as ``data/syllables.txt`` (``scripts/build_syllables.py``) so that scoring the
quality of every document costs milliseconds; the frequencies are read on first OCR.

A syllable is keyed by its letters without the tone mark plus the tone: ``("hoa", "\u0300")``
for both "hoà" and "hòa", so the two tone-mark conventions are one key, and the keys that
differ only by their tone are exactly the confusions Tesseract makes ("đên" for "đến").
"""
from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# The five tone marks (huyền, sắc, ngã, hỏi, nặng) as combining characters; "" is ngang.
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
TONES = ("",) + tuple(TONE_MARKS)
_DROP_TONES = dict.fromkeys(map(ord, TONE_MARKS), None)
# A run of letters (no digits, no underscore): one syllable of Vietnamese text.
WORD = re.compile(r"[^\W\d_]+")

SyllableKey = tuple[str, str]


def syllable_key(word: str) -> SyllableKey:
    """("hoa", "\\u0300") for "hoà", "hòa" and "HÒA": lower-case letters without the tone, and the tone."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tone = next((c for c in decomposed if c in TONE_MARKS), "")
    return unicodedata.normalize("NFC", decomposed.translate(_DROP_TONES)), tone


def _underthesea_file(relative: str) -> Path:
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("underthesea is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / relative


DICTIONARY = "corpus/data/Viet74K.txt"
RUNNING_TEXT = "pipeline/pos_tag/models/pos_crf_vlsp2013_20230303/test_output.txt"


@dataclass(slots=True)
class Lexicon:
    forms: dict[SyllableKey, str]  # the most frequent written form (lower case) of each syllable
    known_lower: frozenset[str]  # every lower-case form seen (scripts/build_syllables.py writes them)
    bases: dict[str, tuple[SyllableKey, ...]]  # letters without tone -> the syllables that exist
    unigrams: Counter  # SyllableKey -> count in running text
    bigrams: Counter  # (SyllableKey, SyllableKey) -> count in running text (+ dictionary pairs)
    total: int


# A pair of syllables that make up a dictionary word counts as this many sightings in
# running text: the dictionary knows "thẩm quyền" even where 90,000 syllables of news never
# said it; 2 keeps a pair seen in real text (often many times) the stronger evidence.
DICTIONARY_PAIR_WEIGHT = 2


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The syllables and their frequencies (~0.9 s to build: OCR post-correction only)."""
    return build_lexicon()


def build_lexicon() -> Lexicon:
    surface: dict[SyllableKey, Counter] = {}
    unigrams: Counter = Counter()
    bigrams: Counter = Counter()

    def see(word: str, n: int = 1) -> SyllableKey:
        key = syllable_key(word)
        surface.setdefault(key, Counter())[unicodedata.normalize("NFC", word.lower())] += n
        return key

    for line in _underthesea_file(DICTIONARY).read_text(encoding="utf-8").splitlines():
        words = WORD.findall(line)
        if not words or len(words) != len(line.split()):
            continue  # entries with digits or punctuation are not syllables
        keys = [see(w, 0) for w in words]
        for pair in zip(keys, keys[1:]):
            bigrams[pair] += DICTIONARY_PAIR_WEIGHT
    previous: SyllableKey | None = None
    for line in _underthesea_file(RUNNING_TEXT).read_text(encoding="utf-8").splitlines():
        token = line.split("\t", 1)[0]
        if not token.strip():
            previous = None  # a sentence ends
            continue
        for part in token.split():
            if not WORD.fullmatch(part):
                previous = None
                continue
            key = see(part)
            unigrams[key] += 1
            if previous is not None:
                bigrams[(previous, key)] += 1
            previous = key
    forms = {key: counts.most_common(1)[0][0] for key, counts in surface.items()}
    bases: dict[str, list[SyllableKey]] = {}
    for key in forms:
        bases.setdefault(key[0], []).append(key)
    known = frozenset(f for counts in surface.values() for f in counts)
    return Lexicon(forms, known, {b: tuple(k) for b, k in bases.items()}, unigrams, bigrams,
                   sum(unigrams.values()))


SYLLABLES_FILE = Path(__file__).parent / "data" / "syllables.txt"


@lru_cache(maxsize=1)
def _syllables() -> tuple[frozenset[str], frozenset[SyllableKey]]:
    """The syllable list shipped in ``extractors/data`` (``scripts/build_syllables.py``)."""
    forms = frozenset(SYLLABLES_FILE.read_text(encoding="utf-8").split())
    return forms, frozenset(map(syllable_key, forms))


def is_syllable(word: str) -> bool:
    """A Vietnamese syllable, in either tone-mark convention and any case."""
    forms, keys = _syllables()
    low = word.lower()
    return low in forms or syllable_key(low) in keys


def _counted(word: str) -> bool:
    """Words the quality score counts: not one letter, not an acronym (UBND, HĐND: capitals
    without a vowel mark), everything else, Vietnamese or not."""
    if len(word) < 2:
        return False
    if word.isupper() and not any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", word)):
        return False
    return True


@lru_cache(maxsize=65536)
def _judged(word: str) -> int:
    """0: not counted, 1: a syllable, 2: not one (cached: a text repeats its words)."""
    if not _counted(word):
        return 0
    return 1 if is_syllable(word) else 2


def syllable_share(text: str) -> float | None:
    """Share of the text's words that are Vietnamese syllables: ~0.95+ for clean text (names
    and foreign words make the rest), lower for OCR errors and undecoded fonts. None for no words."""
    counted = valid = 0
    for word in WORD.findall(text):
        verdict = _judged(word)
        counted += verdict > 0
        valid += verdict == 1
    return round(valid / counted, 4) if counted else None
