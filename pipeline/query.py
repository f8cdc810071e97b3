"""Read the catalogue: the filters a CCHC officer asks for, as plain functions returning rows.

User text reaches SQLite only as bound parameters; full-text search goes through
``fts_query`` (folded, each token quoted).
"""
from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

import sqlite_utils

from .catalogue import LOW_BITS, fts_query
from nlp.keys import canonical_key, fold

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
    folded = fold(name).strip()
    if not ids and folded:  # a part of a name, as typed (no wildcards: '%' is a percent sign)
        ids = [r[0] for r in db.execute("SELECT id, canonical FROM units") if folded in fold(r[1])]
        ids += [r[0] for r in db.execute("SELECT unit_id, alias FROM unit_aliases") if folded in fold(r[1])]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    sql = (f"WITH RECURSIVE tree(id) AS (SELECT id FROM units WHERE id IN ({marks}) "
           "UNION SELECT u.id FROM units u JOIN tree t ON u.parent_id = t.id) SELECT id FROM tree")
    return [r[0] for r in db.execute(sql, ids)]


def like_literal(text: str | None) -> str:
    """User text inside a LIKE pattern as itself: '%', '_' and the escape character escaped."""
    return (text or "").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Filters:
    """WHERE clauses and their bound parameters, built filter by filter (user text never enters SQL)."""

    def __init__(self, *always: str) -> None:
        self.where: list[str] = list(always)
        self.params: list[Any] = []

    def add(self, clause: str, *values: Any) -> None:
        self.where.append(clause)
        self.params.extend(values)

    def eq(self, column: str, value: Any) -> None:
        if value:
            self.add(f"{column} = ?", value)

    def between(self, column: str, low: str | None, high: str | None) -> None:
        if low:
            self.add(f"{column} >= ?", low)
        if high:
            self.add(f"{column} <= ?", high)

    def ids(self, column: str, ids: list[int], text_column: str | None = None, text: str | None = None) -> None:
        """``column`` in ``ids`` (units matched by alias), or ``text_column`` containing the name as written."""
        marks = ",".join("?" * len(ids)) or "NULL"
        if text_column:
            self.add(f"({column} IN ({marks}) OR {text_column} LIKE ? ESCAPE '\\')", *ids, f"%{like_literal(text)}%")
        else:
            self.add(f"{column} IN ({marks})", *ids)

    def search(self, table: str, text: str | None, alias: str, key: str = "id") -> None:
        """Rows whose ``key`` is a rowid of the table's full-text index matching ``text``."""
        if text:
            self.add(f"{alias}.{key} IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?)", fts_query(text))

    def run(self, db, sql: str, order: str, limit: int | None) -> list[Row]:
        if self.where:
            sql += " WHERE " + " AND ".join(self.where)
        sql += f" ORDER BY {order}"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return _rows(db, sql, self.params)


INITIATIVE_ORDER = "COALESCE(i.year, 0) DESC, i.title"
_INITIATIVE_COLUMNS = ("SELECT i.id, i.title, i.kind, u.canonical AS unit, i.year, d.number AS directive, "
                       "(SELECT COUNT(*) FROM mentions m WHERE m.entity = 'initiative' AND m.entity_id = i.id) AS mentions")


def initiatives(db, *, unit: str | None = None, year: int | None = None, kind: str | None = None,
                directive: str | None = None, search: str | None = None, limit: int | None = None) -> list[Row]:
    f = Filters("EXISTS (SELECT 1 FROM mentions m WHERE m.entity = 'initiative' AND m.entity_id = i.id)")
    if unit:
        f.ids("i.unit_id", unit_ids(db, unit))
    f.eq("i.year", year)
    f.eq("i.kind", kind)
    f.eq("d.number", directive)
    joins = "LEFT JOIN units u ON u.id = i.unit_id LEFT JOIN directives d ON d.id = i.directive_id"
    if search:
        return _search_initiatives(db, f, search, joins, limit)
    # An expression, not the column: ordering must not steer SQLite to scan the year index past the filters.
    return f.run(db, f"{_INITIATIVE_COLUMNS} FROM initiatives i {joins}", INITIATIVE_ORDER, limit)


