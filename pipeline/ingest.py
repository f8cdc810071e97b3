"""Write documents and their extractions into the catalogue, one transaction per document.

Re-ingesting the same file with the same extractor version changes nothing. With a new
extractor version, the document's machine rows (mentions, deadlines) are replaced and
every human decision in ``reviews`` is applied again: a rejected span creates nothing, a
corrected span creates what the reviewer wrote; a deadline marked done stays done.

A file whose text is already catalogued from another file (the PDF of a DOCX, another
encoding) becomes one more file of that document (``files``), not a second document: its
deadlines and initiatives appear once (``same_text``).
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

import sqlite_utils

from extractors import limits
from extractors.document import Document
from extractors.errors import ReadError
from extractors.reader import read_file_bytes
from nlp.base import Home
from nlp.extract import EXTRACTOR_VERSION, Extraction, extract
from nlp.keys import canonical_key
from nlp.span import Span

from .catalogue import dumps, insert_row, is_catalogue_error, now, search_text, transaction, update_row
from .guard import Guard, Job, Outcome
from .prepared import Prepared
from .rawstore import RawStore
from .same_text import index_text, same_document

SUPPORTED_SUFFIXES = {".pdf", ".docx", ".doc", ".html", ".htm", ".txt", ".aspx",
                      ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


@dataclass(slots=True)
class IngestResult:
    path: str
    status: str  # new | updated | unchanged | same | failed
    document_id: int | None = None
    reason: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    sha256: str | None = None
    same_as: str | None = None  # status "same": the file the document was first read from
    code: str | None = None  # status "failed": the reader's code (too-large, damaged ...)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the supported regular files under folders named, in a stable order.

    Under a folder, symbolic links, hidden files and anything that is not a regular file are
    skipped (a link may point anywhere); a file named explicitly is taken as named, and the reader
    refuses it if it is not a regular file."""
    for p in map(Path, paths):
        if p.is_dir():
            for child in sorted(_walk(p)):
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
        else:
            yield p


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder):  # does not follow links to folders
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            child = Path(root) / name
            if not name.startswith(".") and stat.S_ISREG(child.lstat().st_mode):
                yield child


# --- entity upserts ---------------------------------------------------------------

def upsert_unit(db: sqlite_utils.Database, canonical: str, level: str | None, parent: str | None,
                alias: str | None = None, after_2025: dict | None = None) -> int:
    key = canonical_key(canonical)
    row = db.execute("SELECT id, level, parent_id, successor_status, successor, successor_province FROM units "
                     "WHERE canonical_key = ?", [key]).fetchone()
    parent_id = upsert_unit(db, parent, None, None) if parent and canonical_key(parent) != key else None
    successor = {"successor_status": after_2025["status"], "successor": " | ".join(after_2025["successors"]) or None,
                 "successor_province": after_2025.get("province")} if after_2025 else {}
    if row:
        unit_id = row[0]
        # only what changes: an update, even to the same values, re-indexes the unit's full text
        current = dict(zip(("successor_status", "successor", "successor_province"), row[3:]))
        updates = {k: v for k, v in successor.items() if current[k] != v}
        if level and not row[1]:
            updates["level"] = level
        if parent_id and not row[2]:
            updates["parent_id"] = parent_id
        update_row(db, "units", unit_id, updates)
    else:
        if level is None and canonical.startswith(("Ủy ban nhân dân Tỉnh", "Ủy ban nhân dân Thành phố")):
            level = "province"
        unit_id = insert_row(db, "units", {"canonical": canonical, "canonical_key": key, "level": level,
                                            "parent_id": parent_id, "search_text": search_text(canonical),
                                            **successor})
    for name in {canonical, alias} - {None}:
        db.conn.execute("INSERT OR IGNORE INTO unit_aliases (unit_id, alias, alias_key) VALUES (?, ?, ?)",
                        [unit_id, name, canonical_key(name)])
        if name != canonical:  # the canonical name is in the unit's search text from its creation
            db.conn.execute("UPDATE units SET search_text = search_text || ' ' || ? "
                            "WHERE id = ? AND instr(search_text, ?) = 0", [search_text(name), unit_id, name])
    return unit_id


