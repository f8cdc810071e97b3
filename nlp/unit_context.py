"""Places after a unit's head, and where a document speaks from (its home).

``parse_tail`` reads what follows a head: a place with its admin word ("tỉnh Kon Tum",
"Quận 6", "TP.Vĩnh Long", "P.3", "đặc khu Phú Quý"), a province name alone ("Hà Nội"),
an admin word alone ("UBND tỉnh": the home province), a plural ("UBND các xã": no single
unit) or nothing. Places are checked against the gazetteer of both maps (before and
after 1 July 2025); a capitalised place it does not know is kept as written.

``detect_home`` finds the province, district and commune a document speaks from: the
issuer in its header, else the places it names (with their admin words) most and first,
else the site it came from (``ctx.home``). There is no default city: a text that names
no place leaves "Sở Nội vụ" as written.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from nlp.keys import canonical_key

from .base import Context, Home
from .gazetteer import Place, gazetteer, renamed_provinces, same_province
from .layout import Chrome, chrome_of
from .unit_grammar import data, starts_no_place
from .vocab import alternation, vre

MAX_PLACE_TOKENS = 6  # "Cam Ly - Đà Lạt", "Bà Rịa - Vũng Tàu"
MAX_UNKNOWN_PLACE_TOKENS = 3  # old communes of three syllables ("xã San Sả Hồ"); four are rare

NUMBERED_KINDS = ("quận", "phường", "p")
_GENERIC_LEAD = vre(r"[ \t]*(?:các|những|mọi|\d+)\s", re.I)  # "UBND các quận", "UBND 14 phường"
_PLURAL_WORD = vre(r"[ \t]*(?:các|những|mọi)\s", re.I)
_ADMIN_WORDS = r"tp\.|p\.(?=\s?\d)|(?:thành\s+phố|thị\s+xã|thị\s+trấn|đặc\s+khu|tỉnh|tp|quận|huyện|phường|xã)(?!\w)"
# "Tỉnh ủy", "Thành đoàn" are heads of their own, not an admin word and a place
_ADMIN = vre(rf"[ \t]*\n?[ \t]*(?P<admin>{_ADMIN_WORDS})(?![ \t]+(?:ủy|uỷ|đoàn|(?-i:hội|HỘI))(?!\w))", re.I)
# "UBND các huyện, thị xã": a plural; "Ủy ban MTTQ Việt Nam huyện, Huyện đoàn": a list's next head ("Huyện đoàn")
_PLURAL_AFTER_ADMIN = vre(r"\s*(?:,|và|/)\s*(?:thành\s+phố|thị\s+xã|thị\s+trấn|đặc\s+khu|tỉnh|tp\b|quận|huyện|phường|xã)(?!\w)"
                          r"(?![ \t]+(?:ủy|uỷ|đoàn|(?-i:hội|HỘI))(?!\w))", re.I)
_LEVEL_WORD = vre(r"[ \t]+cấp[ \t]+(?:tỉnh|huyện|xã|cơ\s+sở|trên|dưới)(?!\w)", re.I)  # "UBND cấp xã": a level, no unit
_HCM_FUSED = vre(r"[ \t]*(?:tp\.?\s*hcm|tphcm|tp\.?\s*hồ\s+chí\s+minh)(?!\w)", re.I)
_TOKEN = vre(r"(?:[ \t]+|[ \t]*\n[ \t]*|(?<=\.))(?P<t>[^\s,.;:()“”\"/|*…]+)")
_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
_CENTRAL_TAIL = vre(r"[ \t]+(?:Trung\s+ương|Việt\s+Nam)(?!\w)")


@dataclass(frozen=True, slots=True)
class PlaceTail:
    end: int
    place: Place | None = None
    admin: str | None = None  # province | city | district | commune, when an admin word was written
    admin_word: str | None = None
    plural: bool = False
    known: bool = True  # the gazetteer knows the place
    level_word: bool = False  # "cấp xã": a level of government, not one unit


def admin_level(word: str) -> str | None:
    word = re.sub(r"\s+", " ", word).lower().rstrip(".")
    return data()["admin_words"].get(word, data()["admin_words"].get(word + "."))


def _tokens(view: str, text: str, pos: int) -> list[tuple[str, int]]:
    """Capitalised syllables or a number after ``pos``: candidate place names, with their ends."""
    out: list[tuple[str, int]] = []
    while len(out) < MAX_PLACE_TOKENS:
        m = _TOKEN.match(view, pos)
        if not m:
            break
        tok = text[m.start("t"):m.end("t")]
        if tok in ("-", "–") and out:  # "Cam Ly - Đà Lạt": a 2025 name joined by a dash
            nxt = _TOKEN.match(view, m.end("t"))
            if nxt and text[nxt.start("t")].isupper():
                out.append((f"{tok}", m.end("t")))
                pos = m.end("t")
                continue
            break
        # a number closes a name: a numbered ward ("Phường 3") or a 2025 ward named after its old town ("Hà Giang 1")
        if not (tok[0].isupper() or (tok.isdigit() and len(tok) <= 2) or (out and tok[0].isalpha())):
            break
        out.append((tok, m.end("t")))
        pos = m.end("t")
        if tok.isdigit():
            break
    return out


def _name_of(tokens: list[tuple[str, int]], n: int) -> str:
    return " ".join(t for t, _ in tokens[:n])


def _kind_of_word(admin_word: str | None) -> str | None:
    if not admin_word or admin_word in ("tp", "p"):
        return {"p": "Phường"}.get(admin_word or "")
    return admin_word[:1].upper() + admin_word[1:]


def lookup(admin: str | None, name: str, home: Home, admin_word: str | None = None) -> Place | None:
    g = gazetteer()
    if name.isdigit() and admin_word not in NUMBERED_KINDS:
        return None  # only quận and phường are numbered: "huyện 2", "xã 3" name no place
    if admin in (None, "province", "city"):
        place = g.province(name)
        if place and (admin != "province" or place.kind == "Tỉnh") and (admin != "city" or place.kind == "Thành phố"):
            return place
        if place and admin == "province" and canonical_key(name) != canonical_key(place.short):
            # an old name of a province renamed since ("tỉnh Thừa Thiên Huế", now Thành phố Huế): as written
            return Place(f"Tỉnh {name}", name, "province", "Tỉnh")
    if admin is None and home.province:
        # a district of the home province named bare after its body: "Thành đoàn Thuận An", "Kho bạc Nhà nước Trần Văn Thời"
        found = [p for p in g.districts_named(name) if same_province(p.province, home.province)]
        if len(found) == 1:
            return found[0]
    if admin in ("district", "city"):
        kinds = {"city": "Thành phố"}.get(admin)
        found = g.districts_named(name, kinds)
        if admin == "district":
            found = [p for p in found if p.kind != "Thành phố"] or found
        if len(found) > 1 and home.province:
            found = [p for p in found if same_province(p.province, home.province)] or found
        if found:
            return found[0]
    if admin == "commune":
        kind = _kind_of_word(admin_word)
        of_kind = g.communes_named(name, kind)
        found = of_kind or g.communes_named(name)
        near = [p for p in found if same_province(p.province, home.province)] if home.province else []
        if not of_kind and not near:
            return None  # "thị trấn Thanh Nê" is not "Xã Thanh" of another province: a longer name, unknown here
        nearer = [p for p in near if p.district == home.district] if home.district else []
        found = nearer or near or found
        if len({p.name for p in found}) == 1 and (near or len({p.province for p in found}) == 1):
            return found[0]
        if near:
            return near[0]
    return None


def parse_tail(view: str, text: str, pos: int, home: Home) -> PlaceTail:
    """What follows a unit head: a place, an admin word alone, a plural, or nothing."""
    if _GENERIC_LEAD.match(view, pos):
        return PlaceTail(pos, plural=True)
    level = _LEVEL_WORD.match(view, pos)
    if level:
        return PlaceTail(level.end(), plural=True, level_word=True)
    fused = _HCM_FUSED.match(view, pos)
    if fused:
        return PlaceTail(fused.end(), gazetteer().province("TPHCM"), "city", "TP")
    admin_m = _ADMIN.match(view, pos)
    admin = admin_word = None
    start = pos
    if admin_m:
        admin_word = re.sub(r"\s+", " ", admin_m.group("admin")).lower().rstrip(".")
        admin = "city" if admin_word == "tp" else admin_level(admin_word)
        start = admin_m.end()
        if _PLURAL_AFTER_ADMIN.match(view, start) or _PLURAL_WORD.match(view, start):
            return PlaceTail(start, plural=True)
    tokens = _tokens(view, text, start)
    # A place's name may wrap onto the next line once ("tỉnh Thừa Thiên\nHuế"), when the line's part names no place
    breaks = [i for i in range(1, len(tokens)) if "\n" in view[tokens[i - 1][1]:tokens[i][1]]] + [len(tokens)] * 2
    line_part_is_no_place: bool | None = None
    for n in range(len(tokens), 0, -1):
        if tokens[n - 1][0] in ("-", "–") or n > breaks[1]:
            continue
        if n > breaks[0]:
            if line_part_is_no_place is None:
                line_part_is_no_place = lookup(admin, _name_of(tokens, breaks[0]), home, admin_word) is None
            if not line_part_is_no_place or not tokens[breaks[0]][0][0].isupper():
                continue
        place = lookup(admin, _name_of(tokens, n), home, admin_word)
        if place:
            return PlaceTail(tokens[n - 1][1], as_written(place, admin_word), admin, admin_word)
    capitalised = []
    for tok, tok_end in tokens:
        if not tok[0].isupper() or (capitalised and "\n" in view[capitalised[-1][1]:tok_end]) \
                or starts_no_place(view, text, tok_end - len(tok)):
            break
        capitalised.append((tok, tok_end))
    tokens = capitalised
    if admin and admin != "city" and tokens and not tokens[0][0].isdigit() and admin_word \
            and "\n" not in view[start:tokens[0][1]]:
        # A place the gazetteer does not know: merged or renamed long ago ("tỉnh Cửu Long"). Kept as written;
        # never a word of the next line (a header "ỦY BAN NHÂN DÂN TỈNH") nor words in capitals ("XÃ HỘI CHỦ NGHĨA").
        n = min(len(tokens), MAX_UNKNOWN_PLACE_TOKENS)
        name = _name_of(tokens, n)
        if not name.isupper() or (n == len(tokens) and _LINE_END.match(view, tokens[-1][1])):
            # in capitals only a header's line ("HUYỆN TÂN THÀNH"), never the motto ("XÃ HỘI CHỦ NGHĨA VIỆT NAM")
            kind = _kind_of_word(admin_word) or admin_word
            name = name.title() if name.isupper() else name  # a place's name has capital initials
            place = Place(f"{kind} {name}", name, admin, kind, home.province if admin != "province" else None,
                          home.district if admin == "commune" else None)
            return PlaceTail(tokens[n - 1][1], place, admin, admin_word, known=False)
    return PlaceTail(start, None, admin, admin_word)


def as_written(place: Place, admin_word: str | None) -> Place:
    """The place with the kind the text wrote: "thị xã Trà Vinh" stays a thị xã though it is a city now."""
    if not admin_word or place.level == "province" or admin_word in ("tp", "p"):
        return place
    kind = admin_word[:1].upper() + admin_word[1:]
    if canonical_key(kind) == canonical_key(place.kind):
        return place
    return Place(f"{kind} {place.short}", place.short, place.level, kind, place.province, place.district, place.era)


def central_tail(view: str, pos: int) -> int | None:
    """"Trung ương" / "Việt Nam" after a name: a national body ("Ban Thi đua - Khen thưởng Trung ương")."""
    m = _CENTRAL_TAIL.match(view, pos)
    return m.end() if m else None


def home_place(admin: str | None, home: Home) -> Place | None:
    """The home's place at the level an admin word asks for (``None``: the nearest one)."""
    g = gazetteer()
    province = g.province(home.province) if home.province else None
    district = _home_district(home)
    if admin == "province":
        return province if province and province.kind == "Tỉnh" else None
    if admin == "city":
        if province and province.kind == "Thành phố":
            return province
        return district if district and district.kind == "Thành phố" else None
    if admin == "district":
        return district if district and district.kind != "Thành phố" else None
    if admin == "commune":
        return _home_commune(home)
    if admin is None:
        return district or province
    return None


