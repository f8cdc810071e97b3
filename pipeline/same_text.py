"""One document, many files: the same text as TXT, DOCX and PDF (or in two encodings) is one document.

Files are compared on their normalised text, not their bytes: lower case, words only (so line
breaks, hyphenation of layout, spacing and punctuation do not count). An exact match of that
text is found by ``documents.text_key``; a near match (a PDF's page numbers and running
headers, a table read in another order) by a bottom-k sketch of word 4-shingles kept in
``sketches`` and indexed by hash, then confirmed on the whole texts by Jaccard similarity.
Two official texts with different numbers or dates are never the same document, however
alike their wording (a template filled twice).
"""
from __future__ import annotations

import hashlib
import heapq
import re
import zlib
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import sqlite_utils

_WORD = re.compile(r"\w+")
SHINGLE_WORDS = 4
# Hashes kept per document: a candidate shares most of them when the texts are near-identical.
SKETCH_SIZE = 16
# Shared sketch hashes that make a document worth comparing in full (expected ~13 of 16 at Jaccard 0.8).
CANDIDATE_HITS = 4
# Jaccard similarity of word 4-shingles above which two texts are one document: a DOCX and its PDF
# print (page numbers, running headers) score > 0.9; two different decisions on one template < 0.7.
SAME_TEXT_JACCARD = 0.8


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def text_key(text: str) -> str:
    """The identity of a text whatever its layout: sha256 of its words."""
    return hashlib.sha256(" ".join(words(text)).encode("utf-8")).hexdigest()


# Odd multipliers that mix four word hashes into one shingle hash (a polynomial rolling hash, mod 2**64).
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 1], dtype=np.uint64)


def shingles(text: str) -> set[int]:
    """Hashes of the text's word 4-grams (stable across processes: crc32 of each word, mixed)."""
    w = words(text)
    if not w:
        return set()
    of_word = {word: zlib.crc32(word.encode("utf-8")) for word in set(w)}  # syllables repeat: hash each once
    hashes = np.fromiter((of_word[word] for word in w), dtype=np.uint64, count=len(w))
    if len(w) < SHINGLE_WORDS:
        return {int(hashes.sum())}
    n = len(w) - SHINGLE_WORDS + 1
    mixed = sum(hashes[i:i + n] * _MIX[i] for i in range(SHINGLE_WORDS))
    return set((mixed >> np.uint64(32)).tolist())


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What identifies a text whatever its layout, computed once per file."""

    key: str
    shingles: frozenset[int]
    sketch: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> "Fingerprint":
        hashes = frozenset(shingles(text))
        return cls(text_key(text), hashes, tuple(sketch(hashes)))


def sketch(hashes: Iterable[int]) -> list[int]:
    return heapq.nsmallest(SKETCH_SIZE, hashes)


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _conflicting(mine: str | None, theirs: str | None) -> bool:
    return bool(mine and theirs and mine != theirs)


def same_document(db: sqlite_utils.Database, print_: Fingerprint, number: str | None = None,
                  day: str | None = None) -> int | None:
    """The catalogued document whose text this is (tolerant of layout), or None."""
    candidates = [r[0] for r in db.execute("SELECT id FROM documents WHERE text_key = ?", [print_.key])]
    if not candidates and print_.sketch:
        marks = ",".join("?" * len(print_.sketch))
        candidates = [r[0] for r in db.execute(
            f"SELECT document_id FROM sketches WHERE hash IN ({marks}) GROUP BY document_id "
            f"HAVING COUNT(*) >= ? ORDER BY COUNT(*) DESC LIMIT 5",
            [*print_.sketch, min(CANDIDATE_HITS, len(print_.sketch))])]
    for doc_id in candidates:
        other_text, other_number, other_day, other_key = db.execute(
            "SELECT text, number, date, text_key FROM documents WHERE id = ?", [doc_id]).fetchone()
        if _conflicting(number, other_number) or _conflicting(day, other_day):
            continue
        if other_key == print_.key or jaccard(set(print_.shingles), shingles(other_text)) >= SAME_TEXT_JACCARD:
            return doc_id
    return None


def index_text(db: sqlite_utils.Database, doc_id: int, print_: Fingerprint) -> None:
    """Record a document's text key and sketch (inside the caller's transaction)."""
    db.execute("UPDATE documents SET text_key = ? WHERE id = ?", [print_.key, doc_id])
    db.execute("DELETE FROM sketches WHERE document_id = ?", [doc_id])
    db.conn.executemany("INSERT INTO sketches (document_id, hash) VALUES (?, ?)",
                        [(doc_id, h) for h in print_.sketch])
