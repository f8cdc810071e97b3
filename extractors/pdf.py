"""PDF: text from pypdfium2 page by page; pdfplumber only for pages with ruling lines (tables), and
for pages whose text holds a borderless table's header row ("STT  Tên mô hình  Đơn vị thực hiện")."""
from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

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


def _may_hold_table(page: pdfium.PdfPage) -> bool:
    """At least ``MIN_PATHS_FOR_TABLE`` path objects at the page's top level.

    Straight C calls, stopping at the threshold: ``get_objects`` builds a Python object for every
    object on the page (hundreds of text objects on a page of prose), which cost more than
    loading the page's text.
    """
    raw = page.raw
    get_object, object_type, path = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDF_PAGEOBJ_PATH
    found = 0
    for index in range(pdfium_c.FPDFPage_CountObjects(raw)):
        if object_type(get_object(raw, index)) == path:
            found += 1
            if found >= MIN_PATHS_FOR_TABLE:
                return True
    return False


class _Plumber:
    """pdfplumber opened once per document, on the first ruled page (it parses the whole file on
    opening: once per ruled page made a 1,000-page PDF take minutes)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pdf = None

    def page(self, index: int):
        if self.pdf is None:
            import pdfplumber  # imported here: only documents with ruled pages pay for it

            # pdfminer logs a warning per odd operator of a damaged page ("Cannot render horizontal
            # string ..."): noise on the user's terminal, not news; the page's PDFium text stands.
            logging.getLogger("pdfminer").setLevel(logging.ERROR)
            self.pdf = pdfplumber.open(io.BytesIO(self.data))
        pages = self.pdf.pages
        return pages[index] if index < len(pages) else None

    def close(self) -> None:
        if self.pdf is not None:
            try:
                self.pdf.close()
            except Exception:  # noqa: BLE001 - closing walks the page tree again: a damaged one fails there too
                self.pdf.stream.close()


def _plumber_page(plumber: _Plumber, index: int, builder: DocumentBuilder) -> bool:
    """Text outside tables, then the tables, for one page. False when it finds no table."""
    page = plumber.page(index)
    if page is None:
        return False  # pdfplumber sees fewer pages than PDFium: the page's PDFium text stands
    try:
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
        rows = [[[c or "" for c in row] for row in table.extract()] for table in tables]
    finally:
        page.close()  # its parsed objects are not needed again
    builder.add(text, page=index + 1)
    for table in rows:
        builder.add_table(table, page=index + 1)
    return True


def _page_text(pdf: pdfium.PdfDocument, index: int) -> tuple[str, bool, bool]:
    """PDFium's text of one page, whether it has enough ruling lines to hold a table, and whether it is a scan."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        has_lines = _may_hold_table(page)
        scan = _is_scanned_page(page, text)
        textpage.close()
    finally:
        page.close()
    return text, has_lines, scan


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


# A table's header row starts with its row-number column: "STT" (số thứ tự) or "TT", then names.
_HEADER_ROW = re.compile(r"^[ \t]*(?:STT|TT)[ \t]+\S+(?:[ \t]+\S+){2,}", re.M)
# Words of one cell are closer than this (points); a wider gap on a header line starts a new column.
CELL_GAP = 9.0
# A vertical gap larger than this many line heights ends a borderless table.
MAX_ROW_GAP_LINES = 2.5


def _lines(words: list[dict]) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) < 3:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _cells(line: list[dict]) -> list[list[dict]]:
    cells: list[list[dict]] = []
    for w in line:
        if cells and w["x0"] - cells[-1][-1]["x1"] < CELL_GAP:
            cells[-1].append(w)
        else:
            cells.append([w])
    return cells


def _borderless_rows(words: list[dict], starts: list[float] | None = None) -> _Borderless | None:
    """Rows of a table drawn without lines, its columns set by its header row; or, given the column
    ``starts`` of a table the page before ended in, the rows that go on at this page's top (a table cut
    by a page break repeats no header; its first line may finish the last row's cells)."""
    lines = _lines(words)
    continued = starts is not None
    if starts is None:
        head = next((i for i, line in enumerate(lines) if line[0]["text"] in ("STT", "TT") and len(_cells(line)) >= 3),
                    None)
        if head is None:
            return None
        starts = [cell[0]["x0"] for cell in _cells(lines[head])]
        rows = [[" ".join(w["text"] for w in cell) for cell in _cells(lines[head])]]
        first, body = lines[head], lines[head + 1:]
    else:
        while lines and len(lines[0]) == 1 and lines[0][0]["text"].isdigit():
            lines = lines[1:]  # the page's number above the table
        if not lines:
            return None
        rows, first, body = [], lines[0], lines
    height = max(1.0, first[0]["bottom"] - first[0]["top"])

    def column(x: float) -> int:
        return max(0, sum(1 for s in starts if x >= s - CELL_GAP / 2) - 1)

    bottom, ended = first[0]["top"] if not rows else first[0]["bottom"], False
    for line in body:
        if rows and line[0]["top"] - bottom > MAX_ROW_GAP_LINES * height:
            break  # a gap: the page's foot below the table, which may go on overleaf
        texts: list[list[str]] = [[] for _ in starts]
        for w in line:
            texts[column(w["x0"])].append(w["text"])
        if texts[0] and texts[0][0].rstrip(".").isdigit() and len(_cells(line)) >= 2:
            rows.append([" ".join(t) for t in texts])
        elif not texts[0]:  # a wrapped cell goes on, the header's too ("Thời gian" / "hoàn thành")
            if rows:
                rows[-1] = [f"{a} {' '.join(t)}".strip() for a, t in zip(rows[-1], texts)]
            else:
                rows.append([" ".join(t) for t in texts])
        else:
            ended = True  # the text after the table
            break
        bottom = max(w["bottom"] for w in line)
    if len(rows) < (1 if continued else 3):
        return None
    return _Borderless(rows, first[0]["top"], bottom, starts, ended)


