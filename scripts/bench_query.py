"""Query latency on a large catalogue: median and p95 for a search, a unit filter, upcoming deadlines.

The catalogue is the real corpus ingested once, then replicated in SQL with varied numbers,
dates and titles up to N documents (default 100,000), full texts and search indexes included.

    .venv/bin/python scripts/bench_query.py --documents 100000
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

from pipeline import query as q  # noqa: E402
from pipeline.catalogue import connect, transaction  # noqa: E402
from pipeline.ingest import write_document  # noqa: E402
from pipeline.parallel import extract_many  # noqa: E402
from pipeline.ingest import iter_files  # noqa: E402


def build(db_path: Path, documents: int) -> float:
    db = connect(db_path)
    for _, x, _, _ in extract_many(list(iter_files([ROOT / "corpus/real", ROOT / "corpus/dev"])), 2):
        if x is not None:
            write_document(db, x)
    base = db["documents"].count
    t = time.perf_counter()
    copies = (documents + base - 1) // base - 1
    for k in range(1, copies + 1):
        with transaction(db):
            db.execute("""INSERT INTO documents (sha256, path, url, format, kind, title, number, doc_type, issuer, place, date,
                subject, signer, text, pages, warnings, extractor_version, ingested_at, updated_at, search_text)
                SELECT sha256 || '-' || :k, path || '#' || :k, url, format, kind, title, number, doc_type, issuer, place,
                CASE WHEN date IS NULL THEN NULL ELSE date(date, '+' || (:k % 2000) || ' days') END,
                subject, signer, text, pages, warnings, extractor_version, ingested_at, updated_at, search_text
                FROM documents WHERE id <= :base""", {"k": k, "base": base})
            offset = db.execute("SELECT MAX(id) FROM documents").fetchone()[0] - base
            db.execute("""INSERT OR IGNORE INTO directives (number, doc_type, issuer, date, subject, search_text)
                SELECT (CAST(substr(number, 1, instr(number, '/') - 1) AS INTEGER) + :k * 10000) || substr(number, instr(number, '/')),
                doc_type, issuer, date, subject, search_text FROM directives WHERE id <= :d""",
                       {"k": k, "d": 1000})
            db.execute("""INSERT OR IGNORE INTO initiatives (title, title_key, kind, unit_id, year, directive_id, search_text)
                SELECT title || ' ' || :k, title_key || ' ' || :k, kind, unit_id, year + (:k % 5), directive_id, search_text
                FROM initiatives WHERE id <= 10""", {"k": k})
            db.execute("""INSERT INTO deadlines (date, task, responsible, responsible_unit_id, directive_id, document_id,
                recurring, rule, resolution, resolved, start, end)
                SELECT date(date, '+' || (:k % 2500) || ' days'), task, responsible, responsible_unit_id, directive_id,
                document_id + :o, recurring, rule, resolution, resolved, start, end FROM deadlines WHERE document_id <= :base""",
                       {"k": k, "o": offset, "base": base})
            db.execute("""INSERT INTO mentions (document_id, entity, entity_id, field, start, end, text, value, confidence,
                extractor_version, source) SELECT document_id + :o, entity, entity_id, field, start, end, text, value,
                confidence, extractor_version, source FROM mentions WHERE document_id <= :base AND entity != 'date'""",
                       {"o": offset, "base": base})
    db.execute("ANALYZE")
    return time.perf_counter() - t


def measure(fn, runs: int = 30) -> dict:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(len(times) * 0.95) - 1], 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--db", type=Path, default=None, help="Keep the catalogue here (default: a temporary file).")
    args = ap.parse_args()
    db_path = args.db or Path(tempfile.mkdtemp(prefix="cchc-qbench-")) / "big.db"
    if not db_path.exists():
        seconds = build(db_path, args.documents)
        print(f"built {db_path} in {seconds:.0f} s")
    db = connect(db_path)
    print(f"documents {db['documents'].count}, deadlines {db['deadlines'].count}, mentions {db['mentions'].count}, "
          f"size {db_path.stat().st_size / 2**30:.2f} GB")
    results = {
        "search documents 'dang ky sang kien' (first 50)": measure(lambda: q.documents(db, search="dang ky sang kien", limit=50)),
        "search initiatives 'phong trao'": measure(lambda: q.initiatives(db, search="phong trao", limit=50)),
        "initiatives of unit 'UBND tỉnh Kon Tum' and units under it": measure(lambda: q.initiatives(db, unit="UBND tỉnh Kon Tum", limit=100)),
        "upcoming deadlines (next 20)": measure(lambda: q.deadlines(db, due_after="2026-11-23", limit=20)),
        "deadlines of unit 'Sở Lao động' due in 2027": measure(lambda: q.deadlines(db, unit="Sở Lao động - Thương binh và Xã hội Tỉnh Kon Tum",
                                                                               due_after="2027-01-01", due_before="2027-12-31", limit=100)),
    }
    width = max(map(len, results))
    print(f"{'query':<{width}}  {'median ms':>10}  {'p95 ms':>8}")
    for name, r in results.items():
        print(f"{name:<{width}}  {r['median_ms']:>10}  {r['p95_ms']:>8}")
    out = ROOT / "output" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "query-latency.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
