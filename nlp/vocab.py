"""The vocabularies in ``nlp/data``, loaded and compiled once per process."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from nlp.keys import match_view, tone_agnostic


def vre(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a pattern so its Vietnamese literals match both tone conventions (texts and views alike)."""
    return re.compile(tone_agnostic(pattern), flags)


@lru_cache(maxsize=None)
def load(name: str) -> Any:
    return json.loads((resources.files("nlp") / "data" / f"{name}.json").read_text(encoding="utf-8"))


def vocab() -> dict[str, Any]:
    return load("vocab")


def alternation(words) -> str:
    """A regex alternation of words, longest first, in the matching view's spelling."""
    forms = sorted({match_view(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in forms)


@lru_cache(maxsize=None)
def type_codes() -> dict[str, str]:
    return vocab()["type_codes"]


@lru_cache(maxsize=None)
def type_codes_folded() -> dict[str, str]:
    """Upper-case code -> official spelling, so 'QYĐ' finds 'QyĐ' and 'ND' (D for Đ) finds 'NĐ'.

    A D-spelling is folded only where it is not itself a code: 'HD' (Hướng dẫn) stays, 'ND' becomes 'NĐ'.
    """
    codes = {match_view(code).upper(): code for code in type_codes()}
    for code in list(type_codes()) + list(vocab()["issuer_codes"]):
        plain = code.replace("Đ", "D").upper()
        if "Đ" in code and plain not in codes:
            codes[plain] = code
    return codes


@lru_cache(maxsize=None)
def doc_type_pattern() -> str:
    return alternation(vocab()["doc_type_words"])


def doc_type_name(word: str) -> str:
    """The canonical spelling of a document-type word as written ('QUYẾT ĐỊNH' -> 'Quyết định')."""
    key = match_view(re.sub(r"\s+", " ", word)).casefold()
    for name in vocab()["doc_type_words"]:
        if match_view(name).casefold() == key:
            return name
    return word


@lru_cache(maxsize=1)
def _abbreviations() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(pattern), full) for pattern, full in vocab()["abbreviations"]]


def expand_abbreviations(text: str) -> str:
    """'UBND TP.HCM' -> 'Ủy ban nhân dân Thành phố Hồ Chí Minh' (for matching names a user types)."""
    for pattern, full in _abbreviations():
        text = pattern.sub(full, text)
    return re.sub(r"\s+", " ", text).strip()
