"""The initiative vocabularies of ``nlp/data/vocab.json``, compiled once per process."""
from __future__ import annotations

import re
from functools import lru_cache

from nlp.keys import canonical_key

from ..vocab import alternation, doc_type_pattern, vocab, vre

# Quotation marks as Vietnamese texts type them: curly, straight, single, guillemets, and
# mixed pairs (“…" and "…”) from hand-edited pages.
OPEN_QUOTES = "“\"‘'«"
CLOSE_QUOTES = "”\"’'»"
MIN_QUOTED_CHARS = 3
MAX_QUOTED_CHARS = 250


@lru_cache(maxsize=1)
def kind_re() -> re.Pattern[str]:
    kinds = alternation(vocab()["initiative_kinds"])
    return vre(rf"(?<![\w\-])(?P<kind>{kinds})(?![\w\-])", re.I)


# Pairs of quotation marks; a double quote left open runs to its line's end ("…trong Công an nhân dân.").
_QUOTE_FAMILIES = (("“\"", "”\"", True), ("‘'", "’'", False), ("«", "»", False))


@lru_cache(maxsize=1)
def quote_re() -> re.Pattern[str]:
    """A quoted span on one line; the opening mark follows a space, a bracket, punctuation or a line start."""
    parts = []
    for i, (opens, closes, may_stay_open) in enumerate(_QUOTE_FAMILIES):
        body = f"[^{opens}{closes}\\n]{{{MIN_QUOTED_CHARS},{MAX_QUOTED_CHARS}}}"
        close = f"(?P<c{i}>[{closes}])" + (r"|(?=[.;]?\s*(?:\n|$))" if may_stay_open else "")
        parts.append(f"[{opens}](?P<q{i}>{body}?)(?:{close})")
    return re.compile(r"(?:(?<=[\s(\[:;,.\-–])|^)(?:" + "|".join(parts) + ")", re.M)


def quote_parts(m: re.Match[str]) -> tuple[int, int, bool]:
    """(start, end) of a quote match's content and whether its closing mark was found."""
    for i in range(len(_QUOTE_FAMILIES)):
        if m.group(f"q{i}") is not None:
            return m.start(f"q{i}"), m.end(f"q{i}"), m.group(f"c{i}") is not None
    raise ValueError("not a quote match")


def kind_name(word: str) -> str:
    """The canonical kind of a kind word as written ('Phong trào' -> 'phong trào thi đua', 'phần mềm' ->
    'giải pháp')."""
    key = canonical_key(word)
    for k, v in [*vocab()["initiative_kinds"].items(), *_quote_kinds().items()]:
        if canonical_key(k) == key:
            return v
    return key


