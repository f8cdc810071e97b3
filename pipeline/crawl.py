"""The crawl as plain functions: sources, link discovery, fetching with a cache, storing and cataloguing.

Prefect flows (``flows/crawl.py``) only sequence these; the logic is tested without Prefect.
"""
from __future__ import annotations

import contextvars
import re
import threading
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urldefrag, urljoin, urlsplit

import sqlite_utils
from bs4 import BeautifulSoup

from nlp.base import Home

from . import settings
from .catalogue import connect, is_catalogue_error, now, transaction
from extractors.errors import ReadError
from .fetch import Fetcher, FetchError, Response
from .guard import Guard, Job
from .ingest import IngestResult, record_failure, write_outcome
from .rawstore import RawStore

DEFAULT_SOURCES = Path("corpus/sources.toml")


@dataclass(frozen=True)
class Source:
    name: str
    owner: str
    listing: tuple[str, ...]
    article: str
    province: str | None = None
    district: str | None = None
    max_pages: int = 1
    delay_seconds: float = 5.0

    @property
    def home(self) -> Home:
        return Home(province=self.province, district=self.district)

    def listing_urls(self) -> list[str]:
        urls: list[str] = []
        for template in self.listing:
            pages = range(1, self.max_pages + 1) if "{page}" in template else [1]
            urls.extend(template.replace("{page}", str(p)) for p in pages)
        return urls

    def hosts(self) -> set[str]:
        return {(urlsplit(u).hostname or "").lower() for u in self.listing}


def load_sources(path: str | Path = DEFAULT_SOURCES) -> list[Source]:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    sources = []
    for entry in data.get("source", []):
        entry = dict(entry)
        entry["listing"] = tuple(entry["listing"])
        sources.append(Source(**entry))
    return sources


def discover_links(html: bytes, base_url: str, pattern: str) -> list[str]:
    """Article URLs on a listing page: absolute, without fragment, matching the source's pattern, once each."""
    article = re.compile(pattern)
    soup = BeautifulSoup(html, "lxml")
    seen: dict[str, None] = {}
    for a in soup.find_all("a", href=True):
        url = urldefrag(urljoin(base_url, a["href"].strip()))[0]
        if article.fullmatch(url):
            seen.setdefault(url, None)
    return list(seen)


@dataclass
class CrawlSummary:
    new: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    deferred: list[tuple[str, str]] = field(default_factory=list)  # failed before; not tried again yet

    def merge(self, other: "CrawlSummary") -> None:
        for name in ("new", "unchanged", "duplicates", "failed", "deferred"):
            getattr(self, name).extend(getattr(other, name))

    def as_text(self) -> str:
        lines = [f"new {len(self.new)}, unchanged {len(self.unchanged)}, duplicates {len(self.duplicates)}, "
                 f"failed {len(self.failed)}, waiting to retry {len(self.deferred)}"]
        lines += [f"  failed: {url}: {reason}" for url, reason in self.failed]
        return "\n".join(lines)


def cached(db: sqlite_utils.Database, url: str) -> dict | None:
    row = db.execute("SELECT url, etag, last_modified, sha256, status FROM fetches WHERE url = ?", [url]).fetchone()
    return dict(zip(("url", "etag", "last_modified", "sha256", "status"), row)) if row else None


def record_fetch(db: sqlite_utils.Database, url: str, source: str, kind: str, status: str,
                 response: Response | None = None, sha256: str | None = None, reason: str | None = None) -> None:
    """Remember what became of a URL. A failure counts one more attempt and sets when to try again
    (back-off doubling from ``settings.CRAWL_RETRY_FIRST_SECONDS``); any other outcome resets both."""
    previous = cached(db, url) or {}
    attempts, retry_after = None, None
    if status == "failed":
        row = db.execute("SELECT attempts FROM fetches WHERE url = ?", [url]).fetchone()
        attempts = ((row[0] or 0) if row else 0) + 1
        wait = min(settings.CRAWL_RETRY_FIRST_SECONDS * 2 ** (attempts - 1), settings.CRAWL_RETRY_MAX_SECONDS)
        retry_after = (datetime.now(timezone.utc) + timedelta(seconds=wait)).isoformat(timespec="seconds")
    with transaction(db):
        db["fetches"].upsert({
            "url": url, "source": source, "kind": kind, "status": status, "reason": reason, "fetched_at": now(),
            "etag": response.etag if response and response.etag else previous.get("etag"),
            "last_modified": response.last_modified if response and response.last_modified else previous.get("last_modified"),
            "sha256": sha256 or previous.get("sha256"), "attempts": attempts, "retry_after": retry_after,
        }, pk="url")


def retry_wait(db: sqlite_utils.Database, url: str) -> str | None:
    """Why a URL that failed before is not tried in this run (its back-off has not run out), else None."""
    row = db.execute("SELECT attempts, retry_after, reason FROM fetches WHERE url = ? AND status = 'failed'",
                     [url]).fetchone()
    if not row or not row[1] or row[1] <= now():
        return None
    return f"failed {row[0]} time(s) ({row[2]}); next try after {row[1]}"


