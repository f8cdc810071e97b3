"""A scanned page's words in reading order, with ruled tables as rows of cells.

Tesseract reads a ruled table across its columns: one "line" runs through every cell of a
row ("Tuyên truyền | Các sở, ban, | Thực hiện"), so a task, its unit and its deadline come out
interleaved. The ruling lines are in the image: long straight runs of dark pixels, vertical
ones found nowhere in print but in tables. Where at least three vertical lines stand side by
side, the page has a table; its columns lie between the vertical lines, its rows between the
horizontal ones, and each word Tesseract found goes to the cell its centre falls in. Text
outside the tables keeps Tesseract's order, before, between and after them. This is what
the text-layer reader does with pdfplumber on born-digital pages (text outside tables, then
each table's rows).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

# A pixel darker than this (0 black, 255 white) is ink.
INK = 160
# A ruling line is at least this long: 1 cm (118 px at 300 dpi). Letters are under 0.5 cm
# tall, so no vertical run of print is this long; underlines are horizontal and are only
# taken inside a table's frame.
MIN_LINE_CM = 1.0
# Pixels of one ruling line (its thickness, a scan's slight tilt) are merged within this gap.
LINE_GAP_PX = 4
# Three vertical lines make two columns: the least a ruled table has.
MIN_COLUMN_LINES = 3
# Lines are looked for on blocks of 2x2 pixels (150 dpi for a 300 dpi page), a block inked when
# any of its pixels is (so a hairline survives): the search takes a quarter of the time.
STRIDE = 2


@dataclass(slots=True)
class Word:
    text: str
    confidence: float  # 0-1; negative when Tesseract gave none
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]  # Tesseract's (block, paragraph, line)

    @property
    def centre(self) -> tuple[float, float]:
        return self.left + self.width / 2, self.top + self.height / 2


@dataclass(slots=True)
class Grid:
    columns: list[int]  # x of each vertical line, left to right
    rows: list[int]  # y of each horizontal line (and the frame's top and bottom), top to bottom

    def cell(self, x: float, y: float) -> tuple[int, int] | None:
        if not (self.columns[0] < x < self.columns[-1] and self.rows[0] < y < self.rows[-1]):
            return None
        return bisect_right(self.rows, y) - 1, bisect_right(self.columns, x) - 1


def _runs(positions: np.ndarray, gap: int = LINE_GAP_PX) -> list[tuple[int, int]]:
    """Consecutive positions (no more than ``gap`` apart) as (first, last) groups."""
    if positions.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(positions) > gap)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [positions.size - 1]))
    return [(int(positions[s]), int(positions[e])) for s, e in zip(starts, ends)]


def _long_runs(ink: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Mask of the pixels that start a run of ink at least ``length`` long along ``axis``."""
    sums = np.cumsum(ink, axis=axis, dtype=np.int32)
    if axis == 0:
        window = sums[length:, :] - sums[:-length, :]
    else:
        window = sums[:, length:] - sums[:, :-length]
    return window >= length - 1  # one pixel of scan noise forgiven


