"""The ``cchc`` command line: a thin click layer over the library (no logic lives here)."""
from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path

import click

from extractors.errors import ReadError

DB_OPTION = click.option("--db", "db_path", default="output/catalogue.db", show_default=True,
                         type=click.Path(dir_okay=False), help="The catalogue file.")
FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                             show_default=True, help="Output format.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cchc")
def cli() -> None:
    """A catalogue of administrative-reform (CCHC) initiatives, read from official texts."""


def _read_or_exit(path: str):
    from extractors.reader import read_document

    try:
        return read_document(path)
    except ReadError as exc:
        click.echo(f"cchc: {exc}", err=True)
        sys.exit(2)


def _db(db_path: str):
    from pipeline.catalogue import connect

    return connect(db_path)


def _emit(rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        from tabulate import tabulate

        if not rows:
            click.echo("(nothing found)")
            return
        short = [{k: (str(v)[:70] + "…" if isinstance(v, str) and len(v) > 71 else v) for k, v in r.items()} for r in rows]
        click.echo(tabulate(short, headers="keys", tablefmt="simple"))


# --- one document -------------------------------------------------------------------------

@cli.command()
@click.argument("path", type=click.Path(dir_okay=False))
def text(path: str) -> None:
    """Print the normalised text of PATH: the text every span offset indexes.

    Example: cchc text corpus/real/kon-tum-435-qd-ubnd-2020.txt
    """
    click.echo(_read_or_exit(path).text)


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the cchc.extract/1 JSON object (the default).")
@click.option("--pretty", is_flag=True, help="Indent the JSON.")
def extract(path: str, as_json: bool, pretty: bool) -> None:
    """Extract numbers, dates, deadlines, units and initiatives from PATH; write nothing.

    Example: cchc extract corpus/dev/q6-nhan-rong-sang-kien-2020.txt --json
    """
    from nlp.extract import extract as run_extract

    from nlp.contract import to_contract

    out = to_contract(run_extract(_read_or_exit(path)))
    click.echo(json.dumps(out, ensure_ascii=False, indent=2 if pretty else None))


# --- the catalogue ------------------------------------------------------------------------

@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@DB_OPTION
@click.option("--force", is_flag=True, help="Re-extract even documents already catalogued by this extractor version.")
@click.option("--workers", type=int, default=None, help="Extraction processes (default: one per core).")
@click.option("--raw", default="output/raw", show_default=True, help="Where the files' bytes are kept for re-processing.")
def ingest(paths: tuple[str, ...], db_path: str, force: bool, workers: int | None, raw: str) -> None:
    """Catalogue files and folders (PDF, DOCX, DOC, HTML, TXT).

    Exits 1 when any file failed; everything that succeeded is kept.

    Example: cchc ingest corpus/real corpus/dev --db output/catalogue.db
    """
    from pipeline.ingest import IngestResult, already_catalogued, iter_files, record_failure, write_document
    from pipeline.parallel import default_workers, extract_many
    from pipeline.rawstore import RawStore

    db = _db(db_path)
    store = RawStore(raw)
    files = list(iter_files(paths))
    results = []
    if not force:
        files, results = already_catalogued(db, files)
    with click.progressbar(extract_many(files, workers or default_workers()), length=len(files), label="ingesting",
                           file=sys.stderr, show_pos=True) as bar:
        for path, x, data, error in bar:
            if error is not None:
                record_failure(db, path, error)
                results.append(IngestResult(path, "failed", reason=error.reason))
                continue
            store.put(data)
            results.append(write_document(db, x, force=force))
    by_status: dict[str, int] = {}
    for r in results:
        by_status[r.status] = by_status.get(r.status, 0) + 1
    click.echo(f"{len(results)} files: " + ", ".join(f"{n} {s}" for s, n in sorted(by_status.items())))
    failed = [r for r in results if r.status == "failed"]
    for r in failed:
        click.echo(f"  failed: {r.path}: {r.reason}", err=True)
    sys.exit(1 if failed else 0)


@cli.command()
@DB_OPTION
@click.option("--today", default=None, help="Date to count upcoming deadlines from (default: today).")
def summary(db_path: str, today: str | None) -> None:
    """Counts of what the catalogue holds and the nearest upcoming deadlines.

    Example: cchc summary --db output/catalogue.db
    """
    from pipeline.query import counts, deadlines

    db = _db(db_path)
    c = counts(db)
    click.echo(f"catalogue {db_path}")
    for name in ("documents", "directives", "initiatives", "deadlines", "units", "mentions", "failures"):
        click.echo(f"  {name:<12}{c[name]:>7}")
    today = today or date.today().isoformat()
    upcoming = deadlines(db, due_after=today, limit=5)
    if upcoming:
        click.echo(f"nearest upcoming deadlines (from {today}):")
        rows = upcoming
    else:
        rows = list(reversed(deadlines(db, due_before=today)))[:5]
        click.echo(f"no deadline after {today}; the latest ones:")
    for r in rows:
        who = f" — {r['responsible']}" if r["responsible"] else ""
        click.echo(f"  {r['date']}  {(r['task'] or '')[:80]}{who[:60]}  [{Path(r['document']).name}]")


@cli.group()
def query() -> None:
    """Query the catalogue: initiatives, directives, deadlines, units, documents."""


def _search_option(f):
    return click.option("--search", help="Full-text search; ignores tones and đ/d ('dang ky' finds 'đăng ký').")(f)


@query.command("initiatives")
@DB_OPTION
@FORMAT_OPTION
@_search_option
@click.option("--unit", help="Owner unit, by any alias; includes the units under it.")
@click.option("--year", type=int)
@click.option("--kind", help="sáng kiến, giải pháp, mô hình, cách làm hay, đề án ...")
@click.option("--directive", help="Number of the directive that asked for them.")
@click.option("--limit", type=int)
def query_initiatives(db_path, fmt, search, unit, year, kind, directive, limit) -> None:
    """Initiatives with owner unit, year and directive.

    Example: cchc query initiatives --search "dan van" --format json
    """
    from pipeline import query as q

    _emit(q.initiatives(_db(db_path), unit=unit, year=year, kind=kind, directive=directive, search=search,
                        limit=limit), fmt)


@query.command("directives")
@DB_OPTION
@FORMAT_OPTION
@_search_option
@click.option("--type", "doc_type", help="Quyết định, Kế hoạch, Thông báo, Văn bản ...")
@click.option("--issuer", help="Issuing unit, by any alias.")
@click.option("--from", "date_from", help="Issued on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Issued on or before (YYYY-MM-DD).")
@click.option("--limit", type=int)
def query_directives(db_path, fmt, search, doc_type, issuer, date_from, date_to, limit) -> None:
    """Directives (documents known by number), with how many documents cite them.

    Example: cchc query directives --type "Kế hoạch" --from 2020-01-01
    """
    from pipeline import query as q

    _emit(q.directives(_db(db_path), doc_type=doc_type, issuer=issuer, date_from=date_from, date_to=date_to,
                       search=search, limit=limit), fmt)


@query.command("deadlines")
@DB_OPTION
@FORMAT_OPTION
@_search_option
@click.option("--unit", help="Responsible unit, by any alias.")
@click.option("--due-before", help="Due on or before (YYYY-MM-DD).")
@click.option("--due-after", help="Due on or after (YYYY-MM-DD).")
@click.option("--overdue", is_flag=True, help="Due before today.")
@click.option("--directive", help="Number of the directive the deadline belongs to.")
@click.option("--limit", type=int)
def query_deadlines(db_path, fmt, search, unit, due_before, due_after, overdue, directive, limit) -> None:
    """Deadlines with task, responsible unit and source document.

    Example: cchc query deadlines --due-after 2021-07-01 --due-before 2021-12-31
    """
    from pipeline import query as q

    _emit(q.deadlines(_db(db_path), unit=unit, due_before=due_before, due_after=due_after, overdue=overdue,
                      directive=directive, search=search, limit=limit), fmt)


@query.command("units")
@DB_OPTION
@FORMAT_OPTION
@_search_option
@click.option("--level", type=click.Choice(["central", "province", "district", "commune"]))
@click.option("--under", help="Only units under this one (by any alias).")
@click.option("--current", is_flag=True,
              help="Each unit with its present-day successor after the 1 July 2025 reorganisation.")
@click.option("--limit", type=int)
def query_units(db_path, fmt, search, level, under, current, limit) -> None:
    """Units with level, parent and aliases (with --current: what each unit is since 1 July 2025).

    Example: cchc query units --level district --current
    """
    from pipeline import query as q

    _emit(q.units(_db(db_path), level=level, search=search, under=under, current=current, limit=limit), fmt)


@query.command("documents")
@DB_OPTION
@FORMAT_OPTION
@_search_option
@click.option("--kind", type=click.Choice(["news", "official"]))
@click.option("--file-format", "doc_format", type=click.Choice(["pdf", "docx", "doc", "html", "txt"]))
@click.option("--from", "date_from")
@click.option("--to", "date_to")
@click.option("--limit", type=int)
def query_documents(db_path, fmt, search, kind, doc_format, date_from, date_to, limit) -> None:
    """Documents catalogued, newest first.

    Example: cchc query documents --search "dang ky"
    """
    from pipeline import query as q

    _emit(q.documents(_db(db_path), kind=kind, fmt=doc_format, date_from=date_from, date_to=date_to,
                      search=search, limit=limit), fmt)


@cli.group()
def show() -> None:
    """Everything the catalogue knows about one directive, initiative or unit, with evidence."""


def _print_evidence(mentions: list[dict]) -> None:
    click.echo(f"said in {len({m['document_id'] for m in mentions})} document(s):")
    for m in mentions:
        snippet = (m["before"][-80:] + click.style(m["text"], bold=True, underline=True) + m["after"][:80]).replace("\n", " ")
        click.echo(f"  [{m['path']} @{m['start']}-{m['end']}, confidence {m['confidence']}]")
        click.echo(f"    …{snippet}…")


@show.command("directive")
@click.argument("number")
@DB_OPTION
def show_directive(number: str, db_path: str) -> None:
    """Example: cchc show directive 1980/SNV-CCHC"""
    from pipeline.query import _rows, mentions_of

    db = _db(db_path)
    rows = _rows(db, "SELECT * FROM directives WHERE number = ?", [number])
    if not rows:
        click.echo(f"cchc: no directive {number}", err=True)
        sys.exit(1)
    d = rows[0]
    for k in ("number", "doc_type", "issuer", "date", "subject"):
        click.echo(f"{k:<10}{d[k] or ''}")
    asked = _rows(db, "SELECT id, title FROM initiatives WHERE directive_id = ?", [d["id"]])
    for a in asked:
        click.echo(f"initiative #{a['id']}: {a['title']}")
    _print_evidence(mentions_of(db, "directive", d["id"]))


@show.command("initiative")
@click.argument("initiative_id", type=int)
@DB_OPTION
def show_initiative(initiative_id: int, db_path: str) -> None:
    """Example: cchc show initiative 3"""
    from pipeline.query import _rows, mentions_of

    db = _db(db_path)
    rows = _rows(db, "SELECT i.*, u.canonical AS unit, d.number AS directive FROM initiatives i LEFT JOIN units u "
                     "ON u.id = i.unit_id LEFT JOIN directives d ON d.id = i.directive_id WHERE i.id = ?", [initiative_id])
    if not rows:
        click.echo(f"cchc: no initiative {initiative_id}", err=True)
        sys.exit(1)
    for k in ("title", "kind", "unit", "year", "directive"):
        click.echo(f"{k:<10}{rows[0][k] or ''}")
    _print_evidence(mentions_of(db, "initiative", initiative_id))


@show.command("unit")
@click.argument("name")
@DB_OPTION
def show_unit(name: str, db_path: str) -> None:
    """Example: cchc show unit "UBND Quận 6" """
    from pipeline.query import _rows, mentions_of, unit_ids

    db = _db(db_path)
    ids = unit_ids(db, name)
    if not ids:
        click.echo(f"cchc: no unit {name}", err=True)
        sys.exit(1)
    u = _rows(db, "SELECT u.*, p.canonical AS parent FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.id = ?",
              [ids[0]])[0]
    click.echo(f"{u['canonical']} ({u['level'] or 'level unknown'}); parent: {u['parent'] or '-'}")
    click.echo(f"since 1 July 2025: {_since_2025(u)}")
    aliases = [r[0] for r in db.execute("SELECT alias FROM unit_aliases WHERE unit_id = ?", [ids[0]])]
    click.echo("aliases: " + " | ".join(aliases))
    for r in _rows(db, "SELECT id, title, year FROM initiatives WHERE unit_id = ?", [ids[0]]):
        click.echo(f"initiative #{r['id']}: {r['title']} ({r['year'] or '-'})")
    _print_evidence(mentions_of(db, "unit", ids[0])[:20])


def _since_2025(u: dict) -> str:
    status, successor = u.get("successor_status"), u.get("successor")
    if not status:
        return "not known (not a place-bound unit, or catalogued before the map: run cchc reprocess)"
    if status == "same":
        return "unchanged"
    if status == "merged":
        return f"merged into {successor}"
    return f"abolished; its communes' bodies: {successor}" if successor else "abolished"


@cli.command("export")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "xlsx"]), required=True)
@click.option("--out", "out", type=click.Path(), default=None,
              help="Output file (json, xlsx) or folder (csv). Default: output/export.*")
