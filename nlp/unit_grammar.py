"""The grammar of Vietnamese organisation names, compiled once from ``data/units.json``.

A unit mention is ``HEAD NAME [(ABBR)] [cấp cao tại X] [TAIL]``:

* HEAD is one of the vocabularies: a fixed central body ("Thủ tướng Chính phủ"), a local
  government ("UBND"), a department ("Sở Nội vụ", "Phòng Tư pháp", "Bộ Y tế"), a Party or
  youth committee ("Tỉnh ủy", "Đảng ủy", "Thành đoàn"), a body that takes only a place
  ("Công an", "Thanh tra", "Tòa án nhân dân", "Đoàn" + "xã X"), or a *named head*
  ("Cục", "Vụ", "Ban", "Hội", "Trung tâm", "Văn phòng", "Hội đồng", "Đài", "Trường" ...)
  that needs a name.
* NAME (named heads only) starts with a known specialty ("Phục vụ hành chính công",
  "Thi đua - Khen thưởng"; any case) or a capitalised word, and runs over words until a
  boundary: punctuation, an admin word ("tỉnh", "xã"), another unit's head (the parent:
  "Ban Tổ chức Đảng ủy Khối"), a province name, or a function word or verb from
  ``name_stops`` ("đã", "phối hợp", "tổ chức" ...). "và", "," and " - " join two parts
  when a capitalised word that starts no unit follows ("Ban Thanh niên, Công nhân và Đô thị").
  Heads that are also ordinary words ("Ban", "Hội", "Đoàn", "Trung tâm") thus count only
  with a capital and a name.
* TAIL (place, parent, home) is resolved in ``nlp/unit_context.py`` and ``nlp/units.py``.

Own compiled patterns, not spaCy's Matcher (measured by ``scripts/bench_unit_matcher.py`` on
38 texts of the corpus and the shared dev set, median per text, a loaded 2-core machine): one
compiled alternation finds every head in 0.38 ms; a blank spaCy pipeline needs 1.16 ms just to
tokenise the text before its PhraseMatcher (0.02 ms) can run, three times the cost for the same
heads. And the grammar after a head needs character offsets, the tone-convention folding of the
matching view, and look-ahead at the next word's case and at line breaks, which regexes over the
view express directly and token patterns would have to re-derive. The grammar stays data (the
vocabularies in ``units.json``); this module only compiles it, once per process.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterator

from nlp.keys import canonical_key

from .vocab import alternation, load, vre

MAX_NAME_WORDS = 12  # the longest agency names ("Cảnh sát quản lý hành chính về trật tự xã hội") have ~10 syllables
_WORD = re.compile(r"[ \t]*(?:\n[ \t]*)?([^\s,.;:!?()\[\]“”\"'’/|*…]+)")
_JOIN = re.compile(r"[ \t]*(,|-|–|và)(?=[ \t\n])")
_ABBR = re.compile(r"[ \t]*\((?P<abbr>[A-ZĐ][A-ZĐ0-9&\-.]{1,12})\)")
_NUMBERED = vre(r"[ \t]+số[ \t]+(?P<n>\d{1,3})(?![\d/])", re.I)  # "Chi nhánh số 6", not "… số 62/2014/QH13"
_HIGH_COURT = vre(r"[ \t]+cấp[ \t]+cao[ \t]+tại[ \t]+", re.I)
_REGION = vre(r"[ \t]+khu[ \t]+vực(?:[ \t]+(?P<n>\d{1,2}(?!\d)|(?-i:[IVX]{1,4})(?!\w)))?", re.I)
_DASH = re.compile(r"[ \t]*[-–]")
_NATIONAL = vre(r"Việt[ \t]+Nam(?!\w)")


@lru_cache(maxsize=1)
def data() -> dict:
    return load("units")


_SEPARATOR = re.compile(r"\s*(?:,|\s-|-\s|\svà\s)\s*")


@lru_cache(maxsize=1)
def department_aliases() -> dict[str, str]:
    """Written spellings -> canonical department: the aliases, and each name with its parts joined by
    "và", "," or " - " in any mix ("Thông tin - truyền thông" is "Thông tin và Truyền thông")."""
    d = data()
    out = dict(d["department_aliases"])
    for name in d["departments"] + list(set(d["department_aliases"].values())):
        parts = _SEPARATOR.split(name)
        if len(parts) < 2:
            continue
        for sep in (" và ", ", ", " - "):
            for last in (" và ", sep):
                variant = sep.join(parts[:-1]) + last + parts[-1]
                target = d["department_aliases"].get(name, name)
                out.setdefault(variant, target)
    return {k: v for k, v in out.items() if canonical_key(k) not in {canonical_key(x) for x in d["departments"]}}


@lru_cache(maxsize=1)
def head_re() -> re.Pattern[str]:
    """Every unit head, longest first, in named groups by kind (the only pattern over the whole text)."""
    d = data()
    local = alternation([w for name, aliases in d["local_bodies"].items() for w in [name, *aliases]])
    depts = alternation(d["departments"] + list(department_aliases()))
    central = alternation(d["central"] + list(d["central_aliases"]))
    party = alternation(d["party_local"])
    named = alternation(d["local_named"] + list(d["local_named_aliases"]))
    heads = alternation([h for h in d["named_heads"] if not h.startswith("_")] + list(d["head_aliases"]))
    not_gov = alternation(d["not_after_government"])
    cells = alternation(d["cell_heads"]["heads"])
    hamlets = alternation(d["cell_heads"]["hamlets"])
    return vre(
        rf"(?<![\w/&\-])(?:(?P<central>{central})(?!\s+(?:{not_gov})(?!\w))"
        rf"|(?P<cell>{cells})(?=[ \t]+(?:{hamlets})[ \t]+\w)"
        rf"|(?P<dept_head>Sở|Phòng|Bộ)\s+(?P<dept>{depts})(?![\w\-])"
        # a hyphen glued to the next clause ends a head ("Thành ủy-cơ quan"); one before a code does not ("UBND-VP")
        rf"|(?P<party>{party})|(?P<local>{local})|(?P<named>{named})|(?P<head>{heads}))(?!\w)(?!-(?-i:[A-ZĐ0-9]))",
        re.I,
    )


@lru_cache(maxsize=1)
def specialty_re() -> re.Pattern[str]:
    return vre(rf"[ \t]*\n?[ \t]*(?P<s>{alternation(data()['specialties'])})(?![\w\-])", re.I)


@lru_cache(maxsize=1)
def _admin_word_re() -> re.Pattern[str]:
    words = [w for w in data()["admin_words"] if not w.endswith(".")]
    # "Xã hội" (society) in a name is no admin word: "Phòng Văn hóa - Xã hội"
    return vre(rf"(?:{alternation(words)}|p\.|tp\.)(?!\w)(?![ \t]+(?-i:hội)(?!\w))|(?:cấp|khu vực)(?!\w)", re.I)


@lru_cache(maxsize=1)
def _stops() -> frozenset[str]:
    return frozenset(canonical_key(w) for w in data()["name_stops"])


@lru_cache(maxsize=1)
def _group_words() -> frozenset[str]:
    """Words that start another group after a joiner, never the next part of a name ("Ban Giám khảo, Tổ Thư ký")."""
    return frozenset(canonical_key(w) for w in data()["group_words"]["words"])


@lru_cache(maxsize=1)
def _role_re() -> re.Pattern[str]:
    """Capitalised words that start a person's title, not a name ("Đảng bộ Khối, Phó Trưởng ban")."""
    return vre(rf"[ \t]*(?:{alternation(data()['role_words'])})(?!\w)")


