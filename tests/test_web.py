"""The review page in real headless Chromium (Debian's chromium, driven by Playwright), and Datasette."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import urllib.request

import pytest

from conftest import CORPUS, ROOT, run_cchc

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE = ('Sở Nội vụ thành phố Xyz <script>window.pwned=1</script> ban hành Kế hoạch số 12/KH-SNV '
           '<img src=x onerror="window.pwned=2"> <a href="javascript:window.pwned=3">link</a>. '
           'UBND <b onmouseover="window.pwned=4">phường</b> Ủy ban nhân dân thực hiện.\n')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    db = tmp_path / "catalogue.db"
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    assert run_cchc("ingest", str(CORPUS / "real" / "an-le-27-2019.pdf"), str(hostile), "--db", str(db)).returncode == 0
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "cchc", "web", "--db", str(db), "--port", str(port)],
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    for line in proc.stderr:  # blocks until uvicorn says it listens
        if "Uvicorn running on" in line:
            break
    else:
        raise AssertionError("web server did not start")
    yield f"http://127.0.0.1:{port}", db
    proc.terminate()
    proc.wait(timeout=10)


def test_review_page_in_chromium(server):
    from playwright.sync_api import sync_playwright

    from pipeline.catalogue import connect

    base, db_path = server
    assert CHROMIUM, "chromium is installed by scripts/setup.sh"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"{base}/review")
        items = page.locator(".item")
        count = items.count()
        page.screenshot(path=str(ROOT / "docs" / "review-page.png"), full_page=False)
        assert count >= 3
        first_id = int(items.nth(0).get_attribute("data-id"))
        page.keyboard.press("a")  # keyboard shortcut: accept the selected (first) item
        page.wait_for_url("**/review?msg=*")
        assert page.locator(".item").count() == count - 1
        second = page.locator(".item").nth(0)
        second_id = int(second.get_attribute("data-id"))
        field = second.locator("form.correct input[type=text]").first
        name = field.get_attribute("name")
        field.fill("Ủy ban nhân dân tỉnh Cửu Long" if name == "canonical" else "corrected value")
        second.locator("button.correct-button").click()
        page.wait_for_url("**/review?msg=corrected*")
        assert page.evaluate("window.pwned") is None  # nothing from a document ran
        assert "<script>" in page.content() or "&lt;script&gt;" in page.content()
        page.goto(f"{base}/")
        assert "administrative-reform" in page.content()
        page.goto(f"{base}/catalogue/documents?_search=hostile")
        page.goto(f"{base}/catalogue/mentions?_search=")
        assert page.evaluate("window.pwned") is None
        browser.close()
    db = connect(db_path)
    decisions = dict(db.execute("SELECT decision, reviewer FROM reviews").fetchall())
    assert decisions == {"accepted": "web", "corrected": "web"}
    value = json.loads(db.execute("SELECT value FROM reviews WHERE decision = 'corrected'").fetchone()[0])
    assert value  # the corrected field was stored
    assert db.execute("SELECT COUNT(*) FROM reviews WHERE document_sha256 IN (SELECT sha256 FROM documents)").fetchone()[0] == 2
    assert first_id != second_id


def test_post_without_csrf_token_is_refused(server):
    base, _ = server
    request = urllib.request.Request(f"{base}/review/1", data=b"decision=accepted", method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request)
    assert err.value.code == 403


def test_review_page_escapes_document_text(server):
    base, _ = server
    html = urllib.request.urlopen(f"{base}/review").read().decode()
    assert "<script>window.pwned" not in html and "onerror=\"window" not in html