def home_at(level: str, home: Home) -> Place | None:
    """The home's place of one level, whatever its kind ("Phòng Nội vụ" of a home "Thành phố Thuận An")."""
    if level == "province":
        return gazetteer().province(home.province) if home.province else None
    return _home_district(home) if level == "district" else _home_commune(home)


def _home_district(home: Home) -> Place | None:
    """The home district as the text names it: a district the gazetteer knows under another kind since
    ("huyện Sa Pa", a thị xã since 2019) keeps the text's kind; one it does not know is kept as written."""
    if not home.district:
        return None
    kind, _, short = home.district.partition(" ")
    if kind in ("Thị", "Thành"):  # "Thị xã X", "Thành phố X": a kind of two words
        kind2, _, short = short.partition(" ")
        kind = f"{kind} {kind2}"
    found = gazetteer().districts_named(short)
    exact = next((p for p in found if p.name == home.district), None)
    if exact is not None:
        return exact
    near = [p for p in found if home.province and same_province(p.province, home.province)]
    if near:
        return as_written(near[0], kind.lower())
    return Place(home.district, short, "district", kind, home.province)


def _home_commune(home: Home) -> Place | None:
    if not home.commune:
        return None
    for kind in ("Phường", "Xã", "Thị trấn", "Đặc khu"):
        if home.commune.startswith(kind + " "):
            short = home.commune[len(kind) + 1:]
            found = [p for p in gazetteer().communes_named(short, kind, home.province) if p.name == home.commune]
            if found:
                return found[0]
            return Place(home.commune, short, "commune", kind, home.province, home.district)
    return None


