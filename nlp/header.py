"""The document's own header: kind, number, issuer, place and date, type, subject, signer.

Official documents follow Nghị định 30/2020: issuer lines, the national motto,
"Số: 3767/QĐ-UBND", "Gò Vấp, ngày 22 tháng 10 năm 2018", the type in capitals
and the subject (or "V/v ..." for a letter), and a signature block at the end.
Readers may flatten the two-column header onto one line or split it over lines;
patterns allow both. News pages have a title and a publication date
("Thứ 5, Ngày 28/05/2020, 09:50", "19 Tháng Mười 2017 1:55:00 CH").
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Iterator

from nlp.span import Span

from .base import Context
from .dates import DateMention
from .numbers import NUMBER_RE, find_numbers
from .gazetteer import Place
from .layout import left_column, mottos
from .unit_context import detect_home, home_with, settled
from .units import UnitMatch, find_units
from .vocab import doc_type_name, doc_type_pattern, type_codes, vre

# The header of an official document sits in its first characters; past this
# a "Số:" or a date line belongs to the body.
HEADER_CHARS = 1500
# A news page's date line sits above the article.
NEWS_DATE_CHARS = 600

# The State's motto, or the Party's or the Youth Union's in capitals at a line's end or before the other column
# (Hướng dẫn 36-HD/VPTW; the Đoàn's headers).
_MOTTO = vre(r"CỘNG\s+H[ÒO]A\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM"
             r"|(?-i:ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|ĐOÀN\s+(?:TNCS|THANH\s+NIÊN\s+CỘNG\s+SẢN)\s+HỒ\s+CHÍ\s+MINH)"
             r"(?=[ \t]*(?:\n|\||\t|$)|[ \t]{2,})", re.I)
_OWN_NUMBER_LABEL = vre(r"(?<!\w)(?:Số|SỐ)\s*(?:ký hiệu|ký hiệu văn bản|KÝ HIỆU)?\s*[:|]\s*", re.I)
# A Party document writes its number without a colon, on a line of its own: "Số 45-KH/HU".
_OWN_NUMBER_LINE = vre(r"(?:^|\n)[ \t|*]*(?:Số|SỐ)[ \t]+(?=\d)")
_ADOPTED_LABEL = vre(r"thông qua(?: ngày)?\s*[:|]?\s*$", re.I)
_ISSUE_LABEL = vre(r"(?:ngày ban hành|ban hành(?: ngày)?|thông qua(?: ngày)?|ngày ký)\s*[:|]?\s*$", re.I)
_PUBLISHED_LABEL = vre(r"(?:ngày đăng|đăng ngày|ngày cập nhật|cập nhật|ngày xuất bản|xuất bản|đăng lúc|posted|(?<!\w)date)\s*[:|]?\s*"
                       r"(?:lúc\s*)?(?:\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:SA|CH|AM|PM)?\s*,?\s*)?$", re.I)
# A header date line whose date did not read: a blank day of a signed copy, or garbled digits.
_UNREAD_DATE_LINE = vre(r"[A-ZĐ][\w.]*(?:[ \t]+[A-ZĐ][\w.]*){0,3}[ \t]*,[ \t\n]*ngày\b(?![ \t\n]*\d{1,2}[ \t\n]*(?:tháng|/|\.|-))")
MAX_OWN_DATE_GAP = 12
_OWN_DATE_LINK = vre(r"[\s,]*(?:ngày\s*)?$", re.I)
_TIME_BEFORE = vre(r"\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:SA|CH|AM|PM)?\s*[|,\-]?\s*$", re.I)
# A news lede dates its event: "Ngày 24/7/2018, …", "Sáng ngày 24/7/2018 tại …".
_EVENT_LEDE = vre(r"(?:^|\n|\.\s)\s*(?:(?:sáng|chiều|tối|trưa)\s+)?(?:ngày\s*)?$", re.I)
# News reports what happened days ago; a page date further than this after the reported event is a clock.
MAX_NEWS_LAG_DAYS = 366
_PLACE_BEFORE_DATE = vre(r"(?:^|\n|\s)(?P<place>[A-ZĐÀ-Ỹ][\w.]*(?:[ \t]+[A-ZĐÀ-Ỹ0-9][\w.]*){0,3})[ \t]*,[ \t]*$")
_SUBJECT_END = vre(r"\n|(?=Căn cứ|CĂN CỨ|Kính gửi|KÍNH GỬI)")
_VV = vre(r"(?<!\w)(?:V/v|V/V|Về việc)\s*:?\s*", re.I)
_SIGNER = vre(
    r"(?:(?:TM|KT|TL|TUQ|Q)\.\s*[^\n]{0,40}?\s*)?(?P<title>(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|GIÁM\s+ĐỐC|TRƯỞNG\s+PHÒNG|"
    r"CHÁNH\s+VĂN\s+PHÒNG|BỘ\s+TRƯỞNG|THỦ\s+TƯỚNG|TRƯỞNG\s+BAN|CHÁNH\s+ÁN|BÍ\s+THƯ))\s*\n?\s*"
    r"(?:\([^)]*\)\s*)?(?P<name>(?:[A-ZĐ][a-zà-ỹđ]+[ \t]+){1,4}[A-ZĐ][a-zà-ỹđ]+)")

# Confidence of the header's fields.
CONF_OWN_NUMBER_LABEL = 0.97  # "Số: ..." in the header is the document's own number
CONF_OWN_NUMBER_TITLE = 0.85  # "Án lệ số 27/2019/AL ..." as the first line
CONF_OWN_NUMBER_ANNEX = 0.85  # "PHỤ LỤC … (Kèm theo Quyết định số …)" opening an annex sent on its own
CONF_DATE_LINE = 0.95  # "Gò Vấp, ngày 22 tháng 10 năm 2018"
CONF_DATE_LABEL = 0.9  # "Ngày ban hành: 27/11/2015", "Ngày đăng: ..."
CONF_NEWS_DATE = 0.9  # a date with a weekday or a time above a news article
CONF_NEWS_METADATA = 0.7  # the page's metadata date (htmldate): often right, sometimes the crawl date
CONF_OWN_NUMBER_DATE = 0.9  # "Công văn số 1448/SNV-CCHC ngày 27/12/2016" as the title line: the number's own date


@lru_cache(maxsize=1)
def _type_heading() -> re.Pattern[str]:
    return vre(rf"(?<![\w/])(?P<type>{doc_type_pattern()})(?![\w/])", re.I)


# A title line may stand this far down: below a page number or a portal's name; a heading in
# capitals ("ÁN LỆ SỐ 18/2018/AL") below an issuer's header, further.
TITLE_LINES = 3
HEADING_LINES = 10


def _number_at(ctx: Context, pos: int):
    """The document number that starts right at ``pos``, or None."""
    num = NUMBER_RE.match(ctx.view, pos)
    if not num:
        return None
    parsed = next(find_numbers(ctx.view[pos:num.end() + 1]), None)
    return parsed if parsed and parsed.start == 0 else None


def _first_lines_number(ctx: Context):
    """ "Án lệ số 27/2019/AL về ...", "Quyết định 435/QĐ-UBND năm 2020" as one of the first lines."""
    pos = 0
    for k, line in enumerate(ctx.view[:HEADER_CHARS].split("\n")[:HEADING_LINES]):
        m = re.match(rf"\s*(?:{doc_type_pattern()})\s+(?:số\s*:?\s*)?", line, re.I)
        # below the first lines (a court's or a portal's header above it), only a heading in capitals
        if m and (k < TITLE_LINES or line[:m.end()].strip().isupper()):
            num = next(find_numbers(line[:200]), None)
            if num and num.start == m.end():
                return pos, num
        pos += len(line) + 1
    return None


def _own_number(ctx: Context, limit: int, motto: re.Match[str] | None):
    for m in _OWN_NUMBER_LABEL.finditer(ctx.view, 0, limit):
        parsed = _number_at(ctx, m.end())
        if parsed:
            return m.end(), parsed, CONF_OWN_NUMBER_LABEL
    for m in _OWN_NUMBER_LINE.finditer(ctx.view, 0, limit):
        parsed = _number_at(ctx, m.end())
        if parsed and (parsed.party or motto):  # "Số 45-KH/HU" below "ĐẢNG CỘNG SẢN VIỆT NAM"
            return m.end(), parsed, CONF_OWN_NUMBER_LABEL
    found = _first_lines_number(ctx)
    if found:
        return found[0], found[1], CONF_OWN_NUMBER_TITLE
    annex = _annex_of(ctx)
    if annex:
        return annex[0], annex[1], CONF_OWN_NUMBER_ANNEX
    return None


# An annex sent as a document of its own opens on its title and the decision it belongs to:
# "PHỤ LỤC … (Kèm theo Quyết định số 123/QĐ-UBND ngày 05/3/2024 của …)": that number is its own.
ANNEX_CHARS = 600
_ANNEX_TITLE = vre(r"\s*\**\s*(?:PHỤ LỤC|DANH MỤC|BIỂU|MẪU)(?![\w])")


@lru_cache(maxsize=1)
def _annex_link() -> re.Pattern[str]:
    return vre(rf"\(?\s*(?:ban\s+hành\s+)?kèm\s+theo\s+(?:{doc_type_pattern()})\s+(?:số\s*:?\s*)?$", re.I)


def _annex_of(ctx: Context):
    if not _ANNEX_TITLE.match(ctx.view):
        return None
    for number in find_numbers(ctx.view[:ANNEX_CHARS]):
        if _annex_link().search(ctx.view, max(0, number.start - 60), number.start):
            return 0, number
    return None


def _labelled_date(ctx: Context, label: re.Pattern[str], limit: int) -> DateMention | None:
    for d in ctx.dates:
        if d.start > limit:
            break
        if d.precision == "day" and label.search(_MARKUP.sub("", ctx.view[max(0, d.start - 40):d.start])):
            return d
    return None


_MARKUP = re.compile(r"[*_]+")  # Markdown emphasis around a label ("**Ngày đăng:** …") is no text


def _date_line(ctx: Context, limit: int) -> tuple[DateMention, str] | None:
    for d in ctx.dates:
        if d.start > limit:
            break
        if d.precision != "day":
            continue
        m = _PLACE_BEFORE_DATE.search(ctx.doc.text[max(0, d.start - 60):d.start])
        if m and ctx.view[d.start:d.start + 4].lower().startswith("ngày"):
            return d, m.group("place")
    return None


def _official_date(ctx: Context, own, limit: int) -> tuple[DateMention, float, str, str | None] | None:
    """The issue date of an official document, or None: never another date of its header.

    A signed copy leaves the day blank ("Lâm Đồng, ngày   tháng 11 năm 2025") and an OCR'd header
    may garble it; the first date below is then a cited document's, so there is no date."""
    line = _date_line(ctx, limit)
    adopted = _labelled_date(ctx, _ADOPTED_LABEL, limit) if own and own[1].type_code == "AL" else None
    if adopted:  # a court precedent is dated by its adoption, not by the decision that published it
        return adopted, CONF_DATE_LABEL, "adoption label", None
    if line:
        return line[0], CONF_DATE_LINE, "date line", line[1]
    if _UNREAD_DATE_LINE.search(ctx.view, 0, limit):
        return None
    labelled = _labelled_date(ctx, _ISSUE_LABEL, limit)
    if labelled:
        return labelled, CONF_DATE_LABEL, "issue label", None
    if own:
        after = own[0] + own[1].end
        d = ctx.date_at(after, MAX_OWN_DATE_GAP)
        if d and d.precision == "day" and _OWN_DATE_LINK.match(ctx.view, after, d.start):
            return d, CONF_OWN_NUMBER_DATE, "after the own number", None
    return None


