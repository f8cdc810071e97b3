"""The web pages in real headless Chromium (Debian's chromium, driven by Playwright): the review page, the
dashboard with its charts, the page of an initiative and of a deadline, and Datasette."""
from __future__ import annotations

import json
import os
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


REVIEWER = "Người duyệt thử"
GO_VAP = ("Năm 2018, UBND Quận Gò Vấp triển khai mô hình Dân vận khéo theo Kế hoạch số 4776/KH-UBND "
          "ngày 12/3/2018. Phòng Nội vụ quận đăng ký sáng kiến trước ngày 31/3/2018.\n")


# Fitted confidences put nearly every extraction of these texts above the default threshold (0.75):
# a strict one fills the review queue that the pages are tested on.
STRICT_THRESHOLD = "0.99"


def start_web(db, tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "cchc", "web", "--db", str(db), "--port", str(port)],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=ROOT,
                            env={**os.environ, "CCHC_REVIEWER": REVIEWER, "CCHC_REVIEW_THRESHOLD": STRICT_THRESHOLD})
    for line in proc.stderr:  # blocks until uvicorn says it listens
        if "Uvicorn running on" in line:
            break
    else:
        raise AssertionError("web server did not start")
    return proc, f"http://127.0.0.1:{port}"


@pytest.fixture
def server(tmp_path):
    db = tmp_path / "catalogue.db"
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    go_vap = tmp_path / "go-vap.txt"
    go_vap.write_text(GO_VAP, encoding="utf-8")
    assert run_cchc("ingest", str(CORPUS / "real" / "an-le-27-2019.pdf"), str(hostile), str(go_vap),
                    str(CORPUS / "dev"), "--db", str(db), "--raw", str(tmp_path / "raw")).returncode == 0
    proc, base = start_web(db, tmp_path)
    yield base, db
    proc.terminate()
    proc.wait(timeout=10)


def test_review_page_in_chromium(server, tmp_path):
    from playwright.sync_api import sync_playwright

    from pipeline.catalogue import connect

    base, db_path = server
    assert CHROMIUM, "chromium is installed by scripts/setup.sh"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"{base}/review")
        assert "Hàng chờ duyệt" in page.content() and "Chấp nhận" in page.content()
        items = page.locator(".item")
        count = items.count()
        page.screenshot(path=str(tmp_path / "review-page.png"), full_page=False)  # never under docs/
        assert count >= 3
        first_id = int(items.nth(0).get_attribute("data-id"))
        page.keyboard.press("a")  # keyboard shortcut: accept the selected (first) item
        page.wait_for_url("**/review?msg=*")
        assert page.locator(".item").count() == count - 1
        # the first unit of the queue (which field is lowest depends on the fitted confidences)
        second = page.locator(".item").filter(has=page.locator("input[name=canonical]")).first
        second_id = int(second.get_attribute("data-id"))
        second.locator("details summary").click()
        field = second.locator("form.correct input[type=text]").first
        name = field.get_attribute("name")
        field.fill("Ủy ban nhân dân tỉnh Cửu Long" if name == "canonical" else "corrected value")
        second.locator("button.correct-button").click()
        page.wait_for_url("**/review?msg=*")
        assert "đã sửa" in page.locator("#message").inner_text()
        assert page.evaluate("window.pwned") is None  # nothing from a document ran
        assert "<script>" in page.content() or "&lt;script&gt;" in page.content()
        page.goto(f"{base}/")
        assert "Cải cách hành chính" in page.content()
        page.goto(f"{base}/catalogue/documents?_search=hostile")
        page.goto(f"{base}/catalogue/mentions?_search=")
        assert page.evaluate("window.pwned") is None
        browser.close()
    db = connect(db_path)
    decisions = dict(db.execute("SELECT decision, reviewer FROM reviews").fetchall())
    assert decisions == {"accepted": REVIEWER, "corrected": REVIEWER}
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


