"""Deadlines with a life: marked done or reopened by a person, with who and when.

Each mark is appended to ``deadline_log`` under the document's sha256 and the deadline's
span (like review decisions), so it outlives any re-extraction; ``deadlines.status``,
``done_by`` and ``done_at`` hold the state in force. A done deadline leaves "upcoming"
and "overdue".
"""
from __future__ import annotations

import sqlite_utils

from .catalogue import now, transaction
from .i18n import _
from .query import Row, _rows
from .review import reviewer_name


class DeadlineError(ValueError):
    """A mark that cannot be made; ``str()`` is the one-line reason."""


def _deadline(db: sqlite_utils.Database, deadline_id: int) -> Row:
    rows = _rows(db, "SELECT dl.*, doc.sha256 FROM deadlines dl JOIN documents doc ON doc.id = dl.document_id "
                     "WHERE dl.id = ?", [deadline_id])
    if not rows:
        raise DeadlineError(_("no deadline with id {id}").format(id=deadline_id))
    return rows[0]


def _mark(db: sqlite_utils.Database, deadline_id: int, action: str, by: str | None) -> Row:
    with transaction(db):
        row = _deadline(db, deadline_id)
        if action == "done" and row["status"] == "done":
            raise DeadlineError(_("deadline {id} is already done ({by}, {at})").format(
                id=deadline_id, by=row["done_by"], at=row["done_at"]))
        if action == "reopened" and row["status"] != "done":
            raise DeadlineError(_("deadline {id} is not done; there is nothing to reopen").format(id=deadline_id))
        who, when = by or reviewer_name(), now()
        db.execute("INSERT INTO deadline_log (document_sha256, start, end, action, by, at) VALUES (?, ?, ?, ?, ?, ?)",
                   [row["sha256"], row["start"], row["end"], action, who, when])
        state = ("done", who, when) if action == "done" else ("open", None, None)
        db.execute("UPDATE deadlines SET status = ?, done_by = ?, done_at = ? WHERE id = ?", [*state, deadline_id])
    return _deadline(db, deadline_id)


def mark_done(db: sqlite_utils.Database, deadline_id: int, by: str | None = None) -> Row:
    return _mark(db, deadline_id, "done", by)


def reopen(db: sqlite_utils.Database, deadline_id: int, by: str | None = None) -> Row:
    return _mark(db, deadline_id, "reopened", by)


def history(db: sqlite_utils.Database, deadline_id: int) -> list[Row]:
    row = _deadline(db, deadline_id)
    return _rows(db, "SELECT action, by, at FROM deadline_log WHERE document_sha256 = ? AND start = ? AND end = ? "
                     "ORDER BY id", [row["sha256"], row["start"], row["end"]])
