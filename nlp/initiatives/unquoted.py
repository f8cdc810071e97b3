"""Titles written without quotes after their kind word.

* a capitalised name: mô hình Dân vận khéo, các mô hình Dân vận khéo;
* the kind capitalised mid-sentence: … tổ chức Hội thi tuyên truyền cải cách hành chính năm 2018;
* in lower case, when the name is specific (a year or period, a number, a proper noun or an
  abbreviation): chương trình tổng thể CCHC giai đoạn 2021-2030, đợt cao điểm 90 ngày, đêm …;
* a kind and a number: Đề án 06, Chương trình 135.
Where the title ends is ``boundary.title_end``'s decision.
"""
from __future__ import annotations

import re

from nlp.keys import canonical_key
from nlp.ranges import Ranges

from . import lexicon
from .boundary import title_end, up_to_alias
from .candidate import Candidate
from .lines import is_soft_break

# "Đề án 06", "Chương trình 135", "Đề án 06/CP" (the Government's): a programme known by its number (not
# "số 12/CTr-UBND").
_NUMBER_NAME = re.compile(r"[ \t]+(?P<n>\d{1,4}(?:/CP)?)(?![\w/\-.,]\d|[\w/\-])")
_NUMBERED_KINDS = frozenset({"đề án", "chương trình", "dự án"})
_DOCUMENT_NUMBER = re.compile(r"\s*(?:số\s*\d|\d+[\w.]*\s*[/\-]\s*[A-ZĐ])", re.I)
_NEXT_WORD = re.compile(r"(?:[ \t]|\n(?=\S))+(?P<w>[^\s,.;:()|]+)")


def _sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 6):pos].rstrip(" \t“\"'‘-–•*")
    if before.endswith("\n") and is_soft_break(text, pos - (len(text[:pos]) - len(text[:pos].rstrip(" \t"))) - 1):
        return False  # a wrapped line goes on with the sentence
    return not before or before[-1] in ".!?:\n;|" or before[-1].isdigit() or before.endswith("**")


# A numbered heading line: "4. Cơ cấu giải thưởng", "II. Các mô hình".
_NUMBERED_HEADING = re.compile(r"[ \t]*(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]+|[a-zđ])[.)][ \t]")
MAX_HEADING_CHARS = 80  # a section heading is one short line


def _heading_ends_at(text: str, end: int, name_start: int) -> bool:
    """Does a line break between a kind word and the next word end a numbered heading (or a sentence)?"""
    br = text.find("\n", end, name_start)
    if br < 0:
        return False
    line_start = text.rfind("\n", 0, br) + 1
    heading = br - line_start <= MAX_HEADING_CHARS and _NUMBERED_HEADING.match(text, line_start)
    return bool(heading) or not is_soft_break(text, br)


def _is_name_word(word: str) -> bool:
    """A capitalised word that starts a name ("Dân", "Q-Office"), not an abbreviation ("CCHC")."""
    return word[:1].isupper() and not word.isupper()


def unquoted_candidates(ctx, taken: list[tuple[int, int]], use_pos: bool = True) -> list[Candidate]:
    text, view = ctx.doc.text, ctx.view
    found: list[Candidate] = []
    taken_ranges, units = Ranges(taken), ctx.index("units")
    for m in lexicon.kind_re().finditer(view):
        if m.start() in taken_ranges:
            continue
        kind_word = text[m.start():m.end()]
        kind = lexicon.kind_name(kind_word)
        if canonical_key(kind_word) in lexicon.quoted_only_kinds():
            continue
        if lexicon.in_unit_name(ctx, m.start()):
            continue  # "Hội đồng Sáng kiến tỉnh", "Hội đồng xét chọn Giải thưởng tổ chức …": part of a unit's name
        if kind_word.isupper() and len(kind_word) > 3:
            continue  # a heading in capitals: case says nothing about titles there
        number = _NUMBER_NAME.match(view, m.end())
        if _DOCUMENT_NUMBER.match(view, m.end()) and not (number and "/" in number.group("n")):
            continue  # "Chương trình số 12/CTr-UBND": a document, cited; but "Đề án 06/CP" is the programme's name
        if number and canonical_key(kind_word) in _NUMBERED_KINDS:
            found.append(Candidate(m.start(), number.end("n"), number.start("n"), number.end("n"), kind, kind_word,
                                   "number", "punct"))
            continue
        nxt = _NEXT_WORD.match(text, m.end())
        if not nxt:
            continue
        first = nxt.group("w")
        name_start = nxt.start("w")
        if _heading_ends_at(text, m.end(), name_start):
            continue  # "4. Cơ cấu giải thưởng\n01 giải Nhất …": a heading's last word, the next line is no title
        if first[:1] in lexicon.OPEN_QUOTES:
            continue  # a quoted title: quoted.py
        if units.starting_at(name_start):
            continue  # "giải pháp Sở Nội vụ đề xuất": a unit follows, not a title
        if _is_name_word(first):
            form = "name"
        elif kind_word[:1].isupper():
            form = "sentence_start" if _sentence_start(text, m.start()) else "capital_kind"
        else:
            form = "lower"
        bound = title_end(ctx, name_start, use_pos)
        if bound.end <= name_start:
            continue
        alias = up_to_alias(ctx, name_start, bound.end, use_pos)
        end, how = (alias, "alias") if alias else (bound.end, bound.how)
        found.append(Candidate(m.start(), end, name_start, end, kind, kind_word, form, how))
    return found
