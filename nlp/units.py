"""Units (organisations) with one canonical name, a level and a parent.

A mention is a *head* from the vocabularies in ``data/units.json`` (a local body
such as "UBND", a department "Sở Nội vụ", a central body "Thủ tướng Chính phủ",
a Party committee "Tỉnh ủy" ...) followed by an optional *place tail* ("tỉnh
Kon Tum", "Quận 6", "TP Hà Nội", "Hà Nội"). Places are checked against the
gazetteer; a missing place is filled from the document's home ("UBND Quận" in a
Gò Vấp article is "Ủy ban nhân dân Quận Gò Vấp"). Generic plurals ("UBND các
quận, huyện", "Ủy ban nhân dân 14 phường") name no single unit and are skipped.
underthesea's CRF NER does not tag these units (measured), so none is used.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from nlp.span import Span
from nlp.keys import canonical_key

from .base import Context, Home
from .gazetteer import Place, gazetteer
from .numbers import document_numbers
from .vocab import vre, alternation, load

# Confidence by how the unit was resolved (calibrated on the gold set, see ``cchc eval``).
CONF_CENTRAL = 0.95  # fixed names of central bodies are unambiguous
CONF_EXPLICIT_PLACE = 0.93  # the text names a place the gazetteer knows
CONF_FROM_HOME = 0.8  # place filled from the document's home: right unless the text changes subject
CONF_NO_PLACE = 0.6  # a department with no place and no home: a real unit, name incomplete
CONF_BARE_BODY = 0.55  # "Ủy ban nhân dân" with nothing after it: the home government, a guess

_GENERIC_LEAD = vre(r"[ \t]*(?:các|những|mọi|\d+)\s", re.I)  # "UBND các quận", "UBND 14 phường"
_PLURAL_WORD = vre(r"[ \t]*(?:các|những|mọi)\s", re.I)
_ADMIN = vre(r"[ \t]*\n?[ \t]*(?P<admin>thành\s+phố|thị\s+xã|thị\s+trấn|tỉnh|tp\b\.?|quận|huyện|phường|xã)(?!\w)", re.I)
_PLURAL_AFTER_ADMIN = vre(r"\s*(?:,|và|/)\s*(?:thành\s+phố|thị\s+xã|thị\s+trấn|tỉnh|tp\b|quận|huyện|phường|xã)(?!\w)", re.I)
_HCM_FUSED = vre(r"[ \t]*(?:tp\.?\s*hcm|tphcm|tp\.?\s*hồ\s+chí\s+minh)(?!\w)", re.I)
_LAW_TITLE = vre(r"(?:Luật|Pháp lệnh|Nghị định)\b[^.;\n]*$|và\s*$|tổ chức\s*$", re.I)
_TOKEN = vre(r"(?:[ \t]+|[ \t]*\n[ \t]*)(?P<t>[^\s,.;:()“”\"/|]+)")
MAX_PLACE_TOKENS = 4
MAX_UNKNOWN_PLACE_TOKENS = 2
CONF_UNKNOWN_PLACE = 0.6  # a capitalised place the gazetteer does not know: old names, or not a place


@dataclass(frozen=True, slots=True)
class PlaceTail:
    end: int
    place: Place | None = None
    admin: str | None = None  # province | city | district | commune, when an admin word was written
    admin_word: str | None = None
    plural: bool = False
    known: bool = True  # the gazetteer knows the place


@dataclass(frozen=True, slots=True)
class UnitMatch:
    start: int
    end: int
    canonical: str
    level: str
    parent: str | None
    confidence: float
    source: str


@lru_cache(maxsize=1)
def _data() -> dict:
    return load("units")


@lru_cache(maxsize=1)
def _head_re() -> re.Pattern[str]:
    d = _data()
    local = alternation([w for name, aliases in d["local_bodies"].items() for w in [name, *aliases]])
    depts = alternation(d["departments"] + list(d["department_aliases"]))
    central = alternation(d["central"] + list(d["central_aliases"]))
    party = alternation(d["party_local"])
    named = alternation(d["local_named"])
    not_gov = alternation(d["not_after_government"])
    return vre(
        rf"(?<![\w/&\-])(?:(?P<central>{central})(?!\s+(?:{not_gov})(?!\w))"
        rf"|(?P<named>{named})|(?P<party>{party})"
        rf"|(?P<dept_head>Sở|Phòng|Bộ)\s+(?P<dept>{depts})"
        rf"|(?P<local>{local}))(?![\w\-])",
        re.I,
    )


def _canon_from(words: list[str], aliases: dict[str, str], written: str) -> str:
    return _canon_table(tuple(words), tuple(aliases.items())).get(canonical_key(written), written)


@lru_cache(maxsize=16)
def _canon_table(words: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Key of every spelling -> its canonical name, built once per vocabulary (aliases win)."""
    table = {canonical_key(w): w for w in words}
    table.update({canonical_key(alias): target for alias, target in aliases})
    return table