def _news_date(ctx: Context) -> tuple[DateMention, float, str] | None:
    """A news page's publication date: a labelled date ("Ngày đăng: …", the crawl's "date 2025-10-17"),
    else a date line above the article: with a weekday or a time ("Thứ 5, Ngày 28/05/2020, 09:50",
    "(21:01 | 17/03/2021)"), or a day standing alone on its line ("19 Tháng Mười 2018") — unless the article reports, as news, an event years before it: then
    the line is the site's clock at crawl time, not the article's date."""
    limit = _visible_limit(ctx.view, NEWS_DATE_CHARS)
    labelled = _labelled_date(ctx, _PUBLISHED_LABEL, limit)
    if labelled:
        return labelled, CONF_DATE_LABEL, "published label"
    for d in ctx.dates:
        if d.start >= limit:
            break
        timed = d.has_time or bool(_TIME_BEFORE.search(ctx.view, max(0, d.start - 16), d.start))
        if d.precision == "day" and (d.weekday or timed or _alone_on_line(ctx.view, d)):
            if _reports_older_event(ctx, d):
                return None
            return d, CONF_NEWS_DATE, "date line"
    return None


# What may stand around a date line's day besides it: brackets, bars, dashes ("| 19/10/2018 |").
_LINE_FRAME = " \t|()[]-–—*_"


