"""Export the catalogue: XLSX (the report an office sends), CSV (the report's sheets, one file each)
and JSON (every catalogue table, for programs).

The XLSX is one workbook: a summary sheet (initiatives per unit and year, deadlines coming in the
next 90 days, overdue ones) and one sheet per kind of row, with headers in the interface
language, names rather than ids, real dates, column widths, a frozen header and filters.
No cell is ever a formula: strings are written as strings (XLSX) or, in CSV, prefixed with
``'`` when they start with ``= + - @``, tab or carriage return (the OWASP CSV-injection rule).
"""
from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from . import report
from .i18n import _

# What a program exchanges: the catalogue tables, not the search indexes or the document texts.
TABLES = ("initiatives", "directives", "deadlines", "units", "unit_aliases", "documents", "files", "mentions",
          "reviews", "deadline_log", "failures")
SKIP_COLUMNS = {"text", "search_text", "title_key", "canonical_key", "alias_key", "text_key"}
# Excel refuses cells longer than this.
XLSX_CELL_LIMIT = 32_767
# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Vietnam keeps UTC+7 all year (no daylight saving since 1975): when a person marked something.
OFFICE_TIME = timezone(timedelta(hours=7))
DAY_FORMAT = "DD/MM/YYYY"
TIME_FORMAT = "DD/MM/YYYY HH:MM"
MIN_WIDTH, MAX_WIDTH, WIDE_WIDTH = 8, 40, 60


def csv_safe(value: Any) -> Any:
    """A value as a CSV cell that no spreadsheet runs: text starting with a formula prefix gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def table_rows(db: sqlite_utils.Database, table: str) -> tuple[list[str], list[tuple]]:
    columns = [c.name for c in db[table].columns if c.name not in SKIP_COLUMNS or (table == "mentions" and c.name == "text")]
    cursor = db.execute(f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM [{table}] ORDER BY rowid")
    return columns, cursor.fetchall()


def _day(value: Any) -> Any:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return value


def _time(value: Any) -> Any:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return value
    if moment is None:
        return value
    return moment.astimezone(OFFICE_TIME).replace(tzinfo=None) if moment.tzinfo else moment


def sheet_values(db: sqlite_utils.Database, sheet: report.Sheet) -> list[list[Any]]:
    """The sheet's rows as cell values: labels for coded values, dates as dates."""
    out = []
    for row in sheet.rows(db):
        cells = []
        for column in sheet.columns:
            value = report.shown(column, row.get(column))
            if column in sheet.dates:
                value = _day(value)
            elif column in sheet.times:
                value = _time(value)
            cells.append(value)
        out.append(cells)
    return out


def export(db: sqlite_utils.Database, fmt: str, out: str | Path | None = None, *, today: str | None = None) -> Path:
    target = Path(out) if out else Path("output") / ("export" if fmt == "csv" else f"export.{fmt}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        write_csv(db, target)
    elif fmt == "json":
        data = {}
        for table in TABLES:
            columns, rows = table_rows(db, table)
            data[table] = [dict(zip(columns, r)) for r in rows]
        target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "xlsx":
        write_xlsx(db, target, today)
    else:
        raise ValueError(_("unknown export format {fmt!r}").format(fmt=fmt))
    return target


def csv_name(sheet: report.Sheet) -> str:
    return sheet.name.lower() + ".csv"


def write_csv(db: sqlite_utils.Database, folder: Path) -> None:
    """One CSV per report sheet (file names stay English: programs open them), headers translated."""
    folder.mkdir(parents=True, exist_ok=True)
    for sheet in report.SHEETS:
        with open(folder / csv_name(sheet), "w", newline="", encoding="utf-8-sig") as f:  # BOM: Excel reads UTF-8
            writer = csv.writer(f)
            writer.writerow([report.label(c) for c in sheet.columns])
            for cells in sheet_values(db, sheet):
                writer.writerow([csv_safe(c) for c in cells])


# --- the workbook -----------------------------------------------------------------------------------

def write_xlsx(db: sqlite_utils.Database, target: Path, today: str | None = None) -> None:
    from openpyxl import Workbook

    book = Workbook()
    _summary(book.active, db, today)
    for sheet in report.SHEETS:
        _data_sheet(book.create_sheet(_(sheet.name)), sheet, db)
    book.save(target)


def _put(ws, row: int, column: int, value: Any, number_format: str | None = None):
    """One cell; text is always text (``data_type 's'``), never a formula."""
    if isinstance(value, str):
        value = value[:XLSX_CELL_LIMIT]
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def _width(values: list[Any], header: str, wide: bool) -> float:
    longest = max([len(header)] + [max((len(line) for line in str(v).split("\n")), default=0)
                                   for v in values if v is not None])
    return max(MIN_WIDTH, min(WIDE_WIDTH if wide else MAX_WIDTH, longest + 2))


def _header_style():
    from openpyxl.styles import Alignment, Font, PatternFill

    return Font(bold=True), PatternFill("solid", fgColor="DDE7F0"), Alignment(vertical="top", wrap_text=True)


def _data_sheet(ws, sheet: report.Sheet, db: sqlite_utils.Database) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    font, fill, align = _header_style()
    rows = sheet_values(db, sheet)
    for c, column in enumerate(sheet.columns, start=1):
        cell = _put(ws, 1, c, report.label(column))
        cell.font, cell.fill, cell.alignment = font, fill, align
    wrap = Alignment(vertical="top", wrap_text=True)
    for r, cells in enumerate(rows, start=2):
        for c, (column, value) in enumerate(zip(sheet.columns, cells), start=1):
            fmt = DAY_FORMAT if column in sheet.dates else TIME_FORMAT if column in sheet.times else None
            cell = _put(ws, r, c, value, fmt)
            if column in sheet.wide:
                cell.alignment = wrap
    for c, column in enumerate(sheet.columns, start=1):
        values = [cells[c - 1] for cells in rows]
        if column in sheet.dates or column in sheet.times:
            width = 12 if column in sheet.dates else 17
        else:
            width = _width(values, report.label(column), column in sheet.wide)
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(1, len(rows) + 1)}"


