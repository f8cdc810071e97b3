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
from .ingest import upsert_directive, upsert_initiative, upsert_unit
from .query import Row, _rows, evidence

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


def pending(db: sqlite_utils.Database, threshold: float, limit: int | None = None) -> list[Row]:
    """Mentions under the threshold with no decision yet, lowest confidence first."""
    marks = ",".join("?" * len(REVIEWABLE))
    sql = (f"SELECT m.id, m.entity, m.field, m.confidence, m.text, m.value, doc.path FROM mentions m "
           f"JOIN documents doc ON doc.id = m.document_id "
           f"LEFT JOIN reviews r ON r.document_sha256 = doc.sha256 AND r.field = m.field AND r.start = m.start AND r.end = m.end "
           f"WHERE m.entity IN ({marks}) AND m.confidence < ? AND r.id IS NULL ORDER BY m.confidence, m.id")
    if limit:
        sql += f" LIMIT {int(limit)}"
    return _rows(db, sql, [*REVIEWABLE, threshold])


def decisions(db: sqlite_utils.Database) -> list[Row]:
    return _rows(db, "SELECT * FROM reviews ORDER BY decided_at DESC, id DESC", [])


class ReviewError(ValueError):
    pass


def decide(db: sqlite_utils.Database, mention_id: int, decision: str, value: dict[str, Any] | None = None,
           reviewer: str | None = None) -> Row:
    """Record a decision on one mention and apply it to the catalogue, in one transaction."""
    if decision not in DECISIONS:
        raise ReviewError(f"decision must be one of {', '.join(DECISIONS)}")
    with transaction(db):
        row = evidence(db, mention_id, 0)
        if row is None:
            raise ReviewError(f"no mention with id {mention_id}")
        if row["entity"] not in REVIEWABLE:
            raise ReviewError(f"mention {mention_id} is a {row['entity']}, which is not reviewed")
        if decision == "corrected":
            allowed = EDITABLE[row["entity"]]
            if not value or set(value) - set(allowed):
                raise ReviewError(f"a correction of a {row['entity']} sets some of: {', '.join(allowed)}")
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


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
