"""Screenshots of the web pages in Vietnamese, for docs/screenshots/ (run by hand, not by the test suite).

Catalogues the shared dev texts (../shared/eval/dev) into a fresh catalogue, starts ``cchc web`` on
a free loopback port with CCHC_LANG=vi, and photographs the dashboard, one initiative page and
the review page in headless Chromium (Debian's, driven by Playwright).

    python scripts/screenshots.py                  # writes docs/screenshots/*.png
    python scripts/screenshots.py --out /tmp/shots --lang en
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1360, "height": 1000}
# Milliseconds to wait for a page or a chart (the dashboard's Vega bundle is ~800 KB of JavaScript).
LOAD_TIMEOUT_MS = 30_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_web(db: Path, port: int, env: dict[str, str]) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "cchc", "web", "--db", str(db), "--port", str(port)],
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    for line in proc.stderr:  # blocks until uvicorn says it listens
        if "Uvicorn running on" in line:
            return proc
    raise SystemExit("screenshots: the web server did not start")


def best_initiative(db: Path) -> int:
    """The initiative with the most evidence and a known unit and directive: the fullest page to show."""
    sys.path.insert(0, str(ROOT))
    from pipeline.catalogue import connect

    row = connect(db, create=False).execute(
        "SELECT i.id FROM initiatives i JOIN mentions m ON m.entity = 'initiative' AND m.entity_id = i.id "
        "GROUP BY i.id ORDER BY (i.unit_id IS NOT NULL) + (i.directive_id IS NOT NULL) DESC, COUNT(*) DESC, i.id "
        "LIMIT 1").fetchone()
    if row is None:
        raise SystemExit("screenshots: the catalogue has no initiative")
    return row[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", default="../shared/eval/dev", help="Folder of texts, relative to the repository.")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--lang", default="vi")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CCHC_LANG": args.lang}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "catalogue.db"
        subprocess.run([sys.executable, "-m", "cchc", "ingest", args.texts, "--db", str(db), "--raw",
                        str(Path(tmp) / "raw")], cwd=ROOT, env=env, check=False)
        initiative = best_initiative(db)
        port = free_port()
        web = start_web(db, port, env)
        base = f"http://127.0.0.1:{port}"
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport=VIEWPORT, locale=args.lang)
                page.goto(f"{base}/", wait_until="networkidle", timeout=LOAD_TIMEOUT_MS)
                charts = page.frame_locator("iframe.charts")
                for slug in ("per-year", "per-unit", "deadlines", "most-cited"):
                    charts.locator(f"#chart-{slug} svg, #chart-{slug} canvas").first.wait_for(timeout=LOAD_TIMEOUT_MS)
                page.screenshot(path=str(out / "dashboard.png"), full_page=True)
                page.goto(f"{base}/initiative/{initiative}", wait_until="networkidle")
                page.screenshot(path=str(out / "initiative.png"), full_page=True)
                page.goto(f"{base}/review", wait_until="networkidle")
                page.screenshot(path=str(out / "review.png"), full_page=False)
                browser.close()
        finally:
            web.terminate()
            web.wait(timeout=10)
    for name in ("dashboard", "initiative", "review"):
        print(out / f"{name}.png")


if __name__ == "__main__":
    main()
