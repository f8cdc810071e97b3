"""How well scans are read: scans made from born-digital PDFs, OCR'd, and compared with their text layer.

A scan is what a scanner makes of a printed page: here each page of a real PDF rendered by
pypdfium2 to a grey image at 300 dpi, kept as an image-only PDF (and as PNG, JPEG or TIFF
files). The scan is read by the ordinary reader (``extractors.reader``, so the OCR path of
``extractors.pdf`` and ``extractors.image``), and each OCR'd page is compared with the text
layer of the same page of the original:

* character error rate (CER): edit distance over the length of the original, both sides with
  the reader's hygiene and white space collapsed, before (Tesseract's own text) and after
  post-correction;
* the document's own number and date, extracted from the scan and from the original.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from extractors.document import Document
from extractors.text_hygiene import clean_block

SCAN_DPI = 300


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one row of the table at a time in numpy (a page in ~30 ms)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    codes = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    index = np.arange(len(b) + 1, dtype=np.int64)
    previous = index.copy()
    for i, char in enumerate(a, 1):
        cost = (codes != ord(char)).astype(np.int64)
        row = np.empty_like(previous)
        row[0] = i
        np.minimum(previous[1:] + 1, previous[:-1] + cost, out=row[1:])
        # insertions: row[j] = min over k <= j of row[k] + (j - k)
        previous = np.minimum.accumulate(row - index) + index
    return int(previous[-1])


def normalise(text: str) -> str:
    """Text as compared: the reader's hygiene (NFC, soft line breaks joined), table rules ("|") and white
    space collapsed: where a table's cells are read in the same order, the text is the same."""
    return re.sub(r"\s+", " ", clean_block(text, soft_breaks=True).replace("|", " ")).strip()


def cer(hypothesis: str, reference: str) -> float:
    ref = normalise(reference)
    return edit_distance(normalise(hypothesis), ref) / max(1, len(ref))


def render_pages(pdf_path: Path, dpi: int = SCAN_DPI, pages: list[int] | None = None) -> list[Image.Image]:
    """The pages (1-based; all by default) of a PDF as grey images: the scan of a printout."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        numbers = pages or list(range(1, len(pdf) + 1))
        return [pdf[n - 1].render(scale=dpi / 72, grayscale=True).to_pil() for n in numbers]
    finally:
        pdf.close()


def save_scan(images: list[Image.Image], path: Path, dpi: int = SCAN_DPI) -> Path:
    """Images as a scan file: an image-only PDF, a PNG, a JPEG or a (multi-page) TIFF, by suffix."""
    suffix = path.suffix.lower()
    options: dict = {"dpi": (dpi, dpi)}
    if suffix == ".pdf":
        options = {"resolution": float(dpi)}
    elif suffix in (".jpg", ".jpeg"):
        options["quality"] = 85  # what scanners' default JPEG settings give
    elif suffix in (".tif", ".tiff"):
        options["compression"] = "tiff_lzw"
    if len(images) > 1 and suffix in (".pdf", ".tif", ".tiff"):
        options.update(save_all=True, append_images=images[1:])
    images[0].save(path, **options)
    return path


def text_layer(pdf_path: Path) -> dict[int, str]:
    """The born-digital text of each page (1-based)."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        out = {}
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            out[index + 1] = textpage.get_text_range()
            textpage.close()
            page.close()
        return out
    finally:
        pdf.close()


def page_text(doc: Document, page: int) -> str:
    return "\n".join(doc.block_text(b) for b in doc.blocks if b.page == page)


@dataclass
class ScanResult:
    name: str
    pages: int
    seconds: float  # reading the scan (render + OCR + hygiene)
    chars: int  # characters of the reference
    errors_before: int
    errors_after: int
    number: tuple[str | None, str | None] = (None, None)  # (original, scan)
    date: tuple[str | None, str | None] = (None, None)
    quality: tuple[float | None, float | None] = (None, None)  # text quality (original, scan)
    ocr_confidence: float | None = None
    corrections: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def cer_before(self) -> float:
        return self.errors_before / max(1, self.chars)

    @property
    def cer_after(self) -> float:
        return self.errors_after / max(1, self.chars)


def measure(pdf_path: Path, workdir: Path, pages: list[int] | None = None, suffix: str = ".pdf") -> ScanResult:
    """Scan ``pdf_path`` (the given pages), read the scan, and compare with the original."""
    from extractors.reader import read_document
    from nlp.extract import extract

    images = render_pages(pdf_path, pages=pages)
    scan = save_scan(images, workdir / f"{pdf_path.stem}.scan{suffix}")
    for image in images:
        image.close()
    started = time.perf_counter()
    doc = read_document(scan)
    seconds = time.perf_counter() - started
    original = read_document(pdf_path)
    reference = text_layer(pdf_path)
    numbers = pages or sorted(reference)
    raw = doc.metadata.get("ocr", {}).get("raw_text", {})
    chars = before = after = 0
    for position, page in enumerate(numbers, 1):
        ref = normalise(reference[page])
        chars += len(ref)
        before += edit_distance(normalise(raw.get(position, "")), ref)
        after += edit_distance(normalise(page_text(doc, position)), ref)
    born, scanned = extract(original).header, extract(doc).header
    return ScanResult(pdf_path.name, len(numbers), round(seconds, 2), chars, before, after,
                      (born.get("number"), scanned.get("number")), (born.get("date"), scanned.get("date")),
                      (original.text_quality, doc.text_quality), doc.ocr_confidence,
                      doc.metadata.get("ocr", {}).get("corrections", 0), doc.warnings)