def upsert_directive(db: sqlite_utils.Database, number: str, **fields: Any) -> int:
    row = db.execute("SELECT id, doc_type, issuer, date, subject, document_id FROM directives WHERE number = ?",
                     [number]).fetchone()
    if row is None:
        values = {"number": number, **fields}
        values["search_text"] = search_text(number, fields.get("doc_type"), fields.get("issuer"), fields.get("subject"))
        return insert_row(db, "directives", values)
    current = dict(zip(("id", "doc_type", "issuer", "date", "subject", "document_id"), row))
    # The directive's own document is the authority; a citation only fills what is missing.
    own = fields.get("document_id") is not None
    updates = {k: v for k, v in fields.items() if v is not None and (own or current.get(k) is None) and current.get(k) != v}
    if updates:
        merged = {**current, **updates}
        updates["search_text"] = search_text(number, merged.get("doc_type"), merged.get("issuer"), merged.get("subject"))
        update_row(db, "directives", current["id"], updates)
    return current["id"]


def upsert_initiative(db: sqlite_utils.Database, title: str, kind: str | None, unit_id: int | None,
                      year: int | None, directive_id: int | None, unit_name: str | None) -> int:
    key = canonical_key(title)
    row = db.execute("SELECT id, unit_id, year, directive_id FROM initiatives WHERE title_key = ?", [key]).fetchone()
    if row is None:
        return insert_row(db, "initiatives", {
            "title": title, "title_key": key, "kind": kind, "unit_id": unit_id, "year": year,
            "directive_id": directive_id, "search_text": search_text(title, kind, unit_name),
        })
    updates = {k: v for k, v in (("unit_id", unit_id), ("year", year), ("directive_id", directive_id))
               if v is not None and row[("unit_id", "year", "directive_id").index(k) + 1] is None}
    if updates:
        update_row(db, "initiatives", row[0], updates)
    return row[0]


# --- one document -------------------------------------------------------------------

def _decisions(db: sqlite_utils.Database, sha256: str) -> dict[tuple[str, int, int], dict]:
    rows = db.execute("SELECT field, start, end, decision, value FROM reviews WHERE document_sha256 = ?", [sha256])
    return {(f, s, e): {"decision": d, "value": json.loads(v) if v else None} for f, s, e, d, v in rows}


def _value_after_review(span: Span, decisions: dict) -> tuple[Any, str | None]:
    decision = decisions.get((span.field, span.start, span.end))
    if decision is None:
        return span.value, None
    if decision["decision"] == "corrected" and isinstance(span.value, dict) and isinstance(decision["value"], dict):
        return {**span.value, **decision["value"]}, "corrected"
    return span.value, decision["decision"]


MENTION_COLUMNS = ("document_id", "entity", "entity_id", "field", "start", "end", "text", "value", "confidence",
                   "extractor_version", "source")
_INSERT_MENTION = (f"INSERT INTO mentions ({', '.join(f'[{c}]' for c in MENTION_COLUMNS)}) "
                   f"VALUES ({', '.join('?' * len(MENTION_COLUMNS))})")


class _Mentions(list):
    """Mention rows of one document, written with one executemany (the write stage's hot spot)."""

    def add(self, doc_id: int, entity: str, entity_id: int | None, span: Span, value: Any) -> None:
        self.append((doc_id, entity, entity_id, span.field, span.start, span.end, span.text, dumps(value),
                     span.confidence, EXTRACTOR_VERSION, span.source))

    def flush(self, db: sqlite_utils.Database) -> None:
        db.conn.executemany(_INSERT_MENTION, self)
        self.clear()