def _tokens(view: str, text: str, pos: int) -> list[tuple[str, int]]:
    """Capitalised syllables or a number after ``pos``: candidate place names, with their ends."""
    out: list[tuple[str, int]] = []
    while len(out) < MAX_PLACE_TOKENS:
        m = _TOKEN.match(view, pos)
        if not m:
            break
        tok = text[m.start("t"):m.end("t")]
        if not (tok[0].isupper() or (tok.isdigit() and len(tok) <= 2 and not out)):
            break
        out.append((tok, m.end("t")))
        pos = m.end("t")
        if tok.isdigit():
            break
    return out


def _lookup(admin: str | None, name: str, home: Home) -> Place | None:
    g = gazetteer()
    if admin in (None, "province", "city"):
        place = g.province(name)
        if place and (admin != "province" or place.kind == "Tỉnh") and (admin != "city" or place.kind == "Thành phố"):
            return place
    if admin in ("district", "city"):
        kinds = {"city": "Thành phố"}.get(admin)
        found = g.districts_named(name, kinds)
        if admin == "district":
            found = [p for p in found if p.kind != "Thành phố"] or found
        if len(found) > 1 and home.province:
            found = [p for p in found if p.province == home.province] or found
        if found:
            return found[0]
    if admin == "commune":
        found = g.communes_named(name, None, home.province, home.district) or \
            g.communes_named(name, None, home.province)
        if len(found) == 1 or (found and home.district):
            return found[0]
    return None


def parse_tail(view: str, text: str, pos: int, home: Home) -> PlaceTail:
    """What follows a unit head: a place, an admin word alone, a plural, or nothing."""
    if _GENERIC_LEAD.match(view, pos):
        return PlaceTail(pos, plural=True)
    fused = _HCM_FUSED.match(view, pos)
    if fused:
        return PlaceTail(fused.end(), gazetteer().province("TPHCM"), "city", "TP")
    admin_m = _ADMIN.match(view, pos)
    admin = admin_word = None
    start = pos
    if admin_m:
        admin_word = re.sub(r"\s+", " ", admin_m.group("admin")).lower().rstrip(".")
        admin = _data()["admin_words"].get(admin_word, "city" if admin_word == "tp" else None)
        start = admin_m.end()
        if _PLURAL_AFTER_ADMIN.match(view, start) or _PLURAL_WORD.match(view, start):
            return PlaceTail(start, plural=True)
    tokens = _tokens(view, text, start)
    for n in range(len(tokens), 0, -1):
        name = " ".join(t for t, _ in tokens[:n])
        place = _lookup(admin, name, home)
        if place:
            return PlaceTail(tokens[n - 1][1], _as_written(place, admin_word), admin, admin_word)
    if admin and admin != "city" and tokens and not tokens[0][0].isdigit() and admin_word:
        # A place the gazetteer does not know: merged or renamed long ago ("tỉnh Cửu Long"). Kept as written.
        n = min(len(tokens), MAX_UNKNOWN_PLACE_TOKENS)
        name = " ".join(t for t, _ in tokens[:n])
        if not name.isupper() or len(name) > 3:
            level = {"province": "province", "district": "district", "commune": "commune"}[admin]
            kind = admin_word[:1].upper() + admin_word[1:]
            place = Place(f"{kind} {name}", name, level, kind, home.province if level != "province" else None)
            return PlaceTail(tokens[n - 1][1], place, admin, admin_word, known=False)
    return PlaceTail(start, None, admin, admin_word)


def _as_written(place: Place, admin_word: str | None) -> Place:
    """The place with the kind the text wrote: "thị xã Trà Vinh" stays a thị xã though it is a city now."""
    if not admin_word or place.level == "province":
        return place
    kind = admin_word[:1].upper() + admin_word[1:]
    if kind == "Tp":
        return place
    if canonical_key(kind) == canonical_key(place.kind):
        return place
    return Place(f"{kind} {place.short}", place.short, place.level, kind, place.province, place.district)


