"""Regenerate the place data in nlp/data from the vietnamadminunits package (MIT).

* ``places.json``: the 63 provinces with their districts and communes as they were
  before 1 July 2025 (table ``admin_units_legacy``) and the 34 provinces with their
  3,321 communes since then (table ``admin_units``, no districts).
* ``places_2025_map.json``: the 2025 reorganisation as a successor map: old province
  -> merged province, old commune -> the commune that took it (the package's default
  when it was split), old district -> the new communes its communes went to.

The package's SQLite dataset takes ~0.4 s to scan per process; the compact JSON it
yields loads in ~30 ms. Run after upgrading vietnamadminunits:

    python scripts/build_gazetteer.py
"""
from __future__ import annotations

import json
import sqlite3
from importlib import resources
from importlib.metadata import version
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "nlp" / "data"


def _write(name: str, payload: dict) -> Path:
    target = DATA / name
    target.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return target


def main() -> None:
    package = resources.files("vietnamadminunits") / "data"
    conn = sqlite3.connect(f"file:{package / 'dataset.db'}?mode=ro", uri=True)
    source = f"vietnamadminunits {version('vietnamadminunits')} (MIT)"

    legacy = conn.execute(
        "SELECT province, provinceShort, district, districtShort, districtType, ward, wardShort, wardType, "
        "provinceKey, districtKey, wardKey FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode").fetchall()
    provinces: dict[str, str] = {}
    districts: dict[tuple[str, str], tuple[str, str]] = {}
    communes: list[list[str]] = []
    old_by_key: dict[str, tuple[str, str, str | None]] = {}  # "prov_dist_ward" key -> full names
    old_province_key: dict[str, str] = {}
    for prov, prov_short, dist, dist_short, dist_type, ward, ward_short, ward_type, pk, dk, wk in legacy:
        provinces.setdefault(prov, prov_short)
        districts.setdefault((prov, dist), (dist_short, dist_type))
        old_province_key[pk] = prov
        old_by_key[f"{pk}_{dk}_{wk or ''}"] = (prov, dist, ward or None)
        if ward:
            communes.append([prov, dist, ward, ward_short, ward_type])

    current = conn.execute("SELECT province, provinceShort, ward, wardShort, wardType, provinceKey, wardKey "
                           "FROM admin_units ORDER BY provinceCode, wardCode").fetchall()
    provinces_2025: dict[str, str] = {}
    communes_2025: list[list[str]] = []
    new_province_key: dict[str, str] = {}
    new_ward: dict[tuple[str, str], str] = {}
    for prov, prov_short, ward, ward_short, ward_type, pk, wk in current:
        provinces_2025.setdefault(prov, prov_short)
        new_province_key[pk] = prov
        new_ward[(pk, wk)] = ward
        communes_2025.append([prov, ward, ward_short, ward_type])

    out = {
        "_source": f"{source}: admin_units_legacy (before 1 July 2025) and admin_units (since)",
        "provinces": [[full, short] for full, short in provinces.items()],
        "districts": [[prov, full, short, kind] for (prov, full), (short, kind) in districts.items()],
        "communes": communes,
        "provinces_2025": [[full, short] for full, short in provinces_2025.items()],
        "communes_2025": communes_2025,
    }
    target = _write("places.json", out)
    print(f"{target}: {len(provinces)} provinces, {len(districts)} districts, {len(communes)} communes before 2025; "
          f"{len(provinces_2025)} provinces, {len(communes_2025)} communes since")

    conv = json.loads((package / "converter_2025.json").read_text(encoding="utf-8"))
    province_map: dict[str, str] = {}
    for new_key, old_keys in conv["DICT_PROVINCE"].items():
        for old_key in old_keys:
            province_map[old_province_key[old_key]] = new_province_key[new_key]
    commune_map: dict[str, str] = {}  # "province|district|commune" (old full names) -> new commune full name
    district_map: dict[str, set[str]] = {}  # "province|district" -> new communes
    for new_pk, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wk, old_keys in wards.items():
            for old_key in old_keys:
                if old_key in old_by_key and (new_pk, new_wk) in new_ward:
                    prov, dist, ward = old_by_key[old_key]
                    commune_map[f"{prov}|{dist}|{ward or ''}"] = new_ward[(new_pk, new_wk)]
    for new_pk, split in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, options in split.items():
            default = next((o["newWardKey"] for o in options if o["isDefaultNewWard"]), None)
            if old_key in old_by_key and (new_pk, default) in new_ward:
                prov, dist, ward = old_by_key[old_key]
                commune_map.setdefault(f"{prov}|{dist}|{ward or ''}", new_ward[(new_pk, default)])
    for key, new in commune_map.items():
        prov, dist, _ = key.split("|")
        district_map.setdefault(f"{prov}|{dist}", set()).add(new)
    target = _write("places_2025_map.json", {
        "_source": f"{source}: converter_2025 (a split commune goes to the package's default successor)",
        "provinces": province_map,
        "communes": commune_map,
        "districts": {k: sorted(v) for k, v in district_map.items()},
    })
    print(f"{target}: {len(province_map)} provinces, {len(commune_map)} communes, {len(district_map)} districts mapped")


if __name__ == "__main__":
    main()
