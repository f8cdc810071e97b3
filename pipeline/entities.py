"""Everything the catalogue knows about one initiative, directive, unit, deadline or document:
names rather than ids, the evidence sentences (where each was read), and what links to what.
``cchc show`` prints these; the web pages render them.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import sqlite_utils

from .rawstore import RawStore
from .query import Row, _rows, mentions_of, unit_ids

Page = dict[str, Any]


def _one(db: sqlite_utils.Database, sql: str, params: list[Any]) -> Row | None:
    rows = _rows(db, sql, params)
    return rows[0] if rows else None


def initiative(db: sqlite_utils.Database, initiative_id: int) -> Page | None:
    row = _one(db, "SELECT i.id, i.title, i.kind, i.year, i.unit_id, u.canonical AS unit, i.directive_id, "
                   "d.number AS directive FROM initiatives i LEFT JOIN units u ON u.id = i.unit_id "
                   "LEFT JOIN directives d ON d.id = i.directive_id WHERE i.id = ?", [initiative_id])
    if row is None:
        return None
    return {"initiative": row, "evidence": mentions_of(db, "initiative", initiative_id)}


def directive(db: sqlite_utils.Database, directive_id: int | None = None, number: str | None = None) -> Page | None:
    where, param = ("d.id = ?", directive_id) if directive_id is not None else ("d.number = ?", number)
    row = _one(db, "SELECT d.id, d.number, d.doc_type, d.issuer, d.issuer_unit_id, d.date, d.subject, d.document_id, "
                   f"doc.path, doc.url FROM directives d LEFT JOIN documents doc ON doc.id = d.document_id WHERE {where}",
               [param])
    if row is None:
        return None
    return {
        "directive": row,
        "initiatives": _rows(db, "SELECT i.id, i.title, i.year, u.canonical AS unit, i.unit_id FROM initiatives i "
                                 "LEFT JOIN units u ON u.id = i.unit_id WHERE i.directive_id = ? ORDER BY i.title",
                             [row["id"]]),
        "deadlines": _rows(db, "SELECT id, date, task, status FROM deadlines WHERE directive_id = ? ORDER BY date",
                           [row["id"]]),
        "evidence": mentions_of(db, "directive", row["id"]),
    }


def unit(db: sqlite_utils.Database, unit_id: int | None = None, name: str | None = None) -> Page | None:
    if unit_id is None:
        ids = unit_ids(db, name or "")
        if not ids:
            return None
        unit_id = ids[0]
    row = _one(db, "SELECT u.id, u.canonical, u.level, u.parent_id, p.canonical AS parent, u.successor_status, "
                   "u.successor, u.successor_province FROM units u LEFT JOIN units p ON p.id = u.parent_id "
                   "WHERE u.id = ?", [unit_id])
    if row is None:
        return None
    return {
        "unit": row,
        "aliases": [r[0] for r in db.execute("SELECT alias FROM unit_aliases WHERE unit_id = ? ORDER BY alias",
                                             [unit_id])],
        "children": _rows(db, "SELECT id, canonical, level FROM units WHERE parent_id = ? ORDER BY canonical", [unit_id]),
        "initiatives": _rows(db, "SELECT id, title, year, kind FROM initiatives WHERE unit_id = ? "
                                 "ORDER BY COALESCE(year, 0) DESC, title", [unit_id]),
        "deadlines": _rows(db, "SELECT id, date, task, status FROM deadlines WHERE responsible_unit_id = ? ORDER BY date",
                           [unit_id]),
        "evidence": mentions_of(db, "unit", unit_id),
    }


def deadline(db: sqlite_utils.Database, deadline_id: int) -> Page | None:
    row = _one(db, "SELECT dl.id, dl.date, dl.task, dl.responsible, dl.responsible_unit_id, u.canonical AS "
                   "responsible_unit, dl.directive_id, d.number AS directive, dl.resolved, dl.recurring, dl.status, "
                   "dl.done_by, dl.done_at, dl.document_id, doc.path, doc.url FROM deadlines dl "
                   "LEFT JOIN units u ON u.id = dl.responsible_unit_id LEFT JOIN directives d ON d.id = dl.directive_id "
                   "JOIN documents doc ON doc.id = dl.document_id WHERE dl.id = ?", [deadline_id])
    if row is None:
        return None
    from .deadline_status import history

    return {"deadline": row, "history": history(db, deadline_id), "evidence": mentions_of(db, "deadline", deadline_id)}


def document(db: sqlite_utils.Database, document_id: int) -> Page | None:
    row = _one(db, "SELECT id, title, number, doc_type, issuer, date, kind, format, path, url, text, sha256 "
                   "FROM documents WHERE id = ?", [document_id])
    if row is None:
        return None
    return {"document": row,
            "files": _rows(db, "SELECT id, path, url, format, sha256, added_at FROM files WHERE document_id = ? "
                               "ORDER BY id", [document_id])}


def file_row(db: sqlite_utils.Database, file_id: int) -> Row | None:
    return _one(db, "SELECT id, document_id, path, url, format, sha256 FROM files WHERE id = ?", [file_id])


def file_bytes(db: sqlite_utils.Database, file_id: int, raw_root: str | Path) -> tuple[Row, bytes] | None:
    """A catalogued file's bytes: from the raw store, else from its path if the bytes there are still the same.
    Only files the catalogue recorded can be read this way."""
    row = file_row(db, file_id)
    if row is None:
        return None
    store = RawStore(raw_root)
    if store.has(row["sha256"]):
        return row, store.get(row["sha256"])
    try:
        data = Path(row["path"]).read_bytes()
    except OSError:
        return None
    return (row, data) if hashlib.sha256(data).hexdigest() == row["sha256"] else None
