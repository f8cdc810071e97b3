"""Polite HTTP fetching for the crawl: robots.txt, a per-host delay, timeouts, conditional GET,
a size cap, and redirects only to the configured hosts (never to private or loopback addresses
unless a test says so explicitly).

Every request has an overall deadline (``REQUEST_DEADLINE_SECONDS``), headers and body together: a
server that drips its reply a byte at a time never trips the per-read timeout, so the timeout alone
would wait for it forever. robots.txt follows RFC 9309: a 4xx means no rules (allowed), a 5xx or an
unreachable robots.txt means the site is closed to crawlers for this run.
"""
from __future__ import annotations

import ipaddress
import socket
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

USER_AGENT = "cchc-catalogue/0.1 (+administrative-reform catalogue of a Department of Home Affairs; contact: cchc@localhost)"
# A government news page is well under 2 MB; a larger body is not an article.
MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT_SECONDS = 20.0
# A request (headers and body) that has not completed in this long is abandoned: at the size cap a
# server slower than ~90 KB/s is not one to wait for.
REQUEST_DEADLINE_SECONDS = 60.0


class FetchError(Exception):
    """A page that cannot be had: ``retryable`` for 5xx and timeouts, not for 404 or refusals."""

    def __init__(self, url: str, reason: str, retryable: bool = False, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.retryable, self.status = url, reason, retryable, status


@dataclass
class Response:
    url: str
    status: int  # 200, or 304 when the page did not change
    content: bytes
    etag: str | None
    last_modified: str | None
    content_type: str | None = None


@dataclass
class Fetcher:
    """One per crawl, shared by the threads that crawl different hosts at the same time.

    Each host has its own turn: one request at a time, each starting at least the host's delay
    after the previous one ended, whichever thread makes it (a lock per host); robots.txt is read
    once per host.
    """

    allowed_hosts: set[str]
    delay_seconds: float = 5.0
    timeout: float = TIMEOUT_SECONDS
    deadline: float = REQUEST_DEADLINE_SECONDS
    allow_private: bool = False  # tests serve pages on 127.0.0.1 and say so here
    user_agent: str = USER_AGENT
    max_bytes: int = MAX_PAGE_BYTES
    host_delays: dict[str, float] = field(default_factory=dict)  # per host; else delay_seconds
    _last: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, urllib.robotparser.RobotFileParser | str | None] = field(default_factory=dict)
    _client: httpx.Client | None = None
    _locks: dict[str, threading.Lock] = field(default_factory=dict, repr=False)
    _locks_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _host_lock(self, host: str) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(host, threading.Lock())

    def __getstate__(self) -> dict:  # locks and the connection pool stay in the process that made them
        state = dict(self.__dict__)
        state.update(_locks={}, _locks_lock=None, _client=None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._locks_lock = threading.Lock()

    def client(self) -> httpx.Client:
        with self._locks_lock:
            if self._client is None:
                self._client = httpx.Client(follow_redirects=False, timeout=self.timeout,
                                            headers={"User-Agent": self.user_agent})
            return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    # -- checks -------------------------------------------------------------

    def check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(url, f"scheme {parts.scheme!r} is not fetched")
        host = (parts.hostname or "").lower()
        if host not in self.allowed_hosts:
            raise FetchError(url, f"host {host} is not a configured source")
        if not self.allow_private:
            try:
                infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
            except socket.gaierror as exc:
                raise FetchError(url, f"cannot resolve {host}: {exc}", retryable=True) from None
            for info in infos:
                ip = ipaddress.ip_address(info[4][0])
                if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved:
                    raise FetchError(url, f"{host} resolves to a private address {ip}")

    def robots_verdict(self, url: str) -> str | None:
        """None when robots.txt allows the URL, else why not."""
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        with self._host_lock(f"robots {base}"):
            if base not in self._robots:
                self._robots[base] = self._read_robots(base)
        parser = self._robots[base]
        if isinstance(parser, str):
            return f"disallowed by robots.txt (site treated as closed, RFC 9309 — {parser})"
        if parser is None or parser.can_fetch(self.user_agent, url):
            return None
        return "disallowed by robots.txt"

    def allowed_by_robots(self, url: str) -> bool:
        return self.robots_verdict(url) is None

    def _read_robots(self, base: str) -> urllib.robotparser.RobotFileParser | str | None:
        """The host's robots.txt rules; None (everything allowed) when it has none (4xx); why the site
        is closed when robots.txt answers 5xx or cannot be fetched (RFC 9309 2.3.1.4)."""
        parser = urllib.robotparser.RobotFileParser()
        try:
            response = self._get(urljoin(base, "/robots.txt"), {})
        except FetchError as exc:
            return f"robots.txt could not be fetched ({exc.reason})"
        if response.status_code >= 500:
            return f"robots.txt answered {response.status_code}"
        if response.status_code >= 400:
            return None
        parser.parse(response.content.decode("utf-8", "replace").splitlines())
        return parser

    def delay_for(self, host: str) -> float:
        return self.host_delays.get(host, self.delay_seconds)

    def _wait_turn(self, host: str) -> None:
        """Sleep until ``host``'s delay has passed since its last response ended (the host lock is held)."""
        last = self._last.get(host)
        if last is not None:
            pause = self.delay_for(host) - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)  # politeness towards the host, not synchronisation

    def _get(self, url: str, headers: dict[str, str]) -> httpx.Response:
        """One request, alone on its host: the host's lock is held from the wait to the end of the body."""
        self.check_url(url)
        host = urlsplit(url).hostname or ""
        with self._host_lock(host):
            self._wait_turn(host)
            try:
                return self._within_deadline(url, headers)
            finally:
                self._last[host] = time.monotonic()

    def _within_deadline(self, url: str, headers: dict[str, str]) -> httpx.Response:
        """The request under the overall deadline. It runs in a helper thread, so a reply stalled in its
        headers is abandoned too (the thread ends when the server gives up; the client is replaced)."""
        client, outcome = self.client(), {}
        started = time.monotonic()

        def transfer() -> None:
            try:
                outcome["response"] = self._stream(client, url, headers, started)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread as it is
                outcome["error"] = exc

        worker = threading.Thread(target=transfer, name="cchc-fetch", daemon=True)
        worker.start()
        worker.join(self.deadline)
        if worker.is_alive():
            with self._locks_lock:
                if self._client is client:
                    self._client = None  # the stalled connection stays with the abandoned client
            client.close()
            raise FetchError(url, f"no complete reply within {self.deadline:g} s", retryable=True)
        if "error" in outcome:
            raise outcome["error"]
        return outcome["response"]

    def _stream(self, client: httpx.Client, url: str, headers: dict[str, str], started: float) -> httpx.Response:
        try:
            with client.stream("GET", url, headers=headers) as response:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(url, f"page over the {self.max_bytes // 2**20} MB cap")
                    if time.monotonic() - started > self.deadline:
                        raise FetchError(url, f"no complete reply within {self.deadline:g} s", retryable=True)
                    chunks.append(chunk)
                response._content = b"".join(chunks)
                return response
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out after {self.timeout:g} s", retryable=True) from None
        except httpx.TransportError as exc:
            raise FetchError(url, f"connection failed: {type(exc).__name__}", retryable=True) from None

    # -- the one call the crawl makes -----------------------------------------

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        refusal = self.robots_verdict(url)
        if refusal:
            raise FetchError(url, refusal)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            response = self._get(current, headers)
            if response.status_code in (301, 302, 303, 307, 308):
                current = urljoin(current, response.headers.get("location", ""))
                continue  # the next _get checks the new host and address
            if response.status_code == 304:
                return Response(current, 304, b"", etag, last_modified)
            if response.status_code >= 500:
                raise FetchError(current, f"server error {response.status_code}", retryable=True,
                                 status=response.status_code)
            if response.status_code >= 400:
                raise FetchError(current, f"HTTP {response.status_code}", status=response.status_code)
            return Response(current, response.status_code, response.content,
                            response.headers.get("etag"), response.headers.get("last-modified"),
                            response.headers.get("content-type"))
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")