# --- the place a sentence speaks of -----------------------------------------------

# A sentence that opens on a place ("Tại tỉnh Bình Phước (cũ), Ban Chỉ đạo CCHC tỉnh …", "Tại xã X, UBND xã …")
# speaks of that place to its end: "tỉnh", "xã" there are that place's.
_TOPIC_LEAD = vre(r"(?:^|(?<=\n)|(?<=[.;!?][ \t]))[ \t]*(?:Tại|Ở|Riêng|Đối\s+với|Riêng\s+tại)[ \t]+", re.I | re.M)
_TOPIC_COMMA = vre(r"[ \t]*(?:\(cũ\)[ \t]*)?,", re.I)
# A sentence ends at its stop, or at a blank line or a list's next item (a line break alone may be a PDF's wrap).
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n[ \t]*(?:\n|[-+•*|]|\d{1,2}[.)][ \t]|[IVX]{1,4}\.[ \t]|[a-zđ]\)[ \t])")
MAX_TOPIC_CHARS = 600  # a sentence runs a few lines


@dataclass(frozen=True, slots=True)
class Topic:
    start: int
    end: int
    home: Home


def sentence_topics(view: str, text: str, home: Home, start: int = 0, end: int | None = None) -> list[Topic]:
    """Sentences in ``view[start:end]`` that open on a place, with the home they speak from, in text order."""
    out: list[Topic] = []
    for m in _TOPIC_LEAD.finditer(view, start, len(view) if end is None else end):
        tail = parse_tail(view, text, m.end(), home)
        comma = _TOPIC_COMMA.match(view, tail.end) if tail.place is not None and tail.admin_word else None
        if comma is None:
            continue
        stop = _SENTENCE_END.search(view, comma.end(), comma.end() + MAX_TOPIC_CHARS)
        out.append(Topic(m.start(), stop.start() if stop else comma.end() + MAX_TOPIC_CHARS, _topic_home(tail.place, home)))
    return out


