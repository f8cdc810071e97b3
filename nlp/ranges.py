"""Position queries over character ranges in O(log n), so no field scan grows with text squared.

Every field asks the same few questions of what another found: is this position inside a unit,
does a unit start here, which numbers lie in this sentence, does this match overlap one already
taken. Asked of a list, each costs its length; asked for every match of a long text, that is
quadratic (a 5 MB text took minutes). These answer by binary search.

* ``Ranges``: ranges merged once (``pos in ranges``, ``overlaps``), for "leave these out".
* ``SpanIndex``: items with ``start``/``end`` kept whole and sorted once (``starting_at``,
  ``within``, ``holds``), for "which unit / number / date is here".
* ``TakenRanges``: disjoint ranges that grow as matches are accepted (``overlaps``, ``add``).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from typing import Generic, Iterable, Protocol, TypeVar


class Ranges:
    """Character ranges to leave out, merged and sorted once: ``pos in ranges`` is a binary search."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for s, e in sorted(ranges):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]

    def overlaps(self, start: int, end: int) -> bool:
        """Does any range meet ``[start, end)``?"""
        i = bisect_left(self.starts, end) - 1
        return i >= 0 and self.ends[i] > start


class _Positioned(Protocol):
    start: int
    end: int


T = TypeVar("T", bound=_Positioned)


class SpanIndex(Generic[T]):
    """Items with ``start`` and ``end`` (spans, date mentions, numbers), sorted once by start."""

    def __init__(self, items: Iterable[T]) -> None:
        self.items: list[T] = sorted(items, key=lambda x: (x.start, x.end))
        self.starts = [x.start for x in self.items]
        self.reach: list[int] = []  # the furthest end of the items up to each one
        furthest = -1
        for x in self.items:
            furthest = max(furthest, x.end)
            self.reach.append(furthest)

    def starting_at(self, pos: int) -> list[T]:
        return self.items[bisect_left(self.starts, pos):bisect_right(self.starts, pos)]

    def starting_in(self, start: int, end: int) -> list[T]:
        """Items whose start lies in ``[start, end)``, in text order."""
        return self.items[bisect_left(self.starts, start):bisect_left(self.starts, end)]

    def within(self, start: int, end: int) -> list[T]:
        """Items wholly inside ``[start, end)``, in text order."""
        return [x for x in self.starting_in(start, end) if x.end <= end]

    def overlapping(self, start: int, end: int) -> list[T]:
        """Items that meet ``[start, end)``, in text order (``reach`` rises: items before the first
        that reaches past ``start`` all end before it)."""
        first = bisect_right(self.reach, start)
        return [x for x in self.items[first:bisect_left(self.starts, end)] if x.end > start]

    def holds(self, pos: int, strictly: bool = False) -> bool:
        """Is ``pos`` inside an item (``start <= pos < end``; ``start < pos`` when ``strictly``)?"""
        i = (bisect_left if strictly else bisect_right)(self.starts, pos) - 1
        return i >= 0 and self.reach[i] > pos

    def last_at_or_before(self, pos: int) -> T | None:
        """The last item starting at or before ``pos``."""
        i = bisect_right(self.starts, pos)
        return self.items[i - 1] if i else None

    def first_from(self, pos: int) -> T | None:
        """The first item starting at or after ``pos``."""
        i = bisect_left(self.starts, pos)
        return self.items[i] if i < len(self.items) else None


class TakenRanges:
    """Disjoint ranges accepted one by one (a match is taken only where it overlaps none)."""

    def __init__(self) -> None:
        self._ranges: list[tuple[int, int]] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self._ranges, (end, end))  # ranges starting before ``end`` lie left of i
        return i > 0 and self._ranges[i - 1][1] > start  # disjoint: only the last of them can reach

    def add(self, start: int, end: int) -> None:
        insort(self._ranges, (start, end))

    def pairs(self) -> list[tuple[int, int]]:
        return list(self._ranges)
