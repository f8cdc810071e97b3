"""The inbox folder: files dropped by people are catalogued and moved to processed/ or failed/.

No file is lost: a file is moved only after its outcome is committed to the catalogue, a failed
one gets a ``.reason.txt`` beside it, and a crash between the two leaves the file in the inbox to
be seen again (its sha256 makes the second ingest a no-op).

Only regular files are read. A symbolic link, a FIFO, a device or a socket is never opened: it is
moved to failed/ with the reason (a link to ``/etc/shadow`` must not end up searchable). Hidden
files, lock files (``.~lock.x.docx#``, ``~$x.docx``) and partial downloads are left alone. A file
is taken once it has not changed for the settle time, no process has it open for writing (a copy
that pauses longer than the settle time keeps its file open), and its size and time did not change
while it was read. Files are read here, extracted in the per-document guard's workers, and written
and moved here, one at a time in the order they arrived.
"""
from __future__ import annotations

import hashlib
import os
import stat
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import sqlite_utils

from extractors import limits
from extractors.errors import ReadError

from .catalogue import insert_row, now, transaction
from .guard import Guard, Job, Outcome
from .ingest import catalogued, record_failure, write_outcome
from .rawstore import RawStore

# A file modified less than this long ago may still be being copied: it waits for the next run.
SETTLE_SECONDS = 2.0
PROCESSED, FAILED = "processed", "failed"
# Names copy tools give a file while it is being written; it is taken once renamed.
PARTIAL_SUFFIXES = (".part", ".crdownload", ".tmp", ".partial")
# Names of lock and backup files office programs keep beside a document: "~$x.docx" (Word),
# "x.docx~" and "#x.docx#" (editors); LibreOffice's ".~lock.x.docx#" is hidden.
LOCK_PREFIXES, LOCK_SUFFIXES = ("~$", "#"), ("~", "#")


@dataclass
class InboxOutcome:
    name: str
    outcome: str  # processed | duplicate | failed
    moved_to: str
    reason: str | None = None


def ignored(name: str) -> bool:
    """Hidden, lock, backup and partial files: never taken, never moved."""
    return (name.startswith(".") or name.startswith(LOCK_PREFIXES) or name.endswith(LOCK_SUFFIXES)
            or name.endswith(PARTIAL_SUFFIXES))


