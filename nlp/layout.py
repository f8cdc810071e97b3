"""Where a text's parts are, by its layout: the header's two columns, address lines, related-news lists.

* The header of an official document (Nghị định 30/2020; Hướng dẫn 36-HD/VPTW for the Party) has
  two columns: the issuer block on the left ("UBND TỈNH X / SỞ NỘI VỤ", "ĐẢNG BỘ TỈNH X / HUYỆN
  ỦY Y / *"), the motto and the date line on the right. A plain text keeps them side by side,
  apart by spaces, a tab or a table's "|", or flattens them onto one line ("UBND HUYỆN X Độc lập
  - Tự do - Hạnh phúc"). ``left_column`` is a same-length copy of a text with the header's right
  column and mottos blanked, so that a name never runs on into the other column and offsets hold.
* An address ("Địa chỉ: …", "Tòa soạn: Số 5 Trần Hưng Đạo, phường X") and the related-news list at
  a page's end ("Tin liên quan", "Tin khác") name places and bodies the text is not about:
  ``page_chrome`` gives where they are; ``street_before`` tells a place written after a street.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .ranges import Ranges
from .vocab import vre

# Mottos: the State's (two lines), the Party's and the Youth Union's, in capitals as a header writes them.
_MOTTOS = vre(
    r"CỘNG\s+H[ÒO]A\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|Độc\s+lập\s*-\s*Tự\s+do\s*-\s*Hạnh\s+phúc"
    r"|(?-i:ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|ĐOÀN\s+(?:TNCS|THANH\s+NIÊN\s+CỘNG\s+SẢN)\s+HỒ\s+CHÍ\s+MINH)"
    r"(?=[ \t]*(?:\n|\||\t|\*|$)|[ \t]{2,})", re.I)
# A column break inside a line: a wide gap, a tab, a table cell's bar, or a rule of dashes.
_COLUMN_BREAK = re.compile(r"(?<=\S)(?: {3,}|[ \t]*\t[ \t]*|[ \t]*\|[ \t]*|[ \t]*[-_=]{3,}[ \t]*)(?=\S|$)", re.M)


def mottos(view: str, end: int) -> list[re.Match[str]]:
    """The mottos in ``view[:end]``."""
    return list(_MOTTOS.finditer(view, 0, end))


def left_column(view: str, text: str, end: int) -> tuple[str, str]:
    """Copies of ``view`` and ``text`` where, in ``[0, end)``, each line's right column and every motto are
    blanked (spaces, line breaks kept): what is left of the header is its issuer block."""
    if end <= 0:
        return view, text
    blank: list[tuple[int, int]] = []
    for m in _MOTTOS.finditer(view, 0, end):
        line_end = view.find("\n", m.end())
        blank.append((m.start(), line_end if 0 <= line_end < end else end))
    pos = 0
    while pos < end:
        line_end = view.find("\n", pos)
        line_end = end if line_end < 0 or line_end > end else line_end
        brk = _COLUMN_BREAK.search(view, pos, line_end)
        if brk:
            blank.append((brk.start(), line_end))
        pos = line_end + 1
    return _blanked(view, blank, end), _blanked(text, blank, end)


def _blanked(s: str, ranges: list[tuple[int, int]], end: int) -> str:
    """``s`` with the ranges (all before ``end``) blanked but their line breaks."""
    chars = list(s[:end])
    for start, stop in ranges:
        for i in range(start, stop):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars) + s[end:]


# --- page chrome: addresses and related news -------------------------------------------------

# An address or a contact, from its label to the line's end: its places locate a building, they do not act.
_ADDRESS = vre(r"(?<!\w)(?:địa\s+chỉ|trụ\s+sở(?:\s+chính)?|tòa\s+soạn|văn\s+phòng\s+giao\s+dịch|điện\s+thoại|đt|fax|email|"
               r"hotline)[ \t]*:[^\n]*", re.I)
# A street address before a place: "Số 5 Trần Hưng Đạo, phường X", "174 Trần Hưng Đạo, TP Nam Định",
# "Khóm 3, thị trấn X", "số 06 đường Hùng Vương, thành phố X".
_STREET_BEFORE = vre(
    r"(?:(?<!\w)(?:số\s+(?:nhà\s+)?)?\d+[A-Za-z]?(?:/\d+)?\s+(?:(?:đường|phố|ngõ|hẻm|kiệt)\s+)?"
    r"(?P<street>[^\W\d_]\w*(?:[ \t]+\w+){0,4})"
    r"|(?<!\w)(?:khóm|ấp|thôn|tổ\s+dân\s+phố|khu\s+phố|khối|tổ|xóm|bản|buôn|khu)\s+\w+(?:[ \t]+\w+){0,3})[ \t]*,[ \t]*$", re.I)
# The heading of the related-news list at a page's end, alone on its line.
_RELATED_WORDS = (r"(?:tin\s+liên\s+quan|tin\s+khác|các\s+tin\s+khác|tin\s+cùng\s+chuyên\s+mục|"
                  r"bài\s+viết\s+liên\s+quan|các\s+bài\s+viết\s+khác|tin\s+bài\s+liên\s+quan|các\s+tin\s+đã\s+đưa|"
                  r"tin\s+đã\s+đưa|xem\s+thêm|tin\s+mới\s+hơn|tin\s+cũ\s+hơn|các\s+tin\s+mới)")
# ... or run into one line with its items when the page broke them with <br> only: "Các tin khác: - Hội nghị …".
_RELATED_HEADING = vre(rf"(?m)^[ \t#*_|>]*{_RELATED_WORDS}[ \t:*_]*$|(?<!\w){_RELATED_WORDS}[ \t]*:[ \t]*(?=[-–•][ \t])",
                       re.I)
RELATED_TAIL_CHARS = 3000  # a related-news list stands in a page's last characters, below the article


@dataclass(frozen=True, slots=True)
class Chrome:
    addresses: Ranges  # "Địa chỉ: …" to the line's end
    related: int  # where the related-news list that closes the page starts (the text's length: none)

    def __contains__(self, pos: int) -> bool:
        return pos >= self.related or pos in self.addresses


def page_chrome(view: str) -> Chrome:
    """The address parts of lines and the related-news list that closes a page."""
    related = _RELATED_HEADING.search(view, max(0, len(view) - RELATED_TAIL_CHARS))
    return Chrome(Ranges((m.start(), m.end()) for m in _ADDRESS.finditer(view)),
                  related.start() if related else len(view))


def chrome_of(ctx) -> Chrome:
    """The document's page chrome, found once (``ctx``: an ``nlp.base.Context``)."""
    if "chrome" not in ctx.cache:
        ctx.cache["chrome"] = page_chrome(ctx.view)
    return ctx.cache["chrome"]


def street_before(view: str, pos: int) -> bool:
    """Does a street address or a hamlet end just before ``pos`` ("Số 5 Trần Hưng Đạo, phường X")?"""
    line_start = view.rfind("\n", 0, pos) + 1
    m = _STREET_BEFORE.search(view, max(line_start, pos - 60), pos)
    # a street is named in capitals ("174 Trần Hưng Đạo"); "sau 5 tháng triển khai, xã X" names none
    return m is not None and (m.group("street") is None or all(w[0].isupper() for w in m.group("street").split()))
