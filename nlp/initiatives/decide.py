"""Keep a candidate or not: one decision per candidate, with its reason (for debugging)."""
from __future__ import annotations

import re

from nlp.keys import canonical_key

from ..numbers import numbers_index
from . import lexicon
from .candidate import Candidate
from .postag import CONTENT_TAGS, tag

MIN_TITLE_SYLLABLES = 2
# A kind word that opens a sentence is capitalised by position: its title needs a name of at least
# this many words before the sentence's verb ("Đề án sắp xếp tổ chức bộ máy trình …").
MIN_SENTENCE_START_WORDS = 3
_DAY_DATE = re.compile(r"\bngày\s+\d{1,2}\s*[/.\-]\s*\d{1,2}", re.I)


def _specific(ctx, start: int, end: int, annual_is_generic: bool = False) -> bool:
    """A name in lower case is specific when it holds a number or year, a proper noun or an
    abbreviation ("chương trình tổng thể CCHC giai đoạn 2021-2030", "đợt cao điểm 90 ngày"), other
    than a unit's name ("sáng kiến gửi Hội đồng Sáng kiến huyện"). With ``annual_is_generic``, one
    year ("năm 2018") is not: "chương trình kiểm tra, giám sát năm 2018" is a year's plan of work."""
    units = [(u.start, u.end) for u in ctx.index("units").overlapping(start, end)]
    units += [(at, lexicon.unit_end(ctx, at)) for at in lexicon.unit_starts(ctx, start, end)]
    text = ctx.doc.text
    for m in re.finditer(r"\S+", text[start:end]):
        w, at = m.group(), start + m.start()
        if annual_is_generic and _ANNUAL.search(text, max(0, at - 5), at + len(w)):
            continue
        if (any(ch.isdigit() for ch in w) or w[:1].isupper()) and not any(s <= at < e for s, e in units):
            return True
    return False


# Kinds whose lower-case name with one year is a plan of work, not a named effort.
_ANNUAL_WORK_KINDS = frozenset({"chương trình"})
_ANNUAL = re.compile(r"(?<!\w)năm\s+(?:19|20)\d\d[.,;:]?$", re.I)


# "…; giải pháp số hóa hồ sơ của TAND huyện X": an item after ";" whose owner follows its title
_ITEM_BEFORE = re.compile(r";[ \t]*$")
_OWNER_AFTER = re.compile(r"[ \t]+của[ \t]+", re.I)
_QUOTED_ITEM = re.compile(r"[“\"][^”\"\n;]{3,}[”\"]")
MAX_LIST_ITEM_CHARS = 250  # back to the previous item of the list: a title, its owner and a short remark


def _owned_item_of_a_named_list(ctx, c: Candidate) -> bool:
    """A lower-case title is an item of a list of named efforts ("mô hình “A” của Sở X; mô hình “B” do UBND xã Y
    thực hiện; giải pháp số hóa hồ sơ vụ án của TAND huyện Z"): it follows ";" after an item with a quoted title,
    and its owner, a unit, follows it at once after "của"."""
    view = ctx.view
    if not _ITEM_BEFORE.search(view, max(0, c.start - 3), c.start):
        return False
    owner = _OWNER_AFTER.match(view, c.title_end)
    if owner is None or not lexicon.unit_starts(ctx, owner.end(), owner.end() + 1):
        return False
    item_end = view.rfind(";", 0, c.start)
    item_start = max(view.rfind(sep, max(0, item_end - MAX_LIST_ITEM_CHARS), item_end) for sep in ";:\n")
    return item_start >= 0 and bool(_QUOTED_ITEM.search(view, item_start, item_end))


def _cites_a_document(ctx, c: Candidate) -> bool:
    """ "Chương trình hành động số 12-CTr/TU", "Đề án 123/ĐA-UBND": a directive cited by its number."""
    return any(not n.bare for n in numbers_index(ctx).starting_in(c.title_start, c.title_end))


# A count is often spelt out after its digits, in parentheses: "công nhận 09 (chín) sáng kiến".
_SPELLED_COUNT = re.compile(r"(?<=\d)\s*\([^\W\d]+(?:\s[^\W\d]+){0,3}\)\s*$")


