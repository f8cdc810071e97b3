"""Regenerate extractors/data/syllables.txt, the Vietnamese syllables the text-quality score knows.

The syllables are those of underthesea's dictionary (Viet74K) and of the VLSP 2013 text its
POS tagger ships, lower case, one a line. Reading them from underthesea takes ~0.9 s per
process; the list loads in a few milliseconds, so every document can be scored. Run after
upgrading underthesea:

    python scripts/build_syllables.py
"""
from __future__ import annotations

from pathlib import Path

from extractors.vietnamese import build_lexicon

OUT = Path(__file__).resolve().parent.parent / "extractors" / "data" / "syllables.txt"


def main() -> None:
    forms = sorted(build_lexicon().known_lower)
    OUT.write_text("\n".join(forms) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(forms)} syllables")


if __name__ == "__main__":
    main()
