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
