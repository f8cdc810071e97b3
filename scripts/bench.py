"""Benchmark: per-stage throughput, end-to-end growth, peak memory, and a plain baseline beside it.

Generates a corpus of N documents by replicating the real corpus with varied numbers, dates and
district names (no network), then prints one table per stage and writes the figures as JSON under
output/bench/ for comparison between commits. Not a test: it prints numbers, it asserts nothing.

    .venv/bin/python scripts/bench.py                 # N = 100, 1000, 10000
    .venv/bin/python scripts/bench.py --sizes 100 1000
    .venv/bin/python scripts/bench.py --only-ocr      # the OCR stage alone: a 20-page scan, 2 cores
"""
from __future__ import annotations

import argparse
import html
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
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

from nlp.extract import extract  # noqa: E402
from pipeline.catalogue import connect  # noqa: E402
from pipeline.ingest import write_document  # noqa: E402
from extractors.text_hygiene import clean_block  # noqa: E402
from nlp.keys import match_view  # noqa: E402
from pipeline.parallel import extract_many, read_and_extract  # noqa: E402
from extractors.reader import read_bytes  # noqa: E402

CHROME = ("<div id='s4-ribbonrow'><a href='#'>Skip Ribbon Commands</a></div><nav><a href='/'>Trang chủ</a></nav>",
          "<div>Số lượt người xem: 33<a href='#'>Bản in</a> <a href='#'>Quay lại</a></div>")
CHROME_WORDS = ("Skip Ribbon Commands", "Số lượt người xem", "Trang chủ", "Quay lại")
TEXTS = [ROOT / "corpus/dev/hanoi-dang-ky-sang-kien-2021.txt", ROOT / "corpus/dev/q6-nhan-rong-sang-kien-2020.txt",
         ROOT / "corpus/real/kon-tum-435-qd-ubnd-2020.txt"]
PDFS = [ROOT / "corpus/real/an-le-27-2019.pdf", ROOT / "corpus/real/an-le-28-2019.pdf"]
DISTRICTS = ["Quận 1", "Quận 3", "Quận 6", "Quận 10", "Quận Gò Vấp", "Quận Tân Bình", "Huyện Củ Chi", "Quận Bình Thạnh"]


def vary(text: str, rnd: random.Random) -> str:
    """The same text with other document numbers, dates and district names."""
    text = re.sub(r"\b(\d{2,4})/(KH|QĐ|TB|SNV|UBND)", lambda m: f"{rnd.randint(100, 9999)}/{m.group(2)}", text)
    text = re.sub(r"\b(\d{1,2})/(\d{1,2})/(20\d\d)\b",
                  lambda m: f"{rnd.randint(1, 28)}/{m.group(2)}/{rnd.randint(2018, 2026)}", text)
    return text.replace("Quận 6", rnd.choice(DISTRICTS))


def news_html(text: str) -> bytes:
    lines = [l for l in text.splitlines() if l.strip()]
    body = "".join(f"<p>{html.escape(l)}</p>" for l in lines[1:])
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


