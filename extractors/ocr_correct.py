"""Post-correction of Tesseract's Vietnamese: tone marks by a syllable language model, number codes by rule.

Tesseract's errors on official texts fall on what this project reads (measured on scans of
corpus PDFs): the tone mark of a letter with a hat ("đên" for "đến", "thâm quyền" for
"thẩm quyền", "sô" for "số") and the digits of number codes ("QHII" for "QH11", "0Đ" for
"QĐ", "khoản I" for "khoản 1").

Tone marks: every run of words is decoded with a bigram model of syllables (Viterbi). A word
that is no Vietnamese syllable may take any tone that makes a known syllable with the same
letters; the model (``extractors.vietnamese``: counts from running Vietnamese text and the
pairs of dictionary words) scores the sequence, and a change of tone costs what Tesseract's
rate of tone errors says it should. Letters other than the tone are never changed.

Frequent terms: the words of two or more syllables official texts use on every page
(``data/ocr_terms.txt``: kinds of documents, state bodies, the verbs of administrative work)
get their marks back when Tesseract read the same letters with other marks, including the
hat of a vowel ("Ấn lệ" for "Án lệ"), which the tone model does not change.

Number codes: a few rules, each a convention of official numbering, applied to the shapes
of numbers only (see ``_NUMBER_RULES``).
"""
from __future__ import annotations

import math
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Callable

from extractors.vietnamese import TONE_MARKS, WORD, Lexicon, SyllableKey, lexicon, syllable_key

# Prior probability that Tesseract put a wrong tone on a syllable: a change of tone must make
# the syllable sequence 1/rate times more likely under the model. Measured on the tuning scans
# (``scripts/ocr_cer.py --tune``: LibreOffice PDFs of the corpus's DOC, DOCX and TXT files, not
# the scans the CER is reported on, 24 pages): Tesseract 1.90% CER; number codes and terms
# 1.80%; + tones of words that are no syllable 1.73% at 0.02 (1.75% at 0.001 and 0.0002);
# + tones of every word 1.62% at 0.0002 (1.79% at 0.02). Every word is NOT the default: on the
# clean dev texts that mode changed 27 right words in 20,798 ("quận" -> "quân", "tỉnh" ->
# "tính", "Cổng" -> "Công"), exactly the unit names this project reads; so a known syllable is
# kept (``only_unknown``), the frequent terms do the rest, and the rate is the one that mode
# did best with.
TONE_ERROR_RATE = 0.02
# Dirichlet smoothing of the bigram model toward syllable frequencies: a pair never seen
# is judged by how common its second syllable is.
SMOOTHING = 2.0


