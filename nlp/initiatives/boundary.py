"""Where a title written without quotes ends.

A title is a noun phrase: the kind, then its name, which may hold verbs, commas and "của"
("Đề án đo lường sự hài lòng của người dân, doanh nghiệp đối với sự phục vụ của cơ quan hành
chính"). It ends where the sentence goes on about it: at the sentence's own predicate ("…
trình cấp có thẩm quyền", "… được triển khai tại", "… bước đầu phát huy hiệu quả"), at an
adjunct of time, place, purpose or agent ("tại", "từ năm 2013", "nhằm", "do UBND … phát động"),
at its owner ("của" + a unit), at a parenthesis or a clause after a comma, at a sentence end
(line wraps are read as spaces), or at a date. Stop words are matched on whole words of
underthesea's segmentation (``postag``), so "đối với" does not stop at "với" nor "chương
trình" at "trình".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.keys import canonical_key, match_view

from . import lexicon
from .lines import clause_bounds, flatten
from .postag import CONTENT_TAGS, Word, tag

# Titles longer than this many syllables are cut: the gold's longest names run to ~40.
MAX_TITLE_SYLLABLES = 40
# After a comma a title goes on only through a short coordinated item ("cắt giảm, đơn giản hóa
# TTHC", "người dân, doanh nghiệp"); a longer stretch is a new clause.
MAX_COORDINATED_WORDS = 5
# A title's head is its first words: a comma after at most this many coordinates head words.
MAX_HEAD_WORDS = 2
# How far a segment to tag reaches: the longest title plus room for its stop word.
MAX_SEGMENT_CHARS = 320

_PUNCT_STOP = frozenset(".;:!?()[]|")
_NUMBERISH = re.compile(r"^[\d.,/\-–]+$")


@dataclass(frozen=True, slots=True)
class Boundary:
    end: int  # offset in the document text; == start when no title follows
    how: str  # quote | punct | stop | pos | line | max | end


def _key(word: Word) -> str:
    return canonical_key(word.text)


# Stop words of up to this many segmented words ("trên cơ sở" is "trên" + "cơ sở").
MAX_STOP_WORDS = 3


def _stop_at(words: tuple[Word, ...], i: int) -> bool:
    for n in range(MAX_STOP_WORDS, 0, -1):
        if i + n <= len(words) and canonical_key(" ".join(w.text for w in words[i:i + n])) in lexicon.title_stops():
            return True
    return False


def _is_time_adjunct(words: tuple[Word, ...], i: int) -> bool:
    """ "trong năm 2025", "từ năm 2013", "trước ngày …", "đến nay": the sentence's time, not the title."""
    k = _key(words[i])
    nxt = _key(words[i + 1]) if i + 1 < len(words) else ""
    nxt_first = nxt.split(" ")[0] if nxt else ""
    if k in ("trong", "từ", "trước", "sau", "suốt", "hết", "kể từ", "cho đến") and (
            nxt in lexicon.time_words() or nxt_first in lexicon.time_words() or _NUMBERISH.match(nxt or "x")):
        return True
    return k == "đến" and nxt_first in ("nay", "ngày", "hết", "tháng", "cuối")


def _channel_at(words: tuple[Word, ...], i: int) -> bool:
    """ "trên Cổng thông tin điện tử", "trên VNeID": where the effort is carried, not its name (which goes
    on through "trên địa bàn …")."""
    return _key(words[i]) == "trên" and i + 1 < len(words) and words[i + 1].text[:1].isupper()


def _period_ends_at(ctx, pos: int) -> bool:
    """Does a period or year ("giai đoạn 2011 - 2020", "năm 2024") end at ``pos``?"""
    d = ctx.date_index().last_at_or_before(pos)
    return d is not None and d.end == pos and d.precision in ("year", "range")


def _topic_at(words: tuple[Word, ...], i: int) -> bool:
    """Do the words from ``i`` open a topic of the domain's own vocabulary ("cải cách hành chính"), a
    noun phrase coordinated in the title rather than the sentence's next verb?"""
    keys = lexicon.name_keys(" ".join(w.text for w in words[i:i + lexicon.MAX_PHRASE_SYLLABLES]))
    return lexicon.generic_phrase_at(keys) >= 2


def _unit_after(ctx, pos: int) -> bool:
    return bool(ctx.index("units").starting_at(pos)) or bool(lexicon.owner_head_re().match(ctx.view, pos))