def generate(folder: Path, n: int, seed: int = 7) -> dict[str, int]:
    """N documents: half news pages (HTML), a fifth TXT, a sixth PDF, the rest DOCX."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in TEXTS]
    pdfs = [p.read_bytes() for p in PDFS]
    counts = {"html": 0, "txt": 0, "pdf": 0, "docx": 0}
    docx_templates = [docx_bytes(vary(texts[i % len(texts)], rnd)) for i in range(6)]
    for i in range(n):
        r = i % 30
        text = vary(texts[i % len(texts)], rnd) + f"\nBản tin số {i}.\n"
        if r < 15:
            (folder / f"{i:06d}.html").write_bytes(news_html(text)); counts["html"] += 1
        elif r < 21:
            (folder / f"{i:06d}.txt").write_text(text, encoding="utf-8"); counts["txt"] += 1
        elif r < 26:
            (folder / f"{i:06d}.pdf").write_bytes(pdfs[i % 2] + f"\n%{i}\n".encode()); counts["pdf"] += 1
        else:  # bytes after a zip's end keep it a valid DOCX and make its sha256 new
            (folder / f"{i:06d}.docx").write_bytes(docx_templates[i % 6] + f"{i}".encode()); counts["docx"] += 1
    return counts


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def timed(fn, *args):
    t = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - t


def stage_read(files: list[Path]) -> dict:
    out = {}
    for fmt in ("html", "txt", "pdf", "docx"):
        chosen = [f for f in files if f.suffix == f".{fmt}"][:200]
        data = [(f.read_bytes(), str(f)) for f in chosen]
        docs, seconds = timed(lambda: [read_bytes(b, n) for b, n in data])
        row = {"docs": len(docs), "docs_per_s": round(len(docs) / seconds, 1)}
        if fmt == "pdf":
            pages = sum(d.pages for d in docs)
            row["pages_per_s"] = round(pages / seconds, 1)
            row["text_only_pages_per_s"] = pdf_text_only(data)
        out[fmt] = row
    return out


def pdf_text_only(data: list[tuple[bytes, str]]) -> float:
    """pypdfium2 text extraction alone (the reader minus table detection and assembly)."""
    import pypdfium2 as pdfium

    t, pages = time.perf_counter(), 0
    for b, _ in data:
        pdf = pdfium.PdfDocument(b)
        for page in pdf:
            page.get_textpage().get_text_range()
            pages += 1
        pdf.close()
    return round(pages / (time.perf_counter() - t), 1)


def stage_normalise(docs) -> dict:
    texts = [d.text for d in docs]
    _, seconds = timed(lambda: [match_view(clean_block(t)) for t in texts])
    return {"docs": len(texts), "docs_per_s": round(len(texts) / seconds, 1),
            "mb_per_s": round(sum(map(len, texts)) / 2**20 / seconds, 2)}


def stage_extract(files: list[Path]) -> dict:
    news = [str(f) for f in files if f.suffix == ".html"][:400]
    list(extract_many(news[:4], 1))  # warm up: vocabularies and gazetteer load once per process
    _, one = timed(lambda: list(extract_many(news, 1)))
    workers = os.cpu_count() or 2
    with ProcessPoolExecutor(max_workers=workers) as pool:  # warm the workers, then time
        list(pool.map(read_and_extract, news[:workers * 2]))
        _, many = timed(lambda: list(pool.map(read_and_extract, news, chunksize=8)))
    docs = [read_bytes(Path(p).read_bytes(), p) for p in news[:100]]
    each = [timed(extract, d)[1] for d in docs]
    return {"news_articles": len(news), "read+extract_per_s_1_worker": round(len(news) / one, 1),
            f"read+extract_per_s_{workers}_workers": round(len(news) / many, 1),
            "speedup": round(one / many, 2), "extract_only_ms_per_article": round(sum(each) / len(docs) * 1000, 2),
            "extract_only_median_ms_per_article": round(statistics.median(each) * 1000, 2)}


def stage_write(files: list[Path], tmp: Path) -> dict:
    chosen = [str(f) for f in files[:300]]
    extractions = [x for _, x, _, err in extract_many(chosen, os.cpu_count() or 2) if x is not None]
    db = connect(tmp / "write.db")
    _, seconds = timed(lambda: [write_document(db, x) for x in extractions])
    mentions = db["mentions"].count
    return {"documents": len(extractions), "mentions": mentions, "mentions_per_s": round(mentions / seconds, 1),
            "docs_per_s": round(len(extractions) / seconds, 1)}


def end_to_end(folder: Path, tmp: Path, n: int) -> dict:
    files = sorted(folder.iterdir())[:n]
    db = connect(tmp / f"e2e-{n}.db")
    t = time.perf_counter()
    for path, x, data, err in extract_many(files, os.cpu_count() or 2):
        if x is not None:
            write_document(db, x)
    seconds = time.perf_counter() - t
    return {"n": n, "seconds": round(seconds, 2), "docs_per_s": round(n / seconds, 1),
            "documents": db["documents"].count}


def baseline(files: list[Path]) -> dict:
    """pdfplumber extract_text on every page and BeautifulSoup get_text, against the chosen readers."""
    import pdfplumber
    from bs4 import BeautifulSoup

    pdfs = [f for f in files if f.suffix == ".pdf"][:20]
    t, pages, plumber_texts = time.perf_counter(), 0, []
    for f in pdfs:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                plumber_texts.append(page.extract_text() or "")
                pages += 1
    plumber_pps = pages / (time.perf_counter() - t)
    t = time.perf_counter()
    chosen_docs = [read_bytes(f.read_bytes(), str(f)) for f in pdfs]
    chosen_pps = pages / (time.perf_counter() - t)

    pages_html = [f for f in files if f.suffix == ".html"][:200]
    t = time.perf_counter()
    soup_texts = [BeautifulSoup(f.read_bytes(), "lxml").get_text("\n") for f in pages_html]
    soup_dps = len(pages_html) / (time.perf_counter() - t)
    t = time.perf_counter()
    chosen_texts = [read_bytes(f.read_bytes(), str(f)).text for f in pages_html]
    chosen_dps = len(pages_html) / (time.perf_counter() - t)
    leak = lambda texts: round(sum(any(w in t for w in CHROME_WORDS) for t in texts) / len(texts), 3)
    refs = lambda texts: sum(len({s.value["number"] for s in extract(read_bytes(t.encode(), "x.txt")).spans["references"]})
                             for t in texts[:50])
    return {
        "pdf_pages_per_s": {"pdfplumber_every_page": round(plumber_pps, 1), "chosen_reader": round(chosen_pps, 1)},
        "html_docs_per_s": {"bs4_get_text": round(soup_dps, 1), "chosen_reader": round(chosen_dps, 1)},
        "html_pages_with_chrome_in_text": {"bs4_get_text": leak(soup_texts), "chosen_reader": leak(chosen_texts)},
        "distinct_numbers_found_in_50_pages": {"bs4_get_text": refs(soup_texts), "chosen_reader": refs(chosen_texts)},
        "pdf_text_is_nfc": {"pdfplumber": all(unicodedata.is_normalized("NFC", t) for t in plumber_texts),
                            "chosen_reader": all(unicodedata.is_normalized("NFC", d.text) for d in chosen_docs)},
    }


def stage_ocr(tmp: Path, pages: int) -> dict:
    """A scan of ``pages`` pages (the corpus PDFs' pages rendered at 300 dpi, in turn) read by OCR,
    Tesseract on every core (limits.OCR_JOBS): seconds, pages per second, per page."""
    from extractors import limits
    from extractors.reader import read_document
    from pipeline.ocr_eval import render_pages, save_scan

    images = []
    while len(images) < pages:
        for pdf in PDFS + [ROOT / "corpus/fixtures/qd435-tasks.pdf"]:
            images.extend(render_pages(pdf)[:pages - len(images)])
    scan = save_scan(images, tmp / f"scan-{pages}-pages.pdf")
    doc, seconds = timed(read_document, scan)
    if len(doc.ocr_pages) != pages:
        raise SystemExit(f"OCR read {len(doc.ocr_pages)} of {pages} pages: {doc.warnings}")
    return {"pages": pages, "jobs": limits.OCR_JOBS, "seconds": round(seconds, 1),
            "pages_per_s": round(pages / seconds, 3), "s_per_page": round(seconds / pages, 2),
            "load_average_1min": round(os.getloadavg()[0], 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--ocr-pages", type=int, default=20, help="pages of the scan the OCR stage reads (0: skip)")
    ap.add_argument("--only-ocr", action="store_true", help="run the OCR stage alone")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    results: dict = {"when": datetime.now().isoformat(timespec="seconds"), "cores": os.cpu_count()}
    if args.only_ocr:
        args.sizes = []
    try:
        if args.ocr_pages:
            results["ocr"] = stage_ocr(tmp, args.ocr_pages)
            print(f"OCR: {results['ocr']}")
        if not args.sizes:
            return _write(results)
        folder = tmp / "corpus"
        results["corpus"], seconds = timed(generate, folder, max(args.sizes))
        print(f"generated {max(args.sizes)} documents in {seconds:.1f} s: {results['corpus']}")
        files = sorted(folder.iterdir())
        results["read"] = stage_read(files)
        docs = [read_bytes(f.read_bytes(), str(f)) for f in files[:300]]
        results["normalise"] = stage_normalise(docs)
        results["extract"] = stage_extract(files)
        results["write"] = stage_write(files, tmp)
        results["end_to_end"] = [end_to_end(folder, tmp, n) for n in sorted(args.sizes)]
        results["baseline"] = baseline(files)
        results["peak_rss_mb"] = peak_mb()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return _write(results)


def _write(results: dict) -> int:
    print(json.dumps({k: v for k, v in results.items() if k != "when"}, ensure_ascii=False, indent=1))
    out = ROOT / "output" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"bench-{results['when'].replace(':', '')}.json"
    target.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
