"""Scheduled crawl of government news sites (corpus/sources.toml)."""
from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact

from pipeline.catalogue import connect
from pipeline.crawl import (CrawlSummary, Source, by_host, crawl_concurrently, crawl_source, fetch_article,
                            fetch_listing, fetcher_for, load_sources, store_article)
from pipeline.fetch import Fetcher, FetchError
from pipeline.rawstore import RawStore

# Retries only on I/O that may recover: 5xx and timeouts (FetchError.retryable).
FETCH_RETRIES = 2
FETCH_RETRY_DELAYS = [2, 8]


def _retry_if_retryable(task, task_run, state) -> bool:
    try:
        state.result()
    except FetchError as exc:
        return exc.retryable
    except Exception:  # noqa: BLE001 - anything else is not worth retrying
        return False
    return False


@task(retries=FETCH_RETRIES, retry_delay_seconds=FETCH_RETRY_DELAYS, retry_condition_fn=_retry_if_retryable)
def fetch_listing_task(db_path: str, fetcher: Fetcher, raw_root: str, source: Source, url: str) -> list[str]:
    return fetch_listing(connect(db_path), fetcher, RawStore(raw_root), source, url)


@task(retries=FETCH_RETRIES, retry_delay_seconds=FETCH_RETRY_DELAYS, retry_condition_fn=_retry_if_retryable)
def fetch_article_task(db_path: str, fetcher: Fetcher, url: str):
    return fetch_article(fetcher, connect(db_path), url)


@task
def store_article_task(db_path: str, raw_root: str, source: Source, url: str, response):
    return store_article(connect(db_path), RawStore(raw_root), source, url, response)


@flow(name="cchc-crawl")
def crawl_flow(db_path: str = "output/catalogue.db", sources_path: str = "corpus/sources.toml",
               raw_root: str = "output/raw", allow_private: bool = False, timeout: float | None = None,
               delay_seconds: float | None = None, retry_delays: list[float] | None = None) -> dict:
    """Walk every source's listing pages, fetch new articles, keep them raw, extract and catalogue.

    Hosts are crawled at the same time, each at its own pace (delay, robots.txt); one host's
    sources in turn."""
    logger = get_run_logger()
    sources = load_sources(sources_path)
    fetcher = fetcher_for(sources, allow_private=allow_private, timeout=timeout, delay_seconds=delay_seconds)
    listing, article = fetch_listing_task, fetch_article_task
    if retry_delays is not None:
        listing = fetch_listing_task.with_options(retry_delay_seconds=retry_delays)
        article = fetch_article_task.with_options(retry_delay_seconds=retry_delays)

    def crawl_group(group: list[Source]) -> CrawlSummary:
        db = connect(db_path)  # one connection per thread
        summary = CrawlSummary()
        for source in group:
            summary.merge(crawl_source(
                db, source,
                lambda url, source=source: listing(db_path, fetcher, raw_root, source, url),
                lambda url: article(db_path, fetcher, url),
                lambda url, response, source=source: store_article_task(db_path, raw_root, source, url, response)))
        return summary

    try:
        summary = crawl_concurrently(by_host(sources), crawl_group)
    finally:
        fetcher.close()
    text = summary.as_text()
    logger.warning("crawl: %s", text)
    create_markdown_artifact(key="crawl-summary", markdown=f"# Crawl summary\n\n```\n{text}\n```",
                             description="new, unchanged, duplicate and failed pages of this run")
    return {"new": summary.new, "unchanged": summary.unchanged, "duplicates": summary.duplicates,
            "failed": summary.failed}
