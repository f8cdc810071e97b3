"""Hardening: one bad file never stops a run, no network in extraction, linear-time readers, no file
from outside the inbox, read-only catalogues. The attack table is re-run by scripts/attack.py."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CCHC, CORPUS, ROOT, run_cchc
from extractors.errors import ReadError
from extractors.reader import read_bytes


# --- no network in extraction ----------------------------------------------------------------------

def test_html_extraction_makes_no_network_request():
    """htmldate downloads a string that starts with "http" and has no space: a page whose text starts
    with a URL made extraction fetch it (loopback included). A held listening socket records every
    connection (and closes it at once, so a regression fails fast instead of waiting on a reply)."""
    import threading

    arrived: list[tuple] = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)

        def accept() -> None:
            while True:
                try:
                    conn, peer = listener.accept()
                except OSError:
                    return  # the listener was shut down
                arrived.append(peer)
                conn.close()

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/tin-bai"
        page = (f"{url}<html><head><title>Kế&#32;hoạch&#32;cải&#32;cách&#32;hành&#32;chính</title>"
                "<meta&#32;name='date'&#32;content='2020-05-06'></head><body><div><p>Ủy&#32;ban&#32;nhân&#32;dân"
                "&#32;Quận&#32;6&#32;ban&#32;hành&#32;Kế&#32;hoạch&#32;số&#32;12/KH-UBND.</p><span>x</span></div>"
                "</body></html>")
        assert " " not in page  # the shape htmldate takes for a URL
        doc = read_bytes(page.encode("utf-8"), "starts-with-a-url.html")
        assert doc.format == "html" and "12/KH-UBND" in doc.text
        listener.shutdown(socket.SHUT_RDWR)
        thread.join()
    assert arrived == []  # a fetch is synchronous: had it been made, it would be recorded by now


# --- legacy fonts ---------------------------------------------------------------------------------

def to_tcvn3(text: str) -> tuple[bytes, str]:
    """A real text as a .VnTime (TCVN3) file's bytes, with the table the reader uses, and the text
    those bytes stand for: TCVN3 has no upper-case toned letters (typists used the capitals font
    .VnTimeH, on the same bytes), so those are lower case; typographic quotes and dashes are ASCII."""
    import json
    import unicodedata

    table = json.loads((ROOT / "extractors" / "data" / "tcvn3.json").read_text(encoding="utf-8"))["map"]
    inverse = {v: k for k, v in table.items()}
    out, meant = [], []
    for ch in unicodedata.normalize("NFC", text.translate(str.maketrans({"“": "\"", "”": "\"", "–": "-", "…": "..."}))):
        if ch not in inverse and ch.lower() in inverse:
            ch = ch.lower()
        out.append(inverse.get(ch, ch))
        meant.append(ch)
    return "".join(out).encode("latin-1"), "".join(meant)


@pytest.mark.parametrize("name", ["real/kon-tum-435-qd-ubnd-2020.txt", "dev/hanoi-dang-ky-sang-kien-2021.txt"])
def test_tcvn3_text_keeps_every_u_horn_and_its_deadlines(name):
    """In TCVN3 the byte 0xAD is "ư"; it was stripped as a soft hyphen before the repair, so "trước"
    became "trớc" and the deadlines it introduces vanished."""
    from nlp.extract import extract

    data, meant = to_tcvn3((CORPUS / name).read_text(encoding="utf-8"))
    assert data.count(b"\xad") > 20  # the byte that is "ư"
    legacy = read_bytes(data, "vntime.txt")
    unicode = read_bytes(meant.encode("utf-8"), "unicode.txt")
    assert "converted from legacy TCVN3 font encoding" in legacy.warnings
    assert legacy.text == unicode.text
    assert legacy.text.count("ư") == unicode.text.count("ư") > 20 and "trước" in legacy.text
    deadlines = [s.value for s in extract(legacy).spans["deadlines"]]
    assert deadlines and deadlines == [s.value for s in extract(unicode).spans["deadlines"]]


# --- the crawl ------------------------------------------------------------------------------------

def _heavy_article() -> bytes:
    """A real article's text repeated into a page of a few MB: field extraction takes seconds on it."""
    from localsite import article_page

    text = (CORPUS / "dev" / "hanoi-dang-ky-sang-kien-2021.txt").read_text(encoding="utf-8")
    big = Path(os.environ.get("TMPDIR", "/tmp")) / f"heavy-{os.getpid()}.txt"
    big.write_text(text + "\n" + "\n".join([text.split("\n", 1)[1]] * 300), encoding="utf-8")
    try:
        return article_page(big)
    finally:
        big.unlink()


