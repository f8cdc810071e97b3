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
from pathlib import Path
from typing import Callable
from urllib.parse import urldefrag, urljoin, urlsplit

import sqlite_utils
from bs4 import BeautifulSoup

from nlp.base import Home

from .catalogue import connect, now, transaction
from extractors.errors import ReadError
from .fetch import Fetcher, FetchError, Response
from .ingest import IngestResult, ingest_document, record_failure
from .rawstore import RawStore
from extractors.reader import read_bytes

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

    def merge(self, other: "CrawlSummary") -> None:
        for name in ("new", "unchanged", "duplicates", "failed"):
            getattr(self, name).extend(getattr(other, name))

    def as_text(self) -> str:
        lines = [f"new {len(self.new)}, unchanged {len(self.unchanged)}, duplicates {len(self.duplicates)}, "
                 f"failed {len(self.failed)}"]
        lines += [f"  failed: {url}: {reason}" for url, reason in self.failed]
        return "\n".join(lines)


def cached(db: sqlite_utils.Database, url: str) -> dict | None:
    row = db.execute("SELECT url, etag, last_modified, sha256, status FROM fetches WHERE url = ?", [url]).fetchone()
    return dict(zip(("url", "etag", "last_modified", "sha256", "status"), row)) if row else None


def record_fetch(db: sqlite_utils.Database, url: str, source: str, kind: str, status: str,
                 response: Response | None = None, sha256: str | None = None, reason: str | None = None) -> None:
    previous = cached(db, url) or {}
    with transaction(db):
        db["fetches"].upsert({
            "url": url, "source": source, "kind": kind, "status": status, "reason": reason, "fetched_at": now(),
            "etag": response.etag if response and response.etag else previous.get("etag"),
            "last_modified": response.last_modified if response and response.last_modified else previous.get("last_modified"),
            "sha256": sha256 or previous.get("sha256"),
        }, pk="url")


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
# holds the GIL (threads would gain nothing), the NLP models load lazily and are not thread-safe
# (underthesea's tagger), and "already catalogued?" must see the page another host just wrote.
_ONE_PAGE_AT_A_TIME = threading.Lock()


def store_article(db: sqlite_utils.Database, raw: RawStore, source: Source, url: str, response: Response) -> IngestResult:
    """Keep the raw page, then extract and catalogue it unless its content is already there."""
    with _ONE_PAGE_AT_A_TIME:
        return _store_article(db, raw, source, url, response)


def _store_article(db: sqlite_utils.Database, raw: RawStore, source: Source, url: str, response: Response) -> IngestResult:
    sha256 = raw.put(response.content)
    known = db.execute("SELECT document_id, COALESCE(url, path) FROM files WHERE sha256 = ?", [sha256]).fetchone()
    if known:
        record_fetch(db, url, source.name, "article", "duplicate", response, sha256)
        return IngestResult(url, "duplicate", known[0], reason=f"same content as {known[1] or 'a catalogued file'}")
    try:
        doc = read_bytes(response.content, url)
    except ReadError as exc:
        record_failure(db, url, exc)
        record_fetch(db, url, source.name, "article", "failed", response, sha256, exc.reason)
        return IngestResult(url, "failed", reason=exc.reason)
    result = ingest_document(db, doc, url=url, home=source.home)
    if result.status == "same":  # the same text under other bytes (another page layout, another encoding)
        record_fetch(db, url, source.name, "article", "duplicate", response, sha256)
        return IngestResult(url, "duplicate", result.document_id, reason=f"same text as {result.same_as}")
    record_fetch(db, url, source.name, "article", "new", response, sha256)
    return result


def fetch_article(fetcher: Fetcher, db: sqlite_utils.Database, url: str) -> Response:
    entry = cached(db, url) or {}
    return fetcher.fetch(url, entry.get("etag"), entry.get("last_modified"))


def fetcher_for(sources: list[Source], *, allow_private: bool = False, timeout: float | None = None,
                delay_seconds: float | None = None) -> Fetcher:
    """One fetcher for the crawl; each host waits its own sources' delay (the longest, when several share it)."""
    hosts = set().union(*(s.hosts() for s in sources)) if sources else set()
    delay = min((s.delay_seconds for s in sources), default=5.0) if delay_seconds is None else delay_seconds
    host_delays: dict[str, float] = {}
    if delay_seconds is None:
        for source in sources:
            for host in source.hosts():
                host_delays[host] = max(host_delays.get(host, 0.0), source.delay_seconds)
    kwargs = {"timeout": timeout} if timeout else {}
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
    """
    summary = CrawlSummary()
    links: dict[str, None] = {}
    for url in source.listing_urls():
        try:
            links.update(dict.fromkeys(fetch_links(url)))
        except FetchError as exc:
            summary.failed.append((url, exc.reason))
    for url in links:
        if is_catalogued(db, url):
            summary.unchanged.append(url)
            continue
        try:
            response = fetch_page(url)
        except FetchError as exc:
            record_fetch(db, url, source.name, "article", "failed", reason=exc.reason)
            summary.failed.append((url, exc.reason))
            continue
        add_result(summary, store(url, response))
    return summary


def crawl(db: sqlite_utils.Database, fetcher: Fetcher, raw: RawStore, source: Source) -> CrawlSummary:
    """A source crawled with the plain functions (no retries)."""
    return crawl_source(db, source, lambda url: fetch_listing(db, fetcher, raw, source, url),
                        lambda url: fetch_article(fetcher, db, url),
                        lambda url, response: store_article(db, raw, source, url, response))


def crawl_all(db_path: str | Path, fetcher: Fetcher, raw: RawStore, sources: list[Source]) -> CrawlSummary:
    """Every source with the plain functions, hosts at once; each thread writes through its own connection."""
    def crawl_group(group: list[Source]) -> CrawlSummary:
        db = connect(db_path)
        summary = CrawlSummary()
        for source in group:
            summary.merge(crawl(db, fetcher, raw, source))
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