def _kind(mode: int) -> str | None:
    """Why an inbox entry is not a file to read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_for_writing(candidates: set[tuple[int, int]] | None) -> set[tuple[int, int]]:
    """Which of the files ``candidates`` (device, inode), or of all regular files when None, some process
    has open for writing (Linux: read from /proc, for the processes this user may inspect)."""
    found: set[tuple[int, int]] = set()
    if (candidates is not None and not candidates) or not sys.platform.startswith("linux"):
        return found
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue  # gone, or not ours to see
        for fd in fds:
            try:
                info = os.stat(f"/proc/{pid}/fd/{fd}")
                key = (info.st_dev, info.st_ino)
                if key in found or (key not in candidates if candidates is not None else not stat.S_ISREG(info.st_mode)):
                    continue
                with open(f"/proc/{pid}/fdinfo/{fd}", encoding="ascii") as f:
                    flags = next((int(line.split()[1], 8) for line in f if line.startswith("flags:")), 0)
            except (OSError, ValueError):
                continue
            if flags & (os.O_WRONLY | os.O_RDWR):
                found.add(key)
    return found


def waiting_files(inbox: Path, settle_seconds: float = SETTLE_SECONDS) -> list[Path]:
    """Entries directly in the inbox to deal with, oldest first: regular files whose time has settled
    and that no process has open for writing, and anything else that is not a regular file (to be
    refused without being opened). Hidden, lock and partial files are not listed."""
    if not inbox.is_dir():
        return []
    cutoff = time.time() - settle_seconds
    entries: list[tuple[float, Path, os.stat_result]] = []
    for entry in os.scandir(inbox):
        if ignored(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue  # moved away meanwhile
        if stat.S_ISDIR(info.st_mode):
            continue  # processed/, failed/ and folders people make: not ours to walk
        if _kind(info.st_mode) is None and info.st_mtime > cutoff:
            continue  # may still be being copied
        entries.append((info.st_mtime, Path(entry.path), info))
    busy = open_for_writing({(i.st_dev, i.st_ino) for _, _, i in entries if stat.S_ISREG(i.st_mode)})
    entries = [e for e in entries if (e[2].st_dev, e[2].st_ino) not in busy]
    return [p for _, p, _ in sorted(entries, key=lambda e: (e[0], e[1].name))]


# How old a scan of the files open for writing may be when a file is read. Scanning /proc costs a
# stat of every descriptor of every process (~2 ms here, far more on a busy server), too much to
# repeat per file; a scan younger than half the settle time was taken after the last change of any
# file that passed the settle check, so a copy that still has such a file open shows in it.
OPEN_FILES_SCAN_SECONDS = 1.0


class OpenFiles:
    """The regular files some process has open for writing, as of a scan at most ``max_age`` seconds old."""

    def __init__(self, settle_seconds: float) -> None:
        self.max_age = min(OPEN_FILES_SCAN_SECONDS, settle_seconds / 2)
        self.keys: set[tuple[int, int]] = set()
        self.scanned = -float("inf")

    def for_writing(self, info: os.stat_result) -> bool:
        if time.monotonic() - self.scanned > self.max_age:
            self.keys, self.scanned = open_for_writing(None), time.monotonic()
        return (info.st_dev, info.st_ino) in self.keys


class NotSettled(Exception):
    """The file changed while it was looked at: it waits for the next run."""


def read_settled(path: Path, settle_seconds: float, open_files: OpenFiles) -> bytes:
    """The bytes of a regular inbox file (never following a link), provided it is settled (no file
    open for writing in ``open_files``' scan) and did not change while it was read. Raises ReadError
    (refuse it) or NotSettled (leave it for later)."""
    name = path.name
    kind = _kind(os.lstat(path).st_mode)
    if kind:
        raise ReadError(f"is {kind}, not a file; not read", name, "not-a-file")
    try:  # no link followed even if one was swapped in since (O_NOFOLLOW), no FIFO waited on (O_NONBLOCK)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise ReadError(f"cannot open: {exc.strerror}", name, "unreadable") from None
    with os.fdopen(fd, "rb") as f:
        before = os.fstat(fd)
        if _kind(before.st_mode):
            raise ReadError(f"is {_kind(before.st_mode)}, not a file; not read", name, "not-a-file")
        if before.st_size > limits.MAX_FILE_BYTES:
            raise ReadError(f"file is {before.st_size // 2**20} MB, over the {limits.MAX_FILE_BYTES // 2**20} MB cap",
                            name, "too-large")
        if before.st_mtime > time.time() - settle_seconds or open_files.for_writing(before):
            raise NotSettled(name)
        data = f.read(limits.MAX_FILE_BYTES + 1)
        after = os.fstat(fd)
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or len(data) != before.st_size:
        raise NotSettled(name)
    return data


def _unique_target(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    n = 1
    while target.exists() or target.is_symlink():
        stem, suffix = Path(name).stem, Path(name).suffix
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    return target


def _log(db: sqlite_utils.Database, outcome: InboxOutcome, sha256: str | None) -> None:
    with transaction(db):
        insert_row(db, "inbox_log", {"name": outcome.name, "sha256": sha256, "outcome": outcome.outcome,
                                     "reason": outcome.reason, "moved_to": outcome.moved_to, "at": now()})


@dataclass
class _Taken:
    """One inbox entry read (or refused) by this process, before its extraction."""

    path: Path
    data: bytes | None = None
    sha256: str | None = None
    known: bool = False  # these bytes are catalogued already: nothing to extract
    refused: ReadError | None = None

    @property
    def to_extract(self) -> bool:
        return self.refused is None and not self.known


def _take(db: sqlite_utils.Database, path: Path, settle_seconds: float, open_files: OpenFiles) -> _Taken | None:
    """Read one entry with the inbox's checks; None when it is not settled (it stays for the next run)."""
    try:
        data = read_settled(path, settle_seconds, open_files)
    except (NotSettled, FileNotFoundError):
        return None  # still changing, or taken away meanwhile
    except ReadError as exc:
        return _Taken(path, refused=exc)
    sha256 = hashlib.sha256(data).hexdigest()
    known = catalogued(db, sha256)
    return _Taken(path, data, sha256, bool(known and known[1]))


def _outcome(db: sqlite_utils.Database, raw: RawStore, taken: _Taken,
             outcome: Outcome | None) -> tuple[str, str | None, str, str | None]:
    """(outcome, reason, folder, sha256) of one entry, its extraction written in this process."""
    if taken.refused is not None:
        record_failure(db, taken.path.name, taken.refused)
        return "failed", taken.refused.reason, FAILED, None
    if outcome is None:  # its bytes were catalogued already: nothing was extracted
        return "duplicate", "already in the catalogue", PROCESSED, taken.sha256
    result = write_outcome(db, outcome, raw=raw, data=taken.data)
    if result.status == "failed":
        return "failed", result.reason, FAILED, result.sha256
    if result.status == "unchanged":
        return "duplicate", "already in the catalogue", PROCESSED, result.sha256
    if result.status == "same":
        return "processed", f"same document as {result.same_as}", PROCESSED, result.sha256
    return "processed", None, PROCESSED, result.sha256


def _file_away(db: sqlite_utils.Database, raw: RawStore, inbox: Path, taken: _Taken,
               outcome: Outcome | None) -> InboxOutcome:
    """Commit the entry's outcome, then move it: a crash in between leaves it in the inbox to be seen again."""
    sha256 = None
    try:
        result, reason, folder, sha256 = _outcome(db, raw, taken, outcome)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OSError) as exc:
        # a bug must not lose the file: it goes to failed/ with the error
        result, reason, folder = "failed", f"internal error: {type(exc).__name__}: {exc}", FAILED
    path = taken.path
    target = _unique_target(inbox / folder, path.name)
    done = InboxOutcome(path.name, result, str(target), reason)
    _log(db, done, sha256)
    if folder == FAILED:
        target.with_name(target.name + ".reason.txt").write_text(f"{reason}\n", encoding="utf-8")
    os.replace(path, target)  # renames the entry itself: a link is moved, never followed
    return done


