"""Export the whole catalogue as CSV (a folder, one file per table), JSON or XLSX (one sheet per table)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import sqlite_utils

# What a user exchanges: the catalogue tables, not the search indexes or the document texts.
TABLES = ("initiatives", "directives", "deadlines", "units", "unit_aliases", "documents", "mentions", "reviews", "failures")
SKIP_COLUMNS = {"text", "search_text", "title_key", "canonical_key", "alias_key"}
# Excel refuses cells longer than this.
XLSX_CELL_LIMIT = 32_767


def table_rows(db: sqlite_utils.Database, table: str) -> tuple[list[str], list[tuple]]:
    columns = [c.name for c in db[table].columns if c.name not in SKIP_COLUMNS or (table == "mentions" and c.name == "text")]
    cursor = db.execute(f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM [{table}] ORDER BY rowid")
    return columns, cursor.fetchall()


def export(db: sqlite_utils.Database, fmt: str, out: str | Path | None = None) -> Path:
    target = Path(out) if out else Path("output") / ("export" if fmt == "csv" else f"export.{fmt}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        target.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            columns, rows = table_rows(db, table)
            with open(target / f"{table}.csv", "w", newline="", encoding="utf-8-sig") as f:  # BOM: Excel reads UTF-8
                writer = csv.writer(f)
                writer.writerow(columns)
                writer.writerows(rows)
    elif fmt == "json":
        data = {}
        for table in TABLES:
            columns, rows = table_rows(db, table)
            data[table] = [dict(zip(columns, r)) for r in rows]
        target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        for table in TABLES:
            columns, rows = table_rows(db, table)
            sheet = book.create_sheet(table)
            sheet.append(columns)
            for r in rows:
                sheet.append([v[:XLSX_CELL_LIMIT] if isinstance(v, str) else v for v in r])
        book.save(target)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return target