def _search_initiatives(db, f: Filters, search: str, joins: str, limit: int | None) -> list[Row]:
    """Matches by year, newest first, then by title, without sorting every match.

    The index's rowid is the year-order key (``pipeline.catalogue.SEARCH_KEYS``): the first ``limit``
    matches in key order end in some year Y, so the page holds only matches of Y or later; those,
    and only those, are sorted by title.
    """
    f.where.insert(0, "initiatives_fts MATCH ?")
    f.params.insert(0, fts_query(search))
    source = f"{_INITIATIVE_COLUMNS} FROM initiatives_fts JOIN initiatives i ON i.search_key = initiatives_fts.rowid {joins}"
    if limit:
        keys = f"SELECT initiatives_fts.rowid AS k FROM initiatives_fts JOIN initiatives i ON i.search_key = initiatives_fts.rowid {joins}"
        where = " WHERE " + " AND ".join(f.where)
        last = db.execute(f"SELECT MIN(k) FROM ({keys}{where} ORDER BY initiatives_fts.rowid DESC LIMIT {int(limit)})",
                          f.params).fetchone()[0]
        if last is None:
            return []
        f.add("initiatives_fts.rowid >= ?", last - last % LOW_BITS)  # the first key of year Y
    return f.run(db, source, INITIATIVE_ORDER, limit)


def directives(db, *, doc_type: str | None = None, issuer: str | None = None, date_from: str | None = None,
               date_to: str | None = None, search: str | None = None, limit: int | None = None) -> list[Row]:
    f = Filters()
    f.eq("d.doc_type", doc_type)
    if issuer:
        f.ids("d.issuer_unit_id", unit_ids(db, issuer), "d.issuer", issuer)
    f.between("d.date", date_from, date_to)
    f.search("directives", search, "d")
    sql = ("SELECT d.id, d.number, d.doc_type, d.issuer, d.date, d.subject, "
           "(SELECT COUNT(DISTINCT m.document_id) FROM mentions m WHERE m.entity = 'directive' AND m.entity_id = d.id) AS cited_by "
           "FROM directives d")
    return f.run(db, sql, "d.date DESC NULLS LAST, d.number", limit)


_DEADLINE_COLUMNS = ("dl.id, {due} AS due, dl.date, dl.recurring, dl.rule, dl.task, dl.responsible, "
                     "u.canonical AS responsible_unit, d.number AS directive, dl.resolution, dl.resolved, "
                     "dl.status, dl.done_by, dl.done_at, doc.path AS document "
                     "FROM deadlines dl LEFT JOIN units u ON u.id = dl.responsible_unit_id "
                     "LEFT JOIN directives d ON d.id = dl.directive_id JOIN documents doc ON doc.id = dl.document_id")


def deadlines(db, *, unit: str | None = None, due_before: str | None = None, due_after: str | None = None,
              overdue: bool = False, due_within: int | None = None, status: str | None = None,
              today: str | None = None, directive: str | None = None, search: str | None = None,
              limit: int | None = None) -> list[Row]:
    """Deadlines by due date. A dated deadline is due on its date; a recurring one ("trước ngày 15 hằng
    tháng") on the next day its rule falls on from ``today`` (or from ``due_after``, when later), so it
    shows in every upcoming list and is never overdue. ``overdue`` and ``due_within`` (days from
    ``today``) count open ones only: a deadline marked done is neither late nor coming."""
    day = date.fromisoformat(today) if today else date.today()
    today = day.isoformat()
    if due_within is not None:
        due_after = max(due_after or today, today)
        due_before = min(due_before or "9999-12-31", (day + timedelta(days=due_within)).isoformat())
    if overdue or due_within is not None:
        status = status or "open"
    unit_ids_ = unit_ids(db, unit) if unit else None

    def arm(always: str) -> Filters:
        f = Filters(always)
        if unit:
            f.ids("dl.responsible_unit_id", unit_ids_, "dl.responsible", unit)
        f.eq("dl.status", status)
        f.eq("d.number", directive)
        f.search("documents", search, "doc", key="search_key")
        return f

    dated = arm("dl.date IS NOT NULL")
    dated.between("dl.date", due_after, due_before)
    if overdue:
        dated.add("dl.date < ?", today)
    sql = "SELECT " + _DEADLINE_COLUMNS.format(due="dl.date") + " WHERE " + " AND ".join(dated.where)
    params = list(dated.params)
    if not overdue:
        recurring = arm("dl.rule IS NOT NULL")
        sql += (" UNION ALL SELECT * FROM (SELECT " + _DEADLINE_COLUMNS.format(due="next_due(dl.rule, ?)")
                + " WHERE " + " AND ".join(recurring.where) + ") WHERE due IS NOT NULL"
                + (" AND due >= ?" if due_after else "") + (" AND due <= ?" if due_before else ""))
        counted_from = max(today, due_after) if due_after else today  # its first day in the window asked for
        params += [counted_from, *recurring.params, *([due_after] if due_after else []),
                   *([due_before] if due_before else [])]
    sql = f"SELECT * FROM ({sql}) ORDER BY due, id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return _rows(db, sql, params)


