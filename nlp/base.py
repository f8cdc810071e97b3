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


@dataclass(slots=True)
class Home:
    """Where a document speaks from: resolves "UBND Quận", "Thành phố", "Sở Nội vụ"."""

    province: str | None = None  # full name: "Thành phố Hồ Chí Minh"
    district: str | None = None  # full name: "Quận 6"
    commune: str | None = None


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

    def date_at(self, start: int, max_gap: int = 0) -> DateMention | None:
        """The first date mention starting within ``max_gap`` characters of ``start``."""
        for d in self.dates:
            if start <= d.start <= start + max_gap:
                return d
            if d.start > start + max_gap:
                return None
        return None


class FieldExtractor(Protocol):
    name: str

    def extract(self, ctx: Context) -> Iterator[Span]: ...
