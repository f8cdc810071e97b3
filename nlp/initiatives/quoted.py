"""Quoted titles: after their kind (Đề án “…”, cuộc thi viết “…”, mô hình mang tên “…”), with the
kind inside the quotes (“Đợt thi đua cao điểm …”), after a lead-in that names their kind, without a
kind word when the sentence launches or keeps them (duy trì 06 “Tổ công nghệ số cộng đồng”), and the
further items of a list of quotes (“A” (…), “B” và “C”; “X” … cùng với “Y”; bulleted lines)."""
from __future__ import annotations

import re
from functools import lru_cache

from nlp.keys import canonical_key

from ..vocab import alternation, vocab, vre
from . import lexicon
from .candidate import Candidate
from .boundary import title_end
from .lines import clause_bounds, flatten, is_soft_break
from .postag import tag

# Lowercase words allowed between a kind and its quoted title ("cuộc thi viết “…”", "dự án
# triển khai hệ thống phần mềm “…”", "phong trào thi đua xây dựng cơ quan “…”").
MAX_LEAD_SYLLABLES = 6
_LEAD = re.compile(r"^[\s\w\-]*$")
# What joins two items of a list of quotes: perhaps who or where the first one is ("của UBND phường
# …", "tại khu phố 1", "(…)"), then a separator in the sentence (",", ";", "và") or a line break before
# the next item's marker ("- “A”;\n+ “B”."). Who or where may wrap onto the next line, as a PDF's lines
# do ("của UBND huyện Duy\nXuyên; “B” …"), never over a blank line.
_LIST_JOIN = re.compile(
    r"^(?:[ \t]+(?:của|tại|ở|do|thuộc)[ \t](?:[^“”\"«»\n.;:!?()]|\n(?![ \t]*\n)){1,120}?)?[ \t]*(?:\([^()\n]{0,200}\)[ \t]*)?"
    r"(?:[,;][ \t]*(?:(?:và|hoặc|cùng với)[ \t]+)?|[ \t](?:và|hoặc|cùng với|cùng|với)[ \t]+"
    r"|[,;]?[ \t]*\n[ \t]*(?:[-–•+*][ \t]*|\(?\d{1,2}[.)][ \t]*|[a-zđ]\)[ \t]*)?)$", re.I)
# A quotation that is a sentence someone said, not a title.
_SPEECH = re.compile(r"[.!?]\s+\S")
# A title with an exclamation inside ("Alo! Trung tâm … nghe!") is short; a quoted speech is longer.
MAX_TITLE_WORDS_WITH_SENTENCES = 15
MAX_QUOTED_TITLE_WORDS = 40
# A named day or month (“Thứ Bảy số”, “Ngày thứ Năm đối thoại với doanh nghiệp”) is a short name.
MAX_NAMED_WORDS = 12


def _lead_before(ctx, quote_start: int) -> "_Shift | None":
    """The kind word (and short lead) right before a quote, else a word that names an effort only there
    ("phần mềm “…”", "dịch vụ “…”")."""
    lead = _kind_lead_before(ctx, quote_start)
    if lead is not None:
        return lead
    window_start = max(0, quote_start - 1 - 20)
    m = lexicon.quote_kind_re().search(ctx.view, window_start, quote_start - 1)
    if m is None or lexicon.in_unit_name(ctx, m.start()):
        return None
    return _Shift(m, 0)


def _kind_lead_before(ctx, quote_start: int) -> "_Shift | None":
    view = ctx.view
    window_start = max(0, quote_start - 1 - 80)
    before = view[window_start:quote_start - 1]
    best = None
    for m in lexicon.kind_re().finditer(before):
        best = m
    if best is None or lexicon.in_unit_name(ctx, window_start + best.start()):
        return None
    between = before[best.end():]
    lead = lexicon.quote_lead_re().search(between)
    rest = between[:lead.start()] if lead else between
    if "\n" in between and not all(c.isspace() for c in between):
        return None
    if not _LEAD.match(rest) or len(rest.split()) > MAX_LEAD_SYLLABLES:
        return None
    if any(canonical_key(w) in lexicon.title_stops() for w in rest.split()):
        return None
    if any(w[:1].isupper() for w in rest.split()):
        return None  # "mô hình Tổ tự quản “…”": a name was already written
    return _Shift(best, window_start)


class _Shift:
    """A kind match moved from a window to document offsets."""

    def __init__(self, m: re.Match[str], offset: int) -> None:
        self.start, self.end = m.start() + offset, m.end() + offset