def export_cmd(db_path: str, fmt: str, out: str | None) -> None:
    """Export the whole catalogue (XLSX is what offices exchange).

    Example: cchc export --format xlsx --out output/catalogue.xlsx
    """
    from pipeline.export import export

    target = export(_db(db_path), fmt, out)
    click.echo(f"wrote {target}")


# --- review ----------------------------------------------------------------------------------

@cli.group(invoke_without_command=True)
@DB_OPTION
@click.option("--threshold", type=float, default=None, help="Confidence under which an extraction needs review.")
@click.pass_context
def review(ctx: click.Context, db_path: str, threshold: float | None) -> None:
    """Work through low-confidence extractions: a accept, c correct, r reject, s skip, q quit.

    Example: cchc review --db output/catalogue.db
    """
    from pipeline import settings

    ctx.obj = {"db": db_path, "threshold": threshold if threshold is not None else settings.REVIEW_THRESHOLD}
    if ctx.invoked_subcommand is None:
        from cchc.review_tui import run

        run(_db(db_path), ctx.obj["threshold"])


@review.command("list")
@FORMAT_OPTION
@click.option("--limit", type=int)
@click.pass_obj
def review_list(obj, fmt, limit) -> None:
    """Pending items, lowest confidence first.  Example: cchc review list --limit 20"""
    from pipeline.review import pending

    _emit(pending(_db(obj["db"]), obj["threshold"], limit), fmt)


