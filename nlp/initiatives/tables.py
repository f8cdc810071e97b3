"""Rows of tables that list initiatives: registration forms (Biểu đăng ký) and annexes with a title
column named "Tên sáng kiến", "Tên mô hình", "Tên giải pháp", "Tên đề án" …, or a plain "Nội dung"
/ "Tên" column when the table's header or caption names a kind of initiative."""
from __future__ import annotations

import re

from nlp.keys import canonical_key

from ..tables import document_tables
from ..vocab import vocab
from . import lexicon
from .candidate import Candidate

# A table's caption ("DANH MỤC MÔ HÌNH …", "Phụ lục: danh sách các sáng kiến …") is one of the lines
# right before it, a heading: in capitals or opening with a word that announces a list.
CAPTION_LINES = 2
MAX_CAPTION_CHARS = 200
MIN_TITLE_WORDS = 2
_HEADER_ROWS = 3
_QUOTES = "“”\"‘’'«»"


def _column(keys: list[str], names, exact: bool = False) -> int | None:
    wanted = [canonical_key(n) for n in names]
    return next((i for i, k in enumerate(keys) if any(k == w or not exact and k.startswith(w) and not k[len(w)].isalnum()
                                                      for w in wanted)), None)


def _title_column(ctx, table, keys: list[str]) -> tuple[int | None, str | None]:
    v = vocab()
    col = _column(keys, v["initiative_table_headers"])
    if col is not None:
        kind = lexicon.kind_re().search(keys[col])
        return col, lexicon.kind_name(kind.group("kind")) if kind else "sáng kiến"
    col = _column(keys, v["initiative_context_headers"], exact=True)
    if col is None:
        return None, None
    first = table.rows[0][0].start if table.rows and table.rows[0] else 0
    for line in ctx.view[:first].rstrip(" |\n").split("\n")[-CAPTION_LINES:][::-1]:
        line = line.strip(" *#")
        if len(line) > MAX_CAPTION_CHARS or not (line.isupper() or lexicon.caption_re().match(line)):
            break  # prose, not a caption
        kind = lexicon.kind_re().search(line)
        if kind:
            return col, lexicon.kind_name(kind.group("kind"))
    kind = lexicon.kind_re().search(" ".join(keys))
    return (col, lexicon.kind_name(kind.group("kind"))) if kind else (None, None)


_ROW_NUMBER_HEADERS = frozenset({"stt", "tt", "số tt"})


def _header_shift(keys: list[str], row) -> int:
    """How many cells the header row has on its left that the rows lack: a table written with bars
    that runs on from the text before it ("Nơi nhận | … | PHỤ LỤC | STT | Tên sáng kiến | …") has its
    header's row-number column where the rows' first cell is."""
    shift = len(keys) - len(row)
    return shift if shift > 0 and keys[shift].strip("*. ") in _ROW_NUMBER_HEADERS else 0


def table_candidates(ctx) -> list[Candidate]:
    v = vocab()
    found: list[Candidate] = []
    for table in document_tables(ctx):
        for h_index, header in enumerate(table.rows[:_HEADER_ROWS]):
            keys = [canonical_key(c.text) for c in header]
            col, kind = _title_column(ctx, table, keys)
            if col is None:
                continue
            unit_col = _column(keys, v["unit_table_headers"])
            period_col = _column(keys, v["period_table_headers"])
            for row in table.rows[h_index + 1:]:
                shift = _header_shift(keys, row)
                if not 0 <= col - shift < len(row):
                    continue
                cell = row[col - shift]
                title = cell.text.strip()
                if len(title.split()) < MIN_TITLE_WORDS or re.fullmatch(r"[\d\s.()]+", title):
                    continue
                lead = len(cell.text) - len(cell.text.lstrip(" " + _QUOTES))
                start, end = cell.start + lead, cell.start + len(cell.text.rstrip(" .;" + _QUOTES))
                inner = lexicon.kind_re().match(ctx.view, start)
                c = Candidate(cell.start, cell.end, start, end, lexicon.kind_name(inner.group("kind")) if inner else kind,
                              "", "table", "cell")
                if unit_col is not None and 0 <= unit_col - shift < len(row):
                    c.unit = row[unit_col - shift].text.strip() or None
                if period_col is not None and 0 <= period_col - shift < len(row):
                    c.period = row[period_col - shift].text.strip() or None
                found.append(c)
            break
    return found