def _across_wraps(text: str, m: re.Match[str], qs: int, qe: int, closed: bool) -> tuple:
    """A quote left open at a line's end goes on when the line is wrapped (“… giai đoạn\n2016-2020”)
    or stops mid-phrase, and its closing mark follows with no other quote opened before it."""
    if closed or qe >= len(text) or text[qe:qe + 2].lstrip(".;")[:1] != "\n":
        return m, qs, qe, closed
    close = re.compile(rf"[{lexicon.CLOSE_QUOTES}]").search(text, qe, qs + lexicon.MAX_QUOTED_CHARS)
    if close is None or re.search(rf"[{lexicon.OPEN_QUOTES}]", text[qe:close.start()].replace("'", "")):
        return m, qs, qe, closed
    breaks = [i for i in range(qe, close.start()) if text[i] == "\n"]
    if breaks and all(is_soft_break(text, i) or _open_line(text, i) for i in breaks):
        return m, qs, close.start(), True
    return m, qs, qe, closed


def _open_line(text: str, i: int) -> bool:
    """Inside an open quote, a line that stops on a comma or a word goes on with the quote on the next
    line, whatever its case ("… cơ quan ngang bộ,\nỦy ban nhân dân các tỉnh …”)."""
    line = text[text.rfind("\n", 0, i) + 1:i].rstrip()
    return bool(line) and (line[-1] == "," or line[-1].isalnum()) and i + 1 < len(text) and text[i + 1] != "\n"


def _title_like(content: str) -> bool:
    """A quoted item of a list names something: it opens with a capital or a number and is no speech."""
    return bool(content.strip()) and (content[:1].isupper() or content[:1].isdigit()) and not _is_speech(content)


# A lead-in that announces a list of titles, right before its first quote: a colon, or "như", "gồm",
# "là" (perhaps with a colon), then perhaps a line break and the item's marker.
_LEAD_IN_END = re.compile(r"(?:(?<=\s)(?:như|gồm có|gồm|bao gồm|là)[ \t]*:?|:)[ \t]*"
                          r"(?:\n[ \t]*(?:[-–•+*]|\(?\d{1,2}[.)]|[a-zđ]\))?[ \t]*)?$", re.I)
# Words between the kind and the lead-in that describe the listed efforts: a participle clause
# ("tiêu biểu được nhân dân đồng tình, hưởng ứng như:", "đã đăng ký gồm:"), an owner or a year
# ("của xã năm 2024 gồm:"); not a count of something else ("Hội thi gồm 3 phần:").
_DESCRIBING = re.compile(r"(?:được|đã|đang|do|mà|của|thuộc|tại|ở|đăng ký|năm|trong)\s[^:;.!?]{0,100}$", re.I)
# A quoted title that the sentence then says is of a kind: "“X” là một trong 05 sáng kiến …", "“X” là mô
# hình …", "“X” được xem là cách làm hay …".
_KIND_AFTER = vre(r"[ \t]+(?:là|được xem là|được coi là|được đánh giá là|trở thành)[ \t]+(?:một[ \t]+|những[ \t]+|các[ \t]+)?"
                  r"(?:trong[ \t]+(?:những|các|số|\d+)[ \t]+)?(?:\d+[ \t]+)?(?P<kind>"
                  + alternation(vocab()["initiative_kinds"]) + r")(?![\w\-])", re.I)
# A lead-in names a list: its kind is plural ("các", "những", "nhiều", "05 sáng kiến") or announces
# what follows ("sau", "sau đây", "dưới đây").
_FOLLOWING = re.compile(r"(?<!\w)(?:sau|sau đây|dưới đây)(?!\w)", re.I)
_COUNT = re.compile(r"(?<!năm )(?<!\d)\d{1,3}\s+[^\W\d]", re.I)
# Words of a clause that describes the efforts before "như" and their examples ("các mô hình đưa dịch vụ
# công đến gần dân như “A”"): a short relative clause, longer is a sentence of its own.
MAX_DESCRIBING_WORDS = 10
# How far before the quote the lead-in's kind may stand.
MAX_LEAD_IN_CHARS = 200


