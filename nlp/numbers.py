"""Document numbers (số, ký hiệu) and the references that cite them.

Forms (domain notes): ``1018/KH-UBND`` (number/TYPE-ISSUER), ``1980/SNV-CCHC``
(a letter: ISSUER-DRAFTER), ``30/2018/QĐ-UBND`` (number/year/TYPE-ISSUER),
``54/2017/QH14`` (National Assembly), ``119-KH/TU`` (Party). Look-alike Đ and
dashes are folded by the matching view; stray spaces (``119- KH/TU``) are
dropped from the value; fragments (``21/2017/TT-``) and counters never match.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from nlp.span import Span

from .base import Context
from .vocab import vre, doc_type_name, doc_type_pattern, type_codes, type_codes_folded

# A code segment: starts upper case, may hold lower case (TTg, TTr, QyĐ), digits
# (QH14) and '&' (CCHC&PC).
_CODE = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
# After a hyphen, old numbers may end in a two- or four-digit year: 35/QĐ-84, 15/QĐKL-2013.
_TAIL = rf"(?:{_CODE}|(?:19|20)?\d\d(?!\d))"
_CODE_END = r"(?![\w&-])"  # a code that ends in "-" is a fragment ("21/2017/TT-")
_NUM = r"(?<![\w/.\-])(?P<n>\d{1,6}[a-z]?)"
NUMBER_RE = vre(
    # administrative and legal: 1018/KH-UBND, 30/2018/QĐ-UBND, 1119/UBND-NV, 54/2017/QH14
    rf"{_NUM}\s?/\s?(?:(?P<year>(?:19|20)\d\d)\s?/\s?)?(?P<codes>{_CODE}(?:\s?-\s?{_TAIL})+{_CODE_END}"
    rf"|{_CODE}{_CODE_END})"
    # Party: 119-KH/TU, 37-CT/TW, 119- KH/TU
    rf"|(?<![\w/.\-])(?P<pn>\d{{1,6}})\s?-\s?(?P<pcodes>{_CODE}/{_CODE}(?:-{_CODE})?{_CODE_END})"
)
# A single code after number/year is only a number when it is a known kind of
# legal number: QH14, AL, NQ ... (not "12/2020/abc").
_SINGLE_CODE_OK = vre(r"^(?:QH\d{1,2}|AL|[A-ZĐ]{2,6})$")

# How much text may stand between a number and the date that dates it:
# "số 1018/KH-UBND ngày ...", "1980/SNV-CCHC, ngày ...",
# "số 119-KH/TU ngày ... của ...", "số 30/2018/QĐ-UBND của UBND Thành phố ngày ...".
_DATE_LINK = vre(r"^[\s,]*(?:\(\s*)?(?:(?:của|do)\s+[^\d;.()\n“\"]{1,90}?\s+)?(?:(?:ban hành|ký)\s+)?$", re.I)
MAX_DATE_GAP = 110
_BARE_OK = vre(r"(?<!\w)số\s*:?\s*$", re.I)


@dataclass(frozen=True, slots=True)
class NumberMatch:
    start: int
    end: int
    value: str  # the number as an official spelling, no spaces
    type_code: str | None
    issuer_code: str | None
    year: int | None
    party: bool
    bare: bool = False  # number/CODE with one code and no year ("61/CP"): a number only after its type word


def _official_code(code: str) -> str:
    return type_codes_folded().get(code.upper(), code)


def _parse(m: re.Match[str]) -> NumberMatch | None:
    if m.group("pn"):
        codes = re.split(r"[/-]", m.group("pcodes"))
        value = f"{m.group('pn')}-{m.group('pcodes')}"
        type_code = codes[0] if codes[0].upper() in type_codes_folded() else None
        return NumberMatch(m.start(), m.end(), re.sub(r"\s+", "", value), type_code, codes[1], None, True)
    codes = [c.strip() for c in m.group("codes").split("-")]
    year = int(m.group("year")) if m.group("year") else None
    bare = len(codes) == 1 and year is None
    if len(codes) == 1 and year is not None and not _SINGLE_CODE_OK.match(codes[0]):
        return None
    codes = [_official_code(c) for c in codes]
    head = codes[0]
    folded = type_codes_folded()
    type_code = folded.get(head.upper()) if head.upper() in folded and head not in ("UBND",) else None
    if head.startswith("QH"):
        type_code = "QH"
    issuer = codes[1] if type_code and len(codes) > 1 else codes[0]
    parts = [m.group("n")] + ([str(year)] if year else []) + ["-".join(codes)]
    return NumberMatch(m.start(), m.end(), "/".join(parts), type_code, issuer, year, False, bare)


def find_numbers(view: str, allow_bare: bool = False) -> Iterator[NumberMatch]:
    """Document numbers in a view; ``allow_bare`` also yields one-code numbers ("61/CP") for the caller to check."""
    for m in NUMBER_RE.finditer(view):
        parsed = _parse(m)
        if parsed and (allow_bare or not parsed.bare):
            yield parsed


def document_numbers(ctx: Context) -> list[NumberMatch]:
    """Every number in the document, bare ones included, found once and shared by the fields."""
    if "numbers" not in ctx.cache:
        ctx.cache["numbers"] = list(find_numbers(ctx.view, allow_bare=True))
    return ctx.cache["numbers"]


@lru_cache(maxsize=1)
def _type_before_re() -> re.Pattern[str]:
    return vre(rf"(?P<type>{doc_type_pattern()})\s*(?:số|số hiệu)?\s*:?\s*$", re.I)


def doc_type_of(ctx: Context, number: NumberMatch) -> str | None:
    """The type named before the number ("Kế hoạch số ..."), else the one its code stands for."""
    before = ctx.view[max(0, number.start - 60):number.start]
    m = _type_before_re().search(before)
    if m:
        return doc_type_name(m.group("type"))
    if number.type_code:
        return type_codes().get(number.type_code) if number.type_code != "QH" else "Luật"
    return "Văn bản" if not number.party else None


def date_after(ctx: Context, number: NumberMatch):
    """The date that follows a number, when only a link ("ngày", ", của X") stands between."""
    for d in ctx.dates:
        if d.start < number.end:
            continue
        if d.start - number.end > MAX_DATE_GAP:
            return None
        if d.precision == "day" and _DATE_LINK.match(ctx.view[number.end:d.start]):
            return d
        return None
    return None


# Confidence of a reference, by how it was found (calibrated on the gold set: see
# ``cchc eval``). A number introduced by its type word ("Quyết định số ...") is
# almost never anything else; a bare number with a known type code rarely; a
# number with no type code (a letter, "1119/UBND-NV") is the least certain.
CONF_REFERENCE_TYPED = 0.97
CONF_REFERENCE_CODE = 0.92
CONF_REFERENCE_LETTER = 0.85


class References:
    name = "references"

    def extract(self, ctx: Context) -> Iterator[Span]:
        spans = list(self._mentions(ctx))
        dates: dict[str, Counter] = {}
        for s in spans:
            if s.value["date"]:
                dates.setdefault(s.value["number"], Counter())[s.value["date"]] += 1
        for s in spans:
            # A number names one document: a mention without a date takes the date given elsewhere.
            if not s.value["date"] and s.value["number"] in dates:
                s.value["date"] = dates[s.value["number"]].most_common(1)[0][0]
                s.value["date_from"] = "another mention"
            yield s

    def _mentions(self, ctx: Context) -> Iterator[Span]:
        own = ctx.header.get("number")
        for number in document_numbers(ctx):
            if own and number.value == own:
                continue
            doc_type = doc_type_of(ctx, number)
            before = ctx.view[max(0, number.start - 60):number.start]
            typed = _type_before_re().search(before)
            if number.bare and (not _BARE_OK.search(before) or len(number.value.split("/")[-1]) < 2
                                or ctx.view[number.end:number.end + 1] == "/"):
                continue  # "61/CP" is a number only as "Nghị định số 61/CP", "giám định số 714/QĐPY"
            dated = date_after(ctx, number)
            confidence = CONF_REFERENCE_TYPED if typed else (
                CONF_REFERENCE_CODE if number.type_code or number.party else CONF_REFERENCE_LETTER)
            end = dated.end if dated else number.end
            start = number.start - (len(before) - typed.start()) if typed else number.start
            value = {
                "number": number.value,
                "doc_type": doc_type,
                "issuer_code": number.issuer_code,
                "date": dated.date if dated else None,
                "number_start": number.start,
                "number_end": number.end,
            }
            yield ctx.span("reference", start, end, value, confidence, "numbers.reference")
