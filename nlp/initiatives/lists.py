"""Further items of a list whose first item is an initiative: "Các phong trào thi đua “A”; phong
trào thi đua B; Dân vận khéo; …" — a capitalised item after a separator shares the list's kind."""
from __future__ import annotations

import re

from nlp.keys import canonical_key
from nlp.ranges import Ranges

from . import lexicon
from .candidate import Candidate

# An unquoted list item is a short name: longer stretches are clauses.
MAX_ITEM_WORDS = 6
# How many items of other forms (their own kind word, lower case) a list may hold between two names.
MAX_SKIPPED_ITEMS = 3
_ITEM = re.compile(r"[ \t]*[;,][ \t]*(?:và[ \t]+)?(?P<item>[^\s;,.:()\n][^;,.:()\n]{0,160}?)[ \t]*(?=[;,.]|$)", re.M)


def _document_type(item: str) -> bool:
    return bool(lexicon.document_type_re().match(item))


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
            if lexicon.unit_starts(ctx, m.start("item"), m.start("item") + 1) or _document_type(item):
                break  # a unit, or a cited document ("…; Nghị quyết số 76/NQ-CP"), ends the list
            kind_m = lexicon.kind_re().match(c.kind_word) if c.kind_word else None
            items.append(Candidate(m.start("item"), m.end("item"), m.start("item"), m.end("item"), c.kind,
                                   kind_m.group("kind") if kind_m else "", "list_item", "punct"))
    return items


# A kind word, a few words ("tiêu biểu", "như sau", "gồm"), then a colon: a list of titles follows,
# in the sentence ("3 mô hình: Tổ hỗ trợ …; Cà phê pháp luật; …") or on the next lines ("- …").
MAX_INTRO_WORDS = 5
MAX_LISTED_WORDS = 20
MAX_LISTED_LINES = 30
_MARKER = re.compile(r"[ \t]*(?:\(?\d{1,2}[).]|[a-zđ]\)|[-–•+*])[ \t]+")
_INLINE_ITEM = re.compile(r"[ \t]*(?:\(?\d{1,2}[).][ \t]*)?(?P<item>[^\s;,.:()\n“\"][^;.:()\n“\"]{1,200}?)[ \t]*(?=[;.]|,[ \t]|$)",
                          re.M)
_LINE_END = re.compile(r"[:;.(]|\s[-–]\s|$", re.M)


def _listed(ctx, start: int, end: int) -> bool:
    """An item of a list of titles: a capitalised name, not a unit ("Sở Tư pháp 3 sáng kiến"), a cited
    document, a count of the kind, or a clause ("Các địa phương đã hỗ trợ …")."""
    item = ctx.doc.text[start:end]
    words = item.split()
    if not words or not item[:1].isupper() or item.isupper() or len(words) > MAX_LISTED_WORDS:
        return False
    if ctx.index("units").starting_at(start) or lexicon.owner_head_re().match(ctx.view, start):
        return False
    if _document_type(item) or lexicon.kind_re().search(ctx.view, start, end):
        return False
    return not any(canonical_key(w) in lexicon.clause_markers() for w in words)


def colon_lists(ctx, taken: list[tuple[int, int]]) -> list[Candidate]:
    text, view = ctx.doc.text, ctx.view
    found: list[Candidate] = []
    taken_ranges = Ranges(taken)
    for m in lexicon.kind_re().finditer(view):
        if m.start() in taken_ranges:
            continue
        colon = text.find(":", m.end(), m.end() + 60)
        if colon < 0 or "\n" in text[m.end():colon] or len(text[m.end():colon].split()) > MAX_INTRO_WORDS:
            continue
        if not lexicon.list_intro_words_re().match(view[m.end():colon]):
            continue  # "Hội thi gồm 3 phần:": the list is of something else
        if re.search(r"(?<!\w)tên\s*$", view[max(0, m.start() - 8):m.start()], re.I):
            continue  # "Tên sáng kiến, giải pháp: …" is a label (labelled.py)
        kind, kind_word = lexicon.kind_name(m.group("kind")), text[m.start():m.end()]
        rest = text[colon + 1:colon + 2]
        if rest in ("\n", "") or text[colon + 1:text.find("\n", colon) if "\n" in text[colon:] else len(text)].strip() == "":
            found += _line_items(ctx, text.find("\n", colon) + 1, kind, kind_word)
            continue
        pos = colon + 1
        while True:
            item = _INLINE_ITEM.match(text, pos)
            if not item or not _listed(ctx, item.start("item"), item.end("item")):
                break
            found.append(Candidate(item.start("item"), item.end("item"), item.start("item"), item.end("item"), kind,
                                   kind_word, "list_item", "punct"))
            nxt = re.match(r"[ \t]*[;,][ \t]*(?:và[ \t]+)?", text[item.end():item.end() + 8])
            if not nxt:
                break
            pos = item.end() + nxt.end()
    return found


def _marker_kind(marker: str) -> str:
    """A list marker's kind: the mark itself, or "number" / "letter" for "1." and "a)"."""
    m = marker.strip(" \t(")
    return "number" if m[:1].isdigit() else "letter" if m[:1].isalpha() else m[:1]


def _line_items(ctx, pos: int, kind: str, kind_word: str) -> list[Candidate]:
    text = ctx.doc.text
    found = []
    first_kind = None
    for _ in range(MAX_LISTED_LINES):
        marker = _MARKER.match(text, pos)
        if not marker or first_kind not in (None, _marker_kind(marker.group())):
            break  # "- …\n- …\n3. Cải cách tổ chức bộ máy": the next part's heading ends the list
        first_kind = _marker_kind(marker.group())
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        start = marker.end()
        stop = _LINE_END.search(text, start, line_end)
        end = start + len(text[start:stop.start() if stop else line_end].rstrip())
        if _listed(ctx, start, end):
            found.append(Candidate(start, end, start, end, kind, kind_word, "list_item", "line"))
        pos = line_end + 1
    return found