def _lead_in(ctx, quote_start: int) -> str | None:
    """The kind word of a lead-in that announces a list of quoted titles ("đăng ký các mô hình sau:",
    "cùng với các sáng kiến:", "Nhiều mô hình tiêu biểu được nhân dân hưởng ứng như:"), or None."""
    view = ctx.view
    window = view[max(0, quote_start - MAX_LEAD_IN_CHARS):quote_start]
    end = _LEAD_IN_END.search(window)
    if end is None:
        return None
    clause = re.split(r"[.!?;\n]", window[:end.start()])[-1]
    offset = quote_start - len(window) + end.start() - len(clause)
    # "nhiều sáng kiến được Hội đồng thẩm định sáng kiến … đánh giá cao như:": a unit's word is no lead-in
    kinds = [k for k in lexicon.kind_re().finditer(clause) if not lexicon.in_unit_name(ctx, offset + k.start())]
    if not kinds:
        return None
    between = clause[kinds[-1].end():]
    described = lexicon.list_intro_words_prefix_re().match(between)
    # "các mô hình đưa dịch vụ công đến gần dân như “A” (…), “B” (…)": examples of what the clause describes
    for_example = end.group().lstrip().lower().startswith("như") and len(between.split()) <= MAX_DESCRIBING_WORDS \
        and not re.search(r"[,:]", between)
    if not (lexicon.list_intro_words_re().match(between) or (_DESCRIBING.match(between, described.end())
                                                             or for_example) and not _COUNT.search(between)):
        return None  # "Hội thi gồm 3 phần:": the list is of something else
    before = clause[:kinds[-1].start()]
    while (trimmed := lexicon.trailing_kind_list_re().sub("", before)) != before:
        before = trimmed  # "các sáng kiến, mô hình sau:"
    if not (lexicon.generic_lead_re().search(before) or _FOLLOWING.search(between)):
        return None  # one effort described ("Mô hình được người dân đánh giá như: “Rất tiện lợi”"), no list
    return re.sub(r"\s+", " ", ctx.doc.text[offset + kinds[-1].start():offset + kinds[-1].end()])


# A name in quotes that the sentence sets up, runs or keeps as an effort of its own, with no kind word:
# "duy trì hiệu quả 09 “Tổ công nghệ số cộng đồng”", "ra mắt “Góc dịch vụ công thanh niên”", "phát huy
# vai trò của các “Tổ …”", "biên soạn cuốn “Sổ tay …”", "trở thành “Xã điểm …”". The verb stands right
# before the quote, perhaps with an adverb, a quantifier and a classifier between them.
MAX_LAUNCHED_WORDS = 12


@lru_cache(maxsize=1)
def _launch_re() -> re.Pattern[str]:
    verbs = alternation(vocab()["initiative_launch_verbs"])
    return vre(rf"(?<!\w)(?:{verbs})(?:\s+(?:được|hiệu quả|thí điểm|thêm|mới|lại|tiếp))?"
               rf"(?:\s+(?:các|những|một|nhiều|\d{{1,3}}))?(?:\s+(?:cuốn|quyển|bộ))?\s*$", re.I)


def _launched(ctx, quote_start: int, qs: int, qe: int) -> bool:
    """Is the quote at ``quote_start`` a named effort the sentence launches (``_launch_re``), not a
    document, a unit or a long phrase?"""
    content = ctx.doc.text[qs:qe]
    if len(content.split()) > MAX_LAUNCHED_WORDS or lexicon.document_type_re().match(ctx.view, qs):
        return False
    if lexicon.unit_starts(ctx, qs, qe):
        return False  # a unit, or its channel ("Cổng thông tin điện tử Sở Nội vụ")
    line_start = ctx.view.rfind("\n", 0, quote_start) + 1
    return bool(_launch_re().search(ctx.view, max(line_start, quote_start - 60), quote_start))


def _is_speech(content: str) -> bool:
    n = len(content.split())
    return n > MAX_QUOTED_TITLE_WORDS or bool(_SPEECH.search(content)) and n > MAX_TITLE_WORDS_WITH_SENTENCES


