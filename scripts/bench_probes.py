"""One benchmark figure per probe, measured on the code of one checkout; prints its result as JSON.

``scripts/bench.py`` runs each probe in a child process, once per checkout (``--before REF`` adds an
older one), so both are measured side by side on the same machine in the same run:

    CCHC_BENCH_CODE=/path/to/checkout PYTHONPATH=/path/to/checkout python scripts/bench_probes.py pdf '{"rounds": 3}'

The probes use only what every version of the library has had (read_bytes, extract, connect,
write_document, the query functions, the inbox and crawl functions), so an older checkout runs them too.
"""
from __future__ import annotations

import html
import inspect
import io
import json
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent  # data (corpus, shared texts) always come from here
CODE = Path(os.environ.get("CCHC_BENCH_CODE", HERE))  # the library measured
sys.path.insert(0, str(CODE))
sys.path.insert(1, str(HERE / "scripts"))

NEWS_TEXTS = [HERE / "corpus/dev/hanoi-dang-ky-sang-kien-2021.txt", HERE / "corpus/dev/q6-nhan-rong-sang-kien-2020.txt",
              HERE / "corpus/real/kon-tum-435-qd-ubnd-2020.txt"]
PDFS = [HERE / "corpus/real/an-le-27-2019.pdf", HERE / "corpus/real/an-le-28-2019.pdf"]
TABLE_PDF = HERE / "corpus/fixtures/qd435-tasks.pdf"
CHROME = ("<div id='s4-ribbonrow'><a href='#'>Skip Ribbon Commands</a></div><nav><a href='/'>Trang chủ</a></nav>",
          "<div>Số lượt người xem: 33<a href='#'>Bản in</a> <a href='#'>Quay lại</a></div>")
DISTRICTS = ["Quận 1", "Quận 3", "Quận 6", "Quận 10", "Quận Gò Vấp", "Quận Tân Bình", "Huyện Củ Chi", "Quận Bình Thạnh"]


# --- generated documents ----------------------------------------------------------------------

def vary(text: str, rnd: random.Random) -> str:
    """The same text with other document numbers, dates and district names."""
    text = re.sub(r"\b(\d{2,4})/(KH|QĐ|TB|SNV|UBND)", lambda m: f"{rnd.randint(100, 9999)}/{m.group(2)}", text)
    text = re.sub(r"\b(\d{1,2})/(\d{1,2})/(20\d\d)\b",
                  lambda m: f"{rnd.randint(1, 28)}/{m.group(2)}/{rnd.randint(2018, 2026)}", text)
    return text.replace("Quận 6", rnd.choice(DISTRICTS))


def news_html(text: str) -> bytes:
    lines = [line for line in text.splitlines() if line.strip()]
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(lines[0])}</title></head><body>"
            f"{CHROME[0]}<article><h1>{html.escape(lines[0])}</h1>{body}</article>{CHROME[1]}</body></html>").encode()


def docx_bytes(text: str) -> bytes:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        if line.strip():
            d.add_paragraph(line)
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


def news_pages(folder: Path, n: int, seed: int = 7) -> list[Path]:
    rnd = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in NEWS_TEXTS]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"{i:06d}.html"
        path.write_bytes(news_html(vary(texts[i % len(texts)], rnd) + f"\nBản tin số {i}.\n"))
        paths.append(path)
    return paths


def mixed_files(folder: Path, n: int, seed: int = 11) -> list[Path]:
    """Half news pages, a fifth TXT, a sixth court PDFs, the rest DOCX (each with new bytes)."""
    rnd = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in NEWS_TEXTS]
    pdfs = [p.read_bytes() for p in PDFS]
    templates = [docx_bytes(vary(texts[i % len(texts)], rnd)) for i in range(3)]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        text = vary(texts[i % len(texts)], rnd) + f"\nBản tin số {i}.\n"
        r = i % 30
        if r < 15:
            path, data = folder / f"{i:06d}.html", news_html(text)
        elif r < 21:
            path, data = folder / f"{i:06d}.txt", text.encode()
        elif r < 26:
            path, data = folder / f"{i:06d}.pdf", pdfs[i % 2] + f"\n%{i}\n".encode()
        else:  # bytes after a zip's end keep it a valid DOCX and make its sha256 new
            path, data = folder / f"{i:06d}.docx", templates[i % 3] + str(i).encode()
        path.write_bytes(data)
        paths.append(path)
    return paths