def is_catalogued(db: sqlite_utils.Database, url: str) -> bool:
    """An article URL already in the catalogue: it is not fetched again."""
    entry = cached(db, url)
    return bool(entry and entry["status"] in ("new", "duplicate", "unchanged") and entry["sha256"])


def fetch_listing(db: sqlite_utils.Database, fetcher: Fetcher, raw: RawStore, source: Source, url: str) -> list[str]:
    """The article links of one listing page; a 304 re-reads the stored copy, so nothing is fetched twice."""
    entry = cached(db, url) or {}
    response = fetcher.fetch(url, entry.get("etag"), entry.get("last_modified"))
    if response.status == 304 and entry.get("sha256") and raw.has(entry["sha256"]):
        body = raw.get(entry["sha256"])
        record_fetch(db, url, source.name, "listing", "unchanged", response)
    else:
        body = response.content
        record_fetch(db, url, source.name, "listing", "new", response, raw.put(body))
    return discover_links(body, response.url, source.article)


# Hosts are fetched at once, but their pages are extracted and catalogued one at a time: extraction
# runs in the guard's worker process (one for the whole crawl: starting one and loading the NLP
# models costs more than a page's extraction), and "already catalogued?" must see the page another
# host just wrote.
_ONE_PAGE_AT_A_TIME = threading.Lock()


# Content types a page or file of a news site may come as (images: the scans OCR reads); anything
# else (a GIF, a video, an archive) is not a document and is refused before it is stored or read.
DOCUMENT_TYPES = ("text/", "application/pdf", "application/msword", "application/vnd.openxmlformats",
                  "application/xhtml", "application/octet-stream", "application/x-download", "application/download",
                  "image/png", "image/jpeg", "image/tiff")


def store_article(db: sqlite_utils.Database, raw: RawStore, source: Source, url: str, response: Response,
                  guard: Guard | None = None) -> IngestResult:
    """Keep the raw page, then extract (under the per-document guard) and catalogue it unless its
    content is already there. Whatever the page does, the outcome is recorded against its URL."""
    with _ONE_PAGE_AT_A_TIME:
        return _store_article(db, raw, source, url, response, guard)


def _store_article(db: sqlite_utils.Database, raw: RawStore, source: Source, url: str, response: Response,
                   guard: Guard | None) -> IngestResult:
    content_type = (response.content_type or "").split(";")[0].strip().lower()
    if content_type and not content_type.startswith(DOCUMENT_TYPES):
        error = ReadError(f"not a document: the server sent {content_type}", url, "unknown-format")
        record_failure(db, url, error)
        record_fetch(db, url, source.name, "article", "failed", response, reason=error.reason)
        return IngestResult(url, "failed", reason=error.reason, code=error.code)
    sha256 = raw.put(response.content)
    known = db.execute("SELECT document_id, COALESCE(url, path) FROM files WHERE sha256 = ?", [sha256]).fetchone()
    if known:
        record_fetch(db, url, source.name, "article", "duplicate", response, sha256)
        return IngestResult(url, "duplicate", known[0], reason=f"same content as {known[1] or 'a catalogued file'}")
    job = Job(url, data=response.content, home=source.home)
    if guard is None:
        with Guard(1) as own:
            outcome = own.one(job)
    else:
        outcome = guard.one(job)
    result = write_outcome(db, outcome, url=url)
    if result.status == "failed":
        record_fetch(db, url, source.name, "article", "failed", response, sha256, result.reason)
    elif result.status == "same":  # the same text under other bytes (another page layout, another encoding)
        record_fetch(db, url, source.name, "article", "duplicate", response, sha256)
        return IngestResult(url, "duplicate", result.document_id, reason=f"same text as {result.same_as}")
    else:
        record_fetch(db, url, source.name, "article", "new", response, sha256)
    return result


def fetch_article(fetcher: Fetcher, db: sqlite_utils.Database, url: str) -> Response:
    entry = cached(db, url) or {}
    return fetcher.fetch(url, entry.get("etag"), entry.get("last_modified"))


def fetcher_for(sources: list[Source], *, allow_private: bool = False, timeout: float | None = None,
                delay_seconds: float | None = None, deadline: float | None = None) -> Fetcher:
    """One fetcher for the crawl; each host waits its own sources' delay (the longest, when several share it)."""
    hosts = set().union(*(s.hosts() for s in sources)) if sources else set()
    delay = min((s.delay_seconds for s in sources), default=5.0) if delay_seconds is None else delay_seconds
    host_delays: dict[str, float] = {}
    if delay_seconds is None:
        for source in sources:
            for host in source.hosts():
                host_delays[host] = max(host_delays.get(host, 0.0), source.delay_seconds)
    kwargs = {"timeout": timeout} if timeout else {}
    if deadline:
        kwargs["deadline"] = deadline
    return Fetcher(allowed_hosts=hosts, delay_seconds=delay, allow_private=allow_private, host_delays=host_delays,
                   **kwargs)


