"""The crawl against a local site on 127.0.0.1: plain functions, then the Prefect flow twice."""
from __future__ import annotations

import pytest

from conftest import CORPUS
from localsite import LocalSite
from pipeline.crawl import discover_links, load_sources
from pipeline.fetch import Fetcher, FetchError


def test_shipped_sources_parse():
    sources = load_sources(CORPUS / "sources.toml")
    assert len(sources) >= 4
    for s in sources:
        assert s.owner and s.listing_urls() and s.hosts() and s.delay_seconds >= 1


def test_discover_links_absolute_unique_and_matching():
    html = b"<a href='/news/a.html#x'>a</a><a href='/news/a.html'>a</a><a href='http://other/news/b.html'>b</a>"
    assert discover_links(html, "http://127.0.0.1:1/list", r"http://127\.0\.0\.1:1/news/.+") == ["http://127.0.0.1:1/news/a.html"]


def test_fetcher_refuses_other_hosts_private_addresses_redirects_and_huge_pages():
    with LocalSite() as site:
        local = Fetcher(allowed_hosts={"127.0.0.1"}, delay_seconds=0, allow_private=True, timeout=1)
        with pytest.raises(FetchError, match="not a configured source"):
            local.fetch(f"{site.base}/news/redirect.html")  # 302 to elsewhere.example
        with pytest.raises(FetchError, match="more than 5 redirects"):
            local.fetch(f"{site.base}/news/loop")
        with pytest.raises(FetchError, match="cap"):
            local.fetch(f"{site.base}/news/huge.html")
        with pytest.raises(FetchError, match="robots"):
            local.fetch(f"{site.base}/private/secret.html")
        with pytest.raises(FetchError, match="timed out") as slow:
            local.fetch(f"{site.base}/news/slow.html")
        assert slow.value.retryable
        with pytest.raises(FetchError, match="HTTP 404") as missing:
            local.fetch(f"{site.base}/news/missing.html")
        assert not missing.value.retryable
        production = Fetcher(allowed_hosts={"localhost"}, delay_seconds=0, timeout=1)
        with pytest.raises(FetchError, match="private address"):
            production.fetch(f"http://localhost:{site.port}/news/hanoi.html")
        with pytest.raises(FetchError, match="scheme"):
            production.fetch("javascript:alert(1)")
        first = local.fetch(f"{site.base}/news/hanoi.html")
        again = local.fetch(f"{site.base}/news/hanoi.html", etag=first.etag)
        assert (first.status, again.status, again.content) == (200, 304, b"")


def test_crawl_flow_twice(tmp_path):
    from flows.crawl import crawl_flow
    from pipeline.catalogue import connect

    db_path = str(tmp_path / "c.db")
    with LocalSite() as site:
        sources = site.sources_toml(tmp_path / "sources.toml")
        kwargs = dict(db_path=db_path, sources_path=str(sources), raw_root=str(tmp_path / "raw"),
                      allow_private=True, timeout=1.0, delay_seconds=0.0, retry_delays=[0, 0])
        first = crawl_flow(**kwargs)
        base = site.base
        assert sorted(first["new"]) == sorted(f"{base}/news/{n}.html" for n in ("hanoi", "q6", "kontum", "flaky"))
        assert first["duplicates"] == [f"{base}/news/q6-copy.html"]
        failed = dict(first["failed"])
        assert "HTTP 404" in failed[f"{base}/news/missing.html"]
        assert "timed out" in failed[f"{base}/news/slow.html"]
        assert "robots.txt" in failed[f"{base}/private/secret.html"]
        assert site.site.requests["/news/flaky.html"] == 2  # a 500, then success on retry
        assert site.site.requests["/news/slow.html"] == 3  # the timeout was retried twice
        db = connect(db_path)
        assert db["documents"].count == 4
        q6 = db.execute("SELECT id FROM documents WHERE url = ?", [f"{base}/news/q6.html"]).fetchone()[0]
        units = {r[0] for r in db.execute("SELECT u.canonical FROM mentions m JOIN units u ON u.id = m.entity_id "
                                          "WHERE m.document_id = ? AND m.entity = 'unit'", [q6])}
        assert "Ủy ban nhân dân Quận 6" in units  # "Ủy ban nhân dân quận" resolved by the source's home
        text = db.execute("SELECT text FROM documents WHERE id = ?", [q6]).fetchone()[0]
        assert "Skip Ribbon Commands" not in text and "Số lượt người xem" not in text and "1119/UBND-NV" in text

        hanoi_gets = site.site.requests["/news/hanoi.html"]
        second = crawl_flow(**kwargs)
        assert second["new"] == [] and second["duplicates"] == []
        assert db["documents"].count == 4
        assert site.site.requests["/news/hanoi.html"] == hanoi_gets  # catalogued URLs are not fetched again
        listing_statuses = [s for p, s in site.site.statuses if p.startswith("/list")]
        assert listing_statuses[-2:] == [304, 304]  # ETags: the listing pages did not change


def test_hosts_are_crawled_at_once_each_at_its_own_pace(tmp_path):
    """Two hosts (two loopback addresses): their requests interleave, and neither is hit faster than its delay."""
    from pipeline.catalogue import connect
    from pipeline.crawl import by_host, crawl_all, fetcher_for, load_sources
    from pipeline.rawstore import RawStore

    delay = 0.25
    with LocalSite("127.0.0.1") as a, LocalSite("127.0.0.2") as b:
        toml = tmp_path / "sources.toml"
        toml.write_text(a.source_entry("a", delay) + b.source_entry("b", delay), encoding="utf-8")
        sources = load_sources(toml)
        assert len(by_host(sources)) == 2
        fetcher = fetcher_for(sources, allow_private=True, timeout=1.0)
        assert fetcher.host_delays == {"127.0.0.1": delay, "127.0.0.2": delay}
        summary = crawl_all(tmp_path / "c.db", fetcher, RawStore(tmp_path / "raw"), sources)
        fetcher.close()
        for site in (a, b):
            times = [t for _, t in site.site.times]
            assert len(times) >= 10
            gaps = [later - earlier for earlier, later in zip(times, times[1:])]
            assert min(gaps) >= delay - 0.05, gaps  # the host's own delay, kept across threads
        a_times, b_times = [t for _, t in a.site.times], [t for _, t in b.site.times]
        assert b_times[0] < a_times[-1] and a_times[0] < b_times[-1]  # at the same time, not one after the other
    # hanoi, q6 (and its copy), kontum on each host, the same bytes on both: one document each. The
    # plain functions do not retry, so each host's flaky page fails on its first 500.
    assert connect(tmp_path / "c.db")["documents"].count == 3
    assert len(summary.new) + len(summary.duplicates) == 8, (summary.unchanged, summary.failed)
    assert sum("server error 500" in reason for _, reason in summary.failed) == 2