def _alone_on_line(view: str, d: DateMention) -> bool:
    """Is the day the whole of its line? A page prints its date on a line of its own under the headline;
    prose dates sit inside sentences."""
    line_start = view.rfind("\n", 0, d.start) + 1
    line_end = view.find("\n", d.end)
    line_end = len(view) if line_end < 0 else line_end
    return not view[line_start:d.start].strip(_LINE_FRAME) and not view[d.end:line_end].strip(_LINE_FRAME)


_LINK_TARGET = re.compile(r"\]\([^()\s]*\)")  # a Markdown link's or image's target: no text a reader sees


def _visible_limit(view: str, chars: int) -> int:
    """Where the first ``chars`` characters a reader sees end: a page crawled as Markdown spends hundreds on link
    targets ("[Trang chủ](https://…)") above its date line."""
    end = chars
    for m in _LINK_TARGET.finditer(view):
        if m.start() >= end:
            break
        end += m.end() - m.start()
    return min(len(view), end)


def _reports_older_event(ctx: Context, published: DateMention) -> bool:
    """Does the article open on an event dated long before ``published`` ("Sáng ngày 24/7/2018, …")?"""
    for d in ctx.dates:
        if d.start <= published.end or d.precision != "day":
            continue
        if d.start - published.end > NEWS_DATE_CHARS:
            return False
        if _EVENT_LEDE.search(ctx.view, max(0, d.start - 24), d.start):
            lag = date.fromisoformat(published.date) - date.fromisoformat(d.date)
            return lag.days > MAX_NEWS_LAG_DAYS
    return False