def long_text(megabytes: float) -> bytes:
    """Official texts (the shared dev set and the corpus) one after another up to ``megabytes``."""
    shared = HERE.parent / "shared" / "eval" / "dev"
    sources = sorted(shared.glob("*.txt")) if shared.is_dir() else []
    sources += sorted((HERE / "corpus" / "dev").glob("*.txt")) + [HERE / "corpus/real/kon-tum-435-qd-ubnd-2020.txt"]
    texts = [p.read_bytes() for p in sources]
    out, size, i = [], 0, 0
    while size < megabytes * 2**20:
        out.append(texts[i % len(texts)])
        size += len(out[-1]) + 1
        i += 1
    return b"\n".join(out)


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def p95(times: list[float]) -> float:
    times = sorted(times)
    return times[max(0, int(len(times) * 0.95) - 1)]


# --- probes -------------------------------------------------------------------------------------

def probe_pdf(rounds: int = 3) -> dict:
    """Pages per second of the PDF reader and of raw pypdfium2 text on the same files, interleaved."""
    import pypdfium2 as pdfium

    from extractors.reader import read_bytes

    def raw(data: bytes) -> int:
        pdf = pdfium.PdfDocument(data)
        pages = 0
        for page in pdf:
            page.get_textpage().get_text_range()
            pages += 1
        pdf.close()
        return pages

    def chosen(data: bytes) -> int:
        return read_bytes(data, "x.pdf").pages

    out = {}
    for name, files in (("court_pdfs", PDFS), ("table_pdf", [TABLE_PDF])):
        # Each file read by both, alternately, ``rounds`` times; the fastest of each is its time: on a
        # shared machine the minimum is the run nothing else interrupted.
        best = {"raw": 0.0, "chosen": 0.0}
        pages = 0
        for data in (p.read_bytes() for p in files):
            chosen(data)  # imports, fonts
            times: dict[str, list[float]] = {"raw": [], "chosen": []}
            for _ in range(rounds):
                for kind, fn in (("raw", raw), ("chosen", chosen)):
                    t = time.perf_counter()
                    n = fn(data)
                    times[kind].append(time.perf_counter() - t)
            pages += n
            for kind in best:
                best[kind] += min(times[kind])
        out[name] = {"raw_pages_per_s": round(pages / best["raw"], 1), "chosen_pages_per_s": round(pages / best["chosen"], 1),
                     "ratio": round(best["raw"] / best["chosen"], 3)}
    return out