def _decide(obj, mention_id: int, decision: str, value: dict | None = None) -> None:
    from pipeline.review import ReviewError, decide

    try:
        decide(_db(obj["db"]), mention_id, decision, value)
    except ReviewError as exc:
        click.echo(f"cchc: {exc}", err=True)
        sys.exit(2)
    click.echo(f"{decision} mention {mention_id}")


@review.command("accept")
@click.argument("mention_id", type=int)
@click.pass_obj
def review_accept(obj, mention_id) -> None:
    """Example: cchc review accept 42"""
    _decide(obj, mention_id, "accepted")


@review.command("reject")
@click.argument("mention_id", type=int)
@click.pass_obj
def review_reject(obj, mention_id) -> None:
    """Example: cchc review reject 42"""
    _decide(obj, mention_id, "rejected")


@review.command("correct")
@click.argument("mention_id", type=int)
@click.option("--set", "pairs", multiple=True, required=True, metavar="FIELD=VALUE",
              help="A corrected value, e.g. --set title='Mô hình Dân vận khéo' or --set date=2021-07-31.")
@click.pass_obj
def review_correct(obj, mention_id, pairs) -> None:
    """Example: cchc review correct 42 --set title="Mô hình Dân vận khéo" """
    value = {}
    for pair in pairs:
        key, sep, val = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"{pair!r} is not FIELD=VALUE")
        value[key.strip()] = val
    _decide(obj, mention_id, "corrected", value)