def _topic_home(place: Place, home: Home) -> Home:
    if place.level == "province":
        return Home(place.name, topic=True)
    province = place.province or home.province
    if place.level == "district":
        return Home(province, place.name, topic=True)
    district = place.district or (home.district if same_province(province, home.province) else None)
    return Home(province, district, place.name, topic=True)


# --- where a document speaks from -------------------------------------------------

_PLACE_MENTION = vre(rf"(?<!\w)(?P<admin>thành\s+phố|tỉnh|tp\b\.?|quận|huyện|thị\s+xã|phường|xã|thị\s+trấn|đặc\s+khu)(?!\w)"
                     rf"(?![ \t]+(?-i:hội)(?!\w))", re.I)


@dataclass(slots=True)
class Votes:
    provinces: Counter
    districts: Counter
    communes: Counter
    first: dict[str, int]  # place name -> first offset
    written: Counter  # provinces named in the text itself (not through a district or commune)


def place_votes(view: str, text: str, home: Home, chrome: Chrome | None = None) -> Votes:
    """How often (and how early) each province, district and commune is named with its admin word, outside
    addresses and related-news lists (``chrome``)."""
    votes = Votes(Counter(), Counter(), Counter(), {}, Counter())
    for m in _PLACE_MENTION.finditer(view):
        if chrome is not None and m.start() in chrome:
            continue
        tail = parse_tail(view, text, m.start(), home)
        if tail.place is None:
            continue
        place = tail.place
        if not tail.known and place.level == "province":
            continue  # a province the gazetteer lacks is no home; a district or commune merged before 2025 still is
        if place.level == "district" and _FORMER_AFTER.match(view, tail.end):
            continue  # "huyện X (cũ)", "huyện X, tỉnh Y (cũ)": a former district the text only recalls
        votes.first.setdefault(place.name, m.start())
        if place.level == "province":
            votes.provinces[place.name] += 1
            votes.written[place.name] += 1
        elif place.level == "district":
            votes.districts[place.name] += 1
            votes.provinces[place.province] += 1
        elif place.level == "commune":
            votes.communes[place.name] += 1
            if tail.known and place.province:
                votes.provinces[place.province] += 1
    for at, place in _bare_provinces(view, text):
        if chrome is not None and at in chrome:
            continue
        votes.provinces[place.name] += 1
        votes.written[place.name] += 1
    for old, renamed in renamed_provinces().items():
        new = renamed["successor"]  # "tỉnh Thừa Thiên Huế" in a text before 2025: its districts are that province's
        if votes.written[old] and not votes.written[new] and new in votes.provinces:
            votes.provinces[old] += votes.provinces.pop(new)
    return votes


