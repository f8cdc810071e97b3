"""The ``cchc`` command line: a thin click layer over the library (no logic lives here).

Messages and help are in the interface language (``pipeline.i18n``: Vietnamese unless
``CCHC_LANG=en`` or the locale asks for English); command and option names never change.
Every command takes ``--db`` after its name; a command that only reads refuses a catalogue
that does not exist (exit 1) rather than creating an empty one.
"""
from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from extractors.errors import ReadError
from pipeline.i18n import N_, _, install_for_process, ngettext

DEFAULT_DB = "output/catalogue.db"


def helptext(text: str, example: str) -> str:
    """A command's help: the translated text and its example (commands are not translated)."""
    word = _("Example:")
    return f"{_(text)}\n\n\b\n{word} {example}"


DB_OPTION = click.option("--db", "db_path", default=None, metavar="FILE", type=click.Path(dir_okay=False),
                         help=_("The catalogue file (default: {path}).").format(path=DEFAULT_DB))


def _switch_off_ocr(ctx: click.Context, param: click.Parameter, off: bool) -> None:
    if off:  # the setting every reader consults (extractors.limits.ocr_enabled), workers included
        os.environ["CCHC_OCR"] = "0"


NO_OCR_OPTION = click.option("--no-ocr", is_flag=True, expose_value=False, is_eager=True, callback=_switch_off_ocr,
                             help=_("Do not OCR scanned pages and images (same as CCHC_OCR=0); a scan without a "
                                    "text layer is then reported unread."))
WORKERS_OPTION = click.option("--workers", type=click.IntRange(min=1), default=None,
                              help=_("Extraction processes (default: one per core)."))


def DASK_OPTIONS(command):  # noqa: N802 - used as a decorator like the options above
    """--dask / --dask-address: extraction on a Dask cluster (prefect-dask) instead of the process pool."""
    command = click.option("--dask-address", default=None, metavar="tcp://HOST:8786",
                           help=_("Extract on this existing Dask cluster (its scheduler's address); "
                                  "this process writes."))(command)
    return click.option("--dask", is_flag=True,
                        help=_("Extract on a local Dask cluster (--workers processes), as the flows do."))(command)

FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                             show_default=True, help=_("Output format."))


class DayType(click.ParamType):
    """A day written 2021-07-01 or 01/07/2021 (day first); an impossible day is a usage error (exit 2)."""

    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from pipeline.values import BadValue, parse_day

        try:
            return parse_day(str(value))
        except BadValue as exc:
            self.fail(str(exc), param, ctx)


class OneOf(click.ParamType):
    """One of a list of domain values (case-insensitive); a wrong one is refused with the list."""

    def __init__(self, allowed: tuple[str, ...], what: str, metavar: str) -> None:
        self.allowed, self.what, self.name = allowed, what, metavar.lower()
        self.metavar = metavar

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return self.metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from pipeline.values import BadValue, one_of

        try:
            return one_of(str(value), self.allowed, self.what)
        except BadValue as exc:
            self.fail(str(exc), param, ctx)


DAY = DayType()


def _levels() -> OneOf:
    from pipeline.values import LEVELS

    return OneOf(LEVELS, N_("level"), "LEVEL")


def _kinds() -> OneOf:
    from pipeline.values import initiative_kinds

    return OneOf(initiative_kinds(), N_("kind"), "KIND")


def _doc_types() -> OneOf:
    from pipeline.values import doc_types

    return OneOf(doc_types(), N_("document type"), "TYPE")


