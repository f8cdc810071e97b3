"""Measure the two ways to find unit heads: one compiled alternation over the matching view, or
spaCy's PhraseMatcher over a blank Vietnamese-agnostic tokenizer (what nlp/unit_grammar.py chose from).

    .venv/bin/python scripts/bench_unit_matcher.py
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from spacy.matcher import PhraseMatcher  # noqa: E402

from nlp.keys import match_view  # noqa: E402
from nlp.unit_grammar import data, head_re  # noqa: E402


def main() -> None:
    folders = [ROOT / "corpus", ROOT.parent / "shared" / "eval" / "dev"]
    texts = [p.read_text(encoding="utf-8") for f in folders for p in sorted(f.rglob("*.txt"))][:60]
    d = data()
    heads = set(d["central"]) | set(d["party_local"]) | set(d["local_named"]) | set(d["local_bodies"])
    heads |= {h for h in d["named_heads"] if not h.startswith("_")}
    nlp = spacy.blank("xx")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    matcher.add("HEAD", [nlp.make_doc(h) for h in heads])
    head_re()
    regex, tokenise, match = [], [], []
    for text in texts:
        view = match_view(text)
        t = time.perf_counter()
        list(head_re().finditer(view))
        regex.append(time.perf_counter() - t)
        t = time.perf_counter()
        doc = nlp.make_doc(view)
        tokenise.append(time.perf_counter() - t)
        t = time.perf_counter()
        matcher(doc)
        match.append(time.perf_counter() - t)
    ms = lambda xs: round(statistics.median(xs) * 1000, 3)  # noqa: E731
    print(f"{len(texts)} texts, median ms per text: compiled alternation {ms(regex)}; "
          f"spaCy tokenise {ms(tokenise)} + PhraseMatcher {ms(match)}")


if __name__ == "__main__":
    main()