def _summary(ws, db: sqlite_utils.Database, today: str | None) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from openpyxl.styles import Alignment

    font, fill, align = _header_style()
    wrap = Alignment(vertical="top", wrap_text=True)
    ws.title = _("Summary")
    day = today or date.today().isoformat()
    _put(ws, 1, 1, _("Catalogue of administrative-reform initiatives (CCHC)")).font = Font(bold=True, size=14)
    _put(ws, 2, 1, _("Report of {day}").format(day=date.fromisoformat(day).strftime("%d/%m/%Y")))
    row = 4
    counts = {t: db[t].count for t in ("documents", "directives", "initiatives", "deadlines", "units")}
    overdue = db.execute(report.overdue_count_sql(day)).fetchone()[0]
    for name, n in ((_("Documents"), counts["documents"]), (_("Directives"), counts["directives"]),
                    (_("Initiatives"), counts["initiatives"]), (_("Deadlines"), counts["deadlines"]),
                    (_("Open deadlines overdue"), overdue), (_("Units"), counts["units"])):
        _put(ws, row, 1, name)
        _put(ws, row, 2, n)
        row += 1

    row += 1
    _put(ws, row, 1, _("Initiatives per unit and year")).font = Font(bold=True, size=12)
    row += 1
    years, table = report.unit_year_table(db)
    headers = [report.label("unit")] + [str(y) for y in years] + [_("no year"), report.label("total")]
    for c, h in enumerate(headers, start=1):
        cell = _put(ws, row, c, h)
        cell.font, cell.fill, cell.alignment = font, fill, align
    for unit, cells, total in table:
        row += 1
        _put(ws, row, 1, unit)
        for c, y in enumerate(years, start=2):
            if cells.get(y):
                _put(ws, row, c, cells[y])
        if cells.get(None):
            _put(ws, row, len(years) + 2, cells[None])
        _put(ws, row, len(years) + 3, total)

    row += 2
    _put(ws, row, 1, _("Open deadlines in the next {n} days").format(n=report.HORIZONS[-1])).font = Font(bold=True, size=12)
    row += 1
    columns = ("task", "date", "days_left", "responsible_unit", "directive")
    for c, column in enumerate(columns, start=1):
        cell = _put(ws, row, c, report.label(column))
        cell.font, cell.fill, cell.alignment = font, fill, align
    coming = report.upcoming(db, day)
    if not coming:
        row += 1
        _put(ws, row, 1, _("none"))
    for item in coming:
        row += 1
        for c, column in enumerate(columns, start=1):
            value = _day(item[column]) if column == "date" else item[column]
            _put(ws, row, c, value, DAY_FORMAT if column == "date" else None).alignment = wrap
    ws.column_dimensions["A"].width = WIDE_WIDTH
    for c in range(2, max(len(headers), len(columns)) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 14
