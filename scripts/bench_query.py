"""Query latency on a large generated catalogue: median and p95 of the searches and filters users run.

The catalogue is the real corpus and the shared dev texts ingested once, then replicated in SQL
with other dates, paths and titles up to N documents. Generated documents are kept small (their
first ``SMALL_TEXT_CHARS`` characters: a short news item) so that a million of them fit on a
laptop disk; the search text is built by the code under test (``search_text``), so its folding
rules are the ones measured.

    .venv/bin/python scripts/bench_query.py --documents 100000
    .venv/bin/python scripts/bench_query.py --documents 1000000 --db /tmp/big.db   # keep it to re-measure

Runs against the code it is imported with: ``scripts/bench.py --before REF`` runs it on an older
checkout too, on a copy of the same catalogue.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
ROOT = Path(os.environ.get("CCHC_BENCH_CODE", HERE))  # the checkout whose code is measured
sys.path.insert(0, str(ROOT))

# What a generated document keeps of the text it copies.
SMALL_TEXT_CHARS = 2000
# Initiatives copied per replica of the base corpus (with one mention each): a national catalogue
# has far fewer initiatives than documents.
INITIATIVES_PER_COPY = 10
# Replicas inserted per statement.
COPIES_PER_BATCH = 200


def base_files() -> list[Path]:
    shared = HERE.parent / "shared" / "eval" / "dev"
    files = [p for p in sorted((HERE / "corpus" / "real").iterdir()) if p.suffix != ".doc"]  # no LibreOffice start-up
    files += sorted((HERE / "corpus" / "dev").glob("*.txt"))
    files += sorted(shared.glob("*.txt")) if shared.is_dir() else []
    return files


def build(db_path: Path, documents: int) -> dict:
    """A catalogue of ``documents`` documents at ``db_path``, written by the code under test."""
    from pipeline.catalogue import connect, search_text, transaction
    from pipeline.ingest import write_document
    from pipeline.parallel import extract_many

    t0 = time.perf_counter()
    db = connect(db_path)
    db.execute("PRAGMA synchronous=OFF")  # a scratch file: a crash while building loses nothing of value
    for _, x, _, _ in extract_many(base_files(), 2):
        if x is not None:
            write_document(db, x)
    base = db.execute("SELECT MAX(id) FROM documents").fetchone()[0]
    db.execute("CREATE TEMP TABLE small (id INTEGER PRIMARY KEY, text TEXT, search_text TEXT)")
    rows = db.execute("SELECT id, title, number, subject, text FROM documents").fetchall()
    db.conn.executemany("INSERT INTO temp.small VALUES (?, ?, ?)",
                        [(i, text[:SMALL_TEXT_CHARS], search_text(title, number, subject, text[:SMALL_TEXT_CHARS]))
                         for i, title, number, subject, text in rows])
    with transaction(db):  # the originals become small too: every document is one of the generated kind
        db.execute("UPDATE documents SET text = (SELECT text FROM temp.small s WHERE s.id = documents.id), "
                   "search_text = (SELECT search_text FROM temp.small s WHERE s.id = documents.id)")
    first_initiative = db.execute("SELECT MIN(id) FROM initiatives").fetchone()[0] or 0
    copies = (documents + base - 1) // base - 1
    for low in range(1, copies + 1, COPIES_PER_BATCH):
        high = min(copies, low + COPIES_PER_BATCH - 1)
        params = {"low": low, "high": high, "base": base, "first": first_initiative,
                  "per": INITIATIVES_PER_COPY, "limit": documents}
        copies_cte = "WITH RECURSIVE k(n) AS (SELECT :low UNION ALL SELECT n + 1 FROM k WHERE n < :high) "
        with transaction(db):
            db.execute(copies_cte + """INSERT INTO documents (id, sha256, path, url, format, kind, title, number,
                doc_type, issuer, place, date, subject, signer, text, pages, warnings, extractor_version, ingested_at,
                updated_at, search_text)
                SELECT k.n * :base + d.id, d.sha256 || '-' || k.n, d.path || '#' || k.n, d.url, d.format, d.kind,
                d.title, d.number, d.doc_type, d.issuer, d.place,
                CASE WHEN d.date IS NULL THEN NULL ELSE date(d.date, '+' || (k.n % 2000) || ' days') END,
                d.subject, d.signer, s.text, d.pages, d.warnings, d.extractor_version, d.ingested_at, d.updated_at,
                s.search_text
                FROM k, documents d JOIN temp.small s ON s.id = d.id
                WHERE d.id <= :base AND k.n * :base + d.id <= :limit""", params)
            db.execute(copies_cte + """INSERT INTO deadlines (date, task, responsible, responsible_unit_id,
                directive_id, document_id, recurring, resolved, start, end)
                SELECT date(dl.date, '+' || (k.n % 2500) || ' days'), dl.task, dl.responsible, dl.responsible_unit_id,
                dl.directive_id, k.n * :base + dl.document_id, dl.recurring, dl.resolved, dl.start, dl.end
                FROM k, deadlines dl WHERE dl.document_id <= :base AND k.n * :base + dl.document_id <= :limit""",
                       params)
            db.execute(copies_cte + """INSERT INTO initiatives (title, title_key, kind, unit_id, year, directive_id,
                search_text)
                SELECT i.title || ' ' || k.n, i.title_key || ' ' || k.n, i.kind, i.unit_id, i.year + (k.n % 5),
                i.directive_id, i.search_text || ' ' || k.n
                FROM k, initiatives i WHERE i.id < :first + :per AND k.n * :base + 1 <= :limit""", params)
            db.execute("""INSERT INTO mentions (document_id, entity, entity_id, field, start, end, text, value,
                confidence, extractor_version, source)
                SELECT (CAST(substr(i.title, length(rtrim(i.title, '0123456789')) + 1) AS INTEGER)) * :base + 1,
                'initiative', i.id, 'initiative', i.id, i.id + 1, '', '{}', 0.9, '', 'bench'
                FROM initiatives i WHERE i.id > (SELECT COALESCE(MAX(entity_id), 0) FROM mentions
                                                  WHERE entity = 'initiative')""", {"base": base})
    db.execute("ANALYZE")
    return {"documents": db["documents"].count, "initiatives": db["initiatives"].count,
            "deadlines": db["deadlines"].count, "mentions": db["mentions"].count,
            "gb": round(db_path.stat().st_size / 2**30, 2), "build_s": round(time.perf_counter() - t0, 1)}


def measure(fn, runs: int = 30) -> dict:
    fn()  # the first run reads the pages from disk; the figure is for a warm catalogue
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(len(times) * 0.95) - 1], 2)}


QUERIES = {
    "search documents 'dang ky sang kien' (first 50)": lambda q, db: q.documents(db, search="dang ky sang kien", limit=50),
    "search documents 'kiem soat thu tuc hanh chinh' (first 50)":
        lambda q, db: q.documents(db, search="kiểm soát thủ tục hành chính", limit=50),
    "search initiatives 'phong trao' (first 50)": lambda q, db: q.initiatives(db, search="phong trao", limit=50),
    "search initiatives 'mo hinh' (first 50)": lambda q, db: q.initiatives(db, search="mô hình", limit=50),
    "initiatives of 'UBND tỉnh Kon Tum' and the units under it":
        lambda q, db: q.initiatives(db, unit="UBND tỉnh Kon Tum", limit=100),
    "upcoming deadlines (next 20)": lambda q, db: q.deadlines(db, due_after="2026-11-23", limit=20),
}


def measure_all(db_path: Path, runs: int = 30) -> dict:
    from pipeline import query as q
    from pipeline.catalogue import connect

    t = time.perf_counter()
    db = connect(db_path)  # a newer schema migrates here, once
    opened = time.perf_counter() - t
    results = {name: measure(lambda fn=fn: fn(q, db), runs) for name, fn in QUERIES.items()}
    return {"open_and_migrate_s": round(opened, 1), "queries": results}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--db", type=Path, default=None, help="Keep the catalogue here (default: a temporary file, deleted).")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    folder = None
    if args.db is None:
        folder = Path(tempfile.mkdtemp(prefix="cchc-qbench-"))
        args.db = folder / "big.db"
    try:
        out: dict = {}
        if not args.db.exists():
            out["built"] = build(args.db, args.documents)
            print(json.dumps(out["built"]), file=sys.stderr)
        if not args.build_only:
            out.update(measure_all(args.db, args.runs))
        print(json.dumps(out, ensure_ascii=False, indent=1))
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