def probe_articles(n: int = 100) -> dict:
    """Median milliseconds of extraction per news article (read before, not timed), after a warm-up."""
    from extractors.reader import read_bytes
    from nlp.extract import extract

    folder = Path(tempfile.mkdtemp(prefix="cchc-bench-news-"))
    try:
        docs = [read_bytes(p.read_bytes(), str(p)) for p in news_pages(folder, n)]
        for d in docs[:5]:
            extract(d)
        times = []
        for d in docs:
            t = time.perf_counter()
            extract(d)
            times.append((time.perf_counter() - t) * 1000)
        return {"articles": n, "median_ms": round(statistics.median(times), 2), "p95_ms": round(p95(times), 2)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def probe_workers(n: int = 200, rounds: int = 2) -> dict:
    """Read + extract news articles per second in 1 and 2 worker processes, the pool started and warm
    (a long ingest pays its start-up once); 1 and 2 alternately, the fastest round of each."""
    from concurrent.futures import ProcessPoolExecutor

    from pipeline.parallel import read_and_extract

    folder = Path(tempfile.mkdtemp(prefix="cchc-bench-workers-"))
    try:
        paths = [str(p) for p in news_pages(folder, n)]
        load, seconds = os.getloadavg()[0], {1: float("inf"), 2: float("inf")}
        for _ in range(rounds):
            for workers in (1, 2):
                with ProcessPoolExecutor(max_workers=workers) as pool:
                    list(pool.map(read_and_extract, paths[:workers * 4]))  # vocabularies load once per process
                    t = time.perf_counter()
                    list(pool.map(read_and_extract, paths, chunksize=8))
                    seconds[workers] = min(seconds[workers], time.perf_counter() - t)
        return {"articles": n, "per_s_1_worker": round(n / seconds[1], 1), "per_s_2_workers": round(n / seconds[2], 1),
                "ratio": round(seconds[1] / seconds[2], 2), "load_average_before": round(load, 2)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def probe_inbox(n: int = 120, rounds: int = 2) -> dict:
    """An inbox pass over mixed files (HTML, TXT, PDF, DOCX), with 1 and with 2 workers: the whole pass
    (hashing, extraction, writes, moves), alternately, the fastest round of each."""
    from extractors.reader import read_document
    from nlp.extract import extract
    from pipeline.catalogue import connect
    from pipeline.inbox import process_inbox
    from pipeline.rawstore import RawStore

    takes_workers = "workers" in inspect.signature(process_inbox).parameters
    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-inbox-"))
    try:
        source = mixed_files(tmp / "files", n)
        extract(read_document(source[0]))  # vocabularies loaded here first: no pass pays for them
        old = time.time() - 3600
        seconds, load = {1: float("inf"), 2: float("inf")}, os.getloadavg()[0]
        for r in range(rounds):
            for workers in (1, 2):
                inbox = tmp / f"inbox{workers}-{r}"
                inbox.mkdir()
                for p in source:
                    shutil.copy(p, inbox / p.name)
                    os.utime(inbox / p.name, (old, old))
                db = connect(tmp / f"c{workers}-{r}.db")
                kwargs = {"workers": workers} if takes_workers else {}
                t = time.perf_counter()
                outcomes = process_inbox(db, RawStore(tmp / f"raw{workers}-{r}"), inbox, 60, **kwargs)
                seconds[workers] = min(seconds[workers], time.perf_counter() - t)
                assert len(outcomes) == n
        return {"files": n, "per_s_1_worker": round(n / seconds[1], 1), "per_s_2_workers": round(n / seconds[2], 1),
                "ratio": round(seconds[1] / seconds[2], 2), "parallel": takes_workers,
                "load_average_before": round(load, 2)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class _Host:
    """A small news site on one loopback address: a listing page and ``articles`` articles."""

    def __init__(self, address: str, articles: int) -> None:
        texts = [p.read_text(encoding="utf-8") for p in NEWS_TEXTS]
        rnd = random.Random(address)
        self.pages = {f"/news/{i}.html": news_html(vary(texts[i % len(texts)], rnd) + f"\n{address} {i}\n")
                      for i in range(articles)}
        listing = "".join(f"<li><a href='{u}'>tin</a></li>" for u in self.pages)
        self.pages["/list?page=1"] = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Tin</title></head>"
                                      f"<body><ul>{listing}</ul></body></html>").encode()
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                body = pages.get(self.path)
                self.send_response(200 if body else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

        self.server = ThreadingHTTPServer((address, 0), Handler)
        self.base = f"http://{address}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def source(self, name: str, delay: float) -> str:
        return (f'[[source]]\nname = "{name}"\nowner = "Ủy ban nhân dân Quận 6"\nprovince = "Thành phố Hồ Chí Minh"\n'
                f'district = "Quận 6"\nlisting = ["{self.base}/list?page={{page}}"]\narticle = \'{self.base}/news/.+\'\n'
                f"max_pages = 1\ndelay_seconds = {delay}\n")


def probe_crawl(hosts: int = 3, articles: int = 8, delay: float = 0.3) -> dict:
    """A crawl of ``hosts`` local sites (loopback addresses), each with its delay between requests."""
    from pipeline import crawl as c
    from pipeline.catalogue import connect
    from pipeline.rawstore import RawStore

    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-crawl-"))
    sites = [_Host(f"127.0.0.{i + 1}", articles) for i in range(hosts)]
    try:
        toml = tmp / "sources.toml"
        toml.write_text("".join(s.source(f"site{i}", delay) for i, s in enumerate(sites)), encoding="utf-8")
        sources = c.load_sources(toml)
        fetcher = c.fetcher_for(sources, allow_private=True, timeout=10)
        raw = RawStore(tmp / "raw")
        t = time.perf_counter()
        if hasattr(c, "crawl_all"):
            summary = c.crawl_all(tmp / "c.db", fetcher, raw, sources)
            new = len(summary.new)
        else:  # the crawl before hosts ran at once: one source after the other
            db = connect(tmp / "c.db")
            new = sum(len(c.crawl(db, fetcher, raw, s).new) for s in sources)
        seconds = time.perf_counter() - t
        fetcher.close()
        requests = hosts * (articles + 2)  # robots.txt, the listing, the articles
        return {"hosts": hosts, "articles": hosts * articles, "new": new, "delay_s": delay,
                "seconds": round(seconds, 2), "one_host_at_a_time_floor_s": round(requests * delay, 2),
                "speedup_over_that_floor": round(requests * delay / seconds, 2)}
    finally:
        for s in sites:
            s.server.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)


def probe_sizes(sizes: list[float] | None = None) -> dict:
    """Seconds per MB of read + extract for one text of growing size (linear: the same per MB)."""
    from extractors import limits
    from extractors.reader import read_bytes
    from nlp.extract import extract

    limits.MAX_TEXT_BYTES = max(getattr(limits, "MAX_TEXT_BYTES", 0), 64 * 2**20)  # measure, do not refuse
    extract(read_bytes(long_text(0.05), "warm.txt"))
    out = {}
    for mb in sizes or [0.25, 0.5, 1, 2, 5]:
        data = long_text(mb)
        t = time.perf_counter()
        extract(read_bytes(data, "long.txt"))
        seconds = time.perf_counter() - t
        out[f"{mb:g}"] = {"seconds": round(seconds, 2), "s_per_mb": round(seconds / (len(data) / 2**20), 2)}
    return out


def probe_big_text(megabytes: float = 50, seconds_allowed: float = 120) -> dict:
    """A text file of ``megabytes`` through ``cchc ingest``: extracted in time, or refused in one line; recorded."""
    import subprocess

    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-big-"))
    try:
        path = tmp / "big.txt"
        path.write_bytes(long_text(megabytes))
        env = {**os.environ, "PYTHONPATH": str(CODE)}
        t = time.perf_counter()
        try:
            proc = subprocess.run([sys.executable, "-m", "cchc", "ingest", str(path), "--db", str(tmp / "c.db"),
                                   "--workers", "1"], capture_output=True, text=True, env=env, cwd=CODE,
                                  timeout=seconds_allowed)
            outcome = {"exit": proc.returncode, "stderr_lines": [line for line in proc.stderr.splitlines()
                                                                 if "failed:" in line]}
        except subprocess.TimeoutExpired:
            outcome = {"exit": None, "stderr_lines": [f"still running after {seconds_allowed:g} s: stopped"]}
        seconds = time.perf_counter() - t
        import sqlite3

        db = sqlite3.connect(tmp / "c.db")
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        failures = db.execute("SELECT code, reason FROM failures").fetchall() if "failures" in tables else []
        documents = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] if "documents" in tables else 0
        return {"mb": megabytes, "seconds": round(seconds, 2), **outcome, "documents": documents,
                "failures_recorded": failures}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def probe_write(n: int = 300) -> dict:
    """The single writer: documents and mentions written per second (one transaction per document)."""
    from pipeline.catalogue import connect
    from pipeline.ingest import write_document
    from pipeline.parallel import extract_many

    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-write-"))
    try:
        extractions = [x for _, x, _, _ in extract_many(mixed_files(tmp / "files", n), 2) if x is not None]
        db = connect(tmp / "c.db")
        t = time.perf_counter()
        for x in extractions:
            write_document(db, x)
        seconds = time.perf_counter() - t
        mentions = db.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
        return {"documents": len(extractions), "docs_per_s": round(len(extractions) / seconds, 1),
                "mentions_per_s": round(mentions / seconds, 1), "mentions_per_doc": round(mentions / len(extractions), 1)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def probe_search(documents: int = 100_000, runs: int = 20, db: str | None = None) -> dict:
    """p95 of full-text document and initiative searches on a generated catalogue of ``documents``."""
    import bench_query

    folder = None
    if db is None:
        folder = Path(tempfile.mkdtemp(prefix="cchc-bench-search-"))
        path = folder / "big.db"
    else:
        path = Path(db)
    try:
        built = bench_query.build(path, documents) if not path.exists() else None
        measured = bench_query.measure_all(path, runs)
        queries = measured["queries"]
        documents_p95 = max(v["p95_ms"] for k, v in queries.items() if k.startswith("search documents"))
        initiatives_p95 = max(v["p95_ms"] for k, v in queries.items() if k.startswith("search initiatives"))
        return {"documents": documents, "built": built, "documents_search_p95_ms": documents_p95,
                "initiatives_search_p95_ms": initiatives_p95, **measured}
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def probe_ocr(pages: int = 20) -> dict:
    """A scan of ``pages`` pages (the corpus PDFs' pages rendered at 300 dpi, in turn) read by OCR,
    Tesseract on every core (limits.OCR_JOBS): seconds, pages per second, per page."""
    from extractors import limits
    from extractors.reader import read_document
    from pipeline.ocr_eval import render_pages, save_scan

    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-ocr-"))
    try:
        images = []
        while len(images) < pages:
            for pdf in PDFS + [TABLE_PDF]:
                images.extend(render_pages(pdf)[:pages - len(images)])
        scan = save_scan(images, tmp / f"scan-{pages}-pages.pdf")
        t = time.perf_counter()
        doc = read_document(scan)
        seconds = time.perf_counter() - t
        if len(doc.ocr_pages) != pages:
            raise SystemExit(f"OCR read {len(doc.ocr_pages)} of {pages} pages: {doc.warnings}")
        return {"pages": pages, "jobs": limits.OCR_JOBS, "seconds": round(seconds, 1),
                "pages_per_s": round(pages / seconds, 3), "s_per_page": round(seconds / pages, 2),
                "load_average_1min": round(os.getloadavg()[0], 1)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


PROBES = {name[len("probe_"):]: fn for name, fn in globals().items() if name.startswith("probe_")}


def main() -> int:
    name = sys.argv[1]
    kwargs = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    import extractors

    assert Path(extractors.__file__).resolve().is_relative_to(CODE.resolve()), extractors.__file__
    result = PROBES[name](**kwargs)
    result["peak_rss_mb"] = peak_mb()
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