class _Cli(click.Group):
    """Errors of the catalogue file itself (read-only, disk full, damaged) end any command with one line
    and exit 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        from pipeline.catalogue import CatalogueError

        try:
            return super().invoke(ctx)
        except CatalogueError as exc:
            fail(str(exc))
        except sqlite3.Error as exc:
            hint = _(" (the catalogue file or its folder is read-only)") if "readonly" in str(exc) else ""
            fail(_("catalogue error: {error}").format(error=exc) + hint)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]},
             help=helptext(N_("A catalogue of administrative-reform (CCHC) initiatives, read from official texts."),
                           "cchc query initiatives --search \"dan van\""))
@click.version_option(package_name="cchc")
def cli() -> None:
    pass


def fail(message: str, code: int = 1) -> None:
    click.echo(f"cchc: {message}", err=True)
    sys.exit(code)


# Read errors in the interface language by their code; the reader's own words follow as detail.
READ_ERRORS = {
    "empty": N_("there is no text in it"),
    "encrypted": N_("the PDF is locked with a password"),
    "scanned": N_("a scanned PDF with no text layer: it needs OCR"),
    "damaged": N_("the file is damaged or incomplete"),
    "not-docx": N_("this is not a DOCX file"),
    "unsafe-zip": N_("the archive holds unsafe file names"),
    "zip-bomb": N_("the archive would unpack far too large"),
    "too-large": N_("the file is too large"),
    "unknown-format": N_("the file's format is not one cchc reads"),
    "missing-program": N_("a program needed to read it is not installed"),
    "missing": N_("there is no such file"),
    "not-a-file": N_("this is not a file"),
    "unreadable": N_("the file cannot be read"),
}


def read_error_reason(code: str | None, reason: str) -> str:
    message = READ_ERRORS.get(code or "")
    if message is None or _(message) == message:
        return reason
    return f"{_(message)} ({reason})"


def read_error_line(exc: ReadError) -> str:
    reason = read_error_reason(exc.code, exc.reason)
    return f"{exc.path}: {reason}" if exc.path else reason


def _read_or_exit(path: str):
    from extractors.reader import read_document

    try:
        return read_document(path)
    except ReadError as exc:
        fail(read_error_line(exc), 2)
    except Exception as exc:  # noqa: BLE001 - a reader bug on this file: one line, not a traceback
        fail(_("{path}: could not be read: {error}").format(path=path, error=f"{type(exc).__name__}: {exc}"), 2)


def _extract_or_exit(path: str):
    """The file read and extracted under the per-document guard (its time and memory limits)."""
    from pipeline.guard import Guard, Job

    with Guard(1) as guard:
        outcome = guard.one(Job(path, path=path))
    if outcome.error is not None:
        fail(read_error_line(outcome.error), 2)
    return outcome.extraction


def _db(db_path: str | None, *, write: bool = False):
    """The catalogue; a command that only reads refuses a missing file (exit 1) and creates nothing;
    a catalogue that cannot be written is one line and exit 1."""
    from pipeline.catalogue import CatalogueError, connect

    try:
        return connect(db_path or DEFAULT_DB, create=write)
    except CatalogueError as exc:
        fail(str(exc))


def _read_db(db_path: str | None):
    """The catalogue of a command that only reads, opened read-only (``mode=ro``): it works on a
    read-only file, folder or disk, and changes nothing."""
    from pipeline.catalogue import CatalogueError, connect

    try:
        return connect(db_path or DEFAULT_DB, readonly=True)
    except CatalogueError as exc:
        fail(str(exc))


def _emit(rows: list[dict], fmt: str) -> None:
    from pipeline.export import csv_safe
    from pipeline.report import label, shown

    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        buffer = io.StringIO()
        if rows:
            writer = csv.writer(buffer)
            writer.writerow(list(rows[0]))
            writer.writerows([[csv_safe(v) for v in r.values()] for r in rows])
        click.echo(buffer.getvalue(), nl=False)
    else:
        from tabulate import tabulate

        if not rows:
            click.echo(_("(nothing found)"))
            return
        short = [{label(k): (str(shown(k, v))[:70] + "…" if isinstance(v, str) and len(v) > 71 else shown(k, v))
                  for k, v in r.items()} for r in rows]
        click.echo(tabulate(short, headers="keys", tablefmt="simple"))


# --- one document -------------------------------------------------------------------------

@cli.command(help=helptext(N_("Print the normalised text of PATH: the text every span offset indexes."),
                           "cchc text corpus/real/kon-tum-435-qd-ubnd-2020.txt"))
@NO_OCR_OPTION
@click.argument("path", type=click.Path(dir_okay=False))
def text(path: str) -> None:
    click.echo(_read_or_exit(path).text)


@cli.command(help=helptext(N_("Extract numbers, dates, deadlines, units and initiatives from PATH; write nothing."),
                           "cchc extract corpus/dev/q6-nhan-rong-sang-kien-2020.txt --json"))
@NO_OCR_OPTION
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help=_("Print the cchc.extract/1 JSON object (the default)."))
@click.option("--pretty", is_flag=True, help=_("Indent the JSON."))
def extract(path: str, as_json: bool, pretty: bool) -> None:
    from nlp.contract import to_contract

    out = to_contract(_extract_or_exit(path))
    click.echo(json.dumps(out, ensure_ascii=False, indent=2 if pretty else None))


# --- the catalogue ------------------------------------------------------------------------

STATUS_WORDS = {"new": N_("new"), "updated": N_("updated"), "unchanged": N_("unchanged"),
                "same": N_("same document as one catalogued"), "failed": N_("failed")}


@cli.command(help=helptext(N_("Catalogue files and folders (PDF, DOCX, DOC, HTML, TXT). The same text in several "
                              "files (TXT, DOCX, PDF) is one document with several files. Exits 1 when any file "
                              "failed; everything that succeeded is kept."),
                           "cchc ingest corpus/real corpus/dev --db output/catalogue.db"))
@NO_OCR_OPTION
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@DB_OPTION
@click.option("--force", is_flag=True, help=_("Re-extract even documents already catalogued by this extractor version."))
@WORKERS_OPTION
@click.option("--raw", default="output/raw", show_default=True,
              help=_("Where the files' bytes are kept for re-processing."))
@DASK_OPTIONS
def ingest(paths: tuple[str, ...], db_path: str | None, force: bool, workers: int | None, raw: str, dask: bool,
           dask_address: str | None) -> None:
    from pipeline.ingest import already_catalogued, iter_files, write_results
    from pipeline.parallel import default_workers, extract_many
    from pipeline.rawstore import RawStore

    db = _db(db_path, write=True)
    if dask or dask_address:  # the ingest flow: extraction on the cluster, this process writes
        from flows.ingest import ingest_flow

        results = ingest_flow(list(paths), db_path=db_path or DEFAULT_DB, raw_root=raw, force=force,
                              dask_address=dask_address, workers=workers)
    else:
        files = list(iter_files(paths))
        results = []
        if not force:
            files, results = already_catalogued(db, files)
        store = RawStore(raw)
        extracted = extract_many(files, workers or default_workers(), store)
        with click.progressbar(write_results(db, extracted, store, force=force), length=len(files),
                               label=_("ingesting"), file=sys.stderr, show_pos=True) as bar:
            results.extend(bar)
    for r in results:
        if r.status == "failed":
            r.reason = read_error_reason(r.code, r.reason)
    by_status: dict[str, int] = {}
    for r in results:
        by_status[r.status] = by_status.get(r.status, 0) + 1
    click.echo(ngettext("{n} file", "{n} files", len(results)).format(n=len(results)) + ": "
               + ", ".join(f"{n} {_(STATUS_WORDS[s])}" for s, n in sorted(by_status.items())))
    for r in results:
        if r.status == "same":
            click.echo("  " + _("{path}: same document as {first}").format(path=r.path, first=r.same_as))
    failed = [r for r in results if r.status == "failed"]
    for r in failed:
        click.echo("  " + _("failed: {path}: {reason}").format(path=r.path, reason=r.reason), err=True)
    sys.exit(1 if failed else 0)


@cli.command(help=helptext(N_("Counts of what the catalogue holds and the nearest open deadlines."),
                           "cchc summary --db output/catalogue.db"))
@DB_OPTION
@click.option("--today", type=DAY, default=None, help=_("Day to count upcoming deadlines from (default: today)."))
def summary(db_path: str | None, today: str | None) -> None:
    from pipeline.query import counts, deadlines

    db = _read_db(db_path)
    c = counts(db)
    names = {"documents": N_("documents"), "directives": N_("directives"), "initiatives": N_("initiatives"),
             "deadlines": N_("deadlines"), "units": N_("units"), "mentions": N_("mentions"), "failures": N_("failures")}
    click.echo(_("catalogue {path}").format(path=db_path or DEFAULT_DB))
    for name, msg in names.items():
        click.echo(f"  {_(msg):<14}{c[name]:>7}")
    today = today or date.today().isoformat()
    upcoming = deadlines(db, due_after=today, status="open", today=today, limit=5)
    if upcoming:
        click.echo(_("nearest open deadlines (from {day}):").format(day=today))
        rows = upcoming
    else:
        rows = list(reversed(deadlines(db, due_before=today, today=today)))[:5]
        click.echo(_("no open deadline after {day}; the latest ones:").format(day=today))
    for r in rows:
        who = f" — {r['responsible_unit'] or r['responsible']}" if (r["responsible_unit"] or r["responsible"]) else ""
        done = f" [{_('done')}]" if r["status"] == "done" else ""
        every = f" ({_every(r['rule'])})" if r["rule"] else ""  # a recurring deadline at its next due date
        click.echo(f"  {r['due']}{every}  {(r['task'] or '')[:80]}{who[:60]}{done}  [{Path(r['document']).name}]")


# How a recurring deadline's rule reads in the interface language (nlp.recurrence.describe's forms).
RULE_WORDS = {"monthly": N_("day {day} of every month"),
              "quarter_end": N_("day {day} of the last month of every quarter"),
              "quarter_start": N_("day {day} of the first month of every quarter"),
              "yearly": N_("every year on {days}")}


def _every(rule: str) -> str:
    from nlp import recurrence

    return recurrence.describe(rule, {k: _(v) for k, v in RULE_WORDS.items()})


@cli.group(help=_("Query the catalogue: initiatives, directives, deadlines, units, documents."))
def query() -> None:
    pass


def _search_option(f):
    return click.option("--search", help=_("Full-text search; ignores tones, đ/d and i/y ('dang ki' finds 'đăng ký')."))(f)


LIMIT_OPTION = click.option("--limit", type=click.IntRange(min=1), help=_("At most this many rows."))


@query.command("initiatives", help=helptext(N_("Initiatives with owner unit, year and directive."),
                                            "cchc query initiatives --search \"dan van\" --format json"))
@DB_OPTION
@FORMAT_OPTION
@_search_option
@click.option("--unit", help=_("Owner unit, by any alias; includes the units under it."))
@click.option("--year", type=click.IntRange(1900, 2100))
@click.option("--kind", type=_kinds(), help="sáng kiến, giải pháp, mô hình, cách làm hay, đề án ...")
@click.option("--directive", help=_("Number of the directive that asked for them."))
@LIMIT_OPTION
def query_initiatives(db_path, fmt, search, unit, year, kind, directive, limit) -> None:
    from pipeline import query as q

    _emit(q.initiatives(_read_db(db_path), unit=unit, year=year, kind=kind, directive=directive, search=search,
                        limit=limit), fmt)


@query.command("directives", help=helptext(N_("Directives (documents known by number), with how many documents "
                                              "cite them."), "cchc query directives --type \"Kế hoạch\" --from 01/01/2020"))
@DB_OPTION
@FORMAT_OPTION
@_search_option
@click.option("--type", "doc_type", type=_doc_types(), help="Quyết định, Kế hoạch, Thông báo, Văn bản ...")
@click.option("--issuer", help=_("Issuing unit, by any alias."))
@click.option("--from", "date_from", type=DAY, help=_("Issued on or after this day (2021-07-01 or 01/07/2021)."))
@click.option("--to", "date_to", type=DAY, help=_("Issued on or before this day."))
@LIMIT_OPTION
def query_directives(db_path, fmt, search, doc_type, issuer, date_from, date_to, limit) -> None:
    from pipeline import query as q

    _emit(q.directives(_read_db(db_path), doc_type=doc_type, issuer=issuer, date_from=date_from, date_to=date_to,
                       search=search, limit=limit), fmt)


@query.command("deadlines", help=helptext(N_("Deadlines with task, responsible unit, status and source document, "
                                             "by due date; a recurring one at its next due date. --overdue and "
                                             "--due-within count open deadlines only."),
                                          "cchc query deadlines --due-within 30"))
@DB_OPTION
@FORMAT_OPTION
@_search_option
@click.option("--unit", help=_("Responsible unit, by any alias."))
@click.option("--due-before", type=DAY, help=_("Due on or before this day (2021-07-01 or 01/07/2021)."))
@click.option("--due-after", type=DAY, help=_("Due on or after this day."))
@click.option("--due-within", type=click.IntRange(min=0), metavar="DAYS",
              help=_("Open deadlines due from today to this many days ahead."))
@click.option("--overdue", is_flag=True, help=_("Open deadlines due before today."))
@click.option("--status", type=click.Choice(["open", "done"]), help=_("Only open or only done deadlines."))
@click.option("--today", type=DAY, default=None, help=_("The day --overdue and --due-within count from (default: today)."))
@click.option("--directive", help=_("Number of the directive the deadline belongs to."))
@LIMIT_OPTION
def query_deadlines(db_path, fmt, search, unit, due_before, due_after, due_within, overdue, status, today, directive,
                    limit) -> None:
    from pipeline import query as q

    _emit(q.deadlines(_read_db(db_path), unit=unit, due_before=due_before, due_after=due_after, overdue=overdue,
                      due_within=due_within, status=status, today=today, directive=directive, search=search,
                      limit=limit), fmt)


@query.command("units", help=helptext(N_("Units with level, parent and aliases (with --current: what each unit is "
                                         "since 1 July 2025)."), "cchc query units --level district --current"))
@DB_OPTION
@FORMAT_OPTION
@_search_option
@click.option("--level", type=_levels(), help=_("central, province, district or commune."))
@click.option("--under", help=_("Only units under this one (by any alias)."))
@click.option("--current", is_flag=True,
              help=_("Each unit with its present-day successor after the 1 July 2025 reorganisation."))
@LIMIT_OPTION
def query_units(db_path, fmt, search, level, under, current, limit) -> None:
    from pipeline import query as q

    _emit(q.units(_read_db(db_path), level=level, search=search, under=under, current=current, limit=limit), fmt)


@query.command("documents", help=helptext(N_("Documents catalogued, newest first."),
                                          "cchc query documents --search \"dang ki\""))
@DB_OPTION
@FORMAT_OPTION
@_search_option
@click.option("--kind", type=click.Choice(["news", "official"]), help=_("News pages or official texts."))
@click.option("--file-format", "doc_format",
              type=click.Choice(["pdf", "docx", "doc", "html", "txt", "png", "jpeg", "tiff"]),
              help=_("The format of the document's first file."))
@click.option("--from", "date_from", type=DAY, help=_("Dated on or after this day."))
@click.option("--to", "date_to", type=DAY, help=_("Dated on or before this day."))
@LIMIT_OPTION
def query_documents(db_path, fmt, search, kind, doc_format, date_from, date_to, limit) -> None:
    from pipeline import query as q

    _emit(q.documents(_read_db(db_path), kind=kind, fmt=doc_format, date_from=date_from, date_to=date_to,
                      search=search, limit=limit), fmt)


@cli.group(help=_("Everything the catalogue knows about one directive, initiative, unit or deadline, with evidence."))
def show() -> None:
    pass


def _print_fields(pairs: list[tuple[str, Any]]) -> None:
    from pipeline.report import label, shown

    for key, value in pairs:
        click.echo(f"{label(key):<24}{'' if value is None else shown(key, value)}")


def _print_evidence(mentions: list[dict]) -> None:
    n = len({m["document_id"] for m in mentions})
    click.echo(ngettext("said in {n} document:", "said in {n} documents:", n).format(n=n))
    for m in mentions:
        snippet = (m["before"][-80:] + click.style(m["text"], bold=True, underline=True) + m["after"][:80]).replace("\n", " ")
        where = m["url"] or m["path"]
        click.echo("  [" + _("{where} @{start}-{end}, confidence {confidence}").format(
            where=where, start=m["start"], end=m["end"], confidence=m["confidence"]) + "]")
        click.echo(f"    …{snippet}…")


@show.command("directive", help=helptext(N_("A directive by its number, with what it asked for."),
                                         "cchc show directive 1980/SNV-CCHC"))
@click.argument("number")
@DB_OPTION
def show_directive(number: str, db_path: str | None) -> None:
    from pipeline import entities

    page = entities.directive(_read_db(db_path), number=number)
    if page is None:
        fail(_("no directive {number}").format(number=number))
    d = page["directive"]
    _print_fields([(k, d[k]) for k in ("number", "doc_type", "issuer", "date", "subject")])
    for a in page["initiatives"]:
        click.echo(_("initiative #{id}: {title}").format(id=a["id"], title=a["title"]))
    for dl in page["deadlines"]:
        click.echo(_("deadline #{id}: {date} {task}").format(id=dl["id"], date=dl["date"], task=dl["task"] or ""))
    _print_evidence(page["evidence"])


@show.command("initiative", help=helptext(N_("An initiative by its number in the catalogue."), "cchc show initiative 3"))
@click.argument("initiative_id", type=int)
@DB_OPTION
def show_initiative(initiative_id: int, db_path: str | None) -> None:
    from pipeline import entities

    page = entities.initiative(_read_db(db_path), initiative_id)
    if page is None:
        fail(_("no initiative {id}").format(id=initiative_id))
    i = page["initiative"]
    _print_fields([(k, i[k]) for k in ("title", "kind", "unit", "year", "directive")])
    _print_evidence(page["evidence"])


@show.command("unit", help=helptext(N_("A unit by its name or any alias."), "cchc show unit \"UBND Quận 6\""))
@click.argument("name")
@DB_OPTION
def show_unit(name: str, db_path: str | None) -> None:
    from pipeline import entities, report

    page = entities.unit(_read_db(db_path), name=name)
    if page is None:
        fail(_("no unit {name}").format(name=name))
    u = page["unit"]
    level = report.shown("level", u["level"]) if u["level"] else _("level unknown")
    click.echo(_("{name} ({level}); under: {parent}").format(name=u["canonical"], level=level, parent=u["parent"] or "-"))
    click.echo(_("since 1 July 2025: {what}").format(what=report.since_2025(u)))
    click.echo(_("aliases: {aliases}").format(aliases=" | ".join(page["aliases"])))
    for r in page["initiatives"]:
        click.echo(_("initiative #{id}: {title} ({year})").format(id=r["id"], title=r["title"], year=r["year"] or "-"))
    for r in page["deadlines"]:
        click.echo(_("deadline #{id}: {date} {task}").format(id=r["id"], date=r["date"], task=r["task"] or ""))
    _print_evidence(page["evidence"][:20])


@show.command("deadline", help=helptext(N_("A deadline by its number, with its status and history."),
                                        "cchc show deadline 12"))
@click.argument("deadline_id", type=int)
@DB_OPTION
def show_deadline(deadline_id: int, db_path: str | None) -> None:
    from pipeline import entities

    page = entities.deadline(_read_db(db_path), deadline_id)
    if page is None:
        fail(_("no deadline {id}").format(id=deadline_id))
    from pipeline.report import shown

    d = page["deadline"]
    _print_fields([(k, d[k]) for k in ("date", "task", "responsible", "responsible_unit", "directive", "resolved",
                                       "status", "done_by", "done_at")])
    for h in page["history"]:
        click.echo(f"  {h['at']}  {shown('action', h['action'])}  {h['by']}")
    _print_evidence(page["evidence"])


@cli.group(help=_("Mark deadlines done or reopen them (who and when are kept)."))
def deadline() -> None:
    pass


def _mark(deadline_id: int, db_path: str | None, by: str | None, action: str) -> None:
    from pipeline.deadline_status import DeadlineError, mark_done, reopen

    try:
        row = (mark_done if action == "done" else reopen)(_db(db_path), deadline_id, by)
    except DeadlineError as exc:
        fail(str(exc))
    if action == "done":
        click.echo(_("deadline {id} ({date}) marked done by {by}").format(id=deadline_id, date=row["date"],
                                                                       by=row["done_by"]))
    else:
        click.echo(_("deadline {id} ({date}) reopened").format(id=deadline_id, date=row["date"]))


BY_OPTION = click.option("--by", help=_("Who marks it (default: CCHC_REVIEWER, else the login)."))


@deadline.command("done", help=helptext(N_("Mark a deadline done: it leaves the upcoming and overdue lists."),
                                        "cchc deadline done 12 --by \"Nguyễn Văn A\""))
@click.argument("deadline_id", type=int)
@DB_OPTION
@BY_OPTION
def deadline_done(deadline_id: int, db_path: str | None, by: str | None) -> None:
    _mark(deadline_id, db_path, by, "done")


@deadline.command("reopen", help=helptext(N_("Reopen a deadline marked done by mistake."), "cchc deadline reopen 12"))
@click.argument("deadline_id", type=int)
@DB_OPTION
@BY_OPTION
def deadline_reopen(deadline_id: int, db_path: str | None, by: str | None) -> None:
    _mark(deadline_id, db_path, by, "reopened")


@cli.command("export", help=helptext(N_("Export the catalogue: xlsx is the report an office sends (a summary sheet, "
                                        "then initiatives, deadlines, directives, units and documents); csv the same "
                                        "sheets as files in a folder; json every table."),
                                     "cchc export --format xlsx --out output/bao-cao.xlsx"))
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "xlsx"]), required=True, help=_("Output format."))
@click.option("--out", "out", type=click.Path(), default=None,
              help=_("Output file (json, xlsx) or folder (csv). Default: output/export.*"))
def export_cmd(db_path: str | None, fmt: str, out: str | None) -> None:
    from pipeline.export import export

    target = export(_read_db(db_path), fmt, out)
    click.echo(_("wrote {path}").format(path=target))


# --- review ----------------------------------------------------------------------------------

def _review_db(ctx: click.Context, db_path: str | None) -> str | None:
    """``--db`` given after the subcommand, else before it (``cchc review --db X list``)."""
    return db_path or (ctx.obj or {}).get("db")


def _threshold(ctx: click.Context, threshold: float | None) -> float:
    from pipeline import settings

    if threshold is not None:
        return threshold
    given = (ctx.obj or {}).get("threshold")
    return given if given is not None else settings.REVIEW_THRESHOLD


THRESHOLD_OPTION = click.option("--threshold", type=click.FloatRange(0, 1), default=None,
                                help=_("Confidence under which an extraction needs review."))


@cli.group(invoke_without_command=True,
           help=helptext(N_("Work through low-confidence extractions: a accept, c correct, r reject, s skip, q quit."),
                         "cchc review --db output/catalogue.db"))
@DB_OPTION
@THRESHOLD_OPTION
@click.pass_context
def review(ctx: click.Context, db_path: str | None, threshold: float | None) -> None:
    ctx.obj = {"db": db_path, "threshold": threshold}
    if ctx.invoked_subcommand is None:
        from cchc.review_tui import run

        run(_db(db_path), _threshold(ctx, None))


@review.command("list", help=helptext(N_("Pending items, lowest confidence first."), "cchc review list --limit 20"))
@DB_OPTION
@THRESHOLD_OPTION
@FORMAT_OPTION
@LIMIT_OPTION
@click.pass_context
def review_list(ctx, db_path, threshold, fmt, limit) -> None:
    from pipeline.review import pending

    _emit(pending(_read_db(_review_db(ctx, db_path)), _threshold(ctx, threshold), limit), fmt)


def _decide(db_path: str | None, mention_id: int, decision: str, value: dict | None = None) -> None:
    from pipeline.review import ReviewError, decide

    try:
        decide(_db(db_path), mention_id, decision, value)
    except ReviewError as exc:
        fail(str(exc), 2)
    from pipeline.report import shown

    click.echo(_("{decision} mention {id}").format(decision=shown("decision", decision), id=mention_id))


@review.command("accept", help=helptext(N_("Accept an extraction as it is."), "cchc review accept 42"))
@click.argument("mention_id", type=int)
@DB_OPTION
@click.pass_context
def review_accept(ctx, mention_id, db_path) -> None:
    _decide(_review_db(ctx, db_path), mention_id, "accepted")


@review.command("reject", help=helptext(N_("Reject an extraction: it creates nothing, now and after re-extraction."),
                                        "cchc review reject 42"))
@click.argument("mention_id", type=int)
@DB_OPTION
@click.pass_context
def review_reject(ctx, mention_id, db_path) -> None:
    _decide(_review_db(ctx, db_path), mention_id, "rejected")


@review.command("correct", help=helptext(N_("Correct fields of an extraction; values are checked (dates, levels, "
                                            "kinds)."), "cchc review correct 42 --set title=\"Mô hình Dân vận khéo\""))
@click.argument("mention_id", type=int)
@click.option("--set", "pairs", multiple=True, required=True, metavar="FIELD=VALUE",
              help=_("A corrected value, e.g. --set title='Mô hình Dân vận khéo' or --set date=31/07/2021."))
@DB_OPTION
@click.pass_context
def review_correct(ctx, mention_id, pairs, db_path) -> None:
    value = {}
    for pair in pairs:
        key, sep, val = pair.partition("=")
        if not sep:
            raise click.BadParameter(_("{pair!r} is not FIELD=VALUE").format(pair=pair), param_hint="--set")
        value[key.strip()] = val
    _decide(_review_db(ctx, db_path), mention_id, "corrected", value)


# --- flows ----------------------------------------------------------------------------------------

def _once_required(once: bool, what: str) -> None:
    if not once:
        fail(_("add --once to run the {what} now; `cchc serve` runs it on its schedule").format(what=what), 2)


@cli.command(help=helptext(N_("Crawl the government news sites of SOURCES once. Exits 1 when any page failed "
                              "(each is listed with its reason); everything fetched is kept."),
                           "cchc crawl --once --sources corpus/sources.toml"))
@NO_OCR_OPTION
@DB_OPTION
@click.option("--once", is_flag=True, help=_("Run the crawl flow now, without a server (for people and cron)."))
@click.option("--sources", default="corpus/sources.toml", show_default=True, type=click.Path(exists=True),
              help=_("The list of sites."))
@click.option("--raw", default="output/raw", show_default=True, help=_("Where raw pages are kept."))
def crawl(db_path: str | None, once: bool, sources: str, raw: str) -> None:
    _once_required(once, "crawl")
    from flows.crawl import crawl_flow

    result = crawl_flow(db_path=db_path or DEFAULT_DB, sources_path=sources, raw_root=raw)
    click.echo(_("new {new}, unchanged {unchanged}, duplicates {duplicates}, failed {failed}").format(
        new=len(result["new"]), unchanged=len(result["unchanged"]), duplicates=len(result["duplicates"]),
        failed=len(result["failed"])) + ", " + _("waiting to retry {n}").format(n=len(result["deferred"])))
    for url, reason in result["failed"]:
        click.echo("  " + _("failed: {path}: {reason}").format(path=url, reason=reason), err=True)
    sys.exit(1 if result["failed"] else 0)


@cli.command(help=helptext(N_("Catalogue files dropped in INBOX; move each to processed/ or failed/ (with a "
                              ".reason.txt). Exits 1 when any file failed."), "cchc inbox --once --inbox inbox"))
@NO_OCR_OPTION
@DB_OPTION
@click.option("--once", is_flag=True, help=_("Process the inbox now, without a server."))
@click.option("--inbox", "inbox_dir", default="inbox", show_default=True, type=click.Path(file_okay=False),
              help=_("The folder to watch."))
@click.option("--raw", default="output/raw", show_default=True, help=_("Where the files' bytes are kept."))
@click.option("--settle", default=2.0, show_default=True, help=_("Seconds a file must be unchanged before it is taken."))
@WORKERS_OPTION
def inbox(db_path: str | None, once: bool, inbox_dir: str, raw: str, settle: float, workers: int | None) -> None:
    _once_required(once, "inbox")
    from flows.inbox import inbox_flow

    from pipeline.report import shown

    results = inbox_flow(inbox=inbox_dir, db_path=db_path or DEFAULT_DB, raw_root=raw, settle_seconds=settle,
                         workers=workers)
    for r in results:
        click.echo(f"{shown('outcome', r['outcome']):<10} {r['name']} -> {r['moved_to']}"
                   + (f"  ({r['reason']})" if r["reason"] else ""))
    sys.exit(1 if any(r["outcome"] == "failed" for r in results) else 0)


@cli.command(help=helptext(N_("Re-run extraction over stored documents (after the extractor changed); review "
                              "decisions and done deadlines are kept."), "cchc reprocess --db output/catalogue.db"))
@NO_OCR_OPTION
@DB_OPTION
@click.option("--raw", default="output/raw", show_default=True, help=_("Where the files' bytes are kept."))
@click.option("--all", "everything", is_flag=True, help=_("Re-extract every document, not only those of older versions."))
@WORKERS_OPTION
@DASK_OPTIONS
def reprocess(db_path: str | None, raw: str, everything: bool, workers: int | None, dask: bool,
              dask_address: str | None) -> None:
    from pipeline.parallel import default_workers
    from pipeline.rawstore import RawStore
    from pipeline.reprocess import reprocess as run

    if dask or dask_address:  # the reprocess flow's way: extraction on the cluster, this process writes
        from flows.ingest import reprocess_on_dask

        _db(db_path)  # refuses a catalogue that does not exist
        result = reprocess_on_dask(db_path or DEFAULT_DB, raw, everything, dask_address, workers)
        updated, missing = result["updated"], result["missing"]
    else:
        summary = run(_db(db_path), RawStore(raw), everything, workers or default_workers())
        updated, missing = summary.updated, summary.missing
    click.echo(_("{n} re-extracted").format(n=updated))
    for line in missing:
        click.echo("  " + _("not re-extracted: {what}").format(what=line), err=True)


@cli.command(help=helptext(N_("Start a local Prefect server and the scheduled deployments; Ctrl-C stops everything."),
                           "cchc serve --inbox-every 30 --crawl-cron \"0 6,18 * * *\""))
@NO_OCR_OPTION
@DB_OPTION
@click.option("--port", default=4200, show_default=True, type=int, help=_("Port of the Prefect server and UI."))
@click.option("--inbox", "inbox_dir", default="inbox", show_default=True, help=_("The folder to watch."))
@click.option("--inbox-every", default=60.0, show_default=True, help=_("Seconds between two inbox runs."))
@click.option("--crawl-cron", default="0 6 * * *", show_default=True, help=_("Crawl schedule, Asia/Ho_Chi_Minh time."))
@click.option("--sources", default="corpus/sources.toml", show_default=True, help=_("The list of sites."))
@click.option("--raw", default="output/raw", show_default=True, help=_("Where the files' bytes are kept."))
def serve(db_path, port, inbox_dir, inbox_every, crawl_cron, sources, raw) -> None:
    from flows.server import serve as run

    args = ["--db", db_path or DEFAULT_DB, "--inbox", inbox_dir, "--inbox-every", str(inbox_every),
            "--crawl-cron", crawl_cron, "--sources", sources, "--raw", raw]
    sys.exit(run(port, Path("output/prefect"), args, echo=click.echo))


# --- evaluation and web -------------------------------------------------------------------------

@cli.command("eval", help=helptext(N_("Per-field precision/recall/F1 on gold folders (the shared dev set by default), "
                                      "and the scorer's reliability table of confidence with its calibration error "
                                      "(ECE)."), "cchc eval corpus/dev corpus/gold"))
@click.argument("gold_dirs", nargs=-1, type=click.Path(exists=True, file_okay=False))
@click.option("--scorer", default="../shared/eval/score.py", show_default=True, type=click.Path(),
              help=_("The shared scorer, for its matching rules."))
def eval_cmd(gold_dirs: tuple[str, ...], scorer: str) -> None:
    from pipeline.evaluate import evaluate, format_report

    dirs = [Path(d) for d in gold_dirs] or [Path(scorer).parent / "dev"]
    click.echo(format_report(evaluate(dirs, Path(scorer))))


@cli.command(help=helptext(N_("Serve the catalogue on 127.0.0.1: the dashboard at /, pages for every initiative, "
                              "directive, unit and deadline, the review page at /review, the tables (Datasette) "
                              "under /catalogue."), "cchc web --db output/catalogue.db --port 8001"))
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help=_("Address to bind (loopback by default)."))
@click.option("--port", default=8001, show_default=True, type=int, help=_("Port to listen on."))
def web(db_path: str | None, host: str, port: int) -> None:
    from cchc.web import serve as run

    _db(db_path)  # exists, and migrated
    run(db_path or DEFAULT_DB, host, port)


def main() -> None:
    install_for_process()
    cli()


if __name__ == "__main__":
    main()
