"""Regenerate nlp/data/places.json from the vietnamadminunits package (MIT).

The package's SQLite dataset takes ~0.4 s to scan per process; the compact JSON
it yields loads in ~20 ms. Run after upgrading vietnamadminunits:

    python scripts/build_gazetteer.py
"""
from __future__ import annotations

import json
import sqlite3
from importlib import resources
from importlib.metadata import version
from pathlib import Path


def main() -> None:
    db_path = resources.files("vietnamadminunits") / "data" / "dataset.db"
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    rows = conn.execute("SELECT province, provinceShort, district, districtShort, districtType, ward, wardShort, wardType "
                        "FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode").fetchall()
    provinces: dict[str, str] = {}
    districts: dict[tuple[str, str], tuple[str, str]] = {}
    communes: list[list[str]] = []
    for prov, prov_short, dist, dist_short, dist_type, ward, ward_short, ward_type in rows:
        provinces.setdefault(prov, prov_short)
        districts.setdefault((prov, dist), (dist_short, dist_type))
        if ward:
            communes.append([prov, dist, ward, ward_short, ward_type])
    out = {
        "_source": f"vietnamadminunits {version('vietnamadminunits')} (MIT), admin_units_legacy: units before 1 July 2025",
        "provinces": [[full, short] for full, short in provinces.items()],
        "districts": [[prov, full, short, kind] for (prov, full), (short, kind) in districts.items()],
        "communes": communes,
    }
    target = Path(__file__).resolve().parent.parent / "nlp" / "data" / "places.json"
    target.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{target}: {len(provinces)} provinces, {len(districts)} districts, {len(communes)} communes")


if __name__ == "__main__":
    main()
