"""The catalogue: one SQLite file (sqlite-utils), normalised, with provenance for every row.

Tables: ``documents`` (one per distinct file or page, by sha256, with the pages read by OCR
and a text-quality score), ``directives`` (one per
document number, cited or ingested), ``units`` + ``unit_aliases``, ``initiatives``,
``deadlines``, ``mentions`` (which document and characters each row came from, with
confidence and extractor version), ``reviews`` (human decisions, keyed by document and
span so that re-extraction never loses them) and ``failures`` (files that could not be
read, with the reason), ``files`` (every file read, several per document when the same text
came as TXT, DOCX and PDF) with ``sketches`` (to find the same text again), and
``deadline_log`` (deadlines marked done or reopened, with who and when, keyed like reviews).
``meta`` holds the schema version; ``MIGRATIONS`` bring older files up to date.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

import sqlite_utils

from nlp import recurrence
from nlp.keys import fold

from .i18n import _

DEFAULT_DB = Path("output/catalogue.db")
# How much of a document's text full-text search indexes (titles and the opening carry the subject).
SEARCHED_TEXT_CHARS = 20_000
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
        db[table].enable_fts(["search_text"], tokenize=FTS_TOKENIZE, create_triggers=True)


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


def _v5(db: sqlite_utils.Database) -> None:
    """One document, many files; deadlines that can be done; search that folds i/y."""
    from .same_text import Fingerprint, index_text

    db["documents"].add_column("text_key", str)
    db["documents"].create_index(["text_key"])
    db["files"].create({"id": int, "document_id": int, "sha256": str, "path": str, "url": str, "format": str,
                        "added_at": str}, pk="id", foreign_keys=[("document_id", "documents", "id")],
                       not_null={"sha256"})
    db["files"].create_index(["sha256"], unique=True)
    db["files"].create_index(["document_id"])
    db["sketches"].create({"document_id": int, "hash": int}, foreign_keys=[("document_id", "documents", "id")])
    db["sketches"].create_index(["hash"])
    db["sketches"].create_index(["document_id"])
    db.execute("INSERT INTO files (document_id, sha256, path, url, format, added_at) "
               "SELECT id, sha256, path, url, format, ingested_at FROM documents")
    for doc_id, text in db.execute("SELECT id, text FROM documents").fetchall():
        index_text(db, doc_id, Fingerprint.of(text or ""))
    db["deadlines"].add_column("status", str, not_null_default="open")
    db["deadlines"].add_column("done_by", str)
    db["deadlines"].add_column("done_at", str)
    db["deadlines"].create_index(["status", "date"])
    db["deadline_log"].create({"id": int, "document_sha256": str, "start": int, "end": int, "action": str,
                               "by": str, "at": str}, pk="id")
    db["deadline_log"].create_index(["document_sha256", "start", "end"])
    _refold_search_text(db)


def _refold_search_text(db: sqlite_utils.Database) -> None:
    """Recompute every search_text with today's ``search_fold`` (the FTS triggers follow)."""
    for doc_id, title, number, subject, text in db.execute(
            "SELECT id, title, number, subject, text FROM documents").fetchall():
        db.execute("UPDATE documents SET search_text = ? WHERE id = ?",
                   [document_search_text(title, number, subject, text), doc_id])
    for row_id, *parts in db.execute("SELECT id, number, doc_type, issuer, subject FROM directives").fetchall():
        db.execute("UPDATE directives SET search_text = ? WHERE id = ?", [search_text(*parts), row_id])
    for row_id, title, kind, unit in db.execute("SELECT i.id, i.title, i.kind, u.canonical FROM initiatives i "
                                                "LEFT JOIN units u ON u.id = i.unit_id").fetchall():
        db.execute("UPDATE initiatives SET search_text = ? WHERE id = ?", [search_text(title, kind, unit), row_id])
    for row_id, canonical in db.execute("SELECT id, canonical FROM units").fetchall():
        aliases = [r[0] for r in db.execute("SELECT alias FROM unit_aliases WHERE unit_id = ? AND alias != ?",
                                            [row_id, canonical])]
        db.execute("UPDATE units SET search_text = ? WHERE id = ?", [search_text(canonical, *aliases), row_id])


