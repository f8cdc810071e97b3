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
from .ranges import SpanIndex
from .vocab import vre, doc_type_name, doc_type_pattern, type_codes, type_codes_folded, vocab

# A code segment: starts upper case, may hold lower case (TTg, TTr, QyĐ), digits
# (QH14) and '&' (CCHC&PC).
_CODE = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
# After a hyphen, old numbers may end in a two- or four-digit year: 35/QĐ-84, 15/QĐKL-2013.
_TAIL = rf"(?:{_CODE}|(?:19|20)?\d\d(?!\d))"
_CODE_END = r"(?![\w&-])"  # a code that ends in "-" is a fragment ("21/2017/TT-")
# The number: may be glued to "số" ("số581/…") and carry a decimal part ("66.1/2025/NQ-CP").
_NUM = r"(?:(?<=[sS][ốỐ])|(?<![\w/.\-]))(?P<n>\d{1,6}(?:\.\d{1,2}(?=\s?/))?[a-z]?)"
# Code segments after the first: "-UBND", ".CCHC" (7/BCĐ.CCHC), or one "/UB" (15/QĐ/UB, 7/NN/UBTH).
_MORE_CODES = rf"(?:\s?-\s?{_TAIL}|\.[A-ZĐ][A-ZĐ&]+(?![a-zà-ỹđ])|/{_CODE}(?!/))"
NUMBER_RE = vre(
    # administrative and legal: 1018/KH-UBND, 30/2018/QĐ-UBND, 1119/UBND-NV, 54/2017/QH14; the year may
    # follow the number after a hyphen, as the Government writes its yearly resolutions (19-2017/NQ-CP)
    rf"{_NUM}\s?(?:(?P<ysep>-)\s?(?P<hyear>(?:19|20)\d\d)\s?/\s?|/\s?(?:(?P<year>(?:19|20)\d\d)\s?/\s?)?)(?P<codes>{_CODE}{_MORE_CODES}+{_CODE_END}"
    rf"|{_CODE}{_CODE_END}(?!/))"
    # Party: 119-KH/TU, 37-CT/TW, 119- KH/TU
    rf"|(?<![\w/.\-])(?P<pn>\d{{1,6}})\s?-\s?(?P<pcodes>{_CODE}/{_CODE}(?:-{_CODE})?{_CODE_END})"
    # a number glued to its type code: 12QĐ/TCCB
    rf"|(?:(?<=[sS][ốỐ])|(?<![\w/.\-]))(?P<gn>\d{{1,6}})(?P<gtype>QĐ|CT|KH|TB|NQ|HD|BC|TTr|CV)/(?P<gcodes>{_CODE}(?:-{_CODE})?){_CODE_END}(?!/)"
)
# A single code after number/year is only a number when it is a known kind of
# legal number: QH14, UBTVQH14, AL, NQ ... (not "12/2020/abc").
_SINGLE_CODE_OK = vre(r"^(?:[A-ZĐ][A-Za-zĐđ]{1,8}\d{0,2})$")
# Codes that never carry digits: a digit glued to one is a footnote mark ("54/2022/AL1").
_FOOTNOTE = re.compile(r"(?P<code>[A-Za-zĐđ&]+)(?P<mark>\d)")

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


@lru_cache(maxsize=1)
def _issuer_codes() -> dict[str, str]:
    return {k.upper(): k for k in vocab()["issuer_codes"]}


def _restore_hyphen(code: str) -> list[str]:
    """ "QĐUBND" (a PDF that lost its hyphen) -> ["QĐ", "UBND"]: a type code then an issuer code."""
    folded, issuers = type_codes_folded(), _issuer_codes()
    for i in range(len(code) - 2, 1, -1):
        head, tail = code[:i], code[i:]
        if head.upper() in folded and tail.upper() in issuers and head.upper() not in issuers:
            return [_official_code(head), issuers[tail.upper()]]
    return [code]


def _footnote_free(code: str) -> str:
    """A code without a footnote digit glued to it: "AL1" -> "AL", "UBND2" -> "UBND"; QH14 keeps its 14."""
    m = _FOOTNOTE.fullmatch(code)
    known = m and (m.group("code").upper() in type_codes_folded() or m.group("code").upper() in _issuer_codes())
    return m.group("code") if known and not m.group("code").upper().endswith("QH") else code


