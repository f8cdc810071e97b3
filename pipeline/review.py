"""The review queue: extractions under the confidence threshold, worked through by a person.

A decision (accepted, corrected, rejected) is stored in ``reviews`` under the document's
sha256 and the span's field and offsets, with who and when. ``ingest`` applies decisions
again after every re-extraction, so they survive any number of re-runs; ``decide``
applies them to the catalogue at once.
"""
from __future__ import annotations

import getpass
import json
import os
from typing import Any

import sqlite_utils

from .catalogue import dumps, now, transaction
from .i18n import _
from .ingest import upsert_directive, upsert_initiative, upsert_unit
from .query import Row, _rows, evidence
from .values import BadValue, checked

REVIEWABLE = ("unit", "directive", "deadline", "initiative")
DECISIONS = ("accepted", "corrected", "rejected")
# The value fields a reviewer may correct, per entity.
EDITABLE = {
    "initiative": ("title", "kind", "unit", "year", "directive"),
    "deadline": ("date", "task", "responsible"),
    "unit": ("canonical", "level", "parent"),
    "directive": ("number", "doc_type", "date"),
}


def reviewer_name() -> str:
    return os.environ.get("CCHC_REVIEWER") or getpass.getuser()


def pending_sql(columns: str, threshold: float) -> str:
    """The review queue as SQL (the threshold a number literal), shared with the dashboard."""
    entities = ", ".join(f"'{e}'" for e in REVIEWABLE)
    return (f"SELECT {columns} FROM mentions m JOIN documents doc ON doc.id = m.document_id "
            f"LEFT JOIN reviews r ON r.document_sha256 = doc.sha256 AND r.field = m.field AND r.start = m.start "
            f"AND r.end = m.end WHERE m.entity IN ({entities}) AND m.confidence < {float(threshold)!r} AND r.id IS NULL")


def pending(db: sqlite_utils.Database, threshold: float, limit: int | None = None) -> list[Row]:
    """Mentions under the threshold with no decision yet, lowest confidence first."""
    sql = pending_sql("m.id, m.entity, m.field, m.confidence, m.text, m.value, doc.path", threshold)
    sql += " ORDER BY m.confidence, m.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return _rows(db, sql, [])


def pending_count(db: sqlite_utils.Database, threshold: float) -> int:
    return db.execute(pending_sql("COUNT(*)", threshold)).fetchone()[0]


def decisions(db: sqlite_utils.Database) -> list[Row]:
    return _rows(db, "SELECT * FROM reviews ORDER BY decided_at DESC, id DESC", [])


class ReviewError(ValueError):
    pass


def decide(db: sqlite_utils.Database, mention_id: int, decision: str, value: dict[str, Any] | None = None,
           reviewer: str | None = None) -> Row:
    """Record a decision on one mention and apply it to the catalogue, in one transaction."""
    if decision not in DECISIONS:
        raise ReviewError(_("decision must be one of {allowed}").format(allowed=", ".join(DECISIONS)))
    with transaction(db):
        row = evidence(db, mention_id, 0)
        if row is None:
            raise ReviewError(_("no mention with id {id}").format(id=mention_id))
        if row["entity"] not in REVIEWABLE:
            raise ReviewError(_("mention {id} is a {entity}, which is not reviewed").format(
                id=mention_id, entity=row["entity"]))
        if decision == "corrected":
            allowed = EDITABLE[row["entity"]]
            if not value or set(value) - set(allowed):
                raise ReviewError(_("a correction of a {entity} sets some of: {allowed}").format(
                    entity=row["entity"], allowed=", ".join(allowed)))
            value = {k: _checked_field(row["entity"], k, v) for k, v in value.items()}
        original = json.loads(row["value"]) if row["value"] else None
        db.execute(
            "INSERT INTO reviews (document_sha256, field, start, end, decision, value, original, reviewer, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(document_sha256, field, start, end) DO UPDATE SET "
            "decision = excluded.decision, value = excluded.value, reviewer = excluded.reviewer, decided_at = excluded.decided_at",
            [row["sha256"], row["field"], row["start"], row["end"], decision, dumps(value) if value else None,
             dumps(original), reviewer or reviewer_name(), now()])
        _apply(db, row, decision, {**(original or {}), **(value or {})})
    return {"mention": mention_id, "decision": decision, "value": value}


def _apply(db: sqlite_utils.Database, row: Row, decision: str, value: dict[str, Any]) -> None:
    entity, entity_id = row["entity"], row["entity_id"]
    if decision == "accepted":
        return
    if decision == "rejected":
        db.execute("UPDATE mentions SET entity_id = NULL WHERE id = ?", [row["id"]])
        if entity == "deadline" and entity_id:
            db.execute("DELETE FROM deadlines WHERE id = ?", [entity_id])
        return
    if entity == "initiative":
        unit_id = upsert_unit(db, value["unit"], None, None) if value.get("unit") else None
        directive_id = upsert_directive(db, value["directive"]) if value.get("directive") else None
        new_id = upsert_initiative(db, value["title"], value.get("kind"), unit_id, _int(value.get("year")),
                                   directive_id, value.get("unit"))
        db.execute("UPDATE initiatives SET kind = COALESCE(?, kind), unit_id = COALESCE(?, unit_id), "
                   "year = COALESCE(?, year), directive_id = COALESCE(?, directive_id) WHERE id = ?",
                   [value.get("kind"), unit_id, _int(value.get("year")), directive_id, new_id])
        entity_id = new_id
    elif entity == "deadline" and entity_id:
        db.execute("UPDATE deadlines SET date = ?, task = ?, responsible = ? WHERE id = ?",
                   [value.get("date"), value.get("task"), value.get("responsible"), entity_id])
    elif entity == "unit":
        entity_id = upsert_unit(db, value["canonical"], value.get("level"), value.get("parent"), row["text"])
    elif entity == "directive":
        entity_id = upsert_directive(db, value["number"], doc_type=value.get("doc_type"), date=value.get("date"))
    db.execute("UPDATE mentions SET entity_id = ?, value = ? WHERE id = ?", [entity_id, dumps(value), row["id"]])


def _checked_field(entity: str, field: str, value: Any) -> Any:
    try:
        return checked(entity, field, value) if isinstance(value, str) else value
    except BadValue as exc:
        raise ReviewError(f"{field}: {exc}") from None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
