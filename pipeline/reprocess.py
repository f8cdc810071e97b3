"""Re-run extraction over stored documents after the extractor changed, keeping review decisions."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from nlp.extract import EXTRACTOR_VERSION

from .errors import ReadError
from .ingest import ingest_document
from .rawstore import RawStore
from .reader import read_bytes, read_file_bytes


@dataclass
class ReprocessSummary:
    updated: int = 0
    missing: list[str] = field(default_factory=list)


def stale_documents(db: sqlite_utils.Database) -> list[tuple[int, str, str, str | None]]:
    return db.execute("SELECT id, sha256, path, url FROM documents WHERE extractor_version IS NOT ? ORDER BY id",
                      [EXTRACTOR_VERSION]).fetchall()


def reprocess(db: sqlite_utils.Database, raw: RawStore, everything: bool = False) -> ReprocessSummary:
    """Documents extracted by another version (or all of them) are extracted again from their raw bytes."""
    summary = ReprocessSummary()
    rows = db.execute("SELECT id, sha256, path, url FROM documents ORDER BY id").fetchall() if everything \
        else stale_documents(db)
    for _, sha256, path, url in rows:
        try:
            data = raw.get(sha256) if raw.has(sha256) else read_file_bytes(path)
            doc = read_bytes(data, path)
        except (ReadError, OSError) as exc:
            summary.missing.append(f"{path}: {exc}")
            continue
        if doc.sha256 != sha256:
            summary.missing.append(f"{path}: the file changed since it was catalogued")
            continue
        ingest_document(db, doc, url=url, force=True)
        summary.updated += 1
    return summary
