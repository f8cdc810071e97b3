"""Units (organisations) with one canonical name, a level, a parent and how they were resolved.

A mention is parsed by the grammar of ``nlp/unit_grammar.py`` (a head, a name for the
heads that need one, a parenthesised abbreviation, "cấp cao tại X") and its tail by
``nlp/unit_context.py`` (a place, a parent unit, or nothing). What the text leaves
implicit comes from the document's home: "UBND Quận" in a Gò Vấp article is "Ủy ban
nhân dân Quận Gò Vấp", "Trung tâm Phục vụ hành chính công phường" in a text about
phường Phú Lợi is that ward's centre. A text that names no place gets no default city.
Generic plurals ("UBND các quận, huyện", "UBND cấp xã") name no single unit and are
skipped. A named district or commune acting as a body ("huyện Võ Nhai tổ chức…",
"các xã Di Linh, xã D'Ran") is its government, "Ủy ban nhân dân <place>".

Lists share: heads listed before one place each take it ("Thường trực Đảng ủy, HĐND, UBND
phường X"), places listed after one head each get it ("UBND phường An Khánh, Cái Khế"), and
places listed after a locality or their kinds are each a body ("tại phường A, B", "05 xã, thị
trấn: A, B …", a count before the list matching it). An office serving a body names it too
("Bộ phận tiếp nhận và trả kết quả của UBND xã X"); a Party cell is named by its hamlet ("Chi
bộ khu phố 2, thị trấn X"). A sentence opening on a place ("Tại xã X, …") speaks of it. A
body without a place belongs to the home of the kind its head names: a Thành ủy to a city
(centrally-run or district-level, never a province), a Phòng to the home district of any
kind or, for the departments a commune has since 2025, to the home commune.

Every span's value carries the features a fitted confidence model needs: ``path`` (how
it was resolved, one per ``CONF_*`` constant), ``head`` (the head's kind) and
``place_known`` (the gazetteer knows its place). underthesea's CRF NER does not tag
these units (measured), so none is used.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterator

from nlp.span import Span

from .base import Context, Home
from .gazetteer import Place, gazetteer, same_province, successor
from .numbers import document_numbers
from .ranges import Ranges, SpanIndex
from .layout import chrome_of, street_before
from .unit_context import (PlaceTail, admin_level, central_tail, home_at, home_place, parse_tail, sentence_topics,
                           _PLACE_MENTION)
from .unit_grammar import (Name, bare_own_level, canon, comma_fields, completed, data, department_aliases, ends_clause,
                           head_re, is_abbreviated_head, lower_continuations, lower_names, parse_abbreviation,
                           parse_hamlet, parse_high_court, parse_name, parse_region, with_tail)
from .vocab import alternation, vre

# Confidence by resolution path: the share of such units a reader confirms, checked against score.py's
# reliability table on the shared dev set (right/judged there in brackets), shrunk towards what a rule
# new to unseen texts earns: a dev set of 36 texts cannot show a path is never wrong.
CONF_CENTRAL = 0.95  # fixed names of central bodies are unambiguous (dev 36/36 with ministries)
CONF_EXPLICIT_PLACE = 0.93  # the text names a place the gazetteer knows (dev 24/24)
CONF_PARENT = 0.92  # a named agency with its parent unit: "Vụ Cải cách hành chính, Bộ Nội vụ" (dev 13/13)
CONF_NAMED_PLACE = 0.92  # a named agency with a known place: "Hội Nông dân tỉnh Sơn La" (dev 15/15)
CONF_FROM_HOME = 0.9  # place filled from the document's home: right unless the text changes subject (dev 33/33)
CONF_NAMED_HOME = 0.88  # a named provincial agency placed in the home province (dev 17/18)
CONF_NAMED_CENTRAL = 0.85  # a named central agency without a parent: "Cục Kiểm soát thủ tục hành chính" (dev 1/1)
CONF_LOCALITY = 0.85  # a named district or commune acting as a body: its government (dev 24/24, a new rule)
CONF_UNKNOWN_PLACE = 0.7  # a capitalised place the gazetteer does not know: old names, or not a place (dev 1/1)
CONF_NO_PLACE = 0.7  # a department with no place and no home: a real unit, name incomplete (dev 1/1)
CONF_BARE_BODY = 0.7  # "Ủy ban nhân dân" with nothing after it: the home government (dev 4/4)
CONF_SHARED_PLACE = 0.88  # a head listed before another's place ("Đảng ủy, UBND xã X"): right unless the list mixes levels
CONF_REGION = 0.8  # a regional body by its number ("Chi cục Thuế khu vực II"): its province left implicit
CONF_BARE_NAME = 0.6  # a named agency with neither place, parent nor home: often a generic mention (dev 2/3)

MAX_PARENT_DEPTH = 2
_LAW_TITLE = vre(r"(?:Luật|Pháp lệnh|Nghị định)\b[^.;\n]*$|và\s*$|tổ chức\s*$", re.I)
_PARENT_SEP = vre(r"(?P<sep>[ \t]*,[ \t]*|[ \t]+thuộc[ \t]+|[ \t]*\n?[ \t]*)", re.I)
_NOT_A_BODY_BEFORE = vre(
    r"(?:địa\s+bàn|địa\s+chỉ|trụ\s+sở|tọa\s+lạc|đóng\s+tại|thuộc|\bở|\bvề|\bđến|\btừ|đường|khu\s+vực|\bngoài|"
    r"sáp\s+nhập|sắp\s+xếp|hợp\s+nhất|thành\s+lập|nhập|một\s+phần|\d+\s*-?)[ \t]*(?:các[ \t]+)?$", re.I)
_LAW_BEFORE = vre(r"(?<!\w)(?:Luật|Pháp[ \t]+lệnh)[ \t]+(?:Tổ[ \t]+chức[ \t]+)?$", re.I)
_ADDRESS_AFTER = re.compile(r"[ \t]*[-–][ \t]*(?:[Qq]uận|[Hh]uyện|[Tt]ỉnh|TP|[Tt]hành phố)")
_GENERIC_BEFORE = vre(r"(?<!\w)(?:(?:các|những|một\s+số|mọi)\s+(?:chi\s+nhánh\s+)?|(?-i:chi\s+nhánh)\s+)$", re.I)
# "phường Hương Long (cũ)", "phường Đa Kao (Quận 1 cũ)": a former place, no body
_FORMER = vre(r"[ \t]*(?:\(cũ\)|cũ(?!\w)|trước\s+đây|\([^()\n]{0,40}(?<!\w)cũ\))", re.I)
_WORD_AFTER = re.compile(r"[ \t]+[^\W\d_]")  # a name or a word goes on after a head
_ADMIN_BEFORE = vre(r"(?<!\w)(?:thành\s+phố|thị\s+xã|thị\s+trấn|đặc\s+khu|tỉnh|huyện|quận|phường|xã)[ \t]+$", re.I)
_BLANK_SAME_LINE = re.compile(r"[ \t]*")
_BLANKS = re.compile(r"\s*")
_OF_PARENT = vre(r"[ \t]*(?:của[ \t]+)?", re.I)
_OF_LEVEL = vre(r"[ \t]+của[ \t]+(?:các[ \t]+|\d{1,3}[ \t]+)?(?:tỉnh|thành\s+phố|huyện|quận|xã|phường|thị\s+trấn|bộ|sở|ngành)(?!\w)", re.I)
# a quoted title may wrap once onto the next line ("“Bộ phận một cửa thân\nthiện”" in a PDF's or a TXT's lines)
_QUOTES = re.compile(r"“[^”\n]{0,200}(?:\n[^”\n]{0,200})?”|\"[^\"\n]{0,200}(?:\n[^\"\n]{0,200})?\"")


@dataclass(frozen=True, slots=True)
class UnitMatch:
    start: int
    end: int
    canonical: str
    level: str
    parent: str | None
    confidence: float
    source: str
    head: str = "local"  # the head's kind: central, department, party, local, named, agency, locality
    place_known: bool | None = None  # None: no place involved
    label: str = ""  # the canonical name without its place ("Công an"), for places coordinated after it
    place: Place | None = None
    next_head: int = 0  # where the next unit's mention starts: a list's next head, the parent named inside this one
    at: Place | None = None  # the place the unit belongs to, however its name writes it ("Huyện ủy Lạc Sơn")

    @property
    def path(self) -> str:
        return self.source.removeprefix("units.")


def _head_re() -> re.Pattern[str]:
    """Where unit heads start (initiatives asks whether a title runs into a unit)."""
    return head_re()


def _m(start: int, end: int, canonical: str, level: str, parent: str | None, conf: float, path: str,
       head: str, place: Place | None | bool = None) -> UnitMatch:
    known = place if isinstance(place, bool) or place is None else place.era in ("legacy", "2025")
    placed = isinstance(place, Place) and canonical.endswith(place.name)
    label = canonical[: -len(place.name)].rstrip() if placed else ""
    return UnitMatch(start, end, canonical, level, parent, conf, f"units.{path}", head, known, label,
                     place if placed else None, at=place if isinstance(place, Place) else None)


def after_2025(unit: UnitMatch) -> dict | None:
    """The unit's successor after 1 July 2025, where the map knows its place: the same body of the
    merged province or commune; a district's government is gone, its communes' governments follow it."""
    if unit.place is None or not unit.label:
        return None
    succ = successor(unit.place)
    if succ is None:
        return None
    if succ.status == "abolished":
        names = [f"{unit.label} {c}" for c in succ.names] if unit.label in data()["local_bodies"] else []
        return {"status": "abolished", "successors": names, "province": succ.province}
    return {"status": succ.status, "successors": [f"{unit.label} {succ.names[0]}"], "province": succ.province}


def _place_conf(tail: PlaceTail, known_conf: float = CONF_EXPLICIT_PLACE) -> float:
    return known_conf if tail.known else CONF_UNKNOWN_PLACE


def _local_body(body: str, place: Place) -> tuple[str, str, str | None]:
    parent = None
    if place.level == "district":
        parent = f"{body} {place.province}"
    elif place.level == "commune" and place.district:
        parent = f"{body} {place.district}"
    elif place.level == "commune" and place.province:
        parent = f"{body} {place.province}"
    return f"{body} {place.name}", place.level, parent


def _resolve_department(view: str, text: str, m: re.Match[str], tail: PlaceTail, home: Home) -> UnitMatch | None:
    d = data()
    head = m.group("dept_head").capitalize()
    dept = canon(d["departments"], department_aliases(), text[m.start("dept"):m.end("dept")])
    level = d["department_levels"][head]
    if level == "central":
        return _m(m.start(), m.end(), f"Bộ {dept}", "central", None, CONF_CENTRAL, "ministry", "department")
    # A Phòng is a district's; since 1 July 2025 a commune has its own few ("Phòng Văn hóa - Xã hội phường X").
    levels = ("province",) if level == "province" else \
        ("district", "commune") if dept in d["commune_departments"]["names"] else ("district",)
    place, conf, end = tail.place, _place_conf(tail), tail.end
    if place is None or place.level not in levels:
        place, conf, end = _department_home(tail, levels, home), CONF_FROM_HOME, (tail.end if tail.admin else m.end())
    if place is None:
        if level == "district":
            return None  # "Phòng Nội vụ" with no district names no single unit
        return _m(m.start(), m.end(), f"Sở {dept}", "province", None, CONF_NO_PLACE, "department_no_place", "department")
    path = "department" if conf != CONF_FROM_HOME else "department_home"
    return _m(m.start(), end, f"{head} {dept} {place.name}", place.level, f"Ủy ban nhân dân {place.name}", conf, path,
              "department", place)


def _department_home(tail: PlaceTail, levels: tuple[str, ...], home: Home) -> Place | None:
    """The home's place a department without a place belongs to: the level its admin word asks for
    ("Phòng Nội vụ thành phố"), else the nearest home of a level it exists at."""
    if tail.admin:
        place = home_place(tail.admin, home)
        if place is None and "province" in levels:
            place = home_at("province", home)  # "Sở Nội vụ tỉnh" in a text about a centrally-run city
        return place if place is not None and place.level in levels else None
    return next((p for p in (home_at(level, home) for level in levels) if p is not None), None)


def _resolve_party(m: re.Match[str], text: str, view: str, tail: PlaceTail, home: Home, depth: int) -> UnitMatch | None:
    d = data()
    written = text[m.start():m.end()]
    head = canon(d["party_local"], {}, written)
    kind = next((k for suffix, k in d["party_places"].items() if head.endswith(suffix) and not suffix.startswith("_")),
                None)
    place, conf, end = tail.place, _place_conf(tail), tail.end
    if kind is None:  # "Đảng ủy", "Đảng bộ": the level of their place, or a named bloc ("Đảng ủy Khối")
        if place is None and tail.admin:  # "Bí thư Đảng ủy phường": the home ward's
            place, conf = home_place(tail.admin, home), CONF_FROM_HOME
        elif place is None and home.topic and home.commune and not _WORD_AFTER.match(view, m.end()):
            place, conf = home_at("commune", home), CONF_FROM_HOME  # "Tại xã X, … của Đảng ủy, …": that commune's
        if place is not None:
            return _m(m.start(), end, f"{head} {place.name}", place.level, None, conf,
                      "party" if conf != CONF_FROM_HOME else "party_home", "party", place)
        return _resolve_named(view, text, m.start(), m.end(), head, "province", home, depth, "party")
    if place is None and not tail.admin and kind not in ("Tỉnh", "Thành phố"):
        unique = _unique_district(view, text, m.end(), kind)  # "HUYỆN ỦY NAM ĐÀN" heading a text with no home yet
        if unique.place is not None:
            place, conf, end = unique.place, CONF_EXPLICIT_PLACE, unique.end
    if place is None:
        place, conf = _party_home(kind, home), CONF_FROM_HOME
        end = tail.end if tail.admin else m.end()
    if place is None or place.level != _party_level(kind, place):
        return None
    return _m(m.start(), end, f"{head} {place.short}", place.level, None, conf,
              "party" if conf != CONF_FROM_HOME else "party_home", "party", place)


def _unique_district(view: str, text: str, pos: int, kind: str) -> PlaceTail:
    """A district of ``kind`` named bare at ``pos`` whose name no other district of the country bears."""
    tail = _bare_place(view, text, pos, kind, "district", Home())
    if tail.place is None or len(gazetteer().districts_named(tail.place.short)) != 1:
        return PlaceTail(pos)
    return tail


def _party_level(kind: str, place: Place) -> str:
    return "province" if kind == "Tỉnh" or (kind == "Thành phố" and place.level == "province") else "district"


def _party_home(kind: str, home: Home) -> Place | None:
    """The home place a committee without a place belongs to: a Thành ủy the home city (a centrally-run one, else a
    district-level one), a Tỉnh ủy the home province if it is a tỉnh, a Huyện ủy the home district if it is no city."""
    for level in ("province", "district"):
        place = home_at(level, home)
        if place is None:
            continue
        if kind == "Thành phố" and place.kind == "Thành phố":
            return place
        if kind == "Tỉnh" and level == "province" and place.kind == "Tỉnh":
            return place
        if kind not in ("Tỉnh", "Thành phố") and level == "district" and place.kind != "Thành phố":
            return place
    return None


def _resolve_local_body(view: str, text: str, m: re.Match[str], tail: PlaceTail, home: Home) -> UnitMatch | None:
    d = data()
    written = text[m.start():m.end()]
    body = canon(list(d["local_bodies"]), {a: n for n, al in d["local_bodies"].items() for a in al}, written)
    place, conf, path = tail.place, _place_conf(tail), "local_body"
    if place is None:
        if tail.admin is None and _LAW_TITLE.search(view[max(0, m.start() - 25):m.start()]):
            return None  # "Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân": a law's title, not a unit
        place = home_place(tail.admin, home)
        conf, path = (CONF_FROM_HOME, "local_body_home") if tail.admin else (CONF_BARE_BODY, "local_body_bare")
        if place is None:
            return None
    name, level, parent = _local_body(body, place)
    return _m(m.start(), tail.end, name, level, parent, conf, path, "local", place)


def _resolve_place_head(view: str, text: str, m: re.Match[str], tail: PlaceTail, home: Home,
                        depth: int) -> UnitMatch | None:
    """A body that takes a place ("Công an TP.Vĩnh Long", "Thanh tra tỉnh", "Đoàn xã Tây Giang")."""
    d = data()
    head = canon(d["local_named"], d["local_named_aliases"], text[m.start():m.end()])
    if tail.place is None and not tail.admin and (head in d["named_heads"] or head in d["parent_heads"]["heads"]):
        return _resolve_named(view, text, m.start(), m.end(), head, d["named_heads"].get(head, "province"), home, depth,
                              "agency")
    regional = _numbered_region(view, text, m.start(), m.end(), head, home, d)
    if regional is not None:
        return regional
    place, conf, path = tail.place, _place_conf(tail), "named_place"
    if place is None and tail.admin:
        place, conf, path = home_place(tail.admin, home), CONF_FROM_HOME, "named_home"
    if place is None:
        return None
    # a province named bare after a central body's local branch is kept as written: "Kho bạc Nhà nước Đồng Nai"
    written = place.short if place.level == "province" and not tail.admin_word and path == "named_place" else place.name
    return _m(m.start(), tail.end, f"{head} {written}", place.level, None, conf, path, "named", place)


_LIST_BEFORE = vre(r"(?:,|[ \t]và)[ \t]*$", re.I)
_ITEM_DELIMITERS = ",;:(\n"
MAX_LIST_ITEM = 80  # characters back to the previous item's head: a body's name with its place


def _list_item(view: str, text: str, start: int) -> bool:
    """Does the body at ``start`` follow another body of a list ("Cục A, Cục B")? Its own comma then goes on
    with the list, it does not name its parent."""
    lo = max(0, start - MAX_LIST_ITEM)
    sep = _LIST_BEFORE.search(view, lo, start)
    if not sep:
        return False
    item = max(view.rfind(c, lo, sep.start()) for c in _ITEM_DELIMITERS) + 1
    if item == 0 and lo > 0:
        return False  # no item boundary within reach
    at = _BLANK_SAME_LINE.match(view, item).end()
    return at < len(text) and text[at].isupper() and bool(head_re().match(view, at))


def _resolve_named(view: str, text: str, start: int, head_end: int, head: str, default_level: str,
                   home: Home, depth: int, kind: str) -> UnitMatch | None:
    """A named head: its name, then "cấp cao tại X", a place, a parent unit, "Trung ương", or the home."""
    d = data()
    court = parse_high_court(view, text, head_end)
    if court:  # "Tòa án nhân dân cấp cao tại Đà Nẵng"
        return _m(start, court[0], f"{head} cấp cao tại {court[1]}", "central", None, CONF_NAMED_PLACE,
                  "high_court", kind, True)
    if text[start:head_end].isupper() and len(text[start:head_end]) > 1 and not is_abbreviated_head(text[start:head_end]):
        return None  # a named head in capitals is a heading's word ("NHIỆM VỤ TRỌNG TÂM", "BAN HÀNH")
    if head in d["regional_heads"]["heads"]:
        regional = _regional(view, text, start, head_end, head, home, kind)
        if regional is not None:  # "Tòa án nhân dân khu vực 1 - Quảng Ninh"
            return regional
    name = parse_name(view, text, head_end, need_specialty=head in d["specialty_heads"]["heads"])
    if name is not None and head in d["department_levels"] and text[_BLANKS.match(view, head_end).end()].islower():
        return None  # "Thanh tra Sở kiểm tra": a department's name is capitalised, "Sở" alone is the own one
    if head in d["lower_names"]["heads"] and (name is None or _lower_word_after(view, text, name.end)):
        # "Hội đồng thẩm định sáng kiến cải cách hành chính tỉnh X": a known part, then more in lower case
        name = next((n for n in lower_names(view, text, head_end) if (name is None or n.end > name.end)
                     and _placed_or_parented(view, text, n.end, home, depth)), name)
    if name is not None and _lower_word_after(view, text, name.end, joined=True):
        # "Phòng Tiếp công dân và xử lý đơn Tòa án nhân dân tỉnh": a capitalised name going on in lower case
        name = next((n for n in lower_continuations(view, text, name)
                     if _placed_or_parented(view, text, n.end, home, depth)), name)
    if name is None and head in d["lower_names"]["heads"]:
        name = _plural_object_name(view, text, head_end, home, depth)  # "Ban Quản lý các khu công nghiệp tỉnh X"
    if name is not None and not name.known and head in d["comma_children"]["heads"] and "," not in name.text:
        # "Cục Hộ tịch, quốc tịch, chứng thực": an agency's fields after commas, the clause ending after them
        name = next((n for n in comma_fields(view, text, name)
                     if ends_clause(view, n.end) or _placed_or_parented(view, text, n.end, home, depth)), name)
    if name is not None:
        name = with_tail(view, text, name)  # "… khối nội chính", "… và các khu công nghiệp"
    if name is None:
        if head in d["parent_heads"]["heads"] and depth < MAX_PARENT_DEPTH:
            of = _OF_PARENT.match(view, head_end)  # "Bộ phận tiếp nhận và trả kết quả của UBND xã"
            parent = _resolve_at(view, text, of.end(), home, depth + 1)
            # after "của" only a parent of a known place: not "Bộ phận Một cửa của Chi nhánh … khu vực" (any branch)
            linked = len(of.group()) <= 2 or (of.group().strip() and parent is not None
                                               and (parent.at is not None or parent.level == "central"))
            office = head in d["office_heads"]["heads"]
            if office and parent is not None and _another_head_after(view, text, parent.end):
                return None  # "Bộ phận … của UBND xã A, UBND xã B và …": the offices of several, each body a unit
            if parent is not None and linked:
                path = "branch_of_parent" if head in d["comma_children"]["heads"] else \
                    "office_of_parent" if office else "board_of_parent"
                return replace(_m(start, parent.end, f"{head} {parent.canonical}", parent.level, parent.canonical,
                                  CONF_PARENT, path, kind), next_head=parent.start)
        return None
    end = parse_abbreviation(view, name.end)
    if end == len(view.rstrip()) and view[end - 1].isalnum():
        return None  # an excerpt cut in the middle of a name ("Trung tâm Phục vụ hành chính c")
    label = f"{head} {name.text}"
    if _OF_LEVEL.match(view, end):
        return None  # "Trung tâm Phục vụ hành chính công của xã": a kind of body, not one unit
    court = parse_high_court(view, text, end)
    if court:
        return _m(start, court[0], f"{label} cấp cao tại {court[1]}", "central", None, CONF_NAMED_PLACE,
                  "high_court", kind, True)
    regional = _regional(view, text, start, end, label, home, kind)
    if regional is not None:  # "Chi cục Thuế khu vực II", "Văn phòng Đăng ký đất đai khu vực"
        return regional
    tail = parse_tail(view, text, end, home)
    if tail.plural:
        return None  # "Trung tâm Phục vụ hành chính công các cấp", "… cấp xã": a kind of body
    placed = f"{head} {completed(name.text, head)}"
    if tail.place is not None:
        written = tail.place.name if tail.admin_word else tail.place.short  # "Đài Phát thanh và Truyền hình Kiên Giang"
        return _m(start, tail.end, f"{placed} {written}", tail.place.level, None,
                  _place_conf(tail, CONF_NAMED_PLACE), "named_place", kind, tail.place)
    if tail.admin:
        place = home_place(tail.admin, home)
        if place is None:
            return None
        return _m(start, tail.end, f"{placed} {place.name}", place.level, None, CONF_NAMED_HOME, "named_home", kind, place)
    national = central_tail(view, end)
    at = _BLANK_SAME_LINE.match(view, end).end()
    parent_ahead = head_re().match(view, at)
    if national and not (parent_ahead and parent_ahead.group("central")):  # "… Trung ương Đoàn" is a parent
        return _m(start, national, f"{label} {text[end:national].strip()}", "central", None, CONF_NAMED_CENTRAL,
                  "named_central", kind)
    if depth < MAX_PARENT_DEPTH:
        sep = _PARENT_SEP.match(view, end)
        joint = sep.group("sep").strip() if sep else ""
        parent = _resolve_at(view, text, sep.end(), home, depth + 1) if sep else None
        if joint == "," and parent is not None and (head not in d["comma_children"]["heads"] or _list_item(
                view, text, start) or parent.canonical.startswith(f"{head} ")):
            # "Ban Quản lý Khu kinh tế, Sở Công Thương": a list, not a unit and its parent; so is a comma after
            # a body that is itself an item of a list or before a body of its own kind ("Cục A, Cục B, Vụ C,
            # Tổng cục D chủ trì")
            parent = None
        if parent is not None:
            if joint == "thuộc":
                return _m(start, end, label, parent.level, parent.canonical, CONF_PARENT, "named_parent", kind)
            glue = ", " if joint == "," else " "
            return replace(_m(start, parent.end, f"{label}{glue}{parent.canonical}", parent.level, parent.canonical,
                              CONF_PARENT, "named_parent", kind), next_head=parent.start)
    if f"{head} {completed(name.text, head)}" in d["local_mass_names"]["names"] and home_place(None, home) is not None:
        # "Ủy ban MTTQ Việt Nam", "Hội Nông dân" alone are the home's: the national ones are "… Trung ương …"
        place = home_place(None, home)
        return _m(start, end, f"{placed} {place.name}", place.level, None, CONF_NAMED_HOME, "named_home", kind, place)
    if default_level == "central" or name.text.endswith(("Trung ương", "Việt Nam")):
        return _m(start, end, label, "central", None, CONF_NAMED_CENTRAL, "named_central", kind)
    if name.cut:
        return None  # "Công đoàn viên chức các cơ quan tỉnh": the name goes on in words we cannot place
    if name.known and default_level == "province" and home.province and head not in d["no_home_heads"]["heads"]:
        place = gazetteer().province(home.province)
        if place is not None:
            return _m(start, end, f"{placed} {place.name}", "province", None, CONF_NAMED_HOME, "named_home", kind, place)
    return _m(start, end, label, default_level, None, CONF_BARE_NAME, "named_bare", kind)


_PLURAL_OBJECT = vre(r"[ \t]+(?-i:các)[ \t]+(?=\w)", re.I)


def _plural_object_name(view: str, text: str, pos: int, home: Home, depth: int) -> Name | None:
    """A board named by the several things it runs, "các" first ("Ban Quản lý các khu công nghiệp tỉnh X", "Ban
    Quản lý các dự án đầu tư xây dựng huyện Y"): one body where its place or parent follows the name at once."""
    m = _PLURAL_OBJECT.match(view, pos)
    if m is None:
        return None
    at = m.end() - 1
    name = parse_name(view, text, at)
    if name is None or not name.text[0].isupper() or not _placed_after(view, text, name.end, home, depth):
        name = next((n for n in lower_names(view, text, at) if _placed_or_parented(view, text, n.end, home, depth)),
                    None)
    return None if name is None else Name(name.end, f"các {name.text}", name.known)


def _placed_after(view: str, text: str, end: int, home: Home, depth: int) -> bool:
    """A place, with or without its admin word ("Khu công nghiệp Đồng Nai"), or a parent unit follows at ``end``."""
    tail = parse_tail(view, text, end, home)
    return (tail.place is not None and not tail.plural) or _placed_or_parented(view, text, end, home, depth)


def _lower_word_after(view: str, text: str, pos: int, joined: bool = False) -> bool:
    """Does a word in lower case follow at ``pos`` (``joined``: also after "và")?"""
    m = _WORD_AFTER.match(view, pos)
    if m is not None and joined and view[m.end() - 1:m.end() + 2].lower() == "và ":
        m = _WORD_AFTER.match(view, m.end() + 1)
    return m is not None and text[m.end() - 1].islower()


def _another_head_after(view: str, text: str, pos: int) -> bool:
    """Does a list go on at ``pos`` with another unit's head ("…, UBND xã B")?"""
    sep = _AND_PLACE.match(view, pos)
    nxt = head_re().match(view, sep.end()) if sep else None
    return nxt is not None and text[nxt.start()].isupper()


def _placed_or_parented(view: str, text: str, end: int, home: Home, depth: int) -> bool:
    """Does a place with its admin word ("tỉnh Lâm Đồng", "huyện") or a parent unit follow at ``end``?"""
    tail = parse_tail(view, text, end, home)
    if tail.admin_word and not tail.plural and (tail.place is not None or home_place(tail.admin, home) is not None):
        return True
    at = _BLANK_SAME_LINE.match(view, end).end()
    return depth < MAX_PARENT_DEPTH and at - end <= 1 and _resolve_at(view, text, at, home, depth + 1) is not None


def _regional(view: str, text: str, start: int, end: int, label: str, home: Home, kind: str) -> UnitMatch | None:
    """A body of a region within a province, named by its number and, after a dash, its province."""
    region = parse_region(view, text, end)
    if region is None:
        return None
    name = f"{label} {region.name}"
    if region.dash is not None:
        tail = parse_tail(view, text, region.dash, home)
        if tail.place is not None and tail.place.level == "province":
            return _m(start, tail.end, f"{name} - {tail.place.short}", "district", None,
                      _place_conf(tail, CONF_NAMED_PLACE), "named_region", kind, True)
    return _m(start, region.end, name, "district", None, CONF_REGION, "named_region", kind)


def _numbered_region(view: str, text: str, start: int, end: int, head: str, home: Home, d: dict) -> UnitMatch | None:
    """A body with branches by numbered region ("Kho bạc Nhà nước khu vực XI", "Bảo hiểm xã hội khu vực 3"); a bare
    "khu vực" after it is a word of the sentence, not a branch."""
    if head not in d["regional_heads"]["heads"]:
        return None
    region = parse_region(view, text, end)
    if region is None or region.name == "khu vực":
        return None
    return _regional(view, text, start, end, head, home, "named")


def resolve(view: str, text: str, m: re.Match[str], home: Home, depth: int = 0) -> UnitMatch | None:
    d = data()
    if m.group("central"):
        name = canon(d["central"], d["central_aliases"], text[m.start():m.end()])
        if name in d["local_named"]:  # "Kho bạc Nhà nước huyện X" is a local branch; alone, the national body
            regional = _numbered_region(view, text, m.start(), m.end(), name, home, d)
            if regional is not None:  # "Kho bạc Nhà nước khu vực XI": a regional branch since 2025
                return regional
            tail = parse_tail(view, text, m.end(), home)
            if tail.place is not None or (tail.admin and not tail.plural):
                unit = _resolve_place_head(view, text, m, tail, home, depth)
                if unit is not None:
                    return unit
        return _m(m.start(), m.end(), name, "central", None, CONF_CENTRAL, "central", "central")
    if m.group("head"):
        head = _canon_head(text, m)
        return _resolve_named(view, text, m.start(), m.end(), head, d["named_heads"].get(head, "province"), home,
                              depth, "agency")
    if m.group("cell"):
        return _resolve_cell(view, text, m, home)
    tail = parse_tail(view, text, m.end(), home)
    if tail.plural:
        return None
    if m.group("dept_head"):
        return _resolve_department(view, text, m, tail, home)
    if m.group("party"):
        return _resolve_party(m, text, view, tail, home, depth)
    if m.group("named"):
        return _resolve_place_head(view, text, m, tail, home, depth)
    return _resolve_local_body(view, text, m, tail, home)


_COMMA = re.compile(r"[ \t]*,[ \t]*")
_LEVELS = ("province", "district", "commune")


def _resolve_cell(view: str, text: str, m: re.Match[str], home: Home) -> UnitMatch | None:
    """A Party or youth cell of a hamlet, and its commune: "Chi bộ khu phố 2, thị trấn X", "Chi bộ thôn Y"
    (the home commune's)."""
    hamlet = parse_hamlet(view, text, m.end())
    if hamlet is None:
        return None
    label = f"{canon(data()['cell_heads']['heads'], {}, text[m.start():m.end()])} {hamlet.name}"
    comma = _COMMA.match(view, hamlet.end)
    tail = parse_tail(view, text, comma.end() if comma else hamlet.end, home)
    if tail.place is not None and tail.place.level == "commune":
        return _m(m.start(), tail.end, f"{label}, {tail.place.name}", "commune", None, _place_conf(tail), "cell",
                  "party", tail.place)
    commune = home_at("commune", home)
    if commune is None:
        return _m(m.start(), hamlet.end, label, "commune", None, CONF_BARE_NAME, "cell_bare", "party")
    return _m(m.start(), hamlet.end, f"{label}, {commune.name}", "commune", None, CONF_FROM_HOME, "cell_home",
              "party", commune)


def _resolve_at(view: str, text: str, pos: int, home: Home, depth: int) -> UnitMatch | None:
    m = head_re().match(view, pos)
    if not m or not text[m.start()].isupper():
        return None
    return resolve(view, text, m, home, depth)


def _written_as_unit(text: str, m: re.Match[str]) -> bool:
    """Units are written capitalised ("bộ phận", "chính phủ" in lower case are words); a long fixed name
    followed by its place counts in lower case too ("tại bộ phận tiếp nhận và trả kết quả xã Sơn Lĩnh")."""
    return text[m.start()].isupper() or (bool(m.group("named")) and len(m.group("named").split()) >= 4)


def find_units(view: str, text: str, home: Home, start: int = 0, end: int | None = None,
               skip: list[tuple[int, int]] = ()) -> Iterator[UnitMatch]:
    """Unit mentions in ``view[start:end]``, leaving out those inside ``skip`` ranges (document numbers, quoted titles)."""
    end = len(view) if end is None else end
    skip = skip if isinstance(skip, Ranges) else Ranges(skip)
    topics = SpanIndex(sentence_topics(view, text, home, start, end))
    base, covered_to, pos = home, -1, start
    while True:
        m = head_re().search(view, pos, end)
        if m is None:
            return
        pos = m.end()
        topic = topics.last_at_or_before(m.start())
        home = topic.home if topic is not None and m.start() < topic.end else base
        if m.start() < covered_to or m.start() in skip:
            continue
        if _GENERIC_BEFORE.search(view, max(0, m.start() - 20), m.start()):
            continue  # "các chi nhánh Văn phòng Đăng ký đất đai", "một số Chi nhánh …": a kind of body, no one unit
        if _LAW_BEFORE.search(view, max(0, m.start() - 20), m.start()):
            continue  # "Luật Tổ chức Chính phủ", "Luật Tổ chức Tòa án nhân dân số 62/2014/QH13": a law's title
        if " " not in m.group() and _ADMIN_BEFORE.search(view, max(0, m.start() - 12), m.start()):
            continue  # "thị trấn Vụ Bản", "thành phố Hội An": a place's name that starts like a one-word head
        shared = list(_sharing_a_place(view, text, m, home)) if text[m.start()].isupper() else []
        if shared:  # "Đảng ủy, HĐND, UBND phường X": the heads before the last one take its place
            yield from shared
            covered_to = shared[-1].end
            pos = shared[-1].next_head
            continue
        titled = _titled(view, text, m)
        unit = resolve(view, text, m, home) if titled or _written_as_unit(text, m) else None
        if unit is None or (not text[m.start()].isupper() and unit.place_known is not True and not titled):
            space = view.find(" ", m.start(), m.end())
            pos = space + 1 if space > 0 else m.end()  # "cán bộ Công an": the unit may start at the next word
            continue
        # A parent inside the unit's span is a unit of its own; the name before it is not.
        covered_to = _name_end(view, text, unit)
        yield unit
        yield from _coordinated(view, text, unit, home)


_TITLE_BEFORE = vre(r"(?<!\w)(?:trưởng|phó)[ \t]+$", re.I)


def _titled(view: str, text: str, m: re.Match[str]) -> bool:
    """"Phó Trưởng ban Tuyên giáo Đảng ủy Khối", "Trưởng phòng Nội vụ": a title writes its unit's head in lower case."""
    return text[m.start()].islower() and view[m.start():m.end()].split()[0].lower() in ("ban", "phòng") \
        and _TITLE_BEFORE.search(view, max(0, m.start() - 12), m.start()) is not None


_AND_PLACE = vre(r"[ \t]*(?:,|và)[ \t]+", re.I)
MAX_SHARED_HEADS = 6  # "Thường trực Đảng ủy, HĐND, UBND, Ủy ban MTTQ Việt Nam phường X" has four


@dataclass(frozen=True, slots=True)
class SharedHead:
    start: int
    end: int  # the end of the head (and its name) as written, before the separator
    next_head: int  # where the next head of the list starts


def _sharing_a_place(view: str, text: str, m: re.Match[str], home: Home) -> list[UnitMatch]:
    """Heads listed with "," or "và" before one place ("Đảng ủy, UBND đặc khu Vân Đồn"): each head is a unit of
    that place. Each head in the list but the last has nothing after it; the last one names the place."""
    chain: list[SharedHead] = []
    head = m
    while len(chain) < MAX_SHARED_HEADS:
        label_end = _label_end(view, text, head)
        if label_end is None:
            return []
        tail = parse_tail(view, text, label_end, home)
        if tail.place is not None or tail.admin or tail.plural:
            break  # the last head: its place is the list's
        sep = _AND_PLACE.match(view, label_end)
        if sep and "," in sep.group() and head.group("head") and _canon_head(text, head) in \
                data()["comma_children"]["heads"]:
            return []  # "Chi nhánh số 3, Trung tâm …": a unit and its parent, not a list
        nxt = head_re().match(view, sep.end()) if sep else None
        if nxt is None or not text[nxt.start()].isupper() or nxt.group("central"):
            return []
        chain.append(SharedHead(head.start(), label_end, nxt.start()))
        head = nxt
    else:
        return []
    if not chain or tail.plural:
        return []
    last = resolve(view, text, head, home)
    if last is None:
        return []
    place = tail.place or home_place(tail.admin, home)
    out = []
    for h in chain:
        # the head read as if the place were written after it, its span the head as written
        unit = resolve(view[h.start:h.end] + view[label_end:tail.end], text[h.start:h.end] + text[label_end:tail.end],
                       head_re().match(view[h.start:h.end] + view[label_end:tail.end]), home)
        if unit is None or place is None or unit.level != place.level or \
                not unit.canonical.endswith((place.name, place.short)):
            return []
        out.append(UnitMatch(h.start, h.end, unit.canonical, unit.level, unit.parent,
                             min(unit.confidence, CONF_SHARED_PLACE), "units.shared_place", unit.head,
                             unit.place_known, unit.label, unit.place, h.next_head, unit.at))
    return out


def _canon_head(text: str, m: re.Match[str]) -> str:
    return canon([h for h in data()["named_heads"] if not h.startswith("_")], data()["head_aliases"],
                 text[m.start():m.end()])


def _label_end(view: str, text: str, m: re.Match[str]) -> int | None:
    """The end of a head and, for a named head, its name ("Ủy ban MTTQ Việt Nam"); None for a head that takes no place."""
    if m.group("central") or (m.group("dept_head") and m.group("dept_head").lower() == "bộ"):
        return None
    if not m.group("head"):
        return m.end()
    head = _canon_head(text, m)
    name = parse_name(view, text, m.end(), need_specialty=head in data()["specialty_heads"]["heads"])
    return parse_abbreviation(view, name.end) if name is not None else None


def _coordinated(view: str, text: str, unit: UnitMatch, home: Home) -> Iterator[UnitMatch]:
    """"Công an P.1 và P.3", "UBND phường 1, phường 3": one head shared by several places."""
    if unit.path not in ("local_body", "named_place") or not unit.label:
        return
    pos = unit.end
    while True:
        sep = _AND_PLACE.match(view, pos)
        if not sep:
            return
        tail, path = parse_tail(view, text, sep.end(), home), unit.path
        if tail.place is None and not tail.admin and unit.place is not None:
            tail, path = _same_kind_place(view, text, sep.end(), unit.place), "coordinated_place"
        if tail.place is None or not tail.admin_word or tail.place.level != unit.level:
            return
        yield _m(sep.end(), tail.end, f"{unit.label} {tail.place.name}", tail.place.level, None,
                 _place_conf(tail), path, unit.head, tail.place)
        pos = tail.end


def _same_kind_place(view: str, text: str, pos: int, first: Place) -> PlaceTail:
    """A place named without its admin word after one of the same kind ("UBND phường An Khánh, Cái Khế"): read with
    the first place's admin word, kept only when the gazetteer knows it in the first place's province and district."""
    return _bare_place(view, text, pos, first.kind, first.level, Home(first.province, first.district))


MAX_PLACE_CHARS = 80  # a place's name with its admin word is far shorter ("thành phố Phan Rang - Tháp Chàm")


def _bare_place(view: str, text: str, pos: int, kind: str, level: str, near: Home) -> PlaceTail:
    """A place of ``kind`` named without its admin word at ``pos``, kept only when the gazetteer knows it in the
    province (and, for a commune, the district) of ``near``."""
    line_end = view.find("\n", pos, pos + MAX_PLACE_CHARS)
    line_end = min(len(view), pos + MAX_PLACE_CHARS) if line_end < 0 else line_end
    prefix = f"{kind.lower()} "
    near = Home(near.province, near.district if level == "commune" else None)
    tail = parse_tail(prefix + view[pos:line_end], prefix + text[pos:line_end], 0, near)
    place = tail.place
    if place is None or not tail.known or place.level != level \
            or (near.province and not same_province(place.province, near.province)) \
            or (near.district and place.district and place.district != near.district) \
            or not _of_kind(place, kind):
        return PlaceTail(pos)
    return PlaceTail(pos + tail.end - len(prefix), place, tail.admin, tail.admin_word)


def _of_kind(place: Place, kind: str) -> bool:
    """Does the gazetteer know ``place`` under ``kind`` ("xã Nam Anh, Nam Đàn": no xã is named Nam Đàn)?"""
    g = gazetteer()
    found = g.communes_named(place.short, kind) if place.level == "commune" else g.districts_named(place.short, kind)
    return any(same_province(p.province, place.province) for p in found)


_LIST_SEP = vre(r"[ \t]*(?:,[ \t]*\n?[ \t]*(?:và[ \t]*\n?[ \t]*)?|và[ \t]*\n?[ \t]*)(?=\S)", re.I)
MAX_LISTED_PLACES = 40  # a district has a few dozen communes


def _listed_places(view: str, text: str, pos: int, kinds: list[str], level: str, home: Home,
                   first: bool = False) -> list[tuple[int, PlaceTail]]:
    """Places of one level listed from ``pos`` ("Vị Thắng, Vị Trung và thị trấn Nàng Mau"), each with its own
    admin word or, without one, a place of one of ``kinds`` the gazetteer knows near the home; ``first``: the first
    item stands at ``pos`` with no separator before it."""
    out: list[tuple[int, PlaceTail]] = []
    while len(out) < MAX_LISTED_PLACES:
        at = pos
        if not (first and not out):
            sep = _LIST_SEP.match(view, pos)
            if not sep:
                break
            at = sep.end()
        tail = parse_tail(view, text, at, home)
        if tail.place is None and not tail.admin:
            tail = next((t for t in (_bare_place(view, text, at, k, level, home) for k in kinds) if t.place), tail)
        if tail.place is None or tail.place.level != level or tail.plural or not tail.admin_word \
                or _FORMER.match(view, tail.end):
            break  # "Kim Long, Hương Long (cũ)": a former place ends the list of bodies
        out.append((_BLANK_SAME_LINE.match(view, at).end(), tail))
        pos = tail.end
    return out


def _name_end(view: str, text: str, unit: UnitMatch) -> int:
    if unit.path in ("board_of_parent", "branch_of_parent"):
        return unit.end  # "Ban Thường vụ Tỉnh ủy" is an organ of the Tỉnh ủy, not a mention of it
    if unit.parent and unit.path in ("named_parent", "office_of_parent") and unit.start < unit.next_head < unit.end:
        return unit.next_head
    return unit.end


# --- bare localities acting as bodies ----------------------------------------------


def localities(view: str, text: str, home: Home, taken: Ranges) -> Iterator[UnitMatch]:
    """Named districts and communes outside any unit, not written as an address or a place
    ("trên địa bàn huyện X"): "huyện Võ Nhai tổ chức…", "Xã Nam Thành hỗ trợ…", "đội Huyện Gò Công Tây";
    and the places listed after one ("tại phường An Biên, Hàng Kênh", "2 xã Phước Lộc và Phước Thuận",
    "05 xã, thị trấn: Vị Thắng, Vị Trung và thị trấn Nàng Mau"), each the gazetteer knows near the home.
    A count before the list must match it: "2 xã" lists two."""
    found = list(_localities_named(view, text, home, taken))
    yield from found
    seen = Ranges([(u.start, u.end) for u in found])
    yield from (u for u in _lists_after_kinds(view, text, home, taken) if not seen.overlaps(u.start, u.end))


def _localities_named(view: str, text: str, home: Home, taken: Ranges) -> Iterator[UnitMatch]:
    covered_to, previous = -1, None
    for m in _PLACE_MENTION.finditer(view):
        if m.start() in taken or m.start() < covered_to:
            continue
        tail = parse_tail(view, text, m.start(), home)
        place, locating = tail.place, previous
        previous = tail if tail.place is not None else None
        if place is None or place.level not in ("district", "commune") or tail.plural:
            continue
        if locating is not None and _COMMA.fullmatch(view, locating.end, m.start()) \
                and _LEVELS.index(locating.place.level) > _LEVELS.index(place.level):
            continue  # "thị trấn X, huyện Y": the district locates the commune before it
        if _locates_in_brackets(view, text, m.start(), tail, home):
            continue  # "UBND xã Cát Tiến (huyện Phù Cát)": the district in brackets locates the commune
        line_start = view.rfind("\n", 0, m.start()) + 1
        before = view[max(line_start, m.start() - 30):m.start()]
        if _ADDRESS_AFTER.match(view, tail.end) or _FORMER.match(view, tail.end) or street_before(view, m.start()):
            continue
        near = Home(place.province or home.province, place.district or home.district)
        listed = _listed_places(view, text, tail.end, [place.kind], place.level, near)
        counted = _COUNT_BEFORE.search(before)
        if counted:
            if int(counted.group("n")) != 1 + len(listed):
                continue  # "tại 5 xã Phước Lộc …" names one of five: a count, not a list
        elif _NOT_A_BODY_BEFORE.search(before) or re.search(r"\S[ \t]*[-–][ \t]*$", before):
            # "trên địa bàn xã X"; "36 Nguyễn Hữu Thọ - Phường Tân Phong - Quận 7": an address; and so is each
            # place listed after it ("sắp xếp thị trấn A, xã B và xã C thành xã D": territory, not bodies)
            covered_to = listed[-1][1].end if listed else tail.end
            continue
        yield _locality(m.start(), tail, "locality")
        for start, item in listed:
            yield _locality(start, item, "listed_locality")
        covered_to = listed[-1][1].end if listed else tail.end


_OPEN_BRACKET_BEFORE = re.compile(r"[ \t]*\([ \t]*$")
_CLOSE_BRACKET = re.compile(r"[ \t]*\)")
MAX_LOCATED_CHARS = 60  # "xã Đông Hòa Hiệp" and its admin word, before the bracket


def _locates_in_brackets(view: str, text: str, pos: int, tail: PlaceTail, home: Home) -> bool:
    """Is the place at ``pos`` alone in brackets right after a place of a lower level, which it locates?"""
    bracket = _OPEN_BRACKET_BEFORE.search(view, max(0, pos - 4), pos)
    if bracket is None or not _CLOSE_BRACKET.match(view, tail.end) or tail.place is None:
        return False
    level = _LEVELS.index(tail.place.level)
    for m in _PLACE_MENTION.finditer(view, max(0, bracket.start() - MAX_LOCATED_CHARS), bracket.start()):
        before = parse_tail(view, text, m.start(), home)
        if before.end == bracket.start() and before.place is not None and _LEVELS.index(before.place.level) > level:
            return True
    return False


_KIND = r"(?:thành\s+phố|thị\s+xã|thị\s+trấn|huyện|quận|phường|xã)"
# "05 xã, thị trấn: A, B …", "các xã: A, B", "các xã A, B": a list of places after their kinds (a colon after several)
_KINDS_LEAD = vre(rf"(?<!\w)(?P<n>\d{{1,3}}|các|những)[ \t]+(?P<kinds>{_KIND}(?:[ \t]*(?:,|và)[ \t]*{_KIND})*)"
                  rf"(?P<colon>[ \t]*:)?[ \t]*", re.I)
_COUNT_BEFORE = vre(r"(?<![\w/.,])(?P<n>\d{1,2})[ \t]+$")


def _lists_after_kinds(view: str, text: str, home: Home, taken: Ranges) -> Iterator[UnitMatch]:
    for m in _KINDS_LEAD.finditer(view):
        kinds = [k.strip() for k in re.split(r"[ \t]*(?:,|và)[ \t]*", m.group("kinds"))]
        levels = {admin_level(k) for k in kinds}
        if len(levels) != 1 or (len(kinds) > 1 and not m.group("colon")) or m.start() in taken:
            continue
        line_start = view.rfind("\n", 0, m.start()) + 1
        if _NOT_A_BODY_BEFORE.search(view[max(line_start, m.start() - 30):m.start()]):
            continue  # "trên địa bàn các xã: …"
        listed = _listed_places(view, text, m.end(), kinds, levels.pop(), home, first=True)
        if not listed or (m.group("n").isdigit() and int(m.group("n")) != len(listed)):
            continue
        for start, item in listed:
            yield _locality(start, item, "listed_locality")


@lru_cache(maxsize=1)
def _own_organ_re() -> re.Pattern[str]:
    organs = alternation(data()["own_department_organs"]["heads"])
    # "Văn phòng Sở", "Thanh tra Bộ" with no name after "Sở" / "Bộ": the document's own department or ministry
    return vre(rf"(?<![\w/])(?P<organ>{organs})(?=[ \t]+(?-i:Sở|Bộ)(?![ \t]+(?-i:[A-ZĐ]))(?![\w\-&]))", re.I)


def own_department_organs(view: str, text: str, found: list[UnitMatch], issuer: str | None,
                          taken: Ranges) -> Iterator[UnitMatch]:
    """Organs of "the Department" written without its name ("gửi Văn phòng Sở", "Thanh tra Sở kiểm tra"): in a
    department's own texts "Sở" alone is that department, the issuer in its header, else the department the text
    names most (twice at least, the first of a tie)."""
    for m in _own_organ_re().finditer(view):
        if m.start() in taken or not text[m.start()].isupper():
            continue
        level = bare_own_level(view, m.end())
        own = _own_department(found, issuer, level.group("level"))
        if own is None:
            continue
        organ = canon(data()["own_department_organs"]["heads"], {}, text[m.start("organ"):m.end("organ")])
        yield _m(m.start(), level.end(), f"{organ} {own.canonical}", own.level, own.canonical, CONF_FROM_HOME,
                 "own_department_organ", "agency", own.at)


def with_own_parent(view: str, found: list[UnitMatch], issuer: str | None) -> list[UnitMatch]:
    """A named body written just before a bare "Bộ" / "Sở" ("Hội đồng Thi đua - Khen thưởng Bộ") is that of the
    text's own ministry or department, as its organs are."""
    out = []
    for u in found:
        level = bare_own_level(view, u.end) if u.path == "named_bare" else None
        own = _own_department(found, issuer, level.group("level")) if level else None
        if own is not None:
            u = _m(u.start, level.end(), f"{u.canonical} {own.canonical}", own.level, own.canonical, CONF_FROM_HOME,
                   "own_department_organ", u.head, own.at)
        out.append(u)
    return out


def _own_department(found: list[UnitMatch], issuer: str | None, level: str = "Sở") -> UnitMatch | None:
    departments = [u for u in found if u.head == "department" and u.canonical.startswith(f"{level} ")]
    if issuer is not None:
        return next((u for u in departments if u.canonical == issuer), None)
    counts: dict[str, int] = {}
    for u in departments:
        counts[u.canonical] = counts.get(u.canonical, 0) + 1
    best = max(counts.values(), default=0)
    if best < MIN_OWN_DEPARTMENT_MENTIONS:
        return None
    return next(u for u in departments if counts[u.canonical] == best)


MIN_OWN_DEPARTMENT_MENTIONS = 2  # a department named once is one the text speaks of, not necessarily its own


def _locality(start: int, tail: PlaceTail, path: str) -> UnitMatch:
    name, level, parent = _local_body("Ủy ban nhân dân", tail.place)
    return _m(start, tail.end, name, level, parent, CONF_LOCALITY if tail.known else CONF_UNKNOWN_PLACE, path,
              "locality", tail.place)


def _quoted(text: str) -> list[tuple[int, int]]:
    """Quoted titles ("Alo! Trung tâm Phục vụ hành chính công nghe!"): names of initiatives, not units."""
    return [(m.start() + 1, m.end()) for m in _QUOTES.finditer(text)]


# "Đảng ủy Khối các cơ quan tỉnh" placed in its home province: "… cơ quan tỉnh Quảng Trị", not "tỉnh Tỉnh".
_ADMIN_TWICE = vre(r"(?<!\w)(tỉnh|thành phố|huyện|quận|thị xã|thị trấn|xã|phường)[ \t]+\1(?=[ \t])", re.I)


def _admin_word_once(canonical: str) -> str:
    return _ADMIN_TWICE.sub(r"\1", canonical)


class Units:
    name = "units"

    def extract(self, ctx: Context) -> Iterator[Span]:
        skip = [(n.start, n.end) for n in document_numbers(ctx) if not n.bare] + _quoted(ctx.doc.text)
        view, text = ctx.cache.get("left", (ctx.view, ctx.doc.text))  # the header's right column left out
        chrome = chrome_of(ctx)  # a page's closing list of related news is about other texts
        found = [u for u in find_units(view, text, ctx.home, skip=Ranges(skip)) if u.start < chrome.related]
        taken = Ranges([(u.start, u.end) for u in found] + skip)
        found += [u for u in localities(view, text, ctx.home, taken) if u.start not in chrome]
        taken = Ranges([(u.start, u.end) for u in found] + skip)
        found += [u for u in own_department_organs(view, text, found, ctx.header.get("issuer"), taken)
                  if u.start < chrome.related]
        found = with_own_parent(view, found, ctx.header.get("issuer"))
        for u in sorted(found, key=lambda u: u.start):
            value = {"canonical": _admin_word_once(u.canonical), "level": u.level, "parent": u.parent,
                     "path": u.path, "head": u.head, "place_known": u.place_known, "after_2025": after_2025(u)}
            yield ctx.span("unit", u.start, u.end, value, u.confidence, u.source)
