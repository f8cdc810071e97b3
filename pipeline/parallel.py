"""Read and extract in worker processes (CPU-bound: threads give no speed-up); write in the parent.

SQLite has one writer, so workers return extractions and the parent writes them, one
transaction per document. The workers are the per-document guard's (``pipeline.guard``): a
document that fails, hangs, eats memory or kills its worker is one failure, never the batch's end.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from .guard import Job, Outcome, guarded, run_job
from .rawstore import RawStore


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def read_and_extract(path: str) -> Outcome:
    """One file read and extracted in this process, any exception turned into a ``ReadError`` (no time
    or memory limit: for workers that are processes of their own, such as a Dask cluster's, and benchmarks)."""
    return run_job(Job(str(path), path=str(path)))


def extract_bytes(item: tuple[bytes, str]) -> Outcome:
    """As ``read_and_extract``, for bytes already in hand."""
    data, name = item
    return run_job(Job(name, data=data))


def extract_many(paths: Iterable[str | Path], workers: int, raw: RawStore | None = None) -> Iterator[Outcome]:
    """An outcome per file, in order, under the guard; the workers keep the files' bytes in ``raw``."""
    root = str(raw.root) if raw is not None else None
    return guarded((Job(str(p), path=str(p), raw=root) for p in paths), workers)


def extract_bytes_many(items: Iterable[tuple[bytes, str]], workers: int) -> Iterator[Outcome]:
    """As ``extract_many``, for bytes already in hand (the raw store)."""
    return guarded((Job(name, data=data) for data, name in items), workers)
