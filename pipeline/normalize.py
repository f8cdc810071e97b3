"""Text hygiene for Vietnamese official texts.

Three kinds of functions live here:

* ``clean_block``: what every reader applies to each block before it becomes
  part of a Document's text (NFC, line endings, invisible characters, legacy
  font mojibake, PDF soft line breaks). Offsets index the *result*.
* ``match_view``: a same-length copy of a text for pattern matching, with one
  tone-mark convention (hoà -> hòa) and look-alike letters folded (Ð -> Đ).
  Offsets found in the view are valid in the original.
* ``fold``: tones and đ removed, lower case, for search indexes and keys
  ("Đăng ký" -> "dang ky"). Length is not preserved.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

# --- invisible characters and line endings --------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# PDFium marks a hyphen at a line end, where it joined the line, with U+FFFE ("35/QĐ\ufffe84").
_INVISIBLE[0xFFFE] = "-"
_SPACES = {ord(c): " " for c in "\u00a0\u2002\u2003\u2007\u2009\u202f\u3000\t"}
_LINE_ENDINGS = re.compile(r"\r\n?|\u2028|\u2029|\x0b|\x0c")
_TRAILING_SPACE = re.compile(r"[ ]+\n")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- tone-mark convention and look-alikes (length-preserving) ----------------

# Both conventions are correct Vietnamese; matching folds the "new" placement
# (hoà, thuỷ) to the "old" one (hòa, thủy). Each pair is two NFC characters on
# both sides, so offsets survive.
_NEW_TO_OLD_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_NEW_TO_OLD_TONES.update({k.upper(): v.upper() for k, v in list(_NEW_TO_OLD_TONES.items())})
_NEW_TO_OLD_TONES.update({k[0].upper() + k[1]: v[0].upper() + v[1] for k, v in list(_NEW_TO_OLD_TONES.items()) if k.islower()})
_TONE_RE = re.compile("|".join(sorted(map(re.escape, _NEW_TO_OLD_TONES), key=len, reverse=True)))
# Ð (U+00D0, Icelandic eth) and Ɖ (U+0189, African D) are typed for Đ.
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u0189": "Đ", "\u00f0": "đ", "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-"})


def match_view(text: str) -> str:
    """Same-length copy of ``text`` for matching: one tone convention, Đ look-alikes and dashes folded."""
    view = _TONE_RE.sub(lambda m: _NEW_TO_OLD_TONES[m.group()], text.translate(_LOOKALIKES))
    assert len(view) == len(text)
    return view


def tone_agnostic(pattern: str) -> str:
    """A regex pattern whose Vietnamese literals match either tone convention ("hoàn" and "hòan")."""
    def both(m: re.Match[str]) -> str:
        new = m.group()
        old = _NEW_TO_OLD_TONES.get(new, new)
        alt = next((k for k, v in _NEW_TO_OLD_TONES.items() if v == new), new)
        return f"(?:{new}|{old if old != new else alt})"
    old_forms = {v: k for k, v in _NEW_TO_OLD_TONES.items()}
    pairs = sorted(set(_NEW_TO_OLD_TONES) | set(old_forms), key=len, reverse=True)
    return re.sub("|".join(map(re.escape, pairs)), both, pattern)


def fold(text: str) -> str:
    """Lower case without tones or đ: the key for diacritic-insensitive search ("Đăng ký" -> "dang ky")."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LOOKALIKES).replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def canonical_key(text: str) -> str:
    """Key for identity of names: NFC, one tone convention, case and spaces folded."""
    return re.sub(r"\s+", " ", match_view(nfc(text))).strip().casefold()


# --- legacy 8-bit Vietnamese fonts ----------------------------------------------

@lru_cache(maxsize=1)
def _legacy_tables() -> tuple[dict[int, str], re.Pattern[str], dict[str, str], dict[int, str]]:
    data = resources.files("pipeline") / "data"
    tcvn3 = json.loads((data / "tcvn3.json").read_text(encoding="utf-8"))["map"]
    vni = json.loads((data / "vni.json").read_text(encoding="utf-8"))
    tcvn3_table = {ord(k): v for k, v in tcvn3.items()}
    marks = vni["marks"]
    standalone = vni["standalone"]
    bases = "aeiouyAEIOUYôöÔÖ"
    vni_re = re.compile(f"([{bases}])([{''.join(marks)}])")
    return tcvn3_table, vni_re, marks, {ord(k): v for k, v in standalone.items()}


