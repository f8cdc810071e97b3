"""Dates in every form of Vietnamese official texts, always day-month-year.

``find_dates`` yields ``DateMention``s: a day (``ngày 05 tháng 4 năm 2022``,
``12/7/2021``, ``23.10.2018``, ``19 Tháng Mười 2017``, a page's ``2025-10-17``), a
month (``tháng 6/2021``, ``tháng 3, 4/2024``), a quarter (``Quý III/2021``,
``Quí IV-2025``, ``quý I năm 2026``, ``Quý II, III/2015``), a half year (``6 tháng
đầu năm 2024``), a year range (``giai đoạn 2016-2020``) or a year (``năm 2021``).
Only a day has an ISO ``date``; the others carry the period they cover, so a
deadline can resolve to its last day and say so (``resolution``).

``find_partial_dates`` yields what a plan writes without its year (``ngày 15/11``,
``tháng 10``, ``Quý I``): the reader takes the year from the document
(``PartialDate.resolve``), never from a guess.
"""
from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from .ranges import TakenRanges
from .vocab import vre, vocab

# Years outside this range are numbers, not dates, in these texts.
MIN_YEAR, MAX_YEAR = 1945, 2100

# How a date was read, as every output says it: the day as written, or the last day of
# the period written; "relative" and "recurring" are added by the deadline reader.
RESOLUTIONS = {"day": "day", "month": "month_end", "quarter": "quarter_end", "half": "half_end",
               "year": "year_end", "range": "range_end"}


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    precision: str  # day | month | quarter | half | year | range
    date: str | None  # ISO, days only
    period_start: str
    period_end: str
    has_time: bool = False
    weekday: bool = False
    # A list of periods that are not one run ("tháng 6 và tháng 12/2024"): (start, end, last day) of each item.
    parts: tuple[tuple[int, int, str], ...] = ()

    @property
    def last_day(self) -> str:
        return self.period_end

    @property
    def resolution(self) -> str:
        """``day`` for a day written, else the end of the period written (``quarter_end`` ...)."""
        return RESOLUTIONS[self.precision]


def _iso(y: int, m: int, d: int) -> str | None:
    if not (MIN_YEAR <= y <= MAX_YEAR and 1 <= m <= 12):
        return None
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return date(y, m, d).isoformat()


def month_end(y: int, m: int) -> str:
    return date(y, m, calendar.monthrange(y, m)[1]).isoformat()


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


_ROMAN = r"(?:IV|III|II|I)(?![A-Za-z])"
# "Quý II, III/2015", "quý III-IV/2024", "Quý I và Quý II/2024": the list ends in its last item.
_QUARTER = rf"(?:quý|quí)\s+(?P<q>{_ROMAN}|[1-4](?!\d))(?:\s*(?:,|và|-|đến)\s*(?:(?:quý|quí)\s+)?(?P<q2>{_ROMAN}|[1-4](?!\d)))*"
_MONTHS = r"tháng\s+(?P<m>\d{1,2})(?:\s*(?:,|và|-|đến)\s*(?:tháng\s+)?(?P<m2>\d{1,2}))*"
_YEAR_SEP = r"\s*(?:/|-|,?\s*năm\s+)\s*"
_NO_YEAR = r"(?!\s*(?:/|-|,?\s*năm)\s*\d)"


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    words = vocab()["month_words"]
    month_word = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    weekday = r"(?:(?P<wd>(?:thứ\s*(?:[2-7]|hai|ba|tư|năm|sáu|bảy)|chủ\s*nhật))\s*,?\s*)?"
    time = r"(?:\s*[,-]?\s*(?:lúc\s*)?(?P<time>\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*(?:SA|CH|AM|PM))?))?"
    return [
        ("day_words", vre(
            weekday + r"(?:ngày\s+)?(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})(?!\d)" + time, re.I)),
        ("day_month_word", vre(
            weekday + r"(?:ngày\s+)?(?P<d>\d{1,2})\s+tháng\s+(?P<mw>" + month_word + r")\s*,?\s+(?:năm\s+)?(?P<y>\d{4})(?!\d)" + time, re.I)),
        ("day_iso", vre(r"(?<![\d/.\-])(?P<y>(?:19|20)\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d/\-])" + time)),
        ("day_numeric", vre(
            weekday + r"(?:ngày\s*)?(?<![\d/.\-])(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d/]|-[A-ZĐa-z])" + time, re.I)),
        ("half", vre(r"(?:6|sáu)\s+tháng\s+(?P<half>đầu|cuối)\s+năm\s+(?P<y>\d{4})(?!\d)", re.I)),
        ("quarter", vre(_QUARTER + _YEAR_SEP + r"(?P<y>\d{4})(?!\d)", re.I)),
        ("range", vre(
            r"(?:giai\s+đoạn|thời\s+kỳ|từ\s+năm)\s+(?P<y1>\d{4})\s*(?:-|đến(?:\s+năm)?)\s*(?P<y2>\d{4})(?!\d)", re.I)),
        ("month", vre(_MONTHS + _YEAR_SEP + r"(?P<y>\d{4})(?!\d)", re.I)),
        ("month_numeric", vre(r"(?<![\d/])(?P<m>\d{1,2})/(?P<y>\d{4})(?![\d/]|-[A-ZĐ])")),
        ("year", vre(r"năm\s+(?P<y>\d{4})(?!\d)(?!\s*/)", re.I)),
    ]


