"""Run every field extractor over a Document, in the order their inputs need."""
from __future__ import annotations

from dataclasses import dataclass

from extractors.document import Document
from nlp.span import Span

from .base import Context, Home
from .dates_roles import date_spans
from .deadlines import Deadlines
from .header import read_header
from .initiatives import Initiatives
from .numbers import References
from .units import Units

# Bumped whenever a rule changes what is extracted: the catalogue re-runs
# extraction for documents catalogued by an older version.
EXTRACTOR_VERSION = "2026.11.26.1"

FIELDS = (Units(), References(), Deadlines(), Initiatives())


@dataclass(slots=True)
class Extraction:
    doc: Document
    header: dict
    home: Home
    spans: dict[str, list[Span]]

    def all_spans(self) -> list[Span]:
        return [s for spans in self.spans.values() for s in spans]


def extract(doc: Document, home: Home | None = None) -> Extraction:
    ctx = Context.of(doc, home)
    ctx.spans["header"] = list(read_header(ctx))
    for field in FIELDS:
        ctx.spans[field.name] = list(field.extract(ctx))
    ctx.spans["dates"] = list(date_spans(ctx))
    return Extraction(doc, ctx.header, ctx.home, ctx.spans)