def write_extraction(db: sqlite_utils.Database, x: Extraction, url: str | None, prepared: Prepared) -> int:
    """Store one extraction (inside the caller's transaction). Returns the document id."""
    doc, header = x.doc, x.header
    existing = db.execute("SELECT id FROM documents WHERE sha256 = ?", [doc.sha256]).fetchone()
    row = {
        "sha256": doc.sha256, "path": doc.path, "url": url, "format": doc.format, "kind": header["kind"],
        "title": header.get("title"), "number": header.get("number"), "doc_type": header.get("doc_type"),
        "issuer": header.get("issuer"), "place": header.get("place"), "date": header.get("date"),
        "subject": header.get("subject"), "signer": header.get("signer"), "text": doc.text, "pages": doc.pages,
        "warnings": dumps(doc.warnings), "extractor_version": EXTRACTOR_VERSION, "updated_at": now(),
        "ocr_pages": dumps(doc.ocr_pages) if doc.ocr_pages else None, "ocr_confidence": doc.ocr_confidence,
        "text_quality": doc.text_quality,
        "search_text": prepared.search_text,
    }
    if existing:
        doc_id = existing[0]
        if url is None:
            row.pop("url")
        update_row(db, "documents", doc_id, row)
        db.execute("DELETE FROM mentions WHERE document_id = ?", [doc_id])
        db.execute("DELETE FROM deadlines WHERE document_id = ?", [doc_id])
    else:
        row["ingested_at"] = row["updated_at"]
        doc_id = insert_row(db, "documents", row)
    add_file(db, doc_id, doc, url)
    index_text(db, doc_id, prepared.fingerprint)
    decisions = _decisions(db, doc.sha256)
    mentions = _Mentions()

    issuer_id = upsert_unit(db, header["issuer"], None, None) if header.get("issuer") else None
    own_directive = None
    if header.get("number"):
        own_directive = upsert_directive(db, header["number"], doc_type=header.get("doc_type"),
                                         issuer=header.get("issuer"), issuer_unit_id=issuer_id,
                                         date=header.get("date"), subject=header.get("subject"), document_id=doc_id)
    for span in x.spans["header"]:
        entity = "directive" if span.field == "own_number" else ("unit" if span.field == "issuer" else "document")
        entity_id = own_directive if entity == "directive" else (issuer_id if entity == "unit" else doc_id)
        key = {"directive": "number", "unit": "canonical", "document": "date"}[entity]
        if decisions.get((span.field, span.start, span.end), {}).get("decision") == "rejected":
            entity_id = None
        mentions.add(doc_id, entity, entity_id, span, {key: span.value})

    units_by_canonical: dict[str, int] = {}
    units_by_spelling: dict[str, int] = {}
    seen_aliases: dict[tuple[str, str], int] = {}
    for span in x.spans["units"]:
        value, decision = _value_after_review(span, decisions)
        unit_id = None
        if decision != "rejected":
            key = (value["canonical"], span.text)
            unit_id = seen_aliases.get(key)
            if unit_id is None:  # each (unit, spelling) once per document
                unit_id = seen_aliases[key] = upsert_unit(db, value["canonical"], value.get("level"),
                                                          value.get("parent"), span.text, value.get("after_2025"))
            units_by_canonical[value["canonical"]] = unit_id
            units_by_spelling.setdefault(span.text, unit_id)
        mentions.add(doc_id, "unit", unit_id, span, value)

    directive_by_number: dict[str, int] = {}
    for span in x.spans["references"]:
        value, decision = _value_after_review(span, decisions)
        directive_id = None
        if decision != "rejected":
            directive_id = upsert_directive(db, value["number"], doc_type=value.get("doc_type"), date=value.get("date"))
            directive_by_number[value["number"]] = directive_id
        mentions.add(doc_id, "directive", directive_id, span, value)

    progress = deadline_progress(db, doc.sha256)
    for span in x.spans["deadlines"]:
        value, decision = _value_after_review(span, decisions)
        deadline_id = None
        if decision != "rejected":
            responsible_id = responsible_unit(db, value.get("responsible"), units_by_canonical, units_by_spelling)
            directive_id = next((did for number, did in directive_by_number.items()
                                 if value.get("task") and number in value["task"]), own_directive)
            deadline_id = insert_row(db, "deadlines", {
                "date": value.get("date"), "task": value.get("task"), "responsible": value.get("responsible"),
                "responsible_unit_id": responsible_id, "directive_id": directive_id, "document_id": doc_id,
                "recurring": value.get("recurring"), "rule": value.get("rule"), "resolution": value.get("resolution"),
                "resolved": value.get("resolved"), "start": span.start, "end": span.end,
                **progress.get((span.start, span.end), OPEN),
            })
        mentions.add(doc_id, "deadline", deadline_id, span, value)

    for span in x.spans["initiatives"]:
        value, decision = _value_after_review(span, decisions)
        initiative_id = None
        if decision != "rejected":
            unit_id = units_by_canonical.get(value.get("unit")) or (
                upsert_unit(db, value["unit"], None, None) if value.get("unit") else None)
            directive_id = None
            if value.get("directive"):
                directive_id = directive_by_number.get(value["directive"]) or upsert_directive(db, value["directive"])
            initiative_id = upsert_initiative(db, value["title"], value.get("kind"), unit_id, value.get("year"),
                                              directive_id, value.get("unit"))
        mentions.add(doc_id, "initiative", initiative_id, span, value)

    for span in x.spans["dates"]:
        mentions.add(doc_id, "date", None, span, span.value)
    mentions.flush(db)
    return doc_id


OPEN = {"status": "open", "done_by": None, "done_at": None}