# Hosts crawled at the same time: each waits its own delay, so the crawl takes about as long as its
# slowest host instead of the sum of all; more threads than this only add connections.
MAX_HOSTS_AT_ONCE = 8


def by_host(sources: list[Source]) -> list[list[Source]]:
    """Sources grouped so that no two groups share a host: groups run at once, a group's sources in turn."""
    groups: list[tuple[set[str], list[Source]]] = []
    for source in sources:
        hosts = source.hosts()
        joined = [g for g in groups if g[0] & hosts]
        merged_hosts, merged = set(hosts), []
        for g in joined:
            merged_hosts |= g[0]
            merged += g[1]
            groups.remove(g)
        groups.append((merged_hosts, merged + [source]))
    return [g[1] for g in groups]


def crawl_concurrently(groups: list[list[Source]], crawl_group: Callable[[list[Source]], CrawlSummary],
                       max_hosts: int = MAX_HOSTS_AT_ONCE) -> CrawlSummary:
    """``crawl_group`` for every group of hosts at once (threads: the work is waiting on the network).

    Each thread copies the caller's context (a Prefect flow run's tasks then stay inside that run)."""
    summary = CrawlSummary()
    if not groups:
        return summary
    with ThreadPoolExecutor(max_workers=min(len(groups), max_hosts), thread_name_prefix="crawl") as pool:
        futures = [pool.submit(contextvars.copy_context().run, crawl_group, group) for group in groups]
        for future in futures:  # in the order of the sources file, whatever finished first
            summary.merge(future.result())
    return summary


def crawl_source(db: sqlite_utils.Database, source: Source, fetch_links, fetch_page, store) -> CrawlSummary:
    """One source: listing pages, then each article not yet catalogued.

    ``fetch_links(url)``, ``fetch_page(url)`` and ``store(url, response)`` are passed in so the flow can
    wrap the fetches in Prefect tasks with retries; ``crawl`` below passes the plain functions.
    No page stops the crawl: whatever goes wrong with one URL is recorded against it (it is retried
    with back-off in later runs) and the crawl goes on; only errors of the catalogue itself stop it.
    """
    summary = CrawlSummary()
    links: dict[str, None] = {}
    for url in source.listing_urls():
        try:
            links.update(dict.fromkeys(fetch_links(url)))
        except Exception as exc:  # noqa: BLE001 - one listing page; the catalogue's own errors go on up
            if is_catalogue_error(exc):
                raise
            summary.failed.append((url, _reason(exc)))
    for url in links:
        if is_catalogued(db, url):
            summary.unchanged.append(url)
            continue
        waiting = retry_wait(db, url)
        if waiting:
            summary.deferred.append((url, waiting))
            continue
        try:
            add_result(summary, store(url, fetch_page(url)))
        except Exception as exc:  # noqa: BLE001 - one page; the catalogue's own errors go on up
            if is_catalogue_error(exc):
                raise
            record_fetch(db, url, source.name, "article", "failed", reason=_reason(exc))
            summary.failed.append((url, _reason(exc)))
    return summary


def _reason(exc: BaseException) -> str:
    if isinstance(exc, FetchError):
        return exc.reason
    return f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"


def crawl(db: sqlite_utils.Database, fetcher: Fetcher, raw: RawStore, source: Source,
          guard: Guard | None = None) -> CrawlSummary:
    """A source crawled with the plain functions (no retries); pages extracted under ``guard``."""
    return crawl_source(db, source, lambda url: fetch_listing(db, fetcher, raw, source, url),
                        lambda url: fetch_article(fetcher, db, url),
                        lambda url, response: store_article(db, raw, source, url, response, guard))


def crawl_all(db_path: str | Path, fetcher: Fetcher, raw: RawStore, sources: list[Source]) -> CrawlSummary:
    """Every source with the plain functions, hosts at once; each thread writes through its own
    connection; every page is extracted by one guarded worker that lives as long as the crawl."""
    with Guard(1) as guard:
        def crawl_group(group: list[Source]) -> CrawlSummary:
            db = connect(db_path)
            summary = CrawlSummary()
            for source in group:
                summary.merge(crawl(db, fetcher, raw, source, guard))
            return summary

        return crawl_concurrently(by_host(sources), crawl_group)


def add_result(summary: CrawlSummary, result: IngestResult) -> None:
    if result.status in ("new", "updated"):
        summary.new.append(result.path)
    elif result.status == "duplicate":
        summary.duplicates.append(result.path)
    elif result.status == "unchanged":
        summary.unchanged.append(result.path)
    else:
        summary.failed.append((result.path, result.reason or "failed"))
