"""Nothing lost, nobody let in: property tests, crashes, concurrency, large and odd files.

The table of cases and outcomes is docs/reliability.md; each row names its test.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CCHC, CORPUS, ROOT, run_cchc
from procs import alive, children
from nlp.extract import extract
from nlp.contract import to_contract
from extractors.errors import ReadError
from extractors.reader import read_bytes

VIETNAMESE = st.lists(st.sampled_from(list(
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "AĂÂĐÊÔƠƯÐ0123456789 ,.;:/-–()“”\"\n\t") + ["Số: ", "ngày ", "tháng ", "năm ", "trước ngày ", "UBND ", "Quận ",
    "Sở Nội vụ ", "Kế hoạch số ", "/KH-UBND", "/QĐ-", "quý II/20", "mô hình ", "“", "Thứ 5, Ngày ", "\u0301", "\u0323"]),
    max_size=200).map("".join)


def _check_contract(text: str) -> None:
    try:
        doc = read_bytes(text.encode("utf-8"), "prop.txt")
    except ReadError:
        return  # empty or blank input: a clear error, which is the documented outcome
    out = to_contract(extract(doc))
    for key in ("references", "dates", "deadlines", "units", "initiatives"):
        for item in out[key]:
            assert doc.text[item["start"]:item["end"]] == item.get("text", doc.text[item["start"]:item["end"]])
            assert 0 <= item["start"] <= item["end"] <= len(doc.text)
            if "confidence" in item:
                assert 0.0 <= item["confidence"] <= 1.0
            if item.get("date"):
                from datetime import date
                assert date.fromisoformat(item["date"]).isoformat() == item["date"]
    assert unicodedata.is_normalized("NFC", doc.text)
    for item in out["units"] + out["initiatives"]:
        for value in item.values():
            if isinstance(value, str):
                assert unicodedata.is_normalized("NFC", value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VIETNAMESE)
def test_any_vietnamese_like_text_gives_valid_spans(text):
    _check_contract(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_never_raises(text):
    _check_contract(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["x.pdf", "x.docx", "x.doc", "x.html", "x.txt", "x"]))
def test_any_bytes_give_a_document_or_a_read_error(data, name):
    try:
        doc = read_bytes(data, name)
    except ReadError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert unicodedata.is_normalized("NFC", doc.text)


# --- large and odd files ---------------------------------------------------------------

def test_pdf_of_500_pages_is_read_page_by_page(tmp_path):
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(CORPUS / "real" / "an-le-27-2019.pdf"))
    big = pdfium.PdfDocument.new()
    while len(big) < 500:
        big.import_pages(source)
    target = tmp_path / "big.pdf"
    big.save(str(target))
    from extractors.reader import read_document

    doc = read_document(target)
    assert doc.pages == len(big) >= 500
    assert doc.text.count("Án lệ số 27/2019/AL") == doc.pages // 6


def test_html_of_50_mb_is_refused_with_a_reason(tmp_path):
    target = tmp_path / "huge.html"
    target.write_bytes(b"<html><body>" + b"<p>Tin tuc</p>" * (50 * 2**20 // 14) + b"</body></html>")
    proc = run_cchc("extract", str(target))
    assert proc.returncode != 0 and "over the 20 MB cap" in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_odd_file_names(tmp_path):
    folder = tmp_path / "thư mục có dấu"
    folder.mkdir()
    target = folder / "Kế hoạch số 1 (bản sao) .txt"
    target.write_bytes((CORPUS / "dev" / "hanoi-dang-ky-sang-kien-2021.txt").read_bytes())
    proc = run_cchc("extract", str(folder / ".." / folder.name / target.name))
    assert proc.returncode == 0
    from pipeline.catalogue import connect
    from pipeline.inbox import process_inbox
    from pipeline.rawstore import RawStore

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("hai..chấm.txt", " khoảng trắng .txt", "Tệp tiếng Việt.txt", "..ẩn.txt"):
        (inbox / name).write_bytes(target.read_bytes() + name.encode())
        os.utime(inbox / name, (0, 0))
    outcomes = process_inbox(connect(tmp_path / "c.db"), RawStore(tmp_path / "raw"), inbox, settle_seconds=1)
    assert sorted(o.name for o in outcomes) == sorted(["hai..chấm.txt", " khoảng trắng .txt", "Tệp tiếng Việt.txt"])
    assert all(Path(o.moved_to).parent == inbox / "processed" for o in outcomes)
    assert (inbox / "..ẩn.txt").exists()  # a hidden file (a leading dot) is never taken


# --- crashes ---------------------------------------------------------------------------

def variant_corpus(folder: Path, copies: int) -> list[Path]:
    """Distinct real files: each real text or page once per copy, with a marker line appended. The copies of
    one text are one document with several files (the same text, tolerant of layout)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [p for p in (CORPUS / "real").iterdir() if p.suffix in (".txt", ".html")] + list((CORPUS / "dev").glob("*.txt"))
    pdf = (CORPUS / "real" / "an-le-28-2019.pdf").read_bytes()
    out = []
    for i in range(copies):
        for src in sources:
            target = folder / f"{i:03d}-{src.name}"
            target.write_bytes(src.read_bytes() + f"\n<!-- bản {i} -->\n".encode())
            out.append(target)
        target = folder / f"{i:03d}-an-le.pdf"
        target.write_bytes(pdf + f"\n%bản {i}\n".encode())  # bytes after %%EOF: still the same PDF
        out.append(target)
    return out