def test_crawl_records_a_page_that_stops_extraction_and_goes_on(tmp_path, monkeypatch):
    """A page whose extraction does not end in time is stopped by the guard, recorded against its URL
    with back-off, and the pages after it are fetched; the next crawl does not try it again yet."""
    from localsite import LocalSite
    from pipeline import settings
    from pipeline.catalogue import connect
    from pipeline.crawl import crawl, fetcher_for, load_sources
    from pipeline.rawstore import RawStore

    monkeypatch.setattr(settings, "DOCUMENT_TIME_LIMIT_SECONDS", 1.0)
    db = connect(tmp_path / "c.db")
    with LocalSite() as site:
        site.site.pages["/news/heavy.html"] = _heavy_article()
        site.site.listings = {"1": ["/news/heavy.html", "/news/hanoi.html"], "2": ["/news/q6.html"]}
        (source,) = load_sources(site.sources_toml(tmp_path / "sources.toml"))
        fetcher = fetcher_for([source], allow_private=True, timeout=5, delay_seconds=0)
        first = crawl(db, fetcher, RawStore(tmp_path / "raw"), source)
        heavy = f"{site.base}/news/heavy.html"
        assert sorted(first.new) == [f"{site.base}/news/hanoi.html", f"{site.base}/news/q6.html"]
        assert [url for url, _ in first.failed] == [heavy]
        assert "took longer than the 1 s allowed per document" in dict(first.failed)[heavy]
        status, attempts, retry_after = db.execute("SELECT status, attempts, retry_after FROM fetches WHERE url = ?",
                                                   [heavy]).fetchone()
        assert status == "failed" and attempts == 1 and retry_after
        assert db.execute("SELECT code FROM failures WHERE path = ?", [heavy]).fetchone()[0] == "timeout"
        second = crawl(db, fetcher, RawStore(tmp_path / "raw"), source)
        assert [url for url, _ in second.deferred] == [heavy] and second.failed == []
        assert site.site.requests["/news/heavy.html"] == 1  # waits for its back-off, not fetched again


def test_robots_txt_answering_5xx_closes_the_site():
    """RFC 9309: robots.txt unreachable (5xx) means complete disallow; 4xx means no rules."""
    from localsite import LocalSite
    from pipeline.fetch import Fetcher, FetchError

    with LocalSite() as site:
        site.site.robots = (503, b"Service Unavailable")
        fetcher = Fetcher(allowed_hosts={"127.0.0.1"}, delay_seconds=0, allow_private=True, timeout=2)
        with pytest.raises(FetchError, match="robots.txt answered 503") as refused:
            fetcher.fetch(f"{site.base}/news/hanoi.html")
        assert not refused.value.retryable
        assert site.site.requests["/news/hanoi.html"] == 0
        site.site.robots = (404, b"Not Found")
        assert Fetcher(allowed_hosts={"127.0.0.1"}, delay_seconds=0, allow_private=True,
                       timeout=2).fetch(f"{site.base}/news/hanoi.html").status == 200


def test_a_png_is_refused_not_read_as_text(tmp_path):
    """A PNG (here served as image/png) was read as UTF-16 text: now refused by its type and its bytes."""
    import zlib

    from localsite import LocalSite
    from pipeline.catalogue import connect
    from pipeline.crawl import crawl, fetcher_for, load_sources
    from pipeline.rawstore import RawStore

    raw_rows = b"".join(b"\x00" + bytes(range(0, 256, 4)) * 3 for _ in range(64))
    chunk = lambda kind, body: (len(body).to_bytes(4, "big") + kind + body
                                + zlib.crc32(kind + body).to_bytes(4, "big"))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", (64).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00")
           + chunk(b"IDAT", zlib.compress(raw_rows)) + chunk(b"IEND", b""))
    with pytest.raises(ReadError, match="a PNG image, not a document") as refused:
        read_bytes(png, "tin-bai.txt")
    assert refused.value.code == "unknown-format"
    db = connect(tmp_path / "c.db")
    with LocalSite() as site:
        site.site.pages["/news/chart.html"] = png
        site.site.types["/news/chart.html"] = "image/png"
        site.site.listings = {"1": ["/news/chart.html"], "2": []}
        (source,) = load_sources(site.sources_toml(tmp_path / "sources.toml"))
        summary = crawl(db, fetcher_for([source], allow_private=True, timeout=2, delay_seconds=0),
                        RawStore(tmp_path / "raw"), source)
    assert summary.new == [] and "not a document: the server sent image/png" in dict(summary.failed)[f"{site.base}/news/chart.html"]
    assert db["documents"].count == 0


@pytest.mark.parametrize("page", ["drip.html", "drip-headers.html"])
def test_a_dripping_server_is_cut_off_at_the_deadline(page):
    """A reply dripped a byte at a time never trips the read timeout; the overall deadline cuts it."""
    from localsite import LocalSite
    from pipeline.fetch import Fetcher, FetchError

    with LocalSite() as site:
        fetcher = Fetcher(allowed_hosts={"127.0.0.1"}, delay_seconds=0, allow_private=True, timeout=2, deadline=3)
        started = time.monotonic()
        with pytest.raises(FetchError, match="no complete reply within 3 s") as cut:
            fetcher.fetch(f"{site.base}/news/{page}")
        assert time.monotonic() - started < 10 and cut.value.retryable
        assert fetcher.fetch(f"{site.base}/news/hanoi.html").status == 200  # the fetcher goes on


# --- queries --------------------------------------------------------------------------------------

def test_like_wildcards_in_a_unit_name_match_themselves(db):
    """`--unit '%'` matched every unit and every deadline: user text is a name, never a pattern."""
    from pipeline import query
    from pipeline.ingest import ingest_path

    for name in ("dev/hanoi-dang-ky-sang-kien-2021.txt", "dev/q6-nhan-rong-sang-kien-2020.txt"):
        assert ingest_path(db, CORPUS / name).status == "new"
    assert query.deadlines(db) and query.units(db)
    for pattern in ("%", "_", "%%", "Sở%", "\\"):
        assert query.unit_ids(db, pattern) == []
        assert query.deadlines(db, unit=pattern) == []
        assert query.directives(db, issuer=pattern) == []
    assert query.deadlines(db, unit="các cơ quan, đơn vị")  # a name as written still matches
