"""Scheduled crawl of government news sites (corpus/sources.toml)."""
from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from pipeline.catalogue import connect
from pipeline.crawl import (CrawlSummary, Source, by_host, crawl_concurrently, crawl_source, fetch_article,
                            fetch_listing, fetcher_for, load_sources, store_article)
from pipeline.fetch import Fetcher, FetchError
from pipeline.guard import Guard
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


def _retried(call):
    """Run a fetch in a task: a retryable failure is raised while retries remain (Prefect retries it);
    the final failure, or one not worth retrying, is returned as a value, so an expected outcome (a
    404, robots.txt, a timeout after its retries) is recorded by the crawl, not logged as a crash."""
    from prefect.context import TaskRunContext

    try:
        return call()
    except FetchError as exc:
        context = TaskRunContext.get()
        retries_left = context is not None and context.task_run.run_count <= context.task.retries
        if exc.retryable and retries_left:
            raise
        return exc


def _value(result):
    """A fetch task's result, its FetchError raised in the flow (where the crawl records it)."""
    if isinstance(result, FetchError):
        raise result
    return result


# NO_CACHE on every task: results are never reused across runs (the catalogue and the fetch cache are
# the memory), and Prefect does not try to hash arguments such as the Fetcher (its HTTP client cannot
# be hashed: "Error encountered when computing cache key" with a traceback on every task).
@task(retries=FETCH_RETRIES, retry_delay_seconds=FETCH_RETRY_DELAYS, retry_condition_fn=_retry_if_retryable,
      cache_policy=NO_CACHE)
def fetch_listing_task(db_path: str, fetcher: Fetcher, raw_root: str, source: Source, url: str):
    return _retried(lambda: fetch_listing(connect(db_path), fetcher, RawStore(raw_root), source, url))


@task(retries=FETCH_RETRIES, retry_delay_seconds=FETCH_RETRY_DELAYS, retry_condition_fn=_retry_if_retryable,
      cache_policy=NO_CACHE)
def fetch_article_task(db_path: str, fetcher: Fetcher, url: str):
    return _retried(lambda: fetch_article(fetcher, connect(db_path), url))


@task(cache_policy=NO_CACHE)
def store_article_task(db_path: str, raw_root: str, source: Source, url: str, response, guard: Guard):
    return store_article(connect(db_path), RawStore(raw_root), source, url, response, guard)


@flow(name="cchc-crawl")
def crawl_flow(db_path: str = "output/catalogue.db", sources_path: str = "corpus/sources.toml",
               raw_root: str = "output/raw", allow_private: bool = False, timeout: float | None = None,
               delay_seconds: float | None = None, retry_delays: list[float] | None = None,
               deadline: float | None = None) -> dict:
    """Walk every source's listing pages, fetch new articles, keep them raw, extract and catalogue.

    Hosts are crawled at the same time, each at its own pace (delay, robots.txt); one host's
    sources in turn."""
    logger = get_run_logger()
    sources = load_sources(sources_path)
    fetcher = fetcher_for(sources, allow_private=allow_private, timeout=timeout, delay_seconds=delay_seconds,
                          deadline=deadline)
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
                lambda url, source=source: _value(listing(db_path, fetcher, raw_root, source, url)),
                lambda url: _value(article(db_path, fetcher, url)),
                lambda url, response, source=source: store_article_task(db_path, raw_root, source, url, response,
                                                                        guard)))
        return summary

    try:
        with Guard(1) as guard:  # one extraction worker for the whole crawl
            summary = crawl_concurrently(by_host(sources), crawl_group)
    finally:
        fetcher.close()
    text = summary.as_text()
    logger.warning("crawl: %s", text)
    create_markdown_artifact(key="crawl-summary", markdown=f"# Crawl summary\n\n```\n{text}\n```",
                             description="new, unchanged, duplicate and failed pages of this run")
    return {"new": summary.new, "unchanged": summary.unchanged, "duplicates": summary.duplicates,
            "failed": summary.failed, "deferred": summary.deferred}
