"""A local government news site on 127.0.0.1 for crawl tests, built around the real texts in corpus/.

Each article page wraps a real text (corpus/dev, corpus/real) in the page chrome those portals
print (SharePoint ribbon, visitor counter, "Bản in", "Quay lại"). The server misbehaves on purpose:
a 404, a 500 that succeeds on retry, a page slower than the crawler's timeout, a robots.txt rule,
ETags, a redirect to another host, and a page over the size cap.
"""
from __future__ import annotations

import hashlib
import html
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import CORPUS

CHROME_TOP = ("<div id='s4-ribbonrow'><a href='#'>Skip Ribbon Commands</a><a href='#main'>Skip to main content</a></div>"
              "<nav><ul><li><a href='/'>Trang chủ</a></li><li><a href='/list?page=1'>Tin tức</a></li></ul></nav>")
CHROME_BOTTOM = ("<div class='footer'>Số lượt người xem: 33<a href='#'>Bản in</a> <a href='#'>Quay lại</a>"
                 "<div>Xem theo ngày:</div><div class='counter'>SỐ LƯỢT TRUY CẬP<br>2<br>1<br>9<br>8<br>4</div></div>")
SLOW_SECONDS = 3.0  # longer than the crawler's timeout in the tests
DRIP_SECONDS = 0.3  # between two bytes of a dripping reply: shorter than the crawler's read timeout


def article_page(text_path: Path) -> bytes:
    lines = [l for l in text_path.read_text(encoding="utf-8").splitlines() if l.strip()]
    title, body = lines[0], lines[1:]
    paragraphs = "".join(f"<p>{html.escape(l)}</p>" for l in body)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
            f"{CHROME_TOP}<div id='main'><article><h1>{html.escape(title)}</h1>{paragraphs}</article></div>"
            f"{CHROME_BOTTOM}</body></html>").encode("utf-8")


class Site:
    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {
            "/news/hanoi.html": article_page(CORPUS / "dev" / "hanoi-dang-ky-sang-kien-2021.txt"),
            "/news/q6.html": article_page(CORPUS / "dev" / "q6-nhan-rong-sang-kien-2020.txt"),
            "/news/kontum.html": article_page(CORPUS / "real" / "kon-tum-435-qd-ubnd-2020.txt"),
            "/news/flaky.html": (CORPUS / "real" / "vbpl-thuoc-tinh-101-2015-qh13.html").read_bytes(),
            "/private/secret.html": article_page(CORPUS / "dev" / "hanoi-dang-ky-sang-kien-2021.txt"),
        }
        self.pages["/news/q6-copy.html"] = self.pages["/news/q6.html"]  # the same article under two URLs
        self.listings = {
            "1": ["/news/hanoi.html", "/news/q6.html", "/news/q6-copy.html#top", "/news/missing.html",
                  "/news/flaky.html", "/news/slow.html", "/private/secret.html", "/news/redirect.html",
                  "http://elsewhere.example/news/x.html", "/about.html"],
            "2": ["/news/kontum.html", "/news/hanoi.html"],
        }
        self.types: dict[str, str] = {}  # a page served with another Content-Type than HTML
        self.robots: tuple[int, bytes] = (200, b"User-agent: *\nDisallow: /private/\n")
        self.requests: Counter = Counter()
        self.statuses: list[tuple[str, int]] = []
        self.flaky_failures_left = 1
        self.times: list[tuple[str, float]] = []  # when each request arrived
        self.lock = threading.Lock()

    def listing(self, page: str) -> bytes:
        links = "".join(f"<li><a href='{u}'>tin {i}</a></li>" for i, u in enumerate(self.listings.get(page, [])))
        return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Tin CCHC</title></head><body>{CHROME_TOP}"
                f"<ul>{links}</ul>{CHROME_BOTTOM}</body></html>").encode("utf-8")