@lru_cache(maxsize=1)
def _acronyms() -> frozenset[str]:
    return frozenset(data()["known_acronyms"]) | frozenset(data()["name_abbreviations"])


@lru_cache(maxsize=1)
def _not_place_re() -> re.Pattern[str]:
    return vre(rf"(?:{alternation(data()['not_place_words']['words'])}|(?-i:[IVX]+))(?!\w)", re.I)


def starts_no_place(view: str, text: str, pos: int) -> bool:
    """Does the capitalised word at ``pos`` start something other than a place's name: a time or part of a document
    ("Quý II"), a person's title ("Phó Chủ tịch"), or a unit head of more than one syllable ("Phòng Tư pháp")?"""
    if _not_place_re().match(view, pos) or _role_re().match(view, pos):
        return True
    m = head_re().match(view, pos)
    return bool(m) and text[pos].isupper() and " " in m.group().strip()


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


@lru_cache(maxsize=1)
def _province_start_re() -> re.Pattern[str]:
    from .gazetteer import gazetteer

    names = {p.short for p in gazetteer().provinces.values() if " " in p.short and p.short != "Hồ Chí Minh"}
    return vre(rf"(?:{alternation(names)})(?!\w)")


def canon(words: list[str], aliases: dict[str, str], written: str) -> str:
    return _canon_table(tuple(words), tuple(aliases.items())).get(canonical_key(written), written)


