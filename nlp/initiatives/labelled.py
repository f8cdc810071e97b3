"""Titles given by a label or a numbered list: "Tên sáng kiến: …" in a write-up, and annex lists
("DANH MỤC CÁC MÔ HÌNH …" followed by "1. …", "2. …")."""
from __future__ import annotations

import re

from . import lexicon
from .candidate import Candidate

_LABEL_END = re.compile(r"\.(?:\s|$)|[;)]|\s+\|")
_NUMBERED_LINE = re.compile(r"[ \t]*(?:\*\*)?(?P<n>\d{1,3})[.)][ \t]+(?P<t>[^\n]{4,300})")
# An annex list is read for at most this many lines after its heading.
MAX_LIST_LINES = 120
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
            if row:
                t_start, t_end = row.start("t"), row.start("t") + len(row.group("t").rstrip(" .;*"))
                inner = lexicon.kind_re().match(view, t_start)
                found.append(Candidate(row.start(), t_end, t_start, t_end,
                                       lexicon.kind_name(inner.group("kind")) if inner else kind, "", "numbered", "line"))
            elif found and text[at:nl].strip() and not text[at:nl].startswith((" ", "\t", "-", "+")):
                break
            at = nl + 1
    return found
