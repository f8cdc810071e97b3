"""What an office reads: the column names and values in the interface language, the report's sheets
and the figures of the summary and the dashboard (one SQL for both).

Columns keep their machine names in the library, JSON and CSV keys of ``cchc query``; people see
``label(column)`` and ``shown(column, value)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Callable

import sqlite_utils

from . import query as q
from .i18n import N_, _
from .query import Row

LABELS = {
    "id": N_("No."), "title": N_("Title"), "kind": N_("Kind"), "unit": N_("Unit"), "year": N_("Year"),
    "directive": N_("Directive"), "mentions": N_("Mentions"), "number": N_("Number"),
    "doc_type": N_("Document type"), "issuer": N_("Issued by"), "date": N_("Date"), "subject": N_("Subject"),
    "cited_by": N_("Cited by (documents)"), "task": N_("Task"), "responsible": N_("Responsible (as written)"),
    "responsible_unit": N_("Responsible unit"), "resolved": N_("How the date was read"), "status": N_("Status"),
    "done_by": N_("Marked done by"), "done_at": N_("Marked done at"), "document": N_("Source"),
    "canonical": N_("Name"), "level": N_("Level"), "parent": N_("Under"), "aliases": N_("Other names"),
    "format": N_("File format"), "path": N_("File"), "url": N_("Web address"), "confidence": N_("Confidence"),
    "entity": N_("Item"), "field": N_("Field"), "text": N_("Text as written"), "value": N_("Value"),
    "due": N_("Due"), "days_left": N_("Days left"), "files": N_("Files"), "total": N_("Total"),
    "recurring": N_("Recurring"), "doc_kind": N_("Kind"), "since_2025": N_("Since 1 July 2025"),
    "current": N_("Today"), "current_province": N_("Province today"),
    "text_quality": N_("Text quality"), "ocr_pages": N_("Pages read by OCR"),
}
VALUE_LABELS = {
    "status": {"open": N_("open"), "done": N_("done")},
    "level": {"central": N_("central"), "province": N_("province"), "district": N_("district"),
              "commune": N_("commune")},
    "entity": {"unit": N_("unit"), "directive": N_("directive"), "deadline": N_("deadline"),
               "initiative": N_("initiative"), "document": N_("document"), "date": N_("date"), "file": N_("file")},
    "doc_kind": {"news": N_("news"), "official": N_("official text")},
    "action": {"done": N_("marked done"), "reopened": N_("reopened")},
    "decision": {"accepted": N_("accepted"), "corrected": N_("corrected"), "rejected": N_("rejected")},
    "since_2025": {"same": N_("unchanged"), "merged": N_("merged"), "abolished": N_("abolished"),
                   "unknown": N_("not known")},
    "outcome": {"processed": N_("processed"), "duplicate": N_("duplicate"), "failed": N_("failed")},
}
# Deadlines shown ahead on the dashboard and in the summary sheet (the 30/60/90 days).
HORIZONS = (30, 60, 90)
NO_UNIT = N_("(unit not known)")


def label(column: str) -> str:
    return _(LABELS[column]) if column in LABELS else column


def shown(column: str, value: Any) -> Any:
    names = VALUE_LABELS.get(column)
    return _(names[value]) if names and value in names else value


def since_2025(u: dict[str, Any]) -> str:
    """What became of a unit on 1 July 2025, in words."""
    status, successor = u.get("successor_status"), u.get("successor")
    if not status:
        return _("not known (not a place-bound unit, or catalogued before the map: run cchc reprocess)")
    if status == "same":
        return _("unchanged")
    if status == "merged":
        return _("merged into {successor}").format(successor=successor)
    if successor:
        return _("abolished; its communes' bodies: {successor}").format(successor=successor)
    return _("abolished")


def sql_text(text: str) -> str:
    """A constant of ours (a translated label) as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


# --- figures shared by the dashboard and the summary sheet -----------------------------------

def initiatives_by_unit_year_sql() -> str:
    return ("SELECT COALESCE(u.canonical, " + sql_text(_(NO_UNIT)) + ") AS unit, u.id AS unit_id, i.year AS year, "
            "COALESCE(i.kind, '') AS kind, COUNT(*) AS n FROM initiatives i LEFT JOIN units u ON u.id = i.unit_id "
            "WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.entity = 'initiative' AND m.entity_id = i.id) "
            "GROUP BY u.id, i.year, i.kind ORDER BY n DESC")


