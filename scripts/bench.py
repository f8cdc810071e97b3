"""The benchmark: every speed and scale figure, optionally beside an older commit's, in one run.

Each figure is a probe (``scripts/bench_probes.py``) run in a child process on the code of a checkout.
With ``--before REF`` every probe runs on REF's code (a ``git archive`` of it) right before this
checkout's, so both see the same machine at the same moment: on a shared machine the ratios are
the figures to trust, not the absolute numbers. Prints a table and writes JSON under output/bench/.

    .venv/bin/python scripts/bench.py                      # make bench: everything, this checkout (~4 min)
    .venv/bin/python scripts/bench.py --before 79e90fc     # the same, side by side with that commit
    .venv/bin/python scripts/bench.py --quick              # make bench-quick: headline ratios (< 60 s),
                                                           #   written to output/bench/quick.json
    .venv/bin/python scripts/bench.py --sizes              # seconds per MB at 0.25 / 0.5 / 1 / 2 / 5 MB
    .venv/bin/python scripts/bench.py --sizes 1 2 4 8 --before main
    .venv/bin/python scripts/bench.py --only search --search-documents 1000000   # 1M documents (~15 min)
    .venv/bin/python scripts/bench.py --only ocr --ocr-pages 20               # the OCR stage alone
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBES = ROOT / "scripts" / "bench_probes.py"


def checkout(ref: str, into: Path) -> Path:
    """REF's files (not its .git) in a temporary folder: the 'before' code."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def run_probe(name: str, code: Path, kwargs: dict, timeout: float = 1800) -> dict:
    env = {**os.environ, "CCHC_BENCH_CODE": str(code), "PYTHONPATH": str(code)}
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, str(PROBES), name, json.dumps(kwargs)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=timeout)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["probe_seconds"] = round(time.perf_counter() - t, 1)
    return result


def plan(args: argparse.Namespace) -> dict[str, dict]:
    if args.sizes is not None:
        return {"sizes": {"sizes": args.sizes or [0.25, 0.5, 1, 2, 5]}}
    if args.quick:
        return {"pdf": {"rounds": 2}, "articles": {"n": 40}, "workers": {"n": 60},
                "search": {"documents": args.search_documents or 20_000, "runs": 10}}
    full = {"pdf": {"rounds": 5}, "articles": {"n": 100}, "workers": {"n": 200}, "inbox": {"n": 120},
            "crawl": {"hosts": 3, "articles": 8, "delay": 0.3}, "sizes": {"sizes": [0.25, 0.5, 1, 2, 5]},
            "big_text": {"megabytes": 50, "seconds_allowed": 120}, "write": {"n": 300},
            "search": {"documents": args.search_documents or 100_000, "runs": 20}, "ocr": {"pages": args.ocr_pages}}
    return {k: v for k, v in full.items() if not args.only or k in args.only}


def dig(result: dict, path: str):
    """``result["a"]["b"]`` for ``"a/b"``."""
    for key in path.split("/"):
        if not isinstance(result, dict) or key not in result:
            return None
        result = result[key]
    return result


# (label, probe, path in its result, better: "higher" | "lower" | None)
FIGURES = [
    ("PDF reader ÷ raw pypdfium2, court PDFs (pages/s ratio)", "pdf", "court_pdfs/ratio", "higher"),
    ("PDF reader, court PDFs (pages/s)", "pdf", "court_pdfs/chosen_pages_per_s", "higher"),
    ("raw pypdfium2 text, court PDFs (pages/s)", "pdf", "court_pdfs/raw_pages_per_s", None),
    ("PDF reader ÷ raw, ruled-table PDF (pdfplumber pages)", "pdf", "table_pdf/ratio", "higher"),
    ("extraction per news article, median (ms)", "articles", "median_ms", "lower"),
    ("read+extract news, 2 workers ÷ 1", "workers", "ratio", "higher"),
    ("read+extract news, 2 workers (articles/s)", "workers", "per_s_2_workers", "higher"),
    ("inbox pass, 2 workers ÷ 1", "inbox", "ratio", "higher"),
    ("inbox pass, 2 workers (files/s)", "inbox", "per_s_2_workers", "higher"),
    ("crawl of 3 hosts × 8 articles, 0.3 s delay (s)", "crawl", "seconds", "lower"),
    ("crawl: one-host-at-a-time floor ÷ time taken", "crawl", "speedup_over_that_floor", "higher"),
    ("size: s per MB at {mb} MB (read + extract one text)", "sizes", "{mb}/s_per_mb", "lower"),
    ("50 MB text file through cchc ingest (s, capped at 120)", "big_text", "seconds", "lower"),
    ("50 MB text file: failures recorded", "big_text", "failures_recorded", None),
    ("catalogue writes (documents/s, one writer)", "write", "docs_per_s", "higher"),
    ("catalogue writes (mentions/s, one writer)", "write", "mentions_per_s", "higher"),
    ("search documents, p95 (ms)", "search", "documents_search_p95_ms", "lower"),
    ("search initiatives, p95 (ms)", "search", "initiatives_search_p95_ms", "lower"),
    ("OCR of a 20-page scan, Tesseract on every core (s per page)", "ocr", "s_per_page", "lower"),
]


