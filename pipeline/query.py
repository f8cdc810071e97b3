"""Read the catalogue: the filters a CCHC officer asks for, as plain functions returning rows.

User text reaches SQLite only as bound parameters; full-text search goes through
``fts_query`` (folded, each token quoted).
"""
from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils

from .catalogue import fts_query
from .normalize import canonical_key, fold

Row = dict[str, Any]


def _rows(db: sqlite_utils.Database, sql: str, params: list[Any]) -> list[Row]:
    cursor = db.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def unit_ids(db: sqlite_utils.Database, name: str) -> list[int]:
    """Units matching a name or alias (exact, else folded substring), with every unit under them."""
    from nlp.vocab import expand_abbreviations

    keys = sorted({canonical_key(name), canonical_key(expand_abbreviations(name))})
    marks = ",".join("?" * len(keys))
    ids = [r[0] for r in db.execute(
        f"SELECT DISTINCT unit_id FROM unit_aliases WHERE alias_key IN ({marks}) "
        f"UNION SELECT id FROM units WHERE canonical_key IN ({marks})", keys + keys)]
    if not ids:
        folded = f"%{fold(name)}%"
        ids = [r[0] for r in db.execute("SELECT id, canonical FROM units") if folded.strip("%") in fold(r[1])]
        ids += [r[0] for r in db.execute("SELECT unit_id, alias FROM unit_aliases") if folded.strip("%") in fold(r[1])]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    sql = (f"WITH RECURSIVE tree(id) AS (SELECT id FROM units WHERE id IN ({marks}) "
           "UNION SELECT u.id FROM units u JOIN tree t ON u.parent_id = t.id) SELECT id FROM tree")
    return [r[0] for r in db.execute(sql, ids)]


def _in(column: str, values: list[int], where: list[str], params: list[Any]) -> None:
    where.append(f"{column} IN ({','.join('?' * len(values))})" if values else "0")
    params.extend(values)


def _search(table: str, text: str | None, where: list[str], params: list[Any], alias: str) -> None:
    if text:
        where.append(f"{alias}.id IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?)")
        params.append(fts_query(text))


def _finish(sql: str, where: list[str], order: str, limit: int | None) -> str:
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order}"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return sql


def initiatives(db, *, unit: str | None = None, year: int | None = None, kind: str | None = None,
                directive: str | None = None, search: str | None = None, limit: int | None = None) -> list[Row]:
    where: list[str] = ["EXISTS (SELECT 1 FROM mentions m WHERE m.entity = 'initiative' AND m.entity_id = i.id)"]
    params: list[Any] = []
    if unit:
        _in("i.unit_id", unit_ids(db, unit), where, params)
    if year:
        where.append("i.year = ?")
        params.append(year)
    if kind:
        where.append("i.kind = ?")
        params.append(kind)
    if directive:
        where.append("d.number = ?")
        params.append(directive)
    _search("initiatives", search, where, params, "i")
    sql = ("SELECT i.id, i.title, i.kind, u.canonical AS unit, i.year, d.number AS directive, "
           "(SELECT COUNT(*) FROM mentions m WHERE m.entity = 'initiative' AND m.entity_id = i.id) AS mentions "
           "FROM initiatives i LEFT JOIN units u ON u.id = i.unit_id LEFT JOIN directives d ON d.id = i.directive_id")
    return _rows(db, _finish(sql, where, "i.year DESC, i.title", limit), params)


def directives(db, *, doc_type: str | None = None, issuer: str | None = None, date_from: str | None = None,
               date_to: str | None = None, search: str | None = None, limit: int | None = None) -> list[Row]:
    where: list[str] = []
    params: list[Any] = []
    if doc_type:
        where.append("d.doc_type = ?")
        params.append(doc_type)
    if issuer:
        ids = unit_ids(db, issuer)
        where.append(f"(d.issuer_unit_id IN ({','.join('?' * len(ids)) or 'NULL'}) OR d.issuer LIKE ?)")
        params.extend(ids)
        params.append(f"%{issuer}%")
    if date_from:
        where.append("d.date >= ?")
        params.append(date_from)
    if date_to:
        where.append("d.date <= ?")
        params.append(date_to)
    _search("directives", search, where, params, "d")
    sql = ("SELECT d.id, d.number, d.doc_type, d.issuer, d.date, d.subject, "
           "(SELECT COUNT(DISTINCT m.document_id) FROM mentions m WHERE m.entity = 'directive' AND m.entity_id = d.id) AS cited_by "
           "FROM directives d")
    return _rows(db, _finish(sql, where, "d.date DESC NULLS LAST, d.number", limit), params)