def process_file(db: sqlite_utils.Database, raw: RawStore, path: Path, inbox: Path, *,
                 settle_seconds: float = 0.0) -> InboxOutcome | None:
    """One entry, extracted in a guarded worker of its own; None when it stays for the next run."""
    return next(iter(process_paths(db, raw, [path], inbox, settle_seconds, 1)), None)


def process_paths(db: sqlite_utils.Database, raw: RawStore, paths: list[Path], inbox: Path,
                  settle_seconds: float, workers: int) -> list[InboxOutcome]:
    """Entries read here, extracted in ``workers`` guarded processes, written and moved here, in order.

    Entries are read as the workers need them (the guard takes a few jobs ahead of each), so the
    workers never wait for a batch to end; those refused or already catalogued wait in ``taken``
    for their turn to be filed, without their bytes."""
    done: list[InboxOutcome] = []
    taken: deque[_Taken] = deque()
    open_files = OpenFiles(settle_seconds)

    def jobs() -> Iterator[Job]:
        for path in paths:
            entry = _take(db, path, settle_seconds, open_files)
            if entry is None:
                continue
            taken.append(entry)
            if entry.to_extract:
                yield Job(entry.path.name, data=entry.data, raw=str(raw.root))
            else:
                entry.data = None

    def file_waiting() -> None:
        while taken and not taken[0].to_extract:
            done.append(_file_away(db, raw, inbox, taken.popleft(), None))

    with Guard(workers) as guard:
        for outcome in guard.run(jobs()):
            file_waiting()
            done.append(_file_away(db, raw, inbox, taken.popleft(), outcome))
        file_waiting()
    return done


def process_inbox(db: sqlite_utils.Database, raw: RawStore, inbox: Path,
                  settle_seconds: float = SETTLE_SECONDS, workers: int = 1) -> list[InboxOutcome]:
    """Catalogue the settled entries: read here, extracted in ``workers`` guarded processes, written
    and moved here, one at a time in the order they arrived."""
    return process_paths(db, raw, waiting_files(inbox, settle_seconds), inbox, settle_seconds, workers)
