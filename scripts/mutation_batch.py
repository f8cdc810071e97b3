"""Mutated real files in one `cchc ingest`: the batch must finish, every file must end as a document
or a recorded failure, and the catalogue must pass `PRAGMA integrity_check`.

The mutations (tests/mutations.py) damage the real PDFs and DOCX of corpus/: flipped, lost and
repeated bytes, truncations, lying page counts and stream lengths, damaged XML inside the zip.

    .venv/bin/python scripts/mutation_batch.py --pdf 300 --docx 300
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from mutations import mutate  # noqa: E402

os.environ["CCHC_LANG"] = "en"  # the summary line is read in English

PDFS = [ROOT / "corpus/real/an-le-27-2019.pdf", ROOT / "corpus/real/an-le-28-2019.pdf",
        ROOT / "corpus/fixtures/qd435-tasks.pdf"]
DOCX = [ROOT / "corpus/real/an-le-18-2018.docx", ROOT / "corpus/real/an-le-20-2018.docx",
        ROOT / "corpus/fixtures/qd435-tasks.docx"]


def write_mutants(folder: Path, sources: list[Path], count: int, rnd: random.Random) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        src = sources[i % len(sources)]
        target = folder / f"{src.stem}-m{i:03d}{src.suffix}"
        target.write_bytes(mutate(src.read_bytes(), src.suffix, rnd))
        out.append(target)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pdf", type=int, default=300)
    ap.add_argument("--docx", type=int, default=300)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="cchc-mutants-"))
    try:
        files = write_mutants(work / "files", PDFS, args.pdf, rnd) + write_mutants(work / "files", DOCX, args.docx, rnd)
        db = work / "catalogue.db"
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "cchc", "ingest", str(work / "files"), "--db", str(db),
                               "--raw", str(work / "raw"), "--workers", str(args.workers)],
                              cwd=ROOT, capture_output=True, text=True)
        seconds = time.monotonic() - started
        conn = sqlite3.connect(db)
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        # a mutant whose text is that of a document already catalogued is one more file of it
        catalogued = {r[0] for r in conn.execute("SELECT sha256 FROM documents UNION SELECT sha256 FROM files")}
        failures = dict(conn.execute("SELECT path, code FROM failures").fetchall())
        unexpected = conn.execute("SELECT path, code, reason FROM failures WHERE code IN "
                                  "('reader-error', 'worker-died', 'timeout', 'out-of-memory', 'write-error')").fetchall()
        outcome: collections.Counter = collections.Counter()
        lost = []
        for f in files:
            if hashlib.sha256(f.read_bytes()).hexdigest() in catalogued:
                outcome[f"{f.suffix} document"] += 1
            elif str(f) in failures:
                outcome[f"{f.suffix} failure: {failures[str(f)]}"] += 1
            else:
                lost.append(f.name)
        tracebacks = proc.stderr.count("Traceback")
        print(f"{len(files)} mutated files ({args.pdf} PDF, {args.docx} DOCX) in one `cchc ingest`: "
              f"exit {proc.returncode}, {seconds:.0f} s, {tracebacks} tracebacks, integrity_check {integrity}")
        print(next((line for line in proc.stdout.splitlines() if " files: " in line), "(no summary line)"))
        print("| outcome | files |\n| --- | ---: |")
        for key, n in sorted(outcome.items()):
            print(f"| {key} | {n} |")
        print(f"| neither a document nor a failure | {len(lost)} |")
        for path, code, reason in unexpected[:10]:  # failures the guard caught, not the readers: worth a look
            print(f"  {code}: {Path(path).name}: {reason}")
        ok = proc.returncode in (0, 1) and not lost and integrity == "ok" and tracebacks == 0
        print("PASS" if ok else f"FAIL: {lost[:10]}")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
