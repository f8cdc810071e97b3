"""Assemble a Document from a reader's raw blocks, so every format normalises the same way."""
from __future__ import annotations

from dataclasses import dataclass, field

from extractors.document import Block, Cell, Document, Table
from extractors.text_hygiene import clean_block
from extractors.legacy_fonts import LEGACY_SAMPLE_CHARS, detect_legacy_encoding
from extractors.vietnamese import syllable_share

# Cells of one table row are joined with this in the text, so a row reads as a line.
CELL_SEPARATOR = " | "


@dataclass(slots=True)
class RawBlock:
    text: str
    kind: str = "paragraph"
    page: int | None = None


@dataclass(slots=True)
class RawTable:
    rows: list[list[str]]
    page: int | None = None


@dataclass(slots=True)
class DocumentBuilder:
    """Collects blocks and tables in reading order, then normalises and lays out the text once."""

    soft_breaks: bool = False  # join in-sentence line breaks (PDF text layers)
    items: list[RawBlock | RawTable] = field(default_factory=list)

    def add(self, text: str, kind: str = "paragraph", page: int | None = None) -> None:
        if text and text.strip():
            self.items.append(RawBlock(text, kind, page))

    def add_table(self, rows: list[list[str]], page: int | None = None) -> None:
        rows = [[c or "" for c in row] for row in rows if any((c or "").strip() for c in row)]
        if rows:
            self.items.append(RawTable(rows, page))

    def order_by_page(self) -> None:
        """Put blocks added out of order (OCR'd pages, read after the text layer) in page order."""
        self.items.sort(key=lambda item: item.page or 0)

    def _raw_sample(self) -> str:
        """The first blocks' raw text, enough for ``detect_legacy_encoding`` (it reads ``LEGACY_SAMPLE_CHARS``)."""
        parts: list[str] = []
        size = 0
        for item in self.items:
            parts.append(item.text if isinstance(item, RawBlock) else " ".join(c for r in item.rows for c in r))
            size += len(parts[-1]) + 1
            if size >= LEGACY_SAMPLE_CHARS:
                break
        return "\n".join(parts)

    def build(self, *, path: str, format: str, sha256: str, **extra) -> Document:
        legacy = detect_legacy_encoding(self._raw_sample())
        pieces: list[str] = []
        pos = 0
        blocks: list[Block] = []
        tables: list[Table] = []

        def emit(text: str) -> tuple[int, int]:
            nonlocal pos
            if pieces:
                pieces.append("\n")
                pos += 1
            start = pos
            pieces.append(text)
            pos += len(text)
            return start, pos

        for item in self.items:
            if isinstance(item, RawBlock):
                text = clean_block(item.text, legacy, self.soft_breaks)
                if text:
                    start, end = emit(text)
                    blocks.append(Block(start, end, item.kind, item.page))
                continue
            rows: list[list[Cell]] = []
            for raw_row in item.rows:
                cells_text = [clean_block(c, legacy).replace("\n", " ") for c in raw_row]
                line = CELL_SEPARATOR.join(cells_text)
                start, end = emit(line)
                blocks.append(Block(start, end, "table", item.page))
                row: list[Cell] = []
                offset = start
                for ct in cells_text:
                    row.append(Cell(ct, offset, offset + len(ct)))
                    offset += len(ct) + len(CELL_SEPARATOR)
                rows.append(row)
            tables.append(Table(rows, item.page))
        doc = Document(path=path, format=format, sha256=sha256, text="".join(pieces),
                       blocks=blocks, tables=tables, **extra)
        doc.text_quality = syllable_share(doc.text)
        if legacy:
            doc.warnings.append(f"converted from legacy {legacy.upper()} font encoding")
        return doc