def find_grids(gray: np.ndarray, dpi: int) -> list[Grid]:
    """The ruled tables of a page image (grey, 2-D), top to bottom, in the image's pixels."""
    length = max(10, int(dpi * MIN_LINE_CM / 2.54) // STRIDE)
    if gray.ndim != 2 or min(gray.shape) <= length * STRIDE:
        return []
    height, width = (gray.shape[0] // STRIDE) * STRIDE, (gray.shape[1] // STRIDE) * STRIDE
    ink = (gray[:height, :width] < INK).reshape(height // STRIDE, STRIDE, width // STRIDE, STRIDE).any(axis=(1, 3))
    vertical = _long_runs(ink, length, axis=0)
    lines = []  # (x, top, bottom) of each vertical line
    for first, last in _runs(np.flatnonzero(vertical.any(axis=0))):
        ys = np.flatnonzero(vertical[:, first:last + 1].any(axis=1))
        # Two tables one above the other share their border's x: a gap of a line's length parts them.
        for top, bottom in _runs(ys, gap=length):
            lines.append(((first + last) // 2, top, bottom + length))
    grids: list[Grid] = []
    for group in _overlapping(lines):
        if len(group) < MIN_COLUMN_LINES:
            continue
        top, bottom = min(t for _, t, _ in group), max(b for _, _, b in group)
        xs = sorted(x for x, _, _ in group)
        inside = ink[top:bottom + 1, xs[0]:xs[-1] + 1]
        short = min(length, max(10, (xs[-1] - xs[0]) // 4))
        horizontal = _long_runs(inside, short, axis=1)
        ys = [top + (a + b) // 2 for a, b in _runs(np.flatnonzero(horizontal.any(axis=1)))]
        rows = [y for y in sorted({top, *ys, bottom})]
        rows = [y for i, y in enumerate(rows) if i == 0 or y - rows[i - 1] > LINE_GAP_PX]  # the frame is a rule too
        grids.append(Grid([x * STRIDE for x in xs], [y * STRIDE for y in rows]))
    return sorted(grids, key=lambda g: g.rows[0])


def _overlapping(lines: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
    """Vertical lines grouped by overlapping extent: the lines of one table."""
    groups: list[list[tuple[int, int, int]]] = []
    for line in sorted(lines, key=lambda l: l[1]):
        for group in groups:
            if line[1] < max(b for _, _, b in group) and line[2] > min(t for _, t, _ in group):
                group.append(line)
                break
        else:
            groups.append([line])
    return groups


Item = str | list[list[str]]  # a run of text lines, or a table's rows of cells


# Specks, stamps' edges and page numbers off the text's baseline come out as "words" of stray
# marks at the start of a line (": Án lệ số ...", "___ Quyết định ..."); no line of print
# starts with these, so they are dropped there. Bullets ("-", "+", "•") and quotes are kept.
_NOISE = re.compile(r"[:;.,'`~_|!*^°=]+")


def _lines_text(words: list[Word]) -> str:
    lines: dict[tuple[int, int, int], list[str]] = {}
    for w in words:
        line = lines.setdefault(w.line, [])
        if line or not _NOISE.fullmatch(w.text):
            line.append(w.text)
    return "\n".join(" ".join(ws) for ws in lines.values() if ws)


def _table_rows(grid: Grid, words: list[Word]) -> list[list[str]]:
    cells: dict[tuple[int, int], list[Word]] = {}
    for w in words:
        spot = grid.cell(*w.centre)
        if spot is not None:
            cells.setdefault(spot, []).append(w)
    rows = []
    for r in range(len(grid.rows) - 1):
        row = []
        for c in range(len(grid.columns) - 1):
            inside = cells.get((r, c), [])
            # Reading order inside a cell: Tesseract's lines top to bottom, words left to right.
            tops = {}
            for w in inside:
                tops[w.line] = min(tops.get(w.line, w.top), w.top)
            inside.sort(key=lambda w: (tops[w.line], w.left))
            row.append(" ".join(w.text for w in inside))
        if any(row):
            rows.append(row)
    return rows


def lay_out(words: list[Word], grids: list[Grid]) -> list[Item]:
    """The page as text runs and tables in reading order. Marks Tesseract read off the ruling
    lines themselves ("|") are dropped inside tables."""
    if not grids:
        return [_lines_text(words)] if words else []
    outside: list[list[Word]] = [[] for _ in range(len(grids) + 1)]
    inside: list[list[Word]] = [[] for _ in grids]
    for w in words:
        x, y = w.centre
        table = next((i for i, g in enumerate(grids) if g.cell(x, y) is not None), None)
        if table is not None:
            if w.text.strip("|[]") or w.text.isalnum():
                inside[table].append(w)
            continue
        outside[sum(1 for g in grids if y > g.rows[-1])].append(w)
    items: list[Item] = []
    for i, grid in enumerate(grids):
        if outside[i]:
            items.append(_lines_text(outside[i]))
        items.append(_table_rows(grid, inside[i]))
    if outside[-1]:
        items.append(_lines_text(outside[-1]))
    return items