# --- flows ----------------------------------------------------------------------------------------

def _once_required(once: bool, what: str) -> None:
    if not once:
        click.echo(f"cchc: add --once to run the {what} now; `cchc serve` runs it on its schedule", err=True)
        sys.exit(2)


@cli.command()
@DB_OPTION
@click.option("--once", is_flag=True, help="Run the crawl flow now, without a server (for people and cron).")
@click.option("--sources", default="corpus/sources.toml", show_default=True, type=click.Path(exists=True))
@click.option("--raw", default="output/raw", show_default=True, help="Where raw pages are kept.")
def crawl(db_path: str, once: bool, sources: str, raw: str) -> None:
    """Crawl the government news sites of SOURCES once.

    Example: cchc crawl --once --sources corpus/sources.toml
    """
    _once_required(once, "crawl")
    from flows.crawl import crawl_flow

    result = crawl_flow(db_path=db_path, sources_path=sources, raw_root=raw)
    click.echo(f"new {len(result['new'])}, unchanged {len(result['unchanged'])}, "
               f"duplicates {len(result['duplicates'])}, failed {len(result['failed'])}")
    for url, reason in result["failed"]:
        click.echo(f"  failed: {url}: {reason}", err=True)


@cli.command()
@DB_OPTION
@click.option("--once", is_flag=True, help="Process the inbox now, without a server.")
@click.option("--inbox", "inbox_dir", default="inbox", show_default=True, type=click.Path(file_okay=False))
@click.option("--raw", default="output/raw", show_default=True)
@click.option("--settle", default=2.0, show_default=True, help="Seconds a file must be unchanged before it is taken.")
def inbox(db_path: str, once: bool, inbox_dir: str, raw: str, settle: float) -> None:
    """Catalogue files dropped in INBOX; move each to processed/ or failed/ (with a .reason.txt).

    Example: cchc inbox --once --inbox inbox
    """
    _once_required(once, "inbox")
    from flows.inbox import inbox_flow

    for r in inbox_flow(inbox=inbox_dir, db_path=db_path, raw_root=raw, settle_seconds=settle):
        click.echo(f"{r['outcome']:<10} {r['name']} -> {r['moved_to']}" + (f"  ({r['reason']})" if r["reason"] else ""))