def catalogue_state(db_path: Path) -> dict:
    from pipeline.catalogue import connect

    db = connect(db_path)
    return {
        "integrity": db.execute("PRAGMA integrity_check").fetchone()[0],
        "documents": db["documents"].count,
        "distinct": db.execute("SELECT COUNT(DISTINCT sha256) FROM documents").fetchone()[0],
        "files": db["files"].count,
        "files_without_document": db.execute("SELECT COUNT(*) FROM files WHERE document_id NOT IN "
                                             "(SELECT id FROM documents)").fetchone()[0],
        "mentions": db["mentions"].count,
        "directives": db["directives"].count,
        "orphans": db.execute("SELECT COUNT(*) FROM mentions WHERE document_id NOT IN (SELECT id FROM documents)").fetchone()[0],
    }


def test_ingest_killed_at_random_points_loses_nothing(tmp_path):
    files = variant_corpus(tmp_path / "files", 6)
    reference = tmp_path / "reference.db"
    subprocess.run([*CCHC, "ingest", str(tmp_path / "files"), "--db", str(reference), "--workers", "1"],
                   cwd=ROOT, capture_output=True, check=True)
    expected = catalogue_state(reference)
    assert expected["files"] == len(files) and expected["documents"] == len(files) // 6

    db_path = tmp_path / "killed.db"
    rnd = random.Random(20261123)
    for _ in range(4):
        proc = subprocess.Popen([*CCHC, "ingest", str(tmp_path / "files"), "--db", str(db_path), "--workers", "1"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            proc.wait(timeout=rnd.uniform(1.0, 4.0))  # a random moment: start-up, mid-batch or done
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        state = catalogue_state(db_path) if db_path.exists() else None
        if state:
            assert state["integrity"] == "ok"
            assert state["documents"] == state["distinct"] <= state["files"] <= len(files)
            assert state["orphans"] == state["files_without_document"] == 0
    subprocess.run([*CCHC, "ingest", str(tmp_path / "files"), "--db", str(db_path), "--workers", "1"],
                   cwd=ROOT, capture_output=True, check=True)
    assert catalogue_state(db_path) == expected


def test_inbox_killed_midway_keeps_every_file(tmp_path):
    files = variant_corpus(tmp_path / "inbox", 4)
    for f in files:
        os.utime(f, (0, 0))
    names = sorted(f.name for f in files)
    code = ("import sys; from pathlib import Path; from pipeline.catalogue import connect; "
            "from pipeline.inbox import process_inbox; from pipeline.rawstore import RawStore; "
            f"process_inbox(connect('{tmp_path}/c.db'), RawStore('{tmp_path}/raw'), Path('{tmp_path}/inbox'), 1)")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    try:
        proc.wait(timeout=1.5)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    inbox = tmp_path / "inbox"
    remaining = sorted(p.name for p in inbox.iterdir() if p.is_file())
    moved = sorted(p.name for p in (inbox / "processed").iterdir()) if (inbox / "processed").exists() else []
    assert sorted(remaining + moved) == names  # each file in exactly one place
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    assert sorted(p.name for p in (inbox / "processed").iterdir()) == names
    assert catalogue_state(tmp_path / "c.db")["files"] == len(files)


# --- concurrency -----------------------------------------------------------------------

def test_two_ingests_and_a_reviewer_at_once(tmp_path):
    from pipeline.catalogue import connect
    from pipeline.review import decide, pending

    a = variant_corpus(tmp_path / "a", 3)
    b = variant_corpus(tmp_path / "b", 3)
    for f in b:  # make b's contents differ from a's
        f.write_bytes(f.read_bytes() + b"\n%b\n")
    db_path = tmp_path / "c.db"
    run_cchc("ingest", str(CORPUS / "real" / "an-le-27-2019.pdf"), "--db", str(db_path))
    procs = [subprocess.Popen([*CCHC, "ingest", str(folder), "--db", str(db_path), "--workers", "1"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for folder in (tmp_path / "a", tmp_path / "b")]
    db = connect(db_path)
    decided = 0
    for item in pending(db, 0.99):  # the reviewer works while both ingests write
        decide(db, item["id"], "accepted", reviewer="concurrent")
        decided += 1
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert "locked" not in err
    state = catalogue_state(db_path)
    assert state["integrity"] == "ok"
    assert state["files"] == 1 + len(a) + len(b)
    assert state["documents"] == 1 + len(a) // 3  # a's and b's copies of one text are one document
    assert db.execute("SELECT COUNT(*) FROM reviews WHERE reviewer = 'concurrent'").fetchone()[0] == decided > 0



def test_extraction_workers_die_with_a_killed_ingest(tmp_path):
    import time

    variant_corpus(tmp_path / "files", 6)
    proc = subprocess.Popen([*CCHC, "ingest", str(tmp_path / "files"), "--db", str(tmp_path / "c.db"), "--workers", "2"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        workers = children(proc.pid)  # waiting for the pool to start
    assert len(workers) >= 2, "the process pool did not start"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)  # the kernel delivers the parent-death signal asynchronously
    assert not any(alive(w) for w in workers), "orphaned extraction workers"
