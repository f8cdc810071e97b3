"""The inbox folder: files dropped by people are catalogued and moved to processed/ or failed/.

No file is lost: a file is moved only after its outcome is committed to the catalogue, a failed
one gets a ``.reason.txt`` beside it, and a crash between the two leaves the file in the inbox to
be seen again (its sha256 makes the second ingest a no-op).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from .catalogue import now, transaction
from .ingest import ingest_path
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


def process_file(db: sqlite_utils.Database, raw: RawStore, path: Path, inbox: Path) -> InboxOutcome:
    sha256 = None
    try:
        result = ingest_path(db, path, raw, name=path.name)
        sha256 = result.sha256
        if result.status == "failed":
            outcome, reason, folder = "failed", result.reason, FAILED
        elif result.status == "unchanged":
            outcome, reason, folder = "duplicate", "already in the catalogue", PROCESSED
        elif result.status == "same":
            outcome, reason, folder = "processed", f"same document as {result.same_as}", PROCESSED
        else:
            outcome, reason, folder = "processed", None, PROCESSED
    except Exception as exc:  # a bug must not lose the file: it goes to failed/ with the error
        outcome, reason, folder = "failed", f"internal error: {type(exc).__name__}: {exc}", FAILED
    target = _unique_target(inbox / folder, path.name)
    done = InboxOutcome(path.name, outcome, str(target), reason)
    _log(db, done, sha256)
    if folder == FAILED:
        target.with_name(target.name + ".reason.txt").write_text(f"{reason}\n", encoding="utf-8")
    path.replace(target)
    return done


def process_inbox(db: sqlite_utils.Database, raw: RawStore, inbox: Path,
                  settle_seconds: float = SETTLE_SECONDS) -> list[InboxOutcome]:
    return [process_file(db, raw, p, inbox) for p in waiting_files(inbox, settle_seconds)]