def tcvn3_to_unicode(text: str) -> str:
    table = _legacy_tables()[0]
    return nfc(text.translate(table))


def vni_to_unicode(text: str) -> str:
    _, vni_re, marks, standalone = _legacy_tables()
    composed = vni_re.sub(lambda m: m.group(1).translate(standalone) + marks[m.group(2)], text)
    return nfc(composed.translate(standalone))


# The commonest syllables of administrative Vietnamese. A legacy-font text has
# almost none of them until it is converted; a Unicode text has many.
_COMMON_SYLLABLES = frozenset(
    "của và các ngày năm được trong cho với theo về việc đã này những tháng số "
    "người thực hiện công tác ban hành nhân dân ủy hội đồng quyết định kế hoạch "
    "cộng hòa xã chủ nghĩa việt nam độc lập tự do hạnh phúc sở nội vụ không có một".split()
)
# Latin-1 letters that never occur in Vietnamese: their presence is what makes
# a text a candidate for legacy-font conversion.
_NON_VIETNAMESE_LATIN1 = re.compile("[\u00a1-\u00bf\u00c4-\u00c7\u00cb\u00ce-\u00d1\u00d6-\u00d8\u00db\u00dc\u00de-\u00df\u00e4-\u00e7\u00eb\u00ee-\u00f1\u00f6-\u00f8\u00fb\u00fc\u00fe\u00ff]")
# A conversion must at least double the common-syllable count and add this many.
_LEGACY_MIN_GAIN = 3


def _vietnamese_score(text: str) -> int:
    return sum(1 for w in re.findall(r"\w+", text.lower()) if w in _COMMON_SYLLABLES)


def detect_legacy_encoding(text: str) -> str | None:
    """'tcvn3', 'vni' or None: which legacy font encoding a mojibake text is in."""
    sample = text[:20000]
    if len(_NON_VIETNAMESE_LATIN1.findall(sample)) < 3:
        return None
    base = _vietnamese_score(nfc(sample))
    best, best_score = None, base * 2 + _LEGACY_MIN_GAIN - 1
    for name, convert in (("tcvn3", tcvn3_to_unicode), ("vni", vni_to_unicode)):
        score = _vietnamese_score(convert(sample))
        if score > best_score:
            best, best_score = name, score
    return best


LEGACY_CONVERTERS = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode}


# --- PDF soft line breaks ------------------------------------------------------

# A document number broken after its hyphen or slash ("1018/KH-\nUBND").
_BROKEN_NUMBER = re.compile(r"(\d{1,5}/(?:\d{4}/)?[A-ZĐÐa-z&]*[-/])[ ]*\n[ ]*(?=[A-ZĐÐ])")
# A line that continues a sentence: the next line starts in lower case.
_SOFT_BREAK = re.compile(r"(?<=[^\n.;:!?])[ ]*\n[ ]*(?=(\w|\())")


def join_soft_breaks(text: str) -> str:
    """Join PDF line breaks that fall inside a sentence, a name or a document number."""
    text = _BROKEN_NUMBER.sub(r"\1", text)
    return _SOFT_BREAK.sub(lambda m: " " if m.group(1) == "(" or m.group(1).islower() else m.group(), text)


def clean_block(text: str, legacy: str | None = None, soft_breaks: bool = False) -> str:
    """The normalised text of one block: what a Document's text is made of."""
    text = _LINE_ENDINGS.sub("\n", text).translate(_INVISIBLE).translate(_SPACES)
    if legacy:
        text = LEGACY_CONVERTERS[legacy](text)
    text = nfc(text)
    text = _TRAILING_SPACE.sub("\n", text)
    if soft_breaks:
        text = join_soft_breaks(text)
    return text.strip("\n ")