@dataclass(frozen=True, slots=True)
class _Borderless:
    rows: list[list[str]]
    top: float
    bottom: float
    starts: list[float]  # where each column begins
    ended: bool  # text follows the table on its page: it does not go on overleaf


def _borderless_table_page(plumber: _Plumber, index: int, builder: DocumentBuilder,
                           starts: list[float] | None = None) -> _Borderless | None:
    """Text above, the table, text below, for a page with a borderless table (or, given ``starts``, with the
    rest of one the page before ended in). None when none is found."""
    page = plumber.page(index)  # pdfplumber opened once per document, as for ruled pages
    if page is None:
        return None
    try:
        found = _borderless_rows(page.extract_words(), starts)
        if found is None:
            return None
        above = page.crop((0, 0, page.width, max(0.0, found.top - 1))).extract_text() or ""
        below = page.crop((0, min(page.height, found.bottom + 1), page.width, page.height)).extract_text() or ""
    finally:
        page.close()
    builder.add(above, page=index + 1)
    builder.add_table(found.rows, page=index + 1)
    builder.add(below, page=index + 1)
    return found


def _title(pdf: pdfium.PdfDocument) -> str | None:
    """The Title of the document information, if it can be decoded (damaged files carry broken UTF-16)."""
    try:
        return (pdf.get_metadata_value("Title") or "").strip() or None
    except UnicodeDecodeError:
        return None


def read_pdf(data: bytes, path: str, sha256: str):
    pdf = _open(data, path)
    builder = DocumentBuilder(soft_breaks=True)
    plumber = _Plumber(data)
    chars = unreadable = 0
    scanned: list[int] = []
    warnings: list[str] = []
    try:
        pages = len(pdf)
        if pages > limits.MAX_PDF_PAGES:
            raise ReadError(f"PDF has {pages} pages, over the {limits.MAX_PDF_PAGES} page cap (CCHC_MAX_PDF_PAGES)",
                            path, "too-large")
        carried: list[float] | None = None
        for index in range(pages):
            try:
                text, has_lines, scan = _page_text(pdf, index)
            except pdfium.PdfiumError:
                unreadable += 1  # a page the file declares but does not hold (a lying page count)
                continue
            chars += len(text.strip())
            if scan:
                scanned.append(index)
                if limits.ocr_enabled():
                    continue  # its text comes from OCR
            # the columns of a borderless table the page before ended in: it may run on at this page's top
            continuing, carried = carried, None
            try:
                if has_lines and _plumber_page(plumber, index, builder):
                    continue
                header = _HEADER_ROW.search(text)
                if not has_lines and (header or continuing):
                    found = _borderless_table_page(plumber, index, builder, None if header else continuing)
                    if found:
                        carried = None if found.ended else found.starts
                        continue
            except Exception as exc:  # noqa: BLE001 - pdfminer fails in many ways on damaged pages; PDFium's text stands
                warnings.append(f"tables of page {index + 1} not read ({type(exc).__name__})")
            builder.add(text, page=index + 1)
        title = _title(pdf)
        ocr = _ocr_scanned_pages(pdf, scanned, builder)
    except pdfium.PdfiumError as exc:
        raise ReadError(f"damaged PDF ({exc})", path, "damaged") from None
    finally:
        plumber.close()
        pdf.close()
    if pages == 0:
        raise ReadError("PDF has no pages", path, "empty")
    if unreadable == pages:
        raise ReadError(f"damaged PDF: none of its {pages} pages can be read", path, "damaged")
    if unreadable:
        warnings.append(f"{unreadable} of {pages} pages could not be read")
    if chars + ocr.chars < limits.SCANNED_PDF_CHARS_PER_PAGE * (pages - unreadable):
        if ocr.warnings:
            why = f": {ocr.warnings[0].split(': ', 1)[-1]}"
        else:
            why = ", and OCR found no text" if scanned else " and no page image to OCR"
        raise ReadError(f"scanned PDF with no text layer ({pages} pages){why}", path, "scanned")
    doc = builder.build(path=path, format="pdf", sha256=sha256, title=title, pages=pages)
    ocr.record(doc)
    doc.warnings.extend(warnings)
    return doc
