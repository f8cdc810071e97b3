"""OCR of pages without a text layer: Tesseract 5 and its Vietnamese model, through pytesseract.

Scanned PDF pages are rendered by pypdfium2 (the PDF library every other page goes
through) at 300 dpi in grey; images (PNG, JPEG, TIFF) are read by Pillow. Each page is one
``tesseract`` run (``-l vie --psm 3``, single-threaded), up to ``limits.OCR_JOBS`` at once,
each with its own timeout; the words come back with their confidences, the page text
goes through ``extractors.ocr_correct`` (tone marks, number codes) and then, like every
reader's text, through the ``DocumentBuilder`` (NFC, the hygiene of ``text_hygiene``).

Why pytesseract on pages rendered by pypdfium2 rather than OCRmyPDF, both measured here on
the same image-only PDFs made from corpus PDFs at 300 dpi (Tesseract 5.3.0 ``vie``, 2 cores):

* Same recognizer, same text: the character error rate was identical (1.71% on the four
  pages of an-le-28-2019), as it must be, since OCRmyPDF runs the same Tesseract.
* pytesseract was twice as fast: 8.9 s against 16.8 s for the 8 pages of the Lâm Đồng report
  (9.7 s against 12.4 s for 4 pages), since OCRmyPDF also rasterises on its own, writes a new
  PDF with a text layer (which we would then have to read again) and starts its worker pool.
* One Tesseract call gives the words with their confidences (TSV), which are this module's
  quality signal; OCRmyPDF's sidecar text has no confidences.
* Mixed PDFs: the reader already knows which pages have no text layer (pypdfium2), so only
  those are rendered; OCRmyPDF's ``--skip-text`` would parse the file again to find them.
* Dependencies: pytesseract needs only Pillow and packaging (already locked); OCRmyPDF
  brings pikepdf, img2pdf, pluggy and more.
* Limits: pytesseract runs one ``tesseract`` process per page and kills it (terminate, then
  kill) when the page's timeout runs out; Tesseract does its work in that one process, so
  nothing of it is left behind. It runs in the caller's process group, so a per-document
  guard that kills a worker's group takes its Tesseracts with it.
"""
from __future__ import annotations

import os
import shutil
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

import numpy as np
from PIL import Image

from extractors import limits
from extractors.ocr_layout import Item, Word, find_grids, lay_out

LANGUAGE = "vie"
# psm 3: Tesseract finds the blocks and columns of the page itself (official letters have a
# two-column header: issuer left, "CỘNG HÒA ..." right).
TESSERACT_CONFIG = "--psm 3"
# Pages rendered ahead of Tesseract per job: keeps every core busy without holding a whole
# scan in memory (a 300 dpi A4 page in grey is 8.7 MB).
RENDER_AHEAD_PER_JOB = 2


class OcrUnavailable(RuntimeError):
    """Tesseract or its Vietnamese model is not installed."""


@dataclass(slots=True)
class OcrPage:
    page: int  # 1-based page (or frame) number
    items: list[Item]  # text runs and tables (rows of cells) in reading order, post-corrected
    raw_text: str  # the same as Tesseract read it, before post-correction
    word_confidence: float | None  # mean of Tesseract's word confidences, 0-1; None without words
    words: int = 0
    corrections: int = 0
    error: str | None = None  # why the page could not be read (timeout)

    @property
    def text(self) -> str:
        return _as_text(self.items)


@lru_cache(maxsize=1)
def tesseract_version() -> str:
    """"tesseract 5.3.0 vie", or OcrUnavailable with what to install."""
    import pytesseract

    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise OcrUnavailable("Tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-vie)")
    if LANGUAGE not in pytesseract.get_languages(config=""):
        raise OcrUnavailable("Tesseract has no Vietnamese model (Debian: tesseract-ocr-vie)")
    return f"tesseract {pytesseract.get_tesseract_version()} {LANGUAGE}"


def _words(data: dict) -> list[Word]:
    """Tesseract's TSV (as pytesseract's dict) as words with their boxes and confidences."""
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if text:
            words.append(Word(text, float(data["conf"][i]) / 100, int(data["left"][i]), int(data["top"][i]),
                              int(data["width"][i]), int(data["height"][i]),
                              (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))))
    return words


def _as_text(items: list[Item]) -> str:
    """A page's items as one text: lines as they are, table rows with their cells joined by " | "."""
    return "\n".join(item if isinstance(item, str) else "\n".join(" | ".join(row) for row in item)
                     for item in items)


def _corrected(items: list[Item]) -> tuple[list[Item], int]:
    from extractors.ocr_correct import correct

    out: list[Item] = []
    changes = 0
    for item in items:
        if isinstance(item, str):
            text, n = correct(item)
            out.append(text)
            changes += n
            continue
        rows = []
        for row in item:
            cells = []
            for cell in row:
                text, n = correct(cell)
                cells.append(text)
                changes += n
            rows.append(cells)
        out.append(rows)
    return out, changes


