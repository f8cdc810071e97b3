"""Soak: ingest the real corpus N times with random SIGKILLs; print lost documents, duplicates, integrity.

Each round writes varied copies of the real files (a marker line appended, so each round adds new
documents), starts `cchc ingest`, kills it at a random moment (or lets it finish), then checks the
catalogue. At the end one uninterrupted run must leave every document of every round catalogued once.

    .venv/bin/python scripts/soak.py --rounds 1000 --table docs/soak-table.md

Every ``--every`` rounds (and at the end) it adds a row to a Markdown table: rounds, kills so far,
files catalogued of those written so far, documents (of distinct texts), files catalogued twice,
rounds whose integrity check failed.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for p in (ROOT / "corpus" / "real").iterdir() if p.suffix in (".txt", ".html", ".pdf", ".docx")] + \
    list((ROOT / "corpus" / "dev").glob("*.txt"))


def write_round(folder: Path, n: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for src in SOURCES:
        if src.suffix == ".docx":
            continue  # bytes appended to a zip change nothing a reader sees; DOCX copies would be duplicates
        marker = f"\n%round {n}\n" if src.suffix == ".pdf" else f"\n<!-- round {n} -->\n"
        (folder / f"r{n:04d}-{src.name}").write_bytes(src.read_bytes() + marker.encode())
        count += 1
    return count


def check(db: Path) -> tuple[str, int, int, int]:
    """(integrity, files catalogued, documents, files catalogued twice). Every copy a round writes has
    the text of its source with a marker line, so it is one more file of that source's document
    (``files``): a lost file is one missing from ``files``, a duplicate a document made twice."""
    conn = sqlite3.connect(db)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        files = conn.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        distinct = conn.execute("SELECT COUNT(DISTINCT sha256) FROM files").fetchone()[0]
        documents = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        return integrity, distinct, documents, files - distinct
    finally:
        conn.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-kill-seconds", type=float, default=4.0)
    ap.add_argument("--every", type=int, default=100, help="Rounds between two rows of the table.")
    ap.add_argument("--table", type=Path, default=None, help="Also write the Markdown table to this file.")
    args = ap.parse_args()
    table = ["| rounds | kills | files catalogued / written | documents (texts) | files twice | integrity failures | elapsed |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    started = time.monotonic()

    def row(label: str, kills: int, kept: int, expected: int, documents: int, dups: int, bad: int) -> None:
        table.append(f"| {label} | {kills} | {kept} / {expected} | {documents} ({texts}) | {dups} | {bad} | "
                     f"{(time.monotonic() - started) / 60:.0f} min |")
        if args.table:
            args.table.write_text("\n".join(table) + "\n", encoding="utf-8")

    texts = sum(1 for src in SOURCES if src.suffix != ".docx")  # distinct texts: one document each
    rnd = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="cchc-soak-"))
    db, files = work / "soak.db", work / "files"
    expected = kills = bad_integrity = 0
    cmd = [sys.executable, "-m", "cchc", "ingest", str(files), "--db", str(db), "--workers", "2",
           "--raw", str(work / "raw")]
    try:
        for n in range(args.rounds):
            expected += write_round(files, n)
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True)
            try:
                proc.wait(timeout=rnd.uniform(0.2, args.max_kill_seconds))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its extraction workers
                proc.wait()
                kills += 1
            if db.exists():
                integrity, kept, documents, dups = check(db)
                bad_integrity += integrity != "ok"
                print(f"round {n + 1}: killed {kills}, files {kept}/{expected}, documents {documents}, "
                      f"duplicates {dups}, integrity {integrity}", flush=True)
                if (n + 1) % args.every == 0:
                    row(str(n + 1), kills, kept, expected, documents, dups, bad_integrity)
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        integrity, kept, documents, dups = check(db)
        bad_integrity += integrity != "ok"
        row(f"{args.rounds} + one uninterrupted run", kills, kept, expected, documents, dups, bad_integrity)
        print("\n".join(table))
        print(f"rounds {args.rounds}, kills {kills}: files lost {expected - kept}, documents {documents} of {texts} "
              f"texts, duplicates {dups}, integrity {integrity}, rounds with a failed integrity check {bad_integrity}")
        return 0 if (expected == kept and documents == texts and dups == 0 and bad_integrity == 0) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
