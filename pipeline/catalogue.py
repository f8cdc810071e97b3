"""The catalogue: one SQLite file (sqlite-utils), normalised, with provenance for every row.

Tables: ``documents`` (one per distinct file or page, by sha256), ``directives`` (one per
document number, cited or ingested), ``units`` + ``unit_aliases``, ``initiatives``,
``deadlines``, ``mentions`` (which document and characters each row came from, with
confidence and extractor version), ``reviews`` (human decisions, keyed by document and
span so that re-extraction never loses them) and ``failures`` (files that could not be
read, with the reason). ``meta`` holds the schema version; ``MIGRATIONS`` bring older
files up to date.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import sqlite_utils

from nlp.keys import fold

DEFAULT_DB = Path("output/catalogue.db")
# Writers wait this long for a lock instead of failing with "database is locked".
BUSY_TIMEOUT_MS = 60_000


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _v1(db: sqlite_utils.Database) -> None:
    db["documents"].create({
        "id": int, "sha256": str, "path": str, "url": str, "format": str, "kind": str, "title": str,
        "number": str, "doc_type": str, "issuer": str, "place": str, "date": str, "subject": str,
        "signer": str, "text": str, "pages": int, "warnings": str, "extractor_version": str,
        "ingested_at": str, "updated_at": str, "search_text": str,
    }, pk="id", not_null={"sha256"})
    db["documents"].create_index(["sha256"], unique=True)
    db["documents"].create_index(["url"])
    db["documents"].create_index(["date"])
    db["units"].create({"id": int, "canonical": str, "canonical_key": str, "level": str, "parent_id": int,
                        "search_text": str},
                       pk="id", foreign_keys=[("parent_id", "units", "id")])
    db["units"].create_index(["canonical_key"], unique=True)
    db["unit_aliases"].create({"id": int, "unit_id": int, "alias": str, "alias_key": str}, pk="id",
                              foreign_keys=[("unit_id", "units", "id")])
    db["unit_aliases"].create_index(["unit_id", "alias_key"], unique=True)
    db["unit_aliases"].create_index(["alias_key"])
    db["directives"].create({
        "id": int, "number": str, "doc_type": str, "issuer": str, "issuer_unit_id": int, "date": str,
        "subject": str, "document_id": int, "search_text": str,
    }, pk="id", foreign_keys=[("document_id", "documents", "id"), ("issuer_unit_id", "units", "id")])
    db["directives"].create_index(["number"], unique=True)
    db["initiatives"].create({
        "id": int, "title": str, "title_key": str, "kind": str, "unit_id": int, "year": int,
        "directive_id": int, "search_text": str,
    }, pk="id", foreign_keys=[("unit_id", "units", "id"), ("directive_id", "directives", "id")])
    db["initiatives"].create_index(["title_key"], unique=True)
    db["deadlines"].create({
        "id": int, "date": str, "task": str, "responsible": str, "responsible_unit_id": int,
        "directive_id": int, "document_id": int, "recurring": str, "resolved": str, "start": int, "end": int,
    }, pk="id", foreign_keys=[("document_id", "documents", "id"), ("directive_id", "directives", "id"),
                              ("responsible_unit_id", "units", "id")])
    db["deadlines"].create_index(["document_id", "start", "end"], unique=True)
    db["deadlines"].create_index(["date"])
    db["mentions"].create({
        "id": int, "document_id": int, "entity": str, "entity_id": int, "field": str, "start": int, "end": int,
        "text": str, "value": str, "confidence": float, "extractor_version": str, "source": str,
    }, pk="id", foreign_keys=[("document_id", "documents", "id")])
    db["mentions"].create_index(["document_id", "field", "start", "end"], unique=True)
    db["mentions"].create_index(["entity", "entity_id"])
    db["mentions"].create_index(["confidence"])
    db["reviews"].create({
        "id": int, "document_sha256": str, "field": str, "start": int, "end": int, "decision": str,
        "value": str, "original": str, "reviewer": str, "decided_at": str,
    }, pk="id")
    db["reviews"].create_index(["document_sha256", "field", "start", "end"], unique=True)
    db["failures"].create({"id": int, "path": str, "sha256": str, "code": str, "reason": str, "at": str}, pk="id")
    db["failures"].create_index(["path"], unique=True)
    for table in ("documents", "initiatives", "directives", "units"):
        db[table].enable_fts(["search_text"], tokenize="unicode61 remove_diacritics 2", create_triggers=True)


def _v2(db: sqlite_utils.Database) -> None:
    """The crawl's fetch cache (ETag, Last-Modified, content hash per URL) and the inbox's record."""
    db["fetches"].create({"url": str, "source": str, "kind": str, "etag": str, "last_modified": str, "sha256": str,
                          "status": str, "reason": str, "fetched_at": str}, pk="url")
    db["fetches"].create_index(["sha256"])
    db["inbox_log"].create({"id": int, "name": str, "sha256": str, "outcome": str, "reason": str, "moved_to": str,
                            "at": str}, pk="id")


def _v3(db: sqlite_utils.Database) -> None:
    """Indexes for the filters users run most: initiatives by unit and directive, deadlines by unit."""
    db["initiatives"].create_index(["unit_id"])
    db["initiatives"].create_index(["directive_id"])
    db["initiatives"].create_index(["year"])
    db["deadlines"].create_index(["responsible_unit_id"])
    db["directives"].create_index(["date"])
    db["units"].create_index(["parent_id"])


def _v4(db: sqlite_utils.Database) -> None:
    """Units carry what became of them on 1 July 2025 (same, merged, abolished) and their successors.
    Existing rows stay NULL (not known) until ``cchc reprocess`` re-extracts their documents."""
    db["units"].add_column("successor_status", str)
    db["units"].add_column("successor", str)  # canonical names, " | " between several (a district's communes)
    db["units"].add_column("successor_province", str)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3, _v4]
SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: str | Path = DEFAULT_DB, *, create: bool = True) -> sqlite_utils.Database:
    """Open (and create or migrate) a catalogue. ``":memory:"`` gives an in-memory one for tests."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
    else:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    migrate(db)
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    if "meta" not in db.table_names():
        return 0
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(db: sqlite_utils.Database) -> None:
    current = schema_version(db)
    if current >= SCHEMA_VERSION:
        return
    with transaction(db):
        current = schema_version(db)  # another process may have migrated meanwhile
        if "meta" not in db.table_names():
            db["meta"].create({"key": str, "value": str}, pk="key")
        for step in MIGRATIONS[current:]:
            step(db)
        db["meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")


class transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``: one writer at a time, waiting on the busy timeout."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def search_text(*parts: Any) -> str:
    """What full-text search indexes: the text as written and a folded copy (no tones, đ -> d)."""
    raw = " ".join(str(p) for p in parts if p)
    return f"{raw} {fold(raw)}"


def fts_query(text: str) -> str:
    """User text as an FTS5 query: folded, each token quoted, so '1980/SNV-CCHC' is never a syntax error."""
    tokens = [t for t in fold(text).replace('"', " ").split() if t]
    return " ".join(f'"{t}"' for t in tokens) or '""'


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)

