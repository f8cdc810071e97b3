"""Further items of a list whose first item is an initiative: "Các phong trào thi đua “A”; phong
trào thi đua B; Dân vận khéo; …" — a capitalised item after a separator shares the list's kind."""
from __future__ import annotations

import re

from nlp.keys import canonical_key

from ..vocab import doc_type_pattern, vre
from . import lexicon
from .candidate import Candidate

# An unquoted list item is a short name: longer stretches are clauses.
MAX_ITEM_WORDS = 6
# How many items of other forms (their own kind word, lower case) a list may hold between two names.
MAX_SKIPPED_ITEMS = 3
_ITEM = re.compile(r"[ \t]*[;,][ \t]*(?:và[ \t]+)?(?P<item>[^\s;,.:()\n][^;,.:()\n]{0,160}?)[ \t]*(?=[;,.]|$)", re.M)


def _document_type(item: str) -> bool:
    return bool(vre(rf"(?:{doc_type_pattern()})(?!\w)", re.I).match(item))


def list_items(ctx, candidates: list[Candidate]) -> list[Candidate]:
    text = ctx.doc.text
    items: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: c.start):
        if c.form in ("table", "numbered", "label"):
            continue
        pos, skipped = c.end, 0
        while skipped <= MAX_SKIPPED_ITEMS:
            m = _ITEM.match(text, pos)
            if not m:
                break
            item = m.group("item")
            words = item.split()
            pos = m.end("item")
            if lexicon.kind_re().match(ctx.view, m.start("item")) or item[:1] in lexicon.OPEN_QUOTES:
                skipped += 1
                continue  # an item with its own kind word or quotes is a candidate of its own
            if not item[:1].isupper() or item.isupper() or len(words) > MAX_ITEM_WORDS:
                break
            if any(canonical_key(w) in lexicon.title_stops() for w in words):
                break
            if any(u.start == m.start("item") for u in ctx.spans.get("units", ())) or _document_type(item):
                break  # a unit, or a cited document ("…; Nghị quyết số 76/NQ-CP"), ends the list
            kind_m = lexicon.kind_re().match(c.kind_word) if c.kind_word else None
            items.append(Candidate(m.start("item"), m.end("item"), m.start("item"), m.end("item"), c.kind,
                                   kind_m.group("kind") if kind_m else "", "list_item", "punct"))
    return items