def _date_at(ctx, pos: int) -> bool:
    return ctx.date_index("day").holds(pos)


def _words(segment: str, use_pos: bool) -> tuple[Word, ...]:
    if use_pos:
        return tag(segment)
    return tuple(Word(m.start(), m.end(), m.group(), "?") for m in re.finditer(r"\w[\w\-]*|[^\w\s]", segment))


def _coarse(word: Word) -> str:
    return "N" if word.tag.startswith("N") else word.tag


MAX_REPEATED_WORDS = 3  # "cơ chế một cửa, một cửa liên thông": the repeated head is a word or two


def _repeats_before(words: tuple[Word, ...], i: int) -> bool:
    """Does the item after the comma at ``words[i]`` open on the words right before it ("cơ chế một cửa, một
    cửa liên thông", "cấp tỉnh, cấp huyện")? Such a pair coordinates two kinds of one thing inside the name."""
    for k in range(1, MAX_REPEATED_WORDS + 1):
        left, right = words[i - k:i], words[i + 1:i + 1 + k]
        if i - k < 0 or len(right) < k or any(w.text in ",;:." for w in left):
            break
        if [_key(w) for w in left] == [_key(w) for w in right]:
            return True
    return False


def _coordinated_item(words: tuple[Word, ...], i: int, use_pos: bool, so_far: int, after_period: bool = False) -> bool:
    """After the comma at ``words[i]``: another item of a coordination inside the title ("cắt giảm,
    đơn giản hóa TTHC", "người dân, doanh nghiệp đối với …"), not a new clause ("…, nâng cao chất
    lượng …"). Items coordinate like with like: the words on both sides of the comma share their
    part of speech; a long item only when both are nouns. A period closes a name ("… giai đoạn
    2011 - 2020, tỉnh triển khai …"): after it only the outlook goes on ("…, định hướng đến năm 2030")."""
    if after_period:
        return i + 1 < len(words) and _key(words[i + 1]) in lexicon.outlook_words()
    if _repeats_before(words, i):
        return True
    j, n = i + 1, 0
    while j < len(words) and words[j].tag != "CH" and words[j].text not in ",;.:()":
        if _stop_at(words, j) or _is_time_adjunct(words, j):
            return False
        n += 1
        j += 1
    if n == 0 or i == 0:
        return False
    before, after = words[i - 1], words[i + 1]
    if _key(after) in lexicon.time_words() or after.text[:1].isupper() and not before.text[:1].isupper():
        return False
    if not use_pos:
        return n <= MAX_COORDINATED_WORDS
    if _coarse(before) != _coarse(after):
        # the tagger is unsure between noun, verb and adjective for the title's head words
        # ("cắt giảm, đơn giản hóa TTHC …"): right after the kind, content words coordinate
        return so_far <= MAX_HEAD_WORDS and before.tag in CONTENT_TAGS and after.tag in CONTENT_TAGS
    return n <= MAX_COORDINATED_WORDS or _coarse(after) == "N"