def deadline_progress(db: sqlite_utils.Database, sha256: str) -> dict[tuple[int, int], dict[str, Any]]:
    """The last done/reopened mark of each deadline span of a document (they outlive re-extraction)."""
    rows = db.execute("SELECT start, end, action, by, at FROM deadline_log WHERE document_sha256 = ? ORDER BY id",
                      [sha256]).fetchall()
    return {(start, end): ({"status": "done", "done_by": by, "done_at": at} if action == "done" else OPEN)
            for start, end, action, by, at in rows}


def responsible_unit(db: sqlite_utils.Database, responsible: str | None, by_canonical: dict[str, int],
                     by_spelling: dict[str, int]) -> int | None:
    """The catalogue unit a deadline's responsible clause names: the earliest unit of the document
    named in it (as canonical or as written), else a unit known by the whole clause as an alias."""
    if not responsible:
        return None
    found = [(responsible.find(name), uid) for names in (by_canonical, by_spelling)
             for name, uid in names.items() if name in responsible]
    if found:
        return min(found)[1]
    row = db.execute("SELECT unit_id FROM unit_aliases WHERE alias_key = ?", [canonical_key(responsible)]).fetchone()
    return row[0] if row else None


def add_file(db: sqlite_utils.Database, doc_id: int, doc: Document, url: str | None) -> None:
    """Record one file (or page) of a document; the same bytes seen again only update where they are."""
    db.execute("INSERT INTO files (document_id, sha256, path, url, format, added_at) VALUES (?, ?, ?, ?, ?, ?) "
               "ON CONFLICT(sha256) DO UPDATE SET path = excluded.path, url = COALESCE(excluded.url, files.url)",
               [doc_id, doc.sha256, doc.path, url, doc.format, now()])


def catalogued(db: sqlite_utils.Database, sha256: str) -> tuple[int, bool] | None:
    """(document id, up to date?) for bytes already catalogued, else None.

    A document's first file is up to date when this extractor version read it; any other file of a
    document is always up to date (the document is re-extracted from its first file).
    """
    row = db.execute("SELECT d.id, d.extractor_version, d.sha256 FROM files f JOIN documents d ON d.id = f.document_id "
                     "WHERE f.sha256 = ?", [sha256]).fetchone()
    if row is None:
        row = db.execute("SELECT id, extractor_version, sha256 FROM documents WHERE sha256 = ?", [sha256]).fetchone()
    return (row[0], row[1] == EXTRACTOR_VERSION or row[2] != sha256) if row else None


def ingest_document(db: sqlite_utils.Database, doc: Document, *, url: str | None = None,
                    home: Home | None = None, force: bool = False) -> IngestResult:
    """Extract a Document in this process and store it (no guard: for documents already read)."""
    known = catalogued(db, doc.sha256)
    if known and known[1] and not force:
        return IngestResult(doc.path, "unchanged", known[0], sha256=doc.sha256)
    return write_document(db, extract(doc, home), url=url, force=force)


def write_document(db: sqlite_utils.Database, x: Extraction, *, url: str | None = None,
                   force: bool = False, prepared: Prepared | None = None) -> IngestResult:
    """Store an extraction made elsewhere (a worker process); same rules as ``ingest_document``.

    Whether the bytes are already catalogued is decided inside the write transaction, so of two
    runs ingesting the same new file at once, one reports it new and the other unchanged."""
    with transaction(db):
        known = catalogued(db, x.doc.sha256)
        if known and known[1] and not force:
            return IngestResult(x.doc.path, "unchanged", known[0], sha256=x.doc.sha256)
        db.execute("DELETE FROM failures WHERE path = ?", [x.doc.path])
        prepared = prepared or Prepared.of(x)
        same = None if known else same_document(db, prepared.fingerprint, x.header.get("number"), x.header.get("date"))
        if same is not None:
            add_file(db, same, x.doc, url)
            first = db.execute("SELECT path FROM documents WHERE id = ?", [same]).fetchone()[0]
            return IngestResult(x.doc.path, "same", same, sha256=x.doc.sha256, same_as=first)
        doc_id = write_extraction(db, x, url, prepared)
    return IngestResult(x.doc.path, "updated" if known else "new", doc_id,
                        counts={k: len(v) for k, v in x.spans.items()}, sha256=x.doc.sha256)


