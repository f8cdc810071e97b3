"""Every table of a document: the reader's, and those a plain text writes with bars.

Readers of DOCX, PDF and HTML give ``Document.tables``. A text file keeps its tables
as text, in two forms seen in exported and crawled documents:

* one row a line, cells joined by ``|`` (what our readers render, and what people
  paste): ``1 | Rà soát thủ tục | Sở Tư pháp | Quý II/2024``;
* one cell a block between lines holding only ``|``, two such lines in a row ending a
  row (Markdown crawls of the national legal portals)::

      |
      Rà soát thủ tục
      |
      Sở Tư pháp
      |
      Quý II/2024
      |
      |

Both become ``Table``s whose cells index the document text, so a field reads a row
the same way whatever the format.
"""
from __future__ import annotations

import re
from typing import Iterator

from extractors.document import Cell, Table

from .base import Context

_BAR_LINE = re.compile(r"[ \t]*\|[ \t]*")
# Readers drop blank lines, so a table written with bar lines ends where the text between
# two bars is too long to be a cell: it is the body between two tables.
MAX_CELL_LINES = 15
_PIPE_ROW = re.compile(r"[^\n|]*\|[^\n]*")
_MARKUP = " \t*_#>"


def _line_spans(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def _cell(text: str, start: int, end: int) -> Cell:
    """A cell over ``text[start:end]`` without surrounding blanks and emphasis marks."""
    while start < end and text[start] in _MARKUP + "\n":
        start += 1
    while end > start and text[end - 1] in _MARKUP + "\n":
        end -= 1
    return Cell(text[start:end], start, end)


def _bar_tables(text: str) -> Iterator[Table]:
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    cell_start: int | None = None  # where the open cell's text starts
    in_table = last_was_bar = False

    def close_table() -> Iterator[Table]:
        nonlocal rows, row, in_table
        if row:
            rows.append(row)
        if len(rows) >= 2:
            yield Table(rows)
        rows, row, in_table = [], [], False

    cell_lines = 0
    for start, end in _line_spans(text):
        line = text[start:end]
        if _BAR_LINE.fullmatch(line):
            if cell_start is not None and cell_lines > MAX_CELL_LINES:
                yield from close_table()  # the text since the last bar was not a cell
            elif cell_start is not None:
                row.append(_cell(text, cell_start, start))
            elif in_table and last_was_bar and row:
                rows.append(row)
                row = []
            cell_start, cell_lines = None, 0
            in_table = last_was_bar = True
        elif in_table and line.strip():
            if cell_start is None:
                cell_start = start
            cell_lines += 1
            last_was_bar = False
    yield from close_table()


def _pipe_tables(text: str, covered: list[tuple[int, int]]) -> Iterator[Table]:
    rows: list[list[Cell]] = []
    for start, end in _line_spans(text):
        line = text[start:end]
        if "|" in line and not _BAR_LINE.fullmatch(line) and not any(s <= start < e for s, e in covered):
            cells, pos = [], start
            for part in line.split("|"):
                cells.append(_cell(text, pos, pos + len(part)))
                pos += len(part) + 1
            while cells and not cells[-1].text and len(cells) > 1:
                cells.pop()  # "a | b |": the closing bar opens no cell
            rows.append(cells)
            continue
        if len(rows) >= 2:
            yield Table(rows)
        rows = []
    if len(rows) >= 2:
        yield Table(rows)


def document_tables(ctx: Context) -> list[Table]:
    """The reader's tables, then the tables written as text outside them (found once per document)."""
    if "tables" not in ctx.cache:
        text = ctx.doc.text
        tables = list(ctx.doc.tables)
        covered = [(t.rows[0][0].start, t.rows[-1][-1].end) for t in tables if t.rows and t.rows[0]]
        if "\n|" in text or text.startswith("|"):
            tables += [t for t in _bar_tables(text)
                       if not any(s <= t.rows[0][0].start < e for s, e in covered)]
        if "|" in text:
            covered += [(t.rows[0][0].start, t.rows[-1][-1].end) for t in tables[len(ctx.doc.tables):]]
            tables += list(_pipe_tables(text, covered))
        ctx.cache["tables"] = tables
    return ctx.cache["tables"]