def _home_place(admin: str | None, home: Home) -> Place | None:
    g = gazetteer()
    province = g.province(home.province) if home.province else None
    district = None
    if home.district:
        found = g.districts_named(home.district.split(" ", 1)[-1] if not home.district[-1].isdigit() else home.district.split()[-1])
        district = next((p for p in found if p.name == home.district), None)
    if admin == "province":
        return province if province and province.kind == "Tỉnh" else None
    if admin == "city":
        if province and province.kind == "Thành phố":
            return province
        return district if district and district.kind == "Thành phố" else None
    if admin == "district":
        return district if district and district.kind != "Thành phố" else None
    if admin is None:
        return district or province
    return None


def _local_body(body: str, place: Place) -> tuple[str, str, str | None]:
    parent = None
    if place.level == "district":
        parent = f"{body} {place.province}"
    elif place.level == "commune":
        parent = f"{body} {place.district}"
    return f"{body} {place.name}", place.level, parent


def resolve(view: str, text: str, m: re.Match[str], home: Home) -> UnitMatch | None:
    d = _data()
    written = text[m.start():m.end()]
    tail = parse_tail(view, text, m.end(), home)
    if tail.plural:
        return None
    place, conf = tail.place, CONF_EXPLICIT_PLACE if tail.known else CONF_UNKNOWN_PLACE
    if m.group("central"):
        name = _canon_from(d["central"], d["central_aliases"], written)
        return UnitMatch(m.start(), m.end(), name, "central", None, CONF_CENTRAL, "units.central")
    if m.group("dept_head"):
        head = m.group("dept_head").capitalize()
        dept = _canon_from(d["departments"], d["department_aliases"], text[m.start("dept"):m.end("dept")])
        level = d["department_levels"][head]
        if level == "central":
            return UnitMatch(m.start(), m.end(), f"Bộ {dept}", "central", None, CONF_CENTRAL, "units.ministry")
        wanted = "province" if level == "province" else "district"
        if place is None or place.level != wanted:
            place, conf = _home_place(tail.admin or ("province" if wanted == "province" else "district"), home), CONF_FROM_HOME
            if wanted == "province" and place is None and home.province:
                place = gazetteer().province(home.province)
            end = tail.end if tail.admin else m.end()
        else:
            end = tail.end
        if place is None or place.level != wanted:
            if level == "district":
                return None  # "Phòng Nội vụ" with no district names no single unit
            return UnitMatch(m.start(), m.end(), f"Sở {dept}", "province", None, CONF_NO_PLACE, "units.department")
        parent = f"Ủy ban nhân dân {place.name}"
        return UnitMatch(m.start(), end, f"{head} {dept} {place.name}", level, parent, conf, "units.department")
    if m.group("party"):
        head = _canon_from(d["party_local"], {}, written)
        suffix = next(k for k in d["party_levels"] if head.endswith(k))
        level = d["party_levels"][suffix]
        if place is None:
            place, conf = _home_place("province" if level == "province" else None, home), CONF_FROM_HOME
            if level == "province" and place is None and home.province:
                place = gazetteer().province(home.province)
            end = m.end()
        else:
            end = tail.end
        if place is None or place.level != level:
            return None
        return UnitMatch(m.start(), end, f"{head} {place.short}", level, None, conf, "units.party")
    if m.group("named"):
        head = _canon_from(d["local_named"], d["local_named_aliases"], written)
        if place is None and tail.admin:
            place, conf = _home_place(tail.admin, home), CONF_FROM_HOME
        if place is None:
            return None
        return UnitMatch(m.start(), tail.end, f"{head} {place.name}", place.level, None, conf, "units.named")
    body = _canon_from(list(d["local_bodies"]), {a: n for n, al in d["local_bodies"].items() for a in al}, written)
    if place is None:
        if tail.admin in ("commune",):
            return None
        if tail.admin is None and _LAW_TITLE.search(view[max(0, m.start() - 25):m.start()]):
            return None  # "Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân": a law's title, not a unit
        place = _home_place(tail.admin, home)
        conf = CONF_FROM_HOME if tail.admin else CONF_BARE_BODY
        if place is None:
            return None
    name, level, parent = _local_body(body, place)
    return UnitMatch(m.start(), tail.end, name, level, parent, conf, "units.local_body")