def _parse(m: re.Match[str]) -> NumberMatch | None:
    if m.group("pn"):
        codes = re.split(r"[/-]", m.group("pcodes"))
        value = f"{m.group('pn')}-{m.group('pcodes')}"
        type_code = codes[0] if codes[0].upper() in type_codes_folded() else None
        return NumberMatch(m.start(), m.end(), re.sub(r"\s+", "", value), type_code, codes[1], None, True)
    if m.group("gn"):
        type_code = _official_code(m.group("gtype"))
        value = f"{m.group('gn')}{type_code}/{m.group('gcodes')}"
        return NumberMatch(m.start(), m.end(), value, type_code, m.group("gcodes").split("-")[0], None, False)
    written = m.group("codes")
    separators = re.findall(r"\s?[-./]\s?", written)
    codes = [c.strip() for c in re.split(r"\s?[-./]\s?", written)]
    written_year = m.group("year") or m.group("hyear")
    year = int(written_year) if written_year else None
    end = m.end()
    last = _footnote_free(codes[-1])
    if last != codes[-1] and (len(codes) > 1 or year is not None):
        end -= len(codes[-1]) - len(last)
        codes[-1] = last
    if len(codes) == 1:
        codes = _restore_hyphen(codes[0])
        separators = ["-"] * (len(codes) - 1)
    bare = len(codes) == 1 and year is None
    if len(codes) == 1 and year is not None and not _SINGLE_CODE_OK.match(codes[0]):
        return None
    codes = [_official_code(c) for c in codes]
    head = codes[0]
    folded = type_codes_folded()
    type_code = folded.get(head.upper()) if head.upper() in folded and head not in ("UBND",) else None
    if head.startswith("QH") or head.startswith("UBTVQH"):
        type_code = "QH"
    issuer = codes[1] if type_code and len(codes) > 1 else codes[0]
    joined = codes[0] + "".join(sep.strip() + code for sep, code in zip(separators, codes[1:]))
    number = f"{m.group('n')}-{year}" if m.group("ysep") else m.group("n") + (f"/{year}" if year else "")
    return NumberMatch(m.start(), end, f"{number}/{joined}", type_code, issuer, year, False, bare)


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


def numbers_index(ctx: Context) -> SpanIndex[NumberMatch]:
    """The document's numbers indexed by position."""
    if "numbers_index" not in ctx.cache:
        ctx.cache["numbers_index"] = SpanIndex(document_numbers(ctx))
    return ctx.cache["numbers_index"]


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
    d = ctx.date_index().first_from(number.end)
    if d is None or d.start - number.end > MAX_DATE_GAP:
        return None
    return d if d.precision == "day" and _DATE_LINK.match(ctx.view[number.end:d.start]) else None


# Confidence of a reference, by how it was found (calibrated on the gold set: see
# ``cchc eval``). A number introduced by its type word ("Quyết định số ...") is
# almost never anything else; a bare number with a known type code rarely; a
# number with no type code (a letter, "1119/UBND-NV") is the least certain.
# Measured on the shared dev set and the corpus gold (45 texts, one count per number):
# typed 93/93, code 5/5, letter 12/12 right; the rule of succession gives 0.99, 0.86,
# 0.93, kept a little lower for forms the gold has few of.
CONF_REFERENCE_TYPED = 0.97
CONF_REFERENCE_CODE = 0.92
CONF_REFERENCE_LETTER = 0.9


# "Ngày 11/03/2021, UBND tỉnh đã ban hành Kế hoạch số 47/KH-UBND": a news lede dates the number before it.
# No digit stands between (it would be another date or number), but the ordinal of a numbered district
# or ward: "ngày 02/3/2018, UBND Quận 3 đã ban hành …".
_NUMBERED_PLACE = r"(?:quận|phường)\s+\d{1,2}(?![\d/])"
_DATE_BEFORE_LINK = vre(r"[\s,]*(?:(?:[^\d;.\n“\"]|" + _NUMBERED_PLACE + r"){0,100}?\s)?"
                        r"(?:đã\s+|vừa\s+)?(?:ký\s+)?(?:ban\s+hành|ký|phê\s+duyệt|có)\s+$", re.I)
MAX_DATE_BEFORE_GAP = 160
# The longest a day's mention runs ("Thứ Năm, ngày 28 tháng 05 năm 2020, 09 giờ 50" is 45 characters):
# where to start looking back for one that ends within the gap.
MAX_DATE_SPAN = 80
# Not document numbers: street addresses ("số 12/A3 đường …"), form codes ("Mẫu số 03/ABC/XYZ").
_STREET_AFTER = vre(r"\s*,?\s*(?:đường|phố|ngõ|ngách|hẻm|kiệt|khu phố|tổ dân phố|ấp|thôn|lô)(?!\w)", re.I)
_ADDRESS_BEFORE = vre(r"(?:địa chỉ|nhà|căn hộ|phòng)\s*(?:số)?\s*:?\s*$", re.I)
_FORM_BEFORE = vre(r"(?:mẫu|biểu)\s*(?:số)?\s*:?\s*$", re.I)
_PLACE_LIKE_CODE = re.compile(r"[A-ZĐ]?\d+[A-Z]?|[A-ZĐ]\d*")  # "A3", "B", "12B": a house or lot, not an issuer