def title_end(ctx, start: int, use_pos: bool = True) -> Boundary:
    """End of the unquoted title whose name begins at ``start``."""
    text = ctx.doc.text
    _, clause_end = clause_bounds(text, start)
    cell_end = text.find("|", start, clause_end)  # a table's cell ends the title ("… giải pháp | Phòng Nội vụ")
    clause_end = clause_end if cell_end < 0 else cell_end
    seg_end = min(clause_end, start + MAX_SEGMENT_CHARS)
    segment = flatten(match_view(text[start:seg_end]))
    words = _words(segment, use_pos)
    end, how, syllables = start, "end", 0
    i = 0
    while i < len(words):
        w = words[i]
        at = start + w.start
        k = _key(w)
        if w.text in lexicon.OPEN_QUOTES and w.text not in "'":
            close = next((x for x in words[i + 1:] if x.text in lexicon.CLOSE_QUOTES), None)
            if close is None:
                return Boundary(end, "punct")
            return Boundary(start + close.end, "quote")
        if w.text in _PUNCT_STOP or w.text in lexicon.CLOSE_QUOTES:
            return Boundary(end, "punct")
        if w.text == ",":
            if end == start or lexicon.only_generic(lexicon.name_keys(text[start:end])):
                return Boundary(end, "punct")  # "Cuộc thi trực tuyến, tổng hợp kết quả": no name to coordinate yet
            if not _coordinated_item(words, i, use_pos, i, _period_ends_at(ctx, end)):
                return Boundary(end, "punct")
            i += 1
            continue
        if _stop_at(words, i) or _is_time_adjunct(words, i) or _channel_at(words, i):
            return Boundary(end, "stop")
        if k == "của" and _unit_after(ctx, start + words[i + 1].start if i + 1 < len(words) else seg_end) and any(
                _key(x) not in lexicon.generic_words() for x in words[:i] if x.tag != "CH"):
            return Boundary(end, "stop")  # its owner; but "Chương trình hành động của Chính phủ thực hiện …" is a name
        if _date_at(ctx, at):
            return Boundary(end, "stop")
        if k == "và" and i + 1 < len(words):
            nxt = words[i + 1]
            if lexicon.document_type_re().match(match_view(nxt.text)):
                return Boundary(end, "stop")  # "… giai đoạn 2011 - 2020 và Quyết định số …"
            if lexicon.kind_re().match(match_view(nxt.text)):
                return Boundary(end, "pos" if use_pos else "stop")
            if use_pos and nxt.tag == "V" and syllables >= 4 and not _topic_at(words, i + 1):
                return Boundary(end, "pos")  # the sentence's next verb; but "… chuyển đổi số và cải cách hành chính"
        n = len(w.text.split())
        if syllables + n > MAX_TITLE_SYLLABLES:
            return Boundary(end, "max")
        if w.tag != "CH" or w.text in "-–/&":
            syllables += n
            end = at + len(w.text)
        i += 1
    how = "end" if seg_end == clause_end else "max"
    return Boundary(end, how)


# "Đề án phát triển …, định danh và xác thực điện tử …, tầm nhìn đến năm 2030 (Đề án 06)": a full title
# followed by the short name it is known by, in parentheses, runs through its commas to them.
_ALIAS = re.compile(r"[ \t]*\((?:sau đây )?(?:gọi tắt là |viết tắt là |gọi là )?(?P<kind>[^\W\d_]+(?: [^\W\d_]+)?)"
                    r"\s+\S[^()\n]{0,60}\)", re.I)
_ALIAS_STRETCH = re.compile(r"[^()\n.;:!?“”\"]*")
# A full title given with its short name is long: the gold's run to ~45 syllables.
MAX_ALIASED_SYLLABLES = 60


def up_to_alias(ctx, name_start: int, end: int, use_pos: bool = True) -> int | None:
    """Where a title ends when its clause gives its short name in parentheses after it: before them
    (None when no such parenthesis follows, or the sentence goes on before it)."""
    text, view = ctx.doc.text, ctx.view
    stretch = _ALIAS_STRETCH.match(view, end)
    alias = _ALIAS.match(view, stretch.end())
    if not alias or not lexicon.kind_re().match(view, alias.start("kind")):
        return None
    if len(text[name_start:stretch.end()].split()) > MAX_ALIASED_SYLLABLES:
        return None
    words = _words(flatten(match_view(text[end:stretch.end()])), use_pos)
    if any(_stop_at(words, i) for i in range(len(words))):
        return None  # the sentence went on before the parenthesis
    return name_start + len(text[name_start:stretch.end()].rstrip(" ,"))


_NAME_WORD = re.compile(r"\S+")


def up_to_known(ctx, kind_word: str, name_start: int, end: int, known: set[str], use_pos: bool = True) -> int | None:
    """Where a title ends when its first words are a title the document names elsewhere and a preposition
    follows them with a generic scope ("Đề án văn hóa công vụ trong các cơ quan hành chính huyện" where
    "Đề án văn hóa công vụ" is named): the known title. None when no such title opens it, or a name
    follows the preposition ("Chương trình tổng thể … trong Công an nhân dân" is a programme of its own)."""
    text = ctx.doc.text
    words = list(_NAME_WORD.finditer(text, name_start, end))
    for n in range(len(words) - 1, 0, -1):
        if canonical_key(f"{kind_word} {text[name_start:words[n - 1].end()]}") not in known:
            continue
        rest = _words(flatten(text[words[n].start():end]), use_pos)
        if rest and (rest[0].tag == "E" if use_pos else _key(rest[0]) in lexicon.title_stops()) and not any(
                w.text[:1].isupper() for w in rest[1:]):
            return words[n - 1].end()
        return None
    return None
