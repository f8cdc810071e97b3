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
        for info in infos:  # python-docx parses every XML part when it opens the file
            if info.filename.endswith((".xml", ".rels")) and info.file_size > limits.MAX_DOCX_XML_BYTES:
                raise ReadError(f"DOCX part {info.filename} is {info.file_size // 2**20} MB of XML, over the "
                                f"{limits.MAX_DOCX_XML_BYTES // 2**20} MB cap (CCHC_MAX_DOCX_XML_BYTES)", path, "too-large")
        total = sum(i.file_size for i in infos)
        if total > limits.MAX_DOCX_UNCOMPRESSED_BYTES:
            raise ReadError(f"DOCX would inflate to {total // 2**20} MB, over the "
                            f"{limits.MAX_DOCX_UNCOMPRESSED_BYTES // 2**20} MB cap (zip bomb?)", path, "zip-bomb")
        if "word/document.xml" not in names:
            raise ReadError("zip archive is not a DOCX (no word/document.xml)", path, "not-docx")


def _cell_text(tc, parent) -> str:
    return "\n".join(Paragraph(p, parent).text for p in tc.p_lst)


def _table_rows(table: DocxTable) -> list[list[str]]:
    """Each row's cells, a merged cell once per row (a vertically merged cell's text in every row it
    spans, as Word shows it). One pass over the XML: python-docx's ``row.cells`` looks up the grid
    offset and the cell above anew for every cell (quadratic in wide or long merged tables) and
    repeats a cell once per grid column it spans (``gridSpan="1000000000"`` never ends)."""
    rows: list[list[str]] = []
    above: dict[int, object] = {}  # grid offset -> the cell that holds the text there in the row above
    for tr in table._tbl.tr_lst:
        offset = tr.grid_before
        roots: dict[int, object] = {}
        cells: list[str] = []
        seen: set[int] = set()
        for tc in tr.tc_lst:
            root = above.get(offset, tc) if tc.vMerge == "continue" else tc
            roots[offset] = root
            if id(root) not in seen:
                seen.add(id(root))
                cells.append(_cell_text(root, table))
            offset += max(1, tc.grid_span)
        above = roots
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
        builder = _read_parts(document)
        title = document.core_properties.title or None
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ReadError(f"DOCX is damaged: {exc}", path, "damaged") from None
    except Exception as exc:  # lxml.etree.XMLSyntaxError and friends: python-docx has no common base
        raise ReadError(f"DOCX is damaged: {type(exc).__name__}: {exc}", path, "damaged") from None
    doc = builder.build(path=path, format="docx", sha256=sha256, title=title)
    if not doc.text.strip():
        raise ReadError("DOCX has no text", path, "empty")
    if not doc.title:
        first = next((b for b in doc.blocks if b.kind == "paragraph"), None)
        doc.title = doc.block_text(first)[:300] if first else None
    return doc


def _read_parts(document: DocxDocument) -> DocumentBuilder:
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
    return builder
