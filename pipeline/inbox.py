"""The inbox folder: files dropped by people are catalogued and moved to processed/ or failed/.

No file is lost: a file is moved only after its outcome is committed to the catalogue, a failed
one gets a ``.reason.txt`` beside it, and a crash between the two leaves the file in the inbox to
be seen again (its sha256 makes the second ingest a no-op).
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from extractors.errors import ReadError
from extractors.reader import read_bytes, read_file_bytes
from nlp.extract import Extraction, extract

from .catalogue import now, transaction
from .ingest import catalogued, record_failure, write_document
from .parallel import map_in_pool
from .rawstore import RawStore

# A file modified less than this long ago may still be being copied: it waits for the next run.
SETTLE_SECONDS = 2.0
PROCESSED, FAILED = "processed", "failed"
# Names copy tools give a file while it is being written; it is taken once renamed.
PARTIAL_SUFFIXES = (".part", ".crdownload", ".tmp", ".partial")


@dataclass
class InboxOutcome:
    name: str
    outcome: str  # processed | duplicate | failed
    moved_to: str
    reason: str | None = None


def waiting_files(inbox: Path, settle_seconds: float = SETTLE_SECONDS) -> list[Path]:
    """Files directly in the inbox whose size and time have settled, oldest first."""
    if not inbox.is_dir():
        return []
    cutoff = time.time() - settle_seconds
    files = [p for p in inbox.iterdir()
             if p.is_file() and not p.name.endswith(PARTIAL_SUFFIXES)]
    return sorted((p for p in files if p.stat().st_mtime <= cutoff), key=lambda p: p.stat().st_mtime)


def _unique_target(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    n = 1
    while target.exists():
        stem, suffix = Path(name).stem, Path(name).suffix
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    return target


def _log(db: sqlite_utils.Database, outcome: InboxOutcome, sha256: str | None) -> None:
    with transaction(db):
        db["inbox_log"].insert({"name": outcome.name, "sha256": sha256, "outcome": outcome.outcome,
                                "reason": outcome.reason, "moved_to": outcome.moved_to, "at": now()})


def _outcome(db: sqlite_utils.Database, raw: RawStore, path: Path, extracted: "Extracted") -> tuple[str, str | None, str, str | None]:
    """(outcome, reason, folder, sha256) of one file, its extraction written in this process."""
    name, x, data, error = extracted
    if error is not None:
        record_failure(db, name, error)
        return "failed", error.reason, FAILED, None
    if x is None:  # its bytes were catalogued already: nothing was extracted
        return "duplicate", "already in the catalogue", PROCESSED, data
    raw.put(data)
    result = write_document(db, x)
    if result.status == "unchanged":
        return "duplicate", "already in the catalogue", PROCESSED, result.sha256
    if result.status == "same":
        return "processed", f"same document as {result.same_as}", PROCESSED, result.sha256
    return "processed", None, PROCESSED, result.sha256


def _file_away(db: sqlite_utils.Database, raw: RawStore, path: Path, inbox: Path, extracted: "Extracted") -> InboxOutcome:
    """Commit the file's outcome, then move it: a crash in between leaves it in the inbox to be seen again."""
    sha256 = None
    try:
        outcome, reason, folder, sha256 = _outcome(db, raw, path, extracted)
    except Exception as exc:  # a bug must not lose the file: it goes to failed/ with the error
        outcome, reason, folder = "failed", f"internal error: {type(exc).__name__}: {exc}", FAILED
    target = _unique_target(inbox / folder, path.name)
    done = InboxOutcome(path.name, outcome, str(target), reason)
    _log(db, done, sha256)
    if folder == FAILED:
        target.with_name(target.name + ".reason.txt").write_text(f"{reason}\n", encoding="utf-8")
    path.replace(target)
    return done


# (name, extraction or None when already catalogued, bytes or the known sha256, error)
Extracted = tuple[str, "Extraction | None", Any, "ReadError | None"]


def extract_inbox_file(item: tuple[str, str, str | None]) -> Extracted:
    """Read and extract one inbox file under its name (in a worker process); never raises.

    ``known`` is the sha256 when the bytes are catalogued already: then nothing is extracted.
    """
    path, name, known = item
    if known is not None:
        return name, None, known, None
    try:
        data = read_file_bytes(path)
        return name, extract(read_bytes(data, name)), data, None
    except ReadError as exc:
        return name, None, None, exc
    except Exception as exc:  # a bug in one file's extraction: that file fails, the others go on
        return name, None, None, ReadError(f"internal error: {type(exc).__name__}: {exc}", name, "internal")


def process_file(db: sqlite_utils.Database, raw: RawStore, path: Path, inbox: Path) -> InboxOutcome:
    """One file, read and extracted in this process."""
    return _file_away(db, raw, path, inbox, extract_inbox_file((str(path), path.name, _known_sha256(db, path))))


def _known_sha256(db: sqlite_utils.Database, path: Path) -> str | None:
    """The file's sha256 when this extractor version catalogued its bytes already (hashing is ~1000x cheaper)."""
    try:
        with path.open("rb") as f:
            sha256 = hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None  # the reader reports why
    known = catalogued(db, sha256)
    return sha256 if known and known[1] else None


def process_inbox(db: sqlite_utils.Database, raw: RawStore, inbox: Path,
                  settle_seconds: float = SETTLE_SECONDS, workers: int = 1) -> list[InboxOutcome]:
    """Catalogue the settled files: read and extracted in ``workers`` processes, written and moved here,
    one file at a time in the order they arrived."""
    files = waiting_files(inbox, settle_seconds)
    items = [(str(p), p.name, _known_sha256(db, p)) for p in files]
    extracted = map_in_pool(extract_inbox_file, items, workers)
    return [_file_away(db, raw, path, inbox, result) for path, result in zip(files, extracted)]