def units(db, *, level: str | None = None, search: str | None = None, under: str | None = None,
          current: bool = False, limit: int | None = None) -> list[Row]:
    """Units with level, parent and aliases; ``current``: with what each is since 1 July 2025 instead."""
    f = Filters()
    f.eq("u.level", level)
    if under:
        f.ids("u.id", unit_ids(db, under))
    f.search("units", search, "u")
    if current:
        sql = ("SELECT u.id, u.canonical, u.level, COALESCE(u.successor_status, 'unknown') AS since_2025, "
               "CASE WHEN u.successor_status = 'abolished' AND u.successor IS NULL THEN NULL "
               "ELSE COALESCE(u.successor, u.canonical) END AS current, u.successor_province AS current_province "
               "FROM units u")
        return f.run(db, sql, "u.level, u.canonical", limit)
    sql = ("SELECT u.id, u.canonical, u.level, p.canonical AS parent, "
           "(SELECT group_concat(alias, ' | ') FROM unit_aliases a WHERE a.unit_id = u.id AND a.alias != u.canonical) AS aliases, "
           "(SELECT COUNT(*) FROM mentions m WHERE m.entity = 'unit' AND m.entity_id = u.id) AS mentions "
           "FROM units u LEFT JOIN units p ON p.id = u.parent_id")
    return f.run(db, sql, "u.level, u.canonical", limit)


def documents(db, *, kind: str | None = None, fmt: str | None = None, date_from: str | None = None,
              date_to: str | None = None, search: str | None = None, limit: int | None = None) -> list[Row]:
    f = Filters()
    f.eq("doc.kind", kind)
    f.eq("doc.format", fmt)
    f.between("doc.date", date_from, date_to)
    columns = ("doc.id, doc.kind, doc.format, doc.date, doc.number, doc.title, doc.path, doc.url, "
               "doc.text_quality, doc.ocr_pages")
    # Newest first, then by id: ``search_key`` is that order as one indexed integer (pipeline.catalogue).
    if not search:
        return f.run(db, f"SELECT {columns} FROM documents doc", "doc.search_key DESC", limit)
    # A search walks the full-text index in that order (its rowid is the key) and stops at the page:
    # no sort of every match, whatever their number.
    f.where.insert(0, "documents_fts MATCH ?")
    f.params.insert(0, fts_query(search))
    sql = f"SELECT {columns} FROM documents_fts JOIN documents doc ON doc.search_key = documents_fts.rowid"
    return f.run(db, sql, "documents_fts.rowid DESC", limit)


# Where a sentence ends: a stop followed by a space, or a line break (no stop inside "TP.HCM", "12.3.2018").
_SENTENCE_END = re.compile(r"[.!?;](?=\s)|\n")


def evidence(db, mention_id: int, context: int = 160) -> Row | None:
    """A mention with its sentence: what a reviewer or ``cchc show`` prints as evidence.

    ``before`` and ``after`` reach to the sentence's ends, at most ``context`` characters each way.
    """
    rows = _rows(db, "SELECT m.*, doc.path, doc.url, doc.sha256, doc.text AS doc_text FROM mentions m "
                     "JOIN documents doc ON doc.id = m.document_id WHERE m.id = ?", [mention_id])
    if not rows:
        return None
    row = rows[0]
    text = row.pop("doc_text")
    sentence = _sentence(row.get("value"))
    if sentence and sentence[0] <= row["start"] and row["end"] <= sentence[1]:
        # the extractor found the evidence sentence (underthesea's splitter): show that
        row["before"] = text[max(sentence[0], row["start"] - context):row["start"]]
        row["after"] = text[row["end"]:min(sentence[1], row["end"] + context)]
        return row
    before = text[max(0, row["start"] - context):row["start"]]
    after = text[row["end"]:row["end"] + context]
    ends = list(_SENTENCE_END.finditer(before))
    row["before"] = before[ends[-1].end():].lstrip() if ends else before
    stop = _SENTENCE_END.search(after)
    row["after"] = after[:stop.end()] if stop else after
    return row


def _sentence(value: str | None) -> tuple[int, int] | None:
    try:
        found = json.loads(value).get("sentence") if value else None
    except (ValueError, AttributeError):
        return None
    return (int(found[0]), int(found[1])) if isinstance(found, list) and len(found) == 2 else None


def mentions_of(db, entity: str, entity_id: int) -> list[Row]:
    ids = [r[0] for r in db.execute("SELECT id FROM mentions WHERE entity = ? AND entity_id = ? ORDER BY document_id, start",
                                    [entity, entity_id])]
    return [e for e in (evidence(db, i, 120) for i in ids) if e]


def counts(db) -> dict[str, int]:
    return {t: db[t].count for t in ("documents", "directives", "initiatives", "deadlines", "units", "mentions", "failures")}