def test_dashboard_charts_and_pages_in_chromium(server, tmp_path):
    from playwright.sync_api import sync_playwright

    from pipeline.catalogue import connect

    base, db_path = server
    db = connect(db_path)
    initiative = db.execute("SELECT id FROM initiatives WHERE title = 'Mô hình Dân vận khéo'").fetchone()[0]
    deadline = db.execute("SELECT id FROM deadlines WHERE date = '2018-03-31'").fetchone()[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        page.goto(f"{base}/")
        queue = page.locator("#review-queue")
        assert int(queue.locator(".n").inner_text()) > 0 and queue.get_attribute("href") == "/review"
        charts = page.frame_locator("iframe.charts")
        for slug in ("per-year", "per-unit", "deadlines", "most-cited"):  # drawn by the plugin's Vega-Lite
            charts.locator(f"#chart-{slug} svg, #chart-{slug} canvas").first.wait_for(timeout=30_000)
        assert charts.locator("text=Sáng kiến theo đơn vị").count() == 1

        page.goto(f"{base}/initiative/{initiative}")
        assert page.locator("h1").inner_text() == "Mô hình Dân vận khéo"
        assert page.locator("a[href^='/unit/']").first.inner_text() == "Ủy ban nhân dân Quận Gò Vấp"
        assert page.locator("a[href^='/directive/']").first.inner_text() == "4776/KH-UBND"
        assert page.locator(".evidence mark").first.inner_text() == "mô hình Dân vận khéo"
        page.locator("text=xem trong toàn văn").first.click()
        assert page.locator("mark#mark").inner_text() == "mô hình Dân vận khéo"  # the span, in the whole text
        source = page.locator("a[href^='/file/']").first
        assert source.inner_text().endswith("go-vap.txt")
        response = page.request.get(base + source.get_attribute("href"))
        assert response.status == 200 and response.text() == GO_VAP
        assert response.headers["content-security-policy"] == "sandbox"

        page.goto(f"{base}/deadline/{deadline}")
        assert "Phòng Nội vụ Quận Gò Vấp" in page.content() and "chưa xong" in page.content()
        page.locator("button.done").click()
        page.wait_for_url(f"**/deadline/{deadline}?msg=*")
        assert "đã xong" in page.locator("h1").inner_text() and REVIEWER in page.content()
        page.locator("button.reopen").click()
        page.wait_for_url(f"**/deadline/{deadline}?msg=*")
        assert "chưa xong" in page.locator("h1").inner_text()
        page.goto(f"{base}/initiative/999999")
        assert "Không tìm thấy" in page.content()
        page.goto(f"{base}/catalogue/initiatives")  # Datasette's table: the name opens our page
        page.locator("a", has_text="Mô hình Dân vận khéo").first.click()
        page.wait_for_url(f"**/initiative/{initiative}")
        browser.close()
    log = db.execute("SELECT action, by FROM deadline_log ORDER BY id").fetchall()
    assert log == [("done", REVIEWER), ("reopened", REVIEWER)]


def _request(base: str, path: str, *, method: str = "GET", host: str | None = None, body: bytes | None = None,
             headers: dict | None = None):
    """A raw HTTP request (any Host header): (status, headers, body)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.putrequest(method, path, skip_host=True)
    conn.putheader("Host", host or parts.netloc)
    for k, v in {**(headers or {}), **({"Content-Length": str(len(body))} if body is not None else {})}.items():
        conn.putheader(k, v)
    conn.endheaders(body)
    response = conn.getresponse()
    return response.status, response.headers, response.read().decode("utf-8", "replace")


def test_only_the_bound_host_is_answered(server):
    """DNS rebinding: a page on another name that resolves to 127.0.0.1 sends its own Host header."""
    base, _ = server
    port = base.rsplit(":", 1)[1]
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1:1"):
        for path in ("/review", "/", "/catalogue/documents.json", "/-/dashboards"):
            status, _, _ = _request(base, path, host=host)
            assert status == 421, (host, path)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        assert _request(base, "/review", host=host)[0] == 200


def test_csrf_token_is_per_session(server):
    import re

    base, db_path = server
    sessions = []
    for _ in range(2):
        status, headers, html = _request(base, "/review")
        cookie = headers["set-cookie"].split(";")[0]
        assert "HttpOnly" in headers["set-cookie"] and "SameSite=strict" in headers["set-cookie"]
        token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
        item = re.search(r'data-id="(\d+)"', html).group(1)
        sessions.append((cookie, token))
    (cookie_a, token_a), (cookie_b, token_b) = sessions
    assert cookie_a != cookie_b and token_a != token_b
    post = lambda cookie, token, extra=None: _request(
        base, f"/review/{item}", method="POST", body=f"decision=accepted&csrf={token}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", **({"Cookie": cookie} if cookie else {}),
                 **(extra or {})})[0]
    assert post(cookie_b, token_a) == 403  # another session's token
    assert post(None, token_a) == 403  # no session
    assert post(cookie_a, token_a, {"Origin": "http://evil.example"}) == 403  # posted from another site
    assert post(cookie_a, token_a) == 303
    from pipeline.catalogue import connect

    assert connect(db_path).execute("SELECT reviewer FROM reviews").fetchall() == [(REVIEWER,)]  # never "web"