def _quarter(text: str) -> int:
    return vocab()["roman"].get(text.upper()) or int(text)


def _mention(kind: str, m: re.Match[str]) -> DateMention | None:
    g = m.groupdict()
    has_time = bool(g.get("time"))
    wd = bool(g.get("wd"))
    if kind.startswith("day_"):
        month = int(g["m"]) if g.get("m") else vocab()["month_words"][g["mw"].lower()]
        year = _year(g["y"]) if kind in ("day_words", "day_month_word") else int(g["y"])
        iso = _iso(year, month, int(g["d"]))
        if not iso:
            return None
        return DateMention(m.start(), m.end(), "day", iso, iso, iso, has_time, wd)
    if kind == "range":
        y1, y2 = int(g["y1"]), int(g["y2"])
        if not (MIN_YEAR <= y1 <= y2 <= MAX_YEAR):
            return None
        return DateMention(m.start(), m.end(), "range", None, f"{y1}-01-01", f"{y2}-12-31")
    y = int(g["y"])
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    if kind == "half":
        first = g["half"].lower() == "đầu"
        return DateMention(m.start(), m.end(), "half", None, f"{y}-{'01' if first else '07'}-01",
                           f"{y}-{'06-30' if first else '12-31'}")
    if kind == "quarter":
        items = _list_items(m, "q", _QUARTER_ITEM)
        if items is None or not 1 <= items[0] <= items[-1] <= 4:
            return None
        parts = () if _run(items, m) else tuple((a, b, month_end(y, 3 * q)) for a, b, q in _item_spans(m, "q", items))
        return DateMention(m.start(), m.end(), "quarter", None, date(y, 3 * items[0] - 2, 1).isoformat(),
                           month_end(y, 3 * items[-1]), parts=parts)
    if kind in ("month", "month_numeric"):
        items = _list_items(m, "m", _MONTH_ITEM)
        if items is None or not 1 <= items[0] <= items[-1] <= 12:
            return None
        parts = () if _run(items, m) else tuple((a, b, month_end(y, n)) for a, b, n in _item_spans(m, "m", items))
        return DateMention(m.start(), m.end(), "month", None, date(y, items[0], 1).isoformat(), month_end(y, items[-1]),
                           parts=parts)
    return DateMention(m.start(), m.end(), "year", None, f"{y}-01-01", f"{y}-12-31")


_MONTH_ITEM = re.compile(r"\d{1,2}")
_QUARTER_ITEM = re.compile(r"(?<![A-Za-z])(?:IV|III|II|I|[1-4])(?![A-Za-z\d])", re.I)


def _listed(m: re.Match[str], first: str) -> tuple[int, int]:
    return m.start(first), m.end(first + "2") if m.group(first + "2") else m.end(first)


def _list_items(m: re.Match[str], first: str, item: re.Pattern[str]) -> list[int] | None:
    """The numbers of a listed period, in order ("Quý II, III/2015" -> [2, 3]); None when out of order."""
    start, end = _listed(m, first)
    items = [_quarter(t) if item is _QUARTER_ITEM else int(t) for t in item.findall(m.string, start, end)]
    return items if items and items == sorted(items) else None


_ITEM_WORD = re.compile(r"(?:tháng|qu[ýíú]y?|qúy)\s+$", re.I)


def _item_spans(m: re.Match[str], first: str, items: list[int]) -> list[tuple[int, int, int]]:
    """(start, end, number) of each listed item ("tháng 6", "tháng 12/2024"); the last runs to the mention's end."""
    start, end = _listed(m, first)
    item = _QUARTER_ITEM if first == "q" else _MONTH_ITEM
    spans = []
    for k, x in enumerate(item.finditer(m.string, start, end)):
        word = _ITEM_WORD.search(m.string, max(m.start(), x.start() - 8), x.start())
        a = m.start() if k == 0 else (word.start() if word else x.start())
        spans.append((a, x.end(), items[k]))
    spans[-1] = (spans[-1][0], m.end(), spans[-1][2])
    return spans


_RANGE_WORD = re.compile(r"đến|-")


def _run(items: list[int], m: re.Match[str]) -> bool:
    """One period: a range ("tháng 3-4", "tháng 3 đến tháng 6") or consecutive items ("Quý II, III")."""
    return bool(_RANGE_WORD.search(m.group(0).split("/")[0])) or all(b - a == 1 for a, b in zip(items, items[1:]))