def table(results: dict[str, dict[str, dict]], versions: list[str]) -> list[str]:
    lines = []
    ratios = len(versions) >= 2  # after ÷ each before
    header = "| figure | " + " | ".join(versions) + "".join(f" | after ÷ {v.split()[-1].strip('()')}"
                                                           for v in versions[:-1]) + " |"
    lines += [header, "|" + " --- |" * (header.count("|") - 1)]
    sizes = sorted({k for v in versions for k in results.get(v, {}).get("sizes", {}) if k[0].isdigit()}, key=float)
    rows = []
    for label, probe, path, better in FIGURES:
        if "{mb}" in path:
            rows += [(label.replace("{mb}", mb), probe, path.replace("{mb}", mb), better) for mb in sizes]
        else:
            rows.append((label, probe, path, better))
    for label, probe, path, better in rows:
        values = [dig(results.get(v, {}).get(probe, {}), path) for v in versions]
        if all(v is None for v in values):
            continue
        if probe == "search":
            label = label.replace("p95", f"p95 at {dig(results[versions[-1]][probe], 'documents') or '?':,}")
        row = f"| {label} | " + " | ".join("—" if v is None else str(v) for v in values)
        after = values[-1]
        for before in values[:-1] if ratios else []:
            numbers = isinstance(before, (int, float)) and isinstance(after, (int, float)) and before
            row += f" | {round(after / before, 2)}" if numbers else " | "
        lines.append(row + " |")
    rss = [max((r.get("peak_rss_mb", 0) for r in results.get(v, {}).values() if isinstance(r, dict)), default=0)
           for v in versions]
    lines.append("| peak RSS of a probe (MB) | " + " | ".join(map(str, rss)) + " |" * len(versions))
    return lines


def quick_summary(after: dict) -> dict:
    return {
        "pdf_reader_over_raw_pdfium": dig(after, "pdf/court_pdfs/ratio"),
        "two_workers_over_one": dig(after, "workers/ratio"),
        "ms_per_article_median": dig(after, "articles/median_ms"),
        "search_p95_ms": {"documents": dig(after, "search/documents"),
                          "full_text_documents": dig(after, "search/documents_search_p95_ms"),
                          "initiatives": dig(after, "search/initiatives_search_p95_ms")},
        "peak_rss_mb": max((r.get("peak_rss_mb", 0) for r in after.values() if isinstance(r, dict)), default=None),
        "load_average": round(os.getloadavg()[0], 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", metavar="REF", nargs="+", help="Also measure these commits' code (e.g. where the work "
                    "started and main today), each probe right before ours.")
    ap.add_argument("--quick", action="store_true", help="Headline ratios in under a minute (output/bench/quick.json).")
    ap.add_argument("--sizes", type=float, nargs="*", default=None, metavar="MB",
                    help="Only the size scaling: seconds per MB (default sizes 0.25 0.5 1 2 5).")
    ap.add_argument("--only", nargs="+", metavar="PROBE", help="Only these probes (pdf articles workers inbox crawl "
                    "sizes big_text write search ocr).")
    ap.add_argument("--search-documents", type=int, default=None, help="Catalogue size for the search probe.")
    ap.add_argument("--ocr-pages", type=int, default=20, help="Pages of the scan the OCR probe reads (--only ocr: "
                    "that probe alone).")
    args = ap.parse_args()

    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    codes = {f"before ({ref})": checkout(ref, tmp / f"before-{i}") for i, ref in enumerate(args.before or [])}
    codes["after"] = ROOT
    results: dict[str, dict[str, dict]] = {v: {} for v in codes}
    try:
        for probe, kwargs in plan(args).items():
            for version, code in codes.items():
                results[version][probe] = run_probe(probe, code, kwargs)
                print(f"{probe:>9} {version:>6}: {json.dumps(results[version][probe], ensure_ascii=False)[:300]}",
                      file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    versions = list(codes)
    lines = table(results, versions)
    print("\n".join(lines))
    when = datetime.now().isoformat(timespec="seconds")
    report = {"when": when, "before": args.before or [], "cores": os.cpu_count(), "load_average": os.getloadavg(),
              "seconds": round(time.perf_counter() - started, 1), "results": results, "table": lines}
    out = ROOT / "output" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    if args.quick:
        quick = {"when": when, **quick_summary(results["after"]), "seconds": report["seconds"]}
        for version in versions[:-1]:
            quick[version] = quick_summary(results[version])
        (out / "quick.json").write_text(json.dumps(quick, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"wrote {out / 'quick.json'} in {report['seconds']} s")
    target = out / f"bench-{when.replace(':', '')}.json"
    target.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {target} ({report['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