def _issuer(ctx: Context, end: int) -> tuple[UnitMatch | None, list[Place]]:
    """The issuer and the places of the header's issuer block.

    The block names the issuer last, below its superior ("UBND TỈNH X / SỞ NỘI VỤ", "ĐẢNG BỘ TỈNH X /
    HUYỆN ỦY Y", "UBND HUYỆN X / ỦY BAN NHÂN DÂN / XÃ Y"); a line without a place ("SỞ NỘI VỤ") is
    read in the places of the lines above. The right column (motto, date line) is left out."""
    view, text = ctx.cache["left"]
    units = list(find_units(view, text, ctx.home, 0, end))
    places = [settled(u.at, ctx.home) for u in reversed(units) if u.at is not None]
    if places:
        home = home_with(ctx.home, places)
        units = list(find_units(view, text, home, 0, end))
        places = [settled(u.at, home) for u in reversed(units) if u.at is not None] or places
    return (units[-1] if units else None), places


def _block_end(ctx: Context, limit: int, own) -> int:
    """The end of the header's two-column block: the line of its number or of its last motto."""
    ends = [m.end() for m in mottos(ctx.view, limit)] + ([own[0] + own[1].end] if own else [])
    if not ends:
        return 0
    line_end = ctx.view.find("\n", max(ends))
    return len(ctx.view) if line_end < 0 else line_end


