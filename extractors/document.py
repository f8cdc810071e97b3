"""What every reader returns: a ``Document`` (NFC text) with its blocks and tables."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Block:
    """A paragraph, heading, line of a header or a rendered table row, in reading order."""

    start: int
    end: int
    kind: str = "paragraph"  # paragraph | table | header | footer | title
    page: int | None = None


@dataclass(slots=True)
class Cell:
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]]
    page: int | None = None


@dataclass(slots=True)
class Document:
    """What every reader returns: NFC text plus the structure found around it."""

    path: str
    format: str  # txt | html | docx | pdf | doc | png | jpeg | tiff
    sha256: str
    text: str
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    title: str | None = None
    published: str | None = None  # ISO date from page metadata, news pages only
    pages: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Pages (1-based; frames of an image) whose text was read by OCR, not from a text layer.
    ocr_pages: list[int] = field(default_factory=list)
    # Share of the text's words that are Vietnamese syllables (extractors.vietnamese), every document.
    text_quality: float | None = None
    # Mean of Tesseract's word confidences (0-1) over the OCR'd pages; None when none was OCR'd.
    ocr_confidence: float | None = None

    def block_text(self, block: Block) -> str:
        return self.text[block.start:block.end]
