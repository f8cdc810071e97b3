"""What an initiative's sentence says about it: its evidence sentence, owner unit, year and the
directive that asked for it."""
from __future__ import annotations

import re
from functools import lru_cache

from ..numbers import numbers_index
from .candidate import Candidate
from .lines import flatten, is_soft_break

# A paragraph handed to the sentence splitter is cut to this many characters around the candidate.
MAX_PARAGRAPH_CHARS = 3000
_YEAR = re.compile(r"(?:19|20)\d\d")


def paragraph_bounds(text: str, pos: int) -> tuple[int, int]:
    """The paragraph around ``pos``: hard line breaks end it, soft ones (wraps) do not."""
    start = pos
    while True:
        j = text.rfind("\n", 0, start)
        if j < 0 or not is_soft_break(text, j):
            start = j + 1
            break
        start = j
    end = pos
    while True:
        j = text.find("\n", end)
        if j < 0:
            end = len(text)
            break
        if not is_soft_break(text, j):
            end = j
            break
        end = j + 1
    return max(start, pos - MAX_PARAGRAPH_CHARS // 2), min(end, pos + MAX_PARAGRAPH_CHARS // 2)


@lru_cache(maxsize=256)
def _sentences(paragraph: str) -> tuple[tuple[int, int], ...]:
    from underthesea import sent_tokenize

    spans, pos = [], 0
    for sentence in sent_tokenize(paragraph):
        at = paragraph.find(sentence[:20], pos)
        if at < 0:
            continue
        spans.append((at, at + len(sentence)))
        pos = at + len(sentence)
    return tuple(spans)


def evidence_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence that holds ``text[start:end]``, by underthesea's sentence splitter on its paragraph."""
    p_start, p_end = paragraph_bounds(text, start)
    for s, e in _sentences(flatten(text[p_start:p_end])):
        if s <= start - p_start < e:
            return p_start + s, max(p_start + e, min(end, p_end))
    return p_start, p_end


def attributes(ctx, c: Candidate, sentence: tuple[int, int]) -> dict:
    s_start, s_end = sentence
    unit = c.unit
    if unit is None:
        before = ctx.index("units").starting_in(s_start, c.start)
        if before:
            unit = before[-1].value["canonical"]
    if unit is None:
        unit = ctx.header.get("issuer")
    year = None
    year_m = _YEAR.search(c.period or "")
    if year_m:
        year = int(year_m.group())
    for d in ctx.date_index().starting_in(s_start, s_end):
        if year is None and d.precision in ("year", "day", "month", "quarter", "range"):
            year = int(d.period_start[:4])
    if year is None and ctx.header.get("date"):
        year = int(ctx.header["date"][:4])
    # The directive is the number nearest before the initiative in its sentence
    # ("ban hành Kế hoạch số 4776/KH-UBND về phát động Đợt thi đua …"), else the first after it.
    numbers = [n for n in numbers_index(ctx).within(s_start, s_end) if not n.bare]
    before = [n for n in numbers if n.end <= c.start]
    directive = (before[-1] if before else numbers[0]).value if numbers else None
    if directive is None and ctx.header.get("kind") == "official":
        directive = ctx.header.get("number")
    return {"unit": unit, "year": year, "directive": directive}
