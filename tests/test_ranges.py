"""The position indexes the fields share answer exactly what a scan of the list would."""
from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, strategies as st

from nlp.ranges import Ranges, SpanIndex, TakenRanges


@dataclass(frozen=True)
class Item:
    start: int
    end: int


# Spans, dates and numbers are never empty.
items = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)).map(lambda t: Item(t[0], t[0] + t[1])), max_size=25)
positions = st.integers(-2, 80)


@given(items, positions, positions)
def test_span_index_matches_a_scan(found, a, b):
    index = SpanIndex(found)
    start, end = min(a, b), max(a, b)
    by_start = sorted(found, key=lambda x: (x.start, x.end))
    assert index.starting_at(a) == [x for x in by_start if x.start == a]
    assert index.starting_in(start, end) == [x for x in by_start if start <= x.start < end]
    assert index.within(start, end) == [x for x in by_start if start <= x.start and x.end <= end]
    assert index.overlapping(start, end) == [x for x in by_start if x.start < end and start < x.end]
    assert index.holds(a) == any(x.start <= a < x.end for x in found)
    assert index.holds(a, strictly=True) == any(x.start < a < x.end for x in found)
    assert index.first_from(a) == next((x for x in by_start if x.start >= a), None)
    assert index.last_at_or_before(a) == next((x for x in reversed(by_start) if x.start <= a), None)


@given(items, positions, positions)
def test_merged_ranges_match_a_scan(found, a, b):
    ranges = Ranges((x.start, x.end) for x in found)
    start, end = min(a, b), max(a, b)
    assert (a in ranges) == any(x.start <= a < x.end for x in found)
    assert ranges.overlaps(start, end) == any(x.start < end and start < x.end for x in found)


@given(st.lists(st.tuples(positions, st.integers(1, 10)), max_size=40))
def test_taken_ranges_accept_only_what_overlaps_nothing_taken(tries):
    taken, kept = TakenRanges(), []
    for start, length in tries:
        end = start + length
        expected = any(s < end and start < e for s, e in kept)
        assert taken.overlaps(start, end) == expected
        if not expected:
            taken.add(start, end)
            kept.append((start, end))
    assert taken.pairs() == sorted(kept)