def find_dates(view: str) -> list[DateMention]:
    """Every date mention in a matching view (see ``nlp.keys.match_view``), in text order."""
    taken = TakenRanges()
    found: list[DateMention] = []
    for kind, pattern in _patterns():
        for m in pattern.finditer(view):
            if taken.overlaps(m.start(), m.end()):
                continue
            mention = _mention(kind, m)
            if mention is None:
                continue
            mention = _trim(view, mention)
            taken.add(mention.start, mention.end)
            found.append(mention)
    found.sort(key=lambda d: d.start)
    return found


def _trim(view: str, mention: DateMention) -> DateMention:
    """Drop trailing separators a pattern's optional parts may leave."""
    end = mention.end
    while end > mention.start and view[end - 1] in " ,-":
        end -= 1
    return mention if end == mention.end else replace(mention, end=end)


# --- dates written without their year -------------------------------------------------

@dataclass(frozen=True, slots=True)
class PartialDate:
    """``ngày 15/11``, ``tháng 10``, ``Quý I``: a day, month or quarter whose year the reader supplies."""

    start: int
    end: int
    precision: str  # day | month | quarter
    month: int | None = None  # the (last) month; for a day, its month
    day: int | None = None
    quarter: int | None = None  # the (last) quarter
    first: int | None = None  # the first month or quarter of a list ("tháng 3, 4", "Quý II, III")

    def resolve(self, year: int) -> DateMention | None:
        """The mention this is in ``year``; None for a day that year does not have (30/2)."""
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
        if self.precision == "day":
            iso = _iso(year, self.month, self.day)
            return DateMention(self.start, self.end, "day", iso, iso, iso) if iso else None
        if self.precision == "month":
            return DateMention(self.start, self.end, "month", None, date(year, self.first, 1).isoformat(),
                               month_end(year, self.month))
        return DateMention(self.start, self.end, "quarter", None, date(year, 3 * self.first - 2, 1).isoformat(),
                           month_end(year, 3 * self.quarter))


@lru_cache(maxsize=1)
def _partial_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [
        # "ngày 15/11", "trước 30/6", "01/6 và 15/11" (the word before is checked by ``_DAY_LEAD``)
        ("day", vre(r"(?<![\w/.])(?P<d>\d{1,2})\s*(?P<sep>/|\.|-)\s*(?P<m>\d{1,2})(?!\s*(?P=sep)\s*\d)(?![\d/]|\.\d)")),
        ("day", vre(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})" + _NO_YEAR + r"(?![\d/])", re.I)),
        ("quarter", vre(_QUARTER + _NO_YEAR + r"(?![\w/])", re.I)),
        ("month", vre(r"(?<!\d\s)" + _MONTHS + _NO_YEAR + r"(?![\d/])", re.I)),
    ]


# What makes "15/11" a day: "ngày 15/11", "trước 30/6", "chậm nhất 30/6", "01/6 và 15/11", "1/7, 15/7".
_DAY_LEAD = vre(r"(?:(?P<lead>ngày)\s*|(?<!\w)(?:trước|và|hoặc|nhất|hạn|đến)\s+|,\s*)$", re.I)


def find_partial_dates(view: str, full: list[DateMention]) -> list[PartialDate]:
    """Days, months and quarters written without a year, outside the full ``dates`` already found."""
    starts = [d.start for d in full]  # in text order, not overlapping

    def inside_full(start: int, end: int) -> bool:
        i = bisect.bisect_right(starts, start) - 1
        return any(0 <= j < len(full) and start < full[j].end and full[j].start < end for j in (i, i + 1))

    taken = TakenRanges()
    found: list[PartialDate] = []
    for kind, pattern in _partial_patterns():
        for m in pattern.finditer(view):
            if inside_full(m.start(), m.end()) or taken.overlaps(m.start(), m.end()):
                continue
            g = m.groupdict()
            start = m.start()
            if kind == "day":
                day, month = int(g["d"]), int(g["m"])
                lead = _DAY_LEAD.search(view, max(0, start - 14), start) if g.get("sep") else None
                if not (1 <= month <= 12 and 1 <= day <= 31) or (g.get("sep") and lead is None):
                    continue  # "2/3" alone is a fraction: a day needs a word that makes it one
                start = lead.start("lead") if lead and lead.group("lead") else start
                partial = PartialDate(start, m.end(), "day", month=month, day=day)
            elif kind == "month":
                m1, m2 = int(g["m"]), int(g["m2"] or g["m"])
                if not 1 <= m1 <= m2 <= 12:
                    continue
                partial = PartialDate(m.start(), m.end(), "month", month=m2, first=m1)
            else:
                q1 = _quarter(g["q"])
                q2 = _quarter(g["q2"]) if g.get("q2") else q1
                if q2 < q1:
                    continue
                partial = PartialDate(m.start(), m.end(), "quarter", quarter=q2, first=q1)
            taken.add(partial.start, partial.end)
            found.append(partial)
    found.sort(key=lambda d: d.start)
    return found