_OLD_RECURRING = re.compile(r"day (\d{1,2})(?:/(\d{1,2}))? of every (tháng|quý|năm)")
_OLD_RESOLVED = {"last day of the month": "month_end", "last day of the quarter": "quarter_end",
                 "last day of the year": "year_end"}


def _old_rule(recurring: str | None) -> str | None:
    """The rule of a recurring deadline stored before v6 as words ("day 30/11 of every năm")."""
    m = _OLD_RECURRING.fullmatch(recurring or "")
    if not m:
        return None
    day, month, period = int(m.group(1)), m.group(2), m.group(3)
    if period == "năm" and month:
        return recurrence.yearly(day, int(month))
    if period == "tháng":
        return recurrence.monthly(day)
    return recurrence.quarterly(day) if period == "quý" else None


def _v6(db: sqlite_utils.Database) -> None:
    """A recurring deadline keeps its rule (an RRULE) so lists show its next due date; every deadline
    says how its date was resolved (day, month_end, quarter_end, relative, recurring ...)."""
    db["deadlines"].add_column("rule", str)
    db["deadlines"].add_column("resolution", str)
    rows = db.execute("SELECT id, date, recurring, resolved FROM deadlines").fetchall()
    for deadline_id, day, recurring, resolved in rows:
        rule = _old_rule(recurring)
        if rule:
            db.execute("UPDATE deadlines SET rule = ?, recurring = ?, resolution = 'recurring' WHERE id = ?",
                       [rule, recurrence.describe(rule), deadline_id])
        elif day:
            resolution = "relative" if resolved and "after the document date" in resolved else (
                _OLD_RESOLVED.get(resolved or "", "day"))
            db.execute("UPDATE deadlines SET resolution = ? WHERE id = ?", [resolution, deadline_id])
    db.execute("CREATE INDEX idx_deadlines_rule ON deadlines (rule) WHERE rule IS NOT NULL")


def _v7(db: sqlite_utils.Database) -> None:
    """What is known of a document's text: the pages read by OCR (JSON list), Tesseract's mean word
    confidence on them, and the share of its words that are Vietnamese syllables."""
    db["documents"].add_column("ocr_pages", str)
    db["documents"].add_column("ocr_confidence", float)
    db["documents"].add_column("text_quality", float)



# A row's place in the order users read search results in, as one integer: the rowid of the
# table's full-text index, so a search walks FTS5's posting lists in that order and stops at its
# page instead of sorting every match (docs/benchmarks.md, "Search"). The high part is the date's
# day number (documents) or the year (initiatives), 0 when unknown so those come last; the low 32
# bits are 2**32 - 1 minus the id, so ties come by id.
LOW_BITS = 2**32
SEARCH_KEYS = {
    "documents": f"COALESCE(CAST(julianday(date) AS INTEGER), 0) * {LOW_BITS} + ({LOW_BITS - 1} - id)",
    "initiatives": f"COALESCE(year, 0) * {LOW_BITS} + ({LOW_BITS - 1} - id)",
}
FTS_TOKENIZE = "unicode61 remove_diacritics 2"


def _keyed_fts(db: sqlite_utils.Database, table: str) -> None:
    """Rebuild ``table``'s full-text index with ``search_key`` (a generated column) as its rowid."""
    db.execute(f"ALTER TABLE {table} ADD COLUMN search_key INTEGER GENERATED ALWAYS AS ({SEARCH_KEYS[table]}) VIRTUAL")
    db.execute(f"CREATE UNIQUE INDEX idx_{table}_search_key ON {table} (search_key)")
    db[table].disable_fts()
    fts = f"{table}_fts"
    delete = f"INSERT INTO {fts} ({fts}, rowid, search_text) VALUES ('delete', old.search_key, old.search_text);"
    insert = f"INSERT INTO {fts} (rowid, search_text) VALUES (new.search_key, new.search_text);"
    for statement in (  # one by one: executescript would commit the migration's transaction
        f"CREATE VIRTUAL TABLE {fts} USING fts5 (search_text, tokenize='{FTS_TOKENIZE}', content='{table}', "
        "content_rowid='search_key')",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON {table} BEGIN {delete} {insert} END",
        f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')",
    ):
        db.execute(statement)


