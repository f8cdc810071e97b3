"""Plain text: UTF-8 (with or without BOM), UTF-16, Windows-1258, or a legacy font dump."""
from __future__ import annotations

import codecs

from extractors.builder import DocumentBuilder
from extractors.page_chrome import is_bar_cell, strip_chrome
from extractors.errors import ReadError
from extractors.legacy_fonts import LEGACY_CONVERTERS, detect_legacy_encoding

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown Vietnamese encoding; raise ReadError for binary content."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    utf16 = utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    latin = data.decode("latin-1")
    if detect_legacy_encoding(latin):  # TCVN3/VNI bytes: the builder converts them
        return latin
    return data.decode("cp1258", errors="replace")


# In UTF-16 text without a BOM, the high byte of every ASCII letter is zero: at least
# this share of one byte lane is zero, and almost none of the other.
_UTF16_ZERO_LANE = 0.3
_UTF16_CLEAN_LANE = 0.05


def utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    half = max(1, len(sample) // 2)
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if odd > _UTF16_ZERO_LANE and even < _UTF16_CLEAN_LANE:
        return "utf-16-le"
    if even > _UTF16_ZERO_LANE and odd < _UTF16_CLEAN_LANE:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if not sample or any(sample.startswith(b) for b, _ in _BOMS) or utf16_without_bom(data):
        return False
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > len(sample) // 20


# A table saved as text (a word processor's or a spreadsheet's "save as text") keeps one row a line,
# its cells between tabs. Two-cell lines are the header's and the signature's two-column layout
# ("UBND TỈNH …<tab>CỘNG HÒA …"), not a table: a table has a row of at least this many cells.
MIN_TAB_TABLE_CELLS = 3


def _tab_rows(lines: list[str], start: int) -> list[list[str]] | None:
    """The rows of the tab-separated table starting at ``lines[start]``, or None when none starts there."""
    end = start
    while end < len(lines) and "\t" in lines[end] and lines[end].strip():
        end += 1
    rows = [[cell.strip() for cell in line.split("\t")] for line in lines[start:end]]
    widest = max((sum(1 for c in row if c) for row in rows), default=0)
    return rows if len(rows) >= 2 and widest >= MIN_TAB_TABLE_CELLS else None


def read_txt(data: bytes, path: str, sha256: str):
    text = decode_text(data)
    legacy = detect_legacy_encoding(text)
    if legacy:  # repaired before anything else reads it: the chrome below is recognised in Unicode
        text = LEGACY_CONVERTERS[legacy](text)
    builder = DocumentBuilder()
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        rows = _tab_rows(lines, i)
        if rows:
            builder.add_table(rows)
            i += len(rows)
            continue
        # a page saved as text keeps its chrome; a table's cell between bars is never chrome
        builder.add(lines[i] if is_bar_cell(lines, i) else strip_chrome(lines[i]))
        i += 1
    doc = builder.build(path=path, format="txt", sha256=sha256)
    if legacy:
        doc.warnings.append(f"converted from legacy {legacy.upper()} font encoding")
    if not doc.text.strip():
        raise ReadError("no text in file (only white space)", path, "empty")
    first = doc.blocks[0] if doc.blocks else None
    doc.title = doc.block_text(first)[:300] if first else None
    return doc