def deadlines(db, *, unit: str | None = None, due_before: str | None = None, due_after: str | None = None,
              overdue: bool = False, today: str | None = None, directive: str | None = None,
              search: str | None = None, limit: int | None = None) -> list[Row]:
    where: list[str] = ["dl.date IS NOT NULL"]
    params: list[Any] = []
    if unit:
        ids = unit_ids(db, unit)
        where.append(f"(dl.responsible_unit_id IN ({','.join('?' * len(ids)) or 'NULL'}) OR dl.responsible LIKE ?)")
        params.extend(ids)
        params.append(f"%{unit}%")
    if due_before:
        where.append("dl.date <= ?")
        params.append(due_before)
    if due_after:
        where.append("dl.date >= ?")
        params.append(due_after)
    if overdue:
        where.append("dl.date < ?")
        params.append(today or date.today().isoformat())
    if directive:
        where.append("d.number = ?")
        params.append(directive)
    if search:
        where.append("doc.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
        params.append(fts_query(search))
    sql = ("SELECT dl.id, dl.date, dl.task, dl.responsible, u.canonical AS responsible_unit, d.number AS directive, "
           "dl.resolved, doc.path AS document FROM deadlines dl LEFT JOIN units u ON u.id = dl.responsible_unit_id "
           "LEFT JOIN directives d ON d.id = dl.directive_id JOIN documents doc ON doc.id = dl.document_id")
    return _rows(db, _finish(sql, where, "dl.date", limit), params)


def units(db, *, level: str | None = None, search: str | None = None, under: str | None = None,
          limit: int | None = None) -> list[Row]:
    where: list[str] = []
    params: list[Any] = []
    if level:
        where.append("u.level = ?")
        params.append(level)
    if under:
        _in("u.id", unit_ids(db, under), where, params)
    _search("units", search, where, params, "u")
    sql = ("SELECT u.id, u.canonical, u.level, p.canonical AS parent, "
           "(SELECT group_concat(alias, ' | ') FROM unit_aliases a WHERE a.unit_id = u.id AND a.alias != u.canonical) AS aliases, "
           "(SELECT COUNT(*) FROM mentions m WHERE m.entity = 'unit' AND m.entity_id = u.id) AS mentions "
           "FROM units u LEFT JOIN units p ON p.id = u.parent_id")
    return _rows(db, _finish(sql, where, "u.level, u.canonical", limit), params)


def documents(db, *, kind: str | None = None, fmt: str | None = None, date_from: str | None = None,
              date_to: str | None = None, search: str | None = None, limit: int | None = None) -> list[Row]:
    where: list[str] = []
    params: list[Any] = []
    for column, value in (("kind", kind), ("format", fmt)):
        if value:
            where.append(f"doc.{column} = ?")
            params.append(value)
    if date_from:
        where.append("doc.date >= ?")
        params.append(date_from)
    if date_to:
        where.append("doc.date <= ?")
        params.append(date_to)
    _search("documents", search, where, params, "doc")
    sql = ("SELECT doc.id, doc.kind, doc.format, doc.date, doc.number, doc.title, doc.path, doc.url "
           "FROM documents doc")
    return _rows(db, _finish(sql, where, "doc.date DESC NULLS LAST, doc.id", limit), params)


def evidence(db, mention_id: int, context: int = 160) -> Row | None:
    """A mention with its sentence: what a reviewer or ``cchc show`` prints as evidence."""
    rows = _rows(db, "SELECT m.*, doc.path, doc.url, doc.sha256, doc.text AS doc_text FROM mentions m "
                     "JOIN documents doc ON doc.id = m.document_id WHERE m.id = ?", [mention_id])
    if not rows:
        return None
    row = rows[0]
    text = row.pop("doc_text")
    row["before"] = text[max(0, row["start"] - context):row["start"]]
    row["after"] = text[row["end"]:row["end"] + context]
    return row


def mentions_of(db, entity: str, entity_id: int) -> list[Row]:
    ids = [r[0] for r in db.execute("SELECT id FROM mentions WHERE entity = ? AND entity_id = ? ORDER BY document_id, start",
                                    [entity, entity_id])]
    return [e for e in (evidence(db, i, 120) for i in ids) if e]


def counts(db) -> dict[str, int]:
    return {t: db[t].count for t in ("documents", "directives", "initiatives", "deadlines", "units", "mentions", "failures")}


def upcoming_deadlines(db, today: str | None = None, limit: int = 5) -> list[Row]:
    return deadlines(db, due_after=today or date.today().isoformat(), limit=limit)
