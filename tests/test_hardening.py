"""Hardening: one bad file never stops a run, no network in extraction, linear-time readers, no file
from outside the inbox, read-only catalogues. The attack table is re-run by scripts/attack.py."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CCHC, CORPUS, ROOT, run_cchc
from procs import children, cpu_seconds
from extractors.errors import ReadError
from extractors.reader import read_bytes


# --- no network in extraction ----------------------------------------------------------------------

def test_html_extraction_makes_no_network_request():
    """htmldate downloads a string that starts with "http" and has no space: a page whose text starts
    with a URL made extraction fetch it (loopback included). A held listening socket records every
    connection (and closes it at once, so a regression fails fast instead of waiting on a reply)."""
    from localsite import ConnectionRecorder

    with ConnectionRecorder() as recorder:
        url = f"http://127.0.0.1:{recorder.port}/tin-bai"
        page = (f"{url}<html><head><title>Kế&#32;hoạch&#32;cải&#32;cách&#32;hành&#32;chính</title>"
                "<meta&#32;name='date'&#32;content='2020-05-06'></head><body><div><p>Ủy&#32;ban&#32;nhân&#32;dân"
                "&#32;Quận&#32;6&#32;ban&#32;hành&#32;Kế&#32;hoạch&#32;số&#32;12/KH-UBND.</p><span>x</span></div>"
                "</body></html>")
        assert " " not in page  # the shape htmldate takes for a URL
        doc = read_bytes(page.encode("utf-8"), "starts-with-a-url.html")
        assert doc.format == "html" and "12/KH-UBND" in doc.text
    assert recorder.arrived == []  # a fetch is synchronous: had it been made, it would be recorded by now


# --- legacy fonts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["real/kon-tum-435-qd-ubnd-2020.txt", "dev/hanoi-dang-ky-sang-kien-2021.txt"])
def test_tcvn3_text_keeps_every_u_horn_and_its_deadlines(name):
    """In TCVN3 the byte 0xAD is "ư"; it was stripped as a soft hyphen before the repair, so "trước"
    became "trớc" and the deadlines it introduces vanished."""
    from mutations import to_tcvn3
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


def test_an_image_is_never_read_as_text(tmp_path):
    """A PNG (here served as image/png) was read as UTF-16 text. Now its bytes say what it is: a PNG
    goes to OCR (this one holds no text), a GIF is refused; a type the server declares that is no
    document (image/gif) is refused before it is stored."""
    import zlib

    from extractors.reader import detect_format
    from localsite import LocalSite
    from pipeline.catalogue import connect
    from pipeline.crawl import crawl, fetcher_for, load_sources
    from pipeline.rawstore import RawStore

    raw_rows = b"".join(b"\x00" + bytes(range(0, 256, 4)) * 3 for _ in range(64))
    chunk = lambda kind, body: (len(body).to_bytes(4, "big") + kind + body
                                + zlib.crc32(kind + body).to_bytes(4, "big"))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", (64).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00")
           + chunk(b"IDAT", zlib.compress(raw_rows)) + chunk(b"IEND", b""))
    gif = b"GIF89a" + bytes(range(256)) * 8
    assert detect_format(png, "tin-bai.txt") == "png"
    with pytest.raises(ReadError, match="image with no readable text"):
        read_bytes(png, "tin-bai.txt")
    with pytest.raises(ReadError, match="a GIF image, not a document") as refused:
        read_bytes(gif, "tin-bai.txt")
    assert refused.value.code == "unknown-format"
    db = connect(tmp_path / "c.db")
    with LocalSite() as site:
        for name, body, kind in (("chart", png, "image/png"), ("anim", gif, "image/gif"), ("anim2", gif, "text/html")):
            site.site.pages[f"/news/{name}.html"] = body
            site.site.types[f"/news/{name}.html"] = kind
        site.site.listings = {"1": ["/news/chart.html", "/news/anim.html", "/news/anim2.html"], "2": []}
        (source,) = load_sources(site.sources_toml(tmp_path / "sources.toml"))
        summary = crawl(db, fetcher_for([source], allow_private=True, timeout=2, delay_seconds=0),
                        RawStore(tmp_path / "raw"), source)
    failed = {url.rsplit("/", 1)[1]: reason for url, reason in summary.failed}
    assert summary.new == [] and db["documents"].count == 0
    assert "image with no readable text" in failed["chart.html"]
    assert failed["anim.html"] == "not a document: the server sent image/gif"
    assert "a GIF image, not a document" in failed["anim2.html"]


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


# --- the per-document guard -------------------------------------------------------------------------

def _heavy_text() -> bytes:
    """A real text whose body is repeated 300 times (~1 MB): field extraction takes seconds on it."""
    text = (CORPUS / "dev" / "hanoi-dang-ky-sang-kien-2021.txt").read_text(encoding="utf-8")
    return (text + "\n" + "\n".join([text.split("\n", 1)[1]] * 300)).encode("utf-8")


def test_guard_stops_a_document_at_its_time_limit_and_goes_on():
    from pipeline.guard import Guard, Job

    small = (CORPUS / "dev" / "q6-nhan-rong-sang-kien-2020.txt").read_bytes()
    with Guard(1, time_limit=1.0) as guard:
        started = time.monotonic()
        outcomes = list(guard.run([Job("heavy.txt", data=_heavy_text()), Job("q6.txt", data=small)]))
    assert [o.name for o in outcomes] == ["heavy.txt", "q6.txt"]  # in the order given
    assert outcomes[0].error.code == "timeout" and "1 s allowed per document" in outcomes[0].error.reason
    assert outcomes[1].error is None and outcomes[1].extraction.spans["units"]
    assert time.monotonic() - started < 30


def test_guard_stops_a_document_at_its_memory_limit_and_goes_on():
    from pipeline.guard import Guard, Job

    page = b"<html><body>" + "<p>Tin tức</p>".encode() * 1_000_000 + b"</body></html>"  # 16 MB of elements
    small = (CORPUS / "dev" / "q6-nhan-rong-sang-kien-2020.txt").read_bytes()
    with Guard(1, memory_limit=60 * 2**20) as guard:
        big, after = guard.run([Job("big.html", data=page), Job("q6.txt", data=small)])
    assert big.extraction is None and big.error.code in ("too-large", "out-of-memory")
    assert "memory" in big.error.reason
    assert after.error is None


def test_workers_share_what_extraction_loads_instead_of_loading_it_under_their_limit():
    """A fresh process forks its first worker after loading the vocabularies and models (``warm_up``):
    a small text extracts under a 40 MB limit. A cold worker spent ~100 MB loading them itself and
    failed out of memory."""
    script = ("from pathlib import Path; from pipeline.guard import Guard, Job\n"
              f"data = Path({str(CORPUS / 'dev' / 'q6-nhan-rong-sang-kien-2020.txt')!r}).read_bytes()\n"
              "with Guard(1, memory_limit=40 * 2**20) as guard:\n"
              "    outcome = guard.one(Job('q6.txt', data=data))\n"
              "print(outcome.error.code if outcome.error else len(outcome.extraction.spans['units']))")
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().isdigit() and int(proc.stdout) > 0, proc.stdout


def test_a_killed_extraction_worker_is_one_failure_and_the_batch_goes_on(tmp_path, monkeypatch):
    """kill -9 of a worker (the OOM killer's way) ended the batch with BrokenProcessPool."""
    monkeypatch.setenv("CCHC_LANG", "en")  # the messages below are read in English
    files = tmp_path / "files"
    files.mkdir()
    (files / "a-heavy.txt").write_bytes(_heavy_text())
    for name in ("hanoi-dang-ky-sang-kien-2021.txt", "q6-nhan-rong-sang-kien-2020.txt"):
        (files / name).write_bytes((CORPUS / "dev" / name).read_bytes())
    db = tmp_path / "c.db"
    proc = subprocess.Popen([*CCHC, "ingest", str(files), "--db", str(db), "--workers", "1"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:  # poll until the worker is busy on a-heavy.txt
        workers = [w for w in children(proc.pid) if cpu_seconds(w) >= 0.5]
        if workers:
            break
    assert workers, "no extraction worker got to work"
    os.kill(workers[0], 9)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1 and "3 files: 1 failed, 2 new" in out and "Traceback" not in err
    from pipeline.catalogue import connect

    (code, reason), = connect(db).execute("SELECT code, reason FROM failures").fetchall()
    assert code == "worker-died" and "SIGKILL" in reason



# --- the inbox ------------------------------------------------------------------------------------

OLD = time.time() - 3600


def test_inbox_refuses_links_fifos_and_leaves_hidden_and_lock_files(tmp_path):
    """A link to /etc/shadow was "processed" and its content made searchable; a FIFO hung the pass;
    lock files were catalogued."""
    from pipeline.catalogue import connect
    from pipeline.inbox import process_inbox
    from pipeline.rawstore import RawStore

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    real = (CORPUS / "dev" / "hanoi-dang-ky-sang-kien-2021.txt").read_bytes()
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu bí mật 12/KH-BIMAT của Sở Nội vụ\n" * 20, encoding="utf-8")
    (inbox / "shadow.txt").symlink_to("/etc/shadow")
    (inbox / "environ.txt").symlink_to("/proc/self/environ")
    (inbox / "secret.txt").symlink_to(secret)
    os.mkfifo(inbox / "pipe.txt")
    for name in (".~lock.ke-hoach.docx#", "~$ke-hoach.docx", ".an.txt", "ke-hoach.docx~", "tai-ve.txt.part"):
        (inbox / name).write_bytes(real)
    (inbox / "ke-hoach.txt").write_bytes(real)
    for entry in inbox.iterdir():
        os.utime(entry, (OLD, OLD), follow_symlinks=False)
    db = connect(tmp_path / "c.db")
    outcomes = {o.name: o for o in process_inbox(db, RawStore(tmp_path / "raw"), inbox, settle_seconds=60)}
    assert set(outcomes) == {"shadow.txt", "environ.txt", "secret.txt", "pipe.txt", "ke-hoach.txt"}
    assert outcomes["ke-hoach.txt"].outcome == "processed"
    for name, kind in (("shadow.txt", "symbolic link"), ("environ.txt", "symbolic link"),
                       ("secret.txt", "symbolic link"), ("pipe.txt", "named pipe (FIFO)")):
        assert outcomes[name].outcome == "failed" and outcomes[name].reason == f"is a {kind}, not a file; not read"
        moved = inbox / "failed" / name
        assert moved.is_symlink() or name == "pipe.txt"  # the entry itself moved, never what it points to
    assert db["documents"].count == 1
    assert db.execute("SELECT COUNT(*) FROM documents WHERE text LIKE '%BIMAT%' OR text LIKE '%PATH=%'").fetchone()[0] == 0
    assert secret.exists()
    left = sorted(p.name for p in inbox.iterdir() if p.is_file())
    assert left == sorted([".~lock.ke-hoach.docx#", "~$ke-hoach.docx", ".an.txt", "ke-hoach.docx~", "tai-ve.txt.part"])


def test_inbox_waits_for_a_copy_that_pauses_longer_than_the_settle_time(tmp_path):
    """A copy that stalls (its file still open for writing) looks settled by its time; it was
    catalogued truncated. It is taken once the writer has closed it, whole."""
    from pipeline.catalogue import connect
    from pipeline.inbox import process_inbox
    from pipeline.rawstore import RawStore

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    whole = (CORPUS / "real" / "kon-tum-435-qd-ubnd-2020.txt").read_bytes()
    db, raw = connect(tmp_path / "c.db"), RawStore(tmp_path / "raw")
    target = inbox / "qd-435.txt"
    with open(target, "wb") as copier:
        copier.write(whole[: len(whole) // 2])
        copier.flush()
        os.utime(target, (OLD, OLD))  # the pause: nothing written for an hour
        assert process_inbox(db, raw, inbox, settle_seconds=60) == []
        assert target.exists() and db["documents"].count == 0
        copier.write(whole[len(whole) // 2:])
    os.utime(target, (OLD, OLD))
    (outcome,) = process_inbox(db, raw, inbox, settle_seconds=60)
    assert outcome.outcome == "processed"
    import hashlib

    assert db.execute("SELECT sha256 FROM documents").fetchone()[0] == hashlib.sha256(whole).hexdigest()


def test_ingest_refuses_a_fifo_and_a_device_at_once(tmp_path, monkeypatch):
    """A FIFO or a device named to `cchc ingest` blocked it forever."""
    monkeypatch.setenv("CCHC_LANG", "en")  # the messages below are read in English
    fifo = tmp_path / "tin.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    proc = run_cchc("ingest", str(fifo), "/dev/zero", str(CORPUS / "dev" / "q6-nhan-rong-sang-kien-2020.txt"),
                    "--db", str(tmp_path / "c.db"), "--raw", str(tmp_path / "raw"))
    assert time.monotonic() - started < 120
    assert proc.returncode == 1 and "3 files: 2 failed, 1 new" in proc.stdout and "Traceback" not in proc.stderr
    assert f"{fifo}: is a named pipe (FIFO), not a file" in proc.stderr
    assert "/dev/zero: is a device, not a file" in proc.stderr


def test_a_large_file_is_refused_before_it_is_read(tmp_path):
    """A 3 GB file was read whole into memory (for its hash) before the size cap refused it."""
    big = tmp_path / "big.pdf"
    with open(big, "wb") as f:
        f.truncate(3 * 2**30)  # sparse: 3 GB on paper, nothing on disk
    code = ("import resource, sys; from cchc.cli import main; sys.argv = ['cchc', 'ingest', %r, '--db', %r];\n"
            "try:\n    main()\nexcept SystemExit as e:\n"
            "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr); raise")
    proc = subprocess.run([sys.executable, "-c", code % (str(big), str(tmp_path / "c.db"))], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "over the 100 MB cap" in proc.stderr
    peak_mb = int(proc.stderr.strip().splitlines()[-1])
    assert peak_mb < 500, peak_mb


# --- read-only catalogues and concurrent writers -------------------------------------------------------

def _as_unprivileged(args: list[str]) -> list[str]:
    """Root writes a read-only file anyway: run as root without its capabilities, so permissions hold."""
    import shutil

    if os.geteuid() == 0:
        assert shutil.which("setpriv"), "setpriv (util-linux) drops root's capabilities for this test"
        return ["setpriv", "--bounding-set=-all", "--inh-caps=-all", *args]
    return args


def test_a_read_only_catalogue_is_read_and_a_write_is_one_line(tmp_path, monkeypatch):
    import hashlib

    monkeypatch.setenv("CCHC_LANG", "en")  # the messages below are read in English

    folder = tmp_path / "archive"
    folder.mkdir()
    db = folder / "catalogue.db"
    assert run_cchc("ingest", str(CORPUS / "dev"), "--db", str(db), "--raw", str(tmp_path / "raw")).returncode == 0
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    db.chmod(0o444)
    folder.chmod(0o555)  # no -wal or -shm file can be made beside it either
    try:
        reads = [["summary"], ["query", "units", "--limit", "3"], ["query", "deadlines", "--format", "json"],
                 ["show", "directive", "1980/SNV-CCHC"], ["export", "--format", "json", "--out", str(tmp_path / "x.json")],
                 ["review", "--db", str(db), "list", "--limit", "3"]]
        for args in reads:
            full = args if "review" in args else [*args, "--db", str(db)]
            proc = subprocess.run(_as_unprivileged([*CCHC, *full]), cwd=ROOT, capture_output=True, text=True)
            assert proc.returncode == 0 and "Traceback" not in proc.stderr, (args, proc.stderr)
        writes = [["ingest", str(CORPUS / "real" / "kon-tum-435-qd-ubnd-2020.txt"), "--db", str(db)],
                  ["review", "--db", str(db), "accept", "1"]]
        for args in writes:
            proc = subprocess.run(_as_unprivileged([*CCHC, *args]), cwd=ROOT, capture_output=True, text=True)
            assert proc.returncode == 1, (args, proc.stderr)
            assert proc.stderr.count("\n") == 1 and "read-only" in proc.stderr and "Traceback" not in proc.stderr
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_new_catalogue_opened_while_another_writer_creates_it(tmp_path):
    """Switching a new file to WAL fails at once ("database is locked", no busy wait) while another
    connection writes it: two crawl threads opening a new catalogue together crashed the crawl."""
    import sqlite3
    import threading

    from pipeline.catalogue import connect

    path = tmp_path / "c.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE being_made (x)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO being_made VALUES (1)")
    finishing = threading.Timer(0.5, lambda: other.execute("COMMIT"))  # the other writer finishes later
    finishing.start()
    db = connect(path)
    finishing.join()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal" and "documents" in db.table_names()


def test_a_file_ingested_by_two_runs_at_once_is_new_once(tmp_path):
    """Both runs checked "catalogued?" before either wrote, so both reported the same file new. While a
    third writer holds the lock, two runs start writing the same extraction; then the lock goes."""
    import threading

    from pipeline.catalogue import connect
    from pipeline.guard import Job, run_job
    from pipeline.ingest import write_outcome

    db_path = tmp_path / "c.db"
    holder = connect(db_path)
    outcome = run_job(Job("q6.txt", data=(CORPUS / "dev" / "q6-nhan-rong-sang-kien-2020.txt").read_bytes()))
    holder.execute("BEGIN IMMEDIATE")
    statuses: list[str] = []
    started = [threading.Event(), threading.Event()]

    def run(i: int) -> None:
        db = connect(db_path)
        started[i].set()
        statuses.append(write_outcome(db, outcome).status)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for event in started:
        event.wait()
    holder.execute("COMMIT")
    for t in threads:
        t.join()
    assert sorted(statuses) == ["new", "unchanged"]
    assert holder["documents"].count == 1


# --- LibreOffice ------------------------------------------------------------------------------------

@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """Temporary files of this test (and of the workers it starts) in a folder of its own, so that
    what other programs on the machine do in /tmp meanwhile does not count."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def _conversions(folder: Path) -> tuple[list[int], list[str]]:
    """Live LibreOffice processes whose files are under ``folder``, and what is left in ``folder``."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(folder).encode() in (entry / "cmdline").read_bytes():
                if (entry / "stat").read_text().split()[2] != "Z":
                    pids.append(int(entry.name))
        except OSError:
            continue
    return pids, sorted(p.name for p in folder.iterdir())


def _settled_conversions(folder: Path) -> tuple[list[int], list[str]]:
    """``_conversions()`` once killed processes have had their SIGKILL delivered (at most a few seconds)."""
    deadline = time.monotonic() + 10
    while _conversions(folder)[0] and time.monotonic() < deadline:
        pass  # a SIGKILLed process disappears asynchronously: poll the outcome
    return _conversions(folder)


def test_libreoffice_timeout_kills_the_whole_conversion_and_its_files(monkeypatch, private_tmp):
    """On timeout soffice.bin kept running at 100% CPU and the converted copy stayed in /tmp."""
    from extractors import limits

    monkeypatch.setattr(limits, "SOFFICE_TIMEOUT_SECONDS", 0.2)  # LibreOffice takes ~1 s to start and convert
    with pytest.raises(ReadError, match="did not convert the .doc within 0.2 s") as refused:
        read_bytes((CORPUS / "real" / "an-le-10-2016.doc").read_bytes(), "an-le.doc")
    assert refused.value.code == "timeout"
    assert _settled_conversions(private_tmp) == ([], [])


def test_a_worker_stopped_at_its_time_limit_stops_its_libreoffice(private_tmp):
    from pipeline.guard import Guard, Job

    with Guard(1, time_limit=0.3) as guard:  # a conversion takes ~1 s: stopped while LibreOffice works
        (outcome,) = guard.run([Job("an-le.doc", data=(CORPUS / "real" / "an-le-10-2016.doc").read_bytes())])
    assert outcome.error.code == "timeout"
    assert _settled_conversions(private_tmp) == ([], [])


# --- fuzz ---------------------------------------------------------------------------------------------

# The fuzz test's budget: mutations are generated (in a fixed order, from a fixed seed) until it runs
# out, so a slow machine runs a shorter prefix of the same sequence.
FUZZ_SECONDS = 20.0
FUZZ_SOURCES = ["real/an-le-27-2019.pdf", "real/an-le-28-2019.pdf", "fixtures/qd435-tasks.pdf",
                "real/an-le-18-2018.docx", "real/an-le-20-2018.docx", "fixtures/qd435-tasks.docx",
                "real/vbpl-thuoc-tinh-101-2015-qh13.html", "real/kon-tum-435-qd-ubnd-2020.txt"]


def test_mutated_real_files_end_as_documents_or_reasoned_refusals():
    """Damaged copies of the real corpus files (tests/mutations.py) through the guard: each ends as a
    Document with valid spans, or as a reader's refusal with a one-line reason; none as an exception a
    reader let through, a dead worker or a hang."""
    import random
    import unicodedata

    from mutations import mutate
    from nlp.contract import to_contract
    from pipeline.guard import Guard, Job

    rnd = random.Random(20261126)
    sources = [(CORPUS / name).read_bytes() for name in FUZZ_SOURCES]
    deadline = time.monotonic() + FUZZ_SECONDS

    def jobs():
        i = 0
        while time.monotonic() < deadline:
            suffix = Path(FUZZ_SOURCES[i % len(FUZZ_SOURCES)]).suffix
            yield Job(f"m{i:04d}{suffix}", data=mutate(sources[i % len(sources)], suffix, rnd))
            i += 1

    outcomes = {"document": 0, "refused": 0}
    with Guard(1, time_limit=60) as guard:
        for outcome in guard.run(jobs()):
            if outcome.error is not None:
                assert outcome.error.code not in ("reader-error", "worker-died", "timeout", "out-of-memory"), \
                    (outcome.name, outcome.error.reason)
                assert outcome.error.reason and "\n" not in str(outcome.error)
                outcomes["refused"] += 1
                continue
            doc = outcome.extraction.doc
            assert unicodedata.is_normalized("NFC", doc.text)
            out = to_contract(outcome.extraction)
            for key in ("references", "dates", "deadlines", "units", "initiatives"):
                for item in out[key]:
                    assert 0 <= item["start"] <= item["end"] <= len(doc.text)
            outcomes["document"] += 1
    assert outcomes["document"] >= 10 and outcomes["refused"] >= 10, outcomes
