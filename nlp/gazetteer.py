"""Provinces, districts and communes before and after the 1 July 2025 reorganisation.

Source: the ``vietnamadminunits`` package (MIT), compacted into ``data/places.json``
by ``scripts/build_gazetteer.py``: 63 provinces, 696 districts, ~10,000 communes as
they were before 1 July 2025, and the 3,321 communes (xã, phường, đặc khu) of the 34
provinces since, which have no district. ``data/places_extra.json`` adds districts
merged before that dataset was made. ``successor`` reads ``data/places_2025_map.json``
(old province -> merged province, old commune -> new commune, old district -> gone,
its communes -> new communes). Loaded once per process.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from nlp.keys import canonical_key

from .vocab import load


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # full name with its type: "Thành phố Hà Nội", "Quận 6", "Phường Bến Nghé"
    short: str  # "Hà Nội", "6", "Bến Nghé"
    level: str  # province | district | commune
    kind: str  # Tỉnh | Thành phố | Quận | Huyện | Thị xã | Phường | Xã | Thị trấn
    province: str | None = None  # the province's full name, for districts and communes
    district: str | None = None  # the district's full name, for communes
    era: str = "legacy"  # legacy: before 1 July 2025; 2025: a commune of the 34-province map


def _kind_of(full: str, short: str) -> str:
    return full[: len(full) - len(short)].strip() if full.endswith(short) else full.split()[0]


def _filter(places: list[Place], kind: str | None, province: str | None, district: str | None = None) -> list[Place]:
    if kind:
        places = [p for p in places if canonical_key(p.kind) == canonical_key(kind)]
    if province:
        places = [p for p in places if same_province(p.province, province)]
    if district:
        places = [p for p in places if p.district == district]
    return places


@dataclass(slots=True)
class Gazetteer:
    provinces: dict[str, Place]  # key of short name, full name or alias -> place
    districts: dict[str, list[Place]]  # key of short name -> places (names repeat across provinces)
    communes: dict[str, list[Place]]

    def province(self, name: str) -> Place | None:
        return self.provinces.get(canonical_key(name))

    def districts_named(self, short: str, kind: str | None = None, province: str | None = None) -> list[Place]:
        return _filter(self.districts.get(canonical_key(short), []), kind, province)

    def communes_named(self, short: str, kind: str | None = None, province: str | None = None,
                       district: str | None = None) -> list[Place]:
        return _filter(self.communes.get(place_key(short), []), kind, province, district)


def place_key(name: str) -> str:
    """Key of a place name: ``canonical_key`` with apostrophes and dashes folded ("D’Ran", "Cam Ly – Đà Lạt")."""
    return canonical_key(name.replace("’", "'").replace("‘", "'")).replace(" - ", "-").replace(" -", "-").replace("- ", "-")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    data = load("places")
    provinces: dict[str, Place] = {}
    districts: dict[str, list[Place]] = {}
    communes: dict[str, list[Place]] = {}
    for full, short in data["provinces"]:
        place = Place(full, short, "province", _kind_of(full, short))
        provinces[canonical_key(short)] = provinces[canonical_key(full)] = place
    for prov, full, short, kind in data["districts"]:
        short = short.removeprefix("Quận ").strip()  # numbered districts: "Quận 6" -> "6"
        districts.setdefault(canonical_key(short), []).append(Place(full, short, "district", kind, prov))
    for prov, dist, full, short, kind in data["communes"]:
        short = short.removeprefix(f"{kind} ").strip()  # numbered wards: "Phường 12" -> "12"
        communes.setdefault(place_key(short), []).append(Place(full, short, "commune", kind, prov, dist))
    legacy_names = {(p.province, p.name) for ps in communes.values() for p in ps}
    for prov, full, short, kind in data["communes_2025"]:
        if (prov, full) not in legacy_names:  # a commune that kept its name and province is the same place
            communes.setdefault(place_key(short), []).append(Place(full, short, "commune", kind, prov, None, "2025"))
    for full, short in data["provinces_2025"]:
        if canonical_key(full) not in provinces:  # "Thành phố Huế", a province since 2025
            provinces[canonical_key(full)] = Place(full, short, "province", _kind_of(full, short), era="2025")
            provinces.setdefault(canonical_key(short), provinces[canonical_key(full)])
    extra = load("places_extra")
    for d in extra["districts"]:
        districts.setdefault(canonical_key(d["short"]), []).append(
            Place(d["name"], d["short"], "district", d["type"], d["province"]))
    for full, aliases in extra["province_aliases"].items():
        for alias in aliases:
            provinces[canonical_key(alias)] = provinces[canonical_key(full)]
    for full, old in renamed_provinces().items():
        place = Place(full, old["short"], "province", _kind_of(full, old["short"]))
        for name in (full, old["short"], *old["aliases"]):
            provinces[canonical_key(name)] = place
    return Gazetteer(provinces, districts, communes)


@lru_cache(maxsize=1)
def renamed_provinces() -> dict[str, dict]:
    """Old province name -> {short, aliases, successor}: "Tỉnh Thừa Thiên Huế", named so by texts before 2025."""
    return {k: v for k, v in load("places_extra")["renamed_provinces"].items() if not k.startswith("_")}


def same_province(a: str | None, b: str | None) -> bool:
    """Do two province names name one province (an old name and the new one: "Tỉnh Thừa Thiên Huế", "Thành phố Huế")?"""
    renamed = renamed_provinces()
    return a == b or (a is not None and b is not None and
                      renamed.get(a, {}).get("successor", a) == renamed.get(b, {}).get("successor", b))


@dataclass(frozen=True, slots=True)
class Successor:
    """What became of a place on 1 July 2025."""

    status: str  # same: unchanged | merged: into ``names[0]`` | abolished: a district (its communes in ``names``)
    names: tuple[str, ...]  # full names of the successors: "Tỉnh Lâm Đồng", "Phường Cam Ly - Đà Lạt"
    province: str | None = None  # the successor's province (for communes and districts)


@lru_cache(maxsize=1)
def _map_2025() -> dict:
    return load("places_2025_map")


def successor(place: Place) -> Successor | None:
    """The place after 1 July 2025 (``None`` when the map does not know it: a place older than the dataset)."""
    if place.era == "2025":
        return Successor("same", (place.name,), place.province)
    m = _map_2025()
    if place.level == "province":
        new = m["provinces"].get(renamed_provinces().get(place.name, {}).get("successor", place.name))
        return Successor("same" if new == place.name else "merged", (new,)) if new else None
    new_province = m["provinces"].get(place.province or "")
    if place.level == "district":
        communes = m["districts"].get(f"{place.province}|{place.name}")
        return Successor("abolished", tuple(communes), new_province) if communes else None
    new = m["communes"].get(f"{place.province}|{place.district}|{place.name}")
    if not new:
        return None
    same = canonical_key(new) == canonical_key(place.name) and new_province == place.province
    return Successor("same" if same else "merged", (new,), new_province)
