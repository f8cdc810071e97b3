"""DOCX: paragraphs and tables in body order, then footnotes, headers and footers; zip checked first.

Footnotes (``word/footnotes.xml``) often carry the numbers of the documents a text cites and the
units that drafted them; each becomes a ``footnote`` block after the body, so its offsets index the
same text as the body's.
"""
from __future__ import annotations

import io
import zipfile

import docx
from lxml import etree
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from extractors import limits
from extractors.builder import DocumentBuilder
from extractors.errors import ReadError


def check_docx_archive(data: bytes, path: str) -> None:
    """Refuse what is not a DOCX, what would inflate past the cap, and unsafe member names."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReadError(f"not a DOCX: not a zip archive ({exc})", path, "not-docx") from None
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        for info in infos:
            name = info.filename.replace("\\", "/")
            if name.startswith("/") or ".." in name.split("/"):
                raise ReadError(f"unsafe member name in DOCX archive: {info.filename!r}", path, "unsafe-zip")
        total = sum(i.file_size for i in infos)
        if total > limits.MAX_DOCX_UNCOMPRESSED_BYTES:
            raise ReadError(f"DOCX would inflate to {total // 2**20} MB, over the "
                            f"{limits.MAX_DOCX_UNCOMPRESSED_BYTES // 2**20} MB cap (zip bomb?)", path, "zip-bomb")
        if "word/document.xml" not in names:
            raise ReadError("zip archive is not a DOCX (no word/document.xml)", path, "not-docx")


def _table_rows(table: DocxTable) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:  # a merged cell is returned once per grid column
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(p.text for p in cell.paragraphs))
        rows.append(cells)
    return rows


def _body_items(document: DocxDocument):
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield DocxTable(child, document)


_SEPARATOR_TYPES = {"separator", "continuationSeparator", "continuationNotice"}


def _footnotes(document: DocxDocument) -> list[str]:
    """The text of each footnote, in the order of its id (the separators Word keeps there are left out)."""
    part = next((rel.target_part for rel in document.part.rels.values()
                 if rel.reltype.endswith("/footnotes") and not rel.is_external), None)
    if part is None:
        return []
    root = etree.fromstring(part.blob)
    notes: list[str] = []
    for note in root.iterchildren(qn("w:footnote")):
        if note.get(qn("w:type")) in _SEPARATOR_TYPES:
            continue
        paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in note.iter(qn("w:p"))]
        text = "\n".join(p for p in paragraphs if p.strip())
        if text.strip():
            notes.append(text)
    return notes


def read_docx(data: bytes, path: str, sha256: str):
    check_docx_archive(data, path)
    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ReadError(f"DOCX is damaged: {exc}", path, "damaged") from None
    except Exception as exc:  # lxml.etree.XMLSyntaxError and friends: python-docx has no common base
        raise ReadError(f"DOCX is damaged: {type(exc).__name__}: {exc}", path, "damaged") from None
    builder = DocumentBuilder()
    for section in document.sections[:1]:
        for p in section.header.paragraphs:
            builder.add(p.text, "header")
    for item in _body_items(document):
        if isinstance(item, Paragraph):
            builder.add(item.text)
        else:
            builder.add_table(_table_rows(item))
    for note in _footnotes(document):
        builder.add(note, "footnote")
    for section in document.sections[:1]:
        for p in section.footer.paragraphs:
            builder.add(p.text, "footer")
    props = document.core_properties
    doc = builder.build(path=path, format="docx", sha256=sha256, title=props.title or None)
    if not doc.text.strip():
        raise ReadError("DOCX has no text", path, "empty")
    if not doc.title:
        first = next((b for b in doc.blocks if b.kind == "paragraph"), None)
        doc.title = doc.block_text(first)[:300] if first else None
    return doc
