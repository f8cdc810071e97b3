"""Legacy 8-bit Vietnamese font encodings (TCVN3/ABC ".VnTime", VNI): detection and repair.

Old documents typed in these fonts extract as mojibake; converted, they are ordinary NFC text.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _legacy_tables() -> tuple[dict[int, str], re.Pattern[str], dict[str, str], dict[int, str]]:
    data = resources.files("extractors") / "data"
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
    return unicodedata.normalize("NFC", text.translate(table))


def vni_to_unicode(text: str) -> str:
    _, vni_re, marks, standalone = _legacy_tables()
    composed = vni_re.sub(lambda m: m.group(1).translate(standalone) + marks[m.group(2)], text)
    return unicodedata.normalize("NFC", composed.translate(standalone))


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


# Detection reads the start of a text: a legacy-font document is in one font throughout.
LEGACY_SAMPLE_CHARS = 20000


def detect_legacy_encoding(text: str) -> str | None:
    """'tcvn3', 'vni' or None: which legacy font encoding a mojibake text is in."""
    sample = text[:LEGACY_SAMPLE_CHARS]
    if len(_NON_VIETNAMESE_LATIN1.findall(sample)) < 3:
        return None
    base = _vietnamese_score(unicodedata.normalize("NFC", sample))
    best, best_score = None, base * 2 + _LEGACY_MIN_GAIN - 1
    for name, convert in (("tcvn3", tcvn3_to_unicode), ("vni", vni_to_unicode)):
        score = _vietnamese_score(convert(sample))
        if score > best_score:
            best, best_score = name, score
    return best


LEGACY_CONVERTERS = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode}