def _case_like(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


class ToneModel:
    def __init__(self, lex: Lexicon, error_rate: float = TONE_ERROR_RATE, only_unknown: bool = True) -> None:
        self.lex = lex
        self.only_unknown = only_unknown
        self.keep = math.log(1 - error_rate)
        self.change = math.log(error_rate / (len(TONE_MARKS)))
        vocabulary = len(lex.forms)
        self.unseen = math.log(1 / (lex.total + vocabulary))
        self.unigram = {k: math.log((lex.unigrams.get(k, 0) + 1) / (lex.total + vocabulary)) for k in lex.forms}
        self.context: dict[SyllableKey, int] = {}
        for (first, _), n in lex.bigrams.items():
            self.context[first] = self.context.get(first, 0) + n

    def bigram(self, previous: SyllableKey | None, key: SyllableKey) -> float:
        uni = self.unigram.get(key, self.unseen)
        if previous is None:
            return uni
        n = self.lex.bigrams.get((previous, key), 0)
        return math.log((n + SMOOTHING * math.exp(uni)) / (self.context.get(previous, 0) + SMOOTHING))

    def candidates(self, word: str) -> list[tuple[SyllableKey, float]]:
        """(syllable, log P(what Tesseract wrote | syllable)) for each syllable the word may be:
        a known syllable is kept (the model's counts are too sparse to overrule one: on clean
        official texts they turned "quận" into "quân", "Cổng" into "Công"); a word that is no
        syllable ("quyêt", "ngảy") may take any tone that makes one."""
        own = syllable_key(word)
        if _is_acronym(word) or (self.only_unknown and own in self.lex.forms):
            return [(own, self.keep)]
        out = [(own, self.keep)]
        for key in self.lex.bases.get(own[0], ()):
            if key != own:
                out.append((key, self.change))
        return out

    def decode(self, words: list[str]) -> list[SyllableKey]:
        """The most likely syllables of a run of words (Viterbi over the bigram model)."""
        lattice = [self.candidates(w) for w in words]
        scores = {key: channel + self.bigram(None, key) for key, channel in lattice[0]}
        back: list[dict[SyllableKey, SyllableKey]] = []
        for options in lattice[1:]:
            step: dict[SyllableKey, float] = {}
            pointers: dict[SyllableKey, SyllableKey] = {}
            for key, channel in options:
                best_prev, best = max(((p, s + self.bigram(p, key)) for p, s in scores.items()), key=lambda t: t[1])
                step[key] = best + channel
                pointers[key] = best_prev
            back.append(pointers)
            scores = step
        key = max(scores, key=scores.__getitem__)
        path = [key]
        for pointers in reversed(back):
            key = pointers[key]
            path.append(key)
        return path[::-1]


def _is_acronym(word: str) -> bool:
    """UBND, HĐND, CCHC: capitals with no vowel mark are codes, never corrected."""
    return word.isupper() and len(word) > 1 and not any(
        unicodedata.combining(c) for c in unicodedata.normalize("NFD", word))


_model: ToneModel | None = None
_model_lock = threading.Lock()  # pages are OCR'd on several threads: the model is built once


def tone_model() -> ToneModel:
    global _model
    with _model_lock:
        if _model is None:
            _model = ToneModel(lexicon())
        return _model


# Words separated by spaces only form a run; punctuation, digits and line ends of a
# paragraph do not break the language, but punctuation does.
_RUN = re.compile(r"[^\W\d_]+(?:[ \n]+[^\W\d_]+)*")


def correct_tones(text: str, model: ToneModel | None = None) -> tuple[str, int]:
    """The text with each word's tone the model's choice; and how many words changed."""
    model = model or tone_model()
    changes = 0

    def fix_run(match: re.Match[str]) -> str:
        nonlocal changes
        run = match.group()
        words = WORD.findall(run)
        best = model.decode(words)
        pieces = []
        last = 0
        for word_match, key in zip(WORD.finditer(run), best):
            word = word_match.group()
            pieces.append(run[last:word_match.start()])
            if key != syllable_key(word):
                word = _case_like(word, model.lex.forms[key])
                changes += 1
            pieces.append(word)
            last = word_match.end()
        pieces.append(run[last:])
        return "".join(pieces)

    return _RUN.sub(fix_run, text), changes


# --- frequent terms ------------------------------------------------------------------------

TERMS_FILE = Path(__file__).parent / "data" / "ocr_terms.txt"


def _bare(word: str) -> str:
    """The letters of a word without any mark above or below (đ stays đ): "Ấn" -> "an"."""
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _terms() -> dict[tuple[str, ...], tuple[str, ...]]:
    out = {}
    for line in TERMS_FILE.read_text(encoding="utf-8").splitlines():
        words = tuple(WORD.findall(line))
        if len(words) >= 2 and not line.startswith("#"):
            out[tuple(map(_bare, words))] = words
    return out


def _bound_outside(lex: Lexicon, spans: list[tuple[int, int, str]], i: int, n: int, term: tuple[str, ...]) -> bool:
    """Whether a word that would change makes a known pair with the word outside the match next
    to it: then it is part of another word and the match is a coincidence of letters."""
    first, last = spans[i][2], spans[i + n - 1][2]
    if i > 0 and first.lower() != term[0].lower():
        if lex.bigrams.get((syllable_key(spans[i - 1][2]), syllable_key(first)), 0):
            return True
    if i + n < len(spans) and last.lower() != term[-1].lower():
        if lex.bigrams.get((syllable_key(last), syllable_key(spans[i + n][2])), 0):
            return True
    return False


def correct_terms(text: str, lex: Lexicon | None = None) -> tuple[str, int]:
    """Frequent terms of official texts (``data/ocr_terms.txt``) with their marks put back, where
    Tesseract read their letters with other marks and what it read is no known pair of syllables
    ("có quan hệ" is, so it never becomes "cơ quan")."""
    lex = lex or lexicon()
    terms = _terms()
    longest = max(map(len, terms))
    changes = 0

    def fix_run(match: re.Match[str]) -> str:
        nonlocal changes
        run = match.group()
        spans = [(m.start(), m.end(), m.group()) for m in WORD.finditer(run)]
        replaced: dict[int, str] = {}
        i = 0
        while i < len(spans):
            for n in range(min(longest, len(spans) - i), 1, -1):
                read = [w for _, _, w in spans[i:i + n]]
                term = terms.get(tuple(map(_bare, read)))
                if term is None or [w.lower() for w in read] == [t.lower() for t in term]:
                    continue
                keys = [syllable_key(w) for w in read]
                if all(lex.bigrams.get(pair, 0) for pair in zip(keys, keys[1:])):
                    continue  # a real pair of words that only looks like the term
                if _bound_outside(lex, spans, i, n, term):
                    continue  # "tiêu chí thi đua" is not "Chỉ thị": "thi" belongs to "thi đua"
                for k, (word, right) in enumerate(zip(read, term)):
                    if word.lower() != right.lower():
                        replaced[i + k] = _case_like(word, right.lower())
                        changes += 1
                i += n - 1
                break
            i += 1
        if not replaced:
            return run
        pieces, last = [], 0
        for k, (start, end, word) in enumerate(spans):
            pieces.append(run[last:start])
            pieces.append(replaced.get(k, word))
            last = end
        pieces.append(run[last:])
        return "".join(pieces)

    return _RUN.sub(fix_run, text), changes


# --- number codes ----------------------------------------------------------------------

_ONE = r"Il|Ï\]"  # read for the digit 1 (a character-class body)
_DIGITISH = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "Ï": "1", "]": "1"})

