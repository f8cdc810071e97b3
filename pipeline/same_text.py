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
from typing import Iterable

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


def shingles(text: str) -> set[int]:
    w = words(text)
    if len(w) < SHINGLE_WORDS:
        return {zlib.crc32(" ".join(w).encode("utf-8"))} if w else set()
    return {zlib.crc32(" ".join(w[i:i + SHINGLE_WORDS]).encode("utf-8")) for i in range(len(w) - SHINGLE_WORDS + 1)}


def sketch(hashes: Iterable[int]) -> list[int]:
    return heapq.nsmallest(SKETCH_SIZE, hashes)


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _conflicting(mine: str | None, theirs: str | None) -> bool:
    return bool(mine and theirs and mine != theirs)


def same_document(db: sqlite_utils.Database, text: str, number: str | None = None,
                  day: str | None = None) -> int | None:
    """The catalogued document whose text this is (tolerant of layout), or None."""
    key = text_key(text)
    candidates = [r[0] for r in db.execute("SELECT id FROM documents WHERE text_key = ?", [key])]
    mine = shingles(text)
    if not candidates and mine:
        marks = ",".join("?" * len(sk := sketch(mine)))
        candidates = [r[0] for r in db.execute(
            f"SELECT document_id FROM sketches WHERE hash IN ({marks}) GROUP BY document_id "
            f"HAVING COUNT(*) >= ? ORDER BY COUNT(*) DESC LIMIT 5", [*sk, min(CANDIDATE_HITS, len(sk))])]
    for doc_id in candidates:
        other_text, other_number, other_day, other_key = db.execute(
            "SELECT text, number, date, text_key FROM documents WHERE id = ?", [doc_id]).fetchone()
        if _conflicting(number, other_number) or _conflicting(day, other_day):
            continue
        if other_key == key or jaccard(mine, shingles(other_text)) >= SAME_TEXT_JACCARD:
            return doc_id
    return None


def index_text(db: sqlite_utils.Database, doc_id: int, text: str) -> None:
    """Record a document's text key and sketch (inside the caller's transaction)."""
    db.execute("UPDATE documents SET text_key = ? WHERE id = ?", [text_key(text), doc_id])
    db.execute("DELETE FROM sketches WHERE document_id = ?", [doc_id])
    db.conn.executemany("INSERT INTO sketches (document_id, hash) VALUES (?, ?)",
                        [(doc_id, h) for h in sketch(shingles(text))])
