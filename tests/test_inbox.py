"""The inbox: real files and broken ones, dropped while it runs; none lost, none catalogued twice."""
from __future__ import annotations

import os
import shutil
import threading
import time

from conftest import CORPUS, REAL
from pipeline.catalogue import connect
from pipeline.inbox import process_inbox
from pipeline.rawstore import RawStore

OLD = time.time() - 3600


def drop(src_bytes: bytes, inbox, name: str, settled: bool = True) -> None:
    """Write like a copier does (temporary name, then rename), so a half file is never seen under its name."""
    tmp = inbox / f".{name}.part"
    tmp.write_bytes(src_bytes)
    if settled:
        os.utime(tmp, (OLD, OLD))
    os.replace(tmp, inbox / name)


def inventory(inbox):
    return sorted(p.name for p in inbox.rglob("*") if p.is_file() and not p.name.endswith(".reason.txt"))


def test_inbox_files_dropped_while_it_runs(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = connect(tmp_path / "c.db")
    raw = RawStore(tmp_path / "raw")
    files = {p.name: p.read_bytes() for p in REAL if p.suffix != ".doc"}
    files["q6 tin tức (bản sao).txt"] = (CORPUS / "dev" / "q6-nhan-rong-sang-kien-2020.txt").read_bytes()
    files["q6-again.txt"] = files["q6 tin tức (bản sao).txt"]  # the same file dropped twice
    files["broken.pdf"] = b"%PDF-1.7 truncated"
    files["empty.docx"] = b""
    files["not-a-doc.docx"] = b"just text pretending"
    names = sorted(files)
    half = len(names) // 2
    for name in names[:half]:
        drop(files[name], inbox, name)
    dropper = threading.Thread(target=lambda: [drop(files[n], inbox, n) for n in names[half:]])
    dropper.start()
    outcomes = process_inbox(db, raw, inbox, settle_seconds=60)
    dropper.join()
    outcomes += process_inbox(db, raw, inbox, settle_seconds=60)  # what arrived during the first run

    assert sorted(o.name for o in outcomes) == names  # each file exactly once
    assert [p.name for p in inbox.iterdir() if p.is_file()] == []
    assert sorted(inventory(inbox / "processed") + inventory(inbox / "failed")) == names
    by_name = {o.name: o for o in outcomes}
    for bad in ("broken.pdf", "empty.docx", "not-a-doc.docx"):
        assert by_name[bad].outcome == "failed"
        reason = (inbox / "failed" / f"{bad}.reason.txt").read_text(encoding="utf-8").strip()
        assert reason and "\n" not in reason
    twice = sorted(o.outcome for n, o in by_name.items() if n.startswith("q6"))
    assert twice == ["duplicate", "processed"]
    assert db["documents"].count == len(files) - 3 - 1
    assert db["inbox_log"].count == len(files)


def test_a_file_still_being_copied_waits(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = connect(tmp_path / "c.db")
    raw = RawStore(tmp_path / "raw")
    drop((CORPUS / "dev" / "hanoi-dang-ky-sang-kien-2021.txt").read_bytes(), inbox, "fresh.txt", settled=False)
    assert process_inbox(db, raw, inbox, settle_seconds=60) == []
    assert (inbox / "fresh.txt").exists()
    os.utime(inbox / "fresh.txt", (OLD, OLD))
    (outcome,) = process_inbox(db, raw, inbox, settle_seconds=60)
    assert outcome.outcome == "processed" and (inbox / "processed" / "fresh.txt").exists()


def test_inbox_flow_and_reprocess(tmp_path):
    from flows.inbox import inbox_flow
    from pipeline import ingest
    from pipeline.reprocess import reprocess

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    drop((CORPUS / "real" / "kon-tum-435-qd-ubnd-2020.txt").read_bytes(), inbox, "kt.txt")
    shutil.copy(CORPUS / "dev" / "q6-nhan-rong-sang-kien-2020.txt", inbox / "q6.txt")
    os.utime(inbox / "q6.txt", (OLD, OLD))
    results = inbox_flow(inbox=str(inbox), db_path=str(tmp_path / "c.db"), raw_root=str(tmp_path / "raw"),
                         settle_seconds=60)
    assert sorted(r["outcome"] for r in results) == ["processed", "processed"]
    db = connect(tmp_path / "c.db")
    db.execute("UPDATE documents SET extractor_version = 'old'")
    summary = reprocess(db, RawStore(tmp_path / "raw"), workers=2)  # from the raw store: the inbox files moved
    assert summary.updated == 2 and summary.missing == []
    assert {r[0] for r in db.execute("SELECT extractor_version FROM documents")} == {ingest.EXTRACTOR_VERSION}


def test_two_workers_give_the_outcomes_and_catalogue_of_one(tmp_path):
    """Extraction in the process pool; writes, logs and moves stay in this process, in arrival order."""
    files = {p.name: p.read_bytes() for p in REAL if p.suffix != ".doc"}
    files["q6.txt"] = (CORPUS / "dev" / "q6-nhan-rong-sang-kien-2020.txt").read_bytes()
    files["q6-again.txt"] = files["q6.txt"]
    files["broken.pdf"] = b"%PDF-1.7 truncated"
    results = {}
    for workers in (1, 2):
        inbox = tmp_path / f"inbox{workers}"
        inbox.mkdir()
        for n, name in enumerate(sorted(files)):
            drop(files[name], inbox, name)
            os.utime(inbox / name, (OLD + n, OLD + n))  # a known arrival order
        db = connect(tmp_path / f"c{workers}.db")
        outcomes = process_inbox(db, RawStore(tmp_path / f"raw{workers}"), inbox, settle_seconds=60, workers=workers)
        rows = db.execute("SELECT path, sha256, kind, number, date, extractor_version FROM documents ORDER BY id").fetchall()
        mentions = db.execute("SELECT d.path, m.field, m.start, m.end, m.value FROM mentions m "
                              "JOIN documents d ON d.id = m.document_id ORDER BY m.id").fetchall()
        log = db.execute("SELECT name, outcome, reason FROM inbox_log ORDER BY id").fetchall()
        results[workers] = ([(o.name, o.outcome, o.reason) for o in outcomes], rows, mentions, log, inventory(inbox))
    assert results[2] == results[1]
    assert [o for o in results[2][0] if o[0].startswith("q6")] == [("q6-again.txt", "processed", None),
                                                                    ("q6.txt", "duplicate", "already in the catalogue")]
