"""Text hygiene for Vietnamese official texts.

``clean_block`` is what every reader applies to each block before it becomes part of a
Document's text (NFC, line endings, invisible characters, legacy font mojibake, PDF soft
line breaks). Offsets index the *result*. Matching keys live in ``nlp.keys``.
"""
from __future__ import annotations

import re
import unicodedata

from .legacy_fonts import LEGACY_CONVERTERS

# --- invisible characters and line endings --------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# PDFium marks a hyphen at a line end, where it joined the line, with U+FFFE ("35/QĐ\ufffe84").
_INVISIBLE[0xFFFE] = "-"
_SPACES = {ord(c): " " for c in "\u00a0\u2002\u2003\u2007\u2009\u202f\u3000\t"}
_FOLD_CHARS = {**_INVISIBLE, **_SPACES}
# str.translate looks every non-ASCII character up in the table (Vietnamese text is full of them);
# one regex search finds whether there is anything to translate at all, 15x faster on clean text.
_NEEDS_FOLD = re.compile("[" + re.escape("".join(map(chr, _FOLD_CHARS))) + "]")
_LINE_ENDINGS = re.compile(r"\r\n?|\u2028|\u2029|\x0b|\x0c")
# Spaces before a line end. Starting only at the first space of a run keeps it linear (a match tried
# at every space of a long run without a line end was quadratic: 50,000 spaces took 5 s).
_TRAILING_SPACE = re.compile(r"(?<![ ])[ ]+\n")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- PDF soft line breaks ------------------------------------------------------

# A document number broken after its hyphen or slash ("1018/KH-\nUBND").
_BROKEN_NUMBER = re.compile(r"(\d{1,5}/(?:\d{4}/)?[A-ZĐÐa-z&]*[-/])[ ]*\n[ ]*(?=[A-ZĐÐ])")
# A line that continues a sentence: the next line starts in lower case.
# (Never after a space: trailing spaces are gone when it runs, and starting inside a run of spaces
# would make it quadratic.)
_SOFT_BREAK = re.compile(r"(?<=[^\n.;:!? ])[ ]*\n[ ]*(?=(\w|\())")


def join_soft_breaks(text: str) -> str:
    """Join PDF line breaks that fall inside a sentence, a name or a document number."""
    text = _BROKEN_NUMBER.sub(r"\1", text)
    return _SOFT_BREAK.sub(lambda m: " " if m.group(1) == "(" or m.group(1).islower() else m.group(), text)


def clean_block(text: str, legacy: str | None = None, soft_breaks: bool = False) -> str:
    """The normalised text of one block: what a Document's text is made of."""
    text = _LINE_ENDINGS.sub("\n", text)
    if legacy:  # first: in TCVN3 the soft-hyphen byte 0xAD is "ư", which the clean-up below would drop
        text = LEGACY_CONVERTERS[legacy](text)
    if _NEEDS_FOLD.search(text):
        text = text.translate(_FOLD_CHARS)
    text = nfc(text)
    text = _TRAILING_SPACE.sub("\n", text)
    if soft_breaks:
        text = join_soft_breaks(text)
    return text.strip("\n ")