def generic_lead(ctx, c: Candidate) -> bool:
    """ "các sáng kiến", "tối thiểu 2 sáng kiến", "các sáng kiến, giải pháp, cách làm hay"."""
    if not c.kind_word:
        return False
    before = _SPELLED_COUNT.sub(" ", ctx.view[max(0, c.start - 120):c.start])  # "09 (chín) sáng kiến"
    while True:
        trimmed = lexicon.trailing_kind_list_re().sub("", before)
        if trimmed == before:
            break
        before = trimmed
    before = re.split(r"[,;.:\n(]", before)[-1]
    lead = lexicon.generic_lead_re().search(before)
    if lead and c.form == "capital_kind" and canonical_key(lead.group()) == "về":
        return False  # "… về Chương trình tổng thể cải cách hành chính …": what a text is about, by its name
    return bool(lead)


def reason_to_drop(ctx, c: Candidate, use_pos: bool = True) -> str | None:
    """Why this candidate names no particular initiative, or None to keep it."""
    text = ctx.doc.text
    name = text[c.title_start:c.title_end].strip()
    words = name.split()
    if not words:
        return "empty"
    # Numbers and years name nothing by themselves ("sáng kiến năm 2021"): only a programme known by
    # its number ("Đề án 06") is named so.
    keys = lexicon.name_keys(name, numbers_as_years=c.form != "number")
    if len(words) + len(c.kind_word.split()) < MIN_TITLE_SYLLABLES:
        return "too short"
    if c.form in ("table", "numbered", "label", "list_item") and c.boundary not in ("quote", "unclosed") and (
            lexicon.document_type_re().match(ctx.view, c.title_start) and not lexicon.kind_re().match(ctx.view, c.title_start)):
        return "a document to write"  # "Báo cáo kết quả …", "Kế hoạch …": what a plan asks for, no initiative
    if c.form in ("table", "numbered", "label"):
        return "generic" if lexicon.only_generic(keys) else None
    if lexicon.only_generic(keys):
        return "generic name"
    if c.form in ("name", "capital_kind", "sentence_start", "lower") and _cites_a_document(ctx, c):
        return "a directive cited by its number"
    if c.form in ("name", "capital_kind", "sentence_start", "lower"):
        first = canonical_key(words[0])
        if first in lexicon.title_stops() or first in lexicon.generic_words() and len(words) == 1:
            return "no name after the kind"
        if first in lexicon.non_openings():
            return "a direction or place after the kind"
        if c.title_start in lexicon.unit_starts(ctx, c.title_start, c.title_start + 1):
            return "a unit after the kind"
        if use_pos:
            tagged = tag(ctx.view[c.title_start:c.title_end].replace("\n", " "))
            if tagged and tagged[0].tag not in CONTENT_TAGS:
                return "a function word after the kind"
            first = canonical_key(tagged[0].text) if tagged else first
        if _DAY_DATE.search(name):
            return "holds a date"
        c.generic_lead = generic_lead(ctx, c)
        if c.generic_lead and c.form != "name":
            return "generic plural"
        if c.form == "sentence_start" and (len(words) < MIN_SENTENCE_START_WORDS or c.boundary != "stop"
                                           or first in lexicon.generic_words()):
            return "a sentence's first word, and no verb of the sentence after a name"
        if c.form == "lower" and not _specific(ctx, c.title_start, c.title_end, c.kind in _ANNUAL_WORK_KINDS) \
                and not _owned_item_of_a_named_list(ctx, c):
            return "lower case, nothing specific"
        if c.form == "lower" and lexicon.trailing_kind_list_re().search(ctx.view, max(0, c.start - 40), c.start):
            return "a list of kinds"  # "công nhận sáng kiến, giải pháp cải cách hành chính năm 2023": a category
    if c.form == "quoted_kind":
        # “Mô hình này giúp người dân …” is someone speaking, not a title
        inner = lexicon.kind_re().match(ctx.view, c.title_start)
        after = text[inner.end():c.title_end].split() if inner else words
        if after and canonical_key(after[0]) in lexicon.title_stops():
            return "a quoted sentence about the kind"
        if any(canonical_key(w) in lexicon.clause_markers() for w in after):
            return "a quoted clause"
    if c.form in ("quoted", "list_item"):
        c.generic_lead = generic_lead(ctx, c)
    return None