def _quote_kinds() -> dict[str, str]:
    return {k: v for k, v in vocab()["initiative_quote_kinds"].items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def quote_kind_re() -> re.Pattern[str]:
    """A word that names an effort only right before its quoted name: 'ứng dụng “…”', 'dịch vụ “…”'."""
    return vre(rf"(?<![\w\-])(?P<kind>{alternation(_quote_kinds())})[ \t]*$", re.I)


@lru_cache(maxsize=1)
def quoted_only_kinds() -> frozenset[str]:
    return frozenset(canonical_key(k) for k in vocab()["initiative_kinds_quoted_only"])


def _words(name: str) -> frozenset[str]:
    return frozenset(canonical_key(w) for w in vocab()[name])


@lru_cache(maxsize=1)
def title_stops() -> frozenset[str]:
    return _words("initiative_title_stops")


@lru_cache(maxsize=1)
def name_negations() -> frozenset[str]:
    return _words("initiative_name_negations")


@lru_cache(maxsize=1)
def time_words() -> frozenset[str]:
    return _words("initiative_time_words")


@lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    return _words("initiative_generic_words")


# The longest phrase of the generic and stop vocabularies, in syllables ("ban hành kèm theo").
MAX_PHRASE_SYLLABLES = _MAX_PHRASE = 4


@lru_cache(maxsize=1)
def outlook_words() -> frozenset[str]:
    """What goes on after a title's period and a comma: "…, định hướng đến năm 2030", "…, tầm nhìn …"."""
    return _words("initiative_outlook_words")


_NUMBER = re.compile(r"[\d.,/\-–]+")


def name_keys(name: str, numbers_as_years: bool = True) -> list[str]:
    """The syllables of a name as canonical keys; a number reads as "năm", which names nothing by itself
    ("sáng kiến năm 2021")."""
    keys = [canonical_key(w.strip(",;:-–")) for w in name.split()]
    return ["năm" if numbers_as_years and _NUMBER.fullmatch(k) else k for k in keys]


def generic_syllables(keys: list[str], stops: bool = True) -> int:
    """How many of these syllables (canonical keys) phrases of the generic words (and of the title stops)
    cover ("cải cách hành chính năm 2013" is all generic)."""
    words = generic_words() | title_stops() if stops else generic_words()
    covered, i = 0, 0
    while i < len(keys):
        n = next((n for n in range(min(_MAX_PHRASE, len(keys) - i), 0, -1) if " ".join(keys[i:i + n]) in words), 0)
        covered += n
        i += n or 1
    return covered


def generic_phrase_at(keys: list[str]) -> int:
    """How many syllables the generic phrase that opens ``keys`` covers (0 when none does)."""
    words = generic_words()
    return next((n for n in range(min(_MAX_PHRASE, len(keys)), 0, -1) if " ".join(keys[:n]) in words), 0)


def only_generic(keys: list[str]) -> bool:
    """Do these syllables say nothing specific: each is covered by a phrase of the generic words or the
    title stops ("cải cách hành chính năm 2013", "trên địa bàn")?"""
    return generic_syllables(keys) == len(keys)


@lru_cache(maxsize=1)
def non_openings() -> frozenset[str]:
    """Words that never open a name after a kind: "mô hình ra các huyện", "cuộc thi lên …"."""
    return _words("initiative_non_openings")


@lru_cache(maxsize=1)
def generic_lead_re() -> re.Pattern[str]:
    """What before a kind word makes it a generic plural: "các sáng kiến", "tối thiểu 2 sáng kiến"."""
    leads = alternation(vocab()["initiative_generic_leads"])
    return vre(rf"(?<!\w)(?:{leads})(?:\s+\d+)?\s*$|(?<!\w)\d+\s*$", re.I)


@lru_cache(maxsize=1)
def trailing_kind_list_re() -> re.Pattern[str]:
    """A kind word closing a coordination before another: "sáng kiến, giải pháp, " ."""
    kinds = alternation(vocab()["initiative_kinds"])
    return vre(rf"(?:{kinds})\s*(?:,|và|hoặc|/)\s*$", re.I)


@lru_cache(maxsize=1)
def quote_lead_re() -> re.Pattern[str]:
    """Words between a kind and its quoted title: "mang tên", "với chủ đề", a colon."""
    leads = alternation(vocab()["initiative_quote_leads"])
    return vre(rf"\s*(?:(?:{leads})\s*)?:?\s*$", re.I)


@lru_cache(maxsize=1)
def list_heading_re() -> re.Pattern[str]:
    heads = alternation(vocab()["initiative_list_headings"])
    return vre(rf"(?<!\w)(?:{heads})(?!\w)", re.I)


@lru_cache(maxsize=1)
def caption_re() -> re.Pattern[str]:
    """A heading that announces a table or list: "Danh mục", "Danh sách", "Phụ lục", "Biểu", "Bảng"."""
    heads = alternation(vocab()["initiative_list_headings"] + vocab()["initiative_caption_words"])
    return vre(rf"(?<!\w)(?:{heads})(?!\w)", re.I)


@lru_cache(maxsize=1)
def document_type_re() -> re.Pattern[str]:
    """A document's type word ("Quyết định", "Báo cáo", "Kế hoạch") at the start of a stretch."""
    return vre(rf"(?:{doc_type_pattern()})(?!\w)", re.I)


@lru_cache(maxsize=1)
def list_intro_re() -> re.Pattern[str]:
    """A lead that opens a list ("các mô hình hiệu quả như: “A”, “B”"): its words describe the list, not a title."""
    intros = alternation(vocab()["initiative_list_intros"])
    return vre(rf"(?:^|\s)(?:{intros})\s*:?\s*$|:\s*$", re.I)


@lru_cache(maxsize=1)
def _named_opening_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    openings = alternation(vocab()["initiative_named_openings"])
    capitalised = alternation(vocab()["initiative_named_openings_capitalised"])
    return vre(rf"(?:{openings})(?!\w)", re.I), vre(rf"(?:{capitalised})\s+(?P<next>\w)", re.I)


def named_opening(view: str, pos: int) -> bool:
    """Does a quoted title at ``pos`` name its own kind of effort: a named day or month (“Ngày thứ Bảy
    vì dân”, “Thứ Bảy số”, “Chủ nhật xanh”, “Tháng Thanh niên”)?"""
    fixed, capitalised = _named_opening_res()
    if fixed.match(view, pos):
        return True
    m = capitalised.match(view, pos)
    return bool(m) and m.group("next").isupper()


@lru_cache(maxsize=1)
def owner_head_re() -> re.Pattern[str]:
    """The head of a unit named after "của" ("của UBND tỉnh", "của Sở Nội vụ"): a title's owner, not its name."""
    heads = alternation(vocab()["initiative_owner_heads"])
    return vre(rf"(?:{heads})(?![\w\-])")


@lru_cache(maxsize=1)
def list_intro_words_re() -> re.Pattern[str]:
    """What may stand between a kind and the colon of its list: "các sáng kiến tiêu biểu như sau:"."""
    words = alternation(vocab()["initiative_list_intro_words"])
    return vre(rf"^(?:\s+(?:{words}))*\s*$", re.I)


@lru_cache(maxsize=1)
def list_intro_words_prefix_re() -> re.Pattern[str]:
    """The describing words that open a stretch ("tiêu biểu", "hiệu quả"), perhaps none."""
    words = alternation(vocab()["initiative_list_intro_words"])
    return vre(rf"(?:\s+(?:{words})(?!\w))*\s*", re.I)


@lru_cache(maxsize=1)
def clause_markers() -> frozenset[str]:
    """Aspect and modal words: a stretch holding one is a clause ("Các địa phương đã hỗ trợ …"), not a name."""
    return _words("initiative_clause_markers")


@lru_cache(maxsize=1)
def label_re() -> re.Pattern[str]:
    """ "Tên sáng kiến: …", "Tên sáng kiến, giải pháp: …" as a line or a clause of prose."""
    labels = alternation(vocab()["initiative_labels"])
    kinds = alternation(vocab()["initiative_kinds"])
    return vre(rf"(?<![\w])(?P<label>{labels})(?:\s*(?:,|/|và|hoặc)\s*(?:{kinds}))*\s*:\s*(?P<title>[^\n]+)", re.I)


# After a unit's head word ("Phòng", "Sở", "Văn phòng"), its name: a capitalised word or an abbreviation,
# or the level it serves ("Công an xã", "Hội Nông dân huyện").
_NEXT_WORD = re.compile(r"[ \t]+(?P<w>\w)")
# A unit's head word is short ("Viện kiểm sát"): one that starts in a stretch may end past it.
_MAX_HEAD_CHARS = 40
_LEVEL = re.compile(r"[ \t]+(?:xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh)(?!\w)")


def unit_starts(ctx, start: int, end: int) -> list[int]:
    """Where a unit's name begins in ``text[start:end]``: a unit the units field found, or a unit's head
    written as one ("UBND", "HĐND") or followed by a name ("Phòng Tư pháp", "Văn phòng HĐND …"), not
    a common noun that shares its first word ("Bộ phận một cửa", "Hội quán")."""
    found = {u.start for u in ctx.index("units").starting_in(start, end)}
    for m in owner_head_re().finditer(ctx.view, start, end + _MAX_HEAD_CHARS):
        if m.start() >= end:
            break
        if m.start() > 0 and (ctx.view[m.start() - 1].isalnum() or ctx.view[m.start() - 1] in "-/"):
            continue
        nxt = _NEXT_WORD.match(ctx.view, m.end())
        if m.group().isupper() and len(m.group()) > 1 or nxt and nxt.group("w").isupper() or _LEVEL.match(
                ctx.view, m.end()):
            found.add(m.start())
    return sorted(found)


_NAME_WORD = re.compile(r"[ \t]+(?P<w>[^\W\d_][\w\-]*)")


def unit_end(ctx, at: int) -> int:
    """Where the unit's name that begins at ``at`` ends: the units field's span, else its head and the
    capitalised words and level that follow it ("Hội đồng Sáng kiến tỉnh")."""
    spans = [u.end for u in ctx.index("units").starting_at(at)]
    if spans:
        return max(spans)
    head = owner_head_re().match(ctx.view, at)
    end = head.end() if head else at
    while (m := _NAME_WORD.match(ctx.view, end)) and (m.group("w")[:1].isupper() or _LEVEL.match(ctx.view, end)):
        end = m.end()
    return end


# A board named after what it judges: "Hội đồng thẩm định sáng kiến", "Ban Tổ chức Cuộc thi", "Ban Giám khảo hội thi".
_BOARD_BEFORE = re.compile(r"(?<!\w)(?:Hội đồng|hội đồng|Ban|Tổ công tác)(?:[ \t]+[^\W\d]+){0,2}[ \t]+$")


def in_unit_name(ctx, pos: int) -> bool:
    """Is the kind word at ``pos`` a word of a unit's name (a unit the units field found, or a board named
    after what it judges), not a kind of effort?"""
    return ctx.index("units").holds(pos, strictly=True) or bool(_BOARD_BEFORE.search(ctx.view, max(0, pos - 40), pos))
