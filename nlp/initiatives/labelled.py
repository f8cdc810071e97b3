"""Titles given by a label or a numbered list: "Tên sáng kiến: …" in a write-up, and annex lists
("DANH MỤC CÁC MÔ HÌNH …" followed by "1. …", "2. …")."""
from __future__ import annotations

import re

from nlp.keys import canonical_key

from . import lexicon
from .candidate import Candidate

# "Phòng Nội vụ: chủ trì …": a unit, a colon, then what it must do.
_ASSIGNMENT = re.compile(r"[^:\n]{2,80}:\s")


def is_task(ctx, start: int, end: int) -> bool:
    """An item of a plan, not a title: a task assigned to a unit ("Phòng Nội vụ: Chủ trì theo dõi …"),
    several clauses ("…; tổng hợp, báo cáo …") or a clause with its aspect or modal word ("… đã đăng ký")."""
    text = ctx.doc.text
    assigned = _ASSIGNMENT.match(text, start, end)
    if assigned and lexicon.unit_starts(ctx, start, start + 1):
        return True
    if ";" in text[start:end]:
        return True
    return any(canonical_key(w) in lexicon.clause_markers() for w in text[start:end].split())


_LABEL_END = re.compile(r"\.(?:\s|$)|[;)]|\s+\|")
_NUMBERED_LINE = re.compile(r"[ \t]*(?:\*\*)?(?P<n>\d{1,3})[.)][ \t]+(?P<t>[^\n]{4,300})")
# An annex list is read for at most this many lines after its heading.
MAX_LIST_LINES = 120
# Its first item comes within this many lines of the heading (a caption "(Kèm theo …)", a note);
# further on, numbered lines belong to the document's next part.
MAX_LINES_BEFORE_ITEMS = 3
# A section heading ("III. TỔ CHỨC THỰC HIỆN", "Phần 2") ends the list.
_SECTION = re.compile(r"[ \t]*(?:[IVXLC]+[.)]|(?:Phần|PHẦN|Mục|MỤC)\s+\w+|(?:Điều|ĐIỀU)\s+\d+)")
# A heading that announces a list is a short line.
MAX_HEADING_CHARS = 200


def labelled_candidates(ctx) -> list[Candidate]:
    text = ctx.doc.text
    found = []
    for m in lexicon.label_re().finditer(ctx.view):
        start = m.start("title")
        stop = _LABEL_END.search(text, start, m.end("title"))
        end = stop.start() if stop else m.end("title")
        end = start + len(text[start:end].rstrip(" .:;"))
        if end - start < 4:
            continue
        kind_m = lexicon.kind_re().search(ctx.view, m.start("label"), m.end("label"))
        kind = lexicon.kind_name(kind_m.group("kind")) if kind_m else "sáng kiến"
        found.append(Candidate(m.start(), end, start, end, kind, "", "label", "line"))
    return found


def numbered_candidates(ctx) -> list[Candidate]:
    """Items of a numbered list under a heading that names a list of initiatives."""
    text, view = ctx.doc.text, ctx.view
    found = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if len(line) > MAX_HEADING_CHARS or not lexicon.list_heading_re().search(view, start, end):
            continue
        kind_m = lexicon.kind_re().search(view, start, end)
        if not kind_m:
            continue
        kind = lexicon.kind_name(kind_m.group("kind"))
        at, lines_read = end + 1, 0
        while at < len(text) and lines_read < MAX_LIST_LINES:
            nl = text.find("\n", at)
            nl = len(text) if nl < 0 else nl
            row = _NUMBERED_LINE.fullmatch(text, at, nl)
            lines_read += 1
            if _SECTION.match(text, at, nl) and not row or not found and lines_read > MAX_LINES_BEFORE_ITEMS:
                break
            if row and is_task(ctx, row.start("t"), row.end("t")):
                at = nl + 1
                continue
            if row:
                t_start, t_end = row.start("t"), row.start("t") + len(row.group("t").rstrip(" .;*"))
                inner = lexicon.kind_re().match(view, t_start)
                found.append(Candidate(row.start(), t_end, t_start, t_end,
                                       lexicon.kind_name(inner.group("kind")) if inner else kind, "", "numbered", "line"))
            elif found and text[at:nl].strip() and not text[at:nl].startswith((" ", "\t", "-", "+")):
                break
            at = nl + 1
    return found