def quoted_candidates(ctx, use_pos: bool = True) -> list[Candidate]:
    text, view = ctx.doc.text, ctx.view
    found: list[Candidate] = []
    quotes = [_across_wraps(text, m, *lexicon.quote_parts(m)) for m in lexicon.quote_re().finditer(view)]
    by_quote: dict[int, Candidate] = {}
    for index, (m, qs, qe, closed) in enumerate(quotes):
        content = text[qs:qe]
        if _is_speech(content) or not content.strip():
            continue
        how = "quote" if closed else "unclosed"
        end = qe + 1 if closed else qe
        inner = lexicon.kind_re().match(view, qs)
        if inner:
            c = Candidate(m.start(), end, qs, qe, lexicon.kind_name(inner.group("kind")), "", "quoted_kind", how)
            found.append(c)
            by_quote[index] = c
            continue
        lead = _lead_before(ctx, m.start() + 1)
        if lead is not None:
            kind_word = text[lead.start:lead.end]
            lead_words = text[lead.end:m.start()]
            if lexicon.list_intro_re().search(ctx.view[lead.end:m.start()]):
                lead_words = ""  # "các mô hình hiệu quả như: “A”": the words describe the list
            lead_words = lexicon.quote_lead_re().sub("", lead_words).strip()
            c = Candidate(lead.start, end, qs, qe, lexicon.kind_name(kind_word),
                          f"{kind_word} {lead_words}".strip(), "quoted", how)
            if closed and use_pos:
                _go_on_after_quote(ctx, c)
            found.append(c)
            by_quote[index] = c
    for index, (m, qs, qe, closed) in enumerate(quotes):
        if index in by_quote or not _title_like(text[qs:qe]):
            continue
        lead = _lead_in(ctx, m.start())
        if lead is not None:
            c = Candidate(m.start(), qe + 1 if closed else qe, qs, qe, lexicon.kind_name(lead), lead, "lead_in",
                          "quote" if closed else "unclosed")
            found.append(c)
            by_quote[index] = c
            continue
        said = _KIND_AFTER.match(view, qe + 1) if closed else None
        if said:
            kind = lexicon.kind_name(said.group("kind"))
            c = Candidate(m.start(), qe + 1, qs, qe, kind, "", "kind_after", "quote")
            found.append(c)
            by_quote[index] = c
            # "“A”, “B” và “C” là những mô hình …": the kind said after a list is every item's
            j = index - 1
            while j >= 0 and j not in by_quote and quotes[j][3] and _title_like(text[quotes[j][1]:quotes[j][2]]) \
                    and _LIST_JOIN.match(view[quotes[j][0].end():quotes[j + 1][0].start()]):
                pm, pqs, pqe, _ = quotes[j]
                c = Candidate(pm.start(), pqe + 1, pqs, pqe, kind, "", "kind_after", "quote")
                found.append(c)
                by_quote[j] = c
                j -= 1
            continue
        if _launched(ctx, m.start(), qs, qe):
            c = Candidate(m.start(), qe + 1 if closed else qe, qs, qe, named_kind(), "", "launched",
                          "quote" if closed else "unclosed")
            found.append(c)
            by_quote[index] = c
    known = {canonical_key(text[c.title_start:c.title_end]): c for c in found}
    for index, (m, qs, qe, closed) in enumerate(quotes):
        if index in by_quote or index == 0:
            continue
        content = text[qs:qe]
        if not _title_like(content):
            continue
        prev_m, pqs, pqe, pclosed = quotes[index - 1]
        between = view[prev_m.end():m.start()]
        prev = by_quote.get(index - 1) or known.get(canonical_key(text[pqs:pqe]))
        if prev is None:
            continue
        # "“A”, “B” và “C”", "“A” của X; “B” của Y", "- “A”;\n- “B”"; or "“A” là một trong hai mô hình …,
        # cùng với “B”" (the kind said between them, in one sentence)
        s_start, _ = clause_bounds(text, m.start())
        coordinated = _LIST_JOIN.match(between) or (
            prev_m.start() >= s_start and re.search(r"(?:^|\s)cùng\s+với\s*$", between, re.I)
            and lexicon.kind_re().search(between))
        if not coordinated:
            continue
        c = Candidate(m.start(), qe + 1 if closed else qe, qs, qe, prev.kind, _kind_only(prev, text), "list_item",
                      "quote" if closed else "unclosed")
        found.append(c)
        by_quote[index] = c
        known.setdefault(canonical_key(content), c)
    for index, kin in _bullet_siblings(text, view, quotes, by_quote).items():
        m, qs, qe, closed = quotes[index]
        c = Candidate(m.start(), qe + 1 if closed else qe, qs, qe, kin.kind, _kind_only(kin, text), "list_item",
                      "quote" if closed else "unclosed")
        found.append(c)
        by_quote[index] = c
    for index, (m, qs, qe, closed) in enumerate(quotes):
        if (index not in by_quote and lexicon.named_opening(view, qs) and _title_like(text[qs:qe])
                and len(text[qs:qe].split()) <= MAX_NAMED_WORDS):
            found.append(Candidate(m.start(), qe + 1 if closed else qe, qs, qe, named_kind(), "", "quoted_kind",
                                   "quote" if closed else "unclosed"))
    return found


