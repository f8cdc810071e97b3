"""Read and extract in a process pool (CPU-bound: threads give no speed-up); write in the parent.

SQLite has one writer, so workers return extractions and the parent writes them, one
transaction per document.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from nlp.extract import Extraction, extract

from extractors.errors import ReadError
from extractors.reader import read_bytes, read_file_bytes

T = TypeVar("T")
R = TypeVar("R")

# Files handed to a worker at a time: enough to amortise pickling, small enough to keep both cores busy.
CHUNKSIZE = 8


def _die_with_parent() -> None:
    """Pool initializer: a worker whose parent is killed (SIGKILL, OOM) exits instead of lingering."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before the call above
        os._exit(1)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def read_and_extract(path: str) -> tuple[str, Extraction | None, bytes | None, ReadError | None]:
    try:
        data = read_file_bytes(path)
        return path, extract(read_bytes(data, path)), data, None
    except ReadError as exc:
        return path, None, None, exc


def map_in_pool(fn: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[R]:
    """``fn`` over ``items`` in ``workers`` processes (in this one when 1), results in order as they come."""
    if workers <= 1:
        yield from map(fn, items)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent) as pool:
        yield from pool.map(fn, items, chunksize=CHUNKSIZE)


def extract_many(paths: Iterable[str | Path], workers: int) -> Iterator[tuple[str, Extraction | None, bytes | None, ReadError | None]]:
    yield from map_in_pool(read_and_extract, [str(p) for p in paths], workers)


def extract_bytes(item: tuple[bytes, str]) -> tuple[str, Extraction | None, ReadError | None]:
    data, name = item
    try:
        return name, extract(read_bytes(data, name)), None
    except ReadError as exc:
        return name, None, exc


def extract_bytes_many(items: Iterable[tuple[bytes, str]], workers: int) -> Iterator[tuple[str, Extraction | None, ReadError | None]]:
    """As ``extract_many``, for bytes already in hand (the raw store)."""
    yield from map_in_pool(extract_bytes, items, workers)
