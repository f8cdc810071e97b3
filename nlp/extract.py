"""Run every field extractor over a Document, in the order their inputs need."""
from __future__ import annotations

from dataclasses import dataclass, replace

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

# A field read from an OCR'd page is never above this confidence, so that it goes to review
# (threshold 0.75 by default): Tesseract's errors fall on digits and tone marks, exactly what
# numbers, dates and names are made of, and on the measured scans the number or date of a
# document came out wrong often enough (see README, "Scanned documents") that a person should
# check each against the scan. 0.7, not lower: the order of confidences within a scan is kept.
OCR_CONFIDENCE_CAP = 0.7


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
    if doc.ocr_pages:
        ctx.spans = {name: _capped_on_ocr_pages(doc, spans) for name, spans in ctx.spans.items()}
    return Extraction(doc, ctx.header, ctx.home, ctx.spans)


def _capped_on_ocr_pages(doc: Document, spans: list[Span]) -> list[Span]:
    """Spans that touch text of an OCR'd page, their confidence capped at ``OCR_CONFIDENCE_CAP``."""
    ocr = set(doc.ocr_pages)
    ranges = [(b.start, b.end) for b in doc.blocks if b.page in ocr]

    def on_ocr_page(span: Span) -> bool:
        return any(span.start < end and start < span.end for start, end in ranges)

    return [replace(s, confidence=min(s.confidence, OCR_CONFIDENCE_CAP)) if on_ocr_page(s) else s for s in spans]