@lru_cache(maxsize=32)
def _canon_table(words: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Key of every spelling -> its canonical name, built once per vocabulary (aliases win)."""
    table = {canonical_key(w): w for w in words}
    table.update({canonical_key(alias): target for alias, target in aliases})
    return table


@dataclass(frozen=True, slots=True)
class Name:
    end: int
    text: str  # the name as written, abbreviations expanded: "Mặt trận Tổ quốc Việt Nam"
    known: bool  # it starts with a known specialty
    cut: bool = False  # it stopped before lower-case words that may still be part of it ("viên chức các cơ quan")


def _boundary_at(view: str, text: str, pos: int) -> bool:
    """Does a unit head, an admin word or a province name start at ``pos`` (after blanks)?"""
    at = _BLANK.match(view, pos).end()
    if at < len(text) and text[at].isupper() and (head_re().match(view, at) or _province_start_re().match(view, at)):
        return True
    return bool(_admin_word_re().match(view, at))


_BLANK = re.compile(r"[ \t]*\n?[ \t]*")


@lru_cache(maxsize=1)
def _lower_specialties() -> frozenset[str]:
    """Specialties a body's name writes in lower case ("Bộ phận tiếp nhận và trả kết quả")."""
    return frozenset(canonical_key(s) for s in data()["specialties"] if s[0].islower())


def parse_name(view: str, text: str, pos: int, need_specialty: bool = False) -> Name | None:
    """The name after a named head at ``pos``, or None when no name follows (a common noun)."""
    words: list[str] = []
    known = False
    end = pos
    sm = specialty_re().match(view, pos)
    numbered = _NUMBERED.match(view, pos)
    if numbered:
        return Name(numbered.end(), f"số {numbered.group('n')}", True)
    if need_specialty and sm and text[sm.start("s")].islower() \
            and canonical_key(text[sm.start("s"):sm.end("s")]) not in _lower_specialties():
        return None  # "đài truyền thanh xã": a kind of facility in lower case, not a body's proper name
    if sm and "\n" not in view[pos:sm.start("s")]:
        words.append(text[sm.start("s"):sm.end("s")])
        end, known, first = sm.end(), True, sm.start("s")
    else:
        m = _WORD.match(view, pos)
        if need_specialty or not m or "\n" in view[pos:m.start(1)]:
            return None
        word = text[m.start(1):m.end(1)]
        if not word[0].isupper() or _boundary_at(view, text, pos) or _role_re().match(view, pos) \
                or bare_own_level(view, pos) \
                or (_is_acronym(word) and word not in _acronyms()):
            return None
        words.append(word)
        end, first = m.end(), m.start(1)
    cut = False
    after_specialty = known
    last_start = first  # where the name's last written word starts (a specialty counts as one)
    while len(words) < MAX_NAME_WORDS:
        sm = specialty_re().match(view, end)
        if sm and "\n" not in view[end:sm.start("s")]:
            words.append(text[sm.start("s"):sm.end("s")])
            end, after_specialty = sm.end(), True
            continue
        join = _JOIN.match(view, end)
        if join:
            sm = specialty_re().match(view, join.end())
            if sm and text[sm.start("s")].isupper() and "\n" not in view[join.end():sm.start("s")]:
                # "… và Truyền thông": a known part, whole
                words.append(_joined(join.group(1), text[sm.start("s"):sm.end("s")]))
                end, after_specialty = sm.end(), True
                continue
            after = _WORD.match(view, join.end())
            if after and text[after.start(1)].isupper() and not _boundary_at(view, text, join.end()) \
                    and not _role_re().match(view, join.end()) and "\n" not in view[join.end():after.start(1)] \
                    and canonical_key(text[after.start(1):after.end(1)]) not in _group_words():
                words.append(_joined(join.group(1), text[after.start(1):after.end(1)]))
                end, after_specialty = after.end(), False
                continue
            break
        m = _WORD.match(view, end)
        if not m or _boundary_at(view, text, end) or _role_re().match(view, end) or bare_own_level(view, end):
            break
        word = text[m.start(1):m.end(1)]
        if "\n" in view[end:m.start(1)] and not (word[0].islower() and canonical_key(word) not in _stops()) \
                and not _NATIONAL.match(view, m.start(1)):
            break  # a line ends the name, unless the next line goes on in lower case or with the national
            # qualifier that closes a mass organisation's name ("Hội Sinh viên\nViệt Nam tỉnh X"): a PDF's wrap
        if after_specialty and word[0].islower():
            break  # a known name is whole: "Văn phòng Đăng ký quyền sử dụng đất thẩm tra hồ sơ"
        numbered = word[0].isdigit() and _numbered_name(words, word, view, m.end())
        noun = word[0].islower() and canonical_key(word) in _stops() and _noun_word_end(text, m.start(1))
        if noun and _name_goes_on(view, text, noun):
            # "Khu công nghiệp Đồng Nai", "Công nghệ thông tin tỉnh": a stop syllable opening a noun that closes
            # the name before its place or a capitalised word, not a verb ("… thị trường chủ trì rà soát")
            words.append(text[m.start(1):noun])
            end, after_specialty = noun, False
            continue
        if word[0].islower() and canonical_key(word) in _stops() and _closes_word(text, last_start, m.start(1)):
            words.append(word)  # "Cục Hàng không", "Cục Đăng kiểm": the stop ends the word the name began
            end, after_specialty, last_start = m.end(), False, m.start(1)
            continue
        run = word[0].islower() and canonical_key(word) in _stops() and _run_to_place(view, text, m.start(1))
        if run:
            # "Trung tâm Kiểm định chất lượng công trình xây dựng tỉnh X": words, none a lone function word,
            # that run on to the name's place or parent
            words.append(text[m.start(1):run])
            end, after_specialty, last_start = run, False, m.start(1)
            continue
        if not numbered and not word[0].isupper() and (canonical_key(word) in _stops() or not word[0].isalpha()) \
                and not _closes_compound(words, word):
            cut = canonical_key(word) in ("các", "những")
            break
        if word[0].isdigit() and not numbered:
            break
        if _is_acronym(word) and word not in _acronyms():
            break
        words.append(word)
        end, after_specialty, last_start = m.end(), False, m.start(1)
    return Name(end, expand(_join(words)), known, cut)


@lru_cache(maxsize=1)
def _compounds() -> dict[str, frozenset[str]]:
    """Last syllable -> the keys of the compounds it closes ("tiến" -> {"xúc tiến", "cải tiến"})."""
    out: dict[str, set[str]] = {}
    for w in data()["name_compounds"]["words"]:
        key = canonical_key(w)
        out.setdefault(key.split()[-1], set()).add(key)
    return {k: frozenset(v) for k, v in out.items()}


def _closes_compound(words: list[str], word: str) -> bool:
    """Does ``word`` (a name stop) close a word begun by the name so far ("Xúc" + "tiến", "Kinh tế" + "số")?"""
    keys = _compounds().get(canonical_key(word))
    if not keys:
        return False
    tail = canonical_key(_join(words)).split()
    return any(tail[-(len(k.split()) - 1):] == k.split()[:-1] for k in keys)


MAX_NAME_NUMBER = 9999  # "Chương trình 135", "Đề án 06": a programme's number, never a year's or a document's


def _numbered_name(words: list[str], word: str, view: str, end: int) -> bool:
    """Is ``word`` the number of a programme the name is for ("Ban Chỉ đạo Đề án 06 tỉnh X")?"""
    return word.isdigit() and int(word) <= MAX_NAME_NUMBER and not view.startswith("/", end) \
        and canonical_key(" ".join(words[-2:])) in _numbered_words()


@lru_cache(maxsize=1)
def _numbered_words() -> frozenset[str]:
    return frozenset(canonical_key(w) for w in data()["numbered_names"]["words"])


@lru_cache(maxsize=1)
def _numbered_word_re() -> re.Pattern[str]:
    """The first syllable of a programme's word before its number ("Đề án 30", "Chương trình 135")."""
    return vre(rf"(?:{alternation(data()['numbered_names']['words'])})(?:[ \t]+\w+)?[ \t]+\d{{1,4}}(?![\w/])", re.I)


def _joined(sep: str, part: str) -> str:
    """A part of a name after its joiner: ", Hạ tầng", " - Xã hội", " và Truyền thông"."""
    return ("," if sep == "," else f" {'-' if sep in '-–' else sep}") + " " + part


def _join(words: list[str]) -> str:
    out = ""
    for w in words:
        out += w if w.startswith(",") or not out else (w if w.startswith(" ") else f" {w}")
    return re.sub(r"\s+", " ", out).strip()


@dataclass(frozen=True, slots=True)
class Hamlet:
    end: int
    name: str  # "khu phố 2", "thôn Tân Lập"


@lru_cache(maxsize=1)
def _hamlet_re() -> re.Pattern[str]:
    hamlets = alternation(data()["cell_heads"]["hamlets"])
    return vre(rf"[ \t]+(?P<w>{hamlets})[ \t]+(?P<n>\d{{1,3}}[A-Z]?(?!\w)|[^\W\d_][^\s,.;:()]*(?:[ \t]+[^\W\d_][^\s,.;:()]*){{0,2}})",
               re.I)


MAX_HAMLET_WORDS = 3  # "thôn Đông Hòa Bắc"


def parse_hamlet(view: str, text: str, pos: int) -> Hamlet | None:
    """"khu phố 2", "thôn Tân Lập" after a cell's head: the hamlet or quarter it belongs to (a number, or
    capitalised words)."""
    m = _hamlet_re().match(view, pos)
    if m is None:
        return None
    words = text[m.start("n"):m.end("n")].split()
    if not words[0][0].isdigit():
        words = words[:next((i for i, w in enumerate(words) if not w[0].isupper()), len(words))][:MAX_HAMLET_WORDS]
    if not words:
        return None
    end = m.start("n")
    for _ in words:
        end = _BLANK_WORD.match(text, end).end()
    return Hamlet(end, f"{text[m.start('w'):m.end('w')].lower()} {' '.join(words)}")


_BLANK_WORD = re.compile(r"[ \t]*[^\s,.;:()…]+")


def completed(name: str, head: str = "") -> str:
    """The full name of a body written short before its place ("Mặt trận Tổ quốc tỉnh" -> "… Việt Nam tỉnh",
    "Hội Phụ nữ xã" -> "Hội Liên hiệp Phụ nữ xã"), without its head."""
    table = data()["name_completions"]
    full = table.get(f"{head} {name}")
    if full is not None and full.startswith(head + " "):
        return full[len(head) + 1:]
    return table.get(name, name)


def expand(name: str) -> str:
    """Abbreviations inside a name written out ("Ủy ban MTTQ VN" -> "Ủy ban Mặt trận Tổ quốc Việt Nam")."""
    table = data()["name_abbreviations"]
    return " ".join(table.get(w, w) for w in name.split(" "))


@lru_cache(maxsize=1)
def _name_tail_re() -> re.Pattern[str]:
    tails = alternation(data()["name_tails"]["tails"])
    return vre(rf"[ \t]+(?P<t>{tails})(?![\w\-])", re.I)


def with_tail(view: str, text: str, name: Name) -> Name:
    """A name going on in the lower-case words that name a bloc or the zones a board runs ("Phòng Kiểm soát thủ
    tục hành chính khối nội chính", "Ban Quản lý Khu kinh tế X và các khu công nghiệp")."""
    m = _name_tail_re().match(view, name.end)
    if m is None or not text[m.start("t")].islower():
        return name
    return replace(name, end=m.end(), text=f"{name.text} {text[m.start('t'):m.end('t')]}", cut=False)


def parse_abbreviation(view: str, pos: int) -> int:
    """The end of a parenthesised abbreviation after a name ("Trung tâm Phục vụ hành chính công (PVHCC)"), else ``pos``."""
    m = _ABBR.match(view, pos)
    return m.end() if m else pos


_CITY_WORD = vre(r"(?:thành[ \t]+phố|tp\.?)(?=[ \t]*(?-i:[A-ZĐ]))", re.I)


def parse_high_court(view: str, text: str, pos: int) -> tuple[int, str] | None:
    """"cấp cao tại Đà Nẵng" after a court or procuracy: (end, the city as written)."""
    m = _HIGH_COURT.match(view, pos)
    if not m:
        return None
    words, end = [], m.end()
    city = _CITY_WORD.match(view, end)
    if city and text[city.start()].isupper():
        words, end = ["Thành phố"], city.end()  # "cấp cao tại Thành phố Hồ Chí Minh", "… tại TP. Hồ Chí Minh"
    while len(words) < 6:
        w = _WORD.match(view, end)
        if not w or not text[w.start(1)].isupper() or "\n" in view[end:w.start(1)]:
            break
        words.append(text[w.start(1):w.end(1)])
        end = w.end()
    return (end, " ".join(words)) if words else None


def is_abbreviated_head(written: str) -> bool:
    """Is a head written as its abbreviation ("VKSND", "BCĐ"), not a word of a heading in capitals ("BAN")?"""
    d = data()
    return canonical_key(written) in _abbreviations(tuple(d["head_aliases"]) + tuple(d["local_named_aliases"]))


@lru_cache(maxsize=1)
def _abbreviations(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(canonical_key(w) for w in words if w.isupper())


@dataclass(frozen=True, slots=True)
class Region:
    end: int
    name: str  # "khu vực 1", "khu vực II", "khu vực"
    dash: int | None  # after " - ", where a province may follow ("khu vực 1 - Quảng Ninh")


def parse_region(view: str, text: str, pos: int) -> Region | None:
    """"khu vực 1" after a head or a name: a regional body (a court, a procuracy, a branch since 2025)."""
    m = _REGION.match(view, pos)
    if not m:
        return None
    if m.group("n"):
        dash = _DASH.match(view, m.end())
        return Region(m.end(), f"khu vực {m.group('n')}", dash.end() if dash else None)
    words, end = [], m.end()  # "khu vực Chí Linh - Kinh Môn": the places it covers, capitalised
    while len(words) < MAX_REGION_WORDS:
        dash = _DASH.match(view, end) if words else None
        w = _WORD.match(view, dash.end() if dash else end)
        if not w or not text[w.start(1)].isupper() or "\n" in view[end:w.start(1)] \
                or head_re().match(view, w.start(1)) or _role_re().match(view, w.start(1)):
            break
        words.append(("- " if dash else "") + text[w.start(1):w.end(1)])
        end = w.end()
    return Region(end, " ".join(["khu vực", *words]), None)


MAX_REGION_WORDS = 6  # "khu vực Chí Linh - Kinh Môn"
MAX_LOWER_NAME_WORDS = 10  # "Hội đồng thẩm định mô hình, sáng kiến cải cách hành chính tỉnh X": names in lower case are short


def lower_names(view: str, text: str, pos: int) -> Iterator[Name]:
    """Names in lower case after a head that takes them ("Văn phòng tổng hợp", "Ban Chỉ đạo cải cách hành chính"),
    shortest first: each is a unit only where a place or a parent unit follows it, which the caller checks."""
    words: list[str] = []
    end = pos
    while len(words) < MAX_LOWER_NAME_WORDS:
        comma = _LOWER_COMMA.match(view, end) if words else None  # "thẩm định mô hình, sáng kiến …"
        at = comma.end() if comma else end
        m = _WORD.match(view, at)
        if not m or "\n" in view[at:m.start(1)] or _boundary_at(view, text, at) or _role_re().match(view, at):
            return
        word = text[m.start(1):m.end(1)]
        if words and (_numbered_name(words, word, view, m.end()) or _closes_compound(words, word)
                      or _numbered_word_re().match(view, m.start(1))):
            pass  # "Tổ công tác thực hiện Đề án 30 tỉnh X": a verb's second syllable, a programme and its number
        elif (not words and not word[0].islower()) or canonical_key(word) in _lower_stops() or not word[0].isalpha() \
                or (_is_acronym(word) and word not in _acronyms()) or (comma and not word[0].islower()):
            return
        words.append((", " if comma else "") + word)
        end = m.end()
        yield Name(end, expand(_join(words)), False)


def lower_continuations(view: str, text: str, name: Name) -> Iterator[Name]:
    """A capitalised name going on in lower case, "và" included ("Phòng Tiếp công dân và xử lý đơn",
    "Phòng Kiểm tra nghiệp vụ và thi hành án"), shortest first: each is a unit only where a place or a
    parent unit follows it, which the caller checks."""
    words: list[str] = []
    end = name.end
    while len(words) < MAX_LOWER_NAME_WORDS:
        join = _LOWER_AND.match(view, end)
        at = join.end() if join else end
        m = _WORD.match(view, at)
        if not m or "\n" in view[at:m.start(1)] or _boundary_at(view, text, at) or _role_re().match(view, at):
            return
        word = text[m.start(1):m.end(1)]
        if not word[0].islower() or canonical_key(word) in _lower_stops() or not word[0].isalpha():
            return
        words.append(("và " if join else "") + word)
        end = m.end()
        yield Name(end, expand(_join([name.text, *words])), name.known)


_LOWER_AND = vre(r"[ \t]+và(?=[ \t]+(?-i:[a-zđà-ỹ]))", re.I)
_LOWER_COMMA = re.compile(r",(?=[ \t]+\w)")


@lru_cache(maxsize=1)
def _lower_stops() -> frozenset[str]:
    d = data()["lower_names"]
    return _stops() - frozenset(canonical_key(w) for w in d["name_verbs"])


MAX_FIELD_WORDS = 4  # "giáo dục pháp luật", "quốc tịch": one field of an agency's remit
MAX_FIELDS = 4
_FIELD_COMMA = re.compile(r",[ \t]+(?=[a-zđà-ỹ])")
_FIELD_END = re.compile(r"[ \t]*(?:[;(|)]|\.(?!\w)|\n|$)")


def comma_fields(view: str, text: str, name: Name) -> Iterator[Name]:
    """An agency's name listing its fields after commas, only the first capitalised ("Cục Hộ tịch, quốc tịch,
    chứng thực", "Phòng Phổ biến, giáo dục pháp luật"), shortest first. Each part is lower-case words that are no
    function word or verb; the caller keeps a candidate only where a place or a parent follows it, or where the
    clause ends at once (";", "(", a cell's or a line's end): a comma then a clause ("Cục Thuế, các sở tham gia")
    starts with a word that stops names or runs into one."""
    words: list[str] = []
    end = name.end
    while len(words) < MAX_FIELDS:
        comma = _FIELD_COMMA.match(view, end)
        if comma is None:
            return
        part: list[str] = []
        at = comma.end()
        while len(part) < MAX_FIELD_WORDS:
            m = _WORD.match(view, at)
            if not m or "\n" in view[at:m.start(1)] or (part and _boundary_at(view, text, at)):
                break
            word = text[m.start(1):m.end(1)]
            if not word[0].islower() or not word.isalpha() or (canonical_key(word) in _stops()
                                                                and not (part and _one_word(part[-1], word))):
                break
            if not part and (_boundary_at(view, text, at) or head_re().match(view, m.start(1))):
                return  # "Cục Thuế, xã …", "Vụ Pháp chế, văn phòng bộ": a place or a body starts a new item
            part.append(word)
            at = m.end()
        if not part:
            return
        words.append(", " + " ".join(part))
        end = at
        yield Name(end, _join([name.text, *words]), False)


def ends_clause(view: str, pos: int) -> bool:
    """Does a clause, a table cell or a line end at ``pos``?"""
    return bool(_FIELD_END.match(view, pos))


def _one_word(before: str, syllable: str) -> bool:
    """Does the word segmenter join ``syllable`` (a name stop) to the syllable before it ("chứng" + "thực" is
    "chứng thực", a field; "tổ chức" after "thông tin" stays a verb of its own)?"""
    from .initiatives.postag import tag

    words = tag(f"{before} {syllable}")
    return len(words) == 1


NOUN_WINDOW = 3  # syllables the segmenter sees: the stop, the rest of its word, one more for context
_SYLLABLES = re.compile(r"[^\W\d_]+")


def _noun_word_end(text: str, pos: int) -> int | None:
    """Where a noun of two or more syllables that starts at ``pos`` with a name stop ends ("công nghiệp",
    "thông tin"), the word segmenter and its tags deciding; None for a verb ("tổ chức", "công bố") or a lone
    syllable ("năm 2024")."""
    from .initiatives.postag import tag

    syllables = []
    for m in _SYLLABLES.finditer(text, pos, min(len(text), pos + 40)):
        if text[syllables[-1].end():m.start()].strip() if syllables else m.start() != pos:
            break  # the window stays on one run of words
        syllables.append(m)
        if len(syllables) == NOUN_WINDOW:
            break
    if len(syllables) < 2:
        return None
    first = tag(text[pos:syllables[-1].end()])[0]
    if first.tag != "N" or " " not in first.text:
        return None
    return pos + first.end


def _name_goes_on(view: str, text: str, pos: int) -> bool:
    """Does a place, an admin word, a unit head or another capitalised word follow at ``pos`` on the same line?"""
    m = _WORD.match(view, pos)
    if m is None or "\n" in view[pos:m.start(1)]:
        return False
    return text[m.start(1)].isupper() or _boundary_at(view, text, pos)


_PARENT_IN_LIST = vre(r"[ \t]*(?:,|và(?=[ \t]))[ \t]*(?=(?-i:[A-ZĐ]))")  # then a unit head


# "Bộ" / "Sở" with no name after it: the text's own ministry or department ("Thanh tra Bộ", "Văn phòng Sở")
_BARE_OWN_LEVEL = vre(r"[ \t]+(?-i:(?P<level>Bộ|Sở))(?![ \t]+(?-i:[A-ZĐ]))(?![\w\-&])")


def bare_own_level(view: str, pos: int) -> re.Match[str] | None:
    return _BARE_OWN_LEVEL.match(view, pos)


def _head_after_list(view: str, pos: int) -> bool:
    m = _PARENT_IN_LIST.match(view, pos)
    return bool(m) and bool(head_re().match(view, m.end()))


MAX_RUN_WORDS = 8  # syllables a lower-case run may span before its place: "quản lý hoạt động xây dựng"


def _closes_word(text: str, start: int, pos: int) -> bool:
    """Does the segmenter read the name's last word at ``start`` and the stop syllable at ``pos`` as one word
    ("Hàng không", "Đăng kiểm")? Only a capitalised last word opens such a compound."""
    if start >= pos or not text[start].isupper() or "\n" in text[start:pos] or not text[start:pos].strip():
        return False
    from .initiatives.postag import tag

    stop = _SYLLABLES.match(text, pos)
    if stop is None:
        return False
    window = stop.end()
    after = _SYLLABLES.search(text, window, min(len(text), window + 12))
    if after and not text[window:after.start()].strip():
        window = after.end()  # one syllable more for context: "Hàng không" alone is two words to the tagger
    words = tag(text[start:window])
    return bool(words) and words[0].end >= stop.end() - start and " " in words[0].text


def _run_to_place(view: str, text: str, pos: int) -> int | None:
    """Where a lower-case run at ``pos`` ends when it reaches, on its line and without punctuation, the name's
    place or parent (an admin word, a province, "Việt Nam", a capitalised unit head, or ", " and a head),
    and no syllable of it but a joining "và" is a lone function word or verb; None otherwise."""
    from .initiatives.postag import tag

    end, bare_head = pos, False
    for _ in range(MAX_RUN_WORDS):
        if end > pos and _ABBR.match(view, end):
            break  # "… giao thông (PC08)"
        if end > pos and _head_after_list(view, end):
            bare_head = True  # "… giao thông, Sở Y tế", "… và Phòng Tư pháp"
            break
        m = _WORD.match(view, end)
        if m is None or "\n" in view[end:m.start(1)]:
            return None
        if end > pos and _NATIONAL.match(view, m.start(1)):
            break
        if end > pos and _boundary_at(view, text, end):
            bare_head = text[m.start(1)].isupper() and not _province_start_re().match(view, m.start(1))
            break
        word = text[m.start(1):m.end(1)]
        if not word[0].islower() or not word.isalpha():
            return None
        end = m.end()
    else:
        return None
    stops = _stops()
    words = tag(text[pos:end])
    if any(" " not in w.text and canonical_key(w.text) in stops and w.text != "và" for w in words):
        return None
    if bare_head and any(w.tag == "V" for w in words):
        return None  # "Phòng Tham mưu phối hợp Sở Nội vụ", "Trung tâm Y tế xây dựng kế hoạch, Sở Y tế": a verb
        # before the next body is the sentence's, not the name's
    return end