def ocr_image(image: Image.Image, page: int, dpi: int | None = None) -> OcrPage:
    """One page through Tesseract, its text post-corrected. A page that times out comes back
    empty with ``error`` set; its Tesseract process has been killed."""
    import pytesseract

    tesseract_version()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per page; pages run side by side
    if image.mode not in ("L", "RGB"):
        image = image.convert("L")
    image.format = "PPM"  # handed to Tesseract uncompressed: PNG encoding cost 0.12 s a page
    config = TESSERACT_CONFIG + (f" --dpi {dpi}" if dpi else "")
    try:
        data = pytesseract.image_to_data(image, lang=LANGUAGE, config=config,
                                         timeout=limits.OCR_PAGE_TIMEOUT_SECONDS,
                                         output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError as exc:
        reason = " ".join(str(exc.message).split())[:200]
        return OcrPage(page, [], "", None, error=f"page {page}: Tesseract failed ({reason})")
    except RuntimeError as exc:  # pytesseract's timeout, after it killed the process
        if "timeout" not in str(exc).lower():
            raise
        return OcrPage(page, [], "", None,
                       error=f"page {page}: OCR stopped after {limits.OCR_PAGE_TIMEOUT_SECONDS} s")
    words = _words(data)
    raw_items = lay_out(words, find_grids(np.asarray(image.convert("L")), dpi or limits.OCR_DPI))
    items, corrections = _corrected(raw_items)
    confidences = [w.confidence for w in words if w.confidence >= 0]
    mean = round(sum(confidences) / len(confidences), 4) if confidences else None
    return OcrPage(page, items, _as_text(raw_items), mean, len(confidences), corrections)


def ocr_many(pages: Iterable[int], render: Callable[[int], tuple[Image.Image, int | None]],
             jobs: int | None = None) -> list[OcrPage]:
    """OCR the given pages, ``render(page) -> (image, dpi)`` called in this thread (renderers
    such as PDFium are not thread-safe), Tesseract runs ``jobs`` at a time. In page order."""
    jobs = max(1, jobs or limits.OCR_JOBS)
    slots = threading.Semaphore(jobs * RENDER_AHEAD_PER_JOB)
    futures: list[Future[OcrPage]] = []

    def run(image: Image.Image, page: int, dpi: int | None) -> OcrPage:
        try:
            return ocr_image(image, page, dpi)
        finally:
            image.close()
            slots.release()

    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="ocr") as pool:
        for page in pages:
            slots.acquire()
            try:
                image, dpi = render(page)
            except BaseException:
                slots.release()
                raise
            futures.append(pool.submit(run, image, page, dpi))
        return [f.result() for f in futures]


def render_scale(width_pt: float, height_pt: float) -> float:
    """PDFium's scale for a page: 300 dpi, smaller for a page that would exceed the pixel cap."""
    scale = limits.OCR_DPI / 72
    pixels = width_pt * height_pt * scale * scale
    if pixels > limits.OCR_MAX_PIXELS:
        scale *= (limits.OCR_MAX_PIXELS / pixels) ** 0.5
    return scale


@dataclass(slots=True)
class OcrRun:
    """The OCR of one document's pages without a text layer, and what could not be read."""

    pages: list[OcrPage]
    warnings: list[str]

    @property
    def read(self) -> list[int]:
        return [p.page for p in self.pages if p.text.strip()]

    @property
    def chars(self) -> int:
        return sum(len(p.text.strip()) for p in self.pages)

    @property
    def confidence(self) -> float | None:
        """Mean word confidence over all OCR'd words (pages weighted by their words)."""
        words = sum(p.words for p in self.pages if p.word_confidence is not None)
        if not words:
            return None
        return round(sum(p.word_confidence * p.words for p in self.pages if p.word_confidence is not None) / words, 4)

    def add_to(self, builder) -> None:
        for p in self.pages:
            for item in p.items:
                if isinstance(item, str):
                    builder.add(item, page=p.page)
                else:
                    builder.add_table(item, page=p.page)

    def record(self, doc) -> None:
        """Tell the document which pages were OCR'd, how confident Tesseract was, and what was left;
        its metadata keeps Tesseract's own text of each page (before post-correction) for measurement."""
        doc.ocr_pages = self.read
        doc.ocr_confidence = self.confidence
        doc.warnings.extend(self.warnings)
        if self.pages:
            doc.metadata["ocr"] = {"engine": tesseract_version(), "corrections": sum(p.corrections for p in self.pages),
                                   "raw_text": {p.page: p.raw_text for p in self.pages}}


def _ranges(pages: list[int]) -> str:
    """[3, 4, 5, 9] -> "3-5, 9"."""
    out: list[str] = []
    for page in pages:
        if out and out[-1].split("-")[-1] == str(page - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{page}"
        else:
            out.append(str(page))
    return ", ".join(out)


def _label(unit: str, pages: list[int]) -> tuple[str, bool]:
    """("page 2", True), ("pages 2-4", False): what a warning is about, and whether it is one."""
    one = len(pages) == 1
    return f"{unit}{'' if one else 's'} {_ranges(pages)}", one


def ocr_pages(pages: list[int], render: Callable[[int], tuple[Image.Image, int | None]], unit: str = "page") -> OcrRun:
    """OCR the listed pages (1-based) of one document within the limits: OCR switched off, the
    page cap, Tesseract missing and per-page timeouts all become warnings, never lost silently."""
    if not pages:
        return OcrRun([], [])
    label, one = _label(unit, pages)
    unread = f"{label} {'has' if one else 'have'} no text layer and {'was' if one else 'were'} not read"
    if not limits.ocr_enabled():
        return OcrRun([], [f"{unread}: OCR is off"])
    try:
        tesseract_version()
    except OcrUnavailable as exc:
        return OcrRun([], [f"{unread}: {exc}"])
    todo, over = pages[:limits.OCR_MAX_PAGES], pages[limits.OCR_MAX_PAGES:]
    warnings = []
    if over:
        label, one = _label(unit, over)
        warnings.append(f"{label} {'was' if one else 'were'} not OCR'd: over the cap of {limits.OCR_MAX_PAGES} "
                        f"pages (CCHC_OCR_MAX_PAGES)")
    done = ocr_many(todo, render)
    warnings.extend(p.error for p in done if p.error)
    return OcrRun(done, warnings)