def horizon_sql(today: str | None = None) -> str:
    """Open deadlines overdue (the last year of them) or due within the longest horizon, with their band."""
    day = sql_text(today) if today else "date('now', 'localtime')"
    within, overdue = _("within {n} days"), sql_text(_("overdue"))
    bands = " ".join(f"WHEN dl.date <= date({day}, '+{n} days') THEN {sql_text(within.format(n=n))}"
                     for n in HORIZONS)
    return ("SELECT dl.id, dl.date, dl.task, COALESCE(u.canonical, dl.responsible) AS unit, d.number AS directive, "
            f"CASE WHEN dl.date < {day} THEN {overdue} {bands} END AS band, "
            f"CAST(julianday(dl.date) - julianday({day}) AS INTEGER) AS days_left "
            "FROM deadlines dl LEFT JOIN units u ON u.id = dl.responsible_unit_id "
            "LEFT JOIN directives d ON d.id = dl.directive_id "
            f"WHERE dl.status = 'open' AND dl.date >= date({day}, '-365 days') "
            f"AND dl.date <= date({day}, '+{HORIZONS[-1]} days') ORDER BY dl.date")


def overdue_count_sql(today: str | None = None) -> str:
    day = sql_text(today) if today else "date('now', 'localtime')"
    return f"SELECT COUNT(*) AS n FROM deadlines WHERE status = 'open' AND date < {day}"


def most_cited_sql(limit: int = 15) -> str:
    return ("SELECT d.id, d.number, COALESCE(d.doc_type, '') AS doc_type, d.date, "
            "COUNT(DISTINCT m.document_id) AS documents FROM directives d JOIN mentions m ON m.entity = 'directive' "
            f"AND m.entity_id = d.id GROUP BY d.id ORDER BY documents DESC, d.date DESC LIMIT {int(limit)}")


# --- the report's sheets ------------------------------------------------------------------------

@dataclass(frozen=True)
class Sheet:
    name: str  # a msgid
    columns: tuple[str, ...]
    rows: Callable[[sqlite_utils.Database], list[Row]]
    dates: tuple[str, ...] = ()  # columns holding ISO days
    times: tuple[str, ...] = ()  # columns holding ISO timestamps (UTC)
    wide: tuple[str, ...] = ()  # long text, wrapped


def _first_source(db: sqlite_utils.Database, entity: str) -> dict[int, str]:
    rows = db.execute("SELECT m.entity_id, COALESCE(doc.url, doc.path) FROM mentions m JOIN documents doc "
                      "ON doc.id = m.document_id WHERE m.entity = ? AND m.entity_id IS NOT NULL "
                      "ORDER BY m.document_id DESC, m.start DESC", [entity]).fetchall()
    return dict(rows)  # the earliest document wins (written last)


def _initiatives(db: sqlite_utils.Database) -> list[Row]:
    sources = _first_source(db, "initiative")
    return [{**r, "document": sources.get(r["id"])} for r in q.initiatives(db)]


def _documents(db: sqlite_utils.Database) -> list[Row]:
    files: dict[int, list[str]] = {}
    for doc_id, path in db.execute("SELECT document_id, path FROM files ORDER BY id"):
        files.setdefault(doc_id, []).append(path)
    return [{**r, "doc_kind": r["kind"], "files": "\n".join(files.get(r["id"], [r["path"]]))}
            for r in q.documents(db)]


SHEETS = (
    Sheet(N_("Initiatives"), ("title", "kind", "unit", "year", "directive", "document"), _initiatives,
          wide=("title", "document")),
    Sheet(N_("Deadlines"), ("date", "task", "responsible_unit", "responsible", "directive", "status", "done_by",
                            "done_at", "document"), q.deadlines, dates=("date",), times=("done_at",),
          wide=("task", "responsible", "document")),
    Sheet(N_("Directives"), ("number", "doc_type", "issuer", "date", "subject", "cited_by"), q.directives,
          dates=("date",), wide=("subject",)),
    Sheet(N_("Units"), ("canonical", "level", "parent", "aliases", "mentions"), q.units, wide=("canonical", "aliases")),
    Sheet(N_("Documents"), ("title", "number", "date", "doc_kind", "format", "files", "url"), _documents,
          dates=("date",), wide=("title", "files")),
)


def unit_year_table(db: sqlite_utils.Database) -> tuple[list[int], list[tuple[str, dict[int | None, int], int]]]:
    """Initiatives per unit and year: (years, [(unit, {year: n}, total)]), most initiatives first."""
    cells: dict[str, dict[int | None, int]] = {}
    for unit, _unit_id, year, _kind, n in db.execute(initiatives_by_unit_year_sql()):
        row = cells.setdefault(unit, {})
        row[year] = row.get(year, 0) + n
    years = sorted({y for row in cells.values() for y in row if y is not None})
    table = sorted(((u, row, sum(row.values())) for u, row in cells.items()), key=lambda t: (-t[2], t[0]))
    return years, table


def upcoming(db: sqlite_utils.Database, today: str | None = None) -> list[Row]:
    """Open deadlines from ``today`` to the longest horizon, with days left."""
    day = today or date.today().isoformat()
    end = (date.fromisoformat(day) + timedelta(days=HORIZONS[-1])).isoformat()
    rows = q.deadlines(db, due_after=day, due_before=end, status="open")
    for r in rows:
        r["days_left"] = (date.fromisoformat(r["date"]) - date.fromisoformat(day)).days
    return rows