_NUMBER_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    # The National Assembly's term in a number: QH11, UBTVQH14 (terms 1-15: digits only).
    (re.compile(rf"(?<=QH)([1{_ONE}][\d{_ONE}T])\b"), lambda m: m.group(1).translate(_DIGITISH).replace("T", "1")),
    # "QĐ" (quyết định) read as "0Đ"/"OĐ" in a number's code: no code starts with a digit or "OĐ".
    (re.compile(r"(?<=\d/)[0O](?=Đ\b|Đ-)|(?<=\d/\d{4}/)[0O](?=Đ\b|Đ-)|(?<=-)[0O](?=Đ\b)"), lambda m: "Q"),
    # Articles and clauses are numbered in Arabic digits (Điều 1, khoản 1): a lone I, l or | is 1.
    (re.compile(rf"(?:(?<=[ĐđDd]iều )|(?<=[Kk]hoản ))[{_ONE}](?=[\s,.;:)]|$)"), lambda m: "1"),
    # A number with letters read for digits: 0I -> 01, 2O21 -> 2021 (at least one real digit).
    (re.compile(rf"\b(?=[\dO{_ONE}]*\d)(?=[\dO{_ONE}]*[O{_ONE}])[\dO{_ONE}]{{2,}}\b"),
     lambda m: m.group().translate(_DIGITISH)),
    # A month split in two: "26-1 1-2003" -> "26-11-2003".
    (re.compile(r"\b(\d{1,2}[-/])1 (\d)([-/](?:19|20)\d\d)\b"), lambda m: f"{m.group(1)}1{m.group(2)}{m.group(3)}"),
]


def correct_numbers(text: str) -> tuple[str, int]:
    changes = 0
    for pattern, fix in _NUMBER_RULES:
        text, n = pattern.subn(fix, text)
        changes += n
    return text, changes


def correct(text: str) -> tuple[str, int]:
    """Tesseract's text post-corrected (number codes, frequent terms, then tone marks); and the
    count of words changed."""
    text, numbers = correct_numbers(text)
    text, terms = correct_terms(text)
    text, tones = correct_tones(text)
    return text, numbers + terms + tones
