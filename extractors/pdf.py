"""PDF: text from pypdfium2 page by page; pdfplumber only for pages with ruling lines (tables)."""
from __future__ import annotations

import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors import limits
from extractors.builder import DocumentBuilder
from extractors.errors import ReadError
from extractors.ocr import OcrRun, ocr_pages, render_scale

# A page with at least this many path objects (lines, rectangles) may hold a
# ruled table; text-only pages have none or a few (underlines, a header rule).
MIN_PATHS_FOR_TABLE = 8


def _open(data: bytes, path: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ReadError("encrypted PDF (password required)", path, "encrypted") from None
        raise ReadError(f"damaged or truncated PDF ({message})", path, "damaged") from None


def _path_count(page: pdfium.PdfPage) -> int:
    return sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1))


def _plumber_page(data: bytes, index: int, builder: DocumentBuilder) -> bool:
    """Text outside tables, then the tables, for one page. False when it finds no table."""
    import pdfplumber  # imported here: only pages with ruling lines pay for it

    with pdfplumber.open(io.BytesIO(data), pages=[index + 1]) as pdf:
        page = pdf.pages[0]
        tables = page.find_tables()
        if not tables:
            return False
        boxes = [t.bbox for t in tables]

        def outside(obj) -> bool:
            if obj.get("object_type") != "char":
                return True
            x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2  # a char's centre
            return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

        text = page.filter(outside).extract_text() or ""
        builder.add(text, page=index + 1)
        for table in tables:
            builder.add_table([[c or "" for c in row] for row in table.extract()], page=index + 1)
        return True


def _is_scanned_page(page: pdfium.PdfPage, text: str) -> bool:
    """A page with no text layer to speak of but an image: a scan, for OCR."""
    if len(text.strip()) >= limits.SCANNED_PDF_CHARS_PER_PAGE:
        return False
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _ocr_scanned_pages(pdf: pdfium.PdfDocument, scanned: list[int], builder: DocumentBuilder) -> OcrRun:
    """OCR the pages that are scans (0-based ``scanned``), rendered at 300 dpi in grey, into the builder."""

    def render(number: int):
        page = pdf[number - 1]
        try:
            width, height = page.get_size()
            bitmap = page.render(scale=render_scale(width, height), grayscale=True)
            image = bitmap.to_pil().copy()  # owns its pixels: the bitmap is freed below
            bitmap.close()
        finally:
            page.close()
        return image, limits.OCR_DPI

    run = ocr_pages([i + 1 for i in scanned], render)
    run.add_to(builder)
    builder.order_by_page()
    return run


def read_pdf(data: bytes, path: str, sha256: str):
    pdf = _open(data, path)
    builder = DocumentBuilder(soft_breaks=True)
    chars = 0
    scanned: list[int] = []
    try:
        pages = len(pdf)
        for index in range(pages):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            chars += len(text.strip())
            has_lines = _path_count(page) >= MIN_PATHS_FOR_TABLE
            if _is_scanned_page(page, text):
                scanned.append(index)
            textpage.close()
            page.close()
            if scanned and scanned[-1] == index and limits.ocr_enabled():
                continue  # its text comes from OCR
            if has_lines and _plumber_page(data, index, builder):
                continue
            builder.add(text, page=index + 1)
        title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
        ocr = _ocr_scanned_pages(pdf, scanned, builder)
    finally:
        pdf.close()
    if pages == 0:
        raise ReadError("PDF has no pages", path, "empty")
    if chars + ocr.chars < limits.SCANNED_PDF_CHARS_PER_PAGE * pages:
        if ocr.warnings:
            why = f": {ocr.warnings[0].split(': ', 1)[-1]}"
        else:
            why = ", and OCR found no text" if scanned else " and no page image to OCR"
        raise ReadError(f"scanned PDF with no text layer ({pages} pages){why}", path, "scanned")
    doc = builder.build(path=path, format="pdf", sha256=sha256, title=title, pages=pages)
    ocr.record(doc)
    return doc