def write_outcome(db: sqlite_utils.Database, outcome: Outcome, *, raw: RawStore | None = None,
                  data: bytes | None = None, url: str | None = None, force: bool = False) -> IngestResult:
    """Store what the guard gave for one document: its extraction (bytes kept in ``raw``), or its
    failure in ``failures``. A document whose rows cannot be written is a failure of that document;
    only errors of the catalogue itself (read-only, disk full, damaged) stop the caller."""
    if outcome.error is not None:
        record_failure(db, outcome.name, outcome.error)
        return IngestResult(outcome.name, "failed", reason=outcome.error.reason, code=outcome.error.code)
    x, prepared = outcome.extraction, outcome.prepared
    if raw is not None and prepared is not None and prepared.raw_gz is not None:
        raw.put_compressed(x.doc.sha256, prepared.raw_gz)
    elif raw is not None and data is not None and not (prepared and prepared.raw_kept):
        raw.put(data)
    try:
        return write_document(db, x, url=url, force=force, prepared=prepared)
    except Exception as exc:  # noqa: BLE001 - one document's rows; the catalogue's own errors go on up
        if is_catalogue_error(exc):
            raise
        error = exc
    failure = ReadError(f"could not be written: {type(error).__name__}: {error}", outcome.name, "write-error")
    record_failure(db, outcome.name, failure)
    return IngestResult(outcome.name, "failed", reason=failure.reason, code=failure.code, sha256=x.doc.sha256)


def file_sha256(path: str | Path) -> str | None:
    """The sha256 of a regular file under the size cap, read in blocks; None when it is not one
    (the reader then says why)."""
    try:
        with open(path, "rb", buffering=0) as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > limits.MAX_FILE_BYTES:
                return None
            digest = hashlib.sha256()
            while block := f.read(1 << 20):
                digest.update(block)
            return digest.hexdigest()
    except OSError:
        return None


def already_catalogued(db: sqlite_utils.Database, paths: list[Path]) -> tuple[list[Path], list[IngestResult]]:
    """Split files into those to extract and those whose bytes this extractor version already catalogued.

    Hashing is ~1000x cheaper than extraction, so a re-run over a folder only extracts what is new.
    Only regular files are opened here (a FIFO would block); the reader reports on the others.
    """
    todo, unchanged = [], []
    for path in paths:
        try:
            regular = stat.S_ISREG(os.stat(path).st_mode)
        except OSError:
            regular = False
        sha256 = file_sha256(path) if regular else None
        known = catalogued(db, sha256) if sha256 else None
        if known and known[1]:
            unchanged.append(IngestResult(str(path), "unchanged", known[0]))
        else:
            todo.append(path)
    return todo, unchanged


def write_results(db: sqlite_utils.Database, extracted: Iterable[Outcome], raw: RawStore | None = None, *,
                  force: bool = False) -> Iterator[IngestResult]:
    """Write extractions made elsewhere (the guard's workers, a Dask cluster) in the order they come: the
    one writer of the catalogue. Each is a document or a failure recorded in ``failures``."""
    for outcome in extracted:
        yield write_outcome(db, outcome, raw=raw, force=force)


def record_failure(db: sqlite_utils.Database, path: str, error: ReadError) -> None:
    with transaction(db):
        db.execute("INSERT INTO failures (path, code, reason, at) VALUES (?, ?, ?, ?) ON CONFLICT(path) DO UPDATE "
                   "SET code = excluded.code, reason = excluded.reason, at = excluded.at",
                   [path, error.code, error.reason, now()])


def ingest_path(db: sqlite_utils.Database, path: str | Path, raw: RawStore | None = None, *,
                name: str | None = None, guard: Guard | None = None, data: bytes | None = None,
                url: str | None = None, home: Home | None = None, force: bool = False) -> IngestResult:
    """Read and catalogue one file (its bytes kept in ``raw`` for re-processing) under ``name``
    (default: its path), extracted under the guard (``guard``, else a worker for this file alone);
    a file that cannot be read or extracted is recorded in ``failures``. ``data``: the file's bytes
    when the caller has read them already."""
    name = name or str(path)
    if data is None:
        try:
            data = read_file_bytes(path)
        except ReadError as exc:
            exc.path = name
            record_failure(db, name, exc)
            return IngestResult(name, "failed", reason=exc.reason, code=exc.code)
    job = Job(name, data=data, home=home, raw=str(raw.root) if raw is not None else None)
    if guard is None:
        with Guard(1) as own:
            outcome = own.one(job)
    else:
        outcome = guard.one(job)
    result = write_outcome(db, outcome, raw=raw, data=data, url=url, force=force)
    if result.sha256 is None and outcome.error is None:
        result.sha256 = hashlib.sha256(data).hexdigest()
    return result
