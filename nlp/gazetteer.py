"""Provinces, districts and communes as they were before 1 July 2025.

Source: the ``vietnamadminunits`` package (MIT), table ``admin_units_legacy``,
compacted into ``data/places.json`` by ``scripts/build_gazetteer.py`` (63
provinces, 696 districts, ~10,000 communes), plus ``data/places_extra.json`` for
districts merged before that dataset was made. Loaded once per process.
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


def _kind_of(full: str, short: str) -> str:
    return full[: len(full) - len(short)].strip() if full.endswith(short) else full.split()[0]


def _filter(places: list[Place], kind: str | None, province: str | None, district: str | None = None) -> list[Place]:
    if kind:
        places = [p for p in places if canonical_key(p.kind) == canonical_key(kind)]
    if province:
        places = [p for p in places if p.province == province]
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
        return _filter(self.communes.get(canonical_key(short), []), kind, province, district)


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
        communes.setdefault(canonical_key(short), []).append(Place(full, short, "commune", kind, prov, dist))
    extra = load("places_extra")
    for d in extra["districts"]:
        districts.setdefault(canonical_key(d["short"]), []).append(
            Place(d["name"], d["short"], "district", d["type"], d["province"]))
    for full, aliases in extra["province_aliases"].items():
        for alias in aliases:
            provinces[canonical_key(alias)] = provinces[canonical_key(full)]
    return Gazetteer(provinces, districts, communes)