def spelling_key(number: str) -> str:
    """One key for the spellings of one number: "12QĐ/TCCB" and "12/QĐ-TCCB", "15/QĐ/UB" and "15/QĐ-UB"."""
    return re.sub(r"[\s\-./]", "", number.upper().replace("Đ", "D"))


def _spelling_rank(value: str) -> tuple[int, int]:
    """Prefer the official layout: number, slash, codes joined by hyphens ("12/QĐ-TCCB")."""
    return (int(bool(re.match(r"\d+(?:\.\d+)?[a-z]?/", value))), int("-" in value))


def _shortened(short: str, full: str) -> bool:
    """Is ``short`` ("177/TTr") ``full`` ("177/TTr.STC") cited by its number and first code only?"""
    return re.fullmatch(r"[^/]+/[^/\-.]+", short) is not None and full.startswith(short) and full[len(short)] in "-./"


def date_before(ctx: Context, start: int):
    """The day a news lede gives before "<unit> đã ban hành <type> số <number>" starting at ``start``."""
    near = [d for d in ctx.date_index("day").starting_in(start - MAX_DATE_BEFORE_GAP - MAX_DATE_SPAN, start)
            if start - MAX_DATE_BEFORE_GAP <= d.end <= start]
    found = near[-1] if near else None
    if found and _DATE_BEFORE_LINK.fullmatch(ctx.view, found.end, start):
        return found
    return None


class References:
    name = "references"

    def extract(self, ctx: Context) -> Iterator[Span]:
        spans = list(self._mentions(ctx))
        spelling: dict[str, str] = {}
        for s in spans:
            key = spelling_key(s.value["number"])
            if key not in spelling or _spelling_rank(s.value["number"]) > _spelling_rank(spelling[key]):
                spelling[key] = s.value["number"]
        for key, value in list(spelling.items()):
            # "Tờ trình 177/TTr" after "tờ trình số 177/TTr.STC": the short citation of the same number
            longer = [v for k, v in spelling.items() if k != key and k.startswith(key) and _shortened(value, v)]
            if len(longer) == 1:
                spelling[key] = longer[0]
        dates: dict[str, Counter] = {}
        for s in spans:
            s.value["number"] = spelling[spelling_key(s.value["number"])]  # one number, one spelling
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
        own_key = spelling_key(own) if own else None
        for number in document_numbers(ctx):
            if own_key and spelling_key(number.value) == own_key:
                continue
            before = ctx.view[max(0, number.start - 60):number.start]
            typed = _type_before_re().search(before)
            if not self._is_a_number(ctx, number, before, typed):
                continue
            dated, date_from = date_after(ctx, number), "after the number"
            start = number.start - (len(before) - typed.start()) if typed else number.start
            if dated is None and typed:
                dated, date_from = date_before(ctx, start), "before the number"
            confidence = CONF_REFERENCE_TYPED if typed else (
                CONF_REFERENCE_CODE if number.type_code or number.party else CONF_REFERENCE_LETTER)
            end = dated.end if dated and dated.start > number.start else number.end
            value = {
                "number": number.value,
                "doc_type": doc_type_of(ctx, number),
                "issuer_code": number.issuer_code,
                "date": dated.date if dated else None,
                "date_from": date_from if dated else None,
                "date_resolution": "day" if dated else None,
                "number_start": number.start,
                "number_end": number.end,
            }
            yield ctx.span("reference", start, end, value, confidence, "numbers.reference")

    @staticmethod
    def _is_a_number(ctx: Context, number: NumberMatch, before: str, typed) -> bool:
        code = number.value.split("/")[-1]
        if _STREET_AFTER.match(ctx.view, number.end) or _ADDRESS_BEFORE.search(before) or _FORM_BEFORE.search(before):
            return False  # "số 12/A3 đường Lê Lợi", "Mẫu số 03/ABC/XYZ"
        if number.bare:
            # "61/CP" is a number only after its type word or "số" ("Nghị định 64/CP", "Nghị định số 61/CP")
            return bool((typed or _BARE_OK.search(before)) and len(code) >= 2 and not _PLACE_LIKE_CODE.fullmatch(code)
                        and ctx.view[number.end:number.end + 1] != "/")
        return True