# A bullet that opens a line of a list: its kind (the mark, or "1." / "a)" for numbers and letters).
_BULLET = re.compile(r"[ \t]*(?:(?P<mark>[-–•+*])|(?P<number>\(?\d{1,2}[.)])|(?P<letter>[a-zđ]\)))[ \t]*")
# How far from a line that opens with an initiative its siblings are looked for.
MAX_SIBLING_LINES = 30


def _bullet_kind(text: str, line_start: int) -> tuple[str, int] | None:
    """The bullet opening the line at ``line_start`` (its kind, where its content starts), or None."""
    b = _BULLET.match(text, line_start)
    if not b:
        return None
    return (b.group("mark") or ("number" if b.group("number") else "letter")), b.end()


def _bullet_siblings(text: str, view: str, quotes: list, by_quote: dict[int, Candidate]) -> dict[int, Candidate]:
    """Quotes that open a line of a bulleted list whose lines open with initiatives ("* Sáng kiến “A” của
    …: …;\n* “B” tại …;"): each is an initiative of the kind of the nearest such sibling line."""
    opening: dict[int, int] = {}  # line start -> index of the quote that opens it
    kind_by_line: dict[int, tuple[str, int]] = {}
    for index, (m, _qs, _qe, _closed) in enumerate(quotes):
        line_start = text.rfind("\n", 0, m.start()) + 1
        bullet = _bullet_kind(text, line_start)
        if bullet and bullet[1] == m.start():
            opening[line_start] = index
            kind_by_line[line_start] = bullet
    lines_of: dict[int, Candidate] = {}
    for index, c in by_quote.items():
        line_start = text.rfind("\n", 0, c.start) + 1
        bullet = _bullet_kind(text, line_start)
        if bullet and bullet[1] == c.start:
            lines_of.setdefault(line_start, c)
            kind_by_line[line_start] = bullet
    found: dict[int, Candidate] = {}
    for line_start, kin in lines_of.items():
        mark = kind_by_line[line_start][0]
        for step in (-1, 1):
            at = line_start
            for _ in range(MAX_SIBLING_LINES):
                if step < 0:
                    if at == 0:
                        break
                    at = text.rfind("\n", 0, at - 1) + 1
                else:
                    at = text.find("\n", at) + 1
                    if at == 0:
                        break
                bullet = _bullet_kind(text, at)
                if bullet is None or bullet[0] != mark:
                    break
                index = opening.get(at)
                if index is not None and index not in by_quote and _title_like(text[quotes[index][1]:quotes[index][2]]) \
                        and not lexicon.document_type_re().match(view, quotes[index][1]):
                    found.setdefault(index, kin)
    return found


_NEXT_WORD = re.compile(r"[ \t]+(?=[^\W\d_])")
# A name goes on after its quote with a phrase of its own ("… “Chi hội 4 không” vận động hội viên nộp hồ
# sơ"): a verb alone before the sentence's next word is the sentence's ("“X” gắn với …", "“X” đến …").
MIN_WORDS_AFTER_QUOTE = 3


def _go_on_after_quote(ctx, c: Candidate) -> None:
    """ "Mô hình “Chi hội 4 không” vận động hội viên …" is one title: a verb right after the closing
    quote goes on with the name, up to the sentence's own predicate or adjunct (``boundary``)."""
    nxt = _NEXT_WORD.match(ctx.view, c.end)
    if not nxt or not ctx.view[nxt.end()].islower():
        return
    words = tag(flatten(ctx.view[nxt.end():nxt.end() + 40]))
    first = canonical_key(words[0].text) if words else ""
    if not words or words[0].tag != "V" or first in lexicon.title_stops() or first in lexicon.non_openings():
        return  # "nhân rộng mô hình “X” ra các xã": a direction of the sentence's verb
    bound = title_end(ctx, nxt.end())
    if len(ctx.doc.text[nxt.end():bound.end].split()) >= MIN_WORDS_AFTER_QUOTE:
        c.end = c.title_end = bound.end
        c.boundary = "after_quote"


def named_kind() -> str:
    return vocab()["initiative_named_openings_kind"]


def _kind_only(prev: Candidate, text: str) -> str:
    """A list item takes its list's kind word, without the first item's lead words."""
    if prev.form == "quoted_kind":
        m = lexicon.kind_re().match(text, prev.title_start)
        return m.group("kind") if m else ""
    m = lexicon.kind_re().match(prev.kind_word)
    return m.group("kind") if m else prev.kind_word
