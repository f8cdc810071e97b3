"""Re-run extraction over stored documents after the extractor changed, keeping review decisions."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

import sqlite_utils

from nlp.extract import EXTRACTOR_VERSION

from extractors.errors import ReadError
from .guard import Outcome
from .ingest import write_outcome
from .parallel import extract_bytes_many
from .rawstore import RawStore
from extractors.reader import read_file_bytes


@dataclass
class ReprocessSummary:
    updated: int = 0
    missing: list[str] = field(default_factory=list)


def stale_documents(db: sqlite_utils.Database) -> list[tuple[int, str, str, str | None]]:
    return db.execute("SELECT id, sha256, path, url FROM documents WHERE extractor_version IS NOT ? ORDER BY id",
                      [EXTRACTOR_VERSION]).fetchall()


def _raw_items(raw: RawStore, rows, summary: "ReprocessSummary"):
    for _, sha256, path, url in rows:
        try:
            data = raw.get(sha256) if raw.has(sha256) else read_file_bytes(path)
        except (ReadError, OSError) as exc:
            summary.missing.append(f"{path}: {exc}")
            continue
        yield data, path


Extract = Callable[[Iterable[tuple[bytes, str]]], Iterable[Outcome]]


def reprocess(db: sqlite_utils.Database, raw: RawStore, everything: bool = False, workers: int = 1,
              extract: Extract | None = None) -> ReprocessSummary:
    """Documents extracted by another version (or all of them) are extracted again from their raw bytes,
    in ``workers`` processes (or by ``extract``: a Dask cluster); the parent writes, keeping every
    review decision."""
    summary = ReprocessSummary()
    rows = db.execute("SELECT id, sha256, path, url FROM documents ORDER BY id").fetchall() if everything \
        else stale_documents(db)
    by_path = {path: (sha256, url) for _, sha256, path, url in rows}
    extract = extract or (lambda items: extract_bytes_many(items, workers))
    for outcome in extract(_raw_items(raw, rows, summary)):
        path, x, error = outcome.name, outcome.extraction, outcome.error
        sha256, url = by_path[path]
        if error is not None:
            summary.missing.append(f"{path}: {error.reason}")
        elif x.doc.sha256 != sha256:
            summary.missing.append(f"{path}: the file changed since it was catalogued")
        else:
            result = write_outcome(db, outcome, url=url, force=True)  # with what the worker prepared
            if result.status == "failed":
                summary.missing.append(f"{path}: {result.reason}")
            else:
                summary.updated += 1
    return summary