def _v8(db: sqlite_utils.Database) -> None:
    """Documents' and initiatives' full-text indexes keyed in result order, so a search stops at its page."""
    for table in SEARCH_KEYS:
        _keyed_fts(db, table)


def _v9(db: sqlite_utils.Database) -> None:
    """A failing URL is retried with back-off: how many times in a row it failed, and not before when."""
    db["fetches"].add_column("attempts", int)
    db["fetches"].add_column("retry_after", str)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9]
SCHEMA_VERSION = len(MIGRATIONS)


class CatalogueError(Exception):
    """The catalogue file itself cannot be used as asked (missing, read-only, too old): one line for the user."""


class CatalogueMissing(CatalogueError, FileNotFoundError):
    """A command that only reads was pointed at a catalogue file that does not exist."""


def is_catalogue_error(exc: BaseException) -> bool:
    """An error of the catalogue itself (read-only, disk full, damaged, locked), which stops a run, as
    opposed to one document's rows that cannot be written (a constraint), which is that document's failure."""
    return isinstance(exc, CatalogueError) or (
        isinstance(exc, sqlite3.Error) and not isinstance(exc, (sqlite3.IntegrityError, sqlite3.DataError)))


def connect(path: str | Path = DEFAULT_DB, *, create: bool = True, readonly: bool = False) -> sqlite_utils.Database:
    """Open (and create or migrate) a catalogue. ``":memory:"`` gives an in-memory one for tests.

    With ``create=False`` a missing file is a ``CatalogueMissing`` and nothing is created.
    ``readonly``: opened with ``mode=ro`` (what every read command does), so a catalogue on a
    read-only file, folder or disk is read as it is; nothing is created, switched or migrated.
    A writable open of a catalogue that cannot be written raises ``CatalogueError`` at once.
    """
    if str(path) == ":memory:":
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        return _prepare(conn, wal=False)
    path = Path(path)
    if (readonly or not create) and not path.is_file():
        raise CatalogueMissing(_("no catalogue at {path} (make one with: cchc ingest FILES --db {path})")
                               .format(path=path))
    if readonly:
        return _connect_readonly(path)
    _check_writable(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    try:
        return _prepare(conn, wal=True)
    except sqlite3.OperationalError as exc:
        conn.close()
        if "readonly" in str(exc) or "read-only" in str(exc):
            raise CatalogueError(_("catalogue {path} is read-only ({error})").format(path=path, error=exc)) from None
        raise


def _check_writable(path: Path) -> None:
    folder = path.parent if path.parent != Path("") else Path(".")
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent  # the first existing folder: the catalogue's folders are created in it
    if path.exists() and not os.access(path, os.W_OK):
        raise CatalogueError(_("catalogue {path} is read-only (no write permission); read commands still work")
                             .format(path=path))
    if not os.access(folder, os.W_OK):
        raise CatalogueError(_("catalogue {path} cannot be written: folder {folder} is read-only")
                             .format(path=path, folder=folder))


def _prepare(conn: sqlite3.Connection, *, wal: bool) -> sqlite_utils.Database:
    db = _functions(conn)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    if wal:
        _switch_to_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")
    migrate(db)
    return db


# Switching a new catalogue to WAL needs it alone: a connection opened at the same moment (two crawl
# threads, two ingests) gets "database is locked" at once, without the busy timeout. It tries again.
WAL_SWITCH_ATTEMPTS, WAL_SWITCH_PAUSE_SECONDS = 100, 0.1


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    for attempt in range(WAL_SWITCH_ATTEMPTS):
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == WAL_SWITCH_ATTEMPTS - 1:
                raise
            time.sleep(WAL_SWITCH_PAUSE_SECONDS)  # the other connection is creating the file


def _functions(conn: sqlite3.Connection) -> sqlite_utils.Database:
    # next_due(rule, today): the next due date of a recurring deadline, for queries that list what is due
    conn.create_function("next_due", 2, recurrence.next_due, deterministic=True)
    return sqlite_utils.Database(conn)


def _connect_readonly(path: Path) -> sqlite_utils.Database:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.OperationalError:
        # A WAL catalogue in a read-only folder without its -shm file: readable only as immutable.
        conn = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        except sqlite3.DatabaseError as exc:
            raise CatalogueError(_("cannot read catalogue {path}: {error}").format(path=path, error=exc)) from None
    except sqlite3.DatabaseError as exc:
        raise CatalogueError(_("cannot read catalogue {path}: {error}").format(path=path, error=exc)) from None
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db = _functions(conn)
    version = schema_version(db)
    if version < SCHEMA_VERSION:
        conn.close()
        if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
            connect(path).conn.close()  # bring it up to date once, then read it read-only
            return _connect_readonly(path)
        raise CatalogueError(_("catalogue {path} has schema version {version}, this cchc reads {current}; open it "
                               "once where it can be written to upgrade it").format(path=path, version=version,
                                                                                     current=SCHEMA_VERSION))
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


# Vietnamese writes an open syllable after a consonant with i or y alike (kí/ký, lí/lý, mĩ/mỹ, qui/quy,
# công ti/công ty); "uy", "ay", "tuy" are other syllables and keep their y.
_I_OR_Y = re.compile(r"\b(ngh|ch|gh|kh|ng|nh|ph|qu|th|tr|[bcdghklmnprstvx])y\b")


def search_fold(text: str) -> str:
    """The search key of a text: no tones, đ -> d, lower case, and i/y folded ("Đăng ký" -> "dang ki")."""
    return _I_OR_Y.sub(r"\1i", fold(text))


def search_text(*parts: Any) -> str:
    """What full-text search indexes: the text as written and a folded copy (``search_fold``)."""
    raw = " ".join(str(p) for p in parts if p)
    return f"{raw} {search_fold(raw)}"


def document_search_text(title: str | None, number: str | None, subject: str | None, text: str | None) -> str:
    """A document's search text: its title, number and subject, and the opening of its text."""
    return search_text(title, number, subject, (text or "")[:SEARCHED_TEXT_CHARS])


def fts_query(text: str) -> str:
    """User text as an FTS5 query: folded, each token quoted, so '1980/SNV-CCHC' is never a syntax error."""
    tokens = [t for t in search_fold(text).replace('"', " ").split() if t]
    return " ".join(f'"{t}"' for t in tokens) or '""'


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# The write stage inserts and updates rows with plain SQL: sqlite-utils' ``Table.insert`` and
# ``Table.update`` look up the table's columns, the views and the row on every call (about ten
# queries a row, a third of what writing a document cost). The catalogue's schema is fixed by
# ``connect``, so there is nothing for them to find out. Values are SQLite scalars.

def insert_row(db: sqlite_utils.Database, table: str, row: dict[str, Any]) -> int:
    """Insert one row into ``table``; its id."""
    columns = ", ".join(f"[{c}]" for c in row)
    cursor = db.conn.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({', '.join('?' * len(row))})",
                             list(row.values()))
    return cursor.lastrowid


def update_row(db: sqlite_utils.Database, table: str, row_id: int, values: dict[str, Any]) -> None:
    """Set ``values`` on the row of ``table`` whose id is ``row_id``."""
    if values:
        db.conn.execute(f"UPDATE [{table}] SET {', '.join(f'[{c}] = ?' for c in values)} WHERE id = ?",
                        [*values.values(), row_id])

