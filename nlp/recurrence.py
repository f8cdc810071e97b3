"""Recurring deadlines: "trước ngày 15 hằng tháng", "trước ngày 30/11 hằng năm".

A recurring deadline has no single date. It is kept as a rule in a small subset of
the iCalendar recurrence syntax (RFC 5545 RRULE), so any calendar tool reads it:

* ``FREQ=MONTHLY;BYMONTHDAY=15``                    day 15 of every month
* ``FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=15``    day 15 of each quarter's last month
* ``FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=30``          30 November every year

and the next due date is computed from a given day (``next_due``), so lists of
upcoming deadlines show it. A day the month does not have (31 in June) falls on the
month's last day: what an office does with "trước ngày 31 hằng tháng".
"""
from __future__ import annotations

import calendar
from datetime import date

MONTHS_OF_QUARTER_END = (3, 6, 9, 12)
MONTHS_OF_QUARTER_START = (1, 4, 7, 10)


def monthly(day: int) -> str:
    return f"FREQ=MONTHLY;BYMONTHDAY={day}"


def quarterly(day: int, months: tuple[int, ...] = MONTHS_OF_QUARTER_END) -> str:
    return f"FREQ=YEARLY;BYMONTH={','.join(map(str, months))};BYMONTHDAY={day}"


def yearly(day: int, month: int) -> str:
    return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}"


def parse(rule: str) -> tuple[str, tuple[int, ...], int]:
    """(frequency, months, day) of a rule written by this module; ValueError for anything else."""
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    freq = parts.get("FREQ")
    day = int(parts.get("BYMONTHDAY", "0"))
    if freq not in ("MONTHLY", "YEARLY") or not 1 <= day <= 31:
        raise ValueError(f"not a deadline rule: {rule!r}")
    months = tuple(range(1, 13)) if freq == "MONTHLY" else tuple(int(m) for m in parts.get("BYMONTH", "").split(",") if m)
    if not months or any(not 1 <= m <= 12 for m in months):
        raise ValueError(f"not a deadline rule: {rule!r}")
    return freq, months, day


def _on(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def next_due(rule: str | None, today: str | date) -> str | None:
    """The first day on or after ``today`` the rule falls on (ISO), None for no or a foreign rule."""
    if not rule:
        return None
    try:
        _, months, day = parse(rule)
    except ValueError:
        return None
    start = date.fromisoformat(today) if isinstance(today, str) else today
    for year in (start.year, start.year + 1):
        for month in months:
            due = _on(year, month, day)
            if due >= start:
                return due.isoformat()
    return None


# The words of ``describe``; a caller passes them translated into its interface language.
WORDS = {"monthly": "day {day} of every month",
         "quarter_end": "day {day} of the last month of every quarter",
         "quarter_start": "day {day} of the first month of every quarter",
         "yearly": "every year on {days}"}


def describe(rule: str, words: dict[str, str] | None = None) -> str:
    """The rule in words a person checks against the text ("day 15 of every month")."""
    words = words or WORDS
    freq, months, day = parse(rule)
    if freq == "MONTHLY":
        return words["monthly"].format(day=day)
    if months == MONTHS_OF_QUARTER_END:
        return words["quarter_end"].format(day=day)
    if months == MONTHS_OF_QUARTER_START:
        return words["quarter_start"].format(day=day)
    return words["yearly"].format(days=", ".join(f"{day}/{m}" for m in months))
