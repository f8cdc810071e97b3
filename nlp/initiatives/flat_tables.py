"""Tables that reach the text flattened: one row a line, the cells joined by spaces.

A DOCX written from text, a table copied out of a spreadsheet (its tabs become spaces) or a PDF
table without rulings gives lines such as::

    STT Tên sáng kiến, mô hình Đơn vị thực hiện Thời gian thực hiện Ghi chú
    1 Số hóa hồ sơ hộ tịch UBND xã An Bình Quý II/2020
    2 Tổ tư vấn thủ tục hành chính lưu động Phòng Tư pháp Năm 2020

The header is known by its row-number column ("STT", "TT") followed by at least two column names
of the domain's tables (``initiative_table_headers``, the unit, period and task columns …). Its rows
are the lines that follow it, each opening with its number.

Under a header with a title column (Tên sáng kiến, Tên mô hình …) each row is an initiative. The cell
boundaries are gone, so the title ends where the next column's content begins: the unit that carries
it out (a unit's name not governed by a preposition of the title, "… tại Bộ phận Một cửa") when the
header has a unit column, else (no unit known in the row, or no unit column) the period, a date, when
it has a period column, else the line's end. A row whose end cannot be found so is left out.

Every flat table (a task table too) is also a region where a title written without quotes cannot be
bounded ("… phát động Cuộc thi Phòng Nội vụ …"): ``regions`` keeps such candidates out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.keys import canonical_key

from ..vocab import alternation, vocab, vre
from . import lexicon
from .candidate import Candidate

# A header line is short: a longer line is prose that happens to start with "TT".
MAX_HEADER_CHARS = 250
MIN_HEADER_COLUMNS = 2
# A row read as a title and its cells holds at least this many words in its title.
MIN_TITLE_WORDS = 2
MAX_TITLE_WORDS = 40
_ROW = re.compile(r"[ \t]*(?P<n>\d{1,3})[.)]?[ \t]+(?=\S)")
_QUOTES = "“”\"‘’'«»"


@dataclass(slots=True)
class FlatTable:
    start: int  # the header line's start
    end: int  # the last row's end
    rows: list[tuple[int, int]]  # (start of the row's content after its number, end of the line)
    title_kind: str | None  # the kind named by the title column, None when the table lists no initiatives
    has_unit: bool
    has_period: bool


def _headers(*names: str) -> list[str]:
    v = vocab()
    out: list[str] = []
    for name in names:
        value = v[name]
        out += list(value) if isinstance(value, list) else [k for k in value if not k.startswith("_")]
    return out


@lru_cache(maxsize=1)
def _column_re() -> re.Pattern[str]:
    names = _headers("initiative_table_headers", "initiative_context_headers", "unit_table_headers",
                     "period_table_headers", "task_columns", "responsible_columns", "deadline_columns",
                     "table_other_headers")
    kinds = alternation(vocab()["initiative_kinds"])
    return vre(rf"(?<!\w)(?:{alternation(names)})(?:\s*[/,]\s*(?:{kinds}))*(?!\w)", re.I)


@lru_cache(maxsize=1)
def _header_start_re() -> re.Pattern[str]:
    return re.compile(r"[ \t]*(?:STT|TT|Stt)[ \t]+")


def _classify(header: str) -> tuple[str | None, bool, bool, int]:
    """(kind of the title column or None, a unit column, a period column, columns recognised)."""
    title_names = {canonical_key(n) for n in vocab()["initiative_table_headers"]}
    unit_names = {canonical_key(n) for n in _headers("unit_table_headers", "responsible_columns")}
    period_names = {canonical_key(n) for n in _headers("period_table_headers", "deadline_columns")}
    kind, unit, period, n = None, False, False, 0
    for m in _column_re().finditer(header):
        n += 1
        key = canonical_key(re.split(r"\s*[/,]\s*", m.group())[0])
        if kind is None and key in title_names and n == 1:
            k = lexicon.kind_re().search(m.group())
            kind = lexicon.kind_name(k.group("kind")) if k else "sáng kiến"
        unit = unit or key in unit_names
        period = period or key in period_names
    return kind, unit, period, n


def flat_tables(ctx) -> list[FlatTable]:
    """The flattened tables of a document (found once per document)."""
    if "flat_tables" in ctx.cache:
        return ctx.cache["flat_tables"]
    text, view = ctx.doc.text, ctx.view
    found: list[FlatTable] = []
    lines = text.split("\n")
    pos, i = 0, 0
    offsets = []
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    while i < len(lines):
        start = offsets[i]
        line = lines[i]
        head = _header_start_re().match(line)
        if not head or len(line) > MAX_HEADER_CHARS or "|" in line:
            i += 1
            continue
        kind, unit, period, n = _classify(view[start + head.end():start + len(line)])
        if n < MIN_HEADER_COLUMNS:
            i += 1
            continue
        rows = []
        j = i + 1
        while j < len(lines):
            row = _ROW.match(lines[j])
            if not row or "|" in lines[j]:
                break
            rows.append((offsets[j] + row.end(), offsets[j] + len(lines[j].rstrip())))
            j += 1
        if rows:
            found.append(FlatTable(start, rows[-1][1], rows, kind, unit, period))
        i = j
    ctx.cache["flat_tables"] = found
    return found


def regions(ctx) -> list[tuple[int, int]]:
    """Where flat tables stand: header and rows."""
    return [(t.start, t.end) for t in flat_tables(ctx)]


# Words after which a unit's name belongs to the title ("… tại UBND xã", "… của Sở") or is a level ("cấp xã").
_GOVERNED = re.compile(r"(?:^|\s)(?:tại|của|cho|ở|với|đến|trong|giữa|và|thuộc|từ|cấp)\s*$", re.I)


def _unit_cell(ctx, start: int, end: int) -> int | None:
    """Where the unit column's content begins in a flat row: the first unit's name that no
    preposition of the title governs."""
    text = ctx.doc.text
    for at in lexicon.unit_starts(ctx, start, end):
        if len(text[start:at].split()) < MIN_TITLE_WORDS:
            continue
        if _GOVERNED.search(ctx.view[max(start, at - 12):at]):
            continue
        return at
    return None


def _period_cell(ctx, start: int, end: int, min_words: int = MIN_TITLE_WORDS) -> int | None:
    """Where the period column's content begins: the row's first date after ``min_words`` words."""
    text = ctx.doc.text
    for d in ctx.dates:
        if start < d.start < end and len(text[start:d.start].split()) >= min_words:
            return d.start
    return None


def flat_table_candidates(ctx) -> list[Candidate]:
    text = ctx.doc.text
    found: list[Candidate] = []
    for table in flat_tables(ctx):
        if table.title_kind is None:
            continue
        for start, end in table.rows:
            stop, how = (_unit_cell(ctx, start, end), "unit_cell") if table.has_unit else (None, "")
            if stop is None and table.has_period:
                stop, how = _period_cell(ctx, start, end), "period_cell"
            if not table.has_unit and not table.has_period:
                stop, how = end, "line"
            if stop is None:
                continue
            t_start = start + len(text[start:stop]) - len(text[start:stop].lstrip(" " + _QUOTES))
            t_end = start + len(text[start:stop].rstrip(" .;,:" + _QUOTES))
            words = text[t_start:t_end].split()
            if not MIN_TITLE_WORDS <= len(words) <= MAX_TITLE_WORDS:
                continue
            inner = lexicon.kind_re().match(ctx.view, t_start)
            c = Candidate(t_start, t_end, t_start, t_end,
                          lexicon.kind_name(inner.group("kind")) if inner else table.title_kind, "", "table", how)
            rest = text[stop:end].strip()
            if how == "unit_cell" and rest:
                period = _period_cell(ctx, stop, end, min_words=1)
                c.unit = text[stop:period].strip() if period else rest
                c.period = text[period:end].strip() if period else None
            elif how == "period_cell":
                c.period = rest or None
            found.append(c)
    return found