def make_handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the crawler gave up waiting (the slow page): expected
            with site.lock:
                site.statuses.append((self.path, status))

        def _etagged(self, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                self._send(304, headers={"ETag": etag})
            else:
                self._send(200, body, {"ETag": etag, "Content-Type": content_type})

        def _drip(self, body: bytes, headers_too: bool) -> None:
            """A server that answers a byte at a time, never slower than the read timeout."""
            head = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n\r\n").encode()
            try:
                if not headers_too:
                    self.wfile.write(head)
                    head = b""
                for i in range(len(head + body)):
                    self.wfile.write((head + body)[i:i + 1])
                    self.wfile.flush()
                    time.sleep(DRIP_SECONDS)  # a slow server, not test synchronisation
            except (BrokenPipeError, ConnectionResetError):
                pass  # the crawler gave up: expected

        def do_GET(self) -> None:  # noqa: N802
            path = self.path
            with site.lock:
                site.requests[path.split("#")[0]] += 1
                site.times.append((path, time.monotonic()))
            if path == "/robots.txt":
                status, rules = site.robots
                return self._send(status, rules, {"Content-Type": "text/plain"})
            if path.startswith("/list?page="):
                return self._etagged(site.listing(path.rsplit("=", 1)[1]))
            if path == "/news/flaky.html":
                with site.lock:
                    fail = site.flaky_failures_left > 0
                    site.flaky_failures_left -= 1 if fail else 0
                if fail:
                    return self._send(500, b"Internal Server Error")
            if path == "/news/slow.html":
                time.sleep(SLOW_SECONDS)  # a slow server, not test synchronisation
                return self._send(200, site.pages["/news/hanoi.html"])
            if path == "/news/redirect.html":
                return self._send(302, headers={"Location": "http://elsewhere.example/news/x.html"})
            if path.startswith("/news/loop"):
                n = int(path.rsplit("-", 1)[1]) if "-" in path else 0
                return self._send(302, headers={"Location": f"/news/loop-{n + 1}"})
            if path == "/news/huge.html":
                return self._send(200, b"<html><body>" + b"x" * (6 * 1024 * 1024) + b"</body></html>")
            if path in ("/news/drip.html", "/news/drip-headers.html"):
                return self._drip(site.pages["/news/hanoi.html"], headers_too=path == "/news/drip-headers.html")
            if path in site.pages:
                return self._etagged(site.pages[path], site.types.get(path, "text/html; charset=utf-8"))
            return self._send(404, b"Not Found")

    return Handler


class LocalSite:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host  # any address of the loopback range: a second "host" for the crawl

    def __enter__(self) -> "LocalSite":
        self.site = Site()
        self.server = ThreadingHTTPServer((self.host, 0), make_handler(self.site))
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def sources_toml(self, path: Path, name: str = "local-q6", delay_seconds: float = 0) -> Path:
        path.write_text(self.source_entry(name, delay_seconds), encoding="utf-8")
        return path

    def source_entry(self, name: str = "local-q6", delay_seconds: float = 0) -> str:
        return (
            "[[source]]\n"
            f'name = "{name}"\n'
            'owner = "Ủy ban nhân dân Quận 6"\n'
            'province = "Thành phố Hồ Chí Minh"\n'
            'district = "Quận 6"\n'
            f'listing = ["{self.base}/list?page={{page}}"]\n'
            f"article = '{self.base}/(news|private)/[^?#]+'\n"
            "max_pages = 2\n"
            f"delay_seconds = {delay_seconds}\n")

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class ConnectionRecorder:
    """A port on 127.0.0.1 that records every connection made to it and closes it at once, so a
    request that should never be made is seen (and fails fast instead of waiting on a reply)."""

    def __init__(self) -> None:
        self.arrived: list[tuple] = []
        self._listener = socket.socket()

    @property
    def port(self) -> int:
        return self._listener.getsockname()[1]

    def _accept(self) -> None:
        while True:
            try:
                conn, peer = self._listener.accept()
            except OSError:
                return  # the listener was shut down
            self.arrived.append(peer)
            conn.close()

    def __enter__(self) -> "ConnectionRecorder":
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.shutdown(socket.SHUT_RDWR)
        self._thread.join()
        self._listener.close()
