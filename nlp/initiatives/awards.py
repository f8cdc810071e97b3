"""Titles in the results of a contest or an award: "1. Giải Nhất: "Phần mềm chấm điểm …" - UBND thị xã
Duy Tiên.", and under a prize heading ("2. Giải Nhì (02 giải):") the items "- Sổ tay công chức một cửa
điện tử - Sở Tư pháp;". Each line names what won and, after a dash, the unit that won it.

A line of that shape elsewhere is a task and who does it ("- Rà soát thủ tục hành chính - Sở Tư pháp"):
only a line that carries a prize, or that a prize heading stands over, is read as a title.
"""
from __future__ import annotations

import re

from nlp.vocab import vre

from . import lexicon
from .candidate import Candidate
from .labelled import is_task

# The prizes of Vietnamese contests and awards: "Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích",
# "Giải Đặc biệt", "Giải A/B/C", "Giải xuất sắc".
_PRIZE = r"giải\s+(?:nhất|nhì|ba|tư|khuyến\s+khích|đặc\s+biệt|xuất\s+sắc|triển\s+vọng|[abc])(?!\w)"
_LEAD = r"[ \t]*(?:[-–•+*][ \t]*|\d{1,2}[.)][ \t]*)?"
# "1. Giải Nhất: TITLE - UNIT." on one line
_PRIZE_LINE = vre(rf"{_LEAD}{_PRIZE}[^:\n]{{0,30}}:[ \t]*(?P<rest>[^\n]+)", re.I)
# "2. Giải Nhì (02 giải):" with nothing after its colon: the lines below are its winners
_PRIZE_HEADING = vre(rf"{_LEAD}{_PRIZE}[^:\n]{{0,30}}:[ \t]*$", re.I)
_ITEM = vre(r"[ \t]*[-–•+*][ \t]*(?P<rest>[^\n]+)")
# The dash before the winning unit: spaced, so that "Tuyên truyền - Hỗ trợ" inside a name is not it.
_UNIT_DASH = re.compile(r"[ \t]+[-–][ \t]+")
_TRAILING = " \t.;,"
MIN_TITLE_CHARS = 8
# Who may win instead of an idea: a person ("Ông Nguyễn Văn A", "Đồng chí …"), a team ("Đội thi phường 1").
_WINNER_NOT_A_TITLE = vre(r"(?:ông|bà|anh|chị|em|đồng\s+chí|đ/c|thí\s+sinh|học\s+sinh|đội|nhóm|tập\s+thể|cá\s+nhân)(?!\w)",
                          re.I)
# A person's name: two to four syllables, each capitalised ("Nguyễn Thị Hồng Nhung"); a title has lower-case words.
MAX_NAME_SYLLABLES = 4
# The items a prize heading stands over: its winners, a handful.
MAX_ITEMS_UNDER_HEADING = 10


def award_candidates(ctx) -> list[Candidate]:
    text, view = ctx.doc.text, ctx.view
    found: list[Candidate] = []
    under_heading = 0
    pos = 0
    while pos < len(text):
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        prize = _PRIZE_LINE.match(view, pos, line_end)
        item = None if prize else _ITEM.match(view, pos, line_end)
        if _PRIZE_HEADING.match(view, pos, line_end):
            under_heading = MAX_ITEMS_UNDER_HEADING
        elif prize or (item and under_heading):
            rest = (prize or item).start("rest")
            c = _titled_winner(ctx, rest, line_end)
            if c is not None:
                found.append(c)
            under_heading = under_heading - 1 if item else 0
        else:
            under_heading = 0
        pos = line_end + 1
    return found


def _titled_winner(ctx, start: int, end: int) -> Candidate | None:
    """TITLE - UNIT in ``text[start:end]``: the title, when a unit the units field knows follows the last
    spaced dash and runs to the line's end."""
    text = ctx.doc.text
    end = start + len(text[start:end].rstrip(_TRAILING))
    dashes = list(_UNIT_DASH.finditer(text, start, end))
    if not dashes:
        return None
    dash = dashes[-1]
    units = ctx.index("units").starting_in(dash.end(), dash.end() + 1)
    if not units or max(u.end for u in units) < end - 1:
        return None  # what follows the dash is not (only) a unit
    title_end = dash.start()
    if title_end - start < MIN_TITLE_CHARS or is_task(ctx, start, title_end) \
            or lexicon.unit_starts(ctx, start, start + 1) or _a_person_or_team(text[start:title_end]):
        return None
    return Candidate(start, title_end, start, title_end, "sáng kiến", "", "label", "unit_cell")


def _a_person_or_team(title: str) -> bool:
    """Quiz contests give prizes to people and teams: "Giải Nhất: Nguyễn Thị Lan - Sở Tư pháp"."""
    if title[:1] in lexicon.OPEN_QUOTES:
        return False  # a quoted name is a title
    words = title.split()
    personal = len(words) <= MAX_NAME_SYLLABLES and all(w[:1].isupper() for w in words)
    return personal or bool(_WINNER_NOT_A_TITLE.match(title))
