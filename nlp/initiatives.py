"""Initiatives: titled reform efforts (sáng kiến, giải pháp, mô hình, cách làm hay, đề án,
chương trình, phong trào / đợt thi đua, giải thưởng) with owner unit, year and directive.

Four ways a title is written (domain notes):
* quoted after its kind: Đề án “Tuyên truyền, phổ biến pháp luật …”;
* quoted with its kind inside: “Đợt thi đua cao điểm về Cải cách hành chính”;
* a capitalised name after the kind: mô hình Dân vận khéo;
* the kind itself capitalised mid-sentence: … triển khai Đề án đơn giản hóa chế độ báo cáo …;
* rows of a table whose header has "Tên sáng kiến" / "Tên mô hình" / "Tên giải pháp".
Generic plurals ("các sáng kiến trong công tác CCHC") are not initiatives.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from nlp.span import Span
from nlp.keys import canonical_key

from .base import Context
from .numbers import document_numbers
from .vocab import vre, alternation, vocab

# Confidence by form (calibrated on the gold set, see ``cchc eval``).
CONF_TABLE_ROW = 0.9  # a row under "Tên sáng kiến": the registration form says it is one
CONF_QUOTED = 0.85  # a quoted title after its kind
CONF_CAPITALISED_NAME = 0.75  # "mô hình Dân vận khéo": the name is capitalised, its end is a guess
CONF_CAPITALISED_KIND = 0.6  # "Đề án đơn giản hóa …": capital kind mid-sentence, end is a guess

MAX_TITLE_WORDS = 25
MIN_TITLE_WORDS = 2
# Words that end a title written without quotes: what follows is its context.
_TITLE_STOP = vre(
    r"\s+(?:của|do|tại|trong|được|đã|đang|sẽ|nhằm|để|cho|theo|trên|thuộc|nhưng|với|và|từ|đến|khi|vào|là|"
    r"năm\s+\d{4}|giai\s+đoạn|số\s+\d)(?!\w)|[,.;:()“”\"!?\n|]", re.I)
_GENERIC_LEAD = vre(
    r"(?:các|những|mỗi|một\s+số|nhiều|tối\s+thiểu(?:\s+\d+)?|ít\s+nhất(?:\s+\d+)?|\d+|01|02|03|số|bản|tên|nội\s+dung|"
    r"danh\s+sách|đăng\s+ký|loại|hình\s+thức|từng|mọi|về)\s*$", re.I)
# A title made only of these after its kind names no particular initiative.
_GENERIC_REST = frozenset(canonical_key(w) for w in (
    "này", "hành động", "công tác", "trên", "đó", "nêu trên", "sau", "mới", "tổng thể", "thi đua", "kế hoạch",
    "trọng tâm", "mục tiêu", "cụ thể", "của", "thực hiện", "đã", "ý tưởng mới"))


# A title never starts with these: "Chương trình này", "Đề án trên", "Kế hoạch đó".
_GENERIC_FIRST = frozenset(canonical_key(w) for w in (
    "này", "trên", "đó", "đã", "sau", "nêu", "được", "của", "hành", "công", "thi", "đang", "sẽ", "cũng", "là", "có"))


@lru_cache(maxsize=1)
def _kind_re() -> re.Pattern[str]:
    kinds = alternation(vocab()["initiative_kinds"])
    return vre(rf"(?<![\w\-])(?P<kind>{kinds})(?!\w)", re.I)


@lru_cache(maxsize=1)
def _quoted_kind_re() -> re.Pattern[str]:
    kinds = alternation(vocab()["initiative_kinds"])
    return vre(rf"[“\"](?P<title>(?:{kinds})(?!\w)[^”\"\n]{{3,250}})[”\"]", re.I)


_QUOTE_AFTER = vre(r"\s*(?:(?:về|là|mang\s+tên|với\s+tên|có\s+tên|với\s+chủ\s+đề|chủ\s+đề)\s*)?:?\s*[“\"](?P<title>[^”\"\n]{3,250})[”\"]", re.I)


def _kind_name(word: str) -> str:
    key = canonical_key(word)
    for k, v in vocab()["initiative_kinds"].items():
        if canonical_key(k) == key:
            return v
    return key


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), text.rfind("; ", 0, pos)) + 1
    ends = [i for i in (text.find(". ", pos), text.find("\n", pos), text.find("; ", pos)) if i >= 0]
    return start, min(ends) if ends else len(text)


def _title_words(text: str) -> int:
    return len(text.split())


@lru_cache(maxsize=1)
def _trailing_kind_list() -> re.Pattern[str]:
    kinds = alternation(vocab()["initiative_kinds"])
    return vre(rf"(?:{kinds})\s*(?:,|và|hoặc|/)\s*$", re.I)


def _is_generic(ctx: Context, kind_start: int) -> bool:
    """ "các sáng kiến", "tối thiểu 2 sáng kiến", and lists such as "các sáng kiến, giải pháp, cách làm hay"."""
    before = ctx.view[max(0, kind_start - 120):kind_start]
    while True:
        trimmed = _trailing_kind_list().sub("", before)
        if trimmed == before:
            break
        before = trimmed
    before = re.split(r"[,;.:\n]", before)[-1]
    return bool(_GENERIC_LEAD.search(before))


def _unquoted_title(ctx: Context, start: int) -> int:
    """End of a title written without quotes that starts at ``start``."""
    stop = _TITLE_STOP.search(ctx.view, start)
    end = stop.start() if stop else len(ctx.view)
    words = ctx.doc.text[start:end].split()
    if len(words) > MAX_TITLE_WORDS:
        end = start + len(" ".join(words[:MAX_TITLE_WORDS]))
    return end


class Initiatives:
    name = "initiatives"

    def extract(self, ctx: Context) -> Iterator[Span]:
        taken: list[tuple[int, int]] = []
        found: list[Span] = []
        for span in self._tables(ctx):
            taken.append((span.start, span.end))
            found.append(span)
        for span in self._prose(ctx, taken):
            found.append(span)
        seen: set[str] = set()
        for span in sorted(found, key=lambda s: s.start):
            key = canonical_key(span.value["title"])
            span.value["repeat"] = key in seen
            seen.add(key)
            yield span

    # -- prose --------------------------------------------------------------

    def _prose(self, ctx: Context, taken: list[tuple[int, int]]) -> Iterator[Span]:
        text, view = ctx.doc.text, ctx.view
        for m in _quoted_kind_re().finditer(view):
            if any(s <= m.start() < e for s, e in taken):
                continue
            title = text[m.start("title"):m.end("title")].strip()
            kind = _kind_re().match(view, m.start("title"))
            taken.append((m.start(), m.end()))
            yield self._span(ctx, m.start("title"), m.end("title"), title, _kind_name(kind.group("kind")), CONF_QUOTED, "initiatives.quoted")
        for m in _kind_re().finditer(view):
            if any(s <= m.start() < e for s, e in taken):
                continue
            if _is_generic(ctx, m.start()):
                continue
            kind = _kind_name(m.group("kind"))
            quoted = _QUOTE_AFTER.match(view, m.end())
            if quoted:
                title = f"{text[m.start():m.end()].capitalize()} {text[quoted.start('title'):quoted.end('title')].strip()}"
                taken.append((m.start(), quoted.end()))
                yield self._span(ctx, m.start(), quoted.end(), title, kind, CONF_QUOTED, "initiatives.quoted")
                continue
            after = re.match(r"\s+(?P<w>\S+)", view[m.end():m.end() + 60])
            if not after:
                continue
            first_word = text[m.end() + after.start("w"):m.end() + after.end("w")]
            if text[m.start():m.end()].isupper():
                continue  # a heading in capitals: case says nothing about titles there
            kind_capital = text[m.start()].isupper() and not _sentence_start(text, m.start())
            name_capital = first_word[:1].isupper() and not first_word.isupper() and not first_word[:1].isdigit()
            if not (kind_capital or name_capital):
                continue
            if _unit_head_at(view, m.end() + after.start("w")):
                continue  # "giải pháp Sở Nội vụ đề xuất": a unit follows, not a title
            if re.match(r"\s*(?:số\s*)?\d", view[m.end():m.end() + 8], re.I):
                continue  # "Chương trình số 12/CTr-UBND": a document, not an initiative
            end = _unquoted_title(ctx, m.end() + after.start("w"))
            rest = text[m.end():end].strip()
            if _title_words(rest) < 1 or canonical_key(rest.split()[0]) in _GENERIC_FIRST or not _has_content(rest):
                continue
            title = f"{text[m.start():m.end()].capitalize()} {rest}"
            if _title_words(title) < MIN_TITLE_WORDS:
                continue
            conf = CONF_CAPITALISED_NAME if name_capital else CONF_CAPITALISED_KIND
            taken.append((m.start(), end))
            yield self._span(ctx, m.start(), m.start() + len(text[m.start():end].rstrip()), title, kind, conf,
                             "initiatives.capitalised")

    # -- tables -------------------------------------------------------------

    def _tables(self, ctx: Context) -> Iterator[Span]:
        v = vocab()
        title_headers = {canonical_key(h) for h in v["initiative_table_headers"]}
        for table in ctx.doc.tables:
            for h_index, header in enumerate(table.rows[:3]):
                keys = [canonical_key(c.text) for c in header]
                col = next((i for i, k in enumerate(keys) if any(k.startswith(t) for t in title_headers)), None)
                if col is None:
                    continue
                unit_col = _column(keys, v["unit_table_headers"])
                period_col = _column(keys, v["period_table_headers"])
                kind = _kind_name(next((k for k in v["initiative_kinds"] if k in keys[col]), "sáng kiến"))
                for row in table.rows[h_index + 1:]:
                    if col >= len(row):
                        continue
                    cell = row[col]
                    title = cell.text.strip()
                    if len(title.split()) < MIN_TITLE_WORDS or title.isdigit():
                        continue
                    unit = row[unit_col].text.strip() if unit_col is not None and unit_col < len(row) else None
                    period = row[period_col].text.strip() if period_col is not None and period_col < len(row) else None
                    span = self._span(ctx, cell.start, cell.end, title, kind, CONF_TABLE_ROW, "initiatives.table")
                    if unit:
                        span.value["unit"] = unit
                    year = re.search(r"(?:19|20)\d\d", period or "")
                    if year:
                        span.value["year"] = int(year.group())
                    yield span
                break

    # -- shared -------------------------------------------------------------

    def _span(self, ctx: Context, start: int, end: int, title: str, kind: str, conf: float, source: str) -> Span:
        s_start, s_end = _sentence_bounds(ctx.doc.text, start)
        unit = None
        for u in ctx.spans.get("units", []):
            if s_start <= u.start < start:
                unit = u.value["canonical"]
        if unit is None:
            unit = ctx.header.get("issuer")
        year = None
        for d in ctx.dates:
            if s_start <= d.start < s_end and d.precision in ("year", "day", "month", "quarter"):
                year = int(d.period_start[:4])
                break
        if year is None and ctx.header.get("date"):
            year = int(ctx.header["date"][:4])
        # The directive is the number nearest before the initiative in its sentence
        # ("ban hành Kế hoạch số 4776/KH-UBND về phát động Đợt thi đua …"), else the first after it.
        numbers = [n for n in document_numbers(ctx) if not n.bare and s_start <= n.start and n.end <= s_end]
        before = [n for n in numbers if n.end <= start]
        directive = (before[-1] if before else numbers[0]).value if numbers else None
        if directive is None and ctx.header.get("kind") == "official":
            directive = ctx.header.get("number")
        title = re.sub(r"\s+", " ", title).strip(" -–:")
        value = {"title": title, "kind": kind, "unit": unit, "year": year, "directive": directive}
        return ctx.span("initiative", start, end, value, conf, source)


def _unit_head_at(view: str, pos: int) -> bool:
    from .units import _head_re

    return bool(_head_re().match(view, pos))


def _column(keys: list[str], names: list[str]) -> int | None:
    wanted = [canonical_key(n) for n in names]
    return next((i for i, k in enumerate(keys) if any(k.startswith(w) for w in wanted)), None)


def _sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 4):pos].rstrip(" \t“\"-–•*")
    return not before or before[-1] in ".!?:\n;" or before[-1].isdigit()


def _has_content(rest: str) -> bool:
    words = rest.split()
    return any(canonical_key(w) not in _GENERIC_REST for w in words)
