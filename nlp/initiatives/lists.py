"""Further items of a list whose first item is an initiative: "Các phong trào thi đua “A”; phong
trào thi đua B; Dân vận khéo; …" — a capitalised item after a separator shares the list's kind."""
from __future__ import annotations

import re

from nlp.keys import canonical_key
from nlp.ranges import Ranges

from . import lexicon
from .boundary import title_end
from .candidate import Candidate

# An unquoted list item is a short name: longer stretches are clauses.
MAX_ITEM_WORDS = 6
# How many items of other forms (their own kind word, lower case) a list may hold between two names.
MAX_SKIPPED_ITEMS = 3
_ITEM = re.compile(r"[ \t]*[;,][ \t]*(?:và[ \t]+)?(?P<item>[^\s;,.:()\n][^;,.:()\n]{0,160}?)[ \t]*(?=[;,.]|$)", re.M)


_OWNER = re.compile(r"[ \t]+của[ \t][^;,.:()\n“”\"]{1,80}?(?=[ \t]*[;,])")
_QUOTED_ITEM = re.compile(rf"[{lexicon.OPEN_QUOTES}][^{lexicon.CLOSE_QUOTES}]{{2,}}[{lexicon.CLOSE_QUOTES}]"
                          r"(?=$|[ \t]+của[ \t])")


def _document_type(item: str) -> bool:
    return bool(lexicon.document_type_re().match(item))


def _clause(words: list[str]) -> bool:
    """Is a list item a clause rather than a name? A title stop says so, except the "không" of a zero-X name
    between two of its words ("Hồ sơ không chờ", "Khu dân cư không giấy tờ"): inside one short item of a list
    the sentence cannot go on."""
    keys = [canonical_key(w) for w in words]
    for i, k in enumerate(keys):
        if k in lexicon.title_stops() and not (k in lexicon.name_negations() and 0 < i < len(keys) - 1
                                                and keys[i + 1] not in lexicon.title_stops()):
            return True
    return False


def list_items(ctx, candidates: list[Candidate]) -> list[Candidate]:
    text = ctx.doc.text
    items: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: c.start):
        if c.form in ("table", "numbered", "label"):
            continue
        pos, skipped = c.end, 0
        while skipped <= MAX_SKIPPED_ITEMS:
            owner = _OWNER.match(text, pos)  # "“A” của UBND xã X; “B” của …": the owner is no item
            m = _ITEM.match(text, owner.end() if owner else pos)
            if not m:
                break
            item = m.group("item")
            words = item.split()
            pos = m.end("item")
            kind_m = lexicon.kind_re().match(c.kind_word) if c.kind_word else None
            quoted = _QUOTED_ITEM.match(item)
            if quoted:
                # "“A”; B; “C”": a quoted item of the list shares its kind (a candidate already there wins)
                at = m.start("item")
                items.append(Candidate(at, at + quoted.end(), at + 1, at + quoted.end() - 1, c.kind, "",
                                       "list_item", "quote"))
                pos = at + quoted.end()
                skipped += 1
                continue
            if lexicon.kind_re().match(ctx.view, m.start("item")) or item[:1] in lexicon.OPEN_QUOTES:
                skipped += 1
                continue  # an item with its own kind word or quotes is a candidate of its own
            if not item[:1].isupper() or item.isupper() or len(words) > MAX_ITEM_WORDS:
                break
            if _clause(words):
                break
            if lexicon.unit_starts(ctx, m.start("item"), m.start("item") + 1) or _document_type(item):
                break  # a unit, or a cited document ("…; Nghị quyết số 76/NQ-CP"), ends the list
            items.append(Candidate(m.start("item"), m.end("item"), m.start("item"), m.end("item"), c.kind,
                                   kind_m.group("kind") if kind_m else "", "list_item", "punct"))
    return items


# A kind word, a few words ("tiêu biểu", "như sau", "gồm"), then a colon: a list of titles follows,
# in the sentence ("3 mô hình: Tổ hỗ trợ …; Cà phê pháp luật; …") or on the next lines ("- …").
MAX_INTRO_WORDS = 5
MAX_LISTED_WORDS = 20
MAX_LISTED_LINES = 30
_MARKER = re.compile(r"[ \t]*(?:\(?\d{1,2}[).]|[a-zđ]\)|[-–•+*])[ \t]+")
_LINE_END = re.compile(r"[:;.(]|\s[-–]\s|$", re.M)


def _listed(ctx, start: int, end: int) -> bool:
    """An item of a list of titles: a capitalised name, not a unit ("Sở Tư pháp 3 sáng kiến"), a cited
    document, a count of the kind, or a clause ("Các địa phương đã hỗ trợ …")."""
    item = ctx.doc.text[start:end]
    words = item.split()
    if not words or not item[:1].isupper() or item.isupper() or len(words) > MAX_LISTED_WORDS:
        return False
    if lexicon.unit_starts(ctx, start, start + 1):
        return False
    if _document_type(item) or lexicon.kind_re().search(ctx.view, start, end):
        return False
    return not any(canonical_key(w) in lexicon.clause_markers() for w in words)


