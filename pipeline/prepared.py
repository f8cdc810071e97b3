"""What the catalogue's writer needs of one extraction that depends on the extraction alone: worked
out beside it, in the guard's worker, so that the single writer (SQLite has one) only writes.

Per document that is the folded search text (~1.5 ms for a 20,000-character opening), the text's
fingerprint for same-document matching (~1 ms) and the file's bytes compressed for the raw store
(~1.6 ms for a 100 kB PDF): together about half of what writing a document cost the parent, which
kept a second worker from doubling the inbox's throughput. The writer computes the same values
itself when an extraction comes without them (re-processing, a Dask cluster of an older version).
"""
from __future__ import annotations

from dataclasses import dataclass

from nlp.extract import Extraction

from .catalogue import document_search_text
from .rawstore import compress
from .same_text import Fingerprint


@dataclass(frozen=True, slots=True)
class Prepared:
    fingerprint: Fingerprint
    search_text: str
    raw_gz: bytes | None = None  # the file's bytes, compressed, for the writer to keep (``RawStore.put_compressed``)
    raw_kept: bool = False  # the worker kept the bytes in the raw store itself

    @classmethod
    def of(cls, x: Extraction, unkept: bytes | None = None, *, raw_kept: bool = False) -> "Prepared":
        """What the writer needs of ``x``; ``unkept``: the file's bytes when only this process has them
        (read here from a path), sent back compressed for the writer's raw store."""
        header = x.header
        return cls(Fingerprint.of(x.doc.text),
                   document_search_text(header.get("title"), header.get("number"), header.get("subject"), x.doc.text),
                   compress(unkept) if unkept is not None else None, raw_kept)
