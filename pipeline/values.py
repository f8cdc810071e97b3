"""The values a person may type (dates, unit levels, kinds, document types), checked one way.

Every refusal is a ``BadValue`` whose message names what is allowed, so the command line
and the web pages say the same thing.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from nlp.vocab import type_codes, vocab

from .i18n import N_, _

LEVELS = ("central", "province", "district", "commune")
DEADLINE_STATES = ("open", "done")
# Years an initiative can carry: the reform programmes start in 1994; later than next year is a typo.
FIRST_YEAR = 1945


class BadValue(ValueError):
    """A value a person typed that the catalogue cannot take; ``str()`` is the one-line reason."""


_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def parse_day(text: str) -> str:
    """'2021-07-01' or '01/07/2021' (day first, as Vietnamese texts write it) -> '2021-07-01'.

    An impossible day (31/02/2021) or another form is a ``BadValue``.
    """
    m = _ISO.match(text or "")
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DAY_FIRST.match(text or "")
        if not m:
            raise BadValue(_("{value!r} is not a date: write 2021-07-01 or 01/07/2021").format(value=text))
        d, mo, y = (int(g) for g in m.groups())
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        raise BadValue(_("{value!r} is not a day of the calendar").format(value=text)) from None


@lru_cache(maxsize=None)
def initiative_kinds() -> tuple[str, ...]:
    return tuple(sorted(set(vocab()["initiative_kinds"].values())))


@lru_cache(maxsize=None)
def doc_types() -> tuple[str, ...]:
    return tuple(sorted(set(type_codes().values()) | set(vocab()["doc_type_words"])))


def one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    """``value`` if it is one of ``allowed`` (case-insensitively), else a ``BadValue`` listing them."""
    for candidate in allowed:
        if candidate.casefold() == value.strip().casefold():
            return candidate
    raise BadValue(_("{value!r} is not a valid {what}; allowed: {allowed}").format(
        value=value, what=_(what), allowed=", ".join(allowed)))


def parse_year(text: str) -> int:
    try:
        year = int(str(text).strip())
    except ValueError:
        raise BadValue(_("{value!r} is not a year").format(value=text)) from None
    if not FIRST_YEAR <= year <= date.today().year + 1:
        raise BadValue(_("{value!r} is not a year between {first} and {last}").format(
            value=text, first=FIRST_YEAR, last=date.today().year + 1))
    return year


def checked(entity: str, field: str, value: str) -> str | int:
    """A corrected field's value, checked and normalised; a ``BadValue`` says what is allowed."""
    if value == "":
        return value
    if field == "date":
        return parse_day(value)
    if field == "year":
        return parse_year(value)
    if field == "level":
        return one_of(value, LEVELS, N_("level"))
    if field == "kind":
        return one_of(value, initiative_kinds(), N_("kind"))
    if field == "doc_type":
        return one_of(value, doc_types(), N_("document type"))
    return value
