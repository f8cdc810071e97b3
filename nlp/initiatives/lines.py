"""Lines and clauses of a document's text, as an initiative's title sees them.

Texts copied from PDF, DOCX or legal portals wrap sentences at a fixed width ("…ban hành
Chương trình tổng thể cải cách hành chính nhà\\nnước giai đoạn 2011 - 2020"). A line break is
*soft* (a wrap inside a sentence) when the line before it does not end a sentence and the next
line does not open a list item; a soft break is read as a space.
"""
from __future__ import annotations

import re

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
    return first.islower() or first.isdigit() or len(line) >= MIN_WRAPPED_LINE


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