def _list_opening(ctx, m: re.Match[str]) -> tuple[int, bool] | None:
    """Where the items of a list that the kind word at ``m`` announces begin, and whether a colon opens
    them: "3 mô hình: A; B", "các sáng kiến tiêu biểu như sau:" + lines, or, without a colon, a plural kind
    and "như" / "gồm" / "là" right before a capitalised or quoted first item ("các mô hình tiêu biểu như
    Tổ hòa giải kiểu mẫu, Dân vận khéo và “Chợ …”")."""
    text, view = ctx.doc.text, ctx.view
    colon = text.find(":", m.end(), m.end() + 60)
    if colon >= 0 and "\n" not in text[m.end():colon] and len(text[m.end():colon].split()) <= MAX_INTRO_WORDS:
        if lexicon.list_intro_words_re().match(view[m.end():colon]):
            return colon + 1, True
        return None  # "Hội thi gồm 3 phần:": the list is of something else
    opener = _OPENER.search(view, m.end(), m.end() + 60)
    if opener is None or "\n" in text[m.end():opener.start()]:
        return None
    if not lexicon.list_intro_words_prefix_re().fullmatch(view, m.end(), opener.start()):
        return None
    first = text[opener.end():opener.end() + 1]
    if not (first.isupper() or first in lexicon.OPEN_QUOTES):
        return None
    window = max(0, m.start() - MAX_LEAD_CHARS)
    clause_start = max(view.rfind(ch, window, m.start()) for ch in ".;:\n") + 1 or window
    if not lexicon.generic_lead_re().search(view[clause_start:m.start()]):
        return None  # one effort described ("mô hình như Tổ …" speaks of one), no list of several
    return opener.end(), False


# How far before its kind a list's plural lead ("các", "nhiều", "05") is looked for.
MAX_LEAD_CHARS = 120
# How far a list in a sentence runs at most.
MAX_LIST_CHARS = 2000
# A lead word that opens a list without a colon, then the first item.
_OPENER = re.compile(r"(?<!\w)(?:như|gồm có|gồm|bao gồm|là)[ \t]+", re.I)


def colon_lists(ctx, taken: list[tuple[int, int]], use_pos: bool = True) -> list[Candidate]:
    text, view = ctx.doc.text, ctx.view
    found: list[Candidate] = []
    taken_ranges = Ranges(taken)
    for m in lexicon.kind_re().finditer(view):
        if m.start() in taken_ranges:
            continue
        opening = _list_opening(ctx, m)
        if opening is None:
            continue
        pos, colon = opening
        if re.search(r"(?<!\w)tên\s*$", view[max(0, m.start() - 8):m.start()], re.I):
            continue  # "Tên sáng kiến, giải pháp: …" is a label (labelled.py)
        kind, kind_word = lexicon.kind_name(m.group("kind")), text[m.start():m.end()]
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        if colon and not text[pos:line_end].strip():
            found += _line_items(ctx, line_end + 1, kind, kind_word)
            continue
        found += _inline_items(ctx, pos, kind, kind_word, use_pos)
    return found


# The items of a list in a sentence end with it, or at a colon, a parenthesis or the line's end.
_STRETCH_END = re.compile(r"\.(?=\s|$)|[:()\n]|$")
# Items are separated by a comma or a semicolon, or by "và" / "hoặc" / "cùng với" before a capitalised
# or quoted item (within a name, "và" joins lower-case words: "Bộ phận tiếp nhận và trả kết quả").
_SEPARATOR = re.compile(r"[ \t]*[;,][ \t]*(?:(?:và|hoặc)[ \t]+)?|[ \t]+(?:và|hoặc|cùng với)[ \t]+")
_ITEM_NUMBER = re.compile(r"[ \t]*(?:\(?\d{1,2}[).][ \t]*)?")


def _inline_items(ctx, pos: int, kind: str, kind_word: str, use_pos: bool) -> list[Candidate]:
    text = ctx.doc.text
    end = _STRETCH_END.search(text, pos, pos + MAX_LIST_CHARS).start()
    pieces, start = [], pos
    for sep in _SEPARATOR.finditer(text, pos, end):
        nxt = text[sep.end():sep.end() + 1]
        if not re.search(r"[;,]", sep.group()) and not (nxt.isupper() or nxt in lexicon.OPEN_QUOTES):
            continue
        pieces.append((start, sep.start()))
        start = sep.end()
    pieces.append((start, end))
    found = []
    for start, stop in pieces:
        start = _ITEM_NUMBER.match(text, start).end()
        stop = start + len(text[start:stop].rstrip())
        if text[start:start + 1] in lexicon.OPEN_QUOTES and text[stop - 1:stop] in lexicon.CLOSE_QUOTES:
            if stop - start - 2 < lexicon.MIN_QUOTED_CHARS or not text[start + 1:start + 2].isupper():
                break
            found.append(Candidate(start, stop, start + 1, stop - 1, kind, kind_word, "list_item", "quote"))
            continue
        if use_pos:
            stop = min(stop, title_end(ctx, start).end)  # the last item may run on with the sentence
        if stop <= start or not _listed(ctx, start, stop):
            break
        found.append(Candidate(start, stop, start, stop, kind, kind_word, "list_item", "punct"))
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