def find_units(view: str, text: str, home: Home, start: int = 0, end: int | None = None,
               skip: list[tuple[int, int]] = ()) -> Iterator[UnitMatch]:
    """Unit mentions in ``view[start:end]``, leaving out those inside ``skip`` ranges (document numbers)."""
    for m in _head_re().finditer(view, start, len(view) if end is None else end):
        if not text[m.start()].isupper():
            continue  # units are written capitalised; "bộ phận", "chính phủ" in lower case are words
        if any(s <= m.start() < e for s, e in skip):
            continue
        unit = resolve(view, text, m, home)
        if unit:
            yield unit


# --- where a document speaks from -------------------------------------------------

_PLACE_MENTION = vre(r"(?<!\w)(?P<admin>thành\s+phố|tỉnh|tp\b\.?|quận|huyện|thị\s+xã)(?!\w)", re.I)


def place_votes(view: str, text: str, home: Home) -> tuple[Counter, Counter]:
    """How often each province and district is named with its admin word."""
    provinces: Counter = Counter()
    districts: Counter = Counter()
    for m in _PLACE_MENTION.finditer(view):
        tail = parse_tail(view, text, m.start(), home)
        if tail.place is None or not tail.known:
            continue  # only places the gazetteer knows decide where a document speaks from
        if tail.place.level == "province":
            provinces[tail.place.name] += 1
        elif tail.place.level == "district":
            districts[tail.place.name] += 1
            provinces[tail.place.province] += 1
    for key, place in _bare_provinces(view, text):
        provinces[place.name] += 1
    return provinces, districts


def _bare_provinces(view: str, text: str) -> Iterator[tuple[str, Place]]:
    """Province names written without an admin word ("Sở Nội vụ Hà Nội", "Hà Nội: ...")."""
    g = gazetteer()
    for m in _bare_province_re().finditer(view):
        if text[m.start()].isupper():
            place = g.province(m.group())
            if place:
                yield m.group(), place


@lru_cache(maxsize=1)
def _bare_province_re() -> re.Pattern[str]:
    names = [p.short for p in gazetteer().provinces.values() if " " in p.short]
    return vre(rf"(?<!\w)(?:{alternation(names)})(?!\w)")


def detect_home(ctx: Context, issuer: UnitMatch | None = None) -> Home:
    """The province and district a document speaks from: its issuer, else what it names most."""
    home = Home(ctx.home.province, ctx.home.district, ctx.home.commune)
    if issuer is not None:
        place_name = issuer.canonical
        for place in _places_in(place_name):
            if place.level == "province":
                home.province = home.province or place.name
            elif place.level == "district":
                home.district = home.district or place.name
                home.province = home.province or place.province
    provinces, districts = place_votes(ctx.view, ctx.doc.text, home)
    if not home.province and provinces:
        home.province = provinces.most_common(1)[0][0]
    if not home.district and districts:
        title_end = ctx.doc.blocks[1].end if len(ctx.doc.blocks) > 1 else len(ctx.doc.text)
        title_votes = Counter(p for p, _ in place_votes(ctx.view[:title_end], ctx.doc.text[:title_end], home)[1].items())
        (top, count), = districts.most_common(1)
        runner_up = districts.most_common(2)[1][1] if len(districts) > 1 else 0
        # A district is home when the title names it, or the text names it again and again.
        if top in title_votes or (count >= 2 and count > runner_up):
            home.district = top
            if not home.province:
                home.province = next((p.province for p in gazetteer().districts_named(top.split(" ", 1)[1])
                                      if p.name == top), None)
    return home


def _places_in(canonical: str) -> list[Place]:
    g = gazetteer()
    out = []
    for prefix in ("Ủy ban nhân dân ", "Hội đồng nhân dân "):
        if canonical.startswith(prefix):
            rest = canonical[len(prefix):]
            place = g.province(rest)
            if place:
                out.append(place)
            else:
                kind, _, short = rest.partition(" ")
                for p in g.districts_named(short, kind):
                    if p.name == rest:
                        out.append(p)
                        break
    return out


class Units:
    name = "units"

    def extract(self, ctx: Context) -> Iterator[Span]:
        numbers = [(n.start, n.end) for n in document_numbers(ctx) if not n.bare]
        for u in find_units(ctx.view, ctx.doc.text, ctx.home, skip=numbers):
            value = {"canonical": u.canonical, "level": u.level, "parent": u.parent}
            yield ctx.span("unit", u.start, u.end, value, u.confidence, u.source)
