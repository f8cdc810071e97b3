"""Run every field extractor over a Document, in the order their inputs need."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from extractors.document import Document
from extractors.txt import read_txt
from nlp.span import Span

from .base import Context, Home
from .confidence import calibrate
from .dates_roles import date_spans
from .deadlines import Deadlines
from .header import read_header
from .initiatives import Initiatives
from .numbers import References
from .units import Units

# Bumped whenever a rule changes what is extracted: the catalogue re-runs
# extraction for documents catalogued by an older version.
EXTRACTOR_VERSION = "2026.11.30.10"

FIELDS = (Units(), References(), Deadlines(), Initiatives())

# A field read from an OCR'd page has its confidence multiplied by this, so that it is never
# above 0.7 and goes to review (threshold 0.75 by default): Tesseract's errors fall on digits, hyphens and tone marks, exactly
# what numbers, dates and names are made of. On the scans of the corpus PDFs (CER 1.2% after
# post-correction, docs/benchmarks.md) the own numbers and dates came out right, but cited
# numbers did not always ("113/PY-TgT" read "13/PY-TEgT", "714/QĐ-PY" read "714/QĐPY"), and
# nothing in the text tells which: a person checks each against the scan. A factor, not a cap:
# the order of confidences within a scan is kept for whoever sorts the queue.
OCR_CONFIDENCE_FACTOR = 0.7


@dataclass(slots=True)
class Extraction:
    doc: Document
    header: dict
    home: Home
    spans: dict[str, list[Span]]

    def all_spans(self) -> list[Span]:
        return [s for spans in self.spans.values() for s in spans]


def extract(doc: Document, home: Home | None = None, calibrated: bool = True) -> Extraction:
    """All fields of ``doc``; ``calibrated=False`` keeps the rules' own confidences (to fit the model)."""
    ctx = Context.of(doc, home)
    ctx.spans["header"] = list(read_header(ctx))
    for field in FIELDS:
        ctx.spans[field.name] = list(field.extract(ctx))
    if calibrated:
        calibrate(ctx.spans)
    ctx.spans["dates"] = list(date_spans(ctx))
    if doc.ocr_pages:
        ctx.spans = {name: _lowered_on_ocr_pages(doc, spans) for name, spans in ctx.spans.items()}
    return Extraction(doc, ctx.header, ctx.home, ctx.spans)


def _lowered_on_ocr_pages(doc: Document, spans: list[Span]) -> list[Span]:
    """Spans that touch text of an OCR'd page, their confidence times ``OCR_CONFIDENCE_FACTOR``."""
    ocr = set(doc.ocr_pages)
    ranges = [(b.start, b.end) for b in doc.blocks if b.page in ocr]

    def on_ocr_page(span: Span) -> bool:
        return any(span.start < end and start < span.end for start, end in ranges)

    return [replace(s, confidence=round(s.confidence * OCR_CONFIDENCE_FACTOR, 3)) if on_ocr_page(s) else s
            for s in spans]


# A short plan that takes every extractor through its vocabularies, grammars and models.
WARM_UP_SAMPLE = Path(__file__).parent / "data" / "warm-up.txt"


@lru_cache(maxsize=1)
def warm_up() -> None:
    """Load what extraction loads on first use (~0.5 s), once per process, by extracting a sample. A
    parent calls it before it forks extraction workers: they share what it loaded (copy-on-write)
    instead of each loading its own, and a worker's memory limit is spent on its document."""
    data = WARM_UP_SAMPLE.read_bytes()  # read as text directly: the settings' caps on files are not for it
    extract(read_txt(data, WARM_UP_SAMPLE.name, hashlib.sha256(data).hexdigest()))
