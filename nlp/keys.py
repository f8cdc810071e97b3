"""Matching keys for Vietnamese text.

* ``match_view``: a same-length copy of a text for pattern matching, with one
  tone-mark convention (hoà -> hòa) and look-alike letters folded (Ð -> Đ).
  Offsets found in the view are valid in the original.
* ``tone_agnostic``: a regex pattern whose literals match either tone convention.
* ``fold``: tones and đ removed, lower case, for search indexes and keys
  ("Đăng ký" -> "dang ky"). Length is not preserved.
* ``canonical_key``: the identity of a name (case, spaces and tone convention folded).
"""
from __future__ import annotations

import re
import unicodedata

from extractors.text_hygiene import nfc


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


_OLD_TO_NEW_TONES = {v: k for k, v in _NEW_TO_OLD_TONES.items()}
# Where only one placement exists: a closed syllable (hoạch, đoạn, toàn, huỳnh) and after "qu" (quý).
_ONE_PLACEMENT_RE = re.compile("(?<=[qQ])(?:{0})|(?:{0})(?=[^\\W\\d_])".format(
    "|".join(sorted(map(re.escape, _OLD_TO_NEW_TONES), key=len, reverse=True))))


def spelling_view(view: str) -> str:
    """Same-length copy of a matching view spelt as a reader writes it: ``match_view`` folds every
    "oạ"/"oà"/"uỳ" to "ọa"/"òa"/"ùy", which is right for an open syllable (hoà, thuỷ) but misspells a
    closed one ("Kế họach", "giai đọan") and "quý"; a tagger reads those as unknown words."""
    return _ONE_PLACEMENT_RE.sub(lambda m: _OLD_TO_NEW_TONES[m.group()], view)


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


