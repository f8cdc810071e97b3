"""Limits of the readers, with their reasons. Each can be overridden by an environment variable."""
from __future__ import annotations

import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value and value.isdigit() else default


def env_positive_float(name: str, default: float) -> float:
    """A positive number from the environment variable ``name``; ``default`` when it is unset or not one."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


# Larger files are refused before reading: the biggest real official PDF we have
# seen is a few MB; 100 MB leaves room for scanned annexes without letting one
# file exhaust memory in a batch.
MAX_FILE_BYTES = _env_int("CCHC_MAX_FILE_BYTES", 100 * 1024 * 1024)
# A DOCX whose members would inflate past this is treated as a zip bomb. Real
# DOCX text parts are under a few MB; images make up the rest.
MAX_DOCX_UNCOMPRESSED_BYTES = _env_int("CCHC_MAX_DOCX_UNCOMPRESSED_BYTES", 300 * 1024 * 1024)
# The XML of a DOCX's text (word/document.xml) over this is refused before it is parsed: python-docx
# builds an lxml tree that needs ~15x the XML in memory (a 300 MB part took 4.5 GB and 161 s). Real
# document.xml parts are under 5 MB; a 1,000-page contract with tables is ~30 MB.
MAX_DOCX_XML_BYTES = _env_int("CCHC_MAX_DOCX_XML_BYTES", 64 * 1024 * 1024)
# LibreOffice converts a typical .doc in 1-5 s here; two minutes means it hangs.
SOFFICE_TIMEOUT_SECONDS = env_positive_float("CCHC_SOFFICE_TIMEOUT", 120.0)
# A PDF with more pages than this is refused before its pages are read: the longest real official
# PDFs (a gazette issue, a code with annexes) have a few hundred pages; 2,000 text pages take ~1 minute.
MAX_PDF_PAGES = _env_int("CCHC_MAX_PDF_PAGES", 2000)
# Below this many characters per page on every page, a PDF has no text layer.
SCANNED_PDF_CHARS_PER_PAGE = 20
# An HTML page over this is not an article (the largest real portal pages are ~1 MB);
# trafilatura's tree would need gigabytes for it.
MAX_HTML_BYTES = _env_int("CCHC_MAX_HTML_BYTES", 20 * 1024 * 1024)
# A text file over this, or a text read out of any file over this (in UTF-8), is refused: the
# longest official texts (a code of law with its annexes) are 1-2 MB of text, so 10 MB is a shelf
# of them glued together. Extraction time grows faster than the text in some field rules
# (docs/benchmarks.md, "Size"): at this cap one document still extracts in well under a minute.
MAX_TEXT_BYTES = _env_int("CCHC_MAX_TEXT_BYTES", 10 * 1024 * 1024)
# An HTML page with more elements than this is not an article: real portal pages have a few
# thousand; trafilatura and BeautifulSoup spend ~0.1 ms per element, so a 20 MB page of bare tags
# would take ten minutes to refuse the slow way.
MAX_HTML_ELEMENTS = _env_int("CCHC_MAX_HTML_ELEMENTS", 100_000)

# --- OCR of pages without a text layer (extractors.ocr) ---------------------------------


def ocr_enabled() -> bool:
    """OCR is on unless CCHC_OCR is 0/off/no/false (``--no-ocr`` sets it). Read at each call,
    so a flag set after import, and worker processes started later, both see it."""
    return os.environ.get("CCHC_OCR", "1").strip().lower() not in ("0", "off", "no", "false")


# Pages OCR'd per document. A page takes 1.5-11 s of one core here (11 s on a busy one), so
# 60 pages is at most ~5 minutes on two cores; a longer scan is a bundle of annexes whose
# first pages (number, date, subject) are read, the rest reported in the warnings.
OCR_MAX_PAGES = _env_int("CCHC_OCR_MAX_PAGES", 60)
# One page that takes this long has hung Tesseract (a page of normal print takes 1.5-11 s);
# its process is killed and the page is reported unread.
OCR_PAGE_TIMEOUT_SECONDS = _env_int("CCHC_OCR_PAGE_TIMEOUT", 90)
# Tesseract processes at once for one document: one per core (each runs single-threaded;
# its OpenMP threads on 2 cores made a page 5x slower, measured).
OCR_JOBS = _env_int("CCHC_OCR_JOBS", os.cpu_count() or 1)
# Pages are rendered at 300 dpi, the resolution Tesseract's models are trained for; a page
# larger than this many pixels at 300 dpi (a poster, an A0 plan) is rendered smaller to fit,
# so one page never needs more than ~100 MB of image memory.
OCR_DPI = 300
OCR_MAX_PIXELS = _env_int("CCHC_OCR_MAX_PIXELS", 100_000_000)