@cli.command()
@DB_OPTION
@click.option("--raw", default="output/raw", show_default=True)
@click.option("--all", "everything", is_flag=True, help="Re-extract every document, not only those of older versions.")
def reprocess(db_path: str, raw: str, everything: bool) -> None:
    """Re-run extraction over stored documents (after the extractor changed); review decisions are kept.

    Example: cchc reprocess --db output/catalogue.db
    """
    from pipeline.parallel import default_workers
    from pipeline.rawstore import RawStore
    from pipeline.reprocess import reprocess as run

    summary = run(_db(db_path), RawStore(raw), everything, default_workers())
    click.echo(f"{summary.updated} re-extracted")
    for line in summary.missing:
        click.echo(f"  not re-extracted: {line}", err=True)


@cli.command()
@DB_OPTION
@click.option("--port", default=4200, show_default=True, type=int, help="Port of the Prefect server and UI.")
@click.option("--inbox", "inbox_dir", default="inbox", show_default=True)
@click.option("--inbox-every", default=60.0, show_default=True, help="Seconds between two inbox runs.")
@click.option("--crawl-cron", default="0 6 * * *", show_default=True, help="Crawl schedule, Asia/Ho_Chi_Minh time.")
@click.option("--sources", default="corpus/sources.toml", show_default=True)
@click.option("--raw", default="output/raw", show_default=True)
def serve(db_path, port, inbox_dir, inbox_every, crawl_cron, sources, raw) -> None:
    """Start a local Prefect server and the scheduled deployments; Ctrl-C stops everything.

    Example: cchc serve --inbox-every 30 --crawl-cron "0 6,18 * * *"
    """
    from flows.server import serve as run

    args = ["--db", db_path, "--inbox", inbox_dir, "--inbox-every", str(inbox_every), "--crawl-cron", crawl_cron,
            "--sources", sources, "--raw", raw]
    sys.exit(run(port, Path("output/prefect"), args, echo=click.echo))


# --- evaluation and web -------------------------------------------------------------------------

@cli.command("eval")
@click.argument("gold_dirs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--scorer", default="../shared/eval/score.py", show_default=True, type=click.Path(),
              help="The shared scorer, for its matching rules.")
def eval_cmd(gold_dirs: tuple[str, ...], scorer: str) -> None:
    """Per-field precision/recall/F1 on gold folders, and a reliability table of confidence.

    Example: cchc eval corpus/dev corpus/gold
    """
    from pipeline.evaluate import evaluate, format_report

    click.echo(format_report(evaluate([Path(d) for d in gold_dirs], Path(scorer))))


@cli.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", default=8001, show_default=True, type=int)
def web(db_path: str, host: str, port: int) -> None:
    """Serve the catalogue (Datasette at /) and the review page (/review) on 127.0.0.1.

    Example: cchc web --db output/catalogue.db --port 8001
    """
    from cchc.web import serve

    serve(db_path, host, port)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