def _type_and_subject(ctx: Context, start: int, limit: int) -> tuple[str | None, str | None, int | None]:
    text = ctx.doc.text
    vv = _VV.search(ctx.view, start, limit)
    for m in _type_heading().finditer(ctx.view, start, limit):
        word = text[m.start():m.end()]
        if word.isupper() and len(word) > 3:
            tail = _SUBJECT_END.search(text, m.end())
            stop = tail.start() if tail and tail.start() > m.end() + 1 else text.find("\n", m.end() + 1)
            subject = text[m.end():stop if stop > 0 else m.end() + 300].strip(" :\n")
            if not subject and stop > 0:  # subject on the next line
                nxt = text.find("\n", stop + 1)
                subject = text[stop:nxt if nxt > 0 else stop + 300].strip()
            subject = re.sub(r"^(?:V/V|V/v|Về việc)\s*:?\s*", "", subject).strip()
            return doc_type_name(word), subject[:400] or None, m.start()
    if vv:
        line_end = text.find("\n", vv.end())
        return "Công văn", text[vv.end():line_end if line_end > 0 else vv.end() + 300].strip() or None, vv.start()
    return None, None, None


def _signer(ctx: Context) -> str | None:
    """The signer's name: the first signature after "Nơi nhận:" (an annex may follow), else the last one."""
    recipients = ctx.doc.text.find("Nơi nhận")
    matches = list(_SIGNER.finditer(ctx.doc.text))
    after = [m for m in matches if recipients >= 0 and m.start() > recipients]
    match = after[0] if after else (matches[-1] if matches else None)
    return re.sub(r"\s+", " ", match.group("name")).strip() if match else None


def _news_title(ctx: Context) -> str | None:
    if ctx.doc.format == "html" and ctx.doc.title:
        return ctx.doc.title
    for block in ctx.doc.blocks[:5]:
        line = ctx.doc.block_text(block).strip()
        if len(line.split()) >= 5 and not any(block.start <= d.start < block.end and d.precision == "day"
                                              for d in ctx.dates[:5]):
            return line[:300]
    return ctx.doc.title


def read_header(ctx: Context) -> Iterator[Span]:
    """Fill ``ctx.header`` and ``ctx.home``; yield spans for the number, date and issuer found."""
    limit = min(len(ctx.view), HEADER_CHARS)
    motto = _MOTTO.search(ctx.view, 0, limit)
    own = _own_number(ctx, limit, motto)
    official = bool(motto or own)
    header: dict = {"kind": "official" if official else "news", "number": None, "doc_type": None,
                    "issuer": None, "place": None, "date": None, "title": None, "subject": None, "signer": None}
    if official:
        block_end = _block_end(ctx, limit, own)
        ctx.cache["left"] = left_column(ctx.view, ctx.doc.text, block_end)
        issuer, places = _issuer(ctx, own[0] if own else block_end)
        if issuer:
            header["issuer"] = issuer.canonical
            yield ctx.span("issuer", issuer.start, issuer.end, issuer.canonical, issuer.confidence, "header.issuer")
        ctx.home = detect_home(ctx, places)
        if own:
            pos, number, conf = own
            header["number"] = number.value
            yield ctx.span("own_number", pos + number.start, pos + number.end, number.value, conf, "header.number")
        found = _official_date(ctx, own, limit)
        if found:
            when, conf, source, place = found
            header["date"], header["date_source"], header["place"] = when.date, source, place
            yield ctx.span("date_issued", when.start, when.end, when.date, conf, f"header.date.{source.replace(' ', '_')}")
        start = max(x for x in (motto.end() if motto else 0, own[0] if own else 0))
        doc_type, subject, type_pos = _type_and_subject(ctx, start, min(len(ctx.view), start + 1500))
        header["doc_type"], header["subject"] = doc_type, subject
        if doc_type is None and own and own[1].type_code:
            header["doc_type"] = type_codes().get(own[1].type_code)
        header["signer"] = _signer(ctx)
        header["title"] = " ".join(x for x in (header["doc_type"], header["number"]) if x) or ctx.doc.title
        if subject:
            header["title"] = f"{header['title']} {subject}".strip()
    else:
        ctx.home = detect_home(ctx)
        header["title"] = _news_title(ctx)
        found = _news_date(ctx)
        if found:
            when, conf, source = found
            header["date"], header["date_source"] = when.date, source
            yield ctx.span("date_published", when.start, when.end, when.date, conf,
                           f"header.published.{source.replace(' ', '_')}")
        elif ctx.doc.published:
            header["date"] = ctx.doc.published
            header["date_source"] = "page metadata"
    ctx.header.update(header)
