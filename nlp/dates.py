"""Dates in every form of Vietnamese official texts, always day-month-year.

``find_dates`` yields ``DateMention``s: a day (``ngày 05 tháng 4 năm 2022``,
``12/7/2021``, ``23.10.2018``, ``19 Tháng Mười 2017``), a month (``tháng 6/2021``),
a quarter (``Quý III/2021``), a year range (``giai đoạn 2016-2020``) or a year
(``năm 2021``). Only a day has an ISO ``date``; the others carry the period they
cover, so a deadline can resolve to its last day and say so.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .vocab import vre, vocab

# Years outside this range are numbers, not dates, in these texts.
MIN_YEAR, MAX_YEAR = 1945, 2100


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    precision: str  # day | month | quarter | year | range
    date: str | None  # ISO, days only
    period_start: str
    period_end: str
    has_time: bool = False
    weekday: bool = False

    @property
    def last_day(self) -> str:
        return self.period_end


def _iso(y: int, m: int, d: int) -> str | None:
    if not (MIN_YEAR <= y <= MAX_YEAR and 1 <= m <= 12):
        return None
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return date(y, m, d).isoformat()


def _month_end(y: int, m: int) -> str:
    return date(y, m, calendar.monthrange(y, m)[1]).isoformat()


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    words = vocab()["month_words"]
    month_word = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    roman = "IV|III|II|I"
    weekday = r"(?:(?P<wd>(?:thứ\s*(?:[2-7]|hai|ba|tư|năm|sáu|bảy)|chủ\s*nhật))\s*,?\s*)?"
    time = r"(?:\s*[,-]?\s*(?:lúc\s*)?(?P<time>\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*(?:SA|CH|AM|PM))?))?"
    return [
        ("day_words", vre(
            weekday + r"(?:ngày\s+)?(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})(?!\d)" + time, re.I)),
        ("day_month_word", vre(
            weekday + r"(?:ngày\s+)?(?P<d>\d{1,2})\s+tháng\s+(?P<mw>" + month_word + r")\s*,?\s+(?:năm\s+)?(?P<y>\d{4})(?!\d)" + time, re.I)),
        ("day_numeric", vre(
            weekday + r"(?:ngày\s*)?(?<![\d/.\-])(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d/]|-[A-ZĐa-z])" + time, re.I)),
        ("quarter", vre(r"quý\s+(?P<q>" + roman + r"|[1-4])\s*(?:/|năm\s+)\s*(?P<y>\d{4})(?!\d)", re.I)),
        ("range", vre(
            r"(?:giai\s+đoạn|thời\s+kỳ|từ\s+năm)\s+(?P<y1>\d{4})\s*(?:-|đến(?:\s+năm)?)\s*(?P<y2>\d{4})(?!\d)", re.I)),
        ("month", vre(r"tháng\s+(?P<m>\d{1,2})\s*(?:/|năm\s+|-)\s*(?P<y>\d{4})(?!\d)", re.I)),
        ("month_numeric", vre(r"(?<![\d/])(?P<m>\d{1,2})/(?P<y>\d{4})(?![\d/]|-[A-ZĐ])")),
        ("year", vre(r"năm\s+(?P<y>\d{4})(?!\d)(?!\s*/)", re.I)),
    ]


def _mention(kind: str, m: re.Match[str]) -> DateMention | None:
    g = m.groupdict()
    has_time = bool(g.get("time"))
    wd = bool(g.get("wd"))
    if kind in ("day_words", "day_month_word", "day_numeric"):
        month = int(g["m"]) if g.get("m") else vocab()["month_words"][g["mw"].lower()]
        iso = _iso(_year(g["y"]) if kind != "day_numeric" else int(g["y"]), month, int(g["d"]))
        if not iso:
            return None
        return DateMention(m.start(), m.end(), "day", iso, iso, iso, has_time, wd)
    if kind == "quarter":
        q = vocab()["roman"].get(g["q"].upper()) or int(g["q"])
        y = int(g["y"])
        if not MIN_YEAR <= y <= MAX_YEAR:
            return None
        return DateMention(m.start(), m.end(), "quarter", None, date(y, 3 * q - 2, 1).isoformat(), _month_end(y, 3 * q))
    if kind == "range":
        y1, y2 = int(g["y1"]), int(g["y2"])
        if not (MIN_YEAR <= y1 <= y2 <= MAX_YEAR):
            return None
        return DateMention(m.start(), m.end(), "range", None, f"{y1}-01-01", f"{y2}-12-31")
    if kind in ("month", "month_numeric"):
        month, y = int(g["m"]), int(g["y"])
        if not (1 <= month <= 12 and MIN_YEAR <= y <= MAX_YEAR):
            return None
        return DateMention(m.start(), m.end(), "month", None, date(y, month, 1).isoformat(), _month_end(y, month))
    y = int(g["y"])
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    return DateMention(m.start(), m.end(), "year", None, f"{y}-01-01", f"{y}-12-31")


def find_dates(view: str) -> list[DateMention]:
    """Every date mention in a matching view (see ``nlp.keys.match_view``), in text order."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in _patterns():
        for m in pattern.finditer(view):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            mention = _mention(kind, m)
            if mention is None:
                continue
            mention = _trim(view, mention)
            taken.append((mention.start, mention.end))
            found.append(mention)
    found.sort(key=lambda d: d.start)
    return found


def _trim(view: str, mention: DateMention) -> DateMention:
    """Drop trailing separators a pattern's optional parts may leave."""
    end = mention.end
    while end > mention.start and view[end - 1] in " ,-":
        end -= 1
    if end == mention.end:
        return mention
    return DateMention(mention.start, end, mention.precision, mention.date, mention.period_start,
                       mention.period_end, mention.has_time, mention.weekday)