def _bare_provinces(view: str, text: str) -> Iterator[tuple[int, Place]]:
    """Province names written without an admin word ("Sở Nội vụ Hà Nội", "Hà Nội: ..."), with where."""
    g = gazetteer()
    for m in _bare_province_re().finditer(view):
        if text[m.start()].isupper():
            place = g.province(m.group())
            if place:
                yield m.start(), place


@lru_cache(maxsize=1)
def _bare_province_re() -> re.Pattern[str]:
    # "Hồ Chí Minh" alone is the president's name ("tư tưởng Hồ Chí Minh", "Đoàn TNCS Hồ Chí Minh"), not the city.
    names = [p.short for p in gazetteer().provinces.values() if " " in p.short and p.short != "Hồ Chí Minh"]
    return vre(rf"(?<!\w)(?:{alternation(names)})(?!\w)")


def settled(place: Place, home: Home) -> Place:
    """``place`` with its province only where the text settles it: a name the gazetteer has in several
    provinces ("huyện Châu Thành") says nothing of its province unless the home already did."""
    if place.level == "province" or (home.province and same_province(place.province, home.province)):
        return place
    g = gazetteer()
    found = g.districts_named(place.short) if place.level == "district" else g.communes_named(place.short)
    if len({p.province for p in found}) > 1:
        return Place(place.name, place.short, place.level, place.kind, None, None, place.era)
    return place


