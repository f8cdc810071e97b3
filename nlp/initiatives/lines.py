"""Lines and clauses of a document's text, as an initiative's title sees them.

Texts copied from PDF, DOCX or legal portals wrap sentences at a fixed width ("…ban hành
Chương trình tổng thể cải cách hành chính nhà\\nnước giai đoạn 2011 - 2020"). A line break is
*soft* (a wrap inside a sentence) when the line before it does not end a sentence and the next
line does not open a list item; a soft break is read as a space.
"""
from __future__ import annotations

import re
from functools import lru_cache

_LIST_MARKER = re.compile(r"\s*(?:\d+(?:\.\d+)*[.)]|[a-zđ][.)]|[IVXLC]+[.)]|[-–•+*|]|\*\*)\s", re.I)
_SENTENCE_END = ".;:!?”\"'’)|"
# A wrapped line is at least this long: headings, captions and bylines are shorter.
MIN_WRAPPED_LINE = 45


def is_soft_break(text: str, i: int) -> bool:
    """Is the line break at ``text[i]`` a wrap inside a sentence?"""
    line_start = text.rfind("\n", 0, i) + 1
    line = text[line_start:i].rstrip()
    if not line or line[-1] in _SENTENCE_END:
        return False
    if i + 1 >= len(text) or text[i + 1] == "\n":
        return False
    nxt = text[i + 1:i + 40]
    if _LIST_MARKER.match(nxt):
        return False
    first = nxt.lstrip()[:1]
    return first.islower() or first.isdigit() or len(line) >= MIN_WRAPPED_LINE and is_wrapped(text)


# A text is wrapped at a fixed width (legal portals, PDF text) when at least this share of its long
# lines stop mid-sentence before a line in lower case; news paragraphs (0 %) and wrapped plans (35–75 %)
# of the dev texts lie far apart. Only in a wrapped text does a long line go on before a capital.
MIN_WRAPPED_SHARE = 0.2
_LONG_LINE = 30


@lru_cache(maxsize=64)
def is_wrapped(text: str) -> bool:
    lines = text.split("\n")
    long = [i for i in range(len(lines) - 1) if len(lines[i].strip()) >= _LONG_LINE]
    if not long:
        return False
    mid = sum(1 for i in long if lines[i].rstrip()[-1] not in _SENTENCE_END and lines[i + 1][:1].islower())
    return mid / len(long) >= MIN_WRAPPED_SHARE


_CLAUSE_STOP = re.compile(r"[.!?;](?=\s|$)|\n")


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence (or ';' clause) around ``pos``, reading soft line breaks as spaces."""
    start = pos
    while start > 0:
        j = max(text.rfind(c, 0, start) for c in ".!?;\n")
        if j < 0:
            start = 0
            break
        if text[j] == "\n" and is_soft_break(text, j):
            start = j
            continue
        if text[j] != "\n" and j + 1 < len(text) and not text[j + 1].isspace():
            start = j  # "TP.HCM", "1.2": not a sentence end
            continue
        start = j + 1
        break
    end = pos
    for m in _CLAUSE_STOP.finditer(text, pos):
        if m.group() == "\n" and is_soft_break(text, m.start()):
            continue
        end = m.start()
        break
    else:
        end = len(text)
    return start, end


def flatten(segment: str) -> str:
    """A text segment with its line breaks as spaces (same length, so offsets hold)."""
    return segment.replace("\n", " ")
