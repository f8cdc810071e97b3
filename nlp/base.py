"""One interface for every field: ``extract(ctx) -> Iterator[Span]``.

A ``Context`` carries the document, its matching view and what earlier fields
found (dates, the document's header, the home units), so each field module
stays small and none re-scans what another already found.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Protocol

from extractors.document import Document
from nlp.span import Span
from nlp.keys import match_view

from .dates import DateMention, find_dates
from .ranges import SpanIndex


@dataclass(slots=True)
class Home:
    """Where a document speaks from: resolves "UBND Quận", "Thành phố", "Sở Nội vụ"."""

    province: str | None = None  # full name: "Thành phố Hồ Chí Minh"
    district: str | None = None  # full name: "Quận 6"
    commune: str | None = None
    topic: bool = False  # the place a sentence opens on ("Tại xã X, …"), not the document's own


@dataclass(slots=True)
class Context:
    doc: Document
    view: str
    dates: list[DateMention]
    home: Home = field(default_factory=Home)
    header: dict = field(default_factory=dict)
    spans: dict[str, list[Span]] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # scans several fields share (document numbers)

    @classmethod
    def of(cls, doc: Document, home: Home | None = None) -> "Context":
        view = match_view(doc.text)
        return cls(doc=doc, view=view, dates=find_dates(view), home=home or Home())

    def span(self, field_name: str, start: int, end: int, value, confidence: float, source: str) -> Span:
        return Span(field_name, start, end, self.doc.text[start:end], value, round(confidence, 3), source)

    def index(self, field_name: str) -> SpanIndex[Span]:
        """The spans a field found, indexed by position (built once that field has run)."""
        spans = self.spans.get(field_name, [])
        cached = self.cache.get(("index", field_name))
        if cached is None or cached[0] is not spans or len(cached[1].items) != len(spans):
            cached = (spans, SpanIndex(spans))
            self.cache[("index", field_name)] = cached
        return cached[1]

    def date_index(self, precision: str | None = None) -> SpanIndex[DateMention]:
        """The date mentions (of one precision, "day", when given) indexed by position."""
        key = ("date_index", precision)
        if key not in self.cache:
            self.cache[key] = SpanIndex(d for d in self.dates if precision is None or d.precision == precision)
        return self.cache[key]

    def date_at(self, start: int, max_gap: int = 0) -> DateMention | None:
        """The first date mention starting within ``max_gap`` characters of ``start``."""
        d = self.date_index().first_from(start)
        return d if d is not None and d.start <= start + max_gap else None


class FieldExtractor(Protocol):
    name: str

    def extract(self, ctx: Context) -> Iterator[Span]: ...