def home_with(base: Home, places: list[Place]) -> Home:
    """``base`` with the levels it lacks filled from ``places``, the most specific first."""
    home = Home(base.province, base.district, base.commune)
    for place in places:
        if place.level == "province":
            home.province = home.province or place.name
        elif place.level == "district":
            home.district = home.district or place.name
            home.province = home.province or place.province
        elif place.level == "commune":  # its district only where the text names it: none since 2025
            home.commune = home.commune or place.name
            home.province = home.province or place.province
    return home


# "(cũ)" after a place, or after the province that follows it: a former place ("huyện X, tỉnh Y (cũ)")
_FORMER_AFTER = vre(r"(?:[ \t]*,[ \t]*(?:tỉnh|thành\s+phố)[ \t]+[^\W\d_][^,;()\n]{0,30}?)?[ \t]*\((?:[^()\n]{0,30}\s)?cũ\)",
                    re.I)
TWO_LEVEL_FROM = "2025-07-01"  # districts were dissolved: since then a text speaks from a province and a commune
EARLY_DATE_CHARS = 600  # an official text's issue date, or a news page's, stands in its first lines


def _two_level_era(ctx: Context) -> bool:
    """Is the text dated on or after 1 July 2025 (its first full date, in its first lines)?"""
    first = next((d for d in ctx.dates if d.precision == "day" and d.date), None)
    return first is not None and first.start < EARLY_DATE_CHARS and first.date >= TWO_LEVEL_FROM


def detect_home(ctx: Context, issuer_places: list[Place] = ()) -> Home:
    """The province, district and commune a document speaks from: its issuer's places (the issuer's own
    first, then its superior's), else what it names most."""
    home = home_with(ctx.home, list(issuer_places))
    votes = place_votes(ctx.view, ctx.doc.text, home, chrome_of(ctx))
    if not home.province and votes.provinces and not (not issuer_places and _central_issuer(ctx)):
        home.province = votes.provinces.most_common(1)[0][0]
    for old, renamed in renamed_provinces().items():
        if home.province == renamed["successor"] and votes.written[old] and not votes.written[home.province]:
            home.province = old  # "tỉnh Thừa Thiên Huế" in a text before 2025: its district is that province's
    title_end = ctx.doc.blocks[1].end if len(ctx.doc.blocks) > 1 else len(ctx.doc.text)
    if not home.district and votes.districts and not _two_level_era(ctx):
        top = _top(votes.districts, votes.first, title_end)
        if top:
            home.district = top
            if not home.province:
                home.province = next((p.province for p in gazetteer().districts_named(top.split(" ", 1)[1])
                                      if p.name == top), None)
    if not home.commune and votes.communes:
        home.commune = _top(votes.communes, votes.first, title_end)
    return home


def _central_issuer(ctx: Context) -> bool:
    """Does an official text's header open on a central body ("BỘ NỘI VỤ", "VĂN PHÒNG CHÍNH PHỦ")? Its
    place-date line names the seat ("Hà Nội, ngày …"), and a "Sở Nội vụ" it names is every province's,
    so the places it names are no home."""
    if "left" not in ctx.cache:
        return False  # a news page: no issuer block
    from .unit_grammar import head_re

    view, text = ctx.cache["left"]
    first = re.search(r"\S", view[:HEADER_LINE_CHARS])
    if first is None:
        return False
    m = head_re().match(view, first.start())
    return bool(m) and (m.group("central") is not None or (m.group("dept_head") or "").lower() == "bộ")


HEADER_LINE_CHARS = 200  # the issuer's first line stands within the header's first lines


EARLY_CHARS = 400  # a place named in a news text's first lines is what it is about


def _top(counts: Counter, first: dict[str, int], title_end: int) -> str | None:
    """The place named in the title or first lines, or again and again more than any other."""
    (top, count), = counts.most_common(1)
    runner_up = counts.most_common(2)[1][1] if len(counts) > 1 else 0
    early = min(counts, key=lambda name: first.get(name, 10**9))
    if first.get(early, 10**9) < max(title_end, EARLY_CHARS) and counts[early] >= runner_up:
        return early
    if count >= 2 and count > runner_up:
        return top
    return None
